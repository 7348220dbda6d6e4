"""Text to MinHash signatures: one fused compiled pass per document, on all cores.

:func:`signatures` and :func:`multi_signatures` take raw ``str`` documents and
run one compiled pass per document (UTF-8 bytes -> words -> token hashes ->
n-gram hashes -> minima of the :class:`~spindetect.sketch.minhasher.MinHasher`
permutations). Their output is bit-identical to
``MinHasher.signature(<kind>_shingles(tokenize(text).forms, n))``.
:class:`Fingerprinter` feeds consecutive batches into one store and can also
keep sampled word n-grams (:mod:`spindetect.sketch.sampled`) and split skeleton
from content with function words learned from the crawl
(:mod:`spindetect.text.function_words`).

The sketch itself (:class:`MinHasher`, :func:`estimate_jaccard`, :func:`merge`,
:data:`EMPTY_VALUE`) lives in :mod:`spindetect.sketch.minhasher` and is
re-exported here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from spindetect._parallel import resolve_workers, split_ranges
from spindetect._validation import (
    check_collection,
    check_int,
    check_items,
    renamed_option,
)
from spindetect.sketch import _kernels
from spindetect.sketch._samples import SampledShingles
from spindetect.sketch.minhasher import (
    EMPTY_VALUE,
    MAX_SEED,
    MinHasher,
    estimate_jaccard,
    merge,
)
from spindetect.sketch.specs import SignatureSpec, named_specs
from spindetect.text._hashing import KIND_SEEDS

__all__ = [
    "EMPTY_VALUE",
    "Fingerprinter",
    "MinHasher",
    "SignatureSpec",
    "estimate_jaccard",
    "fingerprint_texts",
    "merge",
    "multi_signatures",
    "signatures",
]

_MIN_PARALLEL = 64  # smallest batch worth splitting over threads


def signatures(
    texts: Iterable[str],
    *,
    num_perm: int = 128,
    seed: int = 1,
    kind: str = "content",
    n: int | None = None,
    threads: int | None = None,
    batch_size: int = 4096,
    workers: int | None = None,
) -> np.ndarray:
    """Return the MinHash signatures of raw documents in one compiled pass.

    Equivalent to, but about two orders of magnitude faster than::

        h = MinHasher(num_perm, seed=seed)
        np.stack([h.signature(<kind>_shingles(tokenize(t).forms, n)) for t in texts])

    Parameters
    ----------
    texts : iterable of str
        The documents (consumed once; generators are processed in batches).
    num_perm : int, default=128
        Signature length.
    seed : int, default=1
        Permutation seed (see :class:`MinHasher`).
    kind : {'content', 'word', 'skeleton'}, default='content'
        Shingle kind (see :class:`SignatureSpec`); ``'char'`` is not offered
        here and raises.
    n : int or None, default=None
        Words per shingle (kind default when None).
    threads : int or None, default=None
        Threads; None uses every CPU this process may run on.
    batch_size : int, default=4096
        Documents encoded and hashed together; bounds the memory held.
    workers : int or None, default=None
        Former name of ``threads`` (deprecated).

    Returns
    -------
    numpy.ndarray of uint32, shape (n_docs, num_perm)
        Empty documents get all-``EMPTY_VALUE`` rows.

    Raises
    ------
    InvalidParameterError
        For a bad option, a ``str`` passed instead of a collection, or a
        non-``str`` document.

    Examples
    --------
    >>> sigs = signatures(["The cat sat on the mat.", "the CAT sat on the mat"], kind="word")
    >>> sigs.shape, estimate_jaccard(sigs[0], sigs[1])
    ((2, 128), 1.0)
    """
    threads = renamed_option("workers", workers, "threads", threads)
    spec = SignatureSpec(kind, n, num_perm)
    return multi_signatures(texts, [spec], seed=seed, threads=threads, batch_size=batch_size)[
        spec.label
    ]


def multi_signatures(
    texts: Iterable[str],
    specs: Mapping[str, SignatureSpec | str | Sequence[Any]]
    | Sequence[SignatureSpec | str | Sequence[Any]],
    *,
    seed: int = 1,
    threads: int | None = None,
    batch_size: int = 4096,
    workers: int | None = None,
) -> dict[str, np.ndarray]:
    """Compute several kinds of signature in one pass over the text.

    Each document is decoded and tokenised once; its token hashes then feed
    every spec. This is what a scan wants: e.g. content unigrams (spin-robust
    candidates), the function-word skeleton and word 5-grams (near-duplicates).

    Parameters
    ----------
    texts : iterable of str
        The documents.
    specs : mapping of str to spec, or sequence of specs
        Each spec is a :class:`SignatureSpec`, a kind name, or a tuple
        ``(kind, n, num_perm)`` (trailing items optional). With a mapping, the
        result uses its keys; with a sequence, each spec's :attr:`~SignatureSpec.label`
        (which must then be unique).
    seed : int, default=1
        Permutation seed shared by all specs (kinds hash in separate seed
        spaces, see ``_hashing.KIND_SEEDS``).
    threads : int or None, default=None
        Threads; None uses every CPU this process may run on.
    batch_size : int, default=4096
        Documents encoded and hashed together.
    workers : int or None, default=None
        Former name of ``threads`` (deprecated).

    Returns
    -------
    dict of str to numpy.ndarray of uint32, shape (n_docs, spec.num_perm)

    Examples
    --------
    >>> out = multi_signatures(["a b c d e f"], {"c": "content", "w3": ("word", 3, 64)})
    >>> {k: v.shape for k, v in out.items()}
    {'c': (1, 128), 'w3': (1, 64)}
    """
    threads = renamed_option("workers", workers, "threads", threads)
    if threads is not None:
        check_int("threads", threads, low=1, high=1024)
    sigs, _ = fingerprint_texts(
        texts, named_specs(specs), seed=seed, workers=threads, batch_size=batch_size
    )
    return sigs


def fingerprint_texts(
    texts: Iterable[str],
    specs: Mapping[str, SignatureSpec],
    *,
    seed: int = 1,
    workers: int | None = None,
    batch_size: int = 4096,
    sample_n: int = 0,
    sample_mod: int = 1,
    function_words: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], SampledShingles]:
    """Signatures for ``specs`` and, with ``sample_n > 0``, sampled word n-grams, in one pass.

    The engine behind :func:`multi_signatures` and
    :func:`spindetect.containment.sampled_shingles`: each document is tokenised
    once and its token hashes feed every signature and the mod-``sample_mod``
    sample of its word ``sample_n``-gram hashes. ``specs`` may be empty (samples
    only).

    Parameters
    ----------
    texts : iterable of str
        The documents.
    specs : mapping of str to SignatureSpec
        Signatures to compute, by result key (may be empty).
    seed : int, default=1
        Permutation seed shared by all specs.
    workers : int or None, default=None
        Threads; None uses every CPU this process may run on.
    batch_size : int, default=4096
        Documents encoded and hashed together.
    sample_n : int, default=0
        Words per sampled n-gram (0: no samples).
    sample_mod : int, default=1
        Keep the n-gram hashes that are 0 modulo ``sample_mod`` (a power of two is
        fastest).
    function_words : numpy.ndarray of uint64, optional
        Function-word token hashes (see :class:`Fingerprinter`); None: English.

    Returns
    -------
    signatures : dict of str to numpy.ndarray of uint32, shape (n_docs, spec.num_perm)
    samples : SampledShingles
        Empty (zero samples per document) when ``sample_n`` is 0.
    """
    check_int("batch_size", batch_size, low=1)
    check_collection("texts", texts, of="str")
    expected = len(texts) if isinstance(texts, Sequence) else 0
    with Fingerprinter(
        specs,
        seed=seed,
        workers=workers,
        sample_n=sample_n,
        sample_mod=sample_mod,
        expected_docs=expected,
        function_words=function_words,
    ) as fingerprinter:
        for batch in _batches(texts, batch_size):
            fingerprinter.add(batch)
        return fingerprinter.result()


class Fingerprinter:
    """Fingerprint consecutive batches of texts into one growing store, copying nothing twice.

    :func:`fingerprint_texts` for a caller that feeds batches itself (a scan
    reading a stream). Each batch goes through one reused scratch matrix (all
    specs side by side, as the kernel writes them) into one C-contiguous
    ``(n_docs, num_perm)`` array per spec, and its samples into one flat array;
    the stores grow by doubling, or not at all when ``expected_docs`` is right.
    Fresh memory is costly (page faults), so nothing is concatenated at the
    end. Use as a context manager (it owns a thread pool) or call :meth:`close`.

    Parameters
    ----------
    specs : mapping of str to SignatureSpec
        Signatures to compute, by result key (may be empty).
    seed : int, default=1
        Permutation seed shared by all specs.
    workers : int or None, default=None
        Threads; None uses every CPU this process may run on.
    sample_n : int, default=0
        Words per sampled n-gram (0: no samples).
    sample_mod : int, default=1
        Keep the n-gram hashes that are 0 modulo ``sample_mod``.
    expected_docs : int, default=0
        Documents expected in all (0: unknown); sizes the store up front.
    function_words : numpy.ndarray of uint64, optional
        Token hashes of the function words that split skeleton from content
        (:attr:`spindetect.text.function_words.FunctionWords.hashes`, for
        example learned from the crawl); None: the English list
        :data:`spindetect.text.stopwords.STOPWORDS`.
    """

    def __init__(
        self,
        specs: Mapping[str, SignatureSpec],
        *,
        seed: int = 1,
        workers: int | None = None,
        sample_n: int = 0,
        sample_mod: int = 1,
        expected_docs: int = 0,
        function_words: np.ndarray | None = None,
    ) -> None:
        check_int("seed", seed, low=0, high=MAX_SEED)
        self._workers = resolve_workers(workers)
        check_int("sample_n", sample_n, low=0, high=64)
        check_int("sample_mod", sample_mod, low=1, high=1 << 20)
        check_int("expected_docs", expected_docs, low=0)
        self._names = list(specs)
        specs_list = list(specs.values())
        hashers = [MinHasher(s.num_perm, seed=seed) for s in specs_list]
        self._plan = _Plan(specs_list, hashers, sample_n, sample_mod, function_words)
        self._expected = expected_docs
        rows = max(expected_docs, 1)
        self._sigs = [np.empty((rows, s.num_perm), dtype=np.uint32) for s in specs_list]
        self._scratch = np.empty((0, self._plan.width), dtype=np.uint32)
        self._offsets = np.zeros(rows + 1, dtype=np.int64)
        self._totals = np.zeros(rows, dtype=np.int64)
        self._hashes = np.empty(0, dtype=np.uint64)
        self._n = 0
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> Fingerprinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._n

    def close(self) -> None:
        """Stop the worker threads (the results stay readable)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def add(self, texts: Sequence[str]) -> None:
        """Fingerprint one batch of texts (appended after the previous ones)."""
        check_collection("texts", texts, of="str")
        if not isinstance(texts, Sequence):
            texts = list(texts)
        n_new = len(texts)
        if n_new == 0:
            return
        parallel = self._workers > 1 and n_new >= _MIN_PARALLEL
        if parallel and self._pool is None:  # threads pay off on batches of some size
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="spindetect-minhash")
        lo, hi = self._n, self._n + n_new
        self._reserve_docs(hi)
        self._offsets[lo + 1 : hi + 1] = 0  # the kernel writes counts only where it samples
        self._totals[lo:hi] = 0
        if self._scratch.shape[0] < n_new:
            self._scratch = np.empty((n_new, self._plan.width), dtype=np.uint32)
        scratch = self._scratch[:n_new]
        parts = self._plan.run(
            texts,
            self._pool if parallel else None,
            self._workers,
            scratch,
            self._offsets[lo + 1 : hi + 1],
            self._totals[lo:hi],
        )
        cols = self._plan.cols
        for i, store in enumerate(self._sigs):
            store[lo:hi] = scratch[:, cols[i] : cols[i + 1]]
        # The kernel wrote sample counts; turn them into end offsets.
        ends = self._offsets[lo + 1 : hi + 1]
        np.cumsum(ends, out=ends)
        ends += self._offsets[lo]
        self._reserve_samples(int(ends[-1]), hi)
        at = int(self._offsets[lo])
        for part in parts:
            self._hashes[at : at + part.size] = part
            at += part.size
        self._n = hi

    def result(self) -> tuple[dict[str, np.ndarray], SampledShingles]:
        """Signatures by spec name and the samples, so far (views of the stores, no copy)."""
        n = self._n
        sigs = {name: store[:n] for name, store in zip(self._names, self._sigs, strict=True)}
        samples = SampledShingles(
            self._hashes[: self._offsets[n]], self._offsets[: n + 1], self._totals[:n]
        )
        return sigs, samples

    def _reserve_docs(self, rows: int) -> None:
        if rows <= self._totals.size:
            return
        size = max(rows, 2 * self._totals.size)
        self._sigs = [_grown(store, size) for store in self._sigs]
        self._offsets = _grown(self._offsets, size + 1)
        self._totals = _grown(self._totals, size)

    def _reserve_samples(self, needed: int, docs_done: int) -> None:
        if needed <= self._hashes.size:
            return
        # Size for every expected document at the rate seen so far (+10 %), or double.
        per_doc = needed / docs_done
        size = max(
            needed, 2 * self._hashes.size, int(1.1 * per_doc * max(self._expected, docs_done))
        )
        self._hashes = _grown(self._hashes, size)


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    """Return ``array`` in a new buffer of ``size`` rows (the old rows copied)."""
    out = np.empty((size, *array.shape[1:]), dtype=array.dtype)
    out[: array.shape[0]] = array
    return out


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while True:
        batch = list(itertools.islice(it, size))
        if not batch:
            return
        yield batch


