"""The crawl scan as a Spark job: the in-process stages, run over partitions.

Stages and what each shuffles (``n`` documents, ``P`` shuffle partitions)::

    read + fingerprint  mapInArrow over the listing (or the DataFrame's     no shuffle
                        Arrow batches): stages.fingerprint, per batch       (persisted:
                                                                            ~1.3 KB/doc)
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
    cluster             components.components (driver union-find for        16 B per
                        small graphs, large-star/small-star otherwise)      whole pair
    describe            families.describe_families per family, in          member texts and
                        executors (cogroup of members and pairs); texts    metadata, once
                        read again from the input, only for members

Because every stage calls the in-process function on whole groups, with the
same global document numbers, ``bits`` and seeds, a Spark scan returns the same
pairs, verdicts, confidences and families as :func:`spindetect.scan` of the
same documents, record for record (``tests/spark/``).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from spindetect._validation import check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.spark import _arrow as A
from spindetect.spark._core import (
    CONTENT,
    DEFAULT_THRESHOLD,
    SKELETON,
    Candidates,
    ClusterRecord,
    DocumentRecord,
    DocumentTable,
    Fingerprints,
    PairRecord,
    PairVerdicts,
    SampledShingles,
    ScanConfig,
    ScanResult,
    SequenceTexts,
    SkipLog,
    _estimate_between,
    band_keys,
    describe_families,
    fingerprint,
    index_bits,
    inspect_scores,
    learn_function_words,
    pack_rows,
    pack_sets,
    sorted_group_pairs,
    tune_bands,
    unique_counts,
    verify_pairs,
    verify_passages,
)
from spindetect.spark.components import components
from spindetect.spark.inputs import ORDER_SHIFT, SkipCounts, expand_sources, read_file

__all__ = ["SparkScan", "collect_arrow", "create_frame", "scan_dataframe", "scan_sources"]

_KIND_LSH, _KIND_SAMPLE, _STAT_SKIPPED, _STAT_OVERSIZED = 0, 1, 2, 3

FAMILY_SCHEMA = (
    "id string, size int, members array<string>, representative string, "
    "verdicts map<string,int>, titles map<string,string>, distinct_titles int, "
    "links array<struct<domain:string,members:int,hrefs:array<string>>>, "
    "beneficiaries array<struct<domain:string,members:int,hrefs:array<string>>>, "
    "explained boolean, title_mismatch array<string>, inserted map<string,array<string>>, "
    "template array<string>"
)


@dataclass
class SparkScan:
    """The result of a Spark scan: DataFrames of pairs and families, and the summary.

    ``pairs`` has the fields of :class:`~spindetect.crawl.families.PairRecord`
    (``a``, ``b``, ``verdict``, ``confidence``, ``scores`` as a map, ``cluster``)
    in the in-process order; ``families`` those of
    :class:`~spindetect.crawl.families.ClusterRecord` (plus ``size`` and
    ``distinct_titles``, as in its JSON record), largest first; ``documents``
    (``id``, ``spun_score``) every document in input order, or None when the
    scan ran without inspection.
    """

    pairs: Any
    families: Any
    summary: dict[str, Any]
    skipped: SkipLog | None = None
    _cached: list[Any] = field(default_factory=list, repr=False)
    documents: Any = None

    def document_records(self) -> list[DocumentRecord]:
        """Collect the documents' spun scores as :class:`DocumentRecord` objects."""
        if self.documents is None:
            return []
        return [DocumentRecord(r["id"], r["spun_score"]) for r in self.documents.collect()]

    def pair_records(self) -> list[PairRecord]:
        """Collect the pairs as :class:`PairRecord` objects (driver memory)."""
        return [
            PairRecord(
                r["a"], r["b"], r["verdict"], r["confidence"], dict(r["scores"]), r["cluster"]
            )
            for r in self.pairs.collect()
        ]

    def cluster_records(self) -> list[ClusterRecord]:
        """Collect the families as :class:`ClusterRecord` objects (driver memory)."""
        out = []
        for row in self.families.collect():
            d = row.asDict(recursive=True)
            out.append(
                ClusterRecord(
                    id=d["id"],
                    members=tuple(d["members"]),
                    representative=d["representative"],
                    verdicts=dict(d["verdicts"]),
                    titles=dict(d["titles"]),
                    links=d["links"],
                    beneficiaries=d["beneficiaries"],
                    explained=d["explained"],
                    title_mismatch=d["title_mismatch"],
                    inserted={k: list(v) for k, v in d["inserted"].items()},
                    template=d["template"],
                )
            )
        return out

    def to_result(self) -> ScanResult:
        """Collect everything into an in-process :class:`ScanResult`."""
        return ScanResult(
            self.pair_records(),
            self.cluster_records(),
            dict(self.summary),
            self.document_records(),
        )

    def write(self, path: str | os.PathLike[str]) -> str:
        """Write ``pairs/``, ``families/``, ``documents/`` (Parquet) and ``summary.json``.

        They go under ``path``, a local path or any URI Spark writes to (``hdfs://``,
        ``s3a://``). The output is written to a hidden sibling directory and
        renamed into place when complete (Hadoop ``FileSystem.rename``): a
        killed job leaves no partial output at ``path``, and a rerun replaces a
        previous output whole. Returns the output's URI.
        """
        spark = self.pairs.sparkSession
        target = _uri(path)
        parent, _, name = target.rstrip("/").rpartition("/")
        tmp = f"{parent}/.{name}.{uuid.uuid4().hex}.tmp"
        jvm = spark._jvm
        conf = spark._jsc.hadoopConfiguration()
        hpath = jvm.org.apache.hadoop.fs.Path
        fs = hpath(tmp).getFileSystem(conf)
        try:
            self.pairs.write.parquet(f"{tmp}/pairs", compression="zstd")
            self.families.write.parquet(f"{tmp}/families", compression="zstd")
            if self.documents is not None:
                self.documents.write.parquet(f"{tmp}/documents", compression="zstd")
            out = fs.create(hpath(f"{tmp}/summary.json"), True)
            out.write(
                bytearray(json.dumps(self.summary, indent=1, ensure_ascii=False).encode("utf-8"))
            )
            out.close()
            old = None
            if fs.exists(hpath(target)):
                old = f"{parent}/.{name}.{uuid.uuid4().hex}.old"
                fs.rename(hpath(target), hpath(old))
            if not fs.rename(hpath(tmp), hpath(target)):
                raise OSError(f"cannot rename {tmp} to {target}")
            if old is not None:
                fs.delete(hpath(old), True)
        except BaseException:
            fs.delete(hpath(tmp), True)
            raise
        return target

    def unpersist(self) -> None:
        """Release the cached intermediate tables (the result DataFrames stay usable)."""
        for df in self._cached:
            df.unpersist()
        self._cached.clear()


