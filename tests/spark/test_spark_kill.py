"""A Spark scan killed midway leaves no output; the rerun writes the whole output, same records.

The CLI runs in a subprocess (its own driver and JVM, one process group), is
killed with SIGKILL while it writes the Parquet output (the moment a partial
file could appear), and is run again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import spindetect
from spindetect.crawl.scanning import scan
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog
from spindetect.synth import write_crawl

pytestmark = pytest.mark.spark


def _command(source: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "spindetect",
        "scan",
        str(source),
        "--engine",
        "spark",
        "--master",
        "local[2]",
        "-o",
        str(out),
        "--explain",
        "0",
        "--no-inspect",
        "--quiet",
    ]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(spindetect.__file__).resolve().parents[1])  # the package under test
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _kill_while_writing(source: Path, out: Path, limit: float = 600.0) -> None:
    """Start the scan, SIGKILL its process group once its hidden output directory appears."""
    proc = subprocess.Popen(
        _command(source, out),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + limit
    try:
        while not any(p.name.endswith(".tmp") for p in out.parent.iterdir()):
            if proc.poll() is not None:
                pytest.fail(f"the scan ended (exit {proc.returncode}) before it was killed")
            if time.monotonic() > deadline:
                pytest.fail("the scan did not start writing in time")
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_killed_scan_leaves_nothing_and_a_rerun_is_whole(
    spark_installed: None, tmp_path: Path
) -> None:
    """Killed while writing: no ``out.parquet``; rerun: the in-process records, no leftovers."""
    import pyarrow.parquet as pq

    write_crawl(tmp_path / "gen", 200, seed=5)
    source = tmp_path / "gen" / "docs.jsonl"
    runs = tmp_path / "runs"
    runs.mkdir()
    out = runs / "out.parquet"

    _kill_while_writing(source, out)
    assert not out.exists()
    left = [p.name for p in runs.iterdir()]
    assert left and all(name.startswith(".out.parquet.") for name in left)  # the hidden write

    done = subprocess.run(
        _command(source, out), env=_env(), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert [p.name for p in runs.iterdir()] == ["out.parquet"]  # the killed run's files removed
    truth = scan(iter_documents([source], errors=SkipLog()), explain=0, inspect=False)
    assert truth.pairs and truth.clusters
    pairs = pq.read_table(out / "pairs").to_pylist()
    assert [(p["a"], p["b"], p["verdict"], p["confidence"], p["cluster"]) for p in pairs] == [
        (p.a, p.b, p.verdict, p.confidence, p.cluster) for p in truth.pairs
    ]
    families = pq.read_table(out / "families").to_pylist()
    assert [(f["id"], tuple(f["members"])) for f in families] == [
        (c.id, c.members) for c in truth.clusters
    ]
