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

import itertools
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

from spindetect._parallel import parallel_sort, resolve_workers, split_ranges
from spindetect.text._hashing import fmix64

__all__ = [
    "group_pair_counts",
    "group_pairs_between",
    "index_bits",
    "pack_rows",
    "pack_sets",
    "sort_in_place",
    "sorted_group_pairs",
    "split_keys",
]


def index_bits(n_docs: int) -> int:
    """Bits that hold every document index below ``n_docs`` (at least 1)."""
    return max(1, (max(n_docs, 1) - 1).bit_length())


def sorted_group_pairs(
    packed: np.ndarray,
    bits: int,
    *,
    max_group: int,
    chain: bool,
    workers: int | None = None,
    in_place: bool = False,
) -> tuple[np.ndarray, int]:
    """Sort ``packed`` and return the pair keys ``i << bits | j`` (``i < j``) of every group.

    A group of more than ``max_group`` documents is chained (``chain=True``:
    consecutive members in index order, ``m - 1`` pairs, same connected
    components) or skipped (``chain=False``). Returns the keys, one per pair and
    shared key (not unique), and the number of oversized groups. ``in_place``
    sorts ``packed`` itself (:func:`sort_in_place`, no second buffer).
    """
    if in_place:
        sort_in_place(packed, workers=workers)
        ordered = packed
    else:
        ordered = parallel_sort(packed, workers=workers)
    n_workers = resolve_workers(workers)
    if n_workers == 1 or ordered.size < 1 << 16:
        return _group_pairs(ordered, bits, max_group, chain)
    # Cut the sorted values between groups; each worker pairs its own groups.
    cuts = [0]
    for t in range(1, n_workers):
        cut = max(cuts[-1], ordered.size * t // n_workers)
        cut += _group_start_after(ordered, cut, bits)
        cuts.append(cut)
    cuts.append(ordered.size)
    with ThreadPoolExecutor(n_workers) as pool:
        parts = list(
            pool.map(
                lambda r: _group_pairs(ordered[r[0] : r[1]], bits, max_group, chain),
                itertools.pairwise(cuts),
            )
        )
    return np.concatenate([keys for keys, _ in parts]), sum(n for _, n in parts)


@numba.njit(cache=True)
def _group_start_after(
    ordered: np.ndarray, at: int, bits: int
) -> int:  # pragma: no cover - compiled
    """Return the steps from ``at`` to the start of a group (0 if ``at`` starts one)."""
    shift = np.uint64(bits)
    step = 0
    while 0 < at + step < ordered.size and (ordered[at + step] >> shift) == (
        ordered[at + step - 1] >> shift
    ):
        step += 1
    return step


def pack_rows(keys: np.ndarray, bits: int, *, in_place: bool = False) -> np.ndarray:
    """Pack every ``keys[d, j]`` of a (documents, bands) matrix with its row ``d`` (re-mixed).

    Returns the packed values, row by row; ``in_place`` writes them over
    ``keys`` (C-contiguous uint64) and returns a flat view of it.
    """
    n, width = keys.shape
    if in_place:
        out = keys.reshape(-1)  # a view: value d * width + j overwrites keys[d, j] only
    else:
        out = np.empty(n * width, dtype=np.uint64)
    _pack_rows_into(keys, bits, out)
    return out


@numba.njit(cache=True, nogil=True)
def _pack_rows_into(
    keys: np.ndarray, bits: int, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    n, width = keys.shape
    shift = np.uint64(bits)
    for d in range(n):
        for j in range(width):
            out[d * width + j] = ((fmix64(keys[d, j]) >> shift) << shift) | np.uint64(d)


def pack_sets(
    hashes: np.ndarray,
    offsets: np.ndarray,
    bits: int,
    *,
    workers: int | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Pack every hash of document ``d`` (``hashes[offsets[d]:offsets[d + 1]]``) with ``d``.

    Hashes are re-mixed (fmix64) first, so that their top bits are spread
    whatever their source. Workers pack ranges of documents side by side.
    ``out`` (uint64, one value per hash) receives the packed values; it may be
    ``hashes`` itself, packed in place.
    """
    if out is None:
        out = np.empty(int(offsets[-1]), dtype=np.uint64)
    ranges = split_ranges(offsets, resolve_workers(workers))
    if len(ranges) <= 1 or out.size < 1 << 16:
        for lo, hi in ranges:
            _pack_sets_range(hashes, offsets, bits, lo, hi, out)
        return out
    with ThreadPoolExecutor(len(ranges)) as pool:
        list(pool.map(lambda r: _pack_sets_range(hashes, offsets, bits, r[0], r[1], out), ranges))
    return out


@numba.njit(cache=True, nogil=True)
def _pack_sets_range(
    hashes: np.ndarray, offsets: np.ndarray, bits: int, lo: int, hi: int, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    shift = np.uint64(bits)
    for d in range(lo, hi):
        for k in range(offsets[d], offsets[d + 1]):
            out[k] = ((fmix64(hashes[k]) >> shift) << shift) | np.uint64(d)


@numba.njit(cache=True, nogil=True)
def _group_pairs(
    ordered: np.ndarray, bits: int, max_group: int, chain: bool
) -> tuple[np.ndarray, int]:  # pragma: no cover - compiled
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


def sort_in_place(values: np.ndarray, *, workers: int | None = None) -> None:
    """Sort uint64 ``values`` in place, with no second buffer, on ``workers`` threads.

    In-place partitions by the top bits (a quicksort partition step on one bit,
    then the next, until there are at least as many parts as workers; hashes
    split evenly) leave parts that are ordered among themselves; each part is
    then sorted in place by ``ndarray.sort`` (which releases the GIL).
    """
    n_workers = resolve_workers(workers)
    parts = [(0, values.size)]
    bit = 63
    while len(parts) < n_workers and bit >= 0 and values.size >= 1 << 16:
        split = []
        for lo, hi in parts:
            mid = _partition_bit(values, lo, hi, bit)
            split += [(lo, mid), (mid, hi)]
        parts = [p for p in split if p[1] > p[0]]
        bit -= 1
    if len(parts) <= 1:
        values.sort()
        return
    with ThreadPoolExecutor(n_workers) as pool:
        list(pool.map(lambda r: values[r[0] : r[1]].sort(), parts))


@numba.njit(cache=True, nogil=True)
def _partition_bit(
    values: np.ndarray, lo: int, hi: int, bit: int
) -> int:  # pragma: no cover - compiled
    """Move the values of ``values[lo:hi]`` with ``bit`` clear before those with it set.

    The parts must already agree on every bit above ``bit``. Returns where the
    second part starts.
    """
    one = np.uint64(1)
    b = np.uint64(bit)
    i = lo
    j = hi - 1
    while True:
        while i <= j and ((values[i] >> b) & one) == 0:
            i += 1
        while i <= j and ((values[j] >> b) & one) == 1:
            j -= 1
        if i >= j:
            return i
        values[i], values[j] = values[j], values[i]
        i += 1
        j -= 1


@numba.njit(cache=True, nogil=True)
def group_pair_counts(
    ordered: np.ndarray, bits: int, max_group: int, n_docs: int
) -> tuple[np.ndarray, int]:  # pragma: no cover - compiled
    """Count, per document ``i``, the pairs ``(i, j > i)`` of groups of ``max_group`` or fewer.

    ``ordered`` is sorted packed values (see the module docstring). Returns the
    counts (length ``n_docs``) and the number of larger groups (skipped).
    """
    shift = np.uint64(bits)
    low = (np.uint64(1) << shift) - np.uint64(1)
    counts = np.zeros(n_docs, dtype=np.int64)
    oversized = 0
    n = ordered.size
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and (ordered[stop] >> shift) == (ordered[start] >> shift):
            stop += 1
        if stop - start > max_group:
            oversized += 1
        else:
            for x in range(start, stop):
                counts[np.int64(ordered[x] & low)] += stop - x - 1
        start = stop
    return counts, oversized


@numba.njit(cache=True, nogil=True)
def group_pairs_between(
    ordered: np.ndarray, bits: int, max_group: int, lo: int, hi: int, total: int
) -> np.ndarray:  # pragma: no cover - compiled
    """Return the pair keys ``i << bits | j`` of groups of ``max_group`` or fewer, ``lo <= i < hi``.

    :func:`sorted_group_pairs` (``chain=False``) for the pairs whose first
    document lies in one range, so that the pairs of a large crawl can be
    counted range by range; ``total`` is their number (from
    :func:`group_pair_counts`). A group lists its documents in index order, so
    the first of a pair is the smaller.
    """
    shift = np.uint64(bits)
    low = (np.uint64(1) << shift) - np.uint64(1)
    out = np.empty(total, dtype=np.int64)
    k = 0
    n = ordered.size
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and (ordered[stop] >> shift) == (ordered[start] >> shift):
            stop += 1
        if stop - start <= max_group:
            for x in range(start, stop - 1):
                i = np.int64(ordered[x] & low)
                if lo <= i < hi:
                    for y in range(x + 1, stop):
                        j = np.int64(ordered[y] & low)
                        if j != i:  # two hashes of one document that pack alike
                            out[k] = (i << bits) | j
                            k += 1
        start = stop
    return out[:k]
