"""Browser test of correcting records as their users do: HR corrects a person's name and phone and reads the history;
the learner downloads everything held about them and asks for a correction, which HR accepts on the person's page."""
import json

from playwright.sync_api import expect

from common import BASE, OUT, signed_in

LEAD = "东莞智感视觉科技有限公司"


def open_person(page, name):
    page.goto(f"{BASE}/people?q={name}")
    page.locator("table.list a", has_text=name).first.click()
    expect(page.locator("h1")).to_contain_text(name)


def test_hr_corrects_a_name_and_a_phone_and_sees_the_history(browser):
    context, page = signed_in(browser, "hr")
    try:
        open_person(page, "高明")
        page.click("#edit-person")
        page.fill("#name", "")
        page.fill("#phone", "123")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("p.field-error")).to_have_count(2)
        page.fill("#name", "高敏")
        page.fill("#phone", "139 0013 9024")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("h1")).to_contain_text("高敏")
        history = page.locator("#history")
        expect(history).to_contain_text("高明 → 高敏")
        expect(history).to_contain_text("138****8024 → 139****9024")
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{OUT}/person-history-390.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # Put the name back, as a second correction.
        page.click("#edit-person")
        page.fill("#name", "高明")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("h1")).to_contain_text("高明")
        expect(page.locator("#history tbody tr")).to_have_count(3)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-person-edit.png", full_page=True)
        raise
    finally:
        context.close()


def test_the_learner_downloads_their_data_and_hr_accepts_their_correction(browser):
    context, page = signed_in(browser, "learner")
    try:
        page.goto(f"{BASE}/account")
        page.click("#my-data")
        with page.expect_download() as download:
            page.click("#download-data")
        data = json.loads(open(download.value.path(), encoding="utf-8").read())
        assert {r["organization"] for r in data["records"]} >= {LEAD}, data["records"]
        assert all(len(r["citizenId"]) == 18 for r in data["records"])
        section = page.locator("section.card", has_text=LEAD)
        section.locator("summary").click()
        section.locator("select[name=field]").select_option("phone")
        section.locator("input[name=value]").fill("13900139005")
        section.locator("input[name=explanation]").fill("换了新号码")
        section.get_by_role("button", name="提交申请").click()
        expect(page.locator(".flash, [role=status]").first).to_be_visible()
        expect(page.locator("section.card", has_text=LEAD)).to_contain_text("待处理")
        page.screenshot(path=f"{OUT}/my-data.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-my-data.png", full_page=True)
        raise
    finally:
        context.close()

    context, page = signed_in(browser, "hr")
    try:
        page.goto(f"{BASE}/people?q=黄小明")
        page.locator("table.list a", has_text="黄小明").first.click()
        expect(page.locator("#corrections")).to_contain_text("13900139005")
        page.get_by_role("button", name="同意并更正").click()
        expect(page.locator("#history")).to_contain_text("139****9005")
        expect(page.locator("#history")).to_contain_text("同意更正")
    except Exception:
        page.screenshot(path=f"{OUT}/failure-correction.png", full_page=True)
        raise
    finally:
        context.close()


def test_the_new_pages_read_in_english_and_fit_a_phone(browser):
    """Account, my data, correcting a person and the accounts list, in English at 390 px: English headings, no overflow."""
    for username, path, heading in [("learner", "/account", "My account"), ("learner", "/account/data", "My data"),
                                    ("hr", "/accounts", "Accounts"), ("hr", "/organizations", "Organizations")]:
        context, page = signed_in(browser, username, locale="en-US")
        try:
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{BASE}{path}?lang=en")
            expect(page.locator("h1").first).to_contain_text(heading)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            page.screenshot(path=f"{OUT}/en-390{path.replace('/', '-')}.png", full_page=True)
        finally:
            context.close()
    context, page = signed_in(browser, "hr", locale="en-US")
    try:
        open_person(page, "高明")
        page.goto(page.url + "?lang=en")
        page.click("#edit-person")
        expect(page.locator("h1")).to_contain_text("Correct details")
        expect(page.locator("fieldset legend").first).to_contain_text("Correct the ID number")
    finally:
        context.close()
