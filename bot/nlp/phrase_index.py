"""Find known multi-word names in text: spaCy PhraseMatcher on normalised words, with typo tolerance.

A :class:`PhraseIndex` is built once from ``(phrase, key)`` pairs. A message
is split into words by its language's blank spaCy pipeline (tokenizer rules
differ; no model is downloaded); every word's ``NORM`` is set to
:func:`normalise_word`, and one PhraseMatcher compares those. A word that matches no known norm but is close
to one (optimal string alignment distance: one edit, two in long words) takes that norm, so
"krankenschwster" and "ветиринар" still match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Set, Tuple

import spacy
from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlp.normalise import fold, normalise_word

#: spaCy has blank pipelines for these; anything else is tokenised as "xx".
SPACY_LANGUAGES = frozenset({"de", "en", "uk", "ru", "ar", "fa", "tr", "fr", "es", "pl", "ro", "it"})

#: Typos forgiven in a word of at least MIN_FUZZY_LENGTH letters: one edit (a letter added, left
#: out, replaced, or two neighbours swapped), two from TWO_EDITS_LENGTH letters on.
MIN_FUZZY_LENGTH = 8
TWO_EDITS_LENGTH = 12

#: Letters Persian pronounces alike, so people who learnt a word by ear mix them up ("برغ" for
#: "برق", electricity): t ت ط, s ث س ص, h ح ه, z ذ ز ض ظ, gh/q غ ق. A word that matches no
#: known norm meets the one known norm (if only one) that sounds the same.
_SAME_SOUND = str.maketrans("طثصحذضظغ", "تسسهزززق")

#: How many recent (text, language) questions a finder answers from memory.
RECENT_MESSAGES = 64

_MARK = re.compile(r"[^\w\s]")

#: Ge'ez punctuation, which no tokenizer splits off, as the Latin marks it stands for (same length,
#: so character offsets hold): full stop, comma, semicolon, colon; the word space becomes a space.
_ETHIOPIC_PUNCTUATION = str.maketrans({"።": ".", "፣": ",", "፤": ";", "፥": ":", "፡": " "})


@lru_cache(maxsize=1)
def _shared_tokenizer() -> Language:
    return spacy.blank("xx")


def phrase_key(phrase: str) -> str:
    """The normalised words of ``phrase``, joined by spaces: equal for phrases no PhraseIndex tells apart."""
    return " ".join(normalise_word(token.text) for token in _shared_tokenizer().make_doc(phrase))


@dataclass(frozen=True)
class PhraseMatch:
    """One found phrase: its key, character span and whether a typo was forgiven."""

    key: str
    start: int
    end: int
    text: str
    fuzzy: bool


class PhraseIndex:
    """Longest-match phrase lookup over normalised words in any of the supported languages.

    The patterns are built once, with the multi-language tokenizer; a message is
    split into words by its own language's blank pipeline and matched against them.
    A phrase that a language splits differently (at an apostrophe or a hyphen:
    "i'm", "d'accordo") is also matched as that language splits it.
    """

    def __init__(self, phrases: Iterable[Tuple[str, str]]) -> None:
        self._shared = spacy.blank("xx")
        self._matcher = PhraseMatcher(self._shared.vocab, attr="NORM")
        self._tokenizers: Dict[str, Language] = {"xx": self._shared}
        self._phrases = sorted(set(phrases))
        self._language_matchers: Dict[str, PhraseMatcher] = {}
        by_key: Dict[str, List[Doc]] = {}
        #: Each known norm -> the folded words it was made from (to break ties between typo candidates).
        surfaces: Dict[str, Set[str]] = {}
        for phrase, key in self._phrases:
            doc = self._normalised(self._shared.make_doc(phrase))
            for token in doc:
                surfaces.setdefault(token.norm_, set()).add(fold(token.text))
            by_key.setdefault(key, []).append(doc)
        self._keys: Dict[int, str] = {}
        for key, docs in by_key.items():
            self._keys[self._shared.vocab.strings.add(key)] = key
            self._matcher.add(key, docs)
        self._surfaces = surfaces
        self._known_norms = sorted(surfaces)
        self._known_set = frozenset(surfaces)
        by_sound: Dict[str, Set[str]] = {}
        for norm in surfaces:
            by_sound.setdefault(norm.translate(_SAME_SOUND), set()).add(norm)
        self._by_sound = {sound: norms.pop() for sound, norms in by_sound.items() if len(norms) == 1}

    def warm(self) -> None:
        """Load every language's tokenizer and patterns now (at start-up) rather than on its first message."""
        for language in sorted(SPACY_LANGUAGES):
            self._language_matcher(language)

    def _language_matcher(self, language: str) -> PhraseMatcher:
        """Patterns of the phrases that ``language`` splits into other words than the shared tokenizer."""
        tokenizer = self._tokenizer(language)
        if tokenizer.lang not in self._language_matchers:
            matcher = PhraseMatcher(self._shared.vocab, attr="NORM")
            special = tokenizer.tokenizer.rules
            # Only a phrase with a mark (apostrophe, hyphen, ...) or one of the language's
            # special-cased words (English "dont", "im") can be split differently.
            candidates = (
                (phrase, key)
                for phrase, key in self._phrases
                if _MARK.search(phrase) or any(word in special for word in phrase.split())
            )
            for phrase, key in candidates:
                words = [token.text for token in tokenizer.make_doc(phrase)]
                if words != [token.text for token in self._shared.make_doc(phrase)]:
                    matcher.add(key, [self._normalised(Doc(self._shared.vocab, words=words))])
            self._language_matchers[tokenizer.lang] = matcher
        return self._language_matchers[tokenizer.lang]

    def _tokenizer(self, language: str) -> Language:
        language = language if language in SPACY_LANGUAGES else "xx"
        if language not in self._tokenizers:
            self._tokenizers[language] = spacy.blank(language)
        return self._tokenizers[language]

    def _normalised(self, doc: Doc, forgive_typos: bool = False) -> Doc:
        for token in doc:
            norm = normalise_word(token.text)
            if forgive_typos and norm not in self._known_set:
                norm = self._by_sound.get(norm.translate(_SAME_SOUND), norm)
            if forgive_typos and norm not in self._known_set and len(norm) >= MIN_FUZZY_LENGTH:
                edits = 1 if len(norm) < TWO_EDITS_LENGTH else 2
                norm = self._closest_known(norm, fold(token.text), edits) or norm
            token.norm_ = norm
        return doc

    def _closest_known(self, norm: str, word: str, edits: int) -> Optional[str]:
        """The known norm within ``edits`` of ``norm``, or None.

        Among equally close norms, the one made from the word closest to ``word`` (the
        folded word before its ending was stripped) wins: "electricain" is "electrician".
        """
        close = process.extract(norm, self._known_norms, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if not close:
            return None
        fewest = min(distance for _, distance, _ in close)
        tied = [known for known, distance, _ in close if distance == fewest]
        return min(tied, key=lambda known: (min(OSA.distance(word, s) for s in self._surfaces[known]), known))

    def find(self, text: str, language: str = "xx") -> List[PhraseMatch]:
        """Non-overlapping matches in ``text``, longest first, then in reading order."""
        words = self._tokenizer(language).make_doc(text.translate(_ETHIOPIC_PUNCTUATION))
        doc = Doc(
            self._shared.vocab, words=[t.text for t in words], spaces=[bool(t.whitespace_) for t in words]
        )
        doc = self._normalised(doc, True)
        found = set(self._matcher(doc)) | set(self._language_matcher(language)(doc))
        matches = []
        taken = set()
        for match_id, start, end in sorted(found, key=lambda m: (m[1] - m[2], m[1], m[0])):
            if taken.intersection(range(start, end)):
                continue
            taken.update(range(start, end))
            span = doc[start:end]
            fuzzy = any(normalise_word(t.text) != t.norm_ for t in span)
            matches.append(
                PhraseMatch(self._keys[match_id], span.start_char, span.end_char, span.text, fuzzy)
            )
        return sorted(matches, key=lambda m: m.start)
