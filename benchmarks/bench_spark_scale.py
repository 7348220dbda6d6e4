"""One Spark scan of a large generated crawl (1M documents) with its memory and shuffle figures.

The crawl's ``docs.jsonl`` is split into ``--shards`` JSONL files (one task each,
as a WET listing is read), then ``scan_sources`` runs on ``--master`` with
``spark.driver.memory`` (the executor, in local mode) set to ``--memory`` and
the result is written as Parquet (``SparkScan.write``, as ``scan --engine spark
-o out.parquet`` does). Measured:

* wall clock, and the engine's per-stage seconds (``summary["seconds"]``);
* peak RSS, sampled every ``--sample`` seconds over the process tree: the JVM
  (driver + executor in local mode), the Python workers (sum over all at once),
  and the driver's Python process;
* per stage of the engine (the job descriptions ``spindetect: STAGE`` set by
  the job), from Spark's event log: shuffle bytes written and read, spill,
  executor run time, peak execution memory, task count.

A hard ``--timeout`` cancels the Spark jobs and still writes the report, with
how far the scan got (the stages the event log saw complete).

Usage::

    nice python benchmarks/bench_spark_scale.py --crawl DIR --shards 32 \\
        --memory 4g --timeout 2700 --out benchmarks/results/spark-1m.json
"""

from __future__ import annotations

import _thread
import argparse
import json
import os
import shutil
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _peers as P
from bench_spark import shards

_METRICS = {
    "internal.metrics.shuffle.write.bytesWritten": "shuffle_write_bytes",
    "internal.metrics.shuffle.read.remoteBytesRead": "shuffle_read_bytes",
    "internal.metrics.shuffle.read.localBytesRead": "shuffle_read_bytes",
    "internal.metrics.memoryBytesSpilled": "spill_memory_bytes",
    "internal.metrics.diskBytesSpilled": "spill_disk_bytes",
    "internal.metrics.executorRunTime": "executor_run_ms",
    "internal.metrics.executorCpuTime": "executor_jvm_cpu_ns",
    "internal.metrics.input.bytesRead": "input_bytes",
}


class RssSampler(threading.Thread):
    """Sample the resident set and CPU time of this process and its descendants.

    Keeps the RSS peaks, and ``cpu``: ``(perf_counter, CPU seconds of the whole
    tree)`` per sample (a worker that exits takes its CPU time out of the sum).
    """

    def __init__(self, every: float) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.peaks: dict[str, float] = defaultdict(float)
        self.cpu: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        import psutil

        me = psutil.Process()
        while not self.stop.wait(self.every):
            jvm = workers = 0
            biggest = 0
            cpu = sum(me.cpu_times()[:2])
            try:
                kids = me.children(recursive=True)
            except psutil.Error:
                continue
            for p in kids:
                try:
                    rss = p.memory_info().rss
                    name = p.name()
                    cpu += sum(p.cpu_times()[:2])
                except psutil.Error:
                    continue
                if name == "java":
                    jvm += rss
                else:
                    workers += rss
                    biggest = max(biggest, rss)
            driver = me.memory_info().rss
            self.cpu.append((time.perf_counter(), cpu))
            mib = 1 << 20
            for key, value in (
                ("jvm_mib", jvm),
                ("python_workers_mib", workers),
                ("largest_python_worker_mib", biggest),
                ("driver_python_mib", driver),
                ("total_mib", jvm + workers + driver),
            ):
                self.peaks[key] = max(self.peaks[key], value / mib)


def _event_files(folder: Path) -> list[Path]:
    """Return the event log files of the last application logged in ``folder``, in order."""
    logs = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
    if not logs:
        return []
    last = logs[-1]  # a file, or (Spark 4) a folder eventlog_v2_APP of events_N_APP parts
    if last.is_file():
        return [last]
    parts = [p for p in last.iterdir() if p.name.startswith("events_")]
    return sorted(parts, key=lambda p: int(p.name.split("_")[1]))


def read_event_log(folder: Path) -> dict[str, Any]:
    """Sum the metrics of completed Spark stages by the job description they ran under."""
    stage_label: dict[int, str] = {}
    per: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for part in _event_files(folder):
        with open(part, encoding="utf-8") as fh:
            for line in fh:
                _add_event(json.loads(line), stage_label, per)
    return {k: {m: int(v) for m, v in sorted(row.items())} for k, row in per.items()}


