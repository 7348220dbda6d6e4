"""Compiled MinHash kernels behind :mod:`spindetect.sketch.minhash` and ``sketch.lsh``.

The fused kernel :func:`fingerprint_range` turns UTF-8 text straight into MinHash
signatures in one pass per document::

    bytes -> words (tokenize.WORD_PATTERN) -> normalised form -> fnv1a64 token hash
          -> word / skeleton / content n-gram hashes (_hashing.combine)
          -> min over k multiply-shift permutations

Tokens come from :mod:`spindetect.sketch._tokenizer` (a document holding a
code point whose normal form depends on its neighbour is flagged and
recomputed by the reference path); the code-point and stop-word tables from
:mod:`spindetect.sketch._tables`, whose names are re-exported here.

Everything here is private; the public entry points validate their arguments.
"""

from __future__ import annotations

import numba
import numpy as np

from spindetect.sketch._tables import (
    A_APOS,
    A_SEP,
    CP_APOS,
    CP_RISKY,
    CP_SAME,
    CP_SEP,
    codepoint_tables,
    hash_table,
    stopword_table,
)
from spindetect.sketch._tokenizer import tokenize_ascii, tokenize_doc, tokenize_hashes, tokens_range
from spindetect.text._hashing import FNV_PRIME, combine, fmix64

__all__ = [
    "A_APOS",
    "A_SEP",
    "CP_APOS",
    "CP_RISKY",
    "CP_SAME",
    "CP_SEP",
    "KIND_CODES",
    "band_keys_kernel",
    "codepoint_tables",
    "fingerprint_range",
    "hash_table",
    "minhash_sets",
    "stopword_table",
    "tokenize_ascii",
    "tokenize_hashes",
    "tokens_range",
]

# Shingle kinds the fused kernel knows.
KIND_WORD = 0
KIND_SKELETON = 1
KIND_CONTENT = 2
KIND_CODES: dict[str, int] = {"word": KIND_WORD, "skeleton": KIND_SKELETON, "content": KIND_CONTENT}

_U32 = np.uint64(32)
_MASK32 = np.uint64(0xFFFFFFFF)

# Note: the hot loops below are written flat, calling only scalar helpers
# (fmix64, combine) and one tokenizer call per document; see
# :mod:`spindetect.sketch._tokenizer` on why.


@numba.njit(cache=True)
def minhash_into(
    x: np.ndarray, m: int, sig: np.ndarray, a: np.ndarray, b: np.ndarray
) -> None:  # pragma: no cover - compiled
    """``sig[k] = min(sig[k], min_i uint32((a[k] * x[i] + b[k]) >> 32))`` for ``i < m``.

    Four shingles share each pass over the permutations, so ``sig`` is loaded
    and stored once per four shingles (about 2x the throughput of one).
    """
    k_len = sig.shape[0]
    i = 0
    while i + 4 <= m:
        x0 = x[i]
        x1 = x[i + 1]
        x2 = x[i + 2]
        x3 = x[i + 3]
        for k in range(k_len):
            ak = a[k]
            bk = b[k]
            v = min(
                min((ak * x0 + bk) >> _U32, (ak * x1 + bk) >> _U32),
                min((ak * x2 + bk) >> _U32, (ak * x3 + bk) >> _U32),
            )
            if v < sig[k]:
                sig[k] = v
        i += 4
    while i < m:
        xi = x[i]
        for k in range(k_len):
            v = (a[k] * xi + b[k]) >> _U32
            if v < sig[k]:
                sig[k] = v
        i += 1


@numba.njit(cache=True)
def ngram_hashes_into(
    t: np.ndarray, nt: int, n: int, seed: np.uint64, out: np.ndarray
) -> int:  # pragma: no cover - compiled
    """Write the ``n``-gram hashes of ``t[:nt]`` to ``out``; return their count.

    Same as :func:`spindetect._hashing.ngram_hashes`: fewer than ``n`` tokens
    give one shingle of the whole sequence, none give none.
    """
    if nt == 0:
        return 0
    if n > nt:
        n = nt
    m = nt - n + 1
    # Column-wise (all shingles advance one token per pass) so that the loop
    # over shingles vectorises; the fold itself is inherently sequential.
    for i in range(m):
        out[i] = seed
    for j in range(n):
        for i in range(m):
            out[i] = combine(out[i], t[i + j])
    return m


