"""The public entry points of the Spark engine: :func:`scan_dataframe` and :func:`scan_sources`.

Each builds the fingerprint stage for its input (a documents DataFrame, or crawl
files read in the executors) and the way to read member texts back, then runs
the job (:func:`spindetect.spark.job.run_job`). ``collect_arrow`` and
``create_frame`` are re-exported from :mod:`spindetect.spark._frames`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spindetect._validation import check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.spark._core import (
    ScanConfig,
    SkipLog,
    learn_function_words,
)
from spindetect.spark._frames import collect_arrow, create_frame
from spindetect.spark.fingerprints import fingerprint_docs, fp_schema, read_and_fingerprint, reread
from spindetect.spark.inputs import ORDER_SHIFT, SkipCounts, expand_sources, read_file
from spindetect.spark.job import run_job
from spindetect.spark.result import SparkScan

__all__ = ["SparkScan", "collect_arrow", "create_frame", "scan_dataframe", "scan_sources"]


def scan_dataframe(
    df: Any,
    *,
    config: ScanConfig | None = None,
    explain: int = 20,
    partitions: int | None = None,
    batch_size: int = 2048,
    driver_edges: int = 2_000_000,
    inspect: bool = True,
    storage: str = "disk",
) -> SparkScan:
    """Scan a DataFrame of documents ``(id, text[, title, url])`` on Spark.

    Documents are numbered in the DataFrame's order (its partitions in order,
    rows in order within each), which must be deterministic: the texts of
    family members are read from ``df`` a second time.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        String columns ``id`` and ``text``; optional ``title``, ``url`` and an
        ``array<string>`` column ``links`` (outbound link targets).
    config : ScanConfig, optional
        As for :func:`spindetect.scan`.
    explain : int, default=20
        Explain this many of the largest families with the full compare.
    partitions : int or None, default=None
        Shuffle partitions of the candidate and verify stages (None: the
        session's ``spark.sql.shuffle.partitions``).
    batch_size : int, default=2048
        Rows per Arrow batch handed to the fingerprint kernel.
    driver_edges : int, default=2_000_000
        Pair graphs up to this many edges get their components on the driver.
    inspect : bool, default=True
        Score every document in the executors (:func:`spindetect.inspect_scores`),
        as :func:`spindetect.scan` does: :attr:`SparkScan.documents`.
    storage : {"disk", "memory"}, default="disk"
        Where the per-document tables (fingerprints, ~2.1 KB a document, and
        the texts of paired documents) are persisted: ``"disk"`` is
        ``DISK_ONLY`` (off the JVM heap: a million documents run in 4 GiB),
        ``"memory"`` is ``MEMORY_AND_DISK``.

    Returns
    -------
    SparkScan
    """
    from pyspark.sql import functions as F

    for name in ("id", "text"):
        if name not in df.columns:
            raise InvalidParameterError(f"df must have a column {name!r}, got {df.columns}")

    def docs() -> Any:
        cols = [F.col("id").cast("string").alias("id"), F.col("text").cast("string").alias("text")]
        for name in ("title", "url"):
            cols.append(
                (
                    F.col(name).cast("string") if name in df.columns else F.lit(None).cast("string")
                ).alias(name)
            )
        cols.append(
            F.col("links")
            if "links" in df.columns
            else F.lit(None).cast("array<string>").alias("links")
        )
        return df.select(F.monotonically_increasing_id().alias("order"), *cols)

    config = config or ScanConfig()
    labels = list(config.specs())
    first = [
        r["text"] or "" for r in docs().orderBy("order").limit(batch_size).select("text").collect()
    ]
    words = learn_function_words(first, config)  # the vocabulary stage: the first batch
    fp = docs().mapInArrow(
        fingerprint_docs(config, labels, batch_size, words, inspect), fp_schema(labels)
    )

    def texts(wanted: Any) -> Any:
        return docs().join(wanted, "order", "leftsemi").select("order", "text")

    return run_job(
        df.sparkSession,
        fp,
        texts,
        config,
        labels,
        explain,
        partitions,
        driver_edges,
        None,
        words,
        inspect,
        storage,
    )


def scan_sources(
    spark: Any,
    sources: Sequence[str],
    *,
    config: ScanConfig | None = None,
    explain: int = 20,
    partitions: int | None = None,
    batch_size: int = 2048,
    max_bytes: int | None = None,
    driver_edges: int = 2_000_000,
    inspect: bool = True,
    storage: str = "disk",
) -> SparkScan:
    """Scan crawl files on Spark: each file is read and fingerprinted inside an executor.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    sources : sequence of str
        Files or directories (local), or URIs (``s3://``, ``hdfs://``), in order;
        see :func:`spindetect.spark.inputs.read_listing` for a listing file.
    config, explain, partitions, batch_size, driver_edges, inspect, storage
        As for :func:`scan_dataframe`.
    max_bytes : int, optional
        Size limit of one document (default: that of :func:`spindetect.sources.iter_documents`).

    Returns
    -------
    SparkScan
        Its ``summary["skipped"]`` counts the bad files and records of every executor.
    """
    from spindetect.sources.textfile import DEFAULT_MAX_BYTES

    config = config or ScanConfig()
    max_bytes = check_int(
        "max_bytes", max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES, low=1
    )
    log = SkipLog()
    files = expand_sources(list(sources), log)
    labels = list(config.specs())
    sc = spark.sparkContext
    skips = sc.accumulator(SkipCounts().zero({}), SkipCounts())
    # one task per file, in order (as cc-pyspark reads a WARC listing): a task's
    # output, and so one persisted block, is one file's fingerprints
    listing = spark.createDataFrame(
        sc.parallelize([(k, p, name) for k, (p, name) in enumerate(files)], max(1, len(files))),
        "file_no long, path string, name string",
    )
    first: list[str] = []
    for path, name in files:  # the vocabulary stage reads the first batch, on the driver
        for doc in read_file(path, name, SkipLog(max_records=0), max_bytes=max_bytes):
            first.append(doc.text)
            if len(first) == batch_size:
                break
        if len(first) == batch_size:
            break
    words = learn_function_words(first, config)
    fp = listing.mapInArrow(
        read_and_fingerprint(config, labels, batch_size, max_bytes, skips, words, inspect),
        fp_schema(labels),
    )

    def texts(wanted: Any) -> Any:
        from pyspark.sql import functions as F

        want = wanted.select("order", F.shiftright("order", ORDER_SHIFT).alias("file_no"))
        per_file = want.groupBy("file_no").agg(F.collect_list("order").alias("orders"))
        return listing.join(per_file, "file_no").mapInArrow(
            reread(max_bytes), "order long, text string"
        )

    return run_job(
        spark,
        fp,
        texts,
        config,
        labels,
        explain,
        partitions,
        driver_edges,
        lambda: SkipCounts.to_log(skips.value, log),
        words,
        inspect,
        storage,
    )
