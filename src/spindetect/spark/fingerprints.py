"""Stage *read + fingerprint* of the Spark engine: executor functions over Arrow batches.

:func:`fingerprint_docs` fingerprints the rows of a documents DataFrame and
:func:`read_and_fingerprint` reads crawl files inside the executors first; both
call :func:`spindetect.crawl.stages.fingerprint` (and ``inspect_scores``) per
batch and emit the rows of :func:`fp_schema`. :func:`reread` reads the texts of
chosen records again (describe and passage stages); :func:`rename_duplicates`
renames ids met again, as the in-process reader does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from spindetect.spark import _arrow as A
from spindetect.spark._core import (
    ScanConfig,
    SkipLog,
    fingerprint,
    inspect_scores,
)
from spindetect.spark.inputs import ORDER_SHIFT, SkipCounts, read_file

__all__ = ["fingerprint_docs", "fp_schema", "read_and_fingerprint", "rename_duplicates", "reread"]


def fp_schema(labels: list[str]) -> str:
    """Return the DDL schema of the fingerprint rows (one binary signature per label)."""
    sigs = ", ".join(f"sig{k} binary" for k in range(len(labels)))
    return (
        f"order long, id string, title string, url string, links array<string>, "
        f"{sigs}, samples binary, spun_score double"
    )


def _fp_batch(
    order: np.ndarray,
    ids: list[Any],
    texts: list[str],
    titles: list[Any],
    urls: list[Any],
    links: list[Any],
    config: ScanConfig,
    labels: list[str],
    words: Any,
    inspect: bool,
) -> pa.RecordBatch:
    fps = fingerprint(texts, config, workers=1, function_words=words)
    spun = inspect_scores(texts, threads=1) if inspect else None
    s = fps.samples
    arrays = [
        pa.array(order, pa.int64()),
        pa.array(ids, pa.string()),
        pa.array(titles, pa.string()),
        pa.array(urls, pa.string()),
        pa.array(links, pa.list_(pa.string())),
    ]
    arrays += [A.binary_rows(fps.signatures[label]) for label in labels]
    arrays.append(A.binary_ragged(s.hashes.astype(np.uint64), s.offsets))
    arrays.append(pa.array(spun, pa.float64()) if spun is not None else pa.nulls(len(texts)))
    names = [
        "order",
        "id",
        "title",
        "url",
        "links",
        *[f"sig{k}" for k in range(len(labels))],
        "samples",
        "spun_score",
    ]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def fingerprint_docs(
    config: ScanConfig, labels: list[str], batch_size: int, words: Any, inspect: bool
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Executor function: fingerprint documents batches (``order``, ``id``, ``text``, ...)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for big in batches:
            for b in pa.Table.from_batches([big]).to_batches(max_chunksize=batch_size):
                d = b.to_pydict()
                texts = [t if t is not None else "" for t in d["text"]]
                links = [list(x) if x is not None else [] for x in d["links"]]
                yield _fp_batch(
                    np.asarray(d["order"], np.int64),
                    d["id"],
                    texts,
                    d["title"],
                    d["url"],
                    links,
                    config,
                    labels,
                    words,
                    inspect,
                )

    return run


def read_and_fingerprint(
    config: ScanConfig,
    labels: list[str],
    batch_size: int,
    max_bytes: int,
    skips: Any,
    words: Any,
    inspect: bool,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Executor function: read the listed files in order, fingerprint their documents per batch.

    Bad files and records are counted in the ``skips`` accumulator.
    """

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            d = b.to_pydict()
            for file_no, path, name in zip(d["file_no"], d["path"], d["name"], strict=True):
                log = SkipLog()
                rows: list[Any] = []
                for rec, doc in enumerate(read_file(path, name, log, max_bytes=max_bytes)):
                    log.documents += 1
                    rows.append(((file_no << ORDER_SHIFT) | rec, doc))
                    if len(rows) == batch_size:
                        yield _docs_batch(rows, config, labels, words, inspect)
                        rows = []
                if rows:
                    yield _docs_batch(rows, config, labels, words, inspect)
                skips.add(SkipCounts.of(log))

    return run


def _docs_batch(
    rows: list[Any], config: ScanConfig, labels: list[str], words: Any, inspect: bool
) -> pa.RecordBatch:
    return _fp_batch(
        np.asarray([o for o, _ in rows], np.int64),
        [d.id for _, d in rows],
        [d.text for _, d in rows],
        [d.title for _, d in rows],
        [d.url for _, d in rows],
        [[link.href for link in d.links] for _, d in rows],
        config,
        labels,
        words,
        inspect,
    )


def reread(max_bytes: int) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Executor function: the texts of the wanted records (``orders``) of each listed file."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            d = b.to_pydict()
            for file_no, path, name, orders in zip(
                d["file_no"], d["path"], d["name"], d["orders"], strict=True
            ):
                wanted = {o & ((1 << ORDER_SHIFT) - 1) for o in orders}
                got_o, got_t = [], []
                for rec, doc in enumerate(
                    read_file(path, name, SkipLog(max_records=0), max_bytes=max_bytes)
                ):
                    if rec in wanted:
                        got_o.append((file_no << ORDER_SHIFT) | rec)
                        got_t.append(doc.text)
                yield pa.RecordBatch.from_arrays(
                    [pa.array(got_o, pa.int64()), pa.array(got_t, pa.string())],
                    names=["order", "text"],
                )

    return run


def rename_duplicates(fp: Any, log: SkipLog) -> Any:
    """Rename ids met again as ``id#2``, ``id#3``, ... in input order (as the reader does)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    dups = fp.groupBy("id").count().where(F.col("count") > 1)
    counts = dups.agg(F.sum(F.col("count") - 1).alias("extra")).collect()[0]["extra"]
    if not counts:
        return fp
    log._counts["duplicate-id"] += int(counts)
    rn = F.row_number().over(Window.partitionBy("id").orderBy("idx"))
    cols = [c for c in fp.columns if c != "id"]
    return fp.withColumn("_rn", rn).select(
        *cols[:2],
        F.when(F.col("_rn") > 1, F.concat("id", F.lit("#"), F.col("_rn")))
        .otherwise(F.col("id"))
        .alias("id"),
        *cols[2:],
    )
