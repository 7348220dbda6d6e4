"""The command-line reference page, rendered from the real argparse parsers.

Used two ways:

* as a MkDocs hook (``hooks: [tools/cli_reference.py]`` in ``mkdocs.yml``): at every build,
  :func:`on_files` adds the generated page ``cli-reference.md`` from
  ``spindetect.cli.build_parser()``, so the page cannot drift from the parsers;
* as a script, ``python tools/cli_reference.py`` prints the same Markdown (a preview).

Each command and subcommand gets a section with its description, its usage (argparse's own
usage line, at a fixed width so the page does not depend on the terminal), its subcommands,
and a table per argument group: the argument as ``--help`` shows it, its help text (with
``%(default)s`` expanded), and the default of options that take a value. Arguments whose help
is ``argparse.SUPPRESS`` are hidden from ``--help`` and left out here too.
:func:`missing_arguments` lists the visible arguments a page does not mention (the test
``tests/cli/test_cli_reference.py`` uses it).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = "cli-reference.md"
WIDTH = 88  # usage lines wrap here, whatever the terminal of the build

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def commands(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[argparse.ArgumentParser, str | None]]:
    """Yield ``parser`` and each subcommand parser below it, depth first, with its one-line help."""
    stack: list[tuple[argparse.ArgumentParser, str | None]] = [(parser, None)]
    while stack:
        current, summary = stack.pop(0)
        yield current, summary
        children = [
            (current_sub, _summaries(action).get(name))
            for action in _subparser_actions(current)
            for name, current_sub in action.choices.items()
        ]
        stack[:0] = children


def visible_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Return the arguments of ``parser`` that ``--help`` lists (subcommand choosers excluded)."""
    return [
        action
        for action in parser._actions
        if action.help != argparse.SUPPRESS and not isinstance(action, argparse._SubParsersAction)
    ]


def anchor(parser: argparse.ArgumentParser) -> str:
    """Return the anchor of a command's section (``spindetect-index-add`` for ``index add``)."""
    return "-".join(parser.prog.split()).lower()


def render(parser: argparse.ArgumentParser) -> str:
    """Return the Markdown reference of ``parser`` and all its subcommands."""
    lines = [
        "# Command-line reference",
        "",
        "Generated from the argparse parsers of `spindetect.cli` at every docs build, so it",
        "lists exactly what `--help` does. Exit codes, error messages and damaged indexes are",
        "in [The command line](cli.md).",
        "",
    ]
    for current, summary in commands(parser):
        lines += _section(current, summary)
    return "\n".join(lines).rstrip() + "\n"


def missing_arguments(parser: argparse.ArgumentParser, markdown: str) -> list[str]:
    """Return ``"PROG ARGUMENT"`` for each visible argument missing from PROG's tables.

    PROG's section runs from its ``## `PROG``` heading to the next one; an argument is
    present when each of its option strings (a positional: its metavar, else its dest) is a
    word of the first cell of a table row there, as :func:`render` writes them
    (``| `-o FILE, --output FILE` | ...``). The usage line does not count.
    """
    sections = _split_sections(markdown)
    missing = []
    for current, _summary in commands(parser):
        rows = re.findall(r"^\| `([^`]+)` \|", sections.get(current.prog, ""), re.MULTILINE)
        words = {word for row in rows for word in re.split(r"[ ,]+", row)}
        for action in visible_actions(current):
            for name in action.option_strings or [_positional_name(action)]:
                if name not in words:
                    missing.append(f"{current.prog} {name}")
    return missing


def on_files(files: Any, config: Any) -> Any:
    """MkDocs hook: add the generated ``cli-reference.md`` to the site's files."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=render(_build_parser(config))))
    return files


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """MkDocs hook: ``mkdocs serve`` rebuilds when a command's parser changes."""
    server.watch(str(_source_root(config) / "spindetect" / "cli"))
    return server


def _build_parser(config: Any) -> argparse.ArgumentParser:
    """``spindetect.cli.build_parser()`` of the checkout that holds ``mkdocs.yml``."""
    src = _source_root(config)
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    from spindetect.cli import build_parser

    module = sys.modules["spindetect"].__file__ or ""
    if not Path(module).resolve().is_relative_to(src.resolve()):
        from mkdocs.exceptions import PluginError

        raise PluginError(f"cli_reference: spindetect was imported from {module}, not {src}")
    return build_parser()


def _source_root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent / "src"


def _section(parser: argparse.ArgumentParser, summary: str | None) -> list[str]:
    # every argparse formatter takes width= (typeshed's protocol names only prog)
    formatter = parser.formatter_class(prog=parser.prog, width=WIDTH)  # type: ignore[call-arg]
    raw = isinstance(formatter, argparse.RawDescriptionHelpFormatter)
    lines = [f"## `{parser.prog}`", ""]
    lines += _text(parser.description or summary, raw)
    lines += _usage(parser, formatter)
    for action in _subparser_actions(parser):
        lines += ["| command | what it does |", "|---|---|"]
        helps = _summaries(action)
        for name, sub in action.choices.items():
            lines.append(f"| [`{name}`](#{anchor(sub)}) | {_escape(helps.get(name) or '')} |")
        lines.append("")
    for group in parser._action_groups:
        shown = [a for a in group._group_actions if a in visible_actions(parser)]
        if shown:
            lines += [f"**{_escape(group.title or 'arguments')}**", ""]
            lines += _table(shown, formatter)
    return lines + _text(parser.epilog, raw)


def _text(text: str | None, raw: bool) -> list[str]:
    """Render a description or epilog: verbatim for the Raw* formatters, else one paragraph."""
    if not text:
        return []
    return [*(["```text", text.strip("\n"), "```"] if raw else [_escape(text)]), ""]


def _usage(parser: argparse.ArgumentParser, formatter: argparse.HelpFormatter) -> list[str]:
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, "")
    return ["```text", formatter.format_help().strip("\n"), "```", ""]


def _table(actions: list[argparse.Action], formatter: argparse.HelpFormatter) -> list[str]:
    lines = ["| argument | description | default |", "|---|---|---|"]
    for action in actions:
        invocation = formatter._format_action_invocation(action)
        helptext = formatter._expand_help(action) if action.help else ""
        if action.option_strings and action.required:
            helptext = f"(required) {helptext}"
        lines.append(f"| `{invocation}` | {_escape(helptext)} | {_default(action)} |")
    return [*lines, ""]


def _default(action: argparse.Action) -> str:
    """Return the default of an option taking a value, in code; empty for flags and None."""
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS, [], ()):
        return ""
    value = action.default
    shown = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return f"`{shown}`"


def _escape(text: str) -> str:
    """Help text as one line of Markdown that renders literally (also inside a table cell)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def _positional_name(action: argparse.Action) -> str:
    metavar = action.metavar
    return metavar if isinstance(metavar, str) else action.dest


def _subparser_actions(parser: argparse.ArgumentParser) -> list[argparse._SubParsersAction]:  # type: ignore[type-arg]
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def _summaries(action: argparse._SubParsersAction) -> dict[str, str | None]:  # type: ignore[type-arg]
    """Each subcommand's one-line help (the ``help=`` of ``add_parser``)."""
    return {choice.dest: choice.help for choice in action._choices_actions}


def _split_sections(markdown: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    for block in re.split(r"^(?=## )", markdown, flags=re.MULTILINE):
        heading = re.match(r"## `([^`]+)`", block)
        if heading:
            sections[heading.group(1)] = block
    return sections


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    from spindetect.cli import build_parser

    sys.stdout.write(render(build_parser()))
