"""Tests of spindetect.lsh against brute-force oracles and datasketch's parameter choice."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from spindetect.exceptions import IncompatibleSketchError, IndexFormatError, InvalidParameterError
from spindetect.sketch.lsh import (
    LSHIndex,
    band_keys,
    candidate_pairs,
    collision_probability,
    optimal_params,
)
from spindetect.sketch.minhash import signatures


def brute_band_pairs(sig: np.ndarray, bands: int, rows: int) -> set[tuple[int, int]]:
    out = set()
    for i, j in itertools.combinations(range(sig.shape[0]), 2):
        for b in range(bands):
            part = slice(b * rows, (b + 1) * rows)
            if np.array_equal(sig[i, part], sig[j, part]):
                out.add((i, j))
                break
    return out


def small_alphabet_signatures(n: int, num_perm: int, seed: int = 0) -> np.ndarray:
    # Few distinct values, so many bands collide and buckets get large.
    rng = np.random.default_rng(seed)
    return rng.integers(0, 3, size=(n, num_perm), dtype=np.uint32)


# -- optimal_params ------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.5, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("num_perm", [32, 128])
def test_optimal_params_match_datasketch(threshold: float, num_perm: int) -> None:
    lsh = pytest.importorskip("datasketch.lsh")
    assert optimal_params(threshold, num_perm) == lsh._optimal_param(threshold, num_perm, 0.5, 0.5)


def test_optimal_params_weights_match_datasketch() -> None:
    lsh = pytest.importorskip("datasketch.lsh")
    for weights in [(0.2, 0.8), (0.9, 0.1)]:
        got = optimal_params(0.6, 64, weights=weights)
        assert got == lsh._optimal_param(0.6, 64, *weights)


def test_optimal_params_known_values_and_validation() -> None:
    # Values datasketch 2.0 reports (perf.md): 25x5 at 0.5, 9x13 at 0.8.
    assert optimal_params(0.5, 128) == (25, 5)
    assert optimal_params(0.8, 128) == (9, 13)
    b, r = optimal_params(0.3, 200)
    assert b * r <= 200
    with pytest.raises(InvalidParameterError, match="threshold"):
        optimal_params(1.5, 128)
    with pytest.raises(InvalidParameterError, match="sum to 1"):
        optimal_params(0.5, 128, weights=(0.5, 0.6))
    with pytest.raises(InvalidParameterError, match="weights"):
        optimal_params(0.5, 128, weights=(1.0,))  # type: ignore[arg-type]


def test_collision_probability_is_the_s_curve() -> None:
    s = np.array([0.0, 0.5, 1.0])
    assert collision_probability(s, 25, 5).tolist() == pytest.approx(
        [0.0, 1 - (1 - 0.5**5) ** 25, 1.0]
    )


# -- band keys and candidate pairs -----------------------------------------------


def test_band_keys_equal_iff_band_rows_equal() -> None:
    sig = small_alphabet_signatures(60, 12, seed=1)
    keys = band_keys(sig, 4, 3)
    assert keys.shape == (60, 4) and keys.dtype == np.uint64
    for b in range(4):
        rows_equal = (sig[:, None, b * 3 : b * 3 + 3] == sig[None, :, b * 3 : b * 3 + 3]).all(-1)
        keys_equal = keys[:, None, b] == keys[None, :, b]
        assert np.array_equal(rows_equal, keys_equal)
        assert rows_equal.sum() > 60  # collisions do occur, so the test has teeth
    # Bands hash in separate seed spaces: identical rows in two bands, different keys.
    twin = np.zeros((1, 4), dtype=np.uint32)
    k = band_keys(twin, 2, 2)
    assert k[0, 0] != k[0, 1]
    assert np.array_equal(band_keys(sig[0], 4, 3), keys[0])


def test_band_keys_validation() -> None:
    sig = np.zeros((2, 8), dtype=np.uint32)
    with pytest.raises(IncompatibleSketchError, match="bands \\* rows"):
        band_keys(sig, 3, 3)
    with pytest.raises(InvalidParameterError, match="uint32"):
        band_keys(sig.astype(np.int64), 2, 2)


@pytest.mark.parametrize("bands,rows", [(4, 2), (3, 3), (8, 1)])
def test_candidate_pairs_equal_brute_force_band_collisions(bands: int, rows: int) -> None:
    sig = small_alphabet_signatures(120, 8 if rows != 3 else 9, seed=bands)
    pairs = candidate_pairs(band_keys(sig, bands, rows), max_bucket=None)
    assert pairs.dtype == np.int64 and pairs.shape[1] == 2
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert len({tuple(p) for p in pairs.tolist()}) == len(pairs)
    assert {tuple(p) for p in pairs.tolist()} == brute_band_pairs(sig, bands, rows)


@pytest.mark.parametrize("max_bucket", [None, 4])
def test_candidate_pairs_overwriting_the_keys_are_the_same(max_bucket: int | None) -> None:
    sig = small_alphabet_signatures(300, 8, seed=9)
    keys = band_keys(sig, 4, 2)
    want, want_oversized = candidate_pairs(keys, max_bucket=max_bucket, return_oversized=True)
    copy = keys.copy()
    got, oversized = candidate_pairs(
        copy, max_bucket=max_bucket, return_oversized=True, overwrite_keys=True
    )
    assert np.array_equal(got, want) and oversized == want_oversized
    assert not np.array_equal(copy, keys)  # packed and sorted in place
    big = band_keys(small_alphabet_signatures(20_000, 8, seed=3), 4, 2)  # the threaded sort
    want = candidate_pairs(big, max_bucket=50)
    assert np.array_equal(candidate_pairs(big, max_bucket=50, overwrite_keys=True), want)


def test_oversized_buckets_become_chains_with_the_same_components() -> None:
    sig = small_alphabet_signatures(200, 4, seed=5)  # 81 possible bands: big buckets
    keys = band_keys(sig, 2, 2)
    full = candidate_pairs(keys, max_bucket=None)
    chained, oversized = candidate_pairs(keys, max_bucket=4, return_oversized=True)
    assert oversized > 0 and len(chained) < len(full)
    assert {tuple(p) for p in chained.tolist()} <= {tuple(p) for p in full.tolist()}

    def components(pairs: np.ndarray) -> list[int]:
        parent = list(range(200))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, j in pairs.tolist():
            parent[find(i)] = find(j)
        return [find(x) for x in range(200)]

    def canon(labels: list[int]) -> set[frozenset[int]]:
        groups: dict[int, set[int]] = {}
        for x, lab in enumerate(labels):
            groups.setdefault(lab, set()).add(x)
        return {frozenset(g) for g in groups.values()}

    assert canon(components(chained)) == canon(components(full))


def test_candidate_pairs_edge_cases() -> None:
    assert candidate_pairs(np.empty((0, 3), dtype=np.uint64)).shape == (0, 2)
    assert candidate_pairs(np.arange(10, dtype=np.uint64).reshape(5, 2)).shape == (0, 2)
    same = np.zeros((3, 2), dtype=np.uint64)
    assert candidate_pairs(same).tolist() == [[0, 1], [0, 2], [1, 2]]
    with pytest.raises(InvalidParameterError, match="max_bucket"):
        candidate_pairs(same, max_bucket=1)
    with pytest.raises(InvalidParameterError, match="keys"):
        candidate_pairs(np.zeros(3, dtype=np.uint64))


# -- LSHIndex ---------------------------------------------------------------------


def test_index_query_equals_brute_force_and_finds_itself() -> None:
    sig = small_alphabet_signatures(700, 16, seed=2)  # > buffer, so runs and a tail exist
    index = LSHIndex(0.5, 16, params=(4, 4))
    for i in range(0, 700, 100):  # mix bulk and single inserts
        index.insert_many([f"d{j}" for j in range(i, i + 99)], sig[i : i + 99])
        index.insert(f"d{i + 99}", sig[i + 99])
    assert len(index) == 700 and "d5" in index and "x" not in index
    neighbours: dict[int, set[int]] = {i: {i} for i in range(700)}
    for i, j in brute_band_pairs(sig[:120], 4, 4):
        neighbours[i].add(j)
        neighbours[j].add(i)
    for i in range(0, 120, 7):
        got = index.query(sig[i])
        assert f"d{i}" in got
        assert {int(k[1:]) for k in got if int(k[1:]) < 120} == neighbours[i]
        assert got == sorted(got, key=lambda k: int(k[1:]))  # insertion order
    assert index.query_many(sig[:3]) == [index.query(sig[i]) for i in range(3)]


def test_query_many_in_blocks_equals_single_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    import spindetect.sketch.lsh as lsh_module

    sig = small_alphabet_signatures(300, 8, seed=9)
    index = LSHIndex(0.5, 8, params=(2, 4))
    index.insert_many([str(i) for i in range(300)], sig)
    whole = index.query_many(sig[:50])
    monkeypatch.setattr(lsh_module, "_QUERY_BLOCK", 7)
    assert index.query_many(sig[:50]) == whole == [index.query(s) for s in sig[:50]]


def test_index_remove_and_reinsert() -> None:
    sig = signatures(
        [
            "alpha beta gamma delta epsilon zeta",
            "alpha beta gamma delta epsilon eta",
            "unrelated words only here now",
        ],
        kind="word",
        n=2,
        num_perm=64,
    )
    index = LSHIndex(0.4, 64)
    index.insert_many(["a", "b", "c"], sig)
    assert index.query(sig[0]) == ["a", "b"]
    index.remove("a")
    assert "a" not in index and len(index) == 2
    assert index.query(sig[0]) == ["b"]
    with pytest.raises(KeyError):
        index.remove("a")
    index.insert("a", sig[0])
    assert index.query(sig[0]) == ["b", "a"]
    assert index.keys() == ["b", "c", "a"]


def test_index_compacts_after_many_removals() -> None:
    sig = small_alphabet_signatures(2000, 8, seed=4)
    index = LSHIndex(0.5, 8, params=(2, 4))
    index.insert_many([str(i) for i in range(2000)], sig)
    for i in range(1500):
        index.remove(str(i))
    assert len(index) == 500 and len(index._names) < 2000  # compacted
    assert "1999" in index.query(sig[1999])
    assert all(int(k) >= 1500 for k in index.query(sig[1600]))


def test_index_validation() -> None:
    index = LSHIndex(0.5, 32)
    good = np.zeros(32, dtype=np.uint32)
    with pytest.raises(IncompatibleSketchError, match="num_perm=32"):
        index.insert("a", np.zeros(16, dtype=np.uint32))
    with pytest.raises(IncompatibleSketchError, match="uint32"):
        index.query(np.zeros(32, dtype=np.int64))
    index.insert("a", good)
    with pytest.raises(InvalidParameterError, match="already"):
        index.insert("a", good)
    with pytest.raises(InvalidParameterError, match="already"):
        index.insert_many(["b", "b"], np.zeros((2, 32), dtype=np.uint32))
    with pytest.raises(InvalidParameterError, match="str"):
        index.insert(3, good)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="same length"):
        index.insert_many(["x"], np.zeros((2, 32), dtype=np.uint32))
    with pytest.raises(InvalidParameterError, match="bands \\* rows"):
        LSHIndex(0.5, 32, params=(8, 8))
    assert (LSHIndex(0.8, 128).bands, LSHIndex(0.8, 128).rows) == (9, 13)


def test_index_serialisation_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sig = small_alphabet_signatures(300, 16, seed=8)
    index = LSHIndex(0.5, 16, seed=42, params=(4, 4))
    index.insert_many([f"k\u00e9y{i}" for i in range(300)], sig)
    index.remove("k\u00e9y7")
    data = index.to_bytes()
    back = LSHIndex.from_bytes(data, num_perm=16, seed=42)
    assert (back.bands, back.rows, back.seed, back.num_perm) == (4, 4, 42, 16)
    assert back.keys() == index.keys()
    for i in range(0, 300, 13):
        assert back.query(sig[i]) == index.query(sig[i])
    path = tmp_path / "index.npz"
    index.save(path)
    assert LSHIndex.load(path).keys() == index.keys()
    with np.load(path, allow_pickle=False) as z:  # a plain pickle-free npz
        assert set(z.files) >= {"meta", "band_keys", "names"}
    with pytest.raises(IncompatibleSketchError, match="seed"):
        LSHIndex.from_bytes(data, seed=1)
    with pytest.raises(IncompatibleSketchError, match="num_perm"):
        LSHIndex.from_bytes(data, num_perm=128)
    with pytest.raises(IndexFormatError):
        LSHIndex.from_bytes(b"not an index")
