"""The stages of a crawl scan, as pure functions over arrays of one shard or crawl.

The scan is a chain of stages, each a pure function over arrays, so that a
distributed engine can run the very same functions over shards::

    read        documents (sources.iter_documents)             -> texts, metadata
    fingerprint texts -> MinHash signatures per LSH table        (fingerprint)
                      + sampled word n-grams for partial copies
    band keys   signatures -> (n_docs, bands) keys per table     (lsh.band_keys)
    candidates  band collisions + shared samples >= min_shared (candidates)
    vocabulary  function words + document frequencies of a sample (learn_function_words)
    verify      vectorised scores and a verdict per candidate    (verify)
    passages    rejected candidates scored by their best shared passage (verify_passages)
    templates   short pairs of one template with other facts dropped (drop_templated)
    cluster     union-find over whole-document copies            (cluster)
    describe    families: members, titles, links, explanations   (describe_families)

Why these fingerprints (measured, see ``docs/scan.md``): a spinner replaces
content words, so word n-grams die ((1-p)^n survive) while the *function-word
skeleton* (Stamatatos 2011) survives almost whole; content-word unigrams keep
most of the vocabulary even under heavy spinning (real SpinBot output also swaps
function words). The default tables are skeleton 4-grams and content-word
unigrams, both at threshold 0.3; sampled 8-grams find passages reused inside
longer pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numba
import numpy as np

from spindetect._parallel import unique_counts
from spindetect._validation import check_float
from spindetect.crawl.records import Candidates, Fingerprints, PairVerdicts
from spindetect.crawl.templates import templated_pairs
from spindetect.pairwise.passages import passage_scores
from spindetect.settings import CONTENT, SKELETON, ScanConfig, VerifyRules
from spindetect.sketch import lsh
from spindetect.sketch._pairs import index_bits, split_keys
from spindetect.sketch.minhash import EMPTY_VALUE, fingerprint_texts
from spindetect.sketch.sampled import shared_sample_counts
from spindetect.sketch.tokenizing import token_hashes
from spindetect.text.function_words import FunctionWords

__all__ = [
    "batched",
    "candidates",
    "cluster",
    "drop_templated",
    "estimate_between",
    "fingerprint",
    "learn_function_words",
    "passage_confidence",
    "scan_confidence",
    "tune_bands",
    "verify",
    "verify_pairs",
    "verify_passages",
]


_EMPTY = EMPTY_VALUE


def fingerprint(
    texts: Sequence[str],
    config: ScanConfig,
    *,
    workers: int | None = None,
    function_words: FunctionWords | None = None,
) -> Fingerprints:
    """Stage *fingerprint*: signatures for every table and sampled n-grams, for one batch.

    ``function_words`` (see :func:`learn_function_words`) splits skeleton from
    content; None uses the English list.
    """
    sigs, samples = fingerprint_texts(
        texts,
        config.specs(),
        seed=config.seed,
        workers=workers,
        sample_n=config.sample_n,
        sample_mod=config.sample_mod,
        function_words=function_hashes(function_words),
    )
    return Fingerprints(sigs, samples)


def learn_function_words(texts: Sequence[str], config: ScanConfig) -> FunctionWords:
    """Stage *vocabulary*: function words and document frequencies of a sample of the crawl.

    A runner calls it on its first batch, before fingerprinting anything, and
    passes :func:`function_hashes` of the result to the ``Fingerprinter``. With
    ``config.function_words == "auto"`` the English list is extended by the
    sample's own most frequent, widespread tokens until function words cover
    40 % of its running tokens (:meth:`FunctionWords.from_hashes`; English text
    gains none or few, other languages their own); with ``"english"`` only the
    document frequencies are learned (the passage weights).
    """
    hashes, counts = token_hashes(texts)
    learned = 150 if config.function_words == "auto" else 0
    return FunctionWords.from_hashes(hashes, counts, max_learned=learned)


def function_hashes(words: FunctionWords | None) -> np.ndarray | None:
    """Return the fingerprinter's ``function_words`` (None keeps the English table)."""
    return None if words is None or words.learned == 0 else words.hashes