@numba.njit(cache=True)
def unique_into(
    values: np.ndarray,
    k: int,
    keys: np.ndarray,
    stamp: np.ndarray,
    gen: int,
    out: np.ndarray,
    at: int,
) -> int:  # pragma: no cover - compiled
    """Append the distinct ``values[:k]`` (first occurrences, in order) to ``out[at:]``.

    An open-addressing hash set of ``keys.size`` (a power of two, at least
    ``2 k``) slots, indexed by the top bits of the (mixed) value; a slot belongs
    to this call when ``stamp[slot] == gen``, so nothing is cleared between
    calls. Returns the new end of ``out``. O(k), where a sort is O(k log k).
    """
    size = keys.size
    bits = 0
    while (1 << bits) < size:
        bits += 1
    shift = np.uint64(64 - bits)
    mask = size - 1
    for i in range(k):
        v = values[i]
        slot = np.int64(v >> shift)
        while stamp[slot] == gen and keys[slot] != v:
            slot = (slot + 1) & mask
        if stamp[slot] != gen:
            stamp[slot] = gen
            keys[slot] = v
            out[at] = v
            at += 1
    return at


@numba.njit(cache=True, nogil=True)
def fingerprint_range(
    buf: np.ndarray,
    offsets: np.ndarray,
    ascii_docs: np.ndarray,
    lo: int,
    hi: int,
    ascii_tab: np.ndarray,
    cp_idx: np.ndarray,
    form_off: np.ndarray,
    form_blob: np.ndarray,
    stop_table: np.ndarray,
    spec_kind: np.ndarray,
    spec_n: np.ndarray,
    spec_seed: np.ndarray,
    spec_col: np.ndarray,
    a_all: np.ndarray,
    b_all: np.ndarray,
    out: np.ndarray,
    fallback: np.ndarray,
    sample_n: int,
    sample_seed: np.uint64,
    sample_mod: np.uint64,
    sample_counts: np.ndarray,
    sample_totals: np.ndarray,
) -> np.ndarray:  # pragma: no cover - compiled
    """Signatures of documents ``lo .. hi-1`` for every spec, in one pass per document.

    Document ``d`` is ``buf[offsets[d]:offsets[d + 1]]``; ``ascii_docs[d]`` says
    whether it is pure ASCII (Python knows: ``str.isascii`` is O(1)). Spec ``s`` writes
    columns ``spec_col[s]:spec_col[s + 1]`` of ``out`` using the permutations
    at the same positions of ``a_all``/``b_all``. ``fallback[d]`` is set to 1
    (and the row left unset) for documents the reference path must redo.

    With ``sample_n > 0`` the same token hashes also give the mod-m sampled
    word ``sample_n``-gram hashes of :mod:`spindetect.containment`: returned
    concatenated (each document's unique, in text order), with their number per
    document in ``sample_counts[d]`` and the n-grams before sampling in
    ``sample_totals[d]``.
    """
    n_specs = spec_kind.shape[0]
    stop_mask = np.uint64(stop_table.shape[0] - 1)
    need_stop = False
    for s in range(n_specs):
        if spec_kind[s] != KIND_WORD:
            need_stop = True
    longest = 0
    for d in range(lo, hi):
        longest = max(longest, offsets[d + 1] - offsets[d])
    cap = longest // 2 + 2
    toks = np.empty(cap, dtype=np.uint64)
    stops = np.empty(cap, dtype=np.uint64)
    contents = np.empty(cap, dtype=np.uint64)
    width = out.shape[1]
    sig = np.empty(width, dtype=np.uint64)
    shingles = np.empty(cap, dtype=np.uint64)
    zero = np.uint64(0)
    mod_mask = sample_mod - np.uint64(1)
    power_of_two = (sample_mod & mod_mask) == zero
    sampled = np.empty(0, dtype=np.uint64)
    n_sampled = 0
    seen_keys = np.empty(256, dtype=np.uint64)  # hash set of one document's samples
    seen_stamp = np.zeros(256, dtype=np.int64)
    if sample_n > 0:
        sampled = np.empty(max(64, (offsets[hi] - offsets[lo]) // 8), dtype=np.uint64)
    for d in range(lo, hi):
        nt = tokenize_doc(
            buf,
            offsets[d],
            offsets[d + 1],
            ascii_docs[d],
            ascii_tab,
            cp_idx,
            form_off,
            form_blob,
            toks,
        )
        if nt < 0:
            fallback[d] = 1
            continue
        n_stop = 0
        n_content = 0
        if need_stop:
            for i in range(nt):
                h = toks[i]
                hit1 = stop_table[np.int64(h & stop_mask)] == h
                hit2 = stop_table[np.int64((h >> _U32) & stop_mask)] == h
                found = np.int64(hit1 | hit2)
                # Branch-free split (stop words are ~40 % of tokens, unpredictable).
                stops[n_stop] = h
                contents[n_content] = h
                n_stop += found  # type: ignore[assignment]
                n_content += 1 - found  # type: ignore[assignment]
        sig[:] = _MASK32
        for s in range(n_specs):
            c0 = spec_col[s]
            c1 = spec_col[s + 1]
            sg = sig[c0:c1]
            a = a_all[c0:c1]
            b = b_all[c0:c1]
            kind = spec_kind[s]
            if kind == KIND_WORD:
                m = ngram_hashes_into(toks, nt, spec_n[s], spec_seed[s], shingles)
            elif kind == KIND_SKELETON:
                m = ngram_hashes_into(stops, n_stop, spec_n[s], spec_seed[s], shingles)
            else:
                m = ngram_hashes_into(contents, n_content, 1, spec_seed[s], shingles)
            minhash_into(shingles, m, sg, a, b)
        for k in range(width):
            out[d, k] = np.uint32(sig[k])
        if sample_n > 0:
            m = ngram_hashes_into(toks, nt, sample_n, sample_seed, shingles)
            sample_totals[d] = m
            kept = 0
            if power_of_two:  # a mask instead of a 64-bit division per n-gram
                for i in range(m):
                    x = shingles[i]
                    shingles[kept] = x
                    kept += np.int64((x & mod_mask) == zero)  # type: ignore[assignment]
            else:
                for i in range(m):
                    x = shingles[i]
                    shingles[kept] = x
                    kept += np.int64(x % sample_mod == zero)  # type: ignore[assignment]
            if n_sampled + kept > sampled.size:
                grown = np.empty(2 * (n_sampled + kept), dtype=np.uint64)
                grown[:n_sampled] = sampled[:n_sampled]
                sampled = grown
            if 2 * kept > seen_keys.size:
                size = seen_keys.size
                while size < 2 * kept:
                    size *= 2
                seen_keys = np.empty(size, dtype=np.uint64)
                seen_stamp = np.zeros(size, dtype=np.int64)
            start = n_sampled
            n_sampled = unique_into(
                shingles, kept, seen_keys, seen_stamp, d + 1, sampled, n_sampled
            )
            sample_counts[d] = n_sampled - start
    return sampled[:n_sampled]


@numba.njit(cache=True, nogil=True)
def minhash_sets(
    values: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """MinHash signatures of the sets ``values[offsets[d]:offsets[d + 1]]``."""
    sig = np.empty(a.shape[0], dtype=np.uint64)
    for d in range(offsets.shape[0] - 1):
        sig[:] = _MASK32
        lo = offsets[d]
        minhash_into(values[lo:], offsets[d + 1] - lo, sig, a, b)
        for k in range(a.shape[0]):
            out[d, k] = np.uint32(sig[k])


@numba.njit(cache=True, nogil=True)
def band_keys_kernel(sigs: np.ndarray, bands: int, rows: int, out: np.ndarray) -> None:
    """``out[d, j]`` = hash of ``sigs[d, j*rows:(j+1)*rows]`` seeded by band ``j``."""
    for d in range(sigs.shape[0]):
        for j in range(bands):
            h = fmix64(np.uint64(j + 1) * FNV_PRIME)
            for c in range(j * rows, (j + 1) * rows):
                h = combine(h, np.uint64(sigs[d, c]))
            out[d, j] = h
