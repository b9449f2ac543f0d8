"""Words that show a Latin-script message is a language of another script written in Latin letters.

People without an Arabic or Cyrillic keyboard write "ana saydali" or "ya vrach, iz
Uzbekistana". Character statistics read such text as some Latin-script language,
often Turkish, and can be sure of it. The project's own lexicons already list the
romanised forms people use: profession names ("saydali", "vrach", "mohandes") and
signal words ("shukran", "spasibo", "merci" is not one: it is French). A word is
*romanised* evidence for a language when

- it is written in Latin letters only, in lexicon entries of languages whose own
  script is not Latin (Arabic, Persian, Russian, Ukrainian, Pashto, Sorani) and of
  no other language, and
- no Latin-script language Lotse knows uses it: it is in none of their lexicon
  entries and in none of their word lists (wordfreq's small lists), so "tamam"
  (Turkish too) or "doktor" (Polish, Turkish) are no evidence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Mapping, Sequence, Set, Tuple

from wordfreq import word_frequency

from bot.nlp.normalise import fold
from bot.nlp.word_frequencies import has_word_list

#: Languages written in another script than Latin, whose lexicons hold romanised forms.
NON_LATIN_LANGUAGES = ("ar", "fa", "ru", "uk", "ps", "ckb")
#: Words shorter than this are left out: short syllables ("ya", "iz", "w") are words in too many languages.
MIN_LETTERS = 3
#: Share of a message's words (of MIN_LETTERS or more) that must be romanised forms: a loan word or
#: two in a long Somali or Spanish sentence ("salaan", a name) do not make it Arabic in Latin letters.
MIN_SHARE = 0.2

_LATIN_WORD = re.compile(r"[a-z]+")


def _latin_words(entry: str) -> List[str]:
    """The words of a lexicon entry written entirely in (folded) Latin letters, digits excluded."""
    folded = fold(entry)
    if any(ch.isdigit() for ch in folded):  # "mar7aba": its pieces are no words
        return []
    return [w for w in folded.split() if _LATIN_WORD.fullmatch(w)]


class RomanisedWords:
    """Which non-Latin-script language a Latin-script word is a romanised form of."""

    def __init__(self, entries: Iterable[Tuple[str, str]], latin_languages: Sequence[str]) -> None:
        """Index the romanised words of ``entries``.

        ``entries`` are (language, lexicon entry) pairs of every language; ``latin_languages``
        are the Latin-script languages whose use of a word rules it out as evidence.
        """
        owners: Dict[str, Set[str]] = defaultdict(set)
        for language, entry in entries:
            for word in _latin_words(entry):
                owners[word].add(language)
        listed = [latin for latin in latin_languages if has_word_list(latin)]
        self._languages: Dict[str, Tuple[str, ...]] = {}
        for word, languages in owners.items():
            if len(word) < MIN_LETTERS or not languages <= set(NON_LATIN_LANGUAGES):
                continue
            if any(word_frequency(word, latin, "small") > 0 for latin in listed):
                continue
            self._languages[word] = tuple(c for c in NON_LATIN_LANGUAGES if c in languages)

    @classmethod
    def from_lexicons(
        cls,
        names: Iterable[Mapping[str, Sequence[str]]],
        signals: Mapping[str, Mapping[str, Sequence[str]]],
        latin_languages: Sequence[str],
    ) -> RomanisedWords:
        """Index the romanised words of profession names and signal lexicons.

        ``names`` has one ``{language: [name, ...]}`` per profession, ``signals`` is
        ``{language: {signal: [entry, ...]}}``.
        """
        entries: List[Tuple[str, str]] = []
        for by_language in names:
            entries += [(language, name) for language, values in by_language.items() for name in values]
        for language, lexicon in signals.items():
            entries += [(language, entry) for values in lexicon.values() for entry in values]
        return cls(entries, latin_languages)

    def languages(self, words: Sequence[str]) -> Counter:
        """How many of ``words`` are romanised forms of each language.

        Empty unless they are at least :data:`MIN_SHARE` of the words of :data:`MIN_LETTERS`
        or more. A word two of them share ("mohandes": Arabic and Persian) counts for both; the
        Counter lists tied languages in the order of :data:`NON_LATIN_LANGUAGES`.
        """
        folded = [w for w in (fold(word) for word in words) if len(w) >= MIN_LETTERS]
        found = [self._languages[w] for w in folded if w in self._languages]
        if not found or len(found) < MIN_SHARE * len(folded):
            return Counter()
        counts: Counter = Counter({language: 0 for language in NON_LATIN_LANGUAGES})
        for languages in found:
            counts.update(languages)
        return +counts
