"""`make report`: the operator's report over conversations kept by the redacting tracker store."""

import asyncio
import datetime as dt

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.replies import frame
from stores import report
from stores.tracker_store import RedactingTrackerStore


def said(text, intent, channel, entities=()):
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": list(entities), "text": text}
    return UserUttered(text, parse["intent"], list(entities), parse, input_channel=channel)


def conversations(tmp_path):
    store = RedactingTrackerStore(Domain.empty(), sqlite_path=str(tmp_path / "c.db"))
    rated = DialogueStateTracker("a", [])
    for event in [
        said("재발급 수수료 얼마예요", "ask_fee", "rest"),
        ActionExecuted("action_answer"),
        BotUttered("주민등록증 재발급 수수료는 일반적으로 5,000원이에요."),
        SlotSet("facts", ["reissue.fee.general"]),
        said('/feedback{"topic":"down"}', "feedback", "rest", [{"entity": "topic", "value": "down"}]),
        ActionExecuted("utter_feedback_noted"),
    ]:
        rated.update(event)
    unanswered = DialogueStateTracker("b", [])
    for event in [
        said("내일 날씨  어때", "nlu_fallback", "kakao"),
        ActionExecuted("action_answer"),
        BotUttered(frame("not_sure", office="주민센터")),
    ]:
        unanswered.update(event)
    for tracker in (rated, unanswered):
        asyncio.run(store.save(tracker))
    return store


def test_the_report_counts_what_operators_need(tmp_path):
    store = conversations(tmp_path)
    today = dt.date.today()
    summary = report.summarise(report.events_between(store, today - dt.timedelta(days=1), today))
    assert summary["conversations"] == 2 and summary["messages"] == 3
    assert summary["per_day"] == {today: {"rest": 2, "kakao": 1}}
    assert summary["fallback_rate"] == summary["not_sure_rate"] == 1 / 3
    assert summary["unanswered"] == [("내일 날씨 어때", 1)]
    assert summary["ratings"] == {"fee": {"down": 1}}
    assert summary["median_messages_to_answer"] == 1


def test_a_date_range_without_conversations_is_empty(tmp_path):
    store = conversations(tmp_path)
    summary = report.summarise(report.events_between(store, dt.date(2020, 1, 1), dt.date(2020, 1, 31)))
    assert summary["conversations"] == 0 and summary["unanswered"] == []


def test_the_html_is_self_contained(tmp_path, monkeypatch):
    conversations(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DB_URL", f"sqlite:///{tmp_path / 'c.db'}")
    report.main(["--out", str(tmp_path / "report.html")])
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "내일 날씨 어때" in page
    assert "<script" not in page and "http" not in page
