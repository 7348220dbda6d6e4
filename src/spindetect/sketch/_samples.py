"""The store of sampled shingles, shared by the fingerprint kernel and the pair search.

:class:`SampledShingles` is produced by :mod:`spindetect.sketch.minhash` and
consumed by :mod:`spindetect.sketch.sampled`; it lives here so that neither of
those imports the other's module for it (its public home is
:mod:`spindetect.sketch.sampled`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["SampledShingles"]


@dataclass(frozen=True)
class SampledShingles:
    """Sampled shingle hashes of many documents, stored flat.

    Document ``d`` owns ``hashes[offsets[d]:offsets[d + 1]]`` (each once, in order
    of first occurrence in the text); ``totals[d]`` is its number of n-grams
    before sampling.
    """

    hashes: np.ndarray
    offsets: np.ndarray
    totals: np.ndarray

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def counts(self) -> np.ndarray:
        """Return the number of samples per document."""
        return np.diff(self.offsets)

    @classmethod
    def concatenate(cls, parts: Sequence[SampledShingles]) -> SampledShingles:
        """Join the samples of consecutive document batches."""
        if not parts:
            return cls(np.empty(0, np.uint64), np.zeros(1, np.int64), np.empty(0, np.int64))
        shifts = np.cumsum([0] + [int(p.offsets[-1]) for p in parts[:-1]])
        offsets = np.concatenate(
            [[0]] + [p.offsets[1:] + s for p, s in zip(parts, shifts, strict=True)]
        )
        return cls(
            np.concatenate([p.hashes for p in parts]),
            offsets.astype(np.int64),
            np.concatenate([p.totals for p in parts]),
        )
