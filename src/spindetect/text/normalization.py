"""Text normalisation: Unicode form, punctuation folding, whitespace, mojibake repair.

Two levels are offered. :func:`normalize` rewrites a whole text (used when text
is stored or fingerprinted); :func:`normalize_token` maps one token to the form
compared across documents (case-folded, NFKC, typographic apostrophes folded).
Tokenisation keeps character spans into the text it was given, so reports can
point into the original while comparisons use normalised forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from spindetect._validation import check_choice

__all__ = ["normalize", "normalize_token", "repair_mojibake"]

_UNICODE_FORMS = frozenset({"NFC", "NFKC", "NFD", "NFKD", None})

# Typographic punctuation that spinners, editors and CMSs swap freely.
_PUNCT_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)
_HSPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def repair_mojibake(text: str) -> str:
    """Undo mis-decoded UTF-8 (``"FebruaryÂ 20"`` -> ``"February 20"``) with ftfy.

    Only encoding repairs are applied; the text is otherwise left as it is.
    """
    import ftfy

    return ftfy.fix_encoding(text)


def normalize(
    text: str,
    *,
    form: str | None = "NFKC",
    fold_punctuation: bool = True,
    collapse_whitespace: bool = True,
    fix_mojibake: bool = False,
) -> str:
    """Return a normalised copy of ``text``; the function is idempotent.

    Steps, in order: mojibake repair (optional), Unicode normalisation ``form``,
    folding of typographic quotes, dashes and invisible spaces to ASCII, and
    whitespace clean-up (``\\r\\n`` to ``\\n``, runs of blanks to one space, at
    most one empty line in a row, no blanks at line ends or at the ends).

    Parameters
    ----------
    text : str
        The text to normalise.
    form : {'NFKC', 'NFC', 'NFKD', 'NFD'} or None, default='NFKC'
        Unicode normal form, or None to keep code points as they are.
    fold_punctuation : bool, default=True
        Map curly quotes, dashes, ellipses and special spaces to ASCII.
    collapse_whitespace : bool, default=True
        Apply the whitespace clean-up above.
    fix_mojibake : bool, default=False
        Repair mis-decoded UTF-8 with ftfy first.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalize("It\\u2019s  \\u201cfine\\u201d\\u00a0\\u2014 really")
    'It\\'s "fine" - really'
    """
    check_choice("form", form, _UNICODE_FORMS)
    if fix_mojibake:
        text = repair_mojibake(text)
    if form is not None:
        text = unicodedata.normalize(form, text)  # type: ignore[arg-type]  # checked above
    if fold_punctuation:
        text = text.translate(_PUNCT_FOLD)
        if form is not None:
            text = unicodedata.normalize(form, text)  # type: ignore[arg-type]
    if collapse_whitespace:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _HSPACE.sub(" ", text)
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
        text = _MANY_NEWLINES.sub("\n\n", text)
        text = text.strip()
    return text


@lru_cache(maxsize=1 << 16)
def normalize_token(token: str) -> str:
    """Return the comparison form of one token: NFKC, case-folded, ASCII apostrophes.

    Examples
    --------
    >>> normalize_token("They\\u2019RE")
    "they're"
    """
    # Case folding and dropping invisible characters can leave text that is not in
    # NFKC ("\u00df\u0301" -> "ss\u0301"), so normalise once more: the form is then
    # NFKC and the function idempotent.
    form = unicodedata.normalize("NFKC", token).casefold().translate(_PUNCT_FOLD)
    return unicodedata.normalize("NFKC", form)
