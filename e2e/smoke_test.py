"""Browser smoke test: a real headless Chromium signs in as the demo `hr` user in Chinese and in
English, opens the chain page and saves screenshots under $SKILLCHAIN_TEST_OUTPUT (test-output/).

Needs a server started with `serve --demo` at $SKILLCHAIN_BASE_URL and the demo password in
$SKILLCHAIN_DEMO_PASSWORD. Run with pytest."""
import re

import pytest
from playwright.sync_api import expect

from common import BASE, PASSWORD, OUT


def sign_in(page, lang):
    page.goto(f"{BASE}/login?lang={lang}")
    page.fill("#username", "hr")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{BASE}/")


@pytest.mark.parametrize("lang,greeting,menu,chains_label,diagram_title", [
    ("zh-Hans", "王人事，您好", "生态链与机构", "生态链", "东莞智能视觉传感器产教评技能生态链 成员分工图"),
    ("en", "Hello, 王人事", "Chain & members", "Chains", "Members of 东莞智能视觉传感器产教评技能生态链 and what each provides"),
])
def test_hr_signs_in_and_sees_the_chain(browser, lang, greeting, menu, chains_label, diagram_title):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, lang)
        expect(page.locator("h1")).to_have_text(greeting)
        page.screenshot(path=f"{OUT}/home-{lang}.png", full_page=True)
        page.locator("nav.main summary", has_text=menu).click()
        page.get_by_role("link", name=chains_label, exact=True).click()
        page.get_by_role("link", name="东莞智能视觉传感器产教评技能生态链").click()
        expect(page.locator("svg.chain-diagram title")).to_have_text(diagram_title)
        # every member drawn in the diagram and listed in the table
        for name in ["东莞智感视觉科技有限公司", "东莞精密光学器件有限公司", "东莞智造技师学院", "东莞市人力资源和社会保障局"]:
            expect(page.locator("table.list").first).to_contain_text(name)
        expect(page.locator("svg.chain-diagram g.node")).to_have_count(6)
        page.screenshot(path=f"{OUT}/chain-{lang}.png", full_page=True)
        # people are masked on screen
        page.goto(f"{BASE}/people")
        expect(page.locator("table.list")).to_contain_text("4419**********")
        assert not re.search(r"\b44190019\d{10}\b", page.content())
        page.screenshot(path=f"{OUT}/people-{lang}.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-{lang}.png", full_page=True)
        raise
    finally:
        context.close()


def test_phone_layout_and_login_error(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{BASE}/login")
    page.fill("#username", "hr")
    page.fill("#password", "wrong password")
    page.click("button[type=submit].primary")
    expect(page.locator("p.error")).to_have_text("用户名或密码不正确。")
    page.screenshot(path=f"{OUT}/login-error-phone.png", full_page=True)
    context.close()
