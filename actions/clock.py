"""Today's date, settable for tests: DOUMI_TODAY=YYYY-MM-DD pins it (conversation tests do)."""

from __future__ import annotations

import datetime
import os


def today() -> datetime.date:
    pinned = os.environ.get("DOUMI_TODAY")
    if pinned:
        return datetime.date.fromisoformat(pinned)
    return datetime.date.today()
