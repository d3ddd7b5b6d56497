"""Browser test of accounts after creation: an officer turns on two-step verification with an independent authenticator
(pyotp) and signs in with a code; HR deactivates a master (whose token stops at once), reactivates them and resets
their password with a one-time link that the master opens."""
import json
import time

import pyotp
from playwright.sync_api import expect

from common import BASE, PASSWORD, OUT, api, api_status, token


def new_account(username, role, colleague):
    """A new login with `role` in the organization of the demo user `colleague`, made by the platform admin."""
    org = json.loads(api("/api/v1/me", token(colleague)))["organizationId"]
    status, body = api_status("/api/v1/memberships", token("admin"), {"username": username, "displayName": username, "password": PASSWORD,
                                                                      "organizationId": org, "role": role})
    assert status == 201, body
    return json.loads(body)


def sign_in(browser, username, password=PASSWORD):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{BASE}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit].primary")
    return context, page


def test_an_officer_turns_on_two_step_verification_and_signs_in_with_a_code(browser):
    new_account("e2e-officer", "governmentOfficer", "gov")
    context, page = sign_in(browser, "e2e-officer")
    try:
        page.wait_for_url(f"{BASE}/")
        page.goto(f"{BASE}/account")
        page.get_by_role("button", name="开启两步验证").click()
        secret = page.locator("#totp-secret").inner_text()
        expect(page.locator("#second-factor svg")).to_be_visible()
        authenticator = pyotp.TOTP(secret)
        page.fill("#code", authenticator.now())
        page.get_by_role("button", name="确认开启").click()
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        page.screenshot(path=f"{OUT}/account-recovery-codes.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-totp-enrol.png", full_page=True)
        raise
    finally:
        context.close()

    context, page = sign_in(browser, "e2e-officer")
    try:
        page.wait_for_url(f"{BASE}/login/code*")
        page.fill("#code", "000000" if authenticator.now() != "000000" else "111111")
        page.get_by_role("button", name="验证").click()
        expect(page.locator("p.error")).to_contain_text("动态码不正确")
        # The code used for enrolment is spent; the authenticator's next code is inside the accepted window.
        page.fill("#code", authenticator.at(time.time() + 30))
        page.get_by_role("button", name="验证").click()
        page.wait_for_url(f"{BASE}/")
        page.goto(f"{BASE}/account")
        expect(page.locator("#second-factor")).to_contain_text("两步验证已开启")
    except Exception:
        page.screenshot(path=f"{OUT}/failure-totp-sign-in.png", full_page=True)
        raise
    finally:
        context.close()


def test_hr_deactivates_a_master_whose_token_stops_then_resets_the_password_by_link(browser):
    new_account("e2e-master", "master", "hr")
    master_token = token("e2e-master")
    assert api_status("/api/v1/me", master_token)[0] == 200
    context, page = sign_in(browser, "hr")
    try:
        page.wait_for_url(f"{BASE}/")
        page.goto(f"{BASE}/accounts")
        page.fill("#q", "e2e-master")
        page.locator("form.filters button").click()
        row = page.locator("tr", has_text="e2e-master")
        row.get_by_role("button", name="停用").click()
        expect(page.locator("tr", has_text="e2e-master")).to_contain_text("已停用")
        assert api_status("/api/v1/me", master_token)[0] == 401
        page.locator("tr", has_text="e2e-master").get_by_role("button", name="重新启用").click()
        page.locator("tr", has_text="e2e-master").get_by_role("button", name="重置密码").click()
        link = page.locator("#reset-url").input_value()
        assert link.startswith(f"{BASE}/reset/"), link
        page.screenshot(path=f"{OUT}/accounts-reset-link.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-accounts.png", full_page=True)
        raise
    finally:
        context.close()

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(link)
        page.fill("#newPassword", "e2e master's new passphrase")
        page.fill("#confirmPassword", "e2e master's new passphrase")
        page.get_by_role("button", name="设置新密码").click()
        page.wait_for_url(f"{BASE}/login*")
        assert api_status("/api/v1/auth/token", body={"username": "e2e-master", "password": PASSWORD})[0] == 401
        assert api_status("/api/v1/auth/token", body={"username": "e2e-master", "password": "e2e master's new passphrase"})[0] == 201
        page.goto(link)
        expect(page.locator("p.error")).to_contain_text("链接无效")
    except Exception:
        page.screenshot(path=f"{OUT}/failure-reset-link.png", full_page=True)
        raise
    finally:
        context.close()
