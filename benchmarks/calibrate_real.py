"""Leave-one-corpus-out calibration of the verdict rules and confidence models on real sets.

Calibration that does not grade its own homework: every threshold is fit on all corpora
but one and measured on the one left out, in turn; the held-out (LOCO) figures are the
ones to quote. The corpora are the real labelled sets of ``../shared/corpora`` (see
:mod:`_realsets`) plus the generator's sets (``corpora/``), which count as one corpus
among several. Run from the repository root::

    python benchmarks/calibrate_real.py --quick              # ~3 min on 2 cores
    python benchmarks/calibrate_real.py                      # every pair, longer
    python benchmarks/calibrate_real.py --part pairwise --grid copy_coverage=0.3:0.7:0.05
    python benchmarks/calibrate_real.py --rule spun_kept=0.2 --max-fpr 0.002
    python benchmarks/calibrate_real.py --reuse              # refit from the cached features

What is fit
-----------
* **pairwise** (:class:`spindetect.VerdictRules`): ``compare`` runs once per labelled
  pair with the rules in force; the verdict is then re-derived from the measured
  ``scores`` and ``stats`` for every point of a grid of rules (:func:`pair_verdicts`
  restates ``compare``'s rule; its agreement with ``compare`` at the base rules is
  measured and reported, so a drift of the rule in ``src/`` shows). A pair is
  *flagged* when its verdict is not ``unrelated``. The rules chosen maximise the
  macro recall (mean over training corpora with copies) subject to a pooled
  false-positive rate ``<= --max-fpr`` over the training non-copies; ties go to the
  lower false-positive rate, then to the rules nearest the base.
* **confidence** (``compare``'s logistic model of copy vs non-copy): a logistic
  regression on ``--confidence-features`` with every corpus weighted equally,
  fit LOCO; Brier score, log loss, ROC AUC and expected calibration error of the
  held-out probabilities, beside the same figures of the model in force.
* **crawl** (:class:`spindetect.VerifyRules`): one ``spindetect.scan`` of every set
  together (each under its own folder; the pan13 set, ~3k real web documents, is the
  background of the others) with permissive rules, so every candidate pair is kept
  with its fast scores (skeleton and content MinHash estimates, shared samples); the
  verdict is re-derived for every point of a grid (:func:`crawl_verdicts`, checked
  against a scan with the base rules). The rules chosen maximise the macro recall
  subject to a pooled precision ``>= --min-precision``. A pair of documents of two
  different sets is a non-copy; within a set its truth is the set's (see
  :mod:`_realsets`; wiki-versions-dev: a ``partial`` pair of two pages is left out).
  Recall counts pair records only (not family membership); pairs that never become
  candidates count as missed at every grid point.

Writes ``benchmarks/results/real-calibration.json`` (``real-calibration-quick.json``
with ``--quick``) and prints the proposed defaults with the LOCO table.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _peers as P  # noqa: E402
import _realsets as R  # noqa: E402
import bench_real as B  # noqa: E402

#: Default search grids (``name -> values``); a rule left out keeps its base value.
PAIRWISE_GRID: dict[str, tuple[float, ...]] = {
    "copy_coverage": tuple(np.round(np.arange(0.20, 0.801, 0.05), 3)),
    "spun_kept": tuple(np.round(np.arange(0.0, 0.601, 0.05), 3)),
    "partial_tokens": (10, 20, 30, 40, 60, 80, 120),
    "partial_kept": tuple(np.round(np.arange(0.2, 0.901, 0.1), 3)),
    "near_duplicate_kept": (0.8, 0.85, 0.9, 0.95),
}
CRAWL_GRID: dict[str, tuple[float, ...]] = {
    "spun_skeleton": tuple(np.round(np.arange(0.06, 0.361, 0.03), 3)),
    "spun_content_min": tuple(np.round(np.arange(0.0, 0.401, 0.05), 3)),
    "spun_content": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    "partial_shared": (1, 2, 3, 4, 6, 8, 12),
    "min_confidence": (0.0, 0.1, 0.3, 0.5, 0.7, 0.9),
}
#: compare's confidence features in force (``src/spindetect/pairwise/comparison.py``).
CONFIDENCE_FEATURES = ("coverage_min", "kept", "tfidf_cosine", "synonym_evidence")
WHOLE = ("identical", "near-duplicate", "spun")


# --------------------------------------------------------------------------- rules
def parse_grid(items: Iterable[str], rules_cls: type) -> dict[str, tuple[float, ...]]:
    """Parse ``name=lo:hi:step`` or ``name=v1,v2,...`` items into a search grid.

    Raises
    ------
    ValueError
        When a name is not a field of ``rules_cls`` or a value is not a number.
    """
    names = {f.name for f in dataclasses.fields(rules_cls)}
    out: dict[str, tuple[float, ...]] = {}
    for item in items:
        name, _, spec = item.partition("=")
        if name not in names:
            msg = f"grid name must be one of {sorted(names)}, got {name!r}"
            raise ValueError(msg)
        if ":" in spec:
            lo, hi, step = (float(x) for x in spec.split(":"))
            if step <= 0:
                msg = f"grid step must be > 0, got {item!r}"
                raise ValueError(msg)
            out[name] = tuple(float(x) for x in np.round(np.arange(lo, hi + step / 2, step), 6))
        else:
            out[name] = tuple(float(x) for x in spec.split(","))
    return out


def meant_for(items: Iterable[str], rules_cls: type) -> list[str]:
    """Return the ``name=...`` items whose name is a field of ``rules_cls``."""
    names = {f.name for f in dataclasses.fields(rules_cls)}
    return [item for item in items if item.partition("=")[0] in names]


def parse_rules(items: Iterable[str], rules_cls: type) -> Any:
    """Return ``rules_cls()`` with ``name=value`` overrides (validated by the class)."""
    fields = {f.name: f for f in dataclasses.fields(rules_cls)}
    base = rules_cls()
    kw: dict[str, Any] = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in fields:
            continue  # an override meant for the other rules class
        kw[name] = type(getattr(base, name))(float(value))
    return dataclasses.replace(base, **kw)


def grid_points(base: Any, grid: Mapping[str, Sequence[float]]) -> list[dict[str, float]]:
    """Every combination of the grid values; the base rules' other fields unchanged."""
    names = list(grid)
    start = dataclasses.asdict(base)
    points = []
    for values in itertools.product(*(grid[n] for n in names)):
        p = dict(start)
        p.update({n: type(start[n])(v) for n, v in zip(names, values, strict=True)})
        points.append(p)
    if start not in points:
        points.append(start)  # the base rules are always a candidate
    return points


