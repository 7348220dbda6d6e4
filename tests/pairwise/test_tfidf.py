"""Tests of spindetect.tfidf (reference IDF table and TF-IDF cosine)."""

from __future__ import annotations

import gzip
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.exceptions import IndexFormatError, InvalidParameterError
from spindetect.pairwise.tfidf import IdfTable, tfidf_cosine, tfidf_matrix

# A tiny corpus whose document frequencies are easy to count by hand.
CORPUS = ["The cat sat.", "The dog sat down.", "The bird flew away, the end."]
# the: 3, sat: 2, cat/dog/down/bird/flew/away/end: 1 ; N = 3


@pytest.fixture()
def table() -> IdfTable:
    return IdfTable.fit(CORPUS)


def test_fit_counts_document_frequency_not_term_frequency(table: IdfTable) -> None:
    assert table.n_docs == 3
    # "the" occurs twice in the third document but counts once per document.
    assert table.df["the"] == 3
    assert table.df["sat"] == 2
    assert table.df["bird"] == 1
    assert set(table.df) == {"the", "cat", "sat", "dog", "down", "bird", "flew", "away", "end"}


def test_idf_formula_by_hand(table: IdfTable) -> None:
    # idf(t) = ln((1 + N) / (1 + df)) + 1 with N = 3
    assert table.idf("the") == pytest.approx(math.log(4 / 4) + 1)  # exactly 1
    assert table.idf("sat") == pytest.approx(math.log(4 / 3) + 1)
    assert table.idf("cat") == pytest.approx(math.log(4 / 2) + 1)
    assert list(table.idf_array(["the", "cat"])) == pytest.approx([1.0, math.log(2) + 1])


def test_unseen_word_gets_the_maximum_idf(table: IdfTable) -> None:
    unseen = table.idf("zebra")
    assert unseen == pytest.approx(math.log(4) + 1)
    assert unseen == max(table.idf(t) for t in [*table.df, "zebra"])
    assert all(table.idf(t) < unseen for t in table.df)


def test_min_df_drops_rare_forms(table: IdfTable) -> None:
    strict = IdfTable.fit(CORPUS, min_df=2)
    assert set(strict.df) == {"the", "sat"}
    # a dropped form is treated as unseen
    assert strict.idf("cat") == pytest.approx(table.idf("zebra"))


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_min_df_validation_names_parameter(bad: object) -> None:
    with pytest.raises(InvalidParameterError, match="min_df"):
        IdfTable.fit(CORPUS, min_df=bad)  # type: ignore[arg-type]


def test_fit_without_documents_is_an_error() -> None:
    with pytest.raises(InvalidParameterError, match="documents"):
        IdfTable.fit([])


def test_save_load_round_trip_and_deterministic_bytes(table: IdfTable, tmp_path) -> None:
    p1, p2, p3 = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz", tmp_path / "c.tsv.gz"
    table.save(p1)
    # same content given in another insertion order -> same bytes
    IdfTable(n_docs=table.n_docs, df=dict(reversed(list(table.df.items())))).save(p2)
    assert p1.read_bytes() == p2.read_bytes()
    loaded = IdfTable.load(p1)
    assert loaded.n_docs == table.n_docs
    assert dict(loaded.df) == dict(table.df)
    loaded.save(p3)
    assert p3.read_bytes() == p1.read_bytes()
    # documented format: gzip TSV, header line then sorted "form<TAB>df" lines
    lines = gzip.decompress(p1.read_bytes()).decode("utf-8").splitlines()
    assert lines[0].startswith("# spindetect-idf v1") and "n_docs=3" in lines[0]
    body = [line.split("\t") for line in lines[1:]]
    assert [t for t, _ in body] == sorted(table.df)
    assert {t: int(c) for t, c in body} == dict(table.df)


def test_round_trip_of_non_ascii_forms(tmp_path) -> None:
    t = IdfTable.fit(["Émile über straße", "naïve café"])
    t.save(tmp_path / "x.gz")
    assert dict(IdfTable.load(tmp_path / "x.gz").df) == dict(t.df)


def test_load_plain_text_file_is_index_format_error(tmp_path) -> None:
    p = tmp_path / "plain.txt"
    p.write_text("# spindetect-idf v1 n_docs=3\nthe\t3\n", encoding="utf-8")
    with pytest.raises(IndexFormatError, match=r"plain\.txt"):
        IdfTable.load(p)


def test_load_gzip_without_header_is_index_format_error(tmp_path) -> None:
    p = tmp_path / "noheader.gz"
    p.write_bytes(gzip.compress(b"the\t3\ncat\t1\n"))
    with pytest.raises(IndexFormatError, match=r"noheader\.gz"):
        IdfTable.load(p)


