"""Calibrate ``VerdictRules.contained_share`` by leave-one-group-out cross-validation.

Groups are the real labelled sets, with ``mpc-dev`` split by article (its negatives are
paragraphs of the same article, so an article is the unit that must not leak):

* ``pan11``: label-1 passage pairs (positives) and random pairs (negatives);
* ``mpc:<article>``: (original, spun) pairs of >= 20 words (positives); the original of
  paragraph i against the spun version, and against the original, of paragraph j != i
  (same-subject negatives).

For each held-out group the threshold is fit on the others, Neyman-Pearson style since
precision counts as much as recall and negatives far outnumber copies in use: the
smallest containment share :math:`\\tau` (grid step 0.01) whose false-positive rate
on the training negatives, share alone, is at most ``--alpha`` (default 0.002: the
issue's floor of at most 1 of 584 same-article pairs). It is then applied to the
held-out group with the token floor (``share >= tau and tokens >= --tokens``). The
per-fold thresholds, the held-out recall and false-positive counts, and the threshold
fit on all groups are printed; the default is the largest per-fold threshold rounded up
to 0.05 (the most cautious fold).

Usage::

    python tools/calibrate_containment.py [--corpora ../shared/corpora] [--tokens 20]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import statistics
from pathlib import Path

from spindetect.pairwise.containment import containment
from spindetect.text.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
GRID = [k / 100 for k in range(5, 96)]


def _score(a: str, b: str) -> tuple[float, int]:
    c = containment(tokenize(a).forms, tokenize(b).forms)
    return c.share, c.tokens


def load(corpora: Path) -> dict[str, list[tuple[int, float, int]]]:
    """Return ``{group: [(label, share, tokens), ...]}``."""
    groups: dict[str, list[tuple[int, float, int]]] = {}
    rows = json.loads((corpora / "pan11-pairs/val_pairs.json").read_text(encoding="utf-8"))
    groups["pan11"] = [(int(r["label"]), *_score(r["text1"], r["text2"])) for r in rows]
    lines = (corpora / "mpc-dev/paragraph_pairs.jsonl").read_text(encoding="utf-8").splitlines()
    paras = [json.loads(line) for line in lines if line.strip()]
    paras = [r for r in paras if len(re.findall(r"\w+", r["original"])) >= 20]
    for r in paras:
        groups.setdefault(f"mpc:{r['article']}", []).append((1, *_score(r["original"], r["spun"])))
    for x, y in itertools.permutations(paras, 2):
        if x["article"] == y["article"]:
            group = groups[f"mpc:{x['article']}"]
            group.append((0, *_score(x["original"], y["spun"])))
            if x["para_index"] < y["para_index"]:
                group.append((0, *_score(x["original"], y["original"])))
    return groups


def fit(rows: list[tuple[int, float, int]], alpha: float) -> float:
    """Return the smallest grid threshold whose false-positive rate on ``rows`` is <= alpha."""
    negatives = [s for lab, s, _ in rows if lab == 0]
    for tau in GRID:
        if sum(s >= tau for s in negatives) <= alpha * len(negatives):
            return tau
    return GRID[-1]


def main(argv: list[str] | None = None) -> int:
    """Run the cross-validation and print the figures; return the exit code."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared/corpora")
    parser.add_argument("--tokens", type=int, default=20)
    parser.add_argument("--alpha", type=float, default=0.002)
    args = parser.parse_args(argv)
    groups = load(args.corpora)
    taus = []
    for held, rows in sorted(groups.items()):
        train = [r for g, rs in groups.items() if g != held for r in rs]
        tau = fit(train, args.alpha)
        taus.append(tau)
        pos = [r for r in rows if r[0] == 1]
        neg = [r for r in rows if r[0] == 0]
        tp = sum(s >= tau and t >= args.tokens for _, s, t in pos)
        fp = sum(s >= tau and t >= args.tokens for _, s, t in neg)
        print(
            f"held out {held:22s} tau {tau:.3f}: recall {tp}/{len(pos)}, negatives {fp}/{len(neg)}"
        )
    every = fit([r for rs in groups.values() for r in rs], args.alpha)
    cautious = math.ceil(max(taus) * 20 - 1e-9) / 20
    print(
        f"fit on all groups: {every:.3f}; folds median {statistics.median(taus):.3f}, "
        f"max {max(taus):.3f} -> default {cautious:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
