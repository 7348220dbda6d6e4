"""Tests of spindetect.stages: configuration, fingerprints, candidates, verification, clusters."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

from spindetect.crawl.records import Candidates, Fingerprints, PairVerdicts
from spindetect.crawl.stages import (
    candidates,
    cluster,
    fingerprint,
    scan_confidence,
    tune_bands,
    verify,
)
from spindetect.exceptions import InvalidParameterError
from spindetect.settings import CONTENT, SKELETON, LshTable, ScanConfig, VerifyRules
from spindetect.sketch import lsh
from spindetect.sketch.lsh import optimal_params
from spindetect.sketch.minhash import SignatureSpec
from spindetect.sketch.sampled import sampled_shingles, shared_sample_pairs
from spindetect.synth.pair_sets import generate_negatives, generate_pairs

# -- LshTable --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "num_perm"), [(0.3, 128), (0.45, 128), (0.8, 64), (0.5, 256), (0.1, 32)]
)
def test_lsh_table_takes_optimal_params(threshold: float, num_perm: int) -> None:
    table = LshTable("content", 1, num_perm, threshold)
    assert (table.bands, table.rows) == lsh.optimal_params(threshold, num_perm)
    assert table.bands * table.rows <= num_perm


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.3, 128), (0.45, 128), (0.8, 64)])
def test_lsh_table_params_match_datasketch(threshold: float, num_perm: int) -> None:
    ds_lsh = pytest.importorskip("datasketch.lsh")
    table = LshTable("skeleton", 6, num_perm, threshold)
    assert (table.bands, table.rows) == ds_lsh._optimal_param(threshold, num_perm, 0.5, 0.5)


def test_lsh_table_explicit_params_labels_and_defaults() -> None:
    table = LshTable("word", None, 100, 0.5, bands=20, rows=5)
    assert (table.bands, table.rows, table.n) == (20, 5, 5)
    assert table.label == "word:5"
    assert table.spec == SignatureSpec("word", 5, 100)
    assert LshTable("content").label == "content"
    assert LshTable("skeleton", 6).label == "skeleton:6"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kind": "letters"}, "kind"),
        ({"kind": "content", "n": 2}, "n"),
        ({"kind": "word", "num_perm": 0}, "num_perm"),
        ({"kind": "word", "threshold": 1.5}, "threshold"),
        ({"kind": "word", "threshold": -0.1}, "threshold"),
        ({"kind": "word", "bands": 4}, "bands and rows"),
        ({"kind": "word", "rows": 4}, "bands and rows"),
        ({"kind": "word", "num_perm": 64, "bands": 10, "rows": 7}, "num_perm"),
    ],
)
def test_lsh_table_validation(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        LshTable(**kwargs)  # type: ignore[arg-type]


# -- ScanConfig ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tables": ()}, "tables"),
        ({"sample_n": 0}, "sample_n"),
        ({"sample_n": 65}, "sample_n"),
        ({"sample_mod": 0}, "sample_mod"),
        ({"min_shared": 0}, "min_shared"),
        ({"max_df": 1}, "max_df"),
        ({"max_bucket": 1}, "max_bucket"),
        ({"sample_n": 2.5}, "sample_n"),
    ],
)
def test_scan_config_validation(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        ScanConfig(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"near_duplicate": 1.2}, "near_duplicate"),
        ({"spun_skeleton": -1}, "spun_skeleton"),
        ({"spun_content": 2}, "spun_content"),
        ({"partial_shared": 0}, "partial_shared"),
    ],
)
def test_verify_rules_validation(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        VerifyRules(**kwargs)  # type: ignore[arg-type]


def test_scan_config_specs_cover_tables_and_verification() -> None:
    config = ScanConfig(tables=(LshTable("word", 5, 64, 0.5),))
    specs = config.specs()
    assert specs["word:5"] == SignatureSpec("word", 5, 64)
    assert SKELETON in specs and CONTENT in specs
    d = config.to_dict()
    assert d["tables"] == [["word", 5, 64, config.tables[0].bands, config.tables[0].rows]]
    assert d["sample"] == [config.sample_n, config.sample_mod]


# -- fingerprint -----------------------------------------------------------------------


def test_fingerprint_shapes() -> None:
    config = ScanConfig(tables=(LshTable("word", 3, 32, 0.5), LshTable("content", 1, 64, 0.4)))
    texts = [
        "The cat sat on the mat and looked at the dog.",
        "",
        "one two",
        "Another text with several words in it, for the fingerprint.",
    ]
    fp = fingerprint(texts, config, workers=1)
    assert len(fp) == len(texts)
    assert set(fp.signatures) == set(config.specs())
    for label, spec in config.specs().items():
        assert fp.signatures[label].shape == (len(texts), spec.num_perm), label
    ref = sampled_shingles(texts, n=config.sample_n, mod=config.sample_mod)
    np.testing.assert_array_equal(fp.samples.hashes, ref.hashes)
    np.testing.assert_array_equal(fp.samples.offsets, ref.offsets)
    twice = Fingerprints.concatenate(
        [fingerprint(texts[:1], config), fingerprint(texts[1:], config)]
    )
    for label in fp.signatures:
        np.testing.assert_array_equal(twice.signatures[label], fp.signatures[label])
    np.testing.assert_array_equal(twice.samples.hashes, fp.samples.hashes)


def test_fingerprint_of_no_text() -> None:
    fp = fingerprint([], ScanConfig())
    assert len(fp) == 0
    assert all(sig.shape[0] == 0 for sig in fp.signatures.values())


# -- candidates and verify on generated text -----------------------------------------------


@pytest.fixture(scope="module")
def spun_among_unrelated() -> tuple[list[str], Fingerprints]:
    (original, spun, _), (other, _, _) = generate_pairs(2, rate=0.3, seed=21, doc_words=400)
    unrelated = [t for pair in generate_negatives(4, seed=22, doc_words=400) for t in pair]
    texts = [*unrelated[:3], original, *unrelated[3:], other, spun]
    return texts, fingerprint(texts, ScanConfig())


def test_candidates_find_spun_pair(spun_among_unrelated: tuple[list[str], Fingerprints]) -> None:
    texts, fp = spun_among_unrelated
    config = ScanConfig()
    cands = candidates(fp, config)
    pair = [3, len(texts) - 1]
    found = cands.pairs.tolist()
    assert pair in found
    assert cands.pairs.dtype == np.int64 and np.all(cands.pairs[:, 0] < cands.pairs[:, 1])
    assert len({tuple(p) for p in found}) == len(found)
    # Ten documents: few enough to verify every pair (tune_bands' exhaustive floor); with
    # the tables' fixed bands, only the copy and a few chance collisions are candidates.
    fixed = candidates(fp, ScanConfig(candidate_budget=None)).pairs.tolist()
    assert pair in fixed and len(fixed) <= 5
    assert cands.shared.shape == (len(found),)
    assert cands.shared[found.index(pair)] >= config.min_shared
    verdicts = verify(fp, cands, config.rules)
    got = dict(zip(map(tuple, verdicts.pairs.tolist()), verdicts.verdicts.tolist(), strict=True))
    assert got[tuple(pair)] == "spun"
    others = {p: v for p, v in got.items() if p != tuple(pair)}
    assert all(v == "partial" for v in others.values())  # unrelated: no whole-document copy


@pytest.fixture(scope="module")
def constructed() -> tuple[list[str], PairVerdicts]:
    ((original, spun, _),) = generate_pairs(1, rate=0.3, seed=31, doc_words=450)
    a1, _ = generate_negatives(1, seed=32, doc_words=450)[0]
    b1, b2 = generate_negatives(1, seed=33, doc_words=500)[0]
    sentences = original.split(". ")
    near = ". ".join(sentences[:3] + sentences[4:]) + " One sentence was added at the end."
    passage = " ".join(a1.split()[50:220])
    host = b1.split()
    embedded = " ".join([*host[:300], passage, *host[300:]])
    texts = [original, spun, near, a1, embedded, b2]
    fp = fingerprint(texts, ScanConfig())
    return texts, verify(fp, candidates(fp, ScanConfig()), VerifyRules())


@pytest.mark.parametrize(
    ("pair", "verdict"),
    [((0, 1), "spun"), ((0, 2), "near-duplicate"), ((1, 2), "spun"), ((3, 4), "partial")],
)
def test_verify_constructed_cases(
    constructed: tuple[list[str], PairVerdicts], pair: tuple[int, int], verdict: str
) -> None:
    _, result = constructed
    got = dict(zip(map(tuple, result.pairs.tolist()), result.verdicts.tolist(), strict=True))
    assert got.get(pair) == verdict


def test_a_long_verbatim_passage_is_partial_not_spun() -> None:
    # 250 of a page's 450 words reused verbatim inside another page: the shared samples
    # are many, skeleton and content only follow the passage -> partial, not a spun copy.
    a1, _ = generate_negatives(1, seed=32, doc_words=450)[0]
    host = generate_negatives(1, seed=33, doc_words=500)[0][0].split()
    embedded = " ".join([*host[:200], *a1.split()[20:270], *host[200:]])
    fp = fingerprint([a1, embedded], ScanConfig())
    result = verify(fp, candidates(fp, ScanConfig()), VerifyRules())
    assert result.verdicts.tolist() == ["partial"]
    assert result.skeleton[0] >= VerifyRules().spun_skeleton  # the old rules said "spun"


def test_verify_drops_unrelated(constructed: tuple[list[str], PairVerdicts]) -> None:
    _, result = constructed
    kept = {tuple(p) for p in result.pairs.tolist()}
    assert kept <= {(0, 1), (0, 2), (1, 2), (3, 4)}
    assert len(result) == len(kept)
    assert np.all((result.confidence > 0) & (result.confidence < 1 + 1e-12))


# -- verify rules on exact signature agreements ---------------------------------------------


def _signatures_with_agreement(agreements: list[float], num_perm: int = 128) -> np.ndarray:
    """Row 0 a base signature, row k+1 agreeing with it on ``agreements[k] * num_perm`` slots."""
    base = np.arange(num_perm, dtype=np.uint32)
    rows = [base]
    for k, share in enumerate(agreements):
        same = round(share * num_perm)
        row = base.copy()
        row[same:] = 1_000_000 + 1000 * k + np.arange(num_perm - same)
        rows.append(row)
    return np.stack(rows)


CASES = [  # (skeleton, content, shared)
    (0.5, 0.8, 0),
    (0.9, 0.8, 0),
    (0.8, 0.8, 0),
    (0.75, 0.75, 0),
    (0.3, 0.74, 0),
    (0.2, 0.15, 0),
    (0.19, 0.16, 0),
    (0.2, 0.14, 0),
    (0.05, 0.5, 0),
    (0.05, 0.49, 0),
    (0.0, 0.4, 0),  # reordered: content words kept, no skeleton
    (0.0, 0.39, 0),
    (0.0, 0.45, 4),  # shared verbatim text: partial, not reordered
    (0.05, 0.1, 4),
    (0.05, 0.1, 3),
    (0.0, 0.0, 100),
    (1.0, 1.0, 0),
]


def expected_verdict(skel: float, cont: float, shared: int, rules: VerifyRules) -> str | None:
    """Apply the rules exactly as VerifyRules' docstring states them."""
    sure = (
        float(scan_confidence(np.array([skel]), np.array([cont]), np.array([shared]))[0])
        >= rules.min_confidence
    )
    if cont >= rules.near_duplicate and cont >= skel and sure:
        return "near-duplicate"
    if sure and (
        (skel >= rules.spun_skeleton and cont >= rules.spun_content_min)
        or cont >= rules.spun_content
    ):
        return "spun"
    if shared >= rules.partial_shared:
        return "partial"
    if cont >= rules.reordered_content:
        return "spun"
    return None


