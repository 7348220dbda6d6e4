"""Run every benchmark in one command and draw the plots.

Usage, from the repository root::

    python benchmarks/run_all.py            # everything at its default size (< 10 min, 2 cores)
    python benchmarks/run_all.py --full     # + the 100k sizes and the others' full defaults
    python benchmarks/run_all.py --only quality,scan
    python benchmarks/run_all.py --plots    # redraw the PNGs from benchmarks/results/*.json

Each benchmark runs in its own process, one after another (never two at once on
this 2-core machine), and writes its JSON result (with machine info and package
versions) to ``benchmarks/results/``. Generated data are cached under
``--data-dir`` (default ``/tmp/spindetect-bench``), keyed by generator version and
parameters. The plots go to ``docs/``:

* ``docs/bench_quality_recall.png``: recall at FPR = 1 % vs spin rate per method,
  and each method's out-of-the-box operating point (TPR);
* ``docs/bench_quality_auc.png``: ROC-AUC vs spin rate per method;
* ``docs/bench_scan_speed.png``: docs/s vs N per engine (log-log).

The other benchmarks (``bench_*.py`` not written for this suite) run with the
arguments in :data:`DEFAULT_ARGS` so that the whole run fits in 10 minutes;
``--full`` runs them with their own defaults.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DOCS = REPO / "docs"
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

import _peers as P  # noqa: E402

#: Order of the run: the suite's own benchmarks first, then the others.
OWN = ("bench_quality", "bench_scan")
#: Arguments for the default (< 10 min) run; ``--full`` uses FULL_ARGS.
DEFAULT_ARGS: dict[str, list[str]] = {
    "bench_quality": [],
    "bench_scan": [],
    "bench_signatures": ["--quick", "--rounds", "2"],
    "bench_lsh": ["--quick"],
    "bench_index": ["--docs", "3000", "--query", "600", "--runs", "2"],
    "bench_sources": ["--pages", "2000"],
    "bench_compare": [],
    "bench_lexicon": ["--runs", "3"],
    "bench_spinner_realism": [],
    "bench_corpus_realism": ["--docs", "3000", "--families", "200", "--speed-docs", "1000"],
}
FULL_ARGS: dict[str, list[str]] = {"bench_scan": ["--full"]}


def discover() -> list[str]:
    """Benchmark scripts in ``benchmarks/``: the suite's own first, then the rest by name."""
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in OWN if n in names] + [n for n in names if n not in OWN]


def run(name: str, args: list[str], data_dir: str) -> dict:
    """Run one benchmark script; return its exit code, seconds and the tail of its output."""
    cmd = [sys.executable, str(HERE / f"{name}.py"), *args]
    if name in OWN:
        cmd += ["--data-dir", data_dir]
    print(f"\n=== {' '.join(cmd[1:])}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=REPO, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False
    )
    secs = time.perf_counter() - t0
    tail = proc.stdout.strip().splitlines()[-25:]
    print("\n".join(tail), flush=True)
    print(f"=== {name}: exit {proc.returncode}, {secs:.0f} s", flush=True)
    return {"name": name, "args": args, "returncode": proc.returncode, "seconds": secs}


