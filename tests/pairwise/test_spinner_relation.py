"""The spinner relation (tortured-phrases table) and Lexicon.match_map."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

from spindetect.pairwise.lexicon import RELATION_WEIGHTS, Lexicon, Relation, relation


def _table_lines() -> list[list[str]]:
    raw = resources.files("spindetect").joinpath("data", "spinner_phrases.tsv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def test_table_is_well_formed_and_has_no_unknown_expectations() -> None:
    rows = _table_lines()
    assert len(rows) > 5000
    assert all(len(r) == 4 and r[0] in ("phrase", "word") and int(r[3]) >= 0 for r in rows)
    assert not any("?" in r[1] or "?" in r[2] or r[1] == r[2] for r in rows)


@pytest.mark.parametrize(
    ("a", "b"),
    [("technology", "innovation"), ("analog", "simple"), ("deep learning", "profound learning")],
)
def test_real_spinner_swaps_are_related(a: str, b: str) -> None:
    assert relation(a, b) is Relation.SPINNER
    assert relation(b, a) is Relation.SPINNER
    assert RELATION_WEIGHTS[Relation.SPINNER] >= 0.8


def test_inflected_spinner_swap_is_found_through_morphy() -> None:
    assert relation("technologies", "innovation") is Relation.SPINNER


def test_stronger_wordnet_relation_wins_over_spinner() -> None:
    # 'advantage'/'benefit' is a WordNet link; the table must not downgrade it.
    assert relation("advantages", "benefits") is Relation.HOP1


def test_unrelated_words_stay_unrelated() -> None:
    assert relation("banana", "innovation") is Relation.NONE


def test_match_map_maps_words_of_b_absent_from_a() -> None:
    lex = Lexicon.default()
    m = lex.match_map(
        "the big firm holds valuable technology patents".split(),
        "the large firm holds valuable innovation patents".split(),
    )
    assert m["innovation"] == ("technology", Relation.SPINNER)
    assert m["large"] == ("big", Relation.SYNONYM)
    # words present in a are never mapped, and skipped words neither
    assert "holds" not in m and "the" not in m
    skipped = lex.match_map(["big"], ["large"], skip={"large"})
    assert skipped == {}


def test_match_map_respects_min_weight() -> None:
    lex = Lexicon.default()
    assert lex.match_map(["similar"], ["comparable"], min_weight=0.9) == {} or (
        lex.relation("similar", "comparable") in (Relation.SYNONYM, Relation.FUNCTION)
    )
    assert lex.match_map(["cat"], ["innovation"]) == {}
