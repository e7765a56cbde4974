"""Rasa's SQL tracker store, redacting every event before it is written, database from the environment.

- `DB_URL` (an SQLAlchemy URL such as postgresql://postgres@127.0.0.1:5432/doumi), or its parts
  `DB_HOST`, `DB_PORT` (5432), `DB_USER` (postgres), `DB_PASSWORD`, `DB_NAME` (doumi): PostgreSQL.
- Otherwise the SQLite file `sqlite_path` from endpoints.yml, by default var/conversations.db.

Each event new since the last save is serialised, every string in it redacted (user text, parse
data, entities, slot values, bot text, ...), and rebuilt before Rasa writes it; events already
stored are not touched again, so a turn costs the same in a long conversation as in a short one.
The configured event broker gets the same redacted events.

No store error may stop the server. Rasa's SQLTrackerStore takes any ValueError raised while a
session is open (a string PostgreSQL cannot store, for one) for a missing schema and exits the
process; here it is raised as a StoreError, which the channels answer with the polite fault reply
(channels/edge.py). A database that cannot be reached at start-up stops the start with one line,
instead of Rasa's warning and a server whose every message fails.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Any, Dict, Generator, Iterator, List, Mapping, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.logs import redact_every_record
from privacy.redaction import redact_value

DEFAULT_SQLITE_PATH = "var/conversations.db"
# libpq's connection timeout: a database that does not answer fails a message within seconds.
os.environ.setdefault("PGCONNECT_TIMEOUT", "5")
logger = logging.getLogger(__name__)


class StoreError(RuntimeError):
    """A tracker-store failure that must not reach Rasa's exit-on-ValueError."""


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


def check_reachable(settings: Dict[str, Any]) -> None:
    """Connect once; on failure stop the start-up with one line that names the database."""
    if settings.get("dialect") == "sqlite":
        return
    url = (
        settings["host"]
        if "dialect" not in settings
        else SQLTrackerStore.get_db_url(
            settings["dialect"],
            settings["host"],
            settings["port"],
            settings["db"],
            settings["username"],
            settings["password"],
        )
    )
    engine = sa.create_engine(url)
    try:
        engine.connect().close()
    except sa.exc.SQLAlchemyError as error:
        where = sa.engine.make_url(url).render_as_string(hide_password=True)
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        # Printed and exited here: raised inside Sanic's start-up, it would come with a traceback.
        print(f"Cannot reach the conversation database at {where}: {reason}", file=sys.stderr, flush=True)
        os._exit(1)
    finally:
        engine.dispose()


def _sqlite_sync(connection: Any, _record: Any) -> None:
    """With write-ahead logging, sync at checkpoints rather than at every commit: the commit was
    the largest part of a save under load (bench/README.md, Load). A crash of the machine may lose
    the last turns, never the file; PostgreSQL is the store for a service that must keep every turn."""
    connection.execute("PRAGMA synchronous=NORMAL")


def redacted(event: Event) -> Event:
    """A copy of `event` that holds no personal number."""
    return Event.from_parameters(redact_value(event.as_dict()))


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
        settings = database_settings(sqlite_path=sqlite_path)
        check_reachable(settings)
        super().__init__(domain=domain, event_broker=event_broker, **settings, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Write-ahead logging is a setting of the file, kept once set; the sync level is one of
            # each connection (SQLAlchemy 1.4 opens one per session for a SQLite file).
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            sa.event.listen(self.engine, "connect", _sqlite_sync)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[sa.orm.Session, None, None]:
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        except ValueError as error:
            raise StoreError(f"the conversation database refused a value: {type(error).__name__}") from error
        finally:
            session.close()

    def _additional_events(self, session: sa.orm.Session, tracker: DialogueStateTracker) -> Iterator[Event]:
        # Rasa's save writes exactly these: the events not yet stored.
        return (redacted(event) for event in super()._additional_events(session, tracker))

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event], sender_id: Text) -> None:
        await super()._stream_new_events(event_broker, [redacted(e) for e in new_events], sender_id)
