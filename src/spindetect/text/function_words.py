"""Function words and document frequencies learned from the text itself, in any language.

The stopword skeleton (Stamatatos 2011) and the content-word fingerprints need
to know which tokens are *function words*. A fixed English list
(:data:`spindetect.text.stopwords.STOPWORDS`) knows nothing of Indonesian
``yang``, ``dan``, ``di``; but in every language the function words are the
most frequent tokens, spread over most documents (Zipf). So the list is
*learned* from a sample of the collection: with ``tf(t)`` a token's occurrences
and ``df(t)`` the documents holding it, the base list is extended, in
decreasing ``tf``, by the tokens with ``df(t) >= max(2, min_df * n_docs)``,
until function words cover ``coverage`` of the running tokens (40 % by
default, their usual share in English text) or ``max_learned`` tokens were
added. When the base list already covers at least half of ``coverage`` (20 %:
English text, even content-dense, sits at 30-45 %) it fits the language and
nothing is learned; text in another language (the English list covers a few
per cent of Indonesian) gains its own function words. A mixed sample, mostly
English with some pages in another language, keeps the English list and adds the
function words of the languages at least five of its pages are in (from the
per-language table ``data/function_words.tsv``, see :func:`language_lists`).

The same sample gives the document frequency of every token, hence an inverse
document frequency from the collection itself::

    idf(t) = ln((n + 1) / (df(t) + 0.5))

(a token never seen has ``df = 0``), for crawls whose language the bundled
reference table does not fit.

Everything works on the stable 64-bit token hashes of
:func:`spindetect.text._hashing.hash_forms` (the ones the MinHash kernel
uses); :func:`spindetect.sketch.tokenizing.token_hashes` computes them for many
texts with the compiled tokenizer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from spindetect._validation import check_collection, check_float, check_int, check_items
from spindetect.exceptions import InvalidParameterError
from spindetect.text._hashing import hash_forms
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import tokenize

__all__ = ["FunctionWords", "english_hashes"]


@lru_cache(maxsize=1)
def english_hashes() -> np.ndarray:
    """Sorted token hashes of the English list :data:`~spindetect.text.stopwords.STOPWORDS`."""
    out = np.unique(hash_forms(sorted(STOPWORDS)))
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class FunctionWords:
    """Function-word token hashes and document frequencies of one collection.

    Attributes
    ----------
    hashes : numpy.ndarray of uint64
        Sorted token hashes of the function words.
    vocabulary : numpy.ndarray of uint64
        Sorted token hashes seen in the sample.
    df : numpy.ndarray of int64
        Documents of the sample holding each ``vocabulary`` token.
    n_docs : int
        Documents in the sample.
    learned : int
        Function words added to the base list.
    coverage : float
        Share of the sample's running tokens that are function words.

    Examples
    --------
    >>> texts = ["yang dan di rumah", "yang dan di pasar", "yang dan di kota besar"]
    >>> words = FunctionWords.from_texts(texts, min_df=0.5)
    >>> words.learned, round(words.coverage, 2)  # "yang" and "dan" (3 of 13 tokens each)
    (2, 0.46)
    """

    hashes: np.ndarray = field(repr=False)
    vocabulary: np.ndarray = field(repr=False)
    df: np.ndarray = field(repr=False)
    n_docs: int
    learned: int
    coverage: float

    @classmethod
    def english(cls) -> FunctionWords:
        """Return the English list alone, without document frequencies."""
        return cls(english_hashes(), np.empty(0, np.uint64), np.empty(0, np.int64), 0, 0, 0.0)

    @classmethod
    def from_texts(
        cls,
        texts: Sequence[str],
        *,
        base: bool = True,
        coverage: float = 0.4,
        max_learned: int = 150,
        min_df: float = 0.1,
    ) -> FunctionWords:
        """Learn the function words of a sample of documents (reference tokenizer).

        Parameters
        ----------
        texts : sequence of str
            The sample.
        base : bool, default=True
            Start from the English list (False: learn everything).
        coverage : float, default=0.4
            Share of running tokens the function words should cover.
        max_learned : int, default=150
            Most tokens added to the base list.
        min_df : float, default=0.1
            Smallest share of documents a learned token must appear in.

        Returns
        -------
        FunctionWords

        Raises
        ------
        InvalidParameterError
            If ``texts`` is a single string or holds a non-string, or an option
            is out of range.
        """
        texts = check_items("texts", list(check_collection("texts", texts, of="str")))
        per_doc = [hash_forms(tokenize(t).forms) for t in texts]
        hashes = np.concatenate(per_doc) if per_doc else np.empty(0, np.uint64)
        counts = np.array([h.size for h in per_doc], dtype=np.int64)
        return cls.from_hashes(
            hashes, counts, base=base, coverage=coverage, max_learned=max_learned, min_df=min_df
        )

    @classmethod
    def from_hashes(
        cls,
        hashes: np.ndarray,
        counts: np.ndarray,
        *,
        base: bool = True,
        coverage: float = 0.4,
        max_learned: int = 150,
        min_df: float = 0.1,
    ) -> FunctionWords:
        """:meth:`from_texts` for token hashes already computed.

        Parameters
        ----------
        hashes : numpy.ndarray of uint64
            Every document's token hashes, concatenated in document order.
        counts : numpy.ndarray of int
            Tokens of each document (they sum to ``hashes.size``).
        base, coverage, max_learned, min_df
            As in :meth:`from_texts`.
        """
        check_float("coverage", coverage, low=0.0, high=1.0)
        check_int("max_learned", max_learned, low=0)
        check_float("min_df", min_df, low=0.0, high=1.0)
        h = np.asarray(hashes, dtype=np.uint64).reshape(-1)
        c = np.asarray(counts, dtype=np.int64).reshape(-1)
        if np.any(c < 0) or int(c.sum()) != h.size:
            raise InvalidParameterError(
                f"counts must be non-negative and sum to len(hashes)={h.size}, "
                f"got sum {int(c.sum())}"
            )
        n_docs = int(c.size)
        base_hashes = english_hashes() if base else np.empty(0, np.uint64)
        if h.size == 0:
            return cls(base_hashes, np.empty(0, np.uint64), np.empty(0, np.int64), n_docs, 0, 0.0)
        vocab, inverse, tf = np.unique(h, return_inverse=True, return_counts=True)
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), c)
        # df: distinct (token, document) pairs per token.
        keys = np.unique(inverse.astype(np.int64) * max(n_docs, 1) + doc_of)
        df = np.bincount(keys // max(n_docs, 1), minlength=vocab.size).astype(np.int64)
        in_base = np.isin(vocab, base_hashes)
        total = float(tf.sum())
        covered = float(tf[in_base].sum())
        floor = max(2.0, min_df * n_docs) if n_docs > 1 else 1.0
        eligible = np.flatnonzero(~in_base & (df >= floor))
        eligible = eligible[np.argsort(-tf[eligible], kind="stable")][:max_learned]
        # Add tokens in decreasing tf while the coverage is below the target.
        before = covered + np.concatenate(([0.0], np.cumsum(tf[eligible], dtype=np.float64)))
        take = int(np.count_nonzero(before[:-1] < coverage * total))
        if base and covered >= 0.5 * coverage * total:
            # The base list fits the sample's main language: keep it, and add only the
            # function words of the other languages enough of its documents are in.
            fits = 0.5 * coverage
            added = _other_languages(h, doc_of, c, in_base[inverse], base_hashes, fits, max_learned)
        else:
            added = vocab[eligible[:take]]
        words = np.union1d(base_hashes, added)
        share = (covered + float(tf[np.isin(vocab, added)].sum())) / total
        return cls(words, vocab, df, n_docs, int(added.size), share)

    def is_function(self, hashes: np.ndarray) -> np.ndarray:
        """Boolean mask: which ``hashes`` are function words."""
        return np.isin(np.asarray(hashes, dtype=np.uint64), self.hashes)

    def idf(self, hashes: np.ndarray) -> np.ndarray:
        """Inverse document frequency ``ln((n + 1) / (df + 0.5))`` of each token hash.

        Tokens absent from the sample get ``df = 0``. Without a sample
        (:meth:`english`) every token weighs 1.
        """
        h = np.asarray(hashes, dtype=np.uint64)
        if self.vocabulary.size == 0:
            return np.ones(h.size, dtype=np.float64)
        idx = np.minimum(np.searchsorted(self.vocabulary, h), self.vocabulary.size - 1)
        df = np.where(self.vocabulary[idx] == h, self.df[idx], 0)
        out: np.ndarray = np.log((self.n_docs + 1.0) / (df + 0.5))
        return out


#: Fewest documents of one other language that bring its function words in.
MIN_LANGUAGE_DOCS = 5
#: Fewest tokens a document needs to count towards a language (shorter ones say little).
MIN_LANGUAGE_TOKENS = 20
#: Share of running text the per-language lists of ``function_words.tsv`` cover.
LIST_COVERAGE = 0.3


@lru_cache(maxsize=1)
def language_lists() -> dict[str, np.ndarray]:
    """Sorted token hashes of the function words of each language of ``data/function_words.tsv``.

    The table (built by ``tools/build_function_words.py`` from wordfreq's word
    frequencies) lists, per language, its most frequent words until they cover
    :data:`LIST_COVERAGE` of running text.
    """
    text = resources.files("spindetect").joinpath("data", "function_words.tsv").read_text("utf-8")
    lists: dict[str, np.ndarray] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            lang, *words = line.split("\t")
            lists[lang] = np.unique(hash_forms(words))
    return lists


def _other_languages(
    hashes: np.ndarray,
    doc_of: np.ndarray,
    counts: np.ndarray,
    in_base: np.ndarray,
    base: np.ndarray,
    fits: float,
    max_added: int,
) -> np.ndarray:
    """Return the function words of the other languages that enough documents are in.

    A document of at least :data:`MIN_LANGUAGE_TOKENS` tokens in which the base
    list (``base``; ``in_base`` marks each of ``hashes``) covers less than
    ``fits`` of the tokens is in the language whose list (from
    :func:`language_lists`) covers most of its tokens, if that list covers at
    least half of :data:`LIST_COVERAGE` (else it is a list, a table, a page of
    numbers: in no language). Each language that :data:`MIN_LANGUAGE_DOCS` or
    more documents are in adds the words of its list the base lacks, the
    language with most documents first, while at most ``max_added`` are added.
    """
    none = np.empty(0, np.uint64)
    n_docs = counts.size
    base_tokens = np.bincount(doc_of, weights=in_base, minlength=n_docs)
    other = (counts >= MIN_LANGUAGE_TOKENS) & (base_tokens < fits * counts)
    if max_added == 0 or np.count_nonzero(other) < MIN_LANGUAGE_DOCS:
        return none
    keep = other[doc_of]
    tokens, docs = hashes[keep], doc_of[keep]
    lists = language_lists()
    names = sorted(lists)
    best = np.zeros(n_docs)
    language = np.full(n_docs, -1, dtype=np.int64)
    for number, name in enumerate(names):
        found = np.bincount(docs, weights=np.isin(tokens, lists[name]), minlength=n_docs)
        share = found / np.maximum(counts, 1)
        better = share > best
        best[better], language[better] = share[better], number
    speaks = other & (best >= 0.5 * LIST_COVERAGE)
    votes = np.bincount(language[speaks], minlength=len(names))
    added = none
    for k in np.argsort(-votes, kind="stable"):
        if votes[k] < MIN_LANGUAGE_DOCS:
            break
        more = np.union1d(added, np.setdiff1d(lists[names[k]], base))
        if more.size > max_added:
            break
        added = more
    return added
