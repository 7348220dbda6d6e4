"""Real-data benchmark: spindetect's default settings on every real labelled set.

The yardstick for detection work: text nobody on the team wrote, labelled by others
(``../shared/corpora``, see :mod:`_realsets` for each set's labels). Run from the
repository root::

    python benchmarks/bench_real.py                  # every set, ~6 min on 2 cores
    python benchmarks/bench_real.py --quick          # a subset, < 2 min
    python benchmarks/bench_real.py --sets mpc-dev,indo-pan-dev
    python benchmarks/bench_real.py --check-eval     # also run ../shared/eval/ and compare
    python benchmarks/bench_real.py --markdown       # print the README table of --out

Measured (public API only: ``spindetect.compare``, ``spindetect.tokenize``, and the
``spindetect scan`` CLI in a subprocess, as the shared evaluation scripts run it):

* **pairwise**: ``compare(a, b)`` with default settings on each set's labelled pairs; a
  pair is *flagged* when the verdict is ``identical``, ``near-duplicate``, ``spun`` or
  ``partial`` (``pairs_compare.py``'s rule). Recall over the copies, the flagged share
  of the non-copies (false-positive rate), per set and per group (obfuscation type,
  Jaccard band, category).
* **crawl scale**: ``spindetect scan`` over a folder holding the set's documents --
  *alone* (the set as its own crawl) and *in pan13*, hidden among ~10k real web
  documents (the pan13 source documents and the suspicious documents cut into 250-word
  chunks, as ``mpc_in_pan13_scan.py`` builds them; the pan13 set is its own crawl, whole
  documents). A labelled pair is *found* when the scan reports it as a pair or, except
  for indo-pan-dev (``indo_scan.py``'s rule), puts both documents in one family.
  Recall over the copies, the reported share of the listed non-copies, precision over
  the reported pairs that touch the set (a pair with a background document is wrong;
  pairs of unknown truth are left out; wiki: whole-copy pairs only), candidates per
  document (the scan summary's ``candidates / documents``).

Every share comes with its 95 % Wilson score interval (:func:`_realsets.wilson`). The
generated sets (our own spinner, ``corpora/spun-pairs-small`` and ``corpora/crawl-1k``)
are reported apart, labelled "generated (our own spinner)". A set whose folder is absent
is reported as ``absent``. Writes ``benchmarks/results/real.json``.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import _peers as P  # noqa: E402
import _realsets as R  # noqa: E402

#: Verdicts that flag a pair (``pairs_compare.py``).
FLAGGED = frozenset({"identical", "near-duplicate", "spun", "partial"})
WHOLE = frozenset({"identical", "near-duplicate", "spun"})
EVAL = REPO.parent / "shared" / "eval"
BACKGROUND = "pan"
#: Sampling of the bigger sets: full run and --quick.
SIZES = {
    False: {
        "pan13": {"negatives": 200, "unlabelled": 100, "positives": None},
        "wiki-versions-dev": {"per_band": 150, "negatives": 150},
        "textreuse": {"max_pair_words": 100_000},
        "generated": {"pairwise": None},
    },
    True: {
        "pan13": {"negatives": 40, "unlabelled": 20, "positives": 60},
        "wiki-versions-dev": {"per_band": 30, "negatives": 30},
        "indo-pan-dev": {"pairwise_negatives": 100},
        "textreuse": {"max_pair_words": 20_000},
        "generated": {"pairwise": 100},
    },
}
QUICK_PAN11 = 200  # pan11 pairs compared in --quick (a seeded sample of the 814)


# --------------------------------------------------------------------------- pairwise
def _verdict(v: object) -> str:
    return str(getattr(v, "value", v))


def _compare_one(pair: tuple[str, str]) -> tuple[str, float]:
    import spindetect

    r = spindetect.compare(*pair)
    return _verdict(r.verdict), float(r.confidence)


def run_pairwise(s: R.RealSet, pool: ProcessPoolExecutor | None, pairs: list[R.Pair]) -> dict:
    """``compare`` every pair of ``pairs``; flagged shares per label and group."""
    t0 = time.perf_counter()
    jobs = [(s.text(p.a), s.text(p.b)) for p in pairs]
    results = list(pool.map(_compare_one, jobs, chunksize=4) if pool else map(_compare_one, jobs))
    secs = time.perf_counter() - t0
    flags = [v in FLAGGED for v, _ in results]
    out = summarise(pairs, flags, [v for v, _ in results])
    out["seconds"] = round(secs, 1)
    out["misses"] = [
        {
            "a": p.a,
            "b": p.b,
            "label": p.label,
            "groups": list(p.groups),
            "verdict": v,
            "confidence": round(c, 3),
        }
        for p, (v, c), f in zip(pairs, results, flags, strict=True)
        if p.label is not None and f != p.label
    ][:60]
    return out


def seed_checks(s: R.RealSet) -> dict:
    """Check the seed pair's explanation: verdict, titles, injected phrases, swaps in the map.

    Swaps: the single-word replacements of a ``difflib`` word alignment of the two
    pages, and the share of them the substitution map lists (as the seed tests do).
    """
    import spindetect

    p = s.pairs[0]
    ta, tb = s.text(p.a), s.text(p.b)
    r = spindetect.compare(ta, tb)
    fa, fb = spindetect.tokenize(ta).forms, spindetect.tokenize(tb).forms
    ops = [
        (fa[i1], fb[j1])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, fa, fb, autojunk=False
        ).get_opcodes()
        if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1
    ]
    mapped = {(x.a, x.b) for x in r.substitutions}
    want = s.extra["inserted"]
    titles = sum(bool(r.titles.get(side) and r.titles[side].mismatch) for side in ("a", "b"))
    return {
        "verdict": _verdict(r.verdict),
        "confidence": round(float(r.confidence), 3),
        "titles_mismatched": titles,
        "inserted_found": sum(want[side] in r.inserted.get(side, ()) for side in ("a", "b")),
        "swaps": len(ops),
        "swaps_in_map": sum(op in mapped for op in ops),
    }


# --------------------------------------------------------------------------- metrics
def summarise(pairs: list[R.Pair], hits: list[bool], verdicts: list[str] | None = None) -> dict:
    """Hit shares (flagged or found) over copies, non-copies and unlabelled pairs, and per group.

    ``recall``: hits among label-True pairs; ``negatives``: among label-False pairs
    (the false-positive rate); ``unlabelled``: among label-None pairs. Groups: the
    same, per group name, with the label of its pairs.
    """
    by: dict[tuple[str, bool | None], list[bool]] = collections.defaultdict(list)
    lab: dict[bool | None, list[bool]] = collections.defaultdict(list)
    vcount: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for i, (p, h) in enumerate(zip(pairs, hits, strict=True)):
        lab[p.label].append(h)
        for g in p.groups:
            by[(g, p.label)].append(h)
            if verdicts is not None:
                vcount[g][verdicts[i]] += 1
    out: dict = {"pairs": len(pairs)}
    for key, name in ((True, "recall"), (False, "negatives"), (None, "unlabelled")):
        if lab.get(key):
            out[name] = R.proportion(sum(lab[key]), len(lab[key]))
    out["groups"] = {
        g: {"label": _label(lb), **R.proportion(sum(v), len(v))} for (g, lb), v in by.items()
    }
    if verdicts is not None:
        out["verdicts"] = {g: dict(c) for g, c in vcount.items()}
    return out


def _label(lb: bool | None) -> str:
    return "copy" if lb else "unlabelled" if lb is None else "non-copy"


# --------------------------------------------------------------------------- crawl
def background(data_dir: Path, corpora: Path, *, quick: bool) -> Path | None:
    """Build (once) the pan13 background folder, as ``mpc_in_pan13_scan.py`` builds it.

    Source documents whole, suspicious documents cut into 250-word chunks. ``--quick``
    uses the source documents only (1,949 documents).
    """
    pan = corpora / "pan13"
    if not (pan / "src").is_dir() or not (pan / "susp").is_dir():
        return None
    root = data_dir / ("pan13-background-src" if quick else "pan13-background")
    done = root.with_name(root.name + ".done")
    if done.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for f in sorted(os.listdir(pan / "src")):
        (root / f).write_text((pan / "src" / f).read_text(errors="replace"))
    if not quick:
        for f in sorted(os.listdir(pan / "susp")):
            w = (pan / "susp" / f).read_text(errors="replace").split()
            for i in range(0, len(w), 250):
                (root / f"{f[:-4]}_{i // 250:03d}.txt").write_text(" ".join(w[i : i + 250]))
    done.write_text(str(sum(1 for _ in root.iterdir())))
    return root


def materialise(s: R.RealSet, root: Path, prefix: str) -> None:
    """Put the set's crawl documents under ``root/prefix`` (files linked, texts written)."""
    for doc_id in s.crawl_docs():
        path = root / prefix / doc_id if prefix else root / doc_id
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = s.docs[doc_id]
        if isinstance(doc, Path):
            path.symlink_to(doc.resolve())
        else:
            path.write_text(doc)


