"""``scan(on_texts=...)``: the texts of a run read back at its end, by document id."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from spindetect import InvalidParameterError
from spindetect.crawl.records import ScanResult
from spindetect.crawl.scanning import scan
from spindetect.sources.document import Document
from spindetect.sources.iterate import iter_documents
from spindetect.synth import generate_crawl
from spindetect.text.function_words import FunctionWords


def _docs() -> list[Document]:
    return [
        Document(id=d.id, text=d.text, title=d.title, url=d.url)
        for d in generate_crawl(60, seed=3, doc_words=120)
    ]


Hook = Callable[[ScanResult, Callable[[str], str], FunctionWords | None], None]


def _read_pairs(seen: dict[str, str], vocabularies: list[FunctionWords | None]) -> Hook:
    def hook(
        result: ScanResult, text_of: Callable[[str], str], vocabulary: FunctionWords | None
    ) -> None:
        vocabularies.append(vocabulary)
        for p in result.pairs:
            seen[p.a], seen[p.b] = text_of(p.a), text_of(p.b)

    return hook


def test_in_memory_documents_give_their_own_texts() -> None:
    docs = _docs()
    seen: dict[str, str] = {}
    words: list[FunctionWords | None] = []
    result = scan(docs, explain=0, inspect=False, on_texts=_read_pairs(seen, words))
    assert result.pairs  # the generated crawl holds copies
    by_id = {d.id: d.text for d in docs}
    assert seen and all(seen[i] == by_id[i] for i in seen)
    # called once, with the run's learned vocabulary (IDF from these documents)
    assert len(words) == 1 and isinstance(words[0], FunctionWords)
    assert words[0].n_docs == len(docs)


def test_streamed_jsonl_texts_are_read_back_from_the_file(tmp_path: Path) -> None:
    docs = _docs()
    path = tmp_path / "crawl.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text}) + "\n")
    seen: dict[str, str] = {}
    stream = iter_documents([path], processes=1)
    try:
        result = scan(stream, explain=0, inspect=False, on_texts=_read_pairs(seen, []))
    finally:
        stream.close()
    by_id = {d.id: d.text for d in docs}
    assert result.pairs and seen
    assert all(seen[i] == by_id[i] for i in seen)


def test_on_texts_must_be_callable() -> None:
    with pytest.raises(InvalidParameterError, match="on_texts"):
        scan(_docs(), on_texts=5)  # type: ignore[arg-type]
