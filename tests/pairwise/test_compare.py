"""Tests of spindetect.compare (scores, verdict, explanation, JSON contract)."""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import pytest

from spindetect.exceptions import (
    BinaryInputError,
    EmptyInputError,
    InputDecodeError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    InvalidParameterError,
    NotAFileError,
)
from spindetect.pairwise.comparison import (
    VERDICTS,
    Comparison,
    VerdictRules,
    compare,
    compare_files,
)
from spindetect.pairwise.lexicon import RELATION_WEIGHTS, Relation, relation
from spindetect.pairwise.titles import split_title
from spindetect.text.tokens import tokenize

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
SEED_A, SEED_B = SEEDS[:2]
MPC = ROOT.parent / "shared" / "corpora" / "mpc-dev" / "paragraph_pairs.jsonl"

# A different-topic text of about 150 words (geology), three paragraphs.
UNRELATED = (
    "Volcanic eruptions begin deep underground, where rock melts into magma under intense heat "
    "and pressure. As the magma rises through cracks in the crust, gases dissolved in it expand "
    "and push the molten rock upward. When the pressure becomes too great, the volcano erupts, "
    "sending lava, ash and steam into the air.\n\n"
    "Geologists monitor active volcanoes with seismometers, satellite radar and gas sensors. "
    "Small earthquakes beneath a mountain often signal that magma is moving, while a rise in "
    "sulfur dioxide can mean that fresh magma is close to the surface. Ground swelling measured "
    "by GPS stations adds another clue.\n\n"
    "Ash clouds are dangerous for aircraft because the fine glass particles melt inside jet "
    "engines. Airlines therefore reroute flights around eruptions, sometimes for days. On the "
    "ground, thick ash can collapse roofs, contaminate water supplies and damage crops across "
    "wide areas downwind of the vent."
)
SHORT_UNRELATED = UNRELATED.split("\n\n")[0]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str) -> str:
    out, n = re.subn(rf"\b{re.escape(old)}\b", new, text, count=1)
    assert n == 1, old
    return out


@pytest.fixture(scope="module")
def text_a() -> str:
    return _read(SEED_A)


@pytest.fixture(scope="module")
def text_b() -> str:
    return _read(SEED_B)


@pytest.fixture(scope="module")
def seeds(text_a: str, text_b: str) -> Comparison:
    return compare(text_a, text_b)


@pytest.fixture(scope="module")
def seed_paragraphs(text_a: str) -> list[str]:
    body = text_a[split_title(text_a).body_start :]
    return [p for p in body.split("\n\n") if p.strip()]


# --- the seed pair -----------------------------------------------------------------


def test_seed_pair_is_spun(seeds: Comparison) -> None:
    assert seeds.verdict == "spun"
    assert seeds.is_copy
    assert 0.5 < seeds.confidence <= 1.0


def test_seed_titles_both_mismatch(seeds: Comparison, text_a: str, text_b: str) -> None:
    for side, text in (("a", text_a), ("b", text_b)):
        finding = seeds.titles[side]
        assert finding is not None
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # first line is the all-capitals repetition, the second the best-cased one
        assert lines[0] == lines[1].upper()
        assert finding.text == lines[1]
        assert finding.repeats == 3
        assert finding.labels == ("Blog Article",)
        assert finding.mismatch
        assert finding.body_similarity < VerdictRules().title_threshold


def test_seed_injected_phrases(seeds: Comparison) -> None:
    assert "mental health hotlines" in seeds.inserted["a"]
    assert "outpatient mental health treatment" in seeds.inserted["b"]
    assert "mental health hotlines" not in seeds.inserted["b"]
    assert "outpatient mental health treatment" not in seeds.inserted["a"]


