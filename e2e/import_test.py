"""Browser test of an import as a new HR user meets it: the page lists what each column accepts, the English template
downloaded from the page (header and example row) is filled in with the platform's own English words and uploaded,
and the people appear. Screenshots to $SKILLCHAIN_TEST_OUTPUT."""
import os
import random

from playwright.sync_api import expect

from common import OUT, signed_in


def _citizen_id():
    """A valid 18-character citizen ID number no demo person has (GB 11643 check digit)."""
    body = f"441900{random.randint(1970, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}{random.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def test_hr_imports_a_roster_from_the_english_template_in_the_platforms_words(browser):
    context, page = signed_in(browser, "hr", locale="en-US")
    try:
        page.goto(page.url.rstrip("/") + "/people/import?lang=en")
        help_table = page.locator("table.import-columns")
        expect(help_table).to_contain_text("Technical school")
        expect(help_table).to_contain_text("技工学校/中专")
        with page.expect_download() as info:
            page.get_by_role("link", name="English template").click()
        path = info.value.path()
        text = open(path, encoding="utf-8-sig").read()
        header, example = text.splitlines()[:2]
        assert header == "Name,Citizen ID number,Mobile phone,Education,Category"
        cells = example.split(",")
        assert cells[3] == "Technical school" and cells[4] == "Employee"
        # Two people: the example row with a new number, and one in the Chinese words of the register-a-person form.
        rows = [f"Zhao Liu,{_citizen_id()},13700137001,Technical school,Employee",
                f"赵七,{_citizen_id()},13700137002,技工学校/中专,在职职工"]
        upload = os.path.join(OUT, "roster-from-template.csv")
        with open(upload, "w", encoding="utf-8") as f:
            f.write(header + "\n" + "\n".join(rows) + "\n")
        page.set_input_files("#file", upload)
        page.get_by_role("button", name="Import").click()
        expect(page.locator("p.ok")).to_contain_text("Imported 2")
        page.screenshot(path=f"{OUT}/import-from-template.png", full_page=True)
    except Exception:
        page.screenshot(path=f"{OUT}/failure-import.png", full_page=True)
        raise
    finally:
        context.close()