def test_verify_rules_boundaries() -> None:
    num_perm = 128
    # Shares that are exact multiples of 1/128 close to the listed values.
    cases = [
        (round(s * num_perm) / num_perm, round(c * num_perm) / num_perm, sh) for s, c, sh in CASES
    ]
    skel = _signatures_with_agreement([s for s, _, _ in cases], num_perm)
    cont = _signatures_with_agreement([c for _, c, _ in cases], num_perm)
    n = len(cases) + 1
    fp = Fingerprints({SKELETON: skel, CONTENT: cont}, sampled_shingles([""] * n, n=8, mod=4))
    pairs = np.array([[0, k + 1] for k in range(len(cases))], dtype=np.int64)
    shared = np.array([sh for _, _, sh in cases], dtype=np.int64)
    rules = VerifyRules()
    result = verify(fp, Candidates(pairs, shared, len(cases), 0, 0), rules)
    got = dict(zip(map(tuple, result.pairs.tolist()), result.verdicts.tolist(), strict=True))
    for k, (s, c, sh) in enumerate(cases):
        assert got.get((0, k + 1)) == expected_verdict(s, c, sh, rules), (s, c, sh)
    scores = dict(
        zip(
            map(tuple, result.pairs.tolist()),
            zip(result.skeleton.tolist(), result.content.tolist(), strict=True),
            strict=True,
        )
    )
    for k, (s, c, _) in enumerate(cases):
        if (0, k + 1) in scores:
            assert scores[(0, k + 1)] == pytest.approx((s, c))
    # Confidence grows with each score.
    conf = dict(zip(map(tuple, result.pairs.tolist()), result.confidence.tolist(), strict=True))
    assert conf[(0, 2)] > conf[(0, 1)]  # (0.9, 0.8) over (0.5, 0.8)


