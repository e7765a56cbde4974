import datetime

import pytest

from actions import knowledge
from actions.military import ActionMilitaryResult, eligibility_messages
from actions.mobile import pilot_region
from actions.replies import button
from actions.temporary_id import issued_on, last_valid_day, validity_message
from tests.support.actions import run, tracker

CARD = knowledge.get("military_card")


@pytest.mark.parametrize("status", ["장교", "부사관", "군무원"])
def test_officers_ncos_and_civilian_staff_are_eligible(status):
    said = "\n".join(eligibility_messages(status))
    assert knowledge.render(CARD["eligible"], status=status) in said
    for fact in ("where", "processing_time", "pickup"):
        assert CARD[fact] in said
    assert "은행 영업점" in said and "1~2주" in said


@pytest.mark.parametrize("status", ["현역병", "보충역"])
def test_soldiers_are_told_about_narasarang_card(status):
    said = "\n".join(eligibility_messages(status))
    assert "나라사랑카드" in said and "대상이 아니에요" in said
    assert CARD["where"] not in said


def test_a_civilian_is_told_it_is_not_for_them():
    assert eligibility_messages("민간인") == [CARD["civilian"]]


def test_particles_follow_the_word():
    assert knowledge.render(CARD["eligible"], status="장교").startswith("장교는")
    assert knowledge.render(CARD["eligible"], status="군무원").startswith("군무원은")


def test_military_result_without_a_status_asks_the_question_again():
    messages, events = run(ActionMilitaryResult(), tracker(slots={"military_status": None}))
    assert messages == []
    assert events == [{"event": "followup", "name": "military_form", "timestamp": None}]


def test_military_result_offers_the_walkthrough_only_to_the_eligible():
    messages, _ = run(ActionMilitaryResult(), tracker(slots={"military_status": "부사관"}))
    assert any(b["payload"].startswith("/start_walkthrough") for b in messages[-1]["buttons"])
    messages, _ = run(ActionMilitaryResult(), tracker(slots={"military_status": "현역병"}))
    assert not any(b["payload"].startswith("/start_walkthrough") for m in messages for b in m["buttons"])


@pytest.mark.parametrize(
    "regions, expected",
    [
        (["고양시"], "경기도 고양시"),
        (["강남구"], None),
        (["서구"], None),  # 서구 alone is not 대전 서구
        (["대전광역시", "서구"], "대전광역시 서구"),
        ([], None),
    ],
)
def test_pilot_regions_are_recognised(regions, expected):
    assert pilot_region(regions) == expected


TODAY = datetime.date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("오늘 받았어요", TODAY),
        ("어제요", datetime.date(2026, 11, 22)),
        ("11월 3일에 받았는데", datetime.date(2026, 11, 3)),
        ("12월 20일", datetime.date(2025, 12, 20)),  # a date still to come this year means last year
        ("지난주 월요일", datetime.date(2026, 11, 16)),
        ("확인서 언제까지 써요", None),
    ],
)
def test_issue_dates_in_everyday_korean(text, expected):
    assert issued_on(text, TODAY) == expected


def test_day_30_is_valid_and_day_31_is_not():
    issued = datetime.date(2026, 11, 3)
    last = last_valid_day(issued)
    assert (last - issued).days + 1 == 30
    assert "쓸 수 있어요" in validity_message(issued, last)
    assert "30일째" in validity_message(issued, last)
    assert "지났어요" in validity_message(issued, last + datetime.timedelta(days=1))
    assert "2026년 12월 2일" in validity_message(issued, last)


@pytest.mark.parametrize("status", ["현역병", "장교"])
def test_the_eligibility_answer_is_never_a_dead_end_and_shows_its_source(status):
    messages, events = run(ActionMilitaryResult(), tracker(slots={"military_status": status}))
    titles = [b["title"] for b in messages[-1]["buttons"]]
    assert button("intent:show_source")["title"] in titles
    facts_slot = next(e["value"] for e in events if e["name"] == "facts")
    assert "military.who.not_soldiers" in facts_slot
