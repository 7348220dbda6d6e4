"""Fixtures shared by the CLI tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHORT_TEXT = (
    "The quick brown fox jumps over the lazy dog near the river bank every single morning "
    "before dawn while the farmer sleeps soundly in his old wooden house on the hill."
)


@pytest.fixture()
def crawl(tmp_path: Path) -> Path:
    """Return a JSONL crawl of two identical short documents, ``d0`` and ``d1``."""
    path = tmp_path / "crawl.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"d{k}", "text": SHORT_TEXT}) + "\n" for k in range(2)),
        encoding="utf-8",
    )
    return path