def _safe_event_log(folder: Path) -> dict[str, Any]:
    """:func:`read_event_log`, or the error that stopped it (the report is still written)."""
    try:
        return read_event_log(folder)
    except (OSError, ValueError, KeyError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def _add_event(
    event: dict[str, Any], stage_label: dict[int, str], per: dict[str, dict[str, float]]
) -> None:
    """Fold one event of the log into the per-stage sums."""
    kind = event.get("Event")
    if kind == "SparkListenerJobStart":
        label = (event.get("Properties") or {}).get("spark.job.description") or "other"
        for sid in event.get("Stage IDs", []):
            stage_label[sid] = label.removeprefix("spindetect: ")
    elif kind == "SparkListenerTaskEnd":  # the executor's memory peaks (heap, storage, ...)
        row = per["jvm_peaks_mib"]
        for name, value in (event.get("Task Executor Metrics") or {}).items():
            if name.startswith(("JVM", "OnHeap")) and value:
                row[name] = max(row[name], value / (1 << 20))
        if (event.get("Task End Reason") or {}).get("Reason") != "Success":
            per["tasks_failed"]["count"] += 1
    elif kind == "SparkListenerStageCompleted":
        info = event["Stage Info"]
        row = per[stage_label.get(info["Stage ID"], "other")]
        if info.get("Failure Reason"):
            row["failed_stages"] += 1
            return
        row["spark_stages"] += 1
        row["tasks"] += info.get("Number of Tasks", 0)
        for acc in info.get("Accumulables", []):
            name = _METRICS.get(acc.get("Name", ""))
            if name is not None:
                row[name] += float(acc.get("Value", 0))
            if acc.get("Name") == "internal.metrics.peakExecutionMemory":
                row["peak_execution_memory_bytes"] = max(
                    row["peak_execution_memory_bytes"], float(acc.get("Value", 0))
                )


def shuffle_total(events: Path) -> dict[str, int]:
    """Shuffle bytes written and read over every completed stage of the run."""
    per = _safe_event_log(events)
    rows = [v for k, v in per.items() if isinstance(v, dict) and k != "jvm_peaks_mib"]
    return {
        m: int(sum(r.get(m, 0) for r in rows))
        for m in ("shuffle_write_bytes", "shuffle_read_bytes", "spill_disk_bytes")
    }


def _plain(value: Any) -> Any:
    """Return a Parquet or JSON value in one form: maps as dicts, floats to 4 places.

    An empty map is ``[]`` (Parquet gives no way to tell it from an empty list).
    """
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict) and not value:
        return []
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        if value and all(isinstance(x, tuple) and len(x) == 2 for x in value):  # a Parquet map
            return {k: _plain(v) for k, v in sorted(value)}
        return [_plain(x) for x in value]
    return value


