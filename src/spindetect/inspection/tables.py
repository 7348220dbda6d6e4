"""The bundled word and phrase tables of the inspection signals, and their hash tables.

The tables are built by ``tools/build_inspect_tables.py`` (sources and licences
in the header lines of each file) and read once per process, on first use.

* ``inspect_words.tsv.gz``: per word form (and its possessive), its
  spinner-vocabulary log ratio
  :math:`\\ln(1 + \\frac{\\lambda}{1-\\lambda} \\frac{p_{spin}(w)}{\\max(p(w), 10^{-7})})`
  (:math:`\\lambda = 0.05`, :math:`p_{spin}`: net share among the spinner outputs of the
  tortured-phrase table, outputs minus the times the word was the replaced input,
  :math:`p`: wordfreq frequency), its thesaurus log ratio
  :math:`\\ln((1-R) + R \\sum_u p(u) / (|S(u)|\\,p(w)))` over its WordNet synonyms ``u``
  (:math:`R = 0.3`), its function-word Zipf gap, and the word it probably replaced;
* ``inspect_phrases.tsv.gz``: tortured phrases (2-4 tokens) and the project's
  web-spinner phrases, with what each stands for, the number of papers carrying it
  and its source.
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field
from importlib import resources

import numba
import numpy as np

from ._deps import GOLDEN, IndexFormatError, fmix64, hash_forms

__all__ = ["MAX_PHRASE", "PHRASE_SOURCES", "Tables", "phrase_hash", "tables"]

PHRASE_SOURCES: tuple[str, ...] = ("tortured", "web")
"""Sources of the phrase table: the tortured-phrase table and the project's web-spinner phrases."""

PHRASE_SEED = np.uint64(0x74_6F_72_74)  # "tort"
MAX_PHRASE = 4  # longest phrase matched, in tokens

_LOCK = threading.Lock()
_TABLES: Tables | None = None


@numba.njit(cache=True, inline="always")
def phrase_hash(th: np.ndarray, start: int, n: int) -> np.uint64:  # pragma: no cover
    """Hash of the token hashes ``th[start:start + n]`` (the n-gram hash of ``_hashing``)."""
    h = PHRASE_SEED
    for j in range(start, start + n):
        h = fmix64((h * GOLDEN) ^ th[j])
    return h


@numba.njit(cache=True)
def _phrase_hashes(th: np.ndarray, offsets: np.ndarray) -> np.ndarray:  # pragma: no cover
    out = np.empty(offsets.shape[0] - 1, dtype=np.uint64)
    for i in range(out.shape[0]):
        out[i] = phrase_hash(th, offsets[i], offsets[i + 1] - offsets[i])
    return out


