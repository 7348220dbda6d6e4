"""Sentence streams of one generation run: no sentence and no 8-token run handed out twice.

Generated text must not be shared by unrelated articles, as real pages do not
share 8-word runs. Every generator (a crawl, a pair set, ...) draws its
sentences from :class:`Streams`: one :class:`TopicStream` per topic, each a
seeded numpy stream of new sentences of the topic's Markov chain, all sharing
one :class:`SeenFilter`, a Bloom filter of what the run handed out. A sentence
is dropped when it, or one of its runs of :data:`SEEN_RUN` tokens (sentence
start and end counting as tokens), was handed out before.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

import numpy as np

from spindetect.exceptions import InvalidParameterError
from spindetect.synth.markov import MarkovChain
from spindetect.synth.terms import Terms, topic_terms

if TYPE_CHECKING:
    from spindetect.synth.source import TextSource

__all__ = ["SEEN_RUN", "SeenFilter", "Streams", "TopicStream", "expected_items"]

#: No run of this many words (sentence start and end count) is handed out twice in a run.
SEEN_RUN = 8


class SeenFilter:
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


class TopicStream:
    """New sentences of one topic on demand, in batches from a seeded numpy stream.

    Sentences are new with respect to the training text (:class:`MarkovChain`)
    and to what the run handed out (``seen``): no sentence and no run of
    :data:`SEEN_RUN` tokens (sentence start and end count as tokens) twice. A
    topic whose chain runs out of such sentences (a batch of 2,048 chains
    yields fewer than 64) falls back to unseen whole sentences for the rest of
    the run; a few small topics do so in crawls of some 30,000 documents and more.
    The content words of the sentences handed out are kept as ids
    (:class:`Terms`) until :meth:`terms_taken` collects them.
    """

    __slots__ = (
        "_chain",
        "_cids",
        "_coff",
        "_gram",
        "_mark",
        "_next",
        "_rng",
        "_seen",
        "_taken",
        "_texts",
        "terms",
        "vocabulary",
    )

    def __init__(self, chain: MarkovChain, seed_text: str, seen: SeenFilter, terms: Terms) -> None:
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
        """Return the next new sentence of the topic (drawing a new batch when needed)."""
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
                raise InvalidParameterError("the topic's chain makes no sentence of 6 to 40 words")
        self._texts = chain._strings(out, length)
        cids = self.terms.of_word[out]  # word id 0 (after the end) is no content word
        mask = cids >= 0
        self._cids = cids[mask]
        self._coff = np.zeros(length.size + 1, dtype=np.int64)
        np.cumsum(mask.sum(axis=1), out=self._coff[1:])
        self._next = self._mark = 0


class Streams:
    """Per-topic sentence streams of one generation run (deterministic from ``seed_text``).

    All streams of a run share one :class:`SeenFilter` sized for about
    ``items`` sentences and word runs, so no sentence and no run of 8 words is
    handed out twice in the run.
    """

    def __init__(
        self,
        src: TextSource,
        seed_text: str,
        *,
        items: int = 1 << 16,
        seen: SeenFilter | None = None,
    ) -> None:
        self._src = src
        self._seed_text = seed_text
        self.seen = seen if seen is not None else SeenFilter(items)
        self._streams: dict[str, TopicStream] = {}

    def __call__(self, topic: str) -> TopicStream:
        """Return the stream of ``topic`` (made on first use)."""
        stream = self._streams.get(topic)
        if stream is None:
            stream = self._streams[topic] = TopicStream(
                self._src.chain(topic),
                f"{self._seed_text}:{topic}",
                self.seen,
                topic_terms(self._src, topic),
            )
        return stream


def expected_items(n_docs: int, doc_words: int) -> int:
    """About how many sentences and 8-word runs ``n_docs`` articles of ``doc_words`` words hold."""
    return min(n_docs, 1 << 24) * (doc_words // 2 + 16)
