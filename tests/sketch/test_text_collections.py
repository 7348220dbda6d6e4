"""Entry points taking ``texts`` refuse a lone string, a non-iterable and a non-str item alike.

The checks are :func:`spindetect._validation.check_collection` and
:func:`~spindetect._validation.check_items`, so the messages name the
parameter and the offending value the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pytest

from spindetect.exceptions import InvalidParameterError
from spindetect.sketch.minhash import Fingerprinter, SignatureSpec, signatures
from spindetect.sketch.tokenizing import token_hashes
from spindetect.text.function_words import FunctionWords

TEXTS = ["The cat sat on the mat.", "A dog ran in the park today.", ""]


def _fingerprint(texts: Iterable[str]) -> Any:
    with Fingerprinter({"c": SignatureSpec("content", 1, 16)}) as f:
        f.add(texts)  # type: ignore[arg-type]
        return f.result()[0]["c"]


ENTRY_POINTS: dict[str, Callable[[Any], Any]] = {
    "token_hashes": lambda texts: token_hashes(texts),
    "FunctionWords.from_texts": lambda texts: FunctionWords.from_texts(texts).hashes,
    "signatures": lambda texts: signatures(texts, num_perm=16),
    "Fingerprinter.add": _fingerprint,
}


@pytest.fixture(params=sorted(ENTRY_POINTS))
def entry(request: pytest.FixtureRequest) -> Callable[[Any], Any]:
    return ENTRY_POINTS[request.param]


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ("some text", "texts must be an iterable of str, got a single str: 'some text' (wrap"),
        (b"bytes", "texts must be an iterable of str, got a single bytes"),
        (None, "texts must be an iterable of str, got None"),
        (5, "texts must be an iterable of str, got 5"),
        (["ok", 7, "ok"], "texts must hold str, got int: 7 (item 1)"),
        ([None], "texts must hold str, got NoneType: None (item 0)"),
    ],
)
def test_bad_texts_are_parameter_errors(
    entry: Callable[[Any], Any], texts: object, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as err:
        entry(texts)
    assert str(err.value).startswith(message)


def test_any_iterable_of_str_gives_the_list_result(entry: Callable[[Any], Any]) -> None:
    expected = entry(list(TEXTS))
    for same in (tuple(TEXTS), iter(TEXTS), (t for t in TEXTS)):
        result = entry(same)
        for want, got in zip(
            expected if isinstance(expected, tuple) else (expected,),
            result if isinstance(result, tuple) else (result,),
            strict=True,
        ):
            np.testing.assert_array_equal(got, want)
