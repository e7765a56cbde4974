"""Real PostgreSQL and Redis for the store tests: skipped with a reason where they are not
running, a failure under CI=true. Extra servers use the ports right after TEST_RASA_PORT."""

import os
from pathlib import Path
from typing import Optional

import pytest
import redis

from bench.postgres import reachable

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RASA_PORT = int(os.environ.get("TEST_RASA_PORT", 5057))


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run this test")
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except redis.ConnectionError:
        unavailable(f"Redis is not reachable at {REDIS_URL} (set TEST_REDIS_URL)")
    return REDIS_URL


@pytest.fixture(scope="session")
def reachable_postgres() -> Optional[str]:
    """The URL to create test databases through, or None where PostgreSQL is not running."""
    return POSTGRES_URL if reachable(POSTGRES_URL) else None


@pytest.fixture
def postgres_admin_url(reachable_postgres) -> str:
    if not reachable_postgres:
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL} (set TEST_POSTGRES_URL)")
    return reachable_postgres


@pytest.fixture(scope="session")
def ports():
    """Four ports after TEST_RASA_PORT for the servers these tests start, one test at a time."""
    return [RASA_PORT + n for n in range(1, 5)]


@pytest.fixture(scope="session")
def model() -> Path:
    if not os.environ.get("MODEL_PATH"):
        pytest.skip("MODEL_PATH is not set: run through `make test`, which trains the model first")
    return Path(os.environ["MODEL_PATH"]).resolve()
