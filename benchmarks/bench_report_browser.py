"""How long the scan report takes to open in a real browser (issue 13: <= 3 s per page).

Run ``python benchmarks/bench_report_browser.py`` (pan13 when ``../shared`` is present, and
a generated crawl of 100,000 documents); ``--sizes 10000`` for a quicker run.

What is measured
----------------
Each report is the HTML page ``spindetect scan ... -o report.html`` writes, rendered here
with this checkout's :func:`spindetect.render.html_report.render_scan_html` from the scan's
JSONL output (the scan itself takes minutes on a shared machine, so its JSONL is cached
under ``--data-dir``; ``--rescan`` redoes it). The pages:

* ``pan13``: the 3,124 PAN 2013 documents (``pan13/susp`` and ``pan13/src``);
* ``pan13-all``: the whole ``pan13/`` folder, its truth XMLs and pair lists included (the
  scan the issue reported: annotation files make one family of ~400 members);
* ``crawl-N``: the project's generator (``spindetect generate --docs N --rates 0.3``, cached
  as in ``bench_scale.py``).

The browser is Debian's headless Chromium driven by Selenium through ``chromedriver``,
window 1280x900. One open = navigate from ``about:blank`` to the file, wait for the load
event (Selenium's ``get``), then force a full style and layout pass
(``document.body.getBoundingClientRect()`` and ``scrollHeight``) and one screenshot (paint).
Reported per page, as medians of ``--runs`` opens (default 5):

* ``open_s``: wall seconds of that sequence minus the same sequence on an empty page
  (the baseline, also a median), i.e. what the report's size and markup cost;
* ``load_event_s``: ``loadEventEnd`` of the Navigation Timing entry (parse and layout up to
  the load event, as the browser itself measures it);
* ``bytes``, ``dom_nodes`` and the families shown.

A generated crawl's report gets its documents' URLs (``render_scan_html(urls=...)``, read
from ``docs.jsonl``), which a ``scan -o report.html`` page does not show yet.
``--screenshots docs/images`` also writes the screenshots of the documentation.

Results go to ``benchmarks/results/report_browser.json`` (``--out``); the pages are kept in
``--data-dir`` for a look.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _peers as P
from bench_scale import crawl_dir

ROOT = Path(__file__).resolve().parents[1]
PAN13 = ROOT.parent / "shared" / "corpora" / "pan13"
BUDGET_S = 3.0


def scan_jsonl(name: str, sources: list[Path], data_dir: Path, *, rescan: bool) -> Path:
    """Return the JSONL output of ``spindetect scan SOURCES`` (cached under ``data_dir``)."""
    out = data_dir / f"{name}.scan.jsonl"
    if out.exists() and not rescan:
        return out
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "spindetect", "scan", *map(str, sources), "-o", str(out)]
    proc = subprocess.run([*cmd, "--quiet"], env=_env(), check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan failed with exit code {proc.returncode}: {' '.join(cmd)}")
    print(f"scanned {name} in {time.perf_counter() - t0:.0f} s -> {out}", flush=True)
    return out


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def load_result(path: Path) -> Any:
    """Rebuild the :class:`ScanResult` a scan wrote as JSONL (pairs, clusters, documents)."""
    from spindetect.crawl.records import ClusterRecord, DocumentRecord, PairRecord, ScanResult

    pairs, clusters, documents, summary = [], [], [], {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            kind = r.pop("type")
            if kind == "pair":
                pairs.append(PairRecord(**r))
            elif kind == "cluster":
                r.pop("size")
                r.pop("distinct_titles")
                clusters.append(ClusterRecord(**{**r, "members": tuple(r["members"])}))
            elif kind == "document":
                documents.append(DocumentRecord(**r))
            else:
                summary = r
    return ScanResult(pairs, clusters, summary, documents)


def urls_of(docs: Path, wanted: set[str]) -> dict[str, str | None]:
    """Return the ``url`` of each wanted id of a JSONL crawl (one streaming pass)."""
    import orjson

    out: dict[str, str | None] = {}
    with docs.open("rb") as f:
        for line in f:
            r = orjson.loads(line)
            if str(r.get("id")) in wanted:
                out[str(r["id"])] = r.get("url")
    return out


def screenshots(browser: Any, page: Path, folder: Path) -> list[Path]:
    """PNG screenshots for docs/: the families list, the first family, the compare page."""
    from spindetect.pairwise.comparison import compare
    from spindetect.render.html_report import render_compare_html

    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))[:2]
    compare_page = page.with_name("compare-seeds.html")
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    compare_page.write_text(
        render_compare_html(compare(*texts), names=(seeds[0].name, seeds[1].name)),
        encoding="utf-8",
    )
    shots = [
        ("report-families.png", page.as_uri() + "#families"),
        ("report-family.png", page.as_uri() + "#family-c1"),
        ("report-compare.png", compare_page.as_uri() + "#passages"),
    ]
    written = []
    for name, url in shots:
        browser.get("about:blank")
        browser.get(url)
        browser.execute_script("window.scrollBy(0, -70);")  # the family's heading too
        target = folder / name
        target.write_bytes(browser.get_screenshot_as_png())
        _shrink(target)
        written.append(target)
    return written


def _shrink(path: Path) -> None:
    """Rewrite a screenshot as a 128-colour PNG (a few hundred KB at most)."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def driver(width: int = 1280, height: int = 900) -> Any:
    """Return a headless Chromium driven by Selenium (Debian's chromium + chromedriver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument(f"--window-size={width},{height}")
    options.binary_location = shutil.which("chromium") or "chromium"
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def open_once(browser: Any, url: str) -> tuple[float, float]:
    """Open ``url`` once; return (wall seconds to load + layout + paint, loadEventEnd s)."""
    browser.get("about:blank")
    t0 = time.perf_counter()
    browser.get(url)
    browser.execute_script(
        "document.body.getBoundingClientRect(); return document.documentElement.scrollHeight;"
    )
    browser.get_screenshot_as_png()
    wall = time.perf_counter() - t0
    load = browser.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return n ? n.loadEventEnd / 1000 : null;"
    )
    return wall, float(load or 0.0)


def measure(browser: Any, page: Path, baseline: float, runs: int) -> dict[str, Any]:
    """Median open time of ``page`` over ``runs`` opens, less the empty-page ``baseline``."""
    walls, loads = [], []
    for _ in range(runs):
        wall, load = open_once(browser, page.as_uri())
        walls.append(wall)
        loads.append(load)
    nodes = browser.execute_script("return document.getElementsByTagName('*').length;")
    return {
        "open_s": round(max(statistics.median(walls) - baseline, 0.0), 3),
        "open_s_runs": [round(w - baseline, 3) for w in walls],
        "load_event_s": round(statistics.median(loads), 3),
        "bytes": page.stat().st_size,
        "dom_nodes": int(nodes),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000", help="generated crawl sizes (comma-separated)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/spindetect-bench"))
    ap.add_argument("--rescan", action="store_true", help="scan again even when cached")
    ap.add_argument("--no-pan13", action="store_true")
    ap.add_argument(
        "--screenshots",
        type=Path,
        help="write PNG screenshots of the last crawl's report and of a compare page here "
        "(docs/images)",
    )
    ap.add_argument(
        "--also",
        type=Path,
        nargs="*",
        default=[],
        help="HTML files to open in the same session (e.g. a page rendered by older code)",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/report_browser.json")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from spindetect.render.html_report import render_scan_html

    args.data_dir.mkdir(parents=True, exist_ok=True)
    sets: list[tuple[str, list[Path]]] = []
    if PAN13.is_dir() and not args.no_pan13:
        sets.append(("pan13", [PAN13 / "susp", PAN13 / "src"]))
        sets.append(("pan13-all", [PAN13]))
    for n in (int(x) for x in args.sizes.split(",") if x):
        sets.append((f"crawl-{n}", [crawl_dir(args.data_dir, n) / "docs.jsonl"]))
    shot_page = None

    browser = driver()
    try:
        empty = args.data_dir / "empty.html"
        empty.write_text("<!DOCTYPE html><title>empty</title><body></body>", encoding="utf-8")
        for _ in range(2):  # warm the browser up
            open_once(browser, empty.as_uri())
        baseline = statistics.median(open_once(browser, empty.as_uri())[0] for _ in range(5))
        rows = []
        for name, sources in sets:
            result = load_result(scan_jsonl(name, sources, args.data_dir, rescan=args.rescan))
            urls = None
            if sources[0].suffix == ".jsonl":  # the crawl's URLs (the CLI report lacks them)
                wanted = {m for c in result.clusters[:1000] for m in c.members}
                urls = urls_of(sources[0], wanted)
            t0 = time.perf_counter()
            html = render_scan_html(result, urls=urls)
            render_s = time.perf_counter() - t0
            page = args.data_dir / f"{name}.html"
            page.write_text(html, encoding="utf-8")
            row = {
                "page": name,
                "documents": result.summary.get("documents"),
                "families": len(result.clusters),
                "largest_family": max((c.size for c in result.clusters), default=0),
                "pairs": len(result.pairs),
                "render_s": round(render_s, 3),
                **measure(browser, page, baseline, args.runs),
            }
            row["within_budget"] = row["open_s"] <= BUDGET_S
            rows.append(row)
            print(json.dumps(row), flush=True)
            shot_page = page if urls is not None else shot_page
        for page in args.also:
            row = {"page": str(page), **measure(browser, page.resolve(), baseline, args.runs)}
            rows.append(row)
            print(json.dumps(row), flush=True)
        if args.screenshots and shot_page is not None:
            for shot in screenshots(browser, shot_page, args.screenshots):
                print(f"screenshot {shot} ({shot.stat().st_size:,} bytes)")
    finally:
        browser.quit()
    version = subprocess.run(
        ["chromium", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    doc = {
        "machine": P.machine_info(),
        "browser": version,
        "baseline_s": round(baseline, 3),
        "runs": args.runs,
        "budget_s": BUDGET_S,
        "pages": rows,
    }
    args.out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
