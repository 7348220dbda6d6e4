"""One machine, many documents: `spindetect scan` from JSONL to clusters via the CLI (issue 12 B).

Run ``python benchmarks/bench_scale.py`` (10k documents, 3 runs); ``--sizes 10000,100000``
for more; ``--crawl DIR`` to scan an existing generated crawl folder as it is (e.g. a
1M crawl generated earlier, whatever its generator fingerprint).

What is measured
----------------
Crawls come from the project's own generator (``spindetect generate --docs N --rates
0.3``: 500-word documents, 30 % of them in families of spun copies, 5 % near-duplicates),
cached under ``--data-dir`` in a folder named by generator version, N, rate and seed,
regenerated when the generator's sources change (``generator.sha``). Each run is one
fresh process::

    python -m spindetect scan DIR/docs.jsonl -o OUT.jsonl --quiet

with ``PYTHONPATH`` set to this checkout's ``src`` (the code under test). Per run:
wall seconds (``time.perf_counter`` around the process), CPU seconds (user + system, from
``os.wait4``: the figure to trust when other jobs share the cores; the 1-minute load
average is recorded beside it), peak RSS of the process
(``ru_maxrss`` from ``os.wait4``: that child only) and the bytes it wrote
(``wchar`` of ``/proc/PID/io``, polled; output file plus any temporary text spool).
Figures are medians of ``--runs`` runs.

Quality: recall of the generator's truth (``pairs.jsonl``), by kind (``spun``,
``near-duplicate``), among the output's pair records; precision = share of output
pairs that are truth pairs.

Identical outputs: ``digest`` is the sha256 of the output's records with the summary's
``seconds`` removed (the only field that varies between runs). ``--check FILE`` compares
the digests of this run with those stored in a results file written earlier (e.g. by the
code before a change) and exits 1 when any differs.

Results go to ``benchmarks/results/scale.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import _peers as P

ROOT = Path(__file__).resolve().parents[1]
SPIN_RATE = 0.3


def crawl_dir(data_dir: Path, n: int, *, seed: int = 0, rate: float = SPIN_RATE) -> Path:
    """Return the generated crawl of ``n`` documents under ``data_dir`` (made once, then reused)."""
    import spindetect.synth as synth

    ver = synth.GENERATOR_VERSION
    d = data_dir / f"crawl-g{ver}-n{n}-r{rate}-s{seed}"
    manifest, sha = d / "manifest.json", d / "generator.sha"
    if manifest.exists() and sha.exists() and sha.read_text() == P.generator_fingerprint():
        return d
    t0 = time.perf_counter()
    manifest.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "spindetect", "generate", "--docs", str(n)]
    cmd += ["--rates", str(rate), "--seed", str(seed), "--out", str(d)]
    subprocess.run(cmd, env=_env(), check=True, stdout=subprocess.DEVNULL)
    sha.write_text(P.generator_fingerprint())
    print(f"generated {n} docs in {time.perf_counter() - t0:.0f} s -> {d}", flush=True)
    return d


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def run_scan(docs: Path, out: Path, extra: list[str]) -> dict[str, float]:
    """Run the CLI scan once; return wall and CPU seconds, peak RSS (MiB), bytes written (MB)."""
    cmd = [sys.executable, "-m", "spindetect", "scan", str(docs), "-o", str(out), "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd + extra, env=_env(), stdout=subprocess.DEVNULL)
    written = [0]
    stop = threading.Event()

    def poll() -> None:
        path = f"/proc/{proc.pid}/io"
        while not stop.is_set():
            try:
                for line in Path(path).read_text().splitlines():
                    if line.startswith("wchar:"):
                        written[0] = max(written[0], int(line.split()[1]))
            except OSError:
                pass
            stop.wait(0.05)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    stop.set()
    watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan failed with exit code {proc.returncode}: {' '.join(cmd)}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "load_1min": os.getloadavg()[0],
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "written_mb": written[0] / 1e6,
    }


def digest(out: Path) -> tuple[str, dict[str, Any]]:
    """sha256 of the output records without the summary's timings, and the summary."""
    h = hashlib.sha256()
    summary: dict[str, Any] = {}
    with out.open("rb") as fh:
        for line in fh:
            if line.startswith(b'{"type": "summary"'):
                summary = json.loads(line)
                line = json.dumps({k: v for k, v in summary.items() if k != "seconds"}).encode()
            h.update(line.rstrip(b"\n") + b"\n")
    return h.hexdigest(), summary


