"""Every demo certificate verifies with libraries that know nothing of SkillChain: the issuer key is resolved over
did:web from the running server, the Data Integrity proof (eddsa-jcs-2022) is checked with `rfc8785` + `cryptography`,
the VC-JWT with PyJWT, and the status lists are read with gzip. Any one-byte change fails."""
import base64
import copy
import gzip
import hashlib
import json
import os
import urllib.parse
import urllib.request

import base58
import jwt
import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BASE = os.environ.get("SKILLCHAIN_BASE_URL", "http://127.0.0.1:8080")
PASSWORD = os.environ["SKILLCHAIN_DEMO_PASSWORD"]


def get(path_or_url, token=None):
    url = path_or_url if path_or_url.startswith("http") else BASE + path_or_url
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token} if token else {})
    with urllib.request.urlopen(req) as r:
        return r.read()


def did_web_url(did):
    """did:web method spec: colons become slashes, %3A the port's colon, no path means /.well-known."""
    parts = did.split(":")[2:]
    host = urllib.parse.unquote(parts[0])
    path = "/".join(parts[1:]) if len(parts) > 1 else ".well-known"
    return f"http://{host}/{path}/did.json"


def resolve_key(verification_method):
    did = verification_method.split("#")[0]
    document = json.loads(get(did_web_url(did)))
    assert document["id"] == did
    assert verification_method in document["assertionMethod"]
    method = next(m for m in document["verificationMethod"] if m["id"] == verification_method)
    assert method["type"] == "Multikey"
    raw = base58.b58decode(method["publicKeyMultibase"][1:])
    assert method["publicKeyMultibase"][0] == "z" and raw[:2] == b"\xed\x01"
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def verify_data_integrity(credential):
    """W3C vc-di-eddsa §3.3 (eddsa-jcs-2022): hash(JCS(proof config)) || hash(JCS(document)), Ed25519."""
    document = copy.deepcopy(credential)
    proof = document.pop("proof")
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    data = hashlib.sha256(rfc8785.dumps(config)).digest() + hashlib.sha256(rfc8785.dumps(document)).digest()
    assert proof["proofValue"][0] == "z"
    resolve_key(proof["verificationMethod"]).verify(base58.b58decode(proof["proofValue"][1:]), data)


@pytest.fixture(scope="module")
def certificates():
    token = json.loads(urllib.request.urlopen(urllib.request.Request(
        BASE + "/api/v1/auth/token", data=json.dumps({"username": "hr", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})).read())["token"]
    listing = json.loads(get("/api/v1/certificates", token))
    items = listing["items"]
    assert len(items) >= 3
    return [(c, json.loads(get(f"/api/v1/certificates/{c['number']}/credential", token)),
             get(f"/api/v1/certificates/{c['number']}/credential.jwt", token).decode().strip()) for c in items]


def test_every_demo_certificate_verifies_with_off_the_shelf_libraries(certificates):
    for summary, credential, token in certificates:
        assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
        assert "OpenBadgeCredential" in credential["type"]
        verify_data_integrity(credential)
        header = jwt.get_unverified_header(token)
        assert header["alg"] == "EdDSA"
        claims = jwt.decode(token, resolve_key(header["kid"]), algorithms=["EdDSA"], options={"verify_aud": False})
        assert claims["iss"] == credential["issuer"]["id"] and claims["jti"] == credential["id"]
        assert summary["number"] in json.dumps(credential, ensure_ascii=False)


def test_any_one_byte_change_fails(certificates):
    _, credential, token = certificates[0]
    tampered = copy.deepcopy(credential)
    year = tampered["validFrom"]
    tampered["validFrom"] = year[:3] + ("7" if year[3] != "7" else "8") + year[4:]
    with pytest.raises(InvalidSignature):
        verify_data_integrity(tampered)
    head, payload, sig = token.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(".".join([head, flipped, sig]), resolve_key(jwt.get_unverified_header(token)["kid"]), algorithms=["EdDSA"])


def status_bit(entry):
    listed = json.loads(get(entry["statusListCredential"]))
    verify_data_integrity(listed)
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072
    index = int(entry["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_status_lists_show_the_revoked_and_the_suspended(certificates):
    seen = {}
    for summary, credential, _ in certificates:
        entries = {e["statusPurpose"]: e for e in credential["credentialStatus"]}
        seen[summary["status"]] = (status_bit(entries["revocation"]), status_bit(entries["suspension"]))
    assert seen["valid"] == (0, 0)
    assert seen["revoked"][0] == 1
    assert seen["suspended"] == (0, 1)
