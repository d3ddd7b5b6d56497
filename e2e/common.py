"""What every browser test shares: where the demo server is, the demo password, where screenshots go, and signing in."""
import json
import os
import urllib.error
import urllib.request

BASE = os.environ.get("SKILLCHAIN_BASE_URL", "http://127.0.0.1:8080")
PASSWORD = os.environ["SKILLCHAIN_DEMO_PASSWORD"]
OUT = os.environ.get("SKILLCHAIN_TEST_OUTPUT", "test-output")
os.makedirs(OUT, exist_ok=True)


def sign_in(page, username, base=None):
    """Signs a page in as a demo user (on the demo server, or on `base`) and waits for the home page."""
    base = base or BASE
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def signed_in(browser, username, locale="zh-CN"):
    """A fresh context (1280×900, the given locale) signed in as a demo user, on the home page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    sign_in(page, username)
    return context, page


def api(path, token=None, body=None):
    """The body of a JSON API answer (raises on an error status)."""
    return api_status(path, token, body)[1]


def api_status(path, token=None, body=None, method=None):
    """(status, body) of a JSON API call, error statuses included."""
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                 headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def token(username, password=None):
    return json.loads(api("/api/v1/auth/token", body={"username": username, "password": password or PASSWORD}))["token"]
