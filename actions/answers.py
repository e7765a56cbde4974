"""Answers to questions: the facts that answer them (actions/ranker.py), and the way on."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import facts, knowledge, ranker
from actions.fee import fee_decision, rule_for, stated_reason
from actions.military import eligibility_messages
from actions.mobile import pilot_region, region_values
from actions.replies import button, frame, latest_entities, routing

# Measured on tests/answers with `make bench-answers` (bench/README.md).
NOT_SURE = -0.9  # below this LinearSVC margin the best fact is not trusted
RUNNER_UP_MARGIN = 0.45  # a runner-up this close to the best fact is shown too
MAX_FACTS = 3
# A small-talk intent (out_of_scope, bot_challenge, a bare yes or no) gives way to a fact whose
# margin is at least SURE: a question the facts answer is answered even if the intent classifier
# took it for small talk. On the held-out greetings, thanks, yes/no and bot questions (tests/nlu)
# the best fact scored at most -0.31.
SURE = -0.25
# The margin a further question of the same message needs for its own fact: short questions
# ("며칠 걸려요", "수수료는 얼마예요") scored about -0.3, a greeting or thanks between them about -0.8.
OTHER_QUESTION = -0.6
FEE_TOPICS = {"fee", "exemption", "payment"}


def resume_offer(tracker: Tracker) -> Tuple[Optional[str], List[str]]:
    """After a side question in a walkthrough: a line offering to go back to the same step, and its
    buttons, to end the answer with."""
    procedure = tracker.get_slot("procedure")
    if not procedure:
        return None, []
    info = knowledge.procedures()[procedure]
    text = frame(
        "resume_walkthrough", title=info["title"], step=int(tracker.get_slot("step") or 1), total=len(info["steps"])
    )
    return text, ["intent:resume_walkthrough", "intent:stop"]


def previous_question(tracker: Tracker) -> Optional[str]:
    """The user's message before the latest one, if any."""
    said = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text")]
    return said[-2] if len(said) > 1 else None


def choose(ranked: List[ranker.Ranked]) -> List[facts.Fact]:
    """The best fact, the runner-up when it scores almost as well and is about the same card, and
    the facts they name as needed with them (`also`), each once, at most MAX_FACTS."""
    card = ranker.family(facts.get(ranked[0].fact_id).card)
    best = [
        r
        for r in ranked[:2]
        if r.score > ranked[0].score - RUNNER_UP_MARGIN and ranker.family(facts.get(r.fact_id).card) == card
    ]
    chosen: List[str] = []
    for fact_id in (
        [r.fact_id for r in best[:1]] + list(facts.get(best[0].fact_id).also) + [r.fact_id for r in best[1:]]
    ):
        if fact_id not in chosen:
            chosen.append(fact_id)
    return [facts.get(f) for f in chosen[:MAX_FACTS]]


def each_question(text: str, card: str, chosen: List[facts.Fact]) -> List[facts.Fact]:
    """For a message of several questions ("며칠 걸려요? 그동안 신분증은요?"), the best fact of each
    question that the whole message's facts leave out, when it is about the same card and sure
    (a greeting or a thank-you between the questions adds nothing)."""
    questions = [q for q in re.split(r"[?？]", text) if len(q.strip()) > 1]
    if len(questions) < 2:
        return []
    found: List[facts.Fact] = []
    for question in questions:
        best = next((r for r in ranker.ranker().rank(question, card) if r.fact_id != facts.OTHER_DOCUMENTS), None)
        fact = facts.get(best.fact_id) if best and best.margin >= OTHER_QUESTION else None
        if fact and fact not in chosen + found:
            found.append(fact)
    return found


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
    return topic in FEE_TOPICS or any(re.search(word, text) for word in routing()["fee_words"])


def own_case(tracker: Tracker, card: str, topic: str) -> List[str]:
    """What the facts mean for the case the message itself states: the fee for a stated reason
    ("세탁기에 돌렸는데 돈 내요?"), eligibility for a stated military status ("군무원인데 돼요?")."""
    said = latest_entities(tracker)
    if card == "국방전자카드" and said.get("military_status") in knowledge.get("military_card.eligibility"):
        return eligibility_messages(said["military_status"])[:2]
    reason = stated_reason(tracker, said.get("reissue_reason"), said.get("damage_cause"))
    if (
        card != ranker.DEFAULT_CARD
        or not asks_fee(tracker, topic)
        or rule_for(reason, said.get("damage_cause")) is None
    ):
        return []
    decision = fee_decision(reason, said.get("damage_cause"), None, said.get("apply_method"))
    headline = frame("fee_free" if decision["free"] else "fee_paid", amount=knowledge.get("reissue.fee.amount"))
    return [headline, *decision["why"]]


def conversation_card(tracker: Tracker, text: str) -> Optional[str]:
    """The card the conversation is about: the one the message names; for a generic word (신분증),
    the conversation's card before this message, else one the entities imply (a rank means the
    국방전자카드), else the word's card; with no name, the last card named, else the implied one."""
    mentioned = next(iter(ranker.cards_in(text)), None)
    implied = next((card for entity, card in routing()["entity_cards"].items() if tracker.get_slot(entity)), None)
    if mentioned and not ranker.cards_in(text, specific=True):
        return card_before_latest_message(tracker) or implied or mentioned
    return tracker.get_slot("card_type") or implied


