"""Time and peak memory of ``spindetect compare`` on long pairs (250 KB, 500 KB, 1 MB).

Pairs (all built deterministically, written to a temporary folder):

* ``pan13-spun``: pan13 source documents (sorted by name) joined up to the size, against
  the same text spun by the project's spinner (rate 0.3, each document on its own);
* ``pan13-reuse``: the suspicious documents of the labelled pan13 reuse pairs joined
  in pair order, against their source documents in the same order (real reuse);
* ``generated``: articles of the project's generator (2,000 words each) joined, against
  their spun copies.

Each run is one child process (``python -m spindetect compare --json``): wall time is
measured around the child, CPU time (user + system) and peak RSS from ``os.wait4``
(on a shared machine the CPU time is the steadier figure); figures are medians over
``--runs``. ``--baseline SRC`` also runs the same pairs with another ``src`` folder (the
code before a change) on PYTHONPATH and reports per-size ratios and whether the verdicts
agree; ``--profile`` prints the top functions of a cProfile of the largest pan13-spun pair.

Usage: ``python benchmarks/bench_compare_long.py [--sizes 250000 500000 1000000]
[--kinds pan13-spun generated] [--runs 3] [--baseline /work/main/src] [--profile]``;
writes ``benchmarks/results/compare-long.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAN13 = ROOT.parent / "shared" / "corpora" / "pan13"
OUT = ROOT / "benchmarks" / "results" / "compare-long.json"


def _join_up_to(texts: list[tuple[str, str]], size: int) -> tuple[str, str]:
    """Join (a, b) pieces until side a holds ``size`` characters; cut both at the last piece."""
    parts_a: list[str] = []
    parts_b: list[str] = []
    total = 0
    for a, b in texts:
        if total >= size:
            break
        parts_a.append(a)
        parts_b.append(b)
        total += len(a) + 2
    return "\n\n".join(parts_a)[:size], "\n\n".join(parts_b)[:size]


def build_pair(kind: str, size: int) -> tuple[str, str]:
    """Return the two texts of the ``kind`` pair of about ``size`` characters."""
    from spindetect.synth.spinner import default_spinner

    if kind == "generated":
        from spindetect.synth.pair_sets import generate_pairs

        n = size // 12_000 + 1
        pairs = generate_pairs(n, rate=0.3, seed=5, doc_words=2000)
        return _join_up_to([(a, b) for a, b, _ in pairs], size)
    if not PAN13.is_dir():
        raise SystemExit(f"{PAN13} is absent: only --kinds generated can run")
    if kind == "pan13-spun":
        spinner = default_spinner()
        texts: list[tuple[str, str]] = []
        total = 0
        for k, path in enumerate(sorted((PAN13 / "src").glob("*.txt"))):
            if total >= size:
                break
            text = path.read_text(encoding="utf-8", errors="replace")
            texts.append((text, spinner.spin(text, rate=0.3, seed=k).text))
            total += len(text) + 2
        return _join_up_to(texts, size)
    if kind == "pan13-reuse":
        pairs_file = PAN13 / "02-no-obfuscation" / "pairs"
        texts = []
        total = 0
        for line in pairs_file.read_text().splitlines():
            if total >= size:
                break
            susp, src = line.split()
            a = (PAN13 / "susp" / susp).read_text(encoding="utf-8", errors="replace")
            b = (PAN13 / "src" / src).read_text(encoding="utf-8", errors="replace")
            texts.append((a, b))
            total += len(a) + 2
        return _join_up_to(texts, size)
    raise SystemExit(f"unknown kind {kind!r}")


def run_child(src: Path, path_a: Path, path_b: Path) -> dict[str, Any]:
    """Run one ``compare --json`` child; return seconds, peak RSS (MiB) and the verdict."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "spindetect", "compare", "--json", "--max-chars", "0"]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([*cmd, str(path_a), str(path_b)], stdout=out, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        body = out.read()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"compare exited {proc.returncode} on {path_a.name}")
    result = json.loads(body)
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "verdict": result["verdict"],
        "confidence": result["confidence"],
    }


def _median_runs(src: Path, a: Path, b: Path, runs: int) -> dict[str, Any]:
    measured = [run_child(src, a, b) for _ in range(runs)]
    return {
        "seconds": statistics.median(m["seconds"] for m in measured),
        "cpu_seconds": statistics.median(m["cpu_seconds"] for m in measured),
        "peak_mib": statistics.median(m["peak_mib"] for m in measured),
        "verdict": measured[0]["verdict"],
        "confidence": measured[0]["confidence"],
        "runs": runs,
    }


def profile(a: str, b: str, top: int = 25) -> str:
    """Return the cProfile table (cumulative and own time) of one ``compare(a, b)``."""
    import spindetect

    spindetect.compare("warm up the lexicon.", "warm up the lexicon.")
    prof = cProfile.Profile()
    prof.enable()
    spindetect.compare(a, b, max_chars=None)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def _write(out: Path, rows: list[dict[str, Any]]) -> None:
    report = {
        "rows": rows,
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor(),
            "system": platform.platform(),
            "cores": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    parser.add_argument("--kinds", nargs="+", default=["pan13-spun", "pan13-reuse", "generated"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="src folder measured")
    parser.add_argument("--baseline", type=Path, help="src folder of the code to compare with")
    parser.add_argument("--baseline-max", type=int, default=250_000, help="largest baseline size")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    src = args.src
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds:
            for size in args.sizes:
                a, b = build_pair(kind, size)
                path_a, path_b = (
                    Path(tmp) / f"{kind}-{size}-a.txt",
                    Path(tmp) / f"{kind}-{size}-b.txt",
                )
                path_a.write_text(a, encoding="utf-8")
                path_b.write_text(b, encoding="utf-8")
                row: dict[str, Any] = {"kind": kind, "chars": [len(a), len(b)]}
                row.update(_median_runs(src, path_a, path_b, args.runs))
                if args.baseline is not None and size <= args.baseline_max:
                    base = _median_runs(args.baseline, path_a, path_b, 1)
                    row["baseline"] = base
                    row["speedup"] = base["seconds"] / row["seconds"]
                    row["same_verdict"] = base["verdict"] == row["verdict"]
                rows.append(row)
                _write(args.out, rows)  # after every row: a cut-off run keeps what it measured
                extra = ""
                if "baseline" in row:
                    extra = (
                        f"  baseline {row['baseline']['seconds']:.1f} s "
                        f"({row['baseline']['cpu_seconds']:.1f} s CPU) "
                        f"{row['baseline']['peak_mib']:.0f} MiB {row['baseline']['verdict']}"
                        f"  x{row['speedup']:.1f}"
                    )
                print(
                    f"{kind:<12} {len(a):>9,} chars  {row['seconds']:7.2f} s "
                    f"({row['cpu_seconds']:.1f} s CPU) {row['peak_mib']:7.0f} MiB  "
                    f"{row['verdict']} {row['confidence']}{extra}",
                    flush=True,
                )
        if args.profile:
            a, b = build_pair("pan13-spun" if PAN13.is_dir() else "generated", max(args.sizes))
            print(profile(a, b))
    _write(args.out, rows)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