def test_shared_boilerplate_is_partial_not_spun() -> None:
    # Same skeleton and content share; only the verbatim samples differ: a spun copy
    # shares few, pages under one boilerplate share many.
    skel = _signatures_with_agreement([0.3, 0.3])
    cont = _signatures_with_agreement([0.3, 0.3])
    fp = Fingerprints({SKELETON: skel, CONTENT: cont}, sampled_shingles([""] * 3))
    pairs = np.array([[0, 1], [0, 2]], dtype=np.int64)
    result = verify(fp, Candidates(pairs, np.array([1, 20]), 2, 0, 0), VerifyRules())
    assert result.verdicts.tolist() == ["spun", "partial"]
    assert result.confidence[1] == pytest.approx(1 - 0.5**10)  # partial: 1 - 2^(-shared/2)


def test_scan_confidence_monotone_in_skeleton_and_content() -> None:
    grid = np.linspace(0, 0.5, 11)  # below saturation of the float64 logistic
    by_skel = scan_confidence(grid, np.full(11, 0.1), np.zeros(11))
    by_cont = scan_confidence(np.full(11, 0.1), grid, np.zeros(11))
    assert np.all(np.diff(by_skel) > 0) and np.all(np.diff(by_cont) > 0)
    full = scan_confidence(np.linspace(0, 1, 11), np.linspace(0, 1, 11), np.arange(11))
    assert np.all((full >= 0) & (full <= 1))
    with pytest.raises(InvalidParameterError, match="min_confidence"):
        VerifyRules(min_confidence=1.5)


