"""Tests of spindetect._parallel: worker counts, byte-balanced ranges, the parallel sort."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from spindetect._parallel import parallel_sort, resolve_workers, split_ranges, unique_counts
from spindetect.exceptions import InvalidParameterError


def test_resolve_workers() -> None:
    assert resolve_workers(3) == 3
    assert resolve_workers(None) >= 1
    with pytest.raises(InvalidParameterError, match="workers"):
        resolve_workers(0)


def test_split_ranges_cover_every_document_once() -> None:
    sizes = np.array([5, 1, 1, 1, 40, 2, 2, 9])
    offsets = np.r_[0, np.cumsum(sizes)]
    for parts in (1, 2, 3, 8, 20):
        ranges = split_ranges(offsets, parts)
        assert ranges[0][0] == 0 and ranges[-1][1] == sizes.size
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        assert len(ranges) <= parts
    assert split_ranges(np.zeros(1, dtype=np.int64), 4) == []


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize(
    "kind", ["hashes", "duplicated", "small", "mid", "constant", "sorted", "reversed"]
)
def test_parallel_sort_equals_numpy_sort(workers: int, kind: str) -> None:
    rng = np.random.default_rng(7)
    n = 200_003
    values = {
        "hashes": rng.integers(0, 2**64 - 1, n, dtype=np.uint64),
        # few distinct hashes: runs of equal values longer than the insertion-sort limit
        "duplicated": rng.choice(rng.integers(0, 2**64 - 1, 2000, dtype=np.uint64), n),
        "small": rng.integers(0, 1000, n).astype(np.uint64),  # every value in one bucket
        "mid": rng.integers(0, 1 << 22, n).astype(np.uint64),  # 13 bits below the buckets
        "constant": np.full(n, 2**63 + 5, dtype=np.uint64),
        "sorted": np.arange(n, dtype=np.uint64) << np.uint64(40),
        "reversed": (np.arange(n, dtype=np.uint64) << np.uint64(40))[::-1],
    }[kind]
    before = values.copy()
    out = parallel_sort(values, workers=workers)
    np.testing.assert_array_equal(out, np.sort(before))
    np.testing.assert_array_equal(values, before)  # the input is left alone


def test_parallel_sort_small_inputs_and_validation() -> None:
    for n in (0, 1, 2, 7):
        v = np.arange(n, dtype=np.uint64)[::-1].copy()
        np.testing.assert_array_equal(parallel_sort(v, min_size=0), np.arange(n))
    with pytest.raises(InvalidParameterError, match="min_size"):
        parallel_sort(np.zeros(3, np.uint64), min_size=-1)


@pytest.mark.parametrize("dtype", [np.uint64, np.int64])
def test_unique_counts_equals_numpy_unique(dtype: type) -> None:
    rng = np.random.default_rng(11)
    for values in (
        rng.integers(0, 5000, 300_000),
        rng.integers(0, 2**40, 100_000),
        np.empty(0, dtype=np.int64),
        np.array([3, 3, 3]),
    ):
        values = values.astype(dtype)
        uniq, counts = unique_counts(values, workers=2)
        want_u, want_c = np.unique(values, return_counts=True)
        np.testing.assert_array_equal(uniq, want_u)
        np.testing.assert_array_equal(counts, want_c)
        assert uniq.dtype == dtype
