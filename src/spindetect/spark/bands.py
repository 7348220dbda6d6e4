"""Stages *tune bands* and *candidates* of the Spark engine.

:class:`SampledRows` hands :func:`spindetect.crawl.stages.tune_bands` the
signature rows it samples, fetched from the cluster; :func:`route` packs band
keys and sampled n-grams with their document number and routes them to a
shuffle part by group key; :func:`bucket_pairs` expands every group of one part
into pairs with ``sorted_group_pairs`` (hot buckets chained or skipped exactly
as in process). The ``KIND_*``/``STAT_*`` codes tag its output rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from spindetect.spark import _arrow as A
from spindetect.spark._core import (
    band_keys,
    pack_rows,
    pack_sets,
    sorted_group_pairs,
    unique_counts,
)
from spindetect.spark._frames import collect_arrow, create_frame

__all__ = [
    "KIND_LSH",
    "KIND_SAMPLE",
    "STAT_OVERSIZED",
    "STAT_SKIPPED",
    "SampledRows",
    "bucket_pairs",
    "route",
]

KIND_LSH, KIND_SAMPLE, STAT_SKIPPED, STAT_OVERSIZED = 0, 1, 2, 3


class SampledRows:
    """The signature rows :func:`tune_bands` samples, fetched from the cluster on first use.

    ``tune_bands`` reads ``signatures.shape`` and ``signatures[rows]`` only; the
    rows it draws depend on ``n`` and the seed alone, so the same rows are
    fetched for every table (one small job, cached).
    """

    def __init__(self, fp: Any, n: int, labels: list[str]) -> None:
        self._fp, self._n, self._labels = fp, n, labels
        self._rows: dict[str, np.ndarray] = {}
        self._index = np.empty(0, np.int64)

    def view(self, label: str, width: int) -> Any:
        """Return an array-like of shape ``(n, width)`` whose rows are fetched on indexing."""
        outer = self

        class View:
            shape = (outer._n, width)

            def __getitem__(self, rows: Any) -> np.ndarray:
                return outer._get(label, width, np.asarray(rows, dtype=np.int64))

        return View()

    def _get(self, label: str, width: int, rows: np.ndarray) -> np.ndarray:
        if not np.isin(rows, self._index).all():
            self._fetch(np.union1d(self._index, rows))
        col = self._rows[label]
        return col[np.searchsorted(self._index, rows)].reshape(-1, width)

    def _fetch(self, rows: np.ndarray) -> None:
        from pyspark.sql import functions as F

        spark = self._fp.sparkSession
        wanted = create_frame(spark, {"idx": rows.astype(np.int64)}, "idx long")
        cols = [f"sig{k}" for k in range(len(self._labels))]
        got = collect_arrow(self._fp.join(F.broadcast(wanted), "idx").select("idx", *cols))
        idx = got.column("idx").to_numpy()
        order = np.argsort(idx)
        self._index = idx[order]
        for k, label in enumerate(self._labels):
            values, offs = A.ragged_values(got.column(f"sig{k}"), np.uint32)
            width = int(offs[1] - offs[0]) if idx.size else 0
            self._rows[label] = values.reshape(-1, max(width, 1))[order]


def _relabel(packed: np.ndarray, bits: int, idx: np.ndarray) -> np.ndarray:
    """Put the global document numbers ``idx`` into the low ``bits`` of packed values."""
    shift = np.uint64(bits)
    return ((packed >> shift) << shift) | idx.astype(np.uint64)


def route(
    tables: list[tuple[str, int, int, int]], bits: int, n_parts: int
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Pack band keys and samples with their document number; one blob per (part, kind)."""
    shift = np.uint64(bits)

    def blobs(packed: np.ndarray, kind: int) -> Iterator[tuple[int, int, bytes]]:
        part = ((packed >> shift) % np.uint64(n_parts)).astype(np.int64)
        order = np.argsort(part, kind="stable")
        part, packed = part[order], packed[order]
        cuts = np.flatnonzero(np.r_[True, part[1:] != part[:-1], True])
        for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
            yield int(part[lo]), kind, packed[lo:hi].tobytes()

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            idx = A.column(b, "idx").to_numpy().astype(np.int64)
            rows: list[tuple[int, int, bytes]] = []
            for t, (col, width, bands, r) in enumerate(tables):
                sigs = A.matrix_values(A.column(b, col), np.uint32, width)
                keys = band_keys(np.ascontiguousarray(sigs), bands, r)
                packed = _relabel(pack_rows(keys, bits), bits, np.repeat(idx, bands))
                rows.extend(blobs(packed, 2 * t))
            hashes, offs = A.ragged_values(A.column(b, "samples"), np.uint64)
            if hashes.size:
                packed = _relabel(
                    pack_sets(hashes, offs, bits, workers=1), bits, np.repeat(idx, np.diff(offs))
                )
                rows.extend(blobs(packed, 1))
            if rows:
                parts, kinds, data = zip(*rows, strict=True)
                yield pa.RecordBatch.from_arrays(
                    [
                        pa.array(parts, pa.int64()),
                        pa.array(kinds, pa.int32()),
                        pa.array(data, pa.binary()),
                    ],
                    names=["part", "kind", "blob"],
                )

    return run


def bucket_pairs(
    n_tables: int, bits: int, max_bucket: int, max_df: int
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Pairs of every bucket of one shuffle partition (its buckets are whole in it)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        by_kind: dict[int, list[bytes]] = {}
        for b in batches:
            for kind, blob in zip(
                A.column(b, "kind").to_pylist(), A.column(b, "blob").to_pylist(), strict=True
            ):
                by_kind.setdefault(kind, []).append(blob)

        def packed(kind: int) -> np.ndarray:
            return np.frombuffer(b"".join(by_kind.get(kind, [])), dtype=np.uint64).copy()

        lsh: list[np.ndarray] = []
        oversized = 0
        for t in range(n_tables):
            keys, over = sorted_group_pairs(
                packed(2 * t), bits, max_group=max_bucket, chain=True, workers=1
            )
            lsh.append(keys)
            oversized += over
        lsh_keys = (
            unique_counts(np.concatenate(lsh), workers=1)[0] if lsh else np.empty(0, np.int64)
        )
        skeys, skipped = sorted_group_pairs(
            packed(1), bits, max_group=max_df, chain=False, workers=1
        )
        if skeys.size:
            uniq, shared = unique_counts(skeys, workers=1)
        else:
            uniq, shared = np.empty(0, np.int64), np.empty(0, np.int64)
        key = np.concatenate([lsh_keys, uniq, [-1, -1]]).astype(np.int64)
        kind = np.concatenate(
            [
                np.full(lsh_keys.size, KIND_LSH),
                np.full(uniq.size, KIND_SAMPLE),
                [STAT_SKIPPED, STAT_OVERSIZED],
            ]
        ).astype(np.int32)
        count = np.concatenate([np.ones(lsh_keys.size), shared, [skipped, oversized]]).astype(
            np.int64
        )
        yield pa.RecordBatch.from_arrays(
            [pa.array(key), pa.array(kind), pa.array(count)], names=["key", "kind", "count"]
        )

    return run
