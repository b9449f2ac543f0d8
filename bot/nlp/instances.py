"""The NLP helpers that take seconds to build, built once per process and shared by all components."""

from __future__ import annotations

from functools import lru_cache

from bot.knowledge.loader import knowledge, load_signals
from bot.nlp.language import SCRIPT_CANDIDATES, LanguageIdentifier
from bot.nlp.places import PlaceFinder
from bot.nlp.professions import ProfessionFinder
from bot.nlp.romanised import RomanisedWords
from bot.nlp.signals import SignalFinder
from bot.places.gazetteer import load_gazetteer


@lru_cache(maxsize=1)
def language_identifier() -> LanguageIdentifier:
    """The language identifier, with its models loaded and the romanised words of the lexicons."""
    kb = knowledge()
    romanised = RomanisedWords.from_lexicons(
        (named.names for named in [*kb.professions.values(), *kb.groups.values()]),
        {language: lexicon.dict() for language, lexicon in load_signals().items()},
        SCRIPT_CANDIDATES["latin"],
    )
    return LanguageIdentifier(romanised)


@lru_cache(maxsize=1)
def profession_finder() -> ProfessionFinder:
    """The profession finder over the knowledge base, with every language's tokenizer loaded."""
    finder = ProfessionFinder(knowledge())
    finder.warm()
    return finder


@lru_cache(maxsize=1)
def place_finder() -> PlaceFinder:
    """The place finder over the gazetteer, with every language's tokenizer loaded."""
    finder = PlaceFinder(knowledge(), load_gazetteer())
    finder.warm()
    return finder


@lru_cache(maxsize=1)
def signal_finder() -> SignalFinder:
    """The signal finder over every language's signal lexicon."""
    finder = SignalFinder(load_signals())
    finder.warm()
    return finder
