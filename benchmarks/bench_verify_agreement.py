"""Agreement of the scan's fast verification with the full ``compare`` on candidate pairs.

``scan`` judges each LSH / shared-sample candidate with fast scores (MinHash
estimates, shared samples, the passage score, the template check); ``compare``
judges a pair from its texts (alignment, lexicon, TF-IDF). Retrieval should find
what ``compare`` finds, so on candidate pairs the two should agree. For each
collection this script runs the scan stages, then ``compare`` on a sample of the
candidates, stratified (kept by the scan; rejected with some whole-copy signal,
skeleton >= 0.1 or content >= 0.2; the other rejected ones), at most ``--rest``
pairs per stratum, each reweighted to its stratum's size, and reports:

* agreement on *copy or not* (a pair is a copy when its verdict is not
  ``unrelated`` / rejected), overall and weighted to all candidates;
* agreement on the verdict itself (``identical`` counts as ``near-duplicate``);
* the disagreements by kind (fast verdict -> compare verdict), with examples.

``compare`` gets the scan's own vocabulary (``compare(vocabulary=)``: the crawl's
function words and IDF, as the scan's passage stage weighs words), so that the two
judge one pair with the same statistics; ``--standalone`` runs ``compare`` without
it (English function words, every word weighing 1), as on two files alone.

Collections (each optional): ``--dir`` a directory scan (e.g. the mpc-dev in pan13
folder that ``../shared/eval/mpc_in_pan13_scan.py`` builds), ``--indo`` the
indo-pan-dev corpus, ``--crawl`` a generated crawl (``docs.jsonl``). Run from the
repository root::

    python benchmarks/bench_verify_agreement.py --dir /tmp/mpc-in-pan13 --indo \\
        ../shared/corpora/indo-pan-dev --crawl /tmp/gen10k --rest 300

Writes ``benchmarks/results/verify-agreement.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent

from spindetect import compare, iter_documents  # noqa: E402
from spindetect.crawl import stages  # noqa: E402
from spindetect.crawl.records import PairVerdicts  # noqa: E402
from spindetect.settings import CONTENT, SKELETON, ScanConfig  # noqa: E402
from spindetect.text.function_words import FunctionWords  # noqa: E402

_TEXTS: list[str] = []
_WORDS: FunctionWords | None = None


def fast_verdicts(
    texts: list[str], config: ScanConfig
) -> tuple[np.ndarray, np.ndarray, dict, FunctionWords]:
    """Candidates and the scan's verdict for each ('' when rejected)."""
    words = stages.learn_function_words(texts[:2048], config)
    fp = stages.fingerprint(texts, config, function_words=words)
    cands = stages.candidates(fp, config)
    verified = stages.verify(fp, cands, config.rules)
    passages = stages.verify_passages(texts, fp, cands, verified, words, config)
    both = PairVerdicts.concatenate([(verified, verified.pairs), (passages, passages.pairs)])
    kept = stages.drop_templated(texts, both, words)
    lookup = {tuple(p): v for p, v in zip(kept.pairs.tolist(), kept.verdicts, strict=True)}
    verdicts = np.array([lookup.get(tuple(p), "") for p in cands.pairs.tolist()], dtype=object)
    skel = stages.estimate_between(fp.signatures[SKELETON], fp.signatures[SKELETON], cands.pairs)
    cont = stages.estimate_between(fp.signatures[CONTENT], fp.signatures[CONTENT], cands.pairs)
    extra = {"skel": skel, "cont": cont, "bands": dict(cands.bands)}
    return cands.pairs, verdicts, extra, words


def _compare(pair: tuple[int, int]) -> str:
    a, b = pair
    return compare(_TEXTS[a], _TEXTS[b], vocabulary=_WORDS).verdict


def _init(texts: list[str], words: FunctionWords | None) -> None:
    global _TEXTS, _WORDS
    _TEXTS, _WORDS = texts, words


def norm(v: str) -> str:
    """One name per verdict class ('' and 'unrelated' are 'none')."""
    return {"": "none", "unrelated": "none", "identical": "near-duplicate"}.get(v, v)