def scan_dataframe(
    df: Any,
    *,
    config: ScanConfig | None = None,
    explain: int = 20,
    partitions: int | None = None,
    batch_size: int = 2048,
    driver_edges: int = 2_000_000,
    inspect: bool = True,
) -> SparkScan:
    """Scan a DataFrame of documents ``(id, text[, title, url])`` on Spark.

    Documents are numbered in the DataFrame's order (its partitions in order,
    rows in order within each), which must be deterministic: the texts of
    family members are read from ``df`` a second time.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        String columns ``id`` and ``text``; optional ``title``, ``url`` and an
        ``array<string>`` column ``links`` (outbound link targets).
    config : ScanConfig, optional
        As for :func:`spindetect.scan`.
    explain : int, default=20
        Explain this many of the largest families with the full compare.
    partitions : int or None, default=None
        Shuffle partitions of the candidate and verify stages (None: the
        session's ``spark.sql.shuffle.partitions``).
    batch_size : int, default=2048
        Rows per Arrow batch handed to the fingerprint kernel.
    driver_edges : int, default=2_000_000
        Pair graphs up to this many edges get their components on the driver.
    inspect : bool, default=True
        Score every document in the executors (:func:`spindetect.inspect_scores`),
        as :func:`spindetect.scan` does: :attr:`SparkScan.documents`.

    Returns
    -------
    SparkScan
    """
    from pyspark.sql import functions as F

    for name in ("id", "text"):
        if name not in df.columns:
            raise InvalidParameterError(f"df must have a column {name!r}, got {df.columns}")

    def docs() -> Any:
        cols = [F.col("id").cast("string").alias("id"), F.col("text").cast("string").alias("text")]
        for name in ("title", "url"):
            cols.append(
                (
                    F.col(name).cast("string") if name in df.columns else F.lit(None).cast("string")
                ).alias(name)
            )
        cols.append(
            F.col("links")
            if "links" in df.columns
            else F.lit(None).cast("array<string>").alias("links")
        )
        return df.select(F.monotonically_increasing_id().alias("order"), *cols)

    config = config or ScanConfig()
    labels = list(config.specs())
    first = [
        r["text"] or "" for r in docs().orderBy("order").limit(batch_size).select("text").collect()
    ]
    words = learn_function_words(first, config)  # the vocabulary stage: the first batch
    fp = docs().mapInArrow(
        _fingerprint_docs(config, labels, batch_size, words, inspect), _fp_schema(labels)
    )

    def texts(wanted: Any) -> Any:
        return docs().join(wanted, "order", "leftsemi").select("order", "text")

    return _run(
        df.sparkSession,
        fp,
        texts,
        config,
        labels,
        explain,
        partitions,
        driver_edges,
        None,
        words,
        inspect,
    )


