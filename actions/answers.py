"""Answers to questions: the facts that answer them (actions/ranker.py), and the way on."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import facts, knowledge, ranker
from actions.fee import fee_decision, rule_for
from actions.military import eligibility_messages
from actions.mobile import pilot_region, region_values
from actions.replies import button, frame, latest_entities, payload, routing

# Measured on tests/answers with `make bench-answers` (bench/README.md).
NOT_SURE = -0.9  # below this LinearSVC margin the best fact is not trusted
NOT_SURE_UNCLASSIFIED = -0.6  # the same when the NLU could not name the intent (nlu_fallback)
RUNNER_UP_MARGIN = 0.45  # a runner-up this close to the best fact is shown too
MAX_FACTS = 3
FEE_TOPICS = {"fee", "exemption", "payment", "lost"}


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


def previous_question(tracker: Tracker) -> Optional[str]:
    """The user's message before the latest one, if any."""
    said = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text")]
    return said[-2] if len(said) > 1 else None


def choose(ranked: List[ranker.Ranked]) -> List[facts.Fact]:
    """The best fact, the runner-up when it scores almost as well, and the facts they name as
    needed with them (`also`), each once, at most MAX_FACTS."""
    best = [r for r in ranked[:2] if r.score > ranked[0].score - RUNNER_UP_MARGIN]
    chosen: List[str] = []
    for fact_id in (
        [r.fact_id for r in best[:1]] + list(facts.get(best[0].fact_id).also) + [r.fact_id for r in best[1:]]
    ):
        if fact_id not in chosen:
            chosen.append(fact_id)
    return [facts.get(f) for f in chosen[:MAX_FACTS]]


def region_check(tracker: Tracker, chosen: List[facts.Fact]) -> Optional[str]:
    """After a mobile-ID pilot answer, whether the region the user named was a pilot region."""
    regions = region_values(tracker)
    if not regions or not any(f.topic == "pilot" for f in chosen):
        return None
    in_pilot = pilot_region(regions)
    if in_pilot:
        return frame("pilot_region_in", region=in_pilot)
    return frame("pilot_region_out", region=" ".join(regions))


def asks_fee(tracker: Tracker, topic: str) -> bool:
    text = tracker.latest_message.get("text") or ""
    return topic in FEE_TOPICS or any(word in text for word in routing()["fee_words"])


def own_case(tracker: Tracker, card: str, topic: str) -> List[str]:
    """What the facts mean for the case the message itself states: the fee for a stated reason
    ("세탁기에 돌렸는데 돈 내요?"), eligibility for a stated military status ("군무원인데 돼요?")."""
    said = latest_entities(tracker)
    if card == "국방전자카드" and said.get("military_status") in knowledge.get("military_card.eligibility"):
        return eligibility_messages(said["military_status"])[:2]
    reason = said.get("reissue_reason") or ("훼손" if said.get("damage_cause") else None)
    if (
        card != ranker.DEFAULT_CARD
        or not asks_fee(tracker, topic)
        or rule_for(reason, said.get("damage_cause")) is None
    ):
        return []
    decision = fee_decision(reason, said.get("damage_cause"), None, said.get("apply_method"))
    headline = frame("fee_free" if decision["free"] else "fee_paid", amount=knowledge.get("reissue.fee.amount"))
    return [headline, *decision["why"]]


def next_steps(card: str, topic: str) -> List[str]:
    steps = routing()["next_steps"].get(card, {})
    return steps.get(topic, steps.get("default", []))


class ActionAnswer(Action):
    """Answers a question with the facts that answer it (actions/ranker.py), in one message."""

    def name(self) -> Text:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        named = next(iter(ranker.cards_in(text)), None)
        conversation = tracker.get_slot("card_type")
        intents = {i["name"]: i["confidence"] for i in tracker.latest_message.get("intent_ranking") or []}
        ranked = ranker.ranker().rank(text, named, conversation, previous_question(tracker), intents)
        card = ranker.family(named or conversation) or ranker.DEFAULT_CARD
        unclassified = tracker.get_intent_of_latest_message() == "nlu_fallback"
        if not ranked or ranked[0].margin < (NOT_SURE_UNCLASSIFIED if unclassified else NOT_SURE):
            dispatcher.utter_message(
                text=frame("not_sure", office=office(card)), buttons=[button(b) for b in next_steps(card, "default")]
            )
            return [SlotSet("card_type", card)]
        chosen = choose(ranked)
        top = chosen[0]
        card = ranker.family(top.card)
        case = own_case(tracker, card, top.topic)
        # The stated case answered is the whole answer; otherwise the facts.
        lines = case or [f.answer for f in chosen] + [region_check(tracker, chosen)]
        dispatcher.utter_message(
            text="\n".join(line for line in lines if line), buttons=[button(b) for b in next_steps(card, top.topic)]
        )
        offer_resume(dispatcher, tracker)
        return [SlotSet("card_type", card), SlotSet("fact", top.id)]


def office(card: str) -> str:
    return knowledge.get(routing()["contacts"][card])


class ActionPointToOffice(Action):
    """After the out-of-scope or no-person reply: where each procedure is handled."""

    def name(self) -> Text:
        return "action_point_to_office"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        offices = [
            knowledge.get(f"{stem}.contact") for stem in ("reissue", "mobile_id", "overseas_id", "military_card")
        ]
        dispatcher.utter_message(text="\n".join(f"• {o}" for o in offices))
        return []


class ActionStop(Action):
    """'그만' / '취소': leave any form or walkthrough (utter_stopped follows)."""

    def name(self) -> Text:
        return "action_stop"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("procedure", None), SlotSet("step", None)]
