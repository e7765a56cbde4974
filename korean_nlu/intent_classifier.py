"""The intent: a logistic regression over the sparse features (morphemes and character n-grams).

Rasa's LogisticRegressionClassifier does the training and the saving; this class sets the
regularisation (C), which Rasa's leaves at sklearn's default, and keeps the labels of the
training examples, which Rasa's overwrites with its own predictions in process_training_data.
config.yml uses the liblinear solver (one-vs-rest): it trains in seconds where lbfgs took about
two minutes, and replaced DIET, whose 40 epochs took most of the training time, without losing
answers (bench/README.md).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            # Inverse regularisation strength; Rasa's class leaves sklearn's default of 1.
            "C": 1.0,
            "solver": "liblinear",
            "max_iter": 3000,
            # Every intent in the ranking: the answer engine weighs the likely ones.
            "ranking_length": 0,
        }

    def __init__(self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=self.config["C"])

    def process(self, messages: List[Message]) -> List[Message]:
        # A message with no features (no tokens), or a model trained without intent examples, gets
        # no intent at confidence 0, which the FallbackClassifier turns into nlu_fallback.
        trained = hasattr(self.clf, "classes_")
        featured = [m for m in messages if trained and m.get_sparse_features(TEXT)[1] is not None]
        for message in messages:
            message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if featured:
            super().process(featured)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Rasa's class classifies its own training examples here, overwriting their labels.
        return training_data
