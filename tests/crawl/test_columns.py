"""Tests of spindetect.crawl.columns.StringColumn against the list it replaces."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.crawl.columns import StringColumn
from spindetect.crawl.records import DocumentTable
from spindetect.sources.document import Document

_ITEMS = st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(_ITEMS, st.integers(-35, 35), st.integers(-35, 35))
def test_column_reads_back_what_a_list_holds(items: list[str | None], a: int, b: int) -> None:
    column = StringColumn()
    for item in items:
        column.append(item)
    assert len(column) == len(items) and list(column) == items
    assert column[a:b] == items[a:b] and column[::-2] == items[::-2]
    assert (
        column == items and column == StringColumn(items) and column != StringColumn([*items, ""])
    )
    for i in (a, b):
        if -len(items) <= i < len(items):
            assert column[i] == items[i]
        else:
            with pytest.raises(IndexError):
                column[i]


def test_lone_surrogates_and_empty_strings_round_trip() -> None:
    items = ["", "\ud800x", None, "日本語", ""]
    assert list(StringColumn(items)) == items


def test_document_table_keeps_titles_and_urls_in_columns() -> None:
    table = DocumentTable()
    texts = list(
        table.add_texts([Document("a", "one", title="T", url="http://x"), "two", ("c", "three")])
    )
    assert texts == ["one", "two", "three"]
    assert isinstance(table.titles, StringColumn) and isinstance(table.urls, StringColumn)
    assert (list(table.titles), list(table.urls)) == (["T", None, None], ["http://x", None, None])
    assert table.ids == ["a", "1", "c"]
