"""The output of ``scan`` and ``scan --against`` does not depend on ``PYTHONHASHSEED``.

Each run is a fresh interpreter with its own string-hash salt; a set iterated into the
output (the link targets of a family) would order its hrefs differently from run to run.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from spindetect.crawl.index import SpinIndex
from spindetect.sources.iterate import iter_documents

BASE = (
    "The quick brown fox jumps over the lazy dog near the river bank every single morning "
    "before dawn while the farmer sleeps soundly in his old wooden house on the hill. "
)


def _crawl(path: Path, prefix: str, rng: random.Random) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i in range(4):
            # Ten links to one domain, each seen once: ties that only an explicit order breaks.
            links = " ".join(f"https://promo.example/p{j}" for j in rng.sample(range(30), 10))
            doc = {"id": f"{prefix}{i}", "text": BASE * 3 + links, "url": f"https://own{i}.test/"}
            f.write(json.dumps(doc) + "\n")
    return path


def _run(argv: list[str], seed: int, out: Path) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "spindetect", *argv, "--quiet", "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for record in records:
        record.pop("seconds", None)  # timings differ from run to run
    return records


@pytest.mark.slow
@pytest.mark.parametrize("against", [True, False], ids=["against", "scan"])
def test_output_independent_of_hash_seed(tmp_path: Path, against: bool) -> None:
    rng = random.Random(1)
    old = _crawl(tmp_path / "old.jsonl", "old", rng)
    new = _crawl(tmp_path / "new.jsonl", "new", rng)
    argv = ["scan", str(new)]
    if against:
        db = tmp_path / "idx.db"
        with SpinIndex.open(db) as index:
            index.add(iter_documents([old]))
        argv += ["--against", str(db)]
    first = _run(argv, 1, tmp_path / "a.jsonl")
    second = _run(argv, 2, tmp_path / "b.jsonl")
    clusters = [r for r in first if r["type"] == "cluster"]
    assert clusters and any(b["hrefs"] for c in clusters for b in c["beneficiaries"])
    assert first == second
