"""The exact join (JoinedCells) finds the same cells as scoring all against all (DenseCells)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from spindetect.pairwise import comparison
from spindetect.pairwise.alignment import Alignment, align, join_wrapped, units_from_sentences
from spindetect.pairwise.sentence_cells import DenseCells, JoinedCells
from spindetect.synth.pair_sets import generate_pairs
from spindetect.text.sentences import split_sentences

PAN13 = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "pan13"


def _align(a: str, b: str, **options: object) -> Alignment:
    side_a = comparison._prepare(a, True, True)
    side_b = comparison._prepare(b, True, True)
    units = [
        join_wrapped(units_from_sentences(s.tokens, split_sentences(s.text)), s.text)
        for s in (side_a, side_b)
    ]
    return align(side_a.tokens, units[0], side_b.tokens, units[1], **options)  # type: ignore[arg-type]


def _pan13_pairs() -> list[tuple[str, str]]:
    lines = (PAN13 / "02-no-obfuscation" / "pairs").read_text().splitlines()[:8]
    pairs = [tuple(line.split()) for line in lines]
    # and unrelated pairs: each suspicious document against the next pair's source
    pairs += [(pairs[k][0], pairs[k + 1][1]) for k in range(3)]
    return [
        (
            (PAN13 / "susp" / susp).read_text(encoding="utf-8", errors="replace"),
            (PAN13 / "src" / src).read_text(encoding="utf-8", errors="replace"),
        )
        for susp, src in pairs
    ]


@pytest.mark.skipif(not PAN13.is_dir(), reason="../shared/corpora/pan13 is absent")
def test_joined_alignment_equals_dense_on_real_pan13_pairs() -> None:
    aligned = []
    for a, b in _pan13_pairs():
        dense = _align(a, b, dense_cells=None)
        joined = _align(a, b, dense_cells=0)
        assert joined == dense  # every pair, score (float32), block and unmatched sentence
        aligned.append(len(dense.pairs))
    assert all(n > 0 for n in aligned[:8])  # the reuse pairs really align
    assert sum(aligned) > 50


def _strings(rng: random.Random, n: int, vocab: range) -> list[str]:
    # Zipf-like tokens: a few very common codes (function words) and a long tail.
    weights = [1.0 / (k + 1) for k in range(len(vocab))]
    out = []
    for _ in range(n):
        size = rng.randint(1, 30)
        out.append("".join(chr(0x10000 + c) for c in rng.choices(vocab, weights, k=size)))
    return out


@pytest.mark.parametrize("theta", [0.3, 0.5, 0.65, 0.9])
def test_joined_cells_equal_dense_cells_value_for_value(theta: float) -> None:
    rng = random.Random(7)
    a = _strings(rng, 120, range(60))
    mixed = _strings(rng, 80, range(70))  # codes 60-69: words of b absent from a
    b = [s[::-1] if k % 3 else s for k, s in enumerate(a[:80])] + mixed
    # the lexicon encoding of b: words absent from a take the code of a related word of a
    shift = {chr(0x10000 + c): chr(0x10000 + c - 60) for c in range(60, 70)}
    related = ["".join(shift.get(c, c) for c in s) for s in b]
    assert related != b
    dense = DenseCells(a, b, related, 0.5, 0.3)
    joined = JoinedCells(a, b, related, 0.5, 0.3)
    for rect in ((0, len(a), 0, len(b)), (10, 90, 5, 60), (3, 4, 0, len(b))):
        want = dense.cells(*rect, theta)
        got = joined.cells(*rect, theta)
        assert want[0].size > 0
        for x, y in zip(want, got, strict=True):
            np.testing.assert_array_equal(x, y)
    assert joined.score(5, 7) == dense.score(5, 7)


def test_progress_reports_the_rows_of_the_join() -> None:
    original, spun, _ = generate_pairs(1, rate=0.3, seed=3, doc_words=6000)[0]
    calls: list[tuple[int, int]] = []
    result = _align(
        original, spun, dense_cells=0, progress=lambda done, total: calls.append((done, total))
    )
    rows = len(result.units_a)
    assert rows > 256 and len(calls) >= 2  # one call per step of 256 rows
    assert calls[-1] == (rows, rows)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
