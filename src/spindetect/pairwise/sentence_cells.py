"""Scored sentence pairs ("cells") of two documents, all against all or by an exact join.

The aligner (:mod:`spindetect.pairwise.alignment`) needs every sentence pair
``(i, j)`` whose word-level similarity reaches a threshold ``theta`` (the cells of
the score matrix it chains). Two ways give the same cells:

* :class:`DenseCells` scores all ``n_a x n_b`` pairs with rapidfuzz's ``cdist``
  (fast in C++, but time and memory grow with the product: 1 MB documents hold
  about 7,700 x 7,300 sentences, 56 M cells, 0.9 GB of float32 matrices);
* :class:`JoinedCells` finds the pairs by *prefix filtering*, the exact
  set-similarity join (Chaudhuri, Ganti & Kaushik 2006; Bayardo, Ma & Srikant
  2007), and scores only those. A sentence is the set of its elements (token
  code, occurrence number), so the multiset overlap ``O(s, t) = |E(s) ∩ E(t)|``
  bounds the longest common subsequence, and the similarity::

      sim(s, t) = 2 LCS(s, t) / (|s| + |t|) <= 2 O(s, t) / (|s| + |t|)

  ``sim >= theta`` therefore needs ``O >= alpha(s) = ceil(theta |s| / (2 - theta))``
  (as ``|t| >= O``). With the elements of every sentence in one global order,
  rarest first, two sentences sharing ``alpha`` elements share one among the
  first ``|s| - alpha(s) + 1`` of each, the *prefix*: a pair is generated only
  from a shared prefix element (a rare word, not ``the``), kept only when its
  exact overlap passes the bound, and only then scored by rapidfuzz.

The lexicon encoding of b (``related_b``, see the alignment module) gives a word
of b that a lacks the code of a related word of a, so its matches include the
plain ones (a code it replaces matches nothing in a): the bound is taken on it
and holds for both scores. Both classes apply the same rescoring of
lexicon matches (:func:`rescored`) to the same cells, so the cells at or above
any threshold are identical, value for value (float32).
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

__all__ = ["Cells", "DenseCells", "JoinedCells", "rescored"]

#: Rectangles of at most this many cells are scored whole (no join).
_SMALL_RECTANGLE = 256
#: Slack on thresholds: a float32 score may round up to the threshold.
_SLACK = 1e-6

Cells = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, cols (int64), scores (float32)


def rescored(s: str, t: str, plain: str, weight: float) -> float:
    """Return the similarity of ``s`` and ``t`` counting supported lexicon matches at ``weight``.

    ``t`` is b's sentence in the lexicon encoding, ``plain`` in the exact one:
    ``2 (E + weight S) / (|s| + |t|)`` over the LCS of ``s`` and ``t``, with E
    the exact matches and S the lexicon matches lying in a run of at least two
    matched tokens that holds an exact one.
    """
    exact = supported = 0
    for op in Indel.opcodes(s, t):
        if op.tag != "equal":
            continue
        hits = sum(
            s[op.src_start + k] == plain[op.dest_start + k]
            for k in range(op.src_end - op.src_start)
        )
        exact += hits
        if op.src_end - op.src_start >= 2 and hits:
            supported += op.src_end - op.src_start - hits
    return 2 * (exact + weight * supported) / (len(s) + len(t))


class _Scoring:
    """The encoded sentences and the rescoring rule shared by both ways."""

    def __init__(
        self,
        strings_a: Sequence[str],
        strings_b: Sequence[str],
        related_b: Sequence[str],
        weight: float,
        floor: float,
    ) -> None:
        self.strings_a = list(strings_a)
        self.strings_b = list(strings_b)
        self.related_b = list(related_b)
        self.weight = weight
        self.floor = floor
        self.differs = np.array(
            [s != t for s, t in zip(self.strings_b, self.related_b, strict=True)], dtype=bool
        )
        # Rescored values by sentence texts: a repeated sentence pair is rescored once.
        self._memo: dict[tuple[str, str, str], float] = {}

    def _rescore(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        plain: np.ndarray,
        rel: np.ndarray,
        theta: float = 0.0,
    ) -> None:
        """Raise ``plain`` in place where supported lexicon matches add to the plain LCS.

        Cells whose lifted score ``plain + weight (rel - plain)`` stays under
        ``theta`` are left as they are: a rescored value never exceeds it, so
        such a cell stays under ``theta`` either way (the caller drops it).
        """
        lifted = plain + self.weight * (rel - plain)
        memo = self._memo
        for k in np.nonzero((rel > plain) & (lifted >= max(self.floor, theta)))[0]:
            i, j = int(rows[k]), int(cols[k])
            key = (self.strings_a[i], self.related_b[j], self.strings_b[j])
            score = memo.get(key)
            if score is None:
                score = memo[key] = rescored(*key, self.weight)
            if score > plain[k]:
                plain[k] = score


class DenseCells(_Scoring):
    """All ``n_a x n_b`` scores at once (rapidfuzz ``cdist``), then read by rectangle."""

    def __init__(
        self,
        strings_a: Sequence[str],
        strings_b: Sequence[str],
        related_b: Sequence[str],
        weight: float,
        floor: float,
    ) -> None:
        super().__init__(strings_a, strings_b, related_b, weight, floor)
        scores = process.cdist(
            self.strings_a,
            self.strings_b,
            scorer=Indel.normalized_similarity,
            dtype=np.float32,
            workers=1,
        )
        if self.differs.any():
            related = process.cdist(
                self.strings_a,
                self.related_b,
                scorer=Indel.normalized_similarity,
                dtype=np.float32,
                workers=1,
            )
            rows, cols = np.nonzero(related > scores)
            plain, rel = scores[rows, cols], related[rows, cols]
            self._rescore(rows, cols, plain, rel)
            scores[rows, cols] = plain
        self.scores = scores

    def cells(self, i0: int, i1: int, j0: int, j1: int, theta: float) -> Cells:
        """Return the cells of rows ``[i0, i1)`` x cols ``[j0, j1)`` scoring >= ``theta``."""
        block = self.scores[i0:i1, j0:j1]
        rows, cols = np.nonzero(block >= theta)
        return rows + i0, cols + j0, block[rows, cols]

    def score(self, i: int, j: int) -> float:
        """Return the score of sentence ``i`` of a against ``j`` of b."""
        return float(self.scores[i, j])


class JoinedCells(_Scoring):
    """Cells found by the prefix-filtered join (module docstring), scored on demand."""

    def __init__(
        self,
        strings_a: Sequence[str],
        strings_b: Sequence[str],
        related_b: Sequence[str],
        weight: float,
        floor: float,
    ) -> None:
        super().__init__(strings_a, strings_b, related_b, weight, floor)
        self._obj_a = _objects(self.strings_a)
        self._obj_b = _objects(self.strings_b)
        self._obj_related = _objects(self.related_b)
        (self._elems_a, self._starts_a), (self._elems_b, self._starts_b) = _elements(
            self.strings_a, self.related_b
        )
        self._postings: dict[float, tuple[np.ndarray, ...]] = {}

    def cells(self, i0: int, i1: int, j0: int, j1: int, theta: float) -> Cells:
        """Return the cells of rows ``[i0, i1)`` x cols ``[j0, j1)`` scoring >= ``theta``."""
        if (i1 - i0) * (j1 - j0) <= _SMALL_RECTANGLE or theta <= _SLACK:
            rows, cols = np.divmod(np.arange((i1 - i0) * (j1 - j0), dtype=np.int64), j1 - j0)
            rows += i0
            cols += j0
        else:
            rows, cols = self._join(i0, i1, j0, j1, theta)
        vals = self._score_cells(rows, cols, theta)
        keep = vals >= theta
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((cols, rows))
        return rows[order], cols[order], vals[order]

    def score(self, i: int, j: int) -> float:
        """Return the score of sentence ``i`` of a against ``j`` of b."""
        one = np.array([i], dtype=np.int64), np.array([j], dtype=np.int64)
        return float(self._score_cells(*one)[0])

    def _score_cells(self, rows: np.ndarray, cols: np.ndarray, theta: float = 0.0) -> np.ndarray:
        if rows.size == 0:
            return np.empty(0, dtype=np.float32)
        left = self._obj_a[rows]
        plain = np.asarray(
            process.cpdist(
                left,
                self._obj_b[cols],
                scorer=Indel.normalized_similarity,
                dtype=np.float32,
                workers=1,
            ),
            dtype=np.float32,
        )
        changed = np.nonzero(self.differs[cols])[0]
        if changed.size:
            rel = plain.copy()
            rel[changed] = process.cpdist(
                left[changed],
                self._obj_related[cols[changed]],
                scorer=Indel.normalized_similarity,
                dtype=np.float32,
                workers=1,
            )
            self._rescore(rows, cols, plain, rel, theta)
        return plain

    def _join(
        self, i0: int, i1: int, j0: int, j1: int, theta: float
    ) -> tuple[np.ndarray, np.ndarray]:
        bound = theta - _SLACK
        postings = self._postings.get(bound)
        if postings is None:
            prefix_a = _prefix_lengths(self._starts_a, bound)
            prefix_b = _prefix_lengths(self._starts_b, bound)
            start, cols, where = _prefix_postings(self._elems_b, self._starts_b, prefix_b)
            postings = self._postings[bound] = (prefix_a, start, cols, where)
        prefix_a, start, post_cols, post_pos = postings
        return _join_rows(
            self._elems_a,
            self._starts_a,
            prefix_a,
            self._elems_b,
            self._starts_b,
            start,
            post_cols,
            post_pos,
            i0,
            i1,
            j0,
            j1,
            bound,
        )


def _objects(strings: Sequence[str]) -> np.ndarray:
    """Return ``strings`` as a 1-d object array (fancy indexing without copying the text)."""
    out = np.empty(len(strings), dtype=object)
    out[:] = strings
    return out


def _elements(
    strings_a: Sequence[str], strings_b: Sequence[str]
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Return each side's elements (ids rarest first, sorted per sentence) and offsets."""
    sides = []
    for strings in (strings_a, strings_b):
        lengths = np.array([len(s) for s in strings], dtype=np.int64)
        codes = np.frombuffer("".join(strings).encode("utf-32-le"), dtype=np.uint32)
        sentence = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
        order = np.lexsort((codes, sentence))
        sorted_codes = codes[order].astype(np.int64)
        sorted_sentence = sentence[order]
        new = np.ones(order.size, dtype=bool)
        new[1:] = (sorted_codes[1:] != sorted_codes[:-1]) | (
            sorted_sentence[1:] != sorted_sentence[:-1]
        )
        group_start = np.maximum.accumulate(np.where(new, np.arange(order.size), 0))
        occurrence = np.arange(order.size) - group_start
        sides.append((sorted_codes, occurrence, sorted_sentence, lengths))
    max_occ = max(int(s[1].max(initial=0)) for s in sides) + 1
    keys = [codes * max_occ + occ for codes, occ, _, _ in sides]
    unique, inverse, counts = np.unique(
        np.concatenate(keys), return_inverse=True, return_counts=True
    )
    rank = np.empty(unique.size, dtype=np.int64)
    rank[np.lexsort((unique, counts))] = np.arange(unique.size, dtype=np.int64)
    ids = rank[inverse]
    out = []
    offset = 0
    for (_, _, sentence, lengths), key in zip(sides, keys, strict=True):
        elems = ids[offset : offset + key.size]
        offset += key.size
        elems = elems[np.lexsort((elems, sentence))]
        starts = np.zeros(lengths.size + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        out.append((elems, starts))
    return out[0], out[1]


def _prefix_lengths(starts: np.ndarray, bound: float) -> np.ndarray:
    """Return ``|s| - ceil(bound |s| / (2 - bound)) + 1`` per sentence, within ``[1, |s|]``."""
    n = np.diff(starts)
    alpha = np.maximum(np.ceil(bound * n / (2.0 - bound)).astype(np.int64), 1)
    return np.asarray(np.clip(n - alpha + 1, 1, np.maximum(n, 1)), dtype=np.int64)


def _prefix_postings(
    elems: np.ndarray, starts: np.ndarray, prefix: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, per element id, the sentences (ascending) whose prefix holds it (CSR).

    Returns the offsets per element, the sentences and the element's position in each.
    """
    n = np.diff(starts)
    sentence = np.repeat(np.arange(n.size, dtype=np.int64), n)
    position = np.arange(elems.size, dtype=np.int64) - starts[sentence]
    keep = position < prefix[sentence]
    e, s, pos = elems[keep], sentence[keep], position[keep]
    order = np.lexsort((s, e))
    size = int(elems.max(initial=-1)) + 1
    start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(e, minlength=size), out=start[1:])
    return start, s[order], pos[order]


@numba.njit(cache=True, nogil=True)
def _join_rows(
    elems_a: np.ndarray,
    starts_a: np.ndarray,
    prefix_a: np.ndarray,
    elems_b: np.ndarray,
    starts_b: np.ndarray,
    post_start: np.ndarray,
    post_cols: np.ndarray,
    post_pos: np.ndarray,
    i0: int,
    i1: int,
    j0: int,
    j1: int,
    bound: float,
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    """Pairs of the rectangle sharing a prefix element whose overlap passes the bound.

    A pair is met first at its rarest shared element (elements are sorted the
    same way in every sentence), at positions ``x`` and ``y``: nothing before
    them is shared, so at most ``min(n_i - x, n_j - y)`` elements are (the
    positional filter of PPJoin, Xiao et al. 2008), and the exact count merges
    from there.
    """
    mark = np.full(starts_b.size - 1, -1, dtype=np.int64)
    out_i = np.empty(1024, dtype=np.int64)
    out_j = np.empty(1024, dtype=np.int64)
    m = 0
    n_elems = post_start.size - 1
    for i in range(i0, i1):
        a0 = starts_a[i]
        a1 = starts_a[i + 1]
        n_i = a1 - a0
        for k in range(a0, a0 + prefix_a[i]):
            e = elems_a[k]
            if e >= n_elems:
                continue
            p1 = post_start[e + 1]
            q = post_start[e] + np.searchsorted(post_cols[post_start[e] : p1], j0)
            while q < p1:
                j = post_cols[q]
                y = post_pos[q]
                q += 1
                if j >= j1:
                    break
                if mark[j] == i:
                    continue
                mark[j] = i
                b0 = starts_b[j]
                b1 = starts_b[j + 1]
                need = bound * (n_i + b1 - b0)  # 2 * overlap must reach it
                if 2.0 * min(a1 - k, b1 - b0 - y) < need:
                    continue
                overlap = 0
                x, z = k, b0 + y
                while x < a1 and z < b1:
                    if elems_a[x] == elems_b[z]:
                        overlap += 1
                        x += 1
                        z += 1
                    elif elems_a[x] < elems_b[z]:
                        x += 1
                    else:
                        z += 1
                    if 2.0 * (overlap + min(a1 - x, b1 - z)) < need:
                        break
                if 2.0 * overlap < need:
                    continue
                if m == out_i.size:
                    out_i = np.concatenate((out_i, np.empty(m, dtype=np.int64)))
                    out_j = np.concatenate((out_j, np.empty(m, dtype=np.int64)))
                out_i[m] = i
                out_j[m] = j
                m += 1
    return out_i[:m], out_j[:m]
