#!/usr/bin/env python3
"""Benchmark of spindetect.lexicon: coverage of a spinner's substitutions, speed, size.

Run from the repository root::

    python benchmarks/bench_lexicon.py [--runs 7] [--no-nltk]

Measures, on the seed pair in ``../shared/corpora/seeds`` (two spins of one article):

* coverage: the two token sequences are aligned with ``difflib`` (no autojunk);
  of the single-word ``replace`` ops, the share whose relation is SYNONYM or
  HOP1 (target >= 50 %), with the full breakdown, and the same share among
  1,000 random content-word pairs drawn from the two pages (target < 2 %);
* load time of the bundled table in fresh processes (median; target <= 0.5 s),
  and peak RSS;
* uncached lookup time per word, ``synsets()`` with cleared caches (median of
  runs, CPU time; target <= 20 us), and cached ``relation()`` time per pair;
* table size and the size the data files add to a wheel;
* peer: nltk's ``WordNetCorpusReader`` on the same Debian WNDB files (when
  ``/usr/share/wordnet`` exists): load time, lookup time, ratios, and whether
  both give the same synonym sets (agreement check of the morphy port).

Prints a summary and writes ``benchmarks/results/lexicon.json``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
SEED_PAIR = ("000_df0918beea93dd98.txt", "001_a2812d9d6e9f2906.txt")
DATA = ROOT / "src" / "spindetect" / "data"
RESULTS = ROOT / "benchmarks" / "results" / "lexicon.json"
WORDNET_DIR = Path("/usr/share/wordnet")
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")  # as in the research note lexicon.md

sys.path.insert(0, str(ROOT / "src"))

from spindetect.pairwise.lexicon import Lexicon, Relation  # noqa: E402
from spindetect.text.stopwords import STOPWORDS  # noqa: E402

EXPLAINED = {Relation.SYNONYM, Relation.HOP1}


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def coverage(lex: Lexicon, a: list[str], b: list[str], *, seed: int = 0) -> dict[str, object]:
    """Relations of aligned single-word substitutions vs random content-word pairs."""
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    counts = Counter(tag for tag, *_ in ops)
    singles = [
        (a[i1], b[j1])
        for tag, i1, i2, j1, j2 in ops
        if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1
    ]
    phrases = [
        (" ".join(a[i1:i2]), " ".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in ops
        if tag == "replace" and max(i2 - i1, j2 - j1) > 1 and max(i2 - i1, j2 - j1) <= 4
    ]
    single_rel = Counter(lex.relation(x, y).value for x, y in singles)
    phrase_rel = Counter(lex.relation(x, y).value for x, y in phrases)
    explained = sum(single_rel[r.value] for r in EXPLAINED)

    content_a = [t for t in a if t not in STOPWORDS and t.isalpha()]
    content_b = [t for t in b if t not in STOPWORDS and t.isalpha()]

    def sample(pool_a: list[str], pool_b: list[str], rng: random.Random) -> Counter[str]:
        pairs: list[tuple[str, str]] = []
        while len(pairs) < 1000:
            x, y = rng.choice(pool_a), rng.choice(pool_b)
            if lex.relation(x, y) is not Relation.SAME:  # inflections are no substitution
                pairs.append((x, y))
        return Counter(lex.relation(x, y).value for x, y in pairs)

    # Token sampling (frequent topic words weigh more) and type sampling, five seeds each.
    token_runs = [sample(content_a, content_b, random.Random(seed + k)) for k in range(5)]
    types_a, types_b = sorted(set(content_a)), sorted(set(content_b))
    type_runs = [sample(types_a, types_b, random.Random(seed + 100 + k)) for k in range(5)]

    def share_of(counter: Counter[str]) -> float:
        return sum(counter[r.value] for r in EXPLAINED) / sum(counter.values())

    random_rel = sum(token_runs, Counter())
    random_share = statistics.mean(share_of(c) for c in token_runs)
    share = explained / len(singles)
    return {
        "tokens": [len(a), len(b)],
        "opcodes": dict(counts),
        "single_word_replace_ops": len(singles),
        "single_word_relations": dict(single_rel.most_common()),
        "single_word_syn_or_hop1_share": round(share, 4),
        "single_word_examples": {
            rel.value: [f"{x}/{y}" for x, y in singles if lex.relation(x, y) is rel][:8]
            for rel in Relation
        },
        "phrase_replace_ops": len(phrases),
        "phrase_relations": dict(phrase_rel.most_common()),
        "random_pairs": "5 x 1000 content-word token pairs (one from each page, not SAME)",
        "random_relations": dict(random_rel.most_common()),
        "random_syn_or_hop1_share": round(random_share, 4),
        "random_syn_or_hop1_share_per_seed": [round(share_of(c), 4) for c in token_runs],
        "random_types_syn_or_hop1_share": round(statistics.mean(map(share_of, type_runs)), 4),
        "random_types_syn_or_hop1_share_per_seed": [round(share_of(c), 4) for c in type_runs],
        "likelihood_ratio_syn_or_hop1": round(share / random_share, 1) if random_share else None,
    }


def _fresh_process(code: str, runs: int) -> list[dict[str, float]]:
    out = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        out.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return out


LOAD_CODE = """
import json, resource, sys, time
sys.path.insert(0, "src")
import spindetect.pairwise.lexicon as lx
w0, c0 = time.perf_counter(), time.process_time()
lex = lx.Lexicon.load()
w1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({"wall": w1 - w0, "cpu": c1 - c0,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

NLTK_LOAD_CODE = """
import json, resource, sys, time, warnings
import nltk
root = sys.argv[1] if len(sys.argv) > 1 else {root!r}
nltk.data.path.insert(0, {data!r})
from nltk.corpus.reader.wordnet import WordNetCorpusReader
class Reader(WordNetCorpusReader):
    def map_wn(self, version="wordnet"):
        return None
w0, c0 = time.perf_counter(), time.process_time()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    wn = Reader(root, None)
w1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({{"wall": w1 - w0, "cpu": c1 - c0,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def lookup_times(lex: Lexicon, words: list[str], runs: int) -> dict[str, float]:
    per_word = []
    for _ in range(runs):
        lex.cache_clear()
        c0 = time.process_time()
        for word in words:
            lex.synsets(word)
        per_word.append((time.process_time() - c0) / len(words) * 1e6)
    pairs = list(zip(words, reversed(words), strict=False))
    for x, y in pairs:
        lex.relation(x, y)
    cached = []
    for _ in range(runs):
        c0 = time.process_time()
        for _ in range(20):
            for x, y in pairs:
                lex.relation(x, y)
        cached.append((time.process_time() - c0) / (20 * len(pairs)) * 1e6)
    relation_uncached = []
    for _ in range(runs):
        lex.cache_clear()
        c0 = time.process_time()
        for x, y in pairs:
            lex.relation(x, y)
        relation_uncached.append((time.process_time() - c0) / len(pairs) * 1e6)
    return {
        "synsets_uncached_us_per_word": round(statistics.median(per_word), 2),
        "relation_uncached_us_per_pair": round(statistics.median(relation_uncached), 2),
        "relation_cached_us_per_pair": round(statistics.median(cached), 3),
        "words": len(words),
    }


def nltk_peer(lex: Lexicon, words: list[str], runs: int) -> dict[str, object]:
    """Load nltk's reader on a copy of the Debian files; compare speed and synonym sets."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_lexicon_"))
    try:
        root = tmp / "nltk_data" / "corpora" / "wordnet"
        root.mkdir(parents=True)
        for path in WORDNET_DIR.iterdir():
            if path.is_file():
                shutil.copyfile(path, root / path.name)
        # Debian ships no lexnames; nltk only needs 45 numbered lines.
        (root / "lexnames").write_text("".join(f"{i:02d}\tlex{i:02d}\t0\n" for i in range(45)))
        code = NLTK_LOAD_CODE.format(root=str(root), data=str(tmp / "nltk_data"))
        loads = _fresh_process(code, max(1, runs // 2))

        import nltk
        from nltk.corpus.reader.wordnet import WordNetCorpusReader

        class Reader(WordNetCorpusReader):  # type: ignore[misc]
            def map_wn(self, version: str = "wordnet") -> None:
                return None

        nltk.data.path.insert(0, str(tmp / "nltk_data"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wn = Reader(str(root), None)
        c0 = time.process_time()
        for word in words:
            wn.synsets(word)
        first = (time.process_time() - c0) / len(words) * 1e6
        c0 = time.process_time()
        for word in words:
            wn.synsets(word)
        second = (time.process_time() - c0) / len(words) * 1e6

        # Agreement: the synonym sets (lemma sets of every synset) per word.
        rng = random.Random(1)
        lemmas = sorted(
            {name.lower() for name in wn.all_lemma_names() if "-" not in name and "_" not in name}
        )
        probes = set(words)
        for lemma in rng.sample(lemmas, 3000):
            probes.update(lemma + suffix for suffix in ("", "s", "es", "ed", "ing", "er", "est"))
        mismatches = []
        for word in sorted(probes):
            theirs = {frozenset(n.lower() for n in s.lemma_names()) for s in wn.synsets(word)}
            ours = {
                frozenset(w.replace(" ", "_") for w in lex.lemmas(s)) for s in lex.synsets(word)
            }
            if theirs != ours:
                mismatches.append(word)
        return {
            "load_wall_s_median": round(statistics.median(r["wall"] for r in loads), 3),
            "load_cpu_s_median": round(statistics.median(r["cpu"] for r in loads), 3),
            "maxrss_mib": round(statistics.median(r["maxrss_mib"] for r in loads), 1),
            "synsets_first_call_us_per_word": round(first, 2),
            "synsets_second_call_us_per_word": round(second, 2),
            "agreement_words": len(probes),
            "agreement_mismatches": len(mismatches),
            "mismatch_examples": mismatches[:10],
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sizes() -> dict[str, int]:
    files = [
        "wordnet.json.gz",
        "function_synonyms.tsv",
        "LICENSE-WordNet",
        "wordnet.provenance.json",
    ]
    raw = sum((DATA / name).stat().st_size for name in files)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "data.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in files:
                zf.write(DATA / name, name)
        zipped = archive.stat().st_size
    return {
        "table_bytes": (DATA / "wordnet.json.gz").stat().st_size,
        "data_files_bytes": raw,
        "wheel_growth_bytes_estimate": zipped,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-nltk", action="store_true", help="skip the nltk peer")
    args = parser.parse_args(argv)

    results: dict[str, object] = {
        "benchmark": "lexicon",
        "python": platform.python_version(),
        "machine": {"platform": platform.platform(), "processor": platform.processor()},
        "runs": args.runs,
    }
    lex = Lexicon.load()
    paths = [SEEDS / name for name in SEED_PAIR]
    words: list[str] = []
    if all(p.is_file() for p in paths):
        a, b = (tokens(p.read_text(encoding="utf-8")) for p in paths)
        results["coverage"] = coverage(lex, a, b)
        words = sorted(set(a) | set(b))
    else:
        print(f"seed pair not found under {SEEDS}: coverage skipped")
        words = sorted({w for w in "the quick brown fox jumps over lazy dogs".split()})

    loads = _fresh_process(LOAD_CODE, args.runs)
    results["load"] = {
        "wall_s_median": round(statistics.median(r["wall"] for r in loads), 3),
        "cpu_s_median": round(statistics.median(r["cpu"] for r in loads), 3),
        "wall_s_all": [round(r["wall"], 3) for r in loads],
        "maxrss_mib": round(statistics.median(r["maxrss_mib"] for r in loads), 1),
    }
    results["lookup"] = lookup_times(lex, words, args.runs)
    results["size"] = sizes()
    if not args.no_nltk and (WORDNET_DIR / "data.noun").is_file():
        peer = nltk_peer(lex, words, args.runs)
        peer["load_ratio_nltk_over_ours_wall"] = round(
            peer["load_wall_s_median"] / results["load"]["wall_s_median"],
            1,  # type: ignore[index]
        )
        results["nltk_peer"] = peer

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    cov = results.get("coverage", {})
    if cov:
        print(
            f"single-word replace ops: {cov['single_word_replace_ops']}, "
            f"syn/hop1 {cov['single_word_syn_or_hop1_share']:.1%} (target >= 50%); "
            f"breakdown {cov['single_word_relations']}"
        )
        print(
            f"random content pairs: syn/hop1 {cov['random_syn_or_hop1_share']:.1%} "
            f"(mean of 5 x 1000 token pairs, per seed "
            f"{cov['random_syn_or_hop1_share_per_seed']}; target < 2%); "
            f"LR {cov['likelihood_ratio_syn_or_hop1']}; "
            f"distinct-type pairs {cov['random_types_syn_or_hop1_share']:.1%}"
        )
        print(f"phrase ops (<= 4 tokens): {cov['phrase_replace_ops']}, {cov['phrase_relations']}")
    load = results["load"]
    print(
        f"load: {load['wall_s_median']} s wall, {load['cpu_s_median']} s CPU (median of "
        f"{args.runs} fresh processes; target <= 0.5 s), maxrss {load['maxrss_mib']} MiB"
    )
    print(f"lookup: {results['lookup']}")
    print(f"size: {results['size']}")
    if "nltk_peer" in results:
        print(f"nltk peer: {results['nltk_peer']}")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
