"""Real PostgreSQL and Redis for the store tests (tests/privacy, tests/scale): skipped with a
reason where they are not running, a failure under CI=true."""

import os
from typing import Optional

import pytest
import redis

from bench.postgres import reachable

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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


@pytest.fixture(scope="session")
def postgres_admin_url(reachable_postgres) -> str:
    if not reachable_postgres:
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL} (set TEST_POSTGRES_URL)")
    return reachable_postgres
