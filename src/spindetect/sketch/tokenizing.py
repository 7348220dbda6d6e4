"""Token hashes of many texts at once, by the compiled tokenizer of the fingerprint kernel.

:func:`token_hashes` gives, for each text, the sequence of stable 64-bit token
hashes that :func:`spindetect.text._hashing.hash_forms` gives for
``tokenize(text).forms``, without building Python token objects: the crawl's
vocabulary statistics (:mod:`spindetect.text.function_words`) and the passage
scores of :mod:`spindetect.pairwise.passages` are computed from them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spindetect._validation import check_collection, check_items
from spindetect.sketch import _kernels
from spindetect.text._hashing import hash_forms
from spindetect.text.tokens import tokenize

__all__ = ["token_hashes"]


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the token hashes of ``texts``, concatenated, and each text's token count.

    Parameters
    ----------
    texts : sequence of str
        The documents.

    Returns
    -------
    hashes : numpy.ndarray of uint64
        Text 0's token hashes, then text 1's, ...
    counts : numpy.ndarray of int64, shape (len(texts),)
        Tokens of each text.

    Raises
    ------
    InvalidParameterError
        If ``texts`` is a single string, not iterable, or holds a non-string
        (:func:`~spindetect._validation.check_collection`).

    Examples
    --------
    >>> hashes, counts = token_hashes(["The cat sat.", "", "a b"])
    >>> counts.tolist(), hashes.size
    ([3, 0, 2], 5)
    """
    check_collection("texts", texts, of="str")
    if not isinstance(texts, Sequence):
        texts = list(texts)
    n = len(texts)
    if n == 0:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    check_items("texts", texts)
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    ascii_docs = np.fromiter(map(str.isascii, texts), dtype=np.bool_, count=n)
    out = np.empty(int(offsets[-1]) // 2 + n + 1, dtype=np.uint64)
    counts = np.zeros(n, dtype=np.int64)
    total = _kernels.tokens_range(
        buf, offsets, ascii_docs, *_kernels.codepoint_tables(), out, counts
    )
    if not np.any(counts < 0):
        return out[:total], counts
    # A text holding a code point the kernel cannot normalise alone: the reference path.
    parts, at = [], 0
    for d in range(n):
        if counts[d] < 0:
            redo = hash_forms(tokenize(texts[d]).forms)
            parts.append(redo)
            counts[d] = redo.size
        else:
            parts.append(out[at : at + counts[d]])
            at += int(counts[d])
    return np.concatenate(parts), counts