def test_seed_substitution_map_covers_difflib_word_swaps(
    seeds: Comparison, text_a: str, text_b: str
) -> None:
    fa, fb = tokenize(text_a).forms, tokenize(text_b).forms
    matcher = difflib.SequenceMatcher(None, fa, fb, autojunk=False)
    ops = [
        (fa[i1], fb[j1])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1
    ]
    assert len(ops) >= 50  # the spinner swapped many single words
    found = {(s.a, s.b) for s in seeds.substitutions}
    covered = sum(op in found for op in ops)
    assert covered >= 0.9 * len(ops), [op for op in ops if op not in found]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("advantages", "benefits"),
        ("fulfill", "meet"),
        ("group", "system"),
        ("seclusion", "isolation"),
    ],
)
def test_seed_known_substitutions(seeds: Comparison, a: str, b: str) -> None:
    match = [s for s in seeds.substitutions if (s.a, s.b) == (a, b)]
    assert len(match) == 1
    assert match[0].count >= 1
    assert match[0].relation == relation(a, b).value


def test_seed_substitution_map_is_consistent(seeds: Comparison) -> None:
    keys = [(s.a, s.b) for s in seeds.substitutions]
    assert len(keys) == len(set(keys))
    assert sum(s.count for s in seeds.substitutions) == seeds.stats["swaps"]
    counts = [s.count for s in seeds.substitutions]
    assert counts == sorted(counts, reverse=True)
    assert all(s.a != s.b for s in seeds.substitutions)


def test_seed_scores_and_stats(seeds: Comparison) -> None:
    s = seeds.scores
    assert all(0.0 <= v <= 1.0 for v in s.values())
    # classic shingle dedup misses the spun copy, the alignment does not
    assert s["word_jaccard"] < 0.3
    assert s["coverage_a"] >= 0.9 and s["coverage_b"] >= 0.9
    assert s["unigram_jaccard"] > s["word3_jaccard"] > s["word_jaccard"]
    assert seeds.stats["aligned_pairs"] == seeds.stats["sentences_a"] == seeds.stats["sentences_b"]


def test_confidence_follows_documented_logistic(seeds: Comparison, text_a: str) -> None:
    def p_copy(r: Comparison) -> float:
        s = r.scores
        z = (
            -6.69
            + 4.76 * min(s["coverage_a"], s["coverage_b"])
            + 1.95 * s["kept"]
            + 2.18 * s["tfidf_cosine"]
            + 3.71 * s["synonym_evidence"]
        )
        return 1.0 / (1.0 + math.exp(-z))

    assert seeds.confidence == pytest.approx(p_copy(seeds))
    unrelated = compare(text_a, UNRELATED)
    assert unrelated.confidence == pytest.approx(1.0 - p_copy(unrelated))
    assert unrelated.confidence > 0.9


# --- other verdicts -------------------------------------------------------------------


def test_page_against_itself_is_identical(text_a: str) -> None:
    r = compare(text_a, text_a)
    assert r.verdict == "identical" and r.is_copy
    assert r.confidence == 1.0
    assert r.substitutions == ()
    assert r.inserted == {"a": (), "b": ()}
    assert all(p.kind == "identical" and p.changes == () for p in r.passages)
    assert r.scores["kept"] == 1.0 and r.scores["tfidf_cosine"] == pytest.approx(1.0)


def test_identical_ignores_case_and_punctuation() -> None:
    r = compare("The cat sat on the mat, today.", "the CAT sat on the mat today!")
    assert r.verdict == "identical"


def test_seed_against_unrelated_text(text_a: str) -> None:
    assert 130 <= len(tokenize(UNRELATED)) <= 170
    r = compare(text_a, UNRELATED)
    assert r.verdict == "unrelated"
    assert not r.is_copy
    assert r.substitutions == () and r.passages == ()
    assert r.scores["coverage_a"] == r.scores["coverage_b"] == 0.0


def test_two_words_changed_is_near_duplicate(text_a: str) -> None:
    changed = _replace_once(_replace_once(text_a, "fulfill", "meet"), "battles", "struggles")
    r = compare(text_a, changed)
    assert r.verdict == "near-duplicate"
    assert r.is_copy
    assert {(s.a, s.b) for s in r.substitutions} == {("fulfill", "meet"), ("battles", "struggles")}
    assert r.scores["kept"] > 0.99


