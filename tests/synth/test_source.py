"""Tests of spindetect.synth.source: the topic-grouped text source."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest
from _synth_text import needs_source

from spindetect import synth
from spindetect.exceptions import InputNotFoundError, InvalidParameterError

pytestmark = needs_source


def test_missing_source_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="source_path"):
        synth.TextSource(tmp_path / "absent.tsv.gz")
    with pytest.raises(FileNotFoundError):
        synth.generate_negatives(1, source_path=tmp_path / "absent.tsv.gz")


def test_source_carries_the_wordnet_licence() -> None:
    path = synth.default_source_path()
    assert path is not None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = "".join(itertools.islice(handle, 40))
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in header
    assert (path.parent / "LICENSE-WordNet").is_file()


def test_source_topics_are_lexicographer_files() -> None:
    src = synth.load_source()
    assert len(src.topics) >= 30
    assert "noun.food" in src.topics and "verb.motion" in src.topics
    assert all(len(src.sentences(t)) >= 400 for t in src.topics)
    with pytest.raises(InvalidParameterError, match="topic"):
        src.sentences("noun.nonsense")
