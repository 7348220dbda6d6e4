"""Latency of ``spindetect.compare`` on two 2,000-word documents, with peers in the same run.

Peers a user might reach for on the same pair of texts:

* ``difflib``: ``SequenceMatcher(autojunk=False)`` word alignment of the two token sequences
  (what a script that "diffs the words" does; it explains nothing about synonyms);
* ``sklearn-tfidf``: ``TfidfVectorizer`` fitted on the pair + cosine (a score, no explanation).

Each round times every method once, in rotating order (interleaved); the figures are medians
over rounds, and ratios are per-round ratios against compare, then their median.

Usage: ``python benchmarks/bench_compare.py [--rounds 9] [--words 2000]``; writes
``benchmarks/results/compare.json``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import platform
import statistics
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

import spindetect
from spindetect.synth.pair_sets import generate_pairs
from spindetect.text.tokens import tokenize

OUT = Path(__file__).resolve().parent / "results" / "compare.json"


def _difflib(a: str, b: str) -> float:
    return difflib.SequenceMatcher(
        None, tokenize(a).forms, tokenize(b).forms, autojunk=False
    ).ratio()


def _tfidf(a: str, b: str) -> float:
    m = TfidfVectorizer().fit_transform([a, b])
    return float(cosine_similarity(m[0], m[1])[0, 0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--words", type=int, default=2000)
    args = parser.parse_args()
    original, spun, _ = generate_pairs(1, rate=0.3, seed=11, doc_words=args.words)[0]
    methods = {
        "spindetect.compare": lambda: spindetect.compare(original, spun),
        "difflib word alignment": lambda: _difflib(original, spun),
        "sklearn TF-IDF cosine": lambda: _tfidf(original, spun),
    }
    for fn in methods.values():  # warm up: imports, lexicon load, numba cache
        fn()
    times: dict[str, list[float]] = {name: [] for name in methods}
    names = list(methods)
    for r in range(args.rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            t = time.perf_counter()
            methods[name]()
            times[name].append(time.perf_counter() - t)
    result = spindetect.compare(original, spun)
    base = times["spindetect.compare"]
    report = {
        "words": [len(original.split()), len(spun.split())],
        "rounds": args.rounds,
        "verdict": result.verdict,
        "median_seconds": {k: statistics.median(v) for k, v in times.items()},
        "ratio_to_compare": {
            k: statistics.median(t / c for t, c in zip(v, base, strict=False))
            for k, v in times.items()
        },
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor(),
            "system": platform.platform(),
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    for name in names:
        print(
            f"{name:<24} median {report['median_seconds'][name] * 1000:8.1f} ms   "
            f"x{report['ratio_to_compare'][name]:.2f} of compare"
        )
    print(f"words {report['words']}, verdict {result.verdict}; wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