def test_load_missing_file_is_index_format_error(tmp_path) -> None:
    with pytest.raises(IndexFormatError, match=r"missing\.gz"):
        IdfTable.load(tmp_path / "missing.gz")


@pytest.mark.parametrize(
    "content",
    [
        b"# spindetect-idf v1 n_docs=3\nthe\tmany\n",
        b"# spindetect-idf v1 n_docs=abc\nthe\t3\n",
        b"# spindetect-idf v1 n_docs=\n",
    ],
    ids=["bad-count", "bad-n_docs", "empty-n_docs"],
)
def test_load_malformed_table_is_index_format_error(tmp_path, content: bytes) -> None:
    p = tmp_path / "bad.gz"
    p.write_bytes(gzip.compress(content))
    with pytest.raises(IndexFormatError):
        IdfTable.load(p)


# --- tfidf_cosine --------------------------------------------------------------------


def test_cosine_identical_is_one(table: IdfTable) -> None:
    doc = ["the", "cat", "sat", "the"]
    assert tfidf_cosine(doc, doc, idf=table) == pytest.approx(1.0, abs=1e-12)
    assert tfidf_cosine(doc, list(reversed(doc)), idf=table) == pytest.approx(1.0, abs=1e-12)


def test_cosine_disjoint_vocabulary_is_zero(table: IdfTable) -> None:
    assert tfidf_cosine(["the", "cat"], ["dog", "sat"], idf=table) == 0.0


def test_cosine_empty_documents() -> None:
    assert tfidf_cosine([], []) == 1.0
    assert tfidf_cosine(["cat"], []) == 0.0
    assert tfidf_cosine([], ["cat"]) == 0.0


def test_cosine_matches_hand_computed_sublinear_weights(table: IdfTable) -> None:
    a = ["cat", "cat", "the"]
    b = ["cat", "the", "sat"]
    idf = {t: math.log(4 / (1 + table.df[t])) + 1 for t in ("cat", "the", "sat")}
    wa = {"cat": (1 + math.log(2)) * idf["cat"], "the": idf["the"]}
    wb = {"cat": idf["cat"], "the": idf["the"], "sat": idf["sat"]}
    dot = sum(wa[t] * wb.get(t, 0.0) for t in wa)
    expected = dot / (
        math.sqrt(sum(v * v for v in wa.values())) * math.sqrt(sum(v * v for v in wb.values()))
    )
    assert tfidf_cosine(a, b, idf=table) == pytest.approx(expected, rel=1e-9)


def test_cosine_is_symmetric_and_bounded(table: IdfTable) -> None:
    docs = [["the", "cat"], ["the", "the", "dog", "sat"], ["bird", "cat", "cat"], ["zebra"]]
    for x in docs:
        for y in docs:
            s = tfidf_cosine(x, y, idf=table)
            assert 0.0 <= s <= 1.0
            assert s == tfidf_cosine(y, x, idf=table)


def test_rare_shared_word_weighs_more_than_common_shared_word(table: IdfTable) -> None:
    # Both pairs share one word out of two; sharing the rarer word scores higher.
    share_rare = tfidf_cosine(["cat", "the"], ["cat", "sat"], idf=table)
    share_common = tfidf_cosine(["the", "cat"], ["the", "dog"], idf=table)
    assert share_rare > share_common


# --- bundled table --------------------------------------------------------------------


def test_default_table_loads_and_is_cached() -> None:
    t = IdfTable.default()
    assert t is IdfTable.default()
    assert t.n_docs > 100
    assert len(t.df) > 1000
    assert all(0 < c <= t.n_docs for c in list(t.df.values())[:1000])


def test_default_table_ranks_stop_word_far_below_rare_word() -> None:
    t = IdfTable.default()
    rare = "seclusion"
    assert t.df.get(rare, 0) < t.df["the"] / 100
    assert t.idf("the") < 1.2
    assert t.idf(rare) > 4 * t.idf("the")


_WORDS = ["the", "cat", "sat", "mat", "dog", "ran", "w1", "w2"]
_FORMS = st.lists(st.sampled_from(_WORDS), max_size=40)


@settings(deadline=None)  # the first call imports scikit-learn (tfidf_matrix)
@given(_FORMS, _FORMS)
def test_cosine_is_exactly_the_dot_product_of_the_tfidf_rows(a: list[str], b: list[str]) -> None:
    """tfidf_cosine (no scikit-learn) returns the same float as tfidf_matrix's rows."""
    if not a or not b:
        return
    rows = tfidf_matrix([a, b])
    expected = float(min(1.0, max(0.0, rows[0].multiply(rows[1]).sum())))
    assert tfidf_cosine(a, b) == expected
