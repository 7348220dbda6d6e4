"""Time ``spindetect.compare`` of this checkout against another on the same 2,000-word pairs.

Two pairs: the generated spun pair of ``benchmarks/bench_compare.py`` (``generate_pairs``,
rate 0.3, seed 11) and a real one, a pan13 source document of about 2,000 words against the
same document with its sentences in reverse order (``--real``; skipped when absent). Each
round starts one fresh interpreter per checkout, in alternating order, that warms up once
and then times ``--calls`` calls; the figures are medians over all timed calls, and the
ratio is this checkout's median over the other's.

Usage::

    python tools/time_compare_vs.py --other /work/main/src [--rounds 5] [--calls 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared/corpora/pan13/src/source-document00404.txt"
CHILD = r"""
import json, re, sys, time
import spindetect
from spindetect.synth.pair_sets import generate_pairs
pairs = {}
o, s, _ = generate_pairs(1, rate=0.3, seed=11, doc_words=2000)[0]
pairs["generated spun"] = (o, s)
real = sys.argv[1]
if real:
    text = open(real, encoding="utf-8", errors="replace").read()
    sentences = re.split(r"(?<=[.!?])\s+", text)
    pairs["pan13 reversed"] = (text, " ".join(reversed(sentences)))
out = {}
for name, (a, b) in pairs.items():
    spindetect.compare(a, b)
    times = []
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter()
        spindetect.compare(a, b)
        times.append(time.perf_counter() - t)
    out[name] = {"times": times, "verdict": spindetect.compare(a, b).verdict}
print(json.dumps(out))
"""


def _run(src: Path, real: str, calls: int) -> dict[str, dict[str, object]]:
    env = dict(os.environ, PYTHONPATH=str(src))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, real, str(calls)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    """Time both checkouts and print medians and the ratio; return the exit code."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--other", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=3)
    args = parser.parse_args(argv)
    real = str(REAL) if REAL.exists() else ""
    sides = {"this": ROOT / "src", "other": args.other}
    times: dict[tuple[str, str], list[float]] = {}
    verdicts: dict[tuple[str, str], object] = {}
    for r in range(args.rounds):
        order = list(sides) if r % 2 == 0 else list(reversed(sides))
        for side in order:
            for pair, res in _run(sides[side], real, args.calls).items():
                times.setdefault((side, pair), []).extend(res["times"])  # type: ignore[arg-type]
                verdicts[side, pair] = res["verdict"]
    for pair in sorted({p for _, p in times}):
        this = statistics.median(times["this", pair])
        other = statistics.median(times["other", pair])
        print(
            f"{pair}: this {this * 1000:.1f} ms ({verdicts['this', pair]}), other "
            f"{other * 1000:.1f} ms ({verdicts['other', pair]}), ratio {this / other:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
