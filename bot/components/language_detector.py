"""LanguageDetector: leaves each message's language identification on the parse result."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.components.base import LANGUAGE_GUESS, LotseComponent
from bot.conversation_language import LANGUAGE_KEY
from bot.nlp.instances import language_identifier


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(LotseComponent):
    """Adds ``lotse_language``: ``{"guess": code, "confident": bool, "requested": code}``.

    It is not an entity (it spans the whole message and would confuse entity
    evaluation). The conversation-level decision (keep or switch) is made from it
    and the ``language`` slot by :mod:`bot.conversation_language`.
    """

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self.identifier = language_identifier()

    def process(self, messages: List[Message]) -> List[Message]:
        """Identify the language of each message."""
        for message in messages:
            result = self.identifier.identify(message.get("text") or "")
            message.set(LANGUAGE_GUESS, result.guess)
            message.set(
                LANGUAGE_KEY,
                {
                    "guess": result.guess,
                    "confident": result.confident,
                    "requested": result.requested,
                    "by_letters": result.by_letters,
                },
                add_to_output=True,
            )
        return messages