@numba.njit(cache=True)
def _build_table(keys: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    """Open-addressing table (linear probing) of ``keys``: slot keys and row numbers."""
    size = 1 << bits
    mask = np.uint64(size - 1)
    slots = np.zeros(size, dtype=np.uint64)
    rows = np.full(size, -1, dtype=np.int32)
    for i in range(keys.shape[0]):
        s = keys[i] & mask
        while rows[s] >= 0 and slots[s] != keys[i]:
            s = (s + np.uint64(1)) & mask
        if rows[s] < 0:
            slots[s] = keys[i]
            rows[s] = i
    return slots, rows


def _table_bits(n: int) -> int:
    return max(4, int(np.ceil(np.log2(max(n, 1) * 4))))  # load factor <= 25 %


@dataclass(frozen=True, eq=False)
class Tables:
    """The signal tables, as arrays for the compiled kernel and as dicts for evidence.

    Attributes
    ----------
    words : tuple of str
        Word forms, row order.
    values : numpy.ndarray of float32, shape (n_words, 3)
        Per word: spinner-vocabulary value, thesaurus log ratio, function-word gap.
    replaces : tuple of str
        Per word: what it most likely replaced.
    word_slots, word_rows : numpy.ndarray
        Hash table from token hash to row (``rows == -1``: empty slot).
    phrases : tuple of str
        Tortured phrases (token forms joined by spaces), row order.
    expected : tuple of str
        Per phrase: what it stands for.
    papers : numpy.ndarray of int64
        Per phrase: number of papers carrying it.
    phrase_slots, phrase_rows : numpy.ndarray
        Hash table from phrase hash to phrase row.
    phrase_kinds : numpy.ndarray of int8
        Per phrase: its source, an index into :data:`PHRASE_SOURCES`.
    """

    words: tuple[str, ...]
    values: np.ndarray
    replaces: tuple[str, ...]
    word_slots: np.ndarray
    word_rows: np.ndarray
    phrases: tuple[str, ...]
    expected: tuple[str, ...]
    papers: np.ndarray
    phrase_slots: np.ndarray
    phrase_rows: np.ndarray
    phrase_kinds: np.ndarray

    def word_row(self, form: str) -> int:
        """Return the row of word form ``form``, or -1."""
        return self._word_index.get(form, -1)

    def phrase_row(self, forms: str) -> int:
        """Return the row of a phrase (forms joined by single spaces), or -1."""
        return self._phrase_index.get(forms, -1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_word_index", {w: i for i, w in enumerate(self.words)})
        object.__setattr__(self, "_phrase_index", {p: i for i, p in enumerate(self.phrases)})

    _word_index: dict[str, int] = field(init=False, repr=False, default_factory=dict)
    _phrase_index: dict[str, int] = field(init=False, repr=False, default_factory=dict)


def _read_rows(name: str, columns: int) -> list[list[str]]:
    resource = resources.files("spindetect").joinpath("data", name)
    try:
        text = gzip.decompress(resource.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise IndexFormatError(f"{resource}: cannot read the inspection table: {exc}") from exc
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns:
            msg = f"{resource}:{number}: expected {columns} columns, got {len(fields)}"
            raise IndexFormatError(msg)
        rows.append(fields)
    return rows


def _load() -> Tables:
    word_rows = _read_rows("inspect_words.tsv.gz", 5)
    words = tuple(r[0] for r in word_rows)
    try:
        values = np.array(
            [[float(r[1]), float(r[2]), float(r[3])] for r in word_rows], dtype=np.float32
        ).reshape(-1, 3)
        phrase_rows = _read_rows("inspect_phrases.tsv.gz", 4)
        papers = np.array([int(r[2]) for r in phrase_rows], dtype=np.int64)
    except ValueError as exc:
        raise IndexFormatError(f"inspection table holds a bad number: {exc}") from exc
    sources = [r[3] for r in phrase_rows]
    if any(src not in PHRASE_SOURCES for src in sources):
        raise IndexFormatError(f"inspection phrase table: a source not in {PHRASE_SOURCES}")
    kinds = np.array([PHRASE_SOURCES.index(src) for src in sources], dtype=np.int8)
    wslots, wrows = _build_table(hash_forms(list(words)), _table_bits(len(words)))
    phrases = tuple(r[0] for r in phrase_rows)
    parts = [p.split(" ") for p in phrases]
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(p) for p in parts])
    flat = hash_forms([w for p in parts for w in p])
    pslots, prows = _build_table(_phrase_hashes(flat, offsets), _table_bits(len(phrases)))
    return Tables(
        words=words,
        values=np.ascontiguousarray(values),
        replaces=tuple(r[4] for r in word_rows),
        word_slots=wslots,
        word_rows=wrows,
        phrases=phrases,
        expected=tuple(r[1] for r in phrase_rows),
        papers=papers,
        phrase_slots=pslots,
        phrase_rows=prows,
        phrase_kinds=kinds,
    )


def tables() -> Tables:
    """Return the bundled tables, loading them on the first call only."""
    global _TABLES
    if _TABLES is None:
        with _LOCK:
            if _TABLES is None:
                _TABLES = _load()
    return _TABLES
