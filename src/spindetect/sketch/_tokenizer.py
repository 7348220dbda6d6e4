"""Compiled tokenizers: UTF-8 bytes -> FNV-1a token hashes, as ``tokenize`` + hashing.

:func:`tokenize_doc` is the one entry point the batch kernels call per
document: :func:`tokenize_ascii` (branch-free) for pure-ASCII text, else
:func:`tokenize_hashes` (general UTF-8, -1 on a risky code point).
:func:`tokens_range` tokenizes a whole batch into one array.
"""

from __future__ import annotations

import numba
import numpy as np

from spindetect.sketch._tables import A_APOS, CP_APOS, CP_RISKY, CP_SAME
from spindetect.text._hashing import FNV_OFFSET, FNV_PRIME, fmix64

__all__ = ["tokenize_ascii", "tokenize_doc", "tokenize_hashes", "tokens_range"]

_APOS_BYTE = np.uint64(39)
_APOS_MINUS_1 = np.uint64(38)  # A_APOS (1) | 38 == 39 == ord("'")
_ONE = np.uint64(1)

# Note on structure: numba passes arrays to a non-inlined callee with reference
# count updates (atomic operations), which costs more than the work itself in a
# per-byte or per-shingle loop. The hot loops below are therefore written flat,
# calling only scalar helpers (fmix64, combine).


