"""Tell spun text from natural text on its own, without the original (issue 14).

:func:`inspect` judges one text and explains the judgement;
:func:`inspect_scores` scores many texts at crawl speed.
"""

from __future__ import annotations

from spindetect.inspection.inspector import (
    DEFAULT_THRESHOLD,
    Evidence,
    Inspection,
    SignalValue,
    inspect,
    inspect_scores,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Evidence",
    "Inspection",
    "SignalValue",
    "inspect",
    "inspect_scores",
]
