"""Locality-sensitive hashing of MinHash signatures: banding, candidate pairs, an index.

A signature of ``k`` entries is cut into ``b`` bands of ``r`` rows (``b * r <= k``).
Two documents become candidates when all ``r`` rows of at least one band agree.
For Jaccard similarity ``s`` that happens with probability (the *S-curve*)::

    P(s) = 1 - (1 - s**r)**b

whose steepest point is near ``(1/b)**(1/r)``. :func:`optimal_params` picks the
``(b, r)`` that minimise the weighted areas of false positives below a
threshold ``t`` and false negatives above it::

    FP(b, r) = integral_0^t P(s) ds,    FN(b, r) = integral_t^1 (1 - P(s)) ds
    (b, r) = argmin  w_fp * FP + w_fn * FN   over  b * r <= k

as datasketch's ``MinHashLSH`` does (here by numpy trapezoid integration).

Two ways to use the bands:

* batch: :func:`band_keys` then :func:`candidate_pairs` (one parallel sort of
  every band key, compiled grouping) gives every candidate pair of a collection;
* incremental: :class:`LSHIndex` with ``insert``/``query``/``remove`` and
  pickle-free serialisation.

References
----------
Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, chapter 3.4.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from spindetect._parallel import unique_counts
from spindetect._validation import check_float, check_int
from spindetect.exceptions import IncompatibleSketchError, IndexFormatError, InvalidParameterError
from spindetect.sketch import _kernels
from spindetect.sketch._pairs import index_bits, pack_rows, sorted_group_pairs, split_keys

__all__ = [
    "LSHIndex",
    "band_keys",
    "candidate_pairs",
    "collision_probability",
    "optimal_params",
]

_GRID = 2001  # trapezoid points per integral
_FORMAT = 1  # LSHIndex serialisation format version
_BUFFER = 256  # index rows kept unsorted before they become a sorted run
_QUERY_BLOCK = 8192  # queries answered together by query_many
_trapezoid = getattr(np, "trapezoid", None) or getattr(np, "trapz")  # noqa: B009 - numpy < 2


def collision_probability(s: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """Return the S-curve ``1 - (1 - s**rows)**bands``: P(candidate | Jaccard ``s``)."""
    p = 1.0 - (1.0 - np.asarray(s, dtype=np.float64) ** rows) ** bands
    return float(p) if p.ndim == 0 else p


def optimal_params(
    threshold: float, num_perm: int, *, weights: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int]:
    """Return the bands and rows ``(b, r)`` that best separate Jaccard at ``threshold``.

    Minimises ``w_fp * FP(b, r) + w_fn * FN(b, r)`` (see the module docstring)
    over all ``b * r <= num_perm``; ties go to the smallest ``b``, then ``r``.

    Parameters
    ----------
    threshold : float
        Jaccard similarity in [0, 1] the index should detect.
    num_perm : int
        Signature length ``k``.
    weights : tuple of two floats, default=(0.5, 0.5)
        Weights of false positives and false negatives; non-negative, sum 1.

    Returns
    -------
    tuple of int
        ``(bands, rows)``.

    Examples
    --------
    >>> optimal_params(0.5, 128), optimal_params(0.8, 128)
    ((25, 5), (9, 13))
    """
    check_float("threshold", threshold, low=0.0, high=1.0)
    check_int("num_perm", num_perm, low=1, high=8192)
    w_fp, w_fn = _check_weights(weights)
    return _optimal_params(float(threshold), int(num_perm), w_fp, w_fn)


def _check_weights(weights: Any) -> tuple[float, float]:
    if not isinstance(weights, (tuple, list)) or len(weights) != 2:
        raise InvalidParameterError(f"weights must be a pair of floats, got {weights!r}")
    w_fp = check_float("weights[0]", weights[0], low=0.0, high=1.0)
    w_fn = check_float("weights[1]", weights[1], low=0.0, high=1.0)
    if abs(w_fp + w_fn - 1.0) > 1e-9:
        raise InvalidParameterError(f"weights must sum to 1, got {weights!r}")
    return w_fp, w_fn


@lru_cache(maxsize=256)
def _optimal_params(threshold: float, num_perm: int, w_fp: float, w_fn: float) -> tuple[int, int]:
    s_lo = np.linspace(0.0, threshold, _GRID)
    s_hi = np.linspace(threshold, 1.0, _GRID)
    best = (np.inf, 0, 0)
    for b in range(1, num_perm + 1):
        r = np.arange(1, num_perm // b + 1, dtype=np.float64)[:, None]
        fp = _trapezoid(1.0 - (1.0 - s_lo**r) ** b, s_lo, axis=1)
        fn = _trapezoid((1.0 - s_hi**r) ** b, s_hi, axis=1)
        error = w_fp * fp + w_fn * fn
        i = int(np.argmin(error))
        if error[i] < best[0]:
            best = (float(error[i]), b, i + 1)
    return best[1], best[2]


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Return one 64-bit key per band: a stable hash of the band's ``rows`` entries.

    Key ``j`` of a document hashes ``sig[j*rows:(j+1)*rows]`` with the band
    number in the seed (``_hashing.combine``), so equal keys mean equal bands
    (up to 64-bit collisions) and keys of different bands never meet.

    Parameters
    ----------
    signatures : numpy.ndarray of uint32, shape (n, num_perm) or (num_perm,)
        MinHash signatures.
    bands, rows : int
        Banding; ``bands * rows <= num_perm`` (trailing entries are unused).

    Returns
    -------
    numpy.ndarray of uint64, shape (n, bands) (or (bands,) for one signature)
    """
    sig = np.asarray(signatures)
    single = sig.ndim == 1
    sig2 = sig[None, :] if single else sig
    if sig2.ndim != 2 or sig2.dtype != np.uint32:
        raise InvalidParameterError(
            f"signatures must be uint32 of shape (n, num_perm), got {sig.dtype} {sig.shape}"
        )
    check_int("bands", bands, low=1)
    check_int("rows", rows, low=1)
    if bands * rows > sig2.shape[1]:
        raise IncompatibleSketchError(
            f"bands * rows must be <= num_perm, got {bands} * {rows} > {sig2.shape[1]}"
        )
    out = np.empty((sig2.shape[0], bands), dtype=np.uint64)
    _kernels.band_keys_kernel(np.ascontiguousarray(sig2), bands, rows, out)
    return out[0] if single else out


