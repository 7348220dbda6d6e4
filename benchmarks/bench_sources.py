#!/usr/bin/env python3
"""Benchmark of spindetect.sources and spindetect.html: crawl reading speed.

Run from the repository root::

    python benchmarks/bench_sources.py [--pages 5000] [--runs 3] [--files 8] [--dir-pages 1000]

Writes ``--pages`` generated blog pages (about 4 KiB of HTML each: header nav,
an article with in-text keyword links, a comment, a sidebar, a footer) as gzip
HTTP response records in a temporary ``.warc.gz`` (with warcio, the test
dependency), then measures, as medians of ``--runs`` runs:

* records/s of ``iter_documents`` over the archive (fastwarc + ``html.extract``),
  and with ``html_extract=False``;
* peers in the same process: fastwarc alone reading every payload (the I/O
  floor), and fastwarc + resiliparse ``extract_plain_text(main_content=True)``
  without our title/anchor walk (the extraction floor);
* ms/page of ``html.extract`` on the small pages and on ~40 KiB pages, against
  ``HTMLTree.parse`` + ``extract_plain_text`` alone;
* reading on all cores: records/s of ``iter_documents`` over a directory of
  ``--files`` generated ``.warc.gz`` files (``--dir-pages`` pages each) with
  ``workers=1`` and ``workers=2`` (reader processes), and the same for the whole
  ``scan(..., explain=0)`` (fingerprint threads: all cores). The first pooled run
  also starts the forkserver; its time is reported as ``cold_seconds``.

Prints a table and writes ``benchmarks/results/sources.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "sources.json"
sys.path.insert(0, str(ROOT / "benchmarks"))

from _textgen import make_docs  # noqa: E402

from spindetect.sources.html import extract  # noqa: E402
from spindetect.sources.iterate import iter_documents  # noqa: E402
from spindetect.sources.skips import SkipLog  # noqa: E402

TEMPLATE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} | Example Blog</title>
<meta property="og:title" content="{title}">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{}}</script>
<style>body {{ font-family: sans-serif; }} .sidebar {{ float: right; }}</style></head>
<body class="single has-sidebar">
<header class="site-header"><nav class="main-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/blog/">Blog</a></li><li><a href="/about/">About</a></li>
<li><a href="/contact/">Contact</a></li></ul></nav></header>
<main><article class="post"><h1>{title}</h1>
<p class="byline">By Jane Doe on 2 March 2024</p>
{paragraphs}
</article>
<div id="comments" class="comments-area"><ol class="comment-list"><li class="comment">
<footer class="comment-meta"><a href="https://spam{i}.example/">Cheap Deals</a></footer>
<div class="comment-content"><p>Great post, thanks! See <a href="https://spam{i}.example/x">deals</a>.</p>
</div></li></ol></div></main>
<aside class="sidebar"><section class="widget"><h2>Sponsors</h2>
<a href="https://sponsor.example/{i}">Sponsor one</a> <a href="https://ads.example/{i}">Ad two</a>
</section><section class="widget"><h2>Recent posts</h2><ul>
<li><a href="/p/{a}">Older post {a}</a></li>
<li><a href="/p/{b}">Older post {b}</a></li></ul></section>
</aside>
<footer class="site-footer">
<p>&copy; 2024 Example Blog. <a href="/privacy/">Privacy</a></p></footer>
</body></html>
"""


