"""A dedicated PostgreSQL database per run, and what the tracker store wrote into it."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from contextlib import contextmanager
from typing import Dict, Iterator, List

import sqlalchemy
from sqlalchemy.engine import make_url


def reachable(url: str) -> bool:
    try:
        engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            return True
    except sqlalchemy.exc.OperationalError:
        return False


@contextmanager
def fresh_database(admin_url: str, prefix: str = "doumi_scale") -> Iterator[str]:
    """Create an empty database through admin_url, yield its URL, then drop it."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(make_url(admin_url).set(database=name))
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def stored_events(db_url: str) -> Dict[str, List[dict]]:
    """Every sender's events as the tracker store keeps them (table `events`), in order."""
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sqlalchemy.text("SELECT sender_id, data FROM events ORDER BY id"))
            events: Dict[str, List[dict]] = defaultdict(list)
            for sender, data in rows:
                events[sender].append(json.loads(data))
            return dict(events)
    finally:
        engine.dispose()
