"""The named signals of the inspection model and the compiled kernel that counts them.

For a text of :math:`n` word tokens (:func:`spindetect.tokenize` words, normalised
forms) with :math:`D` its set of distinct forms, the raw counts are

=========================  ===================================================================
name                       count
=========================  ===================================================================
``spinner_vocabulary``     :math:`\\sum_{w \\in D} v(w)`, ``v``: spinner-vocabulary log ratio
``thesaurus_choice``       :math:`\\sum_{w \\in D} g(w)`, ``g``: thesaurus log ratio
``function_word_gap``      :math:`\\sum_{w \\in D} f(w)`, ``f``: Zipf gap in a function-word group
``spinner_words``          :math:`|\\{w \\in D : v(w) \\ge 1\\}|`: words at least e times likelier
                           among spinner outputs than in natural text
``tortured_phrases``       known tortured phrases, at every position
``spinner_phrases``        the project's web-spinner phrases, at every position
``mojibake``               marks of UTF-8 read as Windows-1252 (``Â``, ``Ã``, ``â``
                           before a character such a round trip makes)
=========================  ===================================================================

(``v``, ``g`` and ``f`` are 0 for words missing from the table; see
:mod:`spindetect.inspection.tables`.) :mod:`spindetect.inspection.model` turns
them into features (per-form means shrunk toward natural text, Poisson excesses).

The kernel :func:`count_range` reads UTF-8 bytes and shares its tokenizer with
the fingerprint kernel, so both see the tokens :func:`spindetect.tokenize` sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal, get_args

import numba
import numpy as np

from ._deps import (
    GOLDEN,
    codepoint_tables,
    fmix64,
    hash_forms,
    resolve_workers,
    split_ranges,
    tokenize,
)
from ._deps import tokenize_hashes as _tokenize_hashes
from .tables import MAX_PHRASE, PHRASE_SEED, Tables, tables

__all__ = ["COUNT_COLUMNS", "SIGNALS", "SignalName", "count_texts"]

SignalName = Literal[
    "spinner_vocabulary",
    "thesaurus_choice",
    "function_word_gap",
    "spinner_words",
    "tortured_phrases",
    "spinner_phrases",
    "mojibake",
]
SIGNALS: tuple[SignalName, ...] = get_args(SignalName)
"""Signal names, in the order of the feature columns."""

SPINNER_WORD_LOG_RATIO = 1.0
"""Least spinner-vocabulary log ratio of a word counted by ``spinner_words``."""

COUNT_COLUMNS: tuple[str, ...] = ("tokens", "types", *SIGNALS)
"""Columns of :func:`count_texts`: token and distinct-form counts, then the per-signal sums."""

_NCOL = len(COUNT_COLUMNS)


@numba.njit(cache=True, inline="always")
def _lookup(slots: np.ndarray, rows: np.ndarray, h: np.uint64) -> int:  # pragma: no cover
    mask = np.uint64(slots.shape[0] - 1)
    s = h & mask
    while True:
        r = rows[s]
        if r < 0:
            return -1
        if slots[s] == h:
            return r  # type: ignore[no-any-return]
        s = (s + np.uint64(1)) & mask


@numba.njit(cache=True)
def count_hashes(
    th: np.ndarray,
    nt: int,
    values: np.ndarray,
    wslots: np.ndarray,
    wrows: np.ndarray,
    pslots: np.ndarray,
    prows: np.ndarray,
    kinds: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Add the counts of token hashes ``th[:nt]`` to ``out`` (one row of :data:`COUNT_COLUMNS`).

    Word signals are summed over distinct word forms (a technical term repeated
    through a text counts once); phrases are counted at every position.
    """
    out[0] += nt
    for i in range(nt):
        # The phrase hash of th[i:i+n] extends that of th[i:i+n-1] (tables.phrase_hash):
        # one mixing step per length instead of n.
        h = fmix64((PHRASE_SEED * GOLDEN) ^ th[i])
        for n in range(2, MAX_PHRASE + 1):
            if i + n > nt:
                break
            h = fmix64((h * GOLDEN) ^ th[i + n - 1])
            p = _lookup(pslots, prows, h)
            if p >= 0:
                out[6 + kinds[p]] += 1.0
    if nt == 0:
        return
    ordered = np.sort(th[:nt])
    for i in range(nt):
        if i > 0 and ordered[i] == ordered[i - 1]:
            continue
        out[1] += 1.0
        r = _lookup(wslots, wrows, ordered[i])
        if r >= 0:
            out[2] += values[r, 0]
            out[3] += values[r, 1]
            out[4] += values[r, 2]
            if values[r, 0] >= SPINNER_WORD_LOG_RATIO:
                out[5] += 1.0


