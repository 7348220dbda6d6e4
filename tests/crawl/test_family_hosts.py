"""A family whose pages share a malformed link (issue 13): scan and scan --against finish."""

from __future__ import annotations

from pathlib import Path

import pytest

from spindetect.cli.program import main
from spindetect.crawl.families import _host
from spindetect.crawl.scanning import scan
from spindetect.sources.iterate import iter_documents

ARTICLE = " ".join(
    f"Section {i} explains how tomatoes need full sun, regular watering and rich soil "
    f"to thrive in garden bed number {i}, planted after the last frost."
    for i in range(40)
)
BAD_LINK = "http://[::1/promo"


def write_pages(root: Path) -> list[Path]:
    paths = []
    for name in ("one.html", "two.html"):
        path = root / name
        path.write_text(
            f'<html><body><p>{ARTICLE}</p><a href="{BAD_LINK}">promo</a>'
            f'<a href="https://sponsor.example/x">s</a> see {BAD_LINK}x too</body></html>',
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_host_of_a_malformed_url_is_none() -> None:
    assert _host(BAD_LINK) is None
    assert _host("http://[::1]/ok") == "::1"
    assert _host("https://www.example.org/a") == "www.example.org"


def test_scan_of_pages_sharing_a_malformed_link_finishes(tmp_path: Path) -> None:
    result = scan(iter_documents(write_pages(tmp_path)), threads=1)
    assert len(result.clusters) == 1
    domains = [d["domain"] for d in result.clusters[0].links]
    assert domains == ["sponsor.example"]


def test_scan_against_an_index_with_a_malformed_link_finishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = write_pages(tmp_path)
    db = tmp_path / "index.db"
    assert main(["index", "add", "--db", str(db), "--quiet", str(one)]) == 0
    assert main(["scan", "--against", str(db), "--quiet", str(one), str(two)]) == 1
    capsys.readouterr()
