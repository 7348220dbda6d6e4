"""The HTML reports in a real browser: Debian's headless Chromium driven by Selenium.

What a moderator sees is what the browser builds, not what the template wrote: these
tests read the DOM Chromium made of each page (``textContent``, elements, attributes,
``document.title``) and check that hostile input stays inert text there and that the
families list names every family. Skipped when chromium, chromedriver or selenium is
absent (``.ci/run`` installs them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spindetect.crawl.records import ClusterRecord, PairRecord, ScanResult
from spindetect.crawl.scanning import scan
from spindetect.render.html_report import render_compare_html, render_scan_html
from spindetect.sources.document import Document
from spindetect.synth import generate_crawl

ROOT = Path(__file__).resolve().parents[2]
PAN13 = ROOT.parent / "shared" / "corpora" / "pan13"

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("chromedriver") is None,
    reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)

# What hostile content would do if it ran: change the title or set a flag.
PWN = "document.title='pwned';window.__pwned=1"
SCRIPT = f"<script>{PWN}</script>"
ONERROR = f'<img src=x onerror="{PWN}">'
RLO = "\u202e"  # right-to-left override: 'evil\u202etxt.exe' shows as 'evilexe.txt'


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    pytest.importorskip("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1280,900")
    options.binary_location = str(shutil.which("chromium"))
    driver = webdriver.Chrome(service=Service(str(shutil.which("chromedriver"))), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_page(browser: Any, tmp_path: Path, html: str, name: str = "report.html") -> Any:
    """Write ``html`` to a file and open it; return the browser on that page."""
    page = tmp_path / name
    page.write_text(html, encoding="utf-8")
    browser.get("about:blank")
    browser.get(page.as_uri())
    return browser


def js(browser: Any, script: str, *args: Any) -> Any:
    return browser.execute_script(script, *args)


def family_rows(browser: Any) -> list[dict[str, str]]:
    """Each row of the families list: the family link and the representative cell's text."""
    return list(
        js(
            browser,
            "return [...document.querySelectorAll('table.families tr.family')].map(r => ({"
            "  link: r.cells[0].textContent, href: r.cells[0].querySelector('a').hash,"
            "  rep: r.querySelector('td.rep').textContent}));",
        )
    )


def assert_inert(browser: Any, title: str) -> None:
    """No script ran and no element can run or load one."""
    assert js(browser, "return document.title;") == title
    assert js(browser, "return window.__pwned === undefined;") is True
    active = (
        "script, img, iframe, object, embed, link, form, svg, math, base, meta[http-equiv=refresh]"
    )
    assert js(browser, f"return document.querySelectorAll('{active}').length;") == 0
    handlers = js(
        browser,
        "return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name));",
    )
    assert handlers == []
    hrefs = js(
        browser, "return [...document.querySelectorAll('[href]')].map(e => e.getAttribute('href'));"
    )
    assert all(h.startswith("#") for h in hrefs), hrefs


# -- the families list names every family ---------------------------------------------------


@pytest.fixture(scope="module")
def crawl_report() -> tuple[ScanResult, dict[str, str | None]]:
    docs = [
        Document(id=d.id, text=d.text, title=d.title, url=d.url)
        for d in generate_crawl(200, seed=11, doc_words=250)
    ]
    return scan(docs, explain=3), {d.id: d.url for d in docs}


def test_generated_crawl_families_list_names_each_representative(
    browser: Any, tmp_path: Path, crawl_report: tuple[ScanResult, dict[str, str | None]]
) -> None:
    result, urls = crawl_report
    assert len(result.clusters) >= 10  # the check below covers many families
    open_page(browser, tmp_path, render_scan_html(result, urls=urls))
    rows = family_rows(browser)
    assert [r["link"] for r in rows] == [c.id for c in result.clusters]
    for row, c in zip(rows, result.clusters, strict=True):
        assert row["href"] == f"#family-{c.id}"
        assert c.representative in row["rep"]
        rep_title, rep_url = c.titles.get(c.representative), urls[c.representative]
        assert rep_title and rep_title in row["rep"], (c.id, row["rep"])
        assert rep_url and rep_url in row["rep"], (c.id, row["rep"])
    assert_inert(browser, "spindetect scan report")


def test_a_family_link_opens_that_family(
    browser: Any, tmp_path: Path, crawl_report: tuple[ScanResult, dict[str, str | None]]
) -> None:
    result, urls = crawl_report
    open_page(browser, tmp_path, render_scan_html(result, urls=urls))
    third = result.clusters[2]
    is_open = f"return document.getElementById('family-{third.id}').closest('details').open;"
    assert js(browser, is_open) is False  # only the first family starts open
    browser.find_element("css selector", f"a[href='#family-{third.id}']").click()
    assert js(browser, is_open) is True
    members = js(
        browser,
        f"return [...document.querySelectorAll('#family-{third.id} table.members td:first-child')]"
        ".map(td => td.firstChild.textContent);",
    )
    assert sorted(members) == sorted(third.members)
    assert members[0] == third.representative