def candidates(
    fp: Fingerprints, config: ScanConfig, *, overwrite_samples: bool = False
) -> Candidates:
    """Stage *candidates*: LSH band collisions in any table, plus pairs sharing samples.

    A pair is a candidate when it collides in a band of any table, or shares
    ``config.min_shared`` samples; every candidate gets the number of samples
    it shares (:func:`spindetect.sketch.sampled.shared_sample_counts`, range by
    range in bounded memory). ``overwrite_samples`` lets that search pack and
    sort ``fp.samples.hashes`` in place (the scan pipeline, which needs the
    samples no more): the samples are not copied, and ``fp.samples`` no longer
    holds hashes afterwards.
    """
    found = []
    chosen: dict[str, tuple[int, int]] = {}
    for table in config.tables:
        sigs = fp.signatures[table.label]
        if config.candidate_budget is None:
            bands, rows = int(table.bands), int(table.rows)  # type: ignore[arg-type]
        else:
            bands, rows = tune_bands(
                sigs, target=table.threshold, budget=config.candidate_budget, seed=config.seed
            )
        chosen[table.label] = (bands, rows)
        keys = lsh.band_keys(sigs, bands, rows)
        found.append(lsh.candidate_pairs(keys, max_bucket=config.max_bucket, overwrite_keys=True))
        del keys
    # Pairs as int64 keys i << bits | j: 1-d unique and lookups instead of row-wise ones.
    bits = index_bits(len(fp))
    lsh_keys = unique_counts(np.concatenate([_pair_keys(p, bits) for p in found]))[0]
    del found
    # Sorted; every strong pair and every LSH candidate sharing a sample.
    sample_keys, shared, skipped = shared_sample_counts(
        fp.samples,
        min_shared=config.min_shared,
        max_df=config.max_df,
        keep=lsh_keys,
        overwrite=overwrite_samples,
    )
    strong = shared >= config.min_shared
    all_keys = unique_counts(np.concatenate([lsh_keys, sample_keys[strong]]))[0]
    # Shared-sample counts for every candidate (0 when they share none).
    counts = np.zeros(all_keys.size, dtype=np.int64)
    if sample_keys.size:
        idx = np.minimum(np.searchsorted(sample_keys, all_keys), sample_keys.size - 1)
        hit = sample_keys[idx] == all_keys
        counts[hit] = shared[idx[hit]]
    return Candidates(
        split_keys(all_keys, bits),
        counts,
        int(lsh_keys.size),
        int(np.count_nonzero(strong)),
        skipped,
        chosen,
    )


