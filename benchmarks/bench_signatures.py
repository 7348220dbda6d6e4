"""Text -> MinHash signatures: spindetect's fused kernel against datasketch and rensa.

Run ``python benchmarks/bench_signatures.py`` (``--quick`` for a smoke run).

What is timed, per engine, from a list of Python ``str`` documents to a
(n_docs, 128) signature matrix, for word 5-grams and content-word unigrams:

* ``spindetect_w1`` / ``spindetect_w2``: ``minhash.signatures(texts, kind=...)``
  with 1 and 2 worker threads (the whole text -> signature path, one call);
* ``ds_bulk``: datasketch ``MinHash.bulk`` on Python shingle lists (bytes), as in
  perf.md; ``prep`` is a regex tokenizer + ``" ".join`` of each 5-gram (content:
  the non-stopword words), ``sig`` is ``MinHash.bulk``;
* ``rensa``: rensa ``RMinHash.digest_matrix_from_token_sets`` (its fastest token
  path) on the same shingle strings; ``rensa_obj``: ``RMinHash.from_token_sets``.

Protocol: every (engine, kind, round) runs in a fresh process; engines are
interleaved and their order rotates every round; figures are medians over
rounds, and ratios are paired (peer seconds / spindetect seconds within a
round, then the median). Peak memory is the stage's high-water RSS above the
RSS before it (Linux ``clear_refs``). Wall-clock docs/s is the headline;
docs per CPU-second (all threads) is also kept, since other jobs on a shared
machine steal wall-clock time. spindetect's numba kernels are compiled
before timing (``cache=True``); the cold compile and the warm cache load are
timed separately in fresh processes with an empty and a filled cache dir.
A separate, larger set times spindetect alone at 100,000 docs, both on the
pure-ASCII docs (branch-free tokenizer) and with one U+2019 inserted per doc
(the general UTF-8 tokenizer), columns ``big docs/s`` and ``non-ASCII``.

Results go to ``benchmarks/results/signatures.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _peers import Stage, cpu_model, package_version

HERE = Path(__file__).resolve().parent
ENGINES = ("spindetect_w1", "spindetect_w2", "ds_bulk", "rensa", "rensa_obj")
KINDS = ("word", "content")
WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*")


# -- one engine run (in a fresh process) ------------------------------------------------


def _py_shingles(texts: list[str], kind: str, as_bytes: bool) -> list[list]:
    from spindetect.text.stopwords import STOPWORDS  # imported before timing, see run_engine

    out: list[list] = []
    for text in texts:
        words = WORD_RE.findall(text.lower())
        if kind == "word":
            grams = [" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))]
        else:
            grams = [w for w in words if w not in STOPWORDS]
        out.append([g.encode() for g in grams] if as_bytes else grams)
    return out


def run_engine(engine: str, kind: str, path: str, n_docs: int) -> dict:
    """Time one engine on the first ``n_docs`` texts (called in a fresh process)."""
    # Read only the docs needed, line by line: freeing a large read would leave
    # resident free heap that later stages reuse, hiding their memory growth.
    with open(path, encoding="utf-8") as fh:
        texts = [line.rstrip("\n") for line in itertools.islice(fh, n_docs)]
    result: dict = {"engine": engine, "kind": kind, "docs": len(texts)}
    import spindetect.text.stopwords as stopwords  # noqa: F401  (package import outside every timed stage)

    if engine.endswith("_u"):  # one non-ASCII character per doc: the general tokenizer
        texts = [t.replace(" ", " \u2019", 1) for t in texts]
        engine = engine[:-2]
    if engine.startswith("spindetect"):
        from spindetect.sketch.minhash import signatures

        workers = int(engine[-1])
        signatures(texts[:50], kind=kind, threads=workers)  # warm-up: compile / load cache
        with Stage() as st:
            sig = signatures(texts, kind=kind, threads=workers)
        result.update(
            prep_s=0.0,
            sig_s=st.seconds,
            total_s=st.seconds,
            peak_mib=st.growth_mib,
            cpu_s=st.cpu_seconds,
        )
    elif engine == "ds_bulk":
        from datasketch import MinHash

        with Stage() as prep:
            sets = _py_shingles(texts, kind, as_bytes=True)
        with Stage() as st:
            hashes = MinHash.bulk(sets, num_perm=128, seed=1)
        sig = [h.hashvalues for h in hashes]
        result.update(
            prep_s=prep.seconds,
            sig_s=st.seconds,
            total_s=prep.seconds + st.seconds,
            peak_mib=max(prep.growth_mib, st.growth_mib),
            cpu_s=prep.cpu_seconds + st.cpu_seconds,
        )
    elif engine in ("rensa", "rensa_obj"):
        from rensa import RMinHash

        with Stage() as prep:
            sets = _py_shingles(texts, kind, as_bytes=False)
        with Stage() as st:
            if engine == "rensa":
                sig = RMinHash.digest_matrix_from_token_sets(sets, 128, 1)
            else:
                sig = RMinHash.from_token_sets(sets, 128, 1)
        result.update(
            prep_s=prep.seconds,
            sig_s=st.seconds,
            total_s=prep.seconds + st.seconds,
            peak_mib=max(prep.growth_mib, st.growth_mib),
            cpu_s=prep.cpu_seconds + st.cpu_seconds,
        )
    else:
        raise SystemExit(f"unknown engine {engine}")
    del sig
    result["docs_per_s"] = result["docs"] / result["total_s"]
    result["docs_per_cpu_s"] = result["docs"] / result["cpu_s"] if result["cpu_s"] else 0.0
    return result


def compile_probe() -> dict:
    """First-call time of signatures() in this process (compile or cache load + tables)."""
    t0 = time.perf_counter()
    import spindetect.sketch.minhash as mh

    t1 = time.perf_counter()
    mh.signatures(["warm up the kernel"], kind="word")
    t2 = time.perf_counter()
    mh.signatures(["warm up the kernel"], kind="word")
    t3 = time.perf_counter()
    return {"import_s": t1 - t0, "first_call_s": t2 - t1, "second_call_s": t3 - t2}


# -- driver ---------------------------------------------------------------------------


def _sub(args: list[str], env: dict | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def main(argv: list[str] | None = None) -> int:
    """Run every engine and round; print the table and write the JSON result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="docs in the side-by-side set")
    ap.add_argument("--big-docs", type=int, default=100_000, help="docs for spindetect alone")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "results" / "signatures.json"))
    ap.add_argument("--quick", action="store_true", help="1,000 / 5,000 docs, 3 rounds")
    ap.add_argument(
        "--worker", nargs=4, metavar=("ENGINE", "KIND", "FILE", "N"), help=argparse.SUPPRESS
    )
    ap.add_argument("--compile-probe", action="store_true", help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.worker:
        engine, kind, path, n = ns.worker
        print(json.dumps(run_engine(engine, kind, path, int(n))))
        return 0
    if ns.compile_probe:
        print(json.dumps(compile_probe()))
        return 0
    if ns.quick:
        ns.docs, ns.big_docs = 1_000, 5_000

    sys.path.insert(0, str(HERE))
    from _textgen import make_docs

    t0 = time.perf_counter()
    docs = make_docs(max(ns.docs, ns.big_docs), seed=0)
    words = sum(len(WORD_RE.findall(d)) for d in docs[:1000]) / min(1000, len(docs))
    print(
        f"generated {len(docs)} docs in {time.perf_counter() - t0:.1f} s; "
        f"{words:.0f} words and {sum(map(len, docs[:1000])) / 1000:.0f} bytes per doc"
    )
    tmp = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
    tmp.write("\n".join(docs))
    tmp.close()
    del docs
    load_before = os.getloadavg()

    # Compile time: an empty cache dir (cold), then the same dir again (warm).
    with tempfile.TemporaryDirectory() as cache:
        cold = _sub(["--compile-probe"], env={"NUMBA_CACHE_DIR": cache})
        warm = _sub(["--compile-probe"], env={"NUMBA_CACHE_DIR": cache})
    print(
        f"first call: cold compile {cold['first_call_s']:.2f} s, "
        f"warm cache {warm['first_call_s']:.2f} s, then {warm['second_call_s'] * 1e3:.1f} ms"
    )

    runs: list[dict] = []
    for rnd in range(ns.rounds):
        order = [(e, k) for k in KINDS for e in ENGINES]
        shift = rnd * 3 % len(order)
        for engine, kind in order[shift:] + order[:shift]:
            r = _sub(["--worker", engine, kind, tmp.name, str(ns.docs)])
            r["round"] = rnd
            runs.append(r)
            print(
                f"round {rnd} {kind:8s} {engine:14s} {r['docs_per_s']:10.0f} docs/s "
                f"(prep {r['prep_s']:.2f} s, sig {r['sig_s']:.3f} s, "
                f"peak {r['peak_mib']:.0f} MiB)"
            )
    big: list[dict] = []
    for rnd in range(ns.rounds):
        for kind in KINDS:
            pair = ("spindetect_w1", "spindetect_w2", "spindetect_w1_u", "spindetect_w2_u")
            for engine in pair[::-1] if rnd % 2 else pair:
                r = _sub(["--worker", engine, kind, tmp.name, str(ns.big_docs)])
                r["round"] = rnd
                r["engine"] = engine
                big.append(r)
                print(
                    f"big round {rnd} {kind:8s} {engine:14s} {r['docs_per_s']:10.0f} docs/s "
                    f"(peak {r['peak_mib']:.0f} MiB)"
                )
    os.unlink(tmp.name)

    summary: dict = {}
    for kind in KINDS:
        rows: dict = {}
        for engine in ENGINES:
            mine = [r for r in runs if r["engine"] == engine and r["kind"] == kind]
            rows[engine] = {
                "docs_per_s": _median([r["docs_per_s"] for r in mine]),
                "docs_per_cpu_s": _median([r["docs_per_cpu_s"] for r in mine]),
                "prep_s": _median([r["prep_s"] for r in mine]),
                "sig_s": _median([r["sig_s"] for r in mine]),
                "total_s": _median([r["total_s"] for r in mine]),
                "peak_mib": _median([r["peak_mib"] for r in mine]),
            }
        for ours in ("spindetect_w1", "spindetect_w2"):
            for peer in ("ds_bulk", "rensa", "rensa_obj"):
                paired = []
                for rnd in range(ns.rounds):
                    p = [r for r in runs if r["round"] == rnd and r["kind"] == kind]
                    t_peer = next(r["total_s"] for r in p if r["engine"] == peer)
                    t_ours = next(r["total_s"] for r in p if r["engine"] == ours)
                    paired.append(t_peer / t_ours)
                rows[ours][f"x_{peer}"] = _median(paired)
        for engine in ("spindetect_w1", "spindetect_w2"):
            mine = [r for r in big if r["engine"] == engine and r["kind"] == kind]
            rows[engine]["big_docs_per_s"] = _median([r["docs_per_s"] for r in mine])
            rows[engine]["big_docs_per_cpu_s"] = _median([r["docs_per_cpu_s"] for r in mine])
            rows[engine]["big_peak_mib"] = _median([r["peak_mib"] for r in mine])
            mine = [r for r in big if r["engine"] == engine + "_u" and r["kind"] == kind]
            rows[engine]["big_nonascii_docs_per_s"] = _median([r["docs_per_s"] for r in mine])
        summary[kind] = rows

    import numba
    import numpy as np

    result = {
        "benchmark": "text -> 128-permutation MinHash signatures",
        "command": "python benchmarks/bench_signatures.py" + (" --quick" if ns.quick else ""),
        "docs": ns.docs,
        "big_docs": ns.big_docs,
        "rounds": ns.rounds,
        "doc_words": round(words),
        "machine": {
            "cpu": cpu_model(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "numba": numba.__version__,
            "datasketch": package_version("datasketch"),
            "rensa": package_version("rensa"),
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        },
        "compile": {"cold": cold, "warm": warm},
        "summary": summary,
        "runs": runs,
        "big_runs": big,
    }
    Path(ns.out).parent.mkdir(parents=True, exist_ok=True)
    Path(ns.out).write_text(json.dumps(result, indent=1) + "\n")
    print(_table(summary, ns))
    print(f"wrote {ns.out}")
    return 0


def _table(summary: dict, ns: argparse.Namespace) -> str:
    lines = [
        f"\nmedians over {ns.rounds} rounds, {ns.docs} docs (spindetect alone: {ns.big_docs} docs)"
    ]
    lines.append(
        f"{'kind':8s} {'engine':14s} {'docs/s':>9s} {'peak MiB':>8s} "
        f"{'docs/cpu-s':>10s} {'x ds_bulk':>9s} {'x rensa':>8s} {'x rensa_obj':>11s} "
        f"{'big docs/s':>10s} {'non-ASCII':>9s}"
    )
    for kind, rows in summary.items():
        for engine, row in rows.items():
            extra = ""
            if engine.startswith("spindetect"):
                extra = (
                    f" {row['x_ds_bulk']:9.1f} {row['x_rensa']:8.1f} "
                    f"{row['x_rensa_obj']:11.1f} {row['big_docs_per_s']:10.0f} "
                    f"{row['big_nonascii_docs_per_s']:9.0f}"
                )
            lines.append(
                f"{kind:8s} {engine:14s} {row['docs_per_s']:9.0f} "
                f"{row['peak_mib']:8.1f} {row['docs_per_cpu_s']:10.0f}{extra}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