def test_lightly_spun_copy_is_spun_not_near_duplicate(text_a: str) -> None:
    # three related swaps: kept stays above near_duplicate_kept but the changes look spun
    swaps = [("fulfill", "meet"), ("battles", "struggles"), ("buddies", "friends")]
    changed = text_a
    for old, new in swaps:
        changed = _replace_once(changed, old, new)
    r = compare(text_a, changed)
    assert r.scores["kept"] >= VerdictRules().near_duplicate_kept
    assert r.stats["related_swaps"] == 3
    assert r.verdict == "spun"
    # the same number of edits with unrelated words stays a near-duplicate
    edited = text_a
    for old, new in [("fulfill", "zebra"), ("battles", "pancakes"), ("buddies", "voltage")]:
        edited = _replace_once(edited, old, new)
    assert compare(text_a, edited).verdict == "near-duplicate"


def test_spin_rule_boundaries(text_a: str) -> None:
    swaps = [("fulfill", "meet"), ("buddies", "friends")]
    changed = text_a
    for old, new in swaps:
        changed = _replace_once(changed, old, new)
    r = compare(text_a, changed)
    evidence = sum(RELATION_WEIGHTS[relation(x, y)] for x, y in swaps) / len(swaps)
    assert r.scores["synonym_evidence"] == pytest.approx(evidence)
    assert r.stats["related_swaps"] == 2
    assert r.verdict == "near-duplicate"  # spin_swaps=3 by default
    e = r.scores["synonym_evidence"]
    assert (
        compare(text_a, changed, rules=VerdictRules(spin_swaps=2, spin_evidence=e)).verdict
        == "spun"
    )
    above = math.nextafter(e, 2.0)
    assert (
        compare(text_a, changed, rules=VerdictRules(spin_swaps=2, spin_evidence=above)).verdict
        == "near-duplicate"
    )


def test_seed_kept_and_coverage_boundaries(text_a: str, text_b: str, seeds: Comparison) -> None:
    kept = seeds.scores["kept"]
    cov = min(seeds.scores["coverage_a"], seeds.scores["coverage_b"])
    up = math.nextafter

    def verdict(**rules: float) -> str:
        return compare(text_a, text_b, rules=VerdictRules(**rules)).verdict

    # near-duplicate needs kept >= near_duplicate_kept and changes that do not look spun
    assert verdict(near_duplicate_kept=kept, spin_swaps=10_000) == "near-duplicate"
    assert verdict(near_duplicate_kept=up(kept, 2.0), spin_swaps=10_000) == "spun"
    assert verdict(near_duplicate_kept=kept) == "spun"  # spin-like changes
    # spun needs kept >= spun_kept ...
    assert verdict(spun_kept=kept) == "spun"
    assert verdict(spun_kept=up(kept, 2.0)) == "partial"  # partial has its own partial_kept
    no_alignment_partial = {"spun_kept": up(kept, 2.0), "partial_kept": up(kept, 2.0)}
    assert verdict(**no_alignment_partial, contained_share=1.0) == "unrelated"
    # ... unless its runs of shared words, in any order, cover enough of the shorter text
    share = seeds.scores["containment"]
    assert verdict(**no_alignment_partial, contained_share=share) == "partial"
    assert verdict(**no_alignment_partial, contained_share=up(share, 2.0)) == "unrelated"
    # ... and min(coverage) >= copy_coverage
    assert verdict(copy_coverage=cov) == "spun"
    if cov < 1.0:
        assert verdict(copy_coverage=up(cov, 2.0)) in {"partial", "unrelated"}


# --- partial copies ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def partial_text(seed_paragraphs: list[str]) -> tuple[str, int]:
    """Return a short unrelated paragraph, then the seed's first three paragraphs verbatim."""
    copied = "\n\n".join(seed_paragraphs[:3])
    text = SHORT_UNRELATED + "\n\n" + copied
    assert split_title(text).title is None
    return text, len(tokenize(copied))


