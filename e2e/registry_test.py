"""Browser test of the registry and competitions on the demo data: the lead's HR publishes its contest's results
(a pasted line with a wrong ID number is named and nothing is published; corrected, the results appear with the
level each placing recognises), reports its master studio's activity (spending above the grant is refused), and
the bureau's officer reads the registry in English. Screenshots go to $SKILLCHAIN_TEST_OUTPUT."""
from playwright.sync_api import expect

from common import BASE, OUT, signed_in


def citizen_id(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def test_hr_publishes_contest_results_and_reports_its_studio(browser):
    context, page = signed_in(browser, "hr")
    try:
        page.goto(f"{BASE}/competitions")
        page.get_by_role("link", name="智感杯视觉检测技能比武").click()
        expect(page.locator("p.muted").first).to_contain_text("待公布成绩")
        lin, gao = citizen_id("44190019850920013"), citizen_id("44190019941212024")
        wrong = gao[:-1] + ("0" if gao[-1] != "0" else "1")
        page.fill("#results", f"姓名,身份证号,名次,学生\n林芳,{lin},1,否\n高明,{wrong},2,否\n")
        page.get_by_role("button", name="公布").click()
        expect(page.locator("ul.error")).to_contain_text("第 2 行")
        expect(page.locator("p.muted").first).to_contain_text("待公布成绩")
        page.fill("#results", f"姓名,身份证号,名次,学生\n林芳,{lin},1,否\n高明,{gao},2,否\n")
        page.get_by_role("button", name="公布").click()
        expect(page.locator("p.muted").first).to_contain_text("成绩已公布")
        rows = page.locator("table.list tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text("林芳")
        expect(page.locator("body")).not_to_contain_text(lin)
        page.screenshot(path=f"{OUT}/competition-results.png", full_page=True)

        page.goto(f"{BASE}/registry")
        page.get_by_role("link", name="刘建国视觉检测技能大师工作室").click()
        page.fill("#fundingSpent", "600000")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("p.error")).to_contain_text("不能超过资助资金")
        page.fill("#fundingSpent", "260000")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("dl.facts")).to_contain_text("260,000")
        expect(page.locator("dl.facts")).to_contain_text("刘建国")
        page.screenshot(path=f"{OUT}/registry-studio.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-registry.png", full_page=True)
        raise
    finally:
        context.close()


def test_the_officer_reads_the_registry_in_english(browser):
    context, page = signed_in(browser, "gov", locale="en-US")
    try:
        page.goto(f"{BASE}/registry")
        expect(page.locator("h1")).to_have_text("Bases, studios and industrial colleges")
        expect(page.locator("table.list")).to_contain_text("Skill master studio")
        expect(page.locator("table.list")).to_contain_text("High-skill talent training base")
        page.screenshot(path=f"{OUT}/registry-en.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-registry-en.png", full_page=True)
        raise
    finally:
        context.close()
