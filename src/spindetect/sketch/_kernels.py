"""Compiled kernels behind :mod:`spindetect.minhash` and :mod:`spindetect.lsh`.

The fused kernel :func:`fingerprint_range` turns UTF-8 text straight into MinHash
signatures in one pass per document::

    bytes -> words (tokenize.WORD_PATTERN) -> normalised form -> fnv1a64 token hash
          -> word / skeleton / content n-gram hashes (_hashing.combine)
          -> min over k multiply-shift permutations

Word characters and token normalisation come from a code-point table built once
from Python's own ``str.isalnum`` and :func:`~spindetect.normalize.normalize_token`
(see :func:`codepoint_tables`), so the kernel hashes exactly the bytes the
reference path (``tokenize`` + ``shingle``) hashes. The few code points whose
normalisation can depend on their neighbour (NFKC composition: the Hangul
vowel and final jamo with their compatibility and halfwidth forms, 110 in all)
are marked *risky*; a document that
holds one is flagged and recomputed by the reference path.

Everything here is private; the public entry points validate their arguments.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numba
import numpy as np

from spindetect.text._hashing import FNV_OFFSET, FNV_PRIME, combine, fmix64
from spindetect.text.normalization import normalize_token
from spindetect.text.stopwords import STOPWORDS

__all__ = [
    "KIND_CODES",
    "band_keys_kernel",
    "codepoint_tables",
    "fingerprint_range",
    "hash_table",
    "minhash_sets",
    "passage_score",
    "stopword_table",
    "tokens_range",
]

# Shingle kinds the fused kernel knows.
KIND_WORD = 0
KIND_SKELETON = 1
KIND_CONTENT = 2
KIND_CODES: dict[str, int] = {"word": KIND_WORD, "skeleton": KIND_SKELETON, "content": KIND_CONTENT}

# Codes of the code-point table (values >= 0 index the mapped-form table).
CP_SEP = -1  # not a word character
CP_SAME = -2  # word character whose normal form is itself
CP_RISKY = -3  # word character whose normal form may depend on its neighbours
CP_APOS = -4  # U+2019, joins words like "'"

# ASCII table codes (values >= 2 are the normalised byte of a word character).
A_SEP = 0
A_APOS = 1

_U32 = np.uint64(32)
_MASK32 = np.uint64(0xFFFFFFFF)
_APOS_BYTE = np.uint64(39)
_APOS_MINUS_1 = np.uint64(38)  # A_APOS (1) | 38 == 39 == ord("'")
_ONE = np.uint64(1)


@lru_cache(maxsize=1)
def codepoint_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Build the word-character and normal-form tables (about 0.15 s, cached).

    Returns
    -------
    ascii_tab : numpy.ndarray of uint8, shape (128,)
        ``A_SEP``, ``A_APOS`` or the normalised (lower-case) byte.
    cp_idx : numpy.ndarray of int32, shape (0x110000,)
        One of the ``CP_*`` codes, or an index into ``form_off``.
    form_off : numpy.ndarray of int64
        Offsets of the normalised UTF-8 forms in ``form_blob``.
    form_blob : numpy.ndarray of uint8
        The concatenated normalised forms.
    """
    ascii_tab = np.zeros(128, dtype=np.uint8)
    for c in range(128):
        ch = chr(c)
        if ch.isalnum() or ch == "_":
            form = normalize_token.__wrapped__(ch).encode("utf-8")
            if len(form) != 1 or form[0] < 2:  # pragma: no cover - Unicode invariant
                raise RuntimeError(f"unexpected normal form of {ch!r}")
            ascii_tab[c] = form[0]
        elif ch == "'":
            ascii_tab[c] = A_APOS

    second = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V, T jamo
    for c in range(0x110000):
        d = unicodedata.decomposition(chr(c))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                second.add(int(parts[1], 16))

    cp_idx = np.full(0x110000, CP_SEP, dtype=np.int32)
    forms: list[bytes] = []
    for c in range(128, 0x110000):
        ch = chr(c)
        if not ch.isalnum():
            continue
        lead = unicodedata.normalize("NFKD", ch)[0]
        if unicodedata.combining(lead) or ord(lead) in second:
            cp_idx[c] = CP_RISKY
            continue
        normal: str = normalize_token.__wrapped__(ch)
        if normal == ch:
            cp_idx[c] = CP_SAME
        else:
            cp_idx[c] = len(forms)
            forms.append(normal.encode("utf-8"))
    cp_idx[0x2019] = CP_APOS
    lengths = np.array([len(f) for f in forms], dtype=np.int64)
    form_off = np.zeros(len(forms) + 1, dtype=np.int64)
    np.cumsum(lengths, out=form_off[1:])
    form_blob = np.frombuffer(b"".join(forms), dtype=np.uint8).copy()
    return ascii_tab, cp_idx, form_off, form_blob