def scan_sources(
    spark: Any,
    sources: Sequence[str],
    *,
    config: ScanConfig | None = None,
    explain: int = 20,
    partitions: int | None = None,
    batch_size: int = 2048,
    max_bytes: int | None = None,
    driver_edges: int = 2_000_000,
    inspect: bool = True,
) -> SparkScan:
    """Scan crawl files on Spark: each file is read and fingerprinted inside an executor.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    sources : sequence of str
        Files or directories (local), or URIs (``s3://``, ``hdfs://``), in order;
        see :func:`spindetect.spark.inputs.read_listing` for a listing file.
    config, explain, partitions, batch_size, driver_edges, inspect
        As for :func:`scan_dataframe`.
    max_bytes : int, optional
        Size limit of one document (default: that of :func:`spindetect.sources.iter_documents`).

    Returns
    -------
    SparkScan
        Its ``summary["skipped"]`` counts the bad files and records of every executor.
    """
    from spindetect.sources.textfile import DEFAULT_MAX_BYTES

    config = config or ScanConfig()
    max_bytes = check_int(
        "max_bytes", max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES, low=1
    )
    log = SkipLog()
    files = expand_sources(list(sources), log)
    labels = list(config.specs())
    sc = spark.sparkContext
    skips = sc.accumulator(SkipCounts().zero({}), SkipCounts())
    slices = max(1, min(len(files), 4 * sc.defaultParallelism)) if files else 1
    listing = spark.createDataFrame(
        [(k, p, name) for k, (p, name) in enumerate(files)],
        "file_no long, path string, name string",
    ).repartition(slices, "file_no")
    first: list[str] = []
    for path, name in files:  # the vocabulary stage reads the first batch, on the driver
        for doc in read_file(path, name, SkipLog(max_records=0), max_bytes=max_bytes):
            first.append(doc.text)
            if len(first) == batch_size:
                break
        if len(first) == batch_size:
            break
    words = learn_function_words(first, config)
    fp = listing.mapInArrow(
        _read_and_fingerprint(config, labels, batch_size, max_bytes, skips, words, inspect),
        _fp_schema(labels),
    )

    def texts(wanted: Any) -> Any:
        from pyspark.sql import functions as F

        want = wanted.select("order", F.shiftright("order", ORDER_SHIFT).alias("file_no"))
        per_file = want.groupBy("file_no").agg(F.collect_list("order").alias("orders"))
        return listing.join(per_file, "file_no").mapInArrow(
            _reread(max_bytes), "order long, text string"
        )

    return _run(
        spark,
        fp,
        texts,
        config,
        labels,
        explain,
        partitions,
        driver_edges,
        lambda: SkipCounts.to_log(skips.value, log),
        words,
        inspect,
    )


# -- the job --------------------------------------------------------------------------------