def card_before_latest_message(tracker: Tracker) -> Optional[str]:
    card, latest = None, None
    for event in tracker.events:
        if event.get("event") == "user":
            latest = card
        elif event.get("event") == "slot" and event.get("name") == "card_type":
            card = event.get("value")
    return latest


def next_steps(card: str, topic: str) -> List[str]:
    steps = routing()["next_steps"].get(card, {})
    return steps.get(topic, steps.get("default", []))


# Fitted when the action server loads the actions, not on the first citizen's message.
ranker.ranker()


class ActionAnswer(Action):
    """Answers a question with the facts that answer it (actions/ranker.py), in one message."""

    def name(self) -> Text:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        text = tracker.latest_message.get("text") or ""
        named = next(iter(ranker.cards_in(text, specific=True)), None)
        conversation = conversation_card(tracker, text)
        intents = {i["name"]: i["confidence"] for i in tracker.latest_message.get("intent_ranking") or []}
        ranked = ranker.ranker().rank(text, named, conversation, previous_question(tracker), intents)
        # nlu_fallback itself, not the intent ranked below it: small talk is only what the NLU is sure of.
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        small_talk = routing()["small_talk"].get(intent)
        if ranked and ranked[0].fact_id == facts.OTHER_DOCUMENTS:
            small_talk = routing()["small_talk"]["out_of_scope"]
        elif ranked and ranked[0].margin >= SURE:
            small_talk = None  # a fact answers it, whatever the intent
        if small_talk:
            reply_to_small_talk(dispatcher, small_talk)
            return []
        ranked = [r for r in ranked if r.fact_id != facts.OTHER_DOCUMENTS]
        card = ranker.family(named or conversation) or ranker.DEFAULT_CARD
        if not ranked or ranked[0].margin < NOT_SURE:
            dispatcher.utter_message(
                text=frame("not_sure", office=office(card)), buttons=[button(b) for b in next_steps(card, "default")]
            )
            return [SlotSet("card_type", card)]
        chosen = choose(ranked)
        top = chosen[0]
        card = ranker.family(top.card)
        # The best fact with what it needs (`also`), then the other questions' facts, then the rest.
        head = [f for f in chosen if f == top or f.id in top.also]
        others = each_question(text, top.card, chosen)
        chosen = (head + others + [f for f in chosen if f not in head])[: max(MAX_FACTS, len(head) + len(others))]
        case = own_case(tracker, card, top.topic)
        # The stated case answered first, in place of the general fee or eligibility facts; the
        # facts about anything else the message asks (where, how long) follow it.
        if case:
            chosen = [f for f in chosen if f.topic not in FEE_TOPICS | {"who"}]
        # One message: the answer, then the way on (back to the walkthrough, if one is open).
        resume, resume_buttons = resume_offer(tracker)
        lines = case + [f.answer for f in chosen] + [region_check(tracker, chosen), resume]
        buttons = [button(b) for b in [*(resume_buttons or next_steps(card, top.topic)), *routing()["after_answer"]]]
        dispatcher.utter_message(text="\n".join(line for line in lines if line), buttons=buttons)
        return [SlotSet("card_type", card), SlotSet("facts", [f.id for f in chosen or [top]])]


def office(card: str) -> str:
    return knowledge.get(routing()["contacts"][card])


def offices() -> str:
    """Where each procedure is handled, one line each."""
    return "\n".join(f"• {office(card)}" for card in routing()["contacts"])


def reply_to_small_talk(dispatcher: CollectingDispatcher, reply: Dict[str, Any]) -> None:
    """The reply of a small-talk intent (actions/replies.yml, small_talk)."""
    if "response" in reply:
        dispatcher.utter_message(response=reply["response"])
    else:
        dispatcher.utter_message(text=frame(reply["frame"]))
    if reply.get("offices"):
        dispatcher.utter_message(text=offices())


class ActionShowSource(Action):
    """ "근거 보기": the seed passage each fact of the last answer rests on, and the text it is from."""

    def name(self) -> Text:
        return "action_show_source"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        shown = [facts.get(f) for f in tracker.get_slot("facts") or [] if f in facts.facts()]
        if not shown:
            dispatcher.utter_message(text=frame("no_source"))
            return []
        titles = knowledge.source_titles()
        passages = [frame("source", quote=f.quote, title=titles[f.source]) for f in shown]
        dispatcher.utter_message(text="\n\n".join(dict.fromkeys(passages)))
        return []


class ActionPointToOffice(Action):
    """After the no-person reply: where each procedure is handled."""

    def name(self) -> Text:
        return "action_point_to_office"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(text=offices())
        return []


class ActionStop(Action):
    """'그만' / '취소': leave any form or walkthrough (utter_stopped follows)."""

    def name(self) -> Text:
        return "action_stop"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("procedure", None), SlotSet("step", None)]
