"""Turning knowledge paths and button references into messages and buttons."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge

ROUTING_FILE = Path(__file__).resolve().parent / "replies.yml"


@lru_cache(maxsize=1)
def routing() -> Dict[str, Any]:
    with open(ROUTING_FILE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def frame(name: str, **values) -> str:
    return knowledge.render(routing()["frames"][name], **values)


def text_of(path: str) -> str:
    """A knowledge value as one message; lists become bulleted lines."""
    value = knowledge.get(path)
    if isinstance(value, list):
        return "\n".join(f"• {item}" for item in value)
    return str(value)


def payload(intent: str, **entities: str) -> str:
    # Compact JSON keeps payloads within Telegram's 64-byte callback_data.
    if not entities:
        return f"/{intent}"
    return f"/{intent}" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


def button(ref: str) -> Dict[str, str]:
    kind, _, name = ref.partition(":")
    if kind == "walkthrough":
        title = knowledge.procedures()[name]["title"]
        return {"title": title, "payload": payload("start_walkthrough", procedure=name)}
    intent, _, topic = name.partition(":")
    title = routing()["button_titles"][name]
    return {"title": title, "payload": payload(intent, topic=topic) if topic else payload(intent)}


def latest_entities(tracker: Tracker) -> Dict[str, str]:
    """Entity values of the latest message (the first value of each entity wins)."""
    found: Dict[str, str] = {}
    for entity in tracker.latest_message.get("entities", []):
        found.setdefault(entity["entity"], entity["value"])
    return found


def known(tracker: Tracker, name: str) -> Optional[str]:
    """What the user just said about `name`, else what they said earlier."""
    return latest_entities(tracker).get(name) or tracker.get_slot(name)


def accept(dispatcher: CollectingDispatcher, slot: str, value: Any, choices) -> Dict[str, Any]:
    """A form answer that must be one of `choices`; otherwise say so and ask again."""
    if value in choices:
        return {slot: value}
    dispatcher.utter_message(text=frame("unknown_answer"))
    return {slot: None}


def utter_texts(dispatcher: CollectingDispatcher, texts: List[str], buttons: List[Dict[str, str]]) -> None:
    """One message per text; the buttons go with the last one."""
    for i, text in enumerate(texts):
        dispatcher.utter_message(text=text, buttons=buttons if i == len(texts) - 1 else [])