def test_verify_with_custom_rules() -> None:
    skel = _signatures_with_agreement([0.3])
    cont = _signatures_with_agreement([0.3])
    fp = Fingerprints({SKELETON: skel, CONTENT: cont}, sampled_shingles(["", ""]))
    cands = Candidates(np.array([[0, 1]], dtype=np.int64), np.array([0]), 1, 0, 0)
    assert verify(fp, cands, VerifyRules()).verdicts.tolist() == ["spun"]
    strict = VerifyRules(spun_skeleton=0.5, spun_content=0.9)
    assert len(verify(fp, cands, strict)) == 0
    loose = VerifyRules(near_duplicate=0.25)
    assert verify(fp, cands, loose).verdicts.tolist() == ["near-duplicate"]


def test_verify_no_candidates() -> None:
    fp = fingerprint(["a b c", "d e f"], ScanConfig())
    empty = Candidates(np.empty((0, 2), np.int64), np.empty(0, np.int64), 0, 0, 0)
    result = verify(fp, empty, VerifyRules())
    assert len(result) == 0 and result.pairs.shape == (0, 2)


# -- cluster ------------------------------------------------------------------------------


def test_cluster_labels_are_smallest_member() -> None:
    pairs = np.array([[5, 3], [3, 8], [1, 9], [9, 2], [7, 7]], dtype=np.int64)
    labels = cluster(10, pairs)
    assert labels.tolist() == [0, 1, 1, 3, 4, 3, 6, 7, 3, 1]
    rng = random.Random(0)
    for _ in range(5):
        rows = pairs.tolist()
        rng.shuffle(rows)
        flipped = [r[::-1] if rng.random() < 0.5 else r for r in rows]
        assert cluster(10, np.array(flipped, dtype=np.int64)).tolist() == labels.tolist()


