"""Same template, other facts: short pairs whose differing words are facts, not synonyms.

Two catalogue entries filled from one template ("Item 12 is a bronze bowl from
the Late Period. It is kept in Room 4." / "Item 31 is a clay jar from the Late
Period. It is kept in Room 4.") share their whole function-word skeleton and
most of their content words: the scan's fast scores cannot tell them from a
spun copy. What tells them apart is *what differs*. A spinner replaces words by
thesaurus entries, so the words one text has and the other lacks pair up as
synonyms or near relations; it never changes a number or a name. A template is
filled with facts: numbers, proper nouns, and nouns unrelated to the ones they
replace. With ``D_a`` / ``D_b`` the content words (function words removed,
lowercased) that only ``a`` / only ``b`` holds, a pair is *templated* when::

    linked = |{x in D_a ∪ D_b : x is related to a word of the other set}| / |D_a ∪ D_b|
    facts  = |{x : x holds a digit, or is capitalised inside a sentence}| / |D_a ∪ D_b|

    templated  <=>  linked <= max_linked   and  known >= min_known
                or  facts >= min_facts

where *related* is any relation of :class:`~spindetect.pairwise.lexicon.Lexicon`
but ``NONE`` (synonym, inflection, one hop, ...) and ``known`` the share of
differing words the lexicon holds (it speaks for English only; text the lexicon
does not cover is judged by its facts alone). On the 32 real SpinBot pairs of
``mpc-dev`` ``linked`` is 0.30-0.81 and ``facts`` at most 0.22; on the template
pair above ``linked`` is 0 and ``facts`` 0.33.

Only *short* pairs are checked (both texts at most ``max_words`` words and
``|D_a| + |D_b| <= max_differing``): template entries are short and differ in
few words, and the check then costs a few lexicon lookups per pair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from spindetect._validation import check_float, check_int
from spindetect.text._hashing import hash_forms
from spindetect.text.function_words import FunctionWords

__all__ = ["templated", "templated_pairs"]

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_SENTENCE = re.compile(r"[^.!?\n]+")


def _content(text: str, words: FunctionWords) -> tuple[set[str], set[str]]:
    """Content words of ``text`` (lowercased) and those that look like facts."""
    forms: list[str] = []
    fact: set[str] = set()
    capitalised: dict[str, bool] = {}
    for sentence in _SENTENCE.findall(text):
        for k, w in enumerate(_WORD.findall(sentence)):
            low = w.lower()
            forms.append(low)
            if any(c.isdigit() for c in w):
                fact.add(low)
            elif k > 0:
                capitalised[low] = capitalised.get(low, True) and w[:1].isupper()
    if not forms:
        return set(), set()
    keep = ~words.is_function(hash_forms(forms))
    content = {f for f, k in zip(forms, keep.tolist(), strict=True) if k}
    fact |= {w for w, cap in capitalised.items() if cap}
    return content, fact & content


def templated(
    a: str,
    b: str,
    words: FunctionWords,
    *,
    max_words: int = 200,
    max_differing: int = 60,
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
        Function words of the crawl (removed before comparing).
    max_words : int, default=200
        Longer texts are not checked (False).
    max_differing : int, default=60
        Pairs differing in more content words are not checked (False).
    max_linked, min_known, min_facts : float, default=0.15, 0.6, 0.5
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
        ("max_linked", max_linked),
        ("min_known", min_known),
        ("min_facts", min_facts),
    ):
        check_float(name, value, low=0.0, high=1.0)
    if len(_WORD.findall(a)) > max_words or len(_WORD.findall(b)) > max_words:
        return False
    ca, fa = _content(a, words)
    cb, fb = _content(b, words)
    da, db = ca - cb, cb - ca
    n = len(da) + len(db)
    if n == 0 or n > max_differing or not da or not db:
        return False
    facts = len((fa & da) | (fb & db)) / n
    if facts >= min_facts:
        return True
    lexicon = Lexicon.default()
    known = sum(lexicon.is_known(w) for w in da | db) / n
    if known < min_known:
        return False

    def linked(x: str, others: set[str]) -> bool:
        return any(lexicon.relation(x, y) is not Relation.NONE for y in others)

    share = (sum(linked(x, db) for x in da) + sum(linked(y, da) for y in db)) / n
    return share <= max_linked


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
                short[d] = len(t) <= 40 * max_words and len(_WORD.findall(t)) <= max_words
        if short[i] and short[j]:
            out[k] = templated(
                texts[i], texts[j], words, max_words=max_words, max_differing=max_differing
            )
    return out
