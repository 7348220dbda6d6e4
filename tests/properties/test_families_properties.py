"""Property tests of spindetect.families: link extraction and grouping into families."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.crawl.families import _URL, _components, link_targets

PIECES = st.sampled_from(
    [
        "http://a.com/x",
        "HTTPS://B.org/y?q=http://c.net/z",
        " see ",
        "xhttp://d.io",
        "://",
        "https://",
        "http://e.com.",
        "(http://f.com/a_b)",
        "ahttps://g.com",
        "\n",
        "word",
        "https://h.com/p?u=https://i.com",
        "http",
        "s://",
        "ftp://j.com",
        '<a href="http://k.io">',
    ]
)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PIECES | st.text(max_size=6), max_size=10))
def test_urls_equal_the_regex_findall(parts: list[str]) -> None:
    text = "".join(parts)
    assert link_targets(text) == _URL.findall(text)


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(st.integers(0, 8), max_size=40))
def test_components_equal_a_dictionary_grouping(labels: list[int]) -> None:
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    want = sorted((m for m in groups.values() if len(m) > 1), key=lambda m: (-len(m), m[0]))
    assert _components(np.array(labels, dtype=np.int64)) == want
