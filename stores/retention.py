"""Forget old conversations: `python -m stores.retention --days 30` (or `make forget DAYS=30`).

Deletes every event of each conversation whose last event is older than the given number of
days, in the database the environment names (stores/tracker_store.py). SQLite is vacuumed
afterwards so that the deleted text does not linger in the file's free pages.
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa

from stores.tracker_store import RedactingTrackerStore

DEFAULT_DAYS = 30


def forget(store: RedactingTrackerStore, days: float, now: float = None) -> int:
    """Delete conversations idle for more than `days`; return how many were deleted."""
    cutoff = (time.time() if now is None else now) - days * 86400
    events = store.SQLEvent
    stale = sa.select(events.sender_id).group_by(events.sender_id).having(sa.func.max(events.timestamp) < cutoff)
    with store.session_scope() as session:
        senders = [row[0] for row in session.execute(stale)]
        if senders:
            session.execute(sa.delete(events).where(events.sender_id.in_(senders)))
        session.commit()
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as connection:
            connection.execute(sa.text("VACUUM"))
    return len(senders)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--days",
        type=float,
        default=DEFAULT_DAYS,
        help=f"delete conversations idle for more than this many days (default {DEFAULT_DAYS})",
    )
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    store = RedactingTrackerStore()
    deleted = forget(store, args.days)
    print(f"Deleted {deleted} conversation(s) idle for more than {args.days:g} days from {store.engine.url!r}.")


if __name__ == "__main__":
    main()