# --------------------------------------------------------------------------- plots
STYLE = {
    "spindetect scan": dict(color="#d62728", marker="o", lw=2.6, ls="-"),
    "spindetect compare": dict(color="#ff7f0e", marker="s", lw=2.6, ls="--"),
    "datasketch MinHash": dict(color="#1f77b4", marker="^", lw=1.5, ls="-"),
    "rensa MinHash": dict(color="#17becf", marker="v", lw=1.5, ls="--"),
    "exact 5-gram Jaccard": dict(color="#2ca02c", marker="D", lw=1.5, ls=":"),
    "TF-IDF cosine": dict(color="#9467bd", marker="P", lw=1.5, ls="-"),
    "SimHash-64 unigram": dict(color="#8c564b", marker="X", lw=1.5, ls="-"),
    "SimHash-64 3-gram": dict(color="#7f7f7f", marker="*", lw=1.5, ls="--"),
}
ENGINE_STYLE = {
    "sd_sig_w2": ("spindetect signatures, 2 threads", dict(color="#d62728", marker="o", ls="-")),
    "sd_sig_w1": ("spindetect signatures, 1 thread", dict(color="#d62728", marker="o", ls=":")),
    "sd_scan0_w2": (
        "spindetect scan explain=0, 2 threads",
        dict(color="#ff7f0e", marker="s", ls="-"),
    ),
    "sd_scan0_w1": (
        "spindetect scan explain=0, 1 thread",
        dict(color="#ff7f0e", marker="s", ls=":"),
    ),
    "sd_scan_w2": (
        "spindetect scan (explain=20), 2 threads",
        dict(color="#8c564b", marker="D", ls="-"),
    ),
    "sd_scan_w1": (
        "spindetect scan (explain=20), 1 thread",
        dict(color="#8c564b", marker="D", ls=":"),
    ),
    "rensa_t2": ("rensa MinHash+LSH, 2 threads", dict(color="#17becf", marker="v", ls="-")),
    "rensa_t1": ("rensa MinHash+LSH, 1 thread", dict(color="#17becf", marker="v", ls=":")),
    "datasketch": ("datasketch MinHash.bulk+MinHashLSH", dict(color="#1f77b4", marker="^", ls="-")),
}


def _quality_series(q: dict, key: str) -> dict[str, tuple[list[float], list[float]]]:
    rates = sorted(q["rates"], key=float)
    out = {}
    for name in STYLE:
        xs, ys = [], []
        for r in rates:
            m = q["rates"][r]["methods"].get(name)
            if m is not None and m.get(key) is not None:
                xs.append(float(r))
                ys.append(m[key])
        if xs:
            out[name] = (xs, ys)
    return out


