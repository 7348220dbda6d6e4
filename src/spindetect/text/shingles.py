"""Shingling: documents as sets of stable 64-bit n-gram hashes, and set similarity.

Four kinds of shingle are offered, each hashed in its own seed space:

* ``word``: contiguous word n-grams (Broder 1997);
* ``char``: character n-grams of the normalised text with white space folded;
* ``skeleton``: n-grams of the function-word sequence only, content words
  dropped (Stamatatos 2011). Synonym swaps of content words leave it intact;
* ``content``: content-word unigrams (the bag of non-function words).

All functions return sorted, de-duplicated ``uint64`` arrays so that set
operations are vectorised (``numpy.intersect1d``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spindetect._validation import check_int
from spindetect.text._hashing import KIND_SEEDS, hash_forms, ngram_hashes
from spindetect.text.normalization import normalize
from spindetect.text.stopwords import STOPWORDS

__all__ = [
    "char_shingles",
    "containment",
    "content_shingles",
    "jaccard",
    "skeleton_shingles",
    "word_shingles",
]


def word_shingles(forms: Sequence[str], n: int = 5) -> np.ndarray:
    """Return the set of word ``n``-gram hashes of a token sequence.

    Fewer than ``n`` tokens give one shingle of the whole sequence; none give
    the empty set.

    Parameters
    ----------
    forms : sequence of str
        Normalised token forms (for example a :class:`~spindetect.tokenize.Tokens`).
    n : int, default=5
        Words per shingle.

    Returns
    -------
    numpy.ndarray of uint64, sorted and unique
    """
    check_int("n", n, low=1, high=64)
    return np.unique(ngram_hashes(hash_forms(list(forms)), n, seed=KIND_SEEDS["word"]))


def skeleton_shingles(forms: Sequence[str], n: int = 4) -> np.ndarray:
    """Return the set of ``n``-grams of the function-word skeleton.

    Content words are removed and the remaining function words shingled, so
    ``"the benefits of a group"`` and ``"the advantages of a system"`` give the
    same skeleton ``the of a``.
    """
    check_int("n", n, low=1, high=64)
    skeleton = [f for f in forms if f in STOPWORDS]
    return np.unique(ngram_hashes(hash_forms(skeleton), n, seed=KIND_SEEDS["skeleton"]))


def content_shingles(forms: Sequence[str]) -> np.ndarray:
    """Return the set of content-word (non-function-word) unigram hashes."""
    content = [f for f in forms if f not in STOPWORDS]
    return np.unique(ngram_hashes(hash_forms(content), 1, seed=KIND_SEEDS["content"]))


def char_shingles(text: str, n: int = 5) -> np.ndarray:
    """Return the set of character ``n``-gram hashes of ``text``.

    The text is normalised (NFKC, punctuation folded), case-folded, and every
    run of white space becomes one space before shingling.
    """
    check_int("n", n, low=1, high=256)
    folded = " ".join(normalize(text).casefold().split())
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return np.unique(ngram_hashes(codes, n, seed=KIND_SEEDS["char"]))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Return the Jaccard similarity ``|A ∩ B| / |A ∪ B|`` of two shingle sets.

    Two empty sets score 1.0; one empty set scores 0.0. Inputs must be sorted
    unique arrays, as returned by the shingle functions.

    Examples
    --------
    >>> import numpy as np
    >>> jaccard(np.array([1, 2, 3], dtype=np.uint64), np.array([2, 3, 4], dtype=np.uint64))
    0.5
    """
    if a.size == 0 and b.size == 0:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Return the containment ``|A ∩ B| / |A|`` of set ``a`` in set ``b``.

    An empty ``a`` is contained in anything (1.0).
    """
    if a.size == 0:
        return 1.0
    return np.intersect1d(a, b, assume_unique=True).size / a.size
