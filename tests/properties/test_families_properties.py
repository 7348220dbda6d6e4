"""Property tests of spindetect.families: link extraction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.families import _URL, _urls

PIECES = st.sampled_from([
    "http://a.com/x", "HTTPS://B.org/y?q=http://c.net/z", " see ", "xhttp://d.io", "://",
    "https://", "http://e.com.", "(http://f.com/a_b)", "ahttps://g.com", "\n", "word",
    "https://h.com/p?u=https://i.com", "http", "s://", "ftp://j.com", "<a href=\"http://k.io\">",
])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PIECES | st.text(max_size=6), max_size=10))
def test_urls_equal_the_regex_findall(parts: list[str]) -> None:
    text = "".join(parts)
    assert _urls(text) == _URL.findall(text)
