"""Rasa graph components for Finnish: a lemmatising tokenizer and an entity-value normaliser.

Both are registered with Rasa's default recipe and referenced by module path in config.yml. The
language logic itself lives in plain modules (lemmatizer, entity_normaliser) with their own tests.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from finnish_nlu.entity_normaliser import find_municipality, normalise_municipality, normalise_person
from finnish_nlu.lemmatizer import lemma

COMPONENT_NAME = "FinnishEntityNormaliser"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FinnishTokenizer(WhitespaceTokenizer):
    """Whitespace tokens whose ``lemma`` is the standard-Finnish base form.

    Rasa's word-level CountVectorsFeaturizer with ``use_lemma: true`` then sees "asumistukee",
    "asumistuen" and "asumistukea" as the same word, while the char n-gram featurizer keeps the
    surface forms.
    """

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.lemma = lemma(token.text)
        return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class FinnishEntityNormaliser(GraphComponent, EntityExtractorMixin):
    """Puts `municipality` and `person` values in canonical form; finds a municipality DIET missed."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FinnishEntityNormaliser:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = [self._normalised(entity) for entity in message.get(ENTITIES, [])]
            if not any(entity["entity"] == "municipality" for entity in entities):
                found = find_municipality(message.get(TEXT) or "")
                if found:
                    value, start, end = found
                    entities.append(
                        {
                            "entity": "municipality",
                            "value": value,
                            "start": start,
                            "end": end,
                            "confidence_entity": 1.0,
                            "extractor": COMPONENT_NAME,
                        }
                    )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    @staticmethod
    def _normalised(entity: dict[str, Any]) -> dict[str, Any]:
        normalise = {"municipality": normalise_municipality, "person": normalise_person}.get(
            entity.get("entity")
        )
        value = normalise(str(entity.get("value", ""))) if normalise else None
        if value is None or value == entity.get("value"):
            return entity
        processors = [*entity.get("processors", []), COMPONENT_NAME]
        return {**entity, "value": value, "processors": processors}
