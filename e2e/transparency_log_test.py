"""The transparency log checked with nothing of ours: Python's hashlib for RFC 6962 tree hashing, `cryptography` for
the Ed25519 signed note. The checkpoint's signature and key id, the root recomputed from the served tiles, and every
demo certificate's tlog-proof are verified from the running server; a changed byte is caught."""
import base64
import hashlib
import json
import os
import urllib.request

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BASE = os.environ.get("SKILLCHAIN_BASE_URL", "http://127.0.0.1:8080")
PASSWORD = os.environ["SKILLCHAIN_DEMO_PASSWORD"]


def get(path, token=None):
    req = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + token} if token else {})
    with urllib.request.urlopen(req) as r:
        return r.read()


def leaf(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(hashes):
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node(mth(hashes[:k]), mth(hashes[k:]))


def verify_inclusion(index, size, leaf_hash, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def tile_index(n):
    parts = ["%03d" % (n % 1000)]
    n //= 1000
    while n:
        parts.insert(0, "x%03d" % (n % 1000))
        n //= 1000
    return "/".join(parts)


@pytest.fixture(scope="module")
def log():
    """The pinned verifier key (from /log) and the verified checkpoint."""
    key_line = next(line for line in get("/log").decode().splitlines() if line.count("+") >= 2 and " " not in line)
    name, key_id, key_b64 = key_line.split("+", 2)
    raw = base64.b64decode(key_b64)
    assert raw[0] == 1 and len(raw) == 33
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == key_id
    public = Ed25519PublicKey.from_public_bytes(raw[1:])
    note = get("/log/checkpoint").decode()
    body, signatures = note.split("\n\n", 1)
    body += "\n"
    line = next(s for s in signatures.splitlines() if s.startswith("— " + name + " "))
    blob = base64.b64decode(line.split(" ")[2])
    assert blob[:4].hex() == key_id
    public.verify(blob[4:], body.encode())
    origin, size, root = body.splitlines()[:3]
    assert origin == name
    return {"name": name, "public": public, "size": int(size), "root": base64.b64decode(root), "note": note}


def test_the_root_recomputed_from_the_served_tiles_matches_the_signed_checkpoint(log):
    size = log["size"]
    assert size > 0, "the demo's certificates are in the log"
    hashes, entries = [], []
    for n in range((size + 255) // 256):
        width = min(256, size - n * 256)
        suffix = "" if width == 256 else ".p/%d" % width
        tile = get("/log/tile/0/" + tile_index(n) + suffix)
        assert len(tile) == 32 * width
        hashes += [tile[i:i + 32] for i in range(0, len(tile), 32)]
        data = get("/log/tile/entries/" + tile_index(n) + suffix)
        while data:
            length = int.from_bytes(data[:2], "big")
            entries.append(data[2:2 + length])
            data = data[2 + length:]
    assert len(entries) == size
    assert [leaf(e) for e in entries] == hashes, "each hash is its entry's leaf hash"
    assert mth(hashes) == log["root"]
    for e in entries:
        text = e.decode()
        assert text.startswith("skillchain.log/v1\nevent ")
        assert "citizen" not in text and "name" not in text


def test_every_demo_certificate_has_a_tlog_proof_that_verifies(log):
    token = json.loads(urllib.request.urlopen(urllib.request.Request(
        BASE + "/api/v1/auth/token", data=json.dumps({"username": "hr", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})).read())["token"]
    numbers = [c["number"] for c in json.loads(get("/api/v1/certificates?limit=100", token))["items"]]
    assert numbers
    for number in numbers:
        text = get(f"/api/v1/certificates/{number}/log-proof").decode()
        head, checkpoint = text.split("\n\n", 1)
        lines = head.splitlines()
        assert lines[0] == "c2sp.org/tlog-proof@v1" and lines[1].startswith("index ")
        index = int(lines[1][6:])
        proof = [base64.b64decode(h) for h in lines[2:]]
        body = checkpoint.split("\n\n", 1)[0]
        size, root = int(body.splitlines()[1]), base64.b64decode(body.splitlines()[2])
        sig = next(s for s in checkpoint.split("\n\n", 1)[1].splitlines() if s.startswith("— " + log["name"] + " "))
        log["public"].verify(base64.b64decode(sig.split(" ")[2])[4:], (body + "\n").encode())
        entry = get("/log/tile/entries/" + tile_index(index // 256) + (".p/%d" % min(256, size - index // 256 * 256)
                                                                        if size - index // 256 * 256 < 256 else ""))
        found = None
        for _ in range(index % 256 + 1):
            length = int.from_bytes(entry[:2], "big")
            found, entry = entry[2:2 + length], entry[2 + length:]
        assert ("number " + number) in found.decode()
        assert verify_inclusion(index, size, leaf(found), proof, root), number
        changed = bytearray(found)
        changed[-2] ^= 1
        assert not verify_inclusion(index, size, leaf(bytes(changed)), proof, root)


def test_a_changed_checkpoint_signature_is_refused(log):
    body, signatures = log["note"].split("\n\n", 1)
    blob = bytearray(base64.b64decode(signatures.splitlines()[0].split(" ")[2]))
    blob[10] ^= 1
    with pytest.raises(InvalidSignature):
        log["public"].verify(bytes(blob[4:]), (body + "\n").encode())
