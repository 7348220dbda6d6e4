"""Tests of spindetect.lexicon (WordNet table reader, morphy, graded relations)."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from spindetect.exceptions import IndexFormatError, InvalidParameterError
from spindetect.pairwise.lexicon import (
    RELATION_WEIGHTS,
    Lexicon,
    Relation,
    function_synonyms,
    is_known,
    relation,
    synonyms,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "spindetect" / "data"
WORDNET_DIR = Path("/usr/share/wordnet")


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.default()


# Pairs from the seed pair analysis (research note lexicon.md, section 3).
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("fulfill", "meet", Relation.SYNONYM),
        ("acquire", "gain", Relation.SYNONYM),
        ("frequently", "often", Relation.SYNONYM),
        ("battles", "struggles", Relation.SYNONYM),  # needs morphy on both sides
        ("assists", "aids", Relation.SYNONYM),
        ("advantages", "benefits", Relation.HOP1),
        ("team", "group", Relation.HOP1),
        ("helpful", "useful", Relation.HOP1),
        ("similar", "comparable", Relation.SYNONYM_OF_SYNONYM),
        ("amongst", "among", Relation.FUNCTION),
        ("but", "however", Relation.FUNCTION),
        ("each other", "one another", Relation.FUNCTION),
        ("get in touch", "connect", Relation.SYNONYM),
        ("talked about", "discussed", Relation.SYNONYM),  # multiword: first word morphed
        ("risk free", "safe", Relation.HOP1),
        ("battles", "battle", Relation.SAME),
        ("met", "meet", Relation.SAME),  # verb exception list
        ("risk free", "risk-free", Relation.SAME),
        ("banana", "democracy", Relation.NONE),
        ("individuals", "people", Relation.SPINNER),  # a spinner choice WordNet lacks
        ("the", "banana", Relation.NONE),
        ("xyzzyq", "plugh", Relation.NONE),
    ],
)
def test_relation_known_pairs(a: str, b: str, expected: Relation) -> None:
    assert relation(a, b) is expected
    assert relation(b, a) is expected


def test_relation_is_case_and_space_insensitive() -> None:
    assert relation("FULFILL", "Meet") is Relation.SYNONYM
    assert relation("Get  In\tTouch", "connect") is Relation.SYNONYM
    assert relation("Risk\u2011Free", "risk free") is Relation.SAME


def test_relation_blank_input_is_none() -> None:
    assert relation("", "") is Relation.NONE
    assert relation("  ", "meet") is Relation.NONE


@pytest.mark.parametrize("bad", [None, 1, b"meet", ["meet"]])
def test_bad_input_types(bad: object) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        relation(bad, "meet")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a str"):
        relation("meet", bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        synonyms(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        is_known(bad)  # type: ignore[arg-type]


def test_bad_pos_names_parameter() -> None:
    with pytest.raises(InvalidParameterError, match="pos"):
        synonyms("meet", pos="x")


def test_relation_order_prefers_synonym_over_function(lex: Lexicon) -> None:
    # "but" and "yet" are both in a function group; WordNet has no synset shared
    # by them, so the function level decides.
    assert lex.relation("but", "yet") is Relation.FUNCTION


def test_morphy_follows_wordnet(lex: Lexicon) -> None:
    assert lex.morphy("battles", "n") == ("battle",)
    assert lex.morphy("geese", "n") == ("goose",)
    assert lex.morphy("is", "n") == ()  # the self-mapping exception blocks is -> i
    assert "be" in lex.morphy("is", "v")
    assert lex.morphy("talked about", "v") == ("talk_about",)
    assert lex.morphy("credit cards", "n") == ("credit_card",)
    assert lex.morphy("happier", "s") == ("happy",)


def test_synonyms_of_a_word() -> None:
    syns = synonyms("fulfill")
    assert "meet" in syns
    assert "carry out" in syns  # multiword lemmas use spaces
    assert "fulfill" not in syns
    assert len(set(syns)) == len(syns)
    assert synonyms("Fulfill") == syns


def test_synonyms_exclude_word_and_its_bases() -> None:
    syns = synonyms("battles")
    assert "struggle" in syns
    assert "battle" not in syns and "battles" not in syns


def test_synonyms_pos_filter() -> None:
    everything = synonyms("fast")
    adverbs = synonyms("fast", pos="r")
    assert adverbs and set(adverbs) < set(everything)
    assert synonyms("fast", pos="s") == synonyms("fast", pos="a")


def test_synonyms_unknown_word_is_empty() -> None:
    assert synonyms("xyzzyq") == ()
    assert synonyms("") == ()


def test_function_synonyms() -> None:
    assert "among" in function_synonyms("Amongst")
    assert "amongst" not in function_synonyms("amongst")
    assert function_synonyms("banana") == ()


def test_is_known() -> None:
    assert is_known("dog")
    assert is_known("Dogs")
    assert is_known("among")  # function-word table only
    assert is_known("get in touch")
    assert not is_known("xyzzyq")
    assert not is_known("")


def test_synsets_and_lemmas_round_trip(lex: Lexicon) -> None:
    ids = lex.synsets("dog", pos="n")
    assert ids and len(set(ids)) == len(ids)
    assert "domestic dog" in lex.lemmas(ids[0])  # the first sense is the animal
    for synset in ids:
        assert "dog" in lex.lemmas(synset)
    assert set(lex.synsets("dogs")) >= set(ids)
    assert len(lex) > 100_000


def test_relation_weights_cover_every_relation() -> None:
    assert set(RELATION_WEIGHTS) == set(Relation)
    assert all(0.0 <= w <= 1.0 for w in RELATION_WEIGHTS.values())
    w = RELATION_WEIGHTS
    assert w[Relation.SYNONYM] == max(w.values())
    assert w[Relation.SYNONYM] > w[Relation.HOP1] > w[Relation.SYNONYM_OF_SYNONYM] > 0
    assert w[Relation.SAME] == w[Relation.NONE] == 0.0


def test_relation_values_are_strings() -> None:
    assert Relation("function-word") is Relation.FUNCTION
    assert Relation.SYNONYM == "synonym"


def test_default_is_cached() -> None:
    assert Lexicon.default() is Lexicon.default()


def test_function_groups_are_well_formed() -> None:
    lines = (DATA / "function_synonyms.tsv").read_text(encoding="utf-8").splitlines()
    groups = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert len(groups) >= 10
    for group in groups:
        assert len(group) >= 2
        assert all(member == member.strip() and member for member in group)
        first = group[0]
        for member in group[1:]:
            assert relation(first, member) in {Relation.FUNCTION, Relation.SYNONYM}


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IndexFormatError, match="cannot read"):
        Lexicon.load(tmp_path / "missing.json.gz")


def test_load_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "bad.json.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(IndexFormatError, match="not a lexicon table"):
        Lexicon.load(path)


def test_load_wrong_format(tmp_path: Path) -> None:
    path = tmp_path / "other.json.gz"
    path.write_bytes(gzip.compress(b"# header\n" + json.dumps({"format": "other/9"}).encode()))
    with pytest.raises(IndexFormatError, match="format"):
        Lexicon.load(path)


def test_load_malformed_table(tmp_path: Path) -> None:
    path = tmp_path / "broken.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"format": "spindetect-wordnet/1"}).encode()))
    with pytest.raises(IndexFormatError, match="malformed"):
        Lexicon.load(path)


def test_bundled_table_carries_licence_and_provenance() -> None:
    table = DATA / "wordnet.json.gz"
    text = gzip.decompress(table.read_bytes()).decode("ascii")
    header = "\n".join(line for line in text.splitlines()[:40] if line.startswith("#"))
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in header
    assert "may not be used in" in header  # the advertising clause
    assert "WordNet 3.0 Copyright 2006" in (DATA / "LICENSE-WordNet").read_text(encoding="utf-8")
    provenance = json.loads((DATA / "wordnet.provenance.json").read_text(encoding="utf-8"))
    assert provenance["output"]["sha256"] == hashlib.sha256(table.read_bytes()).hexdigest()
    assert provenance["source"]["package"] == "wordnet-base"


def test_bundled_table_is_small() -> None:
    assert (DATA / "wordnet.json.gz").stat().st_size < 1_600_000


@pytest.mark.slow
@pytest.mark.skipif(not (WORDNET_DIR / "data.noun").is_file(), reason="wordnet-base not installed")
def test_rebuild_gives_identical_bytes(tmp_path: Path) -> None:
    output = tmp_path / "wordnet.json.gz"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "build_lexicon.py"),
            "--wordnet-dir",
            str(WORDNET_DIR),
            "--output",
            str(output),
        ],
        check=True,
        capture_output=True,
    )
    assert output.read_bytes() == (DATA / "wordnet.json.gz").read_bytes()
    for name in ("LICENSE-WordNet", "wordnet.provenance.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes()
