"""``compare(vocabulary=)``: the collection's function words and IDF weigh the passage score."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spindetect import FunctionWords, InvalidParameterError, compare
from spindetect.crawl.stages import learn_function_words
from spindetect.settings import ScanConfig, VerdictRules

INDO = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "indo-pan-dev"
MAX_WORDS = 3000  # short pairs only: compare of long Indonesian pairs takes seconds each


def test_vocabulary_must_be_function_words() -> None:
    with pytest.raises(InvalidParameterError, match="vocabulary"):
        compare("a b c", "a b c", vocabulary="english")  # type: ignore[arg-type]


def test_weighted_passage_score_is_validated() -> None:
    with pytest.raises(InvalidParameterError, match="weighted_passage_score"):
        VerdictRules(weighted_passage_score=-1.0)


def test_indonesian_pairs_found_with_the_collection_vocabulary() -> None:
    # Real Indonesian plagiarism (no lexicon, no English function words): with the
    # vocabulary a scan would learn from the corpus, compare finds at least the pairs
    # it finds alone, and flags no (suspicious, source) pair without a case.
    susp_dir, src_dir = INDO / "suspicious-documents", INDO / "source-documents"
    if not susp_dir.is_dir():
        pytest.skip(f"{susp_dir} not found")
    texts = {
        f"{d.name}/{f.name}": f.read_text(encoding="utf-8", errors="replace")
        for d in (src_dir, susp_dir)
        for f in sorted(d.glob("*.txt"))
    }
    words = learn_function_words(list(texts.values())[:2048], ScanConfig())
    assert isinstance(words, FunctionWords)
    cases: set[tuple[str, str]] = set()
    for x in sorted(susp_dir.glob("*.xml")):
        for feat in ET.parse(x).getroot():
            if feat.get("name") == "plagiarism":
                cases.add(
                    (
                        f"{susp_dir.name}/{x.stem}.txt",
                        f"{src_dir.name}/{feat.get('source_reference')}",
                    )
                )

    def short(s: str, o: str) -> bool:
        return len(texts[s].split()) + len(texts[o].split()) <= MAX_WORDS

    positives = sorted(p for p in cases if short(*p))
    suspicious = sorted({s for s, _ in cases})
    sources = sorted(k for k in texts if k.startswith(src_dir.name))
    negatives = [(s, o) for s in suspicious[:6] for o in sources[::3] if (s, o) not in cases]
    negatives = [p for p in negatives if short(*p)]
    assert len(positives) >= 5 and len(negatives) >= 8
    alone = [compare(texts[s], texts[o]).is_copy for s, o in positives]
    weighted = [compare(texts[s], texts[o], vocabulary=words).is_copy for s, o in positives]
    assert sum(weighted) >= max(sum(alone), 0.8 * len(positives))
    assert not any(compare(texts[s], texts[o], vocabulary=words).is_copy for s, o in negatives)
