"""One-line descriptions of exceptions for skip reasons."""

from __future__ import annotations

__all__ = ["describe", "first_line"]


def describe(exc: BaseException) -> str:
    """Return the first line of ``exc``'s message, or its type name when it has none."""
    return first_line(str(exc)) or type(exc).__name__


def first_line(text: str) -> str:
    """Return the first non-blank line of ``text`` stripped (``""`` when it is blank)."""
    return text.strip().splitlines()[0] if text.strip() else ""
