"""Language identification of one message: script rules, lingua and langdetect combined.

:meth:`LanguageIdentifier.identify` returns the best guess, whether it is
confident enough to switch a conversation's language, and any language the
person explicitly asks for ("English please", "українською"). Short or
ambiguous messages ("ok", "danke", "👍", "04109") are never confident, so a
conversation keeps its language across them (see :mod:`bot.conversation_language`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from langdetect import DetectorFactory, LangDetectException, detect_langs
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot.nlp.normalise import fold

#: Languages the statistical detectors choose from (the 12 of the primer's first tier).
CANDIDATE_LANGUAGES = ("de", "en", "uk", "ru", "ar", "fa", "tr", "fr", "es", "pl", "ro", "it")

#: Fewer words than this are never confident in a Latin or shared Cyrillic script.
MIN_CONFIDENT_WORDS = 3
#: lingua's relative confidence needed when langdetect agrees.
LINGUA_AGREEING = 0.3
#: lingua's relative confidence needed when langdetect disagrees (langdetect is weak on uk/ru) ...
LINGUA_ALONE = 0.6
#: ... together with this lead over lingua's runner-up.
LINGUA_LEAD = 1.5

_WORD = re.compile(r"[^\W\d_]+")
_UKRAINIAN_ONLY = set("іїєґ")
_RUSSIAN_ONLY = set("ыэъё")
_PERSIAN_ONLY = set("پچژگکی")

#: Language names as people write them, in several languages -> code (Cyrillic ones are stems).
# fmt: off
LANGUAGE_NAMES: Dict[str, List[str]] = {
    "en": ["english", "englisch", "англійськ", "английск", "انجليزي", "انكليزي", "الإنجليزية", "بالانجليزي", "بالإنجليزية", "ingilizce", "انگلیسی"],
    "de": ["deutsch", "german", "німецьк", "немецк", "ألماني", "الألمانية", "الالماني", "بالألماني", "بالالمانية", "almanca", "آلمانی"],
    "uk": ["ukrainian", "ukrainisch", "українськ", "украинск", "الأوكرانية", "ukraynaca"],
    "ar": ["arabic", "arabisch", "арабськ", "арабск", "عربي", "العربية", "بالعربي", "بالعربية", "arapça"],
    "ru": ["russian", "russisch", "російськ", "русск", "по-русски", "الروسية", "rusça"],
    "fa": ["persian", "farsi", "persisch", "перськ", "персидск", "فارسی", "الفارسية", "farsça"],
    "tr": ["turkish", "türkisch", "турецьк", "турецк", "التركية", "türkçe", "ترکی"],
}
# fmt: on


@dataclass(frozen=True)
class Identification:
    """What one message says about its language."""

    guess: Optional[str]
    confident: bool
    requested: Optional[str]


class LanguageIdentifier:
    """Combines script rules, lingua-language-detector and (seeded) langdetect."""

    def __init__(self) -> None:
        DetectorFactory.seed = 0
        languages = [
            Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in CANDIDATE_LANGUAGES
        ]
        self._lingua = LanguageDetectorBuilder.from_languages(*languages).build()
        self._names = {fold(stem): code for code, stems in LANGUAGE_NAMES.items() for stem in stems}

    def _requested(self, folded: str) -> Optional[str]:
        for word in _WORD.findall(folded):
            if word in self._names:
                return self._names[word]
            for stem, code in self._names.items():
                # Only Cyrillic names are inflected in the ways people write them.
                if "\u0400" <= stem[0] <= "\u04ff" and word.startswith(stem):
                    return code
        return None

    def _statistical(self, text: str) -> Tuple[Optional[str], float, float, Optional[str]]:
        """Lingua's best code, its confidence and the runner-up's; langdetect's best code."""
        values = self._lingua.compute_language_confidence_values(text)
        lingua_code = values[0].language.iso_code_639_1.name.lower() if values else None
        lingua_value = values[0].value if values else 0.0
        runner_up = values[1].value if len(values) > 1 else 0.0
        try:
            langdetect_code = detect_langs(text)[0].lang
        except LangDetectException:
            langdetect_code = None
        return lingua_code, lingua_value, runner_up, langdetect_code

    def identify(self, text: str) -> Identification:
        """Identify the language of one message on its own."""
        words = _WORD.findall(text)
        requested = self._requested(fold(text))
        if not words:
            return Identification(None, False, requested)
        letters = set("".join(words).lower())
        if any("\u0600" <= ch <= "\u06ff" for ch in letters):
            guess = "fa" if letters & _PERSIAN_ONLY else "ar"
            return Identification(guess, True, requested)
        if letters & _UKRAINIAN_ONLY:
            return Identification("uk", True, requested)
        if letters & _RUSSIAN_ONLY:
            return Identification("ru", True, requested)
        lingua_code, lingua_value, runner_up, langdetect_code = self._statistical(text)
        agreeing = lingua_code == langdetect_code and lingua_value >= LINGUA_AGREEING
        alone = lingua_value >= LINGUA_ALONE and lingua_value >= LINGUA_LEAD * runner_up
        confident = len(words) >= MIN_CONFIDENT_WORDS and (agreeing or alone)
        return Identification(lingua_code, confident, requested)
