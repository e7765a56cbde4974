"""The redacting tracker store writes each event once, redacted, however often the conversation is
saved, and leaves the events it stored before as they are."""

import asyncio
import json

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import RedactingTrackerStore


def stored_events(db_path):
    engine = sa.create_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events ORDER BY id")).fetchall()
    engine.dispose()
    return [json.loads(row[0]) for row in rows]


def test_each_save_writes_only_the_new_events_redacted(tmp_path):
    db_path = tmp_path / "conversations.db"
    store = RedactingTrackerStore(Domain.empty(), sqlite_path=str(db_path))
    tracker = DialogueStateTracker("citizen", [])
    turns = ["재발급 수수료 얼마예요", "제 번호는 010-4827-3916이에요", "분실했어요"]
    for text in turns:
        tracker.update(UserUttered(text, {"name": "ask_fee", "confidence": 0.9}))
        tracker.update(ActionExecuted("action_answer"))
        tracker.update(BotUttered("수수료는 5,000원이에요."))
        asyncio.run(store.save(tracker))

    with store.engine.connect() as connection:  # the SQLite settings of stores/tracker_store.py
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    events = stored_events(db_path)
    assert len(events) == len(tracker.events)
    said = [e["text"] for e in events if e["event"] == "user"]
    assert said == ["재발급 수수료 얼마예요", "제 번호는 [전화번호]이에요", "분실했어요"]
    assert "4827" not in json.dumps(events, ensure_ascii=False)
    # The conversation as Rasa reads it back holds the redacted text, in order.
    restored = asyncio.run(store.retrieve("citizen"))
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == said
