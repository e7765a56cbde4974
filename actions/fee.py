"""Reissue fee check: a form that asks only what it does not know, then answers from the data."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import knowledge
from actions.replies import accept, button, frame, utter_texts

FORM_SLOTS = ["reissue_reason", "damage_cause", "can_return", "apply_method"]


def rule_for(reason: Optional[str], cause: Optional[str]) -> Optional[Dict[str, Any]]:
    """The fee rule for a reason (and, for damage, its cause), or None if still unknown."""
    fee = knowledge.get("reissue.fee")
    rule = fee["reasons"].get(reason)
    if rule and rule.get("ask") == "damage_cause":
        return fee["damage_causes"].get(cause)
    return rule


def asks(reason: Optional[str]) -> Optional[str]:
    """The slot whose answer a reason's fee depends on (훼손: damage_cause), if any."""
    return (knowledge.get("reissue.fee.reasons").get(reason) or {}).get("ask")


def reason_of_cause() -> str:
    """The reason a stated damage cause implies: "세탁기에 돌렸어요" already says the card is damaged."""
    return next(r for r in knowledge.get("reissue.fee.reasons") if asks(r) == "damage_cause")


def stated_reason(tracker: Tracker, reason: Optional[str], cause: Optional[str]) -> Optional[str]:
    """The reason a message gives: named, implied by a damage cause, or a loss told in a verb
    ("잃어버렸는데", which the lost_card intent recognises and the entity patterns, nouns only, do not)."""
    if reason:
        return reason
    if cause:
        return reason_of_cause()
    return "분실" if tracker.get_intent_of_latest_message() == "lost_card" else None


def required_slots(reason: Optional[str], cause: Optional[str], can_return: Optional[bool]) -> List[str]:
    """Only the questions whose answer can still change the fee."""
    slots = ["reissue_reason"]
    if asks(reason):
        slots.append(asks(reason))
    rule = rule_for(reason, cause)
    if rule and rule["free"]:
        slots.append("can_return")  # an exemption needs the old card back
        if can_return is not False:
            slots.append("apply_method")  # and a visit: 정부24 cannot waive the fee
    return slots


def fee_decision(
    reason: str, cause: Optional[str], can_return: Optional[bool], method: Optional[str]
) -> Dict[str, Any]:
    """Free or paid, with the sentences that say why, in the order to say them."""
    rule = rule_for(reason, cause)
    why = [rule["why"]]
    if rule["free"] and can_return is False:
        return {"free": False, "why": why + [knowledge.get("reissue.fee.no_return")]}
    if rule["free"] and method == "정부24":
        return {"free": False, "why": why + [knowledge.get("reissue.fee.online_no_exemption")]}
    if rule["free"]:
        return {"free": True, "why": why + [knowledge.get("reissue.fee.return_required")]}
    if method:
        payment = "paid_online" if method == "정부24" else "paid_visit"
        why.append(knowledge.get(f"reissue.fee.{payment}"))
    return {"free": False, "why": why}


class ValidateFeeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_fee_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        cause = tracker.get_slot("damage_cause")
        reason = stated_reason(tracker, tracker.get_slot("reissue_reason"), cause)
        return required_slots(reason, cause, tracker.get_slot("can_return"))

    async def extract_reissue_reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if tracker.get_slot("reissue_reason"):
            return {}
        reason = stated_reason(tracker, None, tracker.get_slot("damage_cause"))
        return {"reissue_reason": reason} if reason else {}

    def validate_reissue_reason(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        result = accept(dispatcher, "reissue_reason", value, knowledge.get("reissue.fee.reasons"))
        if result["reissue_reason"] is not None and asks(result["reissue_reason"]) != "damage_cause":
            result["damage_cause"] = None  # a corrected reason drops the damage question
        return result

    def validate_damage_cause(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return accept(dispatcher, "damage_cause", value, knowledge.get("reissue.fee.damage_causes"))

    def validate_apply_method(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        methods = [item["value"] for item in knowledge.get("vocabulary.entities.apply_method")]
        return accept(dispatcher, "apply_method", value, methods)


class ActionFeeResult(Action):
    def name(self) -> Text:
        return "action_fee_result"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        method = tracker.get_slot("apply_method")
        decision = fee_decision(
            tracker.get_slot("reissue_reason"),
            tracker.get_slot("damage_cause"),
            tracker.get_slot("can_return"),
            method,
        )
        amount = knowledge.get("reissue.fee.amount")
        headline = frame("fee_free" if decision["free"] else "fee_paid", amount=amount)
        utter_texts(dispatcher, [headline, *decision["why"]], [])
        online = method == "정부24"
        documents = knowledge.get("reissue.documents.online" if online else "reissue.documents.visit")
        if method or decision["free"]:
            walkthroughs = ["reissue_online" if online else "reissue_visit"]
        else:
            walkthroughs = ["reissue_visit", "reissue_online"]
        dispatcher.utter_message(
            text=frame("bring") + "\n" + "\n".join(f"• {d}" for d in documents),
            buttons=[button(f"walkthrough:{w}") for w in walkthroughs] + [button("intent:ask_documents:photo")],
        )
        return [SlotSet(slot, None) for slot in FORM_SLOTS]