def plot_quality(q: dict, plt) -> list[Path]:
    """Recall@1%FPR per negative set (+ operating points) and ROC-AUC vs spin rate.

    With ``negative_sets`` in the result (same-topic, template, both) each set gets
    its own panel; an older result (one negative set) gets one panel per figure.
    """
    made = []
    rates = sorted(q["rates"], key=float)
    first_rate = q["rates"][rates[0]]
    negs = list(first_rate.get("negative_sets", {})) or ["same-topic"]
    n_methods = len(STYLE)
    offsets = {name: (k - (n_methods - 1) / 2) * 0.004 for k, name in enumerate(STYLE)}
    params = q["params"]
    sizes = {
        "same-topic": params["negatives"],
        "template": params.get("template_negatives"),
        "both": params["negatives"] + (params.get("template_negatives") or 0),
    }
    titles = {
        "same-topic": "same-topic negatives (two articles, no shared text)",
        "template": "template negatives (two articles of one site, shared boilerplate "
        f"{params.get('template_share', ['?', '?'])[0]}-"
        f"{params.get('template_share', ['?', '?'])[1]} of each page)",
        "both": "both negative sets together",
    }
    caption = (
        f"{params['pairs']} spun pairs per rate, {params['doc_words']}-word generated "
        f"articles (generator {q['generator_version']})"
    )

    def methods(rate: str, neg: str) -> dict:
        r = q["rates"][rate]
        return r["negative_sets"][neg]["methods"] if "negative_sets" in r else r["methods"]

    def series(neg: str, key: str) -> dict[str, tuple[list[float], list[float]]]:
        out = {}
        for name in STYLE:
            pts = [
                (float(r), methods(r, neg)[name][key])
                for r in rates
                if name in methods(r, neg) and methods(r, neg)[name].get(key) is not None
            ]
            if pts:
                out[name] = ([x for x, _ in pts], [y for _, y in pts])
        return out

    def decorate(ax, title: str) -> None:
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("spin rate p (share of content words replaced)", fontsize=9)
        ax.set_xticks([float(r) for r in rates])
        ax.set_ylim(-0.03, 1.05)
        ax.grid(alpha=0.3)

    panels = len(negs) + 1
    cols = 2
    rows = (panels + 1) // 2
    fig, axes = plt.subplots(rows, cols, figsize=(14, 5.0 * rows), sharey=True, squeeze=False)
    flat = list(axes.flat)
    for ax, neg in zip(flat, negs, strict=False):
        for name, (xs, ys) in series(neg, "recall_at_fpr").items():
            ax.plot([x + offsets[name] for x in xs], ys, label=name, ms=7, **STYLE[name])
        n_neg = sizes.get(neg)
        decorate(
            ax,
            f"Recall at FPR = 1 % (best threshold per method)\nvs "
            f"{titles.get(neg, neg)}" + (f", {n_neg} pairs" if n_neg else ""),
        )
        ax.set_ylabel("recall of spun pairs")
    ax = flat[len(negs)]
    for name, (xs, ys) in series(negs[0], "verdict_tpr").items():
        fprs = [methods(rates[0], neg)[name].get("verdict_fpr") for neg in negs]
        label = name + " (FPR " + " / ".join("-" if f is None else f"{f:.2f}" for f in fprs) + ")"
        ax.plot([x + offsets[name] for x in xs], ys, label=label, ms=7, **STYLE[name])
    decorate(
        ax,
        "Recall at each method's default operating point (spindetect verdicts; "
        "MinHash / Jaccard >= 0.5;\nTF-IDF >= 0.5; SimHash Hamming <= 3); "
        "legend: FPR on " + " / ".join(negs) + " negatives",
    )
    ax.legend(fontsize=7.5, loc="center left")
    for extra in flat[panels:]:
        extra.axis("off")
    handles, labels = flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=9, frameon=False)
    fig.suptitle("Spun-copy detection, pairwise: " + caption, fontsize=10)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    path = DOCS / "bench_quality_recall.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    made.append(path)

    fig, axes = plt.subplots(
        1, len(negs), figsize=(6.2 * len(negs), 5.2), sharey=True, squeeze=False
    )
    for ax, neg in zip(axes[0], negs, strict=True):
        for name, (xs, ys) in series(neg, "auc").items():
            ax.plot([x + offsets[name] for x in xs], ys, label=name, ms=7, **STYLE[name])
        ax.set_title(f"ROC-AUC vs {neg} negatives", fontsize=10)
        ax.set_xlabel("spin rate p")
        ax.set_xticks([float(r) for r in rates])
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("ROC-AUC")
    axes[0][0].legend(fontsize=8, loc="lower left")
    fig.text(0.5, 0.01, caption, ha="center", fontsize=8)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    path = DOCS / "bench_quality_auc.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    made.append(path)
    return made


