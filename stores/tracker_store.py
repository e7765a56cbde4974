"""Rasa's SQL tracker store, redacting every event before it is written, database from the environment.

- `DB_URL` (an SQLAlchemy URL such as postgresql://postgres@127.0.0.1:5432/doumi), or its parts
  `DB_HOST`, `DB_PORT` (5432), `DB_USER` (postgres), `DB_PASSWORD`, `DB_NAME` (doumi): PostgreSQL.
- Otherwise the SQLite file `sqlite_path` from endpoints.yml, by default var/conversations.db.

Each event is serialised, every string in it redacted (user text, parse data, entities, slot
values, bot text, ...), and rebuilt before Rasa's own save; the configured event broker is fed
by that save, so it only ever sees redacted events too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.logs import redact_every_record
from privacy.redaction import redact_value

DEFAULT_SQLITE_PATH = "var/conversations.db"


def database_settings(env: Mapping[str, str] = os.environ, sqlite_path: str = DEFAULT_SQLITE_PATH) -> Dict[str, Any]:
    """SQLTrackerStore arguments for the database the environment names."""
    if env.get("DB_URL"):
        # SQLAlchemy 1.4 no longer accepts the postgres:// scheme that many hosts hand out.
        url = env["DB_URL"].replace("postgres://", "postgresql://", 1)
        return {"host": url}
    if env.get("DB_HOST"):
        return {
            "dialect": "postgresql",
            "host": env["DB_HOST"],
            "port": env.get("DB_PORT", "5432"),
            "username": env.get("DB_USER", "postgres"),
            "password": env.get("DB_PASSWORD") or None,
            "db": env.get("DB_NAME", "doumi"),
        }
    if sqlite_path != ":memory:":
        Path(sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    return {"dialect": "sqlite", "db": sqlite_path}


def redacted(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """A copy of `tracker` whose events hold no personal number."""
    events = [redact_value(event.as_dict()) for event in tracker.events]
    return DialogueStateTracker.from_dict(tracker.sender_id, events, domain.slots, tracker._max_event_history)


class RedactingTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        event_broker: Optional[EventBroker] = None,
        sqlite_path: Text = DEFAULT_SQLITE_PATH,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("host", None)  # Rasa passes the endpoint's `url`; the environment decides here
        # Also here, so that a Rasa server started without privacy/logging.yml logs no number
        # from the moment it can receive messages.
        redact_every_record()
        super().__init__(domain=domain, event_broker=event_broker, **database_settings(sqlite_path=sqlite_path), **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(redacted(tracker, self.domain))