def _run(
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
) -> SparkScan:
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

    def keep(df: Any) -> Any:
        df = df.persist(StorageLevel.MEMORY_AND_DISK)
        cached.append(df)
        return df

    # read + fingerprint, then dense numbers in input order
    t0 = time.perf_counter()
    fp_raw = keep(fp_raw)
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
        fp = _rename_duplicates(fp, skipped)
    fp = keep(fp)
    fp.count()
    fp_raw.unpersist()
    timings["read+fingerprint"] = time.perf_counter() - t0
    documents = fp.select("idx", "id", "spun_score").orderBy("idx").drop("idx") if inspect else None
    if n == 0:
        return _empty(spark, skipped, timings, documents)

    # band tuning on the sampled rows only
    t = time.perf_counter()
    bits = index_bits(n)
    sampled = _SampledRows(fp, n, labels)
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
    tables = [
        (f"sig{labels.index(tb.label)}", tb.num_perm, *chosen[tb.label]) for tb in config.tables
    ]
    n_parts = 4 * parts
    needed = ["idx", *sorted({col for col, *_ in tables}), "samples"]
    routed = (
        fp.select(*needed)
        .mapInArrow(_route(tables, bits, n_parts), "part long, kind int, blob binary")
        .repartition(parts, "part")
    )
    raw = keep(
        routed.mapInArrow(
            _bucket_pairs(len(tables), bits, config.max_bucket, config.max_df),
            "key long, kind int, count long",
        )
    )
    stats = {
        r["kind"]: r["total"]
        for r in raw.where(F.col("kind") >= _STAT_SKIPPED)
        .groupBy("kind")
        .agg(F.sum("count").alias("total"))
        .collect()
    }
    lsh = raw.where(F.col("kind") == _KIND_LSH).select("key").distinct()
    samples = (
        raw.where(F.col("kind") == _KIND_SAMPLE).groupBy("key").agg(F.sum("count").alias("shared"))
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
            _verify(config, width_s, width_c),
            "i long, j long, skeleton double, content double, shared long, verdict string, "
            "confidence double, passage double, step int",
        )
    )
    verified = judged.where(F.col("verdict") != "")
    passages = _passages(
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
    verdict_counts = {
        r["verdict"]: r["count"] for r in verified.groupBy("verdict").count().collect()
    }
    cands.unpersist()
    timings["verify"] = time.perf_counter() - t

    # components of whole-document pairs
    t = time.perf_counter()
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

    # describe every family in executors; texts read again, for members only
    t = time.perf_counter()
    members = comp.select("idx", F.col("label").alias("fam"), "rank").join(
        fp.select("idx", "order", "id", "title", "url", "links"), "idx"
    )
    members = members.join(texts(members.select("order")), "order")
    fam_pairs = whole.join(comp.select(F.col("idx").alias("i"), F.col("label").alias("fam")), "i")
    described = (
        members.groupBy("fam")
        .cogroup(fam_pairs.groupBy("fam"))
        .applyInPandas(_describe(explain), "rank long, record string")
    )
    families = keep(
        described.select("rank", F.from_json("record", FAMILY_SCHEMA).alias("r")).select(
            "rank", "r.*"
        )
    )
    n_families = families.count()
    timings["describe"] = time.perf_counter() - t
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
        "skipped_common_samples": int(stats.get(_STAT_SKIPPED, 0)),
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


def _uri(path: str | os.PathLike[str]) -> str:
    """Return ``path`` as a URI (a local path becomes an absolute ``file:`` URI)."""
    text = os.fspath(path)
    if "://" in text:
        return text
    return Path(text).absolute().as_uri()


def _empty(
    spark: Any, skipped: SkipLog | None, timings: dict[str, float], documents: Any
) -> SparkScan:
    pairs = spark.createDataFrame(
        [],
        "a string, b string, verdict string, confidence double, "
        "scores map<string,double>, cluster string",
    )
    families = spark.createDataFrame([], FAMILY_SCHEMA)
    summary = {
        "documents": 0,
        "candidates": 0,
        "candidates_lsh": 0,
        "candidates_shared": 0,
        "skipped_common_samples": 0,
        "pairs": {},
        "clusters": 0,
        "clustered_documents": 0,
        "largest_cluster": 0,
        "skipped": skipped.to_dict() if skipped is not None else {},
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    if documents is not None:
        summary["spun_documents"] = 0
    return SparkScan(pairs, families, summary, skipped, documents=documents)


def _passages(
    spark: Any,
    rejected: Any,
    fp: Any,
    texts: Callable[[Any], Any],
    words: Any,
    config: ScanConfig,
    skel: str,
    cont: str,
    width_s: int,
    width_c: int,
) -> Any:
    """Stage *passages*: ``verify_passages`` over the rejected candidates it would take.

    ``verify_passages`` scores at most ``passage_budget`` rejected candidates,
    those with the highest content estimate first (ties in pair order): the
    same ones are selected in Spark, then the function itself runs on the
    driver over them, their documents renumbered in order (``<= 2 * budget`` texts).
    """
    from pyspark.sql import functions as F

    if config.passage_budget == 0 or words is None:
        return None
    chosen = collect_arrow(
        rejected.orderBy(F.desc("content"), "i", "j")
        .limit(config.passage_budget)
        .select("i", "j", "shared")
    )
    if chosen.num_rows == 0:
        return None
    i, j = chosen.column("i").to_numpy(), chosen.column("j").to_numpy()
    order = np.lexsort((j, i))
    i, j, shared = i[order], j[order], chosen.column("shared").to_numpy()[order]
    nodes = np.unique(np.r_[i, j])
    wanted = create_frame(spark, {"idx": nodes.astype(np.int64)}, "idx long")
    rows = fp.join(F.broadcast(wanted), "idx").select("idx", "order", skel, cont)
    got = collect_arrow(rows.join(texts(rows.select("order")), "order"))
    at = np.argsort(got.column("idx").to_numpy())
    sigs = {
        SKELETON: A.matrix_values(got.column(skel), np.uint32, width_s)[at],
        CONTENT: A.matrix_values(got.column(cont), np.uint32, width_c)[at],
    }
    docs = [got.column("text")[int(k)].as_py() for k in at]
    m = nodes.size
    local_fp = Fingerprints(
        sigs,
        SampledShingles(np.empty(0, np.uint64), np.zeros(m + 1, np.int64), np.zeros(m, np.int64)),
    )
    pairs = np.stack([np.searchsorted(nodes, i), np.searchsorted(nodes, j)], axis=1)
    cands = Candidates(pairs.astype(np.int64), shared.astype(np.int64), 0, 0, 0)
    found = verify_passages(docs, local_fp, cands, PairVerdicts.empty(), words, config)
    if len(found) == 0:
        return None
    g = nodes[found.pairs]
    return create_frame(
        spark,
        {
            "i": g[:, 0].astype(np.int64),
            "j": g[:, 1].astype(np.int64),
            "skeleton": found.skeleton.astype(np.float64),
            "content": found.content.astype(np.float64),
            "shared": found.shared.astype(np.int64),
            "verdict": found.verdicts.astype(str),
            "confidence": found.confidence.astype(np.float64),
            "passage": found.passages().astype(np.float64),
            "step": np.ones(len(found), np.int32),
        },
        "i long, j long, skeleton double, content double, shared long, verdict string, "
        "confidence double, passage double, step int",
    )


def _rename_duplicates(fp: Any, log: SkipLog) -> Any:
    """Rename ids met again as ``id#2``, ``id#3``, ... in input order (as the reader does)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    dups = fp.groupBy("id").count().where(F.col("count") > 1)
    counts = dups.agg(F.sum(F.col("count") - 1).alias("extra")).collect()[0]["extra"]
    if not counts:
        return fp
    log._counts["duplicate-id"] += int(counts)
    rn = F.row_number().over(Window.partitionBy("id").orderBy("idx"))
    cols = [c for c in fp.columns if c != "id"]
    return fp.withColumn("_rn", rn).select(
        *cols[:2],
        F.when(F.col("_rn") > 1, F.concat("id", F.lit("#"), F.col("_rn")))
        .otherwise(F.col("id"))
        .alias("id"),
        *cols[2:],
    )


class _SampledRows:
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


# -- executor functions ---------------------------------------------------------------------


def _fp_schema(labels: list[str]) -> str:
    sigs = ", ".join(f"sig{k} binary" for k in range(len(labels)))
    return (
        f"order long, id string, title string, url string, links array<string>, "
        f"{sigs}, samples binary, spun_score double"
    )


def _fp_batch(
    order: np.ndarray,
    ids: list[Any],
    texts: list[str],
    titles: list[Any],
    urls: list[Any],
    links: list[Any],
    config: ScanConfig,
    labels: list[str],
    words: Any,
    inspect: bool,
) -> pa.RecordBatch:
    fps = fingerprint(texts, config, workers=1, function_words=words)
    spun = inspect_scores(texts, threads=1) if inspect else None
    s = fps.samples
    arrays = [
        pa.array(order, pa.int64()),
        pa.array(ids, pa.string()),
        pa.array(titles, pa.string()),
        pa.array(urls, pa.string()),
        pa.array(links, pa.list_(pa.string())),
    ]
    arrays += [A.binary_rows(fps.signatures[label]) for label in labels]
    arrays.append(A.binary_ragged(s.hashes.astype(np.uint64), s.offsets))
    arrays.append(pa.array(spun, pa.float64()) if spun is not None else pa.nulls(len(texts)))
    names = [
        "order",
        "id",
        "title",
        "url",
        "links",
        *[f"sig{k}" for k in range(len(labels))],
        "samples",
        "spun_score",
    ]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _fingerprint_docs(
    config: ScanConfig, labels: list[str], batch_size: int, words: Any, inspect: bool
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for big in batches:
            for b in pa.Table.from_batches([big]).to_batches(max_chunksize=batch_size):
                d = b.to_pydict()
                texts = [t if t is not None else "" for t in d["text"]]
                links = [list(x) if x is not None else [] for x in d["links"]]
                yield _fp_batch(
                    np.asarray(d["order"], np.int64),
                    d["id"],
                    texts,
                    d["title"],
                    d["url"],
                    links,
                    config,
                    labels,
                    words,
                    inspect,
                )

    return run


def _read_and_fingerprint(
    config: ScanConfig,
    labels: list[str],
    batch_size: int,
    max_bytes: int,
    skips: Any,
    words: Any,
    inspect: bool,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            d = b.to_pydict()
            for file_no, path, name in zip(d["file_no"], d["path"], d["name"], strict=True):
                log = SkipLog()
                rows: list[Any] = []
                for rec, doc in enumerate(read_file(path, name, log, max_bytes=max_bytes)):
                    log.documents += 1
                    rows.append(((file_no << ORDER_SHIFT) | rec, doc))
                    if len(rows) == batch_size:
                        yield _docs_batch(rows, config, labels, words, inspect)
                        rows = []
                if rows:
                    yield _docs_batch(rows, config, labels, words, inspect)
                skips.add(SkipCounts.of(log))

    return run


def _docs_batch(
    rows: list[Any], config: ScanConfig, labels: list[str], words: Any, inspect: bool
) -> pa.RecordBatch:
    return _fp_batch(
        np.asarray([o for o, _ in rows], np.int64),
        [d.id for _, d in rows],
        [d.text for _, d in rows],
        [d.title for _, d in rows],
        [d.url for _, d in rows],
        [[link.href for link in d.links] for _, d in rows],
        config,
        labels,
        words,
        inspect,
    )


def _reread(max_bytes: int) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            d = b.to_pydict()
            for file_no, path, name, orders in zip(
                d["file_no"], d["path"], d["name"], d["orders"], strict=True
            ):
                wanted = {o & ((1 << ORDER_SHIFT) - 1) for o in orders}
                got_o, got_t = [], []
                for rec, doc in enumerate(
                    read_file(path, name, SkipLog(max_records=0), max_bytes=max_bytes)
                ):
                    if rec in wanted:
                        got_o.append((file_no << ORDER_SHIFT) | rec)
                        got_t.append(doc.text)
                yield pa.RecordBatch.from_arrays(
                    [pa.array(got_o, pa.int64()), pa.array(got_t, pa.string())],
                    names=["order", "text"],
                )

    return run


def _relabel(packed: np.ndarray, bits: int, idx: np.ndarray) -> np.ndarray:
    """Put the global document numbers ``idx`` into the low ``bits`` of packed values."""
    shift = np.uint64(bits)
    return ((packed >> shift) << shift) | idx.astype(np.uint64)


def _route(
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


def _bucket_pairs(
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
                np.full(lsh_keys.size, _KIND_LSH),
                np.full(uniq.size, _KIND_SAMPLE),
                [_STAT_SKIPPED, _STAT_OVERSIZED],
            ]
        ).astype(np.int32)
        count = np.concatenate([np.ones(lsh_keys.size), shared, [skipped, oversized]]).astype(
            np.int64
        )
        yield pa.RecordBatch.from_arrays(
            [pa.array(key), pa.array(kind), pa.array(count)], names=["key", "kind", "count"]
        )

    return run


def _verify(
    config: ScanConfig, width_s: int, width_c: int
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            m = b.num_rows
            left = {
                SKELETON: A.matrix_values(A.column(b, "si"), np.uint32, width_s),
                CONTENT: A.matrix_values(A.column(b, "ci"), np.uint32, width_c),
            }
            right = {
                SKELETON: A.matrix_values(A.column(b, "sj"), np.uint32, width_s),
                CONTENT: A.matrix_values(A.column(b, "cj"), np.uint32, width_c),
            }
            rows = np.arange(m, dtype=np.int64)
            shared = A.column(b, "shared").to_numpy().astype(np.int64)
            p = np.stack([rows, rows], axis=1)
            v = verify_pairs(left, right, p, shared, config.rules)
            kept = v.pairs[:, 0]
            rest = np.setdiff1d(rows, kept)  # rejected: the passage stage may take them
            cont = _estimate_between(left[CONTENT], right[CONTENT], p[rest])
            i_all = A.column(b, "i").to_numpy()
            j_all = A.column(b, "j").to_numpy()
            k = kept.size
            yield pa.RecordBatch.from_arrays(
                [
                    pa.array(np.r_[i_all[kept], i_all[rest]], pa.int64()),
                    pa.array(np.r_[j_all[kept], j_all[rest]], pa.int64()),
                    pa.array(np.r_[v.skeleton, np.full(rest.size, np.nan)], pa.float64()),
                    pa.array(np.r_[v.content, cont], pa.float64()),
                    pa.array(np.r_[v.shared, shared[rest]], pa.int64()),
                    pa.array(v.verdicts.tolist() + [""] * rest.size, pa.string()),
                    pa.array(np.r_[v.confidence, np.full(rest.size, np.nan)], pa.float64()),
                    pa.array([None] * (k + rest.size), pa.float64()),
                    pa.array(np.zeros(k + rest.size, np.int32), pa.int32()),
                ],
                names=[
                    "i",
                    "j",
                    "skeleton",
                    "content",
                    "shared",
                    "verdict",
                    "confidence",
                    "passage",
                    "step",
                ],
            )

    return run


def _describe(explain: int) -> Callable[[Any, Any], Any]:
    """Describe one family with describe_families over its members, renumbered in order."""

    def run(members: Any, pairs: Any) -> Any:
        import pandas as pd

        if members.empty:
            return pd.DataFrame(
                {"rank": pd.Series([], dtype="int64"), "record": pd.Series([], dtype="object")}
            )
        members = members.sort_values("idx")
        idx = members["idx"].to_numpy(np.int64)
        rank = int(members["rank"].iloc[0])
        meta = DocumentTable(
            ids=members["id"].tolist(),
            titles=[_none(t) for t in members["title"]],
            urls=[_none(u) for u in members["url"]],
            links=[tuple(x) if x is not None else () for x in members["links"]],
        )
        p = (
            np.stack(
                [
                    np.searchsorted(idx, pairs["i"].to_numpy(np.int64)),
                    np.searchsorted(idx, pairs["j"].to_numpy(np.int64)),
                ],
                axis=1,
            )
            if len(pairs)
            else np.empty((0, 2), np.int64)
        )
        verified = PairVerdicts(
            p.astype(np.int64),
            pairs["skeleton"].to_numpy(np.float64),
            pairs["content"].to_numpy(np.float64),
            pairs["shared"].to_numpy(np.int64),
            np.asarray(pairs["verdict"].tolist(), dtype=object),
            pairs["confidence"].to_numpy(np.float64),
        )
        records = describe_families(
            np.zeros(idx.size, np.int64),
            verified,
            meta,
            SequenceTexts(members["text"].tolist()),
            1 if rank < explain else 0,
            _silent,
        )
        record = replace(records[0], id=f"c{rank + 1}")
        return pd.DataFrame(
            {"rank": [rank], "record": [json.dumps(record.to_dict(), ensure_ascii=False)]}
        )

    return run


def _none(value: Any) -> Any:
    """None for a missing pandas value (None or NaN), else the value."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def _silent(stage: str, done: int, total: int | None) -> None:
    """Report nothing."""


# -- small helpers ---------------------------------------------------------------------------


def collect_arrow(df: Any) -> pa.Table:
    """Collect a DataFrame to the driver as an Arrow table."""
    to_arrow = getattr(df, "toArrow", None)
    if to_arrow is not None:  # pyspark >= 4.0
        table: pa.Table = to_arrow()
        return table
    batches = df._collect_as_arrow()  # pyspark 3.5
    if not batches:
        return pa.Table.from_pylist(
            [], schema=pa.schema([(f.name, pa.int64()) for f in df.schema.fields])
        )
    return pa.Table.from_batches(batches)


def create_frame(spark: Any, columns: dict[str, np.ndarray], schema: str) -> Any:
    """Return a DataFrame built from driver-side numpy columns."""
    import pandas as pd

    return spark.createDataFrame(pd.DataFrame(columns), schema)


def summary_counts(verdicts: Sequence[str]) -> dict[str, int]:
    """Pair counts by verdict (the summary's ``pairs`` field)."""
    return dict(Counter(verdicts))