def plot_speed(s: dict, machine: dict, plt) -> list[Path]:
    """docs/s vs N per engine, log-log; extrapolated points hollow and dashed."""
    table = s["speed"]["table"]
    sizes = sorted(int(n) for n in table)
    fig, ax = plt.subplots(figsize=(9, 6))
    for engine, (label, style) in ENGINE_STYLE.items():
        pts = [(n, table[str(n)][engine]) for n in sizes if engine in table[str(n)]]
        meas = [(n, r["docs_per_s"]) for n, r in pts if r.get("measured", True)]
        extra = [(n, r["docs_per_s"]) for n, r in pts if not r.get("measured", True)]
        if meas:
            ax.plot(*zip(*meas, strict=True), label=label, lw=2, ms=7, **style)
        if extra and meas:
            xs = [meas[-1][0]] + [n for n, _ in extra]
            ys = [meas[-1][1]] + [v for _, v in extra]
            ax.plot(
                xs,
                ys,
                color=style["color"],
                ls="--",
                lw=1,
                marker=style["marker"],
                mfc="white",
                ms=7,
                markevery=list(range(1, len(xs))),
                label=f"{label} (extrapolated)",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([f"{n:,}" for n in sizes])
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    ax.set_xlabel("documents N (500-word generated crawl pages)")
    ax.set_ylabel("documents per second (raw text -> output)")
    ax.set_title("Throughput vs crawl size (medians of interleaved rounds)", fontsize=11)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.text(
        0.01,
        0.01,
        f"{machine.get('cpu', '?')}, {machine.get('cores_logical')} vCPUs, "
        f"{machine.get('memory_gib')} GiB, Python {machine.get('python')}",
        fontsize=8,
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    path = DOCS / "bench_scan_speed.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return [path]


def plots() -> list[Path]:
    """Draw every plot whose results exist."""
    mpl = P.require("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    made: list[Path] = []
    q_path, s_path = RESULTS / "quality.json", RESULTS / "scan.json"
    if q_path.exists():
        made += plot_quality(json.loads(q_path.read_text()), plt)
    s = json.loads(s_path.read_text()) if s_path.exists() else {}
    if s.get("speed"):
        made += plot_speed(s, s.get("machine", {}), plt)
    return made


# --------------------------------------------------------------------------- tables
def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _k(x: float) -> str:
    return f"{x / 1000:.1f} k" if x >= 1000 else f"{x:.0f}"


def tables() -> str:
    """Markdown tables of the latest quality.json and scan.json (for the README)."""
    out: list[str] = []
    q_path, s_path = RESULTS / "quality.json", RESULTS / "scan.json"
    if q_path.exists():
        q = json.loads(q_path.read_text())
        sets = {f"p = {r}": q["rates"][r] for r in sorted(q["rates"], key=float)}
        if q.get("mpc_dev"):
            sets["SpinBot (mpc-dev)"] = q["mpc_dev"]
        head = "| method | " + " | ".join(sets) + " |"
        rule = "|---|" + "---|" * len(sets)
        for key, title in (
            ("recall_at_fpr", "recall at FPR = 1 % / ROC-AUC"),
            ("verdict_tpr", "default operating point: TPR / FPR"),
        ):
            out += [f"\n**{title}**\n", head, rule]
            for name in STYLE:
                cells = []
                for r in sets.values():
                    m = r["methods"].get(name)
                    if m is None:
                        cells.append("-")
                    elif key == "recall_at_fpr":
                        cells.append(f"{m['recall_at_fpr']:.3f} / {m['auc']:.3f}")
                    else:
                        cells.append(f"{_f(m.get('verdict_tpr'))} / {_f(m.get('verdict_fpr'))}")
                out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
        out += [f"- {line}" for line in q["ahead"]["lines"]]
    if s_path.exists():
        s = json.loads(s_path.read_text())
        for n, rows in s.get("retrieval", {}).items():
            out += [
                f"\n**retrieval, {int(n):,}-doc crawl at spin rate 0.3**\n",
                "| method | pairs | pairs/doc | recall orig-copy | recall copy-copy | "
                "recall near-dup | precision | s |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for name, r in rows.items():
                for stage in ("candidates", "verified", "verified_whole"):
                    if stage not in r:
                        continue
                    m = r[stage]
                    label = stage.replace("verified_whole", "verified, whole-document verdicts")
                    out.append(
                        f"| {name} | {label}: {m['pairs']:,} | {m['pairs_per_doc']:.2f} | "
                        f"{_f(m['recall_orig-copy'])} | {_f(m['recall_copy-copy'])} | "
                        f"{_f(m['recall_near-dup'])} | {_f(m['precision'])} | "
                        f"{r['seconds']:.1f} |"
                    )
        pan = s.get("pan13")
        if pan:
            out += [
                f"\n**PAN13 ({pan['pan_docs']:,} docs, {pan['labelled']} labelled pairs) + "
                f"{pan['mpc_pairs']} SpinBot pairs**\n",
                "| method | pairs | recall labelled | in pairs_all | not listed | "
                "not listed but confirmed | recall SpinBot | wrong SpinBot pairs | s |",
                "|---|---|---|---|---|---|---|---|---|",
            ]
            for name, m in pan["methods"].items():
                out.append(
                    f"| {name} | {m['pairs']:,} | {m['recall_pan_labelled']:.3f} | "
                    f"{m['pan_pairs_in_pairs_all']:,} | {m['pan_pairs_not_listed']:,} | "
                    f"{m['unlisted_confirmed']:,} | {_f(m['recall_mpc'])} | "
                    f"{m['mpc_pairs_wrong']} | {m['seconds']:.1f} |"
                )
        sp = s.get("speed")
        if sp:
            sizes = sorted(sp["table"], key=int)
            out += [
                "\n**speed: docs/s (peak MiB above baseline), medians**\n",
                "| engine | "
                + " | ".join(f"N = {int(n):,}" for n in sizes)
                + " | growth exponent |",
                "|---|" + "---|" * (len(sizes) + 1),
            ]
            for engine, (label, _) in ENGINE_STYLE.items():
                cells = []
                for n in sizes:
                    r = sp["table"][n].get(engine)
                    if r is None:
                        cells.append("-")
                    elif not r.get("measured", True):
                        cells.append(f"{_k(r['docs_per_s'])} (extrapolated)")
                    else:
                        cells.append(f"{_k(r['docs_per_s'])} ({r['growth_mib']:.0f})")
                exps = ", ".join(f"{v:.2f}" for v in sp["exponents"].get(engine, {}).values())
                out.append(f"| {label} | " + " | ".join(cells) + f" | {exps or '-'} |")
            out += [
                "\n**speed ratios (per-round ratio, median; peer seconds / spindetect seconds)**\n",
                "| ratio | " + " | ".join(f"N = {int(n):,}" for n in sizes) + " |",
                "|---|" + "---|" * len(sizes),
            ]
            labels = sorted({k for n in sizes for k in sp["ratios"][n]})
            for label in labels:
                cells = []
                for n in sizes:
                    r = sp["ratios"][n].get(label)
                    cells.append(
                        "-"
                        if r is None
                        else f"{r['median']:.1f}x" + ("" if r["measured"] else " (extrap.)")
                    )
                out.append(f"| {label} | " + " | ".join(cells) + " |")
            out += ["\n**targets**\n", "| target | value | met |", "|---|---|---|"]
            for name, t in sp["targets"].items():
                v = t["value"]
                out.append(
                    f"| {name} | {'-' if v is None else f'{v:,.1f}'} "
                    f"{t.get('how', '')} (N = {t['at_docs']:,}) | "
                    f"{'yes' if t['met'] else '**no**'} |"
                )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (or only draw the plots); exit 1 when one of them failed."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", action="store_true", help="100k sizes and full defaults")
    ap.add_argument("--only", default=None, help="comma-separated names (quality,scan,lsh,...)")
    ap.add_argument("--plots", action="store_true", help="only redraw the plots")
    ap.add_argument("--tables", action="store_true", help="print README tables and exit")
    ap.add_argument("--data-dir", default=str(P.DEFAULT_DATA_DIR))
    ns = ap.parse_args(argv)
    if ns.tables:
        print(tables())
        return 0
    if not ns.plots:
        P.require_all()
        P.require("matplotlib")
        names = discover()
        if ns.only:
            wanted = {w if w.startswith("bench_") else f"bench_{w}" for w in ns.only.split(",")}
            names = [n for n in names if n in wanted]
        t0 = time.perf_counter()
        steps = []
        for name in names:
            args = FULL_ARGS.get(name, []) if ns.full else DEFAULT_ARGS.get(name, [])
            steps.append(run(name, args, ns.data_dir))
        total = time.perf_counter() - t0
        print("\nsummary")
        for st in steps:
            print(
                f"  {st['name']:24s} exit {st['returncode']}  {st['seconds']:6.0f} s  "
                f"{' '.join(st['args'])}"
            )
        print(f"  total {total:.0f} s ({total / 60:.1f} min)")
        failed = [st["name"] for st in steps if st["returncode"] != 0]
    else:
        failed = []
    for path in plots():
        print(f"plot: {path.relative_to(REPO)}")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
