"""The trained model (MODEL_PATH, set by `make test`) on messages as citizens type them."""

import asyncio
import os
import re

import pytest
import yaml

from tests.support.nlu import HELD_OUT

MODEL = os.environ.get("MODEL_PATH")
pytestmark = pytest.mark.skipif(
    not MODEL, reason="MODEL_PATH is not set: run through `make test`, which trains the model first"
)


@pytest.fixture(scope="module")
def parse():
    from rasa.core.agent import Agent

    agent = Agent.load(MODEL)
    return lambda text: asyncio.run(agent.parse_message(text))


def entity_values(result):
    return {(e["entity"], e["value"]) for e in result["entities"]}


@pytest.mark.parametrize(
    "text, intent, entities",
    [
        ("세탁기에 돌려서 휘었는데 재발급 무료예요?", "ask_fee", {("damage_cause", "세탁기")}),
        ("주민등록증재발급수수료얼마에요", "ask_fee", {("card_type", "주민등록증")}),
        ("민증잃어버림ㅠㅠ", "lost_card", {("card_type", "주민등록증")}),
        (
            "저 병장인데 국방카드 발급돼요?",
            "military_card",
            {("military_status", "현역병"), ("card_type", "국방전자카드")},
        ),
        ("아 잘못 말했어요, 분실이에요", "inform", {("reissue_reason", "분실")}),
        ("고양시도 모바일신분증 되나요", "mobile_id", {("region", "고양시"), ("card_type", "모바일 주민등록증")}),
    ],
)
def test_intents_and_canonical_entities(parse, text, intent, entities):
    result = parse(text)
    assert result["intent"]["name"] == intent
    assert entities <= entity_values(result)


@pytest.mark.parametrize(
    "text",
    ["", " ", "🙏🙏🙏", "\x00\x01\xff", "How do I renew my passport?", "민증 " * 3400, "ㅋㅋㅋㅋㅋㅋㅋㅋ"],
    ids=["empty", "blank", "emoji", "binary", "english", "10k-chars", "laughter"],
)
def test_odd_input_is_parsed_without_error(parse, text):
    result = parse(text)
    assert result["text"] == text.strip()  # Rasa strips surrounding whitespace
    for e in result["entities"]:
        assert text[e["start"] : e["end"]]


def test_held_out_intent_accuracy_stays_high(parse):
    """A regression gate; `make bench` measures macro-F1 against the targets."""
    items = [item for path in HELD_OUT for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]]
    total = correct = 0
    for item in items:
        for line in item["examples"].splitlines():
            text = re.sub(r"\[([^\]]+)\]\([a-z_]+\)", r"\1", line.strip()[2:])
            result = parse(text)
            ranking = result["intent_ranking"]
            top = next((i for i in ranking if i["name"] != "nlu_fallback"), {"name": None})
            total += 1
            correct += top["name"] == item["intent"]
    assert correct / total >= 0.9
