"""Parallel work on one machine: how many workers, and how to share a byte range among them."""

from __future__ import annotations

import itertools
import os

import numpy as np

from ._validation import check_int

__all__ = ["resolve_workers", "split_ranges"]


def resolve_workers(workers: int | None) -> int:
    """Return ``workers``, or the number of CPUs this process may run on when None."""
    if workers is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not Linux
            return max(1, os.cpu_count() or 1)
    return check_int("workers", workers, low=1, high=1024)


def split_ranges(offsets: np.ndarray, parts: int) -> list[tuple[int, int]]:
    """Split documents into at most ``parts`` contiguous ranges of similar byte size.

    Document ``d`` spans ``offsets[d]:offsets[d + 1]`` of one buffer.
    """
    n_docs = offsets.size - 1
    if n_docs == 0:
        return []
    parts = max(1, min(parts, n_docs))
    targets = offsets[-1] * np.arange(1, parts) / parts
    cuts = np.unique(np.concatenate(([0], np.searchsorted(offsets, targets), [n_docs])))
    return [(int(lo), int(hi)) for lo, hi in itertools.pairwise(cuts) if hi > lo]
