"""Which language a conversation is in, decided from the latest message and what came before.

Order of evidence, strongest first:
1. an explicit request ("English please", a language button),
2. a confident detection of the latest message, unless it only tells apart two close
   languages (:data:`CLOSE_LANGUAGES`, e.g. Ukrainian and Russian) by statistics, not by
   letters, and the person is already in the other one (3. or 4.): then that one stays,
3. the language the conversation already has (the ``language`` slot),
4. the language the page or channel reports (message metadata ``language``),
5. the latest message's best guess,
6. the default language.
Short or ambiguous messages carry no confident detection, so they never switch.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from bot.texts import DEFAULT_LANGUAGE

#: Key of the LanguageDetector's result in the parse data (and so in ``tracker.latest_message``).
LANGUAGE_KEY = "lotse_language"
#: Languages that short messages share so much of that only letters tell them apart reliably.
CLOSE_LANGUAGES = (frozenset({"uk", "ru"}),)


def _close(one: str, other: str) -> bool:
    return one != other and any({one, other} <= pair for pair in CLOSE_LANGUAGES)


def conversation_language(
    identification: Optional[Dict[str, Any]],
    chosen: Optional[str],
    intent: Optional[str],
    slot_value: Optional[str],
    metadata: Optional[Dict[str, Any]],
) -> str:
    """The conversation's language after the latest message (an ISO 639 code).

    ``identification`` is the LanguageDetector's ``lotse_language`` result for the
    message, ``chosen`` the language of a pressed language button.
    """
    identification = identification or {}
    if chosen:
        return chosen
    if intent == "change_language" and identification.get("requested"):
        return identification["requested"]
    page_language = (metadata or {}).get("language")
    page_language = page_language if isinstance(page_language, str) and page_language else None
    guess = identification.get("guess")
    if identification.get("confident") and guess:
        known = slot_value or page_language
        if known and not identification.get("by_letters") and _close(known, guess):
            return known
        return guess
    return slot_value or page_language or guess or DEFAULT_LANGUAGE


def only_a_guess(
    identification: Optional[Dict[str, Any]],
    chosen: Optional[str],
    slot_value: Optional[str],
    metadata: Optional[Dict[str, Any]],
) -> bool:
    """Whether :func:`conversation_language` can only go by the latest message's best guess.

    True when the conversation has no language yet, no button was pressed and no language
    requested, the page or channel reports none, and the detection is not confident (one
    word, an emoji, Arabic or Russian in Latin letters). Arguments as for
    :func:`conversation_language`.
    """
    identification = identification or {}
    page_language = metadata.get("language") if isinstance(metadata, dict) else None
    return not (
        chosen
        or slot_value
        or identification.get("requested")
        or identification.get("confident")
        or page_language
    )
