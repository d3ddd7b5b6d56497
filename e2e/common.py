"""What every browser test shares: where the demo server is, the demo password, where screenshots go, and signing in."""
import os

BASE = os.environ.get("SKILLCHAIN_BASE_URL", "http://127.0.0.1:8080")
PASSWORD = os.environ["SKILLCHAIN_DEMO_PASSWORD"]
OUT = os.environ.get("SKILLCHAIN_TEST_OUTPUT", "test-output")
os.makedirs(OUT, exist_ok=True)


def signed_in(browser, username, locale="zh-CN"):
    """A fresh context (1280×900, the given locale) signed in as a demo user, on the home page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.goto(f"{BASE}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{BASE}/")
    return context, page
