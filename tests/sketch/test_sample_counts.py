"""Tests of shared_sample_counts (bounded-memory shared-sample search) and sort_in_place."""

from __future__ import annotations

import numpy as np
import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.sketch._pairs import index_bits, sort_in_place
from spindetect.sketch.sampled import SampledShingles, shared_sample_counts, shared_sample_pairs


def random_samples(seed: int, docs: int = 60, vocabulary: int = 50) -> SampledShingles:
    """Documents holding random distinct small hashes (many chance shares)."""
    rng = np.random.default_rng(seed)
    per_doc = [rng.choice(vocabulary, size=rng.integers(0, 12), replace=False) for _ in range(docs)]
    offsets = np.zeros(docs + 1, dtype=np.int64)
    np.cumsum([len(p) for p in per_doc], out=offsets[1:])
    hashes = np.concatenate(per_doc).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return SampledShingles(hashes, offsets, np.zeros(docs, np.int64))


@pytest.mark.parametrize("max_keys", [1, 7, 1 << 23])
@pytest.mark.parametrize("overwrite", [False, True])
def test_counts_equal_the_pairs_they_keep(max_keys: int, overwrite: bool) -> None:
    for seed in range(4):
        samples = random_samples(seed)
        bits = index_bits(len(samples))
        pairs, shared, skipped = shared_sample_pairs(samples, min_shared=1, max_df=6)
        every = dict(
            zip(((i << bits) | j for i, j in pairs.tolist()), shared.tolist(), strict=True)
        )
        rng = np.random.default_rng(seed)
        # Kept: some pairs that share samples, some that share none.
        keep = np.unique(
            np.concatenate([rng.choice(list(every), 20), rng.integers(0, 1 << 12, 20)])
        )
        before = samples.hashes.copy()
        keys, counts, skipped_here = shared_sample_counts(
            samples, min_shared=3, max_df=6, keep=keep, overwrite=overwrite, max_keys=max_keys
        )
        want = {k: v for k, v in every.items() if v >= 3 or k in set(keep.tolist())}
        assert dict(zip(keys.tolist(), counts.tolist(), strict=True)) == want
        assert np.all(np.diff(keys) > 0) and keys.dtype == np.int64 == counts.dtype
        assert skipped_here == skipped
        assert np.array_equal(samples.hashes, before) != overwrite  # overwritten only if asked


def test_counts_of_no_documents_and_validation() -> None:
    empty = SampledShingles(np.empty(0, np.uint64), np.zeros(1, np.int64), np.empty(0, np.int64))
    keys, counts, skipped = shared_sample_counts(empty, min_shared=1, max_df=2)
    assert keys.size == counts.size == skipped == 0
    with pytest.raises(InvalidParameterError, match="max_keys"):
        shared_sample_counts(random_samples(0), min_shared=1, max_df=2, max_keys=0)


@pytest.mark.parametrize("size", [0, 5, 70_000, 200_003])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_sort_in_place_sorts(size: int, workers: int) -> None:
    rng = np.random.default_rng(size)
    values = rng.integers(0, 1 << 63, size, dtype=np.int64).astype(np.uint64) << np.uint64(1)
    if size:
        values[: size // 3] = values[size // 2]  # repeated values
    want = np.sort(values)
    sort_in_place(values, workers=workers)
    assert np.array_equal(values, want)
