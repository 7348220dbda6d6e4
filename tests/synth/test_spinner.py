"""Tests of spindetect.spin (a fixed synonym table; the WordNet lexicon only where named)."""

from __future__ import annotations

import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.synth.spinner import PHRASE_TABLE, Spinner, spin
from spindetect.text.normalization import repair_mojibake
from spindetect.text.stopwords import STOPWORDS
from spindetect.text.tokens import WORD_PATTERN

SYNONYMS = {
    "advantages": ["advantage", "benefit"],
    "peer": ["equal", "match"],
    "support": ["backing", "reinforcement"],
    "groups": ["group", "set", "radical"],
    "allow": ["let", "permit"],
    "individuals": ["individual", "person", "soul"],
    "meet": ["fulfill", "satisfy", "encounter"],
    "similar": ["comparable", "like"],
    "experiences": ["experience", "know"],
    "connect": ["link", "get in touch"],
    "secure": ["safe", "unafraid"],
    "space": ["room", "blank"],
    "links": ["link", "connection", "data link"],
    "supply": ["provide", "render"],
    "validation": ["proof", "substantiation"],
    "sense": ["feeling", "signified"],
    "belonging": ["property", "attribute"],
    "friends": ["friend", "acquaintance", "ally"],
    "emotional": ["aroused", "worked up"],
    "necessary": ["needed", "required"],
    "quick": ["fast", "speedy"],
    "dog": ["hound", "domestic dog"],
    "sleeps": ["sleep", "slumber", "kip"],
    "common": ["usual", "ordinary"],
    "struggles": ["struggle", "battle", "conflict"],
    "foster": ["further", "nurture"],
    "community": ["residential district", "community of interests"],
    "people": ["multitude", "masses"],
    "comfort": ["comfortableness", "ease"],
}

ARTICLE = (
    "Advantages of Peer Support Groups\n"
    "Peer support groups allow individuals to meet others with similar experiences and "
    "connect with them in a secure space. These links can supply validation as well as "
    "a sense of belonging.\n\n"
    "While friends may sympathize, they are not always able to offer the necessary "
    "emotional support. However, lots of people help each other. The common experiences "
    "and struggles of peer support groups foster a sense of community. People can find "
    "comfort in knowing that others have been through similar experiences.\n"
)


def content_words(text: str) -> list[str]:
    return [
        m.group().lower()
        for m in WORD_PATTERN.finditer(text)
        if m.group().lower() not in STOPWORDS and m.group().isalpha() and len(m.group()) > 2
    ]


def long_text(repeats: int = 20) -> str:
    return "\n\n".join([ARTICLE.split("\n", 1)[1]] * repeats)


def test_same_seed_same_result_and_seeds_differ() -> None:
    a = spin(ARTICLE, rate=0.4, seed=7, synonyms=SYNONYMS)
    b = spin(ARTICLE, rate=0.4, seed=7, synonyms=SYNONYMS)
    c = spin(ARTICLE, rate=0.4, seed=8, synonyms=SYNONYMS)
    assert a == b
    assert a.text != c.text


def test_mapping_and_callable_sources_agree() -> None:
    a = spin(ARTICLE, rate=0.5, seed=1, synonyms=SYNONYMS)
    b = spin(ARTICLE, rate=0.5, seed=1, synonyms=lambda w: SYNONYMS.get(w, ()))
    assert a == b


def test_rate_zero_leaves_text_unchanged() -> None:
    result = spin(ARTICLE, rate=0.0, seed=3, synonyms=SYNONYMS)
    assert result.text == ARTICLE
    assert result.substitutions == ()
    assert result.rate_achieved == 0.0


def test_rate_one_substitutes_every_word_with_a_synonym() -> None:
    result = spin("The quick dog sleeps.", rate=1.0, synonyms=SYNONYMS)
    originals = {s.original for s in result.substitutions}
    assert originals == {"quick", "dog", "sleeps"}
    assert result.rate_achieved == 1.0


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.5])
def test_rate_achieved_close_to_requested_on_long_text(rate: float) -> None:
    text = long_text()
    result = spin(text, rate=rate, seed=11, synonyms=SYNONYMS)
    n_content = len(content_words(text))
    assert result.content_words == n_content
    # recount covered content words from the recorded substitutions
    covered = sum(len(content_words(s.original)) for s in result.substitutions)
    assert result.rate_achieved == pytest.approx(covered / n_content)
    # most content words of the article have a synonym, so the target is reachable
    assert abs(result.rate_achieved - rate) <= 1.0 / n_content + 1e-9


def test_rate_achieved_capped_by_words_with_synonyms() -> None:
    result = spin("Alpha beta gamma quick.", rate=1.0, synonyms=SYNONYMS)
    assert result.rate_achieved == pytest.approx(1 / 4)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"title": "Best Books On Mental Health"},
        {"inject": ["mental health hotlines"], "link": "https://example.org/x"},
        {"reorder": 1.0},
        {"mojibake": 1.0},
        {"title": "T", "inject": ["a b", "c d"], "reorder": 0.5, "mojibake": 0.5},
    ],
)
def test_substitution_spans_slice_in_both_texts(options: dict) -> None:
    text = ARTICLE.replace("are not", "aren\u2019t").replace("lots of", "lots\u00a0of")
    result = spin(text, rate=0.6, seed=5, synonyms=SYNONYMS, **options)
    assert result.substitutions
    for sub in result.substitutions:
        assert text[sub.start : sub.end] == sub.original
        assert result.text[sub.spun_start : sub.spun_end] == sub.replacement
        assert sub.replacement != sub.original
    starts = [s.start for s in result.substitutions]
    assert starts == sorted(starts)
    for phrase, (start, end) in zip(result.inserted, result.inserted_spans, strict=False):
        assert result.text[start:end] == phrase


