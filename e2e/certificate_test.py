"""Browser test of certificate verification on the demo data: a demo certificate verifies by number; its credential
pasted with one character changed is reported as tampered, naming the failed check."""
import json
import subprocess

from playwright.sync_api import expect

from common import BASE, PASSWORD, OUT, api, sign_in


def test_verify_by_number_then_a_tampered_copy(browser):
    token = json.loads(api("/api/v1/auth/token", body={"username": "hr", "password": PASSWORD}))["token"]
    certs = json.loads(api("/api/v1/certificates", token))["items"]
    valid = next(c for c in certs if c["status"] == "valid")
    revoked = next(c for c in certs if c["status"] == "revoked")
    credential = api(f"/api/v1/certificates/{valid['number']}/credential", token)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{BASE}/verify")
        page.fill("#number", valid["number"])
        page.fill("#name", valid["holderName"])
        page.get_by_role("button", name="查验").click()
        expect(page.locator("#verify-status")).to_have_text("有效")
        expect(page.locator("#result")).to_contain_text(valid["citizenIdMasked"])
        page.screenshot(path=f"{OUT}/verify-valid.png", full_page=True)
        page.goto(f"{BASE}/verify/{revoked['number']}")
        expect(page.locator("#verify-status")).to_have_text("已撤销")
        expect(page.locator("#result")).to_contain_text("签发有误")
        # The untouched credential verifies; with one character of the holder's name changed it does not.
        page.goto(f"{BASE}/verify")
        page.fill("#credential", credential)
        page.get_by_role("button", name="检查").click()
        expect(page.locator("#verify-status")).to_have_text("有效")
        tampered = credential.replace(valid["holderName"], valid["holderName"][:-1] + "丽", 1)
        assert tampered != credential
        page.fill("#credential", tampered)
        page.get_by_role("button", name="检查").click()
        expect(page.locator("#verify-status")).to_have_text("已被篡改或无法验证")
        expect(page.locator("ul.checks li.fail")).to_contain_text("内容已被改动，签名不符")
        page.screenshot(path=f"{OUT}/verify-tampered.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-verify.png", full_page=True)
        raise
    finally:
        context.close()


def test_the_printed_certificate_carries_a_qr_code_that_scans_to_the_verification_page(browser):
    context = browser.new_context(viewport={"width": 900, "height": 1200}, locale="zh-CN")
    page = context.new_page()
    try:
        sign_in(page, "hr")
        page.goto(f"{BASE}/certificates")
        number = page.locator("table.list code").first.inner_text()
        page.goto(f"{BASE}/certificates/{number}/print")
        expect(page.locator("h1")).to_have_text("职业技能等级证书")
        expect(page.locator("dd.number")).to_have_text(number)
        expect(page.locator("main.certificate")).to_contain_text("jndj.osta.org.cn")
        page.screenshot(path=f"{OUT}/certificate-print.png", full_page=True)
        qr = f"{OUT}/certificate-qr.png"
        page.locator(".qr:not(.offline) svg").screenshot(path=qr)
        decoded = subprocess.run(["zbarimg", "--quiet", "--raw", qr], capture_output=True, text=True, check=True).stdout.strip()
        # The printed link carries the certificate's secret, so scanning it shows the holder's full name ...
        assert decoded.startswith(f"{BASE}/verify/{number}?k="), decoded
        page.goto(decoded)
        expect(page.locator("#verify-status")).to_be_visible()
        expect(page.locator("#name-masked")).to_have_count(0)
        # ... while the number alone shows the name masked and says how to see it.
        page.goto(f"{BASE}/verify/{number}")
        expect(page.locator("#name-masked")).to_be_visible()
    except Exception:
        page.screenshot(path=f"{OUT}/failure-print.png", full_page=True)
        raise
    finally:
        context.close()


def test_the_printed_certificate_verifies_offline_with_cose_libraries(browser):
    """The second QR (SC1: + Base45 + zlib + COSE_Sign1) read by zbarimg and checked with base45, zlib, cbor2 and
    pycose against the body's key from its DID document; one changed byte of the payload fails."""
    import base64 as b64
    import hashlib
    import json
    import urllib.request
    import zlib

    import base45
    import base58
    import cbor2
    from pycose.keys import OKPKey
    from pycose.keys.curves import Ed25519
    from pycose.messages import Sign1Message

    # Printed at 300 dpi a module is half a millimetre; the screenshot is taken at three times the screen density.
    context = browser.new_context(viewport={"width": 900, "height": 1400}, locale="zh-CN", device_scale_factor=3)
    page = context.new_page()
    try:
        sign_in(page, "hr")
        page.goto(f"{BASE}/certificates")
        number = page.locator("table.list code").first.inner_text()
        page.goto(f"{BASE}/certificates/{number}/print")
        qr = f"{OUT}/certificate-offline-qr.png"
        page.locator(".qr.offline svg").screenshot(path=qr)
        text = subprocess.run(["zbarimg", "--quiet", "--raw", qr], capture_output=True, text=True, check=True).stdout.strip()
        assert text.startswith("SC1:"), text[:20]
        raw = zlib.decompress(base45.b45decode(text[4:]))
        tagged = cbor2.loads(raw)
        assert tagged.tag == 18, "COSE_Sign1"
        # (cbor2 gives a tagged array as a tuple and its map as a frozendict, which pycose's decode() refuses.)
        protected, unprotected, payload, signature = tagged.value
        message = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, signature], True)
        claims = cbor2.loads(message.payload)
        assert claims["number"] == number and claims["issuer"].startswith("did:web:")
        kid = message.phdr[next(k for k in message.phdr if getattr(k, "identifier", k) == 4)]
        did = claims["issuer"]
        host, path = did.split(":")[2].replace("%3A", ":"), "/".join(did.split(":")[3:])
        document = json.loads(urllib.request.urlopen(f"http://{host}/{path}/did.json").read())
        keys = [base58.b58decode(m["publicKeyMultibase"][1:])[2:] for m in document["verificationMethod"]]
        key = next(k for k in keys if hashlib.sha256(k).digest()[:8] == kid)
        message.key = OKPKey(crv=Ed25519, x=key)
        assert message.verify_signature()
        changed = bytearray(message.payload)
        changed[-1] ^= 1
        message.payload = bytes(changed)
        assert not message.verify_signature()
    except Exception:
        page.screenshot(path=f"{OUT}/failure-offline-qr.png", full_page=True)
        raise
    finally:
        context.close()