def measure(
    name: str, texts: list[str], ids: list[str], rest: int, jobs: int, *, standalone: bool
) -> dict[str, Any]:
    """Agreement figures of one collection."""
    config = ScanConfig()
    t = time.perf_counter()
    pairs, fast, extra, words = fast_verdicts(texts, config)
    rng = np.random.default_rng(0)
    # Every pair the scan keeps, and every rejected pair with some whole-copy signal
    # (compare might flag it), then a uniform sample of the remaining rejected ones.
    flagged = fast != ""
    signal = ~flagged & ((extra["skel"] >= 0.1) | (extra["cont"] >= 0.2))
    strata = {"kept": flagged, "signal": signal, "rest": ~flagged & ~signal}
    picks, weights, sizes = [], [], {}
    for label, mask in strata.items():
        members = np.flatnonzero(mask)
        take = rng.choice(members, size=min(rest, members.size), replace=False)
        picks.append(np.sort(take))
        weights.append(np.full(take.size, members.size / max(take.size, 1)))
        sizes[label] = [int(take.size), int(members.size)]
    chosen = np.concatenate(picks)
    weight = np.concatenate(weights)
    with ProcessPoolExecutor(
        jobs, initializer=_init, initargs=(texts, None if standalone else words)
    ) as pool:
        full = list(pool.map(_compare, [tuple(p) for p in pairs[chosen].tolist()], chunksize=8))
    f = [norm(str(v)) for v in fast[chosen]]
    c = [norm(v) for v in full]
    copy_agree = np.array([(x != "none") == (y != "none") for x, y in zip(f, c, strict=True)])
    same = np.array([x == y for x, y in zip(f, c, strict=True)])
    kinds = Counter(f"{x} -> {y}" for x, y in zip(f, c, strict=True) if x != y)
    examples: dict[str, list[list[str]]] = {}
    for k, (x, y) in enumerate(zip(f, c, strict=True)):
        if x != y and len(examples.setdefault(f"{x} -> {y}", [])) < 3:
            i, j = pairs[chosen[k]].tolist()
            examples[f"{x} -> {y}"].append([ids[i], ids[j]])
    out = {
        "collection": name,
        "compare": "standalone" if standalone else "with the scan's vocabulary",
        "documents": len(texts),
        "candidates": int(pairs.shape[0]),
        "bands": extra["bands"],
        "compared": int(chosen.size),
        "strata_sampled_of": sizes,
        "copy_agreement_compared": round(float(copy_agree.mean()), 4),
        "copy_agreement_weighted": round(float(np.average(copy_agree, weights=weight)), 4),
        "verdict_agreement_compared": round(float(same.mean()), 4),
        "verdict_agreement_weighted": round(float(np.average(same, weights=weight)), 4),
        "disagreements": dict(kinds.most_common()),
        "examples": examples,
        "seconds": round(time.perf_counter() - t, 1),
    }
    print(json.dumps({k: v for k, v in out.items() if k != "examples"}), flush=True)
    return out


def load_dir(paths: list[str]) -> tuple[list[str], list[str]]:
    """Texts and ids of the documents under ``paths``."""
    docs = list(iter_documents(paths))
    return [d.text for d in docs], [d.id for d in docs]


def load_jsonl(path: Path) -> tuple[list[str], list[str]]:
    """Texts and ids of a generated crawl's ``docs.jsonl``."""
    rows = [json.loads(line) for line in open(path)]
    return [r["text"] for r in rows], [r["id"] for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", help="a directory to scan")
    ap.add_argument("--indo", help="the indo-pan-dev corpus")
    ap.add_argument("--crawl", type=Path, help="a generated crawl directory")
    ap.add_argument("--rest", type=int, default=300, help="pairs compared per stratum")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--standalone", action="store_true", help="compare without the scan's vocabulary"
    )
    ap.add_argument("--out", type=Path, default=HERE / "results" / "verify-agreement.json")
    args = ap.parse_args()
    results = []
    if args.dir:
        results.append(
            measure("dir", *load_dir([args.dir]), args.rest, args.jobs, standalone=args.standalone)
        )
    if args.indo:
        root = Path(args.indo)
        texts, ids = load_dir([str(root / "source-documents"), str(root / "suspicious-documents")])
        keep = [k for k, i in enumerate(ids) if i.endswith(".txt")]
        results.append(
            measure(
                "indo",
                [texts[k] for k in keep],
                [ids[k] for k in keep],
                args.rest,
                args.jobs,
                standalone=args.standalone,
            )
        )
    if args.crawl:
        results.append(
            measure(
                "crawl",
                *load_jsonl(args.crawl / "docs.jsonl"),
                args.rest,
                args.jobs,
                standalone=args.standalone,
            )
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
