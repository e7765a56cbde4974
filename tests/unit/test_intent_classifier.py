"""The blended intent classifier: Rasa's logistic regression averaged with DIET's ranking."""

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from korean_nlu.intent_blend import BlendedIntentClassifier

# Two features: the first says "fee", the second "lost".
EXAMPLES = [([3, 0], "ask_fee"), ([2, 0], "ask_fee"), ([0, 3], "lost_card"), ([0, 2], "lost_card")]


def message(vector, intent=None, ranking=None):
    m = Message(data={TEXT: "x", **({"intent": intent} if intent else {})})
    row = scipy.sparse.coo_matrix(np.array([vector], dtype=float))
    m.add_features(Features(row, FEATURE_TYPE_SEQUENCE, TEXT, "counts"))
    m.add_features(Features(row, FEATURE_TYPE_SENTENCE, TEXT, "counts"))
    if ranking is not None:
        m.set("intent_ranking", ranking)
    return m


def classifier(tmp_path, **config):
    component = BlendedIntentClassifier.create(
        {**BlendedIntentClassifier.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("blend"),
        ExecutionContext(GraphSchema({}), "blend"),
    )
    component.train(TrainingData([message(v, i) for v, i in EXAMPLES]))
    return component


def test_the_ranking_is_the_weighted_average_of_both_classifiers(tmp_path):
    blend = classifier(tmp_path, diet_weight=0.5)
    diet = [{"name": "lost_card", "confidence": 0.9}, {"name": "ask_fee", "confidence": 0.1}]
    (result,) = blend.process([message([1, 0], ranking=diet)])
    regression = dict(zip(blend.clf.classes_, blend.clf.predict_proba(np.array([[1, 0]]))[0]))
    expected = {i["name"]: 0.5 * i["confidence"] + 0.5 * regression[i["name"]] for i in diet}
    ranking = result.get("intent_ranking")
    assert {i["name"]: i["confidence"] for i in ranking} == pytest.approx(expected)
    assert [i["confidence"] for i in ranking] == sorted(expected.values(), reverse=True)
    assert result.get("intent") == ranking[0]


@pytest.mark.parametrize("weight, winner", [(1.0, "lost_card"), (0.0, "ask_fee")])
def test_the_weight_decides_between_the_two(tmp_path, weight, winner):
    diet = [{"name": "lost_card", "confidence": 1.0}]
    (result,) = classifier(tmp_path, diet_weight=weight).process([message([3, 0], ranking=diet)])
    assert result.get("intent")["name"] == winner


def test_training_examples_keep_their_labels(tmp_path):
    blend = classifier(tmp_path)
    data = TrainingData([message(v, i) for v, i in EXAMPLES])
    blend.process_training_data(data)
    assert [m.get("intent") for m in data.training_examples] == [i for _, i in EXAMPLES]


def test_a_saved_blend_loads_with_its_settings(tmp_path):
    blend = classifier(tmp_path, diet_weight=0.3, C=5.0)
    loaded = BlendedIntentClassifier.load(
        blend.config,
        LocalModelStorage(tmp_path),
        Resource("blend"),
        ExecutionContext(GraphSchema({}), "blend"),
    )
    assert loaded.config["diet_weight"] == 0.3 and loaded.clf.C == 5.0
    x = np.array([[1, 1]])
    assert loaded.clf.predict_proba(x) == pytest.approx(blend.clf.predict_proba(x))


def test_a_message_without_features_keeps_diets_answer(tmp_path):
    diet = [{"name": "lost_card", "confidence": 1.0}]
    empty = Message(data={TEXT: ""})
    empty.set("intent", diet[0])
    empty.set("intent_ranking", diet)
    featured = message([3, 0], ranking=diet)
    kept, blended = classifier(tmp_path).process([empty, featured])
    assert kept.get("intent_ranking") == diet
    assert blended.get("intent_ranking") != diet
