"""Property: the compiled word count of the template stage equals the regex's count."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.crawl.templates import _WORD, word_count

# Word characters, apostrophes (both), separators and a non-ASCII letter, densely mixed.
_TEXT = st.text(alphabet="ab_9Z '\u2019.-\n\u00e9\u00df", max_size=80)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(min_value=0, max_value=40))
def test_word_count_matches_the_regex_up_to_its_limit(text: str, limit: int) -> None:
    want = len(_WORD.findall(text))
    got = word_count(text, limit)
    if want <= limit:
        assert got == want
    else:
        assert got > limit


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", "it's", "don't'", "a_b", "9", "--", "'x", "\u00e9t\u00e9"]),
        max_size=300,
    )
)
def test_word_count_of_long_texts(words: list[str]) -> None:
    text = " ".join(words)
    want = len(_WORD.findall(text))
    got = word_count(text, 200)
    assert got == want if want <= 200 else got > 200