def pair_verdicts(f: Mapping[str, np.ndarray], r: Mapping[str, float]) -> np.ndarray:
    """Re-derive ``compare``'s verdicts from measured scores under rules ``r``.

    With ``cov_min``/``cov_max`` the smaller/larger coverage, ``kept`` the share of
    aligned tokens kept, ``spin_like = related_swaps >= spin_swaps and
    synonym_evidence >= spin_evidence``::

        identical       (measured)
        near-duplicate  cov_min >= copy_coverage, kept >= near_duplicate_kept, not spin_like
        spun            cov_min >= copy_coverage, kept >= spun_kept
        partial         aligned_tokens >= partial_tokens, kept >= partial_kept and
                        (cov_max >= copy_coverage or kept >= near_duplicate_kept)
        unrelated       otherwise

    Returns an object array of verdict names.
    """
    cov_min, cov_max, kept = f["coverage_min"], f["coverage_max"], f["kept"]
    spin_like = (f["related_swaps"] >= r["spin_swaps"]) & (
        f["synonym_evidence"] >= r["spin_evidence"]
    )
    cover = cov_min >= r["copy_coverage"]
    near = cover & (kept >= r["near_duplicate_kept"]) & ~spin_like
    spun = ~near & cover & (kept >= r["spun_kept"])
    partial = (
        ~near
        & ~spun
        & (f["aligned_tokens"] >= r["partial_tokens"])
        & (kept >= r["partial_kept"])
        & ((cov_max >= r["copy_coverage"]) | (kept >= r["near_duplicate_kept"]))
    )
    out = np.full(kept.shape[0], "unrelated", dtype=object)
    out[partial] = "partial"
    out[spun] = "spun"
    out[near] = "near-duplicate"
    out[f["identical"].astype(bool)] = "identical"
    return out


def pair_flags(f: Mapping[str, np.ndarray], r: Mapping[str, float]) -> np.ndarray:
    """``pair_verdicts(f, r) != "unrelated"``, without building the verdict names (fast)."""
    cov_min, kept = f["coverage_min"], f["kept"]
    spin_like = (f["related_swaps"] >= r["spin_swaps"]) & (
        f["synonym_evidence"] >= r["spin_evidence"]
    )
    ndk = kept >= r["near_duplicate_kept"]
    whole = (cov_min >= r["copy_coverage"]) & ((ndk & ~spin_like) | (kept >= r["spun_kept"]))
    partial = (
        (f["aligned_tokens"] >= r["partial_tokens"])
        & (kept >= r["partial_kept"])
        & ((f["coverage_max"] >= r["copy_coverage"]) | ndk)
    )
    flagged: np.ndarray = f["identical"] | whole | partial
    return flagged


