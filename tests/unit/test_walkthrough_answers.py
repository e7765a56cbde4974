import re

import pytest

from actions import knowledge
from actions.answers import ActionAnswer, ActionPointToOffice
from actions.replies import routing
from actions.walkthrough import ActionWalkthrough, infer_procedure
from tests.support.actions import entity, run, texts, tracker

PROCEDURES = knowledge.procedures()


def step_of(message):
    found = re.search(r"(\d+)/(\d+)단계", message["text"])
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("name", sorted(PROCEDURES))
def test_every_walkthrough_goes_forward_back_and_restarts(name):
    total = len(PROCEDURES[name]["steps"])
    messages, events = run(
        ActionWalkthrough(), tracker(intent="start_walkthrough", entities=[entity("procedure", name)])
    )
    assert step_of(messages[0]) == (1, total)
    assert [b["title"] for b in messages[0]["buttons"]] == ["다음", "처음부터", "그만"]
    slots = {e["name"]: e["value"] for e in events}
    assert slots == {"procedure": name, "step": 1.0}
    for expected in range(2, total + 1):
        messages, events = run(ActionWalkthrough(), tracker(intent="next_step", slots=slots))
        slots = {e["name"]: e["value"] for e in events}
        assert step_of(messages[0]) == (expected, total)
        assert PROCEDURES[name]["steps"][expected - 1] in messages[0]["text"]
    assert "다음" not in [b["title"] for b in messages[0]["buttons"]]
    assert "마쳤어요" in messages[-1]["text"]
    messages, events = run(ActionWalkthrough(), tracker(intent="next_step", slots=slots))
    assert step_of(messages[0]) == (total, total)  # never past the end
    messages, events = run(ActionWalkthrough(), tracker(intent="previous_step", slots=slots))
    assert step_of(messages[0]) == (total - 1, total)
    messages, _ = run(ActionWalkthrough(), tracker(intent="restart_steps", slots=slots))
    assert step_of(messages[0]) == (1, total)


@pytest.mark.parametrize(
    "intent, entities, expected",
    [
        ("lost_card", [entity("card_type", "국방전자카드")], "military_lost"),
        ("start_walkthrough", [entity("card_type", "국방전자카드")], "military_issue"),
        ("lost_card", [entity("card_type", "모바일 주민등록증")], "mobile_lost"),
        ("start_walkthrough", [entity("card_type", "재외국민 신원확인증")], "overseas_id"),
        ("lost_card", [], "reissue_lost"),
        ("start_walkthrough", [entity("apply_method", "정부24")], "reissue_online"),
        ("start_walkthrough", [entity("card_type", "주민등록증")], "reissue_visit"),
        ("start_walkthrough", [], None),
    ],
)
def test_the_procedure_follows_from_what_the_user_said(intent, entities, expected):
    assert infer_procedure(tracker(intent=intent, entities=entities)) == expected


def test_without_a_known_procedure_the_user_chooses():
    messages, events = run(ActionWalkthrough(), tracker("/start_walkthrough", "start_walkthrough"))
    assert events == [] and len(messages[0]["buttons"]) == len(PROCEDURES)


def test_navigation_without_a_walkthrough_is_explained():
    messages, events = run(ActionWalkthrough(), tracker("/next_step", "next_step"))
    assert events == [] and "없어요" in messages[0]["text"]


@pytest.mark.parametrize("text, intent", [("재발급 순서 알려줘", "start_walkthrough"), ("그다음 뭐해요", "next_step")])
def test_a_typed_request_for_steps_gets_the_answer_first_with_the_walkthrough_offered(text, intent):
    messages, events = run(ActionWalkthrough(), tracker(text, intent))
    assert any(e["name"] == "facts" for e in events)
    assert any(b["payload"].startswith("/start_walkthrough") for b in messages[0]["buttons"])


def test_side_question_mid_walkthrough_offers_the_same_step_back():
    t = tracker("사진 규격은요?", "ask_documents", slots={"procedure": "reissue_online", "step": 3.0})
    messages, events = run(ActionAnswer(), t)
    assert "3.5cm" in texts(messages)
    assert len(messages) == 1 and "3/6단계" in messages[-1]["text"]
    assert messages[-1]["buttons"][0]["payload"] == "/resume_walkthrough"
    assert next(e["value"] for e in events if e["name"] == "facts")[0] == "reissue.photo.size"


def test_button_payloads_fit_telegram_callback_data():
    messages, _ = run(ActionAnswer(), tracker(intent="reissue_card"))
    for name in PROCEDURES:
        messages += run(ActionWalkthrough(), tracker(intent="start_walkthrough", entities=[entity("procedure", name)]))[
            0
        ]
    payloads = [b["payload"] for m in messages for b in m["buttons"]]
    assert payloads and all(len(p.encode()) <= 64 for p in payloads)


def test_out_of_scope_points_to_every_office():
    messages, _ = run(ActionPointToOffice(), tracker(intent="out_of_scope"))
    for stem in ("reissue", "mobile_id", "overseas_id", "military_card"):
        assert knowledge.get(f"{stem}.contact") in texts(messages)


def test_every_walkthrough_in_the_routing_exists():
    named = {p for cases in routing()["walkthroughs"].values() for p in cases.values()}
    assert named and named <= set(knowledge.procedures())
