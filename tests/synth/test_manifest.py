"""Tests of the written sets' provenance: the committed corpora and their checksums."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from _synth_text import CORPORA, needs_source

pytestmark = needs_source


def sums(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        out[name.lstrip("*")] = digest
    return out


@pytest.mark.parametrize("name", ["source", "spun-pairs-small", "crawl-1k"])
def test_committed_corpora_match_their_checksums(name: str) -> None:
    folder = CORPORA / name
    if not folder.is_dir():
        pytest.skip(f"corpora/{name} not present")
    listed = sums(folder)
    assert listed
    for file, digest in listed.items():
        assert hashlib.sha256((folder / file).read_bytes()).hexdigest() == digest, file
    assert (folder / "README.md").is_file()
