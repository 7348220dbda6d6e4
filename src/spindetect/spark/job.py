"""The crawl scan as a Spark job: the in-process stages, run over partitions.

Stages and what each shuffles (``n`` documents, ``P`` shuffle partitions)::

    read + fingerprint  mapInArrow over the listing (or the DataFrame's     no shuffle
                        Arrow batches): stages.fingerprint, per batch       (persisted once,
                                                                            DISK_ONLY: ~2.1 KB/doc)
    number              counts per file / partition -> dense idx in         driver: one row
                        input order (as in process)                        per file
    tune bands          stages.tune_bands on the driver, reading only the   ~40k rows to the
                        sampled rows it asks for                            driver
    band keys           lsh.band_keys + _pairs.pack_rows / pack_sets per    packed uint64
                        batch; values routed to a part by their group key   blobs: 8 B per
                                                                            (doc, band) and
                                                                            per sample
    candidates          _pairs.sorted_group_pairs per part (groups whole    pair keys: 8-16 B
                        in one part: hot buckets chained / skipped exactly  per candidate
                        as in process); sample counts summed by pair
    verify              candidates joined to the two verification          2 x 1 KB per
                        signatures, stages.verify_pairs per batch           candidate
    passages            the passage_budget rejected candidates, selected    <= 2 x budget
                        in Spark; stages.verify_passages on the driver      texts to driver
    templates           texts of paired documents read again from the      2 texts per
                        input (once, persisted); stages.drop_templated      verified pair
                        per batch of pairs joined to their two texts
    cluster             components.components (driver union-find for        16 B per
                        small graphs, large-star/small-star otherwise)      whole pair
    describe            families.describe_families per batch of families    member texts and
                        (one per explained family, ~4 P others), in         metadata, once
                        executors; texts from the templates stage's table

Because every stage calls the in-process function on whole groups, with the
same global document numbers, ``bits`` and seeds, a Spark scan returns the same
pairs, verdicts, confidences and families as :func:`spindetect.scan` of the
same documents, record for record (``tests/spark/``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from spindetect._validation import check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.spark._core import (
    CONTENT,
    DEFAULT_THRESHOLD,
    SKELETON,
    ScanConfig,
    SkipLog,
    index_bits,
    tune_bands,
)
from spindetect.spark._frames import collect_arrow, create_frame, cut_plan
from spindetect.spark.bands import (
    KIND_LSH,
    KIND_SAMPLE,
    STAT_SKIPPED,
    SampledRows,
    bucket_pairs,
    route,
)
from spindetect.spark.components import components
from spindetect.spark.describe import batch_of, describe_batch, families_per_batch
from spindetect.spark.fingerprints import rename_duplicates
from spindetect.spark.inputs import ORDER_SHIFT
from spindetect.spark.result import FAMILY_SCHEMA, SparkScan, empty_scan
from spindetect.spark.templates import drop_templated_pairs, paired_texts
from spindetect.spark.verify import verify_batches, verify_rejected

__all__ = ["STORAGE", "run_job"]

#: Where the per-document tables (fingerprints, ~2.1 KB a document; texts of the
#: paired documents) are persisted: ``"disk"`` (``DISK_ONLY``: off the JVM heap,
#: streamed to local disk block by block) or ``"memory"`` (``MEMORY_AND_DISK``:
#: on the heap while storage memory lasts). The per-pair tables are always
#: ``MEMORY_AND_DISK`` (tens of bytes a pair).
STORAGE = {"disk": "DISK_ONLY", "memory": "MEMORY_AND_DISK"}


def run_job(
    spark: Any,
    fp_raw: Any,
    texts: Callable[[Any], Any],
    config: ScanConfig,
    labels: list[str],
    explain: int,
    partitions: int | None,
    driver_edges: int,
    skip_log: Callable[[], SkipLog] | None,
    words: Any,
    inspect: bool = True,
    storage: str = "disk",
) -> SparkScan:
    """Run every stage after *read + fingerprint* (``fp_raw``) and return the scan.

    ``texts(wanted)`` returns ``(order, text)`` for the ``order`` values of
    ``wanted``; ``skip_log`` returns the reading's skip log once the reading ran.
    ``storage`` is where the per-document tables are persisted (:data:`STORAGE`).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    check_int("explain", explain, low=0)
    parts = check_int(
        "partitions",
        partitions
        if partitions is not None
        else int(spark.conf.get("spark.sql.shuffle.partitions")),
        low=1,
    )
    timings: dict[str, float] = {}
    cached: list[Any] = []

    def describe_jobs(stage: str) -> None:
        """Label the Spark jobs run from here on with ``stage`` (Spark UI, event log)."""
        spark.sparkContext.setJobDescription(f"spindetect: {stage}")

    if storage not in STORAGE:
        raise InvalidParameterError(f"storage must be one of {sorted(STORAGE)}, got {storage!r}")
    per_document = getattr(StorageLevel, STORAGE[storage])

    def keep(df: Any, level: Any = StorageLevel.MEMORY_AND_DISK) -> Any:
        df = df.persist(level)
        cached.append(df)
        return df

    # read + fingerprint (persisted once), then dense numbers in input order
    t0 = time.perf_counter()
    describe_jobs("read+fingerprint")
    fp_raw = keep(fp_raw, per_document)
    groups = collect_arrow(fp_raw.groupBy(F.shiftright("order", ORDER_SHIFT).alias("g")).count())
    g = groups.column("g").to_numpy() if groups.num_rows else np.empty(0, np.int64)
    c = groups.column("count").to_numpy() if groups.num_rows else np.empty(0, np.int64)
    order = np.argsort(g)
    g, c = g[order], c[order]
    n = int(c.sum())
    skipped = skip_log() if skip_log is not None else None  # read once the reading ran
    offsets = create_frame(
        spark,
        {"g": g.astype(np.int64), "base": (np.cumsum(c) - c).astype(np.int64)},
        "g long, base long",
    )
    mask = (1 << ORDER_SHIFT) - 1
    fp = fp_raw.join(F.broadcast(offsets), F.shiftright("order", ORDER_SHIFT) == F.col("g"))
    fp = fp.select(
        (F.col("base") + F.col("order").bitwiseAND(F.lit(mask))).alias("idx"),
        *[col for col in fp_raw.columns],
    )
    if skipped is not None:
        renamed = rename_duplicates(fp, skipped)
        if renamed is not fp:  # a window over every row: persisted, not recomputed per use
            fp = keep(renamed, per_document)
            fp.count()
            fp_raw.unpersist()
    # otherwise fp stays a narrow projection (a broadcast join) over the persisted fp_raw
    timings["read+fingerprint"] = time.perf_counter() - t0
    documents = fp.select("idx", "id", "spun_score").orderBy("idx").drop("idx") if inspect else None
    if n == 0:
        return empty_scan(spark, skipped, timings, documents)

    # band tuning on the sampled rows only
    t = time.perf_counter()
    describe_jobs("tune")
    bits = index_bits(n)
    sampled = SampledRows(fp, n, labels)
    chosen: dict[str, tuple[int, int]] = {}
    for table in config.tables:
        if config.candidate_budget is None:
            chosen[table.label] = (int(table.bands), int(table.rows))  # type: ignore[arg-type]
        else:
            chosen[table.label] = tune_bands(
                sampled.view(table.label, table.num_perm),
                target=table.threshold,
                budget=config.candidate_budget,
                seed=config.seed,
            )
    timings["tune"] = time.perf_counter() - t

    # band keys and samples -> parts -> pairs of every bucket
    t = time.perf_counter()
    describe_jobs("candidates")
    tables = [
        (f"sig{labels.index(tb.label)}", tb.num_perm, *chosen[tb.label]) for tb in config.tables
    ]
    n_parts = 4 * parts
    needed = ["idx", *sorted({col for col, *_ in tables}), "samples"]
    routed = (
        fp.select(*needed)
        .mapInArrow(route(tables, bits, n_parts), "part long, kind int, blob binary")
        .repartition(parts, "part")
    )
    raw = keep(
        routed.mapInArrow(
            bucket_pairs(len(tables), bits, config.max_bucket, config.max_df),
            "key long, kind int, count long",
        )
    )
    stats = {
        r["kind"]: r["total"]
        for r in raw.where(F.col("kind") >= STAT_SKIPPED)
        .groupBy("kind")
        .agg(F.sum("count").alias("total"))
        .collect()
    }
    lsh = raw.where(F.col("kind") == KIND_LSH).select("key").distinct()
    samples = (
        raw.where(F.col("kind") == KIND_SAMPLE).groupBy("key").agg(F.sum("count").alias("shared"))
    )
    strong = samples.where(F.col("shared") >= config.min_shared).select("key")
    cands = keep(
        lsh.unionByName(strong).distinct().join(samples, "key", "left").fillna(0, ["shared"])
    )
    n_cands = cands.count()
    from_lsh, from_samples = lsh.count(), strong.count()
    raw.unpersist()
    timings["candidates"] = time.perf_counter() - t

    # verify in executors
    t = time.perf_counter()
    describe_jobs("verify")
    low = (1 << bits) - 1
    skel, cont = f"sig{labels.index(SKELETON)}", f"sig{labels.index(CONTENT)}"
    width_s = config.specs()[SKELETON].num_perm
    width_c = config.specs()[CONTENT].num_perm
    left = fp.select(F.col("idx").alias("i"), F.col(skel).alias("si"), F.col(cont).alias("ci"))
    right = fp.select(F.col("idx").alias("j"), F.col(skel).alias("sj"), F.col(cont).alias("cj"))
    joined = (
        cands.select(
            F.shiftright("key", bits).alias("i"),
            F.col("key").bitwiseAND(F.lit(low)).alias("j"),
            "shared",
        )
        .join(left, "i")
        .join(right, "j")
    )
    judged = keep(
        joined.mapInArrow(
            verify_batches(config, width_s, width_c),
            "i long, j long, skeleton double, content double, shared long, verdict string, "
            "confidence double, passage double, step int",
        )
    )
    verified = judged.where(F.col("verdict") != "")
    passages = verify_rejected(
        spark,
        judged.where(F.col("verdict") == ""),
        fp,
        texts,
        words,
        config,
        skel,
        cont,
        width_s,
        width_c,
    )
    if passages is not None:
        verified = verified.unionByName(passages)
    verified = keep(verified)
    cands.unpersist()
    timings["verify"] = time.perf_counter() - t

    # templates: pairs that are one template with other facts are dropped, as in process;
    # the texts of every paired document are read once, here, for this stage and describe
    t = time.perf_counter()
    describe_jobs("templates")
    pair_texts = keep(cut_plan(paired_texts(verified, fp, texts)), per_document)
    if words is not None:
        checked = verified
        verified = keep(cut_plan(drop_templated_pairs(checked, pair_texts, words)))
    verdict_counts = {
        r["verdict"]: r["count"] for r in verified.groupBy("verdict").count().collect()
    }
    if words is not None:
        checked.unpersist()
    timings["templates"] = time.perf_counter() - t

    # components of whole-document pairs
    t = time.perf_counter()
    describe_jobs("cluster")
    whole = verified.where(F.col("verdict") != "partial")
    comp = keep(components(whole.select("i", "j"), driver_edges=driver_edges))
    sizes = collect_arrow(comp.groupBy("label").count())
    lab = sizes.column("label").to_numpy() if sizes.num_rows else np.empty(0, np.int64)
    size = sizes.column("count").to_numpy() if sizes.num_rows else np.empty(0, np.int64)
    rank_of = np.lexsort((lab, -size))  # largest first, ties by smallest member
    ranks = create_frame(
        spark,
        {"label": lab[rank_of].astype(np.int64), "rank": np.arange(lab.size, dtype=np.int64)},
        "label long, rank long",
    )
    comp = keep(comp.join(F.broadcast(ranks) if lab.size < 1_000_000 else ranks, "label"))
    comp.count()
    timings["cluster"] = time.perf_counter() - t

    # describe the families in batches in executors, with the texts read for the templates stage
    t = time.perf_counter()
    describe_jobs("describe")
    per_batch = families_per_batch(int(lab.size), explain, 4 * parts)
    members = comp.select("idx", "rank", batch_of(F.col("rank"), explain, per_batch).alias("b"))
    members = members.join(fp.select("idx", "order", "id", "title", "url", "links"), "idx")
    members = members.join(pair_texts, "idx")
    fam_pairs = whole.join(  # its own batch column: one shared with members would be ambiguous
        comp.select(
            F.col("idx").alias("i"), batch_of(F.col("rank"), explain, per_batch).alias("b")
        ),
        "i",
    )
    described = (
        members.groupBy("b")
        .cogroup(fam_pairs.groupBy("b"))
        .applyInPandas(describe_batch(explain), "rank long, record string")
    )
    families = keep(
        described.select("rank", F.from_json("record", FAMILY_SCHEMA).alias("r")).select(
            "rank", "r.*"
        )
    )
    n_families = families.count()
    timings["describe"] = time.perf_counter() - t
    describe_jobs("output")
    families = families.orderBy("rank").drop("rank")

    ids = fp.select("idx", "id")
    scores = [F.lit("skeleton"), F.col("skeleton"), F.lit("content"), F.col("content")]
    scores += [F.lit("shared"), F.col("shared").cast("double")]
    pairs = (
        verified.join(ids.select(F.col("idx").alias("i"), F.col("id").alias("a")), "i")
        .join(ids.select(F.col("idx").alias("j"), F.col("id").alias("b")), "j")
        .join(comp.select(F.col("idx").alias("i"), "rank"), "i", "left")
        .select(
            "step",
            "i",
            "j",
            "a",
            "b",
            "verdict",
            "confidence",
            F.when(F.col("passage").isNull(), F.create_map(*scores))
            .otherwise(F.create_map(*scores, F.lit("passage"), F.col("passage")))
            .alias("scores"),
            F.when(
                F.col("verdict") != "partial",
                F.concat(F.lit("c"), (F.col("rank") + 1).cast("string")),
            ).alias("cluster"),
        )
        .orderBy("step", "i", "j")
        .drop("step", "i", "j")
    )
    timings["total"] = time.perf_counter() - t0
    sizes_sorted = np.sort(size)
    summary = {
        "documents": n,
        "candidates": int(n_cands),
        "candidates_lsh": int(from_lsh),
        "candidates_shared": int(from_samples),
        "skipped_common_samples": int(stats.get(STAT_SKIPPED, 0)),
        "pairs": {k: int(v) for k, v in sorted(verdict_counts.items())},
        "clusters": int(n_families),
        "clustered_documents": int(size.sum()),
        "largest_cluster": int(sizes_sorted[-1]) if size.size else 0,
        "skipped": skipped.to_dict() if skipped is not None else {},
        "bands": {k: list(v) for k, v in chosen.items()},
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    if documents is not None:
        summary["spun_documents"] = fp.where(F.col("spun_score") >= DEFAULT_THRESHOLD).count()
    return SparkScan(pairs, families, summary, skipped, cached, documents)