def candidate_pairs(
    keys: np.ndarray,
    *,
    max_bucket: int | None = 1000,
    return_oversized: bool = False,
    overwrite_keys: bool = False,
) -> Any:
    """Return every pair of documents that share at least one band key.

    Every (band key, document) is packed into one uint64 and one parallel sort
    groups equal keys into buckets (:mod:`spindetect._pairs`; band keys are
    seeded per band, so buckets of different bands do not mix); all pairs of a
    bucket are emitted by a compiled pass, then de-duplicated across bands.

    A bucket with more than ``max_bucket`` members (boilerplate, templated or
    empty documents) would emit ``m (m - 1) / 2`` pairs; it is linked as a
    *chain* of its members in index order instead (``m - 1`` pairs). The
    connected components, hence clusters, are unchanged, but a verification
    step only sees neighbours in the chain.

    Parameters
    ----------
    keys : numpy.ndarray of uint64, shape (n, bands)
        Output of :func:`band_keys`.
    max_bucket : int or None, default=1000
        Largest bucket expanded into all its pairs; None for no limit.
    return_oversized : bool, default=False
        Also return how many (band, bucket) groups were chained.
    overwrite_keys : bool, default=False
        Pack and sort ``keys`` in place (C-contiguous uint64; it is garbage
        afterwards): no second and third copy of them (a scan's memory peak).

    Returns
    -------
    pairs : numpy.ndarray of int64, shape (m, 2)
        Unique pairs ``(i, j)`` with ``i < j``, sorted.
    oversized : int
        Only with ``return_oversized``.
    """
    k = np.asarray(keys)
    if k.ndim != 2:
        raise InvalidParameterError(f"keys must have shape (n, bands), got {k.shape}")
    if max_bucket is not None:
        check_int("max_bucket", max_bucket, low=2)
    n = k.shape[0]
    if n == 0 or k.shape[1] == 0:
        pairs = np.empty((0, 2), dtype=np.int64)
        return (pairs, 0) if return_oversized else pairs
    bits = index_bits(n)
    in_place = bool(
        overwrite_keys and k.dtype == np.uint64 and k.flags.c_contiguous and k.flags.writeable
    )
    codes, oversized = sorted_group_pairs(
        pack_rows(np.ascontiguousarray(k, dtype=np.uint64), bits, in_place=in_place),
        bits,
        max_group=n if max_bucket is None else max_bucket,
        chain=True,
        in_place=in_place,
    )
    pairs = split_keys(unique_counts(codes)[0], bits)
    return (pairs, oversized) if return_oversized else pairs


