"""A scan report's pairs open side-by-side compare pages in ``FILE.pairs/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spindetect import InvalidParameterError
from spindetect.crawl.records import ScanResult
from spindetect.crawl.scanning import scan
from spindetect.exceptions import OutputError
from spindetect.render.html_report import compare_command
from spindetect.render.pair_pages import PairTexts, PairViews, page_name, pairs_folder
from spindetect.render.writers import write_result
from spindetect.sources.document import Document
from spindetect.synth import generate_crawl

_HOSTILE = "<script>alert(1)</script>\"'$(rm -rf ~)"


def _docs() -> list[Document]:
    # every id hostile (markup, quotes, a shell substitution): it must stay inert everywhere
    crawl = generate_crawl(60, seed=3, doc_words=120)
    return [Document(id=_HOSTILE + d.id, text=d.text) for d in crawl]


def _scan(views: PairViews) -> tuple[ScanResult, PairTexts]:
    texts = PairTexts(views)
    result = scan(_docs(), explain=0, inspect=False, on_texts=texts)
    return result, texts


def test_listed_pairs_link_to_their_pages(tmp_path: Path) -> None:
    views = PairViews(max_views=3, per_family=2)
    result, texts = _scan(views)
    assert texts.vocabulary is not None  # the scan's own words reach the pages
    report = tmp_path / "r.html"
    written = write_result(
        result, report, texts=texts.texts, views=views, vocabulary=texts.vocabulary
    )
    folder = pairs_folder(report)
    assert written == [report, folder]
    html = report.read_text(encoding="utf-8")
    links = re.findall(r'href="(r\.pairs/[0-9a-f]{20}\.html)"', html)
    chosen = views.select(result)
    assert len(links) == len(chosen) == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted(page_name(p.a, p.b) for p in chosen)
    for pair in chosen:
        page = (folder / page_name(pair.a, pair.b)).read_text(encoding="utf-8")
        assert 'href="../r.html#' in page
        assert "<script>" not in page  # the hostile id is escaped
    # pairs past the cap show the compare command, the ids quoted
    listed = len(re.findall(r'<td class="view">', html))
    assert listed > len(links)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert all(_HOSTILE in p.a for p in chosen)


def test_compare_command_quotes_hostile_ids() -> None:
    cmd = compare_command(_HOSTILE, "--help")
    assert cmd.startswith("spindetect compare --html pair.html -- '")
    assert "'--help'" in cmd or cmd.endswith(" --help")


def test_no_texts_removes_an_older_folder(tmp_path: Path) -> None:
    views = PairViews(max_views=2)
    result, texts = _scan(views)
    report = tmp_path / "r.html"
    write_result(result, report, texts=texts.texts, views=views)
    assert pairs_folder(report).is_dir()
    assert write_result(result, report) == [report]
    assert not pairs_folder(report).exists()
    assert "r.pairs/" not in report.read_text(encoding="utf-8")


def test_a_foreign_folder_is_not_replaced(tmp_path: Path) -> None:
    views = PairViews(max_views=2)
    result, texts = _scan(views)
    report = tmp_path / "r.html"
    (tmp_path / "r.pairs").mkdir()
    (tmp_path / "r.pairs" / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="other than pair pages"):
        write_result(result, report, texts=texts.texts, views=views)
    assert (tmp_path / "r.pairs" / "notes.txt").read_text() == "mine"


def test_views_validate() -> None:
    with pytest.raises(InvalidParameterError, match="max_views"):
        PairViews(max_views=-1)
    with pytest.raises(InvalidParameterError, match="max_chars"):
        PairViews(max_chars=0)
