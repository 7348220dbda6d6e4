"""Crawl scale, end to end: candidate retrieval quality and speed, spindetect vs datasketch/rensa.

Run ``python benchmarks/bench_scan.py`` (1k and 10k documents; ``--full`` adds 100k;
``--parts a,b,c`` to run a subset).

(a) Retrieval quality on a generated crawl at spin rate 0.3
------------------------------------------------------------
``synth.write_crawl(dir, N, spin_rates=(0.3,))`` (cached under ``--data-dir`` in a
folder named by generator version and parameters), N = 1k, 10k (and 100k). Ground
truth: every pair inside a family or near-duplicate group (``pairs.jsonl``), split
into *spun original-copy* pairs, *spun copy-copy* pairs (two spins of one
original, each about 0.3: about half of the original's content words differ) and
*near-duplicate* pairs. Methods:

* ``spindetect``: the scan stages with ``ScanConfig()`` defaults -- ``candidates``
  (LSH tables + shared samples) and the ``verify``-ed pairs (what ``scan`` outputs);
* ``datasketch t``: ``MinHashLSH(threshold=t)`` on word-5-gram ``MinHash.bulk``,
  t = 0.5 and 0.8; verified = candidates whose MinHash estimate is >= t;
* ``rensa t``: ``RMinHashLSH(t, 128, bands)`` on ``RMinHash.from_token_sets`` of
  the same 5-grams, bands 32 (t=0.5) and 8 (t=0.8); verified as above.

Recall = share of the ground-truth pairs of a kind among the method's pairs;
precision = share of the method's pairs that are ground-truth pairs (pairs inside
one family or group). At 100k datasketch is not run unless ``--ds-100k``; its row is
left out and its speed is extrapolated (part c).

(b) PAN 2013 + real SpinBot pairs
---------------------------------
All of ``../shared/corpora/pan13`` (``susp/`` and ``src/``, latin-1) plus the
``mpc-dev`` paragraphs (original and raw spun text, rows >= 20 words) in one
``spindetect.scan`` (explain=0); recall of the 500 labelled verbatim-reuse pairs
(``02-no-obfuscation/pairs``) and of the mpc (original, spun) pairs; pairs found
among PAN documents that are listed in ``pairs_all`` (other obfuscation categories,
unlabelled) are counted separately from the rest, and of the others those sharing
>= 5 exact word 8-grams are counted as *confirmed* verbatim reuse (PAN builds many
suspicious documents from common base texts, so its labels are not exhaustive).
datasketch/rensa at 0.5 on the
same texts for comparison. Skipped when the corpora are absent.

(c) Speed
---------
Texts are the first N documents of the largest crawl (N = 1k, 10k, and 100k with
``--full``). Each (engine, round) runs in a fresh process that warms the engine up
on 64 texts, then measures every N in increasing order; engines are interleaved
and their order rotates every round (``--rounds``, default 3); figures are medians,
ratios are per-round ratios (peer seconds / spindetect seconds), then their median.

* ``sd_sig``: ``minhash.signatures(texts, num_perm=128, kind='word')``, raw text ->
  signatures;
* ``sd_scan0`` / ``sd_scan``: ``scan(texts, explain=0)`` / ``scan(texts)`` (default
  explain=20), raw text -> verified pairs and families;
* ``datasketch``: Python 5-gram shingles (spindetect tokens) -> ``MinHash.bulk`` ->
  ``MinHashLSH(0.5)`` insert + query of every document -> pairs (single-threaded);
* ``rensa``: the same shingle lists -> ``RMinHash.from_token_sets`` ->
  ``RMinHashLSH(0.5, 128, 32)`` ``insert_many`` + ``query_all`` -> pairs.

spindetect with ``workers=1`` and ``2``; rensa with ``RAYON_NUM_THREADS=1`` and ``2``;
every 1-thread run also sets OMP/OPENBLAS/MKL/NUMBA thread counts to 1. Peak
memory is the high-water RSS of the measured block above the RSS before it
(``/proc/self/clear_refs`` reset before each block). Growth exponent ``k`` of
``t ~ N^k`` between consecutive sizes. Targets: end to end >= 40x datasketch and
>= 10x rensa, signatures >= 60k docs/s on both cores, full scan of 100k <= 15 s.

Writes ``benchmarks/results/scan.json``.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import _peers as P  # noqa: E402

SHARED = REPO / ".." / "shared" / "corpora"
PAN = SHARED / "pan13"
MPC = SHARED / "mpc-dev" / "paragraph_pairs.jsonl"
SPIN_RATE = 0.3
THRESHOLDS = (0.5, 0.8)
CONFIRM = 5  # exact shared word 8-grams that confirm an unlabelled PAN pair as reuse
KINDS = ("orig-copy", "copy-copy", "near-dup")
ENGINES = (
    "sd_sig_w1",
    "sd_sig_w2",
    "sd_scan0_w1",
    "sd_scan0_w2",
    "sd_scan_w1",
    "sd_scan_w2",
    "datasketch",
    "rensa_t1",
    "rensa_t2",
)
THREAD_VARS = (
    "RAYON_NUM_THREADS",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
)


# --------------------------------------------------------------------------- data
def crawl_dir(data_dir: str | Path, n: int, *, seed: int = 0, rate: float = SPIN_RATE) -> Path:
    """Return the cached crawl of ``n`` docs at spin ``rate`` (written when missing or stale)."""
    from spindetect import synth

    ver = synth.GENERATOR_VERSION
    d = Path(data_dir) / f"crawl-g{ver}-n{n}-r{rate}-s{seed}"
    manifest, sha = d / "manifest.json", d / "generator.sha"
    if (
        manifest.exists()
        and sha.exists()
        and sha.read_text() == P.generator_fingerprint()
        and json.loads(manifest.read_text()).get("generator_version") == ver
    ):
        return d
    t0 = time.perf_counter()
    manifest.unlink(missing_ok=True)
    synth.write_crawl(d, n, seed=seed, spin_rates=(rate,))
    sha.write_text(P.generator_fingerprint())
    print(f"generated crawl of {n} docs in {time.perf_counter() - t0:.0f} s -> {d}", flush=True)
    return d


def load_texts(d: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    """Texts and ids of the first ``limit`` documents of a crawl folder."""
    texts, ids = [], []
    with open(d / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            texts.append(rec["text"])
            ids.append(rec["id"])
            if limit is not None and len(texts) == limit:
                break
    return texts, ids


def load_truth(d: Path, ids: list[str]) -> dict[str, np.ndarray]:
    """Ground-truth pair keys ``i * n + j`` (i < j) per kind."""
    kind = {}
    with open(d / "labels.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            kind[rec["id"]] = rec["kind"]
    pos = {doc: k for k, doc in enumerate(ids)}
    n = len(ids)
    out: dict[str, list[int]] = {k: [] for k in KINDS}
    with open(d / "pairs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            p = json.loads(line)
            if p["a"] not in pos or p["b"] not in pos:
                continue
            i, j = sorted((pos[p["a"]], pos[p["b"]]))
            if p["kind"] == "near-duplicate":
                label = "near-dup"
            elif "original" in (kind[p["a"]], kind[p["b"]]):
                label = "orig-copy"
            else:
                label = "copy-copy"
            out[label].append(i * n + j)
    return {k: np.unique(np.array(v, dtype=np.int64)) for k, v in out.items()}


def _keys(pairs: np.ndarray, n: int) -> np.ndarray:
    if pairs.size == 0:
        return np.empty(0, dtype=np.int64)
    p = np.sort(np.asarray(pairs, dtype=np.int64).reshape(-1, 2), axis=1)
    return np.unique(p[:, 0] * n + p[:, 1])


def pair_quality(pairs: np.ndarray, truth: dict[str, np.ndarray], n: int) -> dict:
    """Recall per kind and precision of a set of pairs."""
    keys = _keys(pairs, n)
    every = np.unique(np.concatenate(list(truth.values())))
    out = {"pairs": int(keys.size), "pairs_per_doc": keys.size / n}
    for k, t in truth.items():
        out[f"recall_{k}"] = float(np.isin(t, keys).mean()) if t.size else None
        out[f"truth_{k}"] = int(t.size)
    out["precision"] = float(np.isin(keys, every).mean()) if keys.size else None
    return out


# --------------------------------------------------------------------------- (a)
def retrieval(
    texts: list[str], truth: dict, *, with_ds: bool, thresholds: tuple[float, ...] = THRESHOLDS
) -> dict:
    """Candidate and verified pair quality of every method on one crawl.

    The peers run at each LSH threshold of ``thresholds``.
    """
    from spindetect.crawl.stages import candidates, fingerprint, verify
    from spindetect.settings import ScanConfig

    n = len(texts)
    rows: dict = {}
    t0 = time.perf_counter()
    config = ScanConfig()
    fp = fingerprint(texts, config)
    cands = candidates(fp, config)
    ver = verify(fp, cands, config.rules)
    secs = time.perf_counter() - t0
    rows["spindetect"] = {
        "candidates": pair_quality(cands.pairs, truth, n),
        "verified": pair_quality(ver.pairs, truth, n),
        "seconds": secs,
    }
    whole = ver.verdicts != "partial"
    rows["spindetect"]["verified_whole"] = pair_quality(ver.pairs[whole], truth, n)
    t0 = time.perf_counter()
    shingles = P.shingle_lists(texts)
    prep = time.perf_counter() - t0
    peers = [("rensa", P.rensa_minhashes, P.rensa_lsh_pairs)]
    if with_ds:
        peers.insert(0, ("datasketch", P.datasketch_minhashes, P.datasketch_lsh_pairs))
    for name, sketch, lsh in peers:
        t0 = time.perf_counter()
        mh = sketch(shingles)
        sig_s = time.perf_counter() - t0
        for t in thresholds:
            t0 = time.perf_counter()
            pairs = lsh(mh, t)
            lsh_s = time.perf_counter() - t0
            est = P.estimate_pairs(mh, pairs)
            rows[f"{name} {t}"] = {
                "candidates": pair_quality(pairs, truth, n),
                "verified": pair_quality(pairs[est >= t], truth, n),
                "seconds": prep + sig_s + lsh_s,
            }
    return rows


# --------------------------------------------------------------------------- (b)
def pan_mpc(with_peers: bool = True) -> dict | None:
    """PAN13 labelled reuse pairs + mpc-dev spun pairs among all PAN documents."""
    if not (PAN / "susp").is_dir() or not (PAN / "src").is_dir():
        return None
    from spindetect.crawl.scanning import scan

    ids, texts = [], []
    for sub in ("susp", "src"):
        for path in sorted((PAN / sub).glob("*.txt")):
            ids.append(path.name)
            texts.append(path.read_text(encoding="latin-1"))
    n_pan = len(ids)
    mpc_pairs = []
    if MPC.exists():
        rows = [json.loads(x) for x in MPC.read_text(encoding="utf-8").splitlines() if x]
        for r in rows:
            if min(len(P.forms(r["original"])), len(P.forms(r["spun"]))) < 20:
                continue
            key = f"mpc:{r['article']}:{r['para_index']}"
            mpc_pairs.append((len(ids), len(ids) + 1))
            ids += [key + ":original", key + ":spun"]
            texts += [r["original"], r["spun"]]
    pos = {doc: k for k, doc in enumerate(ids)}
    n = len(ids)

    def read_pairs(path: Path) -> np.ndarray:
        out = []
        for line in path.read_text().splitlines():
            a, b = line.split()
            if a in pos and b in pos:
                out.append(sorted((pos[a], pos[b])))
        return np.array(out, dtype=np.int64).reshape(-1, 2)

    labelled = _keys(read_pairs(PAN / "02-no-obfuscation" / "pairs"), n)
    listed = _keys(read_pairs(PAN / "pairs_all"), n) if (PAN / "pairs_all").exists() else labelled
    mpc = _keys(np.array(mpc_pairs, dtype=np.int64).reshape(-1, 2), n)
    from spindetect.text.shingles import word_shingles

    grams8 = [word_shingles(P.forms(t), 8) for t in texts]

    def confirmed(keys: np.ndarray) -> int:
        """Pairs sharing >= CONFIRM exact word 8-grams: verbatim reuse, labelled or not."""
        return int(
            sum(
                np.intersect1d(grams8[k // n], grams8[k % n], assume_unique=True).size >= CONFIRM
                for k in keys.tolist()
            )
        )

    def judge(keys: np.ndarray) -> dict:
        pan_pan = keys[(keys // n < n_pan) & (keys % n < n_pan)]
        mpc_side = keys[(keys // n >= n_pan) | (keys % n >= n_pan)]
        unlisted = pan_pan[~np.isin(pan_pan, listed)]
        return {
            "pairs": int(keys.size),
            "recall_pan_labelled": float(np.isin(labelled, keys).mean()),
            "pan_pairs": int(pan_pan.size),
            "pan_pairs_in_pairs_all": int(np.isin(pan_pan, listed).sum()),
            "pan_pairs_not_listed": int(unlisted.size),
            "unlisted_confirmed": confirmed(unlisted),
            "recall_mpc": float(np.isin(mpc, keys).mean()) if mpc.size else None,
            "mpc_pairs_wrong": int((~np.isin(mpc_side, mpc)).sum()),
        }

    out: dict = {
        "docs": n,
        "pan_docs": n_pan,
        "labelled": int(labelled.size),
        "pairs_all": int(listed.size),
        "mpc_pairs": int(mpc.size),
        "words_per_doc": float(np.mean([len(t.split()) for t in texts])),
        "methods": {},
    }
    t0 = time.perf_counter()
    res = scan(list(zip(ids, texts, strict=True)), explain=0)
    secs = time.perf_counter() - t0
    found = np.array([sorted((pos[p.a], pos[p.b])) for p in res.pairs], dtype=np.int64).reshape(
        -1, 2
    )
    verdicts = np.array([p.verdict for p in res.pairs], dtype=object)
    row = judge(_keys(found, n))
    row["seconds"] = secs
    row["verdicts_on_labelled"] = {}
    lab_mask = np.isin(_keys(found, n), labelled)
    keys_found = found[:, 0] * n + found[:, 1]
    for v in ("near-duplicate", "spun", "partial"):
        row["verdicts_on_labelled"][v] = int(
            (np.isin(keys_found, labelled) & (verdicts == v)).sum()
        )
    del lab_mask
    mpc_hit = np.isin(keys_found, mpc)
    row["verdicts_on_mpc"] = {
        v: int((mpc_hit & (verdicts == v)).sum()) for v in ("near-duplicate", "spun", "partial")
    }
    out["methods"]["spindetect scan"] = row
    if with_peers:
        t0 = time.perf_counter()
        shingles = P.shingle_lists(texts)
        prep = time.perf_counter() - t0
        for name, sketch, lsh in (
            ("datasketch", P.datasketch_minhashes, P.datasketch_lsh_pairs),
            ("rensa", P.rensa_minhashes, P.rensa_lsh_pairs),
        ):
            t0 = time.perf_counter()
            mh = sketch(shingles)
            pairs = lsh(mh, 0.5)
            r = judge(_keys(pairs, n))
            r["seconds"] = prep + time.perf_counter() - t0
            out["methods"][f"{name} 0.5"] = r
    return out


# --------------------------------------------------------------------------- (c) worker
def run_engine(engine: str, path: str, sizes: list[int]) -> list[dict]:
    """Time one engine (in its own process) on the first N texts, for each N.

    The engine is warmed up on 64 texts first (compiled kernels, lazy tables, caches);
    then every size is measured in increasing order, each block's peak memory above
    the RSS before it.
    """
    all_texts, _ = load_texts(Path(path), max(sizes))
    warm = all_texts[:64]
    if engine.startswith("sd_"):
        from spindetect.crawl.scanning import scan
        from spindetect.sketch.minhash import signatures

        workers = int(engine[-1])
        explain = 0 if engine.startswith("sd_scan0") else 20
        if engine.startswith("sd_sig"):
            signatures(warm, kind="word", threads=workers)
        else:
            scan(warm, explain=min(explain, 1), threads=workers)
    elif engine == "datasketch":
        ds = P.require("datasketch")
        P.datasketch_lsh_pairs(P.datasketch_minhashes(P.shingle_lists(warm)), 0.5)
    elif engine.startswith("rensa"):
        rensa = P.require("rensa")
        P.rensa_lsh_pairs(P.rensa_minhashes(P.shingle_lists(warm)), 0.5)
    else:
        raise SystemExit(f"unknown engine {engine!r}")
    results = []
    for n in sorted(sizes):
        texts = all_texts[:n]
        result: dict = {"engine": engine, "docs": len(texts)}
        gc.collect()
        if engine.startswith("sd_sig"):
            with P.Stage() as st:
                out = signatures(texts, num_perm=128, kind="word", threads=workers)
            result["shape"] = list(out.shape)
        elif engine.startswith("sd_scan"):
            with P.Stage() as st:
                out = scan(texts, explain=explain, threads=workers)
            result["pairs"] = len(out.pairs)
            result["clusters"] = len(out.clusters)
            result["stages_s"] = dict(out.summary.get("seconds", {}))
        elif engine == "datasketch":
            with P.Stage() as st:
                t0 = time.perf_counter()
                sets = [[s.encode() for s in sh] for sh in P.shingle_lists(texts)]
                t1 = time.perf_counter()
                mh = ds.MinHash.bulk(sets, num_perm=P.NUM_PERM, seed=1)
                t2 = time.perf_counter()
                out = P.datasketch_lsh_pairs(mh, 0.5)
                t3 = time.perf_counter()
            result.update(prep_s=t1 - t0, sig_s=t2 - t1, lsh_s=t3 - t2, pairs=len(out))
            del sets, mh
        else:
            with P.Stage() as st:
                t0 = time.perf_counter()
                sets = P.shingle_lists(texts)
                t1 = time.perf_counter()
                mh = rensa.RMinHash.from_token_sets(sets, P.NUM_PERM, 1)
                t2 = time.perf_counter()
                out = P.rensa_lsh_pairs(mh, 0.5)
                t3 = time.perf_counter()
            result.update(prep_s=t1 - t0, sig_s=t2 - t1, lsh_s=t3 - t2, pairs=len(out))
            del sets, mh
        del out
        result.update(seconds=st.seconds, growth_mib=st.growth_mib, peak_mib=st.peak_mib)
        result["docs_per_s"] = result["docs"] / result["seconds"]
        results.append(result)
    return results


def _threads(engine: str) -> int:
    return 1 if engine == "datasketch" else int(engine[-1])


def _sub(engine: str, path: Path, sizes: list[int]) -> list[dict]:
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(_threads(engine))
    cmd = [sys.executable, __file__, "--worker", engine, str(path), ",".join(map(str, sizes))]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"worker {engine} N={sizes} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def speed(path: Path, sizes: list[int], *, rounds: int, ds_sizes: set[int]) -> dict:
    """Interleaved rounds: one process per (engine, round) measures every size in turn.

    Texts are the first N documents of the crawl at ``path`` (nested prefixes, so
    the sizes differ only in N). Engine order rotates every round.
    """
    runs: list[dict] = []
    for rnd in range(rounds):
        shift = rnd * 2 % len(ENGINES)
        for engine in ENGINES[shift:] + ENGINES[:shift]:
            mine = [n for n in sizes if engine != "datasketch" or n in ds_sizes]
            for r in _sub(engine, path, mine):
                r["round"] = rnd
                runs.append(r)
                print(
                    f"round {rnd} N={r['docs']:>6} {engine:12s} {r['seconds']:8.3f} s "
                    f"{r['docs_per_s']:9.0f} docs/s  peak +{r['growth_mib']:.0f} MiB",
                    flush=True,
                )
    return summarise(runs, sorted(sizes), rounds)


def _med(xs: list[float]) -> float:
    return float(statistics.median(xs))


def summarise(runs: list[dict], sizes: list[int], rounds: int) -> dict:
    """Medians per (engine, N), paired ratios, growth exponents, extrapolations, targets."""
    table: dict = {}
    for n in sizes:
        table[n] = {}
        for engine in ENGINES:
            mine = [r for r in runs if r["engine"] == engine and r["docs"] == n]
            if not mine:
                continue
            row = {
                "seconds": _med([r["seconds"] for r in mine]),
                "docs_per_s": _med([r["docs_per_s"] for r in mine]),
                "growth_mib": _med([r["growth_mib"] for r in mine]),
                "peak_mib": _med([r["peak_mib"] for r in mine]),
                "runs": len(mine),
                "measured": True,
            }
            for key in ("prep_s", "sig_s", "lsh_s"):
                if key in mine[0]:
                    row[key] = _med([r[key] for r in mine])
            if "prep_s" in row:  # the peers' text -> signatures rate
                row["sig_docs_per_s"] = n / (row["prep_s"] + row["sig_s"])
            table[n][engine] = row
    # Growth exponents between consecutive sizes.
    exps: dict = {}
    for engine in ENGINES:
        have = [n for n in sizes if engine in table[n]]
        exps[engine] = {
            f"{a}->{b}": P.growth_exponent(
                a, table[a][engine]["seconds"], b, table[b][engine]["seconds"]
            )
            for a, b in itertools.pairwise(have)
        }
    # datasketch extrapolated where it was not measured, from the last measured exponent.
    ds_have = [n for n in sizes if "datasketch" in table[n]]
    for n in sizes:
        if "datasketch" in table[n] or len(ds_have) < 2:
            continue
        a, b = ds_have[-2], ds_have[-1]
        k = exps["datasketch"][f"{a}->{b}"]
        sec = table[b]["datasketch"]["seconds"] * (n / b) ** k
        table[n]["datasketch"] = {
            "seconds": sec,
            "docs_per_s": n / sec,
            "measured": False,
            "extrapolated_from": f"{b} with exponent {k:.3f}",
        }
    # Ratios: per round when both were measured, else from medians.
    ratios: dict = {}
    pairs = {
        "scan0_w1_vs_datasketch": ("datasketch", "sd_scan0_w1"),
        "scan0_w2_vs_datasketch": ("datasketch", "sd_scan0_w2"),
        "scan_w2_vs_datasketch": ("datasketch", "sd_scan_w2"),
        "scan0_w1_vs_rensa_t1": ("rensa_t1", "sd_scan0_w1"),
        "scan0_w2_vs_rensa_t2": ("rensa_t2", "sd_scan0_w2"),
        "scan_w2_vs_rensa_t2": ("rensa_t2", "sd_scan_w2"),
    }
    for n in sizes:
        ratios[n] = {}
        for label, (peer, ours) in pairs.items():
            if peer not in table[n] or ours not in table[n]:
                continue
            if table[n][peer]["measured"]:
                per = []
                for rnd in range(rounds):
                    p = [r for r in runs if r["docs"] == n and r["round"] == rnd]
                    tp = [r["seconds"] for r in p if r["engine"] == peer]
                    to = [r["seconds"] for r in p if r["engine"] == ours]
                    if tp and to:
                        per.append(tp[0] / to[0])
                ratios[n][label] = {"median": _med(per), "per_round": per, "measured": True}
            else:
                ratios[n][label] = {
                    "median": table[n][peer]["seconds"] / table[n][ours]["seconds"],
                    "measured": False,
                }
        for ours in ("sd_sig_w1", "sd_sig_w2"):  # text -> signatures against the peers
            for peer in ("datasketch", "rensa_t1", "rensa_t2"):
                if peer in table[n] and table[n][peer].get("measured") and ours in table[n]:
                    per = []
                    for rnd in range(rounds):
                        p = [r for r in runs if r["docs"] == n and r["round"] == rnd]
                        tp = [r["prep_s"] + r["sig_s"] for r in p if r["engine"] == peer]
                        to = [r["seconds"] for r in p if r["engine"] == ours]
                        if tp and to:
                            per.append(tp[0] / to[0])
                    ratios[n][f"{ours}_vs_{peer}_signatures"] = {
                        "median": _med(per),
                        "per_round": per,
                        "measured": True,
                    }
    big = sizes[-1]
    targets = {
        "end_to_end_x_datasketch_ge_40": _target(ratios[big].get("scan0_w2_vs_datasketch"), 40),
        "end_to_end_x_rensa_ge_10": _target(ratios[big].get("scan0_w2_vs_rensa_t2"), 10),
        "signatures_docs_per_s_w2_ge_60k": {
            "value": table[big]["sd_sig_w2"]["docs_per_s"],
            "met": table[big]["sd_sig_w2"]["docs_per_s"] >= 60_000,
            "at_docs": big,
        },
    }
    scan_big = table[big]["sd_scan_w2"]["seconds"]
    if big >= 100_000:
        sec = scan_big * (100_000 / big)
        note = "measured"
    else:
        k = list(exps["sd_scan_w2"].values())[-1] if exps["sd_scan_w2"] else 1.0
        sec = scan_big * (100_000 / big) ** max(k, 1.0)
        note = f"extrapolated from {big} docs with exponent max({k:.3f}, 1)"
    targets["full_scan_100k_le_15s"] = {"value": sec, "met": sec <= 15.0, "how": note}
    for t in targets.values():
        t.setdefault("at_docs", big)
    return {
        "table": {str(k): v for k, v in table.items()},
        "exponents": exps,
        "ratios": {str(k): v for k, v in ratios.items()},
        "targets": targets,
        "runs": runs,
    }


def _target(ratio: dict | None, goal: float) -> dict:
    if ratio is None:
        return {"value": None, "met": False}
    return {"value": ratio["median"], "met": ratio["median"] >= goal, "measured": ratio["measured"]}


# --------------------------------------------------------------------------- driver
def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print tables and write the JSON result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", action="store_true", help="add the 100k crawl")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--parts", default="a,b,c", help="subset of a (quality), b (pan13), c")
    ap.add_argument(
        "--ds-100k",
        action="store_true",
        help="also run datasketch at 100k (minutes) instead of extrapolating",
    )
    ap.add_argument("--data-dir", default=str(P.DEFAULT_DATA_DIR))
    ap.add_argument("--out", default=str(HERE / "results" / "scan.json"))
    ap.add_argument("--worker", nargs=3, metavar=("ENGINE", "DIR", "N"), help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.worker:
        engine, path, n = ns.worker
        print(json.dumps(run_engine(engine, path, [int(x) for x in n.split(",")])))
        return 0
    P.require_all()
    from spindetect import synth

    sizes = ns.sizes or ([1_000, 10_000, 100_000] if ns.full else [1_000, 10_000])
    parts = set(ns.parts.split(","))
    ds_sizes = {n for n in sizes if n < 100_000 or ns.ds_100k}
    t_start = time.perf_counter()
    dirs = {n: crawl_dir(ns.data_dir, n) for n in sizes}
    out_path = Path(ns.out)
    result: dict = json.loads(out_path.read_text()) if out_path.exists() else {}
    result.update(
        {
            "benchmark": "crawl-scale retrieval quality, PAN13/mpc-dev recall, end-to-end speed",
            "command": "python benchmarks/bench_scan.py " + " ".join(argv or sys.argv[1:]),
            "generator_version": synth.GENERATOR_VERSION,
            "params": {
                "sizes": sizes,
                "spin_rate": SPIN_RATE,
                "rounds": ns.rounds,
                "thresholds": list(THRESHOLDS),
                "rensa_bands": P.RENSA_BANDS,
                "datasketch_sizes": sorted(ds_sizes),
            },
            "machine": P.machine_info(),
        }
    )
    if "a" in parts:
        result["retrieval"] = {}
        for n, d in dirs.items():
            texts, ids = load_texts(d)
            truth = load_truth(d, ids)
            rows = retrieval(texts, truth, with_ds=n in ds_sizes)
            result["retrieval"][str(n)] = rows
            print(_retrieval_table(n, rows), flush=True)
    if "b" in parts:
        r = pan_mpc()
        result["pan13"] = r
        if r is None:
            print(f"skipped PAN13: {PAN} is absent")
        else:
            print(_pan_table(r), flush=True)
    if "c" in parts:
        big = max(sizes)
        result["speed"] = speed(dirs[big], sizes, rounds=ns.rounds, ds_sizes=ds_sizes)
        print(_speed_table(result["speed"]), flush=True)
    result["seconds"] = time.perf_counter() - t_start
    P.write_json(out_path, result)
    print(f"wrote {out_path} ({result['seconds']:.0f} s)")
    return 0


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _retrieval_table(n: int, rows: dict) -> str:
    lines = [
        f"\nretrieval on a {n}-doc crawl at spin rate {SPIN_RATE}",
        f"{'method':16s} {'stage':14s} {'pairs/doc':>9s} {'orig-copy':>9s} "
        f"{'copy-copy':>9s} {'near-dup':>8s} {'precision':>9s} {'s':>6s}",
    ]
    for name, r in rows.items():
        for stage in ("candidates", "verified", "verified_whole"):
            if stage not in r:
                continue
            q = r[stage]
            lines.append(
                f"{name:16s} {stage:14s} {q['pairs_per_doc']:9.2f} "
                f"{_fmt(q['recall_orig-copy']):>9s} {_fmt(q['recall_copy-copy']):>9s} "
                f"{_fmt(q['recall_near-dup']):>8s} {_fmt(q['precision']):>9s} "
                f"{r['seconds']:6.1f}"
            )
    return "\n".join(lines)


def _pan_table(r: dict) -> str:
    lines = [
        f"\nPAN13 ({r['pan_docs']} docs, {r['labelled']} labelled pairs) + mpc-dev "
        f"({r['mpc_pairs']} spun pairs)",
        f"{'method':16s} {'pairs':>6s} {'R labelled':>10s} {'in pairs_all':>12s} "
        f"{'unlisted':>8s} {'confirmed':>9s} {'R mpc':>6s} {'mpc wrong':>9s} {'s':>6s}",
    ]
    for name, m in r["methods"].items():
        lines.append(
            f"{name:16s} {m['pairs']:6d} {m['recall_pan_labelled']:10.3f} "
            f"{m['pan_pairs_in_pairs_all']:12d} {m['pan_pairs_not_listed']:8d} "
            f"{m['unlisted_confirmed']:9d} "
            f"{_fmt(m['recall_mpc']):>6s} {m['mpc_pairs_wrong']:9d} "
            f"{m['seconds']:6.1f}"
        )
    return "\n".join(lines)


def _speed_table(s: dict) -> str:
    lines = ["\nspeed (medians): seconds, docs/s, peak MiB above baseline"]
    for n, rows in s["table"].items():
        for engine, r in rows.items():
            mark = "" if r.get("measured", True) else "  (extrapolated)"
            mem = f"{r['growth_mib']:7.0f}" if "growth_mib" in r else "      -"
            lines.append(
                f"N={n:>6} {engine:12s} {r['seconds']:8.3f} {r['docs_per_s']:9.0f} {mem}{mark}"
            )
    for n, rows in s["ratios"].items():
        for label, r in rows.items():
            lines.append(
                f"N={n:>6} {label:36s} x{r['median']:.1f}"
                + ("" if r["measured"] else " (extrapolated peer)")
            )
    for name, t in s["targets"].items():
        v = t["value"]
        lines.append(
            f"target {name}: {'-' if v is None else f'{v:,.1f}'} "
            f"{'MET' if t['met'] else 'MISSED'} {t.get('how', '')}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
