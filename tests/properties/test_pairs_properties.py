"""Property tests of spindetect._pairs and the parallel sort behind it."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spindetect._parallel import parallel_sort
from spindetect.sketch._pairs import index_bits, pack_rows, sorted_group_pairs, split_keys

U64 = arrays(
    np.uint64, st.integers(0, 3000), elements=st.integers(0, 2**64 - 1) | st.integers(0, 50)
)


@settings(max_examples=60, deadline=None)
@given(values=U64, workers=st.integers(1, 3))
def test_parallel_sort_is_a_sort(values: np.ndarray, workers: int) -> None:
    out = parallel_sort(values, workers=workers, min_size=0)
    np.testing.assert_array_equal(out, np.sort(values))


@settings(max_examples=60, deadline=None)
@given(
    keys=arrays(
        np.uint64, st.tuples(st.integers(1, 30), st.integers(1, 4)), elements=st.integers(0, 9)
    )
)
def test_pairs_are_exactly_the_documents_sharing_a_key(keys: np.ndarray) -> None:
    bits = index_bits(keys.shape[0])
    got, _ = sorted_group_pairs(pack_rows(keys, bits), bits, max_group=10**6, chain=True)
    pairs = {tuple(p) for p in split_keys(got, bits).tolist()}
    rows = [set(r.tolist()) for r in keys]
    want = {(i, j) for i, j in itertools.combinations(range(len(rows)), 2) if rows[i] & rows[j]}
    assert pairs == want
    assert all(i < j for i, j in pairs)
