"""Property tests of spindetect.lexicon: relations are symmetric and reflexive."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.pairwise.lexicon import RELATION_WEIGHTS, Lexicon, Relation, relation, word_key

# Words with many WordNet links and inflections, function words and phrases,
# so that every relation level gets exercised, plus arbitrary text.
VOCABULARY = [
    "fulfill",
    "meet",
    "met",
    "meets",
    "satisfy",
    "fill",
    "carry out",
    "battles",
    "battle",
    "struggles",
    "struggle",
    "fight",
    "advantages",
    "benefits",
    "benefit",
    "good",
    "better",
    "well",
    "team",
    "group",
    "groups",
    "system",
    "similar",
    "comparable",
    "like",
    "alike",
    "strict",
    "stringent",
    "rigorous",
    "helpful",
    "useful",
    "amongst",
    "among",
    "but",
    "however",
    "yet",
    "also",
    "even",
    "each other",
    "one another",
    "get in touch",
    "connect",
    "risk free",
    "risk-free",
    "safe",
    "is",
    "be",
    "i",
    "was",
    "talked about",
    "discussed",
    "support groups",
    "dog",
    "dogs",
    "banana",
    "democracy",
    "the",
    "",
]

words = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(alphabet="abcdefghiklmnoprstuy -", max_size=12),
    st.text(max_size=8),
)


@settings(max_examples=400, deadline=None)
@given(words, words)
def test_relation_is_symmetric(a: str, b: str) -> None:
    assert relation(a, b) is relation(b, a)


@settings(max_examples=200, deadline=None)
@given(words)
def test_relation_with_itself_is_same(a: str) -> None:
    expected = Relation.SAME if word_key(a) else Relation.NONE
    assert relation(a, a) is expected


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(VOCABULARY))
def test_synonyms_relate_as_synonyms(word: str) -> None:
    lex = Lexicon.default()
    for other in lex.synonyms(word)[:10]:
        assert lex.relation(word, other) in {Relation.SYNONYM, Relation.SAME}
        assert RELATION_WEIGHTS[lex.relation(word, other)] in {0.0, 1.0}
