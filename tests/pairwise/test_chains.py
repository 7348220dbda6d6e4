"""The compiled chain and greedy pairing agree with a plain Python reference, ties included."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from spindetect.pairwise.chains import greedy_pairs, increasing_chain


def _reference_chain(scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Return the chain of the dense Python algorithm used before the sparse cells."""
    rows, cols = np.nonzero(scores >= threshold)
    if rows.size == 0:
        return []
    n_cols = scores.shape[1]
    tree = np.zeros(n_cols + 1)
    tree_arg = np.full(n_cols + 1, -1, dtype=np.int64)
    best = np.zeros(rows.size)
    back = np.full(rows.size, -1, dtype=np.int64)
    order = np.lexsort((cols, rows))
    k = 0
    while k < order.size:
        row = rows[order[k]]
        group = []
        while k < order.size and rows[order[k]] == row:
            group.append(order[k])
            k += 1
        for c in group:
            prev_best, prev_arg = 0.0, -1
            i = int(cols[c])
            while i > 0:
                if tree[i] > prev_best:
                    prev_best, prev_arg = float(tree[i]), int(tree_arg[i])
                i -= i & -i
            best[c] = prev_best + scores[rows[c], cols[c]]
            back[c] = prev_arg
        for c in group:
            i = int(cols[c]) + 1
            while i < tree.size:
                if best[c] > tree[i]:
                    tree[i] = best[c]
                    tree_arg[i] = c
                i += i & -i
    chain = []
    c = int(np.argmax(best))
    while c >= 0:
        chain.append((int(rows[c]), int(cols[c])))
        c = int(back[c])
    return chain[::-1]


def _max_weight(scores: np.ndarray, threshold: float) -> float:
    """Brute force: the heaviest increasing chain of cells >= threshold."""
    n_a, n_b = scores.shape
    table = np.zeros((n_a + 1, n_b + 1))
    for i in range(n_a):
        for j in range(n_b):
            take = table[i, j] + scores[i, j] if scores[i, j] >= threshold else 0.0
            table[i + 1, j + 1] = max(table[i, j + 1], table[i + 1, j], take)
    return float(table[n_a, n_b])


def _cells(scores: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, cols = np.nonzero(scores >= threshold)
    return rows.astype(np.int64), cols.astype(np.int64), scores[rows, cols]


@pytest.mark.parametrize("seed", range(8))
def test_increasing_chain_is_the_maximum_weight_chain(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Few distinct values: many ties between chains of equal weight.
    scores = rng.choice(np.array([0.0, 0.5, 0.75, 1.0], dtype=np.float32), size=(25, 30))
    got = increasing_chain(_cells(scores, 0.5), scores.shape[1], 0.5)
    want = _reference_chain(scores, 0.5)
    weight = float(sum(scores[i, j] for i, j in got))
    assert weight == pytest.approx(_max_weight(scores, 0.5))
    assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in itertools.pairwise(got))
    assert got == want  # the same chain among equal ones
    assert len(got) >= 5


def test_greedy_pairs_take_the_best_first_each_row_and_col_once() -> None:
    scores = np.array([[0.9, 0.8, 0.0], [0.95, 0.7, 0.66], [0.0, 0.9, 0.7]], dtype=np.float32)
    used_a, used_b = {2}, set()
    pairs = greedy_pairs(_cells(scores, 0.65), 0.65, used_a, used_b)
    # (1, 0) first (0.95); row 0 then takes col 1 (0.8); row 2 was used already
    assert pairs == [(1, 0), (0, 1)]
    assert used_a == {0, 1, 2} and used_b == {0, 1}
