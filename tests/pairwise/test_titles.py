"""Tests of spindetect.titles (title block detection, title/body similarity)."""

from __future__ import annotations

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.tfidf import IdfTable
from spindetect.pairwise.titles import TEMPLATE_LABELS, split_title, title_body_similarity
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import tokenize

BODY = (
    "Peer support groups let members share coping strategies. Peer support groups reduce "
    "isolation for their members. Members of peer support groups meet weekly, share stories "
    "and support each other through recovery."
)


# --- split_title ----------------------------------------------------------------------


def test_repeated_title_with_label() -> None:
    header = (
        "WHAT IS MENTALIZATION THERAPY\n\nWhat Is Mentalization Therapy\n\n"
        "what is mentalization   therapy\n\nBlog Article\n\n"
    )
    text = header + BODY
    t = split_title(text)
    assert t.title == "What Is Mentalization Therapy"  # not the all-capitals repetition
    assert t.repeats == 3
    assert t.labels == ("Blog Article",)
    assert t.body_start == len(header)
    assert text[t.body_start :].startswith("Peer support groups")
    start, end = t.span
    assert start == 0
    assert text[start:end].rstrip().endswith("Blog Article")
    assert t.span[1] <= t.body_start


def test_title_prefers_first_non_shouting_variant() -> None:
    t = split_title("BEST BOOKS\nBest books\nBest Books\n" + BODY)
    assert t.title == "Best books"
    assert t.repeats == 3 and t.labels == ()


def test_all_capitals_title_is_kept_when_no_other_variant() -> None:
    t = split_title("BEST BOOKS ON HEALTH\n" + BODY)
    assert t.title == "BEST BOOKS ON HEALTH"
    assert t.repeats == 1


def test_leading_blank_lines_and_crlf() -> None:
    text = "\n\n  My Title  \r\n\r\nMY TITLE\r\nSponsored\r\n" + BODY
    t = split_title(text)
    assert t.title == "My Title"
    assert t.repeats == 2 and t.labels == ("Sponsored",)
    assert text[t.body_start :] == BODY


def test_labels_only_count_in_the_header_block() -> None:
    text = "My Title\n" + BODY + "\nBlog Article\nMore text follows here."
    t = split_title(text)
    assert t.title == "My Title" and t.labels == ()
    assert t.body_start == len("My Title\n")


def test_labels_are_template_labels() -> None:
    assert "blog article" in TEMPLATE_LABELS
    assert all(label == label.casefold() for label in TEMPLATE_LABELS)


@pytest.mark.parametrize(
    "text",
    [
        "Just one line of text",
        "Just one line\n\n   \n",
        "This is a sentence.\nAnd the body follows here.",
        "A list, of things,\nbody here.",
        "Note:\nbody here.",
        " ".join(["word"] * 21) + "\nBody text here.",
        "My Title\nBlog Article\n",  # a title block with no body after it
        "",
    ],
    ids=[
        "single-line",
        "single-line-blank-after",
        "full-stop",
        "comma",
        "colon",
        "21-words",
        "no-body",
        "empty",
    ],
)
def test_no_title(text: str) -> None:
    t = split_title(text)
    assert t.title is None
    assert t.body_start == 0 and t.repeats == 0 and t.labels == ()


def test_twenty_words_is_still_a_title() -> None:
    line = " ".join(["Word"] * 20)
    t = split_title(line + "\nBody text here.")
    assert t.title == line
    assert t.body_start == len(line) + 1


def test_question_title_is_a_title() -> None:
    assert split_title("What Is MBT?\n" + BODY).title == "What Is MBT?"


# --- title_body_similarity ---------------------------------------------------------------


def test_title_of_main_topic_words_scores_high() -> None:
    forms = tokenize(BODY).forms
    assert title_body_similarity("Peer Support Groups", forms) == pytest.approx(1.0)
    assert title_body_similarity("Support Groups for Members", forms) >= 0.9


def test_unrelated_title_scores_low() -> None:
    forms = tokenize(BODY).forms
    assert title_body_similarity("Stock Market Crash Predictions", forms) == 0.0
    mixed = title_body_similarity("Peer Support Stock Market", forms)
    assert 0.0 < mixed < 1.0


def test_half_credit_for_body_word_outside_keywords() -> None:
    forms = tokenize(BODY).forms
    # With one keyword only ("peer"/"support"/"groups" outrank the rest) a title
    # made of a word that occurs once in the body gets half credit.
    assert title_body_similarity("Recovery", forms, keywords=1) == pytest.approx(0.5)
    assert title_body_similarity("Recovery", forms, keywords=100) == pytest.approx(1.0)


def test_title_of_stop_words_only_scores_zero() -> None:
    title = "What Is It About"
    assert all(f in STOPWORDS for f in tokenize(title).forms)
    assert title_body_similarity(title, tokenize(BODY).forms) == 0.0
    assert title_body_similarity("", tokenize(BODY).forms) == 0.0


def test_similarity_is_in_unit_interval_with_custom_idf() -> None:
    idf = IdfTable.fit([BODY, "Stock markets fell today.", "Members met today."])
    forms = tokenize(BODY).forms
    for title in ["Peer Support", "Stock Market", "Members Today", "Isolation"]:
        s = title_body_similarity(title, forms, idf=idf)
        assert 0.0 <= s <= 1.0


def test_empty_body_scores_zero() -> None:
    assert title_body_similarity("Peer Support", ()) == 0.0


@pytest.mark.parametrize("bad", [0, -3, 1.5, True, None])
def test_keywords_validation_names_parameter(bad: object) -> None:
    with pytest.raises(InvalidParameterError, match="keywords"):
        title_body_similarity(
            "Peer Support",
            tokenize(BODY).forms,
            keywords=bad,  # type: ignore[arg-type]
        )
