"""SignalFeaturizer: language-independent features for the intent classifier.

Each feature is one signal of :mod:`bot.nlp.signals` ("bye", "cost", "human", ...)
or the fact that the writer names their profession or their place. Because a
feature means the same in every language, what the classifier learns from the
examples of one language helps in the others ("bay bay" in Turkish, "tschüss" in
a Ukrainian message).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.base import LANGUAGE_GUESS
from bot.nlp.instances import language_identifier, place_finder, profession_finder, signal_finder
from bot.nlp.signals import SIGNALS

#: One feature column per name, in this order.
FEATURES: Tuple[str, ...] = (*SIGNALS, "profession", "place")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SignalFeaturizer(SparseFeaturizer, GraphComponent):
    """Adds a sparse feature per signal, per token (where it was found) and per message (anywhere).

    The message's language is the LanguageDetector's guess when it ran (at
    prediction time); training examples are identified here, so that both see the
    same features.
    """

    @classmethod
    def required_components(cls) -> List[Type]:
        """Tokens are needed to place the features on words."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """No options beyond the featurizer alias."""
        return SparseFeaturizer.get_default_config()

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """Nothing to validate."""

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, {**self.get_default_config(), **config})
        self.signals = signal_finder()
        self.professions = profession_finder()
        self.places = place_finder()

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        """Build the featurizer; the lexicons are data files, nothing is trained."""
        return cls(config, execution_context.node_name)

    def spans(self, text: str, language: Optional[str]) -> List[Tuple[int, int, int]]:
        """``(feature column, start, end)`` for everything found in ``text``."""
        found = [(FEATURES.index(m.signal), m.start, m.end) for m in self.signals.find(text, language)]
        language = language or "xx"
        profession = FEATURES.index("profession")
        found += [(profession, m.start, m.end) for m in self.professions.find(text, language)]
        place = self.places.find(text, language)
        if place is not None:
            start = max(text.find(place.text), 0)
            found.append((FEATURES.index("place"), start, start + len(place.text)))
        return found

    def featurize(self, message: Message) -> None:
        """Add the sequence and sentence features of the message's text."""
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT], [])
        if not text or not tokens:
            return
        language = message.get(LANGUAGE_GUESS) or language_identifier().identify(text).guess
        sequence = np.zeros((len(tokens), len(FEATURES)))
        sentence = np.zeros((1, len(FEATURES)))
        for column, start, end in self.spans(text, language):
            sentence[0, column] = 1.0
            for row, token in enumerate(tokens):
                if token.start < end and token.end > start:
                    sequence[row, column] = 1.0
        self.add_features_to_message(
            scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence), TEXT, message
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize every training example."""
        for example in training_data.training_examples:
            self.featurize(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Featurize each message."""
        for message in messages:
            self.featurize(message)
        return messages
