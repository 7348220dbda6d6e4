"""``spindetect scan SOURCES --engine spark``: the scan command on a Spark session.

SOURCES are files, directories or URIs (``s3://``, ``hdfs://``); a SOURCE
written ``@FILE``, or named ``*.paths`` / ``*.paths.gz`` (Common Crawl's
listings), is a listing of paths, one a line. ``-o out.parquet`` writes a
directory ``out.parquet/`` with ``pairs/``, ``families/`` and ``summary.json``
(atomically: renamed into place when complete); ``.jsonl``, ``.csv`` and
``.html`` outputs are collected on the driver and written as the in-process
command writes them.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from spindetect.exceptions import SpinDetectError

__all__ = ["run_scan", "session"]


def session(master: str | None, *, quiet: bool = False, app: str = "spindetect scan") -> Any:
    """Return the active Spark session, or start one on ``master``.

    Raises :class:`~spindetect.exceptions.SpinDetectError` with an install hint
    when pyspark is missing, and when Java cannot be started.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SpinDetectError(
            "the Spark engine needs pyspark: pip install 'spindetect[spark]'"
        ) from None
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            cores = master.partition("[")[2].rstrip("]")
            n = (os.cpu_count() or 1) if cores in ("", "*") else int(cores.split(",")[0])
            builder = builder.config("spark.sql.shuffle.partitions", str(4 * n)).config(
                "spark.ui.enabled", "false"
            )
    if quiet:
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # no Java, or a master that cannot be reached
        raise SpinDetectError(
            f"cannot start Spark on {master or 'the default master'}: "
            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_scan(args: argparse.Namespace) -> int:
    """Execute ``scan --engine spark``; return 1 if copies were found, else 0."""
    from spindetect.cli.scan_command import _print_summary
    from spindetect.crawl.records import ScanResult
    from spindetect.render.writers import format_for, write_result
    from spindetect.spark.engine import scan_sources
    from spindetect.spark.inputs import read_listing

    if args.against:
        raise SpinDetectError("--against does not run on --engine spark")
    fmt = format_for(args.output, args.format) if args.output else None
    paths: list[str] = []
    for source in args.sources:
        if source.startswith("@"):
            paths.extend(read_listing(source[1:]))
        elif source.endswith((".paths", ".paths.gz")):
            paths.extend(read_listing(source))
        else:
            paths.append(source)
    spark = session(args.master, quiet=args.quiet)
    result = scan_sources(
        spark, paths, explain=args.explain, max_bytes=args.max_bytes, inspect=args.inspect
    )
    written: list[Any] = []
    if fmt == "parquet":
        written.append(result.write(args.output))
        shown = ScanResult([], _top(result, args.top), result.summary, _spun(result, args.top))
    elif fmt is not None:
        shown = result.to_result()
        written = write_result(shown, args.output, fmt=fmt)
    else:
        shown = ScanResult([], _top(result, args.top), result.summary, _spun(result, args.top))
    if not args.quiet:
        _print_summary(shown, result.skipped, written, args.top)
    return 1 if sum(result.summary["pairs"].values()) else 0


def _top(result: Any, top: int) -> list[Any]:
    from spindetect.spark.engine import SparkScan

    if not top:
        return []
    return SparkScan(None, result.families.limit(top), {}).cluster_records()


def _spun(result: Any, top: int) -> list[Any]:
    """Return the ``top`` documents of highest spun score (none without inspection)."""
    from pyspark.sql import functions as F

    from spindetect.spark.engine import SparkScan

    if not top or result.documents is None:
        return []
    ordered = result.documents.orderBy(F.col("spun_score").desc()).limit(top)
    return SparkScan(None, None, {}, documents=ordered).document_records()
