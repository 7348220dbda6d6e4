r"""Labelled synthetic corpora: articles, spun copies, near-duplicates and same-topic negatives.

Text comes from a redistributable source, ``corpora/source/wordnet_text.tsv.gz``
(WordNet 3.0 example sentences and definitions grouped by lexicographer file,
built by ``tools/build_textsource.py``). For each *topic* (``noun.food``,
``verb.motion``, ...) a word-level Markov chain of order 2 is trained on the
topic's sentences:

.. math:: P(w_i \mid w_{i-2}, w_{i-1}) = \frac{c(w_{i-2}, w_{i-1}, w_i)}{c(w_{i-2}, w_{i-1})},

with two sentence-start markers before every sentence and an end marker after
it, so that generated sentences start and end as real ones do. After the first
word, 15 % of the steps back off to order 1, :math:`P(w_i \mid w_{i-1})`.

Generated text must not be shared by unrelated articles, as real pages do not
share 8-word runs. A sparse order-2 chain copies long stretches of its training
text, so a sentence is kept only if it is *new*: 6 to 40 words, no training
sentence, no run of 7 training words (:data:`NOVEL_RUN`). And a generation run
never hands out the same sentence, or the same run of 8 tokens
(:data:`SEEN_RUN`, sentence start and end counting as tokens), twice: a Bloom
filter of what was handed out rejects repeats. Chains run in a compiled kernel.

An *article* is a title line, a blank line, then paragraphs of 2 to 6
sentences (some under a numbered heading) until about ``doc_words`` words.
The title names the article's subject: one or two of its top terms (ranked by
``(1 + ln tf) * idf`` as :func:`spindetect.titles.title_body_similarity` ranks
keywords, nouns first) in a template such as "Understanding X" or "X and Y:
What to Know". Articles of one topic share vocabulary but no text: they are
hard negatives, same-topic non-copies.

On top of the articles, :func:`generate_crawl` streams a crawl with ground
truth: *families* (an original and 1 to 4 spun copies made by
:func:`spindetect.spin.spin`, each under a title naming another topic's terms,
with an injected keyword phrase and a bare link for a "beneficiary" site),
groups of *near-duplicates* (a few per cent of words edited, a sentence added or
removed) and *unique* articles. :func:`write_crawl` writes it as
``docs.jsonl`` + ``pairs.jsonl`` + ``labels.jsonl`` + ``manifest.json``.

Everything is a function of ``seed``; random streams are seeded from strings
(SHA-512 in :class:`random.Random`, SHA-256 for numpy generators), never from
Python's salted ``hash()``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import itertools
import json
import math
import os
import random
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numba
import numpy as np

from spindetect._validation import check_float, check_int
from spindetect.exceptions import InputNotFoundError, InvalidParameterError
from spindetect.synth.spinner import Spinner, SpinResult
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import WORD_PATTERN

__all__ = [
    "BACKOFF",
    "GENERATOR_VERSION",
    "NOVEL_RUN",
    "SEEN_RUN",
    "CrawlDoc",
    "MarkovChain",
    "TemplateNegative",
    "TextSource",
    "generate_article",
    "generate_crawl",
    "generate_negatives",
    "generate_pairs",
    "generate_template_negatives",
    "main",
    "write_crawl",
    "write_pairs",
]

#: Bumped whenever the same seed would produce different documents.
GENERATOR_VERSION = "2.0"

SOURCE_NAME = "wordnet_text.tsv.gz"
_SOURCE_ENV = "SPINDETECT_TEXT_SOURCE"
_MIN_TOPIC_SENTENCES = 400
_MIN_WORDS, _MAX_WORDS = 6, 40
_BOS = ""
#: No run of this many words (compared as lower-case forms) is copied from the training text.
NOVEL_RUN = 7
#: No run of this many words (sentence start and end count) is handed out twice in a run.
SEEN_RUN = 8
#: Share of steps that draw the next word given the last word only (order 1).
BACKOFF = 0.15
# Title templates: one subject term ``a`` or two, ``a`` and ``b`` (title-cased body terms).
_TITLE_ONE = (
    "{a}", "Understanding {a}", "A Guide to {a}", "{a}: What to Know", "All About {a}",
    "How {a} Works", "An Introduction to {a}", "What Is {a}?",
)
_TITLE_TWO = (
    "{a} and {b}", "{a} of {b}", "{a} and {b}: What to Know", "Understanding {a} and {b}",
    "A Guide to {a} and {b}", "{a} and {b} Explained", "{a}, {b} and Beyond",
    "Why {a} and {b} Matter", "The Benefits of {a} and {b}", "Top Tips on {a} and {b}",
)
# Share of a title's IDF mass its subject terms keep against the template's own words.
_TITLE_FIT = 0.6
_HEADINGS = ("{a}", "{a} and {b}", "More on {a}", "{a} in Practice", "About {a}")
_PUNCT = ".,;:!?\"'()"
# Words of the text source's definition templates ("can be described as"): never in titles.
_TEMPLATE_WORDS = frozenset({"described", "defined", "usually", "means", "called", "simply", "put"})
# The noun headword of a definition sentence of a noun topic (see tools/build_textsource.py).
_DEFINED_AT_END = re.compile(r" is called (?:an? |the )?(?:[\w-]+ )*?([\w-]+)\.$")
_DEFINED_AT_START = re.compile(
    r"^(?:Put simply, )?(?:An? |The )?(?:[\w-]+ ){0,3}?([\w-]+) (?:can be described as|"
    r"is usually defined as|is) "
)

DocKind = Literal["original", "spun", "near-duplicate", "unique"]


# --------------------------------------------------------------------------- source
def default_source_path() -> Path | None:
    """Return the first existing text source: ``$SPINDETECT_TEXT_SOURCE``, the repo, the cwd."""
    candidates = []
    env = os.environ.get(_SOURCE_ENV)
    if env:
        candidates.append(Path(env))
    here = Path(__file__).resolve()
    candidates.append(here.parents[3] / "corpora" / "source" / SOURCE_NAME)
    candidates.append(Path.cwd() / "corpora" / "source" / SOURCE_NAME)
    for path in candidates:
        if path.is_file():
            return path
    return None


class TextSource:
    """Topic-grouped sentences read from ``wordnet_text.tsv.gz``.

    Parameters
    ----------
    path : str or Path, optional
        The TSV (gzip) file; default :func:`default_source_path`.
    min_sentences : int, default=400
        Topics with fewer sentences are left out of :attr:`topics`.

    Raises
    ------
    InputNotFoundError
        If the file does not exist (``corpora/`` is not part of the wheel:
        pass ``source_path=`` or set ``$SPINDETECT_TEXT_SOURCE``).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 min_sentences: int = _MIN_TOPIC_SENTENCES) -> None:
        check_int("min_sentences", min_sentences, low=1)
        resolved = Path(path) if path is not None else default_source_path()
        if resolved is None or not resolved.is_file():
            where = str(resolved) if resolved is not None else f"corpora/source/{SOURCE_NAME}"
            raise InputNotFoundError(
                where,
                "text source not found (it lives in the repository's corpora/source/, not in "
                f"the wheel): pass source_path= or set ${_SOURCE_ENV}; rebuild it with "
                "tools/build_textsource.py",
            )
        self.path = resolved
        data = resolved.read_bytes()
        self.sha256 = hashlib.sha256(data).hexdigest()
        sentences: dict[str, list[str]] = {}
        nouns: set[str] = set()
        with gzip.open(io.BytesIO(data), "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                sentences.setdefault(parts[0], []).append(parts[2])
                if parts[1] == "g" and parts[0].startswith("noun."):
                    found = (_DEFINED_AT_END.search(parts[2])
                             or _DEFINED_AT_START.match(parts[2]))
                    if found:
                        nouns.add(found.group(1).lower())
        self._sentences = {topic: tuple(items) for topic, items in sentences.items()}
        #: Head nouns of the source's noun definitions ("A dish is ...": ``dish``).
        self.nouns: frozenset[str] = frozenset(nouns)
        self.topics: tuple[str, ...] = tuple(
            t for t in sorted(self._sentences) if len(self._sentences[t]) >= min_sentences
        )
        if not self.topics:
            raise InvalidParameterError(
                f"no topic of {resolved} has at least min_sentences={min_sentences} sentences"
            )
        self._chains: dict[str, MarkovChain] = {}
        self._terms: dict[str, _Terms] = {}

    def sentences(self, topic: str) -> tuple[str, ...]:
        """Return the training sentences of ``topic``."""
        if topic not in self._sentences:
            raise InvalidParameterError(f"topic must be one of the source's topics, got {topic!r}")
        return self._sentences[topic]

    def chain(self, topic: str) -> MarkovChain:
        """Return the (cached) Markov chain of ``topic``."""
        chain = self._chains.get(topic)
        if chain is None:
            chain = self._chains[topic] = MarkovChain(self.sentences(topic))
        return chain


_SOURCES: dict[str, TextSource] = {}


def load_source(path: str | os.PathLike[str] | None = None) -> TextSource:
    """Return a :class:`TextSource`, cached per resolved path (loaded lazily, once)."""
    resolved = Path(path) if path is not None else default_source_path()
    key = str(resolved.resolve()) if resolved is not None and resolved.exists() else str(resolved)
    source = _SOURCES.get(key)
    if source is None:
        source = _SOURCES[key] = TextSource(resolved)
    return source


# --------------------------------------------------------------------------- Markov chain
_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)
_LOW32 = np.uint64(0xFFFFFFFF)


def _form(word: str) -> str:
    """Return the comparison form of a chain word: lower case, outer punctuation stripped."""
    return word.strip(_PUNCT).lower().replace("\u2019", "'")


