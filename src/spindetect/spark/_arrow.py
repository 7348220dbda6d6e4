"""Arrow <-> numpy helpers of the Spark engine (no pyspark import: executors use them).

Signatures travel as one binary value per document (``num_perm`` uint32, 512
bytes for 128 permutations), sampled n-grams as one binary value of uint64
hashes; both convert without a Python loop over rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["binary_ragged", "binary_rows", "column", "matrix_values", "ragged_values"]


def binary_rows(matrix: np.ndarray) -> pa.Array:
    """One binary value per row of a 2-d array (its bytes), without a Python loop."""
    m = np.ascontiguousarray(matrix)
    n = m.shape[0]
    width = m.strides[0] if n else 0
    offsets = np.arange(n + 1, dtype=np.int64) * np.int64(width)
    return pa.Array.from_buffers(
        pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(m.tobytes())]
    ).cast(pa.binary())


def binary_ragged(values: np.ndarray, offsets: np.ndarray) -> pa.Array:
    """One binary value per slice ``values[offsets[d]:offsets[d + 1]]``."""
    v = np.ascontiguousarray(values)
    byte_offsets = np.asarray(offsets, dtype=np.int64) * np.int64(v.itemsize)
    byte_offsets = byte_offsets - byte_offsets[0]
    return pa.Array.from_buffers(
        pa.large_binary(),
        byte_offsets.size - 1,
        [None, pa.py_buffer(byte_offsets), pa.py_buffer(v.tobytes())],
    ).cast(pa.binary())


def ragged_values(col: Any, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """Flat values and element offsets of a binary column (inverse of :func:`binary_ragged`)."""
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    arr = arr.cast(pa.large_binary())
    itemsize = np.dtype(dtype).itemsize
    n = len(arr)
    if n == 0:
        return np.empty(0, dtype), np.zeros(1, np.int64)
    bufs = arr.buffers()
    offs = np.frombuffer(bufs[1], dtype=np.int64, count=n + 1, offset=arr.offset * 8)
    data = (
        np.frombuffer(bufs[2], dtype=np.uint8)[offs[0] : offs[-1]]
        if bufs[2]
        else np.empty(0, np.uint8)
    )
    values = np.frombuffer(data.tobytes(), dtype=dtype)
    return values, ((offs - offs[0]) // itemsize).astype(np.int64)


def matrix_values(col: Any, dtype: Any, width: int) -> np.ndarray:
    """Return a ``(n, width)`` array from a binary column of equal-length rows."""
    values, _ = ragged_values(col, dtype)
    return values.reshape(-1, width)


def column(batch: pa.RecordBatch, name: str) -> Any:
    """Column ``name`` of a record batch."""
    return batch.column(batch.schema.get_field_index(name))