def test_capitalisation_is_kept() -> None:
    result = spin(
        "Quick dog. QUICK DOG. quick dog.", rate=1.0, synonyms=SYNONYMS, phrase_swaps=False
    )
    by_original = {}
    for sub in result.substitutions:
        by_original.setdefault(sub.original, set()).add(sub.replacement)
    assert all(r[0].isupper() for r in by_original["Quick"])
    assert all(r == r.upper() for r in by_original["QUICK"] | by_original["DOG"])
    assert all(r[0].islower() for r in by_original["quick"])


def test_inflection_follows_the_original() -> None:
    result = spin("The struggles.", rate=1.0, synonyms={"struggles": ["struggle", "battle"]})
    assert result.text == "The battles."


def test_stopwords_never_substituted_without_phrase_swaps() -> None:
    table = dict(SYNONYMS)
    table.update({w: ["xyzzy"] for w in ("the", "with", "however", "each", "other", "can")})
    result = spin(long_text(5), rate=1.0, seed=2, synonyms=table, phrase_swaps=False)
    for sub in result.substitutions:
        assert sub.original.lower() not in STOPWORDS
        assert "xyzzy" not in sub.replacement


def test_phrase_swaps_come_from_the_table() -> None:
    result = spin(long_text(5), rate=1.0, seed=2, synonyms={})
    assert result.substitutions  # only phrase swaps are possible here
    for sub in result.substitutions:
        key = tuple(sub.original.lower().split())
        assert key in PHRASE_TABLE
        assert sub.replacement.lower() in PHRASE_TABLE[key]


def test_title_replaced() -> None:
    result = spin(ARTICLE, rate=0.3, seed=1, synonyms=SYNONYMS, title="Best Books On Mental Health")
    first, _, rest = result.text.partition("\n")
    assert first == "Best Books On Mental Health"
    assert "Advantages of Peer" not in result.text
    assert result.title == "Best Books On Mental Health"
    assert all(sub.start > len(ARTICLE.split("\n")[0]) for sub in result.substitutions)
    assert rest.startswith("Peer") or rest.startswith(("Equal", "Match"))


def test_injected_phrase_present_mid_sentence_and_reported() -> None:
    result = spin(
        ARTICLE,
        rate=0.0,
        seed=4,
        synonyms=SYNONYMS,
        inject=["mental health hotlines"],
        link="https://beneficiary.example/hotlines",
    )
    assert result.inserted == ("mental health hotlines", "https://beneficiary.example/hotlines")
    for phrase, (start, end) in zip(result.inserted, result.inserted_spans, strict=False):
        assert result.text[start:end] == phrase
        assert result.text[start - 1] == " " and result.text[start - 2].isalnum()
        assert result.text[end] in " ,;:"
    # removing the insertions gives the original back
    stripped = result.text
    for phrase in result.inserted:
        stripped = stripped.replace(" " + phrase, "", 1)
    assert stripped == ARTICLE


def test_reorder_swaps_sentences_of_one_line() -> None:
    text = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota.\nKappa lambda mu."
    result = spin(text, rate=0.0, synonyms={}, reorder=1.0)
    assert result.sentence_swaps == 1
    assert result.text == "Delta epsilon zeta. Alpha beta gamma. Eta theta iota.\nKappa lambda mu."


def test_mojibake_garbles_non_ascii_like_spinbot() -> None:
    text = "It\u2019s February\u00a020, and the caf\u00e9 opens."
    result = spin(text, rate=0.0, synonyms={}, mojibake=1.0)
    assert "It\u00e2\u20ac\u2122s" in result.text
    assert "February\u00c2\u00a020" in result.text
    assert "caf\u00c3\u00a9" in result.text
    assert repair_mojibake(result.text) == text
    assert spin(text, rate=0.0, synonyms={}, mojibake=0.0).text == text


def test_mojibake_share_zero_to_one() -> None:
    text = "\u2019" * 400
    result = spin(text, rate=0.0, synonyms={}, mojibake=0.5, seed=1)
    garbled = result.text.count("\u00e2\u20ac\u2122")
    assert 150 < garbled < 250


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"rate": 1.5}, "rate"),
        ({"rate": -0.1}, "rate"),
        ({"seed": "x"}, "seed"),
        ({"reorder": 2}, "reorder"),
        ({"mojibake": float("nan")}, "mojibake"),
        ({"title": "two\nlines"}, "title"),
        ({"inject": [""]}, "inject"),
        ({"link": "a\nb"}, "link"),
    ],
)
def test_invalid_parameters_raise(options: dict, name: str) -> None:
    with pytest.raises(InvalidParameterError, match=name):
        spin(ARTICLE, synonyms=SYNONYMS, **options)


def test_invalid_synonym_source() -> None:
    with pytest.raises(InvalidParameterError, match="synonyms"):
        Spinner(42)  # type: ignore[arg-type]


def test_empty_text() -> None:
    result = spin("", synonyms=SYNONYMS, title="T", inject=["k w"])
    assert result.text == "T k w"
    assert result.content_words == 0 and result.rate_achieved == 0.0


def test_default_lexicon_substitutes_wordnet_synonyms() -> None:
    pytest.importorskip("spindetect.pairwise.lexicon")
    from spindetect.pairwise.lexicon import Lexicon, Relation

    result = spin(ARTICLE, rate=0.5, seed=1)
    assert result.substitutions
    lexicon = Lexicon.default()
    single = [
        s
        for s in result.substitutions
        if " " not in s.original and tuple([s.original.lower()]) not in PHRASE_TABLE
    ]
    assert single
    related = [
        s
        for s in single
        if lexicon.relation(s.original.lower(), s.replacement.lower()) != Relation.NONE
    ]
    assert len(related) >= 0.8 * len(single)
