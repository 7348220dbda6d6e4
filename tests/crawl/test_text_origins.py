"""Texts read back from their input files (no spool): same texts, same scan records."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from spindetect.crawl.scanning import scan
from spindetect.crawl.texts import TextSpool
from spindetect.exceptions import CorruptInputError
from spindetect.sources.document import Document
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog
from spindetect.synth.crawls import write_crawl
from spindetect.synth.source import default_source_path

ODD_TEXTS = [
    "plain ascii text",
    "caf\u00e9 na\u00efve \u4e2d\u6587 \U0001f600 emoji",
    "lone surrogate \ud800 replaced",
    'quote " backslash \\ tab \t newline \n end',
]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if default_source_path() is None:
        pytest.skip("corpora/source/wordnet_text.tsv.gz is absent")
    out = tmp_path_factory.mktemp("crawl")
    write_crawl(out, 300, seed=5, spin_rates=(0.3,), doc_words=200)
    return out / "docs.jsonl"


def _records(result: Any) -> list[str]:
    lines = []
    for rec in result.records():
        if rec["type"] == "summary":
            rec = {k: v for k, v in rec.items() if k != "seconds"}
        lines.append(json.dumps(rec, sort_keys=True))
    return lines


def _spooled(docs: Iterator[Document]) -> Iterator[Document]:
    """Yield the same documents with no origin: their texts go to the spool."""
    for doc in docs:
        yield replace(doc, origin=None)


def test_scan_records_equal_with_and_without_origins(crawl: Path) -> None:
    with_origins = scan(iter_documents([crawl], errors=SkipLog()), explain=5)
    spooled = scan(_spooled(iter_documents([crawl], errors=SkipLog())), explain=5)
    assert with_origins.pairs, "the crawl holds spun copies"
    assert _records(with_origins) == _records(spooled)


def test_jsonl_documents_are_read_back_not_copied(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": k, "text": t}) for k, t in enumerate(ODD_TEXTS)]
    path.write_text("\n".join(["", *lines[:2], "not json", *lines[2:]]) + "\n")
    docs = list(iter_documents([path], errors=SkipLog()))
    assert [d.origin is not None for d in docs] == [True] * len(ODD_TEXTS)
    spool = TextSpool()
    try:
        for doc in spool.track(docs):
            spool.add([doc.text])
        assert spool.spooled_bytes == 0
        assert [spool[i] for i in range(len(docs))] == [d.text for d in docs]
        assert "\ufffd" in spool[2]
    finally:
        spool.close()


def test_text_files_read_back_with_their_encoding(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfwith a byte-order mark")
    (tmp_path / "utf16.txt").write_bytes("sixteen bits \u00e9".encode("utf-16"))
    (tmp_path / "latin.txt").write_bytes("caf\u00e9 cr\u00e8me".encode("cp1252"))
    docs = list(iter_documents([tmp_path], errors=SkipLog(), encoding="cp1252"))
    assert len(docs) == 3
    spool = TextSpool()
    try:
        mixed = [*docs, Document("memory", "held in memory only")]
        for doc in spool.track(mixed):
            spool.add([doc.text])
        assert [spool[i] for i in range(len(mixed))] == [d.text for d in mixed]
        assert spool.spooled_bytes == len(b"held in memory only")
        spool.add_absent(2)
        assert spool[len(mixed)] == spool[len(mixed) + 1] == ""
    finally:
        spool.close()


def test_a_file_changed_during_the_run_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "first version of the text"}) + "\n")
    spool = TextSpool()
    try:
        for doc in spool.track(iter_documents([path], errors=SkipLog())):
            spool.add([doc.text])
        path.write_text(json.dumps({"id": "a", "text": "second version, longer"}) + "\n")
        os.utime(path, ns=(1, 1))
        with pytest.raises(CorruptInputError, match="changed while it was being scanned"):
            spool[0]
    finally:
        spool.close()


def test_untracked_texts_are_spooled() -> None:
    spool = TextSpool()
    try:
        spool.add(ODD_TEXTS)
        assert [spool[i] for i in range(len(ODD_TEXTS))] == ODD_TEXTS
        assert len(spool) == len(ODD_TEXTS)
    finally:
        spool.close()


def test_expected_total_reads_the_file_size_from_the_first_texts(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": k, "text": f"text number {k:04d} " * 5}) for k in range(400)]
    path.write_text("\n".join(lines) + "\n")
    spool = TextSpool()
    try:
        docs = spool.track(iter_documents([path], errors=SkipLog()))
        spool.add([next(docs).text for _ in range(40)])
        assert 400 <= spool.expected_total() <= 440
        spool.add(["a text held in memory"])
        assert spool.expected_total() == 41  # not every text from the files: no estimate
    finally:
        spool.close()
