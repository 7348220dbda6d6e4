"""Tests for spindetect.pairwise.lexicon_tables: the bundled tables and morphy's rules."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from spindetect.exceptions import IndexFormatError
from spindetect.pairwise.lexicon_tables import (
    FORMAT,
    morphy_bases,
    morphy_variants,
    read_function_groups,
    read_wordnet_table,
    spinner_partners,
)


def test_bundled_wordnet_table_has_its_format() -> None:
    assert read_wordnet_table()["format"] == FORMAT


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"not gzip", "not a lexicon table"), (gzip.compress(b"[1, 2]"), "top level")],
)
def test_bad_wordnet_table_is_a_format_error(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "t.json.gz"
    path.write_bytes(content)
    with pytest.raises(IndexFormatError, match=problem):
        read_wordnet_table(path)


def test_missing_wordnet_table_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(IndexFormatError, match=r"absent\.json\.gz"):
        read_wordnet_table(tmp_path / "absent.json.gz")


def test_morphy_bases_exception_wins_then_rules_in_order() -> None:
    table = {"battle", "busse", "buss"}
    assert morphy_bases("geese", {"geese": "goose"}, table, "n") == ["goose"]
    assert morphy_bases("battles", {}, table, "n") == ["battle"]
    # "busses": rule "s" gives "busse", then rule "ses" -> "s" gives "buss"; rule order kept.
    assert morphy_bases("busses", {}, table, "n") == ["busse", "buss"]
    assert morphy_bases("battles", {}, set(), "n") == []


def test_morphy_variants_are_unchecked_and_keep_the_word() -> None:
    variants = morphy_variants("talked", {}, "v")
    assert variants[0] == "talked"
    assert {"talke", "talk"} <= set(variants)


def test_spinner_partners_are_symmetric() -> None:
    partners = spinner_partners()
    assert partners
    for key, others in list(partners.items())[:500]:
        for other in others:
            assert key in partners[other]


def test_function_groups_have_two_members_or_more() -> None:
    groups = read_function_groups()
    assert groups
    assert all(len(group) >= 2 for group in groups)
