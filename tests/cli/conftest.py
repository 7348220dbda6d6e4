"""Fixtures shared by the CLI tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _cli_inputs import SHORT_TEXT


@pytest.fixture()
def crawl(tmp_path: Path) -> Path:
    """Return a JSONL crawl of two identical short documents, ``d0`` and ``d1``."""
    path = tmp_path / "crawl.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"d{k}", "text": SHORT_TEXT}) + "\n" for k in range(2)),
        encoding="utf-8",
    )
    return path
