"""Chains of sentence pairs: in order (a maximum-weight increasing chain), in gaps, greedy.

The cells are sparse: ``(rows, cols, scores)`` in row-major order (see
:mod:`spindetect.pairwise.sentence_cells`), only those at or above a threshold,
so the cost grows with the cells that can pair, not with ``n_a x n_b``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Protocol

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
    tree = np.zeros(n_cols + 1)  # Fenwick tree of prefix maxima over columns
    tree_arg = np.full(n_cols + 1, -1, dtype=np.int64)
    best = np.zeros(rows.size)
    back = np.full(rows.size, -1, dtype=np.int64)
    k = 0
    while k < rows.size:
        row = rows[k]
        end = k
        while end < rows.size and rows[end] == row:
            end += 1
        for c in range(k, end):
            prev_best, prev_arg = _prefix_max(tree, tree_arg, int(cols[c]))
            best[c] = prev_best + vals[c]
            back[c] = prev_arg
        for c in range(k, end):
            _update(tree, tree_arg, int(cols[c]) + 1, best[c], c)
        k = end
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
    pairs = []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _prefix_max(tree: np.ndarray, arg: np.ndarray, i: int) -> tuple[float, int]:
    best, best_arg = 0.0, -1
    while i > 0:
        if tree[i] > best:
            best, best_arg = float(tree[i]), int(arg[i])
        i -= i & -i
    return best, best_arg


def _update(tree: np.ndarray, arg: np.ndarray, i: int, value: float, cell: int) -> None:
    while i < tree.size:
        if value > tree[i]:
            tree[i] = value
            arg[i] = cell
        i += i & -i
