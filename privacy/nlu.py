"""A message with a personal number gets the intent personal_data, whatever else it asks.

The dialogue then tells the user the number was not kept and never to type one into a chat
(data/rules.yml); entities are left as they are, so a form still takes an answer given in the
same message. The number itself is removed by the tracker store and the log filter, not here.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from privacy.redaction import find

PERSONAL_DATA = "personal_data"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PersonalDataFlagger(GraphComponent):
    """Goes after the intent classifier and before the FallbackClassifier."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PersonalDataFlagger:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            classified = message.get(INTENT_RANKING_KEY) or []
            ranking = [i for i in classified if i["name"] != PERSONAL_DATA]
            if find(message.get(TEXT) or ""):
                # The flag is certain, so it is ranked alone: a confident guess of the classifier
                # left below it would look like a close second to the FallbackClassifier.
                flagged = {"name": PERSONAL_DATA, "confidence": 1.0}
                message.set(INTENT, flagged, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [flagged], add_to_output=True)
            elif len(ranking) < len(classified):
                # The classifier's guess without a number in sight: drop it.
                if (message.get(INTENT) or {}).get("name") == PERSONAL_DATA and ranking:
                    message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
