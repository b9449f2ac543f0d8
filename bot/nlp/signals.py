"""Signal words: what a message is about, as concepts that every language shares.

A signal lexicon (``data/knowledge/signals/<language>.yml``) lists, per signal
("bye", "cost", "human", ...), the words and phrases that point to it in one
language. :class:`SignalFinder` finds them with the same normalisation and typo
tolerance as profession names. An entry of another language than the message's
counts only if it has at least ``MIN_FOREIGN_LETTERS`` letters: short words mean
different things in different languages (Polish "ja" is "I", German "ja" is "yes"),
while longer ones are what people mix in ("danke", "termin", "thanks").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Set, Tuple

from bot.knowledge.schema import SignalsFile
from bot.nlp.normalise import fold
from bot.nlp.phrase_index import PhraseIndex, phrase_key

#: Every signal, in the order of the lexicon files (and of the features built from them).
SIGNALS: Tuple[str, ...] = tuple(SignalsFile.__fields__)

MIN_FOREIGN_LETTERS = 4


@dataclass(frozen=True)
class SignalMatch:
    """One signal found at a character span of the message."""

    signal: str
    start: int
    end: int


def _spelling(phrase: str) -> str:
    """A phrase as written, up to case, diacritics, letter variants and spacing."""
    return " ".join(fold(phrase).split())


class SignalFinder:
    """Finds the signals of a message, given the message's language when it is known."""

    def __init__(self, lexicons: Mapping[str, SignalsFile]) -> None:
        self._owners: Dict[str, Set[Tuple[str, str]]] = defaultdict(set)
        #: (key, language, signal) -> the entries as written (folded) that gave it.
        self._spellings: Dict[Tuple[str, str, str], Set[str]] = defaultdict(set)
        phrases = []
        for language, lexicon in lexicons.items():
            for signal in SIGNALS:
                for entry in getattr(lexicon, signal):
                    key = phrase_key(entry)
                    self._owners[key].add((language, signal))
                    self._spellings[(key, language, signal)].add(_spelling(entry))
                    phrases.append((entry, key))
        self._index = PhraseIndex(phrases)

    def warm(self) -> None:
        """Build the matching pipelines of every language now."""
        self._index.warm()

    def find(self, text: str, language: Optional[str] = None) -> List[SignalMatch]:
        """The signals in ``text``, in reading order; ``language`` None counts every lexicon's entries."""
        found = []
        for match in self._index.find(text, language or "xx"):
            letters = sum(ch.isalpha() for ch in match.text)
            owners = {
                (owner, signal)
                for owner, signal in self._owners[match.key]
                if language is None or owner == language or letters >= MIN_FOREIGN_LETTERS
            }
            # Two signals' entries that normalise alike ("بدرود", farewell, and "درود", greeting, once
            # the prefix is stripped): the one written exactly as in the message wins.
            written = _spelling(match.text)
            exact = {(o, s) for o, s in owners if written in self._spellings[(match.key, o, s)]}
            if exact and len({s for _, s in owners}) > 1:
                owners = exact
            signals = {signal for _, signal in owners}
            found += [SignalMatch(signal, match.start, match.end) for signal in sorted(signals)]
        return found
