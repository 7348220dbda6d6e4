"""Hostile HTML: malformed URLs and pages nested tens of thousands deep (issue 13)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.sources.html import MAX_DEPTH, MAX_LINKS, extract
from spindetect.sources.html_depth import cap_depth, source_depth
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog

BODY = "<p>Tomatoes need full sun and regular watering to thrive in a home garden.</p>"


def nested(depth: int, *, closed: bool = True, unit: str = "<div>", end: str = "</div>") -> str:
    inner = "<p>deep text survives</p>"
    return (
        "<html><body>" + unit * depth + inner + (end * depth if closed else "") + "</body></html>"
    )


# -- malformed URLs --------------------------------------------------------------------------


def test_a_malformed_base_href_is_ignored_not_raised() -> None:
    html = (
        f'<html><head><base href="http://[::1/"></head><body>{BODY}<a href="x">x</a></body></html>'
    )
    page = extract(html, url="http://site.example/dir/page.html")
    assert [link.href for link in page.links] == ["http://site.example/dir/x"]
    assert "Tomatoes" in page.text


def test_a_malformed_page_url_and_href_are_kept_as_written() -> None:
    html = f'<html><body>{BODY}<a href="http://[::1/promo">p</a><a href="rel">r</a></body></html>'
    page = extract(html, url="http://[::1/broken")
    assert [link.href for link in page.links] == ["http://[::1/promo", "rel"]


# -- nesting ---------------------------------------------------------------------------------


def test_a_page_nested_100k_deep_is_read_whole_and_fast() -> None:
    for closed in (True, False):
        html = nested(100_000, closed=closed)
        start = time.perf_counter()
        page = extract(html)
        elapsed = time.perf_counter() - start
        assert page.too_deep
        assert page.text == "deep text survives"
        assert elapsed < 10  # minutes before the guard; ~0.2 s with it


@pytest.mark.parametrize(
    "unit",
    [
        "<a href=/x><b><i>t",  # adoption agency over a deep stack: quadratic parsing
        '<div class="comment"><a href=/x>t',
        "<ul><li>t",  # nested lists: the formatted text is indented by the depth
        "<table><tr><td>t",
    ],
)
def test_hostile_nesting_shapes_stay_fast_and_keep_their_text(unit: str) -> None:
    html = "<html><body>" + unit * 30_000
    start = time.perf_counter()
    page = extract(html, url="http://site.example/")
    elapsed = time.perf_counter() - start
    assert page.too_deep
    assert page.text.count("t") >= 30_000
    assert len(page.text) < 4 * 30_000  # no indentation blow-up
    assert len(page.links) <= MAX_LINKS
    assert elapsed < 10


def test_depth_just_under_the_limit_keeps_main_content() -> None:
    shallow = extract(nested(MAX_DEPTH - 5))
    deep = extract(nested(MAX_DEPTH + 5))
    assert not shallow.too_deep and shallow.text == "deep text survives"
    assert deep.too_deep and deep.text == "deep text survives"
    assert extract(nested(50), max_depth=20).too_deep


def test_max_depth_is_validated() -> None:
    with pytest.raises(InvalidParameterError, match="max_depth"):
        extract("<p>x</p>", max_depth=0)


def test_source_depth_counts_nesting_and_ignores_stray_end_tags() -> None:
    assert source_depth("") == 0
    assert source_depth("a < b and 3 <4") == 0
    assert source_depth("<div>" * 10) == 10
    assert source_depth("<div><span>x</span></div>" * 50) == 2
    assert source_depth("</span>" * 50 + "<div>" * 3) == 3  # stray closes cannot hide depth
    assert source_depth("<p>a<p>b<br><img src=x><li>c") == 0  # flat and void elements
    assert source_depth("<a href=x>t" * 100) == 1  # <a> closes the open <a>
    assert source_depth("<DIV><Div></div>") == 2


def test_cap_depth_keeps_text_scripts_and_links() -> None:
    html = "<div>" * 5 + "<script>a<b</script><a href=/x>t</a>" + "</div>" * 5
    capped = cap_depth(html, 2)
    assert capped == "<div><div><script>a<b</script><a href=/x>t</a></div></div>"
    assert source_depth(capped) <= 3
    assert cap_depth("<div>x</div>", 5) == "<div>x</div>"


def test_a_deep_page_is_a_counted_note_not_a_skip(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text(nested(5_000), encoding="utf-8")
    (tmp_path / "fine.html").write_text(f"<html><body>{BODY}</body></html>", encoding="utf-8")
    log = SkipLog()
    docs = list(iter_documents([tmp_path], errors=log))
    assert [d.text for d in docs] == ["deep text survives", BODY[3:-4]]
    assert log.skipped == 0 and log.deep_pages == 1
    assert log.counts == {"deep-html": 1}
    assert any("deeply nested" in line for line in log.summary())
    assert log.to_dict()["deep_pages"] == 1
