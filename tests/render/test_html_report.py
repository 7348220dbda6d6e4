"""Tests of spindetect.html_report: escaping, self-containment, contents of both pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spindetect.crawl.records import ClusterRecord, PairRecord, ScanResult
from spindetect.crawl.scanning import scan
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.comparison import compare
from spindetect.render.html_report import render_compare_html, render_scan_html
from spindetect.synth.spinner import spin

ROOT = Path(__file__).resolve().parents[2]
SEED_A, SEED_B = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))[:2]
XSS = "<script>alert(1)</script>"
CSP = "default-src 'none'; style-src 'unsafe-inline'"


class Page(HTMLParser):
    """Collects tags, attributes, the text of marked runs and all visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.marked: list[tuple[str, str, str]] = []  # (tag, class, text)
        self.text: list[str] = []
        self._open: list[tuple[str, str, list[str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs.append((tag, dict(attrs)))
        if tag in {"del", "ins", "mark"}:
            self._open.append((tag, dict(attrs).get("class") or "", []))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"del", "ins", "mark"} and self._open:
            t, cls, parts = self._open.pop()
            self.marked.append((t, cls, "".join(parts)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for _, _, parts in self._open:
            parts.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def hostile_result() -> ScanResult:
    evil_id = 'doc"><img src=x onerror=alert(2)>'
    pairs = [
        PairRecord(
            "a", evil_id, "spun", 0.9, {"skeleton": 0.7, "content": 0.5, "shared": 9.0}, "c1"
        ),
        PairRecord("p", "q", "partial", 0.3, {"skeleton": 0.1, "content": 0.1, "shared": 5.0}),
    ]
    clusters = [
        ClusterRecord(
            id="c1",
            members=("a", evil_id),
            representative="a",
            verdicts={"spun": 1},
            titles={"a": f"Title {XSS}", evil_id: None},
            links=[
                {
                    "domain": "evil.example",
                    "members": 2,
                    "hrefs": ["javascript:alert(3)", "https://evil.example/?q=<b>&x=1"],
                }
            ],
            beneficiaries=[
                {
                    "domain": "evil.example",
                    "members": 2,
                    "hrefs": ["https://evil.example/?q=<b>&x=1"],
                }
            ],
            explained=True,
            title_mismatch=[evil_id],
            inserted={evil_id: [f"buy now {XSS}", "</details></table><h1>owned</h1>"]},
            template=["{{ 7 * 7 }} {% raw %} template text"],
        )
    ]
    summary = {
        "documents": 4,
        "candidates": 3,
        "pairs": {"spun": 1, "partial": 1},
        "clusters": 1,
        "clustered_documents": 2,
        "largest_cluster": 2,
        "skipped": {
            "documents": 4,
            "skipped": 1,
            "duplicates": 0,
            "counts": {"binary": 1},
            "records": [
                {
                    "category": "binary",
                    "source": f"x{XSS}.bin",
                    "where": None,
                    "reason": "binary data",
                }
            ],
        },
        "seconds": {"total": 1.25},
    }
    return ScanResult(pairs, clusters, summary)


def assert_self_contained(html: str) -> Page:
    page = Page(html)
    assert page.tags["script"] == 0
    assert page.tags["img"] == 0 and page.tags["link"] == 0 and page.tags["iframe"] == 0
    assert page.tags["h1"] == 1
    metas = [
        a
        for t, a in page.attrs
        if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert [m.get("content") for m in metas] == [CSP]
    for tag, attrs in page.attrs:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"src", "href", "action"}:
                assert value is not None and value.startswith("#"), (tag, name, value)
    return page


# -- scan page ------------------------------------------------------------------------------


def test_scan_page_escapes_hostile_text() -> None:
    html = render_scan_html(hostile_result())
    assert "<script" not in html and "<img" not in html and "<h1>owned" not in html
    assert escape(XSS, quote=False) in html
    page = assert_self_contained(html)
    visible = page.visible
    assert f"Title {XSS}" in visible
    assert f"buy now {XSS}" in visible
    assert "</details></table><h1>owned</h1>" in visible
    assert "{{ 7 * 7 }} {% raw %} template text" in visible  # data is not a template
    assert "javascript:alert(3)" in visible  # shown as text, never as a link
    assert f"x{XSS}.bin" in visible


def test_scan_page_of_a_real_scan_escapes_document_text() -> None:
    original = SEED_A.read_text(encoding="utf-8")
    copy = spin(original, rate=0.3, seed=1).text
    docs = [("orig", f"{XSS} {original}"), (f"copy{XSS}", copy)]
    result = scan(docs, explain=1)
    assert result.clusters
    html = render_scan_html(result)
    assert "<script" not in html
    page = assert_self_contained(html)
    assert f"copy{XSS}" in page.visible


def test_scan_page_contents() -> None:
    result = hostile_result()
    page = Page(render_scan_html(result, title="Crawl <2024>"))
    visible = " ".join(page.visible.split())
    assert "Crawl <2024>" in visible
    assert page.tags["details"] == len(result.clusters)
    assert ("details", {"class": "family", "open": None}) in page.attrs
    assert ("div", {"class": "body", "id": "family-c1"}) in page.attrs  # a link opens it
    assert ("a", {"href": "#family-c1"}) in page.attrs
    for phrase in (
        "1 spun",
        "1 partial",
        "1 binary",
        "evil.example (2)",
        "title mismatch",
        "representative",
        "no title",
        "1.2 s",
    ):
        assert phrase in visible, phrase
    # Partial pairs are listed in their own table, with their ids.
    assert "Reused passages" in visible and "p" in visible and "q" in visible


def test_notes_on_kept_documents_are_not_listed_as_skips() -> None:
    """Renamed ids and deep pages read whole were kept: their own rows, not skipped inputs."""
    result = hostile_result()
    skipped = result.summary["skipped"]
    skipped["duplicates"], skipped["deep_pages"] = 3, 2
    skipped["counts"] = {"binary": 1, "duplicate-id": 3, "deep-html": 2}
    skipped["records"] += [
        {"category": "deep-html", "source": "deep.html", "where": None, "reason": "nested"},
        {"category": "duplicate-id", "source": "d.jsonl", "where": "line 2", "reason": "x"},
    ]
    visible = " ".join(Page(render_scan_html(result)).visible.split())
    assert re.search(r"Duplicate ids renamed\s*3", visible)
    assert re.search(r"Deeply nested pages read as whole text\s*2", visible)
    assert "1 binary" in visible and "deep-html" not in visible and "duplicate-id" not in visible
    assert "deep.html" not in visible and "d.jsonl" not in visible


def test_scan_page_limits() -> None:
    base = hostile_result()
    clusters = [
        ClusterRecord(
            id=f"c{k + 1}",
            members=(f"m{k}a", f"m{k}b"),
            representative=f"m{k}a",
            verdicts={"spun": 1},
            titles={f"m{k}a": "t", f"m{k}b": "t"},
            links=[],
            beneficiaries=[],
        )
        for k in range(7)
    ]
    pairs = [
        PairRecord(f"x{k}", f"y{k}", "partial", 0.1 + k / 100, {"shared": 4.0}) for k in range(9)
    ]
    result = ScanResult(pairs, clusters, base.summary)
    page = Page(render_scan_html(result, max_families=3, max_partial=4))
    visible = " ".join(page.visible.split())
    assert page.tags["details"] == 3
    assert "4 smaller families are not shown" in visible
    assert "5 more partial pairs are not shown" in visible
    assert "x8" in visible and "x0" not in visible  # highest confidence first
    with pytest.raises(InvalidParameterError, match="max_families"):
        render_scan_html(result, max_families=-1)


def test_scan_page_of_empty_result() -> None:
    result = scan([])
    page = assert_self_contained(render_scan_html(result))
    visible = " ".join(page.visible.split())
    assert "No families of copies were found." in visible
    assert "No partial copies were found." in visible
    assert page.tags["details"] == 0


def test_scan_page_with_a_minimal_summary() -> None:
    """A summary without optional keys (as from an older JSONL) still renders."""
    result = ScanResult([], [], {"documents": 2})
    assert "2 documents" in " ".join(Page(render_scan_html(result)).visible.split())


# -- compare page ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparison() -> tuple[str, str, object]:
    a = SEED_A.read_text(encoding="utf-8")
    b = SEED_B.read_text(encoding="utf-8")
    b = b.replace("\n\n", f"\n\nInjected {XSS} & <b>bold</b> phrase here.\n\n", 1)
    return a, b, compare(a, b)


def test_compare_page_escapes_and_is_self_contained(comparison: tuple[str, str, object]) -> None:
    _, _, result = comparison
    html = render_compare_html(result, names=(f"a{XSS}.txt", "b.txt"))  # type: ignore[arg-type]
    assert "<script" not in html and "<b>bold" not in html
    page = assert_self_contained(html)
    assert f"a{XSS}.txt" in page.visible
    assert page.tags["b"] == 0


def test_compare_page_marks_every_change(comparison: tuple[str, str, object]) -> None:
    _, _, result = comparison
    page = Page(render_compare_html(result))  # type: ignore[arg-type]
    expected: Counter[tuple[str, str, str]] = Counter()
    tags = {
        "swap": (("del", "swap"), ("ins", "swap")),
        "insert": (None, ("ins", "insert")),
        "delete": (("del", "delete"), None),
        "rewrite": (("mark", "rewrite"),) * 2,
    }
    for p in result.passages:  # type: ignore[attr-defined]
        for c in p.changes:
            for side, text, (s, e) in (("a", result.text_a, c.a), ("b", result.text_b, c.b)):  # type: ignore[attr-defined]
                tag = tags[c.kind][0 if side == "a" else 1]
                if tag is not None and e > s:
                    expected[(*tag, text[s:e])] += 1
    assert sum(expected.values()) > 20
    in_passages = Counter(m for m in page.marked)
    # The substitution map and the legend add their own marks; passages hold the rest.
    for key, n in expected.items():
        assert in_passages[key] >= n, key


def test_compare_page_passages_keep_the_text(comparison: tuple[str, str, object]) -> None:
    _a, _b, result = comparison
    visible = Page(render_compare_html(result)).visible  # type: ignore[arg-type]
    for p in result.passages:  # type: ignore[attr-defined]
        assert result.text_a[p.a[0] : p.a[1]] in visible  # type: ignore[attr-defined]
        assert result.text_b[p.b[0] : p.b[1]] in visible  # type: ignore[attr-defined]


def test_compare_page_lists_substitutions_titles_and_inserts(
    comparison: tuple[str, str, object],
) -> None:
    _, _, result = comparison
    page = Page(render_compare_html(result, names=("one.txt", "two.txt")))  # type: ignore[arg-type]
    visible = " ".join(page.visible.split())
    assert result.verdict.upper() in visible  # type: ignore[attr-defined]
    assert "one.txt" in visible and "two.txt" in visible
    for s in result.substitutions[:10]:  # type: ignore[attr-defined]
        assert ("del", "swap", s.a) in page.marked and ("ins", "swap", s.b) in page.marked
    for side in ("a", "b"):
        finding = result.titles.get(side)  # type: ignore[attr-defined]
        if finding is not None:
            assert finding.text in visible
    assert any("Injected" in phrase for phrase in result.inserted["b"])  # type: ignore[attr-defined]
    assert f"Injected {XSS}" in visible
    assert "mismatch" in visible


def test_compare_page_of_identical_texts() -> None:
    text = SEED_A.read_text(encoding="utf-8")
    result = compare(text, text)
    page = assert_self_contained(render_compare_html(result))
    assert "IDENTICAL" in page.visible
    assert not [
        m
        for m in page.marked
        if m[1] in {"swap", "insert", "delete"}
        and m[2] not in {"replaced in a", "by this in b", "only on one side"}
    ]


# -- in a browser ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_scan_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_scan_html(hostile_result()), encoding="utf-8")
    shot = tmp_path / "shot.png"
    profile = tempfile.mkdtemp(dir=tmp_path)
    proc = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            f"--user-data-dir={profile}",
            "--hide-scrollbars",
            "--window-size=1000,700",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1000, 700)


def test_families_past_the_row_budget_are_described_in_short() -> None:
    members = [tuple(f"f{k}m{i}" for i in range(10)) for k in range(3)]
    clusters = [
        ClusterRecord(
            id=f"c{k + 1}",
            members=m,
            representative=m[0],
            verdicts={"spun": 45},
            titles={},
            links=[],
            beneficiaries=[],
        )
        for k, m in enumerate(members)
    ]
    pairs = [
        PairRecord(m[i], m[j], "spun", 0.9, {}, f"c{k + 1}")
        for k, m in enumerate(members)
        for i in range(10)
        for j in range(i + 1, 10)
    ]
    result = ScanResult(pairs, clusters, {"documents": 30, "clusters": 3})
    # 10 member rows + 20 pair rows per family: a budget of 60 covers two families
    html = render_scan_html(result, max_pairs=20, max_rows=60)
    blocks = html.split('<details class="family"')[1:]
    assert [b.count('<table class="wide members">') for b in blocks] == [1, 1, 0]
    assert [b.count('<tr><td class="id">') for b in blocks] == [10 + 20, 10 + 20, 0]
    short = " ".join(Page(blocks[2]).visible.split())
    assert "10 members, described in short" in short
    assert ", ".join(members[2]) in short and "45 verified pairs" in short
    with pytest.raises(InvalidParameterError, match="max_rows"):
        render_scan_html(result, max_rows=-1)
    with pytest.raises(InvalidParameterError, match=r"urls must be a mapping .* got 5"):
        render_scan_html(result, urls=5)  # type: ignore[arg-type]
