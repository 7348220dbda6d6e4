"""Tests of the per-document spun scores in CSV and Parquet scan outputs."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from spindetect.crawl.records import DocumentRecord, PairRecord, ScanResult
from spindetect.render.writers import output_files, write_result

HOSTILE = 'doc "2", comma; new\nline & ünïcödé'


def make_result() -> ScanResult:
    pair = PairRecord("doc-1", HOSTILE, "spun", 0.9, {"skeleton": 0.8, "content": 0.6}, None)
    return ScanResult([pair], [], {"documents": 2})


def scored() -> ScanResult:
    documents = [DocumentRecord("doc-1", 0.0123), DocumentRecord(HOSTILE, 0.98765)]
    return replace(make_result(), documents=documents)


def test_output_files_name_the_documents_file(tmp_path: Path) -> None:
    out = tmp_path / "scan.csv"
    assert output_files(out)[-1] == tmp_path / "scan.documents.csv"
    assert output_files(tmp_path / "scan.jsonl") == [tmp_path / "scan.jsonl"]


def test_csv_documents_file(tmp_path: Path) -> None:
    out = tmp_path / "scan.csv"
    written = write_result(scored(), out)
    documents = tmp_path / "scan.documents.csv"
    assert written == [out, tmp_path / "scan.clusters.csv", documents]
    with documents.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], float(r["spun_score"])) for r in rows] == [
        ("doc-1", 0.0123),
        (HOSTILE, 0.98765),
    ]


def test_no_documents_file_without_scores(tmp_path: Path) -> None:
    written = write_result(make_result(), tmp_path / "scan.csv")
    assert not (tmp_path / "scan.documents.csv").exists()
    assert len(written) == 2


def test_parquet_documents_file(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "scan.parquet"
    written = write_result(scored(), out)
    assert written[-1] == tmp_path / "scan.documents.parquet"
    table = pq.read_table(written[-1])
    assert table.schema.field("spun_score").type == "double"
    assert table.to_pylist() == [
        {"id": "doc-1", "spun_score": 0.0123},
        {"id": HOSTILE, "spun_score": 0.98765},
    ]