class LSHIndex:
    """A MinHash LSH index over string keys: insert, query, remove, save.

    Storage is columnar: each document contributes ``bands`` 64-bit band keys.
    New rows wait in a small unsorted buffer (scanned by comparison); full
    buffers become sorted runs that merge like a binary counter, so a query
    is a handful of ``searchsorted`` calls and inserts cost amortised
    O(log n). Removal marks a tombstone; tombstones are compacted away once
    they outnumber live entries.

    Parameters
    ----------
    threshold : float, default=0.5
        Jaccard similarity to detect; sets ``(bands, rows)`` via
        :func:`optimal_params` unless ``params`` is given.
    num_perm : int, default=128
        Signature length; signatures of another length are refused.
    seed : int, default=1
        Seed of the MinHasher that made the signatures; stored and checked on
        load, it is not used to hash.
    params : tuple of int or None, default=None
        Explicit ``(bands, rows)`` with ``bands * rows <= num_perm``.
    weights : tuple of two floats, default=(0.5, 0.5)
        False-positive and false-negative weights for :func:`optimal_params`.

    Examples
    --------
    >>> from spindetect.sketch.minhash import signatures
    >>> sigs = signatures(["the cat sat on the mat today", "the cat sat on the mat today!",
    ...                    "something else entirely different"], kind="word", n=2)
    >>> index = LSHIndex(0.5)
    >>> index.insert_many(["a", "b", "c"], sigs)
    >>> index.query(sigs[0])
    ['a', 'b']
    """

    def __init__(
        self,
        threshold: float = 0.5,
        num_perm: int = 128,
        *,
        seed: int = 1,
        params: tuple[int, int] | None = None,
        weights: tuple[float, float] = (0.5, 0.5),
    ) -> None:
        self.threshold = check_float("threshold", threshold, low=0.0, high=1.0)
        self.num_perm = check_int("num_perm", num_perm, low=1, high=8192)
        self.seed = check_int("seed", seed, low=0, high=2**63 - 1)
        self.weights = _check_weights(weights)
        if params is None:
            self.bands, self.rows = optimal_params(self.threshold, self.num_perm, weights=weights)
        else:
            if not isinstance(params, (tuple, list)) or len(params) != 2:
                raise InvalidParameterError(f"params must be (bands, rows), got {params!r}")
            self.bands = check_int("params[0]", params[0], low=1)
            self.rows = check_int("params[1]", params[1], low=1)
            if self.bands * self.rows > self.num_perm:
                raise InvalidParameterError(
                    f"params must satisfy bands * rows <= num_perm, got "
                    f"{self.bands} * {self.rows} > {self.num_perm}"
                )
        self._names: list[str | None] = []
        self._ids: dict[str, int] = {}
        self._bkeys = np.empty((0, self.bands), dtype=np.uint64)
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted keys, row ids)
        self._buffer_start = 0  # rows >= this are not in a run yet

    # -- size and membership ---------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def keys(self) -> list[str]:
        """Return the keys in insertion order."""
        return [name for name in self._names if name is not None]

    def __repr__(self) -> str:
        return (
            f"LSHIndex(threshold={self.threshold}, num_perm={self.num_perm}, seed={self.seed}, "
            f"params=({self.bands}, {self.rows}), size={len(self)})"
        )

    # -- updates ---------------------------------------------------------------

    def insert(self, key: str, signature: np.ndarray) -> None:
        """Add one document.

        Raises
        ------
        InvalidParameterError
            If ``key`` is not a str or is already in the index.
        IncompatibleSketchError
            If the signature length is not ``num_perm``.
        """
        self.insert_many([key], np.asarray(signature)[None, :])

    def insert_many(self, keys: Sequence[str], signatures: np.ndarray) -> None:
        """Add many documents at once (vectorised band keys, one sorted run)."""
        names = list(keys)
        sig = self._check_signatures(signatures)
        if len(names) != sig.shape[0]:
            raise InvalidParameterError(
                f"keys and signatures must have the same length, got {len(names)} "
                f"and {sig.shape[0]}"
            )
        seen: set[str] = set()
        for name in names:
            if not isinstance(name, str):
                raise InvalidParameterError(f"keys must be str, got {type(name).__name__}")
            if name in self._ids or name in seen:
                raise InvalidParameterError(f"key {name!r} is already in the index")
            seen.add(name)
        self._append(names, band_keys(sig, self.bands, self.rows))

    def remove(self, key: str) -> None:
        """Remove a document.

        Raises
        ------
        KeyError
            If ``key`` is not in the index.
        """
        row = self._ids.pop(key)
        self._names[row] = None
        if len(self._names) >= 1024 and len(self._ids) < len(self._names) // 2:
            self._compact()

    # -- queries ---------------------------------------------------------------

    def query(self, signature: np.ndarray) -> list[str]:
        """Return the keys sharing at least one band with ``signature``, in insertion order.

        A document inserted with the same signature is always returned.
        """
        return self.query_many(np.asarray(signature)[None, :])[0]

    def query_many(self, signatures: np.ndarray) -> list[list[str]]:
        """Return :meth:`query` for each row of ``signatures`` (vectorised over queries)."""
        sig = self._check_signatures(signatures)
        names = self._names
        out: list[list[str]] = []
        for start in range(0, sig.shape[0], _QUERY_BLOCK):  # bounds the temporary arrays
            block = sig[start : start + _QUERY_BLOCK]
            qidx, rows = self._candidate_rows(band_keys(block, self.bands, self.rows))
            bounds = np.searchsorted(qidx, np.arange(block.shape[0] + 1))
            found = [names[r] for r in rows.tolist()]
            for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                out.append([n for n in found[lo:hi] if n is not None])
        return out

    def _candidate_rows(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All (query, row) pairs with a shared band key, sorted and unique."""
        n_q = q.shape[0]
        flat = q.ravel()
        owner = np.repeat(np.arange(n_q, dtype=np.int64), self.bands)
        if n_q > 1:  # sorted needles make searchsorted cache-friendly (several x faster)
            order = np.argsort(flat)
            flat, owner = flat[order], owner[order]
        runs = list(self._runs)
        if self._buffer_start < len(self._names):  # the unsorted tail, as a temporary run
            runs.append(self._make_run(np.arange(self._buffer_start, len(self._names))))
        codes: list[np.ndarray] = []
        n_rows = max(1, len(self._names))
        for run_keys, run_rows in runs:
            lo = np.searchsorted(run_keys, flat, side="left")
            hi = np.searchsorted(run_keys, flat, side="right")
            count = hi - lo
            hit = count > 0
            if not hit.any():
                continue
            lo, count, who = lo[hit], count[hit], owner[hit]
            first = np.cumsum(count) - count
            pos = np.repeat(lo, count) + (np.arange(int(count.sum())) - np.repeat(first, count))
            codes.append(np.repeat(who, count) * n_rows + run_rows[pos])
        if not codes:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        unique = np.unique(np.concatenate(codes))
        return unique // n_rows, unique % n_rows

    # -- storage internals -------------------------------------------------------

    def _check_signatures(self, signatures: Any) -> np.ndarray:
        sig = np.asarray(signatures)
        if sig.ndim != 2 or sig.shape[1] != self.num_perm:
            raise IncompatibleSketchError(
                f"signatures must have shape (n, {self.num_perm}) for num_perm="
                f"{self.num_perm}, got {sig.shape}"
            )
        if sig.dtype != np.uint32:
            raise IncompatibleSketchError(f"signatures must be uint32, got {sig.dtype}")
        return sig

    def _append(self, names: list[str], keys: np.ndarray) -> None:
        start = len(self._names)
        needed = start + len(names)
        if needed > self._bkeys.shape[0]:
            grown = np.empty((max(needed, 2 * self._bkeys.shape[0], 64), self.bands), np.uint64)
            grown[:start] = self._bkeys[:start]
            self._bkeys = grown
        self._bkeys[start:needed] = keys
        self._names.extend(names)
        for offset, name in enumerate(names):
            self._ids[name] = start + offset
        if needed - self._buffer_start >= _BUFFER:
            self._flush()

    def _flush(self) -> None:
        """Turn the buffer into a sorted run and merge runs of similar size."""
        lo, hi = self._buffer_start, len(self._names)
        if hi == lo:
            return
        self._runs.append(self._make_run(np.arange(lo, hi, dtype=np.int64)))
        self._buffer_start = hi
        while len(self._runs) >= 2 and self._runs[-2][0].size <= 2 * self._runs[-1][0].size:
            (k2, r2), (k1, r1) = self._runs.pop(), self._runs.pop()
            keys = np.concatenate((k1, k2))
            order = np.argsort(keys, kind="stable")
            self._runs.append((keys[order], np.concatenate((r1, r2))[order]))

    def _make_run(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keys = self._bkeys[rows].ravel()
        owners = np.repeat(rows, self.bands)
        order = np.argsort(keys, kind="stable")
        return keys[order], owners[order]

    def _compact(self) -> None:
        live = np.array([i for i, n in enumerate(self._names) if n is not None], dtype=np.int64)
        names = [self._names[i] for i in live.tolist()]
        keys = self._bkeys[live].copy()
        self._names, self._ids = [], {}
        self._bkeys = np.empty((0, self.bands), dtype=np.uint64)
        self._runs, self._buffer_start = [], 0
        self._append([n for n in names if n is not None], keys)
        self._flush()

    # -- serialisation -----------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Serialise to an ``.npz`` byte string (no pickle; loads with allow_pickle=False).

        Holds the format version, num_perm, seed, bands, rows, threshold,
        weights, the live keys and their band keys.
        """
        live = [i for i, n in enumerate(self._names) if n is not None]
        encoded = [str(self._names[i]).encode("utf-8") for i in live]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        buf = io.BytesIO()
        np.savez(
            buf,
            meta=np.array([_FORMAT, self.num_perm, self.seed, self.bands, self.rows], np.int64),
            floats=np.array([self.threshold, *self.weights], dtype=np.float64),
            names=np.frombuffer(b"".join(encoded), dtype=np.uint8),
            name_offsets=offsets,
            band_keys=self._bkeys[np.array(live, dtype=np.int64)],
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(
        cls, data: bytes, *, num_perm: int | None = None, seed: int | None = None
    ) -> LSHIndex:
        """Rebuild an index from :meth:`to_bytes` output.

        Parameters
        ----------
        data : bytes
            The serialised index.
        num_perm, seed : int or None, default=None
            When given, the index must have been built with these values.

        Raises
        ------
        IndexFormatError
            If ``data`` is not a serialised index of a known format.
        IncompatibleSketchError
            If ``num_perm`` or ``seed`` differ from the stored ones.
        """
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                meta = z["meta"]
                floats = z["floats"]
                blob = z["names"].tobytes()
                offsets = z["name_offsets"]
                keys = z["band_keys"]
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise IndexFormatError(f"not a serialised LSHIndex: {exc}") from exc
        if meta.shape != (5,) or int(meta[0]) != _FORMAT:
            raise IndexFormatError(f"unknown LSHIndex format {meta.tolist()!r}")
        _, k, s, bands, rows = (int(v) for v in meta)
        if num_perm is not None and num_perm != k:
            raise IncompatibleSketchError(f"index has num_perm={k}, expected {num_perm}")
        if seed is not None and seed != s:
            raise IncompatibleSketchError(f"index has seed={s}, expected {seed}")
        if keys.ndim != 2 or keys.shape[1] != bands or offsets.size != keys.shape[0] + 1:
            raise IndexFormatError("LSHIndex arrays have inconsistent shapes")
        index = cls(
            float(floats[0]), k, seed=s, params=(bands, rows),
            weights=(float(floats[1]), float(floats[2])),
        )  # fmt: skip
        names = [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]
        if len(set(names)) != len(names):
            raise IndexFormatError("LSHIndex holds duplicate keys")
        index._append(names, keys.astype(np.uint64, copy=False))
        index._flush()
        return index

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_bytes` to ``path``."""
        with open(path, "wb") as fh:
            fh.write(self.to_bytes())

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, num_perm: int | None = None, seed: int | None = None
    ) -> LSHIndex:
        """Read an index written by :meth:`save` (see :meth:`from_bytes`)."""
        with open(path, "rb") as fh:
            return cls.from_bytes(fh.read(), num_perm=num_perm, seed=seed)
