"""spindetect: find, explain and cluster spun copies of articles.

The public API is re-exported here and loaded lazily, so ``import spindetect``
and the command line start fast::

    >>> import spindetect
    >>> spindetect.compare("The cat sat.", "The cat sat.").verdict
    'identical'
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .exceptions import (
    BinaryInputError,
    CorruptInputError,
    EmptyInputError,
    IncompatibleSketchError,
    IndexFormatError,
    InputDecodeError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    InvalidParameterError,
    NotAFileError,
    SpinDetectError,
)

try:
    __version__ = version("spindetect")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

# public name -> module that defines it (imported on first access)
_LAZY = {
    "Comparison": "compare",
    "IdfTable": "tfidf",
    "Tokens": "tokenize",
    "VerdictRules": "compare",
    "char_shingles": "shingle",
    "compare": "compare",
    "compare_files": "compare",
    "containment": "shingle",
    "content_shingles": "shingle",
    "jaccard": "shingle",
    "normalize": "normalize",
    "read_text": "textfile",
    "skeleton_shingles": "shingle",
    "split_sentences": "sentences",
    "split_title": "titles",
    "tfidf_cosine": "tfidf",
    "tokenize": "tokenize",
    "word_shingles": "shingle",
}

__all__ = sorted(
    [
        "BinaryInputError",
        "CorruptInputError",
        "EmptyInputError",
        "IncompatibleSketchError",
        "IndexFormatError",
        "InputDecodeError",
        "InputError",
        "InputNotFoundError",
        "InputTooLargeError",
        "InvalidParameterError",
        "NotAFileError",
        "SpinDetectError",
        "__version__",
        *_LAZY,
    ],
    key=str.casefold,
)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'spindetect' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"spindetect.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