def tune_bands(
    signatures: np.ndarray,
    *,
    target: float,
    budget: float,
    seed: int = 1,
    sample: int = 20_000,
    exhaustive: float = 50_000,
    max_keys: float = 2e7,
) -> tuple[int, int]:
    """Choose LSH (bands, rows) for this collection: most sensitive within a candidate budget.

    A fixed threshold cannot serve every crawl size: the number of chance
    collisions per document grows with the crawl. The background is measured on
    the collection itself, from ``sample`` random document pairs with estimated
    Jaccard ``s_k``; with ``bands`` b of ``rows`` r the expected chance
    candidates per document are::

        E_{b,r} = (n - 1) * mean_k [1 - (1 - s_k^r)^b]

    and the choice is the (b, r), ``1 <= r <= 8`` and ``1 <= b <= num_perm // r``,
    with the highest collision probability at ``target``, ``1 - (1 - target^r)^b``,
    among those with ``E_{b,r} <= max(budget, min(n - 1, exhaustive / n))`` and
    at most ``max_keys`` expected band collisions ``n (n - 1) / 2 * b * mean_k s_k^r``
    (ties: the fewer expected candidates; ``num_perm // 8`` bands of 8 rows if none
    fits). Searching the band count as well as the rows spends the budget where
    the rows alone would jump past it: on the generated 100k crawl the skeleton
    table gets 28 x 4 (P = 0.20 at J = 0.3) instead of 25 x 5 (P = 0.06).
    Small collections, where verifying many pairs is cheap, get sensitive,
    few-row bands (``exhaustive`` candidate pairs in all); large crawls get
    more rows, so candidates per document stay bounded.

    Parameters
    ----------
    signatures : numpy.ndarray of uint32, shape (n_docs, num_perm)
        The table's signatures.
    target : float
        Jaccard similarity the table is meant to catch.
    budget : float
        Expected chance candidates per document allowed.
    seed : int, default=1
        Seed of the pair sample.
    sample : int, default=20000
        Random pairs measured.
    exhaustive : float, default=50000
        Candidate pairs always worth verifying, however small the collection.
    max_keys : float, default=2e7
        Expected band collisions allowed (memory of the candidate stage).

    Returns
    -------
    tuple of int
        ``(bands, rows)`` with ``bands * rows <= num_perm``.
    """
    check_float("target", target, low=0.0, high=1.0)
    check_float("budget", budget, low=0.0)
    n, num_perm = signatures.shape
    if n < 3:
        return lsh.optimal_params(target, num_perm)
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, sample)
    j = rng.integers(0, n, sample)
    keep = i != j
    background = (signatures[i[keep]] == signatures[j[keep]]).mean(axis=1)
    allowed = max(budget, min(n - 1, exhaustive / n))
    best: tuple[float, float, int, int] | None = None
    for rows in range(1, 9):
        most = num_perm // rows
        bands = np.arange(1, most + 1)
        power = background**rows
        # Expected chance candidates and band collisions for every band count at once.
        miss = np.exp(np.log1p(-np.minimum(power, 1.0 - 1e-12))[:, None] * bands[None, :])
        expected = (n - 1) * (1.0 - miss).mean(axis=0)
        keys = n * (n - 1) / 2 * bands * float(power.mean())
        fits = np.flatnonzero((expected <= allowed) & (keys <= max_keys))
        if fits.size == 0:
            continue
        b = int(bands[fits[-1]])  # sensitivity grows with the bands: the most that fit
        sensitivity = float(lsh.collision_probability(target, b, rows))
        cost = float(expected[fits[-1]])
        if best is None or (sensitivity, -cost) > (best[0], -best[1]):
            best = (sensitivity, cost, b, rows)
    return (best[2], best[3]) if best is not None else (num_perm // 8, 8)


def verify(fp: Fingerprints, cands: Candidates, rules: VerifyRules) -> PairVerdicts:
    """Stage *verify*: vectorised scores and a verdict for every candidate; keeps copies."""
    return verify_pairs(fp.signatures, fp.signatures, cands.pairs, cands.shared, rules)


def verify_pairs(
    left: Mapping[str, np.ndarray],
    right: Mapping[str, np.ndarray],
    pairs: np.ndarray,
    shared: np.ndarray,
    rules: VerifyRules,
) -> PairVerdicts:
    """Score and judge pairs of signature rows taken from two signature sets; keep copies.

    Pair ``(i, j)`` compares row ``i`` of ``left`` with row ``j`` of ``right``
    (pass the same mapping twice for pairs inside one batch, as :func:`verify`
    does; an on-disk index passes new documents and stored ones). Each mapping
    holds the :data:`SKELETON` and :data:`CONTENT` signatures; ``shared`` is the
    number of sampled n-grams each pair shares. The rules are those of
    :class:`VerifyRules`. The confidence of a whole copy is
    :func:`scan_confidence`; of a partial copy ``1 - 2 ** (-shared / 2)`` (a
    shared sampled 8-gram is near-certain evidence of a shared passage: 4
    shared give 0.75, 8 give 0.94); of a reordered copy (``cont >=
    reordered_content``) ``1 - 4 ** (-cont / reordered_content)`` (0.75 at
    the threshold, 0.94 at twice it).
    """
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    skel = estimate_between(left[SKELETON], right[SKELETON], p)
    cont = estimate_between(left[CONTENT], right[CONTENT], p)
    shared = np.asarray(shared, dtype=np.int64)
    whole = scan_confidence(skel, cont, shared)
    sure = whole >= rules.min_confidence
    near = (cont >= rules.near_duplicate) & (cont >= skel) & sure
    spun = (
        ~near
        & sure
        & (
            ((skel >= rules.spun_skeleton) & (cont >= rules.spun_content_min))
            | (cont >= rules.spun_content)
        )
    )
    partial = ~near & ~spun & (shared >= rules.partial_shared)
    reordered = ~near & ~spun & ~partial & (cont >= rules.reordered_content)
    verdicts = np.full(p.shape[0], "", dtype=object)
    verdicts[near] = "near-duplicate"
    verdicts[spun | reordered] = "spun"
    verdicts[partial] = "partial"
    keep = near | spun | partial | reordered
    confidence = np.where(partial, 1.0 - 0.5 ** (shared / 2.0), whole)
    if rules.reordered_content > 0:
        ratio = cont / rules.reordered_content
        confidence = np.where(reordered, 1.0 - 0.25**ratio, confidence)
    return PairVerdicts(
        p[keep], skel[keep], cont[keep], shared[keep], verdicts[keep], confidence[keep]
    )


def verify_passages(
    texts: Sequence[str],
    fp: Fingerprints,
    cands: Candidates,
    verified: PairVerdicts,
    words: FunctionWords,
    config: ScanConfig,
) -> PairVerdicts:
    """Stage *passages*: the candidates :func:`verify` rejected, scored by their best passage.

    At most ``config.passage_budget`` rejected candidates are scored, those
    with the highest content-word estimate first; a pair whose passage score
    (:func:`spindetect.pairwise.passages.passage_scores`) reaches
    ``config.rules.passage`` is a ``partial`` copy with confidence
    :func:`passage_confidence`. ``texts`` are the documents ``fp`` was
    computed from (any sequence indexable by document number).
    """
    bits = index_bits(len(fp))
    kept = np.isin(_pair_keys(cands.pairs, bits), _pair_keys(verified.pairs, bits))
    rest = np.flatnonzero(~kept)
    if rest.size == 0 or config.passage_budget == 0:
        return _no_verdicts()
    pairs = cands.pairs[rest]
    cont = estimate_between(fp.signatures[CONTENT], fp.signatures[CONTENT], pairs)
    if rest.size > config.passage_budget:
        top = np.sort(np.argsort(-cont, kind="stable")[: config.passage_budget])
        rest, pairs, cont = rest[top], pairs[top], cont[top]
    scores = passage_scores(
        texts,
        pairs,
        words,
        seed=config.rules.passage_seed,
        min_concentration=config.rules.passage_concentration,
    )
    good = scores >= config.rules.passage
    skel = estimate_between(fp.signatures[SKELETON], fp.signatures[SKELETON], pairs[good])
    return PairVerdicts(
        pairs[good],
        skel,
        cont[good],
        cands.shared[rest[good]],
        np.full(int(good.sum()), "partial", dtype=object),
        passage_confidence(scores[good], config.rules.passage),
        scores[good],
    )


def drop_templated(
    texts: Sequence[str], verified: PairVerdicts, words: FunctionWords
) -> PairVerdicts:
    """Stage *templates*: drop spun and partial pairs that are one template with other facts.

    Short pairs whose differing content words are numbers, names or words
    unrelated to those they replace (:func:`spindetect.crawl.templates.templated`)
    are catalogue entries of one template, not copies. Near-duplicates are kept
    (a revision may change just a date).
    """
    check = np.flatnonzero(verified.verdicts != "near-duplicate")
    if check.size == 0:
        return verified
    drop = np.zeros(len(verified), dtype=bool)
    drop[check] = templated_pairs(texts, verified.pairs[check], words)
    return verified.take(~drop) if drop.any() else verified


def passage_confidence(score: np.ndarray, threshold: float = 0.8) -> np.ndarray:
    """Confidence of a partial copy found by its passage score, in (0, 1).

    ``1 / (1 + exp(-(score - threshold) / 0.25))``: 0.5 at the threshold, 0.88
    one seeded sentence (cosine 0.5) above it.
    """
    z = (np.asarray(score, dtype=np.float64) - threshold) / 0.25
    out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return out


def _no_verdicts() -> PairVerdicts:
    return PairVerdicts.empty()


def scan_confidence(skeleton: np.ndarray, content: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """Confidence that pairs are whole copies, from the scan's fast features, in (0, 1).

    ``1 / (1 + exp(-z))`` with::

        z = -8.23 + 45.96 skel + 10.68 cont - 0.69 min(shared, 20)

    a logistic regression fitted by ``benchmarks/calibrate_scan.py`` (generated
    spun copies at p = 0.1-0.6, near-duplicates and real SpinBot pairs against
    same-topic, same-article and same-site template non-copies). The skeleton
    carries the weight: spinning keeps it. Shared verbatim samples count
    *against* a whole copy when the skeleton does not follow them, which is
    what shared boilerplate looks like (a real copy with verbatim text also has
    its skeleton).
    """
    z = (
        -8.23
        + 45.96 * np.asarray(skeleton, dtype=np.float64)
        + 10.68 * np.asarray(content, dtype=np.float64)
        - 0.69 * np.minimum(shared, 20)
    )
    confidence: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return confidence


def cluster(n_docs: int, pairs: np.ndarray) -> np.ndarray:
    """Stage *cluster*: connected components (union-find); returns a label per document.

    Labels are the smallest document index of each component, so they are stable
    under any order of ``pairs``.
    """
    parent = np.arange(n_docs, dtype=np.int64)
    if pairs.size:
        _union_all(parent, np.ascontiguousarray(pairs, dtype=np.int64))
    return _find_all(parent)


def estimate_between(left: np.ndarray, right: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Return the MinHash Jaccard estimate of each pair ``(i, j)`` of rows of ``left``, ``right``.

    :math:`\\hat J = |\\{k : left_{ik} = right_{jk}\\}| / K` for ``K`` entries per signature.
    """
    return _agreement(
        np.ascontiguousarray(left),
        np.ascontiguousarray(right),
        np.ascontiguousarray(pairs, dtype=np.int64),
    )


@numba.njit(cache=True, nogil=True)
def _agreement(
    left: np.ndarray, right: np.ndarray, pairs: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty(pairs.shape[0], dtype=np.float64)
    width = left.shape[1]
    for k in range(pairs.shape[0]):
        a = left[pairs[k, 0]]
        b = right[pairs[k, 1]]
        equal = 0
        for c in range(width):
            # An empty set's entries are all EMPTY_VALUE: two empty sets share nothing.
            equal += (a[c] == b[c]) & (a[c] != _EMPTY)
        out[k] = equal / width if width else 0.0
    return out


def _pair_keys(pairs: np.ndarray, bits: int) -> np.ndarray:
    """Keys ``i << bits | j`` of pairs ``i < j`` (order-preserving)."""
    p = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return (p[:, 0] << np.int64(bits)) | p[:, 1]


@numba.njit(cache=True)
def _root(parent: np.ndarray, i: int) -> int:  # pragma: no cover - compiled
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@numba.njit(cache=True)
def _union_all(parent: np.ndarray, pairs: np.ndarray) -> None:  # pragma: no cover
    for k in range(pairs.shape[0]):
        a = _root(parent, pairs[k, 0])
        b = _root(parent, pairs[k, 1])
        if a != b:
            if a < b:
                parent[b] = a
            else:
                parent[a] = b


@numba.njit(cache=True)
def _find_all(parent: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    out = np.empty(parent.size, dtype=np.int64)
    for i in range(parent.size):
        out[i] = _root(parent, i)
    return out


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of ``size`` items (the last may be shorter)."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
