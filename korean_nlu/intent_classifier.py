"""A second opinion on the intent: logistic regression over the same sparse features, averaged
with DIET's ranking.

DIET and a linear model over bags of morphemes and character n-grams err on different messages,
so their average is right more often than either (README, Benchmark). Rasa's own
LogisticRegressionClassifier does the training and the saving; this component only blends.
It goes right after DIETClassifier, whose ranking must list every intent (ranking_length: 0).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class BlendedIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            # Weight of the classifier before this one; the rest goes to the regression.
            "diet_weight": 0.5,
            # Inverse regularisation strength; Rasa's class leaves sklearn's default of 1.
            "C": 1.0,
            "max_iter": 3000,
        }

    def __init__(self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=self.config["C"])

    def process(self, messages: List[Message]) -> List[Message]:
        # An empty message has no features to regress on, and nothing may be trained (no
        # intent examples): DIET's answer stands.
        featured = [m for m in messages if m.get_sparse_features(TEXT)[1] is not None]
        if not featured or not hasattr(self.clf, "classes_"):
            return messages
        probabilities = self.clf.predict_proba(self._create_X(featured))
        weight = self.config["diet_weight"]
        for message, row in zip(featured, probabilities):
            diet = {i["name"]: i["confidence"] for i in message.get(INTENT_RANKING_KEY) or []}
            blended = sorted(
                (
                    {"name": name, "confidence": float(weight * diet.get(name, 0.0) + (1 - weight) * p)}
                    for name, p in zip(self.clf.classes_, row)
                ),
                key=lambda i: -i["confidence"],
            )
            if self.config["ranking_length"] > 0:
                blended = blended[: self.config["ranking_length"]]
            message.set(INTENT, blended[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, blended, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Rasa's class classifies its own training examples here, overwriting their labels.
        return training_data
