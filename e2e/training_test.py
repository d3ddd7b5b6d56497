"""Browser test of the training side on the demo data: the partner school approves the cooperation
agreement it is waiting on, and the enterprise master logs hours for an apprentice. Screenshots go to
$SKILLCHAIN_TEST_OUTPUT. Needs the demo server of scripts/test (fresh demo data each run)."""
from playwright.sync_api import expect

from common import OUT, signed_in


def test_school_approves_the_cooperation_agreement(browser):
    context, page = signed_in(browser, "school")
    try:
        # The home page names the agreement waiting for the school.
        page.get_by_role("link", name="确认校企合作协议：来料质检员 项目制培训（岗位需求+技能培训+就业服务）").click()
        agreement = page.locator("article.agreement", has=page.locator("text=东莞智造技师学院"))
        expect(agreement.locator(".status")).to_have_text("待您确认：请批准或退回")
        # Returning needs a reason: the page says so and nothing changes.
        agreement.get_by_role("button", name="退回修改").click()
        expect(page.locator(".field-error")).to_contain_text("退回协议须说明原因")
        page.screenshot(path=f"{OUT}/agreement-reason-required.png", full_page=True)
        agreement = page.locator("article.agreement", has=page.locator("text=东莞智造技师学院"))
        agreement.get_by_role("button", name="同意并生效").click()
        expect(page.locator(".flash")).to_have_text("协议已生效。")
        expect(page.locator("article.agreement", has=page.locator("text=东莞智造技师学院")).locator(".status")).to_have_text("已生效")
        page.screenshot(path=f"{OUT}/agreement-approved.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-agreement.png", full_page=True)
        raise
    finally:
        context.close()


def test_master_logs_hours_for_an_apprentice(browser):
    context, page = signed_in(browser, "master")
    try:
        page.get_by_role("link", name="记录学时：王强").click()
        before = page.locator("text=累计出勤学时").inner_text()
        page.fill("#hours", "13")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("#hours + .field-error, .field-error").first).to_contain_text("应在 1 到 12 之间")
        page.fill("#hours", "4")
        page.select_option("#category", "professionalBasics")
        page.fill("#assessment", "读图准确")
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".flash")).to_have_text("学时已记录。")
        expect(page.locator("table.list").last).to_contain_text("读图准确")
        after = page.locator("text=累计出勤学时").inner_text()
        assert int(after.split("：")[1]) == int(before.split("：")[1]) + 4
        page.screenshot(path=f"{OUT}/hours-logged.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-hours.png", full_page=True)
        raise
    finally:
        context.close()


def test_learner_sees_own_training_in_english(browser):
    context, page = signed_in(browser, "learner", locale="en-US")
    try:
        page.get_by_role("link", name="My training: 工业机器人系统运维员 岗位+培训班").click()
        expect(page.locator("h1")).to_have_text("黄小明")
        expect(page.locator("dl.facts")).to_contain_text("张师傅")
        expect(page.locator("dl.facts")).to_contain_text("孙老师")
        # A learner reads, but does not log hours.
        expect(page.locator("#log-hours")).to_have_count(0)
        page.screenshot(path=f"{OUT}/learner-en.png", full_page=True)
    finally:
        context.close()