def test_partial_copy(text_a: str, partial_text: tuple[str, int]) -> None:
    text, n_copied = partial_text
    r = compare(text_a, text)
    assert r.verdict == "partial"
    assert r.is_copy
    n_b = len(tokenize(text))
    assert r.scores["coverage_b"] == pytest.approx(n_copied / n_b)
    assert r.scores["kept"] == 1.0
    assert r.inserted["b"]  # the unrelated sentences are only in b


def test_partial_rule_boundaries(text_a: str, partial_text: tuple[str, int]) -> None:
    text, n_copied = partial_text
    cov_b = n_copied / len(tokenize(text))

    def verdict(**rules: float) -> str:
        return compare(text_a, text, rules=VerdictRules(**rules)).verdict

    # aligned tokens >= partial_tokens (inclusive)
    assert verdict(partial_tokens=n_copied) == "partial"
    no_containment = {
        "contained_share": 1.0,
        "contained_passage": n_copied + 1,
        "passage_score": 1e9,
    }
    assert verdict(partial_tokens=n_copied + 1, **no_containment) == "unrelated"
    assert verdict(partial_tokens=n_copied + 1) == "partial"  # the copy is contained
    # max(coverage) >= copy_coverage (inclusive) ...
    assert verdict(copy_coverage=cov_b, near_duplicate_kept=1.0) == "partial"
    # ... or a verbatim passage: kept >= near_duplicate_kept whatever the coverage
    assert verdict(copy_coverage=math.nextafter(cov_b, 2.0)) == "partial"
    # kept >= partial_kept: the copy is verbatim, so kept = 1 passes even the strictest rule
    assert verdict(partial_kept=1.0) == "partial"


def test_partial_tokens_boundary_is_exact_for_any_length(text_a: str) -> None:
    sentence = "This allows for empathy to develop, which is an important tool for healing."
    assert sentence in text_a
    other = "Volcanic ash can damage jet engines and collapse weak roofs."
    n_copied, n_other = len(tokenize(sentence)), len(tokenize(other))
    assert (n_copied, n_other) == (13, 10)
    r = compare(text_a, sentence + " " + other, rules=VerdictRules(partial_tokens=n_copied))
    assert r.scores["coverage_b"] == pytest.approx(13 / 23)
    assert r.verdict == "partial"


def test_copied_paragraphs_inside_longer_text_is_a_copy(
    text_a: str, seed_paragraphs: list[str]
) -> None:
    text = "\n\n".join(seed_paragraphs[:3]) + "\n\n" + UNRELATED
    r = compare(text_a, text)
    assert r.is_copy
    assert r.verdict in {"partial", "spun"}


# --- options ---------------------------------------------------------------------------


def test_mojibake_is_repaired_before_comparing() -> None:
    clean = "The café opened on Monday near the old harbour in the town centre."
    broken = clean.encode("utf-8").decode("latin-1")
    assert broken != clean
    r = compare(clean, broken)
    assert r.verdict == "identical"
    assert r.text_b == clean
    assert compare(clean, broken, fix_mojibake=False).verdict != "identical"


def test_detect_titles_off(text_a: str, text_b: str) -> None:
    r = compare(text_a, text_b, detect_titles=False)
    assert r.titles == {"a": None, "b": None}
    assert r.is_copy


# --- JSON contract -------------------------------------------------------------------


