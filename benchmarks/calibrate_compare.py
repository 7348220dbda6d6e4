"""Choose and check the verdict rules and the confidence model of ``compare`` on data.

Data: generated (original, spun) pairs at spin rates 0.1 to 0.5 (``spindetect.synth``) against
same-topic non-copies, and, when ``../shared/corpora/mpc-dev`` is present, the real SpinBot
pairs (≥ 20 words) against other paragraphs of the same article.

It prints, per set, the distribution of the rule features (min coverage, kept) so the
thresholds of ``VerdictRules`` can be seen to sit in the empty gap between copies and
non-copies; the flag rate of copies and the false-flag rate of non-copies under the shipped
rules; and a logistic regression (scikit-learn) of copy vs non-copy on the confidence features,
whose rounded coefficients are the ones ``compare._confidence`` uses.

Usage: ``python benchmarks/calibrate_compare.py [--pairs 60] [--negatives 300]``; writes
``benchmarks/results/calibration.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from spindetect import compare
from spindetect.synth.pair_sets import generate_negatives, generate_pairs

ROOT = Path(__file__).resolve().parents[1]
MPC = ROOT.parent / "shared" / "corpora" / "mpc-dev" / "paragraph_pairs.jsonl"
OUT = ROOT / "benchmarks" / "results" / "calibration.json"
FEATURES = ("min_coverage", "kept", "tfidf_cosine", "synonym_evidence")


def features(a: str, b: str) -> tuple[list[float], str]:
    r = compare(a, b)
    s = r.scores
    return [
        min(s["coverage_a"], s["coverage_b"]),
        s["kept"],
        s["tfidf_cosine"],
        s["synonym_evidence"],
    ], r.verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=60, help="pairs per spin rate")
    parser.add_argument("--negatives", type=int, default=300)
    args = parser.parse_args()
    sets: dict[str, list[tuple[list[float], str]]] = {}
    for rate in (0.1, 0.2, 0.3, 0.4, 0.5):
        sets[f"spun p={rate}"] = [
            features(o, s) for o, s, _ in generate_pairs(args.pairs, rate=rate, seed=101)
        ]
    sets["same-topic non-copies"] = [
        features(a, b) for a, b in generate_negatives(args.negatives, seed=101)
    ]
    if MPC.exists():
        rows = [json.loads(line) for line in MPC.open(encoding="utf-8")]
        rows = [r for r in rows if len(r["original"].split()) >= 20]
        sets["SpinBot pairs"] = [features(r["original"], r["spun"]) for r in rows]
        by_article: dict[str, list[dict[str, str]]] = {}
        for r in rows:
            by_article.setdefault(r["article"], []).append(r)
        sets["SpinBot same-article non-copies"] = [
            features(x["original"], y[key])
            for group in by_article.values()
            for x, y in itertools.combinations(group, 2)
            for key in ("original", "spun")
        ]
    report: dict[str, object] = {"sets": {}}
    for name, rows_ in sets.items():
        f = np.array([x for x, _ in rows_])
        verdicts = [v for _, v in rows_]
        flagged = sum(v != "unrelated" for v in verdicts) / len(verdicts)
        summary = {
            "n": len(rows_),
            "flagged": round(flagged, 4),
            "min_coverage p1/p50/p99": np.round(np.percentile(f[:, 0], [1, 50, 99]), 3).tolist(),
            "kept p1/p50/p99": np.round(np.percentile(f[:, 1], [1, 50, 99]), 3).tolist(),
            "verdicts": {v: verdicts.count(v) for v in sorted(set(verdicts))},
        }
        report["sets"][name] = summary  # type: ignore[index]
        print(
            f"{name:<34} n={summary['n']:<4} flagged {flagged:6.1%}  "
            f"min_cov p1/50/99 {summary['min_coverage p1/p50/p99']}  "
            f"kept p1/50/99 {summary['kept p1/p50/p99']}  {summary['verdicts']}"
        )
    x = np.array([f for name, rows_ in sets.items() for f, _ in rows_])
    y = np.array([0 if "non-copies" in name else 1 for name, rows_ in sets.items() for _ in rows_])
    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    coef = {
        "intercept": round(float(model.intercept_[0]), 2),
        **{n: round(float(c), 2) for n, c in zip(FEATURES, model.coef_[0], strict=True)},
    }
    report["logistic"] = coef
    print("logistic regression (copy vs non-copy):", coef)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
