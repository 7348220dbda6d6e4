"""Stable 64-bit hashing of tokens and n-grams (never Python's salted ``hash()``).

* token hash: ``fmix64(FNV-1a-64(utf8(form)))``, FNV-1a over the UTF-8 bytes of
  the normalised token, finished by MurmurHash3's 64-bit avalanche ``fmix64``;
* n-gram hash of token hashes ``t_1 .. t_n`` under a kind ``seed``::

      h_0 = seed,   h_i = fmix64((h_{i-1} * G) XOR t_i),   G = 0x9E3779B97F4A7C15

The scalar functions are numba-compiled so that the fused fingerprint kernel in
:mod:`spindetect.minhash` computes bit-identical values; the array functions
here are the reference path used by :mod:`spindetect.shingle`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np

__all__ = [
    "GOLDEN",
    "KIND_SEEDS",
    "combine",
    "fmix64",
    "fmix64_array",
    "fnv1a64",
    "hash_forms",
    "ngram_hashes",
]

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)

#: Seeds that keep shingles of different kinds apart in one hash space.
KIND_SEEDS: dict[str, int] = {
    "word": 0x77_6F_72_64,  # "word"
    "skeleton": 0x73_6B_65_6C,  # "skel"
    "char": 0x63_68_61_72,  # "char"
    "content": 0x63_6F_6E_74,  # "cont"
}


@numba.njit(cache=True, inline="always")
def fmix64(k: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    """MurmurHash3 64-bit finaliser: a bijective avalanche of ``k``."""
    k ^= k >> _S33
    k *= _C1
    k ^= k >> _S33
    k *= _C2
    k ^= k >> _S33
    return k


@numba.njit(cache=True, inline="always")
def combine(h: np.uint64, t: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    """Fold token hash ``t`` into the running n-gram hash ``h``."""
    return fmix64((h * GOLDEN) ^ t)


@numba.njit(cache=True)
def fnv1a64(buf: np.ndarray, start: int, end: int) -> np.uint64:  # pragma: no cover
    """FNV-1a 64 of ``buf[start:end]`` (uint8), then ``fmix64``."""
    h = FNV_OFFSET
    for i in range(start, end):
        h ^= np.uint64(buf[i])
        h *= FNV_PRIME
    return fmix64(h)


@numba.njit(cache=True)
def _hash_lines(buf: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    count = 1
    for i in range(buf.shape[0]):
        if buf[i] == 10:
            count += 1
    out = np.empty(count, dtype=np.uint64)
    start = 0
    j = 0
    for i in range(buf.shape[0] + 1):
        if i == buf.shape[0] or buf[i] == 10:
            out[j] = fnv1a64(buf, start, i)
            j += 1
            start = i + 1
    return out


def hash_forms(forms: Sequence[str]) -> np.ndarray:
    """Return the stable 64-bit hashes of normalised token forms.

    Parameters
    ----------
    forms : sequence of str
        Token forms without line breaks (as produced by the tokenizer).

    Returns
    -------
    numpy.ndarray of uint64, shape (len(forms),)
    """
    if len(forms) == 0:
        return np.empty(0, dtype=np.uint64)
    buf = np.frombuffer("\n".join(forms).encode("utf-8"), dtype=np.uint8)
    return _hash_lines(buf)


def fmix64_array(k: np.ndarray) -> np.ndarray:
    """:func:`fmix64` applied to every element of a uint64 array (numpy)."""
    k = k ^ (k >> _S33)
    k = k * _C1
    k = k ^ (k >> _S33)
    k = k * _C2
    return k ^ (k >> _S33)  # type: ignore[no-any-return]


def ngram_hashes(token_hashes: np.ndarray, n: int, *, seed: int) -> np.ndarray:
    """Return the hashes of all contiguous ``n``-grams of ``token_hashes``.

    A sequence shorter than ``n`` yields one shingle of the whole sequence (so a
    short, non-empty document still has a fingerprint); an empty one yields none.

    Parameters
    ----------
    token_hashes : numpy.ndarray of uint64
        Token hashes in document order.
    n : int
        Shingle length in tokens, at least 1.
    seed : int
        Kind seed (see :data:`KIND_SEEDS`).

    Returns
    -------
    numpy.ndarray of uint64, shape (max(len - n + 1, min(len, 1)),)
    """
    t = np.asarray(token_hashes, dtype=np.uint64)
    if t.size == 0:
        return np.empty(0, dtype=np.uint64)
    n = min(n, t.size)
    m = t.size - n + 1
    h = np.full(m, seed, dtype=np.uint64)
    for j in range(n):
        h = fmix64_array((h * GOLDEN) ^ t[j : j + m])
    return h
