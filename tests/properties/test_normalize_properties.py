"""Property tests of spindetect.normalize: both normalisers are idempotent."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from spindetect.text.normalization import normalize, normalize_token

# Characters the normaliser treats specially, mixed into arbitrary Unicode text.
_SPECIAL = st.sampled_from(
    list("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u202f\u200b\u200d\ufeff\u00ad")
    + list("\r\n\t \u0301\u0308\u0345\u2033\u2034\ufb01\u1100\u1161\u11a8\u0130\u00df")
)
TEXT = st.text(st.one_of(st.characters(), _SPECIAL), max_size=60)
FORMS = st.sampled_from(["NFKC", "NFC", "NFKD", "NFD", None])


@settings(max_examples=100, deadline=None)
@given(TEXT)
@example("e\u200b\u0301")
@example("a \n \n \n b\r\n\r\n\r\nc")
@example("\u1100\u200b\u1161")
def test_normalize_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=100, deadline=None)
@given(TEXT, FORMS, st.booleans(), st.booleans())
def test_normalize_idempotent_for_every_option(
    text: str, form: str | None, fold: bool, collapse: bool
) -> None:
    once = normalize(text, form=form, fold_punctuation=fold, collapse_whitespace=collapse)
    twice = normalize(once, form=form, fold_punctuation=fold, collapse_whitespace=collapse)
    assert twice == once


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_collapsed_text_has_no_edge_or_run_blanks(text: str) -> None:
    out = normalize(text)
    assert out == out.strip()
    assert "\r" not in out
    assert "\n\n\n" not in out
    assert "  " not in out
    assert all(line == line.strip() for line in out.split("\n"))


@settings(max_examples=100, deadline=None)
@given(TEXT)
@example("\u00df\u0301")
@example("e\u200b\u0301")
@example("\u0130")
@example("\u0345")
@example("\u1f88")
def test_normalize_token_idempotent(token: str) -> None:
    once = normalize_token(token)
    assert normalize_token(once) == once


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_normalize_token_form_is_nfkc_and_caseless(token: str) -> None:
    form = normalize_token(token)
    assert unicodedata.is_normalized("NFKC", form)
    assert normalize_token(form.upper()) == normalize_token(form.upper().casefold())
