"""Tests of spindetect._pairs: document pairs sharing a key, by one packed sort."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import numpy as np
import pytest

from spindetect.sketch._pairs import (
    index_bits,
    pack_rows,
    pack_sets,
    sorted_group_pairs,
    split_keys,
)


def reference(
    groups: dict[int, list[int]], *, max_group: int, chain: bool
) -> tuple[Counter[tuple[int, int]], int]:
    """Brute force: pairs per key group (all pairs, or a chain when oversized)."""
    pairs: Counter[tuple[int, int]] = Counter()
    oversized = 0
    for docs in groups.values():
        docs = sorted(docs)
        if len(docs) > max_group:
            oversized += 1
            if chain:
                pairs.update((a, b) for a, b in itertools.pairwise(docs) if a != b)
        elif len(docs) >= 2:
            pairs.update((a, b) for a, b in itertools.combinations(docs, 2) if a != b)
    return pairs, oversized


def test_index_bits() -> None:
    assert [index_bits(n) for n in (0, 1, 2, 3, 4, 5, 1024, 1025)] == [1, 1, 1, 2, 2, 3, 10, 11]


@pytest.mark.parametrize("chain", [True, False])
@pytest.mark.parametrize("max_group", [2, 3, 50])
def test_rows_pairs_match_brute_force(chain: bool, max_group: int) -> None:
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 12, size=(40, 4)).astype(np.uint64)  # many shared keys
    bits = index_bits(40)
    got, oversized = sorted_group_pairs(
        pack_rows(keys, bits), bits, max_group=max_group, chain=chain
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for d, j in itertools.product(range(40), range(4)):
        groups[int(keys[d, j])].append(d)
    want, want_oversized = reference(groups, max_group=max_group, chain=chain)
    assert Counter(map(tuple, split_keys(got, bits).tolist())) == want
    assert oversized == want_oversized


def test_sets_pairs_match_brute_force() -> None:
    rng = np.random.default_rng(5)
    sets = [np.unique(rng.integers(0, 30, rng.integers(0, 8)).astype(np.uint64)) for _ in range(25)]
    offsets = np.r_[0, np.cumsum([s.size for s in sets])].astype(np.int64)
    hashes = np.concatenate(sets)
    bits = index_bits(len(sets))
    got, skipped = sorted_group_pairs(
        pack_sets(hashes, offsets, bits), bits, max_group=4, chain=False
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for d, s in enumerate(sets):
        for h in s.tolist():
            groups[h].append(d)
    want, want_skipped = reference(groups, max_group=4, chain=False)
    assert Counter(map(tuple, split_keys(got, bits).tolist())) == want
    assert skipped == want_skipped


def test_distinct_keys_give_no_pairs_and_empty_input() -> None:
    keys = np.arange(10, dtype=np.uint64).reshape(5, 2)  # structured keys: re-mixed
    got, oversized = sorted_group_pairs(pack_rows(keys, 3), 3, max_group=10, chain=True)
    assert got.size == 0 and oversized == 0
    empty, _ = sorted_group_pairs(np.empty(0, np.uint64), 1, max_group=2, chain=True)
    assert empty.size == 0
    assert split_keys(np.empty(0, np.int64), 4).shape == (0, 2)


@pytest.mark.parametrize("chain", [True, False])
def test_workers_split_between_groups_and_agree(chain: bool) -> None:
    # Enough values for the threaded path; few keys, so groups are large and every
    # cut between workers lands inside one (it must move to the group's end).
    rng = np.random.default_rng(11)
    n_docs = 30_000
    keys = rng.integers(0, 40, size=(n_docs, 3)).astype(np.uint64)
    keys[:, 2] = rng.integers(0, 2**40, n_docs)  # and many groups of one or two
    bits = index_bits(n_docs)
    packed = pack_rows(keys, bits)
    one, over_one = sorted_group_pairs(packed, bits, max_group=1000, chain=chain, workers=1)
    for workers in (2, 3, 7):
        got, over = sorted_group_pairs(packed, bits, max_group=1000, chain=chain, workers=workers)
        np.testing.assert_array_equal(got, one)
        assert over == over_one == 40
    groups: dict[int, list[int]] = defaultdict(list)
    for d, j in itertools.product(range(n_docs), range(3)):
        groups[int(keys[d, j]) if j < 2 else -1 - int(keys[d, j])].append(d)
    want, _ = reference(groups, max_group=1000, chain=chain)
    assert Counter(map(tuple, split_keys(one, bits).tolist())) == want


def test_pack_sets_workers_agree() -> None:
    rng = np.random.default_rng(2)
    counts = rng.integers(0, 40, 5000)
    offsets = np.r_[0, np.cumsum(counts)].astype(np.int64)
    hashes = rng.integers(0, 2**64 - 1, int(offsets[-1]), dtype=np.uint64)
    one = pack_sets(hashes, offsets, 13, workers=1)
    assert one.size == offsets[-1] > 1 << 16
    np.testing.assert_array_equal(
        one & np.uint64(8191), np.repeat(np.arange(5000, dtype=np.uint64), counts)
    )
    for workers in (2, 3):
        np.testing.assert_array_equal(pack_sets(hashes, offsets, 13, workers=workers), one)