def _check_contract(r: Comparison) -> dict:
    d = json.loads(json.dumps(r.to_dict()))
    assert d == r.to_dict()
    assert {
        "verdict",
        "confidence",
        "scores",
        "substitutions",
        "inserted",
        "titles",
        "passages",
    } <= set(d)
    assert d["verdict"] in VERDICTS
    assert 0.0 <= d["confidence"] <= 1.0
    assert d["scores"] and all(0.0 <= v <= 1.0 for v in d["scores"].values())
    for s in d["substitutions"]:
        assert set(s) == {"a", "b", "count", "relation"}
        assert isinstance(s["a"], str) and isinstance(s["b"], str)
        assert isinstance(s["count"], int) and s["count"] >= 1
        assert s["relation"] in {rel.value for rel in Relation}
    assert set(d["inserted"]) == {"a", "b"}
    assert all(isinstance(x, str) for side in ("a", "b") for x in d["inserted"][side])
    assert set(d["titles"]) == {"a", "b"}
    for t in d["titles"].values():
        if t is not None:
            assert {"text", "mismatch", "body_similarity"} <= set(t)
            assert isinstance(t["mismatch"], bool) and 0.0 <= t["body_similarity"] <= 1.0
    for p in d["passages"]:
        assert {"a", "b", "kind"} <= set(p)
        assert p["kind"] in {"identical", "spun", "edited", "moved"}
        (a0, a1), (b0, b1) = p["a"], p["b"]
        assert 0 <= a0 < a1 <= len(r.text_a) and 0 <= b0 < b1 <= len(r.text_b)
        # spans start and end on word boundaries of the texts
        piece_a, piece_b = r.text_a[a0:a1], r.text_b[b0:b1]
        assert piece_a == piece_a.strip() and piece_b == piece_b.strip()
        assert len(tokenize(piece_a)) and len(tokenize(piece_b))
        if p["kind"] == "identical":
            assert tokenize(piece_a).forms == tokenize(piece_b).forms
        for c in p.get("changes", []):
            assert a0 <= c["a"][0] <= c["a"][1] <= a1 and b0 <= c["b"][0] <= c["b"][1] <= b1
            assert c["kind"] in {"swap", "insert", "delete", "rewrite"}
    return d


def test_to_dict_contract_seed_pair(seeds: Comparison) -> None:
    d = _check_contract(seeds)
    assert d["verdict"] == "spun"
    assert d["titles"]["a"]["mismatch"] is True and d["titles"]["b"]["mismatch"] is True
    assert "mental health hotlines" in d["inserted"]["a"]
    assert {"a": "fulfill", "b": "meet", "count": 1, "relation": "synonym"} in d["substitutions"]
    # passages follow document a and do not overlap
    starts = [p["a"] for p in d["passages"]]
    assert all(x[1] <= y[0] for x, y in itertools.pairwise(starts))


def test_swap_changes_slice_the_swapped_words(seeds: Comparison) -> None:
    pairs = {(s.a, s.b) for s in seeds.substitutions}
    swaps = [c for p in seeds.passages for c in p.changes if c.kind == "swap"]
    assert swaps
    for c in swaps:
        fa = tokenize(seeds.text_a[c.a[0] : c.a[1]]).forms
        fb = tokenize(seeds.text_b[c.b[0] : c.b[1]]).forms
        assert fa and fb and fa != fb
    # one-word swap changes name an entry of the substitution map
    one_word = [
        c
        for c in swaps
        if len(tokenize(seeds.text_a[c.a[0] : c.a[1]])) == 1
        and len(tokenize(seeds.text_b[c.b[0] : c.b[1]])) == 1
    ]
    assert one_word
    for c in one_word:
        key = (
            tokenize(seeds.text_a[c.a[0] : c.a[1]]).forms[0],
            tokenize(seeds.text_b[c.b[0] : c.b[1]]).forms[0],
        )
        assert key in pairs