@pytest.mark.shared
@pytest.mark.skipif(not PAN13.is_dir(), reason="../shared/corpora/pan13 is absent")
def test_pan13_families_list_names_each_representative(browser: Any, tmp_path: Path) -> None:
    """The first 300 pan13 suspicious documents (plain text: no titles, the id names a family)."""
    paths = sorted((PAN13 / "susp").glob("*.txt"))[:300]
    docs = [Document(id=p.name, text=p.read_text(encoding="utf-8")) for p in paths]
    result = scan(docs, explain=2)
    assert result.clusters
    open_page(browser, tmp_path, render_scan_html(result))
    rows = family_rows(browser)
    assert [r["link"] for r in rows] == [c.id for c in result.clusters]
    for row, c in zip(rows, result.clusters, strict=True):
        assert c.representative in row["rep"]
    assert_inert(browser, "spindetect scan report")


# -- hostile content stays inert ------------------------------------------------------------


def hostile_result() -> tuple[ScanResult, dict[str, str | None]]:
    evil = f"doc{ONERROR}{RLO}txt.exe\x1b[2J"
    rep = f"rep{SCRIPT}"
    pair = PairRecord(
        rep, evil, "spun", 0.9, {"skeleton": 0.7, "content": 0.5, "shared": 9.0}, "c1"
    )
    partial = PairRecord(f"p{SCRIPT}", evil, "partial", 0.4, {"shared": 5.0})
    cluster = ClusterRecord(
        id="c1",
        members=(rep, evil),
        representative=rep,
        verdicts={"spun": 1},
        titles={rep: f"Title {SCRIPT}{RLO}", evil: f"{ONERROR}\x00\x07"},
        links=[{"domain": f"x{SCRIPT}", "members": 2, "hrefs": [f"javascript:{PWN}"]}],
        beneficiaries=[{"domain": f"x{SCRIPT}", "members": 2, "hrefs": [f"javascript:{PWN}"]}],
        explained=True,
        title_mismatch=[evil],
        inserted={evil: [SCRIPT, "</details></table><h1>owned</h1>"]},
        template=[f"<style>body{{display:none}}</style>{SCRIPT}"],
    )
    summary = {"documents": 3, "pairs": {"spun": 1, "partial": 1}, "clusters": 1}
    urls = {rep: f"javascript:{PWN}", evil: f"data:text/html,{SCRIPT}"}
    return ScanResult([pair, partial], [cluster], summary), urls


def test_hostile_ids_titles_and_links_stay_text_in_the_browser(
    browser: Any, tmp_path: Path
) -> None:
    result, urls = hostile_result()
    open_page(browser, tmp_path, render_scan_html(result, urls=urls, title=f"t{SCRIPT}"))
    assert_inert(browser, f"t{SCRIPT}")
    text = js(browser, "return document.body.textContent;")
    for shown in (SCRIPT, ONERROR, f"javascript:{PWN}", "</details></table><h1>owned</h1>"):
        assert shown in text, shown
    assert js(browser, "return document.querySelectorAll('h1').length;") == 1
    assert js(browser, "return getComputedStyle(document.body).display;") == "block"
    # Bidi overrides and control characters are spelled out, never acting.
    assert RLO not in text and "\x1b" not in text and "\x07" not in text
    assert "\\u202etxt.exe\\x1b[2J" in text and "\\x00\\x07" in text
    rows = family_rows(browser)
    assert (
        len(rows) == 1 and f"rep{SCRIPT}" in rows[0]["rep"] and f"Title {SCRIPT}" in rows[0]["rep"]
    )


def test_hostile_compare_page_stays_inert(browser: Any, tmp_path: Path) -> None:
    from spindetect.pairwise.comparison import compare

    body = "the quick brown fox jumps over the lazy dog near the river bank today " * 6
    a = f"{SCRIPT} {body} {ONERROR} {RLO}end"
    b = f"{ONERROR} {body.replace('quick', 'rapid')} {SCRIPT}"
    page = render_compare_html(compare(a, b), names=(f"a{SCRIPT}.txt", f"b{RLO}.txt"))
    open_page(browser, tmp_path, page)
    assert_inert(browser, "spindetect comparison")
    text = js(browser, "return document.body.textContent;")
    assert f"a{SCRIPT}.txt" in text and SCRIPT in text and RLO not in text