def crawl_flags(
    f: Mapping[str, np.ndarray], r: Mapping[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Kept and whole-copy masks of :func:`crawl_verdicts` (fast; ``f["confidence"]`` given)."""
    skel, cont = f["skeleton"], f["content"]
    sure = f["confidence"] >= r["min_confidence"]
    near = (cont >= r["near_duplicate"]) & (cont >= skel)
    spun = ((skel >= r["spun_skeleton"]) & (cont >= r["spun_content_min"])) | (
        cont >= r["spun_content"]
    )
    whole = sure & (near | spun)
    return whole | (f["shared"] >= r["partial_shared"]), whole


def crawl_verdicts(
    f: Mapping[str, np.ndarray], r: Mapping[str, float], confidence: Callable[..., np.ndarray]
) -> np.ndarray:
    """Re-derive the scan's verification verdicts from fast scores under rules ``r``.

    With ``skel``/``cont`` the skeleton/content MinHash estimates, ``shared`` the
    shared samples and ``conf = confidence(skel, cont, shared)``::

        near-duplicate  cont >= near_duplicate, cont >= skel, conf >= min_confidence
        spun            conf >= min_confidence and (skel >= spun_skeleton and
                        cont >= spun_content_min, or cont >= spun_content)
        partial         shared >= partial_shared
        "" (rejected)   otherwise
    """
    skel, cont, shared = f["skeleton"], f["content"], f["shared"]
    sure = confidence(skel, cont, shared) >= r["min_confidence"]
    near = (cont >= r["near_duplicate"]) & (cont >= skel) & sure
    spun = (
        ~near
        & sure
        & (
            ((skel >= r["spun_skeleton"]) & (cont >= r["spun_content_min"]))
            | (cont >= r["spun_content"])
        )
    )
    partial = ~near & ~spun & (shared >= r["partial_shared"])
    out = np.full(skel.shape[0], "", dtype=object)
    out[partial] = "partial"
    out[spun] = "spun"
    out[near] = "near-duplicate"
    return out


# --------------------------------------------------------------------------- fitting
@dataclasses.dataclass
class Counts:
    """Per grid point and corpus: hits among copies, flagged non-copies, and totals.

    ``tp[g, c]`` copies of corpus ``c`` found at grid point ``g`` (recall numerator),
    ``fp[g, c]`` non-copies flagged, ``good[g, c]`` flagged pairs that are copies
    (precision numerator; differs from ``tp`` where a set's truth covers more pairs
    than its labelled ones), ``pos[c]``/``neg[c]`` the totals.
    """

    tp: np.ndarray
    fp: np.ndarray
    good: np.ndarray
    pos: np.ndarray
    neg: np.ndarray


def count_grid(
    flags_of: Callable[[dict[str, float]], tuple[np.ndarray, np.ndarray]],
    points: Sequence[dict[str, float]],
    corpus: np.ndarray,
    is_pos: np.ndarray,
    is_good: np.ndarray,
    is_neg: np.ndarray,
    n_corpora: int,
    pos_total: np.ndarray,
    neg_total: np.ndarray,
) -> Counts:
    """Tally every grid point: ``flags_of(point) -> (flagged, counted_as_fp)`` per row."""
    g = len(points)
    tp = np.zeros((g, n_corpora), dtype=np.int64)
    fp = np.zeros_like(tp)
    good = np.zeros_like(tp)
    for i, p in enumerate(points):
        flagged, fp_flag = flags_of(p)
        tp[i] = np.bincount(corpus[flagged & is_pos], minlength=n_corpora)
        good[i] = np.bincount(corpus[flagged & is_good], minlength=n_corpora)
        fp[i] = np.bincount(corpus[fp_flag & is_neg], minlength=n_corpora)
    return Counts(tp, fp, good, pos_total, neg_total)


def choose(
    counts: Counts,
    train: np.ndarray,
    distance: np.ndarray,
    *,
    max_fpr: float | None = None,
    min_precision: float | None = None,
) -> int:
    """Grid point with the best macro recall over ``train`` corpora within the constraint.

    Macro recall: mean over training corpora with copies of ``tp / pos``. Constraint:
    pooled ``sum fp / sum neg <= max_fpr`` or pooled ``sum good / sum(good + fp) >=
    min_precision``. Ties: lower pooled false positives, then smaller ``distance``
    (to the base rules). When no point meets the constraint, the one with the fewest
    pooled false positives.
    """
    has_pos = train & (counts.pos > 0)
    recall = (
        (counts.tp[:, has_pos] / counts.pos[has_pos]).mean(axis=1)
        if has_pos.any()
        else (np.zeros(counts.tp.shape[0]))
    )
    fp = counts.fp[:, train].sum(axis=1)
    if max_fpr is not None:
        ok = fp <= max_fpr * max(1, counts.neg[train].sum())
    else:
        good = counts.good[:, train].sum(axis=1)
        ok = good >= (min_precision or 0.0) * (good + fp)
    if not ok.any():
        return int(np.lexsort((distance, -recall, fp))[0])
    order = np.lexsort((distance, fp, -recall, ~ok))
    return int(order[0])


def loco(
    counts: Counts, names: Sequence[str], distance: np.ndarray, **constraint: float | None
) -> dict[str, Any]:
    """Leave-one-corpus-out: fit on the others, measure on each corpus in turn.

    Returns per corpus the chosen point and its held-out figures, the pooled held-out
    figures, and the point fit on every corpus (the proposed defaults).
    """
    n = len(names)
    everything = np.ones(n, dtype=bool)
    folds: dict[str, Any] = {}
    held = {"tp": 0, "pos": 0, "fp": 0, "neg": 0, "good": 0}
    for c, name in enumerate(names):
        train = everything.copy()
        train[c] = False
        g = choose(counts, train, distance, **constraint)
        got = {k: int(getattr(counts, k)[g, c]) for k in ("tp", "fp", "good")}
        got.update(pos=int(counts.pos[c]), neg=int(counts.neg[c]))
        for k in held:
            held[k] += got[k]
        folds[name] = {"point": g, **got}
    g_all = choose(counts, everything, distance, **constraint)
    return {"folds": folds, "held_out": held, "all": g_all}


def figures(tp: int, pos: int, fp: int, neg: int, good: int) -> dict[str, Any]:
    """Recall, false-positive rate and precision with their Wilson intervals."""
    return {
        "recall": R.proportion(tp, pos),
        "fpr": R.proportion(fp, neg),
        "precision": R.proportion(good, good + fp),
    }


# --------------------------------------------------------------------------- pairwise
def _compare_features(pair: tuple[str, str]) -> dict[str, Any]:
    import spindetect

    r = spindetect.compare(*pair)
    return {
        "verdict": str(r.verdict),
        "confidence": float(r.confidence),
        **{k: float(v) for k, v in r.scores.items()},
        **{k: float(v) for k, v in r.stats.items()},
    }


def collect_pairwise(sets: Mapping[str, R.RealSet], jobs: int, *, quick: bool) -> list[dict]:
    """``compare`` every labelled pairwise pair of every set; one row of features each."""
    rows: list[dict] = []
    pool = ProcessPoolExecutor(jobs) if jobs > 1 else None
    try:
        for name, s in sets.items():
            pairs = [p for p in s.pairwise if p.label is not None]
            if quick and name == "pan11-pairs":
                pairs = R.sample(pairs, B.QUICK_PAN11, 0)
            t0 = time.perf_counter()
            jobs_ = [(s.text(p.a), s.text(p.b)) for p in pairs]
            got = list(
                pool.map(_compare_features, jobs_, chunksize=4)
                if pool
                else map(_compare_features, jobs_)
            )
            for p, g in zip(pairs, got, strict=True):
                rows.append({"corpus": name, "a": p.a, "b": p.b, "label": bool(p.label), **g})
            print(
                f"  pairwise features {name}: {len(pairs)} pairs "
                f"({time.perf_counter() - t0:.0f} s)",
                flush=True,
            )
    finally:
        if pool is not None:
            pool.shutdown()
    return rows


def _arrays(rows: Sequence[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, np.ndarray]:
    return {k: np.array([float(r.get(k, 0.0)) for r in rows]) for k in keys}


def pairwise_features(rows: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """Every measured score and stat as an array, plus ``coverage_min/max`` and ``identical``."""
    numeric = sorted(
        {k for r in rows for k, v in r.items() if isinstance(v, float) and k != "confidence"}
    )
    f = _arrays(rows, numeric)
    f["coverage_min"] = np.minimum(f["coverage_a"], f["coverage_b"])
    f["coverage_max"] = np.maximum(f["coverage_a"], f["coverage_b"])
    f["identical"] = np.array([r["verdict"] == "identical" for r in rows])
    return f


def _distance(
    points: Sequence[Mapping[str, float]],
    base: Mapping[str, float],
    grid: Mapping[str, Sequence[float]],
) -> np.ndarray:
    """Distance of each point to the base rules, each rule scaled by its grid range."""
    d = np.zeros(len(points))
    for name, values in grid.items():
        span = (max(values) - min(values)) or 1.0
        d += np.array([abs(p[name] - base[name]) / span for p in points])
    return d


def calibrate_pairwise(
    rows: list[dict], base: Any, grid: Mapping[str, Sequence[float]], *, max_fpr: float
) -> dict[str, Any]:
    """LOCO fit of the verdict rules on compare's measured features."""
    names = sorted({r["corpus"] for r in rows}, key=_order)
    idx = {n: i for i, n in enumerate(names)}
    corpus = np.array([idx[r["corpus"]] for r in rows])
    label = np.array([r["label"] for r in rows])
    f = pairwise_features(rows)
    base_d = dataclasses.asdict(base)
    replica = pair_verdicts(f, base_d)
    measured = np.array([r["verdict"] for r in rows], dtype=object)
    agree = R.proportion(int((replica == measured).sum()), len(rows))
    points = grid_points(base, grid)

    def flags(p: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        flagged = pair_flags(f, p)
        return flagged, flagged

    pos_total = np.bincount(corpus[label], minlength=len(names))
    neg_total = np.bincount(corpus[~label], minlength=len(names))
    counts = count_grid(
        flags, points, corpus, label, label, ~label, len(names), pos_total, neg_total
    )
    dist = _distance(points, base_d, grid)
    fit = loco(counts, names, dist, max_fpr=max_fpr)
    base_i = points.index(base_d)
    return _report(fit, counts, points, names, base_i, grid, agree, constraint={"max_fpr": max_fpr})


def _report(
    fit: Mapping[str, Any],
    counts: Counts,
    points: Sequence[Mapping[str, float]],
    names: Sequence[str],
    base_i: int,
    grid: Mapping[str, Sequence[float]],
    agree: Mapping[str, Any],
    *,
    constraint: Mapping[str, float],
) -> dict[str, Any]:
    def at(g: int, c: int) -> dict[str, Any]:
        return figures(
            int(counts.tp[g, c]),
            int(counts.pos[c]),
            int(counts.fp[g, c]),
            int(counts.neg[c]),
            int(counts.good[g, c]),
        )

    g_all = fit["all"]
    per: dict[str, Any] = {}
    for c, name in enumerate(names):
        fold = fit["folds"][name]
        per[name] = {
            "loco": figures(fold["tp"], fold["pos"], fold["fp"], fold["neg"], fold["good"]),
            "loco_rules": {k: points[fold["point"]][k] for k in grid},
            "in_sample": at(g_all, c),
            "base": at(base_i, c),
        }
    h = fit["held_out"]
    pooled = {
        "loco": figures(h["tp"], h["pos"], h["fp"], h["neg"], h["good"]),
        "in_sample": figures(
            int(counts.tp[g_all].sum()),
            int(counts.pos.sum()),
            int(counts.fp[g_all].sum()),
            int(counts.neg.sum()),
            int(counts.good[g_all].sum()),
        ),
        "base": figures(
            int(counts.tp[base_i].sum()),
            int(counts.pos.sum()),
            int(counts.fp[base_i].sum()),
            int(counts.neg.sum()),
            int(counts.good[base_i].sum()),
        ),
    }
    has_pos = counts.pos > 0

    def macro(g: int) -> float:
        return float((counts.tp[g, has_pos] / counts.pos[has_pos]).mean())

    loco_macro = float(
        np.mean(
            [
                fit["folds"][n]["tp"] / fit["folds"][n]["pos"]
                for n in names
                if fit["folds"][n]["pos"]
            ]
        )
    )
    return {
        "constraint": dict(constraint),
        "grid": {k: list(v) for k, v in grid.items()},
        "grid_points": len(points),
        "replica_agreement_at_base": dict(agree),
        "base_rules": dict(points[base_i]),
        "proposed_rules": dict(points[g_all]),
        "macro_recall": {
            "loco": round(loco_macro, 4),
            "in_sample": round(macro(g_all), 4),
            "base": round(macro(base_i), 4),
        },
        "pooled": pooled,
        "corpora": per,
    }


def _order(name: str) -> int:
    return R.ALL_SETS.index(name) if name in R.ALL_SETS else len(R.ALL_SETS)


# --------------------------------------------------------------------------- confidence
def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE: ``sum_b |B_b| / n * |mean(y in B_b) - mean(p in B_b)|`` over equal-width bins."""
    if p.size == 0:
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            total += m.sum() / p.size * abs(float(y[m].mean()) - float(p[m].mean()))
    return total


def _probability_figures(p: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    p = np.clip(p, 1e-6, 1 - 1e-6)
    both = 0 < y.sum() < y.size
    return {
        "n": int(y.size),
        "brier": round(float(brier_score_loss(y, p)), 4),
        "log_loss": round(float(log_loss(y, p, labels=[0, 1])), 4),
        "auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "ece": round(expected_calibration_error(p, y), 4),
    }


def _balanced_weights(corpus: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Every (corpus, label) cell carries the same total weight."""
    w = np.zeros(y.size)
    for c in np.unique(corpus):
        for lab in (False, True):
            m = (corpus == c) & (y == lab)
            if m.any():
                w[m] = 1.0 / m.sum()
    return w * y.size / w.sum()


def loco_logistic(
    x: np.ndarray,
    y: np.ndarray,
    corpus: np.ndarray,
    names: Sequence[str],
    current: np.ndarray,
    features: Sequence[str],
) -> dict[str, Any]:
    """LOCO logistic regression of ``y`` on ``x``, beside the probabilities in force.

    Every (corpus, label) cell carries the same weight in each fit. A corpus whose
    training folds hold one class only is skipped (and left out of the pooled
    figures). ``proposed`` is the model fit on every corpus.
    """
    from sklearn.linear_model import LogisticRegression

    held = np.zeros(y.size)
    scored = np.zeros(y.size, dtype=bool)
    per: dict[str, Any] = {}
    for c, name in enumerate(names):
        train, test = corpus != c, corpus == c
        if len(np.unique(y[train])) < 2 or not test.any():
            continue
        m = LogisticRegression(C=10.0, max_iter=1000)
        m.fit(x[train], y[train], sample_weight=_balanced_weights(corpus[train], y[train]))
        held[test] = m.predict_proba(x[test])[:, 1]
        scored |= test
        per[name] = {
            "loco": _probability_figures(held[test], y[test]),
            "in_force": _probability_figures(current[test], y[test]),
        }
    m = LogisticRegression(C=10.0, max_iter=1000)
    m.fit(x, y, sample_weight=_balanced_weights(corpus, y))
    return {
        "features": list(features),
        "proposed": {
            "intercept": round(float(m.intercept_[0]), 3),
            **{k: round(float(v), 3) for k, v in zip(features, m.coef_[0], strict=True)},
        },
        "pooled": {
            "loco": _probability_figures(held[scored], y[scored]),
            "in_force": _probability_figures(current[scored], y[scored]),
        },
        "corpora": per,
    }


def calibrate_confidence(rows: list[dict], features: Sequence[str]) -> dict[str, Any]:
    """LOCO logistic regression of copy vs non-copy on ``features`` of compare's scores.

    The model in force is read back from ``compare``'s output: ``p_copy`` is the
    confidence of a copy verdict and one minus that of ``unrelated`` (1 for
    ``identical``). Identical pairs are left out of the fit and of the figures.
    """
    keep = [r for r in rows if r["verdict"] != "identical"]
    f = pairwise_features(keep)
    unknown = [k for k in features if k not in f]
    if unknown:
        msg = f"confidence features must be measured scores {sorted(f)}, got {unknown}"
        raise ValueError(msg)
    x = np.column_stack([f[k] for k in features])
    y = np.array([r["label"] for r in keep])
    names = sorted({r["corpus"] for r in keep}, key=_order)
    corpus = np.array([names.index(r["corpus"]) for r in keep])
    current = np.array(
        [r["confidence"] if r["verdict"] != "unrelated" else 1 - r["confidence"] for r in keep]
    )
    return loco_logistic(x, y, corpus, names, current, features)


def calibrate_scan_confidence(
    sets: Mapping[str, R.RealSet], data: Mapping[str, Any]
) -> dict[str, Any]:
    """LOCO refit of :func:`scan_confidence`'s logistic model on the crawl's candidates.

    Features ``skeleton``, ``content`` and ``min(shared, 20)`` of every candidate
    pair of known truth; the label is the truth (copy or not, whole or partial).
    """
    from spindetect.crawl.stages import scan_confidence

    cands = data["candidates"]
    f = _arrays(cands, ("skeleton", "content", "shared"))
    lab = crawl_labels(sets, cands)
    known = lab["truth"] >= 0
    x = np.column_stack([f["skeleton"], f["content"], np.minimum(f["shared"], 20)])[known]
    current = scan_confidence(f["skeleton"], f["content"], f["shared"])[known]
    return loco_logistic(
        x,
        lab["truth"][known] == 1,
        lab["corpus"][known],
        list(sets),
        current,
        ("skeleton", "content", "min(shared, 20)"),
    )


# --------------------------------------------------------------------------- crawl
def _crawl_documents(sets: Mapping[str, R.RealSet]) -> list[tuple[str, str]]:
    docs = []
    for name, s in sets.items():
        docs += [(f"{name}/{d}", s.text(d)) for d in s.crawl_docs()]
    return docs


def _scan_pairs(docs: list[tuple[str, str]], rules: Any) -> tuple[list[Any], dict[str, Any]]:
    import spindetect

    res = spindetect.scan(docs, config=spindetect.ScanConfig(rules=rules), explain=0)
    return list(res.pairs), dict(res.summary)


def permissive_rules() -> Any:
    """Rules that keep every candidate pair (so its fast scores can be re-judged)."""
    import spindetect

    return spindetect.VerifyRules(
        near_duplicate=1.0,
        spun_skeleton=0.0,
        spun_content_min=0.0,
        spun_content=0.0,
        partial_shared=1,
        min_confidence=0.0,
    )


def collect_crawl(sets: Mapping[str, R.RealSet], base: Any) -> dict[str, Any]:
    """One scan of every set together with permissive rules, one with the base rules."""
    docs = _crawl_documents(sets)
    t0 = time.perf_counter()
    pairs, summary = _scan_pairs(docs, permissive_rules())
    t1 = time.perf_counter()
    base_pairs, _ = _scan_pairs(docs, base)
    print(
        f"  crawl features: {len(docs)} documents, {len(pairs)} candidate pairs "
        f"({t1 - t0:.0f} s; base-rules scan {time.perf_counter() - t1:.0f} s)",
        flush=True,
    )

    def row(p: Any) -> dict[str, Any]:
        return {"a": p.a, "b": p.b, "verdict": p.verdict, **p.scores}

    return {
        "documents": len(docs),
        "summary": summary,
        "candidates": [row(p) for p in pairs],
        "base_pairs": [row(p) for p in base_pairs],
    }


def _split(doc: str, names: Sequence[str]) -> tuple[str, str]:
    for n in names:
        if doc.startswith(n + "/"):
            return n, doc[len(n) + 1 :]
    msg = f"document {doc!r} belongs to no set"
    raise ValueError(msg)


def crawl_labels(
    sets: Mapping[str, R.RealSet], cands: Sequence[Mapping[str, Any]]
) -> dict[str, np.ndarray]:
    """Corpus, recall-positive, truth and whole-only flags of every candidate pair.

    A pair inside one set gets the set's truth; a pair across two sets is a non-copy
    charged to the set of its first non-background document (the background being
    pan13 when present).
    """
    names = list(sets)
    pos_keys = {name: {R._key(p.a, p.b) for p in s.pairs if p.label} for name, s in sets.items()}
    corpus, is_pos, truth, whole_only = [], [], [], []
    for r in cands:
        (sa, da), (sb, db) = _split(r["a"], names), _split(r["b"], names)
        if sa == sb:
            t = sets[sa].truth(da, db)
            c = sa
            pos = R._key(da, db) in pos_keys[sa]
        else:
            t, pos = False, False
            c = sb if sa == "pan13" else sa
        corpus.append(names.index(c))
        is_pos.append(pos)
        truth.append(-1 if t is None else int(t))
        whole_only.append(sa == sb and sets[sa].whole_only_precision)
    return {
        "corpus": np.array(corpus, dtype=np.int64),
        "pos": np.array(is_pos, dtype=bool),
        "truth": np.array(truth),
        "whole_only": np.array(whole_only, dtype=bool),
    }


def calibrate_crawl(
    sets: Mapping[str, R.RealSet],
    data: Mapping[str, Any],
    base: Any,
    grid: Mapping[str, Sequence[float]],
    *,
    min_precision: float,
) -> dict[str, Any]:
    """LOCO fit of the verification rules on the candidates' fast scores."""
    from spindetect.crawl.stages import scan_confidence

    names = list(sets)
    cands = data["candidates"]
    f = _arrays(cands, ("skeleton", "content", "shared"))
    lab = crawl_labels(sets, cands)
    base_d = dataclasses.asdict(base)
    replica = crawl_verdicts(f, base_d, scan_confidence)
    kept = {(r["a"], r["b"]): r["verdict"] for r in data["base_pairs"]}
    mine = {(r["a"], r["b"]): v for r, v in zip(cands, replica, strict=True) if v}
    agree = R.proportion(sum(kept.get(k) == v for k, v in mine.items()), len(set(kept) | set(mine)))
    points = grid_points(base, grid)
    good_truth, neg_truth = lab["truth"] == 1, lab["truth"] == 0

    f["confidence"] = scan_confidence(f["skeleton"], f["content"], f["shared"])
    whole_only = lab["whole_only"]

    def flags(p: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        flagged, whole = crawl_flags(f, p)
        return flagged, flagged & (whole | ~whole_only)

    pos_total = np.array([sum(1 for p in sets[n].pairs if p.label) for n in names])
    neg_total = np.bincount(lab["corpus"][neg_truth], minlength=len(names))
    counts = count_grid(
        flags,
        points,
        lab["corpus"],
        lab["pos"],
        good_truth,
        neg_truth,
        len(names),
        pos_total,
        neg_total,
    )
    dist = _distance(points, base_d, grid)
    fit = loco(counts, names, dist, min_precision=min_precision)
    out = _report(
        fit,
        counts,
        points,
        names,
        points.index(base_d),
        grid,
        agree,
        constraint={"min_precision": min_precision},
    )
    per_doc = len(cands) / max(1, data["documents"])
    out.update(
        documents=data["documents"],
        candidate_pairs=len(cands),
        candidates_per_doc=round(per_doc, 2),
        candidate_recall={
            n: R.proportion(int(counts_pos), int(pos_total[i]))
            for i, (n, counts_pos) in enumerate(
                zip(
                    names, np.bincount(lab["corpus"][lab["pos"]], minlength=len(names)), strict=True
                )
            )
        },
    )
    return out


# --------------------------------------------------------------------------- report
def _f(p: Mapping[str, Any] | None) -> str:
    if not p or not p.get("n"):
        return "-"
    lo, hi = p["ci95"]
    return f"{p['rate']:.3f} [{lo:.2f}, {hi:.2f}] {p['k']}/{p['n']}"


def _rules(r: Mapping[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in r.items())


def markdown(res: Mapping[str, Any]) -> str:
    """Render the proposed rules and the LOCO / in-sample / base table of a result."""
    out: list[str] = []
    for part, metric in (("pairwise", "fpr"), ("crawl", "precision")):
        r = res.get(part)
        if not r:
            continue
        changed = {k: v for k, v in r["proposed_rules"].items() if r["base_rules"][k] != v}
        out += [
            f"### {part}: {'VerdictRules' if part == 'pairwise' else 'VerifyRules'}",
            "",
            f"Constraint {r['constraint']}; {r['grid_points']} grid points; replica of the "
            f"rule agrees with the code on {_f(r['replica_agreement_at_base'])} pairs.",
            f"Proposed (fit on every corpus): `{_rules(changed) or 'the base rules'}`; "
            f"macro recall "
            f"LOCO {r['macro_recall']['loco']}, in-sample {r['macro_recall']['in_sample']}, "
            f"base rules {r['macro_recall']['base']}.",
            "",
            f"| corpus | LOCO recall | LOCO {metric} | in-sample recall | base recall | "
            f"base {metric} | rules fit without it |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, c in r["corpora"].items():
            out.append(
                f"| {name} | {_f(c['loco']['recall'])} | {_f(c['loco'][metric])} | "
                f"{_f(c['in_sample']['recall'])} | {_f(c['base']['recall'])} | "
                f"{_f(c['base'][metric])} | {_rules(c['loco_rules'])} |"
            )
        p = r["pooled"]
        out += [
            f"| pooled | {_f(p['loco']['recall'])} | {_f(p['loco'][metric])} | "
            f"{_f(p['in_sample']['recall'])} | {_f(p['base']['recall'])} | "
            f"{_f(p['base'][metric])} | |",
            "",
        ]
    for key, title in (("confidence", "compare"), ("scan_confidence", "scan")):
        c = res.get(key)
        if not c:
            continue
        out += [
            f"### confidence model ({title}): LOCO vs in force",
            "",
            f"Proposed logistic model (fit on every corpus): `{c['proposed']}`",
            "",
            "| corpus | LOCO Brier | LOCO ECE | LOCO AUC | in force Brier | in force ECE | "
            "in force AUC |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, v in {**c["corpora"], "pooled": c["pooled"]}.items():
            lo, inf = v["loco"], v["in_force"]
            out.append(
                f"| {name} | {lo['brier']} | {lo['ece']} | {lo['auc']} | "
                f"{inf['brier']} | {inf['ece']} | {inf['auc']} |"
            )
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    """Collect the features (or reuse them), fit LOCO, print and write the result."""
    import spindetect

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(R.ALL_SETS))
    ap.add_argument(
        "--part",
        default="pairwise,confidence,crawl",
        help="comma-separated subset of pairwise,confidence,crawl",
    )
    ap.add_argument("--quick", action="store_true", help="the samples of bench_real --quick")
    ap.add_argument(
        "--grid",
        action="append",
        default=[],
        help="NAME=LO:HI:STEP or NAME=V1,V2 (repeatable; replaces the default grid "
        "of that rules class)",
    )
    ap.add_argument(
        "--rule", action="append", default=[], help="NAME=VALUE: base value of a rule (repeatable)"
    )
    ap.add_argument(
        "--max-fpr",
        type=float,
        default=0.005,
        help="pairwise: pooled false-positive rate allowed (default 0.005)",
    )
    ap.add_argument(
        "--min-precision",
        type=float,
        default=0.95,
        help="crawl: pooled precision required (default 0.95)",
    )
    ap.add_argument("--confidence-features", default=",".join(CONFIDENCE_FEATURES))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpora", default=str(R.CORPORA))
    ap.add_argument(
        "--features-cache",
        default=None,
        help="default /tmp/spindetect-bench/real/calibration-features[-quick].json",
    )
    ap.add_argument("--reuse", action="store_true", help="read the features cache, do not measure")
    ap.add_argument("--out", default=None)
    ns = ap.parse_args(argv)
    suffix = "-quick" if ns.quick else ""
    out = Path(ns.out or HERE / "results" / f"real-calibration{suffix}.json")
    cache = Path(
        ns.features_cache or P.DEFAULT_DATA_DIR / "real" / f"calibration-features{suffix}.json"
    )
    parts = {x.strip() for x in ns.part.split(",") if x.strip()}
    names = [x.strip() for x in ns.sets.split(",") if x.strip()]
    try:
        pw_grid = parse_grid(meant_for(ns.grid, spindetect.VerdictRules), spindetect.VerdictRules)
        pw_grid = pw_grid or PAIRWISE_GRID
        cr_grid = parse_grid(meant_for(ns.grid, spindetect.VerifyRules), spindetect.VerifyRules)
        cr_grid = cr_grid or CRAWL_GRID
        pw_base = parse_rules(ns.rule, spindetect.VerdictRules)
        cr_base = parse_rules(ns.rule, spindetect.VerifyRules)
    except (ValueError, spindetect.InvalidParameterError) as exc:
        ap.error(str(exc))
    t_start = time.perf_counter()
    sets = {
        n: s
        for n, s in B.load_sets(names, Path(ns.corpora), quick=ns.quick, seed=0).items()
        if s is not None
    }
    absent = [n for n in names if n not in sets]
    if ns.reuse:
        feats = json.loads(cache.read_text(encoding="utf-8"))
    else:
        feats = {}
        if parts & {"pairwise", "confidence"}:
            feats["pairwise"] = collect_pairwise(sets, ns.jobs, quick=ns.quick)
        if "crawl" in parts:
            feats["crawl"] = collect_crawl(sets, cr_base)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(feats), encoding="utf-8")
    from bench_quality import _source_state

    res: dict[str, Any] = {
        "benchmark": "leave-one-corpus-out calibration on the real sets and the generator",
        "command": "python benchmarks/calibrate_real.py " + " ".join(argv or sys.argv[1:]),
        "version": spindetect.__version__,
        "spindetect_source": _source_state(),
        "machine": P.machine_info(),
        "quick": ns.quick,
        "sets": list(sets),
        "absent": absent,
    }
    if "pairwise" in parts and feats.get("pairwise"):
        res["pairwise"] = calibrate_pairwise(
            feats["pairwise"], pw_base, pw_grid, max_fpr=ns.max_fpr
        )
    if "confidence" in parts and feats.get("pairwise"):
        try:
            res["confidence"] = calibrate_confidence(
                feats["pairwise"], [x for x in ns.confidence_features.split(",") if x]
            )
        except ValueError as exc:
            ap.error(str(exc))
    if "crawl" in parts and feats.get("crawl"):
        res["scan_confidence"] = calibrate_scan_confidence(sets, feats["crawl"])
        res["crawl"] = calibrate_crawl(
            sets, feats["crawl"], cr_base, cr_grid, min_precision=ns.min_precision
        )
    res["seconds"] = round(time.perf_counter() - t_start, 1)
    P.write_json(out, res)
    print(markdown(res))
    print(f"\nwrote {out} ({res['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
