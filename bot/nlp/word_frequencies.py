"""Language evidence from how often each word occurs in each language (wordfreq's bundled lists).

Character statistics (lingua, fastText, langdetect) need a few words to tell close
languages apart; a dictionary does not. "Mulțumesc frumos" or "Ходімо додому" are
short, but each word is common in one candidate language and rare or absent in the
others. The word lists are the ones the wordfreq package ships (built from subtitles,
Wikipedia, news and web text); nothing is downloaded.

Lists come in two sizes: ``small`` (words down to a frequency of about 1e-6) for all of
Lotse's languages with a list, and ``large`` (down to about 1e-8) for some. A comparison
uses the large lists when every language compared has one (Ukrainian and Russian do), and
the small lists otherwise, so that no language is compared on a longer list than another.
A word a list does not hold counts as a little below the rarest word of that list size.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import Dict, Iterable, Optional, Sequence

from wordfreq import available_languages, word_frequency

#: Frequency of a word a list does not hold, per list size (the lists stop at about 1e-6 and 1e-8).
UNLISTED_FREQUENCY = {"small": 1e-7, "large": 1e-9}
#: A word leans to one of two languages when it is this many times more frequent there.
LEANING_RATIO = 10.0


@cache
def _listed(wordlist: str) -> frozenset:
    return frozenset(available_languages(wordlist))


def has_word_list(language: str) -> bool:
    """Whether wordfreq ships a (small) word list for ``language``."""
    return language in _listed("small")


def _wordlist(languages: Iterable[str]) -> str:
    """``large`` when every one of ``languages`` has a large list, else ``small``."""
    return "large" if set(languages) <= _listed("large") else "small"


@lru_cache(maxsize=131072)
def _log_frequency(word: str, language: str, wordlist: str) -> float:
    return math.log(max(word_frequency(word, language, wordlist), UNLISTED_FREQUENCY[wordlist]))


def leaning(word: str, first: str, second: str) -> Optional[str]:
    """``first`` or ``second`` when ``word`` is at least :data:`LEANING_RATIO` times more frequent there.

    A word neither list holds, or one both use about as often (names, loans), leans nowhere.
    Both languages must have a word list.
    """
    wordlist = _wordlist((first, second))
    a = _log_frequency(word.lower(), first, wordlist)
    b = _log_frequency(word.lower(), second, wordlist)
    if abs(a - b) < math.log(LEANING_RATIO):
        return None
    return first if a > b else second


class WordFrequencyVote:
    """Probability of each candidate language given the words of a message."""

    def __init__(self, candidate_sets: Iterable[Sequence[str]]) -> None:
        """Load the word lists each set of candidates is compared on now, not on a first message."""
        for candidates in candidate_sets:
            listed = [c for c in candidates if c in _listed("small")]
            for language in listed:
                _log_frequency("the", language, _wordlist(listed))

    def vote(self, words: Sequence[str], prior: Dict[str, float]) -> Dict[str, float]:
        """A distribution over the candidates of ``prior`` (the other detectors' votes), summing to 1.

        Among the candidates with a word list it is P(language | words) with equal priors,
        the words taken as independent. It abstains between listed and unlisted candidates
        (Somali, Pashto, Sorani), which keep their share of ``prior``: their text is full of
        names and loans that some list holds, so a list's silence says little. Empty when
        there is no word or no listed candidate.
        """
        listed = [c for c in prior if c in _listed("small")]
        if not words or not listed:
            return {}
        wordlist = _wordlist(listed)
        scores = {c: sum(_log_frequency(w.lower(), c, wordlist) for w in words) for c in listed}
        best = max(scores.values())
        likelihood = {c: math.exp(s - best) for c, s in scores.items()}
        total = sum(likelihood.values())
        prior_total = sum(prior.values())
        if prior_total > 0:
            shares = {c: v / prior_total for c, v in prior.items()}
        else:
            shares = dict.fromkeys(prior, 1 / len(prior))
        listed_share = sum(shares[c] for c in listed)
        return {c: listed_share * likelihood[c] / total if c in likelihood else shares[c] for c in prior}