@pytest.mark.parametrize(
    "payload",
    [SCRIPT, ONERROR, f'<a href="#" id="x" style="x" onfocus="{PWN}" autofocus>x</a>'],
)
def test_csp_stops_markup_that_escaped_the_escaping(
    browser: Any, tmp_path: Path, payload: str
) -> None:
    """Defence in depth: raw markup injected into a rendered page still runs nothing.

    The same page without its Content-Security-Policy runs the payload: the probe works.
    """
    result, _ = hostile_result()
    html = render_scan_html(result).replace("<body>", f"<body>{payload}", 1)
    open_page(browser, tmp_path, html, "csp.html")
    assert js(browser, "return [document.title, window.__pwned === undefined];") == [
        "spindetect scan report",
        True,
    ]
    csp = '<meta http-equiv="Content-Security-Policy"'
    assert csp in html
    bare = html.replace(csp, "<meta data-removed", 1)
    open_page(browser, tmp_path, bare, "bare.html")
    browser.implicitly_wait(0)
    ran = js(browser, "return [document.title, window.__pwned];")
    assert ran == ["pwned", 1]


# -- a large family stays readable ----------------------------------------------------------


def big_family(n: int) -> ScanResult:
    members = tuple(f"https://spam{k % 37}.example/post/{k}" for k in range(n))
    pairs = [
        PairRecord(members[i], members[j], "spun", 0.5 + ((i * 31 + j) % 500) / 1000, {}, "c1")
        for i in range(n)
        for j in range(i + 1, n)
    ]
    cluster = ClusterRecord(
        id="c1",
        members=members,
        representative=members[0],
        verdicts={"spun": len(pairs)},
        titles={m: f"Cheap offer number {k % 50}" for k, m in enumerate(members)},
        links=[
            {"domain": f"d{k}.example", "members": 2, "hrefs": [f"https://d{k}.example/"]}
            for k in range(60)
        ],
        beneficiaries=[],
        explained=True,
        inserted={m: [f"phrase {k}" for k in range(12)] for m in members},
    )
    summary = {"documents": n, "pairs": {"spun": len(pairs)}, "clusters": 1}
    return ScanResult(pairs, [cluster], summary)


def test_a_400_member_family_stays_a_readable_page(browser: Any, tmp_path: Path) -> None:
    result = big_family(400)
    assert len(result.pairs) == 79_800
    html = render_scan_html(result)
    assert len(html.encode()) < 600_000
    open_page(browser, tmp_path, html)
    count = "return document.querySelectorAll(arguments[0]).length;"
    assert js(browser, count, "#family-c1 table.members tr") == 1 + 200  # head + rows
    others = js(browser, "return document.querySelector('#family-c1 p.ids').textContent;")
    assert others.split(", ") == list(result.clusters[0].members[200:])  # the others, by id
    assert js(browser, count, "#family-c1 table:last-of-type tr") == 1 + 20  # strongest pairs
    assert js(browser, count, "#family-c1 ul.phrases li") <= 3 * 200
    assert js(browser, count, "*") < 8_000
    text = " ".join(js(browser, "return document.body.innerText;").split())
    assert "79,800 verified pairs" in text and "The 20 strongest are listed" in text
    assert "200 more members" in text
    # Members are ordered representative first, then as the scan listed them.
    first = js(
        browser,
        "return document.querySelector('#family-c1 table.members td:first-child').textContent;",
    )
    assert first == result.clusters[0].representative


def many_families(n: int) -> ScanResult:
    clusters, pairs = [], []
    for k in range(n):
        a, b = f"f{k}-a", f"f{k}-b"
        clusters.append(
            ClusterRecord(
                id=f"c{k + 1}",
                members=(a, b),
                representative=a,
                verdicts={"spun": 1},
                titles={a: f"Article {k}", b: None},
                links=[],
                beneficiaries=[],
            )
        )
        pairs.append(PairRecord(a, b, "spun", 0.9, {}, f"c{k + 1}"))
    return ScanResult(pairs, clusters, {"documents": 2 * n, "clusters": n})


def test_families_past_the_first_hundred_wait_closed_and_a_link_opens_them(
    browser: Any, tmp_path: Path
) -> None:
    result = many_families(250)
    page = tmp_path / "many.html"
    page.write_text(render_scan_html(result), encoding="utf-8")
    browser.get("about:blank")
    browser.get(page.as_uri())
    rows = family_rows(browser)
    assert [r["link"] for r in rows] == [c.id for c in result.clusters]  # all in the DOM
    laid_out = (  # checkVisibility: false inside a closed <details> (skipped, not laid out)
        "return [...document.querySelectorAll(arguments[0])]"
        ".filter(e => e.checkVisibility()).length;"
    )
    assert js(browser, laid_out, "table.families tr.family") == 100  # the rest wait closed
    assert js(browser, laid_out, "details.family") == 100
    browser.get(page.as_uri() + "#family-c180")  # a family in the second group of blocks
    state = js(
        browser,
        "const b = document.getElementById('family-c180');"
        "return [b.closest('details.family').open, b.closest('details.more').open,"
        " b.checkVisibility(), b.textContent.includes('Article 179')];",
    )
    assert state == [True, True, True, True]
