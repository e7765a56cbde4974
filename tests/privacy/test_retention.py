"""`python -m stores.retention` deletes conversations idle for more than N days (30 by default),
on SQLite and on PostgreSQL; the redacting store picks its database from the environment."""

import asyncio
import os
import subprocess
import sys
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import RedactingTrackerStore, database_settings
from tests.support.servers import ROOT

DAY = 86400
NOW = time.time()


def conversation(sender, *ages_in_days):
    """A tracker whose events happened the given numbers of days ago."""
    events = [SessionStarted(timestamp=NOW - ages_in_days[0] * DAY)]
    for age in ages_in_days:
        events += [
            ActionExecuted("action_listen", timestamp=NOW - age * DAY),
            UserUttered(
                f"{sender} 재발급 문의", {"name": "reissue_card", "confidence": 1.0}, timestamp=NOW - age * DAY
            ),
            BotUttered(f"{sender}에게 답했어요", timestamp=NOW - age * DAY),
        ]
    return DialogueStateTracker.from_events(sender, events)


def store_for(db_url):
    os.environ["DB_URL"] = db_url
    try:
        return RedactingTrackerStore(domain=Domain.empty())
    finally:
        del os.environ["DB_URL"]


def fill(store):
    for tracker in [
        conversation("idle-40-days", 40),
        conversation("idle-31-days", 45, 31),
        conversation("idle-29-days", 29),
        conversation("started-long-ago-active-today", 60, 0),
    ]:
        asyncio.run(store.save(tracker))


def forget(db_url, *args):
    env = {**os.environ, "DB_URL": db_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "stores.retention", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def senders(store):
    return set(asyncio.run(store.keys()))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    url = request.getfixturevalue("postgres_url")
    store = store_for(url)
    with store.session_scope() as session:  # the database is shared by this module's tests
        session.query(store.SQLEvent).delete()
        session.commit()
    return url


def test_the_default_forgets_conversations_idle_for_more_than_30_days(db_url):
    store = store_for(db_url)
    fill(store)
    result = forget(db_url)
    assert result.returncode == 0, result.stderr
    assert "Deleted 2 conversation(s) idle for more than 30 days" in result.stdout
    assert senders(store) == {"idle-29-days", "started-long-ago-active-today"}
    # What is left is whole: the old session of the conversation still going on is kept too.
    kept = asyncio.run(store.retrieve_full_tracker("started-long-ago-active-today"))
    assert len([e for e in kept.events if isinstance(e, UserUttered)]) == 2


def test_the_number_of_days_is_configurable(db_url):
    store = store_for(db_url)
    fill(store)
    assert forget(db_url, "--days", "10").returncode == 0
    assert senders(store) == {"started-long-ago-active-today"}
    assert forget(db_url, "--days", "0").returncode == 0
    assert senders(store) == set()


def test_a_negative_number_of_days_is_refused_and_nothing_is_deleted(db_url):
    store = store_for(db_url)
    fill(store)
    result = forget(db_url, "--days", "-1")
    assert result.returncode != 0 and "--days must be 0 or more" in result.stderr
    assert len(senders(store)) == 4


def test_a_forgotten_conversation_leaves_no_trace_in_the_sqlite_file(tmp_path):
    # SQLite builds without secure_delete (Debian's has it on) keep deleted rows in free pages
    # until a VACUUM, which the command runs.
    db_url = f"sqlite:///{tmp_path / 'conversations.db'}"
    fill(store_for(db_url))
    assert b"idle-40-days" in (tmp_path / "conversations.db").read_bytes()
    assert forget(db_url).returncode == 0
    raw = (tmp_path / "conversations.db").read_bytes()
    assert b"idle-40-days" not in raw and b"idle-29-days" in raw


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, {"dialect": "sqlite", "db": "var/conversations.db"}),
        (
            {"DB_URL": "postgresql://postgres@127.0.0.1:5432/doumi"},
            {"host": "postgresql://postgres@127.0.0.1:5432/doumi"},
        ),
        ({"DB_URL": "postgres://u:p@db:5432/doumi"}, {"host": "postgresql://u:p@db:5432/doumi"}),
        (
            {"DB_HOST": "db.internal", "DB_USER": "doumi", "DB_PASSWORD": "s3cret", "DB_NAME": "chat"},
            {
                "dialect": "postgresql",
                "host": "db.internal",
                "port": "5432",
                "username": "doumi",
                "password": "s3cret",
                "db": "chat",
            },
        ),
        (
            {"DB_HOST": "127.0.0.1", "DB_PORT": "6543"},
            {
                "dialect": "postgresql",
                "host": "127.0.0.1",
                "port": "6543",
                "username": "postgres",
                "password": None,
                "db": "doumi",
            },
        ),
    ],
    ids=["default-sqlite", "url", "heroku-style-url", "parts", "parts-defaults"],
)
def test_the_database_is_chosen_from_the_environment(env, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the SQLite default creates var/ in the working directory
    assert database_settings(env) == expected
