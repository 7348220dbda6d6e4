"""The generated CLI reference (tools/cli_reference.py, a mkdocs hook) covers every option."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from spindetect.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def _reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools/cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_command_and_option_is_in_the_reference() -> None:
    ref = _reference()
    parser = build_parser()
    page = ref.render(parser)
    assert ref.missing_arguments(parser, page) == []
    progs = [p.prog for p, _ in ref.commands(parser)]
    assert "spindetect index add" in progs and "spindetect scan" in progs
    for prog in progs:
        assert f"## `{prog}`" in page
        assert f"\n{prog} [-h]" in page  # its usage line


def test_an_option_missing_from_the_page_is_reported() -> None:
    ref = _reference()
    page = ref.render(build_parser())
    parser = build_parser()
    scan = next(p for p, _ in ref.commands(parser) if p.prog == "spindetect scan")
    scan.add_argument("--brand-new-option", help="added after the page was rendered")
    assert ref.missing_arguments(parser, page) == ["spindetect scan --brand-new-option"]
    assert ref.missing_arguments(parser, ref.render(parser)) == []


def test_mkdocs_runs_the_hook_and_lists_the_page() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- tools/cli_reference.py" in config
    assert "cli-reference.md" in config