@pytest.mark.parametrize("case", ["identical", "unrelated", "partial", "empty", "moved"])
def test_to_dict_contract_other_verdicts(
    text_a: str, case: str, partial_text: tuple[str, int]
) -> None:
    s = [
        "Peer support groups help people meet others with similar experiences.",
        "Members share coping strategies and practical advice with one another.",
        "The shared experiences can reduce feelings of isolation and loneliness.",
    ]
    a, b = {
        "identical": (text_a, text_a),
        "unrelated": (text_a, UNRELATED),
        "partial": (text_a, partial_text[0]),
        "empty": ("", "Some words here."),
        "moved": (" ".join(s), " ".join([s[2], s[0], s[1]])),
    }[case]
    d = _check_contract(compare(a, b))
    if case == "moved":
        assert "moved" in {p["kind"] for p in d["passages"]}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Peer support groups help members every week. Groups meet weekly in the old hall.",
            "Peer support groups help members every week mental health hotlines. "
            "Groups meet weekly in the old hall.",
        ),
        ("peer ", "peer peer "),
    ],
    ids=["before-next-sentence", "end-of-text"],
)
def test_insertion_change_lies_inside_its_passage(a: str, b: str) -> None:
    r = compare(a, b)
    inserts = [(p, c) for p in r.passages for c in p.changes if c.kind == "insert"]
    assert inserts
    for p, c in inserts:
        assert c.a[0] == c.a[1]
        assert p.a[0] <= c.a[0] <= p.a[1]
        assert p.b[0] <= c.b[0] <= c.b[1] <= p.b[1]


# --- errors and validation ------------------------------------------------------------


def test_compare_files_seed_pair() -> None:
    r = compare_files(SEED_A, SEED_B)
    assert r.verdict == "spun"
    assert r.text_a == _read(SEED_A)


def test_compare_files_passes_every_compare_option() -> None:
    rules = VerdictRules(copy_coverage=1.0)
    got = compare_files(SEED_A, SEED_B, fix_mojibake=False, detect_titles=False, rules=rules)
    want = compare(
        _read(SEED_A), _read(SEED_B), fix_mojibake=False, detect_titles=False, rules=rules
    )
    assert got.to_dict() == want.to_dict()
    default = compare_files(SEED_A, SEED_B)
    assert got.verdict != default.verdict  # the rules reached the verdict
    assert default.titles["a"] is not None and got.titles["a"] is None  # and titles were off
    with pytest.raises(TypeError):
        compare_files(SEED_A, SEED_B, no_such_option=1)  # type: ignore[call-arg]


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize(
    ("name", "make", "error"),
    [
        ("missing.txt", None, InputNotFoundError),
        ("folder", "dir", NotAFileError),
        ("empty.txt", b"", EmptyInputError),
        ("blank.txt", b"  \n\t\n", EmptyInputError),
        ("binary.txt", b"some\x00binary\x00data", BinaryInputError),
        ("latin1.txt", "caf\u00e9 au lait\n".encode("latin-1"), InputDecodeError),
        ("big.txt", b"word " * 100, InputTooLargeError),
    ],
    ids=["missing", "directory", "empty", "blank", "binary", "latin1", "too-large"],
)
def test_compare_files_typed_errors(
    tmp_path, which: int, name: str, make: object, error: type[InputError]
) -> None:
    path = tmp_path / name
    if make == "dir":
        path.mkdir()
    elif isinstance(make, bytes):
        path.write_bytes(make)
    ok = tmp_path / "ok.txt"
    ok.write_text("A short valid text file.\n", encoding="utf-8")
    paths = [ok, ok]
    paths[which] = path
    with pytest.raises(error) as info:
        compare_files(*paths, max_bytes=100)
    assert isinstance(info.value, InputError)
    assert info.value.source == str(path)
    assert str(path) in str(info.value)


def test_compare_files_encoding_option(tmp_path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Le caf\u00e9 est ouvert tous les jours.\n".encode("latin-1"))
    r = compare_files(p, p, encoding="latin-1")
    assert r.verdict == "identical" and "caf\u00e9" in r.text_a


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("copy_coverage", -0.1),
        ("copy_coverage", 1.1),
        ("copy_coverage", float("nan")),
        ("near_duplicate_kept", 2.0),
        ("spun_kept", -1.0),
        ("partial_tokens", -1),
        ("spin_swaps", -1),
        ("spin_evidence", 1.5),
        ("title_threshold", -0.5),
        ("spun_kept", "0.3"),
        ("copy_coverage", True),
    ],
)
def test_verdict_rules_validation(field: str, value: object) -> None:
    with pytest.raises(InvalidParameterError, match=field):
        VerdictRules(**{field: value})  # type: ignore[arg-type]


