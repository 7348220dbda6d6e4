"""spindetect: find, explain and cluster spun copies of articles.

The public API is re-exported here. Functions named like their modules
(``compare``, ``scan``, ``tokenize``, ``normalize``) are imported eagerly so the
function, not the submodule, is what ``spindetect.compare`` means; the rest is
loaded on first use::

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

from .compare import Comparison, VerdictRules, compare, compare_files
from .normalize import normalize
from .scan import scan
from .tokenize import Tokens, tokenize

try:
    __version__ = version("spindetect")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

# public name -> module that defines it (imported on first access)
_LAZY = {
    "ClusterRecord": "scan",
    "Document": "sources",
    "IdfTable": "tfidf",
    "LSHIndex": "lsh",
    "LshTable": "stages",
    "MinHasher": "minhash",
    "PairRecord": "scan",
    "RELATION_WEIGHTS": "lexicon",
    "Relation": "lexicon",
    "ScanConfig": "stages",
    "ScanResult": "scan",
    "SkipLog": "sources",
    "SpinResult": "spin",
    "VerifyRules": "stages",
    "char_shingles": "shingle",
    "content_shingles": "shingle",
    "estimate_jaccard": "minhash",
    "iter_documents": "sources",
    "jaccard": "shingle",
    "multi_signatures": "minhash",
    "optimal_params": "lsh",
    "read_text": "textfile",
    "relation": "lexicon",
    "signatures": "minhash",
    "skeleton_shingles": "shingle",
    "spin": "spin",
    "split_sentences": "sentences",
    "split_title": "titles",
    "synonyms": "lexicon",
    "tfidf_cosine": "tfidf",
    "word_shingles": "shingle",
}
_EAGER = ["Comparison", "Tokens", "VerdictRules", "compare", "compare_files", "normalize",
          "scan", "tokenize"]

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
        *_EAGER,
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
