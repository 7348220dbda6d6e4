"""Parameter checks whose messages name the parameter, its value and the allowed range."""

from __future__ import annotations

import enum
import numbers
import warnings
from collections.abc import Collection, Iterable
from typing import Any, Final, TypeVar

from spindetect.exceptions import InvalidParameterError

_T = TypeVar("_T")
_S = TypeVar("_S", bound=Collection[Any])


def check_int(name: str, value: Any, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` if it is an int within ``[low, high]``, else raise.

    Raises
    ------
    InvalidParameterError
        With a message such as ``"num_perm must be an integer in [1, 1024], got 0"``.
    """
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and low is not None and value < low:
        ok = False
    if ok and high is not None and value > high:
        ok = False
    if not ok:
        raise InvalidParameterError(
            f"{name} must be an integer in {_range_text(low, high)}, got {value!r}"
        )
    return int(value)


def check_float(
    name: str, value: Any, *, low: float | None = None, high: float | None = None
) -> float:
    """Return ``value`` as a float if it is a real number within ``[low, high]``, else raise."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok and value != value:  # NaN
        ok = False
    if ok and low is not None and value < low:
        ok = False
    if ok and high is not None and value > high:
        ok = False
    if not ok:
        raise InvalidParameterError(
            f"{name} must be a number in {_range_text(low, high)}, got {value!r}"
        )
    return float(value)


def check_choice(name: str, value: Any, choices: Collection[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise."""
    try:
        known = value in choices
    except TypeError:  # unhashable value tested against a set
        known = False
    if not known:
        allowed = ", ".join(repr(c) for c in sorted(choices, key=str))
        raise InvalidParameterError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def check_instance(name: str, value: Any, kind: type[_T], *, optional: bool = True) -> _T | None:
    """Return ``value`` if it is a ``kind`` (or None when ``optional``), else raise.

    Raises
    ------
    InvalidParameterError
        With a message such as ``"config must be a ScanConfig or None, got 5"``.
    """
    if (value is None and optional) or isinstance(value, kind):
        return value
    article = "an" if kind.__name__[:1] in "AEIOU" else "a"
    allowed = f"{article} {kind.__name__}" + (" or None" if optional else "")
    raise InvalidParameterError(f"{name} must be {allowed}, got {_short(value)}")


def check_str(name: str, value: Any) -> str:
    """Return ``value`` if it is a ``str``, else raise (``"text must be a str, got None"``)."""
    if not isinstance(value, str):
        raise InvalidParameterError(f"{name} must be a str, got {_short(value)}")
    return value


def check_collection(name: str, value: Any, *, of: str = "documents") -> Iterable[Any]:
    """Return ``value`` if it is an iterable other than a single ``str``/``bytes``, else raise.

    A lone string is refused because iterating it would treat each character
    as one item (``scan("some text")`` scanning letters).

    Raises
    ------
    InvalidParameterError
        ``"documents must be an iterable of documents, got a single str: 'abc'"``.
    """
    if isinstance(value, (str, bytes, bytearray)):
        raise InvalidParameterError(
            f"{name} must be an iterable of {of}, got a single {type(value).__name__}: "
            f"{_short(value)} (wrap it in a list)"
        )
    try:
        iter(value)
    except TypeError:
        raise InvalidParameterError(
            f"{name} must be an iterable of {of}, got {_short(value)}"
        ) from None
    return value  # type: ignore[no-any-return]


def check_items(name: str, values: _S, kind: type = str) -> _S:
    """Return ``values`` (a collection already checked) if every item is a ``kind``, else raise.

    Raises
    ------
    InvalidParameterError
        Naming the first bad item: ``"texts must hold str, got int: 5 (item 2)"``.
    """
    for k, value in enumerate(values):
        if not isinstance(value, kind):
            raise InvalidParameterError(
                f"{name} must hold {kind.__name__}, got {type(value).__name__}: "
                f"{_short(value)} (item {k})"
            )
    return values


def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _range_text(low: float | None, high: float | None) -> str:
    lo = "-inf" if low is None else str(low)
    hi = "inf" if high is None else str(high)
    return f"[{lo}, {hi}]"


class Unset(enum.Enum):
    """Type of :data:`UNSET`: the default of a former option name for which None is a value."""

    UNSET = "UNSET"


#: "Not given", where None already means something (``processes=None``: all cores).
UNSET: Final = Unset.UNSET


def renamed_option(
    old: str,
    old_value: Any,
    new: str,
    new_value: Any,
    *,
    unset: Any = None,
    new_default: Any = None,
) -> Any:
    """Return the value of option ``new``, accepting its former name ``old`` with a warning.

    ``old_value`` is not given when it ``is unset`` (None, or :data:`UNSET`
    where None is a meaningful value); ``new_value`` is not given when it equals
    ``new_default``.

    Raises
    ------
    InvalidParameterError
        If both names are given.
    """
    if old_value is unset:
        return new_value
    if new_value != new_default:
        raise InvalidParameterError(
            f"give {new}= only ({old}= is its former name), "
            f"got {new}={new_value!r} and {old}={old_value!r}"
        )
    warnings.warn(f"{old}= is now called {new}=", DeprecationWarning, stacklevel=3)
    return old_value