def test_verdict_rules_live_in_settings_and_take_keywords_only() -> None:
    import spindetect
    from spindetect import settings

    assert VerdictRules is settings.VerdictRules is spindetect.VerdictRules
    with pytest.raises(TypeError):
        VerdictRules(0.5)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        VerdictRules().spun_kept = 0.1  # type: ignore[misc]


def test_verdict_rules_defaults_match_docs() -> None:
    r = VerdictRules()
    assert (r.copy_coverage, r.near_duplicate_kept, r.spun_kept, r.partial_tokens) == (
        0.5,
        0.9,
        0.3,
        40,
    )


def test_title_threshold_controls_mismatch(text_a: str, text_b: str, seeds: Comparison) -> None:
    sim = seeds.titles["b"].body_similarity
    assert (
        compare(text_a, text_b, rules=VerdictRules(title_threshold=sim)).titles["b"].mismatch
        is False
    )
    assert (
        compare(text_a, text_b, rules=VerdictRules(title_threshold=math.nextafter(sim, 2.0)))
        .titles["b"]
        .mismatch
        is True
    )


# --- real SpinBot pairs (shared corpus) --------------------------------------------------


def _mpc_rows() -> list[dict]:
    if not MPC.is_file():
        pytest.skip(f"{MPC} not available")
    with MPC.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.mark.shared
def test_mpc_spun_pairs_are_copies() -> None:
    rows = [r for r in _mpc_rows() if len(r["original"].split()) >= 20]
    assert len(rows) >= 20
    missed = [
        (r["article"], r["para_index"], compare(r["original"], r["spun"]).verdict) for r in rows
    ]
    missed = [m for m in missed if m[2] not in {"near-duplicate", "spun", "partial"}]
    assert missed == []


@pytest.mark.shared
@pytest.mark.slow
def test_mpc_other_paragraphs_of_same_article_are_not_flagged() -> None:
    by_article: dict[str, list[dict]] = defaultdict(list)
    for r in _mpc_rows():
        by_article[r["article"]].append(r)
    false_flags = []
    checked = 0
    for rows in by_article.values():
        for x, y in itertools.permutations(rows, 2):
            others = [("spun", y["spun"])]
            if x["para_index"] < y["para_index"]:
                others.append(("original", y["original"]))
            for kind, other in others:
                checked += 1
                r = compare(x["original"], other)
                if r.is_copy:
                    false_flags.append(
                        (x["article"], x["para_index"], y["para_index"], kind, r.verdict)
                    )
    assert checked > 500
    assert false_flags == []


def test_non_str_input_is_a_parameter_error() -> None:
    with pytest.raises(InvalidParameterError, match="b must be a str, got bytes"):
        compare("text", b"text")  # type: ignore[arg-type]


def test_unrelated_pair_reports_no_inserted_sentences(text_a: str) -> None:
    r = compare(text_a, UNRELATED)
    assert r.verdict == "unrelated"
    assert r.inserted == {"a": (), "b": ()}


def test_substitution_map_rows_are_the_one_substitution_type(seeds: Comparison) -> None:
    from spindetect.pairwise.substitutions import Substitution
    from spindetect.synth.spinner import spin

    assert (
        spin("The quick dog.", rate=1.0, synonyms={"quick": ["fast"]}).substitutions[0].__class__
        is Substitution
    )
    for s in seeds.substitutions:
        assert isinstance(s, Substitution) and s.count >= 1 and s.relation is not None
        # spans of the first occurrence, in the texts after mojibake repair
        assert " ".join(tokenize(seeds.text_a[s.start : s.end]).forms) == s.original
        assert " ".join(tokenize(seeds.text_b[s.spun_start : s.spun_end]).forms) == s.replacement
        assert (s.a, s.b) == (s.original, s.replacement)
