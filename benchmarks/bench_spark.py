"""Spark ``local[N]`` against the in-process scan on the same generated crawl.

For each size, the crawl of ``bench_scan.crawl_dir`` (500-word documents, spin
rate 0.3, cached under ``--data-dir``) is split into ``--shards`` JSONL files
(Spark reads one file per task, as a Common Crawl listing would be read). Each
round runs, interleaved:

* in process: ``scan(iter_documents(shards))`` with the default configuration;
* on Spark: ``scan_sources(spark, shards)`` and the collection of its records
  (``SparkScan.to_result``), i.e. the same records on the driver.

Every round checks that the pairs and families are equal record for record,
and reports wall-clock medians and the overhead ratio Spark / in process, plus
the per-stage seconds of the last Spark run. Results go to ``--out`` as JSON.

Usage::

    python benchmarks/bench_spark.py --sizes 10000 100000 --rounds 3 \\
        --out benchmarks/results/spark.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _peers as P
from bench_scan import crawl_dir

from spindetect.crawl.scanning import scan
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog


def shards(d: Path, k: int, out: Path | None = None) -> list[str]:
    """Split ``d/docs.jsonl`` into ``k`` consecutive JSONL files (cached).

    The files go to ``out`` (default ``d/shards-K``); the input is streamed, so a
    crawl of any size splits in constant memory.
    """
    out = out if out is not None else d / f"shards-{k}"
    names = [out / f"part-{s:04d}.jsonl" for s in range(k)]
    if all(p.exists() for p in names):
        return [str(p) for p in names]
    out.mkdir(parents=True, exist_ok=True)
    with open(d / "docs.jsonl", "rb") as fh:
        lines = sum(1 for _ in fh)
    per = -(-lines // k)
    with open(d / "docs.jsonl", "rb") as fh:
        for p in names:
            tmp = p.with_suffix(".tmp")
            with open(tmp, "wb") as dst:
                dst.writelines(itertools.islice(fh, per))
            os.replace(tmp, p)
    return [str(p) for p in names]


def crawl_of(args: argparse.Namespace, n: int) -> Path:
    """Return the crawl of ``n`` documents: a ``--crawl`` directory of that size, else generated."""
    for d in args.crawl or []:
        manifest = json.loads((Path(d) / "manifest.json").read_text(encoding="utf-8"))
        if int(manifest["counts"]["docs"]) == n:
            return Path(d)
    return crawl_dir(args.data_dir, n)


def session(master: str, memory: str, partitions: int) -> Any:
    """Start a Spark session on ``master``, ``memory`` for the driver (the executor locally)."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName("bench_spark")
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and write the JSON results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--memory", default="4g", help="spark.driver.memory (default 4g)")
    ap.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    ap.add_argument("--explain", type=int, default=20)
    ap.add_argument(
        "--data-dir", default=os.environ.get("SPINDETECT_BENCH_DATA", "/tmp/spindetect-bench")
    )
    ap.add_argument("--out", default=None, help="write results here (JSON)")
    ap.add_argument(
        "--crawl",
        nargs="*",
        help="existing generated crawl directories to use for their sizes (no regeneration)",
    )
    args = ap.parse_args(argv)

    from spindetect.spark import scan_sources

    load_before = os.getloadavg()
    spark = session(args.master, args.memory, args.partitions)
    # Warm up both engines (numba compilation, JVM and Python workers) on a small crawl.
    warm = shards(crawl_of(args, 2_000), 2, Path(args.data_dir) / "shards-2000-2")
    scan(iter_documents(warm), explain=1)
    scan_sources(spark, warm, explain=1).to_result()

    results = []
    for n in args.sizes:
        crawl = crawl_of(args, n)
        files = shards(crawl, args.shards, Path(args.data_dir) / f"shards-{n}-{args.shards}")
        t_proc: list[float] = []
        t_spark: list[float] = []
        equal = True
        stages: dict[str, Any] = {}
        summary: dict[str, Any] = {}
        for r in range(args.rounds):
            t = time.perf_counter()
            log = SkipLog()
            truth = scan(iter_documents(files, errors=log), explain=args.explain, skipped=log)
            t_proc.append(time.perf_counter() - t)
            t = time.perf_counter()
            got = scan_sources(spark, files, explain=args.explain)
            result = got.to_result()
            t_spark.append(time.perf_counter() - t)
            same = result.pairs == truth.pairs and result.clusters == truth.clusters
            equal = equal and same
            stages = {"spark": got.summary["seconds"], "process": truth.summary["seconds"]}
            summary = {
                k: truth.summary[k]
                for k in ("documents", "candidates", "pairs", "clusters", "clustered_documents")
            }
            got.unpersist()
            print(
                f"n={n} round {r + 1}: process {t_proc[-1]:.1f} s, spark {t_spark[-1]:.1f} s,"
                f" identical={same}",
                flush=True,
            )
        row = {
            "documents": n,
            "crawl": str(crawl),
            "shards": args.shards,
            "rounds": args.rounds,
            "process_s": t_proc,
            "spark_s": t_spark,
            "process_median_s": round(statistics.median(t_proc), 2),
            "spark_median_s": round(statistics.median(t_spark), 2),
            "overhead_ratio": round(statistics.median(t_spark) / statistics.median(t_proc), 2),
            "identical": equal,
            "stages_last_round": stages,
            "counts": summary,
        }
        print(json.dumps(row), flush=True)
        results.append(row)
    spark.stop()
    data = {
        "benchmark": "bench_spark",
        "master": args.master,
        "driver_memory": args.memory,
        "shuffle_partitions": args.partitions,
        "command": " ".join(sys.argv),
        "machine": P.machine_info(),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "results": results,
    }
    if args.out:
        P.write_json(args.out, data)
    return 0 if all(r["identical"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
