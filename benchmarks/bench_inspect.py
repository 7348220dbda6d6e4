"""Benchmark of ``spindetect.inspect``: quality floors (issue 14) and batch speed.

Quality (needs ``../shared/corpora``):

* mpc-dev cross-validated by article: for each article, the model is fit by
  ``tools/fit_inspect.py``'s :func:`fit` on the other two articles (plus the
  natural chunks of part 0, decision calibrated on part 1) and scores the held-out
  article's spun paragraphs and originals; ROC-AUC and flagged shares at the
  default decision over the three folds;
* the shipped model on every pan13 document, every wiki-versions-dev revision
  (and the held-out parts 2-3 only, never seen by the fit) and the two seed pages.

Speed: :func:`inspect_scores` on 500-word pages, 2 threads, median of 5 runs,
docs/s, with a same-run peer (:func:`spindetect.signatures` fingerprinting the
same pages) for the ratio.

What it adds to a crawl scan (``--scan N``, e.g. 100000): the project's generated
crawl of N documents (``bench_scan.crawl_dir``, cached under
``$SPINDETECT_BENCH_DATA``), scanned by the CLI, ``spindetect scan docs.jsonl
--quiet -o out.jsonl`` with and without ``--no-inspect``, each in a fresh process,
after one untimed run of each (compiled-kernel caches), the two alternating
(order swapped every round), ``--rounds`` rounds (default 3);
median wall seconds of each, the difference, and the scan's own ``inspect`` stage
seconds from the summary record.

Usage::

    python benchmarks/bench_inspect.py [--docs 20000] [--scan 100000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import fit_inspect as F  # noqa: E402

from spindetect import read_text, signatures  # noqa: E402
from spindetect.inspection import inspect_scores  # noqa: E402
from spindetect.inspection.model import Model  # noqa: E402


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Return the ROC-AUC (Mann-Whitney, ties count half)."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(np.r_[np.ones(len(pos)), np.zeros(len(neg))], np.r_[pos, neg]))


def quality() -> dict[str, object]:
    """Return the quality figures."""
    rows = F.mpc_rows()
    nat = F.counts_of(F.natural_chunks(F.FIT))
    cal = F.counts_of(F.natural_chunks(F.CALIBRATE))
    spun, orig, folds = [], [], {}
    for article in sorted({r["article"] for r in rows}):
        model = F.fit([r for r in rows if r["article"] != article], nat, cal)
        test = [r for r in rows if r["article"] == article]
        s = model.scores(F.counts_of([r["spun"] for r in test]))
        o = model.scores(F.counts_of([r["original"] for r in test]))
        folds[article] = {
            "paragraphs": len(test),
            "spun_flagged": float((s >= 0.5).mean()),
            "originals_flagged": float((o >= 0.5).mean()),
        }
        spun.extend(s)
        orig.extend(o)
    s_arr, o_arr = np.array(spun), np.array(orig)
    model = Model.default()

    def flagged(paths: list[Path]) -> float:
        return float((model.scores(F.counts_of([read_text(p) for p in paths])) >= 0.5).mean())

    pan_all = sorted(F.PAN13.glob("s*/*.txt"))
    wiki_all = F.wiki_files((0, 1, 2, 3), latest_only=False)
    seeds = sorted((F.CORPORA / "seeds").glob("*.txt"))
    return {
        "mpc_cv": {
            "auc": auc(s_arr, o_arr),
            "spun_flagged": float((s_arr >= 0.5).mean()),
            "originals_flagged": float((o_arr >= 0.5).mean()),
            "folds": folds,
        },
        "pan13_flagged": {
            "all": flagged(pan_all),
            "held_out": flagged(F.pan13_files(F.HELD_OUT)),
            "documents": len(pan_all),
        },
        "wiki_flagged": {
            "all": flagged(wiki_all),
            "held_out": flagged(F.wiki_files(F.HELD_OUT, latest_only=False)),
            "revisions": len(wiki_all),
        },
        "seeds": [float(v) for v in model.scores(F.counts_of([read_text(p) for p in seeds]))],
    }


def pages(n: int) -> list[str]:
    """Return ``n`` 500-word pages cut from pan13 documents."""
    words: list[str] = []
    for p in sorted(F.PAN13.glob("s*/*.txt"))[:400]:
        words.extend(read_text(p).split())
    return [" ".join(words[(i * 500) % (len(words) - 500) :][:500]) for i in range(n)]


def speed(n: int, repeats: int = 5) -> dict[str, float]:
    """Return median docs/s of inspect_scores and of the signatures peer, 2 threads."""
    texts = pages(n)
    inspect_scores(texts[:10], threads=2)
    signatures(texts[:10])
    t_inspect, t_peer = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        inspect_scores(texts, threads=2)
        t_inspect.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        signatures(texts)
        t_peer.append(time.perf_counter() - t0)
    a, b = statistics.median(t_inspect), statistics.median(t_peer)
    return {
        "docs": n,
        "inspect_docs_per_s": n / a,
        "signatures_docs_per_s": n / b,
        "inspect_time_over_signatures": a / b,
    }


def _scan_once(docs: Path, out: Path, *, inspect: bool) -> tuple[float, dict[str, float]]:
    """Run one CLI scan in a fresh process; return wall seconds and the stage seconds."""
    cmd = [sys.executable, "-m", "spindetect", "scan", str(docs), "--quiet", "-o", str(out)]
    if not inspect:
        cmd.append("--no-inspect")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        raise RuntimeError(f"scan failed ({done.returncode}): {done.stderr.strip()}")
    with out.open(encoding="utf-8") as f:
        *_, last = f
    summary = json.loads(last)
    return wall, dict(summary.get("seconds", {}))


def scan_overhead(n: int, rounds: int = 3) -> dict[str, object]:
    """Return what the spun score adds to a CLI scan of the ``n``-document crawl.

    Median wall seconds with and without ``--no-inspect`` and the scan's own
    ``inspect`` stage seconds.
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import _peers
    import bench_scan

    docs = bench_scan.crawl_dir(_peers.DEFAULT_DATA_DIR, n) / "docs.jsonl"
    walls: dict[bool, list[float]] = {True: [], False: []}
    stage: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scan.jsonl"
        for inspect in (True, False):  # untimed: fills the compiled-kernel caches
            _scan_once(docs, out, inspect=inspect)
        for r in range(rounds):
            for inspect in (True, False) if r % 2 == 0 else (False, True):
                wall, seconds = _scan_once(docs, out, inspect=inspect)
                walls[inspect].append(wall)
                if inspect:
                    stage.append(float(seconds.get("inspect", float("nan"))))
    with_inspect = statistics.median(walls[True])
    without = statistics.median(walls[False])
    return {
        "documents": n,
        "rounds": rounds,
        "scan_seconds": with_inspect,
        "scan_no_inspect_seconds": without,
        "added_seconds": with_inspect - without,
        "added_share": (with_inspect - without) / without,
        "inspect_stage_seconds": statistics.median(stage),
        "walls": {"inspect": walls[True], "no_inspect": walls[False]},
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--scan", type=int, default=0, help="crawl size of the scan overhead")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    out: dict[str, object] = {"speed": speed(args.docs)}
    if args.scan:
        out["scan"] = scan_overhead(args.scan, args.rounds)
    if not args.no_quality:
        out["quality"] = quality()
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
