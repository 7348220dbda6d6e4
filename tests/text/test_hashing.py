"""Tests of stable 64-bit hashing (spindetect._hashing) against a pure-Python oracle."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from spindetect.text._hashing import (
    GOLDEN,
    KIND_SEEDS,
    combine,
    fmix64,
    fnv1a64,
    hash_forms,
    ngram_hashes,
)

# ---------------------------------------------------------------------------
# Independent oracle: FNV-1a-64 + MurmurHash3 fmix64 + n-gram folding, in plain ints.
MASK = (1 << 64) - 1


def oracle_fmix64(k: int) -> int:
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & MASK
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & MASK
    k ^= k >> 33
    return k


def oracle_fnv1a64_raw(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & MASK
    return h


def oracle_token(form: str) -> int:
    return oracle_fmix64(oracle_fnv1a64_raw(form.encode("utf-8")))


def oracle_ngrams(tokens: list[int], n: int, seed: int) -> list[int]:
    if not tokens:
        return []
    n = min(n, len(tokens))
    out = []
    for i in range(len(tokens) - n + 1):
        h = seed
        for t in tokens[i : i + n]:
            h = oracle_fmix64(((h * 0x9E3779B97F4A7C15) & MASK) ^ t)
        out.append(h)
    return out


FORMS = [
    "the",
    "spun",
    "article",
    "they're",
    "caf\u00e9",
    "\u4e2d\u6587",
    "",
    "a",
    "x_1",
    "\U0001f600",
]


class TestOracle:
    """The oracle itself reproduces published FNV-1a-64 test vectors."""

    @pytest.mark.parametrize(
        ("data", "expected"),
        [(b"", 0xCBF29CE484222325), (b"a", 0xAF63DC4C8601EC8C), (b"foobar", 0x85944171F73967E8)],
    )
    def test_fnv1a64_vectors(self, data: bytes, expected: int) -> None:
        assert oracle_fnv1a64_raw(data) == expected

    def test_fmix64_fixed_point_and_bijection_sample(self) -> None:
        assert oracle_fmix64(0) == 0
        sample = [oracle_fmix64(k) for k in range(1, 2000)]
        assert len(set(sample)) == len(sample)


class TestScalarKernels:
    @pytest.mark.parametrize("k", [0, 1, 2**33, 0xDEADBEEF, MASK, 0x9E3779B97F4A7C15])
    def test_fmix64(self, k: int) -> None:
        assert int(fmix64(np.uint64(k))) == oracle_fmix64(k)

    @pytest.mark.parametrize("h,t", [(0, 0), (1, 2), (KIND_SEEDS["word"], 12345), (MASK, MASK)])
    def test_combine(self, h: int, t: int) -> None:
        expected = oracle_fmix64(((h * 0x9E3779B97F4A7C15) & MASK) ^ t)
        assert int(combine(np.uint64(h), np.uint64(t))) == expected

    def test_fnv1a64_on_a_slice(self) -> None:
        buf = np.frombuffer(b"xxfoobaryy", dtype=np.uint8)
        assert int(fnv1a64(buf, 2, 8)) == oracle_fmix64(0x85944171F73967E8)
        assert int(fnv1a64(buf, 3, 3)) == oracle_fmix64(0xCBF29CE484222325)

    def test_golden_constant(self) -> None:
        assert int(GOLDEN) == 0x9E3779B97F4A7C15


class TestHashForms:
    def test_matches_oracle(self) -> None:
        out = hash_forms(FORMS)
        assert out.dtype == np.uint64
        assert out.shape == (len(FORMS),)
        assert [int(x) for x in out] == [oracle_token(f) for f in FORMS]

    def test_empty_sequence(self) -> None:
        out = hash_forms([])
        assert out.dtype == np.uint64
        assert out.shape == (0,)

    def test_single_empty_form(self) -> None:
        assert [int(x) for x in hash_forms([""])] == [oracle_token("")]

    def test_accepts_tuple_and_position_independent(self) -> None:
        alone = hash_forms(("spun",))
        inside = hash_forms(("the", "spun", "spun"))
        assert alone[0] == inside[1] == inside[2]

    def test_distinct_forms_distinct_hashes(self) -> None:
        forms = [f"w{i}" for i in range(5000)] + ["the", "The", "th e", "the "]
        assert len(set(hash_forms(forms).tolist())) == len(forms)

    def test_does_not_use_python_hash(self) -> None:
        assert int(hash_forms(["the"])[0]) != hash("the") & MASK


_CHILD = """
import json, sys
from spindetect.text._hashing import KIND_SEEDS, hash_forms, ngram_hashes
forms = json.loads(sys.argv[1])
t = hash_forms(forms)
print(json.dumps({
    "pyhash": hash("spindetect-salt-probe"),
    "tokens": [int(x) for x in t],
    "word3": [int(x) for x in ngram_hashes(t, 3, seed=KIND_SEEDS["word"])],
}))
"""


def test_hash_forms_deterministic_across_processes() -> None:
    env_base = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, json.dumps(FORMS)],
            env={**env_base, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "4242")
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    first, second = results
    assert first["pyhash"] != second["pyhash"]  # the salt differed, so hash() would differ
    tokens = [int(x) for x in hash_forms(FORMS)]
    word3 = [int(x) for x in ngram_hashes(hash_forms(FORMS), 3, seed=KIND_SEEDS["word"])]
    assert first["tokens"] == second["tokens"] == tokens
    assert first["word3"] == second["word3"] == word3


class TestNgramHashes:
    TOKENS = np.array([oracle_token(f) for f in ["a", "b", "c", "d", "e", "f"]], dtype=np.uint64)

    @pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
    def test_matches_oracle(self, n: int) -> None:
        seed = KIND_SEEDS["word"]
        out = ngram_hashes(self.TOKENS, n, seed=seed)
        assert out.dtype == np.uint64
        assert [int(x) for x in out] == oracle_ngrams([int(t) for t in self.TOKENS], n, seed)

    @pytest.mark.parametrize("length", [1, 2, 5, 6, 9])
    @pytest.mark.parametrize("n", [1, 3, 6])
    def test_length(self, length: int, n: int) -> None:
        tokens = np.arange(1, length + 1, dtype=np.uint64)
        assert ngram_hashes(tokens, n, seed=7).shape == (max(length - n + 1, 1),)

    @pytest.mark.parametrize("n", [1, 5])
    def test_empty_gives_no_shingles(self, n: int) -> None:
        out = ngram_hashes(np.empty(0, dtype=np.uint64), n, seed=7)
        assert out.shape == (0,)
        assert out.dtype == np.uint64

    def test_short_sequence_is_one_shingle_of_the_whole(self) -> None:
        short = self.TOKENS[:3]
        whole = ngram_hashes(short, 3, seed=11)
        assert ngram_hashes(short, 8, seed=11).tolist() == whole.tolist()
        assert len(whole) == 1

    def test_order_sensitive(self) -> None:
        ab = ngram_hashes(self.TOKENS[[0, 1]], 2, seed=1)
        ba = ngram_hashes(self.TOKENS[[1, 0]], 2, seed=1)
        assert ab[0] != ba[0]

    def test_window_position_does_not_matter(self) -> None:
        # The same trigram hashes the same wherever it occurs.
        seq = self.TOKENS[[0, 1, 2, 3, 0, 1, 2]]
        out = ngram_hashes(seq, 3, seed=1)
        assert out[0] == out[4]
        assert len(set(out.tolist())) == 4

    def test_seeds_separate_kinds(self) -> None:
        seeds = list(KIND_SEEDS.values())
        assert len(set(seeds)) == len(seeds) == 4
        per_kind = [set(ngram_hashes(self.TOKENS, 2, seed=s).tolist()) for s in seeds]
        for i in range(len(per_kind)):
            for j in range(i + 1, len(per_kind)):
                assert not per_kind[i] & per_kind[j]

    def test_accepts_lists(self) -> None:
        as_list = [int(t) for t in self.TOKENS]
        expected = ngram_hashes(self.TOKENS, 2, seed=3).tolist()
        assert ngram_hashes(as_list, 2, seed=3).tolist() == expected

    def test_input_not_modified(self) -> None:
        tokens = self.TOKENS.copy()
        ngram_hashes(tokens, 3, seed=KIND_SEEDS["char"])
        assert tokens.tolist() == self.TOKENS.tolist()
