"""Browser test of the main navigation: the bureau officer's many pages sit in menus named after the loop's stages,
one menu open at a time, closed by Escape; the header stays on one line at 1280 px. Screenshot to
$SKILLCHAIN_TEST_OUTPUT."""
from playwright.sync_api import expect

from common import BASE, OUT, signed_in


def test_the_officer_reaches_every_page_through_menus_by_stage(browser):
    context, page = signed_in(browser, "gov")
    try:
        nav = page.locator("nav.main")
        # The whole navigation fits on one line beside the brand.
        assert nav.bounding_box()["height"] < 50
        incentives = nav.locator("details.nav-group", has=page.locator("summary", has_text="激励"))
        incentives.locator("summary").click()
        expect(incentives.get_by_role("link", name="荣誉评选")).to_be_visible()
        page.screenshot(path=f"{OUT}/nav-menu.png")
        # Opening another menu closes the first; Escape closes it too.
        evaluation = nav.locator("details.nav-group", has=page.locator("summary", has_text="评价"))
        evaluation.locator("summary").click()
        expect(incentives.get_by_role("link", name="荣誉评选")).to_be_hidden()
        page.keyboard.press("Escape")
        expect(evaluation.get_by_role("link", name="证书")).to_be_hidden()
        incentives.locator("summary").click()
        incentives.get_by_role("link", name="荣誉评选").click()
        page.wait_for_url(f"{BASE}/honours")
        expect(nav.locator("summary.active")).to_have_text("激励")
    except Exception:
        page.screenshot(path=f"{OUT}/failure-nav.png", full_page=True)
        raise
    finally:
        context.close()
