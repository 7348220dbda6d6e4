"""Exceptions raised by spindetect.

Every error the library raises on purpose derives from :class:`SpinDetectError`,
and each also derives from the closest built-in so that ``except ValueError``
style handlers keep working::

    SpinDetectError
    ├── InvalidParameterError (ValueError)      a bad option value
    ├── IncompatibleSketchError (ValueError)    sketches built with other parameters
    ├── IndexFormatError                        an on-disk index that cannot be used
    │   └── IndexCorruptError                   damaged pages, rows or values in an index
    ├── OutputError                             an output file that cannot be written
    └── InputError                              a document that cannot be read
        ├── InputNotFoundError (FileNotFoundError)
        ├── NotAFileError (IsADirectoryError)
        ├── EmptyInputError
        ├── BinaryInputError
        ├── InputDecodeError (UnicodeError)
        ├── InputTooLargeError
        └── CorruptInputError                   truncated or malformed archives/records

Input errors carry the offending ``source`` (a path or record id) so that a
command-line front end can print one line naming the file and the problem.
"""

from __future__ import annotations

__all__ = [
    "BinaryInputError",
    "CorruptInputError",
    "EmptyInputError",
    "IncompatibleSketchError",
    "IndexCorruptError",
    "IndexFormatError",
    "InputDecodeError",
    "InputError",
    "InputNotFoundError",
    "InputTooLargeError",
    "InvalidParameterError",
    "NotAFileError",
    "OutputError",
    "SpinDetectError",
]


class SpinDetectError(Exception):
    """Base class of every error spindetect raises on purpose."""


class InvalidParameterError(SpinDetectError, ValueError):
    """An option has a value outside its allowed range or set."""


class IncompatibleSketchError(SpinDetectError, ValueError):
    """Two sketches or indexes were built with different parameters."""


class IndexFormatError(SpinDetectError):
    """An on-disk index is missing, corrupt or built with other parameters."""


class IndexCorruptError(IndexFormatError):
    """An index file is damaged: SQLite finds bad pages, or a row holds impossible values."""


class OutputError(SpinDetectError):
    """An output cannot be written: no such directory, not writable, an input, or disk full."""


class InputError(SpinDetectError):
    """A document could not be read.

    Parameters
    ----------
    source : str
        The path, URL or record id of the document.
    problem : str
        A short, lower-case description of what is wrong.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Rebuild from (source, problem) so errors survive pickling across processes.
        return type(self), (self.source, self.problem)


class InputNotFoundError(InputError, FileNotFoundError):
    """The named file does not exist."""


class NotAFileError(InputError, IsADirectoryError):
    """The named path is a directory or another non-regular file."""


class EmptyInputError(InputError):
    """The document holds no text."""


class BinaryInputError(InputError):
    """The document is binary data, not text."""


class InputDecodeError(InputError, UnicodeError):
    """The document's bytes are not valid in any accepted text encoding."""


class InputTooLargeError(InputError):
    """The document is larger than the configured size limit."""


class CorruptInputError(InputError):
    """An archive or record is truncated or malformed."""
