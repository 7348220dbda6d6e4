"""Rendering a :class:`~spindetect.compare.Comparison` for people (rich) and machines (JSON).

Text from documents (ids, titles, file names, passages) is hostile input: it
reaches the terminal only through :func:`printable` (control characters shown
as ``\\x1b``-style escapes, so no escape sequence runs) and, where rich reads
markup, through :func:`escape` or a :class:`rich.text.Text` (so ``[bold]`` is
shown, not applied).
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

from spindetect.pairwise.comparison import Comparison, Passage
from spindetect.pairwise.substitutions import Substitution

__all__ = ["escape", "printable", "render_json", "render_text"]

# C0 and C1 controls, DEL, and the bidirectional overrides and isolates that can
# reorder what a terminal shows ("Trojan source"); tab and newline are handled apart.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_SPACE = re.compile(f"{_CONTROL.pattern}|[\t\n]")


def printable(text: str, *, newlines: bool = True) -> str:
    """Return ``text`` with every control character replaced by its escape.

    ``"\\x1b[2J"`` becomes the six visible characters ``\\x1b[2J`` (no screen
    clearing); tab and newline are kept unless ``newlines`` is False.

    Examples
    --------
    >>> printable("a\\x1b[2Jb\\u202ec")
    'a\\\\x1b[2Jb\\\\u202ec'
    >>> printable("one\\ntwo", newlines=False)
    'one\\\\ntwo'
    """
    pattern = _CONTROL if newlines else _CONTROL_OR_SPACE
    return pattern.sub(_escape_char, str(text))


def escape(text: str) -> str:
    """Return ``text`` safe to print as rich markup: :func:`printable`, one line, markup escaped.

    Examples
    --------
    >>> escape("[bold]x\\x1b")
    '\\\\[bold]x\\\\x1b'
    """
    from rich.markup import escape as markup_escape

    return markup_escape(printable(text, newlines=False))


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _same_length(text: str) -> str:
    """Control characters (but tab and newline) as U+FFFD: offsets into ``text`` still hold."""
    return _CONTROL.sub("\ufffd", text)


_STYLE = {
    "swap": ("bold red", "bold green"),
    "insert": ("", "bold magenta"),
    "delete": ("bold magenta", ""),
    "rewrite": ("yellow", "yellow"),
}
_VERDICT_STYLE = {
    "identical": "bold red",
    "near-duplicate": "bold red",
    "spun": "bold red",
    "partial": "bold yellow",
    "unrelated": "bold green",
}


def render_json(result: Comparison, *, names: tuple[str, str] = ("a", "b"), **extra: Any) -> str:
    """Return the JSON document for ``result`` (see ``Comparison.to_dict``), plus ``extra`` keys."""
    doc = {"a": names[0], "b": names[1], **result.to_dict(), **extra}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render_text(
    result: Comparison,
    *,
    names: tuple[str, str] = ("a", "b"),
    file: IO[str] | None = None,
    color: bool | None = None,
    max_passages: int = 8,
    max_substitutions: int = 30,
    width: int | None = None,
) -> None:
    """Print a readable report: verdict, scores, titles, substitutions, inserts, passages.

    Parameters
    ----------
    result : Comparison
        What to render.
    names : tuple of str
        Labels of the two documents (file names).
    file : text stream, optional
        Where to print; standard output by default.
    color : bool or None
        Force colours on or off; None lets rich decide (off when not a terminal).
    max_passages, max_substitutions : int
        How many passages and substitution-map rows to show (-1: all).
    width : int, optional
        Console width.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(
        file=file,
        force_terminal=color,
        no_color=color is False,
        width=width,
        highlight=False,
        soft_wrap=False,
    )
    a_name, b_name = names
    verdict = Text.assemble(
        ("Verdict: ", "bold"),
        (result.verdict.upper(), _VERDICT_STYLE[result.verdict]),
        f"  (confidence {result.confidence:.2f})",
    )
    console.print(verdict)
    console.print(Text(f"a = {printable(a_name, newlines=False)}"))
    console.print(Text(f"b = {printable(b_name, newlines=False)}"))
    stats = result.stats
    console.print(
        f"{stats.get('tokens_a', 0)} / {stats.get('tokens_b', 0)} body words, "
        f"{stats.get('aligned_pairs', 0)} aligned sentence pairs "
        f"({stats.get('moved_pairs', 0)} moved), {stats.get('swaps', 0)} substitutions"
    )

    scores = Table(title="Scores (0 to 1)", box=box.SIMPLE, title_justify="left")
    scores.add_column("score")
    scores.add_column("value", justify="right")
    for name, value in result.scores.items():
        scores.add_row(name, f"{value:.3f}")
    console.print(scores)

    for side in ("a", "b"):
        t = result.titles.get(side)
        if t is None:
            continue
        flag = Text("MISMATCH", style="bold red") if t.mismatch else Text("fits", style="green")
        extra = f", repeated {t.repeats}x" if t.repeats > 1 else ""
        if t.labels:
            extra += ", labels: " + ", ".join(repr(x) for x in t.labels)
        console.print(
            Text.assemble(
                f"Title {side}: ",
                (repr(t.text), "bold"),
                " - ",
                flag,
                f" (fits own body {t.body_similarity:.2f}, other body "
                f"{t.other_body_similarity:.2f}{extra})",
            )
        )

    if result.substitutions:
        subs = Table(
            title=f"Substitution map ({len(result.substitutions)} distinct)",
            box=box.SIMPLE,
            title_justify="left",
        )
        subs.add_column("a")
        subs.add_column("b")
        subs.add_column("count", justify="right")
        subs.add_column("relation")
        shown = (
            result.substitutions
            if max_substitutions < 0
            else result.substitutions[:max_substitutions]
        )
        for s in shown:
            subs.add_row(
                Text(printable(s.original)),
                Text(printable(s.replacement)),
                str(s.count),
                _relation_name(s),
            )
        console.print(subs)
        if len(shown) < len(result.substitutions):
            console.print(f"... {len(result.substitutions) - len(shown)} more (--json for all)")

    for side in ("a", "b"):
        phrases = result.inserted.get(side, ())
        if phrases:
            console.print(Text(f"Only in {side}:", style="bold"))
            for phrase in phrases:
                console.print(Text(f"  + {printable(_clip(phrase, 160))}", style="magenta"))

    passages = [p for p in result.passages if p.kind != "identical"] or list(result.passages)
    if passages and max_passages != 0:
        table = Table(
            title="Aligned passages (changes highlighted)",
            box=box.SIMPLE,
            title_justify="left",
            show_lines=True,
            expand=True,
        )
        table.add_column(Text(f"a: {printable(a_name, newlines=False)}"), ratio=1)
        table.add_column(Text(f"b: {printable(b_name, newlines=False)}"), ratio=1)
        table.add_column("kind")
        shown_p = passages if max_passages < 0 else passages[:max_passages]
        for p in shown_p:
            table.add_row(
                _highlight(result.text_a, p, "a"), _highlight(result.text_b, p, "b"), p.kind
            )
        console.print(table)
        if len(shown_p) < len(passages):
            console.print(f"... {len(passages) - len(shown_p)} more passages (--passages -1)")


def _highlight(text: str, passage: Passage, side: str) -> Any:
    from rich.text import Text

    start, end = passage.a if side == "a" else passage.b
    out = Text(_same_length(text[start:end]))
    for change in passage.changes:
        s, e = change.a if side == "a" else change.b
        style = _STYLE[change.kind][0 if side == "a" else 1]
        if e > s and style:
            out.stylize(style, s - start, e - start)
    return out


def _relation_name(s: Substitution) -> str:
    return "" if s.relation is None else s.relation.value


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
