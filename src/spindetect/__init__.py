"""spindetect: find, explain and cluster spun copies of articles.

Compare two documents::

    >>> import spindetect
    >>> spindetect.compare("The cat sat on the mat.", "The cat sat on the mat.").verdict
    'identical'

Scan a crawl with :func:`scan` (documents from :func:`iter_documents`), fingerprint
texts with :func:`signatures`, keep fingerprints on disk with :class:`SpinIndex`, and
look words up with :func:`relation`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from spindetect.crawl.index import AddReport, SpinIndex
from spindetect.crawl.records import ClusterRecord, PairRecord, ScanResult
from spindetect.crawl.scanning import scan
from spindetect.exceptions import (
    BinaryInputError,
    CorruptInputError,
    EmptyInputError,
    IncompatibleSketchError,
    IndexCorruptError,
    IndexFormatError,
    InputDecodeError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    InvalidParameterError,
    NotAFileError,
    OutputError,
    SpinDetectError,
)
from spindetect.inspection.inspector import Inspection, inspect, inspect_scores
from spindetect.pairwise.comparison import Comparison, compare, compare_files
from spindetect.pairwise.lexicon import RELATION_WEIGHTS, Relation, relation, synonyms
from spindetect.pairwise.tfidf import IdfTable, tfidf_cosine
from spindetect.pairwise.titles import split_title
from spindetect.settings import LshTable, ScanConfig, VerdictRules, VerifyRules
from spindetect.sketch.lsh import LSHIndex, optimal_params
from spindetect.sketch.minhash import MinHasher, estimate_jaccard, multi_signatures, signatures
from spindetect.sources.document import Document
from spindetect.sources.iterate import iter_documents
from spindetect.sources.skips import SkipLog
from spindetect.sources.textfile import read_text
from spindetect.synth.spinner import SpinResult, spin
from spindetect.text.function_words import FunctionWords
from spindetect.text.normalization import normalize
from spindetect.text.sentences import split_sentences
from spindetect.text.shingles import (
    char_shingles,
    content_shingles,
    jaccard,
    skeleton_shingles,
    word_shingles,
)
from spindetect.text.tokens import Tokens, tokenize

try:
    __version__ = version("spindetect")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [  # noqa: RUF022 - sorted case-insensitively (tests/test_public_api.py)
    "__version__",
    "AddReport",
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
    "FunctionWords",
    "IdfTable",
    "IncompatibleSketchError",
    "IndexCorruptError",
    "IndexFormatError",
    "InputDecodeError",
    "InputError",
    "InputNotFoundError",
    "InputTooLargeError",
    "inspect",
    "inspect_scores",
    "Inspection",
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
    "OutputError",
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
    "SpinIndex",
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
