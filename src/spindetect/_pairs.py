"""Document pairs that share a key: one packed sort instead of an argsort per group.

Both the LSH stage (documents sharing a band key) and the shared-sample stage
(documents sharing a sampled n-gram) ask the same question: which pairs of
documents hold an equal key? Each (key, document) becomes one uint64::

    packed = (key >> bits) << bits | document        (bits = bits of the largest index)

so a single value sort (:func:`spindetect._parallel.parallel_sort`) groups equal
keys, with each group's documents in index order. Keys are re-mixed first
(``fmix64``, a bijection), so that structured keys spread over the top bits the
packing keeps. Two different keys fall
together only if they agree on their top ``64 - bits`` bits: a chance of
``2**-(64 - bits)`` per pair of keys (about 10^-14 for 100k documents), which
can only add a candidate, never lose one.
"""

from __future__ import annotations

import numba
import numpy as np

from ._hashing import fmix64
from ._parallel import parallel_sort

__all__ = ["index_bits", "pack_rows", "pack_sets", "sorted_group_pairs", "split_keys"]


def index_bits(n_docs: int) -> int:
    """Bits that hold every document index below ``n_docs`` (at least 1)."""
    return max(1, (max(n_docs, 1) - 1).bit_length())


def sorted_group_pairs(packed: np.ndarray, bits: int, *, max_group: int, chain: bool,
                       workers: int | None = None) -> tuple[np.ndarray, int]:
    """Sort ``packed`` and return the pair keys ``i << bits | j`` (``i < j``) of every group.

    A group of more than ``max_group`` documents is chained (``chain=True``:
    consecutive members in index order, ``m - 1`` pairs, same connected
    components) or skipped (``chain=False``). Returns the keys, one per pair and
    shared key (not unique), and the number of oversized groups.
    """
    ordered = parallel_sort(packed, workers=workers)
    return _group_pairs(ordered, bits, max_group, chain)


@numba.njit(cache=True, nogil=True)
def pack_rows(keys: np.ndarray, bits: int) -> np.ndarray:  # pragma: no cover - compiled
    """Pack every ``keys[d, j]`` of a (documents, bands) matrix with its row ``d`` (re-mixed)."""
    n, width = keys.shape
    out = np.empty(n * width, dtype=np.uint64)
    shift = np.uint64(bits)
    for d in range(n):
        for j in range(width):
            out[d * width + j] = ((fmix64(keys[d, j]) >> shift) << shift) | np.uint64(d)
    return out


@numba.njit(cache=True, nogil=True)
def pack_sets(hashes: np.ndarray, offsets: np.ndarray,
              bits: int) -> np.ndarray:  # pragma: no cover - compiled
    """Pack every hash of document ``d`` (``hashes[offsets[d]:offsets[d + 1]]``) with ``d``.

    Hashes are re-mixed (fmix64) first, so that their top bits are spread
    whatever their source.
    """
    out = np.empty(offsets[-1], dtype=np.uint64)
    shift = np.uint64(bits)
    for d in range(offsets.size - 1):
        for k in range(offsets[d], offsets[d + 1]):
            out[k] = ((fmix64(hashes[k]) >> shift) << shift) | np.uint64(d)
    return out


@numba.njit(cache=True, nogil=True)
def _group_pairs(ordered: np.ndarray, bits: int, max_group: int,
                 chain: bool) -> tuple[np.ndarray, int]:  # pragma: no cover - compiled
    shift = np.uint64(bits)
    low = (np.uint64(1) << shift) - np.uint64(1)
    n = ordered.size
    total = 0
    oversized = 0
    start = 0
    while start < n:  # first pass: count the pairs
        stop = start + 1
        while stop < n and (ordered[stop] >> shift) == (ordered[start] >> shift):
            stop += 1
        size = stop - start
        if size > max_group:
            oversized += 1
            if chain:
                total += size - 1
        else:
            total += size * (size - 1) // 2
        start = stop
    out = np.empty(total, dtype=np.int64)
    k = 0
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and (ordered[stop] >> shift) == (ordered[start] >> shift):
            stop += 1
        size = stop - start
        if size > max_group:
            if chain:
                for x in range(start, stop - 1):
                    i = np.int64(ordered[x] & low)
                    j = np.int64(ordered[x + 1] & low)
                    if i != j:
                        out[k] = (i << bits) | j
                        k += 1
        else:
            for x in range(start, stop):
                i = np.int64(ordered[x] & low)
                for y in range(x + 1, stop):
                    j = np.int64(ordered[y] & low)
                    if i != j:
                        out[k] = (i << bits) | j
                        k += 1
        start = stop
    return out[:k], oversized


def split_keys(keys: np.ndarray, bits: int) -> np.ndarray:
    """Turn pair keys ``i << bits | j`` into an ``(m, 2)`` int64 array."""
    keys = np.asarray(keys, dtype=np.int64)
    return np.stack([keys >> np.int64(bits), keys & np.int64((1 << bits) - 1)], axis=1)
