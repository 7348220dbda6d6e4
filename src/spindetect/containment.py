"""Sampled shingles for partial copies: a passage reused inside a longer page.

Whole-document Jaccard cannot see a 150-word passage inside a 1,500-word page
(J ≈ 0.05), so partial reuse is found by counting *shared shingles* instead.
Every document keeps the word n-grams whose hash is 0 modulo ``mod`` (Manber
1994 / Broder 1997 "mod-m" sampling: the same n-gram is kept in every document
that has it, so shared passages share samples); an inverted index then counts,
for each pair of documents, how many samples they share::

    shared(i, j) = |S_i ∩ S_j|,     S = {h(g) : g an n-gram of the doc, h(g) ≡ 0 (mod m)}

A pair sharing at least ``min_shared`` samples is a candidate. Samples held by
more than ``max_df`` documents (boilerplate, common phrases) are skipped and
counted, which bounds the work per sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numba
import numpy as np

from . import _kernels
from ._hashing import KIND_SEEDS, fmix64_array
from ._parallel import resolve_workers, split_ranges
from ._validation import check_int

__all__ = ["SampledShingles", "sampled_shingles", "shared_sample_pairs"]


@dataclass(frozen=True)
class SampledShingles:
    """Sampled shingle hashes of many documents, stored flat.

    Document ``d`` owns ``hashes[offsets[d]:offsets[d + 1]]`` (sorted, unique);
    ``totals[d]`` is its number of n-grams before sampling.
    """

    hashes: np.ndarray
    offsets: np.ndarray
    totals: np.ndarray

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def counts(self) -> np.ndarray:
        """Return the number of samples per document."""
        return np.diff(self.offsets)

    @classmethod
    def concatenate(cls, parts: Sequence[SampledShingles]) -> SampledShingles:
        """Join the samples of consecutive document batches."""
        if not parts:
            return cls(np.empty(0, np.uint64), np.zeros(1, np.int64), np.empty(0, np.int64))
        shifts = np.cumsum([0] + [int(p.offsets[-1]) for p in parts[:-1]])
        offsets = np.concatenate(
            [[0]] + [p.offsets[1:] + s for p, s in zip(parts, shifts, strict=True)]
        )
        return cls(np.concatenate([p.hashes for p in parts]), offsets.astype(np.int64),
                   np.concatenate([p.totals for p in parts]))


def sampled_shingles(texts: Sequence[str], *, n: int = 5, mod: int = 8,
                     workers: int | None = None) -> SampledShingles:
    """Return the word ``n``-gram hashes of each text that are 0 modulo ``mod``.

    Tokens and n-gram hashes are those of :func:`spindetect.shingle.word_shingles`
    (same words, same stable hashes), computed by the compiled tokenizer.

    Parameters
    ----------
    texts : sequence of str
        Documents.
    n : int, default=5
        Words per shingle.
    mod : int, default=8
        Keep one n-gram hash in ``mod`` on average (1 keeps all).
    workers : int or None, default=None
        Threads (the compiled kernel releases the GIL); None uses every core.
    """
    check_int("n", n, low=1, high=64)
    check_int("mod", mod, low=1, high=1 << 20)
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    tables = _kernels.codepoint_tables()
    seed = np.uint64(KIND_SEEDS["word"])
    counts = np.zeros(len(encoded), dtype=np.int64)
    totals = np.zeros(len(encoded), dtype=np.int64)
    fallback = np.zeros(len(encoded), dtype=np.uint8)
    out_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    hashes = np.empty(0, dtype=np.uint64)
    ranges = split_ranges(offsets, resolve_workers(workers) * 4)

    def run(write: bool) -> None:
        def work(bounds: tuple[int, int]) -> None:
            _sample(buf, offsets, bounds[0], bounds[1], *tables, n, seed, np.uint64(mod),
                    counts, totals, fallback, hashes, out_offsets, write)

        if len(ranges) > 1:
            with ThreadPoolExecutor(min(len(ranges), resolve_workers(workers))) as pool:
                list(pool.map(work, ranges))
        else:
            for r in ranges:
                work(r)

    run(False)  # count the samples of every document
    np.cumsum(counts, out=out_offsets[1:])
    hashes = np.empty(int(out_offsets[-1]), dtype=np.uint64)
    run(True)  # write them
    result = SampledShingles(hashes, out_offsets, totals)
    if fallback.any():
        result = _redo(result, texts, np.flatnonzero(fallback), n, mod)
    return result


def shared_sample_pairs(
    samples: SampledShingles, *, min_shared: int = 3, max_df: int = 50
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return document pairs sharing at least ``min_shared`` samples.

    Returns
    -------
    pairs : numpy.ndarray of int64, shape (m, 2)
        ``i < j``, sorted.
    shared : numpy.ndarray of int64, shape (m,)
        Samples each pair shares.
    skipped : int
        Samples held by more than ``max_df`` documents (ignored).
    """
    check_int("min_shared", min_shared, low=1)
    check_int("max_df", max_df, low=2)
    # One value sort instead of an argsort (2-3x faster): each sample becomes one uint64,
    # the high bits of its re-mixed hash above the document number. Two different
    # samples fall together only if their mixed hashes agree on the top 64 - bits
    # bits: a chance of 2^-(64 - bits) per pair of samples, whatever the input hashes.
    bits = max(1, (len(samples) - 1).bit_length())
    doc = np.repeat(np.arange(len(samples), dtype=np.uint64), samples.counts())
    mixed = fmix64_array(samples.hashes)
    packed = ((mixed >> np.uint64(bits)) << np.uint64(bits)) | doc
    packed.sort()
    h = packed >> np.uint64(bits)
    d = (packed & np.uint64((1 << bits) - 1)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if h.size else np.empty(0, np.int64)
    sizes = np.diff(np.r_[starts, h.size])
    keep = (sizes >= 2) & (sizes <= max_df)
    skipped = int((sizes > max_df).sum())
    keys = _pair_keys(d, starts[keep], sizes[keep], len(samples))
    if keys.size == 0:
        return np.empty((0, 2), np.int64), np.empty(0, np.int64), skipped
    uniq, shared = np.unique(keys, return_counts=True)
    good = shared >= min_shared
    uniq, shared = uniq[good], shared[good]
    n = np.int64(len(samples))
    return np.stack([uniq // n, uniq % n], axis=1), shared.astype(np.int64), skipped


@numba.njit(cache=True)
def _pair_keys(docs: np.ndarray, starts: np.ndarray, sizes: np.ndarray,
               n_docs: int) -> np.ndarray:  # pragma: no cover - compiled
    total = 0
    for s in sizes:
        total += s * (s - 1) // 2
    out = np.empty(total, dtype=np.int64)
    k = 0
    for g in range(starts.size):
        lo = starts[g]
        for x in range(lo, lo + sizes[g]):
            for y in range(x + 1, lo + sizes[g]):
                i, j = docs[x], docs[y]
                if i == j:
                    continue
                if i > j:
                    i, j = j, i
                out[k] = i * n_docs + j
                k += 1
    return out[:k]


@numba.njit(cache=True, nogil=True)
def _sample(buf, offsets, lo, hi, ascii_tab, cp_idx, form_off, form_blob, n, seed, mod, counts,
            totals, fallback, out, out_offsets, write):  # pragma: no cover - compiled
    longest = 0
    for d in range(lo, hi):
        longest = max(longest, offsets[d + 1] - offsets[d])
    toks = np.empty(longest // 2 + 2, dtype=np.uint64)
    grams = np.empty(longest // 2 + 2, dtype=np.uint64)
    zero = np.uint64(0)
    for d in range(lo, hi):
        nt = _kernels.tokenize_hashes(buf, offsets[d], offsets[d + 1], ascii_tab, cp_idx,
                                      form_off, form_blob, toks)
        if nt < 0:
            fallback[d] = 1
            counts[d] = 0
            continue
        m = _kernels.ngram_hashes_into(toks, nt, n, seed, grams)
        totals[d] = m
        kept = 0
        for i in range(m):
            if grams[i] % mod == zero:
                grams[kept] = grams[i]
                kept += 1
        chosen = np.unique(grams[:kept])
        if write:
            base = out_offsets[d]
            for i in range(chosen.size):
                out[base + i] = chosen[i]
        else:
            counts[d] = chosen.size


def _redo(result: SampledShingles, texts: Sequence[str], docs: np.ndarray, n: int,
          mod: int) -> SampledShingles:
    """Recompute documents the kernel flagged (rare normalisation cases) in Python."""
    from .shingle import word_shingles
    from .tokenize import tokenize

    per_doc = [result.hashes[result.offsets[d]:result.offsets[d + 1]]
               for d in range(len(result))]
    totals = result.totals.copy()
    for d in docs:
        forms = tokenize(texts[d]).forms
        grams = word_shingles(forms, n)
        per_doc[d] = grams[grams % np.uint64(mod) == 0]
        totals[d] = max(len(forms) - n + 1, min(len(forms), 1))
    offsets = np.zeros(len(per_doc) + 1, dtype=np.int64)
    np.cumsum([p.size for p in per_doc], out=offsets[1:])
    return SampledShingles(np.concatenate(per_doc) if per_doc else np.empty(0, np.uint64),
                           offsets, totals)
