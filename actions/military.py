"""국방전자카드 eligibility: officers, NCOs and civilian staff only; soldiers get 나라사랑카드."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.replies import accept, button, routing, utter_texts


def eligibility_messages(status: str) -> List[str]:
    card = knowledge.get("military_card")
    if card["eligibility"][status]:
        return [
            knowledge.render(card["eligible"], status=status),
            card["where"],
            card["processing_time"],
            card["pickup"],
        ]
    if status == "민간인":
        return [card["civilian"]]
    return [knowledge.render(card["soldier"], status=status), card["narasarang_missing"]]


# The facts (knowledge/facts/military_card.yml) the eligibility answer rests on, for "근거 보기".
ELIGIBILITY_FACTS = ("military.who.eligible", "military.who.not_soldiers", "military.who.soldiers_narasarang")


class ValidateMilitaryForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_military_form"

    def validate_military_status(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return accept(dispatcher, "military_status", value, knowledge.get("military_card.eligibility"))


class ActionMilitaryResult(Action):
    def name(self) -> Text:
        return "action_military_result"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        status = tracker.get_slot("military_status")
        if status is None:
            # Reached without an answer (e.g. two servers raced on one conversation): ask again.
            return [FollowupAction("military_form")]
        eligible = knowledge.get("military_card.eligibility")[status]
        # Never a dead end: the way on for those who may apply, the source for everyone.
        steps = ["walkthrough:military_issue", "walkthrough:military_lost"] if eligible else []
        buttons = [button(b) for b in [*steps, *routing()["after_answer"]]]
        utter_texts(dispatcher, eligibility_messages(status), buttons)
        return [SlotSet("military_status", None), SlotSet("facts", list(ELIGIBILITY_FACTS))]