def compare_outputs(output: Path, truth: Path) -> dict[str, Any]:
    """Compare the Spark output's pairs and families with an in-process JSONL output.

    Pairs are compared field by field (``a``, ``b``, ``verdict``, ``confidence``,
    ``scores``, ``cluster``; floats to the JSONL's 4 places), in order and as a
    set; families on every field both outputs have.
    """
    import pyarrow.parquet as pq

    want_pairs: list[Any] = []
    want_fams: list[dict[str, Any]] = []
    with open(truth, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            kind = rec.pop("type", None)
            if kind == "pair":
                want_pairs.append(json.dumps(_plain(rec), sort_keys=True))
            elif kind == "cluster":
                want_fams.append(rec)
    pairs = pq.read_table(output / "pairs").to_pylist()
    got_pairs = [json.dumps(_plain(r), sort_keys=True) for r in pairs]
    fams = pq.read_table(output / "families").to_pylist()
    keys = sorted(set(fams[0]) & set(want_fams[0])) if fams and want_fams else []
    fields_differing: dict[str, int] = defaultdict(int)
    for got, want in zip(fams, want_fams, strict=False):  # lengths reported
        for k in keys:
            if _plain(got[k]) != _plain(want[k]):
                fields_differing[k] += 1
    return {
        "pairs": [len(got_pairs), len(want_pairs)],
        "pairs_identical_in_order": got_pairs == want_pairs,
        "pairs_only_spark": len(set(got_pairs) - set(want_pairs)),
        "pairs_only_in_process": len(set(want_pairs) - set(got_pairs)),
        "families": [len(fams), len(want_fams)],
        "family_fields_compared": keys,
        "families_differing_by_field": dict(fields_differing),
        "families_identical": len(fams) == len(want_fams) and not fields_differing,
    }


def stage_cpu(
    samples: list[tuple[float, float]], stages: dict[str, float], end: float
) -> dict[str, float]:
    """CPU seconds of the process tree in each engine stage.

    The stages ran one after the other and the last (``describe``) ended at
    ``end`` (when ``scan_sources`` returned): their windows are laid backwards
    from there with the engine's stage seconds.
    """
    names = [k for k in stages if k != "total"]
    out: dict[str, float] = {}
    hi = end
    for name in reversed(names):
        lo = hi - stages[name]
        inside = [c for t, c in samples if lo <= t <= hi]
        out[name] = round(inside[-1] - inside[0], 1) if len(inside) >= 2 else 0.0
        hi = lo
    return dict(reversed(list(out.items())))


def main(argv: list[str] | None = None) -> int:
    """Run the scan once and write the JSON report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--crawl", required=True, help="a generated crawl directory (docs.jsonl)")
    ap.add_argument("--shards", type=int, default=32)
    ap.add_argument("--work", default="/tmp/spindetect-spark-scale", help="shards, events, output")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--memory", default="4g", help="spark.driver.memory (the executor, locally)")
    ap.add_argument("--partitions", type=int, default=32, help="spark.sql.shuffle.partitions")
    ap.add_argument("--explain", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=2700.0, help="cancel the jobs after (s)")
    ap.add_argument("--sample", type=float, default=1.0, help="RSS sampling period (s)")
    ap.add_argument("--out", default=None, help="write the report here (JSON)")
    ap.add_argument(
        "--storage", default="disk", choices=["disk", "memory"], help="per-document tables"
    )
    ap.add_argument(
        "--truth",
        default=None,
        help="the in-process `spindetect scan -o X.jsonl` of the same crawl: compare with it",
    )
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    from spindetect.spark import scan_sources

    crawl, work = Path(args.crawl), Path(args.work)
    n = int(json.loads((crawl / "manifest.json").read_text(encoding="utf-8"))["counts"]["docs"])
    t = time.perf_counter()
    files = shards(crawl, args.shards, work / f"shards-{n}-{args.shards}")
    split_s = time.perf_counter() - t
    events = work / "events"
    shutil.rmtree(events, ignore_errors=True)
    events.mkdir(parents=True)
    output = work / "out.parquet"
    load_before = os.getloadavg()
    sampler = RssSampler(args.sample)
    sampler.start()
    t0 = time.perf_counter()
    spark = (
        SparkSession.builder.master(args.master)
        .appName("bench_spark_scale")
        .config("spark.driver.memory", args.memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(args.partitions))
        .config("spark.local.dir", str(work / "spark-local"))
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.compress", "false")
        .config("spark.eventLog.dir", events.as_uri())
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    started_s = time.perf_counter() - t0
    state = {"timed_out": False}

    def cancel() -> None:  # the running jobs, then the driver's own work
        state["timed_out"] = True
        spark.sparkContext.cancelAllJobs()
        _thread.interrupt_main()

    timer = threading.Timer(args.timeout, cancel)
    timer.daemon = True
    timer.start()
    summary: dict[str, Any] = {}
    error = None
    scanned = written = 0.0
    try:
        result = scan_sources(spark, files, explain=args.explain, storage=args.storage)
        scanned = time.perf_counter()
        summary = result.summary
        result.write(output)
        written = time.perf_counter()
    except (Exception, KeyboardInterrupt) as exc:  # cancelled or failed: report how far it got
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    wall = time.perf_counter() - t0
    timer.cancel()
    try:
        spark.stop()
    except Exception as exc:  # the JVM died (e.g. out of heap): keep the report
        error = error or f"{type(exc).__name__} at stop"
    sampler.stop.set()
    sampler.join()
    out_bytes = sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) if not error else 0
    report = {
        "benchmark": "bench_spark_scale",
        "command": " ".join(sys.argv),
        "crawl": str(crawl),
        "documents": n,
        "shards": args.shards,
        "master": args.master,
        "driver_memory": args.memory,
        "shuffle_partitions": args.partitions,
        "split_s": round(split_s, 1),
        "session_start_s": round(started_s, 1),
        "wall_s": round(wall, 1),
        "completed": error is None,
        "timed_out": state["timed_out"],
        "error": error,
        "stages_s": summary.get("seconds", {}),
        "write_s": round(written - scanned, 1) if written else None,
        "cpu_s_total": round(sampler.cpu[-1][1], 1) if sampler.cpu else None,
        "write_cpu_s": stage_cpu(sampler.cpu, {"write": written - scanned}, written)["write"]
        if written
        else None,
        "stages_cpu_s": stage_cpu(sampler.cpu, summary.get("seconds", {}), scanned)
        if scanned
        else {},
        "counts": {k: summary[k] for k in ("candidates", "pairs", "clusters") if k in summary},
        "peak_rss_mib": {k: round(v) for k, v in sampler.peaks.items()},
        "per_stage_spark": _safe_event_log(events),
        "storage": args.storage,
        "shuffle_bytes_total": shuffle_total(events),
        "versus_in_process": compare_outputs(output, Path(args.truth))
        if args.truth and not error
        else None,
        "output_mib": round(out_bytes / (1 << 20), 1),
        "machine": P.machine_info(),
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }
    print(json.dumps(report, indent=1), flush=True)
    if args.out:
        P.write_json(args.out, report)
    return 0 if error is None else 1


if __name__ == "__main__":
    raise SystemExit(main())
