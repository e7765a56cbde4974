"""Every button the assistant can send fits Telegram's callback_data: at most 64 bytes (UTF-8).

A Hangul syllable is 3 bytes, so a payload such as /inform{"damage_cause":"자연 노후화"} is
longer than it looks. The buttons come from four places: the domain's responses, the
walkthroughs and topic buttons of actions/replies.yml, the forms' questions, and payloads
without entities (an intent alone).
"""

from pathlib import Path

import pytest
import yaml

from actions import knowledge
from actions.questions import question_buttons
from actions.replies import button, payload, routing

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
LIMIT = 64


def every_button():
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            for b in variant.get("buttons") or []:
                yield f"domain {name}", b
    for procedure in knowledge.procedures():
        yield f"walkthrough {procedure}", button(f"walkthrough:{procedure}")
    for ref in routing()["button_titles"]:
        yield f"intent {ref}", button(f"intent:{ref}")
    for slot, question in routing()["questions"].items():
        for b in question_buttons(slot, question["buttons"]):
            yield f"question {slot}", b
    for intent in DOMAIN["intents"]:
        yield f"intent {intent}", {"title": intent, "payload": payload(intent)}


BUTTONS = list(every_button())


def test_the_list_covers_every_kind_of_button():
    kinds = {where.split()[0] for where, _ in BUTTONS}
    assert kinds == {"domain", "walkthrough", "intent", "question"}
    assert len(BUTTONS) > 60


@pytest.mark.parametrize("where, b", BUTTONS, ids=[f"{w}: {b['title']}" for w, b in BUTTONS])
def test_the_payload_fits_in_telegram_callback_data(where, b):
    size = len(b["payload"].encode("utf-8"))
    assert 0 < size <= LIMIT, f"{where}: {b['payload']!r} is {size} bytes"
