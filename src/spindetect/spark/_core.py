"""Every spindetect internal the Spark engine uses, imported here and nowhere else.

The Spark engine computes nothing of its own: fingerprints, band keys, bucket
expansion, verdicts, connected components and family descriptions are the
in-process stage functions, called on the rows each executor holds. When a
stage moves between modules, only these imports change.
"""

from __future__ import annotations

from spindetect._parallel import unique_counts
from spindetect.crawl.families import describe_families
from spindetect.crawl.records import (
    Candidates,
    ClusterRecord,
    DocumentRecord,
    DocumentTable,
    Fingerprints,
    PairRecord,
    PairVerdicts,
    ScanResult,
)
from spindetect.crawl.stages import (
    cluster,
    drop_templated,
    estimate_between,
    fingerprint,
    learn_function_words,
    tune_bands,
    verify_pairs,
    verify_passages,
)
from spindetect.crawl.texts import SequenceTexts
from spindetect.inspection import DEFAULT_THRESHOLD, inspect_scores
from spindetect.settings import CONTENT, SKELETON, ScanConfig, VerifyRules
from spindetect.sketch._pairs import (
    index_bits,
    pack_rows,
    pack_sets,
    sorted_group_pairs,
    split_keys,
)
from spindetect.sketch.lsh import band_keys
from spindetect.sketch.sampled import SampledShingles
from spindetect.sources.document import Document
from spindetect.sources.paths import SourceFile, plan_sources
from spindetect.sources.reader import FileReader
from spindetect.sources.skips import SkipLog
from spindetect.text.function_words import FunctionWords

__all__ = [
    "CONTENT",
    "DEFAULT_THRESHOLD",
    "SKELETON",
    "Candidates",
    "ClusterRecord",
    "Document",
    "DocumentRecord",
    "DocumentTable",
    "FileReader",
    "Fingerprints",
    "FunctionWords",
    "PairRecord",
    "PairVerdicts",
    "SampledShingles",
    "ScanConfig",
    "ScanResult",
    "SequenceTexts",
    "SkipLog",
    "SourceFile",
    "VerifyRules",
    "band_keys",
    "cluster",
    "describe_families",
    "drop_templated",
    "estimate_between",
    "fingerprint",
    "index_bits",
    "inspect_scores",
    "learn_function_words",
    "pack_rows",
    "pack_sets",
    "plan_sources",
    "sorted_group_pairs",
    "split_keys",
    "tune_bands",
    "unique_counts",
    "verify_pairs",
    "verify_passages",
]
