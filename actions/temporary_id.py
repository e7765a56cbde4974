"""Temporary ID (발급신청 확인서): the last valid day from the day it was issued."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional, Text

import korean_datetime
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import clock, knowledge
from actions.replies import button, frame

_PAST = korean_datetime.ParseOptions(cycle=korean_datetime.Cycle.PAST)


def issued_on(text: str, today: datetime.date) -> Optional[datetime.date]:
    """The date in "어제 받았어요", "11월 3일", "지난주 월요일" ..., read as a past date."""
    try:
        return korean_datetime.parse_date(text, now=today, options=_PAST)
    except Exception:  # the parser's errors are not part of its contract; no date is no date
        return None


def last_valid_day(issued: datetime.date) -> datetime.date:
    # The issue day is day 1, so day 30 is the last: the reading that never over-promises.
    return issued + datetime.timedelta(days=knowledge.get("reissue.temporary_id.valid_days") - 1)


def validity_message(issued: datetime.date, today: datetime.date) -> str:
    last = last_valid_day(issued)
    values = {"issued": f"{issued.month}월 {issued.day}일", "last": f"{last.year}년 {last.month}월 {last.day}일"}
    if today > last:
        return frame("temporary_id_expired", **values)
    return frame("temporary_id_valid", day=(today - issued).days + 1, **values)


class ValidateTemporaryIdForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_temporary_id_form"

    async def extract_issued_on(self, dispatcher, tracker: Tracker, domain) -> Dict[Text, Any]:
        date = issued_on(tracker.latest_message.get("text") or "", clock.today())
        return {"issued_on": date.isoformat()} if date else {}

    def validate_issued_on(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if datetime.date.fromisoformat(value) > clock.today():
            dispatcher.utter_message(text=frame("date_in_future"))
            return {"issued_on": None}
        return {"issued_on": value}


class ActionTemporaryIdResult(Action):
    def name(self) -> Text:
        return "action_temporary_id_result"

    def run(self, dispatcher, tracker: Tracker, domain) -> List[EventType]:
        issued = datetime.date.fromisoformat(tracker.get_slot("issued_on"))
        dispatcher.utter_message(
            text=validity_message(issued, clock.today()),
            buttons=[button("intent:processing_time"), button("intent:pickup_proxy")],
        )
        dispatcher.utter_message(text=knowledge.get("reissue.temporary_id.after"))
        return [SlotSet("issued_on", None)]
