"""Same template, other facts: short pairs whose differing words are facts, not synonyms.

Two catalogue entries filled from one template ("Item 12 is a bronze bowl from
the Late Period. It is kept in Room 4." / "Item 31 is a clay jar from the Late
Period. It is kept in Room 4.") share their whole function-word skeleton and
most of their content words: the scan's fast scores cannot tell them from a
spun copy. What tells them apart is *what differs*. The two word sequences are
aligned (:class:`difflib.SequenceMatcher`); a template and a spin both differ
only in short *slots* (replaced runs of at most ``max_slot`` words, with
almost no inserted or deleted text: an edited revision adds and removes
sentences), and in at least two slots (one changed word is an edit). A
spinner fills a slot with a thesaurus entry of the word it
replaces; it never changes a number or a name. A template fills it with facts:
numbers, proper nouns, and words unrelated to the ones they replace. Over the
content words (function words removed) of the slots::

    slots   = replaced words / all differing words (replaced, inserted, deleted)
    linked  = share of slot words related to a word of the other side of their slot
    facts   = share of slot words holding a digit or capitalised inside a sentence

    templated  <=>  slots >= min_slots  and  (facts >= min_facts
                                              or (linked <= max_linked and known >= min_known))

where *related* is any relation of :class:`~spindetect.pairwise.lexicon.Lexicon`
but ``NONE`` (synonym, inflection, one hop, ...) and ``known`` the share of slot
words the lexicon holds (it speaks for English only; text it does not cover is
judged by its facts alone). On the 32 real SpinBot pairs of ``mpc-dev`` none is
templated (their slots link 0.3-0.8 of their words); on revisions of short
Wikipedia pages, edits insert and delete text, so ``slots`` stays low.

Only *short* pairs are checked (both texts at most ``max_words`` words and at
most ``max_differing`` differing words): template entries are short and differ
in few words, and the check then costs one alignment and a few lexicon lookups.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

import numba
import numpy as np

from spindetect._validation import check_float, check_int
from spindetect.text._hashing import hash_forms
from spindetect.text.function_words import FunctionWords

__all__ = ["templated", "templated_pairs", "word_count"]

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_SENTENCE = re.compile(r"[^.!?\n]+")


def _words(text: str) -> tuple[list[str], list[bool]]:
    """Lowercased words of ``text`` and whether each looks like a fact."""
    forms: list[str] = []
    fact: list[bool] = []
    for sentence in _SENTENCE.findall(text):
        for k, w in enumerate(_WORD.findall(sentence)):
            forms.append(w.lower())
            fact.append(any(c.isdigit() for c in w) or (k > 0 and w[:1].isupper()))
    return forms, fact


def _blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """Differing blocks ``(i1, i2, j1, j2)`` of two word lists.

    The non-equal opcodes of :class:`difflib.SequenceMatcher`, with blocks that
    only one matched word separates merged (a chance match of a short word, say
    the ``2`` of "Room 2, case 3" / "Room 8, case 2", splits one slot in two).
    """
    out: list[list[int]] = []
    last_equal = -1
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            last_equal = i2 - i1
            continue
        if out and last_equal <= 1:
            out[-1][1], out[-1][3] = i2, j2
        else:
            out.append([i1, i2, j1, j2])
        last_equal = -1
    return [(x[0], x[1], x[2], x[3]) for x in out]


def templated(
    a: str,
    b: str,
    words: FunctionWords,
    *,
    max_words: int = 200,
    max_differing: int = 60,
    max_slot: int = 4,
    min_slots: float = 0.9,
    max_linked: float = 0.15,
    min_known: float = 0.6,
    min_facts: float = 0.5,
) -> bool:
    """Return whether ``a`` and ``b`` are one template with other facts (module docstring).

    Parameters
    ----------
    a, b : str
        The two texts.
    words : FunctionWords
        Function words of the crawl (not counted as slot words).
    max_words : int, default=200
        Longer texts are not checked (False).
    max_differing : int, default=60
        Pairs differing in more words are not checked (False).
    max_slot : int, default=4
        Longest replaced run (words, each side) that is a slot.
    min_slots, max_linked, min_known, min_facts : float, default=0.9, 0.15, 0.6, 0.5
        The thresholds of the rule.

    Returns
    -------
    bool

    Examples
    --------
    >>> from spindetect.text.function_words import FunctionWords
    >>> w = FunctionWords.english()
    >>> templated("Item 12 is a bronze bowl from the Late Period. It is kept in Room 4.",
    ...           "Item 31 is a clay jar from the Late Period. It is kept in Room 4.", w)
    True
    >>> templated("The big dog ran quickly across the wide field.",
    ...           "The large hound ran rapidly across the broad field.", w)
    False
    """
    from spindetect.pairwise.lexicon import Lexicon, Relation

    for name, value in (
        ("min_slots", min_slots),
        ("max_linked", max_linked),
        ("min_known", min_known),
        ("min_facts", min_facts),
    ):
        check_float(name, value, low=0.0, high=1.0)
    check_int("max_slot", max_slot, low=1)
    wa, fa = _words(a)
    wb, fb = _words(b)
    if not wa or not wb or len(wa) > max_words or len(wb) > max_words:
        return False
    func_a = words.is_function(hash_forms(wa)).tolist()
    func_b = words.is_function(hash_forms(wb)).tolist()
    differing = 0
    replaced = 0
    slots: list[tuple[list[int], list[int]]] = []
    for i1, i2, j1, j2 in _blocks(wa, wb):
        differing += (i2 - i1) + (j2 - j1)
        if 0 < i2 - i1 <= max_slot and 0 < j2 - j1 <= max_slot:
            replaced += (i2 - i1) + (j2 - j1)
            both = set(wa[i1:i2]) & set(wb[j1:j2])  # a word matched across the slot
            ca = [i for i in range(i1, i2) if not func_a[i] and wa[i] not in both]
            cb = [j for j in range(j1, j2) if not func_b[j] and wb[j] not in both]
            if ca or cb:
                slots.append((ca, cb))
        if differing > max_differing:
            return False
    n = sum(len(x) + len(y) for x, y in slots)
    if len(slots) < 2 or replaced < min_slots * differing:
        return False
    facts = (sum(fa[i] for x, _ in slots for i in x) + sum(fb[j] for _, y in slots for j in y)) / n
    if facts >= min_facts:
        return True
    lexicon = Lexicon.default()
    slot_words = [wa[i] for x, _ in slots for i in x] + [wb[j] for _, y in slots for j in y]
    if sum(lexicon.is_known(w) for w in slot_words) / n < min_known:
        return False

    def related(x: str, others: list[str]) -> bool:
        return any(lexicon.relation(x, y) is not Relation.NONE for y in others)

    linked = 0
    for x, y in slots:
        xs, ys = [wa[i] for i in x], [wb[j] for j in y]
        linked += sum(related(t, ys) for t in xs) + sum(related(t, xs) for t in ys)
    return linked / n <= max_linked


def templated_pairs(
    texts: Sequence[str],
    pairs: np.ndarray,
    words: FunctionWords,
    *,
    max_words: int = 200,
    max_differing: int = 60,
) -> np.ndarray:
    """Boolean mask: which ``pairs`` of ``texts`` are :func:`templated`.

    Long texts are skipped before they are tokenised (a word count bound by
    their length in characters), so a crawl of long pages pays almost nothing.
    """
    check_int("max_words", max_words, low=1)
    check_int("max_differing", max_differing, low=1)
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = np.zeros(p.shape[0], dtype=bool)
    short: dict[int, bool] = {}
    for k, (i, j) in enumerate(p.tolist()):
        for d in (i, j):
            if d not in short:
                t = texts[d]
                short[d] = len(t) <= 40 * max_words and word_count(t, max_words) <= max_words
        if short[i] and short[j]:
            out[k] = templated(
                texts[i], texts[j], words, max_words=max_words, max_differing=max_differing
            )
    return out


def word_count(text: str, limit: int) -> int:
    """Return ``len(_WORD.findall(text))``, or any count above ``limit`` once it is exceeded.

    ASCII text is counted by a compiled loop over its bytes that stops at the
    ``limit + 1``-th word (45x the regex on 500-word pages; ``\\w`` on ASCII is
    ``[A-Za-z0-9_]`` and U+2019 cannot occur). Other text goes to the regex,
    first over a prefix of ``8 (limit + 1)`` characters: a prefix never holds
    more matches than the whole text (a match cut at its end stays one), so a
    prefix over ``limit`` settles it.
    """
    if text.isascii():
        return int(_ascii_words(np.frombuffer(text.encode("ascii"), dtype=np.uint8), limit))
    end = 8 * (limit + 1)
    if len(text) > end:
        head = len(_WORD.findall(text, 0, end))
        if head > limit:
            return head
    return len(_WORD.findall(text))


@numba.njit(cache=True)
def _is_word(c: int) -> bool:  # pragma: no cover - compiled
    return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or c == 95


@numba.njit(cache=True)
def _ascii_words(data: np.ndarray, limit: int) -> int:  # pragma: no cover - compiled
    """Count the matches of ``\\w+(?:'\\w+)*`` in ASCII bytes, counted up to ``limit + 1``."""
    n = data.size
    count = 0
    i = 0
    while i < n:
        if not _is_word(data[i]):
            i += 1
            continue
        count += 1
        if count > limit:
            return count
        while i < n and _is_word(data[i]):
            i += 1
        while i + 1 < n and data[i] == 39 and _is_word(data[i + 1]):  # "'" then a word char
            i += 1
            while i < n and _is_word(data[i]):
                i += 1
    return count
