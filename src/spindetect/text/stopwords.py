"""The project's English function-word list (closed-class words).

Spinners replace content words and leave most function words in place, so the
sequence of function words (the *stopword skeleton*, after Stamatatos 2011)
survives spinning far better than word n-grams. The list is hand-made for this
project: determiners, pronouns, prepositions, conjunctions, auxiliaries and the
commonest adverbs. Content words that generic stop lists carry (``system``,
``bill``, ``fire``) are deliberately absent.
"""

from __future__ import annotations

__all__ = ["STOPWORDS", "is_stopword"]

STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also although am among amongst an and another any
    anybody anyone anything are aren't around as at be because been before being below
    beneath beside besides between beyond both but by can can't cannot could couldn't did
    didn't do does doesn't doing don't down during each either else enough even ever every
    everybody everyone everything few for from further had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's however
    i i'd i'll i'm i've if in inside into is isn't it it's its itself just least less let's
    like many may me might mine more most much must mustn't my myself neither no nobody none
    nor not nothing now of off often on once one only onto or other others otherwise ought
    our ours ourselves out outside over own per quite rather same shall shan't she she'd
    she'll she's should shouldn't since so some somebody someone something such than that
    that's the their theirs them themselves then there there's therefore these they they'd
    they'll they're they've this those though through throughout thus till to too toward
    towards under underneath unless until up upon us very via was wasn't we we'd we'll we're
    we've were weren't what what's whatever when when's whenever where where's whereas
    wherever whether which while who who's whoever whom whose why why's will with within
    without won't would wouldn't yet you you'd you'll you're you've your yours yourself
    yourselves
    """.split()
)


def is_stopword(form: str) -> bool:
    """Return True if the normalised token ``form`` is a function word."""
    return form in STOPWORDS
