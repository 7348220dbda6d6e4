"""Tests of the public namespace ``spindetect`` (``__all__``, lazy attributes)."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import types

import pytest

import spindetect
from spindetect import exceptions


def test_all_is_sorted_case_insensitively_without_duplicates() -> None:
    names = list(spindetect.__all__)
    assert names == sorted(names, key=str.casefold)
    assert len(names) == len(set(names))


#: ``spindetect.__all__`` of release 0.1.0 (b5a5838): a later release may only add names.
RELEASED = frozenset(
    """
    __version__ BinaryInputError char_shingles ClusterRecord compare compare_files Comparison
    content_shingles CorruptInputError Document EmptyInputError estimate_jaccard IdfTable
    IncompatibleSketchError IndexFormatError InputDecodeError InputError InputNotFoundError
    InputTooLargeError InvalidParameterError iter_documents jaccard LSHIndex LshTable MinHasher
    multi_signatures normalize NotAFileError optimal_params PairRecord read_text Relation
    relation RELATION_WEIGHTS scan ScanConfig ScanResult signatures skeleton_shingles SkipLog
    spin SpinDetectError SpinResult split_sentences split_title synonyms tfidf_cosine tokenize
    Tokens VerdictRules VerifyRules word_shingles
""".split()
)


def test_no_released_name_is_removed() -> None:
    assert RELEASED - set(spindetect.__all__) == set()


@pytest.mark.parametrize("name", sorted(spindetect.__all__))
def test_every_public_class_and_function_is_ours_and_documented(name: str) -> None:
    value = getattr(spindetect, name)
    if inspect.isclass(value) or inspect.isfunction(value):
        assert value.__module__.startswith("spindetect."), value.__module__
        assert (inspect.getdoc(value) or "").strip(), f"{name} has no docstring"


@pytest.mark.parametrize(
    "name", sorted(n for n in spindetect.__all__ if inspect.isfunction(getattr(spindetect, n)))
)
def test_public_functions_take_their_options_by_keyword(name: str) -> None:
    # The data (one or two inputs, or an input and its size) are positional; options are not.
    params = inspect.signature(getattr(spindetect, name)).parameters.values()
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert len(positional) <= 2, positional
    assert all(p.default is not p.empty for p in params if p.kind == p.KEYWORD_ONLY)


def test_exceptions_are_exported() -> None:
    for name in exceptions.__all__:
        assert name in spindetect.__all__
        assert getattr(spindetect, name) is getattr(exceptions, name)


def test_public_names_are_the_defining_modules_objects() -> None:
    import importlib

    from spindetect.pairwise import tfidf, titles
    from spindetect.text import shingles as shingle

    compare_module = importlib.import_module("spindetect.pairwise.comparison")

    assert spindetect.IdfTable is tfidf.IdfTable
    assert spindetect.tfidf_cosine is tfidf.tfidf_cosine
    assert spindetect.split_title is titles.split_title
    assert spindetect.jaccard is shingle.jaccard
    assert spindetect.VerdictRules is compare_module.VerdictRules
    assert spindetect.Comparison is compare_module.Comparison
    assert spindetect.compare_files is compare_module.compare_files
    assert "compare" in dir(spindetect) and "IdfTable" in dir(spindetect)


def test_version_is_a_string() -> None:
    assert isinstance(spindetect.__version__, str) and spindetect.__version__


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        spindetect.no_such_name  # noqa: B018
    assert not hasattr(spindetect, "_private_thing")


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_importing_spindetect_loads_no_heavy_dependency() -> None:
    # scikit-learn and the synthetic-data generator load on first use, not on import
    # (SciPy is not checked: numba imports it).
    proc = _fresh(
        "import sys, spindetect\n"
        "heavy = [m for m in ('sklearn', 'spindetect.synth.crawls')\n"
        "         if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


@pytest.mark.slow
def test_no_public_name_resolves_to_a_submodule() -> None:
    # Import every submodule first (as the CLI or a user's own imports may), then look.
    proc = _fresh(
        "import importlib, pkgutil, spindetect\n"
        "for m in pkgutil.iter_modules(spindetect.__path__):\n"
        "    if m.name != '__main__':\n"
        "        importlib.import_module('spindetect.' + m.name)\n"
        "import types\n"
        "print(' '.join(n for n in spindetect.__all__\n"
        "               if isinstance(getattr(spindetect, n), types.ModuleType)))"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == []


def test_public_names_are_not_modules_in_process() -> None:
    for name in spindetect.__all__:
        if name == "__version__":
            continue
        value = getattr(spindetect, name)
        assert not isinstance(value, types.ModuleType), name


def test_api_reference_page_documents_every_public_name() -> None:
    # docs/api.md renders each name with mkdocstrings; a name added to __all__ but not
    # to the page would be missing from the reference.
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^::: spindetect\.(\w+)$", page, flags=re.M))
    assert sorted(set(spindetect.__all__) - listed - {"__version__"}) == []
