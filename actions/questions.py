"""The forms' questions (action_ask_<slot>), from the `questions` in actions/replies.yml."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import payload, routing, text_of, utter_texts


def question_buttons(slot: str, specs: List[Dict[str, str]]) -> List[Dict[str, str]]:
    buttons = []
    for spec in specs:
        if "value" in spec:
            target = payload("inform", **{slot: spec["value"]})
        elif "intent" in spec:
            target = payload(spec["intent"])
        else:
            target = spec["text"]
        buttons.append({"title": spec["title"], "payload": target})
    return buttons


class Question:
    """Mixed into one Action subclass per slot below (the base itself is not an action)."""

    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        question = routing()["questions"][self.slot]
        texts = [text_of(path) for path in question.get("intro", [])] + [question["text"]]
        utter_texts(dispatcher, texts, question_buttons(self.slot, question["buttons"]))
        return []


# One action per question; the action server registers every Action subclass it finds.
for _slot in routing()["questions"]:
    globals()[f"Ask_{_slot}"] = type(f"Ask_{_slot}", (Question, Action), {"slot": _slot})
