"""Tests of the exception tree in spindetect.exceptions."""

from __future__ import annotations

import pickle

import pytest

from spindetect import exceptions
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

# class -> (direct spindetect parent, documented built-in base or None)
TREE = {
    InvalidParameterError: (SpinDetectError, ValueError),
    IncompatibleSketchError: (SpinDetectError, ValueError),
    IndexFormatError: (SpinDetectError, None),
    IndexCorruptError: (IndexFormatError, None),
    OutputError: (SpinDetectError, None),
    InputError: (SpinDetectError, None),
    InputNotFoundError: (InputError, FileNotFoundError),
    NotAFileError: (InputError, IsADirectoryError),
    EmptyInputError: (InputError, None),
    BinaryInputError: (InputError, None),
    InputDecodeError: (InputError, UnicodeError),
    InputTooLargeError: (InputError, None),
    CorruptInputError: (InputError, None),
}
INPUT_ERRORS = [cls for cls in TREE if issubclass(cls, InputError)]


def test_all_lists_every_exception_class() -> None:
    public = {
        name
        for name, obj in vars(exceptions).items()
        if isinstance(obj, type)
        and issubclass(obj, BaseException)
        and obj.__module__ == exceptions.__name__
    }
    assert set(exceptions.__all__) == public
    assert exceptions.__all__ == sorted(exceptions.__all__)
    assert set(TREE) | {SpinDetectError} == {getattr(exceptions, n) for n in exceptions.__all__}


def test_base_is_a_plain_exception() -> None:
    assert issubclass(SpinDetectError, Exception)
    assert not issubclass(SpinDetectError, (ValueError, OSError))


@pytest.mark.parametrize(("cls", "parents"), TREE.items(), ids=lambda x: getattr(x, "__name__", ""))
def test_tree(cls: type[Exception], parents: tuple[type, type | None]) -> None:
    parent, builtin = parents
    assert issubclass(cls, SpinDetectError)
    assert issubclass(cls, parent)
    if builtin is not None:
        assert issubclass(cls, builtin)


@pytest.mark.parametrize(
    "cls",
    [IndexFormatError, EmptyInputError, BinaryInputError, InputTooLargeError, CorruptInputError],
)
def test_undocumented_builtins_are_not_inherited(cls: type[Exception]) -> None:
    assert not issubclass(cls, (ValueError, OSError, UnicodeError))


def test_value_errors_catchable_as_valueerror() -> None:
    with pytest.raises(ValueError, match="bad"):
        raise InvalidParameterError("bad")
    with pytest.raises(ValueError, match="mismatch"):
        raise IncompatibleSketchError("mismatch")


@pytest.mark.parametrize("cls", INPUT_ERRORS, ids=lambda c: c.__name__)
def test_input_error_message_and_attributes(cls: type[InputError]) -> None:
    exc = cls("docs/a.txt", "file is empty")
    assert str(exc) == "docs/a.txt: file is empty"
    assert exc.source == "docs/a.txt"
    assert exc.problem == "file is empty"
    with pytest.raises(SpinDetectError, match=r"^docs/a\.txt: file is empty$"):
        raise exc


def test_input_error_source_is_converted_to_str(tmp_path) -> None:
    exc = InputError(tmp_path / "x.txt", "no such file")  # type: ignore[arg-type]
    assert exc.source == str(tmp_path / "x.txt")
    assert isinstance(exc.source, str)
    assert str(exc) == f"{tmp_path / 'x.txt'}: no such file"


def test_os_error_subclasses_keep_the_message() -> None:
    exc = InputNotFoundError("missing.txt", "no such file")
    assert isinstance(exc, OSError)
    assert str(exc) == "missing.txt: no such file"
    with pytest.raises(FileNotFoundError, match=r"missing\.txt: no such file"):
        raise exc
    with pytest.raises(IsADirectoryError, match="dir: is a directory"):
        raise NotAFileError("dir", "is a directory")


@pytest.mark.parametrize("cls", INPUT_ERRORS, ids=lambda c: c.__name__)
def test_input_errors_survive_pickling(cls: type[InputError]) -> None:
    # Errors raised in worker processes travel back to the parent by pickle.
    exc = cls("shard-3/doc-17", "binary data, not text")
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is cls
    assert copy.source == "shard-3/doc-17"
    assert copy.problem == "binary data, not text"
    assert str(copy) == str(exc)


@pytest.mark.parametrize(
    "cls", [SpinDetectError, InvalidParameterError, IncompatibleSketchError, IndexFormatError]
)
def test_plain_errors_survive_pickling(cls: type[Exception]) -> None:
    copy = pickle.loads(pickle.dumps(cls("num_perm must be ...")))
    assert type(copy) is cls
    assert str(copy) == "num_perm must be ..."