def test_cluster_without_pairs() -> None:
    assert cluster(4, np.empty((0, 2), np.int64)).tolist() == [0, 1, 2, 3]
    assert cluster(0, np.empty((0, 2), np.int64)).tolist() == []


def test_tune_bands_keeps_chance_candidates_within_budget() -> None:
    rng = np.random.default_rng(7)
    sigs = rng.integers(0, 50, size=(2000, 128), dtype=np.uint32)  # background J ~ 0.02
    bands, rows = tune_bands(sigs, target=0.3, budget=2.0, seed=1, exhaustive=0)
    assert bands * rows <= 128
    i, j = np.triu_indices(300, 1)
    est = (sigs[i] == sigs[j]).mean(axis=1)
    chance = 1.0 - (1.0 - est**rows) ** bands
    assert chance.mean() * (len(sigs) - 1) <= 2.0 * 1.5  # the budget, up to sampling noise
    # a larger budget never yields a less sensitive choice
    b2, r2 = tune_bands(sigs, target=0.3, budget=200.0, seed=1)
    assert 1 - (1 - 0.3**r2) ** b2 >= 1 - (1 - 0.3**rows) ** bands


def test_tune_bands_small_collections_may_verify_many_more_pairs() -> None:
    rng = np.random.default_rng(7)
    sigs = rng.integers(0, 50, size=(2000, 128), dtype=np.uint32)
    i, j = np.triu_indices(300, 1)
    est = (sigs[i] == sigs[j]).mean(axis=1)

    def chance(bands: int, rows: int) -> float:
        return float((1.0 - (1.0 - est**rows) ** bands).mean() * (len(sigs) - 1))

    strict = tune_bands(sigs, target=0.3, budget=2.0, seed=1, exhaustive=0)
    floor = tune_bands(sigs, target=0.3, budget=2.0, seed=1, exhaustive=400_000)
    assert chance(*floor) > chance(*strict)  # more sensitive bands...
    assert chance(*floor) <= 400_000 / len(sigs) * 1.5  # ...within the exhaustive budget
    # The expected band collisions bound the work, whatever the budget.
    capped = tune_bands(sigs, target=0.3, budget=2000.0, seed=1, max_keys=1e5)
    b, r = capped
    assert len(sigs) * (len(sigs) - 1) / 2 * b * float(np.mean(est**r)) <= 1e5 * 1.5


