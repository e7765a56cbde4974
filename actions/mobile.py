"""모바일 주민등록증 availability by region and today's date (pilot, then nationwide)."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional, Text

from dateutil.relativedelta import relativedelta
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import clock, knowledge
from actions.replies import button, utter_texts


def pilot_window() -> tuple:
    """First and last day of the pilot: "약 2개월" from the start date (approximate, and said so)."""
    pilot = knowledge.get("mobile_id.pilot")
    start = datetime.date.fromisoformat(str(pilot["start"]))
    return start, start + relativedelta(months=pilot["months"]) - datetime.timedelta(days=1)


def pilot_region(regions: List[str]) -> Optional[str]:
    """The pilot region among the user's region values (서구 counts only with 대전)."""
    for entry in knowledge.get("mobile_id.pilot.regions"):
        province = entry.get("province")
        if entry["name"] in regions and (province is None or province in regions):
            return entry["label"]
    return None


def availability(today: datetime.date, regions: List[str]) -> List[str]:
    texts = knowledge.get("mobile_id.availability")
    start, end = pilot_window()
    if today < start:
        return [texts["before_pilot"]]
    if today > end:
        return [texts["after_pilot"], texts["check_office"]]
    if not regions:
        labels = ", ".join(e["label"] for e in knowledge.get("mobile_id.pilot.regions"))
        return [texts["pilot_no_region"], f"• {labels}"]
    in_pilot = pilot_region(regions)
    if in_pilot:
        return [knowledge.render(texts["pilot_in_region"], region=in_pilot)]
    return [knowledge.render(texts["pilot_other_region"], region=" ".join(regions))]


def region_values(tracker: Tracker) -> List[str]:
    found = [e["value"] for e in tracker.latest_message.get("entities", []) if e["entity"] == "region"]
    remembered = tracker.get_slot("region")
    return list(dict.fromkeys(found or ([remembered] if remembered else [])))


class ActionMobileId(Action):
    def name(self) -> Text:
        return "action_mobile_id"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=knowledge.get("mobile_id.what"))
        buttons = [button("walkthrough:mobile_issue"), button("intent:mobile_id_usage"), button("walkthrough:mobile_lost")]
        utter_texts(dispatcher, availability(clock.today(), region_values(tracker)), buttons)
        return []
