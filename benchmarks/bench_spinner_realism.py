"""How close is spindetect's spinner to a real one (SpinBot).

Data: ``../shared/corpora/mpc-dev/paragraph_pairs.jsonl``, real SpinBot
paragraph pairs (rows of fewer than 20 words are skipped). Spun paragraphs are
repaired with ftfy first (SpinBot output carries mojibake such as ``Â``).

For each pair two overlap measures are computed on lower-cased word tokens:

* unigram Jaccard, ``|A & B| / |A | B|`` over the two word sets;
* word-3-gram survival, the share of the original's 3-grams found in the spun text.

The ORIGINAL paragraphs are then spun with :func:`spindetect.spin.spin` (the
WordNet lexicon) at rates 0.1 to 0.8, several seeds each, and the medians are
compared with SpinBot's. The matching rate is the one that minimises the
summed absolute difference of the two medians, refined by linear
interpolation between the grid rates. Achieved-vs-requested substitution rate
and spinner speed are reported too, and the speed of the labelled-crawl
generator (:func:`spindetect.synth.write_crawl`, 500-word articles, docs/s,
median of 3 runs after a warm-up) against a peer run that writes articles
only (no spun copies or near-duplicates).

Run: ``python benchmarks/bench_spinner_realism.py`` (writes
``benchmarks/results/spinner_realism.json``).
"""

from __future__ import annotations

import itertools
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from spindetect import synth
from spindetect.synth.spinner import Spinner
from spindetect.text.normalization import repair_mojibake
from spindetect.text.tokens import WORD_PATTERN

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "corpora" / "mpc-dev" / "paragraph_pairs.jsonl"
OUT = ROOT / "benchmarks" / "results" / "spinner_realism.json"
RATES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
SEEDS = range(5)
MIN_WORDS = 20


def words(text: str) -> list[str]:
    return [m.group().lower().replace("\u2019", "'") for m in WORD_PATTERN.finditer(text)]


def jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def survival(a: list[str], b: list[str], n: int = 3) -> float:
    grams_a = {tuple(a[i : i + n]) for i in range(len(a) - n + 1)}
    grams_b = {tuple(b[i : i + n]) for i in range(len(b) - n + 1)}
    return len(grams_a & grams_b) / len(grams_a) if grams_a else 1.0


def medians(pairs: list[tuple[str, str]]) -> dict[str, float]:
    jac = [jaccard(words(a), words(b)) for a, b in pairs]
    sur = [survival(words(a), words(b)) for a, b in pairs]
    return {
        "unigram_jaccard_median": round(statistics.median(jac), 4),
        "trigram_survival_median": round(statistics.median(sur), 4),
        "unigram_jaccard_iqr": [round(q, 4) for q in _quartiles(jac)],
        "trigram_survival_iqr": [round(q, 4) for q in _quartiles(sur)],
    }


def _quartiles(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def crawl_speed(n_docs: int = 3000, runs: int = 3) -> dict[str, object] | None:
    """Docs/s of write_crawl (default shares) and of an articles-only peer run."""
    if synth.default_source_path() is None:
        return None
    out: dict[str, object] = {"n_docs": n_docs, "runs": runs, "doc_words": 500}
    with tempfile.TemporaryDirectory() as tmp:
        synth.write_crawl(tmp, n_docs, seed=99)  # warm-up: chains, lexicon, caches
        for name, shares in (
            ("crawl", {}),
            ("articles_only", {"family_share": 0.0, "near_dup_share": 0.0}),
        ):
            wall, cpu = [], []
            for run in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                synth.write_crawl(tmp, n_docs, seed=run, **shares)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            out[name] = {
                "docs_per_s_wall": round(n_docs / statistics.median(wall)),
                "docs_per_s_cpu": round(n_docs / statistics.median(cpu)),
            }
            print(name, out[name])
    crawl, peer = out["crawl"], out["articles_only"]
    out["ratio_cpu_crawl_vs_articles_only"] = round(
        crawl["docs_per_s_cpu"] / peer["docs_per_s_cpu"], 3
    )  # type: ignore[index]
    return out


def main() -> int:
    if not DATA.is_file():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if len(r["original"].split()) >= MIN_WORDS]
    real = [(r["original"], repair_mojibake(r["spun"])) for r in rows]
    spinbot = medians(real)
    print(f"SpinBot, {len(real)} paragraphs: {spinbot}")

    spinner = Spinner()
    spinner.spin(rows[0]["original"])  # load the lexicon outside the timings
    table = []
    for rate in RATES:
        pairs, achieved, seconds, n_words = [], [], [], 0
        for seed in SEEDS:
            start = time.perf_counter()
            results = [spinner.spin(r["original"], rate=rate, seed=seed) for r in rows]
            seconds.append(time.perf_counter() - start)
            n_words += sum(len(r["original"].split()) for r in rows)
            pairs += [(r["original"], res.text) for r, res in zip(rows, results, strict=False)]
            achieved += [res.rate_achieved for res in results]
        row = {
            "rate_requested": rate,
            **medians(pairs),
            "rate_achieved_median": round(statistics.median(achieved), 4),
            "rate_achieved_mean": round(statistics.fmean(achieved), 4),
            "words_per_s_median_run": round(n_words / len(SEEDS) / statistics.median(seconds)),
        }
        table.append(row)
        print(row)

    def distance(row: dict[str, float]) -> float:
        return abs(row["unigram_jaccard_median"] - spinbot["unigram_jaccard_median"]) + abs(
            row["trigram_survival_median"] - spinbot["trigram_survival_median"]
        )

    best = min(table, key=distance)
    # interpolate each measure's crossing point between grid rates
    crossings = {}
    for key in ("unigram_jaccard_median", "trigram_survival_median"):
        target = spinbot[key]
        crossings[key] = None
        for lo, hi in itertools.pairwise(table):
            if (lo[key] - target) * (hi[key] - target) <= 0 and lo[key] != hi[key]:
                t = (lo[key] - target) / (lo[key] - hi[key])
                crossings[key] = round(
                    lo["rate_requested"] + t * (hi["rate_requested"] - lo["rate_requested"]), 3
                )
                break
    generator = crawl_speed()
    result = {
        "benchmark": "spinner_realism",
        "data": "../shared/corpora/mpc-dev/paragraph_pairs.jsonl",
        "paragraphs": len(rows),
        "min_words": MIN_WORDS,
        "seeds": len(SEEDS),
        "spinbot": spinbot,
        "spindetect_spinner": table,
        "best_grid_rate": best["rate_requested"],
        "matching_rate_by_measure": crossings,
        "crawl_generator": generator,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor(),
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"best grid rate {best['rate_requested']}, crossings {crossings}; wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
