"""English re-inflection of synonyms: the spinner's suffix rules and irregular verbs.

:func:`inflection` finds how a word form is inflected over one of its base
forms (``battles`` -> ``("s", "battle")``); :func:`inflect_phrase` inflects a
synonym the same way (``struggle`` -> ``struggles``; the last word of a plural
noun phrase, the first word of a verb phrase). Rules as in WordNet's morphy,
regular suffixes plus a list of common irregular verbs.
"""

from __future__ import annotations

__all__ = ["inflect", "inflect_phrase", "inflection"]

# (suffix, base ending, inflection kind), longest suffixes first, as in WordNet's morphy.
_SUFFIX_RULES = (
    ("ches", "ch", "s"),
    ("shes", "sh", "s"),
    ("ies", "y", "s"),
    ("ses", "s", "s"),
    ("xes", "x", "s"),
    ("zes", "z", "s"),
    ("ying", "ie", "ing"),
    ("ing", "e", "ing"),
    ("ing", "", "ing"),
    ("ied", "y", "ed"),
    ("es", "e", "s"),
    ("ed", "e", "ed"),
    ("ed", "", "ed"),
    ("es", "", "s"),
    ("s", "", "s"),
)
# Common irregular verbs: base, -s form when irregular (else "-"), past.
_IRREGULAR_TEXT = """
be is was  have has had  do does did  go goes went  say - said  get - got  make - made
know - knew  think - thought  take - took  see - saw  come - came  give - gave  find - found
tell - told  feel - felt  become - became  leave - left  put - put  mean - meant  keep - kept
let - let  begin - began  hold - held  bring - brought  write - wrote  stand - stood
hear - heard  run - ran  pay - paid  meet - met  lead - led  understand - understood
set - set  speak - spoke  sit - sat  lose - lost  build - built  send - sent  spend - spent
fall - fell  grow - grew  win - won  buy - bought  rise - rose  drive - drove  break - broke
choose - chose  eat - ate  draw - drew  throw - threw  fly - flew  wear - wore  bear - bore
tear - tore  swim - swam  sing - sang  drink - drank  ring - rang  shoot - shot  hang - hung
strike - struck  stick - stuck  feed - fed  sleep - slept  light - lit  forget - forgot
bite - bit  hide - hid  shake - shook  ride - rode  steal - stole  freeze - froze
wake - woke  dig - dug  deal - dealt  bend - bent  lend - lent  cut - cut  hit - hit
lay - laid  catch - caught  teach - taught  seek - sought  fight - fought  sell - sold
weep - wept  creep - crept  sweep - swept  bleed - bled  breed - bred  flee - fled
spin - spun  swing - swung  sting - stung  slide - slid  shine - shone  tread - trod
undergo undergoes underwent  overcome - overcame  withdraw - withdrew  forgive - forgave
quit - quit  shut - shut  spread - spread  cost - cost  hurt - hurt  split - split
burst - burst  cast - cast  upset - upset  shed - shed  thrust - thrust  broadcast - broadcast
"""
_IRREGULAR: dict[str, tuple[str, str]] = {}
_IRREGULAR_BASE: dict[str, tuple[str, str]] = {}  # inflected form -> (base, kind)
_words = _IRREGULAR_TEXT.split()
for _i in range(0, len(_words), 3):
    _base, _third, _past = _words[_i : _i + 3]
    _IRREGULAR[_base] = (_third, _past)
    _IRREGULAR_BASE.setdefault(_past, (_base, "ed"))
    if _third != "-":
        _IRREGULAR_BASE.setdefault(_third, (_base, "s"))
del _words, _i, _base, _third, _past
_VOWELS = frozenset("aeiou")
_NO_INFLECTION = frozenset({"a", "r"})
_STRESSED_ENDINGS = ("mit", "pel", "fer", "cur", "gin", "bet", "pet", "trol", "pan", "quip")


def inflection(form: str, bases: frozenset[str], pos: str | None) -> tuple[str | None, str | None]:
    """Return ``(inflection, base)`` of ``form`` over one of ``bases``, or ``(None, None)``.

    The inflection is ``"s"``, ``"ed"`` or ``"ing"``.
    """
    if form in bases or pos in _NO_INFLECTION:
        return None, None
    irregular = _IRREGULAR_BASE.get(form)
    if irregular is not None and irregular[0] in bases and pos != "n":
        return irregular[1], irregular[0]
    for suffix, ending, kind in _SUFFIX_RULES:
        if pos == "n" and kind != "s":
            continue
        if form.endswith(suffix) and len(form) > len(suffix) + 1:
            stem = form[: -len(suffix)] + ending
            if stem in bases:
                return kind, stem
            if kind != "s" and not ending and len(stem) > 2 and stem[-1] == stem[-2]:
                if stem[:-1] in bases:  # stopped -> stop
                    return kind, stem[:-1]
    return None, None


def inflect_phrase(words: list[str], kind: str, *, last: bool) -> str:
    """Inflect the last (noun plural) or the first word (verb forms) of a lemma."""
    index = len(words) - 1 if last else 0
    words = list(words)
    words[index] = inflect(words[index], kind)
    return " ".join(words)


def inflect(word: str, kind: str) -> str:
    """Add a regular English suffix (no irregular forms, no consonant doubling)."""
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        if kind == "ed":
            return irregular[1]
        if kind == "s" and irregular[0] != "-":
            return irregular[0]
    consonant_y = len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS
    if kind == "s":
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return word + "es"
        return word[:-1] + "ies" if consonant_y else word + "s"
    if word.endswith("ie") and kind == "ing":
        return word[:-2] + "ying"
    if word.endswith("e"):
        if kind == "ed":
            return word + "d"
        if word.endswith(("ee", "ye", "oe")) or len(word) < 3:
            return word + "ing"
        return word[:-1] + "ing"
    if consonant_y and kind == "ed":
        return word[:-1] + "ied"
    if _doubles(word):
        word += word[-1]
    return word + kind


def _doubles(word: str) -> bool:
    """Whether a final consonant doubles before -ed/-ing (``stop``, ``permit``; not ``visit``)."""
    cvc = (
        len(word) >= 3
        and word[-1] not in _VOWELS
        and word[-1] not in "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )
    return cvc and (len(word) <= 4 or word.endswith(_STRESSED_ENDINGS))
