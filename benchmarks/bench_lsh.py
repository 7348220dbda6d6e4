"""LSH build + query on the same signatures: spindetect against datasketch MinHashLSH.

Run ``python benchmarks/bench_lsh.py`` (``--quick`` for a smoke run).

Corpus: ``_textgen`` documents plus 10 % near-duplicates (2-10 % of words
edited); signatures are spindetect's word 5-gram signatures, 128 permutations,
computed once outside the timed region. Engines, each building an index of all
documents and then querying every document:

* ``ds_lsh``: datasketch ``MinHashLSH(threshold)`` with ``insert`` then ``query``
  (signatures wrapped as ``LeanMinHash`` outside the timed region);
* ``sd_index``: :class:`spindetect.lsh.LSHIndex` with ``insert_many`` then
  ``query_many``;
* ``sd_pairs``: the batch path, ``band_keys`` + ``candidate_pairs`` (all
  candidate pairs at once, what a scan uses).

All use the same (bands, rows) from ``optimal_params`` (identical to
datasketch's). The candidate pair sets are compared: they must be identical.
Rounds are interleaved with rotating order; figures are medians, ratios are
paired per round. Results go to ``benchmarks/results/lsh.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _textgen import add_near_duplicates, make_docs  # noqa: E402
from bench_signatures import Stage, _cpu_name, _version  # noqa: E402

from spindetect.sketch.lsh import LSHIndex, band_keys, candidate_pairs, optimal_params  # noqa: E402
from spindetect.sketch.minhash import signatures  # noqa: E402


def run_ds(sig: np.ndarray, lean: list, threshold: float) -> tuple[float, float, set]:
    from datasketch import MinHashLSH

    with Stage() as st:
        lsh = MinHashLSH(threshold=threshold, num_perm=sig.shape[1])
        for i, m in enumerate(lean):
            lsh.insert(i, m, check_duplication=False)
        pairs = set()
        for i, m in enumerate(lean):
            for j in lsh.query(m):
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
    return st.seconds, st.peak_mib, pairs


def run_index(sig: np.ndarray, threshold: float) -> tuple[float, float, set]:
    names = [str(i) for i in range(sig.shape[0])]
    with Stage() as st:
        index = LSHIndex(threshold, sig.shape[1])
        index.insert_many(names, sig)
        found = index.query_many(sig)
        pairs = set()
        for i, keys in enumerate(found):
            for k in keys:
                j = int(k)
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
    return st.seconds, st.peak_mib, pairs


def run_pairs(sig: np.ndarray, threshold: float) -> tuple[float, float, set]:
    bands, rows = optimal_params(threshold, sig.shape[1])
    with Stage() as st:
        pairs = candidate_pairs(band_keys(sig, bands, rows), max_bucket=None)
    return st.seconds, st.peak_mib, set(map(tuple, pairs.tolist()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000, help="original docs (+10 % copies)")
    ap.add_argument("--big-docs", type=int, default=100_000, help="spindetect alone")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "results" / "lsh.json"))
    ap.add_argument("--quick", action="store_true")
    ns = ap.parse_args(argv)
    if ns.quick:
        ns.docs, ns.big_docs = 2_000, 10_000

    from datasketch import LeanMinHash

    docs, truth = add_near_duplicates(make_docs(max(ns.docs, ns.big_docs), seed=0))
    sig_all = signatures(docs, kind="word")
    n_orig = max(ns.docs, ns.big_docs)
    # The side-by-side set: the first `docs` originals and the copies of them.
    keep = list(range(ns.docs)) + [c for s, c in truth if s < ns.docs]
    sig = sig_all[keep]
    lean = [LeanMinHash(seed=1, hashvalues=row.astype(np.uint64), scheme="affine32") for row in sig]
    print(f"{len(docs)} docs ({n_orig} originals); side-by-side set {len(keep)} docs")

    runs: list[dict] = []
    engines = ("ds_lsh", "sd_index", "sd_pairs")
    for rnd in range(ns.rounds):
        for threshold in (0.5, 0.8):
            order = engines[rnd % 3 :] + engines[: rnd % 3]
            found = {}
            for engine in order:
                gc.collect()
                if engine == "ds_lsh":
                    secs, peak, pairs = run_ds(sig, lean, threshold)
                elif engine == "sd_index":
                    secs, peak, pairs = run_index(sig, threshold)
                else:
                    secs, peak, pairs = run_pairs(sig, threshold)
                found[engine] = pairs
                runs.append(
                    {
                        "round": rnd,
                        "threshold": threshold,
                        "engine": engine,
                        "seconds": secs,
                        "peak_mib": peak,
                        "candidates": len(pairs),
                    }
                )
                print(
                    f"round {rnd} t={threshold} {engine:9s} {secs:8.3f} s "
                    f"{len(pairs):7d} pairs, peak {peak:.0f} MiB"
                )
            same = found["ds_lsh"] == found["sd_index"] == found["sd_pairs"]
            runs[-1]["identical_candidates"] = same
            if not same:
                print("  candidate sets differ!")

    big: list[dict] = []
    for rnd in range(ns.rounds):
        for threshold in (0.5, 0.8):
            for engine, fn in (("sd_pairs", run_pairs), ("sd_index", run_index)):
                gc.collect()
                secs, peak, pairs = fn(sig_all, threshold)
                big.append(
                    {
                        "round": rnd,
                        "threshold": threshold,
                        "engine": engine,
                        "seconds": secs,
                        "peak_mib": peak,
                        "candidates": len(pairs),
                    }
                )
                print(
                    f"big round {rnd} t={threshold} {engine:9s} {secs:8.3f} s "
                    f"{len(pairs):7d} pairs, peak {peak:.0f} MiB"
                )

    summary: dict = {}
    for threshold in (0.5, 0.8):
        rows: dict = {"params": optimal_params(threshold, 128)}
        for engine in engines:
            mine = [r for r in runs if r["engine"] == engine and r["threshold"] == threshold]
            rows[engine] = {
                "seconds": statistics.median(r["seconds"] for r in mine),
                "docs_per_s": len(keep) / statistics.median(r["seconds"] for r in mine),
                "peak_mib": statistics.median(r["peak_mib"] for r in mine),
                "candidates": mine[0]["candidates"],
            }
            if engine != "ds_lsh":
                paired = []
                for rnd in range(ns.rounds):
                    sel = {
                        r["engine"]: r["seconds"]
                        for r in runs
                        if r["round"] == rnd and r["threshold"] == threshold
                    }
                    paired.append(sel["ds_lsh"] / sel[engine])
                rows[engine]["x_ds_lsh"] = statistics.median(paired)
            bigs = [r for r in big if r["engine"] == engine and r["threshold"] == threshold]
            if bigs:
                rows[engine]["big_seconds"] = statistics.median(r["seconds"] for r in bigs)
                rows[engine]["big_peak_mib"] = statistics.median(r["peak_mib"] for r in bigs)
        rows["identical_candidates"] = all(
            r.get("identical_candidates", True) for r in runs if r["threshold"] == threshold
        )
        summary[str(threshold)] = rows

    result = {
        "benchmark": "LSH build + query all docs, word 5-gram signatures, 128 perms",
        "command": "python benchmarks/bench_lsh.py" + (" --quick" if ns.quick else ""),
        "docs": len(keep),
        "big_docs": len(docs),
        "rounds": ns.rounds,
        "machine": {
            "cpu": _cpu_name(),
            "cpus": os.cpu_count(),
            "loadavg": os.getloadavg(),
            "datasketch": _version("datasketch"),
            "numpy": np.__version__,
        },
        "summary": summary,
        "runs": runs,
        "big_runs": big,
    }
    Path(ns.out).parent.mkdir(parents=True, exist_ok=True)
    Path(ns.out).write_text(json.dumps(result, indent=1) + "\n")
    for t, rows in summary.items():
        print(
            f"\nthreshold {t}, (b, r) = {rows['params']}, identical candidates: "
            f"{rows['identical_candidates']}"
        )
        for engine in engines:
            r = rows[engine]
            ratio = f"{r['x_ds_lsh']:6.1f}x ds" if "x_ds_lsh" in r else ""
            big_s = f"; {len(docs)} docs: {r['big_seconds']:.3f} s" if "big_seconds" in r else ""
            print(
                f"  {engine:9s} {r['seconds']:8.3f} s {r['peak_mib']:7.1f} MiB "
                f"{r['candidates']:7d} pairs {ratio}{big_s}"
            )
    print(f"wrote {ns.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
