"""TF-IDF cosine similarity with a reference IDF table.

An IDF fitted on the two documents being compared is meaningless (every shared
word gets the same weight as a stop word), so comparisons use a *reference*
table of document frequencies from a background corpus. The package ships one
(``data/idf.tsv.gz``, built by ``tools/build_idf.py``); users can fit and save
their own with :meth:`IdfTable.fit` and pass it as ``idf=``.

Weights follow scikit-learn's smoothed, sublinear form::

    idf(t) = ln((1 + N) / (1 + df(t))) + 1
    w(t, d) = (1 + ln tf(t, d)) * idf(t),   vectors L2-normalised

and the similarity of two documents is the cosine (dot product) of their
vectors, in [0, 1] because weights are non-negative.
"""

from __future__ import annotations

import gzip
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from spindetect._validation import check_int
from spindetect.exceptions import IndexFormatError
from spindetect.text.tokens import tokenize

__all__ = ["IdfTable", "tfidf_cosine", "tfidf_matrix"]

_HEADER = "# spindetect-idf v1"


@dataclass(frozen=True)
class IdfTable:
    """Document frequencies of a background corpus, and the IDF derived from them.

    Attributes
    ----------
    n_docs : int
        Number of documents the frequencies were counted on.
    df : Mapping[str, int]
        Document frequency per normalised token form.
    """

    n_docs: int
    df: Mapping[str, int] = field(repr=False)

    def idf(self, form: str) -> float:
        """Return ``ln((1 + N) / (1 + df)) + 1``; unseen forms get the maximum."""
        return _idf(self.n_docs, self.df.get(form, 0))

    def idf_array(self, forms: Sequence[str]) -> np.ndarray:
        """Return the IDF of each form as a float64 array."""
        n = self.n_docs
        get = self.df.get
        return np.array([_idf(n, get(f, 0)) for f in forms], dtype=np.float64)

    @classmethod
    def fit(cls, documents: Iterable[str], *, min_df: int = 1) -> IdfTable:
        """Count document frequencies of the token forms of ``documents``.

        Parameters
        ----------
        documents : iterable of str
            Background texts.
        min_df : int, default=1
            Forms seen in fewer documents are dropped (they then get the
            maximum IDF, as unseen forms do).
        """
        check_int("min_df", min_df, low=1)
        counts: Counter[str] = Counter()
        n = 0
        for text in documents:
            counts.update(set(tokenize(text).forms))
            n += 1
        if n == 0:
            from spindetect.exceptions import InvalidParameterError

            raise InvalidParameterError("documents must hold at least one text, got none")
        return cls(n_docs=n, df={t: c for t, c in counts.items() if c >= min_df})

    def save(self, path: str | Path) -> None:
        """Write the table as gzip-compressed TSV (``form<TAB>df``), sorted, reproducible."""
        lines = [f"{_HEADER} n_docs={self.n_docs}"]
        lines += [f"{t}\t{c}" for t, c in sorted(self.df.items())]
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
        ):
            gz.write(data)

    @classmethod
    def load(cls, path: str | Path) -> IdfTable:
        """Read a table written by :meth:`save`.

        Raises
        ------
        IndexFormatError
            If the file is not a spindetect IDF table.
        """
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                return cls._parse(f.read().splitlines(), str(path))
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise IndexFormatError(f"{path}: not a readable IDF table ({exc})") from None

    @classmethod
    def default(cls) -> IdfTable:
        """Return the bundled reference table (loaded once, then cached)."""
        return _default_table()

    @classmethod
    def _parse(cls, lines: list[str], source: str) -> IdfTable:
        if not lines or not lines[0].startswith(_HEADER) or "n_docs=" not in lines[0]:
            raise IndexFormatError(f"{source}: missing '{_HEADER} n_docs=N' header")
        df: dict[str, int] = {}
        try:
            n_docs = int(lines[0].split("n_docs=", 1)[1].split()[0])
            for number, line in enumerate(lines[1:], start=2):
                if not line or line.startswith("#"):
                    continue
                term, tab, count = line.rpartition("\t")
                if not tab or not term:
                    raise ValueError(f"line {number} is not 'form<TAB>df'")
                df[term] = int(count)
        except (ValueError, IndexError) as exc:
            raise IndexFormatError(f"{source}: malformed IDF table ({exc})") from None
        if n_docs < 1 or any(c < 0 for c in df.values()):
            raise IndexFormatError(f"{source}: malformed IDF table (counts out of range)")
        return cls(n_docs=n_docs, df=df)


def _idf(n_docs: int, df: int) -> float:
    return math.log((1 + n_docs) / (1 + df)) + 1.0


@lru_cache(maxsize=1)
def _default_table() -> IdfTable:
    path = resources.files("spindetect") / "data" / "idf.tsv.gz"
    with resources.as_file(path) as p:
        return IdfTable.load(p)


def tfidf_matrix(documents: Sequence[Sequence[str]], *, idf: IdfTable | None = None) -> Any:
    """Return L2-normalised sublinear TF-IDF rows (a SciPy CSR matrix) for token lists.

    Term counting is scikit-learn's :class:`~sklearn.feature_extraction.text.CountVectorizer`
    on the pre-tokenised forms; IDF comes from the reference ``idf`` table.
    """
    from sklearn.feature_extraction.text import CountVectorizer  # imported on first use:
    from sklearn.preprocessing import normalize as l2_normalize  # ~0.8 s of start-up

    table = idf if idf is not None else IdfTable.default()
    if not any(len(doc) for doc in documents):
        from scipy.sparse import csr_matrix

        return csr_matrix((len(documents), 0))
    vectorizer = CountVectorizer(analyzer=_identity, lowercase=False)
    counts = vectorizer.fit_transform(documents).astype(np.float64)
    counts.data = 1.0 + np.log(counts.data)
    weights = table.idf_array(vectorizer.get_feature_names_out().tolist())
    return l2_normalize(counts.multiply(weights).tocsr())


def tfidf_cosine(a: Sequence[str], b: Sequence[str], *, idf: IdfTable | None = None) -> float:
    """Return the TF-IDF cosine similarity of two token-form sequences, in [0, 1].

    Two empty documents score 1.0; one empty document scores 0.0.
    """
    if len(a) == 0 or len(b) == 0:
        return 1.0 if len(a) == len(b) else 0.0
    # The rows of tfidf_matrix([a, b]) and their dot product, computed directly (no
    # scikit-learn import: ~1.9 s of every CLI compare) in the same order of operations,
    # so that the result is the same float: features in sorted order, squares summed
    # one by one as sklearn's row normalisation does, products summed over the shared
    # features in that order.
    table = idf if idf is not None else IdfTable.default()
    counts_a, counts_b = Counter(a), Counter(b)
    rows = []
    for counts in (counts_a, counts_b):
        forms = sorted(counts)
        tf = 1.0 + np.log(np.array([counts[f] for f in forms], dtype=np.float64))
        weights = tf * table.idf_array(forms)
        norm = 0.0
        for w in weights.tolist():
            norm += w * w
        rows.append(dict(zip(forms, (weights / math.sqrt(norm)).tolist(), strict=True)))
    shared = sorted(counts_a.keys() & counts_b.keys())
    products = np.array([rows[0][f] * rows[1][f] for f in shared], dtype=np.float64)
    return float(min(1.0, max(0.0, products.sum())))


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens
