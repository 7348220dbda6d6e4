"""The few spindetect internals the inspection subpackage uses, imported in one place."""

from __future__ import annotations

from spindetect._parallel import resolve_workers, split_ranges
from spindetect._validation import check_choice, check_float, check_int
from spindetect.exceptions import IndexFormatError, InvalidParameterError
from spindetect.sketch._kernels import codepoint_tables, tokenize_hashes
from spindetect.text._hashing import GOLDEN, fmix64, hash_forms
from spindetect.text.tokens import Tokens, tokenize

__all__ = [
    "GOLDEN",
    "IndexFormatError",
    "InvalidParameterError",
    "Tokens",
    "check_choice",
    "check_float",
    "check_int",
    "codepoint_tables",
    "fmix64",
    "hash_forms",
    "resolve_workers",
    "split_ranges",
    "tokenize",
    "tokenize_hashes",
]
