"""The intent classifier: Rasa's logistic regression with C and the solver set, the training labels
kept, and a message without features left to the fallback."""

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from korean_nlu.intent_classifier import LinearIntentClassifier

# Two features: the first says "fee", the second "lost".
EXAMPLES = [([3, 0], "ask_fee"), ([2, 0], "ask_fee"), ([0, 3], "lost_card"), ([0, 2], "lost_card")]


def message(vector, intent=None):
    m = Message(data={TEXT: "x", **({"intent": intent} if intent else {})})
    row = scipy.sparse.coo_matrix(np.array([vector], dtype=float))
    m.add_features(Features(row, FEATURE_TYPE_SEQUENCE, TEXT, "counts"))
    m.add_features(Features(row, FEATURE_TYPE_SENTENCE, TEXT, "counts"))
    return m


def classifier(tmp_path, **config):
    component = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("intent"),
        ExecutionContext(GraphSchema({}), "intent"),
    )
    component.train(TrainingData([message(v, i) for v, i in EXAMPLES]))
    return component


def test_every_intent_is_ranked_and_the_features_decide(tmp_path):
    fee, lost = classifier(tmp_path).process([message([2, 0]), message([0, 2])])
    assert fee.get("intent")["name"] == "ask_fee" and lost.get("intent")["name"] == "lost_card"
    ranking = fee.get("intent_ranking")
    assert [i["name"] for i in ranking] == ["ask_fee", "lost_card"]
    assert sum(i["confidence"] for i in ranking) == pytest.approx(1.0)


def test_training_examples_keep_their_labels(tmp_path):
    component = classifier(tmp_path)
    data = TrainingData([message(v, i) for v, i in EXAMPLES])
    component.process_training_data(data)
    assert [m.get("intent") for m in data.training_examples] == [i for _, i in EXAMPLES]


def test_a_saved_classifier_loads_with_its_settings(tmp_path):
    component = classifier(tmp_path, C=5.0)
    loaded = LinearIntentClassifier.load(
        component.config,
        LocalModelStorage(tmp_path),
        Resource("intent"),
        ExecutionContext(GraphSchema({}), "intent"),
    )
    assert loaded.clf.C == 5.0 and loaded.clf.solver == "liblinear"
    x = np.array([[1, 1]])
    assert loaded.clf.predict_proba(x) == pytest.approx(component.clf.predict_proba(x))


def test_a_message_without_features_falls_back(tmp_path):
    empty = Message(data={TEXT: ""})
    classifier(tmp_path).process([empty])
    assert empty.get("intent")["confidence"] == 0.0 and empty.get("intent_ranking") == []
    fallback = FallbackClassifier({**FallbackClassifier.get_default_config(), "threshold": 0.3})
    (result,) = fallback.process([empty])
    assert result.get("intent")["name"] == "nlu_fallback"
