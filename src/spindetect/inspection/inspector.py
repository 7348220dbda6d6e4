"""Judge one text on its own: is it spun? :func:`inspect` and :func:`inspect_scores`.

No original is needed. The score is the shipped logistic model
(:mod:`spindetect.inspection.model`) over seven named signals
(:mod:`spindetect.inspection.signals`); the evidence lists the words and phrases
behind them, with character spans and what each probably replaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from spindetect._validation import check_float, check_int
from spindetect.exceptions import InvalidParameterError
from spindetect.inspection.model import Model
from spindetect.inspection.signals import SIGNALS, SignalName, count_texts
from spindetect.inspection.tables import MAX_PHRASE, PHRASE_SOURCES, tables
from spindetect.text.tokens import tokenize

__all__ = [
    "DEFAULT_THRESHOLD",
    "Evidence",
    "Inspection",
    "SignalValue",
    "inspect",
    "inspect_scores",
]

DEFAULT_THRESHOLD = 0.5
"""Score from which a text is judged spun (the model's calibrated decision)."""

EVIDENCE_LOG_RATIO = 1.0
"""Least per-word value (log ratio or Zipf gap) for a word to be listed as evidence."""

Verdict = Literal["spun", "natural"]
EvidenceKind = SignalName

# UTF-8 read as Windows-1252: the marks count_mojibake counts, as characters.
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3\u00e2](?:[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
    "\u017d\u017e\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|(?<=\u00c2) )"
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One suspicious word, phrase or mark of the inspected text.

    Attributes
    ----------
    start, end : int
        Character span: ``text[start:end]`` is :attr:`text`.
    text : str
        The surface text.
    replaces : str
        What a spinner probably replaced ("" when unknown).
    signal : str
        The signal it feeds, one of :data:`~spindetect.inspection.signals.SIGNALS`.
    strength : float
        How strongly it points to spinning: the word's log ratio or Zipf gap,
        1.0 for a listed phrase or a mojibake mark.
    """

    start: int
    end: int
    text: str
    replaces: str
    signal: str
    strength: float

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready dict."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "replaces": self.replaces,
            "signal": self.signal,
            "strength": round(self.strength, 3),
        }


@dataclass(frozen=True, slots=True)
class SignalValue:
    """One named signal behind a score.

    Attributes
    ----------
    name : str
        Signal name.
    value : float
        The text's feature value (see :func:`spindetect.inspection.model.features`).
    natural : float
        The mean of the feature over natural text.
    contribution : float
        Its term in the logit, :math:`w_i (f_i - \\mu_i) / \\sigma_i` (positive: toward spun).
    """

    name: str
    value: float
    natural: float
    contribution: float

    def to_dict(self) -> dict[str, Any]:
        """Return the signal as a JSON-ready dict."""
        return {
            "name": self.name,
            "value": round(self.value, 6),
            "natural": round(self.natural, 6),
            "contribution": round(self.contribution, 4),
        }


@dataclass(frozen=True, slots=True)
class Inspection:
    """The judgement of one text.

    Attributes
    ----------
    score : float
        Spun score in [0, 1] (1: surely spun).
    verdict : {"spun", "natural"}
        ``"spun"`` when ``score >= threshold``.
    threshold : float
        The decision used.
    tokens : int
        Word tokens of the text.
    signals : tuple of SignalValue
        Every signal, in :data:`~spindetect.inspection.signals.SIGNALS` order.
    evidence : tuple of Evidence
        The strongest suspicious spans, in text order.
    """

    score: float
    verdict: Verdict
    threshold: float
    tokens: int
    signals: tuple[SignalValue, ...]
    evidence: tuple[Evidence, ...]

    @property
    def is_spun(self) -> bool:
        """Whether the verdict is ``"spun"``."""
        return self.verdict == "spun"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return {
            "score": round(self.score, 6),
            "verdict": self.verdict,
            "threshold": self.threshold,
            "tokens": self.tokens,
            "signals": [s.to_dict() for s in self.signals],
            "evidence": [e.to_dict() for e in self.evidence],
        }


def _check_texts(texts: object) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        msg = f"texts must be a sequence of str, got {type(texts).__name__}"
        raise InvalidParameterError(msg)
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise InvalidParameterError(f"texts[{i}] must be a str, got {type(t).__name__}")
    return out


def inspect_scores(texts: Sequence[str], *, threads: int | None = None) -> np.ndarray:
    """Return the spun score of every text, in [0, 1] (batch form of :func:`inspect`).

    The texts are counted by one compiled kernel, in ``threads`` ranges without
    the GIL, and scored by the bundled model: the same scores as
    ``inspect(t).score``.

    Parameters
    ----------
    texts : sequence of str
        The texts.
    threads : int or None, default=None
        Worker threads (None: all cores).

    Returns
    -------
    numpy.ndarray of float64, shape (len(texts),)

    Raises
    ------
    InvalidParameterError
        If ``texts`` is not a sequence of str or ``threads`` is not a positive int.

    Examples
    --------
    >>> inspect_scores(["The cat sat on the mat."]).shape
    (1,)
    """
    items = _check_texts(texts)
    if threads is not None:
        check_int("threads", threads, low=1)
    if not items:
        return np.zeros(0, dtype=np.float64)
    return Model.default().scores(count_texts(items, threads=threads))


def inspect(
    text: str, *, threshold: float = DEFAULT_THRESHOLD, max_evidence: int = 50
) -> Inspection:
    """Judge whether ``text`` was produced by an article spinner, without its original.

    The score is :math:`s = \\sigma(b + \\sum_i w_i (f_i - \\mu_i)/\\sigma_i)` over
    the seven signals (see :mod:`spindetect.inspection.model`); the text is judged
    spun when :math:`s \\ge` ``threshold``. An empty text, or one without words,
    scores as typical natural text.

    Parameters
    ----------
    text : str
        The text of one page or passage.
    threshold : float, default=0.5
        Decision on the score, in [0, 1]. 0.5 is the calibrated default (about
        1.5 % of natural paragraph-sized chunks reach it).
    max_evidence : int, default=50
        Most evidence items returned (the strongest, then in text order); 0 for none.

    Returns
    -------
    Inspection

    Raises
    ------
    InvalidParameterError
        If ``text`` is not a str, or an option is out of range.

    Examples
    --------
    >>> r = inspect("Profound learning is a subfield of machine learning.")
    >>> r.evidence[0].text, r.evidence[0].replaces
    ('Profound learning', 'deep learning')
    """
    if not isinstance(text, str):
        raise InvalidParameterError(f"text must be a str, got {type(text).__name__}")
    threshold = check_float("threshold", threshold, low=0.0, high=1.0)
    max_evidence = check_int("max_evidence", max_evidence, low=0)
    model = Model.default()
    counts = count_texts([text], threads=1)
    score = float(model.scores(counts)[0])
    feats = model.features(counts)[0]
    contrib = model.contributions(counts)[0]
    signals = tuple(
        SignalValue(name, float(feats[i]), float(model.mean[i]), float(contrib[i]))
        for i, name in enumerate(SIGNALS)
    )
    evidence = _evidence(text, max_evidence) if max_evidence else ()
    return Inspection(
        score=score,
        verdict="spun" if score >= threshold else "natural",
        threshold=threshold,
        tokens=int(counts[0, 0]),
        signals=signals,
        evidence=evidence,
    )


def _evidence(text: str, limit: int) -> tuple[Evidence, ...]:
    """Return the ``limit`` strongest suspicious spans of ``text``, in text order."""
    t = tables()
    toks = tokenize(text)
    forms = toks.forms
    spans = toks.spans
    found: list[Evidence] = []
    covered = np.zeros(len(forms), dtype=bool)
    for i in range(len(forms)):
        for n in range(MAX_PHRASE, 1, -1):
            if i + n > len(forms):
                continue
            row = t.phrase_row(" ".join(forms[i : i + n]))
            if row >= 0:
                start, end = int(spans[i, 0]), int(spans[i + n - 1, 1])
                kind = PHRASE_SOURCES[int(t.phrase_kinds[row])]
                signal = "tortured_phrases" if kind == "tortured" else "spinner_phrases"
                found.append(Evidence(start, end, text[start:end], t.expected[row], signal, 1.0))
                covered[i : i + n] = True
                break
    for i, form in enumerate(forms):
        if covered[i]:
            continue
        row = t.word_row(form)
        if row < 0:
            continue
        values = t.values[row]
        best = int(np.argmax(values))
        strength = float(values[best])
        if strength >= EVIDENCE_LOG_RATIO:
            start, end = int(spans[i, 0]), int(spans[i, 1])
            found.append(
                Evidence(start, end, text[start:end], t.replaces[row], SIGNALS[best], strength)
            )
    for m in _MOJIBAKE.finditer(text):
        found.append(Evidence(m.start(), m.end(), m.group(), "", "mojibake", 1.0))
    # Phrases and marks first (they are known artefacts), then the strongest words.
    found.sort(
        key=lambda e: (
            e.signal not in ("tortured_phrases", "spinner_phrases", "mojibake"),
            -e.strength,
            e.start,
        )
    )
    return tuple(sorted(found[:limit], key=lambda e: (e.start, e.end)))
