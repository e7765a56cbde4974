"""The NLU component gives personal_data to a message with a personal number, and only to such a message."""

from pathlib import Path

import yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message

from privacy.nlu import PersonalDataFlagger


def classified(text, *ranking):
    ranking = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})
    PersonalDataFlagger().process([message])
    return message.get("intent")["name"], [i["name"] for i in message.get("intent_ranking")]


def test_a_message_with_a_number_is_flagged_and_ranked_alone():
    assert classified(
        "주민번호 900101-1234567 인데 재발급 수수료 얼마예요", ("ask_fee", 0.9), ("reissue_card", 0.1)
    ) == ("personal_data", ["personal_data"])


def test_the_fallback_classifier_keeps_the_flag_whatever_the_classifier_guessed():
    """A bare phone number that the classifier took for an answer with confidence 0.95."""
    pipeline = yaml.safe_load(Path("config.yml").read_text(encoding="utf-8"))["pipeline"]
    names = [c["name"] for c in pipeline]
    assert names.index("privacy.nlu.PersonalDataFlagger") < names.index("FallbackClassifier")
    fallback = FallbackClassifier(
        {**FallbackClassifier.get_default_config(), **pipeline[names.index("FallbackClassifier")]}
    )
    for ranking in ([("inform", 0.952), ("restart_steps", 0.007)], [("inform", 0.2), ("greet", 0.19)]):
        ranking = [{"name": name, "confidence": confidence} for name, confidence in ranking]
        message = Message(data={"text": "01055519284", "intent": ranking[0], "intent_ranking": ranking})
        fallback.process(PersonalDataFlagger().process([message]))
        assert message.get("intent")["name"] == "personal_data"


def test_a_message_without_a_number_never_keeps_personal_data():
    assert classified("주민번호 뒷자리도 알려 드려야 하나요", ("personal_data", 0.6), ("ask_documents", 0.3)) == (
        "ask_documents",
        ["ask_documents"],
    )


def test_other_messages_are_left_alone():
    assert classified("재발급 수수료 5,000원 맞아요?", ("ask_fee", 0.8), ("personal_data", 0.1)) == (
        "ask_fee",
        ["ask_fee"],
    )
