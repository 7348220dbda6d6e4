"""Tests of spindetect.crawl.templates: one template with other facts is not a spun copy."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from spindetect.crawl.scanning import scan
from spindetect.crawl.templates import templated
from spindetect.exceptions import InvalidParameterError
from spindetect.text.function_words import FunctionWords

MATERIALS = ["bronze", "clay", "silver", "stone", "glass", "wooden", "ivory", "iron"]
OBJECTS = ["bowl", "jar", "mirror", "lamp", "comb", "figurine", "amulet", "spoon", "vase"]
PERIODS = ["Late Period", "Middle Kingdom", "New Kingdom", "Ptolemaic Period"]
DONORS = ["Mr Harold Finch", "Lady Agnes Moore", "Captain Ellis Ward", "Dr Ruth Carver"]

# A short paragraph and a spun copy of it (words swapped for WordNet synonyms).
ORIGINAL = (
    "The old harbour town grew quickly after the railway arrived in the valley. Merchants "
    "built large warehouses near the river, and farmers brought their grain to the busy "
    "market every week. Within twenty years the small village had become a prosperous "
    "centre of trade for the whole region."
)
SPUN = (
    "The ancient harbor township grew rapidly after the railroad arrived in the vale. "
    "Traders constructed big storehouses near the stream, and husbandmen brought their "
    "grain to the crowded marketplace every week. Within twenty years the little hamlet "
    "had become a flourishing center of commerce for the entire area."
)


def catalogue(n: int, seed: int) -> list[str]:
    """``n`` catalogue entries of one template, each with its own facts."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        site = rng.choice(["Thebes", "Abydos", "Giza"])
        out.append(
            f"Item {rng.randint(1, 400)} is a {rng.choice(MATERIALS)} {rng.choice(OBJECTS)} "
            f"from the {rng.choice(PERIODS)}. It was found at {site} "
            f"in {rng.randint(1880, 1990)} and given to the museum by {rng.choice(DONORS)}. "
            f"It is kept in Room {rng.randint(1, 12)}, case {rng.randint(1, 40)}."
        )
        assert out[-1] not in out[:-1]
    return out


def background(n: int, seed: int) -> list[str]:
    """Unrelated filler paragraphs."""
    rng = random.Random(seed)
    vocab = (
        "weather river mountain engine bread music painter library garden winter harvest "
        "bridge ocean forest lantern village doctor teacher market station castle festival"
    ).split()
    return [" ".join(rng.choice(vocab) for _ in range(40)).capitalize() + "." for _ in range(n)]


def test_the_issue_example_is_templated_and_a_spun_pair_is_not() -> None:
    words = FunctionWords.english()
    assert templated(
        "Item 12 is a bronze bowl from the Late Period. It is kept in Room 4.",
        "Item 31 is a clay jar from the Late Period. It is kept in Room 4.",
        words,
    )
    assert not templated(ORIGINAL, SPUN, words)


def test_a_scan_reports_no_pair_of_catalogue_entries_but_keeps_the_spun_pair() -> None:
    entries = catalogue(30, seed=4)
    docs = [(f"cat/{k:02d}", t) for k, t in enumerate(entries)]
    docs += [(f"bg/{k:02d}", t) for k, t in enumerate(background(40, seed=5))]
    docs += [("spin/original", ORIGINAL), ("spin/spun", SPUN)]
    result = scan(docs, explain=0)
    pairs = {(p.a, p.b): p.verdict for p in result.pairs}
    assert pairs.get(("spin/original", "spin/spun")) == "spun"
    catalogue_pairs = [k for k in pairs if k[0].startswith("cat/") and k[1].startswith("cat/")]
    assert catalogue_pairs == []


def test_without_the_template_check_the_entries_look_spun() -> None:
    """The check is what removes them: the fast scores alone call them copies."""
    from spindetect.crawl import stages
    from spindetect.settings import ScanConfig

    entries = catalogue(30, seed=4)
    config = ScanConfig()
    words = stages.learn_function_words(entries, config)
    fp = stages.fingerprint(entries, config, function_words=words)
    verified = stages.verify(fp, stages.candidates(fp, config), config.rules)
    assert (verified.verdicts == "spun").sum() >= 10
    assert len(stages.drop_templated(entries, verified, words)) == 0


MPC = Path(__file__).resolve().parents[2].parent / "shared/corpora/mpc-dev/paragraph_pairs.jsonl"


@pytest.mark.skipif(not MPC.exists(), reason="../shared/corpora/mpc-dev is absent")
def test_real_spinbot_pairs_are_not_templated() -> None:
    words = FunctionWords.english()
    rows = [json.loads(line) for line in MPC.read_text().splitlines()]
    rows = [r for r in rows if len(r["original"].split()) >= 20]
    flagged = [r["para_index"] for r in rows if templated(r["original"], r["spun"], words)]
    assert flagged == []


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="max_linked"):
        templated("a b", "c d", FunctionWords.english(), max_linked=2.0)


WIKI = Path(__file__).resolve().parents[2].parent / "shared/corpora/wiki-versions-dev"


@pytest.mark.skipif(not WIKI.exists(), reason="../shared/corpora/wiki-versions-dev is absent")
def test_revisions_of_short_real_pages_are_not_templated() -> None:
    """Edits insert and delete text: revisions of one short page are not template entries."""
    words = FunctionWords.english()
    checked = 0
    for page in sorted(p for p in WIKI.iterdir() if p.is_dir()):
        texts = [f.read_text(errors="replace") for f in sorted(page.iterdir())]
        short = [t for t in texts if len(t.split()) <= 200]
        for k in range(len(short) - 1):
            checked += 1
            assert not templated(short[k], short[k + 1], words), page.name
    assert checked >= 20
