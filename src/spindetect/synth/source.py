"""The generator's text source: topic-grouped sentences of ``wordnet_text.tsv.gz``.

The text comes from a redistributable source, ``corpora/source/wordnet_text.tsv.gz``
(WordNet 3.0 example sentences and definitions grouped by lexicographer file,
built by ``tools/build_textsource.py``). Each lexicographer file (``noun.food``,
``verb.motion``, ...) is a *topic*; :class:`TextSource` reads them, keeps the
topics with enough sentences, the head nouns of the noun definitions, and
caches one :class:`~spindetect.synth.markov.MarkovChain` per topic.

The file is part of the repository, not of the wheel: :func:`default_source_path`
looks in ``$SPINDETECT_TEXT_SOURCE``, the repository checkout, then the
working directory.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from spindetect._validation import check_int
from spindetect.exceptions import (
    CorruptInputError,
    InputError,
    InputNotFoundError,
    InvalidParameterError,
)
from spindetect.synth.markov import MarkovChain

if TYPE_CHECKING:
    from spindetect.synth.terms import Terms

__all__ = ["SOURCE_ENV", "SOURCE_NAME", "TextSource", "default_source_path", "load_source"]

#: File name of the text source (in ``corpora/source/``).
SOURCE_NAME = "wordnet_text.tsv.gz"
#: Environment variable naming the text source file.
SOURCE_ENV = "SPINDETECT_TEXT_SOURCE"
_MIN_TOPIC_SENTENCES = 400
# The noun headword of a definition sentence of a noun topic (see tools/build_textsource.py).
_DEFINED_AT_END = re.compile(r" is called (?:an? |the )?(?:[\w-]+ )*?([\w-]+)\.$")
_DEFINED_AT_START = re.compile(
    r"^(?:Put simply, )?(?:An? |The )?(?:[\w-]+ ){0,3}?([\w-]+) (?:can be described as|"
    r"is usually defined as|is) "
)


def default_source_path() -> Path | None:
    """Return the first existing text source: ``$SPINDETECT_TEXT_SOURCE``, the repo, the cwd."""
    candidates = []
    env = os.environ.get(SOURCE_ENV)
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
    InputError
        If the file cannot be read.
    CorruptInputError
        If it is not gzip-compressed UTF-8 text (or is truncated).
    InvalidParameterError
        If no topic has ``min_sentences`` sentences (not a text source).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        min_sentences: int = _MIN_TOPIC_SENTENCES,
    ) -> None:
        check_int("min_sentences", min_sentences, low=1)
        resolved = Path(path) if path is not None else default_source_path()
        if resolved is None or not resolved.is_file():
            where = str(resolved) if resolved is not None else f"corpora/source/{SOURCE_NAME}"
            raise InputNotFoundError(
                where,
                "text source not found (it lives in the repository's corpora/source/, not in "
                f"the wheel): pass source_path= or set ${SOURCE_ENV}; rebuild it with "
                "tools/build_textsource.py",
            )
        self.path = resolved
        try:
            data = resolved.read_bytes()
        except OSError as exc:
            raise InputError(
                str(resolved), f"cannot read the text source: {exc.strerror}"
            ) from None
        self.sha256 = hashlib.sha256(data).hexdigest()
        try:
            sentences, nouns = _read_tsv(data)
        except (OSError, EOFError, UnicodeDecodeError) as exc:  # not gzip, truncated, not UTF-8
            raise CorruptInputError(
                str(resolved), f"not a gzip-compressed UTF-8 TSV text source ({exc})"
            ) from None
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
        self._terms: dict[str, Terms] = {}

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


def _read_tsv(data: bytes) -> tuple[dict[str, list[str]], set[str]]:
    """Return the sentences of each topic and the defined head nouns of a gzip TSV source.

    Lines are ``topic<TAB>kind<TAB>sentence`` (``kind`` ``g`` for a definition);
    comment lines (``#``), blank lines and lines of another shape are skipped.
    """
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
                found = _DEFINED_AT_END.search(parts[2]) or _DEFINED_AT_START.match(parts[2])
                if found:
                    nouns.add(found.group(1).lower())
    return sentences, nouns


_SOURCES: dict[str, TextSource] = {}


def load_source(path: str | os.PathLike[str] | None = None) -> TextSource:
    """Return a :class:`TextSource`, cached per resolved path (loaded lazily, once)."""
    resolved = Path(path) if path is not None else default_source_path()
    key = str(resolved.resolve()) if resolved is not None and resolved.exists() else str(resolved)
    source = _SOURCES.get(key)
    if source is None:
        source = _SOURCES[key] = TextSource(resolved)
    return source