def _child_env() -> dict[str, str]:
    """Return this environment with the measured spindetect first on ``PYTHONPATH``.

    A ``python -m spindetect`` child then runs the same sources as this process (a
    worktree's ``src/`` rather than whatever copy is installed).
    """
    import spindetect

    src = str(Path(spindetect.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def scan_folder(exe: list[str], root: Path) -> dict:
    """Run ``spindetect scan ROOT --output out.jsonl --quiet``; pairs, families, summary."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        t0 = time.perf_counter()
        p = subprocess.run(
            [*exe, "scan", str(root), "--output", str(out), "--quiet"],
            capture_output=True,
            text=True,
            env=_child_env(),
        )
        wall = time.perf_counter() - t0
        if p.returncode not in (0, 1) or not out.exists():
            tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
            raise RuntimeError(f"scan of {root} failed (exit {p.returncode}): {tail}")
        pairs: dict[frozenset[str], str] = {}
        family: dict[str, str] = {}
        summary: dict = {}
        for line in out.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if r.get("type") == "pair":
                pairs[frozenset((_norm(r["a"]), _norm(r["b"])))] = r.get("verdict", "")
            elif r.get("type") == "cluster":
                for m in r["members"]:
                    family[_norm(m)] = r["id"]
            elif r.get("type") == "summary":
                summary = r
    return {"pairs": pairs, "family": family, "summary": summary, "seconds": wall}


def _norm(x: object) -> str:
    return os.path.normpath(str(x)).replace(os.sep, "/")


def crawl_metrics(s: R.RealSet, scan: dict, prefix: str) -> dict:
    """Recall, reported negatives, precision, family purity and candidates of one scan."""
    pre = f"{prefix}/" if prefix else ""
    mine = {pre + d: d for d in s.crawl_docs()}
    pairs, family = scan["pairs"], scan["family"]

    def found(p: R.Pair) -> bool:
        a, b = pre + p.a, pre + p.b
        if frozenset((a, b)) in pairs:
            return True
        return s.found_by_cluster and a in family and family[a] == family.get(b)

    crawl_pairs = [p for p in s.pairs if p.a in mine.values() and p.b in mine.values()]
    out = summarise(crawl_pairs, [found(p) for p in crawl_pairs])
    good = bad = 0
    verdicts: collections.Counter[str] = collections.Counter()
    for q, verdict in pairs.items():
        a, b = sorted(q)
        if a not in mine and b not in mine:
            continue  # background only
        t = s.truth(mine[a], mine[b]) if a in mine and b in mine else False
        if t is None or (s.whole_only_precision and verdict not in WHOLE):
            continue
        good += t
        bad += not t
        verdicts[f"{verdict} ({'right' if t else 'wrong'})"] += 1
    out["precision"] = R.proportion(good, good + bad)
    out["reported_verdicts"] = dict(verdicts)
    members: dict[str, list[str]] = collections.defaultdict(list)
    for m, c in family.items():
        members[c].append(m)
    right = total = 0
    for ms in members.values():
        if not any(m in mine for m in ms):
            continue
        for x, y in ((x, y) for i, x in enumerate(ms) for y in ms[i + 1 :]):
            t = (
                s.truth(mine[x], mine[y])
                if x in mine and y in mine
                else (None if x not in mine and y not in mine else False)
            )
            if t is not None:
                right += t
                total += 1
    out["family_purity"] = R.proportion(right, total)
    summ = scan["summary"]
    docs = int(summ.get("documents", 0))
    out.update(
        {
            "documents": docs,
            "set_documents": len(mine),
            "candidates": int(summ.get("candidates", 0)),
            "candidates_per_doc": round(summ.get("candidates", 0) / max(1, docs), 2),
            "reported_pairs": sum(summ.get("pairs", {}).values()),
            "seconds": round(scan["seconds"], 1),
        }
    )
    return out


def run_crawls(s: R.RealSet, exe: list[str], bg: Path | None, work: Path) -> dict:
    """Scan the set alone, and hidden in the pan13 background (pan13 itself: alone only)."""
    out: dict = {}
    modes = [("alone", None)]
    if bg is not None and s.name != "pan13":
        modes.append(("in pan13", bg))
    for mode, with_bg in modes:
        root = work / f"{s.name}-{mode.replace(' ', '-')}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        prefix = s.name if with_bg is not None else ""
        if with_bg is not None:
            (root / BACKGROUND).symlink_to(with_bg.resolve())
            prefix = "mpc" if s.name == "mpc-dev" else s.name  # mpc_in_pan13_scan's layout
        materialise(s, root, prefix)
        out[mode] = crawl_metrics(s, scan_folder(exe, root), prefix)
        shutil.rmtree(root, ignore_errors=True)
        print(f"  crawl {mode}: {_crawl_line(out[mode])}", flush=True)
    return out


# --------------------------------------------------------------------------- eval lines
def eval_lines(sets: dict) -> dict[str, str]:
    """Print the figures in the shared evaluation scripts' own line formats."""
    lines: dict[str, str] = {}
    for name, key in (("mpc-dev", "mpc"), ("pan11-pairs", "pan11")):
        pw = sets.get(name, {}).get("pairwise")
        if pw and "recall" in pw and "negatives" in pw and not pw.get("sampled"):
            r, n = pw["recall"], pw["negatives"]
            lines[key] = (
                f"{key}: recall {r['rate']:.3f} ({r['k']}/{r['n']}), negatives "
                f"flagged {n['rate']:.4f} ({n['k']}/{n['n']})"
            )
    c = sets.get("indo-pan-dev", {}).get("crawl", {}).get("alone")
    if c:
        g = c["groups"]
        by = " ".join(
            f"{t} {g[t]['k']}/{g[t]['n']}"
            for t in sorted(g)
            if t in ("artificial", "simulated", "none")
        )
        so = g.get("simulated-only", {"rate": 0.0})
        lines["indo"] = (
            f"indo-pan-dev: pair recall {c['recall']['rate']:.3f} "
            f"({c['recall']['k']}/{c['recall']['n']}), simulated-only "
            f"{so['rate']:.3f}, precision {c['precision']['rate']:.3f} "
            f"({c['precision']['k']}/{c['precision']['n']}); by type {by}"
        )
    c = sets.get("mpc-dev", {}).get("crawl", {}).get("in pan13")
    if c and not sets.get("quick"):
        lines["mpc_in_pan13"] = (
            f"mpc-dev in pan13: scan of {c['documents']} docs: spun-pair recall "
            f"{c['recall']['rate']:.3f} ({c['recall']['k']}/{c['recall']['n']}), precision "
            f"{c['precision']['rate']:.3f} ({c['precision']['k']}/{c['precision']['n']} "
            "pairs touching them)"
        )
    c = sets.get("wiki-versions-dev", {}).get("crawl", {}).get("alone")
    if c:
        g = c["groups"]
        lines["wiki"] = (
            f"wiki revisions ({c['documents']} docs): recall J>=0.3 "
            f"{g['J>=0.3']['rate']:.3f} of {g['J>=0.3']['n']}, 0.1-0.3 "
            f"{g['0.1-0.3']['rate']:.3f} of {g['0.1-0.3']['n']}; whole-copy pair "
            f"precision {c['precision']['rate']:.3f} of {c['precision']['n']}, "
            f"cluster purity {c['family_purity']['rate']:.3f}"
        )
    return lines


def check_eval(corpora: Path, mine: dict[str, str], work: Path) -> dict:
    """Run the shared evaluation scripts on the installed code; compare their lines with ours.

    Timing ("in 10.5 s") is dropped before the comparison.
    """
    exe = shutil.which("spindetect") or "spindetect"
    cmds = {
        "mpc": ["pairs_compare.py", "mpc", str(corpora / "mpc-dev")],
        "pan11": ["pairs_compare.py", "pan11", str(corpora / "pan11-pairs")],
        "indo": ["indo_scan.py", str(corpora / "indo-pan-dev"), exe],
        "mpc_in_pan13": [
            "mpc_in_pan13_scan.py",
            str(corpora),
            exe,
            str(work / "eval-mpc-in-pan13"),
        ],
        "wiki": ["wiki_versions_scan.py", str(corpora / "wiki-versions-dev"), exe],
    }
    out = {}
    for key, (script, *args) in cmds.items():
        if key not in mine or not (EVAL / script).exists():
            continue
        p = subprocess.run(
            [sys.executable, str(EVAL / script), *args],
            capture_output=True,
            text=True,
            env=_child_env(),
        )
        theirs = (p.stdout.strip().splitlines() or [""])[0]
        strip = re.sub(r" in [0-9.]+ s", "", theirs)
        out[key] = {
            "eval": theirs,
            "ours": mine[key],
            "agree": strip == mine[key],
            "command": "python " + " ".join([str(EVAL / script), *args]),
        }
        print(
            f"eval {key}: {'AGREE' if out[key]['agree'] else 'DIFFER'}\n  eval: {theirs}\n"
            f"  ours: {mine[key]}",
            flush=True,
        )
    return out


# --------------------------------------------------------------------------- report
def _fmt(p: dict | None, *, counts: bool = True) -> str:
    if not p or not p.get("n"):
        return "-"
    lo, hi = p["ci95"]
    return f"{p['rate']:.3f} [{lo:.2f}, {hi:.2f}]" + (f" {p['k']}/{p['n']}" if counts else "")


def _crawl_line(c: dict) -> str:
    parts = [f"recall {_fmt(c.get('recall'))}"]
    if c.get("negatives"):
        parts.append(f"negatives reported {_fmt(c['negatives'])}")
    parts += [
        f"precision {_fmt(c.get('precision'))}",
        f"{c['candidates_per_doc']} candidates/doc of {c['documents']} docs",
        f"{c['seconds']} s",
    ]
    return ", ".join(parts)


def markdown(res: dict) -> str:
    """Render the README table of a real.json: one row per set, then the per-group figures."""
    src = res.get("spindetect_source", {})
    commit = (src.get("commit") or "?")[:7] + (" (dirty)" if src.get("dirty") else "")
    head = [
        f"spindetect {res.get('version')} at `{commit}`, default settings; "
        f"`{res.get('command')}` ({res.get('seconds', 0):.0f} s"
        + (", --quick" if res.get("quick") else "")
        + "). Shares with their 95 % Wilson "
        "interval and counts. Pairwise: `compare` flags (identical, near-duplicate, spun, "
        "partial). Crawl: `spindetect scan` of the set alone, and hidden among the pan13 "
        "background; precision over reported pairs touching the set.",
        "",
    ]
    cols = [
        "set",
        "pairwise recall",
        "pairwise negatives flagged",
        "crawl alone: recall",
        "crawl alone: precision",
        "in pan13: recall",
        "in pan13: precision",
        "in pan13: negatives reported",
        "candidates / doc (alone, in pan13)",
    ]
    rows = ["| " + " | ".join(cols) + " |", "|---" * len(cols) + "|"]
    for name, s in res["sets"].items():
        label = "generated (our own spinner)" if name == "generated" else name
        if s.get("status") != "ok":
            rows.append(f"| {label} | {s.get('status')} |" + " |" * (len(cols) - 2))
            continue
        pw, cr = s.get("pairwise") or {}, s.get("crawl") or {}
        al, bg = cr.get("alone") or {}, cr.get("in pan13") or {}
        cand = ", ".join(str(c["candidates_per_doc"]) for c in (al, bg) if c)
        rows.append(
            "| "
            + " | ".join(
                [
                    label,
                    _fmt(pw.get("recall")),
                    _fmt(pw.get("negatives")),
                    _fmt(al.get("recall")),
                    _fmt(al.get("precision")),
                    _fmt(bg.get("recall")),
                    _fmt(bg.get("precision")),
                    _fmt(bg.get("negatives")),
                    cand or "-",
                ]
            )
            + " |"
        )
    cols2 = ["set", "group", "label", "pairwise flagged", "crawl alone: found", "in pan13: found"]
    rows2 = [
        "",
        "Per group (copy: recall; non-copy: false-positive rate; unlabelled: share "
        "flagged or found):",
        "",
        "| " + " | ".join(cols2) + " |",
        "|---" * len(cols2) + "|",
    ]
    for name, s in res["sets"].items():
        if s.get("status") != "ok":
            continue
        label = "generated (our own spinner)" if name == "generated" else name
        pw, cr = s.get("pairwise") or {}, s.get("crawl") or {}
        groups: dict[str, str] = {}
        for part in (pw, *cr.values()):
            for g, v in (part or {}).get("groups", {}).items():
                groups.setdefault(g, v["label"])
        for g, lb in groups.items():
            cells = [label, g, lb, _fmt(pw.get("groups", {}).get(g))]
            cells += [
                _fmt((cr.get(m) or {}).get("groups", {}).get(g)) for m in ("alone", "in pan13")
            ]
            rows2.append("| " + " | ".join(cells) + " |")
    extra = []
    seeds = res["sets"].get("seeds", {}).get("seed_checks")
    if seeds:
        extra = [
            "",
            f"Seed pages: `{seeds['verdict']}` (confidence {seeds['confidence']}), "
            f"{seeds['titles_mismatched']}/2 titles mismatched, {seeds['inserted_found']}/2 "
            f"injected phrases found, {seeds['swaps_in_map']}/{seeds['swaps']} difflib "
            "word swaps in the substitution map.",
        ]
    ev = res.get("eval_check")
    if ev:
        extra += [
            "",
            "Shared eval scripts on the same code: "
            + "; ".join(f"{k} {'agree' if v['agree'] else 'DIFFER'}" for k, v in ev.items())
            + ".",
        ]
    return "\n".join(head + rows + rows2 + extra)


# --------------------------------------------------------------------------- main
def load_sets(names: Iterable[str], corpora: Path, *, quick: bool, seed: int) -> dict:
    """Load every named set (None when absent) with the run's sample sizes."""
    out = {}
    for name in names:
        kw: dict = dict(SIZES[quick].get(name, {}))
        if name == "generated":
            kw["seed"] = seed
        else:
            kw["root"] = corpora
            if name in ("pan13", "wiki-versions-dev", "indo-pan-dev"):
                kw["seed"] = seed
        out[name] = R.load(name, **kw)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and write the JSON result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--sets",
        default=",".join(R.ALL_SETS),
        help=f"comma-separated subset of {','.join(R.ALL_SETS)}",
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="samples of the big sets and a 1,949-document background (< 2 min)",
    )
    ap.add_argument("--no-pairwise", action="store_true")
    ap.add_argument("--no-crawl", action="store_true")
    ap.add_argument(
        "--check-eval",
        action="store_true",
        help="also run ../shared/eval/ and compare its lines with ours",
    )
    ap.add_argument("--jobs", type=int, default=2, help="processes for compare (default 2)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the sampled pairs")
    ap.add_argument("--corpora", default=str(R.CORPORA))
    ap.add_argument(
        "--spindetect",
        default=None,
        help="the spindetect command (default: this python -m spindetect)",
    )
    ap.add_argument("--data-dir", default=str(P.DEFAULT_DATA_DIR / "real"))
    ap.add_argument(
        "--out",
        default=None,
        help="default results/real.json (results/real-quick.json with --quick)",
    )
    ap.add_argument("--markdown", action="store_true", help="print the README table of --out")
    ns = ap.parse_args(argv)
    out = Path(ns.out or HERE / "results" / ("real-quick.json" if ns.quick else "real.json"))
    if ns.markdown:
        print(markdown(json.loads(out.read_text(encoding="utf-8"))))
        return 0
    names = [x.strip() for x in ns.sets.split(",") if x.strip()]
    unknown = [x for x in names if x not in R.ALL_SETS]
    if unknown:
        ap.error(f"unknown --sets {unknown}; choose from {','.join(R.ALL_SETS)}")
    from bench_quality import _source_state

    import spindetect

    corpora = Path(ns.corpora)
    exe = ns.spindetect.split() if ns.spindetect else [sys.executable, "-m", "spindetect"]
    data_dir = Path(ns.data_dir)
    t_start = time.perf_counter()
    res: dict = {
        "benchmark": "real labelled sets, pairwise and at crawl scale, default settings",
        "command": "python benchmarks/bench_real.py " + " ".join(argv or sys.argv[1:]),
        "version": spindetect.__version__,
        "spindetect_source": _source_state(),
        "machine": P.machine_info(),
        "quick": ns.quick,
        "params": {
            "sets": names,
            "seed": ns.seed,
            "jobs": ns.jobs,
            "corpora": str(corpora),
            "sizes": SIZES[ns.quick],
            "flagged": sorted(FLAGGED),
        },
        "sets": {},
    }
    loaded = load_sets(names, corpora, quick=ns.quick, seed=ns.seed)
    bg = None if ns.no_crawl else background(data_dir, corpora, quick=ns.quick)
    work = data_dir / "crawls"
    pool = ProcessPoolExecutor(ns.jobs) if ns.jobs > 1 and not ns.no_pairwise else None
    try:
        for name, s in loaded.items():
            if s is None:
                print(f"{name}: absent", flush=True)
                res["sets"][name] = {"status": "absent"}
                continue
            print(f"{name}: {len(s.docs)} documents, {len(s.pairs)} labelled pairs", flush=True)
            row: dict = {"status": "ok", "documents": len(s.docs), "notes": s.notes}
            if not ns.no_pairwise:
                pairs = s.pairwise
                if ns.quick and name == "pan11-pairs":
                    pairs = R.sample(pairs, QUICK_PAN11, ns.seed)
                row["pairwise"] = run_pairwise(s, pool, pairs)
                row["pairwise"]["sampled"] = len(pairs) < len(s.pairs)
                print(
                    f"  pairwise: recall {_fmt(row['pairwise'].get('recall'))}, negatives "
                    f"flagged {_fmt(row['pairwise'].get('negatives'))} "
                    f"({row['pairwise']['seconds']} s)",
                    flush=True,
                )
                if name == "seeds":
                    row["seed_checks"] = seed_checks(s)
            if not ns.no_crawl:
                row["crawl"] = run_crawls(s, exe, bg, work)
            res["sets"][name] = row
    finally:
        if pool is not None:
            pool.shutdown()
    res["eval_lines"] = eval_lines({**res["sets"], "quick": ns.quick})
    if ns.check_eval:
        res["eval_check"] = check_eval(corpora, res["eval_lines"], data_dir)
    res["seconds"] = round(time.perf_counter() - t_start, 1)
    P.write_json(out, res)
    print()
    print(markdown(res))
    print(f"\nwrote {out} ({res['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
