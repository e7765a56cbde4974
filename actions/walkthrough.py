"""Step-by-step guidance through a procedure, with the position kept in slots."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge, ranker
from actions.answers import ActionAnswer
from actions.replies import button, frame, known, routing

NAVIGATION = ["intent:next_step", "intent:previous_step", "intent:restart_steps", "intent:stop"]


def infer_procedure(tracker: Tracker) -> Optional[str]:
    """The procedure the user's words point to, from card type, reason and method
    (`walkthroughs` in actions/replies.yml). A loss or a method without a card is a 주민등록증's."""
    named = known(tracker, "procedure")
    if named in knowledge.procedures():
        return named
    card, method = known(tracker, "card_type"), known(tracker, "apply_method")
    lost = known(tracker, "reissue_reason") == "분실" or tracker.get_intent_of_latest_message() == "lost_card"
    if not (card or lost or method):
        return None
    cases = routing()["walkthroughs"].get(card or ranker.DEFAULT_CARD, {})  # none for a soldier's 나라사랑카드
    return cases.get("lost" if lost else method) or cases.get("default")


def show_step(dispatcher: CollectingDispatcher, procedure: str, step: int) -> List[EventType]:
    """Show step `step` (1-based) of `procedure` and remember the position."""
    info = knowledge.procedures()[procedure]
    total = len(info["steps"])
    step = min(max(step, 1), total)
    # No "next" on the last step and no "previous" on the first.
    hidden = {"intent:next_step"} if step == total else set()
    hidden |= {"intent:previous_step"} if step == 1 else set()
    buttons = [button(b) for b in NAVIGATION if b not in hidden]
    text = frame("walkthrough_step", title=info["title"], step=step, total=total, body=info["steps"][step - 1])
    dispatcher.utter_message(text=text, buttons=buttons)
    if step == total:
        dispatcher.utter_message(text=frame("walkthrough_done", title=info["title"]))
    return [SlotSet("procedure", procedure), SlotSet("step", float(step))]


def ask_procedure(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(
        text=frame("choose_procedure"),
        buttons=[button(f"walkthrough:{name}") for name in knowledge.procedures()],
    )


class ActionWalkthrough(Action):
    """Start, move through, or return to a walkthrough."""

    def name(self) -> Text:
        return "action_walkthrough"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        intent = tracker.get_intent_of_latest_message()
        current = tracker.get_slot("procedure")
        step = int(tracker.get_slot("step") or 1)
        typed = not (tracker.latest_message.get("text") or "").startswith("/")
        if typed and (
            intent != "start_walkthrough"
            and current is None
            or intent == "start_walkthrough"
            and known(tracker, "procedure") is None
        ):
            # "재발급 순서 알려줘" or "그다음 뭐해요?" with no walkthrough open: the answer first
            # (an overview), with the walkthrough among its buttons.
            return ActionAnswer().run(dispatcher, tracker, domain)
        if intent == "start_walkthrough":
            procedure = infer_procedure(tracker)
            if procedure is None:
                ask_procedure(dispatcher)
                return []
            return show_step(dispatcher, procedure, 1)
        if current is None:
            dispatcher.utter_message(text=frame("no_walkthrough"))
            ask_procedure(dispatcher)
            return []
        moves = {"next_step": step + 1, "previous_step": step - 1, "restart_steps": 1}
        return show_step(dispatcher, current, moves.get(intent, step))
