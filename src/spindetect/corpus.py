"""Labelled synthetic corpora: articles, spun copies, near-duplicates and same-topic negatives.

Text comes from a redistributable source, ``corpora/source/wordnet_text.tsv.gz``
(WordNet 3.0 example sentences and definitions grouped by lexicographer file,
built by ``tools/build_textsource.py``). For each *topic* (``noun.food``,
``verb.motion``, ...) a word-level Markov chain of order 2 is trained on the
topic's sentences:

.. math:: P(w_i \\mid w_{i-2}, w_{i-1}) = \\frac{c(w_{i-2}, w_{i-1}, w_i)}{c(w_{i-2}, w_{i-1})},

with two sentence-start markers before every sentence and an end marker after
it, so that generated sentences start and end as real ones do. Sentences of 6
to 40 words that do not repeat a training sentence verbatim are kept. An
*article* is a title line, a blank line, then paragraphs of 2 to 6 sentences
(some under a numbered heading) until about ``doc_words`` words. Articles of
one topic share vocabulary but no text: they are hard negatives, same-topic
non-copies.

On top of the articles, :func:`generate_crawl` streams a crawl with ground
truth: *families* (an original and 1 to 4 spun copies made by
:func:`spindetect.spin.spin`, each under a title from another topic, with an
injected keyword phrase and a bare link for a "beneficiary" site), groups of
*near-duplicates* (a few per cent of words edited, a sentence added or
removed) and *unique* articles. :func:`write_crawl` writes it as
``docs.jsonl`` + ``pairs.jsonl`` + ``labels.jsonl`` + ``manifest.json``.

Everything is a function of ``seed``; random streams are seeded from strings
(SHA-512 in :class:`random.Random`), never from Python's salted ``hash()``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import random
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ._validation import check_float, check_int
from .exceptions import InputNotFoundError, InvalidParameterError
from .spin import Spinner, SpinResult
from .stopwords import STOPWORDS

__all__ = [
    "GENERATOR_VERSION",
    "CrawlDoc",
    "MarkovChain",
    "TextSource",
    "generate_article",
    "generate_crawl",
    "generate_negatives",
    "generate_pairs",
    "main",
    "write_crawl",
    "write_pairs",
]

#: Bumped whenever the same seed would produce different documents.
GENERATOR_VERSION = "1.0"

SOURCE_NAME = "wordnet_text.tsv.gz"
_SOURCE_ENV = "SPINDETECT_TEXT_SOURCE"
_MIN_TOPIC_SENTENCES = 400
_MIN_WORDS, _MAX_WORDS = 6, 40
_BOS = ""
_TITLE_TEMPLATES = (
    "{}", "{}", "{}", "The Benefits of {}", "How {} Works", "Why {} Matters",
    "A Guide to {}", "{}: What You Need to Know", "Top Tips on {}", "Understanding {}",
)

_TITLE_WORDS = frozenset({"of", "and", "the", "in", "for", "with", "to", "on"})
# Words of the text source's definition templates ("can be described as"): never in titles.
_TEMPLATE_WORDS = frozenset({"described", "defined", "usually", "means", "called", "simply", "put"})

DocKind = Literal["original", "spun", "near-duplicate", "unique"]


# --------------------------------------------------------------------------- source
def default_source_path() -> Path | None:
    """Return the first existing text source: ``$SPINDETECT_TEXT_SOURCE``, the repo, the cwd."""
    candidates = []
    env = os.environ.get(_SOURCE_ENV)
    if env:
        candidates.append(Path(env))
    here = Path(__file__).resolve()
    candidates.append(here.parents[2] / "corpora" / "source" / SOURCE_NAME)
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
        with gzip.open(io.BytesIO(data), "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                sentences.setdefault(parts[0], []).append(parts[2])
        self._sentences = {topic: tuple(items) for topic, items in sentences.items()}
        self.topics: tuple[str, ...] = tuple(
            t for t in sorted(self._sentences) if len(self._sentences[t]) >= min_sentences
        )
        if not self.topics:
            raise InvalidParameterError(
                f"no topic of {resolved} has at least min_sentences={min_sentences} sentences"
            )
        self._chains: dict[str, MarkovChain] = {}

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
class MarkovChain:
    """A word-level, sentence-start-aware Markov chain of order 2.

    Each state ``(w_{i-2}, w_{i-1})`` keeps its observed successors with
    repeats, so a uniform pick samples the maximum-likelihood transition
    probability. Two start markers open every training sentence and an end
    marker closes it. Words keep their punctuation (``"lungs."``), so commas and
    full stops are generated too. The table is also stored as flat arrays
    (successor word and successor state per slot), so :meth:`generate` runs
    many chains at once with numpy.

    Parameters
    ----------
    sentences : sequence of str
        Training sentences, one per item.
    """

    def __init__(self, sentences: Sequence[str]) -> None:
        words: dict[str, int] = {"": 0}  # id 0: start / end marker
        table: dict[tuple[int, int], list[int]] = {}
        for sentence in sentences:
            a = b = 0
            for word in sentence.split():
                w = words.setdefault(word, len(words))
                table.setdefault((a, b), []).append(w)
                a, b = b, w
            table.setdefault((a, b), []).append(0)
        self._words = tuple(words)
        state_ids = {state: k for k, state in enumerate(table)}
        counts = np.array([len(nexts) for nexts in table.values()], dtype=np.int64)
        self._offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        self._counts = counts
        self._next_word = np.array(
            [w for nexts in table.values() for w in nexts], dtype=np.int32)
        self._next_state = np.array(
            [state_ids[(b, w)] if w else 0 for (_, b), nexts in table.items() for w in nexts],
            dtype=np.int64,
        )
        self._table = {state: tuple(nexts) for state, nexts in table.items()}
        self._training = frozenset(sentences)
        self.vocabulary: tuple[str, ...] = tuple(sorted({
            w.strip(".,;:!?\"'()").lower() for w in self._words
        } - {""}))

    def sentence(self, rng: random.Random, *, attempts: int = 8) -> str:
        """Return one generated sentence of 6 to 40 words (a new one when possible)."""
        table = self._table
        names = self._words
        rand = rng.random
        best = ""
        for _ in range(attempts):
            a = b = 0
            out: list[int] = []
            while len(out) <= _MAX_WORDS:
                options = table[(a, b)]
                w = options[int(rand() * len(options))]
                if not w:
                    break
                out.append(w)
                a, b = b, w
            if not _MIN_WORDS <= len(out) <= _MAX_WORDS:
                continue
            text = " ".join(names[w] for w in out)
            if text not in self._training:
                return text
            best = text
        return best

    def generate(self, n: int, *, rng: np.random.Generator, batch: int = 256) -> list[str]:
        """Return ``n`` sentences of 6 to 40 words, new ones (not training sentences) first.

        Chains run ``batch`` at a time as numpy arrays; a sentence that repeats
        a training sentence is kept only if too few new ones turn up.
        """
        check_int("n", n, low=0)
        names = self._words
        fresh: list[str] = []
        repeats: list[str] = []
        for _ in range(1 + 8 * n // batch + 8):
            if len(fresh) >= n:
                break
            out = np.zeros((batch, _MAX_WORDS + 1), dtype=np.int32)
            length = np.full(batch, _MAX_WORDS + 1, dtype=np.int64)  # too long unless ended
            active = np.arange(batch)
            state = np.zeros(batch, dtype=np.int64)
            for step in range(_MAX_WORDS + 1):
                slot = self._offsets[state] + (
                    rng.random(active.size) * self._counts[state]).astype(np.int64)
                word = self._next_word[slot]
                out[active, step] = word
                ended = word == 0
                if ended.any():
                    length[active[ended]] = step
                    keep = ~ended
                    active, slot = active[keep], slot[keep]
                    if not active.size:
                        break
                state = self._next_state[slot]
            ok = (length >= _MIN_WORDS) & (length <= _MAX_WORDS)
            sizes = length[ok]
            kept = out[ok]
            flat = kept[np.arange(kept.shape[1]) < sizes[:, None]].tolist()  # row-major
            tokens = list(map(names.__getitem__, flat))
            training = self._training
            start = 0
            for size in sizes.tolist():
                text = " ".join(tokens[start : start + size])
                start += size
                (repeats if text in training else fresh).append(text)
        return (fresh + repeats)[:n]


class _TopicStream:
    """Sentences of one topic on demand, generated in batches from a seeded numpy stream."""

    __slots__ = ("_buffer", "_chain", "_rng", "vocabulary")

    def __init__(self, chain: MarkovChain, seed_text: str) -> None:
        digest = hashlib.sha256(seed_text.encode()).digest()
        self._rng = np.random.default_rng(int.from_bytes(digest[:16], "big"))
        self._chain = chain
        self._buffer: list[str] = []
        self.vocabulary = chain.vocabulary

    def sentence(self) -> str:
        if not self._buffer:
            self._buffer = self._chain.generate(1024, rng=self._rng, batch=1024)[::-1]
        return self._buffer.pop()


class _Streams:
    """Per-topic sentence streams of one generation run (deterministic from ``seed_text``)."""

    def __init__(self, src: TextSource, seed_text: str) -> None:
        self._src = src
        self._seed_text = seed_text
        self._streams: dict[str, _TopicStream] = {}

    def __call__(self, topic: str) -> _TopicStream:
        stream = self._streams.get(topic)
        if stream is None:
            stream = self._streams[topic] = _TopicStream(
                self._src.chain(topic), f"{self._seed_text}:{topic}")
        return stream


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
    return _article(_Streams(src, f"spindetect.corpus:{seed}:article")(topic), rng, doc_words)[0]


def _article(chain: _TopicStream, rng: random.Random, doc_words: int) -> tuple[str, str]:
    """Return ``(text, title)`` of a generated article."""
    title = _title(chain, rng)
    target = max(1, round(doc_words * (0.8 + 0.4 * rng.random())))
    lines = [title, ""]
    words = 0
    heading = 1
    numbered = rng.random() < 0.4
    while words < target:
        if numbered and rng.random() < 0.5:
            lines.append(f"{heading}. {_title(chain, rng, templates=False)}")
            heading += 1
        paragraph = []
        for _ in range(2 + int(rng.random() * 5)):
            sentence = chain.sentence()
            paragraph.append(sentence)
            words += sentence.count(" ") + 1
            if words >= target:
                break
        lines.append(" ".join(paragraph))
        lines.append("")
    text = "\n".join(lines).rstrip("\n") + "\n"
    if rng.random() < 0.25:  # typographic apostrophes, as many CMSs write them
        text = text.replace("'", "\u2019")
    return text, title


def _title(chain: _TopicStream, rng: random.Random, *, templates: bool = True) -> str:
    """Return a short title-cased phrase: a run of 2-5 content words from a generated sentence.

    Inside the run only the title words ``of, and, the, in, for, with, to, on``
    may appear, and a run neither starts nor ends with one.
    """
    piece: list[str] = []
    for _ in range(12):
        words = [w.strip(".,;:!?\"'()") for w in chain.sentence().split()]
        runs: list[list[str]] = [[]]
        for word in words:
            lower = word.lower()
            if (word.isalpha() and lower not in _TEMPLATE_WORDS
                    and (lower not in STOPWORDS or lower in _TITLE_WORDS)):
                runs[-1].append(word)
            else:
                runs.append([])
        trimmed = []
        for run in runs:
            while run and run[0].lower() in STOPWORDS:
                run.pop(0)
            while run and run[-1].lower() in STOPWORDS:
                run.pop()
            if len(run) >= 2:
                trimmed.append(run)
        if trimmed:
            run = trimmed[int(rng.random() * len(trimmed))]
            size = min(len(run), 2 + int(rng.random() * 4))
            start = int(rng.random() * (len(run) - size + 1))
            piece = run[start : start + size]
            while piece and piece[0].lower() in STOPWORDS:
                piece.pop(0)
            while piece and piece[-1].lower() in STOPWORDS:
                piece.pop()
            if len(piece) >= 2:
                break
    if not piece:
        piece = ["Notes"]
    phrase = " ".join(
        w.lower() if (k > 0 and w.lower() in STOPWORDS) else w[:1].upper() + w[1:]
        for k, w in enumerate(piece)
    )
    if not templates:
        return phrase
    return _TITLE_TEMPLATES[int(rng.random() * len(_TITLE_TEMPLATES))].format(phrase)


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
    streams = _Streams(src, f"spindetect.corpus:{seed}:pairs")
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
    streams = _Streams(src, f"spindetect.corpus:{seed}:negatives")
    out = []
    for k in range(n):
        rng = random.Random(f"spindetect.corpus:{seed}:negative:{k}")
        chain = streams(src.topics[int(rng.random() * len(src.topics))])
        out.append((_article(chain, rng, doc_words)[0], _article(chain, rng, doc_words)[0]))
    return out


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
    pair_streams = _Streams(src, f"spindetect.corpus:{seed}:pairs")
    negative_streams = _Streams(src, f"spindetect.corpus:{seed}:negatives")
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
        "generator": "spindetect.corpus.write_pairs",
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
        "generator": "spindetect.corpus.write_crawl",
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
    streams = _Streams(src, f"spindetect.corpus:{plan.seed}:crawl")
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
    new_title = _title(title_chain, rng)
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
        out = []
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
        self._streams = _Streams(src, f"spindetect.corpus:{plan.seed}:beneficiaries")
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
    words = []
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


class _open_out:  # noqa: N801 - used like open()
    """Open a text file for writing, plain or as deterministic gzip (mtime 0, no name)."""

    def __init__(self, path: Path, compress: bool) -> None:
        self._raw = path.open("wb")
        if compress:
            self._gz: gzip.GzipFile | None = gzip.GzipFile(
                filename="", mode="wb", fileobj=self._raw, compresslevel=9, mtime=0)
            self._text = io.TextIOWrapper(self._gz, encoding="utf-8", newline="\n")
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