@lru_cache(maxsize=1)
def stopword_table() -> np.ndarray:
    """Cuckoo set of the stopword token hashes: slot ``h & mask`` or ``(h >> 32) & mask``.

    Membership is then two loads and no branch: ``T[h & m] == h or T[(h >> 32) & m] == h``
    (0 marks an empty slot; no stopword hashes to 0).
    """
    size = 4096  # 32 KiB: fits L1, load factor < 10 %
    mask = size - 1
    table = np.zeros(size, dtype=np.uint64)
    for word in sorted(STOPWORDS):
        data = np.frombuffer(word.encode("utf-8"), dtype=np.uint8)
        h = _fnv_py(data)
        if h == 0:  # pragma: no cover - probability 2**-64
            raise RuntimeError("stopword hash collides with the empty marker")
        slot = h & mask
        for _ in range(64):
            if table[slot] == 0:
                table[slot] = h
                break
            h, table[slot] = int(table[slot]), np.uint64(h)  # evict, move to its other slot
            slot = (h >> 32) & mask if slot == h & mask else h & mask
        else:  # pragma: no cover - load factor 8 %
            raise RuntimeError("stopword cuckoo table is full")
    return table


def _fnv_py(data: np.ndarray) -> int:
    from spindetect.text._hashing import fnv1a64

    return int(fnv1a64(data, 0, data.shape[0]))


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


@numba.njit(cache=True)
def minhash_into(
    x: np.ndarray, m: int, sig: np.ndarray, a: np.ndarray, b: np.ndarray
) -> None:  # pragma: no cover - compiled
    """``sig[k] = min(sig[k], min_i uint32((a[k] * x[i] + b[k]) >> 32))`` for ``i < m``.

    Four shingles share each pass over the permutations, so ``sig`` is loaded
    and stored once per four shingles (about 2x the throughput of one).
    """
    k_len = sig.shape[0]
    i = 0
    while i + 4 <= m:
        x0 = x[i]
        x1 = x[i + 1]
        x2 = x[i + 2]
        x3 = x[i + 3]
        for k in range(k_len):
            ak = a[k]
            bk = b[k]
            v = min(
                min((ak * x0 + bk) >> _U32, (ak * x1 + bk) >> _U32),
                min((ak * x2 + bk) >> _U32, (ak * x3 + bk) >> _U32),
            )
            if v < sig[k]:
                sig[k] = v
        i += 4
    while i < m:
        xi = x[i]
        for k in range(k_len):
            v = (a[k] * xi + b[k]) >> _U32
            if v < sig[k]:
                sig[k] = v
        i += 1


@numba.njit(cache=True)
def ngram_hashes_into(
    t: np.ndarray, nt: int, n: int, seed: np.uint64, out: np.ndarray
) -> int:  # pragma: no cover - compiled
    """Write the ``n``-gram hashes of ``t[:nt]`` to ``out``; return their count.

    Same as :func:`spindetect._hashing.ngram_hashes`: fewer than ``n`` tokens
    give one shingle of the whole sequence, none give none.
    """
    if nt == 0:
        return 0
    if n > nt:
        n = nt
    m = nt - n + 1
    # Column-wise (all shingles advance one token per pass) so that the loop
    # over shingles vectorises; the fold itself is inherently sequential.
    for i in range(m):
        out[i] = seed
    for j in range(n):
        for i in range(m):
            out[i] = combine(out[i], t[i + j])
    return m


