"""Tests of the public namespace ``spindetect`` (``__all__``, lazy attributes)."""

from __future__ import annotations

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


@pytest.mark.parametrize("name", sorted(spindetect.__all__))
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(spindetect, name)
    assert value is not None


def test_exceptions_are_exported() -> None:
    for name in exceptions.__all__:
        assert name in spindetect.__all__
        assert getattr(spindetect, name) is getattr(exceptions, name)


def test_lazy_attributes_are_the_module_objects() -> None:
    import importlib

    from spindetect import shingle, tfidf, titles

    compare_module = importlib.import_module("spindetect.compare")

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
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)


def test_lazy_import_works_in_a_fresh_interpreter() -> None:
    proc = _fresh("import spindetect, sys\n"
                  "assert 'spindetect.spin' not in sys.modules\n"
                  "f = spindetect.spin\n"
                  "assert 'spindetect.spin' in sys.modules\n"
                  "print(f.__module__)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "spindetect.spin"


def test_function_names_shadowing_submodules_stay_functions() -> None:
    proc = _fresh("from spindetect.compare import VerdictRules\nimport spindetect\n"
                  "import spindetect.scan\n"
                  "for name in ('compare', 'tokenize', 'normalize', 'scan'):\n"
                  "    print(name, type(getattr(spindetect, name)).__name__)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["compare", "function", "tokenize", "function",
                                   "normalize", "function", "scan", "function"]


def test_in_process_names_are_callable_or_types() -> None:
    for name in spindetect.__all__:
        if name == "__version__":
            continue
        value = getattr(spindetect, name)
        assert not isinstance(value, types.ModuleType), name
        assert callable(value) or name.isupper(), name
