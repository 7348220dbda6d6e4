"""Tables the compiled tokenizer and fingerprint kernels read.

:func:`codepoint_tables` maps every code point to its class and normal form;
:func:`stopword_table` and :func:`hash_table` are cuckoo sets of token hashes
(two loads and no branch per membership test).

Word characters and token normalisation come from a code-point table built once
from Python's own ``str.isalnum`` and :func:`~spindetect.normalize.normalize_token`
(see :func:`codepoint_tables`), so the kernel hashes exactly the bytes the
reference path (``tokenize`` + ``shingle``) hashes. The few code points whose
normalisation can depend on their neighbour (NFKC composition: the Hangul
vowel and final jamo with their compatibility and halfwidth forms, 110 in all)
are marked *risky*; a document that
holds one is flagged and recomputed by the reference path.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

from spindetect.text.normalization import normalize_token
from spindetect.text.stopwords import STOPWORDS

__all__ = [
    "A_APOS",
    "A_SEP",
    "CP_APOS",
    "CP_RISKY",
    "CP_SAME",
    "CP_SEP",
    "codepoint_tables",
    "hash_table",
    "stopword_table",
]

# Codes of the code-point table (values >= 0 index the mapped-form table).
CP_SEP = -1  # not a word character
CP_SAME = -2  # word character whose normal form is itself
CP_RISKY = -3  # word character whose normal form may depend on its neighbours
CP_APOS = -4  # U+2019, joins words like "'"

# ASCII table codes (values >= 2 are the normalised byte of a word character).
A_SEP = 0
A_APOS = 1


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
@lru_cache(maxsize=1)
def stopword_table() -> np.ndarray:
    """Cuckoo set of the stopword token hashes: slot ``h & mask`` or ``(h >> 32) & mask``.

    Membership is then two loads and no branch: ``T[h & m] == h or T[(h >> 32) & m] == h``
    (0 marks an empty slot; no stopword hashes to 0).
    """
    size = 4096  # 32 KiB: fits L1, load factor < 10 %
    words = sorted(STOPWORDS)
    return _cuckoo(
        [_fnv_py(np.frombuffer(w.encode("utf-8"), dtype=np.uint8)) for w in words], size, "stopword"
    )


def hash_table(hashes: np.ndarray) -> np.ndarray:
    """Cuckoo set of token hashes, in the layout of :func:`stopword_table`.

    Slot ``h & mask`` or ``(h >> 32) & mask``; 0 marks an empty slot. The size
    is the smallest power of two (at least 4096) keeping the load under 10 %.
    """
    values = sorted({int(h) for h in np.asarray(hashes, dtype=np.uint64).tolist()})
    size = 4096
    while size < 10 * len(values):
        size *= 2
    return _cuckoo(values, size, "token")


def _cuckoo(values: list[int], size: int, what: str) -> np.ndarray:
    """Insert ``values`` in order into a cuckoo set of ``size`` (a power of two) slots.

    Slot ``h & mask`` or ``(h >> 32) & mask``; 0 marks an empty slot; a value
    meeting an occupied slot evicts its holder, which moves to its other slot.
    """
    mask = size - 1
    table = np.zeros(size, dtype=np.uint64)
    for h in values:
        if h == 0:  # pragma: no cover - probability 2**-64
            raise RuntimeError(f"{what} hash collides with the empty marker")
        slot = h & mask
        for _ in range(64):
            if table[slot] == 0:
                table[slot] = h
                break
            h, table[slot] = int(table[slot]), np.uint64(h)  # evict, move to its other slot
            slot = (h >> 32) & mask if slot == h & mask else h & mask
        else:  # pragma: no cover - load factor < 10 %
            raise RuntimeError(f"{what} cuckoo table is full")
    return table


def _fnv_py(data: np.ndarray) -> int:
    from spindetect.text._hashing import fnv1a64

    return int(fnv1a64(data, 0, data.shape[0]))
