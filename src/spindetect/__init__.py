"""spindetect: find, explain and cluster spun copies of articles.

Compare two documents::

    >>> import spindetect
    >>> spindetect.compare("The cat sat on the mat.", "The cat sat on the mat.").verdict
    'identical'

Scan a crawl with :func:`scan` (documents from :func:`iter_documents`), fingerprint
texts with :func:`signatures`, and look words up with :func:`relation`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .compare import Comparison, VerdictRules, compare, compare_files
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
from .lexicon import RELATION_WEIGHTS, Relation, relation, synonyms
from .lsh import LSHIndex, optimal_params
from .minhash import MinHasher, estimate_jaccard, multi_signatures, signatures
from .normalize import normalize
from .scan import ClusterRecord, PairRecord, ScanResult, scan
from .sentences import split_sentences
from .shingle import char_shingles, content_shingles, jaccard, skeleton_shingles, word_shingles
from .sources import Document, SkipLog, iter_documents
from .spin import SpinResult, spin
from .stages import LshTable, ScanConfig, VerifyRules
from .textfile import read_text
from .tfidf import IdfTable, tfidf_cosine
from .titles import split_title
from .tokenize import Tokens, tokenize

try:
    __version__ = version("spindetect")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [  # noqa: RUF022 - sorted case-insensitively (tests/test_public_api.py)
    "__version__",
    "BinaryInputError",
    "char_shingles",
    "ClusterRecord",
    "compare",
    "compare_files",
    "Comparison",
    "content_shingles",
    "CorruptInputError",
    "Document",
    "EmptyInputError",
    "estimate_jaccard",
    "IdfTable",
    "IncompatibleSketchError",
    "IndexFormatError",
    "InputDecodeError",
    "InputError",
    "InputNotFoundError",
    "InputTooLargeError",
    "InvalidParameterError",
    "iter_documents",
    "jaccard",
    "LSHIndex",
    "LshTable",
    "MinHasher",
    "multi_signatures",
    "normalize",
    "NotAFileError",
    "optimal_params",
    "PairRecord",
    "read_text",
    "Relation",
    "relation",
    "RELATION_WEIGHTS",
    "scan",
    "ScanConfig",
    "ScanResult",
    "signatures",
    "skeleton_shingles",
    "SkipLog",
    "spin",
    "SpinDetectError",
    "SpinResult",
    "split_sentences",
    "split_title",
    "synonyms",
    "tfidf_cosine",
    "tokenize",
    "Tokens",
    "VerdictRules",
    "VerifyRules",
    "word_shingles",
]
