"""모바일 주민등록증 pilot regions: whether a region the user names was one (knowledge/mobile_id.yml)."""

from __future__ import annotations

from typing import List, Optional

from rasa_sdk import Tracker

from actions import knowledge


def pilot_region(regions: List[str]) -> Optional[str]:
    """The pilot region among the user's region values (서구 counts only with 대전)."""
    for entry in knowledge.get("mobile_id.pilot.regions"):
        province = entry.get("province")
        if entry["name"] in regions and (province is None or province in regions):
            return entry["label"]
    return None


def region_values(tracker: Tracker) -> List[str]:
    found = [e["value"] for e in tracker.latest_message.get("entities", []) if e["entity"] == "region"]
    remembered = tracker.get_slot("region")
    return list(dict.fromkeys(found or ([remembered] if remembered else [])))
