"""What the Lotse NLU components share: creation, pass-through training and entity plumbing."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

#: Message key under which the language detector leaves its best guess for later components.
LANGUAGE_GUESS = "lotse_language_guess"


class LotseComponent(GraphComponent):
    """A stateless component with nothing to train or persist."""

    def __init__(self, config: Dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        """Build the component; it has nothing to train or persist."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes through unchanged (intents only; nothing to learn here)."""
        return training_data


class LotseExtractor(LotseComponent, EntityExtractorMixin):
    """A stateless entity extractor: subclasses implement :meth:`entities_for`."""

    def entity(self, name: str, value: str, start: int, end: int, **extra: Any) -> Dict[str, Any]:
        """An entity dict as Rasa expects it, marked with this extractor's name, plus ``extra`` keys."""
        return {
            "entity": name,
            "value": value,
            "start": start,
            "end": end,
            "confidence_entity": 1.0,
            "extractor": self.__class__.__name__,
            **extra,
        }

    def entities_for(self, message: Message) -> List[Dict[str, Any]]:
        """The entities this component finds in one message."""
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        """Add this component's entities to each message."""
        for message in messages:
            if not message.get("text"):
                continue
            found = self.entities_for(message)
            if found:
                message.set(ENTITIES, [*message.get(ENTITIES, []), *found], add_to_output=True)
        return messages

    @staticmethod
    def language_of(message: Message) -> Optional[str]:
        """The language guess an earlier LanguageDetector left on the message."""
        return message.get(LANGUAGE_GUESS)
