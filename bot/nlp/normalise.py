"""Script-aware folding and light stemming of single words.

Both sides of every match (the knowledge base's names and the user's words)
go through :func:`normalise_word`, so "медсестрою" meets "медсестра",
"hemşireyim" meets "hemşire", "والممرضة" meets "ممرضة" and "Köln" meets "koln".
The stemmer only strips one inflectional ending and never leaves fewer than
``MIN_STEM`` letters; it does not need to be linguistically right, only the
same on both sides.
"""

from __future__ import annotations

import re
import unicodedata

MIN_STEM = 4

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ك": "ک",
        "ؤ": "و",
        "ئ": "ي",
        "ـ": None,
        "\u200c": None,
    }
)

# Longest first within each list.
_CYRILLIC_ENDINGS = (
    "ами", "ями", "ого", "ому", "ими", "іми", "ою", "ею", "ем", "ом", "ам", "ям",
    "ах", "ях", "ів", "ей", "ий", "ій", "ой", "а", "я", "у", "ю", "і", "и", "е", "о", "ь", "ы",
)  # fmt: skip
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف")
# "ا" last: Sorani "مامۆستا" (teacher) and "مامۆستام" (I am a teacher) meet at "مامۆست".
_ARABIC_ENDINGS = ("ات", "ون", "ين", "ها", "ام", "ة", "ه", "م", "ا")
# No "er": German "Lehrer" must not meet "Lehre" (apprenticeship).
# "iem"/"em": the Polish instrumental ("jestem lekarzem", "hydraulikiem").
# "lik"/"lık"/"luk"/"lük": Turkish names the work after the worker ("elektrikçilik yaptım").
# "am": "I am" in Persian written in Latin letters ("parastaram", "mohandesam").
_LATIN_ENDINGS = (
    "innen", "yım", "yim", "yum", "yüm", "iem", "lik", "lık", "luk", "lük",
    "ım", "im", "um", "üm", "em", "am", "en", "es", "e", "n", "s",
)  # fmt: skip
#: Latin-script words may carry two endings (Turkish "öğretmen-im" after "öğretm-en").
_LATIN_PASSES = 2


def _script(word: str) -> str:
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
        if "\u0600" <= ch <= "\u06ff":
            return "arabic"
    return "latin"


def fold(text: str) -> str:
    """Lower-case, drop diacritics and tatweel, unify Arabic/Persian letter variants and ß."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ß", "ss").translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _strip_ending(word: str, endings: tuple) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def normalise_word(word: str) -> str:
    """The matching key of one word: folded, then one prefix/ending stripped by script."""
    word = fold(word)
    script = _script(word)
    if script == "latin":
        # Turkish writes case endings after an apostrophe: "Köln'de", "Münih'te".
        word = re.split(r"['’]", word, maxsplit=1)[0] or word
    if script == "cyrillic":
        return _strip_ending(word, _CYRILLIC_ENDINGS)
    if script == "arabic":
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix) :]
                break
        return _strip_ending(word, _ARABIC_ENDINGS) if len(word) > MIN_STEM else word
    for _ in range(_LATIN_PASSES):
        word = _strip_ending(word, _LATIN_ENDINGS)
    return word
