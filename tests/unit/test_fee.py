import asyncio

import pytest

from actions import knowledge
from actions.fee import ActionFeeResult, ValidateFeeForm, fee_decision, required_slots
from actions.replies import frame
from tests.support.actions import entity, run, texts, tracker

FEE = knowledge.get("reissue.fee")


@pytest.mark.parametrize("reason", ["기재란 부족", "구형 교체"])
def test_free_reasons_are_free_on_a_visit_with_the_old_card(reason):
    decision = fee_decision(reason, None, True, "방문")
    assert decision["free"] is True
    assert FEE["reasons"][reason]["why"] in decision["why"]
    assert FEE["return_required"] in decision["why"]


@pytest.mark.parametrize("reason", ["분실", "사진 변경", "용모 변화"])
def test_paid_reasons_cost_the_fee(reason):
    decision = fee_decision(reason, None, None, None)
    assert decision == {"free": False, "why": [FEE["reasons"][reason]["why"]]}


@pytest.mark.parametrize("cause", ["자연 노후화", "제작 결함"])
def test_natural_damage_is_free(cause):
    assert fee_decision("훼손", cause, True, "방문")["free"] is True


@pytest.mark.parametrize("cause", ["세탁기", "열", "의도적 긁힘", "스티커"])
def test_damage_by_negligence_is_paid(cause):
    decision = fee_decision("훼손", cause, None, "방문")
    assert decision["free"] is False
    assert decision["why"] == [FEE["damage_causes"][cause]["why"], FEE["paid_visit"]]


def test_a_free_case_without_the_old_card_is_paid():
    decision = fee_decision("기재란 부족", None, False, None)
    assert decision["free"] is False and FEE["no_return"] in decision["why"]


def test_a_free_case_online_is_paid_because_only_a_visit_can_waive_it():
    decision = fee_decision("훼손", "자연 노후화", True, "정부24")
    assert decision["free"] is False and FEE["online_no_exemption"] in decision["why"]


def test_only_questions_that_can_change_the_fee_are_asked():
    assert required_slots("분실", None, None) == ["reissue_reason"]
    assert required_slots("훼손", "세탁기", None) == ["reissue_reason", "damage_cause"]
    assert required_slots("훼손", "자연 노후화", None) == [
        "reissue_reason",
        "damage_cause",
        "can_return",
        "apply_method",
    ]
    assert required_slots("구형 교체", None, False) == ["reissue_reason", "can_return"]


def test_a_damage_cause_given_up_front_implies_damage():
    t = tracker(
        "세탁기에 돌려서 휘었는데 재발급 무료예요?",
        "ask_fee",
        [entity("damage_cause", "세탁기")],
        slots={"damage_cause": "세탁기"},
    )
    extracted = asyncio.run(ValidateFeeForm().extract_reissue_reason(None, t, {}))
    assert extracted == {"reissue_reason": "훼손"}
    slots = asyncio.run(ValidateFeeForm().required_slots([], None, t, {}))
    assert slots == ["reissue_reason", "damage_cause"]  # both known: the form is done at once


def test_correcting_the_reason_drops_the_damage_cause():
    from rasa_sdk.executor import CollectingDispatcher

    result = ValidateFeeForm().validate_reissue_reason("분실", CollectingDispatcher(), tracker(), {})
    assert result == {"reissue_reason": "분실", "damage_cause": None}


def test_an_unknown_reason_is_asked_again():
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    assert ValidateFeeForm().validate_reissue_reason("몰라", dispatcher, tracker(), {}) == {"reissue_reason": None}
    assert dispatcher.messages[0]["text"] == frame("unknown_answer")


def test_result_message_states_the_amount_and_why_and_resets_the_form():
    t = tracker(slots={"reissue_reason": "훼손", "damage_cause": "세탁기", "apply_method": None})
    messages, events = run(ActionFeeResult(), t)
    said = texts(messages)
    assert FEE["amount"] in said and FEE["damage_causes"]["세탁기"]["why"] in said
    assert {e["name"]: e["value"] for e in events} == {
        "reissue_reason": None,
        "damage_cause": None,
        "can_return": None,
        "apply_method": None,
    }


def test_a_scratch_as_such_is_not_charged_as_carelessness():
    """The source blames only scratching on purpose ("의도적으로 표면을 긁거나"); its damage table
    lists 스크래치 as damage without blame."""
    from korean_nlu import lexicon

    paid = {c for c, rule in knowledge.get("reissue.fee.damage_causes").items() if not rule["free"]}
    for term in lexicon.terms():
        if term.entity == "damage_cause" and term.value in paid:
            assert "스크래치" not in term.surface and "scratch" not in term.surface.lower()
    assert "의도적" in knowledge.get("reissue.fee.damage_causes.의도적 긁힘.why")
