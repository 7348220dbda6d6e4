"""Tests of spindetect.outputs: JSONL, CSV, Parquet and HTML files, written atomically."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

import spindetect.render.html_report as html_report
from spindetect.crawl.records import ClusterRecord, PairRecord, ScanResult
from spindetect.exceptions import InvalidParameterError, SpinDetectError
from spindetect.render.writers import FORMATS, format_for, write_result

HOSTILE = '<script>alert(1)</script> "quoted", comma; new\nline & ünïcödé'


def make_result() -> ScanResult:
    pairs = [
        PairRecord(
            "doc-1", "doc-2", "spun", 0.97, {"skeleton": 0.8, "content": 0.6, "shared": 12.0}, "c1"
        ),
        PairRecord(
            "doc-1",
            "doc-3",
            "near-duplicate",
            0.99,
            {"skeleton": 0.9, "content": 0.95, "shared": 40.0},
            "c1",
        ),
        PairRecord(
            "doc-4", 'doc, "5"', "partial", 0.2, {"skeleton": 0.05, "content": 0.1, "shared": 6.0}
        ),
    ]
    clusters = [
        ClusterRecord(
            id="c1",
            members=("doc-1", "doc-2", "doc-3"),
            representative="doc-1",
            verdicts={"spun": 1, "near-duplicate": 1},
            titles={"doc-1": "Original title", "doc-2": HOSTILE, "doc-3": None},
            links=[
                {
                    "domain": "shop.example",
                    "members": 2,
                    "hrefs": ["https://shop.example/a?x=1&y=<2>"],
                }
            ],
            beneficiaries=[
                {
                    "domain": "shop.example",
                    "members": 2,
                    "hrefs": ["https://shop.example/a?x=1&y=<2>"],
                }
            ],
            explained=True,
            title_mismatch=["doc-2"],
            inserted={"doc-2": [HOSTILE, "buy cheap pills"], "doc-1": []},
            template=["Shared template sentence that every member keeps."],
        ),
    ]
    summary = {
        "documents": 5,
        "candidates": 4,
        "pairs": {"spun": 1, "near-duplicate": 1, "partial": 1},
        "clusters": 1,
        "clustered_documents": 3,
        "largest_cluster": 3,
        "skipped": {
            "documents": 5,
            "skipped": 2,
            "duplicates": 0,
            "counts": {"binary": 1, "decode": 1},
            "records": [
                {"category": "binary", "source": "x.bin", "where": None, "reason": "binary data"}
            ],
        },
        "seconds": {"total": 0.5},
    }
    return ScanResult(pairs, clusters, summary)


@pytest.fixture()
def result() -> ScanResult:
    return make_result()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("x.jsonl", "jsonl"),
        ("x.json", "jsonl"),
        ("x.ndjson", "jsonl"),
        ("X.JSONL", "jsonl"),
        ("x.csv", "csv"),
        ("x.parquet", "parquet"),
        ("x.pq", "parquet"),
        ("x.html", "html"),
        ("x.HTM", "html"),
        ("dir.v2/x.tar.jsonl", "jsonl"),
    ],
)
def test_format_from_suffix(name: str, fmt: str) -> None:
    assert format_for(name) == fmt
    assert fmt in FORMATS


@pytest.mark.parametrize("name", ["x.txt", "x", "x.jsonl.gz", "x.xlsx", ".jsonl/x"])
def test_bad_suffix(name: str, result: ScanResult, tmp_path: Path) -> None:
    with pytest.raises(SpinDetectError, match="format") as info:
        format_for(name)
    assert "\n" not in str(info.value)
    with pytest.raises(SpinDetectError):
        write_result(result, tmp_path / Path(name).name)
    assert listing(tmp_path) == []


def test_explicit_format_wins(result: ScanResult, tmp_path: Path) -> None:
    assert format_for("x.txt", "csv") == "csv"
    out = tmp_path / "report.txt"
    assert write_result(result, out, fmt="jsonl") == [out]
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["type"] == "pair"
    with pytest.raises(InvalidParameterError, match="format"):
        format_for("x.jsonl", "xml")


# -- contents ---------------------------------------------------------------------------------


def test_jsonl(result: ScanResult, tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    assert write_result(result, out) == [out]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(json.dumps(list(result.records())))
    assert [json.loads(line)["type"] for line in lines] == ["pair"] * 3 + ["cluster", "summary"]
    assert "ünïcödé" in out.read_text(encoding="utf-8")  # not \u-escaped
    assert listing(out.parent) == ["scan.jsonl"]


def test_csv(result: ScanResult, tmp_path: Path) -> None:
    out = tmp_path / "scan.csv"
    written = write_result(result, out)
    clusters_path = tmp_path / "scan.clusters.csv"
    assert written == [out, clusters_path]
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["a"], r["b"], r["verdict"]) for r in rows] == [
        (p.a, p.b, p.verdict) for p in result.pairs
    ]
    assert float(rows[0]["skeleton"]) == 0.8 and float(rows[0]["shared"]) == 12.0
    assert rows[0]["cluster"] == "c1" and rows[2]["cluster"] == ""
    with clusters_path.open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["id"] == "c1" and row["size"] == "3"
    assert row["members"] == "doc-1 | doc-2 | doc-3"
    assert HOSTILE in row["titles"]  # quoting keeps commas, quotes and newlines
    assert row["beneficiaries"] == "shop.example"
    assert row["distinct_titles"] == "2"
    assert listing(tmp_path) == ["scan.clusters.csv", "scan.csv"]


def test_parquet(result: ScanResult, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "scan.parquet"
    written = write_result(result, out)
    assert written == [out, tmp_path / "scan.clusters.parquet"]
    pairs = pq.read_table(out).to_pylist()
    assert [(r["a"], r["b"], r["verdict"], r["cluster"]) for r in pairs] == [
        (p.a, p.b, p.verdict, p.cluster) for p in result.pairs
    ]
    (cluster,) = pq.read_table(written[1]).to_pylist()
    assert cluster["members"] == ["doc-1", "doc-2", "doc-3"]
    assert json.loads(cluster["titles"])["doc-2"] == HOSTILE
    assert cluster["beneficiaries"][0]["domain"] == "shop.example"
    assert listing(tmp_path) == ["scan.clusters.parquet", "scan.parquet"]


def test_html(result: ScanResult, tmp_path: Path) -> None:
    out = tmp_path / "scan.html"
    assert write_result(result, out) == [out]
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert listing(tmp_path) == ["scan.html"]


# -- atomic writes ----------------------------------------------------------------------------


def test_failed_html_render_leaves_no_file(
    result: ScanResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr(html_report, "render_scan_html", broken)
    with pytest.raises(RuntimeError, match="render failed"):
        write_result(result, tmp_path / "scan.html")
    assert listing(tmp_path) == []


def test_failure_midway_leaves_no_partial_file(result: ScanResult, tmp_path: Path) -> None:
    result.summary["not json"] = object()  # fails after the pair and cluster lines
    out = tmp_path / "scan.jsonl"
    with pytest.raises(TypeError):
        write_result(result, out)
    assert listing(tmp_path) == []


def test_failure_keeps_the_previous_file(result: ScanResult, tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    result.pairs.append(PairRecord("a", "b", "spun", 0.5, {"skeleton": object()}))  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        write_result(result, out)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert listing(tmp_path) == ["scan.jsonl"]


def test_overwrite_replaces_whole_file(result: ScanResult, tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    out.write_text("x" * 100_000, encoding="utf-8")
    write_result(result, out)
    assert all(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    assert listing(tmp_path) == ["scan.jsonl"]


def test_output_file_mode_follows_umask(result: ScanResult, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "scan.jsonl"
        write_result(result, out)
        plain = tmp_path / "plain.txt"
        plain.write_text("x", encoding="utf-8")
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777 == 0o644
