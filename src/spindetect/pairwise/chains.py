"""Chains of sentence pairs: in order (a maximum-weight increasing chain), in gaps, greedy.

The cells are sparse: ``(rows, cols, scores)`` in row-major order (see
:mod:`spindetect.pairwise.sentence_cells`), only those at or above a threshold,
so the cost grows with the cells that can pair, not with ``n_a x n_b``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Protocol

import numba
import numpy as np

from spindetect.pairwise.sentence_cells import Cells

__all__ = ["CellSource", "fill_gaps", "greedy_pairs", "increasing_chain"]


class CellSource(Protocol):
    """What :func:`fill_gaps` reads cells from (both classes of ``sentence_cells``)."""

    def cells(self, i0: int, i1: int, j0: int, j1: int, theta: float) -> Cells:
        """Return the cells of rows ``[i0, i1)`` x cols ``[j0, j1)`` scoring >= ``theta``."""
        ...


def increasing_chain(cells: Cells, n_cols: int, threshold: float) -> list[tuple[int, int]]:
    """Maximum-weight chain of cells (i1 < i2 < ..., j1 < j2 < ...) scoring >= threshold.

    A sparse dynamic programme: cells in row order query a Fenwick tree of
    prefix maxima over columns, all cells of one row before any of them updates
    it (strictly increasing i). Ties go to the first cell in row-major order.
    """
    rows_all, cols_all, vals_all = cells
    keep = vals_all >= threshold
    rows, cols, vals = rows_all[keep], cols_all[keep], vals_all[keep]
    if rows.size == 0:
        return []
    best, back = _chain_table(rows, cols, vals, n_cols)
    chain = []
    c = int(np.argmax(best))
    while c >= 0:
        chain.append((int(rows[c]), int(cols[c])))
        c = int(back[c])
    chain.reverse()
    return chain


def fill_gaps(
    source: CellSource,
    shape: tuple[int, int],
    chain: list[tuple[int, int]],
    threshold: float,
    short_a: Sequence[bool],
    short_b: Sequence[bool],
) -> list[tuple[int, int]]:
    """Chain sentences inside each gap between consecutive in-order pairs at ``threshold``.

    A gap of exactly one short sentence (a heading of at most three words) on
    each side is paired whatever its score: ``Discretion`` / ``Confidentiality``.
    """
    if not chain:
        return chain
    bounds = [(-1, -1), *chain, shape]
    filled: list[tuple[int, int]] = []
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        if i1 - i0 > 1 and j1 - j0 > 1:
            rows, cols, vals = source.cells(i0 + 1, i1, j0 + 1, j1, threshold)
            local = (rows - (i0 + 1), cols - (j0 + 1), vals)
            inside = increasing_chain(local, j1 - j0 - 1, threshold)
            single = (i1 - i0, j1 - j0) == (2, 2)
            if not inside and single and short_a[i0 + 1] and short_b[j0 + 1]:
                inside = [(0, 0)]
            filled += [(i0 + 1 + i, j0 + 1 + j) for i, j in inside]
        if (i1, j1) != shape:
            filled.append((i1, j1))
    return filled


def greedy_pairs(
    cells: Cells, threshold: float, used_a: set[int], used_b: set[int]
) -> list[tuple[int, int]]:
    """Pair cells >= ``threshold`` best first (ties in row-major order), each row and col once."""
    rows_all, cols_all, vals_all = cells
    keep = vals_all >= threshold
    rows, cols, vals = rows_all[keep], cols_all[keep], vals_all[keep]
    order = np.argsort(-vals, kind="stable")
    size_a = max(int(rows.max(initial=-1)), max(used_a, default=-1)) + 1
    size_b = max(int(cols.max(initial=-1)), max(used_b, default=-1)) + 1
    taken_a = np.zeros(size_a, dtype=np.bool_)
    taken_b = np.zeros(size_b, dtype=np.bool_)
    taken_a[list(used_a)] = True
    taken_b[list(used_b)] = True
    picked = _greedy(rows[order], cols[order], taken_a, taken_b)
    pairs = [(int(rows[order[k]]), int(cols[order[k]])) for k in picked]
    used_a.update(i for i, _ in pairs)
    used_b.update(j for _, j in pairs)
    return pairs


@numba.njit(cache=True, nogil=True)
def _greedy(
    rows: np.ndarray, cols: np.ndarray, taken_a: np.ndarray, taken_b: np.ndarray
) -> np.ndarray:  # pragma: no cover
    """Return the indices (of the ordered cells) taken, each row and col at most once."""
    picked = np.empty(rows.size, dtype=np.int64)
    m = 0
    for k in range(rows.size):
        i, j = rows[k], cols[k]
        if not taken_a[i] and not taken_b[j]:
            taken_a[i] = True
            taken_b[j] = True
            picked[m] = k
            m += 1
    return picked[:m]


@numba.njit(cache=True, nogil=True)
def _chain_table(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_cols: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    """Best chain weight ending at each cell and its predecessor (-1: none).

    A Fenwick tree holds prefix maxima over columns; the cells of one row all
    query it before any updates it. Sums are rounded to float32 as the scores.
    """
    tree = np.zeros(n_cols + 1)
    tree_arg = np.full(n_cols + 1, -1, dtype=np.int64)
    best = np.zeros(rows.size)
    back = np.full(rows.size, -1, dtype=np.int64)
    k = 0
    while k < rows.size:
        end = k
        while end < rows.size and rows[end] == rows[k]:
            end += 1
        for c in range(k, end):
            i = cols[c]
            prev_best = 0.0
            prev_arg = -1
            while i > 0:
                if tree[i] > prev_best:
                    prev_best = tree[i]
                    prev_arg = tree_arg[i]
                i -= i & -i
            best[c] = np.float32(prev_best) + vals[c]
            back[c] = prev_arg
        for c in range(k, end):
            i = cols[c] + 1
            while i < tree.size:
                if best[c] > tree[i]:
                    tree[i] = best[c]
                    tree_arg[i] = c
                i += i & -i
        k = end
    return best, back