@numba.njit(cache=True)
def count_mojibake(buf: np.ndarray, start: int, end: int) -> int:  # pragma: no cover
    """Count the marks of UTF-8 text decoded as Windows-1252 and encoded again.

    A mark is ``Â`` (C3 82), ``Ã`` (C3 83) or ``â`` (C3 A2) directly followed by
    a character that such a round trip produces from a UTF-8 continuation byte:
    U+0080-U+00BF (C2 80-BF), a Windows-1252 letter (C5 xx, CB xx) or
    punctuation (E2 80 xx, E2 82 AC, E2 84 A2). ``Â`` before a plain space counts
    too (a non-breaking space whose second byte was turned into a space).
    """
    count = 0
    for i in range(start, end - 2):
        if buf[i] != 0xC3:
            continue
        b = buf[i + 1]
        if b != 0x82 and b != 0x83 and b != 0xA2:
            continue
        c = buf[i + 2]
        if c == 0xC2 or c == 0xC5 or c == 0xCB:
            if i + 3 < end and 0x80 <= buf[i + 3] <= 0xBF:
                count += 1
        elif c == 0xE2:
            if i + 3 < end and (buf[i + 3] == 0x80 or buf[i + 3] == 0x82 or buf[i + 3] == 0x84):
                count += 1
        elif c == 0x20 and b == 0x82:
            count += 1
    return count


@numba.njit(cache=True, nogil=True)
def count_range(
    buf: np.ndarray,
    offsets: np.ndarray,
    lo: int,
    hi: int,
    ascii_tab: np.ndarray,
    cp_idx: np.ndarray,
    form_off: np.ndarray,
    form_blob: np.ndarray,
    values: np.ndarray,
    wslots: np.ndarray,
    wrows: np.ndarray,
    pslots: np.ndarray,
    prows: np.ndarray,
    kinds: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover
    """Fill ``out[d]`` for documents ``lo <= d < hi``; a row of -1 asks for the reference path."""
    longest = 0
    for d in range(lo, hi):
        longest = max(longest, offsets[d + 1] - offsets[d])
    th = np.empty(longest + 1, dtype=np.uint64)
    for d in range(lo, hi):
        nt = _tokenize_hashes(
            buf, offsets[d], offsets[d + 1], ascii_tab, cp_idx, form_off, form_blob, th
        )
        if nt < 0:
            out[d, 0] = -1.0
            continue
        count_hashes(th, nt, values, wslots, wrows, pslots, prows, kinds, out[d])
        out[d, 8] += count_mojibake(buf, offsets[d], offsets[d + 1])


def _reference_row(text: str, t: Tables) -> np.ndarray:
    """Return the counts of one text through :func:`spindetect.tokenize` (reference path)."""
    row = np.zeros(_NCOL, dtype=np.float64)
    th = hash_forms(list(tokenize(text).forms))
    count_hashes(
        th,
        th.shape[0],
        t.values,
        t.word_slots,
        t.word_rows,
        t.phrase_slots,
        t.phrase_rows,
        t.phrase_kinds,
        row,
    )
    data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    row[8] += count_mojibake(data, 0, data.shape[0])
    return row


def count_texts(texts: Sequence[str], *, threads: int | None = None) -> np.ndarray:
    """Return the per-text counts (columns :data:`COUNT_COLUMNS`), float64 of shape (n, 9).

    Column 0 is the token count, column 1 the number of distinct word forms,
    columns 2-8 the sums of the signals (word signals over distinct forms, phrase
    and mojibake counts over the whole text). Texts are encoded once into one buffer and cut
    into ``threads`` contiguous ranges of similar byte size, each counted by the
    compiled kernel without the GIL.
    """
    n = len(texts)
    out = np.zeros((n, _NCOL), dtype=np.float64)
    if n == 0:
        return out
    t = tables()
    encoded = [s.encode("utf-8", "surrogatepass") for s in texts]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    ascii_tab, cp_idx, form_off, form_blob = codepoint_tables()
    args = (
        ascii_tab,
        cp_idx,
        form_off,
        form_blob,
        t.values,
        t.word_slots,
        t.word_rows,
        t.phrase_slots,
        t.phrase_rows,
        t.phrase_kinds,
        out,
    )
    ranges = split_ranges(offsets, resolve_workers(threads))
    if len(ranges) <= 1:
        count_range(buf, offsets, 0, n, *args)
    else:
        with ThreadPoolExecutor(len(ranges)) as pool:
            list(pool.map(lambda r: count_range(buf, offsets, r[0], r[1], *args), ranges))
    for d in np.flatnonzero(out[:, 0] < 0):
        out[d] = _reference_row(texts[int(d)], t)
    return out
