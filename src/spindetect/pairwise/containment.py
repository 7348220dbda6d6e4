"""Containment: how much of the shorter text lies inside the longer one, in any order.

Sentence alignment pairs sentences; a copy assembled from pieces of its source in
another order, or cut at other sentence boundaries, or an excerpt of a long text,
can leave most sentences unpaired although most of its words come from the
source. Containment reads the copy as *runs*: maximal stretches of at least ``n``
tokens that occur, word for word, in the other text (greedy string tiling, one
pass, Wise 1996). With :math:`R` the runs found for the shorter text :math:`S`
(ties: the first text) against the longer :math:`L`::

    share(S in L) = sum_{r in R} |r| / |S|

Runs do not overlap in :math:`S`. A run must hold a content word (not only
function words such as ``one of the most``), so two independent texts on one
subject, which share names and stock phrases but few sequences, score low:
paragraphs of one Wikipedia article against each other reach at most about 0.2,
real reordered copies 0.5 and more (``docs/compare.md``).

Examples
--------
>>> a = "the cat sat on the mat . a dog barked at the red door".split()
>>> b = "a dog barked at the red door today . the cat sat on the mat".split()
>>> c = containment(a, b)
>>> c.side, c.tokens, round(c.share, 3)
('a', 13, 0.929)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from spindetect._validation import check_int
from spindetect.text.stopwords import STOPWORDS

__all__ = ["Containment", "Run", "containment"]

_MAX_STARTS = 16  # positions of one n-gram in the longer text tried when extending a run


@dataclass(frozen=True, slots=True)
class Run:
    """A shared run: ``short[s_first:s_last] == long[l_first:l_last]`` (token indices)."""

    s_first: int
    s_last: int
    l_first: int
    l_last: int

    def __len__(self) -> int:
        """Return the number of tokens of the run."""
        return self.s_last - self.s_first


@dataclass(frozen=True, slots=True)
class Containment:
    """Runs of the shorter text found in the longer one.

    Attributes
    ----------
    side : {'a', 'b'}
        The shorter text (``'a'`` on ties).
    share : float
        Share in [0, 1] of the shorter text's tokens inside runs (0.0 when it is empty).
    tokens : int
        Number of those tokens.
    runs : tuple of Run
        The runs, in the order of the shorter text; ``s_*`` index the shorter text.
    """

    side: str
    share: float
    tokens: int
    runs: tuple[Run, ...]


def containment(
    forms_a: Sequence[str],
    forms_b: Sequence[str],
    *,
    n: int = 4,
    function_words: Collection[str] = STOPWORDS,
) -> Containment:
    """Return the containment of the shorter of two token sequences in the longer.

    Parameters
    ----------
    forms_a, forms_b : sequence of str
        Normalised token forms of the two texts.
    n : int, default=4
        Shortest run counted (word n-grams: 4 keeps stock trigrams such as
        ``the united states`` from counting alone).
    function_words : collection of str, default=STOPWORDS
        Words that do not make a run content-bearing.

    Returns
    -------
    Containment

    Raises
    ------
    InvalidParameterError
        If ``n`` is below 1.
    """
    check_int("n", n, low=1)
    side = "a" if len(forms_a) <= len(forms_b) else "b"
    short, long_ = (forms_a, forms_b) if side == "a" else (forms_b, forms_a)
    if len(short) < n or len(long_) < n:
        return Containment(side, 0.0, 0, ())
    starts: dict[tuple[str, ...], list[int]] = {}
    for p in range(len(long_) - n + 1):
        key = tuple(long_[p : p + n])
        found = starts.setdefault(key, [])
        if len(found) < _MAX_STARTS:
            found.append(p)
    runs: list[Run] = []
    i = 0
    while i <= len(short) - n:
        positions = starts.get(tuple(short[i : i + n]))
        if not positions:
            i += 1
            continue
        best_len, best_p = 0, -1
        for p in positions:
            k = n
            while i + k < len(short) and p + k < len(long_) and short[i + k] == long_[p + k]:
                k += 1
            if k > best_len:
                best_len, best_p = k, p
        if any(f not in function_words for f in short[i : i + best_len]):
            runs.append(Run(i, i + best_len, best_p, best_p + best_len))
            i += best_len
        else:
            i += 1
    tokens = sum(len(r) for r in runs)
    return Containment(side, tokens / len(short), tokens, tuple(runs))