def test_tune_bands_is_the_most_sensitive_of_every_bands_and_rows_within_budget() -> None:
    # Oracle: brute force over every (bands, rows) on the same pair sample.
    rng = np.random.default_rng(3)
    base = rng.integers(0, 40, size=(1, 128), dtype=np.uint32)
    noise = rng.integers(0, 40, size=(3000, 128), dtype=np.uint32)
    keep = rng.random((3000, 128)) < 0.15  # a background of J ~ 0.15 plus chance agreement
    sigs = np.where(keep, base, noise).astype(np.uint32)
    n = len(sigs)
    pick = np.random.default_rng(1)
    i, j = pick.integers(0, n, 20_000), pick.integers(0, n, 20_000)
    est = (sigs[i[i != j]] == sigs[j[i != j]]).mean(axis=1)
    budget = 5.0
    best = (-1.0, 0, 0)
    for r in range(1, 9):
        for b in range(1, 128 // r + 1):
            expected = (n - 1) * float(np.mean(1 - (1 - est**r) ** b))
            if expected <= budget and 1 - (1 - 0.3**r) ** b > best[0] + 1e-12:
                best = (1 - (1 - 0.3**r) ** b, b, r)
    bands, rows = tune_bands(sigs, target=0.3, budget=budget, seed=1, exhaustive=0)
    assert 1 - (1 - 0.3**rows) ** bands == pytest.approx(best[0], abs=1e-9)
    # ... never less sensitive than the rows-only choice (bands = 128 // rows).
    rows_only = [
        1 - (1 - 0.3**r) ** (128 // r)
        for r in range(1, 9)
        if (n - 1) * float(np.mean(1 - (1 - est**r) ** (128 // r))) <= budget
    ]
    assert best[0] >= max(rows_only, default=0.0)


def test_tune_bands_small_collections_use_the_threshold_params() -> None:
    sigs = np.zeros((2, 128), dtype=np.uint32)
    assert tune_bands(sigs, target=0.3, budget=1.0) == optimal_params(0.3, 128)


def test_candidates_report_the_bands_each_table_used() -> None:
    texts = [
        f"The {w} of the city is one of the best in the region."
        for w in ("history", "harbour", "museum", "market", "river", "bridge")
    ]
    config = ScanConfig()
    cands = candidates(fingerprint(texts, config), config)
    assert set(cands.bands) == {t.label for t in config.tables}
    fixed = ScanConfig(candidate_budget=None)
    assert candidates(fingerprint(texts, fixed), fixed).bands == {
        t.label: (t.bands, t.rows) for t in fixed.tables
    }


def test_a_candidate_budget_that_replaces_given_bands_says_so() -> None:
    table = LshTable("content", 1, 128, 0.3, bands=16, rows=8)
    with pytest.warns(UserWarning, match="candidate_budget=8.0 .* content"):
        ScanConfig(tables=(table,))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ScanConfig(tables=(table,), candidate_budget=None)
        ScanConfig(tables=(LshTable("content", 1, 128, 0.3),))


def test_candidates_equal_the_all_pairs_reference_and_may_overwrite_samples() -> None:
    # Spun pairs, near-copies and unrelated texts: LSH, sample-only and shared-sample pairs.
    pairs = generate_pairs(30, rate=0.3, seed=5, doc_words=150)
    texts = [t for original, spun, _ in pairs for t in (original, spun)]
    texts += [t for pair in generate_negatives(20, seed=6, doc_words=150) for t in pair]
    texts += [texts[0][:400] + " " + texts[50], texts[2] + " " + texts[60][:300]]
    config = ScanConfig(min_shared=2)
    fp = fingerprint(texts, config)
    got = candidates(fp, config)
    # Reference: every table's band collisions with the bands chosen, plus pairs sharing
    # min_shared samples, each with its count of shared samples (all pairs counted at once).
    found: set[tuple[int, int]] = set()
    for table in config.tables:
        keys = lsh.band_keys(fp.signatures[table.label], *got.bands[table.label])
        found |= set(map(tuple, lsh.candidate_pairs(keys, max_bucket=config.max_bucket).tolist()))
    sample_pairs, shared, _ = shared_sample_pairs(fp.samples, min_shared=1, max_df=config.max_df)
    count = dict(zip(map(tuple, sample_pairs.tolist()), shared.tolist(), strict=True))
    found |= {p for p, c in count.items() if c >= config.min_shared}
    want = sorted(found)
    assert got.pairs.tolist() == [list(p) for p in want]
    assert got.shared.tolist() == [count.get(p, 0) for p in want]
    assert 0 < got.from_samples and any(count.get(p, 0) == 0 for p in want)
    again = candidates(fp, config, overwrite_samples=True)
    assert again.pairs.tolist() == got.pairs.tolist()
    assert again.shared.tolist() == got.shared.tolist()
