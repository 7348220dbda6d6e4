"""Tests of spindetect.pairwise.passages and the vocabulary and passage stages."""

from __future__ import annotations

import numpy as np
import pytest

from spindetect.crawl import stages
from spindetect.exceptions import InvalidParameterError
from spindetect.pairwise.passages import passage_scores, passage_units
from spindetect.sketch.minhash import Fingerprinter
from spindetect.text.function_words import FunctionWords

SOURCE = (
    "The harbour town grew around a wooden pier built by fishermen. "
    "Merchants later added stone warehouses along the northern quay. "
    "A lighthouse was raised on the cliff after two ships sank in a storm. "
    "Today the old warehouses hold a museum of maritime trade and shipbuilding. "
    "Visitors climb the lighthouse stairs for a view across the bay."
)
# The same passage rewritten: words swapped, sentences reordered, other text around it.
REWRITE = (
    "Our family spent the summer in the mountains and the weather was lovely. "
    "Later, merchants built stone warehouses on the northern quay. "
    "The harbour town developed around a wooden pier that fishermen built. "
    "After two ships sank during a storm, a lighthouse was raised on the cliff. "
    "The old warehouses now hold a museum of maritime trade and shipbuilding. "
    "We drove home on a quiet road through pine forests."
)
UNRELATED = (
    "Stock prices fell sharply on Monday after the central bank raised interest rates. "
    "Analysts expect further volatility as investors weigh inflation data. "
    "Bond yields climbed to their highest level in a decade."
)


def words_of(texts: list[str]) -> FunctionWords:
    """Return the function words and IDF of a small collection."""
    return FunctionWords.from_texts(texts)


def test_a_rewritten_reordered_passage_scores_and_unrelated_text_does_not() -> None:
    """A rewritten, reordered passage scores; unrelated text scores 0."""
    texts = [SOURCE, REWRITE, UNRELATED]
    scores = passage_scores(texts, np.array([[1, 0], [0, 1], [0, 2], [1, 2]]), words_of(texts))
    assert scores[0] >= 2.0 and scores[1] >= 2.0
    assert scores[2] == 0.0 and scores[3] == 0.0


def test_scores_do_not_depend_on_other_pairs_or_order() -> None:
    """A pair's score is the same alone and among other pairs."""
    texts = [SOURCE, REWRITE, UNRELATED]
    words = words_of(texts)
    both = passage_scores(texts, np.array([[0, 2], [1, 0]]), words)
    alone = passage_scores(texts, np.array([[1, 0]]), words)
    assert both[1] == pytest.approx(alone[0])


def test_template_sentences_shared_by_many_documents_do_not_seed() -> None:
    """A sentence every page repeats is template text, not a shared passage."""
    template = "Every item in this collection is kept in the main hall of the museum."
    pages = [
        f"Item {k} is a {m} {o} from the late period. {template}"
        for k, (m, o) in enumerate(
            [
                ("bronze", "bowl"),
                ("clay", "jar"),
                ("glass", "vase"),
                ("iron", "blade"),
                ("silver", "cup"),
            ]
        )
    ]
    words = words_of(pages)
    pairs = np.array([[i, j] for i in range(5) for j in range(i + 1, 5)])
    assert (passage_scores(pages, pairs, words) == 0.0).all()
    # Between two pages only, the shared sentence does seed.
    assert passage_scores(pages[:2], np.array([[0, 1]]), words)[0] > 0.0


def test_units_join_short_sentences() -> None:
    """Sentences with few content words join the next one."""
    texts = ["Yes. No. The harbour town grew around a wooden pier built by fishermen.", ""]
    units = passage_units(texts, FunctionWords.english(), min_tokens=6)
    assert len(units) == 2
    assert units.units.tolist() == [0, 1, 1]


def test_passage_validation() -> None:
    """Bad options raise InvalidParameterError."""
    words = FunctionWords.english()
    assert passage_scores([SOURCE], np.empty((0, 2), np.int64), words).size == 0
    with pytest.raises(InvalidParameterError, match="seed"):
        passage_scores([SOURCE, REWRITE], np.array([[0, 1]]), words, seed=2.0)
    with pytest.raises(InvalidParameterError, match="max_partners"):
        passage_scores([SOURCE, REWRITE], np.array([[0, 1]]), words, max_partners=0)


def test_verify_passages_turns_rejected_candidates_into_partials() -> None:
    """The passage stage keeps the rewritten passage pair only, as partial."""
    texts = [SOURCE, REWRITE, UNRELATED]
    config = stages.ScanConfig()
    words = stages.learn_function_words(texts, config)
    with Fingerprinter(
        config.specs(), sample_n=8, sample_mod=4, function_words=stages.function_hashes(words)
    ) as fp:
        fp.add(texts)
        prints = stages.Fingerprints(*fp.result())
    cands = stages.Candidates(np.array([[0, 1], [0, 2], [1, 2]]), np.zeros(3, np.int64), 3, 0, 0)
    none = stages.verify_pairs(
        prints.signatures,
        prints.signatures,
        np.empty((0, 2), np.int64),
        np.empty(0, np.int64),
        config.rules,
    )
    found = stages.verify_passages(texts, prints, cands, none, words, config)
    assert found.pairs.tolist() == [[0, 1]]
    assert found.verdicts.tolist() == ["partial"]
    assert 0.5 < found.confidence[0] < 1.0
    joined = stages.PairVerdicts.concatenate([none, found])
    assert len(joined) == 1 and joined.passages()[0] == found.passage[0]
    off = stages.ScanConfig(passage_budget=0)
    assert len(stages.verify_passages(texts, prints, cands, none, words, off)) == 0


def test_learned_function_words_only_replace_the_english_table_when_learned() -> None:
    """English text keeps the kernel's table; another language gets its own."""
    config = stages.ScanConfig()
    english = stages.learn_function_words([SOURCE, REWRITE, UNRELATED] * 5, config)
    assert stages.function_hashes(english) is None
    indonesian = [
        "yang dan di rumah besar itu",
        "yang dan di pasar baru itu",
        "yang dan di kota tua itu",
    ] * 5
    learned = stages.learn_function_words(indonesian, config)
    assert learned.learned > 0
    assert stages.function_hashes(learned) is learned.hashes
    plain = stages.learn_function_words(indonesian, stages.ScanConfig(function_words="english"))
    assert plain.learned == 0
    with pytest.raises(InvalidParameterError, match="function_words"):
        stages.ScanConfig(function_words="klingon")


def test_two_empty_signatures_share_nothing() -> None:
    """Documents without a skeleton do not agree on it."""
    prints = stages.fingerprint(["", "", "a b c d e"], stages.ScanConfig())
    est = stages.estimate_between(
        prints.signatures[stages.SKELETON], prints.signatures[stages.SKELETON], np.array([[0, 1]])
    )
    assert est[0] == 0.0
