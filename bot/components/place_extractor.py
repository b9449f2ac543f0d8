"""PlaceExtractor: where the writer lives, resolved to a federal state, or abroad."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.components.base import LotseExtractor
from bot.nlp.instances import place_finder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PlaceExtractor(LotseExtractor):
    """Adds ``place`` (a postcode or city), ``abroad``, or both (abroad, intending to work there).

    A place entity carries ``federal_state``, ``lat`` and ``lon``, for an ambiguous name
    the ``alternatives``, and ``residence`` when a residence cue precedes it ("I live in").
    """

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self.finder = place_finder()

    def entities_for(self, message: Message) -> List[Dict[str, Any]]:
        """Entities for the first place of residence (or of intended work) found in the message."""
        text = message.get("text")
        mention = self.finder.find(text, self.language_of(message) or "xx")
        if mention is None:
            return []
        entities = []
        if mention.place is not None:
            start = max(text.find(mention.text), 0)
            place = mention.place
            extra = {"federal_state": place.state, "lat": place.lat, "lon": place.lon}
            if mention.alternatives:
                extra["alternatives"] = list(mention.alternatives)
            if mention.residence:
                extra["residence"] = True
            value = place.postcode or place.name
            entities.append(self.entity("place", value, start, start + len(mention.text), **extra))
        if mention.abroad is not None and mention.abroad_text is not None:
            start = max(text.find(mention.abroad_text), 0)
            entities.append(self.entity("abroad", mention.abroad, start, start + len(mention.abroad_text)))
        return entities