def _stable_hash(text: str) -> int:
    """Return a stable, odd (so non-zero) 64-bit hash of ``text`` (BLAKE2b)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") | 1


def _run_hashes(forms: np.ndarray, n: int) -> np.ndarray:
    """Return the polynomial hash of every run of ``n`` columns of ``forms`` (uint64, rows x words).

    ``h_j = sum_k f_{j+k} M^(n-1-k) mod 2^64``; column ``j`` of the result is the run starting at
    word ``j``.
    """
    width = forms.shape[1] - n + 1
    out = forms[:, :width].copy()
    for k in range(1, n):
        out *= _HASH_MULT
        out += forms[:, k : k + width]
    return out


def _contains(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Return which ``values`` occur in the sorted array ``sorted_values``."""
    if not sorted_values.size:
        return np.zeros(values.shape, dtype=bool)
    index = np.minimum(np.searchsorted(sorted_values, values), sorted_values.size - 1)
    found: np.ndarray = sorted_values[index] == values
    return found


@numba.njit(cache=True, nogil=True)
def _seen_probe(seen: np.ndarray, h: np.uint64, add: bool) -> bool:  # pragma: no cover
    """Test (and with ``add`` set) hash ``h`` in the one-word-per-item Bloom filter ``seen``."""
    x = (h ^ (h >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
    word = np.int64(x & np.uint64(seen.size - 1))
    bits = ((np.uint64(1) << (x >> np.uint64(58)))
            | (np.uint64(1) << ((x >> np.uint64(52)) & np.uint64(63)))
            | (np.uint64(1) << ((x >> np.uint64(46)) & np.uint64(63))))
    found: bool = (seen[word] & bits) == bits
    if add:
        seen[word] |= bits
    return found


@numba.njit(cache=True, nogil=True)
def _walk(uniforms: np.ndarray, offsets: np.ndarray, counts: np.ndarray, next_word: np.ndarray,
          next_state: np.ndarray, backoff: np.ndarray, backoff_rate: float,
          form_hash: np.ndarray, word_tokens: np.ndarray, run_bits: np.ndarray,
          training_runs: np.ndarray, training_sentences: np.ndarray, run: int,
          keep_copies: bool, seen: np.ndarray, gram: int, out: np.ndarray, length: np.ndarray,
          new: np.ndarray) -> int:  # pragma: no cover
    """Run chains on ``uniforms`` until ``out`` is full or they run out; return rows filled.

    A row gets the word ids of one sentence of 6 to 40 words, its length and
    whether it is new (no training sentence, no run of ``run`` training words).
    After the first word, a share ``backoff_rate`` of the steps continue from
    the order-1 context of the last word (``backoff[state]``).
    Without ``keep_copies`` a chain stops at the first copied run and its
    sentence is dropped. ``run_bits`` marks the top 21 bits of the training
    runs' hashes, so most runs skip the binary search. With a ``seen`` filter
    (more than one word) a sentence is also dropped when it, or one of its runs
    of ``gram`` tokens (shortest runs of words holding that many tokens of
    :data:`spindetect.tokenize.WORD_PATTERN`, ``word_tokens`` per word, with a
    start and an end marker of one token each, so the 7 tokens that open or
    close a sentence make a run) was handed out before; kept ones are added to
    it. ``gram=0`` checks whole sentences only.
    """
    mult = np.uint64(0x9E3779B97F4A7C15)
    width = out.shape[1]
    forms = np.zeros(width, dtype=np.uint64)
    marked = np.zeros(width + 2, dtype=np.uint64)
    tokens = np.zeros(width + 2, dtype=np.int64)
    use_seen = seen.size > 1
    rows = 0
    used = 0
    while rows < out.shape[0] and used + width <= uniforms.size:
        state = 0
        size = 0
        copied = False
        ended = False
        while size < width:
            u = uniforms[used]
            used += 1
            if size > 0:
                if u < backoff_rate:
                    state = backoff[state]
                    u = u / backoff_rate
                else:
                    u = (u - backoff_rate) / (1.0 - backoff_rate)
            slot = np.int64(offsets[state]) + min(np.int64(u * counts[state]),
                                                  np.int64(counts[state]) - 1)
            word = next_word[slot]
            if word == 0:
                ended = True
                break
            out[rows, size] = word
            forms[size] = form_hash[word]
            size += 1
            if size >= run and not copied:
                h = np.uint64(0)
                for k in range(size - run, size):
                    h = h * mult + forms[k]
                top = h >> np.uint64(43)
                if (run_bits[top >> np.uint64(3)] >> (top & np.uint64(7))) & np.uint8(1):
                    at = np.searchsorted(training_runs, h)
                    if at < training_runs.size and training_runs[at] == h:
                        copied = True
                        if not keep_copies:
                            break
            state = next_state[slot]
        if not ended or size < 6 or (copied and not keep_copies):
            continue
        whole = np.uint64(0)
        for k in range(width):
            whole = whole * mult + (forms[k] if k < size else np.uint64(0))
        if not copied:
            at = np.searchsorted(training_sentences, whole)
            copied = bool(at < training_sentences.size and training_sentences[at] == whole)
            if copied and not keep_copies:
                continue
        if use_seen:
            # the sentence between start and end markers (forms 1 and 2, one token each)
            marked[0] = 1
            tokens[0] = 1
            for k in range(size):
                marked[k + 1] = forms[k]
                tokens[k + 1] = word_tokens[out[rows, k]]
            marked[size + 1] = 2
            tokens[size + 1] = 1
            repeated = _seen_probe(seen, whole, False)
            for add in (False, True):
                if repeated:
                    break
                if add:
                    _seen_probe(seen, whole, True)
                for start in range(size + 2 if gram > 0 else 0):
                    h = np.uint64(0)
                    count = 0
                    end = start
                    while end < size + 2 and count < gram:
                        h = h * mult + marked[end]
                        count += tokens[end]
                        end += 1
                    if count < gram:
                        break
                    if add:
                        _seen_probe(seen, h, True)
                    elif _seen_probe(seen, h, False):
                        repeated = True
                        break
            if repeated:
                continue
        for k in range(size, width):
            out[rows, k] = 0
        length[rows] = size
        new[rows] = not copied
        rows += 1
    return rows


@numba.njit(cache=True, nogil=True)
def _spell(out: np.ndarray, length: np.ndarray, blob: np.ndarray,
           offsets: np.ndarray) -> np.ndarray:  # pragma: no cover
    """Return the UTF-8 bytes of the rows' words, spaces between words, newlines between rows."""
    total = 0
    for r in range(length.size):
        for k in range(length[r]):
            w = out[r, k]
            total += offsets[w + 1] - offsets[w] + 1
    text = np.empty(total - 1, dtype=np.uint8)
    at = 0
    for r in range(length.size):
        for k in range(length[r]):
            w = out[r, k]
            for b in range(offsets[w], offsets[w + 1]):
                text[at] = blob[b]
                at += 1
            if at < text.size:
                text[at] = 32 if k + 1 < length[r] else 10
                at += 1
    return text


class MarkovChain:
    """A word-level, sentence-start-aware Markov chain of order 2 that does not quote its input.

    Each state ``(w_{i-2}, w_{i-1})`` keeps its observed successors with
    repeats, so a uniform pick samples the maximum-likelihood transition
    probability. Two start markers open every training sentence and an end
    marker closes it. Words keep their punctuation (``"lungs."``), so commas and
    full stops are generated too. The table is also stored as flat arrays
    (successor word and successor state per slot), so :meth:`generate` runs
    many chains at once with numpy.

    A generated sentence is *new* when it neither equals a training sentence
    nor contains a run of ``novel_run`` words of one, compared as lower-case
    forms without outer punctuation (runs are hashed and looked up in a sorted
    array of the training runs). With sparse training text an order-2 chain
    copies long stretches verbatim; rejecting them forces every window of
    ``novel_run`` words to span at least one splice of two training contexts,
    so two unrelated generated texts share a run of that length only by chance.

    Parameters
    ----------
    sentences : sequence of str
        Training sentences, one per item.
    novel_run : int, default=7
        Shortest copied run that makes a sentence not new (2 to 40).
    """

    def __init__(self, sentences: Sequence[str], *, novel_run: int = NOVEL_RUN,
                 backoff: float = BACKOFF) -> None:
        self.novel_run = check_int("novel_run", novel_run, low=2, high=_MAX_WORDS)
        self.backoff = check_float("backoff", backoff, low=0.0, high=1.0)
        words: dict[str, int] = {"": 0}  # id 0: start / end marker
        table: dict[tuple[int, int], list[int]] = {}
        coded: list[int] = []
        lengths: list[int] = []
        for sentence in sentences:
            a = b = 0
            size = 0
            for word in sentence.split():
                w = words.setdefault(word, len(words))
                table.setdefault((a, b), []).append(w)
                a, b = b, w
                coded.append(w)
                size += 1
            table.setdefault((a, b), []).append(0)
            lengths.append(size)
        self._words = tuple(words)
        # order-1 contexts (-1, b): every successor of b, for backing off
        for (a, b), nexts in list(table.items()):
            if (a, b) != (0, 0):
                table.setdefault((-1, b), []).extend(nexts)
        state_ids = {state: k for k, state in enumerate(table)}
        counts = np.array([len(nexts) for nexts in table.values()], dtype=np.int64)
        self._offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int32)
        self._counts = counts.astype(np.int32)
        self._next_word = np.array(
            [w for nexts in table.values() for w in nexts], dtype=np.int32)
        self._next_state = np.array(
            [state_ids[(b, w)] if w else 0 for (_, b), nexts in table.items() for w in nexts],
            dtype=np.int32,
        )
        self._backoff = np.array(
            [state_ids[(-1, b)] if (a, b) != (0, 0) else k
             for k, (a, b) in enumerate(table)], dtype=np.int32)
        self._form_hash = np.array(
            [0, *(_stable_hash(_form(w) or w.lower()) for w in self._words[1:])], dtype=np.uint64)
        self._word_tokens = np.array([len(WORD_PATTERN.findall(w)) for w in self._words],
                                     dtype=np.int64)
        self._training_runs, self._training_sentences = self._training_hashes(coded, lengths)
        self._run_bits = np.zeros(1 << 18, dtype=np.uint8)  # 2^21 bits: top bits of the runs
        top = self._training_runs >> np.uint64(43)
        np.bitwise_or.at(self._run_bits, (top >> np.uint64(3)).astype(np.intp),
                         np.left_shift(np.uint8(1), (top & np.uint64(7)).astype(np.uint8)))
        encoded = [w.encode("utf-8") for w in self._words]
        self._blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        self._blob_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=self._blob_offsets[1:])
        self.vocabulary: tuple[str, ...] = tuple(sorted({
            w.strip(_PUNCT).lower() for w in self._words
        } - {""}))

    def _training_hashes(self, coded: list[int], lengths: list[int]) -> tuple[np.ndarray,
                                                                              np.ndarray]:
        """Sorted hashes of the training text's ``novel_run``-word runs and whole sentences."""
        sizes = np.array(lengths, dtype=np.int64)
        width = max(int(sizes.max(initial=0)), _MAX_WORDS + 1)
        ids = np.zeros((sizes.size, width), dtype=np.int64)
        ids[np.arange(width) < sizes[:, None]] = coded  # row-major, sentence by sentence
        forms = self._form_hash[ids]
        n = self.novel_run
        runs = _run_hashes(forms, n)
        runs = runs[np.arange(runs.shape[1]) + n <= sizes[:, None]]
        whole = _run_hashes(forms[:, : _MAX_WORDS + 1], _MAX_WORDS + 1)[:, 0]
        return np.unique(runs), np.unique(whole[sizes <= _MAX_WORDS])

    def _draw(self, rng: np.random.Generator, batch: int, *, keep_copies: bool = False,
              seen: np.ndarray | None = None, gram: int = 8,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run chains on ``16 * batch`` uniforms; return up to ``batch`` sentences.

        Sentences (of 6 to 40 words) come as word ids, lengths and which are new.
        Copies are dropped early unless ``keep_copies``; with ``seen`` (the bits
        of a :class:`_SeenFilter`), sentences handed out before, or holding a run
        of ``gram`` words that was (``gram=0``: whole sentences only), are
        dropped and the others recorded.
        """
        uniforms = rng.random(16 * batch)
        out = np.zeros((batch, _MAX_WORDS + 1), dtype=np.int32)
        length = np.zeros(batch, dtype=np.int64)
        new = np.zeros(batch, dtype=np.bool_)
        bits = seen if seen is not None else np.zeros(1, dtype=np.uint64)
        rows = _walk(uniforms, self._offsets, self._counts, self._next_word, self._next_state,
                     self._backoff, self.backoff if self.backoff < 1.0 else 1.0 - 1e-9,
                     self._form_hash, self._word_tokens, self._run_bits, self._training_runs,
                     self._training_sentences, self.novel_run, keep_copies, bits, gram,
                     out, length, new)
        return out[:rows], length[:rows], new[:rows]

    def _strings(self, out: np.ndarray, length: np.ndarray) -> list[str]:
        """Join the word ids of each row of ``out`` up to its length into a sentence."""
        if not length.size:
            return []
        text = _spell(out, length, self._blob, self._blob_offsets)
        sentences: list[str] = text.tobytes().decode("utf-8").split("\n")
        return sentences

    def sentence(self, rng: random.Random, *, attempts: int = 8) -> str:
        """Return one generated sentence of 6 to 40 words (a new one when possible).

        ``8 * attempts`` chains are run on a numpy stream seeded from ``rng``.
        """
        check_int("attempts", attempts, low=1)
        generator = np.random.default_rng(rng.getrandbits(64))
        found = self.generate(1, rng=generator, batch=8 * attempts)
        return found[0] if found else ""

    def generate(self, n: int, *, rng: np.random.Generator, batch: int = 256) -> list[str]:
        """Return ``n`` sentences of 6 to 40 words, new ones (see the class doc) first.

        Chains run ``batch`` at a time as numpy arrays; a sentence that is not
        new is kept only if too few new ones turn up (tiny training sets).
        """
        check_int("n", n, low=0)
        check_int("batch", batch, low=1)
        fresh: list[str] = []
        repeats: list[str] = []
        for _ in range(1 + 8 * n // batch + 8):
            if len(fresh) >= n:
                break
            out, length, new = self._draw(rng, batch, keep_copies=True)
            for text, is_new in zip(self._strings(out, length), new.tolist(), strict=True):
                (fresh if is_new else repeats).append(text)
        return (fresh + repeats)[:n]


class _SeenFilter:
    """What one generation run handed out: a Bloom filter of sentences and their word runs.

    Each item (the hash of a whole sentence, or of a run of ``gram`` words)
    sets three bits of one 64-bit word, so a lookup reads one word. With ``n``
    items in ``m`` bits a new item is wrongly taken as seen with probability
    about ``(1 - exp(-3 n / m))^3``: below 0.1 % at 24 bits per expected item,
    the size (between 2^16 and 2^28 bits).
    """

    __slots__ = ("bits",)

    def __init__(self, items: int) -> None:
        log2 = min(28, max(16, math.ceil(math.log2(max(1, items) * 24))))
        self.bits = np.zeros(1 << (log2 - 6), dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class _Terms:
    """What titles are made of, per topic: content words and how much each names a subject.

    Content words are the forms that are not stop words, as
    :func:`spindetect.titles.title_body_similarity` counts them; their *ids*
    number them in alphabetical order. ``of_word`` maps each chain word id to its
    content id (-1: none); ``forms``, ``idf``
    (:meth:`spindetect.tfidf.IdfTable.default`), ``nameable`` (letters only, 3+
    characters, not a word of the source's definition templates such as
    "described") and ``preference`` (1.0 for a noun the source defines, or its
    plural; 0.7 otherwise) are indexed by content id.
    """

    of_word: np.ndarray
    forms: tuple[str, ...]
    idf: np.ndarray
    nameable: np.ndarray
    preference: np.ndarray


def _topic_terms(src: TextSource, topic: str) -> _Terms:
    terms = src._terms.get(topic)
    if terms is None:
        from spindetect.pairwise.tfidf import IdfTable

        words = src.chain(topic)._words
        forms = [_form(w) for w in words]
        content = sorted({f for f in forms[1:] if f and f not in STOPWORDS})
        ids = {f: k for k, f in enumerate(content)}
        idf = IdfTable.default().idf
        terms = src._terms[topic] = _Terms(
            np.array([-1, *(ids.get(f, -1) for f in forms[1:])], dtype=np.int32),
            tuple(content),
            np.array([idf(f) for f in content], dtype=np.float64),
            np.array([len(f) >= 3 and f.isalpha() and f not in _TEMPLATE_WORDS
                      for f in content], dtype=np.bool_),
            np.array([1.0 if _is_noun(f, src.nouns) else 0.7 for f in content]),
        )
    return terms


def _is_noun(form: str, nouns: frozenset[str]) -> bool:
    """Whether ``form`` is a defined noun or a regular plural of one."""
    if form in nouns:
        return True
    if form.endswith("ies") and form[:-3] + "y" in nouns:
        return True
    return form.endswith("s") and (form[:-1] in nouns or (form.endswith("es")
                                                          and form[:-2] in nouns))


class _TopicStream:
    """New sentences of one topic on demand, in batches from a seeded numpy stream.

    Sentences are new with respect to the training text (:class:`MarkovChain`)
    and to what the run handed out (``seen``): no sentence and no run of
    :data:`SEEN_RUN` tokens (sentence start and end count as tokens) twice. A
    topic whose chain runs out of such sentences (a batch of 2,048 chains
    yields fewer than 64) falls back to unseen whole sentences for the rest of
    the run; a few small topics do so in crawls of some 30,000 documents and more.
    The content words of the sentences handed out are kept as ids
    (:class:`_Terms`) until :meth:`terms_taken` collects them.
    """

    __slots__ = ("_chain", "_cids", "_coff", "_gram", "_mark", "_next", "_rng", "_seen",
                 "_taken", "_texts", "terms", "vocabulary")

    def __init__(self, chain: MarkovChain, seed_text: str, seen: _SeenFilter,
                 terms: _Terms) -> None:
        digest = hashlib.sha256(seed_text.encode()).digest()
        self._rng = np.random.default_rng(int.from_bytes(digest[:16], "big"))
        self._chain = chain
        self._seen = seen
        self._gram = SEEN_RUN
        self._texts: list[str] = []
        self._next = self._mark = 0
        self._cids = np.empty(0, dtype=np.int32)  # content ids of the batch, sentence by sentence
        self._coff = np.zeros(1, dtype=np.int64)
        self._taken: list[np.ndarray] = []
        self.terms = terms
        self.vocabulary = chain.vocabulary

    def sentence(self) -> str:
        if self._next == len(self._texts):
            self._taken.append(self._cids[self._coff[self._mark] : self._coff[self._next]])
            self._refill()
        text = self._texts[self._next]
        self._next += 1
        return text

    def terms_taken(self) -> np.ndarray:
        """Return the content ids of the sentences handed out since the last call."""
        part = self._cids[self._coff[self._mark] : self._coff[self._next]]
        if self._taken:
            part = np.concatenate([*self._taken, part])
            self._taken = []
        self._mark = self._next
        return part

    def _refill(self) -> None:
        chain = self._chain
        for _ in range(64):
            out, length, _ = chain._draw(self._rng, 2048, seen=self._seen.bits, gram=self._gram)
            if length.size < 64:
                self._gram = 0  # the topic is used up: whole sentences only from now on
            if length.size:
                break
        else:  # a training set too small for new sentences: accept what it makes
            out, length, _ = chain._draw(self._rng, 2048, keep_copies=True)
            if not length.size:
                raise InvalidParameterError(
                    "the topic's chain makes no sentence of 6 to 40 words")
        self._texts = chain._strings(out, length)
        cids = self.terms.of_word[out]  # word id 0 (after the end) is no content word
        mask = cids >= 0
        self._cids = cids[mask]
        self._coff = np.zeros(length.size + 1, dtype=np.int64)
        np.cumsum(mask.sum(axis=1), out=self._coff[1:])
        self._next = self._mark = 0


class _Streams:
    """Per-topic sentence streams of one generation run (deterministic from ``seed_text``).

    All streams of a run share one :class:`_SeenFilter` sized for about
    ``items`` sentences and word runs, so no sentence and no run of 8 words is
    handed out twice in the run.
    """

    def __init__(self, src: TextSource, seed_text: str, *, items: int = 1 << 16,
                 seen: _SeenFilter | None = None) -> None:
        self._src = src
        self._seed_text = seed_text
        self.seen = seen if seen is not None else _SeenFilter(items)
        self._streams: dict[str, _TopicStream] = {}

    def __call__(self, topic: str) -> _TopicStream:
        stream = self._streams.get(topic)
        if stream is None:
            stream = self._streams[topic] = _TopicStream(
                self._src.chain(topic), f"{self._seed_text}:{topic}", self.seen,
                _topic_terms(self._src, topic))
        return stream


def _expected_items(n_docs: int, doc_words: int) -> int:
    """About how many sentences and 8-word runs ``n_docs`` articles of ``doc_words`` words hold."""
    return min(n_docs, 1 << 24) * (doc_words // 2 + 16)


# --------------------------------------------------------------------------- articles
def generate_article(
    topic: str | None = None,
    *,
    seed: int = 0,
    doc_words: int = 500,
    source: TextSource | None = None,
    source_path: str | os.PathLike[str] | None = None,
) -> str:
    """Generate one article: a title line, a blank line, then paragraphs.

    The title names the article's subject: one or two of its top terms
    (content words ranked by ``(1 + ln tf) * idf``, nouns first) in a title
    template such as ``"Understanding X"`` or ``"X and Y: What to Know"``.

    Parameters
    ----------
    topic : str, optional
        One of ``source.topics``; default drawn from ``seed``.
    seed : int, default=0
        Seed of every random choice.
    doc_words : int, default=500
        Approximate length in words (drawn within +-20 %).
    source, source_path : optional
        The text source, or the path to load it from (default: the repository's).

    Returns
    -------
    str
    """
    check_int("seed", seed)
    check_int("doc_words", doc_words, low=1)
    src = source if source is not None else load_source(source_path)
    rng = random.Random(f"spindetect.corpus:{seed}:article")
    if topic is None:
        topic = src.topics[int(rng.random() * len(src.topics))]
    elif topic not in src.topics:
        raise InvalidParameterError(f"topic must be one of the source's topics, got {topic!r}")
    streams = _Streams(src, f"spindetect.corpus:{seed}:article",
                       items=_expected_items(1, doc_words))
    return _article(streams(topic), rng, doc_words)[0]


def _article(chain: _TopicStream, rng: random.Random, doc_words: int) -> tuple[str, str]:
    """Return ``(text, title)`` of a generated article; the title is made from its body."""
    target = max(1, round(doc_words * (0.8 + 0.4 * rng.random())))
    chain.terms_taken()  # forget sentences taken before
    terms: list[np.ndarray] = []
    lines: list[str] = []
    words = 0
    heading = 1
    numbered = rng.random() < 0.4
    while words < target:
        headed = numbered and rng.random() < 0.5
        paragraph = []
        for _ in range(2 + int(rng.random() * 5)):
            sentence = chain.sentence()
            paragraph.append(sentence)
            words += sentence.count(" ") + 1
            if words >= target:
                break
        local = chain.terms_taken()
        terms.append(local)
        if headed:
            lines.append(f"{heading}. {_named(local, chain.terms, rng, _HEADINGS, _HEADINGS[:1])}")
            heading += 1
        lines.append(" ".join(paragraph))
        lines.append("")
    title = _named(np.concatenate(terms), chain.terms, rng, _TITLE_TWO, _TITLE_ONE,
                   fit=_TITLE_FIT)
    text = title + "\n\n" + "\n".join(lines).rstrip("\n") + "\n"
    if rng.random() < 0.25:  # typographic apostrophes, as many CMSs write them
        text = text.replace("'", "\u2019")
    return text, title


def _top_terms(ids: np.ndarray, terms: _Terms, k: int) -> list[int]:
    """Return up to ``k`` subject terms (content ids) of a text holding content words ``ids``.

    The text's keywords are its terms ranked by ``w = (1 + ln tf) * idf``, as in
    :func:`spindetect.titles.title_body_similarity` (ties in alphabetical
    order). Candidates are the nameable terms among the top ``4k`` whose weight
    beats the 16th keyword's (so they stay among its top 15); nouns and repeated
    terms go first (``w`` times 0.7 for a non-noun, times 0.7 for a term seen
    once), one word per family (not "dog" and "dogs").
    """
    if not ids.size:
        return []
    unique, counts = np.unique(ids, return_counts=True)
    weight = (1.0 + np.log(counts)) * terms.idf[unique]
    order = np.lexsort((unique, -weight))
    floor = weight[order[15]] if order.size > 15 else -1.0
    order = order[terms.nameable[unique[order]]]
    if not order.size:
        return []
    top = order[: 4 * k]
    candidates = top[weight[top] > floor] if weight[top[0]] > floor else top[:1]
    preference = (weight[candidates] * terms.preference[unique[candidates]]
                  * np.where(counts[candidates] > 1, 1.0, 0.7))
    forms = terms.forms
    picked: list[int] = []
    for index in candidates[np.lexsort((unique[candidates], -preference))].tolist():
        form = forms[unique[index]]
        if all(form[: min(len(form), len(forms[o]), 5)] != forms[o][: min(len(form),
                                                                          len(forms[o]), 5)]
               for o in picked):
            picked.append(int(unique[index]))
            if len(picked) == k:
                break
    return picked


def _template_idf(template: str) -> float:
    """Sum of the reference IDF of a template's own content words ("Guide", "Know")."""
    cost = _TEMPLATE_IDF.get(template)
    if cost is None:
        from spindetect.pairwise.tfidf import IdfTable
        from spindetect.text.tokens import tokenize

        words = tokenize(template.replace("{a}", "").replace("{b}", "")).forms
        cost = _TEMPLATE_IDF[template] = sum(
            IdfTable.default().idf(f) for f in set(words) if f not in STOPWORDS)
    return cost


_TEMPLATE_IDF: dict[str, float] = {}


def _named(ids: np.ndarray, terms: _Terms, rng: random.Random,
           two: Sequence[str], one: Sequence[str], *, fit: float = 0.0) -> str:
    """Return a title-like line naming the top terms of a text with content words ``ids``.

    Only templates whose own words leave the named terms at least ``fit`` of
    the title's IDF mass are used (``idf(terms) / (idf(terms) + idf(template))``),
    so a title still names its text when the template words are not in it.
    """
    top = _top_terms(ids, terms, 2)
    if not top:
        return "Notes"
    names = [terms.forms[t][:1].upper() + terms.forms[t][1:] for t in top]
    if len(top) == 2 and rng.random() < 0.6:
        mass = float(terms.idf[top[0]] + terms.idf[top[1]])
        templates = [t for t in two if mass >= fit * (mass + _template_idf(t))] or two[:1]
    else:
        mass = float(terms.idf[top[0]])
        templates = [t for t in one if mass >= fit * (mass + _template_idf(t))] or one[:1]
    return templates[int(rng.random() * len(templates))].format(a=names[0], b=names[-1])


def _foreign_title(chain: _TopicStream, rng: random.Random) -> str:
    """Return a title naming what a few sentences of ``chain``'s topic are about."""
    chain.terms_taken()
    for _ in range(8):
        chain.sentence()
    return _named(chain.terms_taken(), chain.terms, rng, _TITLE_TWO, _TITLE_ONE)


def _keyword(chain: _TopicStream, rng: random.Random) -> str:
    """Return a 2-3 word lower-case content phrase (an SEO keyword)."""
    for _ in range(20):
        words = [w.strip(".,;:!?\"'()").lower() for w in chain.sentence().split()]
        size = 2 + int(rng.random() * 2)
        runs = [
            words[i : i + size] for i in range(len(words) - size + 1)
            if all(w.isalpha() and w not in STOPWORDS and w not in _TEMPLATE_WORDS
                   for w in words[i : i + size])
        ]
        if runs:
            return " ".join(runs[int(rng.random() * len(runs))])
    return " ".join(words[:2])


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)[:60] or "page"


# --------------------------------------------------------------------------- pairs
def generate_pairs(
    n: int,
    *,
    rate: float,
    seed: int = 0,
    doc_words: int = 500,
    spin_options: Mapping[str, Any] | None = None,
    source_path: str | os.PathLike[str] | None = None,
    spinner: Spinner | None = None,
) -> list[tuple[str, str, SpinResult]]:
    """Generate ``n`` (original, spun, SpinResult) pairs at one spin ``rate``.

    Each original is a fresh article of a topic drawn from ``seed``; it is spun
    with ``spin(original, rate=rate, seed=..., **spin_options)``.
    """
    check_int("n", n, low=0)
    check_float("rate", rate, low=0.0, high=1.0)
    check_int("seed", seed)
    src = load_source(source_path)
    spinner = spinner if spinner is not None else _default_spinner()
    options = dict(spin_options or {})
    streams = _Streams(src, f"spindetect.corpus:{seed}:pairs",
                       items=_expected_items(n, doc_words))
    out = []
    for k in range(n):
        rng = random.Random(f"spindetect.corpus:{seed}:pair:{k}")
        topic = src.topics[int(rng.random() * len(src.topics))]
        original, _ = _article(streams(topic), rng, doc_words)
        result = spinner.spin(original, rate=rate, seed=_derive(seed, "pair-spin", k), **options)
        out.append((original, result.text, result))
    return out


def generate_negatives(
    n: int,
    *,
    seed: int = 0,
    doc_words: int = 500,
    source_path: str | os.PathLike[str] | None = None,
) -> list[tuple[str, str]]:
    """Generate ``n`` same-topic non-copy pairs: two independent articles of one topic."""
    check_int("n", n, low=0)
    check_int("seed", seed)
    src = load_source(source_path)
    streams = _Streams(src, f"spindetect.corpus:{seed}:negatives",
                       items=_expected_items(2 * n, doc_words))
    out = []
    for k in range(n):
        rng = random.Random(f"spindetect.corpus:{seed}:negative:{k}")
        chain = streams(src.topics[int(rng.random() * len(src.topics))])
        out.append((_article(chain, rng, doc_words)[0], _article(chain, rng, doc_words)[0]))
    return out


# --------------------------------------------------------------------------- template negatives
#: Navigation labels of a site header (a few are drawn per site).
_NAV_LABELS = (
    "Home", "About", "About Us", "Contact", "Blog", "Articles", "News", "Guides", "Resources",
    "Categories", "Topics", "Newsletter", "Subscribe", "Search", "Log in", "Sign up", "Shop",
    "Archive", "Tips", "FAQ", "Privacy Policy", "Terms of Use", "Advertise", "Write for Us",
)
_COOKIE_NOTICES = (
    "We use cookies to improve your experience on {site}. By continuing to browse this site "
    "you agree to our use of cookies. Accept | Settings",
    "This website uses cookies to personalise content and ads and to analyse our traffic. "
    "Read our cookie policy to learn more. Accept all | Reject",
    "{site} uses cookies and similar technologies. Some are essential, others help us "
    "understand how you use the site. Manage preferences | OK",
)
_DISCLAIMERS = (
    "Disclaimer: the information on {site} is for general information purposes only. While "
    "we keep it up to date and correct, we make no representations or warranties of any kind "
    "about its completeness, accuracy or reliability.",
    "The content of this website is provided as is, without warranty of any kind. Any "
    "reliance you place on such information is strictly at your own risk. {site} may earn a "
    "commission on purchases made through links on this page.",
    "All articles on {site} are written for educational purposes and do not constitute "
    "professional advice. Always seek the advice of a qualified expert with any questions "
    "you may have.",
)
_SHARE_LINES = (
    "Share this article: Facebook | Twitter | LinkedIn | Pinterest | Email",
    "Share: Facebook Twitter WhatsApp Email Print",
    "Did you find this useful? Share it with your friends: Facebook | X | Reddit",
)
_NEWSLETTER_LINES = (
    "Subscribe to our newsletter and get the latest articles on {a} delivered to your inbox "
    "every week. No spam, unsubscribe at any time.",
    "Join thousands of readers: sign up for the {site} newsletter for weekly tips on {a} "
    "and {b}.",
)
_RELATED_HEADINGS = ("Related posts", "You may also like", "Read next", "More from {site}")
_FIRST_NAMES = (
    "Anna", "James", "Maria", "David", "Sarah", "Michael", "Laura", "Daniel", "Emma", "Thomas",
    "Julia", "Peter", "Sofia", "Robert", "Claire", "Mark", "Helen", "Paul", "Nina", "Lucas",
)
_LAST_NAMES = (
    "Miller", "Novak", "Garcia", "Schmidt", "Brown", "Rossi", "Dubois", "Kowalski", "Jensen",
    "Walsh", "Moreau", "Fischer", "Silva", "Taylor", "Berg", "Costa", "Lindqvist", "Reyes",
)
_ROLES = ("editor", "staff writer", "contributor", "senior writer", "founder", "researcher")


@dataclass(frozen=True, slots=True)
class TemplateNegative:
    """Two pages of one site: independent articles under the same boilerplate.

    Attributes
    ----------
    a, b : str
        The two pages (header block, article with its title, footer block).
    topic : str
        Topic of both articles and of the site's generated boilerplate.
    site : str
        Host name of the site.
    template : tuple of str
        The shared lines, in page order (header, quotation, footer): each is a
        whole line of both ``a`` and ``b``. Every other line belongs to one
        article only.
    quote : str or None
        The quotation line both articles carry, if any (also in ``template``).
    """

    a: str
    b: str
    topic: str
    site: str
    template: tuple[str, ...]
    quote: str | None = None


def generate_template_negatives(
    n: int,
    *,
    seed: int = 0,
    doc_words: int = 500,
    template_share: tuple[float, float] = (0.1, 0.4),
    quote_rate: float = 0.5,
    source_path: str | os.PathLike[str] | None = None,
) -> list[TemplateNegative]:
    r"""Generate ``n`` same-site non-copy pairs: two independent articles under one template.

    What it models: in a real crawl the hardest non-copies are pages of one
    site, whose extracted text carries the same boilerplate (site name and
    navigation, cookie notice, "related posts", author bio, share and
    newsletter lines, disclaimer, copyright) around unrelated articles, and
    pages quoting the same short passage. They share long verbatim runs, so
    measures of the whole text (shingle Jaccard, TF-IDF cosine) rise with the
    boilerplate's share although no article is copied; :func:`generate_negatives`
    (two articles sharing no text) cannot show that.

    Each pair draws a topic, a site and a boilerplate share
    ``s ~ U(template_share)``. The two articles are generated as by
    :func:`generate_negatives`, about ``(1 - s) * doc_words`` words each. The
    template has ``T`` words (:data:`spindetect.tokenize.WORD_PATTERN` words),

    .. math:: T = \operatorname{round}\left(\frac{s}{1 - s} \bar b\right),

    with :math:`\bar b` the mean word count of the two articles, clamped to
    ``[lo / (1 - lo) * max(b), hi / (1 - hi) * min(b)]`` when that interval is
    not empty, so that each page's share ``T / (T + b_i)`` lies in
    ``template_share`` (it can miss a very narrow range when the two
    articles' lengths differ). It is filled in a fixed priority -- site name,
    navigation, copyright line, with probability ``quote_rate`` a quotation (a
    generated sentence of the topic with an author, as its own paragraph at
    independent positions of both articles), then, in a per-site order, cookie
    notice, share line, related-post titles, author bio, newsletter line,
    disclaimer, and finally generated "about the site" sentences -- and the
    last piece is cut to the exact word count. Fixed phrases (navigation
    labels, notices) come from small built-in lists; every other word is
    generated from the topic's Markov chain, in the same run as the articles,
    so no sentence or 8-token run of the template occurs in an article.

    Parameters
    ----------
    n : int
        Number of pairs.
    seed : int, default=0
        Seed of every random choice (own random streams: no other generator's
        output depends on this function).
    doc_words : int, default=500
        Approximate words of each page, boilerplate included.
    template_share : (float, float), default=(0.1, 0.4)
        Range of the share of each page's words that is shared boilerplate;
        ``0 <= lo <= hi <= 0.9``.
    quote_rate : float, default=0.5
        Probability that the two articles also quote the same passage.
    source_path : path, optional
        The text source (default: the repository's).

    Returns
    -------
    list of TemplateNegative
    """
    check_int("n", n, low=0)
    check_int("seed", seed)
    check_int("doc_words", doc_words, low=1)
    lo, hi = _check_share(template_share)
    quote_rate = check_float("quote_rate", quote_rate, low=0.0, high=1.0)
    src = load_source(source_path)
    streams = _Streams(src, f"spindetect.corpus:{seed}:template-negatives",
                       items=_expected_items(3 * n, doc_words))
    out = []
    for k in range(n):
        rng = random.Random(f"spindetect.corpus:{seed}:template-negative:{k}")
        topic = src.topics[int(rng.random() * len(src.topics))]
        out.append(_template_pair(streams(topic), rng, topic, doc_words, lo, hi, quote_rate))
    return out


def _check_share(share: Sequence[float]) -> tuple[float, float]:
    """Validate a ``(low, high)`` share range within [0, 0.9]."""
    if isinstance(share, (str, bytes)) or not isinstance(share, Sequence) or len(share) != 2:
        raise InvalidParameterError(
            f"template_share must be a pair (low, high) of numbers, got {share!r}")
    lo = check_float("template_share", share[0], low=0.0, high=0.9)
    hi = check_float("template_share", share[1], low=0.0, high=0.9)
    if lo > hi:
        raise InvalidParameterError(
            f"template_share must be a range (low, high) with low <= high, got {share!r}")
    return lo, hi


def _word_count(text: str) -> int:
    return len(WORD_PATTERN.findall(text))


def _cut_words(text: str, words: int) -> str:
    """Return ``text`` up to the end of its ``words``-th word (``""`` for 0)."""
    if words <= 0:
        return ""
    end = 0
    for count, match in enumerate(WORD_PATTERN.finditer(text), 1):
        end = match.end()
        if count == words:
            break
    return text[:end]


def _template_pair(chain: _TopicStream, rng: random.Random, topic: str, doc_words: int,
                   lo: float, hi: float, quote_rate: float) -> TemplateNegative:
    """Make one :class:`TemplateNegative` (see :func:`generate_template_negatives`)."""
    share = lo + (hi - lo) * rng.random()
    body_words = max(1, round(doc_words * (1.0 - share)))
    article_a, _ = _article(chain, rng, body_words)
    article_b, _ = _article(chain, rng, body_words)
    b_a, b_b = _word_count(article_a), _word_count(article_b)
    target = round(share / (1.0 - share) * (b_a + b_b) / 2)
    low = math.ceil(lo / (1.0 - lo) * max(b_a, b_b) - 1e-9)
    high = math.floor(hi / (1.0 - hi) * min(b_a, b_b) + 1e-9)
    if low <= high:
        target = min(max(target, low), high)

    site = _site(chain, rng)
    name = " ".join(w.capitalize() for w in site.removesuffix(".example").split("-"))
    vocabulary = [w for w in chain.vocabulary if w.isalpha() and 4 <= len(w) <= 12]
    cats = [vocabulary[int(rng.random() * len(vocabulary))].capitalize()
            for _ in range(2)] if vocabulary else ["Topics", "More"]
    person = (f"{_FIRST_NAMES[int(rng.random() * len(_FIRST_NAMES))]} "
              f"{_LAST_NAMES[int(rng.random() * len(_LAST_NAMES))]}")
    labels = list(_NAV_LABELS)
    rng.shuffle(labels)
    nav = " | ".join(["Home", *cats[: 1 + int(rng.random() * 2)],
                      *[w for w in labels[: 3 + int(rng.random() * 4)] if w != "Home"]])
    year = 2015 + int(rng.random() * 10)
    fill = {"site": name, "a": cats[0].lower(), "b": cats[-1].lower()}

    def related() -> list[str]:
        heading = _RELATED_HEADINGS[int(rng.random() * len(_RELATED_HEADINGS))]
        return [heading.format(**fill),
                *(_foreign_title(chain, rng) for _ in range(3 + int(rng.random() * 4)))]

    def bio() -> list[str]:
        role = _ROLES[int(rng.random() * len(_ROLES))]
        return [f"About the author: {person} is {'an' if role[0] in 'aeiou' else 'a'} {role} "
                f"at {name}. " + chain.sentence()]

    def pick(options: Sequence[str]) -> Callable[[], list[str]]:
        return lambda: [options[int(rng.random() * len(options))].format(**fill)]

    # (slot, make lines): "top" lines open the page, "quote" goes into both articles,
    # "bottom" lines close it; filled in this priority until the word budget is spent.
    pieces: list[tuple[str, Callable[[], list[str]]]] = [
        ("top", lambda: [f"{name} | " + _keyword(chain, rng).title()]),
        ("top", lambda: [nav]),
        ("copyright", lambda: [f"\u00a9 {year} {name}. All rights reserved. "
                               "Privacy Policy | Terms of Use | Contact"]),
    ]
    if rng.random() < quote_rate:
        pieces.append(("quote", lambda: [f"\u201c{chain.sentence()}\u201d \u2014 {person}"]))
    optional: list[tuple[str, Callable[[], list[str]]]] = [
        ("top" if rng.random() < 0.5 else "bottom", pick(_COOKIE_NOTICES)),
        ("bottom", pick(_SHARE_LINES)),
        ("bottom", related),
        ("bottom", bio),
        ("bottom", pick(_NEWSLETTER_LINES)),
        ("bottom", pick(_DISCLAIMERS)),
    ]
    rng.shuffle(optional)
    pieces += optional

    placed: dict[str, list[str]] = {"top": [], "quote": [], "bottom": [], "copyright": []}
    left = target
    about: list[str] = []
    for slot, make in itertools.chain(pieces, itertools.repeat(("about", lambda: []))):
        if left <= 0:
            break
        if slot == "about":  # generated sentences about the site, as much as needed
            line = _cut_words(chain.sentence(), left)
            if not line:
                break
            about.append(line)
            left -= _word_count(line)
            continue
        for line in make():
            line = _cut_words(line, left)
            if line:
                placed[slot].append(line)
                left -= _word_count(line)
    bottom = placed["bottom"] + ([" ".join(about)] if about else []) + placed["copyright"]
    quote = placed["quote"][0] if placed["quote"] else None

    def page(article: str) -> str:
        if quote is not None:
            head, _, body = article.partition("\n\n")
            paragraphs = body.rstrip("\n").split("\n\n")
            at = 1 + int(rng.random() * len(paragraphs))
            paragraphs.insert(min(at, len(paragraphs)), quote)
            article = head + "\n\n" + "\n\n".join(paragraphs)
        parts = ["\n".join(placed["top"]), article.rstrip("\n"), "\n".join(bottom)]
        return "\n\n".join(p for p in parts if p) + "\n"

    template = tuple(placed["top"] + ([quote] if quote is not None else []) + bottom)
    return TemplateNegative(page(article_a), page(article_b), topic, site, template, quote)


def write_pairs(
    out_dir: str | os.PathLike[str],
    n: int,
    *,
    seed: int = 0,
    rates: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5),
    negatives: int | None = None,
    doc_words: int = 150,
    compress: bool = False,
    source_path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Write ``pairs.jsonl`` (``n`` spun pairs spread over ``rates`` + negatives) and a manifest.

    Each line: ``{"id", "label": "spun"|"negative", "topic", "rate", "a", "b",
    "substitutions": [[start, end, spun_start, spun_end], ...]}`` where ``a``
    is the original and ``b`` the spun copy (``rate`` and ``substitutions``
    are null/empty for negatives). Spun pair ``k`` has rate
    ``rates[k % len(rates)]``. With ``compress=True`` the file is written as
    deterministic gzip, ``pairs.jsonl.gz``. Returns the manifest.
    """
    check_int("n", n, low=0)
    rates = _check_rates(rates)
    n_negatives = n // 2 if negatives is None else check_int("negatives", negatives, low=0)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    src = load_source(source_path)
    spinner = _default_spinner()
    counts = {"spun": 0, "negative": 0}
    pair_streams = _Streams(src, f"spindetect.corpus:{seed}:pairs",
                            items=_expected_items(n + 2 * n_negatives, doc_words))
    negative_streams = _Streams(src, f"spindetect.corpus:{seed}:negatives",
                                seen=pair_streams.seen)
    path = out / ("pairs.jsonl.gz" if compress else "pairs.jsonl")
    with _open_out(path, compress) as handle:
        for k in range(n):
            rate = rates[k % len(rates)]
            rng = random.Random(f"spindetect.corpus:{seed}:pair:{k}")
            topic = src.topics[int(rng.random() * len(src.topics))]
            original, _ = _article(pair_streams(topic), rng, doc_words)
            result = spinner.spin(original, rate=rate, seed=_derive(seed, "pair-spin", k))
            record = {
                "id": f"p{k:05d}", "label": "spun", "topic": topic, "rate": rate,
                "rate_achieved": round(result.rate_achieved, 4), "a": original, "b": result.text,
                "substitutions": [
                    [s.start, s.end, s.spun_start, s.spun_end] for s in result.substitutions
                ],
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["spun"] += 1
        for k in range(n_negatives):
            rng = random.Random(f"spindetect.corpus:{seed}:negative:{k}")
            topic = src.topics[int(rng.random() * len(src.topics))]
            chain = negative_streams(topic)
            a, _ = _article(chain, rng, doc_words)
            b, _ = _article(chain, rng, doc_words)
            record = {"id": f"n{k:05d}", "label": "negative", "topic": topic, "rate": None,
                      "rate_achieved": None, "a": a, "b": b, "substitutions": []}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["negative"] += 1
    manifest = {
        "generator": "spindetect.synth.write_pairs",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "params": {"n": n, "negatives": n_negatives, "rates": list(rates), "doc_words": doc_words},
        "counts": counts,
        "source": {"file": src.path.name, "sha256": src.sha256},
        "lexicon": _lexicon_provenance(),
        "files": {path.name: _sha256(path)},
    }
    _write_json(out / "manifest.json", manifest)
    return manifest


# --------------------------------------------------------------------------- crawl
@dataclass(frozen=True, slots=True)
class CrawlDoc:
    """One document of a synthetic crawl, with its ground truth.

    Attributes
    ----------
    id : str
        Unique id (16 hex digits).
    text, title, url : str
        The page text (title on its first line), its title and its address.
    topic : str
        Topic of the body text.
    kind : {'original', 'spun', 'near-duplicate', 'unique'}
        ``original`` heads a family of spun copies or a near-duplicate group.
    family : str or None
        Id of the family's original (None for unique documents).
    rate : float or None
        Spin rate of a spun copy, or share of words edited in a near-duplicate.
    inserted : tuple of str
        Keyword phrases and links injected into a spun copy.
    """

    id: str
    text: str
    title: str
    url: str
    topic: str
    kind: DocKind
    family: str | None = None
    rate: float | None = None
    inserted: tuple[str, ...] = field(default=())

    def record(self) -> dict[str, Any]:
        """Return the ``docs.jsonl`` record: id, text, title, url."""
        return {"id": self.id, "text": self.text, "title": self.title, "url": self.url}

    def label(self) -> dict[str, Any]:
        """Return the ``labels.jsonl`` record (ground truth of this document)."""
        return {"id": self.id, "topic": self.topic, "kind": self.kind, "family": self.family,
                "rate": self.rate, "inserted": list(self.inserted)}


@dataclass(frozen=True, slots=True)
class _Plan:
    n_docs: int
    seed: int
    spin_rates: tuple[float, ...]
    family_share: float
    near_dup_share: float
    doc_words: int
    max_spins: int
    shuffle_buffer: int


def generate_crawl(
    n_docs: int,
    *,
    seed: int = 0,
    spin_rates: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5),
    family_share: float = 0.3,
    near_dup_share: float = 0.05,
    doc_words: int = 500,
    max_spins: int = 4,
    shuffle_buffer: int = 256,
    source_path: str | os.PathLike[str] | None = None,
) -> Iterator[CrawlDoc]:
    """Stream ``n_docs`` documents of a synthetic crawl with ground truth.

    Documents come in *units*: a family (an original and 1 to ``max_spins``
    spun copies, each at a rate drawn from ``spin_rates``, under a title from
    another topic, with an injected keyword phrase and link of a beneficiary
    site; half of them carry the spam-page header of the seed pages, the title
    three times and a "Blog Article" label), a near-duplicate group (an original
    and 1 or 2 copies with 1-5 % of words edited and a sentence added or
    removed) or a unique article. Unit types are drawn so that, in expectation,
    ``family_share`` of the documents belong to families and ``near_dup_share``
    to near-duplicate groups. A shuffle buffer of ``shuffle_buffer`` documents
    mixes the order, so members of a unit are not adjacent.

    Parameters
    ----------
    n_docs : int
        Number of documents (the last unit is cut short if needed).
    seed : int, default=0
    spin_rates : sequence of float, default=(0.1, 0.2, 0.3, 0.4, 0.5)
    family_share : float, default=0.3
    near_dup_share : float, default=0.05
    doc_words : int, default=500
    max_spins : int, default=4
    shuffle_buffer : int, default=256
    source_path : path, optional

    Yields
    ------
    CrawlDoc
    """
    plan = _plan(n_docs, seed, spin_rates, family_share, near_dup_share, doc_words,
                 max_spins, shuffle_buffer)
    src = load_source(source_path)
    yield from _shuffled(_units(plan, src), plan)


def crawl_pairs(unit: Sequence[CrawlDoc]) -> list[dict[str, Any]]:
    """Return the ground-truth pairs of one family or near-duplicate group.

    Every pair inside the unit is listed once, ``a`` before ``b`` in
    generation order. ``rate`` is the spin rate (or edit share) for a pair
    with the original; for two copies it is ``1 - (1 - r_a)(1 - r_b)``, the
    expected share of original words changed in at least one of them.
    """
    pairs = []
    for i, a in enumerate(unit):
        for b in unit[i + 1:]:
            if a.family is None or a.family != b.family:
                continue
            kind = "spun" if "spun" in (a.kind, b.kind) else "near-duplicate"
            rate_a, rate_b = a.rate or 0.0, b.rate or 0.0
            rate = round(1.0 - (1.0 - rate_a) * (1.0 - rate_b), 4)
            pairs.append({"a": a.id, "b": b.id, "kind": kind, "rate": rate, "family": a.family})
    return pairs


def write_crawl(
    out_dir: str | os.PathLike[str],
    n_docs: int,
    *,
    seed: int = 0,
    spin_rates: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5),
    family_share: float = 0.3,
    near_dup_share: float = 0.05,
    doc_words: int = 500,
    max_spins: int = 4,
    shuffle_buffer: int = 256,
    compress: bool = False,
    source_path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Write a crawl to ``out_dir``, streaming, and return its manifest.

    Files: ``docs.jsonl`` (``id``, ``text``, ``title``, ``url``),
    ``labels.jsonl`` (per-document truth: ``id``, ``topic``, ``kind``,
    ``family``, ``rate``, ``inserted``), ``pairs.jsonl`` (``{"a", "b", "kind":
    "spun"|"near-duplicate", "rate", "family"}`` for every pair inside a unit,
    see :func:`crawl_pairs`) and ``manifest.json`` (generator version, seed,
    parameters, counts, sha256 of every file). With ``compress=True`` the
    JSONL files are written as deterministic gzip (``.jsonl.gz``, mtime 0).
    Parameters are those of :func:`generate_crawl`.
    """
    plan = _plan(n_docs, seed, spin_rates, family_share, near_dup_share, doc_words,
                 max_spins, shuffle_buffer)
    src = load_source(source_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    suffix = ".jsonl.gz" if compress else ".jsonl"
    names = {key: f"{key}{suffix}" for key in ("docs", "labels", "pairs")}
    counts: dict[str, int] = {"docs": 0, "original": 0, "spun": 0, "near-duplicate": 0,
                              "unique": 0, "families": 0, "near_duplicate_groups": 0,
                              "pairs_spun": 0, "pairs_near-duplicate": 0}
    with _open_out(out / names["docs"], compress) as docs, \
            _open_out(out / names["labels"], compress) as labels, \
            _open_out(out / names["pairs"], compress) as pairs:

        def tap(units: Iterable[list[CrawlDoc]]) -> Iterator[list[CrawlDoc]]:
            for unit in units:
                if len(unit) > 1:
                    counts["families" if unit[1].kind == "spun" else "near_duplicate_groups"] += 1
                for pair in crawl_pairs(unit):
                    counts[f"pairs_{pair['kind']}"] += 1
                    pairs.write(json.dumps(pair) + "\n")
                yield unit

        for doc in _shuffled(tap(_units(plan, src)), plan):
            docs.write(json.dumps(doc.record(), ensure_ascii=False) + "\n")
            labels.write(json.dumps(doc.label(), ensure_ascii=False) + "\n")
            counts["docs"] += 1
            counts[doc.kind] += 1
    manifest = {
        "generator": "spindetect.synth.write_crawl",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "params": {
            "n_docs": n_docs, "spin_rates": list(plan.spin_rates),
            "family_share": plan.family_share, "near_dup_share": plan.near_dup_share,
            "doc_words": doc_words, "max_spins": max_spins, "shuffle_buffer": shuffle_buffer,
        },
        "counts": counts,
        "source": {"file": src.path.name, "sha256": src.sha256},
        "lexicon": _lexicon_provenance(),
        "files": {name: _sha256(out / name) for name in names.values()},
    }
    _write_json(out / "manifest.json", manifest)
    return manifest


def _plan(n_docs: int, seed: int, spin_rates: Sequence[float], family_share: float,
          near_dup_share: float, doc_words: int, max_spins: int, shuffle_buffer: int) -> _Plan:
    check_int("n_docs", n_docs, low=0)
    check_int("seed", seed)
    rates = _check_rates(spin_rates)
    family_share = check_float("family_share", family_share, low=0.0, high=1.0)
    near_dup_share = check_float("near_dup_share", near_dup_share, low=0.0, high=1.0)
    if family_share + near_dup_share > 1.0:
        raise InvalidParameterError(
            "family_share + near_dup_share must be at most 1, got "
            f"{family_share!r} + {near_dup_share!r}"
        )
    check_int("doc_words", doc_words, low=1)
    check_int("max_spins", max_spins, low=1)
    check_int("shuffle_buffer", shuffle_buffer, low=1)
    return _Plan(n_docs, seed, rates, family_share, near_dup_share, doc_words, max_spins,
                 shuffle_buffer)


def _check_rates(rates: Sequence[float]) -> tuple[float, ...]:
    if isinstance(rates, (int, float)):
        rates = (rates,)
    out = tuple(check_float("spin_rates", r, low=0.0, high=1.0) for r in rates)
    if not out:
        raise InvalidParameterError("spin_rates must hold at least one rate, got ()")
    return out


def _units(plan: _Plan, src: TextSource) -> Iterator[list[CrawlDoc]]:
    """Yield the crawl's units (lists of documents) in generation order."""
    rng = random.Random(f"spindetect.corpus:{plan.seed}:crawl")
    spinner = _default_spinner()
    topics = src.topics
    family_size = 1 + (1 + plan.max_spins) / 2
    near_size = 2.5
    weights = (plan.family_share / family_size, plan.near_dup_share / near_size,
               1.0 - plan.family_share - plan.near_dup_share)
    total = sum(weights) or 1.0
    p_family, p_near = weights[0] / total, weights[1] / total
    streams = _Streams(src, f"spindetect.corpus:{plan.seed}:crawl",
                       items=_expected_items(plan.n_docs, plan.doc_words))
    beneficiaries = _Beneficiaries(plan, src)
    ids: set[str] = set()
    counter = 0
    produced = 0

    def new_id() -> str:
        nonlocal counter
        while True:
            digest = hashlib.sha256(f"spindetect.corpus:{plan.seed}:id:{counter}".encode())
            counter += 1
            doc_id = digest.hexdigest()[:16]
            if doc_id not in ids:
                ids.add(doc_id)
                return doc_id

    while produced < plan.n_docs:
        unit_seed = _derive(plan.seed, "unit", produced)
        urng = random.Random(unit_seed)
        topic = topics[int(rng.random() * len(topics))]
        chain = streams(topic)
        text, title = _article(chain, urng, plan.doc_words)
        draw = rng.random()
        remaining = plan.n_docs - produced
        original_id = new_id()
        site = _site(chain, urng)
        url = f"https://{site}/{_slug(title)}"
        if draw < p_family and remaining > 1:
            copies = min(remaining - 1, 1 + int(urng.random() * plan.max_spins))
            unit = [CrawlDoc(original_id, text, title, url, topic, "original", original_id)]
            keyword, link = beneficiaries[int(urng.random() * beneficiaries.count)]
            for k in range(copies):
                rate = plan.spin_rates[int(urng.random() * len(plan.spin_rates))]
                unit.append(_spun_copy(
                    spinner, src, streams, urng, text, topic, rate, keyword, link,
                    new_id(), original_id, _derive(unit_seed, "spin", k),
                ))
        elif draw < p_family + p_near and remaining > 1:
            copies = min(remaining - 1, 1 + int(urng.random() * 2))
            unit = [CrawlDoc(original_id, text, title, url, topic, "original", original_id)]
            for _ in range(copies):
                unit.append(_near_duplicate(chain, urng, text, title, topic, new_id(),
                                            original_id))
        else:
            unit = [CrawlDoc(original_id, text, title, url, topic, "unique")]
        produced += len(unit)
        yield unit


def _shuffled(units: Iterable[list[CrawlDoc]], plan: _Plan) -> Iterator[CrawlDoc]:
    """Mix documents through a fixed-size shuffle buffer (deterministic, streaming)."""
    rng = random.Random(f"spindetect.corpus:{plan.seed}:shuffle")
    buffer: list[CrawlDoc] = []
    for unit in units:
        for doc in unit:
            if len(buffer) < plan.shuffle_buffer:
                buffer.append(doc)
                continue
            k = int(rng.random() * len(buffer))
            yield buffer[k]
            buffer[k] = doc
    while buffer:
        k = int(rng.random() * len(buffer))
        buffer[k], buffer[-1] = buffer[-1], buffer[k]
        yield buffer.pop()


def _spun_copy(spinner: Spinner, src: TextSource, streams: _Streams, rng: random.Random,
               text: str, topic: str, rate: float, keyword: str, link: str, doc_id: str,
               family: str, spin_seed: int) -> CrawlDoc:
    """Make one spam copy: spun body, unrelated title, injected keyword and link."""
    others = [t for t in src.topics if t != topic] or list(src.topics)
    title_chain = streams(others[int(rng.random() * len(others))])
    new_title = _foreign_title(title_chain, rng)
    mojibake = 0.5 if rng.random() < 0.2 else 0.0
    reorder = 0.05 if rng.random() < 0.3 else 0.0
    header = rng.random() < 0.5
    result = spinner.spin(
        text, rate=rate, seed=spin_seed, title=None if header else new_title,
        inject=(keyword,), link=link, mojibake=mojibake, reorder=reorder,
    )
    body = result.text
    if header:  # the spam page layout of the seed pages
        body = f"{new_title.upper()}\n\n{new_title}\n\n{new_title}\n\nBlog Article\n\n{body}"
    url = f"https://{_site(title_chain, rng)}/{_slug(new_title)}"
    return CrawlDoc(doc_id, body, new_title, url, topic, "spun", family, rate,
                    result.inserted)


def _near_duplicate(chain: _TopicStream, rng: random.Random, text: str, title: str, topic: str,
                    doc_id: str, family: str) -> CrawlDoc:
    """Edit 1-5 % of the body words and add or remove a sentence (title kept)."""
    head, _, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    share = 0.01 + 0.04 * rng.random()
    vocabulary = chain.vocabulary
    edited = 0
    total = 0
    new_paragraphs = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        total += len(words)
        out: list[str] = []
        for word in words:
            if rng.random() < share and word[-1:].isalpha() and len(out) > 0:
                edited += 1
                if rng.random() < 0.3:
                    continue  # deletion
                out.append(vocabulary[int(rng.random() * len(vocabulary))])
            else:
                out.append(word)
        new_paragraphs.append(" ".join(out))
    prose = [k for k, p in enumerate(new_paragraphs) if p.count(" ") >= 10]
    if prose:
        k = prose[int(rng.random() * len(prose))]
        if rng.random() < 0.5:
            new_paragraphs[k] = new_paragraphs[k] + " " + chain.sentence()
        else:
            cut = new_paragraphs[k].find(". ")
            if cut > 0:
                new_paragraphs[k] = new_paragraphs[k][cut + 2:]
    new_text = head + "\n\n" + "\n\n".join(new_paragraphs)
    rate = round(edited / max(1, total), 4)
    url = f"https://{_site(chain, rng)}/{_slug(title)}"
    return CrawlDoc(doc_id, new_text, title, url, topic, "near-duplicate", family, rate)


class _Beneficiaries:
    """The sites that commission spun copies: ``(keyword phrase, link)``, made on first use.

    There are ``max(3, min(n_docs // 200, 5000))`` of them; each is a function
    of the seed and its index only.
    """

    def __init__(self, plan: _Plan, src: TextSource) -> None:
        self.count = max(3, min(plan.n_docs // 200, 5000))
        self._seed = plan.seed
        self._src = src
        self._streams = _Streams(src, f"spindetect.corpus:{plan.seed}:beneficiaries",
                                 items=self.count * 64)
        self._made: dict[int, tuple[str, str]] = {}

    def __getitem__(self, index: int) -> tuple[str, str]:
        made = self._made.get(index)
        if made is None:
            rng = random.Random(f"spindetect.corpus:{self._seed}:beneficiary:{index}")
            topics = self._src.topics
            chain = self._streams(topics[int(rng.random() * len(topics))])
            keyword = _keyword(chain, rng)
            made = self._made[index] = (
                keyword, f"https://{_site(chain, rng)}/{_slug(keyword)}")
        return made


def _site(chain: _TopicStream, rng: random.Random) -> str:
    """Return a host name such as ``meal-course.example`` from the topic vocabulary."""
    vocabulary = chain.vocabulary
    words: list[str] = []
    while len(words) < 2:
        word = vocabulary[int(rng.random() * len(vocabulary))]
        if word.isalpha() and word.isascii() and 3 <= len(word) <= 10:
            words.append(word)
    return f"{words[0]}-{words[1]}.example"


# --------------------------------------------------------------------------- helpers
_SPINNERS: list[Spinner] = []


def _default_spinner() -> Spinner:
    if not _SPINNERS:
        _SPINNERS.append(Spinner())
    return _SPINNERS[0]


def _derive(seed: int, name: str, index: int) -> int:
    """Return a stable 63-bit seed for sub-stream ``name``/``index`` of ``seed``."""
    digest = hashlib.sha256(f"spindetect.corpus:{seed}:{name}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


class _open_out:  # used like open()
    """Open a text file for writing, plain or as deterministic gzip (mtime 0, no name)."""

    def __init__(self, path: Path, compress: bool) -> None:
        self._raw = path.open("wb")
        if compress:
            self._gz: gzip.GzipFile | None = gzip.GzipFile(
                filename="", mode="wb", fileobj=self._raw, compresslevel=9, mtime=0)
            self._text: io.TextIOWrapper[Any] = io.TextIOWrapper(
                self._gz, encoding="utf-8", newline="\n")
        else:
            self._gz = None
            self._text = io.TextIOWrapper(self._raw, encoding="utf-8", newline="\n")

    def __enter__(self) -> io.TextIOWrapper:
        return self._text

    def __exit__(self, *exc: object) -> None:
        self._text.close()
        self._raw.close()


def _lexicon_provenance() -> dict[str, str] | None:
    """Name and sha256 of the bundled synonym table the spins were made with."""
    from importlib import resources

    try:
        data = resources.files("spindetect").joinpath("data", "wordnet.json.gz").read_bytes()
    except OSError:
        return None
    return {"file": "wordnet.json.gz", "sha256": hashlib.sha256(data).hexdigest()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- CLI
def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m spindetect.corpus --docs N --seed S --out DIR``.

    ``--pairs N`` writes a pair set (:func:`write_pairs`) instead of a crawl.
    Returns the exit code: 0 on success, 2 on a usage or input error.
    """
    parser = argparse.ArgumentParser(
        prog="python -m spindetect.corpus",
        description="Generate a labelled synthetic crawl (or pair set) of spun copies.",
    )
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--docs", type=int, help="number of crawl documents")
    what.add_argument("--pairs", type=int, help="number of spun pairs (pair set)")
    parser.add_argument("--negatives", type=int, default=None,
                        help="same-topic negative pairs of a pair set (default pairs/2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rates", type=str, default="0.1,0.2,0.3,0.4,0.5",
                        help="comma-separated spin rates")
    parser.add_argument("--family-share", type=float, default=0.3)
    parser.add_argument("--near-dup-share", type=float, default=0.05)
    parser.add_argument("--doc-words", type=int, default=None,
                        help="words per article (default 500 for a crawl, 150 for pairs)")
    parser.add_argument("--gzip", action="store_true", help="write .jsonl.gz files")
    parser.add_argument("--source", type=Path, default=None, help="text source (tsv.gz)")
    args = parser.parse_args(argv)
    try:
        rates = tuple(float(r) for r in args.rates.split(",") if r.strip())
    except ValueError:
        print(f"error: --rates must be comma-separated numbers, got {args.rates!r}",
              file=sys.stderr)
        return 2
    try:
        if args.pairs is not None:
            manifest = write_pairs(args.out, args.pairs, seed=args.seed, rates=rates,
                                   negatives=args.negatives, doc_words=args.doc_words or 150,
                                   compress=args.gzip, source_path=args.source)
        else:
            manifest = write_crawl(
                args.out, args.docs, seed=args.seed, spin_rates=rates,
                family_share=args.family_share, near_dup_share=args.near_dup_share,
                doc_words=args.doc_words or 500, compress=args.gzip, source_path=args.source,
            )
    except (InvalidParameterError, InputNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(manifest["counts"], sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
