"""Property tests of spindetect.spin: determinism and exact ground-truth spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.synth.spinner import spin

SYNONYMS = {
    "quick": ["fast", "speedy"],
    "dog": ["hound", "domestic dog"],
    "runs": ["run", "sprint", "go"],
    "house": ["home", "dwelling"],
    "bright": ["brilliant", "vivid"],
    "people": ["multitude"],
    "struggles": ["struggle", "battle"],
}
WORDS = [
    *SYNONYMS,
    "the",
    "as",
    "well",
    "each",
    "other",
    "however",
    "lots",
    "of",
    "Quick",
    "DOG",
    "caf\u00e9",
    "it\u2019s",
    "alpha",
    "beta",
    "42",
    "x",
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "! ", "\n", "\n\n", "\u00a0", " \u2014 "]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=60).map(
    lambda parts: "".join(w + s for w, s in parts)
)
options = st.fixed_dictionaries(
    {
        "rate": st.floats(0.0, 1.0),
        "seed": st.integers(-(2**40), 2**40),
        "reorder": st.sampled_from([0.0, 0.3, 1.0]),
        "mojibake": st.sampled_from([0.0, 0.5, 1.0]),
        "phrase_swaps": st.booleans(),
        "title": st.sampled_from([None, "A Title", ""]),
        "inject": st.sampled_from([(), ("keyword phrase",), ("a b", "c d")]),
        "link": st.sampled_from([None, "https://example.org/page"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(text=texts, opts=options)
def test_spin_is_deterministic(text: str, opts: dict) -> None:
    assert spin(text, synonyms=SYNONYMS, **opts) == spin(text, synonyms=SYNONYMS, **opts)


@settings(max_examples=300, deadline=None)
@given(text=texts, opts=options)
def test_recorded_spans_slice_to_their_strings(text: str, opts: dict) -> None:
    result = spin(text, synonyms=SYNONYMS, **opts)
    for sub in result.substitutions:
        assert text[sub.start : sub.end] == sub.original
        assert result.text[sub.spun_start : sub.spun_end] == sub.replacement
    for phrase, (start, end) in zip(result.inserted, result.inserted_spans, strict=True):
        assert result.text[start:end] == phrase
    assert 0.0 <= result.rate_achieved <= 1.0


@settings(max_examples=150, deadline=None)
@given(text=texts, seed=st.integers(0, 2**32))
def test_rate_zero_is_identity(text: str, seed: int) -> None:
    assert spin(text, rate=0.0, seed=seed, synonyms=SYNONYMS).text == text
