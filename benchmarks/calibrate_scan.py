"""Fit the scan's fast confidence on data: which MinHash features tell copies from non-copies.

The scan judges every candidate pair from three cheap features (``spindetect.stages``):
the MinHash estimates of skeleton-4-gram and content-word Jaccard, and the number of
sampled 8-grams the two texts share. This script fits a logistic regression
(scikit-learn) of copy vs non-copy on them and prints the rounded coefficients that
``stages.verify_pairs`` uses, with the ROC-AUC and recall at 1 % FPR of the fitted score
per set.

Data (seeds 201-205, disjoint from ``bench_quality``'s 0-2, so the benchmark is not the
training set): generated (original, spun) pairs at p = 0.1 ... 0.6; near-duplicates of a
generated crawl; same-topic non-copies; same-site *template* non-copies (10-40 % shared
boilerplate); and, when ``../shared/corpora/mpc-dev`` is present, the real SpinBot pairs
(>= 20 words) against other paragraphs of the same article.

Usage: ``python benchmarks/calibrate_scan.py [--pairs 150]``; writes
``benchmarks/results/calibration_scan.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _peers as P  # noqa: E402

from spindetect import synth  # noqa: E402
from spindetect.crawl.stages import fingerprint, scan_confidence, verify_pairs  # noqa: E402
from spindetect.settings import ScanConfig, VerifyRules  # noqa: E402

OUT = HERE / "results" / "calibration_scan.json"
MPC = HERE.parent.parent / "shared" / "corpora" / "mpc-dev" / "paragraph_pairs.jsonl"
FEATURES = ("skeleton", "content", "shared (capped at 20)")
#: Rules that keep every pair (so that every pair gets its scores).
KEEP_ALL = VerifyRules(spun_content=0.0, min_confidence=0.0)


def features(pairs: list[tuple[str, str]]) -> np.ndarray:
    """``(n, 3)`` features of text pairs, as the scan computes them."""
    texts = [t for p in pairs for t in p]
    fp = fingerprint(texts, ScanConfig())
    left = np.arange(0, len(texts), 2)
    right = left + 1
    shared = P.shared_sample_counts(fp.samples, left, right)
    scored = verify_pairs(
        fp.signatures, fp.signatures, np.stack([left, right], axis=1), shared, KEEP_ALL
    )
    return np.stack(
        [scored.skeleton, scored.content, np.minimum(shared, 20).astype(np.float64)], axis=1
    )


def near_duplicates(n_docs: int, seed: int) -> list[tuple[str, str]]:
    """(original, near-duplicate) pairs of a generated crawl."""
    crawl = list(synth.generate_crawl(n_docs, seed=seed))
    originals = {d.family: d.text for d in crawl if d.kind == "original"}
    return [
        (originals[d.family], d.text)
        for d in crawl
        if d.kind == "near-duplicate" and d.family in originals
    ]


def main() -> int:
    """Fit, print and save the calibration."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=150, help="pairs per generated set")
    ns = ap.parse_args()
    positives: dict[str, list[tuple[str, str]]] = {
        f"spun p={p}": [x[:2] for x in synth.generate_pairs(ns.pairs, rate=p, seed=201)]
        for p in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
    }
    positives["near-duplicates"] = near_duplicates(2000, seed=202)[: ns.pairs]
    negatives: dict[str, list[tuple[str, str]]] = {
        "same-topic": [tuple(x) for x in synth.generate_negatives(ns.pairs, seed=203)],
        "template": [(x.a, x.b) for x in synth.generate_template_negatives(2 * ns.pairs, seed=204)],
    }
    if MPC.exists():
        rows = [json.loads(line) for line in MPC.open(encoding="utf-8")]
        rows = [r for r in rows if len(r["original"].split()) >= 20]
        positives["SpinBot (mpc-dev)"] = [(r["original"], r["spun"]) for r in rows]
        negatives["SpinBot same-article"] = [
            (a["original"], b["spun"])
            for a in rows
            for b in rows
            if a is not b and a["article"] == b["article"]
        ]
    feats = {k: features(v) for k, v in {**positives, **negatives}.items()}
    x = np.concatenate([feats[k] for k in (*positives, *negatives)])
    y = np.concatenate(
        [np.full(len(feats[k]), k in positives, dtype=int) for k in (*positives, *negatives)]
    )
    # Each set weighs the same, whatever its size.
    w = np.concatenate(
        [np.full(len(feats[k]), 1.0 / len(feats[k])) for k in (*positives, *negatives)]
    )
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y, sample_weight=w * len(w))
    coef = [round(float(c), 2) for c in model.coef_[0]]
    intercept = round(float(model.intercept_[0]), 2)
    print(
        "fitted z = {:+.2f} {}".format(
            intercept, " ".join(f"{c:+.2f}*{name}" for c, name in zip(coef, FEATURES, strict=True))
        )
    )
    shipped = {k: scan_confidence(f[:, 0], f[:, 1], f[:, 2]) for k, f in feats.items()}
    neg_all = np.concatenate([shipped[k] for k in negatives])
    table = {}
    for k in positives:
        roc = P.roc_metrics(shipped[k], neg_all)
        table[k] = {
            "recall_at_1pct_fpr": roc["recall_at_fpr"],
            "auc": roc["auc"],
            "median": roc["median_pos"],
        }
        print(
            f"{k:22s} shipped score: R@1%FPR {table[k]['recall_at_1pct_fpr']:.3f} "
            f"AUC {table[k]['auc']:.3f} median {table[k]['median']:.3f}"
        )
    for k in negatives:
        print(
            f"{k:22s} shipped score: median {np.median(shipped[k]):.3f} "
            f"p99 {np.quantile(shipped[k], 0.99):.3f}"
        )
    P.write_json(
        OUT,
        {
            "benchmark": "scan confidence calibration",
            "command": "python benchmarks/calibrate_scan.py " + " ".join(sys.argv[1:]),
            "features": FEATURES,
            "fitted": {"intercept": intercept, "coef": coef},
            "sets": {k: len(v) for k, v in feats.items()},
            "shipped": table,
            "machine": P.machine_info(),
        },
    )
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
