"""Property tests of spindetect.lsh: candidates equal band collisions, self-retrieval."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.sketch.lsh import LSHIndex, band_keys, candidate_pairs, optimal_params

BANDING = st.sampled_from([(1, 4), (2, 2), (4, 1), (3, 1), (2, 1)])
SIGS = (
    st.integers(0, 60)
    .flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, 2), min_size=4, max_size=4), min_size=n, max_size=n
        )
    )
    .map(lambda rows: np.array(rows, dtype=np.uint32).reshape(-1, 4))
)


@settings(max_examples=50, deadline=None)
@given(SIGS, BANDING, st.one_of(st.none(), st.integers(2, 6)))
def test_candidate_pairs_are_band_collisions(
    sig: np.ndarray, banding: tuple[int, int], max_bucket: int | None
) -> None:
    bands, rows = banding
    got = {
        tuple(p)
        for p in candidate_pairs(band_keys(sig, bands, rows), max_bucket=max_bucket).tolist()
    }
    brute = {
        (i, j)
        for i, j in itertools.combinations(range(sig.shape[0]), 2)
        if any(
            np.array_equal(sig[i, b * rows : (b + 1) * rows], sig[j, b * rows : (b + 1) * rows])
            for b in range(bands)
        )
    }
    if max_bucket is None:
        assert got == brute
    else:
        assert got <= brute  # chains only drop pairs, never invent them


@settings(max_examples=30, deadline=None)
@given(SIGS, BANDING)
def test_index_always_returns_an_inserted_document(
    sig: np.ndarray, banding: tuple[int, int]
) -> None:
    index = LSHIndex(0.5, 4, params=banding)
    index.insert_many([str(i) for i in range(sig.shape[0])], sig)
    for i in range(sig.shape[0]):
        assert str(i) in index.query(sig[i])


@settings(max_examples=25, deadline=None)
@given(st.floats(0.05, 0.95), st.integers(4, 96))
def test_optimal_params_fit_the_budget(threshold: float, num_perm: int) -> None:
    bands, rows = optimal_params(threshold, num_perm)
    assert bands >= 1 and rows >= 1 and bands * rows <= num_perm
