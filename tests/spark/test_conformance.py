"""The same generated crawl in process, through the SQLite index and on Spark: same output.

Pairs (ids, verdicts, confidences, scores, family ids) and families (members,
representative, verdicts, titles, links, explanations) must be equal record for
record, not approximately: the Spark engine runs the in-process stage functions.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from spindetect.crawl.index import SpinIndex
from spindetect.crawl.scanning import ScanResult, scan
from spindetect.settings import ScanConfig
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog
from spindetect.synth import write_crawl

pytestmark = pytest.mark.spark

_COUNTS = (
    "documents",
    "candidates",
    "candidates_lsh",
    "candidates_shared",
    "skipped_common_samples",
    "pairs",
    "clusters",
    "clustered_documents",
    "largest_cluster",
)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write a generated crawl as two JSONL files, a directory of .txt pages and bad inputs."""
    root = tmp_path_factory.mktemp("crawl")
    write_crawl(root / "gen", 700, seed=11)
    lines = (root / "gen" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    (root / "a.jsonl").write_text("\n".join(lines[:400]) + "\n", encoding="utf-8")
    bad = ['{"id": "broken", "text": ', json.dumps({"id": "blank", "text": "   "})]
    (root / "b.jsonl").write_text("\n".join([*lines[400:650], *bad]) + "\n", encoding="utf-8")
    pages = root / "pages"
    pages.mkdir()
    for k, line in enumerate(lines[650:]):
        (pages / f"p{k:03d}.txt").write_text(json.loads(line)["text"], encoding="utf-8")
    (root / "corrupt.jsonl.gz").write_bytes(gzip.compress(b'{"id": "z", "text": "t"}\n')[:-9])
    return root


def _sources(crawl: Path) -> list[str]:
    return [
        str(crawl / "a.jsonl"),
        str(crawl / "missing.jsonl"),
        str(crawl / "b.jsonl"),
        str(crawl / "pages"),
        str(crawl / "corrupt.jsonl.gz"),
    ]


def _in_process(sources: list[str], **kwargs: Any) -> tuple[ScanResult, SkipLog]:
    log = SkipLog()
    return scan(iter_documents(sources, errors=log), skipped=log, **kwargs), log


def test_spark_index_and_process_agree(spark: Any, crawl: Path, tmp_path: Path) -> None:
    """Files read in executors: Spark equals the in-process scan and the index query."""
    from spindetect.spark import scan_sources

    sources = _sources(crawl)
    truth, log = _in_process(sources, explain=4)
    assert len(truth.clusters) >= 20 and any(c.explained for c in truth.clusters)
    got = scan_sources(spark, sources, explain=4)
    assert got.pair_records() == truth.pairs
    assert got.cluster_records() == truth.clusters
    assert {k: got.summary[k] for k in _COUNTS} == {k: truth.summary[k] for k in _COUNTS}
    # Bad files and records: counted by the executors as the reader counts them.
    assert got.summary["skipped"]["counts"] == log.to_dict()["counts"]
    assert set(log.counts) >= {"missing", "malformed-json", "empty", "corrupt"}
    assert got.summary["skipped"]["documents"] == log.documents == truth.summary["documents"]

    # The SQLite index (an empty one, queried with the whole crawl) and Spark, unexplained.
    plain, _ = _in_process(sources, explain=0)
    with SpinIndex.open(tmp_path / "crawl.db") as index:
        indexed = index.query(iter_documents(sources, errors=SkipLog()))
    assert indexed.pairs == plain.pairs == truth.pairs
    assert indexed.clusters == plain.clusters
    unexplained = scan_sources(spark, sources, explain=0)
    assert unexplained.cluster_records() == plain.clusters


def test_dataframe_hot_buckets_and_distributed_components(spark: Any, crawl: Path) -> None:
    """Chained LSH buckets, skipped samples and large-star/small-star: still the same."""
    from spindetect.spark import scan_dataframe

    docs = list(iter_documents([crawl / "a.jsonl"], errors=SkipLog()))
    config = ScanConfig(max_bucket=2, max_df=2, candidate_budget=None)
    truth = scan(docs, config=config, explain=2)
    assert truth.summary["skipped_common_samples"] > 0
    df = spark.createDataFrame(
        [(d.id, d.text, d.title, d.url) for d in docs],
        "id string, text string, title string, url string",
    )
    got = scan_dataframe(df, config=config, explain=2, driver_edges=0, partitions=3)
    assert got.pair_records() == truth.pairs
    assert got.cluster_records() == truth.clusters
    assert {k: got.summary[k] for k in _COUNTS} == {k: truth.summary[k] for k in _COUNTS}


def test_write_is_atomic_and_a_rerun_replaces(spark: Any, crawl: Path, tmp_path: Path) -> None:
    """Output lands whole under its name; no temporary directory is left beside it."""
    import pyarrow.parquet as pq

    from spindetect.spark import scan_sources

    result = scan_sources(spark, [str(crawl / "a.jsonl")], explain=0)
    out = tmp_path / "out.parquet"
    for _ in range(2):
        assert result.write(out) == out.as_uri()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]
    pairs = pq.read_table(out / "pairs")
    families = pq.read_table(out / "families")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert pairs.num_rows == sum(summary["pairs"].values()) > 0
    assert families.num_rows == summary["clusters"] > 0
    assert set(families.column_names) >= {
        "id",
        "members",
        "representative",
        "verdicts",
        "titles",
        "links",
        "beneficiaries",
        "explained",
    }


def test_cli_engine_spark(
    spark: Any, crawl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``scan @LISTING --engine spark`` writes the in-process records; exit code 1."""
    from spindetect.cli import main

    listing = tmp_path / "inputs.paths"
    listing.write_text(
        f"# a listing\n{crawl / 'a.jsonl'}\n\n{crawl / 'b.jsonl'}\n", encoding="utf-8"
    )
    out = tmp_path / "found.jsonl"
    code = main(
        [
            "scan",
            f"@{listing}",
            "--engine",
            "spark",
            "--master",
            "local[2]",
            "-o",
            str(out),
            "--explain",
            "0",
        ]
    )
    assert code == 1
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    truth, _ = _in_process([str(crawl / "a.jsonl"), str(crawl / "b.jsonl")], explain=0)
    assert records[:-1] == [r for r in truth.records()][:-1]
    assert "families" in capsys.readouterr().out
