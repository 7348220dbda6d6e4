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

Usage::

    python benchmarks/bench_inspect.py [--docs 20000] [--json results/inspect.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-quality", action="store_true")
    args = parser.parse_args(argv)
    out: dict[str, object] = {"speed": speed(args.docs)}
    if not args.no_quality:
        out["quality"] = quality()
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
