"""Find known multi-word names in text: spaCy PhraseMatcher on normalised words, with typo tolerance.

A :class:`PhraseIndex` is built once from ``(phrase, key)`` pairs. Each
language gets its own blank spaCy pipeline (tokenizer rules differ; no model
is downloaded); every word's ``NORM`` is set to :func:`normalise_word`, and the
PhraseMatcher compares those. A word that matches no known norm but is close
to one (rapidfuzz ratio) takes that norm, so "krankenschwster" still matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Tuple

import spacy
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlp.normalise import normalise_word

#: spaCy has blank pipelines for these; anything else is tokenised as "xx".
SPACY_LANGUAGES = frozenset({"de", "en", "uk", "ru", "ar", "fa", "tr", "fr", "es", "pl", "ro", "it"})

MIN_FUZZY_LENGTH = 8
FUZZY_CUTOFF = 90.0


@dataclass(frozen=True)
class PhraseMatch:
    """One found phrase: its key, character span and whether a typo was forgiven."""

    key: str
    start: int
    end: int
    text: str
    fuzzy: bool


class PhraseIndex:
    """Longest-match phrase lookup over normalised words in any of the supported languages."""

    def __init__(self, phrases: Iterable[Tuple[str, str]]) -> None:
        self._phrases = sorted(set(phrases))
        self._pipelines: Dict[str, Tuple[Language, PhraseMatcher]] = {}
        self._keys: Dict[int, str] = {}
        probe = spacy.blank("xx")
        self._known_norms = sorted(
            {normalise_word(t.text) for phrase, _ in self._phrases for t in probe(phrase)}
        )
        self._known_set = frozenset(self._known_norms)

    def _pipeline(self, language: str) -> Tuple[Language, PhraseMatcher]:
        language = language if language in SPACY_LANGUAGES else "xx"
        if language not in self._pipelines:
            nlp = spacy.blank(language)
            matcher = PhraseMatcher(nlp.vocab, attr="NORM")
            by_key: Dict[str, List[Doc]] = {}
            for phrase, key in self._phrases:
                by_key.setdefault(key, []).append(self._normalised(nlp.make_doc(phrase), False))
            for key, docs in by_key.items():
                self._keys[nlp.vocab.strings.add(key)] = key
                matcher.add(key, docs)
            self._pipelines[language] = (nlp, matcher)
        return self._pipelines[language]

    def _normalised(self, doc: Doc, forgive_typos: bool) -> Doc:
        for token in doc:
            norm = normalise_word(token.text)
            if forgive_typos and norm not in self._known_set and len(norm) >= MIN_FUZZY_LENGTH:
                best = process.extractOne(
                    norm, self._known_norms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
                )
                if best is not None:
                    norm = best[0]
            token.norm_ = norm
        return doc

    def find(self, text: str, language: str = "xx") -> List[PhraseMatch]:
        """Non-overlapping matches in ``text``, longest first, then in reading order."""
        nlp, matcher = self._pipeline(language)
        doc = self._normalised(nlp.make_doc(text), True)
        matches = []
        taken = set()
        for match_id, start, end in sorted(matcher(doc), key=lambda m: (m[1] - m[2], m[1])):
            if taken.intersection(range(start, end)):
                continue
            taken.update(range(start, end))
            span = doc[start:end]
            fuzzy = any(normalise_word(t.text) != t.norm_ for t in span)
            matches.append(
                PhraseMatch(self._keys[match_id], span.start_char, span.end_char, span.text, fuzzy)
            )
        return sorted(matches, key=lambda m: m.start)
