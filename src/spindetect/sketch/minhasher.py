"""MinHash sketches of hashed shingle sets: ``k`` multiply-shift permutations.

A signature summarises a shingle set ``S`` (64-bit hashes, see
:mod:`spindetect.text.shingles`) by ``k`` minima::

    pi_i(x) = uint32(((a_i * x + b_i) mod 2**64) >> 32)        (a_i odd)
    sig_i(S) = min_{x in S} pi_i(x),   sig_i(empty set) = 2**32 - 1

and the Jaccard similarity of two sets is estimated by the share of equal
minima::

    J_hat(A, B) = (1/k) * #{i : sig_i(A) == sig_i(B)},   E[J_hat] ~= J(A, B)

with standard error ``sqrt(J (1 - J) / k)``. The signature of a union is the
element-wise minimum of the signatures (:func:`merge`).

This module holds the sketch itself (:class:`MinHasher`, :func:`estimate_jaccard`,
:func:`merge`); :mod:`spindetect.sketch.minhash` turns raw text into signatures
with the fused compiled kernel.

References
----------
Broder, A. Z. (1997). On the resemblance and containment of documents.
Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, chapter 3.
Dietzfelbinger et al. (1997). A reliable randomized algorithm for the
closest-pair problem (multiply-shift hashing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spindetect._validation import check_int
from spindetect.exceptions import IncompatibleSketchError, InvalidParameterError
from spindetect.sketch import _kernels

__all__ = ["EMPTY_VALUE", "MAX_PERM", "MAX_SEED", "MinHasher", "estimate_jaccard", "merge"]

#: Value of every signature entry of the empty set.
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
#: Largest signature length.
MAX_PERM = 8192
#: Largest permutation seed.
MAX_SEED = 2**63 - 1

_SCHEME = "multiply-shift-64"
_CHUNK = 2048  # shingles per numpy block in MinHasher.signature


@dataclass(frozen=True)
class MinHasher:
    """A family of ``num_perm`` multiply-shift permutations of 64-bit hashes.

    Permutation ``i`` maps a shingle hash ``x`` to
    ``uint32(((a_i * x + b_i) mod 2**64) >> 32)``. The parameters come from
    numpy's PCG64 stream for ``seed``: ``raw = PCG64(seed).random_raw(2 * k)``,
    ``a_i = raw[2i] | 1``, ``b_i = raw[2i + 1]``. The first ``k'`` permutations
    of a larger hasher with the same seed are those of ``MinHasher(k', seed=...)``,
    so signatures can be truncated.

    Parameters
    ----------
    num_perm : int, default=128
        Number of permutations ``k`` (signature length), in [1, 8192].
    seed : int, default=1
        Seed of the permutation parameters, in [0, 2**63 - 1].

    Examples
    --------
    >>> import numpy as np
    >>> h = MinHasher(64)
    >>> a = h.signature(np.arange(100, dtype=np.uint64))
    >>> b = h.signature(np.arange(50, 150, dtype=np.uint64))
    >>> a.shape, a.dtype.name, 0.2 < estimate_jaccard(a, b) < 0.5
    ((64,), 'uint32', True)
    """

    num_perm: int = 128
    seed: int = field(default=1, kw_only=True)
    a: np.ndarray = field(init=False, repr=False, compare=False)
    b: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_int("num_perm", self.num_perm, low=1, high=MAX_PERM)
        check_int("seed", self.seed, low=0, high=MAX_SEED)
        raw = np.random.PCG64(self.seed).random_raw(2 * self.num_perm).astype(np.uint64)
        a = raw[0::2] | np.uint64(1)
        b = raw[1::2].copy()
        a.setflags(write=False)
        b.setflags(write=False)
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """Return the signature of one shingle set (plain numpy, the reference path).

        Parameters
        ----------
        shingles : numpy.ndarray of uint64
            Shingle hashes; duplicates and order do not matter.

        Returns
        -------
        numpy.ndarray of uint32, shape (num_perm,)
            All entries are ``EMPTY_VALUE`` for the empty set.
        """
        x = _as_hashes("shingles", shingles)
        sig = np.full(self.num_perm, EMPTY_VALUE, dtype=np.uint32)
        a = self.a[:, None]
        b = self.b[:, None]
        for start in range(0, x.size, _CHUNK):
            block = x[None, start : start + _CHUNK]
            values = ((a * block + b) >> np.uint64(32)).min(axis=1)
            np.minimum(sig, values.astype(np.uint32), out=sig)
        return sig

    def signatures(self, sets: Sequence[np.ndarray]) -> np.ndarray:
        """Return the signatures of many shingle sets (compiled loop).

        Parameters
        ----------
        sets : sequence of numpy.ndarray of uint64
            One shingle-hash array per document.

        Returns
        -------
        numpy.ndarray of uint32, shape (len(sets), num_perm)
        """
        arrays = [_as_hashes(f"sets[{i}]", s) for i, s in enumerate(sets)]
        offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
        np.cumsum([s.size for s in arrays], out=offsets[1:])
        values = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint64)
        out = np.empty((len(arrays), self.num_perm), dtype=np.uint32)
        _kernels.minhash_sets(values, offsets, self.a, self.b, out)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters as a JSON-ready dict (``from_dict`` inverts it)."""
        return {"scheme": _SCHEME, "num_perm": self.num_perm, "seed": self.seed}

    @classmethod
    def from_dict(cls, params: Mapping[str, Any]) -> MinHasher:
        """Rebuild a hasher from :meth:`to_dict` output.

        Raises
        ------
        IncompatibleSketchError
            If the dict describes another permutation scheme.
        InvalidParameterError
            If ``num_perm`` or ``seed`` is missing or out of range.
        """
        scheme = params.get("scheme", _SCHEME)
        if scheme != _SCHEME:
            raise IncompatibleSketchError(f"scheme must be {_SCHEME!r}, got {scheme!r}")
        if "num_perm" not in params or "seed" not in params:
            raise InvalidParameterError(
                f"params must hold 'num_perm' and 'seed', got keys {sorted(params)!r}"
            )
        return cls(params["num_perm"], seed=params["seed"])


def _as_hashes(name: str, values: Any) -> np.ndarray:
    x = np.asarray(values)
    if x.ndim != 1:
        raise InvalidParameterError(f"{name} must be a 1-D array of uint64, got shape {x.shape}")
    if x.size == 0:
        return np.empty(0, dtype=np.uint64)
    if x.dtype != np.uint64:
        if not np.issubdtype(x.dtype, np.integer):
            raise InvalidParameterError(f"{name} must hold integers, got dtype {x.dtype}")
        x = x.astype(np.uint64)
    return x


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float | np.ndarray:
    """Estimate Jaccard similarity from signatures: the share of equal entries.

    ``J_hat = mean(sig_a == sig_b)``, in [0, 1]; two empty-set signatures
    score 1.0 (like :func:`spindetect.shingle.jaccard`).

    Parameters
    ----------
    sig_a, sig_b : numpy.ndarray of uint32
        Signatures of shape (num_perm,), or stacks of shape (n, num_perm)
        compared row by row.

    Returns
    -------
    float or numpy.ndarray of float64, shape (n,)

    Raises
    ------
    IncompatibleSketchError
        If the shapes differ (different ``num_perm`` or row counts).
    """
    a = np.asarray(sig_a)
    b = np.asarray(sig_b)
    if a.shape != b.shape or a.ndim not in (1, 2) or a.shape[-1] == 0:
        raise IncompatibleSketchError(
            f"signatures must have the same shape (num_perm,) or (n, num_perm), "
            f"got {a.shape} and {b.shape}"
        )
    equal = np.count_nonzero(a == b, axis=-1) / a.shape[-1]
    return float(equal) if a.ndim == 1 else equal


def merge(*sigs: np.ndarray) -> np.ndarray:
    """Return the signature of the union of the sets: the element-wise minimum.

    Raises
    ------
    IncompatibleSketchError
        If the signatures do not all have the same shape.
    """
    if not sigs:
        raise InvalidParameterError("merge needs at least one signature, got none")
    arrays = [np.asarray(s, dtype=np.uint32) for s in sigs]
    shapes = {s.shape for s in arrays}
    if len(shapes) != 1:
        raise IncompatibleSketchError(f"signatures must have the same shape, got {sorted(shapes)}")
    return np.minimum.reduce(arrays)  # type: ignore[no-any-return]
