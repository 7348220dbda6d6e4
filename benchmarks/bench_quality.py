"""Pairwise detection quality: spun copies against same-topic non-copies, spindetect vs peers.

Run ``python benchmarks/bench_quality.py`` (``--pairs 50 --negatives 200`` for a smoke run).

Data
----
* Generated: for each spin rate ``p`` in 0.1 .. 0.5, ``--pairs`` (original, spun)
  pairs (``corpus.generate_pairs(n, rate=p, doc_words=500)``) are the positives;
  ``--negatives`` same-topic non-copy pairs (``corpus.generate_negatives``, two
  independent articles of one topic) are the negatives, the same for every ``p``.
  Cached under ``--data-dir`` (default ``/tmp/spindetect-bench``) in files named
  by generator version and parameters, so a new generator version regenerates.
* Real SpinBot output: ``../shared/corpora/mpc-dev/paragraph_pairs.jsonl``
  (rows with >= 20 words on both sides, mojibake repaired with ftfy for every
  method); positives are the (original, spun) rows, negatives every (original
  ``i``, spun ``j``), ``i != j``, of the same article. Skipped when absent.

Methods (each scores every pair; higher = more likely a copy)
---------------------------------------------------------------
* ``spindetect scan``: the fast scan score of :mod:`spindetect.stages` (skeleton
  and content MinHash estimates + shared sampled 8-grams, the verification
  confidence ``sigma(-4 + 6 skel + 5 cont + 0.3 min(shared, 20))``);
* ``spindetect compare``: :func:`spindetect.compare.compare` confidence, ``1 - conf``
  when the verdict is ``unrelated``;
* ``datasketch MinHash``, ``rensa MinHash``: estimated word-5-gram Jaccard
  (128 permutations);
* ``exact 5-gram Jaccard``; ``TF-IDF cosine`` (sklearn, fitted on every text of
  the rate's set); ``SimHash-64`` over word unigrams and over word 3-grams.

Metrics (sklearn.metrics)
-------------------------
* recall at FPR = 1 %: the highest true-positive rate of the ROC curve among
  thresholds whose false-positive rate is <= 0.01 (with 500 negatives: at most
  5 negatives scored above the threshold);
* ROC-AUC;
* the operating point (TPR and FPR) each method has out of the box: for
  spindetect its verdicts -- ``scan``: the pair is a scan candidate (LSH or shared
  samples, computed among all texts of the set) and its default verdict is a copy;
  ``compare``: the verdict is not ``unrelated`` -- and for the peers their usual
  thresholds: MinHash / exact Jaccard >= 0.5 (the looser common MinHashLSH
  threshold), TF-IDF cosine >= 0.5, SimHash Hamming distance <= 3 (Manku et al.).

Writes ``benchmarks/results/quality.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import _peers as P  # noqa: E402

RATES = (0.1, 0.2, 0.3, 0.4, 0.5)
MPC = REPO / ".." / "shared" / "corpora" / "mpc-dev" / "paragraph_pairs.jsonl"
METHODS = (
    "spindetect scan", "spindetect compare", "datasketch MinHash", "rensa MinHash",
    "exact 5-gram Jaccard", "TF-IDF cosine", "SimHash-64 unigram", "SimHash-64 3-gram",
)
SPINDETECT = ("spindetect scan", "spindetect compare")
#: Usual operating thresholds of the peers: LSH/verification at Jaccard 0.5 (the looser
#: of the two common MinHashLSH settings), TF-IDF cosine 0.5, SimHash Hamming <= 3 of 64.
OPERATING = {
    "datasketch MinHash": 0.5, "rensa MinHash": 0.5, "exact 5-gram Jaccard": 0.5,
    "TF-IDF cosine": 0.5, "SimHash-64 unigram": 61 / 64, "SimHash-64 3-gram": 61 / 64,
}


# --------------------------------------------------------------------------- data
def _fresh(path: Path) -> bool:
    sha = path.with_name(path.name + ".generator")
    return path.exists() and sha.exists() and sha.read_text() == P.generator_fingerprint()


def _cached(path: Path, make: Callable[[], list]) -> list:
    if _fresh(path):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [json.loads(line) for line in fh]
    rows = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)
    path.with_name(path.name + ".generator").write_text(P.generator_fingerprint())
    return rows


def _make_pairs(args: tuple[float, int, int, int]) -> list:
    from spindetect import corpus

    rate, n, seed, words = args
    return [[a, b] for a, b, _ in corpus.generate_pairs(n, rate=rate, seed=seed,
                                                        doc_words=words)]


def _make_negatives(args: tuple[int, int, int]) -> list:
    from spindetect import corpus

    n, seed, words = args
    return [list(p) for p in corpus.generate_negatives(n, seed=seed, doc_words=words)]


def load_data(ns: argparse.Namespace) -> tuple[dict[float, list], list]:
    """Positives per rate and the negatives, generated once per generator version."""
    from spindetect import corpus

    ver = corpus.GENERATOR_VERSION
    d = Path(ns.data_dir)
    pos_paths = {r: d / f"pairs-g{ver}-r{r}-n{ns.pairs}-w{ns.doc_words}-s{ns.seed}.jsonl.gz"
                 for r in ns.rates}
    neg_path = d / f"negatives-g{ver}-n{ns.negatives}-w{ns.doc_words}-s{ns.seed}.jsonl.gz"
    todo = [r for r, p in pos_paths.items() if not _fresh(p)]
    if todo or not _fresh(neg_path):
        t0 = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:  # generation only, never timed
            futs = {r: pool.submit(_make_pairs, (r, ns.pairs, ns.seed, ns.doc_words))
                    for r in todo}
            neg_fut = None
            if not _fresh(neg_path):
                neg_fut = pool.submit(_make_negatives, (ns.negatives, ns.seed + 1,
                                                        ns.doc_words))
            made = {r: f.result() for r, f in futs.items()}
            neg_made = neg_fut.result() if neg_fut else None
        for r, rows in made.items():
            pos_paths[r].unlink(missing_ok=True)
            _cached(pos_paths[r], lambda rows=rows: rows)
        if neg_made is not None:
            neg_path.unlink(missing_ok=True)
            _cached(neg_path, lambda: neg_made)
        print(f"generated data in {time.perf_counter() - t0:.0f} s (generator {ver})",
              flush=True)
    positives = {r: _cached(pos_paths[r], lambda: []) for r in ns.rates}
    negatives = _cached(neg_path, lambda: [])
    return positives, negatives


def load_mpc(min_words: int = 20) -> tuple[list, list] | None:
    """(positives, negatives) of real SpinBot paragraphs, or None when the corpus is absent."""
    if not MPC.exists():
        return None
    from spindetect.normalize import repair_mojibake

    rows = [json.loads(line) for line in MPC.read_text(encoding="utf-8").splitlines() if line]
    rows = [{**r, "spun": repair_mojibake(r["spun"])} for r in rows]
    rows = [r for r in rows if len(P.forms(r["original"])) >= min_words
            and len(P.forms(r["spun"])) >= min_words]
    pos = [[r["original"], r["spun"]] for r in rows]
    neg = [[a["original"], b["spun"]] for a in rows for b in rows
           if a is not b and a["article"] == b["article"]]
    return pos, neg


# --------------------------------------------------------------------------- scoring
def score_all(pairs: list, *, with_compare: bool = True) -> tuple[dict, dict, dict]:
    """Score every pair with every method; returns scores, verdict flags and seconds."""
    from spindetect.stages import ScanConfig, VerifyRules, candidates, fingerprint, verify_pairs

    texts = [t for pair in pairs for t in pair]
    left = np.arange(0, len(texts), 2)
    right = left + 1
    scores: dict[str, np.ndarray] = {}
    flags: dict[str, np.ndarray] = {}
    secs: dict[str, float] = {}

    t0 = time.perf_counter()
    config = ScanConfig()
    fp = fingerprint(texts, config)
    h, off = fp.samples.hashes, fp.samples.offsets
    shared = np.array([np.intersect1d(h[off[i]:off[i + 1]], h[off[j]:off[j + 1]],
                                      assume_unique=True).size
                       for i, j in zip(left, right, strict=True)], dtype=np.int64)
    idx = np.stack([left, right], axis=1)
    keep_all = verify_pairs(fp.signatures, fp.signatures, idx, shared,
                            VerifyRules(spun_content=0.0))
    if len(keep_all) != idx.shape[0]:
        raise RuntimeError("verify_pairs dropped pairs under keep-all rules")
    scores["spindetect scan"] = keep_all.confidence
    secs["spindetect scan"] = time.perf_counter() - t0
    # Operating point: a scan candidate (among all texts) with a copy verdict.
    cands = candidates(fp, config)
    cand_keys = set((cands.pairs[:, 0] * len(texts) + cands.pairs[:, 1]).tolist())
    is_cand = np.array([int(i) * len(texts) + int(j) in cand_keys for i, j in idx])
    judged = verify_pairs(fp.signatures, fp.signatures, idx, shared, config.rules)
    kept = set(map(tuple, judged.pairs.tolist()))
    flags["spindetect scan"] = is_cand & np.array([(int(i), int(j)) in kept for i, j in idx])

    if with_compare:
        from spindetect.compare import compare

        t0 = time.perf_counter()
        conf, copy = [], []
        for a, b in pairs:
            r = compare(a, b)
            copy.append(r.verdict != "unrelated")
            conf.append(r.confidence if r.verdict != "unrelated" else 1.0 - r.confidence)
        scores["spindetect compare"] = np.array(conf)
        flags["spindetect compare"] = np.array(copy)
        secs["spindetect compare"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    shingles = P.shingle_lists(texts)
    prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    mh = P.datasketch_minhashes(shingles)
    scores["datasketch MinHash"] = np.array([mh[i].jaccard(mh[j]) for i, j in idx])
    secs["datasketch MinHash"] = prep + time.perf_counter() - t0
    t0 = time.perf_counter()
    rh = P.rensa_minhashes(shingles)
    scores["rensa MinHash"] = np.array([rh[i].jaccard(rh[j]) for i, j in idx])
    secs["rensa MinHash"] = prep + time.perf_counter() - t0
    t0 = time.perf_counter()
    scores["exact 5-gram Jaccard"] = np.array([P.exact_jaccard(shingles[i], shingles[j])
                                               for i, j in idx])
    secs["exact 5-gram Jaccard"] = prep + time.perf_counter() - t0
    t0 = time.perf_counter()
    scores["TF-IDF cosine"] = P.row_cosines(P.tfidf_matrix(texts), left, right)
    secs["TF-IDF cosine"] = time.perf_counter() - t0
    for n, name in ((1, "SimHash-64 unigram"), (3, "SimHash-64 3-gram")):
        t0 = time.perf_counter()
        sh = P.simhash(texts, n=n)
        scores[name] = P.simhash_similarity(sh[left], sh[right])
        secs[name] = time.perf_counter() - t0
    for name, thr in OPERATING.items():
        flags[name] = scores[name] >= thr - 1e-12
    return scores, flags, secs


def metrics(pos: np.ndarray, neg: np.ndarray, *, fpr: float = 0.01) -> dict:
    """Recall at ``fpr``, ROC-AUC, the threshold and score medians."""
    from sklearn.metrics import roc_auc_score, roc_curve

    y = np.r_[np.ones(pos.size), np.zeros(neg.size)]
    s = np.r_[pos, neg]
    f, t, thr = roc_curve(y, s, drop_intermediate=False)
    ok = np.flatnonzero(f <= fpr)
    best = ok[np.argmax(t[ok])]
    return {
        "recall_at_fpr": float(t[best]),
        "threshold": float(thr[best]) if np.isfinite(thr[best]) else None,
        "auc": float(roc_auc_score(y, s)),
        "median_pos": float(np.median(pos)),
        "median_neg": float(np.median(neg)),
    }


def evaluate(pos_pairs: list, neg_pairs: list, *, neg_cache: dict | None = None,
             with_compare: bool = True) -> dict:
    """Per-method metrics for one set of positives against negatives."""
    scores, flags, secs = score_all(pos_pairs + neg_pairs, with_compare=with_compare)
    k = len(pos_pairs)
    out: dict = {"positives": k, "negatives": len(neg_pairs), "methods": {}}
    for name, s in scores.items():
        row = metrics(s[:k], s[k:])
        row["seconds"] = secs[name]
        if name in flags:
            row["verdict_tpr"] = float(flags[name][:k].mean())
            row["verdict_fpr"] = float(flags[name][k:].mean())
        out["methods"][name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print tables and write the JSON result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=200, help="spun pairs per rate")
    ap.add_argument("--negatives", type=int, default=500, help="same-topic negatives")
    ap.add_argument("--rates", type=lambda s: tuple(float(x) for x in s.split(",")),
                    default=RATES)
    ap.add_argument("--doc-words", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-compare", action="store_true", help="skip spindetect.compare")
    ap.add_argument("--data-dir", default=str(P.DEFAULT_DATA_DIR))
    ap.add_argument("--out", default=str(HERE / "results" / "quality.json"))
    ns = ap.parse_args(argv)
    P.require_all()
    from spindetect import corpus

    t_start = time.perf_counter()
    positives, negatives = load_data(ns)
    result: dict = {
        "benchmark": "pairwise spun-copy detection quality",
        "command": "python benchmarks/bench_quality.py " + " ".join(argv or sys.argv[1:]),
        "generator_version": corpus.GENERATOR_VERSION,
        "params": {"pairs": ns.pairs, "negatives": ns.negatives, "rates": list(ns.rates),
                   "doc_words": ns.doc_words, "seed": ns.seed, "fpr": 0.01},
        "machine": P.machine_info(),
        "rates": {},
    }
    for rate in ns.rates:
        r = evaluate([list(p) for p in positives[rate]], [list(p) for p in negatives],
                     with_compare=not ns.no_compare)
        result["rates"][str(rate)] = r
        print(_table(f"spin rate {rate}", r), flush=True)
    mpc = load_mpc()
    if mpc is None:
        print(f"skipped real SpinBot pairs: {MPC} is absent")
        result["mpc_dev"] = None
    else:
        r = evaluate(*mpc, with_compare=not ns.no_compare)
        result["mpc_dev"] = r
        print(_table("real SpinBot paragraphs (mpc-dev)", r), flush=True)
    result["ahead"] = _ahead(result)
    result["seconds"] = time.perf_counter() - t_start
    P.write_json(ns.out, result)
    for line in result["ahead"]["lines"]:
        print(line)
    print(f"wrote {ns.out} ({result['seconds']:.0f} s)")
    return 0


def _ahead(result: dict) -> dict:
    """Compare the best spindetect method with the best peer on recall@1%FPR, per set."""
    lines, per_rate = [], {}
    sets = dict(result["rates"])
    if result.get("mpc_dev"):
        sets["mpc-dev"] = result["mpc_dev"]
    for key, r in sets.items():
        m = r["methods"]
        ours = max((n for n in m if n in SPINDETECT), key=lambda n: m[n]["recall_at_fpr"])
        peer = max((n for n in m if n not in SPINDETECT), key=lambda n: m[n]["recall_at_fpr"])
        a, b = m[ours]["recall_at_fpr"], m[peer]["recall_at_fpr"]
        per_rate[key] = {"ours": ours, "ours_recall": a, "best_peer": peer, "peer_recall": b,
                         "ahead": a > b, "tied": a == b}
        word = "AHEAD" if a > b else ("TIED" if a == b else "BEHIND")
        lines.append(f"{key}: {word}: {ours} {a:.3f} vs best peer {peer} {b:.3f}")
    return {"per_set": per_rate, "lines": lines}


def _table(title: str, r: dict) -> str:
    lines = [f"\n{title}: {r['positives']} positives, {r['negatives']} negatives",
             f"{'method':22s} {'R@1%FPR':>8s} {'AUC':>6s} {'thr':>7s} {'med+':>6s} {'med-':>6s}"
             f" {'op. TPR/FPR':>16s} {'s':>6s}"]
    for name, m in r["methods"].items():
        v = (f"{m['verdict_tpr']:.3f}/{m['verdict_fpr']:.3f}" if "verdict_tpr" in m else "")
        thr = "-" if m["threshold"] is None else f"{m['threshold']:.3f}"
        lines.append(f"{name:22s} {m['recall_at_fpr']:8.3f} {m['auc']:6.3f} {thr:>7s} "
                     f"{m['median_pos']:6.3f} {m['median_neg']:6.3f} {v:>16s} "
                     f"{m['seconds']:6.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
