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
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)


def test_public_names_are_bound_in_the_namespace() -> None:
    # lazily loaded or imported eagerly, a name is bound once it has been used
    for name in spindetect.__all__:
        value = getattr(spindetect, name)
        assert vars(spindetect)[name] is value, name
        assert name in dir(spindetect)


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
