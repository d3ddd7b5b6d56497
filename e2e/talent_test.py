"""Browser test of the use side on the demo data: enterprise HR opens the matches of its 视觉检测设备装调工 position,
sees each candidate's reasons (the revoked certificate's holder is not there, the self-declared learner comes last),
invites 刘建国, and the learner sees the talent pool page. Screenshots go to $SKILLCHAIN_TEST_OUTPUT."""
import pytest
from playwright.sync_api import expect

from common import BASE, OUT, signed_in


def test_hr_finds_and_invites_a_matched_candidate(browser):
    context, page = signed_in(browser, "hr")
    try:
        page.goto(f"{BASE}/positions")
        row = page.locator("tr", has=page.locator("text=视觉检测设备装调工")).first
        row.get_by_role("link", name="匹配人才").click()
        expect(page.locator("h1")).to_contain_text("视觉检测设备装调工")
        rows = page.locator("table.matches tbody tr")
        names = [t.split(" ")[0] for t in rows.locator("td:nth-child(2)").all_inner_texts()]
        assert "孙浩" not in names  # revoked certificate: not matched
        assert names[-1].startswith("黄")  # the learner's skill is self-declared: after everyone certified
        liu = rows.filter(has=page.locator("text=刘建国"))
        expect(liu.locator("ul.factors")).to_contain_text("持有本职业证书")
        expect(liu.locator("ul.factors")).to_contain_text("等级高于要求")
        expect(rows.filter(has=page.locator("text=李娜"))).to_contain_text("已入职")
        liu.locator("input[name=message]").fill("请本周五来面谈。")
        liu.get_by_role("button", name="邀请").click()
        expect(page.locator("table.matches tbody tr", has=page.locator("text=刘建国"))).to_contain_text("已邀请")
        page.screenshot(path=f"{OUT}/matches-invited.png", full_page=True)
        page.goto(f"{BASE}/placements")
        expect(page.locator("body")).to_contain_text("李娜")
        page.screenshot(path=f"{OUT}/placements.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-matches.png", full_page=True)
        raise
    finally:
        context.close()


def test_the_learner_sees_the_talent_pool_in_english(browser):
    context, page = signed_in(browser, "learner")
    try:
        page.goto(f"{BASE}/talent-pool?lang=en")
        expect(page.locator("h1")).to_have_text("Talent pool")
        expect(page.locator("[role=status]")).to_contain_text("You are in the pool")
        page.screenshot(path=f"{OUT}/talent-pool-en.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-talent-pool.png", full_page=True)
        raise
    finally:
        context.close()


@pytest.mark.parametrize("lang,heading,gap", [("zh-CN", "培养—评价—使用—激励", "结构性就业矛盾"), ("en", "training, evaluation, use, incentives", "structural employment gap")])
def test_the_government_officer_opens_the_dashboard(browser, lang, heading, gap):
    context, page = signed_in(browser, "gov", locale=lang)
    try:
        page.goto(f"{BASE}/dashboard?lang={'en' if lang == 'en' else 'zh-Hans'}")
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.locator("#gap-h")).to_contain_text(gap)
        # The demo region is small, so it is counted for this request, and the page says when.
        expect(page.locator("#counted-at")).to_contain_text("Counted from the records at" if lang == "en" else "按记录实时统计")
        # Each chart is drawn on the server and has a table beside it.
        assert page.locator("svg.chart").count() >= 3
        expect(page.locator("section", has=page.locator("#funnel-h")).locator("table")).to_be_visible()
        page.screenshot(path=f"{OUT}/dashboard-{lang}.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-dashboard-{lang}.png", full_page=True)
        raise
    finally:
        context.close()
