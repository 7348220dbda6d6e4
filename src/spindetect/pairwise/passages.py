"""Passage scores: one passage two texts share, even rewritten, reordered or in another language.

Whole-document fingerprints cannot see a rewritten 100-word passage inside two
long pages, and sampled word 8-grams die under rewriting. The passage score
follows the seeding and extension of text-alignment systems (Sanchez-Perez,
Sidorov & Gelbukh 2014, the best PAN 2014 text aligner), on content words:

1. *units*: each text is cut into sentences (at ``.``, ``!``, ``?``, ``;``
   followed by white space, and at line breaks); a sentence with fewer than
   ``min_tokens`` content tokens (function words removed) is joined to the
   next, so every unit carries some content;
2. *seeds*: a unit pair ``(u, v)`` of the two texts is a seed when both the
   IDF-weighted cosine and the Dice coefficient of their content-token sets
   reach ``seed``::

       cos(u, v)  = sum_{t in u ∩ v} idf(t)^2 / sqrt(sum_{t in u} idf(t)^2 * sum_{t in v} idf(t)^2)
       dice(u, v) = 2 |u ∩ v| / (|u| + |v|)

3. *templates*: a unit that seeds with more than ``max_partners`` other
   documents is template text (one sentence of a catalogue entry, a line of
   boilerplate shared by a site's pages): its seeds are dropped;
4. *passage*: seeds are grouped by position: a seed ``(i, j)`` gathers every
   seed ``(i', j')`` with ``|i - i'| <= reach_a`` and ``|j - j'| <= reach_b``;
   the score is the best group's sum, over its distinct units ``i'`` of the
   first text, of their best seed cosine::

       score = max_{(i, j) seed}  sum_{i' near i} max_{j' near j} cos(i', j')

5. *chance*: two texts on one subject seed now and then by chance (a shared
   definition, a common phrase of the topic). With ``m`` seeds in the whole
   pair over ``n_a x n_b`` unit pairs, a window of the passage's size holds
   ``lam = m * min(2 reach_a + 1, n_a) * min(2 reach_b + 1, n_b) / (n_a n_b)``
   seeds by chance; the best group, ``k`` seeds, is a passage only when it is
   a concentration chance does not explain, ``-log10 P(Poisson(lam) >= k) >=
   min_concentration``, or when it covers at least ``cover`` of the units of
   the shorter text (a short text rewritten whole: there is nowhere else for
   its seeds to be). Otherwise the score is 0.

A rewritten passage keeps enough content words per sentence to seed, and its
seeds lie together in both texts; two texts on one subject seed now and then,
but spread over both texts (on the generated 100k crawl, 479 same-topic pairs
scored >= 0.8 before step 5; ``benchmarks/calibrate_passages.py`` chooses the
thresholds on held-out data). Word order inside a unit does not matter
(shuffled words still seed), and no lexicon is needed: function words and IDF come from the crawl
(:class:`~spindetect.text.function_words.FunctionWords`).

References
----------
Sanchez-Perez, M. A., Sidorov, G., & Gelbukh, A. (2014). A winning approach to
text alignment for text reuse detection at PAN 2014. CLEF working notes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from spindetect._validation import check_float, check_int
from spindetect.sketch.tokenizing import token_hashes
from spindetect.text.function_words import FunctionWords

_UNIT_END = re.compile(r"""[.!?;]+["')\]\u201d\u2019]*\s+|\n\s*""")

__all__ = [
    "PassageEvidence",
    "PassageUnits",
    "chance_log10",
    "passage_evidence",
    "passage_scores",
    "passage_units",
]


