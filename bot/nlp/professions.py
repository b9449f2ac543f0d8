"""Find the writer's own profession in a message, as a reference profession id or an ambiguous group.

Names come from the knowledge base (every language at once, so code-mixing
like "Я Pflegefachfrau" works). A name counts only when the message is about
the writer: a name preceded in its clause by an "other person" cue from
``cues.yml`` ("I need a doctor", "my husband is a teacher") is ignored, and so
is a name in a question ("who pays for the sworn translator?"), since people do
not describe themselves in questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional

from bot.knowledge.loader import Knowledge
from bot.nlp.normalise import fold
from bot.nlp.phrase_index import RECENT_MESSAGES, PhraseIndex

GROUP_PREFIX = "group:"
_HINT_SEPARATOR = "\t"
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n،؛؟]|\s(?:and|und|але|но|а|و|but|aber)\s")
_QUESTION_END = re.compile(r"[^.,;:!\n،؛]*?[?؟]")


@dataclass(frozen=True)
class ProfessionMention:
    """A profession the writer names as their own."""

    #: A profession id, or a group id when the name is ambiguous.
    id: str
    is_group: bool
    start: int
    end: int
    text: str


def _clause_before(text: str, position: int) -> str:
    """The text from the last clause break before ``position`` up to it, folded."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, position)]
    return fold(text[breaks[-1] if breaks else 0 : position])


def _clause_after(text: str, position: int) -> str:
    """The text from ``position`` to the next clause break, folded."""
    following = _CLAUSE_BREAK.search(text, position)
    return fold(text[position : following.start() if following else len(text)])


class ProfessionFinder:
    """Finds self-described professions using a phrase index over all profession names."""

    def __init__(self, kb: Knowledge) -> None:
        phrases = [
            (name, profession.id)
            for profession in kb.professions.values()
            for names in profession.names.values()
            for name in [*names, profession.name_de.female, profession.name_de.male]
        ]
        phrases += [
            (name, GROUP_PREFIX + group.id)
            for group in kb.groups.values()
            for names in group.names.values()
            for name in names
        ]
        self._index = PhraseIndex(phrases)
        self._hints = PhraseIndex(
            [
                (hint, f"{group.id}{_HINT_SEPARATOR}{candidate}")
                for group in kb.groups.values()
                for candidate, languages in group.hints.items()
                for hints in languages.values()
                for hint in hints
            ]
        )
        self._other_person = {fold(cue) for cues in kb.cues.other_person.values() for cue in cues}
        self._other_person_after = {fold(cue) for cues in kb.cues.other_person_after.values() for cue in cues}
        # The extractor and the SignalFeaturizer both ask about each message: the second asks memory.
        self.find = lru_cache(maxsize=RECENT_MESSAGES)(self._find)

    def _about_someone_else(self, text: str, start: int, end: int) -> bool:
        before = f" {_clause_before(text, start)} "
        after = f" {_clause_after(text, end)} "
        in_question = _QUESTION_END.match(text, start) is not None
        return (
            in_question
            or any(f" {cue} " in before for cue in self._other_person)
            or any(f" {cue} " in after for cue in self._other_person_after)
        )

    def warm(self) -> None:
        """Build the matching pipelines of every language now."""
        self._index.warm()
        self._hints.warm()

    def _find(self, text: str, language: str = "xx") -> List[ProfessionMention]:
        """The writer's professions named in ``text``, in reading order."""
        mentions = []
        for match in self._index.find(text, language):
            if self._about_someone_else(text, match.start, match.end):
                continue
            is_group = match.key.startswith(GROUP_PREFIX)
            key = match.key[len(GROUP_PREFIX) :] if is_group else match.key
            mentions.append(ProfessionMention(key, is_group, match.start, match.end, match.text))
        return mentions

    def first(self, text: str, language: str = "xx") -> Optional[ProfessionMention]:
        """The first specific profession, else the first group (narrowed by its hints), else None."""
        mentions = self.find(text, language)
        specific = [m for m in mentions if not m.is_group]
        if specific or not mentions:
            return (specific or [None])[0]
        return self._narrowed(mentions[0], text, language)

    def _narrowed(self, group: ProfessionMention, text: str, language: str) -> ProfessionMention:
        """The group's one candidate the message's hint words point to, else the group itself."""
        pointed = set()
        for match in self._hints.find(text, language):
            group_id, candidate = match.key.split(_HINT_SEPARATOR)
            if group_id == group.id:
                pointed.add(candidate)
        if len(pointed) != 1:
            return group
        return ProfessionMention(pointed.pop(), False, group.start, group.end, group.text)
