#!/usr/bin/env python3
"""Benchmark of spindetect.index: incremental indexing and queries against the index.

Run from the repository root::

    python benchmarks/bench_index.py [--docs 20000] [--query 2000] [--runs 3]

Data: a synthetic crawl of ``--docs + --query / 2`` documents
(:func:`spindetect.synth.write_crawl`, seed 0, cached under ``--cache``); the
first ``--docs`` are indexed. The ``--query`` new documents are the rest of the
crawl plus ``--query / 2`` spun copies (rate 0.3, :func:`spindetect.spin.spin`)
of randomly chosen indexed documents.

Measured, as medians of ``--runs`` runs (each into a fresh index file):

* ``index add``: documents/s of :meth:`SpinIndex.add` over the JSONL file
  (reading included), against the in-memory peer: reading + ``stages.fingerprint``
  of the same documents (ratio = the cost of writing to SQLite);
* the rerun of the same add (every document unchanged), documents/s;
* the file size per document, with the space per table (SQLite ``dbstat``);
* ``scan --against``: new documents/s of :meth:`SpinIndex.query`, against the
  peer without an index: :func:`spindetect.scan.scan` over old + new documents;
* agreement: the share of pairs touching a new document that both find, and the
  share of the planted spun copies found.

Prints a table and writes ``benchmarks/results/index.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "index.json"

from spindetect.crawl.index import SpinIndex  # noqa: E402
from spindetect.crawl.scanning import scan  # noqa: E402
from spindetect.crawl.stages import batched, fingerprint  # noqa: E402
from spindetect.settings import ScanConfig  # noqa: E402
from spindetect.sources.iterate import iter_documents  # noqa: E402
from spindetect.synth.crawls import write_crawl  # noqa: E402
from spindetect.synth.spinner import spin  # noqa: E402


def prepare(cache: Path, n_docs: int, n_query: int) -> tuple[Path, Path, list[tuple[str, str]]]:
    """Write (once) the indexed documents, the new documents and the planted copy pairs."""
    n_spun = n_query // 2
    total = n_docs + n_query - n_spun
    base = cache / f"crawl-{total}"
    old, new, planted = base / "old.jsonl", base / "new.jsonl", base / "planted.json"
    if planted.exists():
        return old, new, [tuple(p) for p in json.loads(planted.read_text())]  # type: ignore[misc]
    print(f"generating a crawl of {total:,} documents in {base} ...", flush=True)
    write_crawl(base, total, seed=0)
    records = [json.loads(line) for line in (base / "docs.jsonl").open(encoding="utf-8")]
    rng = random.Random("bench_index")
    sources = rng.sample(range(n_docs), n_spun)
    pairs = []
    with old.open("w", encoding="utf-8") as f:
        for r in records[:n_docs]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with new.open("w", encoding="utf-8") as f:
        for r in records[n_docs:]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        for k, i in enumerate(sources):
            copy = {"id": f"copy-{k}", "text": spin(records[i]["text"], rate=0.3, seed=k).text}
            pairs.append((records[i]["id"], copy["id"]))
            f.write(json.dumps(copy, ensure_ascii=False) + "\n")
    planted.write_text(json.dumps(pairs))
    return old, new, pairs


def fingerprint_only(path: Path, batch_size: int) -> int:
    """Peer: read and fingerprint every document in memory; return the count."""
    config = ScanConfig()
    n = 0
    for batch in batched(iter_documents([path]), batch_size):
        fingerprint([d.text for d in batch], config)
        n += len(batch)
    return n


def table_sizes(path: Path) -> dict[str, int]:
    """Bytes per table (SQLite ``dbstat``), or {} when the build lacks it."""
    db = sqlite3.connect(path)
    try:
        return {
            name: int(size)
            for name, size in db.execute(
                "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            )
        }
    except sqlite3.Error:
        return {}
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20000, help="documents indexed")
    ap.add_argument("--query", type=int, default=2000, help="new documents queried")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=2048)
    ap.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "spindetect-bench-index"
    )
    ap.add_argument("--no-write", action="store_true", help="do not write the JSON result")
    args = ap.parse_args(argv)

    old, new, planted = prepare(args.cache, args.docs, args.query)
    fingerprint_only(old, args.batch_size)  # warm up the compiled kernels and the page cache

    add_s, rerun_s, peer_s, query_s, scan_s, sizes = [], [], [], [], [], []
    result = None
    per_table: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            path = Path(tmp) / f"run{run}.db"
            t = time.perf_counter()
            n_peer = fingerprint_only(old, args.batch_size)
            peer_s.append(time.perf_counter() - t)
            with SpinIndex.open(path) as index:
                t = time.perf_counter()
                report = index.add(iter_documents([old]), batch_size=args.batch_size)
                add_s.append(time.perf_counter() - t)
                if report.added != n_peer:
                    raise RuntimeError(f"added {report.added}, expected {n_peer}")
                t = time.perf_counter()
                again = index.add(iter_documents([old]), batch_size=args.batch_size)
                rerun_s.append(time.perf_counter() - t)
                if again.unchanged != n_peer:
                    raise RuntimeError(f"rerun: {again}")
                t = time.perf_counter()
                result = index.query(iter_documents([new]), batch_size=args.batch_size)
                query_s.append(time.perf_counter() - t)
            sizes.append(path.stat().st_size)
            per_table = table_sizes(path)
            t = time.perf_counter()
            truth = scan(iter_documents([old, new]), explain=0)
            scan_s.append(time.perf_counter() - t)
            print(
                f"run {run + 1}: add {add_s[-1]:.1f} s (peer {peer_s[-1]:.1f} s), rerun "
                f"{rerun_s[-1]:.2f} s, query {query_s[-1]:.2f} s (scan peer {scan_s[-1]:.1f} s)",
                flush=True,
            )
    assert result is not None
    n_new = result.summary["documents"]
    new_ids = {d.id for d in iter_documents([new])}
    want = {frozenset((p.a, p.b)): p.verdict for p in truth.pairs if {p.a, p.b} & new_ids}
    got = {frozenset((p.a, p.b)): p.verdict for p in result.pairs}
    found = {frozenset(p) for p in planted} & set(got)

    med = statistics.median
    out: dict[str, Any] = {
        "indexed_documents": n_peer,
        "new_documents": n_new,
        "runs": args.runs,
        "batch_size": args.batch_size,
        "add": {"seconds": round(med(add_s), 2), "docs_per_s": round(n_peer / med(add_s))},
        "add_peer_fingerprint_only": {
            "seconds": round(med(peer_s), 2),
            "docs_per_s": round(n_peer / med(peer_s)),
        },
        "add_vs_fingerprint_time_ratio": round(med(add_s) / med(peer_s), 2),
        "rerun_unchanged": {
            "seconds": round(med(rerun_s), 3),
            "docs_per_s": round(n_peer / med(rerun_s)),
        },
        "file_bytes": int(med(sizes)),
        "bytes_per_document": round(med(sizes) / n_peer),
        "bytes_per_document_by_table": {k: round(v / n_peer) for k, v in per_table.items()},
        "query": {"seconds": round(med(query_s), 2), "docs_per_s": round(n_new / med(query_s))},
        "query_peer_full_scan": {"seconds": round(med(scan_s), 2), "documents": n_peer + n_new},
        "full_scan_vs_query_time_ratio": round(med(scan_s) / med(query_s), 1),
        "query_pairs": len(got),
        "scan_pairs_touching_new": len(want),
        "pairs_in_both": len(set(got) & set(want)),
        "same_verdict": sum(got[k] == want[k] for k in set(got) & set(want)),
        "planted_copies": len(planted),
        "planted_copies_found": len(found),
        "summary": {
            k: result.summary[k] for k in ("candidates", "pairs", "clusters", "pairs_indexed")
        },
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.machine(),
    }
    print(
        f"{n_peer:,} documents indexed, {n_new:,} new documents queried; median of {args.runs} runs"
    )
    print(
        f"  index add        {out['add']['docs_per_s']:>8,} docs/s  "
        f"(fingerprint-only peer {out['add_peer_fingerprint_only']['docs_per_s']:,} docs/s, "
        f"x{out['add_vs_fingerprint_time_ratio']} time)"
    )
    print(f"  rerun unchanged  {out['rerun_unchanged']['docs_per_s']:>8,} docs/s")
    print(
        f"  file             {out['file_bytes'] / 2**20:.1f} MiB, "
        f"{out['bytes_per_document']:,} B/document: "
        + ", ".join(f"{k} {v:,}" for k, v in out["bytes_per_document_by_table"].items())
    )
    print(
        f"  query            {out['query']['docs_per_s']:>8,} docs/s  "
        f"(full rescan peer {out['query_peer_full_scan']['seconds']} s, "
        f"x{out['full_scan_vs_query_time_ratio']} the query time)"
    )
    print(
        f"  pairs touching new documents: query {len(got):,}, scan {len(want):,}, both "
        f"{out['pairs_in_both']:,} ({out['same_verdict']:,} same verdict); planted copies "
        f"found {len(found):,} of {len(planted):,}"
    )
    if not args.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
