"""Browser test of evaluation on the demo data: the learner sits the online theory exam (answers survive a
reload; hand-in is held until the minimum time), an assessor scores a candidate blind, and the public notice
shows results with masked ID numbers and takes an objection. Needs the demo server of scripts/test."""
import re
import time

from playwright.sync_api import expect

from common import BASE, OUT, signed_in

FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


def test_learner_exam_assessor_scoring_and_public_notice(browser):
    learner, exam = signed_in(browser, "learner")
    try:
        # The learner opens the exam: the clock starts and the paper is drawn from the bank.
        exam.goto(f"{BASE}/exams")
        exam.get_by_role("link", name="进入考试").click()
        expect(exam.locator("fieldset.question")).to_have_count(10)
        started = time.monotonic()
        expect(exam.locator("#submit-exam")).to_be_disabled()
        expect(exam.locator("#too-early")).to_contain_text("后可交卷")
        # Answer every question (first choice); each answer is saved as the learner goes.
        questions = exam.locator("fieldset.question")
        for i in range(questions.count()):
            q = questions.nth(i)
            q.locator("input").first.check()
            if q.get_attribute("data-kind") == "multiple":
                q.locator("input").nth(1).check()
        expect(exam.locator("#answered")).to_have_text("10")
        expect(exam.locator("#save-state")).to_have_text("已保存")
        exam.wait_for_timeout(500)
        # A reload (or a dropped connection) loses nothing.
        exam.reload()
        expect(exam.locator("fieldset.question input:checked")).to_have_count(exam.locator("fieldset.question").count()
                                                                           + exam.locator("fieldset.question[data-kind=multiple]").count())
        exam.screenshot(path=f"{OUT}/exam-in-progress.png", full_page=True)

        # Meanwhile the assessor scores a candidate of the running batch, without seeing ID numbers.
        judge, page = signed_in(browser, "assessor", locale="en-US")
        try:
            page.goto(f"{BASE}/evaluation-plans")
            page.get_by_role("link", name=re.compile("（四级）.*第二批")).click()
            body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
            assert not FULL_ID.search(body) and "**********" not in body, "an assessor must not see ID numbers"
            page.get_by_role("link", name="黄小明").click()
            expect(page.locator("text=You see the other assessors' scores once you have submitted yours.")).to_be_visible()
            # The score sheet has one line per criterion of the standard's skill weight table.
            page.fill("#criteria-skillRequirements", "101")
            page.get_by_role("button", name="Submit score").click()
            expect(page.locator(".field-error")).to_contain_text("100")
            page.fill("#criteria-skillRequirements", "86.5")
            page.get_by_role("button", name="Submit score").click()
            expect(page.locator(".flash")).to_have_text("Score submitted.")
            expect(page.locator("table.list")).to_contain_text("86.5")
            expect(page.get_by_role("button", name="Submit score")).to_have_count(0)
            page.screenshot(path=f"{OUT}/assessor-scored.png", full_page=True)
        finally:
            judge.close()

        # The public notice needs no sign-in, shows masked IDs only and takes an objection.
        public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        try:
            notice = public.new_page()
            notice.goto(f"{BASE}/notices")
            expect(notice.locator("h1")).to_have_text("评价结果公示")
            expect(notice.locator("table.list").first).to_contain_text("马丽")
            expect(notice.locator("table.list").first).to_contain_text("4419**********")
            assert not FULL_ID.search(notice.content())
            expect(notice.locator("table.list").first).not_to_contain_text("徐静")  # failed: not on the notice
            notice.locator("summary", has_text="提出异议").first.click()
            notice.get_by_role("button", name="提交异议").first.click()
            expect(notice.locator(".field-error").first).to_be_visible()
            notice.locator("input[name=candidate]").first.fill("马丽")
            notice.locator("textarea[name=text]").first.fill("请核实该考生的工作年限。")
            notice.locator("input[name=contact]").first.fill("13900139001")
            notice.get_by_role("button", name="提交异议").first.click()
            expect(notice.locator("p.ok")).to_contain_text("异议已提交")
            notice.screenshot(path=f"{OUT}/notice-phone.png", full_page=True)
        finally:
            public.close()

        # Back to the exam: hand-in opens after the minimum minute and scores the paper.
        remaining = 62 - (time.monotonic() - started)
        if remaining > 0:
            exam.wait_for_timeout(remaining * 1000)
        expect(exam.locator("#submit-exam")).to_be_enabled(timeout=15000)
        exam.locator("#submit-exam").click()
        expect(exam.locator(".flash")).to_have_text("试卷已交。")
        expect(exam.locator("#exam-result")).to_contain_text("理论成绩")
        exam.screenshot(path=f"{OUT}/exam-handed-in.png", full_page=True)
        exam.goto(f"{BASE}/exams")
        expect(exam.locator("td[data-label='理论知识']").first).to_have_text(re.compile(r"^\d"))
    except Exception:
        exam.screenshot(path=f"{OUT}/failure-exam.png", full_page=True)
        raise
    finally:
        learner.close()
