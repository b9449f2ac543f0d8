"""Find where the writer lives: a German postcode or city, or abroad.

Cities are matched by their German name and by their names in Cyrillic and
Arabic script (from GeoNames), inflected ("у Лейпцигу") or with small typos.
A Latin-script city name written in lower case counts only after a residence
cue or when it is nearly the whole message, so that "ich möchte essen" is not Essen.
Abroad is an explicit cue ("abroad", "im Ausland", "за кордоном") or a foreign
country named right after a residence cue ("I still live in Egypt"). A message can
name both: "I still live in Egypt and want to work in Munich" is a person abroad
with Munich as the place where they intend to work (unless the city itself follows
a residence cue: "I live in Leipzig").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from bot.knowledge.loader import Knowledge
from bot.nlp.normalise import fold
from bot.nlp.phrase_index import RECENT_MESSAGES, PhraseIndex, PhraseMatch
from bot.places.gazetteer import POSTCODE_PATTERN, Gazetteer, Place

#: Cities at least this large are also found by their short name ("Frankfurt", "Halle") ...
SHORT_NAME_POPULATION = 100_000
#: ... and so is any short name at least this long ("Neustadt").
MIN_SHORT_NAME = 6
#: A lower-case city name counts in a message with at most this many other words ("in leipzig").
MAX_OTHER_WORDS = 1
ABROAD = "abroad"
#: Languages that put the verb after the place ("Mısır'da yaşıyorum", "در مصر زندگی می‌کنم"), and how
#: many following words may hold it.
VERB_FINAL_LANGUAGES = frozenset({"tr", "fa"})
FOLLOWING_WORDS = 3

_SHORT_NAME = re.compile(r"\s*(\(.*\)|\b(am|an der|im|in der|ob der)\b.*)$")
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n،؛؟]")


@dataclass(frozen=True)
class PlaceMention:
    """Where the writer lives: a place in Germany, or abroad (country code or ``ABROAD``).

    With both, the writer lives abroad and ``place`` is where they intend to work.
    """

    place: Optional[Place]
    abroad: Optional[str]
    #: The words naming the place, else those saying abroad.
    text: str
    #: Other cities the same name may mean ("Frankfurt (Oder)" for "Frankfurt"), largest first.
    alternatives: Tuple[str, ...] = ()
    #: The words saying abroad (equal to ``text`` when no place is named).
    abroad_text: Optional[str] = None
    #: The place follows a residence cue ("I live in Leipzig"): the person lives there.
    residence: bool = False


def _short_name(name: str) -> str:
    """Shorten "Frankfurt am Main" to "Frankfurt", "Halle (Saale)" to "Halle"."""
    return _SHORT_NAME.sub("", name)


def _city_phrases(cities: Iterable[dict]) -> Dict[str, List[str]]:
    """Phrase -> canonical names of the cities it may mean, largest first.

    A short name counts when a city of SHORT_NAME_POPULATION has it, or when it is
    long enough not to be a common word ("Neustadt"); shared short names are ambiguous.
    """
    cities = list(cities)  # largest first
    large_short_names = {_short_name(c["name"]) for c in cities if c["population"] >= SHORT_NAME_POPULATION}
    phrases: Dict[str, List[str]] = {}
    for city in cities:
        names = [city["name"], *city["aliases"]]
        short = _short_name(city["name"])
        if short != city["name"] and (short in large_short_names or len(short) >= MIN_SHORT_NAME):
            names.append(short)
        for name in names:
            if city["name"] not in phrases.setdefault(name, []):
                phrases[name].append(city["name"])
    return phrases


class PlaceFinder:
    """Finds the writer's place of residence in a message."""

    def __init__(self, kb: Knowledge, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._city_choices = _city_phrases(gazetteer.cities)
        self._cities = PhraseIndex((phrase, phrase) for phrase in self._city_choices)
        self._countries = PhraseIndex(
            (name, code) for code, names in gazetteer.countries.items() for name in names
        )
        self._residence = {fold(c) for cues in kb.cues.residence.values() for c in cues}
        self._residence_words = {fold(w) for words in kb.cues.residence_words.values() for w in words}
        abroad = {form for cues in kb.cues.abroad.values() for cue in cues for form in (cue, fold(cue))}
        alternatives = "|".join(map(re.escape, sorted(abroad, key=len, reverse=True)))
        self._abroad = re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)
        # The extractor and the SignalFeaturizer both ask about each message: the second asks memory.
        self.find = lru_cache(maxsize=RECENT_MESSAGES)(self._find)

    def _after_residence_cue(self, text: str, start: int) -> bool:
        clause = _CLAUSE_BREAK.split(text[:start])[-1]
        padded = f" {fold(clause).strip()}"
        return any(padded.endswith(f" {cue}") for cue in self._residence)

    def _acceptable_city(self, text: str, match: PhraseMatch) -> bool:
        if not match.text[:1].isalpha() or not match.text[:1].isascii() or match.text[:1].isupper():
            return True
        rest = text[: match.start] + text[match.end :]
        return len(rest.split()) <= MAX_OTHER_WORDS or self._after_residence_cue(text, match.start)

    def warm(self) -> None:
        """Build the matching pipelines of every language now."""
        self._cities.warm()
        self._countries.warm()

    def _find(self, text: str, language: str = "xx") -> Optional[PlaceMention]:
        """The writer's place in ``text``, or None if the message names none."""
        for match in POSTCODE_PATTERN.finditer(text):
            place = self._gazetteer.postcode(match.group(1))
            if place is not None:
                return self._in_germany(text, language, place, match.group(1), match.start())
        cities = [m for m in self._cities.find(text, language) if self._acceptable_city(text, m)]
        if cities:
            chosen = next((m for m in cities if self._after_residence_cue(text, m.start)), cities[0])
            largest, *others = self._city_choices[chosen.key]
            city = self._gazetteer.city(largest)
            return self._in_germany(text, language, city, chosen.text, chosen.start, tuple(others))
        abroad = self._abroad_in(text, language)
        if abroad is not None:
            return PlaceMention(None, abroad[0], abroad[1], abroad_text=abroad[1])
        return None

    def _in_germany(
        self,
        text: str,
        language: str,
        place: Place,
        words: str,
        start: int,
        alternatives: Tuple[str, ...] = (),
    ) -> PlaceMention:
        """A German place, and abroad if the message also says the person lives abroad.

        With "I still live in Egypt" the place is where they want to work. Only a residence
        statement counts for that ("from abroad" is about the past), and none at all when the
        place itself follows a residence cue ("I live in Leipzig").
        """
        lives_here = self._after_residence_cue(text, start)
        abroad = None if lives_here else self._abroad_in(text, language, residence_only=True)
        code, abroad_words = abroad or (None, None)
        return PlaceMention(place, code, words, alternatives, abroad_words, lives_here)

    def _in_residence_clause(self, text: str, start: int, end: int) -> bool:
        """Whether the clause around text[start:end] has a residence word ("I live abroad")."""
        before = _CLAUSE_BREAK.split(text[:start])[-1]
        after = _CLAUSE_BREAK.split(text[end:])[0]
        clause = f" {fold(before)} {fold(after)} "
        return any(f" {word} " in clause for word in self._residence_words)

    def _abroad_in(self, text: str, language: str, residence_only: bool = False) -> Optional[Tuple[str, str]]:
        """(country code or ABROAD, the words saying it) if the writer says they live abroad.

        A foreign country counts after a residence cue ("I still live in Egypt"). An abroad cue
        ("im Ausland") counts anywhere, or with ``residence_only`` only in a clause with a
        residence verb ("Ich lebe im Ausland", not "aus dem Ausland").
        """
        for cue in self._abroad.finditer(text):
            if not residence_only or self._in_residence_clause(text, cue.start(), cue.end()):
                return ABROAD, cue.group(0)
        for match in self._countries.find(text, language):
            if self._after_residence_cue(text, match.start) or self._before_residence_verb(
                text, match.end, language
            ):
                return match.key, match.text
        return None

    def _before_residence_verb(self, text: str, end: int, language: str) -> bool:
        """In a verb-final language, whether a residence word follows ("Mısır'da yaşıyorum")."""
        if language not in VERB_FINAL_LANGUAGES:
            return False
        following = fold(_CLAUSE_BREAK.split(text[end:])[0]).split()[:FOLLOWING_WORDS]
        padded = f" {' '.join(following)} "
        return any(f" {word} " in padded for word in self._residence_words)
