"""Tests of spindetect.families: reading documents into the table, and family grouping."""

from __future__ import annotations

import pytest

from spindetect.crawl.records import DocumentTable, as_documents
from spindetect.exceptions import InvalidParameterError
from spindetect.sources.document import Document
from spindetect.sources.html import Link

MIXED = [
    "a plain string",
    ("page-7", "a tuple's text"),
    ["page-8", "a list's text"],
    Document(
        "d1",
        "a document",
        title="T",
        url="http://x.org/a",
        links=(Link("http://y.org/", "y", "content"),),
    ),
    "",
]


def test_add_texts_records_what_as_documents_gives() -> None:
    fast, slow = DocumentTable(), DocumentTable()
    texts = list(fast.add_texts(MIXED))
    for doc in as_documents(MIXED):
        slow.add(doc)
    assert fast == slow
    assert texts == [d.text for d in as_documents(MIXED)]
    assert fast.ids == ["0", "page-7", "page-8", "d1", "4"]
    assert fast.links[3] == ("http://y.org/",) and fast.links[0] == ()


def test_add_texts_names_a_bad_item_and_keeps_the_good_ones() -> None:
    table = DocumentTable()
    texts = table.add_texts(["fine", b"bytes"])
    assert next(texts) == "fine"
    with pytest.raises(InvalidParameterError, match="item 1 is bytes"):
        next(texts)
    assert table.ids == ["0"]
