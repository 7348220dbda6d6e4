"""Pairwise detection quality: spun copies against non-copies, spindetect vs peers.

Run ``python benchmarks/bench_quality.py`` (``--pairs 50 --negatives 200
--template-negatives 100`` for a smoke run; ``--markdown`` prints the README
tables of the last result).

Data
----
* Generated positives: for each spin rate ``p`` in 0.1 .. 0.5, ``--pairs``
  (original, spun) pairs (``synth.generate_pairs(n, rate=p, doc_words=500)``).
* Two generated negative sets, the same for every ``p``:

  - *same-topic* (``--negatives``, 500): ``synth.generate_negatives``, two
    independent articles of one topic, sharing vocabulary but no text;
  - *template* (``--template-negatives``, 400): ``synth.generate_template_negatives``,
    two independent same-topic articles of one site under the same boilerplate
    (site name, navigation, cookie notice, related posts, author bio, share and
    newsletter lines, disclaimer, copyright; half of the pairs also quote the same
    generated sentence), the boilerplate a share ``s ~ U(0.1, 0.4)`` of each
    page's words (``--template-share``) -- the hard non-copies of a real crawl.

  Each method is scored against each set and against *both* together.
  Everything is cached under ``--data-dir`` (default ``/tmp/spindetect-bench``)
  in files named by generator version and parameters (plus a fingerprint of the
  generator's source), so a new generator regenerates.
* Real SpinBot output: ``../shared/corpora/mpc-dev/paragraph_pairs.jsonl``
  (rows with >= 20 words on both sides, mojibake repaired with ftfy for every
  method); positives are the (original, spun) rows, negatives every (original
  ``i``, spun ``j``), ``i != j``, of the same article. Skipped when absent.

Methods (each scores every pair; higher = more likely a copy)
---------------------------------------------------------------
* ``spindetect scan``: the fast scan score of :mod:`spindetect.stages` (skeleton
  and content MinHash estimates + shared sampled 8-grams, the verification
  whole-copy confidence ``stages.scan_confidence``,
  ``sigma(-8.23 + 45.96 skel + 10.68 cont - 0.69 min(shared, 20))``);
* ``spindetect compare``: :func:`spindetect.compare.compare` confidence, ``1 - conf``
  when the verdict is ``unrelated`` (a pure function of the pair: the negatives'
  results are computed once and reused at every rate);
* ``datasketch MinHash``, ``rensa MinHash``: estimated word-5-gram Jaccard
  (128 permutations);
* ``exact 5-gram Jaccard``; ``TF-IDF cosine`` (sklearn, fitted on every text of
  the rate's set: positives and both negative sets); ``SimHash-64`` over word
  unigrams and over word 3-grams.

Metrics (sklearn.metrics), per rate, method and negative set
------------------------------------------------------------
* recall at FPR = 1 %: the highest true-positive rate of the ROC curve among
  thresholds whose false-positive rate is <= 0.01 (with 500 negatives: at most
  5 negatives scored above the threshold; 400: 4; both, 900: 9);
* ROC-AUC;
* the operating point (TPR and FPR) each method has out of the box: for
  spindetect its whole-copy verdicts -- ``scan``: the pair is a scan candidate (LSH
  or shared samples, computed among all texts of the set) and its default verdict
  is ``near-duplicate`` or ``spun``; ``compare``: ``identical``, ``near-duplicate``
  or ``spun``. A ``partial`` verdict (a shared passage, such as boilerplate) is not
  a whole copy (its counts are in ``components``) -- and for the peers their usual
  thresholds: MinHash / exact Jaccard >= 0.5 (the looser common MinHashLSH
  threshold), TF-IDF cosine >= 0.5, SimHash Hamming distance <= 3 (Manku et al.).
* ``ahead``: per rate and negative set, whether the best spindetect method's
  recall at 1 % FPR is above (AHEAD), equal to (TIED) or below (BEHIND) the best
  peer's;
* ``components``: medians and 99th percentiles of the scores the spindetect
  methods are made of (scan: skeleton and content MinHash estimates, shared
  samples, verdicts at the operating point; compare: coverage, kept, TF-IDF cosine,
  synonym evidence, verdicts), for the positives and each negative set, with the
  ROC-AUC each component alone reaches against each negative set.

Writes ``benchmarks/results/quality.json``. For compatibility with ``run_all.py``
each rate's ``methods`` holds the same-topic figures; ``negative_sets`` holds all three.
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
    "spindetect scan",
    "spindetect compare",
    "datasketch MinHash",
    "rensa MinHash",
    "exact 5-gram Jaccard",
    "TF-IDF cosine",
    "SimHash-64 unigram",
    "SimHash-64 3-gram",
)
#: Verdicts that call a pair a whole copy (the operating point of spindetect's methods).
WHOLE = frozenset({"identical", "near-duplicate", "spun"})
SPINDETECT = ("spindetect scan", "spindetect compare")
#: Negative sets of the generated data; "both" is the union of the other two.
NEG_SETS = ("same-topic", "template", "both")
#: Usual operating thresholds of the peers: LSH/verification at Jaccard 0.5 (the looser
#: of the two common MinHashLSH settings), TF-IDF cosine 0.5, SimHash Hamming <= 3 of 64.
OPERATING = {
    "datasketch MinHash": 0.5,
    "rensa MinHash": 0.5,
    "exact 5-gram Jaccard": 0.5,
    "TF-IDF cosine": 0.5,
    "SimHash-64 unigram": 61 / 64,
    "SimHash-64 3-gram": 61 / 64,
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
    from spindetect import synth

    rate, n, seed, words = args
    return [[a, b] for a, b, _ in synth.generate_pairs(n, rate=rate, seed=seed, doc_words=words)]


def _make_negatives(args: tuple[int, int, int]) -> list:
    from spindetect import synth

    n, seed, words = args
    return [list(p) for p in synth.generate_negatives(n, seed=seed, doc_words=words)]


def _make_template_negatives(args: tuple[int, int, int, tuple[float, float], float]) -> list:
    from spindetect import synth

    n, seed, words, share, quote = args
    return [
        [p.a, p.b]
        for p in synth.generate_template_negatives(
            n, seed=seed, doc_words=words, template_share=share, quote_rate=quote
        )
    ]


def load_data(ns: argparse.Namespace) -> tuple[dict[float, list], dict[str, list]]:
    """Positives per rate and the negative sets, generated once per generator version."""
    from spindetect import synth

    ver = synth.GENERATOR_VERSION
    d = Path(ns.data_dir)
    pos_paths = {
        r: d / f"pairs-g{ver}-r{r}-n{ns.pairs}-w{ns.doc_words}-s{ns.seed}.jsonl.gz"
        for r in ns.rates
    }
    lo, hi = ns.template_share
    neg_jobs = {
        "same-topic": (
            d / f"negatives-g{ver}-n{ns.negatives}-w{ns.doc_words}-s{ns.seed}.jsonl.gz",
            _make_negatives,
            (ns.negatives, ns.seed + 1, ns.doc_words),
        ),
        "template": (
            d
            / (
                f"template-negatives-g{ver}-n{ns.template_negatives}-w{ns.doc_words}"
                f"-t{lo}-{hi}-q{ns.quote_rate}-s{ns.seed}.jsonl.gz"
            ),
            _make_template_negatives,
            (ns.template_negatives, ns.seed + 2, ns.doc_words, (lo, hi), ns.quote_rate),
        ),
    }
    todo = [r for r, p in pos_paths.items() if not _fresh(p)]
    neg_todo = [k for k, (path, _, _) in neg_jobs.items() if not _fresh(path)]
    if todo or neg_todo:
        t0 = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:  # generation only, never timed
            futs = {r: pool.submit(_make_pairs, (r, ns.pairs, ns.seed, ns.doc_words)) for r in todo}
            neg_futs = {k: pool.submit(neg_jobs[k][1], neg_jobs[k][2]) for k in neg_todo}
            made = {r: f.result() for r, f in futs.items()}
            neg_made = {k: f.result() for k, f in neg_futs.items()}
        for r, rows in made.items():
            pos_paths[r].unlink(missing_ok=True)
            _cached(pos_paths[r], lambda rows=rows: rows)
        for k, rows in neg_made.items():
            neg_jobs[k][0].unlink(missing_ok=True)
            _cached(neg_jobs[k][0], lambda rows=rows: rows)
        print(f"generated data in {time.perf_counter() - t0:.0f} s (generator {ver})", flush=True)
    positives = {r: _cached(pos_paths[r], lambda: []) for r in ns.rates}
    negatives = {k: _cached(path, lambda: []) for k, (path, _, _) in neg_jobs.items()}
    return positives, negatives


def load_mpc(min_words: int = 20) -> tuple[list, list] | None:
    """(positives, negatives) of real SpinBot paragraphs, or None when the corpus is absent."""
    if not MPC.exists():
        return None
    from spindetect.text.normalization import repair_mojibake

    rows = [json.loads(line) for line in MPC.read_text(encoding="utf-8").splitlines() if line]
    rows = [{**r, "spun": repair_mojibake(r["spun"])} for r in rows]
    rows = [
        r
        for r in rows
        if len(P.forms(r["original"])) >= min_words and len(P.forms(r["spun"])) >= min_words
    ]
    pos = [[r["original"], r["spun"]] for r in rows]
    neg = [
        [a["original"], b["spun"]]
        for a in rows
        for b in rows
        if a is not b and a["article"] == b["article"]
    ]
    return pos, neg


# --------------------------------------------------------------------------- scoring
#: compare() results by pair: a pure function of the two texts, so the negatives (the
#: same at every rate) are compared once per run.
_COMPARED: dict[tuple[str, str], dict] = {}


def _compare(a: str, b: str) -> dict:
    from spindetect.pairwise.comparison import compare

    row = _COMPARED.get((a, b))
    if row is None:
        r = compare(a, b)
        row = _COMPARED[(a, b)] = {
            "score": r.confidence if r.verdict != "unrelated" else 1.0 - r.confidence,
            "verdict": r.verdict,
            "coverage_min": min(r.scores["coverage_a"], r.scores["coverage_b"]),
            "kept": r.scores["kept"],
            "tfidf_cosine": r.scores["tfidf_cosine"],
            "synonym_evidence": r.scores["synonym_evidence"],
        }
    return row


def score_all(pairs: list, *, with_compare: bool = True) -> tuple[dict, dict, dict, dict]:
    """Score every pair with every method.

    Returns scores, verdict flags, seconds per method and the spindetect methods'
    score components (``parts``).
    """
    from spindetect.crawl.stages import candidates, fingerprint, verify_pairs
    from spindetect.settings import ScanConfig, VerifyRules

    texts = [t for pair in pairs for t in pair]
    left = np.arange(0, len(texts), 2)
    right = left + 1
    scores: dict[str, np.ndarray] = {}
    flags: dict[str, np.ndarray] = {}
    secs: dict[str, float] = {}
    parts: dict[str, dict[str, np.ndarray]] = {}

    t0 = time.perf_counter()
    config = ScanConfig()
    fp = fingerprint(texts, config)
    shared = P.shared_sample_counts(fp.samples, left, right)
    idx = np.stack([left, right], axis=1)
    keep_all = verify_pairs(
        fp.signatures, fp.signatures, idx, shared, VerifyRules(spun_content=0.0, min_confidence=0.0)
    )
    if len(keep_all) != idx.shape[0]:
        raise RuntimeError("verify_pairs dropped pairs under keep-all rules")
    scores["spindetect scan"] = keep_all.confidence
    secs["spindetect scan"] = time.perf_counter() - t0
    # Operating point: a scan candidate (among all texts) with a copy verdict.
    cands = candidates(fp, config)
    cand_keys = set((cands.pairs[:, 0] * len(texts) + cands.pairs[:, 1]).tolist())
    is_cand = np.array([int(i) * len(texts) + int(j) in cand_keys for i, j in idx])
    judged = verify_pairs(fp.signatures, fp.signatures, idx, shared, config.rules)
    kept = dict(zip(map(tuple, judged.pairs.tolist()), judged.verdicts.tolist(), strict=True))
    flags["spindetect scan"] = is_cand & np.array(
        [kept.get((int(i), int(j))) in WHOLE for i, j in idx]
    )

    parts["scan"] = {
        "skeleton": keep_all.skeleton,
        "content": keep_all.content,
        "shared": keep_all.shared.astype(np.float64),
        # the operating point's verdict ("none": not a candidate or not kept)
        "verdict": np.array(
            [
                kept.get((int(i), int(j)), "none") if c else "none"
                for (i, j), c in zip(idx, is_cand, strict=True)
            ],
            dtype=object,
        ),
    }

    if with_compare:
        t0 = time.perf_counter()
        rows = [_compare(a, b) for a, b in pairs]
        scores["spindetect compare"] = np.array([r["score"] for r in rows])
        flags["spindetect compare"] = np.array([r["verdict"] in WHOLE for r in rows])
        secs["spindetect compare"] = time.perf_counter() - t0
        parts["compare"] = {
            key: np.array([r[key] for r in rows])
            for key in ("coverage_min", "kept", "tfidf_cosine", "synonym_evidence")
        }
        parts["compare"]["verdict"] = np.array([r["verdict"] for r in rows], dtype=object)

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
    scores["exact 5-gram Jaccard"] = np.array(
        [P.exact_jaccard(shingles[i], shingles[j]) for i, j in idx]
    )
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
    return scores, flags, secs, parts


def evaluate(
    pos_pairs: list,
    neg_sets: dict[str, list],
    *,
    with_compare: bool = True,
    union: str | None = "both",
) -> dict:
    """Per-method metrics of one set of positives against each negative set (and their union).

    All pairs are scored in one call (so TF-IDF is fitted on, and scan candidates are
    found among, every text of the set); the metrics of each negative set are then
    computed from its slice of the scores. The first set's figures are also stored
    as ``methods`` (the layout older readers of quality.json expect).
    """
    negatives = [p for pairs in neg_sets.values() for p in pairs]
    scores, flags, secs, parts = score_all(pos_pairs + negatives, with_compare=with_compare)
    k = len(pos_pairs)
    slices: dict[str, np.ndarray] = {}
    at = k
    for name, pairs in neg_sets.items():
        slices[name] = np.arange(at, at + len(pairs))
        at += len(pairs)
    if union is not None and len(neg_sets) > 1:
        slices[union] = np.arange(k, at)
    out: dict = {"positives": k, "negative_sets": {}, "components": {}}
    for set_name, idx in slices.items():
        methods = {}
        for name, s in scores.items():
            row = P.roc_metrics(s[:k], s[idx])
            row["seconds"] = secs[name]
            if name in flags:
                row["verdict_tpr"] = float(flags[name][:k].mean())
                row["verdict_fpr"] = float(flags[name][idx].mean())
            methods[name] = row
        out["negative_sets"][set_name] = {"negatives": int(idx.size), "methods": methods}
    first = next(iter(neg_sets))
    out["negatives"] = out["negative_sets"][first]["negatives"]
    out["methods"] = out["negative_sets"][first]["methods"]
    groups = {"positives": np.arange(k), **{n: slices[n] for n in neg_sets}}
    for group, idx in groups.items():
        summary: dict = {}
        for method, comps in parts.items():
            summary[method] = {}
            for key, values in comps.items():
                v = values[idx]
                if v.dtype == object:
                    names, counts = np.unique(v.astype(str), return_counts=True)
                    summary[method][key] = dict(zip(names.tolist(), counts.tolist(), strict=True))
                elif v.size:
                    summary[method][key] = {
                        "median": float(np.median(v)),
                        "p99": float(np.percentile(v, 99)),
                        "min": float(v.min()),
                        "max": float(v.max()),
                    }
                    if group != "positives" and k:  # how well this component alone ranks
                        summary[method][key]["auc"] = P.roc_metrics(values[:k], v)["auc"]
        out["components"][group] = summary
    return out


def _source_state() -> dict:
    """Git commit of the spindetect sources measured, and whether they differ from it."""
    import subprocess

    import spindetect

    where = Path(spindetect.__file__).resolve().parent

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return None
        return proc.stdout.strip()

    status = git("status", "--porcelain", "--", ".")
    return {
        "path": str(where),
        "commit": git("rev-parse", "HEAD"),
        "dirty": None if status is None else bool(status),
    }


def _share(text: str) -> tuple[float, float]:
    lo, hi = (float(x) for x in text.split(","))
    return lo, hi


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print tables and write the JSON result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=200, help="spun pairs per rate")
    ap.add_argument("--negatives", type=int, default=500, help="same-topic negatives")
    ap.add_argument(
        "--template-negatives",
        type=int,
        default=400,
        help="same-site negatives under shared boilerplate",
    )
    ap.add_argument(
        "--template-share",
        type=_share,
        default=(0.1, 0.4),
        help="range of the boilerplate's share of a page's words (lo,hi)",
    )
    ap.add_argument(
        "--quote-rate",
        type=float,
        default=0.5,
        help="share of template pairs also quoting the same passage",
    )
    ap.add_argument("--rates", type=lambda s: tuple(float(x) for x in s.split(",")), default=RATES)
    ap.add_argument("--doc-words", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-compare", action="store_true", help="skip spindetect.compare")
    ap.add_argument("--data-dir", default=str(P.DEFAULT_DATA_DIR))
    ap.add_argument("--out", default=str(HERE / "results" / "quality.json"))
    ap.add_argument(
        "--markdown", action="store_true", help="print the README tables of --out and exit"
    )
    ns = ap.parse_args(argv)
    if ns.markdown:
        print(markdown(json.loads(Path(ns.out).read_text(encoding="utf-8"))))
        return 0
    P.require_all()
    from spindetect import synth

    t_start = time.perf_counter()
    positives, negatives = load_data(ns)
    result: dict = {
        "benchmark": "pairwise spun-copy detection quality",
        "command": "python benchmarks/bench_quality.py " + " ".join(argv or sys.argv[1:]),
        "generator_version": synth.GENERATOR_VERSION,
        "params": {
            "pairs": ns.pairs,
            "negatives": ns.negatives,
            "template_negatives": ns.template_negatives,
            "template_share": list(ns.template_share),
            "quote_rate": ns.quote_rate,
            "rates": list(ns.rates),
            "doc_words": ns.doc_words,
            "seed": ns.seed,
            "fpr": 0.01,
        },
        "machine": P.machine_info(),
        "spindetect_source": _source_state(),
        "rates": {},
    }
    neg_sets = {name: [list(p) for p in negatives[name]] for name in NEG_SETS[:2]}
    for rate in ns.rates:
        r = evaluate([list(p) for p in positives[rate]], neg_sets, with_compare=not ns.no_compare)
        result["rates"][str(rate)] = r
        print(_table(f"spin rate {rate}", r), flush=True)
    mpc = load_mpc()
    if mpc is None:
        print(f"skipped real SpinBot pairs: {MPC} is absent")
        result["mpc_dev"] = None
    else:
        r = evaluate(mpc[0], {"same-article": mpc[1]}, with_compare=not ns.no_compare)
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
    """Compare the best spindetect method with the best peer on recall@1%FPR.

    One verdict per (rate, negative set) and for mpc-dev: AHEAD, TIED or BEHIND;
    ``each`` (and the line's parenthesis) gives the other spindetect method's own.
    """
    lines, per_set = [], {}
    sets = {
        f"p={rate} {neg}": r["negative_sets"][neg]["methods"]
        for rate, r in result["rates"].items()
        for neg in r["negative_sets"]
    }
    if result.get("mpc_dev"):
        sets["mpc-dev"] = result["mpc_dev"]["methods"]
    for key, m in sets.items():
        ours = max((n for n in m if n in SPINDETECT), key=lambda n: m[n]["recall_at_fpr"])
        peer = max((n for n in m if n not in SPINDETECT), key=lambda n: m[n]["recall_at_fpr"])
        a, b = m[ours]["recall_at_fpr"], m[peer]["recall_at_fpr"]
        word = _word(a, b)
        each = {n: _word(m[n]["recall_at_fpr"], b) for n in SPINDETECT if n in m}
        per_set[key] = {
            "ours": ours,
            "ours_recall": a,
            "best_peer": peer,
            "peer_recall": b,
            "ahead": a > b,
            "tied": a == b,
            "verdict": word,
            "each": each,
        }
        other = [n for n in each if n != ours]
        note = "".join(
            f" ({n.removeprefix('spindetect ')} {m[n]['recall_at_fpr']:.3f}: {each[n]})"
            for n in other
        )
        lines.append(f"{key}: {word}: {ours} {a:.3f} vs best peer {peer} {b:.3f}{note}")
    return {"per_set": per_set, "lines": lines}


def _word(ours: float, peer: float) -> str:
    return "AHEAD" if ours > peer else ("TIED" if ours == peer else "BEHIND")


def _table(title: str, r: dict) -> str:
    sets = r["negative_sets"]
    head = " ".join(f"{name[:12]:>19s}" for name in sets)
    lines = [
        f"\n{title}: {r['positives']} positives; negatives "
        + ", ".join(f"{name} {s['negatives']}" for name, s in sets.items()),
        f"{'recall@1%FPR / AUC':22s} {head} {'op. TPR':>8s} "
        + " ".join(f"{'FPR ' + name[:8]:>13s}" for name in sets)
        + f" {'s':>6s}",
    ]
    for name in next(iter(sets.values()))["methods"]:
        cells = " ".join(
            f"{s['methods'][name]['recall_at_fpr']:10.3f} / {s['methods'][name]['auc']:.3f}"
            for s in sets.values()
        )
        first = next(iter(sets.values()))["methods"][name]
        tpr = f"{first['verdict_tpr']:.3f}" if "verdict_tpr" in first else "-"
        fprs = " ".join(
            f"{s['methods'][name].get('verdict_fpr', float('nan')):13.3f}" for s in sets.values()
        )
        lines.append(f"{name:22s} {cells} {tpr:>8s} {fprs} {first['seconds']:6.2f}")
    return "\n".join(lines)


def markdown(q: dict) -> str:
    """README tables of a quality.json: recall@1%FPR / AUC and operating points per set."""
    methods = list(next(iter(q["rates"].values()))["methods"])
    rates = sorted(q["rates"], key=float)
    out: list[str] = []
    for neg in NEG_SETS:
        cols = {
            f"p = {r}": q["rates"][r]["negative_sets"][neg]
            for r in rates
            if neg in q["rates"][r]["negative_sets"]
        }
        if neg == "same-topic" and q.get("mpc_dev"):
            cols["SpinBot (mpc-dev)"] = q["mpc_dev"]["negative_sets"]["same-article"]
        n_neg = next(iter(cols.values()))["negatives"]
        out += [
            f"\n**recall at FPR = 1 % / ROC-AUC, negatives: {neg} ({n_neg} pairs)**\n",
            "| method | " + " | ".join(cols) + " |",
            "|---|" + "---|" * len(cols),
        ]
        for name in methods:
            out.append(
                f"| {name} | "
                + " | ".join(
                    f"{c['methods'][name]['recall_at_fpr']:.3f} / {c['methods'][name]['auc']:.3f}"
                    for c in cols.values()
                )
                + " |"
            )
    cols = {f"p = {r}": q["rates"][r]["negative_sets"]["same-topic"] for r in rates}
    out += [
        "\n**default operating point: TPR per rate; FPR per negative set**\n",
        "| method | "
        + " | ".join(cols)
        + " | FPR same-topic | FPR template | FPR both |"
        + (" SpinBot TPR / FPR |" if q.get("mpc_dev") else ""),
        "|---|" + "---|" * (len(cols) + 3 + bool(q.get("mpc_dev"))),
    ]
    first = q["rates"][rates[0]]["negative_sets"]
    for name in methods:
        cells = [f"{c['methods'][name]['verdict_tpr']:.3f}" for c in cols.values()]
        cells += [f"{first[neg]['methods'][name]['verdict_fpr']:.3f}" for neg in NEG_SETS]
        if q.get("mpc_dev"):
            m = q["mpc_dev"]["methods"][name]
            cells.append(f"{m['verdict_tpr']:.3f} / {m['verdict_fpr']:.3f}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")
    out += [f"- {line}" for line in q["ahead"]["lines"]]
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
