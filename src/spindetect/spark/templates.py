"""Stage *templates* of the Spark engine: pairs that are one template with other facts.

In process, :func:`spindetect.crawl.stages.drop_templated` runs after the
passage stage, before clustering: short spun and partial pairs whose differing
words are facts (numbers, names, unrelated words) are catalogue entries of one
template, not copies, and are dropped. Here the verified pairs are joined to
the texts of their two documents and each Arrow batch of pairs is handed to
that very function (it judges every pair on its own two texts), so the pairs
kept are those kept in process.

:func:`paired_texts` reads the texts of every document of a verified pair once;
the describe stage takes its members' texts from the same table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from spindetect.spark import _arrow as A
from spindetect.spark._core import FunctionWords, PairVerdicts, drop_templated
from spindetect.spark.verify import VERIFIED_COLUMNS

__all__ = ["drop_templated_pairs", "paired_texts"]


def paired_texts(verified: Any, fp: Any, texts: Callable[[Any], Any]) -> Any:
    """Return ``(idx, text)`` for every document of a pair of ``verified``.

    ``fp`` maps ``idx`` to ``order``; ``texts(wanted)`` reads ``(order, text)``
    back from the input for the ``order`` values of ``wanted``.
    """
    from pyspark.sql import functions as F

    nodes = (
        verified.select(F.col("i").alias("idx"))
        .unionByName(verified.select(F.col("j").alias("idx")))
        .distinct()
    )
    rows = fp.select("idx", "order").join(nodes, "idx")
    return rows.join(texts(rows.select("order")), "order").select("idx", "text")


def drop_templated_pairs(verified: Any, texts_by_idx: Any, words: FunctionWords) -> Any:
    """Return the rows of ``verified`` that ``drop_templated`` keeps.

    Parameters
    ----------
    verified : pyspark.sql.DataFrame
        Verified pairs (:data:`spindetect.spark.verify.VERIFIED_COLUMNS`).
    texts_by_idx : pyspark.sql.DataFrame
        ``(idx, text)`` of every document of a pair (:func:`paired_texts`).
    words : FunctionWords
        The run's function words (the vocabulary stage).

    Returns
    -------
    pyspark.sql.DataFrame
        The same columns, without the pairs that are one template with other facts.
    """
    from pyspark.sql import functions as F

    left = texts_by_idx.select(F.col("idx").alias("i"), F.col("text").alias("ti"))
    right = texts_by_idx.select(F.col("idx").alias("j"), F.col("text").alias("tj"))
    joined = verified.join(left, "i").join(right, "j")
    schema = (
        "i long, j long, skeleton double, content double, shared long, verdict string, "
        "confidence double, passage double, step int"
    )
    return joined.mapInArrow(_keep_untemplated(words), schema)


def _keep_untemplated(
    words: FunctionWords,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Executor function: ``drop_templated`` over each batch, its pairs renumbered."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            m = b.num_rows
            if m == 0:
                continue
            texts = A.column(b, "ti").to_pylist() + A.column(b, "tj").to_pylist()
            rows = np.arange(m, dtype=np.int64)
            verdicts = PairVerdicts(
                np.stack([rows, rows + m], axis=1),
                A.column(b, "skeleton").to_numpy(zero_copy_only=False).astype(np.float64),
                A.column(b, "content").to_numpy(zero_copy_only=False).astype(np.float64),
                A.column(b, "shared").to_numpy(zero_copy_only=False).astype(np.int64),
                np.asarray(A.column(b, "verdict").to_pylist(), dtype=object),
                A.column(b, "confidence").to_numpy(zero_copy_only=False).astype(np.float64),
            )
            kept = drop_templated(texts, verdicts, words).pairs[:, 0]
            out = pa.RecordBatch.from_arrays(
                [A.column(b, name) for name in VERIFIED_COLUMNS], names=list(VERIFIED_COLUMNS)
            )
            yield out.take(pa.array(kept, pa.int64()))

    return run
