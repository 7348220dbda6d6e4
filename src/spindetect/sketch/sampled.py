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

import itertools
from collections.abc import Sequence

import numpy as np

from spindetect._parallel import unique_counts
from spindetect._validation import check_int
from spindetect.sketch._pairs import (
    group_pair_counts,
    group_pairs_between,
    index_bits,
    pack_sets,
    sort_in_place,
    sorted_group_pairs,
    split_keys,
)
from spindetect.sketch._samples import SampledShingles
from spindetect.sketch.minhash import fingerprint_texts

__all__ = [
    "SampledShingles",
    "sampled_shingles",
    "shared_sample_counts",
    "shared_sample_pairs",
]


def sampled_shingles(
    texts: Sequence[str], *, n: int = 5, mod: int = 8, workers: int | None = None
) -> SampledShingles:
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
    return fingerprint_texts(texts, {}, workers=workers, sample_n=n, sample_mod=mod)[1]


def shared_sample_pairs(
    samples: SampledShingles,
    *,
    min_shared: int = 3,
    max_df: int = 50,
    workers: int | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return document pairs sharing at least ``min_shared`` samples.

    Parameters
    ----------
    samples : SampledShingles
        Sampled shingles of the documents.
    min_shared : int, default=3
        Fewest shared samples a returned pair has.
    max_df : int, default=50
        Samples held by more documents than this are skipped.
    workers : int or None, default=None
        Threads of the sort (None: every core).

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
    bits = index_bits(len(samples))
    packed = pack_sets(samples.hashes, samples.offsets, bits, workers=workers)
    keys, skipped = sorted_group_pairs(packed, bits, max_group=max_df, chain=False, workers=workers)
    if keys.size == 0:
        return np.empty((0, 2), np.int64), np.empty(0, np.int64), skipped
    uniq, shared = unique_counts(keys, workers=workers)
    good = shared >= min_shared
    return split_keys(uniq[good], bits), shared[good].astype(np.int64), skipped


def shared_sample_counts(
    samples: SampledShingles,
    *,
    min_shared: int,
    max_df: int,
    keep: np.ndarray | None = None,
    overwrite: bool = False,
    max_keys: int = 1 << 23,
    workers: int | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the pairs sharing ``min_shared`` samples, and the pairs of ``keep`` sharing any.

    The pairs of :func:`shared_sample_pairs` with ``min_shared=1``, restricted
    to those a scan uses: the strong pairs, and the counts of its other
    candidates (``keep``). On a generated crawl of 1M documents 74M pairs
    share a sample or three by chance; all of them at once took 6 GB. Here the
    packed samples are sorted once (in place) and the pairs are counted for one
    range of first documents at a time, about ``max_keys`` shared samples a
    range, so memory stays at the samples plus one range's pairs::

        for each range [lo, hi) of documents i:
            count(i, j) for i in [lo, hi)  ->  keep count >= min_shared or (i, j) in keep

    Parameters
    ----------
    samples : SampledShingles
        Sampled shingles of the documents.
    min_shared : int
        Fewest shared samples of a pair returned for itself.
    max_df : int
        Samples held by more documents than this are skipped.
    keep : numpy.ndarray of int64, optional
        Sorted pair keys ``i << bits | j`` (``bits = index_bits(len(samples))``)
        whose count is wanted whatever it is (0 shared: left out).
    overwrite : bool, default=False
        Pack and sort the samples' own hash array in place (it then holds
        packed values, not hashes): no second copy of the samples.
    max_keys : int, default=2**23
        Shared samples counted at a time (memory: about 32 bytes each).
    workers : int or None, default=None
        Threads of the sorts (None: every core).

    Returns
    -------
    keys : numpy.ndarray of int64
        Pair keys ``i << bits | j``, ``i < j``, sorted.
    shared : numpy.ndarray of int64
        Samples each pair shares.
    skipped : int
        Samples held by more than ``max_df`` documents (ignored).
    """
    check_int("min_shared", min_shared, low=1)
    check_int("max_df", max_df, low=2)
    check_int("max_keys", max_keys, low=1)
    n = len(samples)
    bits = index_bits(n)
    hashes = samples.hashes
    target = hashes if overwrite and hashes.dtype == np.uint64 and hashes.flags.writeable else None
    packed = pack_sets(hashes, samples.offsets, bits, workers=workers, out=target)
    sort_in_place(packed, workers=workers)
    per_doc, skipped = group_pair_counts(packed, bits, max_df, n)
    ends = np.cumsum(per_doc)
    total = int(ends[-1]) if n else 0
    cuts = np.searchsorted(ends, max_keys * np.arange(1, -(-total // max_keys)), side="right")
    bounds = np.unique(np.concatenate(([0], cuts, [n])))
    wanted = np.asarray(keep, dtype=np.int64) if keep is not None else np.empty(0, np.int64)
    out_keys, out_shared = [], []
    for lo, hi in itertools.pairwise(bounds.tolist()):
        size = int(ends[hi - 1] - (ends[lo - 1] if lo else 0))
        if size == 0:
            continue
        keys = group_pairs_between(packed, bits, max_df, lo, hi, size)
        if keys.size == 0:
            continue
        uniq, shared = unique_counts(keys, workers=workers)
        del keys
        good = shared >= min_shared
        if wanted.size:
            at = np.minimum(np.searchsorted(wanted, uniq), wanted.size - 1)
            good |= wanted[at] == uniq
        out_keys.append(uniq[good].astype(np.int64))
        out_shared.append(shared[good].astype(np.int64))
    if not out_keys:
        return np.empty(0, np.int64), np.empty(0, np.int64), int(skipped)
    return np.concatenate(out_keys), np.concatenate(out_shared), int(skipped)