def make_pages(n: int, *, words: int = 450, seed: int = 0) -> list[bytes]:
    """Return ``n`` blog pages (UTF-8) with ``words`` words of article text each."""
    rng = random.Random(seed)
    texts = make_docs(n, words=words, seed=seed)
    pages = []
    for i, text in enumerate(texts):
        sentences = text.split(". ")
        paras = []
        for start in range(0, len(sentences), 5):
            para = ". ".join(sentences[start : start + 5])
            cut = para.find(" ", len(para) // 2)
            if cut > 0:  # one keyword link inside the paragraph
                link = f'<a href="https://kw{rng.randrange(50)}.example/buy">best offer</a>'
                para = f"{para[:cut]} {link}{para[cut:]}"
            paras.append(f"<p>{para}.</p>")
        title = " ".join(sentences[0].split()[:6]).title()
        html = TEMPLATE.format(
            title=title, paragraphs="\n".join(paras), i=i, a=rng.randrange(n), b=rng.randrange(n)
        )
        pages.append(html.encode())
    return pages


def write_warc(path: Path, pages: list[bytes], *, site: str = "blog.example") -> None:
    """Write ``pages`` as gzip-per-record HTTP responses (warcio) of ``https://<site>/<i>``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, page in enumerate(pages):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                f"https://{site}/{i}", "response", payload=io.BytesIO(page), http_headers=http
            )
            writer.write_record(rec)


def median_time(fn: Callable[[], int], runs: int) -> tuple[float, int]:
    """Median wall time of ``fn()`` over ``runs`` runs, and its (last) result."""
    times = []
    result = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def fastwarc_only(path: Path) -> int:
    """Peer: iterate the responses and read every payload; return the count."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = 0
    for record in ArchiveIterator(str(path), record_types=WarcRecordType.response):
        record.reader.read()
        n += 1
    return n


def fastwarc_plain_text(path: Path) -> int:
    """Peer: parse every payload and extract its main text, nothing else."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    n = 0
    for record in ArchiveIterator(str(path), record_types=WarcRecordType.response):
        tree = HTMLTree.parse_from_bytes(record.reader.read(), record.http_charset or "utf-8")
        extract_plain_text(tree, main_content=True)
        n += 1
    return n


def spindetect_docs(path: Path, *, html_extract: bool = True) -> int:
    """Count the documents ``iter_documents`` yields; fail on any skip."""
    log = SkipLog()
    n = sum(1 for _ in iter_documents([path], errors=log, html_extract=html_extract))
    if log.skipped:
        raise RuntimeError(f"unexpected skips: {log.summary()}")
    return n


def read_dir(path: Path, workers: int) -> int:
    """Count the documents ``iter_documents(processes=...)`` yields; fail on any skip."""
    log = SkipLog()
    n = sum(1 for _ in iter_documents([path], errors=log, processes=workers))
    if log.skipped:
        raise RuntimeError(f"unexpected skips: {log.summary()}")
    return n


def scan_dir(path: Path, workers: int) -> int:
    """Scan the directory end to end (no explanations); return the documents scanned."""
    from spindetect.crawl.scanning import scan

    log = SkipLog()
    result = scan(iter_documents([path], errors=log, processes=workers), explain=0, skipped=log)
    if log:
        raise RuntimeError(f"unexpected skips: {log.summary()}")
    return int(result.summary["documents"])


def parallel_rows(root: Path, files: int, dir_pages: int, runs: int) -> dict[str, object]:
    """Write ``files`` archives under ``root``; time reading and scanning with 1 and 2 workers."""
    for k in range(files):
        pages = make_pages(dir_pages, seed=100 + k)
        write_warc(root / f"part-{k:02d}.warc.gz", pages, site=f"site{k}.example")
    expected = files * dir_pages
    rows: dict[str, object] = {"files": files, "pages_per_file": dir_pages}
    for label, fn in (("iter_documents", read_dir), ("scan", scan_dir)):
        timings = {}
        for workers in (1, 2):
            t0 = time.perf_counter()
            n = fn(root, workers)  # the first run: cold (for workers=2, starts the forkserver)
            cold = time.perf_counter() - t0
            t, n = median_time(lambda fn=fn, workers=workers: fn(root, workers), runs)
            if n != expected:
                raise RuntimeError(f"{label} workers={workers}: {n} records, expected {expected}")
            timings[workers] = t
            rows[f"{label}, workers={workers}"] = {
                "seconds": round(t, 4),
                "records_per_s": round(n / t),
                "cold_seconds": round(cold, 4),
            }
        rows[f"{label} speed-up, 2 workers vs 1"] = round(timings[1] / timings[2], 2)
    return rows


def per_page_ms(fn: Callable[[bytes], object], pages: list[bytes], runs: int) -> float:
    """Median milliseconds per page of ``fn`` over ``pages``."""
    t, _ = median_time(lambda: sum(1 for p in pages if fn(p) is not None), runs)
    return 1000.0 * t / len(pages)


def resiliparse_only(page: bytes) -> str:
    """Peer for ``html.extract``: parse and main text only."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return str(extract_plain_text(HTMLTree.parse_from_bytes(page, "utf-8"), main_content=True))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=8, help="archives in the directory")
    parser.add_argument("--dir-pages", type=int, default=1000, help="pages per archive")
    parser.add_argument("--no-write", action="store_true", help="do not write the JSON result")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]  # other work on the machine skews the 2-worker figures
    pages = make_pages(args.pages)
    big_pages = make_pages(200, words=6000, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "dir").mkdir()
        path = Path(tmp) / "bench.warc.gz"
        write_warc(path, pages)
        size = path.stat().st_size
        rows = {}
        for name, fn in (
            ("fastwarc read only (peer: I/O floor)", lambda: fastwarc_only(path)),
            ("fastwarc + extract_plain_text (peer)", lambda: fastwarc_plain_text(path)),
            (
                "iter_documents, html_extract=False",
                lambda: spindetect_docs(path, html_extract=False),
            ),
            ("iter_documents (extract + anchors)", lambda: spindetect_docs(path)),
        ):
            t, n = median_time(fn, args.runs)
            if n != args.pages:
                raise RuntimeError(f"{name}: {n} records, expected {args.pages}")
            rows[name] = {"seconds": round(t, 4), "records_per_s": round(n / t)}

        parallel = parallel_rows(Path(tmp) / "dir", args.files, args.dir_pages, args.runs)

    ours = rows["iter_documents (extract + anchors)"]["seconds"]
    peer = rows["fastwarc + extract_plain_text (peer)"]["seconds"]
    html_ms = {
        "small_extract_ms": per_page_ms(extract, pages[:1000], args.runs),
        "small_resiliparse_only_ms": per_page_ms(resiliparse_only, pages[:1000], args.runs),
        "large_extract_ms": per_page_ms(extract, big_pages, args.runs),
        "large_resiliparse_only_ms": per_page_ms(resiliparse_only, big_pages, args.runs),
    }
    html_ms = {k: round(v, 3) for k, v in html_ms.items()}
    small_kib = sum(map(len, pages[:1000])) / len(pages[:1000]) / 1024
    large_kib = sum(map(len, big_pages)) / len(big_pages) / 1024

    print(f"{args.pages:,} pages, {small_kib:.1f} KiB each; archive {size / 2**20:.1f} MiB (gzip)")
    print(f"median of {args.runs} runs")
    for name, row in rows.items():
        print(f"  {name:<40} {row['records_per_s']:>8,} records/s  ({row['seconds']:.2f} s)")
    print(f"  iter_documents / extraction-floor peer time ratio: {ours / peer:.2f}x")
    print(
        f"  html.extract: {html_ms['small_extract_ms']:.3f} ms/page at {small_kib:.1f} KiB "
        f"(resiliparse text alone {html_ms['small_resiliparse_only_ms']:.3f}), "
        f"{html_ms['large_extract_ms']:.3f} ms/page at {large_kib:.0f} KiB "
        f"(alone {html_ms['large_resiliparse_only_ms']:.3f})"
    )
    print(
        f"{args.files} archives of {args.dir_pages:,} pages in one directory, "
        f"median of {args.runs} runs ({platform.machine()}, {_cores()} cores)"
    )
    for name, row in parallel.items():
        if isinstance(row, dict):
            print(
                f"  {name:<40} {row['records_per_s']:>8,} records/s  ({row['seconds']:.2f} s,"
                f" first run {row['cold_seconds']:.2f} s)"
            )
        elif "speed-up" in name:
            print(f"  {name:<40} {row:.2f}x")
    if not args.no_write:
        result = {
            "pages": args.pages,
            "runs": args.runs,
            "page_kib": round(small_kib, 2),
            "large_page_kib": round(large_kib, 1),
            "archive_bytes": size,
            "warc": rows,
            "ratio_vs_plain_text_peer": round(ours / peer, 2),
            "html": html_ms,
            "directory": parallel,
            "cores": _cores(),
            "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "python": platform.python_version(),
            "machine": platform.machine(),
        }
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
