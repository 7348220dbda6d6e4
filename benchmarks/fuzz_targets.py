"""Fuzz the readers, HTML extraction, the index loader and compare for a time budget each.

Run ``python benchmarks/fuzz_targets.py`` (60 s per target); ``--seconds 10`` for a quick
look, ``--targets compare,index-loader`` for some. The targets and their input
strategies are those of ``tests/properties/test_fuzz_targets.py`` (:data:`TARGETS`),
which the test suite runs for a few dozen examples each.

What is counted
---------------
Hypothesis draws inputs in rounds of ``--batch`` examples (fresh random seeds, no example
database) until the target's budget is spent. Every example ends one of three ways:

* ``ok``: the target returned (for the readers: every good JSONL record was read);
* ``typed``: it raised one of the project's errors (``SpinDetectError`` and subclasses:
  e.g. ``IndexCorruptError`` for a damaged index), the intended way to refuse input;
* ``crash``: any other exception, or a failed check. Hypothesis shrinks the input and
  the script records the exception and the shrunk input, then goes on with a new round.

Results go to ``benchmarks/results/fuzz.json`` (``--out``): per target the examples run,
the three counts, seconds and the crashes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "properties"))

import _peers as P  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from test_fuzz_targets import TARGETS, Target  # noqa: E402

from spindetect.exceptions import SpinDetectError  # noqa: E402


def fuzz(name: str, target: Target, seconds: float, batch: int) -> dict[str, Any]:
    """Run ``target`` for ``seconds``; return its counts and crashes."""
    counts: Counter[str] = Counter()
    crashes: list[dict[str, str]] = []
    seen: set[str] = set()

    def one(value: Any) -> None:
        try:
            target.run(value)
        except SpinDetectError:
            counts["typed"] += 1
            return
        except BaseException:
            counts["crash"] += 1
            raise
        counts["ok"] += 1

    run = settings(
        max_examples=batch,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )(given(target.strategy)(one))
    t0 = time.perf_counter()
    rounds = 0
    while time.perf_counter() - t0 < seconds:
        rounds += 1
        try:
            run()
        except Exception as exc:  # a crash, shrunk by Hypothesis
            key = f"{type(exc).__name__}: {str(exc)[:200]}"
            if key not in seen:
                seen.add(key)
                notes = "\n".join(getattr(exc, "__notes__", []))[:1000]
                tb = traceback.format_exception(exc)[-3:]
                crashes.append({"error": key, "input": notes, "where": "".join(tb)[-1500:]})
    elapsed = time.perf_counter() - t0
    examples = counts["ok"] + counts["typed"] + counts["crash"]
    return {
        "target": name,
        "examples": examples,
        "ok": counts["ok"],
        "typed": counts["typed"],
        # examples that raised during shrinking count too; distinct crashes are listed
        "crash_examples": counts["crash"],
        "crashes": len(crashes),
        "seconds": round(elapsed, 1),
        "examples_per_s": round(examples / elapsed, 1) if elapsed else 0.0,
        "rounds": rounds,
        "crash_details": crashes,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="budget per target")
    ap.add_argument("--batch", type=int, default=200, help="examples per Hypothesis round")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/fuzz.json")
    args = ap.parse_args()
    rows = []
    for name in args.targets.split(","):
        row = fuzz(name, TARGETS[name], args.seconds, args.batch)
        rows.append(row)
        brief = {k: v for k, v in row.items() if k != "crash_details"}
        print(json.dumps(brief), flush=True)
        for crash in row["crash_details"]:
            print(f"  CRASH {crash['error']}\n{crash['input']}\n{crash['where']}", flush=True)
    doc = {
        "machine": P.machine_info(),
        "seconds_per_target": args.seconds,
        "total_examples": sum(r["examples"] for r in rows),
        "total_crashes": sum(r["crashes"] for r in rows),
        "targets": rows,
    }
    args.out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"{doc['total_examples']:,} examples, {doc['total_crashes']} crashes -> {args.out}")


if __name__ == "__main__":
    main()
