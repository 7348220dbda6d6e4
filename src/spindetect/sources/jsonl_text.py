"""Parsing one JSONL line: orjson when installed, else (and on anything orjson refuses) stdlib json.

orjson parses the 3 KB lines of a crawl several times faster than :func:`json.loads`.
It is stricter (no ``NaN``, no lone surrogates, no encoded surrogates in UTF-8,
no byte-order mark): a line it refuses is parsed again by :func:`json.loads`, and
so is a float or an object with a float among its top-level values (orjson reads integers
past 64 bits as floats, where a record's ``id`` must stay an integer). Every line
thus gives the value, or the error message, that stdlib json gives. The same
parser reads a line back for a document's
:class:`~spindetect.sources.document.TextOrigin`, so the text read back equals the
text first read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["loads", "no_surrogates", "parse", "record_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")  # lone surrogates: valid JSON, not encodable text


def _fast_loads() -> Callable[[bytes], Any] | None:
    try:
        import orjson
    except ImportError:  # the stdlib parser alone gives the same values
        return None
    return orjson.loads


_ORJSON = _fast_loads()


def parse(line: bytes) -> tuple[Any, bool]:
    """Parse one JSON value as :func:`json.loads` does; say whether it may hold lone surrogates.

    Returns
    -------
    value : object
        What :func:`json.loads` returns for ``line``.
    surrogates : bool
        False when orjson parsed the line: it refuses lone surrogates, so no
        string of ``value`` holds one and :func:`no_surrogates` can be skipped.

    Raises
    ------
    ValueError, UnicodeDecodeError
        Those of :func:`json.loads`, with its messages.
    """
    if _ORJSON is not None:
        try:
            value = _ORJSON(line)
        except ValueError:  # orjson.JSONDecodeError: let stdlib json decide and say why
            pass
        else:
            values = value.values() if isinstance(value, dict) else (value,)
            if float not in map(type, values):
                return value, False
    return json.loads(line), True


def loads(line: bytes) -> Any:
    """Parse one JSON value as :func:`json.loads` does (faster with orjson).

    Raises
    ------
    ValueError, UnicodeDecodeError
        Those of :func:`json.loads`, with its messages.
    """
    return parse(line)[0]


def no_surrogates(value: str) -> str:
    r"""Replace lone surrogates (``"\ud800"`` is valid JSON) by U+FFFD, as a decoder would.

    Python keeps them in the string, and any later encoding (an output file,
    the terminal) would fail on them.
    """
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def record_text(line: bytes) -> str:
    """Return the ``text`` of the JSONL record on ``line``, as the reader made it.

    Raises
    ------
    ValueError
        The line is no longer a JSON object with a string ``text``.
    """
    record, surrogates = parse(line)
    text = record.get("text") if isinstance(record, dict) else None
    if not isinstance(text, str):
        msg = "the line no longer holds a JSON object with a string 'text'"
        raise ValueError(msg)
    return no_surrogates(text) if surrogates else text
