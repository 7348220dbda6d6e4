"""Tests of the real-data benchmark's own helpers (``benchmarks/_realsets.py``, ``bench_real.py``).

The interval, the samplers and the loaders are checked on tiny sets written here; the
shared corpora are only needed by the tests marked ``shared`` (skipped when absent).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import _realsets as R  # noqa: E402
import bench_real as B  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"


def closed_form_wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson interval from its formula (the oracle of :func:`_realsets.wilson`)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


# --- Wilson interval ---------------------------------------------------------------------


@settings(deadline=None, max_examples=50)
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_the_closed_form_and_holds_the_share(kn: tuple[int, int]) -> None:
    """Wilson matches the closed form and holds the share."""
    k, n = kn
    lo, hi = R.wilson(k, n)
    want_lo, want_hi = closed_form_wilson(k, n)
    assert lo == pytest.approx(max(0.0, want_lo), abs=1e-9)
    assert hi == pytest.approx(min(1.0, want_hi), abs=1e-9)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_wilson_is_not_degenerate_at_the_ends() -> None:
    """Wilson is not degenerate at the ends."""
    lo, hi = R.wilson(0, 10)
    assert lo == 0.0 and 0.2 < hi < 0.35
    lo, hi = R.wilson(10, 10)
    assert hi == pytest.approx(1.0) and 0.65 < lo < 0.8


def test_wilson_narrows_with_more_trials() -> None:
    """Wilson narrows with more trials."""
    widths = [R.wilson(n // 2, n)[1] - R.wilson(n // 2, n)[0] for n in (10, 100, 1000)]
    assert widths[0] > widths[1] > widths[2]


def test_wilson_of_no_trials_is_the_whole_range() -> None:
    """Wilson of no trials is the whole range."""
    assert R.wilson(0, 0) == (0.0, 1.0)
    assert R.proportion(0, 0)["rate"] is None


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5)])
def test_wilson_rejects_counts_outside_the_trials(k: int, n: int) -> None:
    """Wilson rejects counts outside the trials."""
    with pytest.raises(ValueError, match="k must be in"):
        R.wilson(k, n)


def test_proportion_reports_counts_rate_and_interval() -> None:
    """Proportion reports counts rate and interval."""
    got = R.proportion(3, 4)
    assert (got["k"], got["n"], got["rate"]) == (3, 4, 0.75)
    assert got["ci95"][0] < 0.75 < got["ci95"][1]


# --- sampling ----------------------------------------------------------------------------


@given(st.lists(st.integers(), max_size=60, unique=True), st.integers(0, 70), st.integers(0, 9))
def test_sample_keeps_order_size_and_is_seeded(items: list[int], k: int, seed: int) -> None:
    """Sample keeps order size and is seeded."""
    got = R.sample(items, k, seed)
    assert len(got) == min(k, len(items))
    positions = [items.index(x) for x in got]
    assert positions == sorted(positions)
    assert got == R.sample(items, k, seed)


def test_sample_of_none_is_everything() -> None:
    """Sample of none is everything."""
    assert R.sample([3, 1, 2], None, 0) == [3, 1, 2]


# --- loaders -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", R.ALL_SETS)
def test_every_loader_returns_none_when_its_folder_is_absent(tmp_path: Path, name: str) -> None:
    """Every loader returns none when its folder is absent."""
    kw = {"repo": tmp_path} if name == "generated" else {"root": tmp_path}
    assert R.load(name, **kw) is None


def test_mpc_loader_pairs_rows_and_same_article_negatives(tmp_path: Path) -> None:
    """Mpc loader pairs rows and same article negatives."""
    long = " ".join(f"w{i}" for i in range(25))
    rows = [
        {"article": "A", "para_index": 0, "original": long, "spun": long + " x"},
        {"article": "A", "para_index": 1, "original": long + " y", "spun": long + " z"},
        {"article": "B", "para_index": 0, "original": long + " q", "spun": long + " r"},
        {"article": "B", "para_index": 1, "original": "a short heading", "spun": "a heading"},
    ]
    (tmp_path / "mpc-dev").mkdir()
    (tmp_path / "mpc-dev" / "paragraph_pairs.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8"
    )
    s = R.load_mpc(tmp_path)
    assert s is not None
    pos = [p for p in s.pairs if p.label]
    neg = [p for p in s.pairs if p.label is False]
    assert len(pos) == 3  # the heading under 20 words is left out
    assert len(neg) == 2  # article A: (o0, s1), (o1, s0); article B has one long row
    assert {s.text(p.b) for p in pos} == {r["spun"] for r in rows[:3]}
    assert s.truth("o_000.txt", "s_000.txt") is True
    assert s.truth("o_000.txt", "s_002.txt") is False


def test_pan11_loader_links_passages_of_one_source(tmp_path: Path) -> None:
    """Pan11 loader links passages of one source."""
    rows = [
        {"text1": "src", "text2": "copy one", "label": 1, "obfuscation": "low"},
        {"text1": "src", "text2": "copy two", "label": 1, "obfuscation": "low"},
        {"text1": "other", "text2": "unrelated", "label": 0, "obfuscation": "none"},
    ]
    (tmp_path / "pan11-pairs").mkdir()
    (tmp_path / "pan11-pairs" / "val_pairs.json").write_text(json.dumps(rows), encoding="utf-8")
    s = R.load_pan11(tmp_path)
    assert s is not None
    ids = {s.text(d): d for d in s.docs}
    assert len(ids) == 5  # "src" is one document
    assert s.truth(ids["copy one"], ids["copy two"]) is True  # two copies of one source
    assert s.truth(ids["other"], ids["unrelated"]) is False
    assert s.truth(ids["src"], ids["other"]) is None  # not listed: unknown


def test_textreuse_loader_labels_only_the_listed_pairs(tmp_path: Path) -> None:
    """Textreuse loader labels only the listed pairs."""
    for sub, names in (("ats", ("remember00palm", "remembermeorholy00palm", "x")), ("legal", ())):
        (tmp_path / "textreuse" / sub).mkdir(parents=True)
        for n in names:
            (tmp_path / "textreuse" / sub / f"{n}.txt").write_text(f"text of {n}")
    s = R.load_textreuse(tmp_path)
    assert s is not None
    labels = {frozenset((p.a, p.b)): p.label for p in s.pairs}
    assert labels == {
        frozenset(("ats/remember00palm.txt", "ats/remembermeorholy00palm.txt")): True,
        frozenset(("ats/remember00palm.txt", "ats/x.txt")): False,
        frozenset(("ats/remembermeorholy00palm.txt", "ats/x.txt")): False,
    }


# --- metrics -----------------------------------------------------------------------------


def test_summarise_splits_hits_by_label_and_group() -> None:
    """Summarise splits hits by label and group."""
    pairs = [
        R.Pair("a", "b", True, ("g1",)),
        R.Pair("c", "d", True, ("g1", "g2")),
        R.Pair("e", "f", False, ("neg",)),
        R.Pair("g", "h", None, ("unk",)),
    ]
    out = B.summarise(pairs, [True, False, True, False], ["spun", "unrelated", "partial", "x"])
    assert (out["recall"]["k"], out["recall"]["n"]) == (1, 2)
    assert (out["negatives"]["k"], out["negatives"]["n"]) == (1, 1)
    assert (out["unlabelled"]["k"], out["unlabelled"]["n"]) == (0, 1)
    assert out["groups"]["g2"]["label"] == "copy" and out["groups"]["g2"]["k"] == 0
    assert out["verdicts"]["g1"] == {"spun": 1, "unrelated": 1}


def test_markdown_reports_absent_sets() -> None:
    """Markdown reports absent sets."""
    res = {"version": "0", "command": "c", "sets": {"mpc-dev": {"status": "absent"}}}
    assert "| mpc-dev | absent |" in B.markdown(res)


# --- the shared corpora (skipped when absent) --------------------------------------------


@pytest.mark.shared
def test_mpc_loader_on_the_shared_set() -> None:
    """Mpc loader on the shared set."""
    if not (SHARED / "mpc-dev").is_dir():
        pytest.skip(f"{SHARED / 'mpc-dev'} not available")
    s = R.load_mpc(SHARED)
    assert s is not None
    pos = [p for p in s.pairs if p.label]
    assert pos and all(R.words(s.text(p.a)) >= 20 for p in pos)
    assert all(s.truth(p.a, p.b) is p.label for p in s.pairs)
