"""Running custom actions the way the action server does, without a server."""

import asyncio
from typing import Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def tracker(
    text: str = "",
    intent: str = "",
    entities: Optional[List[Dict]] = None,
    slots: Optional[Dict] = None,
    active_loop: Optional[str] = None,
) -> Tracker:
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "intent_ranking": [{"name": intent, "confidence": 1.0}] if intent else [],
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def entity(name: str, value: str) -> Dict:
    return {"entity": name, "value": value}


def run(action, t: Tracker, domain: Optional[Dict] = None):
    """Run an action; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, t, domain or {})
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return dispatcher.messages, result


def texts(messages) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)