@numba.njit(cache=True)
def unique_into(
    values: np.ndarray,
    k: int,
    keys: np.ndarray,
    stamp: np.ndarray,
    gen: int,
    out: np.ndarray,
    at: int,
) -> int:  # pragma: no cover - compiled
    """Append the distinct ``values[:k]`` (first occurrences, in order) to ``out[at:]``.

    An open-addressing hash set of ``keys.size`` (a power of two, at least
    ``2 k``) slots, indexed by the top bits of the (mixed) value; a slot belongs
    to this call when ``stamp[slot] == gen``, so nothing is cleared between
    calls. Returns the new end of ``out``. O(k), where a sort is O(k log k).
    """
    size = keys.size
    bits = 0
    while (1 << bits) < size:
        bits += 1
    shift = np.uint64(64 - bits)
    mask = size - 1
    for i in range(k):
        v = values[i]
        slot = np.int64(v >> shift)
        while stamp[slot] == gen and keys[slot] != v:
            slot = (slot + 1) & mask
        if stamp[slot] != gen:
            stamp[slot] = gen
            keys[slot] = v
            out[at] = v
            at += 1
    return at


@numba.njit(cache=True, nogil=True)
def fingerprint_range(
    buf: np.ndarray,
    offsets: np.ndarray,
    ascii_docs: np.ndarray,
    lo: int,
    hi: int,
    ascii_tab: np.ndarray,
    cp_idx: np.ndarray,
    form_off: np.ndarray,
    form_blob: np.ndarray,
    stop_table: np.ndarray,
    spec_kind: np.ndarray,
    spec_n: np.ndarray,
    spec_seed: np.ndarray,
    spec_col: np.ndarray,
    a_all: np.ndarray,
    b_all: np.ndarray,
    out: np.ndarray,
    fallback: np.ndarray,
    sample_n: int,
    sample_seed: np.uint64,
    sample_mod: np.uint64,
    sample_counts: np.ndarray,
    sample_totals: np.ndarray,
) -> np.ndarray:  # pragma: no cover - compiled
    """Signatures of documents ``lo .. hi-1`` for every spec, in one pass per document.

    Document ``d`` is ``buf[offsets[d]:offsets[d + 1]]``; ``ascii_docs[d]`` says
    whether it is pure ASCII (Python knows: ``str.isascii`` is O(1)). Spec ``s`` writes
    columns ``spec_col[s]:spec_col[s + 1]`` of ``out`` using the permutations
    at the same positions of ``a_all``/``b_all``. ``fallback[d]`` is set to 1
    (and the row left unset) for documents the reference path must redo.

    With ``sample_n > 0`` the same token hashes also give the mod-m sampled
    word ``sample_n``-gram hashes of :mod:`spindetect.containment`: returned
    concatenated (each document's unique, in text order), with their number per
    document in ``sample_counts[d]`` and the n-grams before sampling in
    ``sample_totals[d]``.
    """
    n_specs = spec_kind.shape[0]
    stop_mask = np.uint64(stop_table.shape[0] - 1)
    need_stop = False
    for s in range(n_specs):
        if spec_kind[s] != KIND_WORD:
            need_stop = True
    longest = 0
    for d in range(lo, hi):
        longest = max(longest, offsets[d + 1] - offsets[d])
    cap = longest // 2 + 2
    toks = np.empty(cap, dtype=np.uint64)
    stops = np.empty(cap, dtype=np.uint64)
    contents = np.empty(cap, dtype=np.uint64)
    width = out.shape[1]
    sig = np.empty(width, dtype=np.uint64)
    shingles = np.empty(cap, dtype=np.uint64)
    zero = np.uint64(0)
    mod_mask = sample_mod - np.uint64(1)
    power_of_two = (sample_mod & mod_mask) == zero
    sampled = np.empty(0, dtype=np.uint64)
    n_sampled = 0
    seen_keys = np.empty(256, dtype=np.uint64)  # hash set of one document's samples
    seen_stamp = np.zeros(256, dtype=np.int64)
    if sample_n > 0:
        sampled = np.empty(max(64, (offsets[hi] - offsets[lo]) // 8), dtype=np.uint64)
    for d in range(lo, hi):
        if ascii_docs[d]:
            nt = tokenize_ascii(buf, offsets[d], offsets[d + 1], ascii_tab, toks)
        else:
            nt = tokenize_hashes(
                buf, offsets[d], offsets[d + 1], ascii_tab, cp_idx, form_off, form_blob, toks
            )
        if nt < 0:
            fallback[d] = 1
            continue
        n_stop = 0
        n_content = 0
        if need_stop:
            for i in range(nt):
                h = toks[i]
                hit1 = stop_table[np.int64(h & stop_mask)] == h
                hit2 = stop_table[np.int64((h >> _U32) & stop_mask)] == h
                found = np.int64(hit1 | hit2)
                # Branch-free split (stop words are ~40 % of tokens, unpredictable).
                stops[n_stop] = h
                contents[n_content] = h
                n_stop += found  # type: ignore[assignment]
                n_content += 1 - found  # type: ignore[assignment]
        sig[:] = _MASK32
        for s in range(n_specs):
            c0 = spec_col[s]
            c1 = spec_col[s + 1]
            sg = sig[c0:c1]
            a = a_all[c0:c1]
            b = b_all[c0:c1]
            kind = spec_kind[s]
            if kind == KIND_WORD:
                m = ngram_hashes_into(toks, nt, spec_n[s], spec_seed[s], shingles)
            elif kind == KIND_SKELETON:
                m = ngram_hashes_into(stops, n_stop, spec_n[s], spec_seed[s], shingles)
            else:
                m = ngram_hashes_into(contents, n_content, 1, spec_seed[s], shingles)
            minhash_into(shingles, m, sg, a, b)
        for k in range(width):
            out[d, k] = np.uint32(sig[k])
        if sample_n > 0:
            m = ngram_hashes_into(toks, nt, sample_n, sample_seed, shingles)
            sample_totals[d] = m
            kept = 0
            if power_of_two:  # a mask instead of a 64-bit division per n-gram
                for i in range(m):
                    x = shingles[i]
                    shingles[kept] = x
                    kept += np.int64((x & mod_mask) == zero)  # type: ignore[assignment]
            else:
                for i in range(m):
                    x = shingles[i]
                    shingles[kept] = x
                    kept += np.int64(x % sample_mod == zero)  # type: ignore[assignment]
            if n_sampled + kept > sampled.size:
                grown = np.empty(2 * (n_sampled + kept), dtype=np.uint64)
                grown[:n_sampled] = sampled[:n_sampled]
                sampled = grown
            if 2 * kept > seen_keys.size:
                size = seen_keys.size
                while size < 2 * kept:
                    size *= 2
                seen_keys = np.empty(size, dtype=np.uint64)
                seen_stamp = np.zeros(size, dtype=np.int64)
            start = n_sampled
            n_sampled = unique_into(
                shingles, kept, seen_keys, seen_stamp, d + 1, sampled, n_sampled
            )
            sample_counts[d] = n_sampled - start
    return sampled[:n_sampled]


@numba.njit(cache=True, nogil=True)
def minhash_sets(
    values: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """MinHash signatures of the sets ``values[offsets[d]:offsets[d + 1]]``."""
    sig = np.empty(a.shape[0], dtype=np.uint64)
    for d in range(offsets.shape[0] - 1):
        sig[:] = _MASK32
        lo = offsets[d]
        minhash_into(values[lo:], offsets[d + 1] - lo, sig, a, b)
        for k in range(a.shape[0]):
            out[d, k] = np.uint32(sig[k])


@numba.njit(cache=True, nogil=True)
def band_keys_kernel(sigs: np.ndarray, bands: int, rows: int, out: np.ndarray) -> None:
    """``out[d, j]`` = hash of ``sigs[d, j*rows:(j+1)*rows]`` seeded by band ``j``."""
    for d in range(sigs.shape[0]):
        for j in range(bands):
            h = fmix64(np.uint64(j + 1) * FNV_PRIME)
            for c in range(j * rows, (j + 1) * rows):
                h = combine(h, np.uint64(sigs[d, c]))
            out[d, j] = h


def hash_table(hashes: np.ndarray) -> np.ndarray:
    """Cuckoo set of token hashes, in the layout of :func:`stopword_table`.

    Slot ``h & mask`` or ``(h >> 32) & mask``; 0 marks an empty slot. The size
    is the smallest power of two (at least 4096) keeping the load under 10 %.
    """
    values = sorted({int(h) for h in np.asarray(hashes, dtype=np.uint64).tolist()})
    size = 4096
    while size < 10 * len(values):
        size *= 2
    mask = size - 1
    table = np.zeros(size, dtype=np.uint64)
    for h in values:
        if h == 0:  # pragma: no cover - probability 2**-64
            raise RuntimeError("token hash collides with the empty marker")
        slot = h & mask
        for _ in range(64):
            if table[slot] == 0:
                table[slot] = h
                break
            h, table[slot] = int(table[slot]), np.uint64(h)
            slot = (h >> 32) & mask if slot == h & mask else h & mask
        else:  # pragma: no cover - load factor < 10 %
            raise RuntimeError("cuckoo table is full")
    return table


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
        if ascii_docs[d]:
            nt = tokenize_ascii(buf, offsets[d], offsets[d + 1], ascii_tab, view)
        else:
            nt = tokenize_hashes(
                buf, offsets[d], offsets[d + 1], ascii_tab, cp_idx, form_off, form_blob, view
            )
        counts[d] = nt
        if nt > 0:
            at += nt
    return at


@numba.njit(cache=True, nogil=True)
def passage_score(
    a: np.ndarray,
    wa: np.ndarray,
    b: np.ndarray,
    wb: np.ndarray,
    order_b: np.ndarray,
    cell: int,
    span: int,
    max_repeat: int,
) -> float:  # pragma: no cover - compiled
    """Best weighted overlap of two content-token sequences inside one window pair.

    See :func:`spindetect.crawl.passages.passage_scores` for the formula. ``order_b``
    sorts ``b`` (``np.argsort(b, kind="stable")``); ``wa``/``wb`` are the
    tokens' weights.
    """
    na = a.shape[0]
    nb = b.shape[0]
    if na == 0 or nb == 0:
        return 0.0
    ca = na // cell + 1
    cb = nb // cell + 1
    grid = np.zeros((ca, cb), dtype=np.float64)
    sb = b[order_b]
    # Repeats of a token in a: counted through a sorted copy.
    order_a = np.argsort(a, kind="mergesort")
    sa = a[order_a]
    ka = 0
    while ka < na:
        t = sa[ka]
        ea = ka
        while ea < na and sa[ea] == t:
            ea += 1
        lo = np.searchsorted(sb, t)
        hi = lo
        while hi < nb and sb[hi] == t:
            hi += 1
        if hi > lo and ea - ka <= max_repeat and hi - lo <= max_repeat:
            for q in range(ka, ea):
                i = order_a[q]
                last = -1
                for r in range(lo, hi):
                    cj = order_b[r] // cell
                    if cj != last:  # one hit per (position, cell of b)
                        grid[i // cell, cj] += wa[i]
                        last = cj
        ka = ea
    rows = np.zeros(ca, dtype=np.float64)
    cols = np.zeros(cb, dtype=np.float64)
    for i in range(na):
        rows[i // cell] += wa[i]
    for j in range(nb):
        cols[j // cell] += wb[j]
    # 2-d prefix sums: each box of span x span cells in O(1).
    acc = np.zeros((ca + 1, cb + 1), dtype=np.float64)
    for i in range(ca):
        run = 0.0
        for j in range(cb):
            run += grid[i, j]
            acc[i + 1, j + 1] = acc[i, j + 1] + run
    ra = np.zeros(ca + 1, dtype=np.float64)
    rb = np.zeros(cb + 1, dtype=np.float64)
    for i in range(ca):
        ra[i + 1] = ra[i] + rows[i]
    for j in range(cb):
        rb[j + 1] = rb[j] + cols[j]
    sa_ = min(span, ca)
    sb_ = min(span, cb)
    best = 0.0
    for i0 in range(ca - sa_ + 1):
        i1 = i0 + sa_
        wrow = ra[i1] - ra[i0]
        for j0 in range(cb - sb_ + 1):
            j1 = j0 + sb_
            denom = max(wrow, rb[j1] - rb[j0])
            if denom > 0.0:
                box = acc[i1, j1] - acc[i0, j1] - acc[i1, j0] + acc[i0, j0]
                if box > best * denom:
                    best = box / denom
    return best