@numba.njit(cache=True)
def tokenize_hashes(
    buf: np.ndarray,
    start: int,
    end: int,
    ascii_tab: np.ndarray,
    cp_idx: np.ndarray,
    form_off: np.ndarray,
    form_blob: np.ndarray,
    out: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Write the token hashes of ``buf[start:end]`` to ``out``; return their count.

    One pass over the characters with a small state machine: ``in_word``, and
    ``pending`` when an apostrophe directly follows a word character (it joins
    only if a word character comes next). Returns -1 when the text holds a
    risky code point (the caller falls back to the reference path).
    """
    nt = 0
    i = start
    in_word = False
    pending = False
    h = FNV_OFFSET
    while i < end:
        c = np.int64(buf[i])
        length = 1
        if c < 128:
            t = np.int64(ascii_tab[c])
            if t >= 2:
                if not in_word:
                    h = FNV_OFFSET
                    in_word = True
                elif pending:
                    h = (h ^ _APOS_BYTE) * FNV_PRIME
                    pending = False
                h = (h ^ np.uint64(t)) * FNV_PRIME
                i += 1
                # Tight loop over the rest of an ASCII run of word bytes.
                while i < end:
                    c = np.int64(buf[i])
                    if c >= 128:
                        break
                    t = np.int64(ascii_tab[c])
                    if t < 2:
                        break
                    h = (h ^ np.uint64(t)) * FNV_PRIME
                    i += 1
                continue
            elif t == A_APOS:
                if in_word:
                    if pending:
                        out[nt] = fmix64(h)
                        nt += 1
                        in_word = False
                        pending = False
                    else:
                        pending = True
            elif in_word:
                out[nt] = fmix64(h)
                nt += 1
                in_word = False
                pending = False
            i += 1
            continue
        # Multi-byte UTF-8 (input comes from str.encode, so it is well formed).
        if c < 0xE0:
            cp = ((c & 0x1F) << 6) | (np.int64(buf[i + 1]) & 0x3F)
            length = 2
        elif c < 0xF0:
            cp = (
                ((c & 0x0F) << 12)
                | ((np.int64(buf[i + 1]) & 0x3F) << 6)
                | (np.int64(buf[i + 2]) & 0x3F)
            )
            length = 3
        else:
            cp = (
                ((c & 0x07) << 18)
                | ((np.int64(buf[i + 1]) & 0x3F) << 12)
                | ((np.int64(buf[i + 2]) & 0x3F) << 6)
                | (np.int64(buf[i + 3]) & 0x3F)
            )
            length = 4
        idx = np.int64(cp_idx[cp])
        if idx >= 0 or idx == CP_SAME:
            if not in_word:
                h = FNV_OFFSET
                in_word = True
            elif pending:
                h = (h ^ _APOS_BYTE) * FNV_PRIME
                pending = False
            if idx >= 0:
                for q in range(form_off[idx], form_off[idx + 1]):
                    h = (h ^ np.uint64(form_blob[q])) * FNV_PRIME
            else:
                for q in range(i, i + length):
                    h = (h ^ np.uint64(buf[q])) * FNV_PRIME
        elif idx == CP_APOS:
            if in_word:
                if pending:
                    out[nt] = fmix64(h)
                    nt += 1
                    in_word = False
                    pending = False
                else:
                    pending = True
        elif idx == CP_RISKY:
            return -1
        elif in_word:
            out[nt] = fmix64(h)
            nt += 1
            in_word = False
            pending = False
        i += length
    if in_word:
        out[nt] = fmix64(h)
        nt += 1
    return nt


@numba.njit(cache=True)
def tokenize_ascii(
    buf: np.ndarray, start: int, end: int, ascii_tab: np.ndarray, out: np.ndarray
) -> int:  # pragma: no cover - compiled
    """:func:`tokenize_hashes` for pure-ASCII text, without data-dependent branches.

    Word ends are unpredictable, so a branchy byte loop pays a misprediction per
    word; here every byte runs the same instructions (selects instead of
    branches), about 1.6x faster. Each byte stores the running FNV state at
    ``out[nt]`` and ``nt`` advances only where a word ends, so the stored value
    is the finished word's state; fmix64 then runs over all tokens at once. An
    apostrophe joins when it sits between two word bytes (one byte look-ahead;
    two joining apostrophes can never be adjacent, so the previous byte's raw
    class is enough). The loop runs over a slice from 0 so that LLVM can drop
    negative-index handling and keep everything in registers.
    """
    doc = buf[start:end]
    n = doc.shape[0]
    if n == 0:
        return 0
    nt = 0
    h = FNV_OFFSET
    prev_w = np.uint64(0)
    t_next = np.uint64(ascii_tab[doc[0]])
    for i in range(n - 1):
        t = t_next
        t_next = np.uint64(ascii_tab[doc[i + 1]])
        w = np.uint64(t >= 2)
        joined = np.uint64(t == A_APOS) & prev_w & np.uint64(t_next >= 2)
        inside = w | joined
        out[nt] = h
        nt += prev_w & (inside ^ _ONE)  # type: ignore[assignment]
        hn = (h ^ (t | (joined * _APOS_MINUS_1))) * FNV_PRIME  # apostrophe hashes as 39
        h = hn if inside else FNV_OFFSET
        prev_w = w
    w = np.uint64(t_next >= 2)  # the last byte cannot be a joining apostrophe
    out[nt] = h
    nt += prev_w & (w ^ _ONE)  # type: ignore[assignment]
    if w:
        out[nt] = (h ^ t_next) * FNV_PRIME
        nt += 1
    for k in range(nt):
        out[k] = fmix64(out[k])
    return nt


@numba.njit(cache=True, nogil=True)
def tokenize_doc(
    buf: np.ndarray,
    start: int,
    end: int,
    is_ascii: bool,
    ascii_tab: np.ndarray,
    cp_idx: np.ndarray,
    form_off: np.ndarray,
    form_blob: np.ndarray,
    out: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Write the token hashes of ``buf[start:end]`` to ``out``; return their count (-1: risky).

    ``is_ascii`` picks :func:`tokenize_ascii`, else :func:`tokenize_hashes`.
    """
    if is_ascii:
        return tokenize_ascii(buf, start, end, ascii_tab, out)
    return tokenize_hashes(buf, start, end, ascii_tab, cp_idx, form_off, form_blob, out)


@numba.njit(cache=True, nogil=True)
def tokens_range(
    buf: np.ndarray,
    offsets: np.ndarray,
    ascii_docs: np.ndarray,
    ascii_tab: np.ndarray,
    cp_idx: np.ndarray,
    form_off: np.ndarray,
    form_blob: np.ndarray,
    out: np.ndarray,
    counts: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Token hashes of every document of ``buf``, concatenated in ``out``.

    ``counts[d]`` receives document ``d``'s number of tokens, or -1 when it
    holds a risky code point (the caller redoes it with the reference path).
    ``out`` needs ``offsets[-1] // 2 + n_docs`` entries. Returns the total.
    """
    at = 0
    for d in range(offsets.shape[0] - 1):
        view = out[at:]
        nt = tokenize_doc(
            buf,
            offsets[d],
            offsets[d + 1],
            ascii_docs[d],
            ascii_tab,
            cp_idx,
            form_off,
            form_blob,
            view,
        )
        counts[d] = nt
        if nt > 0:
            at += nt
    return at
