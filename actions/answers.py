"""Answers to questions, chosen from the knowledge data by actions/replies.yml."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge
from actions.replies import frame, known, payload, routing, topic_of, utter
from actions.walkthrough import show_step


def matches(tracker: Tracker, when: Dict[str, str]) -> bool:
    return all(
        (topic_of(tracker) if name == "topic" else known(tracker, name)) == value
        for name, value in when.items()
    )


def offer_resume(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After a side question in a walkthrough, offer to go back to the same step."""
    procedure = tracker.get_slot("procedure")
    if procedure:
        info = knowledge.procedures()[procedure]
        text = frame(
            "resume_walkthrough",
            title=info["title"],
            step=int(tracker.get_slot("step") or 1),
            total=len(info["steps"]),
        )
        dispatcher.utter_message(
            text=text,
            buttons=[
                {"title": "이어서 보기", "payload": payload("resume_walkthrough")},
                {"title": "그만", "payload": payload("stop")},
            ],
        )


def faq_answer(text: str) -> str | None:
    """The sources' FAQ answer whose keywords the message contains, if any."""
    for item in knowledge.get("reissue.faq"):
        if any(keyword in text for keyword in item["keywords"]):
            return item["answer"]
    return None


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        faq = faq_answer(tracker.latest_message.get("text") or "")
        if faq:
            dispatcher.utter_message(text=faq)
            offer_resume(dispatcher, tracker)
            return []
        intent = tracker.get_intent_of_latest_message()
        entries = routing()["answers"].get(intent, [])
        entry = next((e for e in entries if matches(tracker, e.get("when", {}))), None)
        if entry is None:
            dispatcher.utter_message(response="utter_default")
            return []
        if "walkthrough" in entry:
            return show_step(dispatcher, entry["walkthrough"], 1)
        utter(dispatcher, entry["messages"], entry.get("buttons", []))
        offer_resume(dispatcher, tracker)
        return []


class ActionPointToOffice(Action):
    """After the out-of-scope or no-person reply: where each procedure is handled."""

    def name(self) -> Text:
        return "action_point_to_office"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        offices = [knowledge.get(f"{stem}.contact") for stem in ("reissue", "mobile_id", "overseas_id", "military_card")]
        dispatcher.utter_message(text="\n".join(f"• {o}" for o in offices))
        return []


class ActionStop(Action):
    """'그만' / '취소': leave any form or walkthrough (utter_stopped follows)."""

    def name(self) -> Text:
        return "action_stop"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("procedure", None), SlotSet("step", None)]
