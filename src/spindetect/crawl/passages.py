"""Passage scores: one passage two texts share, even rewritten, reordered or in another language.

Whole-document fingerprints cannot see a rewritten 100-word passage inside two
long pages, and sampled word 8-grams die under rewriting. The passage score
follows the seeding and extension of text-alignment systems (Sanchez-Perez,
Sidorov & Gelbukh 2014, the best PAN 2014 text aligner), on content words:

1. *units*: each text is cut into sentences; a sentence with fewer than
   ``min_tokens`` content tokens (function words removed) is joined to the
   next, so every unit carries some content;
2. *seeds*: a unit pair ``(u, v)`` of the two texts is a seed when both the
   IDF-weighted cosine and the Dice coefficient of their content-token sets
   reach ``seed``::

       cos(u, v)  = sum_{t in u ∩ v} idf(t)^2 / sqrt(sum_{t in u} idf(t)^2 * sum_{t in v} idf(t)^2)
       dice(u, v) = 2 |u ∩ v| / (|u| + |v|)

3. *passage*: seeds are grouped by position: a seed ``(i, j)`` gathers every
   seed ``(i', j')`` with ``|i - i'| <= reach_a`` and ``|j - j'| <= reach_b``;
   the score is the best group's sum, over its distinct units ``i'`` of the
   first text, of their best seed cosine::

       score = max_{(i, j) seed}  sum_{i' near i} max_{j' near j} cos(i', j')

A rewritten passage keeps enough content words per sentence to seed, and its
seeds lie together in both texts; two texts on one subject seed now and then,
but far apart. Word order inside a unit does not matter (shuffled words still
seed), and no lexicon is needed: function words and IDF come from the crawl
(:class:`~spindetect.text.function_words.FunctionWords`).

References
----------
Sanchez-Perez, M. A., Sidorov, G., & Gelbukh, A. (2014). A winning approach to
text alignment for text reuse detection at PAN 2014. CLEF working notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from spindetect._validation import check_float, check_int
from spindetect.sketch.tokenizing import token_hashes
from spindetect.text.function_words import FunctionWords
from spindetect.text.sentences import split_sentences

__all__ = ["PassageUnits", "passage_scores", "passage_units"]


@dataclass(frozen=True)
class PassageUnits:
    """Content units of some texts, stored flat.

    Unit ``u`` holds the sorted unique token ids ``tokens[starts[u]:starts[u + 1]]``
    with weights ``idf2`` (``idf(t)^2``) and norm ``norms[u]``; text ``d``
    owns units ``units[d]:units[d + 1]``.
    """

    tokens: np.ndarray
    idf2: np.ndarray
    starts: np.ndarray
    norms: np.ndarray
    units: np.ndarray

    def __len__(self) -> int:
        return int(self.units.size - 1)


def passage_units(
    texts: Sequence[str], words: FunctionWords, *, min_tokens: int = 6
) -> PassageUnits:
    """Cut ``texts`` into content units (see the module docstring, step 1).

    Parameters
    ----------
    texts : sequence of str
        The texts.
    words : FunctionWords
        Function words (removed) and document frequencies (the IDF weights).
    min_tokens : int, default=6
        Fewest content tokens of a unit (shorter sentences join the next one).

    Returns
    -------
    PassageUnits
    """
    check_int("min_tokens", min_tokens, low=1)
    segments: list[str] = []
    per_text = np.zeros(len(texts), dtype=np.int64)
    for d, text in enumerate(texts):
        spans = split_sentences(text)
        segments.extend(text[a:b] for a, b in spans)
        per_text[d] = len(spans)
    hashes, counts = token_hashes(segments)
    keep = ~words.is_function(hashes)
    seg_of = np.repeat(np.arange(len(segments), dtype=np.int64), counts)[keep]
    content = hashes[keep]
    content_counts = np.bincount(seg_of, minlength=len(segments)).astype(np.int64)
    unit_of_seg, units_per_text = _join_short(content_counts, per_text, min_tokens)
    unit_of_tok = unit_of_seg[seg_of]
    n_units = int(units_per_text.sum())
    # Token ids: unique hashes of these texts; IDF from the crawl's statistics.
    vocab, ids = np.unique(content, return_inverse=True)
    idf2 = words.idf(vocab) ** 2
    pairs = np.unique(unit_of_tok * np.int64(max(vocab.size, 1)) + ids.astype(np.int64))
    unit = pairs // max(vocab.size, 1)
    tok = pairs % max(vocab.size, 1)
    starts = np.zeros(n_units + 1, dtype=np.int64)
    np.cumsum(np.bincount(unit, minlength=n_units), out=starts[1:])
    w = idf2[tok]
    norms = np.sqrt(np.bincount(unit, weights=w, minlength=n_units))
    units = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(units_per_text, out=units[1:])
    return PassageUnits(tok.astype(np.int64), w, starts, norms, units)


def _join_short(
    counts: np.ndarray, per_text: np.ndarray, min_tokens: int
) -> tuple[np.ndarray, np.ndarray]:
    """Unit index of each segment (short segments join the next) and units per text."""
    unit_of = np.empty(counts.size, dtype=np.int64)
    units_per_text = np.zeros(per_text.size, dtype=np.int64)
    seg = 0
    unit = 0
    for d, n_seg in enumerate(per_text.tolist()):
        run = 0
        first = unit
        for _ in range(n_seg):
            unit_of[seg] = unit
            run += int(counts[seg])
            seg += 1
            if run >= min_tokens:
                unit += 1
                run = 0
        if run > 0:  # a short tail joins the text's last unit, or stands alone
            if unit > first:
                unit_of[seg - n_seg : seg][unit_of[seg - n_seg : seg] == unit] = unit - 1
            else:
                unit += 1
        units_per_text[d] = unit - first
    return unit_of, units_per_text


def passage_scores(
    texts: Sequence[str],
    pairs: np.ndarray,
    words: FunctionWords,
    *,
    seed: float = 0.3,
    min_tokens: int = 6,
    reach_a: int = 5,
    reach_b: int = 10,
) -> np.ndarray:
    """Score the best passage each pair of texts shares (see the module docstring).

    Parameters
    ----------
    texts : sequence of str
        The documents ``pairs`` index.
    pairs : numpy.ndarray of int, shape (m, 2)
        Pairs ``(a, b)`` to score.
    words : FunctionWords
        Function words and document frequencies of the crawl.
    seed : float, default=0.3
        Cosine and Dice a unit pair needs to seed.
    min_tokens : int, default=6
        Fewest content tokens per unit.
    reach_a, reach_b : int, default=5, 10
        How far apart (in units of the first and of the second text) the seeds
        of one passage may lie.

    Returns
    -------
    numpy.ndarray of float64, shape (m,)
        Scores ``>= 0``: about the number of units of the first text the
        passage covers, each counted by its cosine (0: no seed).
    """
    check_float("seed", seed, low=0.0, high=1.0)
    check_int("reach_a", reach_a, low=0)
    check_int("reach_b", reach_b, low=0)
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if p.shape[0] == 0:
        return np.empty(0, np.float64)
    docs = np.unique(p)
    local = np.ascontiguousarray(np.searchsorted(docs, p))
    units = passage_units([texts[int(d)] for d in docs], words, min_tokens=min_tokens)
    return _pair_scores(
        units.tokens,
        units.idf2,
        units.starts,
        units.norms,
        units.units,
        local,
        seed,
        reach_a,
        reach_b,
    )


@numba.njit(cache=True, nogil=True)
def _pair_scores(
    tokens: np.ndarray,
    idf2: np.ndarray,
    starts: np.ndarray,
    norms: np.ndarray,
    units: np.ndarray,
    pairs: np.ndarray,
    seed: float,
    reach_a: int,
    reach_b: int,
) -> np.ndarray:  # pragma: no cover - compiled
    out = np.zeros(pairs.shape[0], dtype=np.float64)
    for k in range(pairs.shape[0]):
        out[k] = _pair_score(
            tokens,
            idf2,
            starts,
            norms,
            units[pairs[k, 0]],
            units[pairs[k, 0] + 1],
            units[pairs[k, 1]],
            units[pairs[k, 1] + 1],
            seed,
            reach_a,
            reach_b,
        )
    return out


@numba.njit(cache=True, nogil=True)
def _pair_score(
    tokens: np.ndarray,
    idf2: np.ndarray,
    starts: np.ndarray,
    norms: np.ndarray,
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    seed: float,
    reach_a: int,
    reach_b: int,
) -> float:  # pragma: no cover - compiled
    nb = b1 - b0
    if a1 <= a0 or nb <= 0:
        return 0.0
    # Postings of the second text: (token, unit) sorted by token.
    n_post = starts[b1] - starts[b0]
    post_tok = np.empty(n_post, dtype=np.int64)
    post_unit = np.empty(n_post, dtype=np.int64)
    at = 0
    for u in range(b0, b1):
        for q in range(starts[u], starts[u + 1]):
            post_tok[at] = tokens[q]
            post_unit[at] = u - b0
            at += 1
    order = np.argsort(post_tok, kind="mergesort")
    post_tok = post_tok[order]
    post_unit = post_unit[order]
    dot = np.zeros(nb, dtype=np.float64)
    inter = np.zeros(nb, dtype=np.int64)
    touched = np.empty(nb, dtype=np.int64)
    seeds_i = np.empty(16, dtype=np.int64)
    seeds_j = np.empty(16, dtype=np.int64)
    seeds_c = np.empty(16, dtype=np.float64)
    n_seeds = 0
    for u in range(a0, a1):
        n_touched = 0
        la = starts[u + 1] - starts[u]
        for q in range(starts[u], starts[u + 1]):
            t = tokens[q]
            lo = np.searchsorted(post_tok, t)
            while lo < n_post and post_tok[lo] == t:
                v = post_unit[lo]
                if inter[v] == 0:
                    touched[n_touched] = v
                    n_touched += 1
                inter[v] += 1
                dot[v] += idf2[q]
                lo += 1
        for r in range(n_touched):
            v = touched[r]
            lb = starts[b0 + v + 1] - starts[b0 + v]
            denom = norms[u] * norms[b0 + v]
            cos = dot[v] / denom if denom > 0.0 else 0.0
            dice = 2.0 * inter[v] / (la + lb)
            if cos >= seed and dice >= seed:
                if n_seeds == seeds_i.size:
                    seeds_i = np.concatenate((seeds_i, np.empty(n_seeds, np.int64)))
                    seeds_j = np.concatenate((seeds_j, np.empty(n_seeds, np.int64)))
                    seeds_c = np.concatenate((seeds_c, np.empty(n_seeds, np.float64)))
                seeds_i[n_seeds] = u - a0
                seeds_j[n_seeds] = v
                seeds_c[n_seeds] = min(cos, 1.0)
                n_seeds += 1
            dot[v] = 0.0
            inter[v] = 0
    # Seeds come sorted by i. Best group: distinct i near i0, each at its best cosine.
    best = 0.0
    for s in range(n_seeds):
        total = 0.0
        last_i = -1
        run = 0.0
        lo = s
        while lo > 0 and seeds_i[lo - 1] >= seeds_i[s] - reach_a:
            lo -= 1
        r = lo
        while r < n_seeds and seeds_i[r] <= seeds_i[s] + reach_a:
            if abs(seeds_j[r] - seeds_j[s]) <= reach_b:
                if seeds_i[r] != last_i:
                    total += run
                    run = 0.0
                    last_i = seeds_i[r]
                run = max(run, seeds_c[r])
            r += 1
        total += run
        best = max(best, total)
    return best