def quality(crawl: Path, out: Path) -> dict[str, Any]:
    """Recall of the truth pairs by kind, and precision, of the output's pairs."""
    truth: dict[frozenset[str], str] = {}
    with (crawl / "pairs.jsonl").open() as fh:
        for line in fh:
            rec = json.loads(line)
            truth[frozenset((rec["a"], rec["b"]))] = rec["kind"]
    found: set[frozenset[str]] = set()
    with out.open() as fh:
        for line in fh:
            if line.startswith('{"type": "pair"'):
                rec = json.loads(line)
                found.add(frozenset((rec["a"], rec["b"])))
    result: dict[str, Any] = {}
    for kind in sorted(set(truth.values())):
        want = [p for p, k in truth.items() if k == kind]
        hit = sum(p in found for p in want)
        result[f"recall_{kind}"] = round(hit / len(want), 4) if want else None
    result["precision"] = round(sum(p in truth for p in found) / len(found), 4) if found else None
    result["pairs_found"] = len(found)
    return result


def bench(crawl: Path, runs: int, extra: list[str]) -> dict[str, Any]:
    """Median figures of ``runs`` scans of one crawl, with quality and the output digest."""
    docs = crawl / "docs.jsonl"
    samples = []
    digests = set()
    with tempfile.TemporaryDirectory(prefix="bench_scale") as tmp:
        out = Path(tmp) / "out.jsonl"
        for k in range(runs):
            fig = run_scan(docs, out, extra)
            samples.append(fig)
            d, summary = digest(out)
            digests.add(d)
            print(
                f"  run {k + 1}: {fig['wall_s']:.2f} s wall, {fig['cpu_s']:.2f} s CPU, "
                f"load {fig['load_1min']:.1f}, {fig['peak_rss_mib']:.0f} MiB, "
                f"{fig['written_mb']:.0f} MB written; stages {summary.get('seconds')}",
                flush=True,
            )
        qual = quality(crawl, out)
    if len(digests) != 1:
        raise SystemExit(f"outputs differ between runs of the same code on {crawl}")
    med = {key: round(statistics.median(s[key] for s in samples), 3) for key in samples[0]}
    return {
        "crawl": str(crawl),
        "documents": summary.get("documents"),
        "input_mb": round(docs.stat().st_size / 1e6, 1),
        "runs": runs,
        **med,
        "wall_all": [round(s["wall_s"], 3) for s in samples],
        "stages_last_run": summary.get("seconds"),
        **qual,
        "digest": digests.pop(),
    }


def main() -> int:
    """Parse the options, run the benchmark, write the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000", help="comma-separated crawl sizes")
    ap.add_argument("--crawl", action="append", default=[], type=Path, help="a crawl folder")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=P.DEFAULT_DATA_DIR)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/scale.json")
    ap.add_argument("--check", type=Path, help="results file whose digests must match")
    ap.add_argument("scan_args", nargs="*", help="extra scan options (after --)")
    ns = ap.parse_args()
    crawls = [crawl_dir(ns.data_dir, int(n)) for n in ns.sizes.split(",") if n]
    crawls += ns.crawl
    results = []
    for crawl in crawls:
        print(f"{crawl}:", flush=True)
        row = bench(crawl, ns.runs, ns.scan_args)
        print(json.dumps(row), flush=True)
        results.append(row)
    P.write_json(ns.out, {"machine": P.machine_info(), "results": results})
    if ns.check is not None:
        before = {r["documents"]: r["digest"] for r in json.loads(ns.check.read_text())["results"]}
        bad = [r["documents"] for r in results if before.get(r["documents"]) != r["digest"]]
        if bad:
            print(f"outputs differ from {ns.check} for crawls of {bad} documents", flush=True)
            return 1
        print(f"outputs identical to {ns.check}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