@dataclass(frozen=True)
class PassageUnits:
    """Content units of some texts, stored flat.

    Unit ``u`` holds the sorted unique token ids ``tokens[starts[u]:starts[u + 1]]``
    with weights ``idf2`` (``idf(t)^2``) and norm ``norms[u]``; text ``d``
    owns units ``units[d]:units[d + 1]``. The same entries indexed by token:
    text ``d``'s postings ``post_tok[starts[units[d]]:starts[units[d + 1]]]``
    (token ids, sorted) and ``post_unit`` (their unit, counted from the
    text's first).
    """

    tokens: np.ndarray
    idf2: np.ndarray
    starts: np.ndarray
    norms: np.ndarray
    units: np.ndarray
    post_tok: np.ndarray
    post_unit: np.ndarray

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
        pieces = _UNIT_END.split(text)
        segments.extend(pieces)
        per_text[d] = len(pieces)
    hashes, counts = token_hashes(segments)
    keep = ~words.is_function(hashes)
    seg_of = np.repeat(np.arange(len(segments), dtype=np.int64), counts)[keep]
    content = hashes[keep]
    content_counts = np.bincount(seg_of, minlength=len(segments)).astype(np.int64)
    unit_of_seg, units_per_text = _join_short(content_counts, per_text, min_tokens)
    n_units = int(units_per_text.sum())
    # Token ids: the unique hashes of these texts; IDF from the crawl's statistics.
    vocab, ids = np.unique(content, return_inverse=True)
    width = np.int64(max(vocab.size, 1))
    entries = np.unique(unit_of_seg[seg_of] * width + ids.astype(np.int64))
    unit = entries // width
    tok = entries % width
    starts = np.zeros(n_units + 1, dtype=np.int64)
    np.cumsum(np.bincount(unit, minlength=n_units), out=starts[1:])
    w = (words.idf(vocab) ** 2)[tok]
    norms = np.sqrt(np.bincount(unit, weights=w, minlength=n_units))
    units = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(units_per_text, out=units[1:])
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), units_per_text)[unit]
    order = np.lexsort((unit, tok, text_of))
    post_unit = unit[order] - units[text_of[order]]
    return PassageUnits(tok, w, starts, norms, units, tok[order], post_unit)


