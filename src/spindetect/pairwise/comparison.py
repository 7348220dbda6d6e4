"""Compare two documents: scores, a verdict, and an explanation of what changed.

The pipeline (details in ``docs/compare.md``)::

    text -> mojibake repair -> title block split -> tokens (with spans) + sentences
         -> scores: TF-IDF cosine (reference IDF), word/skeleton/content shingle Jaccard
         -> alignment: sentence pairs in order, then tokens inside pairs
         -> explanation: substitution map with lexicon relations, inserted phrases
         -> titles: title vs own body, title vs other body
         -> verdict and confidence (rules of :class:`VerdictRules`)

All scores are floats in [0, 1].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from os import PathLike
from typing import Any

import numpy as np

from spindetect._validation import check_instance, check_int
from spindetect.exceptions import InputTooLargeError, InvalidParameterError
from spindetect.pairwise.alignment import (
    Alignment,
    Unit,
    align,
    join_wrapped,
    units_from_sentences,
)
from spindetect.pairwise.containment import Containment, containment
from spindetect.pairwise.passages import passage_scores
from spindetect.pairwise.substitutions import Explanation, Substitution, explain_blocks
from spindetect.pairwise.tfidf import IdfTable, tfidf_cosine
from spindetect.pairwise.titles import (
    BodyKeywords,
    TitleSplit,
    body_keywords,
    split_title,
    title_body_similarity,
)
from spindetect.pairwise.verdicts import (
    COPY_VERDICTS,
    VERDICTS,
    contained_copy,
    judge,
    verdict_confidence,
)
from spindetect.settings import VerdictRules
from spindetect.sources.textfile import DEFAULT_MAX_BYTES, read_text
from spindetect.text.function_words import FunctionWords
from spindetect.text.normalization import repair_mojibake
from spindetect.text.sentences import split_sentences
from spindetect.text.shingles import content_shingles, jaccard, skeleton_shingles, word_shingles
from spindetect.text.tokens import Tokens, tokenize

__all__ = [
    "DEFAULT_MAX_CHARS",
    "VERDICTS",
    "Change",
    "Comparison",
    "Passage",
    "Substitution",
    "TitleFinding",
    "VerdictRules",
    "compare",
    "compare_files",
]

#: Verdicts, from most to least similar.
#: Default longest text :func:`compare` accepts, in characters (about a 1 MB file;
#: benchmarks/bench_compare_long.py measures the time and memory at 0.25-1 M).
DEFAULT_MAX_CHARS = 1_000_000
#: A progress callback: ``progress(stage, done, total)`` (``total`` None while unknown).
CompareProgress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class Change:
    """A changed run inside a passage: character spans in a and b and its kind."""

    a: tuple[int, int]
    b: tuple[int, int]
    kind: str  # "swap", "insert", "delete", "rewrite"


@dataclass(frozen=True, slots=True)
class Passage:
    """Aligned text: character spans in a and b, a kind, and the changes inside."""

    a: tuple[int, int]
    b: tuple[int, int]
    kind: str  # "identical", "spun", "edited", "moved"
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class TitleFinding:
    """A document's title and how well it fits its body and the other body."""

    text: str
    mismatch: bool
    body_similarity: float
    other_body_similarity: float
    repeats: int
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`.

    ``to_dict()`` gives the JSON contract: ``verdict``, ``confidence``, ``scores``,
    ``substitutions``, ``inserted``, ``titles``, ``passages`` (character offsets
    into ``text_a``/``text_b``, the texts after mojibake repair).
    """

    verdict: str
    confidence: float
    scores: Mapping[str, float]
    substitutions: tuple[Substitution, ...]
    inserted: Mapping[str, tuple[str, ...]]
    titles: Mapping[str, TitleFinding | None]
    passages: tuple[Passage, ...]
    text_a: str = field(repr=False)
    text_b: str = field(repr=False)
    stats: Mapping[str, int] = field(default_factory=dict)

    @property
    def is_copy(self) -> bool:
        """True for every verdict but ``unrelated``."""
        return self.verdict in COPY_VERDICTS

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dictionary (texts excluded)."""
        return {
            "verdict": self.verdict,
            "confidence": round(self.confidence, 4),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "substitutions": [_substitution_dict(s) for s in self.substitutions],
            "inserted": {k: list(v) for k, v in self.inserted.items()},
            "titles": {k: (None if t is None else _title_dict(t)) for k, t in self.titles.items()},
            "passages": [
                {
                    "a": list(p.a),
                    "b": list(p.b),
                    "kind": p.kind,
                    "changes": [
                        {"a": list(c.a), "b": list(c.b), "kind": c.kind} for c in p.changes
                    ],
                }
                for p in self.passages
            ],
            "stats": dict(self.stats),
        }


@dataclass(frozen=True)
class _Side:
    text: str
    split: TitleSplit
    tokens: Tokens  # tokens of the whole text (spans index the whole text)
    body_first: int  # first body token

    @property
    def body_forms(self) -> tuple[str, ...]:
        return self.tokens.forms[self.body_first :]


def compare(
    a: str,
    b: str,
    *,
    idf: IdfTable | None = None,
    vocabulary: FunctionWords | None = None,
    fix_mojibake: bool = True,
    detect_titles: bool = True,
    rules: VerdictRules | None = None,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    progress: CompareProgress | None = None,
) -> Comparison:
    """Compare two texts and explain how one may be a (spun) copy of the other.

    Parameters
    ----------
    a, b : str
        The two documents as plain text; a page's first line(s) may be its title.
    idf : IdfTable, optional
        Reference IDF for TF-IDF scores; the bundled table by default.
    vocabulary : FunctionWords, optional
        Function words and document frequencies of the collection the texts
        come from (:meth:`FunctionWords.from_texts` of a sample of it; a scan
        learns its own). The seeded passage score then drops that collection's
        function words and weighs each token by its IDF, as ``scan`` does, and
        a passage counts at ``rules.weighted_passage_score``. Without it:
        English function words, every token weighing 1, ``rules.passage_score``.
    fix_mojibake : bool, default=True
        Repair mis-decoded UTF-8 first (passage offsets then refer to the repaired text).
    detect_titles : bool, default=True
        Recognise a title block at the top of each text and compare it with the bodies.
    rules : VerdictRules, optional
        Verdict thresholds; the calibrated defaults otherwise.
    max_chars : int or None, default=DEFAULT_MAX_CHARS
        Refuse a text longer than this many characters (None: no limit).
    progress : callable, optional
        Called as ``progress(stage, done, total)``: stages ``prepare``, ``align``
        (rows of a aligned out of ``total``, on long texts) and ``explain``.

    Returns
    -------
    Comparison

    Raises
    ------
    InvalidParameterError
        If ``a`` or ``b`` is not a str, or an option is out of range.
    InputTooLargeError
        If ``a`` or ``b`` is longer than ``max_chars`` (the message names
        which, its length and the limit).

    Examples
    --------
    >>> r = compare("The cat sat on the mat today.", "The cat sat on the mat today.")
    >>> r.verdict, r.confidence
    ('identical', 1.0)
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, str):
            raise InvalidParameterError(f"{name} must be a str, got {type(value).__name__}")
    _check_length({"a": a, "b": b}, max_chars)
    rules = check_instance("rules", rules, VerdictRules) or VerdictRules()
    table = check_instance("idf", idf, IdfTable) or IdfTable.default()
    check_instance("vocabulary", vocabulary, FunctionWords)
    if vocabulary is not None:  # the passage score is IDF-weighted: the scan's threshold
        rules = replace(rules, passage_score=rules.weighted_passage_score)
    if progress is not None and not callable(progress):
        raise InvalidParameterError(f"progress must be a callable or None, got {progress!r:.60}")
    report = progress or (lambda stage, done, total: None)
    report("prepare", 0, None)
    side_a = _prepare(a, fix_mojibake, detect_titles)
    side_b = _prepare(b, fix_mojibake, detect_titles)
    units_a = join_wrapped(
        units_from_sentences(side_a.tokens, split_sentences(side_a.text)), side_a.text
    )
    units_b = join_wrapped(
        units_from_sentences(side_b.tokens, split_sentences(side_b.text)), side_b.text
    )
    units_a = tuple(u for u in units_a if u.first >= side_a.body_first)
    units_b = tuple(u for u in units_b if u.first >= side_b.body_first)
    alignment = align(
        side_a.tokens, units_a, side_b.tokens, units_b, progress=lambda d, t: report("align", d, t)
    )
    report("explain", 0, None)
    explanation = explain_blocks(alignment, side_a.tokens, side_b.tokens)
    contained = containment(side_a.body_forms, side_b.body_forms)
    scores = _scores(side_a, side_b, alignment, explanation, table)
    scores["containment"] = contained.share
    # The passage score is unbounded, so not among the [0, 1] scores.
    passage = _passage_score(side_a, side_b, vocabulary)
    judged = {**scores, "passage": passage}
    titles = _title_findings(side_a, side_b, table, rules)
    stats = {
        "tokens_a": len(side_a.body_forms),
        "tokens_b": len(side_b.body_forms),
        "sentences_a": len(units_a),
        "sentences_b": len(units_b),
        "aligned_pairs": len(alignment.pairs),
        "moved_pairs": sum(p.moved for p in alignment.pairs),
        "swaps": len(explanation.swaps),
        "single_word_swaps": len(explanation.single_word_swaps),
        "related_swaps": sum(s.weight >= 0.8 for s in explanation.swaps),
        "aligned_tokens": min(alignment.aligned_tokens("a"), alignment.aligned_tokens("b")),
        "contained_tokens": contained.tokens,
        "longest_run": max((len(r) for r in contained.runs), default=0),
        "passage_units": round(passage),
    }
    verdict = judge(judged, stats, rules, identical=side_a.tokens.forms == side_b.tokens.forms)
    by_containment = verdict == "partial" and contained_copy(judged, stats, rules)
    return Comparison(
        verdict=verdict,
        confidence=verdict_confidence(
            verdict, judged, rules if by_containment else None, stats["longest_run"]
        ),
        scores=scores,
        substitutions=_substitution_map(explanation),
        inserted={
            side: tuple(dict.fromkeys(i.text for i in explanation.inserted if i.side == side))
            + (
                _unmatched_sentences(alignment, side, side_a if side == "a" else side_b)
                if verdict in COPY_VERDICTS
                else ()
            )
            for side in ("a", "b")
        },
        titles=titles,
        passages=tuple(
            sorted(
                _passages(alignment, explanation, side_a, side_b)
                + (_run_passages(alignment, contained, side_a, side_b) if by_containment else ()),
                key=lambda p: (p.a, p.b),
            )
        ),
        text_a=side_a.text,
        text_b=side_b.text,
        stats=stats,
    )


def compare_files(
    path_a: str | PathLike[str],
    path_b: str | PathLike[str],
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    idf: IdfTable | None = None,
    vocabulary: FunctionWords | None = None,
    fix_mojibake: bool = True,
    detect_titles: bool = True,
    rules: VerdictRules | None = None,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    progress: CompareProgress | None = None,
) -> Comparison:
    """Read two text files (see :func:`~spindetect.read_text`) and :func:`compare` them.

    Parameters
    ----------
    path_a, path_b : str or path-like
        The two text files.
    encoding : str, optional
        Text encoding of both files; by default a BOM is honoured, else UTF-8.
    max_bytes : int, default=DEFAULT_MAX_BYTES
        Refuse a file larger than this.
    idf, vocabulary, fix_mojibake, detect_titles, rules, max_chars, progress
        As for :func:`compare` (a text over ``max_chars`` is named by its path).

    Returns
    -------
    Comparison

    Raises
    ------
    InputError
        A subclass naming the file and the problem, for either file
        (:class:`~spindetect.exceptions.InputTooLargeError` over ``max_bytes``
        or ``max_chars``).
    """
    _check_length({}, max_chars)  # a bad value fails before the files are read
    text_a = read_text(path_a, encoding=encoding, max_bytes=max_bytes)
    text_b = read_text(path_b, encoding=encoding, max_bytes=max_bytes)
    _check_length({str(path_a): text_a, str(path_b): text_b}, max_chars)
    return compare(
        text_a,
        text_b,
        idf=idf,
        vocabulary=vocabulary,
        fix_mojibake=fix_mojibake,
        detect_titles=detect_titles,
        rules=rules,
        max_chars=None,  # checked above, naming the files
        progress=progress,
    )


def _check_length(texts: Mapping[str, str], max_chars: int | None) -> None:
    """Raise if a text is longer than ``max_chars`` characters (None: no limit).

    Raises
    ------
    InvalidParameterError
        If ``max_chars`` is neither None nor an integer >= 1.
    InputTooLargeError
        ``"a.txt: 2,400,000 characters, over the compare limit of 1,000,000 ..."``.
    """
    if max_chars is None:
        return
    limit = check_int("max_chars", max_chars, low=1)
    for name, text in texts.items():
        if len(text) > limit:
            raise InputTooLargeError(
                name,
                f"{len(text):,} characters, over the compare limit of {limit:,} "
                "(raise max_chars / --max-chars to go on)",
            )


def _prepare(text: str, fix_mojibake: bool, detect_titles: bool) -> _Side:
    if fix_mojibake:
        text = repair_mojibake(text)
    split = split_title(text) if detect_titles else TitleSplit(None, (0, 0), 0)
    tokens = tokenize(text)
    body_first = 0
    if split.title is not None and len(tokens):
        body_first = int((tokens.spans[:, 0] < split.body_start).sum())
    return _Side(text, split, tokens, body_first)


def _scores(
    a: _Side, b: _Side, alignment: Alignment, explanation: Explanation, idf: IdfTable
) -> dict[str, float]:
    fa, fb = a.body_forms, b.body_forms
    n_a, n_b = max(len(fa), 1), max(len(fb), 1)
    aligned_a = alignment.aligned_tokens("a")
    aligned_b = alignment.aligned_tokens("b")
    equal = alignment.equal_tokens
    swaps = explanation.swaps
    evidence = sum(s.weight for s in swaps) / len(swaps) if swaps else 0.0
    return {
        "tfidf_cosine": tfidf_cosine(fa, fb, idf=idf),
        "word_jaccard": jaccard(word_shingles(fa, 5), word_shingles(fb, 5)),
        "word3_jaccard": jaccard(word_shingles(fa, 3), word_shingles(fb, 3)),
        "unigram_jaccard": jaccard(word_shingles(fa, 1), word_shingles(fb, 1)),
        "content_jaccard": jaccard(content_shingles(fa), content_shingles(fb)),
        "skeleton_jaccard": jaccard(skeleton_shingles(fa, 4), skeleton_shingles(fb, 4)),
        "coverage_a": min(1.0, aligned_a / n_a),
        "coverage_b": min(1.0, aligned_b / n_b),
        "kept": (2 * equal / (aligned_a + aligned_b)) if aligned_a + aligned_b else 0.0,
        "order_kept": min(1.0, equal / min(n_a, n_b)),
        "synonym_evidence": evidence,
    }


def _body_start(side: _Side) -> int:
    """Return the character offset of the first body token (the end when none)."""
    if side.body_first >= len(side.tokens):
        return len(side.text)
    return int(side.tokens.spans[side.body_first, 0])


def _passage_score(a: _Side, b: _Side, vocabulary: FunctionWords | None) -> float:
    """Return the seeded passage score of the two bodies.

    With the ``vocabulary`` of a collection when given; else English function
    words, every token weighing 1.
    """
    texts = [side.text[_body_start(side) :] for side in (a, b)]
    pair = np.array([[0, 1]], dtype=np.int64)
    words = FunctionWords.english() if vocabulary is None else vocabulary
    return float(passage_scores(texts, pair, words)[0])


def _title_findings(
    a: _Side, b: _Side, idf: IdfTable, rules: VerdictRules
) -> dict[str, TitleFinding | None]:
    """Each side's title scored against its own body and the other's (bodies read once)."""
    if a.split.title is None and b.split.title is None:
        return {"a": None, "b": None}
    body_a, body_b = body_keywords(a.body_forms, idf=idf), body_keywords(b.body_forms, idf=idf)
    return {
        "a": _title_finding(a, body_a, body_b, idf, rules),
        "b": _title_finding(b, body_b, body_a, idf, rules),
    }


def _title_finding(
    own: _Side, own_body: BodyKeywords, other_body: BodyKeywords, idf: IdfTable, rules: VerdictRules
) -> TitleFinding | None:
    title = own.split.title
    if title is None:
        return None
    sim = title_body_similarity(title, own_body, idf=idf)
    other_sim = title_body_similarity(title, other_body, idf=idf)
    return TitleFinding(
        title, sim < rules.title_threshold, sim, other_sim, own.split.repeats, own.split.labels
    )


def _title_dict(t: TitleFinding) -> dict[str, Any]:
    return {
        "text": t.text,
        "mismatch": t.mismatch,
        "body_similarity": round(t.body_similarity, 4),
        "other_body_similarity": round(t.other_body_similarity, 4),
        "repeats": t.repeats,
        "labels": list(t.labels),
    }


def _substitution_map(explanation: Explanation) -> tuple[Substitution, ...]:
    """Distinct swaps, most frequent first, each with the spans of its first occurrence."""
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Substitution] = {}
    for s in explanation.swaps:
        key = (s.original, s.replacement)
        counts[key] += 1
        first.setdefault(key, s)
    ordered = sorted(counts, key=lambda k: (-counts[k], -first[k].weight, k))
    return tuple(replace(first[k], count=counts[k]) for k in ordered)


def _substitution_dict(s: Substitution) -> dict[str, Any]:
    relation = None if s.relation is None else s.relation.value
    return {"a": s.original, "b": s.replacement, "count": s.count, "relation": relation}


def _block_span(tokens: Tokens, first: int, last: int, unit: Unit) -> tuple[int, int]:
    """Character span of a block's tokens; an empty side is the point after the previous word."""
    if last > first:
        return tokens.char_span(first, last)
    point = int(tokens.spans[first - 1, 1]) if first > unit.first else unit.start
    return point, point


def _unmatched_sentences(alignment: Alignment, side: str, doc: _Side) -> tuple[str, ...]:
    units = alignment.units_a if side == "a" else alignment.units_b
    indices = alignment.unmatched_a if side == "a" else alignment.unmatched_b
    return tuple(
        doc.text[units[i].start : units[i].end]
        for i in indices
        if units[i].last - units[i].first >= 3
    )


def _passages(
    alignment: Alignment, explanation: Explanation, a: _Side, b: _Side
) -> tuple[Passage, ...]:
    swap_starts = {s.start for s in explanation.swaps}
    passages: list[Passage] = []
    previous = None
    for pair in alignment.pairs:
        ua, ub = alignment.units_a[pair.a], alignment.units_b[pair.b]
        changes = []
        swapped = other = 0
        for block in pair.blocks:
            if block.tag == "equal":
                continue
            kind = {"insert": "insert", "delete": "delete"}.get(block.tag, "rewrite")
            if block.tag == "replace" and int(a.tokens.spans[block.a_first, 0]) in swap_starts:
                kind = "swap"
            size = max(block.a_last - block.a_first, block.b_last - block.b_first)
            swapped, other = (swapped + size, other) if kind == "swap" else (swapped, other + size)
            changes.append(
                Change(
                    _block_span(a.tokens, block.a_first, block.a_last, ua),
                    _block_span(b.tokens, block.b_first, block.b_last, ub),
                    kind,
                )
            )
        if pair.moved:
            kind = "moved"
        elif not changes:
            kind = "identical"
        else:
            kind = "spun" if swapped >= other else "edited"
        passage = Passage((ua.start, ua.end), (ub.start, ub.end), kind, tuple(changes))
        adjacent = previous is not None and (pair.a, pair.b) == (previous.a + 1, previous.b + 1)
        if adjacent and passages[-1].kind == kind and kind != "moved":
            prev = passages[-1]
            passages[-1] = Passage(
                (prev.a[0], ua.end), (prev.b[0], ub.end), kind, prev.changes + passage.changes
            )
        else:
            passages.append(passage)
        previous = pair
    return tuple(passages)


def _run_passages(
    alignment: Alignment, contained: Containment, a: _Side, b: _Side
) -> tuple[Passage, ...]:
    """Passages (kind ``moved``) of shared runs lying outside the aligned sentence pairs.

    Runs whose ends are at most 2 tokens apart on both sides, in order, are joined.
    """
    short, long_ = (a, b) if contained.side == "a" else (b, a)
    units = alignment.units_a if contained.side == "a" else alignment.units_b
    index = [p.a if contained.side == "a" else p.b for p in alignment.pairs]
    inside = {t for i in index for t in range(units[i].first, units[i].last)}
    offset_s, offset_l = short.body_first, long_.body_first
    spans: list[list[int]] = []
    for run in contained.runs:
        s0, s1 = run.s_first + offset_s, run.s_last + offset_s
        l0, l1 = run.l_first + offset_l, run.l_last + offset_l
        if all(t in inside for t in range(s0, s1)):
            continue
        if spans and 0 <= s0 - spans[-1][1] <= 2 and 0 <= l0 - spans[-1][3] <= 2:
            spans[-1][1], spans[-1][3] = s1, l1
        else:
            spans.append([s0, s1, l0, l1])
    out = []
    for s0, s1, l0, l1 in spans:
        span_s = short.tokens.char_span(s0, s1)
        span_l = long_.tokens.char_span(l0, l1)
        pa, pb = (span_s, span_l) if contained.side == "a" else (span_l, span_s)
        out.append(Passage(pa, pb, "moved"))
    return tuple(out)
