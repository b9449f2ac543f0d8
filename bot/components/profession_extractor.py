"""ProfessionExtractor: the writer's profession as a reference profession id."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.components.base import LotseExtractor
from bot.nlp.instances import profession_finder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProfessionExtractor(LotseExtractor):
    """Adds ``profession`` (a profession id) or ``profession_group`` (an ambiguous name's group id)."""

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self.finder = profession_finder()

    def entities_for(self, message: Message) -> List[Dict[str, Any]]:
        """At most one profession entity: the first specific one, else the first group."""
        mention = self.finder.first(message.get("text"), self.language_of(message) or "xx")
        if mention is None:
            return []
        name = "profession_group" if mention.is_group else "profession"
        return [self.entity(name, mention.id, mention.start, mention.end)]
