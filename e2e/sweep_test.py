"""The sweep: every demo role signs in, in both languages, and opens every page its navigation offers (and the first
record each list links to), at 390 px (a phone) and 1280 px. A page fails the sweep when it is wider than the screen,
when a visible text is a phrase of the other language's catalogue (user data and codes allowed), when a table stacked
for a phone shows a value with no label, or when a link on it answers 400 or more. The public pages are swept the
same way without signing in. Screenshots of every page at 390 px go to $SKILLCHAIN_TEST_OUTPUT/sweep."""
import json
import os
import re
from urllib.parse import urlparse

from common import BASE, OUT, PASSWORD, api, token

ROLES = ["admin", "gov", "hr", "school", "master", "teacher", "trainer", "assessor", "supervisor", "learner"]
PUBLIC = ["/login", "/verify", "/notices", "/honours/notices"]
SHOTS = os.path.join(OUT, "sweep")
os.makedirs(SHOTS, exist_ok=True)
HERE = os.path.dirname(os.path.abspath(__file__))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# A Chinese "word" on a page: characters, digits and the marks that join them, between spaces and Latin text.
CJK_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef0-9+·/]+")


def _catalogs():
    loc = os.path.join(HERE, "..", "Resources", "Localizations")
    zh = json.load(open(os.path.join(loc, "zh-Hans.json"), encoding="utf-8"))
    en = json.load(open(os.path.join(loc, "en.json"), encoding="utf-8"))
    # Chinese phrases of the interface: each run of Chinese characters of two or more in a Chinese message.
    zh_runs = {r for v in zh.values() for r in CJK.findall(v) if len(r) >= 2}
    # English phrases: runs of two or more words between punctuation in an English message that has no Chinese twin.
    en_runs = set()
    for key, v in en.items():
        if zh.get(key) == v:
            continue
        for part in re.split(r"[^A-Za-z' ]+", v):
            words = part.split()
            if len(words) >= 2 and len(" ".join(words)) >= 8:
                en_runs.add(" ".join(words))
    return zh_runs, en_runs


ZH_RUNS, EN_RUNS = _catalogs()

# Everything the checks need, measured in the page itself.
MEASURE = """() => {
  const visible = el => { const s = getComputedStyle(el); return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0; };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement, t = n.textContent.trim();
    if (!t || !el || el.closest('script,style,[translate=no],code,pre,svg,option,textarea') || !visible(el)) continue;
    texts.push(t);
  }
  const unlabelled = [];
  for (const table of document.querySelectorAll('main table')) {
    if (!visible(table)) continue;
    const head = table.querySelector('thead');
    const headShown = head ? visible(head) && head.getBoundingClientRect().height > 0 : table.querySelector('th') !== null;
    if (headShown) continue;
    for (const td of table.querySelectorAll('tbody td')) {
      if (!visible(td) || !td.innerText.trim() || td.classList.contains('actions')) continue;
      const before = getComputedStyle(td, '::before').content;
      if (!before || before === 'none' || before === '""' || before === 'normal') unlabelled.push(td.innerText.trim().slice(0, 40));
    }
  }
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  return { width: document.documentElement.scrollWidth, viewport: window.innerWidth, texts, unlabelled, links };
}"""


def _language_problems(texts, lang):
    found = []
    for t in texts:
        if lang == "en":
            # A Chinese word that is a whole phrase of the interface: an untranslated string. Names made of such
            # phrases ("…岗位+培训班", "…（四级）2026 年第一批") are one longer word, user data.
            found += [w for w in (m.strip("：:，。、；") for m in CJK_TOKEN.findall(t)) if w in ZH_RUNS]
        else:
            found += [p for p in EN_RUNS if p in t and re.search(r"(?<![A-Za-z])" + re.escape(p) + r"(?![A-Za-z])", t)]
    return found


def _sweep_page(page, path, label, lang, problems, check_links, seen_links):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(BASE + path)
        status = response.status if response else 0
        if status >= 400:
            problems.append(f"{label} {path}: answers {status}")
            return []
        m = page.evaluate(MEASURE)
        where = f"{label} {lang} {width}px {path}"
        if m["width"] > m["viewport"] + 1:
            problems.append(f"{where}: page is {m['width']} px wide")
        if width == 390:
            for cell in m["unlabelled"][:3]:
                problems.append(f"{where}: table value without a label: {cell!r}")
            name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "home"
            page.screenshot(path=f"{SHOTS}/{label}-{lang}-{name}.png", full_page=True)
        else:
            for leak in sorted(set(_language_problems(m["texts"], lang)))[:5]:
                problems.append(f"{where}: text in the other language: {leak!r}")
    if check_links:
        for href in m["links"]:
            u = urlparse(href)
            if u.netloc != urlparse(BASE).netloc or href in seen_links or u.path.startswith("/logout") or "lang=" in u.query:
                continue
            seen_links.add(href)
            r = page.request.get(href, max_redirects=3)
            if r.status >= 400:
                problems.append(f"{label} {path}: link {u.path}?{u.query} answers {r.status}")
    return m["links"]


def _nav_paths(page):
    hrefs = page.eval_on_selector_all("nav.main a[href]", "els => els.map(a => a.getAttribute('href'))")
    return ["/"] + [h for h in dict.fromkeys(hrefs) if h.startswith("/") and h != "/"]


def _first_records(page, paths):
    """The pages the first row of each list links to (its record, its edit form, its matches …)."""
    details = []
    for path in paths:
        page.goto(BASE + path)
        hrefs = page.eval_on_selector_all("main table tbody tr:first-child a[href^='/']", "els => els.map(a => a.getAttribute('href'))")
        for h in hrefs[:4]:
            if h.split("?")[0] not in paths and h not in details and "/export" not in h and ".csv" not in h and ".json" not in h \
                    and ".jwt" not in h and "/print" not in h:
                details.append(h)
    return details


def _sweep_role(browser, username):
    problems, seen_links, count = [], set(), 0
    for locale, lang in (("zh-CN", "zh"), ("en-US", "en")):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        page = context.new_page()
        try:
            if username:
                page.goto(f"{BASE}/login")
                page.fill("#username", username)
                page.fill("#password", PASSWORD)
                page.click("button[type=submit].primary")
                page.wait_for_url(f"{BASE}/")
                paths = _nav_paths(page)
                paths += _first_records(page, paths)
            else:
                # A verification result too: the page a person lands on after scanning a certificate.
                items = json.loads(api("/api/v1/certificates", token("hr")))["items"]
                paths = PUBLIC + [f"/verify/{items[0]['number']}"]
            for path in paths:
                _sweep_page(page, path, username or "public", lang, problems, lang == "zh", seen_links)
                count += 1
        finally:
            context.close()
    return count, problems


def test_every_page_of_every_role_fits_a_phone_speaks_one_language_and_links_nowhere_broken(browser):
    report, everything = [], []
    for username in ROLES + [None]:
        count, problems = _sweep_role(browser, username)
        report.append(f"{username or 'public'}: {count} pages, {len(problems)} problems")
        everything += problems
    with open(os.path.join(SHOTS, "report.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(report + [""] + everything) + "\n")
    assert not everything, "\n".join(everything[:80]) + f"\n({len(everything)} problems)"
