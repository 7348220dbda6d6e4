r"""A word-level Markov chain of order 2 that makes new sentences, not quotes.

For each topic of the text source a chain is trained on the topic's sentences:

.. math:: P(w_i \mid w_{i-2}, w_{i-1}) = \frac{c(w_{i-2}, w_{i-1}, w_i)}{c(w_{i-2}, w_{i-1})},

with two sentence-start markers before every sentence and an end marker after
it, so that generated sentences start and end as real ones do. After the first
word, 15 % of the steps (:data:`BACKOFF`) back off to order 1,
:math:`P(w_i \mid w_{i-1})`.

A sparse order-2 chain copies long stretches of its training text, so a
sentence is kept only if it is *new*: 6 to 40 words, no training sentence, no
run of 7 training words (:data:`NOVEL_RUN`). Chains run many at a time in the
compiled kernels of :mod:`spindetect.synth._chain_kernels`.

Words are compared by a stable 64-bit hash of their lower-case form
(:func:`stable_hash`, BLAKE2b). It is the generator's own, not
:mod:`spindetect.text._hashing`: every generated corpus is a function of it, so
it changes only with :data:`~spindetect.synth.manifest.GENERATOR_VERSION`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

import numpy as np

from spindetect._validation import check_float, check_int
from spindetect.synth._chain_kernels import spell, walk
from spindetect.text.tokens import WORD_PATTERN

__all__ = ["BACKOFF", "NOVEL_RUN", "MarkovChain", "stable_hash", "word_form"]

_MAX_WORDS = 40
#: No run of this many words (compared as lower-case forms) is copied from the training text.
NOVEL_RUN = 7
#: Share of steps that draw the next word given the last word only (order 1).
BACKOFF = 0.15
_PUNCT = ".,;:!?\"'()"
_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)


def word_form(word: str) -> str:
    """Return the comparison form of a chain word: lower case, outer punctuation stripped."""
    return word.strip(_PUNCT).lower().replace("\u2019", "'")


def stable_hash(text: str) -> int:
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

    def __init__(
        self, sentences: Sequence[str], *, novel_run: int = NOVEL_RUN, backoff: float = BACKOFF
    ) -> None:
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
        self._next_word = np.array([w for nexts in table.values() for w in nexts], dtype=np.int32)
        self._next_state = np.array(
            [state_ids[(b, w)] if w else 0 for (_, b), nexts in table.items() for w in nexts],
            dtype=np.int32,
        )
        self._backoff = np.array(
            [state_ids[(-1, b)] if (a, b) != (0, 0) else k for k, (a, b) in enumerate(table)],
            dtype=np.int32,
        )
        self._form_hash = np.array(
            [0, *(stable_hash(word_form(w) or w.lower()) for w in self._words[1:])], dtype=np.uint64
        )
        self._word_tokens = np.array(
            [len(WORD_PATTERN.findall(w)) for w in self._words], dtype=np.int64
        )
        self._training_runs, self._training_sentences = self._training_hashes(coded, lengths)
        self._run_bits = np.zeros(1 << 18, dtype=np.uint8)  # 2^21 bits: top bits of the runs
        top = self._training_runs >> np.uint64(43)
        np.bitwise_or.at(
            self._run_bits,
            (top >> np.uint64(3)).astype(np.intp),
            np.left_shift(np.uint8(1), (top & np.uint64(7)).astype(np.uint8)),
        )
        encoded = [w.encode("utf-8") for w in self._words]
        self._blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        self._blob_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=self._blob_offsets[1:])
        self.vocabulary: tuple[str, ...] = tuple(
            sorted({w.strip(_PUNCT).lower() for w in self._words} - {""})
        )

    def _training_hashes(
        self, coded: list[int], lengths: list[int]
    ) -> tuple[np.ndarray, np.ndarray]:
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

    def _draw(
        self,
        rng: np.random.Generator,
        batch: int,
        *,
        keep_copies: bool = False,
        seen: np.ndarray | None = None,
        gram: int = 8,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run chains on ``16 * batch`` uniforms; return up to ``batch`` sentences.

        Sentences (of 6 to 40 words) come as word ids, lengths and which are new.
        Copies are dropped early unless ``keep_copies``; with ``seen`` (the bits
        of a :class:`SeenFilter`), sentences handed out before, or holding a run
        of ``gram`` words that was (``gram=0``: whole sentences only), are
        dropped and the others recorded.
        """
        uniforms = rng.random(16 * batch)
        out = np.zeros((batch, _MAX_WORDS + 1), dtype=np.int32)
        length = np.zeros(batch, dtype=np.int64)
        new = np.zeros(batch, dtype=np.bool_)
        bits = seen if seen is not None else np.zeros(1, dtype=np.uint64)
        rows = walk(
            uniforms,
            self._offsets,
            self._counts,
            self._next_word,
            self._next_state,
            self._backoff,
            self.backoff if self.backoff < 1.0 else 1.0 - 1e-9,
            self._form_hash,
            self._word_tokens,
            self._run_bits,
            self._training_runs,
            self._training_sentences,
            self.novel_run,
            keep_copies,
            bits,
            gram,
            out,
            length,
            new,
        )
        return out[:rows], length[:rows], new[:rows]

    def _strings(self, out: np.ndarray, length: np.ndarray) -> list[str]:
        """Join the word ids of each row of ``out`` up to its length into a sentence."""
        if not length.size:
            return []
        text = spell(out, length, self._blob, self._blob_offsets)
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