def _join_short(
    counts: np.ndarray, per_text: np.ndarray, min_tokens: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return each segment's unit (short segments join the next) and the units per text."""
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
                tail = unit_of[seg - n_seg : seg]
                tail[tail == unit] = unit - 1
            else:
                unit += 1
        units_per_text[d] = unit - first
    return unit_of, units_per_text


def passage_scores(
    texts: Sequence[str],
    pairs: np.ndarray,
    words: FunctionWords,
    *,
    seed: float = 0.35,
    min_tokens: int = 6,
    reach_a: int = 5,
    reach_b: int = 10,
    max_partners: int = 2,
    min_concentration: float = 2.0,
    cover: float = 0.5,
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
    seed : float, default=0.35
        Cosine and Dice a unit pair needs to seed.
    min_tokens : int, default=6
        Fewest content tokens per unit.
    reach_a, reach_b : int, default=5, 10
        How far apart (in units of the first and of the second text) the seeds
        of one passage may lie.
    max_partners : int, default=2
        A unit that seeds with more documents than this (among ``pairs``) is
        template text (a sentence of a catalogue entry, a boilerplate line)
        and its seeds are dropped.
    min_concentration : float, default=2.0
        Least ``-log10`` chance probability of the best group's seeds
        (module docstring, step 5); 0 keeps every group.
    cover : float, default=0.5
        Share of the shorter text's units a group may cover instead.

    Returns
    -------
    numpy.ndarray of float64, shape (m,)
        Scores ``>= 0``: about the number of units of the first text the
        passage covers, each counted by its cosine (0: no seed).

    Examples
    --------
    >>> from spindetect.text.function_words import FunctionWords
    >>> texts = ["The old mill stood by the river. Farmers brought grain there every autumn.",
    ...          "Every autumn farmers brought grain there. The old mill stood near the river.",
    ...          "Stock prices fell sharply on Monday after the central bank raised rates."]
    >>> words = FunctionWords.english()
    >>> scores = passage_scores(texts, np.array([[0, 1], [0, 2]]), words, min_tokens=3)
    >>> bool(scores[0] > 1.5), float(scores[1])
    (True, 0.0)
    """
    check_float("min_concentration", min_concentration, low=0.0)
    check_float("cover", cover, low=0.0, high=1.0)
    evidence = passage_evidence(
        texts,
        pairs,
        words,
        seed=seed,
        min_tokens=min_tokens,
        reach_a=reach_a,
        reach_b=reach_b,
        max_partners=max_partners,
    )
    return evidence.scores(min_concentration=min_concentration, cover=cover)


def passage_evidence(
    texts: Sequence[str],
    pairs: np.ndarray,
    words: FunctionWords,
    *,
    seed: float = 0.35,
    min_tokens: int = 6,
    reach_a: int = 5,
    reach_b: int = 10,
    max_partners: int = 2,
) -> PassageEvidence:
    """Measure the best passage of each pair: score, concentration, coverage.

    The steps 1-5 of the module docstring before the final test;
    :func:`passage_scores` takes the parameters and applies it.
    """
    check_float("seed", seed, low=0.0, high=1.0)
    check_int("reach_a", reach_a, low=0)
    check_int("reach_b", reach_b, low=0)
    check_int("max_partners", max_partners, low=1)
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if p.shape[0] == 0:
        return PassageEvidence(np.empty(0), np.empty(0), np.empty(0))
    docs = np.unique(p)
    local = np.ascontiguousarray(np.searchsorted(docs, p))
    units = passage_units([texts[int(d)] for d in docs], words, min_tokens=min_tokens)
    pair_of, ua, ub, cos = _all_seeds(
        units.tokens,
        units.idf2,
        units.starts,
        units.norms,
        units.units,
        units.post_tok,
        units.post_unit,
        local,
        seed,
    )
    # Template sentences seed with many documents: drop the seeds of such units.
    n_units = np.int64(max(int(units.units[-1]), 1))
    partner_b = local[pair_of, 1]
    partner_a = local[pair_of, 0]
    links = np.unique(np.concatenate([ua * n_units + partner_b, ub * n_units + partner_a]))
    partners = np.bincount(links // n_units, minlength=int(n_units))
    keep = (partners[ua] <= max_partners) & (partners[ub] <= max_partners)
    scores, in_window, covered = _group_scores(
        p.shape[0],
        pair_of[keep],
        ua[keep] - units.units[local[pair_of[keep], 0]],
        ub[keep] - units.units[local[pair_of[keep], 1]],
        cos[keep],
        reach_a,
        reach_b,
    )
    per_text = np.diff(units.units)
    n_a = per_text[local[:, 0]].astype(np.float64)
    n_b = per_text[local[:, 1]].astype(np.float64)
    seeds = np.bincount(pair_of[keep], minlength=p.shape[0]).astype(np.float64)
    window = np.minimum(2 * reach_a + 1, n_a) * np.minimum(2 * reach_b + 1, n_b)
    lam = seeds * window / np.maximum(n_a * n_b, 1.0)
    return PassageEvidence(
        scores, chance_log10(in_window, lam), covered / np.maximum(np.minimum(n_a, n_b), 1.0)
    )


@dataclass(frozen=True)
class PassageEvidence:
    """What :func:`passage_scores` measures of each pair's best passage.

    Attributes
    ----------
    score : numpy.ndarray of float64
        The best group's score (module docstring, step 4), before the chance test.
    concentration : numpy.ndarray of float64
        ``-log10`` of the chance probability of its seeds (step 5).
    coverage : numpy.ndarray of float64
        Its distinct units over the units of the shorter text.
    """

    score: np.ndarray
    concentration: np.ndarray
    coverage: np.ndarray

    def scores(self, *, min_concentration: float = 2.0, cover: float = 0.5) -> np.ndarray:
        """Return the scores, 0 where the group is neither concentrated nor covering."""
        keep = (self.concentration >= min_concentration) | (self.coverage >= cover)
        return np.where(keep, self.score, 0.0)


def chance_log10(k: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Return ``-log10 P(X >= k)`` for ``X ~ Poisson(lam)``, elementwise (0 where k <= 0).

    ``P(X >= k) = pmf(k) * sum_{t >= 0} lam^t k! / (k + t)!``, summed until
    the terms vanish (``lam < k + 1`` makes the series converge fast; for
    larger ``lam`` the tail is near 1 and the value near 0).

    Examples
    --------
    >>> [round(float(x), 3) for x in chance_log10(np.array([0, 1, 3]), np.array([1.0, 1.0, 0.1]))]
    [0.0, 0.199, 3.811]
    """
    return _chance_log10(
        np.asarray(k, dtype=np.float64).ravel(), np.asarray(lam, dtype=np.float64).ravel()
    )


@numba.njit(cache=True, nogil=True)
def _chance_log10(k: np.ndarray, lam: np.ndarray) -> np.ndarray:  # pragma: no cover
    out = np.zeros(k.size, dtype=np.float64)
    for q in range(k.size):
        n = k[q]
        m = lam[q]
        if n <= 0.0:
            continue
        if m <= 0.0:
            out[q] = 300.0
            continue
        log_pmf = -m + n * np.log(m) - math.lgamma(n + 1.0)
        total = 1.0
        term = 1.0
        t = 1.0
        while t < 10_000.0:
            term *= m / (n + t)
            total += term
            if term < 1e-12 * total:
                break
            t += 1.0
        out[q] = min(300.0, max(0.0, -(log_pmf + np.log(total)) / np.log(10.0)))
    return out


@numba.njit(cache=True, nogil=True)
def _all_seeds(
    tokens: np.ndarray,
    idf2: np.ndarray,
    starts: np.ndarray,
    norms: np.ndarray,
    units: np.ndarray,
    post_tok: np.ndarray,
    post_unit: np.ndarray,
    pairs: np.ndarray,
    seed: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover
    """Seeds of every pair: pair index, global units of both texts, cosine (by pair, then unit)."""
    longest = 1
    for d in range(units.size - 1):
        longest = max(longest, units[d + 1] - units[d])
    dot = np.zeros(longest, dtype=np.float64)
    inter = np.zeros(longest, dtype=np.int64)
    touched = np.empty(longest, dtype=np.int64)
    pair_of = np.empty(64, dtype=np.int64)
    ua = np.empty(64, dtype=np.int64)
    ub = np.empty(64, dtype=np.int64)
    cs = np.empty(64, dtype=np.float64)
    n = 0
    for k in range(pairs.shape[0]):
        a = pairs[k, 0]
        b = pairs[k, 1]
        b0 = units[b]
        p0 = starts[b0]
        p1 = starts[units[b + 1]]
        n_post = p1 - p0
        if n_post == 0:
            continue
        pt = post_tok[p0:p1]
        pu = post_unit[p0:p1]
        for u in range(units[a], units[a + 1]):
            n_touched = 0
            la = starts[u + 1] - starts[u]
            for q in range(starts[u], starts[u + 1]):
                t = tokens[q]
                lo = np.searchsorted(pt, t)
                while lo < n_post and pt[lo] == t:
                    v = pu[lo]
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
                    if n == pair_of.size:
                        pair_of = np.concatenate((pair_of, np.empty(n, np.int64)))
                        ua = np.concatenate((ua, np.empty(n, np.int64)))
                        ub = np.concatenate((ub, np.empty(n, np.int64)))
                        cs = np.concatenate((cs, np.empty(n, np.float64)))
                    pair_of[n] = k
                    ua[n] = u
                    ub[n] = b0 + v
                    cs[n] = min(cos, 1.0)
                    n += 1
                dot[v] = 0.0
                inter[v] = 0
    return pair_of[:n], ua[:n], ub[:n], cs[:n]


@numba.njit(cache=True, nogil=True)
def _group_scores(
    n_pairs: int,
    pair_of: np.ndarray,
    si: np.ndarray,
    sj: np.ndarray,
    cs: np.ndarray,
    reach_a: int,
    reach_b: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover
    """Best seed group of each pair; seeds sorted by pair then ``si`` (local units).

    Returns the group's score, the seeds in its window and its distinct units
    of the first text.
    """
    out = np.zeros(n_pairs, dtype=np.float64)
    count = np.zeros(n_pairs, dtype=np.float64)
    units = np.zeros(n_pairs, dtype=np.float64)
    start = 0
    while start < pair_of.size:
        end = start
        while end < pair_of.size and pair_of[end] == pair_of[start]:
            end += 1
        best = 0.0
        best_count = 0
        best_units = 0
        lo = start
        for s in range(start, end):
            while si[lo] < si[s] - reach_a:
                lo += 1
            total = 0.0
            last_i = -1
            run = 0.0
            seen = 0
            distinct = 0
            r = lo
            while r < end and si[r] <= si[s] + reach_a:
                if abs(sj[r] - sj[s]) <= reach_b:
                    seen += 1
                    if si[r] != last_i:
                        total += run
                        run = 0.0
                        last_i = si[r]
                        distinct += 1
                    run = max(run, cs[r])
                r += 1
            total += run
            if total > best:
                best = total
                best_count = seen
                best_units = distinct
        out[pair_of[start]] = best
        count[pair_of[start]] = best_count
        units[pair_of[start]] = best_units
        start = end
    return out, count, units
