"""Crawl-scale retrieval against spin rate: who still *finds* the spun pairs as p grows.

Pairwise benchmarks (``bench_quality.py``) pick each method's best threshold after the
fact; in a crawl nobody hands you the pairs, so each method must retrieve them through
its own index. For each spin rate p = 0.1 ... 0.5 this script generates a crawl of
``--docs`` documents (``synth.write_crawl(..., spin_rates=(p,))``, 30 % of documents in
families of an original and up to 4 spun copies, 5 % near-duplicates, same-topic
unrelated articles around them) and runs every method end to end, from raw text to the
pairs it reports:

* ``spindetect``: ``stages.fingerprint -> candidates -> verify`` (default ``ScanConfig``);
  the reported pairs are its whole-copy verdicts (near-duplicate or spun);
* ``datasketch`` / ``rensa``: word-5-gram MinHash (128 permutations) into their own LSH
  index at threshold t in {0.3, 0.5, 0.8}, then each candidate kept when the tool's own
  Jaccard estimate is >= t (rensa's bands: the divisor of 128 nearest datasketch's
  optimum, ``_peers.RENSA_BANDS``).

Metrics: recall of the (original, spun copy) pairs, of the (spun, spun) pairs of one
family and of the near-duplicate pairs; precision of the reported pairs (any pair
inside one true family counts as correct). ``ahead`` says, per p, whether spindetect's
original-copy recall is above the best peer setting's.

Usage: ``python benchmarks/bench_crawl_rates.py [--docs 3000]``; writes
``benchmarks/results/crawl_rates.json`` and ``docs/bench_crawl_rates.png``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _peers as P  # noqa: E402
import bench_scan as S  # noqa: E402

RATES = (0.1, 0.2, 0.3, 0.4, 0.5)
THRESHOLDS = (0.3, 0.5, 0.8)
OUT = HERE / "results" / "crawl_rates.json"
PLOT = HERE.parent / "docs" / "bench_crawl_rates.png"


def methods(texts: list[str], truth: dict) -> dict:
    """Reported-pair quality of spindetect and of every peer setting on one crawl.

    ``bench_scan.retrieval`` at this benchmark's thresholds; what each method
    reports is spindetect's whole-copy verdicts and the peers' verified pairs.
    """
    rows = S.retrieval(texts, truth, with_ds=True, thresholds=THRESHOLDS)
    reported = {
        name: {
            **r["verified_whole" if name == "spindetect" else "verified"],
            "seconds": r["seconds"],
        }
        for name, r in rows.items()
    }
    return reported


def plot(result: dict) -> None:
    """Original-copy recall of every method vs spin rate."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rates = [float(r) for r in result["rates"]]
    names = list(next(iter(result["rates"].values()))["methods"])
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name in names:
        ys = [result["rates"][str(r)]["methods"][name]["recall_orig-copy"] for r in rates]
        ax.plot(
            rates,
            ys,
            marker="o",
            lw=2.5 if name == "spindetect" else 1.2,
            ls="-" if name == "spindetect" or "0.3" in name else "--",
            label=name,
        )
    ax.set(
        xlabel="spin rate p",
        ylabel="recall of (original, spun) pairs",
        title=f"Crawl of {result['params']['docs']:,} docs: pairs each method reports",
        ylim=(-0.03, 1.03),
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Run every rate, print the table, write JSON and the plot."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir", default=str(P.DEFAULT_DATA_DIR))
    ap.add_argument("--out", default=str(OUT))
    ns = ap.parse_args(argv)
    P.require_all()
    from spindetect import synth

    t_start = time.perf_counter()
    result: dict = {
        "benchmark": "crawl-scale retrieval against spin rate",
        "command": "python benchmarks/bench_crawl_rates.py " + " ".join(argv or sys.argv[1:]),
        "generator_version": synth.GENERATOR_VERSION,
        "params": {
            "docs": ns.docs,
            "rates": list(RATES),
            "thresholds": list(THRESHOLDS),
            "seed": ns.seed,
            "rensa_bands": P.RENSA_BANDS,
        },
        "machine": P.machine_info(),
        "rates": {},
    }
    print(
        f"{'p':>4s} {'method':16s} {'orig-copy':>9s} {'copy-copy':>9s} {'near-dup':>8s} "
        f"{'precision':>9s} {'pairs/doc':>9s} {'s':>6s}"
    )
    for k, rate in enumerate(RATES):
        d = S.crawl_dir(ns.data_dir, ns.docs, seed=ns.seed + k, rate=rate)
        texts, ids = S.load_texts(d)
        truth = S.load_truth(d, ids)
        rows = methods(texts, truth)
        best_peer = max(
            (m for m in rows if m != "spindetect"), key=lambda m: rows[m]["recall_orig-copy"]
        )
        ours, theirs = rows["spindetect"]["recall_orig-copy"], rows[best_peer]["recall_orig-copy"]
        result["rates"][str(rate)] = {
            "methods": rows,
            "ahead": {
                "best_peer": best_peer,
                "ours": ours,
                "peer": theirs,
                "word": "AHEAD" if ours > theirs else "TIED" if ours == theirs else "BEHIND",
            },
        }
        for name, r in rows.items():
            prec = "-" if r["precision"] is None else f"{r['precision']:.3f}"
            print(
                f"{rate:4.1f} {name:16s} {r['recall_orig-copy']:9.3f} "
                f"{r['recall_copy-copy']:9.3f} {r['recall_near-dup']:8.3f} {prec:>9s} "
                f"{r['pairs_per_doc']:9.2f} {r['seconds']:6.1f}",
                flush=True,
            )
    for rate, r in result["rates"].items():
        a = r["ahead"]
        print(
            f"p={rate}: {a['word']}: spindetect {a['ours']:.3f} vs best peer "
            f"{a['best_peer']} {a['peer']:.3f}"
        )
    result["seconds"] = time.perf_counter() - t_start
    P.write_json(Path(ns.out), result)
    plot(result)
    print(f"wrote {ns.out} and {PLOT} ({result['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
