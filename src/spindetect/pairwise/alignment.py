"""Alignment of two documents: sentence pairing, then token alignment inside pairs.

1. Each sentence becomes a string with one code point per distinct token form,
   so rapidfuzz's C++ Indel similarity scores sentence pairs on *words*::

       sim(s, t) = 1 - indel(s, t) / (|s| + |t|) = 2 LCS(s, t) / (|s| + |t|)

2. Sentence pairs scoring at least ``pair_threshold`` are chained in document
   order by a maximum-weight increasing chain (a sparse dynamic programme over
   the candidate cells), so a copy that keeps the article's order aligns
   monotonically. Sentences left over are then paired greedily, best first, at
   the stricter ``moved_threshold``; those pairs are marked ``moved``.
3. Inside each pair, rapidfuzz's Indel (longest common subsequence) opcodes give
   the tokens kept in order; consecutive non-equal opcodes are merged into one
   block ``a[i1:i2] -> b[j1:j2]``, the unit from which substitutions and inserted
   phrases are read (:mod:`spindetect.substitutions`).

Synonym-aware matching. A word of b that a lacks but the lexicon relates to a
word of a (synonym, function-word group, one hop, known spinner swap, weight >=
0.8: :meth:`~spindetect.pairwise.lexicon.Lexicon.match_map`) is encoded, in a
second encoding of b, with the code of that word of a. A sentence pair whose
second-encoding similarity beats the plain one is rescored from the second
encoding's LCS, counting an exact match as 1 and a lexicon match as
``synonym_weight`` only when *sequence* supports it: the match lies in a run of
at least two consecutive matched tokens (on both sides) holding an exact match::

    sim'(s, t) = 2 (E + w S) / (|s| + |t|),   score = max(sim(s, t), sim'(s, t))

with E the exact and S the supported lexicon matches. Two independent texts on
one subject share related words, but rarely in runs beside shared words, so the
guard keeps them apart while a spin (``analog stick and buttons`` -> ``simple
stick and catches``) aligns. Inside the pair, the blocks come from the second
encoding: a lexicon match is a one-token ``replace`` between equal runs, so the
substitution is read exactly where the aligner put it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz.distance import Indel

from spindetect._validation import check_float, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.chains import fill_gaps, greedy_pairs, increasing_chain
from spindetect.pairwise.lexicon import Lexicon
from spindetect.pairwise.sentence_cells import Cells, DenseCells, JoinedCells
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import Tokens

__all__ = [
    "DEFAULT_DENSE_CELLS",
    "Alignment",
    "Block",
    "SentencePair",
    "StepProgress",
    "Unit",
    "align",
    "join_wrapped",
    "units_from_sentences",
]


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence as a token range ``[first, last)`` and its character span."""

    first: int
    last: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """A run of aligned tokens: ``a[a_first:a_last]`` against ``b[b_first:b_last]``.

    ``tag`` is ``"equal"`` (same forms), ``"replace"`` (both sides non-empty),
    ``"insert"`` (only in b) or ``"delete"`` (only in a). Indices are global
    token indices of each document.
    """

    tag: str
    a_first: int
    a_last: int
    b_first: int
    b_last: int


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Two aligned sentences (indices into the unit lists) and their blocks."""

    a: int
    b: int
    score: float
    moved: bool
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Alignment:
    """The alignment of two documents.

    Attributes
    ----------
    units_a, units_b : tuple of Unit
        Sentences of each document.
    pairs : tuple of SentencePair
        Aligned sentence pairs, in the order of document a.
    unmatched_a, unmatched_b : tuple of int
        Indices of sentences with no counterpart.
    """

    units_a: tuple[Unit, ...]
    units_b: tuple[Unit, ...]
    pairs: tuple[SentencePair, ...]
    unmatched_a: tuple[int, ...]
    unmatched_b: tuple[int, ...]

    @property
    def equal_tokens(self) -> int:
        """Number of tokens kept in order inside aligned pairs."""
        return sum(b.a_last - b.a_first for p in self.pairs for b in p.blocks if b.tag == "equal")

    def aligned_tokens(self, side: str) -> int:
        """Return the number of tokens of ``side`` ('a' or 'b') inside aligned sentences."""
        units = self.units_a if side == "a" else self.units_b
        return sum(units[getattr(p, side)].last - units[getattr(p, side)].first for p in self.pairs)


#: Largest ``n_a x n_b`` (sentences) scored all against all; above it, by the exact join.
DEFAULT_DENSE_CELLS = 1_000_000
#: Rows of a scored per step of the join (one progress call each).
_ROWS_PER_STEP = 256
#: A progress callback ``progress(done, total)`` of one stage.
StepProgress = Callable[[int, int], None]

_CLOSERS = "\"'\u201d\u2019)]"
_ENDINGS = ".!?:;\u2026"


def join_wrapped(units: Sequence[Unit], text: str, *, min_tokens: int = 5) -> tuple[Unit, ...]:
    r"""Join sentence pieces that a hard line wrap split, so a wrapped sentence is one unit.

    A unit continues onto the next one when only white space with a single line
    break lies between them, the unit does not end like a sentence (``.!?:;``
    before closing quotes or brackets), and either the next unit begins in lower
    case or the unit has at least ``min_tokens`` tokens and its line reads as
    prose: not Title Case and at least 0.6 of the next line's length (headings
    stay units of their own).

    Examples
    --------
    >>> from spindetect.text.sentences import split_sentences
    >>> from spindetect.text.tokens import tokenize
    >>> text = "Heading\nThe cat sat on the\nmat today. It was warm."
    >>> tokens = tokenize(text)
    >>> units = join_wrapped(units_from_sentences(tokens, split_sentences(text)), text)
    >>> [text[u.start : u.end] for u in units]
    ['Heading', 'The cat sat on the\nmat today.', 'It was warm.']
    """
    check_int("min_tokens", min_tokens, low=0)
    joined: list[Unit] = []
    for unit in units:
        if joined:
            prev = joined[-1]
            gap = text[prev.end : unit.start]
            tail = text[prev.start : prev.end].rstrip(_CLOSERS)
            one_break = gap.count("\n") == 1 and not gap.strip()
            open_end = one_break and bool(tail) and tail[-1] not in _ENDINGS
            long_prose = prev.last - prev.first >= min_tokens and _prose_line(text, prev, unit)
            if open_end and (text[unit.start].islower() or long_prose):
                joined[-1] = Unit(prev.first, unit.last, prev.start, unit.end)
                continue
        joined.append(unit)
    return tuple(joined)


def _prose_line(text: str, prev: Unit, unit: Unit) -> bool:
    """Return True when the line ending ``prev`` reads as wrapped prose, not a heading.

    A heading is Title Case (most words capitalised) or much shorter than the
    line that follows it; a wrapped line is neither.
    """
    line = text[text.rfind("\n", 0, prev.end) + 1 : prev.end]
    stop = text.find("\n", unit.start)
    following = text[unit.start : stop if stop != -1 else len(text)]
    words = [w for w in line.split() if w[0].isalpha()]
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised < 0.7 * len(words) and len(line) >= 0.6 * len(following.rstrip())


def units_from_sentences(tokens: Tokens, spans: Sequence[tuple[int, int]]) -> tuple[Unit, ...]:
    """Map sentence character spans to token ranges, dropping sentences without words."""
    starts = tokens.spans[:, 0] if len(tokens) else np.empty(0, dtype=np.int64)
    units = []
    for start, end in spans:
        first = int(np.searchsorted(starts, start, side="left"))
        last = int(np.searchsorted(starts, end, side="left"))
        if last > first:
            units.append(Unit(first, last, start, end))
    return tuple(units)


def align(
    a: Tokens,
    units_a: Sequence[Unit],
    b: Tokens,
    units_b: Sequence[Unit],
    *,
    pair_threshold: float = 0.5,
    gap_threshold: float = 0.3,
    moved_threshold: float = 0.65,
    merge_gain: float = 0.05,
    synonym_weight: float = 0.5,
    lexicon: Lexicon | None = None,
    dense_cells: int | None = DEFAULT_DENSE_CELLS,
    progress: StepProgress | None = None,
) -> Alignment:
    """Align two tokenised documents sentence by sentence, then token by token.

    Parameters
    ----------
    a, b : Tokens
        The two documents.
    units_a, units_b : sequence of Unit
        Their sentences (see :func:`units_from_sentences`).
    pair_threshold : float, default=0.5
        Minimum word-level similarity for two sentences to be paired in order.
    gap_threshold : float, default=0.3
        Lower minimum for sentences lying in the same gap between two in-order
        pairs (their position already vouches for them: heavily spun sentences).
    moved_threshold : float, default=0.65
        Minimum similarity for pairing sentences out of order.
    merge_gain : float, default=0.05
        A sentence left unmatched next to an aligned one is joined to it when
        the joined unit scores at least ``merge_gain`` more against the same
        counterpart (the two sides cut a sentence differently: ``"... us.
        ADVENTURES IN JAPAN."`` against ``"... us.'ADVENTURES IN JAPAN."``);
        the documents are then aligned again with the joined units (reusing the
        scores of the sentence pairs the two passes share).
    synonym_weight : float, default=0.5
        Weight of a sequence-supported lexicon match against an exact one (see
        the module doc); 0 aligns on identical forms only.
    lexicon : Lexicon, optional
        The lexicon linking words; the bundled one by default.
    dense_cells : int or None, default=DEFAULT_DENSE_CELLS
        Largest number of sentence pairs ``n_a x n_b`` scored all against all
        (None: always). Above it, only the pairs an exact prefix-filtered join
        finds are scored (:mod:`~spindetect.pairwise.sentence_cells`): the same
        pairs and scores, with time and memory growing with the pairs that share
        rare words instead of with the product of the lengths.
    progress : callable, optional
        Called as ``progress(done, total)``: ``(0, rows of a)`` at the start, then
        after each step of rows the join scores (none when scoring all against
        all). A second pass after merging sentences rescores only the merged ones
        and reports nothing.

    Returns
    -------
    Alignment
    """
    check_float("pair_threshold", pair_threshold, low=0.0, high=1.0)
    check_float("gap_threshold", gap_threshold, low=0.0, high=1.0)
    check_float("moved_threshold", moved_threshold, low=0.0, high=1.0)
    check_float("merge_gain", merge_gain, low=0.0, high=1.0)
    check_float("synonym_weight", synonym_weight, low=0.0, high=1.0)
    if dense_cells is not None:
        check_int("dense_cells", dense_cells, low=0)
    if progress is not None and not callable(progress):
        raise InvalidParameterError(f"progress must be a callable or None, got {progress!r:.60}")
    if progress is not None:
        progress(0, len(units_a))
    mapping: dict[str, str] = {}
    if synonym_weight > 0.0:
        lex = lexicon if lexicon is not None else Lexicon.default()
        related = lex.match_map(a.forms, b.forms, skip=STOPWORDS)
        in_a = set(a.forms)  # match_map maps only words a lacks; the join's bound needs it
        mapping = {y: x for y, (x, _) in related.items() if y not in in_a}
    codes = _codes(a.forms, b.forms)
    plain_a, plain_b = _encode_all(a.forms, codes), _encode_all(b.forms, codes)
    docs = _Docs(plain_a, plain_b, _encode_all(b.forms, codes, mapping))
    rules = _Rules(pair_threshold, gap_threshold, moved_threshold, synonym_weight, dense_cells)
    first = _pair_sentences(docs, tuple(units_a), tuple(units_b), rules, progress)
    merged_a = _merge_neighbours(first, plain_a, plain_b, "a", merge_gain)
    merged_b = _merge_neighbours(first, plain_a, plain_b, "b", merge_gain)
    final = first
    if merged_a != first.units_a or merged_b != first.units_b:
        final = _pair_sentences(docs, merged_a, merged_b, rules, None, first)
    return _alignment(final, docs)


@dataclass(frozen=True, slots=True)
class _Docs:
    """Each document as one string of token codes (one code point per token)."""

    plain_a: str
    plain_b: str
    related_b: str  # b with the lexicon's mapping applied before coding

    def strings(self, units_a: Sequence[Unit], units_b: Sequence[Unit]) -> _Strings:
        return _Strings(
            [self.plain_a[u.first : u.last] for u in units_a],
            [self.plain_b[u.first : u.last] for u in units_b],
            [self.related_b[u.first : u.last] for u in units_b],
        )


@dataclass(frozen=True, slots=True)
class _Strings:
    a: list[str]
    b: list[str]
    related_b: list[str]


@dataclass(frozen=True, slots=True)
class _Rules:
    pair: float
    gap: float
    moved: float
    weight: float
    dense_cells: int | None


@dataclass(frozen=True, slots=True)
class _Pass:
    """One pass of sentence pairing: units, their cells and pairs ``(i, j, moved, score)``."""

    units_a: tuple[Unit, ...]
    units_b: tuple[Unit, ...]
    strings: _Strings
    cells: Cells | None  # None when a side has no sentence
    joined: bool  # cells came from the join (not all against all)
    pairs: tuple[tuple[int, int, bool, float], ...]
    unmatched_a: tuple[int, ...]
    unmatched_b: tuple[int, ...]


def _codes(forms_a: Sequence[str], forms_b: Sequence[str]) -> dict[str, str]:
    # One code point per distinct form, from the supplementary planes (no surrogates).
    # Scores and opcodes depend only on which codes are equal, not on their values.
    distinct = dict.fromkeys(forms_a)
    distinct.update(dict.fromkeys(forms_b))
    return {form: chr(0x10000 + k) for k, form in enumerate(distinct)}


def _encode_all(
    forms: Sequence[str], codes: dict[str, str], mapping: dict[str, str] | None = None
) -> str:
    """Return ``forms`` as one string of codes; with ``mapping``, a form takes its target's."""
    if mapping:
        return "".join(map(codes.__getitem__, map(mapping.get, forms, forms)))
    return "".join(map(codes.__getitem__, forms))


def _merge_neighbours(
    found: _Pass, plain_a: str, plain_b: str, side: str, gain: float
) -> tuple[Unit, ...]:
    """Join unmatched sentences of ``side`` to an aligned neighbour when that scores better."""
    units = found.units_a if side == "a" else found.units_b
    other_units = found.units_b if side == "a" else found.units_a
    own, other = (plain_a, plain_b) if side == "a" else (plain_b, plain_a)
    unmatched = set(found.unmatched_a if side == "a" else found.unmatched_b)
    if not unmatched:
        return units
    joins: dict[int, int] = {}  # first unit index -> last unit index (inclusive)
    for pa, pb, _, best in found.pairs:
        i, j = (pa, pb) if side == "a" else (pb, pa)
        if i - 1 not in unmatched and i + 1 not in unmatched:
            continue
        target = other[other_units[j].first : other_units[j].last]
        lo, hi = i, i
        for step in (-1, 1):
            neighbour = lo - 1 if step < 0 else hi + 1
            if neighbour not in unmatched:
                continue
            nlo, nhi = min(lo, neighbour), max(hi, neighbour)
            joined = own[units[nlo].first : units[nhi].last]
            score = Indel.normalized_similarity(joined, target)
            if score >= best + gain:
                lo, hi, best = nlo, nhi, score
                unmatched.discard(neighbour)
        if hi > lo:
            joins[lo] = hi
    if not joins:
        return units
    out: list[Unit] = []
    k = 0
    while k < len(units):
        last = joins.get(k, k)
        out.append(Unit(units[k].first, units[last].last, units[k].start, units[last].end))
        k = last + 1
    return tuple(out)


def _pair_sentences(
    docs: _Docs,
    units_a: tuple[Unit, ...],
    units_b: tuple[Unit, ...],
    rules: _Rules,
    progress: StepProgress | None,
    previous: _Pass | None = None,
) -> _Pass:
    """Pair the sentences: cells, the in-order chain, its gaps, then moved pairs.

    With ``previous`` (a pass over units of which these join a few), the cells of
    the units both passes share are taken from it and only the joined units' rows
    and columns are scored (by the join: the same cells a full pass finds).
    """
    strings = docs.strings(units_a, units_b)
    if not strings.a or not strings.b:
        return _Pass(
            units_a,
            units_b,
            strings,
            None,
            False,
            (),
            tuple(range(len(units_a))),
            tuple(range(len(units_b))),
        )
    shape = (len(strings.a), len(strings.b))
    theta = min(rules.pair, rules.moved)
    source: DenseCells | JoinedCells
    joined = rules.dense_cells is not None and shape[0] * shape[1] > rules.dense_cells
    if not joined:
        source = DenseCells(strings.a, strings.b, strings.related_b, rules.weight, rules.gap)
        cells = source.cells(0, shape[0], 0, shape[1], theta)
    else:
        source = JoinedCells(strings.a, strings.b, strings.related_b, rules.weight, rules.gap)
        if previous is not None and previous.joined and previous.cells is not None:
            old = (previous.units_a, previous.units_b, previous.cells)
            cells = _reused_cells(source, old, units_a, units_b, theta)
        else:
            cells = _joined_cells(source, shape, theta, progress)
    chain = fill_gaps(
        source,
        shape,
        increasing_chain(cells, shape[1], rules.pair),
        rules.gap,
        [u.last - u.first <= 3 for u in units_a],
        [u.last - u.first <= 3 for u in units_b],
    )
    used_a = {i for i, _ in chain}
    used_b = {j for _, j in chain}
    moved = greedy_pairs(cells, rules.moved, used_a, used_b)
    chosen = sorted([(i, j, False) for i, j in chain] + [(i, j, True) for i, j in moved])
    keys = cells[0] * shape[1] + cells[1]  # row-major, ascending
    pairs = []
    for i, j, is_moved in chosen:
        at = int(np.searchsorted(keys, i * shape[1] + j))
        known = at < keys.size and int(keys[at]) == i * shape[1] + j
        score = float(cells[2][at]) if known else source.score(i, j)
        pairs.append((i, j, is_moved, score))
    matched_a = {p[0] for p in pairs}
    matched_b = {p[1] for p in pairs}
    return _Pass(
        units_a,
        units_b,
        strings,
        cells,
        joined,
        tuple(pairs),
        tuple(i for i in range(shape[0]) if i not in matched_a),
        tuple(j for j in range(shape[1]) if j not in matched_b),
    )


def _reused_cells(
    source: JoinedCells,
    previous: tuple[tuple[Unit, ...], tuple[Unit, ...], Cells],
    units_a: tuple[Unit, ...],
    units_b: tuple[Unit, ...],
    theta: float,
) -> Cells:
    """Return the cells >= ``theta`` of these units, reusing ``previous`` where units agree.

    ``previous`` holds the previous pass's units and cells. A cell's score depends
    only on its two sentences, so the cells of a pair of units present in both
    passes are the previous pass's (renumbered); the rows
    and columns of new (joined) units are found by the join.
    """
    old_a, old_b, (rows, cols, vals) = previous
    new_a, old_to_new_a = _renumber(old_a, units_a)
    new_b, old_to_new_b = _renumber(old_b, units_b)
    rows, cols = old_to_new_a[rows], old_to_new_b[cols]
    keep = (rows >= 0) & (cols >= 0)
    parts = [(rows[keep], cols[keep], vals[keep])]
    n_a, n_b = len(units_a), len(units_b)
    parts += [source.cells(i, i + 1, 0, n_b, theta) for i in new_a]
    is_new_a = np.zeros(n_a, dtype=bool)
    is_new_a[new_a] = True
    for j in new_b:
        r, c, v = source.cells(0, n_a, j, j + 1, theta)
        old = ~is_new_a[r]  # the new rows' cells are already in
        parts.append((r[old], c[old], v[old]))
    rows_all, cols_all, vals_all = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((cols_all, rows_all))
    return rows_all[order], cols_all[order], vals_all[order]


def _renumber(old: Sequence[Unit], new: Sequence[Unit]) -> tuple[list[int], np.ndarray]:
    """Return the indices of units new in ``new``, and old index -> new index (-1: joined)."""
    where = {unit: k for k, unit in enumerate(new)}
    old_to_new = np.array([where.get(unit, -1) for unit in old], dtype=np.int64)
    kept = set(old_to_new.tolist())
    return [k for k in range(len(new)) if k not in kept], old_to_new


def _alignment(found: _Pass, docs: _Docs) -> Alignment:
    """Return the alignment of a pass, with the token blocks of each pair."""
    strings, units_a, units_b = found.strings, found.units_a, found.units_b
    return Alignment(
        units_a=units_a,
        units_b=units_b,
        pairs=tuple(
            SentencePair(
                i,
                j,
                score,
                is_moved,
                _blocks(
                    strings.a[i],
                    strings.related_b[j],
                    units_a[i].first,
                    units_b[j].first,
                    strings.b[j],
                ),
            )
            for i, j, is_moved, score in found.pairs
        ),
        unmatched_a=found.unmatched_a,
        unmatched_b=found.unmatched_b,
    )


def _joined_cells(
    source: JoinedCells, shape: tuple[int, int], theta: float, progress: StepProgress | None
) -> Cells:
    """Return all cells >= ``theta``, joined in steps of rows (reported to ``progress``)."""
    parts = []
    for lo in range(0, shape[0], _ROWS_PER_STEP):
        hi = min(lo + _ROWS_PER_STEP, shape[0])
        parts.append(source.cells(lo, hi, 0, shape[1], theta))
        if progress is not None:
            progress(hi, shape[0])
    rows, cols, vals = zip(*parts, strict=True)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _blocks(
    s: str, t: str, a_offset: int, b_offset: int, plain: str | None = None
) -> tuple[Block, ...]:
    """Return the blocks of the LCS of ``s`` and ``t``.

    With ``plain`` (t's exact codes), lexicon matches inside equal runs become
    ``replace`` blocks, merged with neighbouring changes.
    """
    blocks: list[Block] = []
    pending: list[int] | None = None  # [a_first, a_last, b_first, b_last] of a non-equal run
    for op in _split_related(Indel.opcodes(s, t), s, plain):
        if op.tag == "equal":
            if pending is not None:
                blocks.append(_changed(*pending))
                pending = None
            blocks.append(
                Block(
                    "equal",
                    a_offset + op.src_start,
                    a_offset + op.src_end,
                    b_offset + op.dest_start,
                    b_offset + op.dest_end,
                )
            )
        elif pending is None:
            pending = [
                a_offset + op.src_start,
                a_offset + op.src_end,
                b_offset + op.dest_start,
                b_offset + op.dest_end,
            ]
        else:
            pending[1] = a_offset + op.src_end
            pending[3] = b_offset + op.dest_end
    if pending is not None:
        blocks.append(_changed(*pending))
    return tuple(blocks)


@dataclass(frozen=True, slots=True)
class _Op:
    tag: str
    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


def _split_related(ops: Any, s: str, plain: str | None) -> list[_Op]:
    """Cut equal opcodes where ``s`` and ``plain`` differ (lexicon matches) into replaces."""
    out: list[_Op] = []
    for op in ops:
        if op.tag != "equal" or plain is None:
            out.append(_Op(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end))
            continue
        length = op.src_end - op.src_start
        k = 0
        while k < length:
            same = s[op.src_start + k] == plain[op.dest_start + k]
            m = k
            while m < length and (s[op.src_start + m] == plain[op.dest_start + m]) == same:
                m += 1
            tag = "equal" if same else "replace"
            out.append(
                _Op(tag, op.src_start + k, op.src_start + m, op.dest_start + k, op.dest_start + m)
            )
            k = m
    return out


def _changed(a_first: int, a_last: int, b_first: int, b_last: int) -> Block:
    if a_last == a_first:
        tag = "insert"
    elif b_last == b_first:
        tag = "delete"
    else:
        tag = "replace"
    return Block(tag, a_first, a_last, b_first, b_last)