class _Plan:
    """Kernel arguments for a list of specs (permutations packed side by side)."""

    def __init__(
        self,
        specs: list[SignatureSpec],
        hashers: list[MinHasher],
        sample_n: int = 0,
        sample_mod: int = 1,
        function_words: np.ndarray | None = None,
    ) -> None:
        self.specs = specs
        self.hashers = hashers
        self.cols = np.zeros(len(specs) + 1, dtype=np.int64)
        np.cumsum([s.num_perm for s in specs], out=self.cols[1:])
        self.width = int(self.cols[-1])
        self.kind = np.array([_kernels.KIND_CODES[s.kind] for s in specs], dtype=np.int64)
        self.n = np.array([s.n for s in specs], dtype=np.int64)
        self.seed = np.array([KIND_SEEDS[s.kind] for s in specs], dtype=np.uint64)
        self.a = np.concatenate([h.a for h in hashers]) if hashers else np.empty(0, np.uint64)
        self.b = np.concatenate([h.b for h in hashers]) if hashers else np.empty(0, np.uint64)
        self.tables = _kernels.codepoint_tables()
        self.function_words = (
            None
            if function_words is None
            else np.unique(np.asarray(function_words, dtype=np.uint64))
        )
        self.stop = (
            _kernels.stopword_table()
            if self.function_words is None
            else _kernels.hash_table(self.function_words)
        )
        self.sample_n = sample_n
        self.sample_mod = sample_mod

    def run(
        self,
        batch: Sequence[str],
        pool: ThreadPoolExecutor | None,
        workers: int,
        out: np.ndarray,
        counts: np.ndarray,
        totals: np.ndarray,
    ) -> list[np.ndarray]:
        """Fingerprint ``batch`` into ``out`` rows; return its samples in parts.

        Writes each document's signatures to ``out`` (uint32, shape
        ``(len(batch), width)``), its number of samples to ``counts`` and its
        n-grams before sampling to ``totals``; the samples themselves come back
        as consecutive arrays (one per thread's range).
        """
        try:
            encoded = [t.encode("utf-8", "surrogatepass") for t in batch]
        except AttributeError:  # a non-str item: name it (checked only when one fails)
            check_items("texts", batch)
            raise
        n_docs = len(encoded)
        ascii_docs = np.fromiter(map(str.isascii, batch), dtype=np.bool_, count=n_docs)
        offsets = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=n_docs), out=offsets[1:])
        buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        del encoded
        fallback = np.zeros(n_docs, dtype=np.uint8)
        word_seed = np.uint64(KIND_SEEDS["word"])

        def work(bounds: tuple[int, int]) -> np.ndarray:
            return _kernels.fingerprint_range(
                buf, offsets, ascii_docs, bounds[0], bounds[1], *self.tables, self.stop,
                self.kind, self.n, self.seed, self.cols, self.a, self.b, out, fallback,
                self.sample_n, word_seed, np.uint64(self.sample_mod), counts, totals,
            )  # fmt: skip

        ranges = split_ranges(offsets, workers * 4 if pool is not None else 1)
        if pool is None or len(ranges) == 1:
            parts = [work(r) for r in ranges]
        else:
            parts = list(pool.map(work, ranges))
        redo = np.flatnonzero(fallback)
        for d in redo:
            out[d] = self._reference(batch[int(d)])
        if redo.size and self.sample_n:
            parts = [self._redo_samples(np.concatenate(parts), counts, totals, batch, redo)]
        return parts

    def _reference(self, text: str) -> np.ndarray:
        from spindetect.text.shingles import content_shingles, skeleton_shingles, word_shingles
        from spindetect.text.tokens import tokenize

        forms = tokenize(text).forms
        if self.function_words is not None:
            return self._reference_hashed(forms)
        parts = []
        for spec, hasher in zip(self.specs, self.hashers, strict=True):
            if spec.kind == "word":
                shingles = word_shingles(forms, spec.n or 5)
            elif spec.kind == "skeleton":
                shingles = skeleton_shingles(forms, spec.n or 4)
            else:
                shingles = content_shingles(forms)
            parts.append(hasher.signature(shingles))
        return np.concatenate(parts) if parts else np.empty(0, np.uint32)

    def _reference_hashed(self, forms: Sequence[str]) -> np.ndarray:
        """Compute one document's signatures by the reference path, function words as hashes."""
        from spindetect.text._hashing import hash_forms, ngram_hashes

        tokens = hash_forms(forms)
        function = np.isin(tokens, self.function_words)  # type: ignore[arg-type]
        parts = []
        for spec, hasher in zip(self.specs, self.hashers, strict=True):
            if spec.kind == "word":
                grams = ngram_hashes(tokens, spec.n or 5, seed=KIND_SEEDS["word"])
            elif spec.kind == "skeleton":
                grams = ngram_hashes(tokens[function], spec.n or 4, seed=KIND_SEEDS["skeleton"])
            else:
                grams = ngram_hashes(tokens[~function], 1, seed=KIND_SEEDS["content"])
            parts.append(hasher.signature(np.unique(grams)))
        return np.concatenate(parts) if parts else np.empty(0, np.uint32)

    def _redo_samples(
        self,
        hashes: np.ndarray,
        counts: np.ndarray,
        totals: np.ndarray,
        batch: Sequence[str],
        docs: np.ndarray,
    ) -> np.ndarray:
        """Recompute the samples of documents the kernel flagged, with the reference path.

        Updates ``counts`` and ``totals`` in place; returns the batch's samples.
        """
        from spindetect.text._hashing import hash_forms, ngram_hashes
        from spindetect.text.tokens import tokenize

        ends = np.cumsum(counts)
        per_doc = [hashes[e - c : e] for c, e in zip(counts.tolist(), ends.tolist(), strict=True)]
        for d in docs:
            forms = tokenize(batch[d]).forms
            grams = ngram_hashes(hash_forms(forms), self.sample_n, seed=KIND_SEEDS["word"])
            totals[d] = grams.size
            grams = grams[grams % np.uint64(self.sample_mod) == 0]
            _, first = np.unique(grams, return_index=True)
            per_doc[d] = grams[np.sort(first)]  # each once, in order of first occurrence
            counts[d] = per_doc[d].size
        return np.concatenate(per_doc) if per_doc else np.empty(0, np.uint64)
