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

import numpy as np

from spindetect._parallel import unique_counts
from spindetect._validation import check_int
from spindetect.sketch._pairs import index_bits, pack_sets, sorted_group_pairs, split_keys
from spindetect.sketch._samples import SampledShingles
from spindetect.sketch.minhash import fingerprint_texts

__all__ = ["SampledShingles", "sampled_shingles", "shared_sample_pairs"]


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
