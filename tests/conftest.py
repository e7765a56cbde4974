"""Real PostgreSQL and Redis for the store tests (tests/privacy, tests/scale): skipped with a
reason where they are not running, a failure under CI=true. And a real Rasa server (the trained
model, tests/credentials.yml) with its action server, for the channel and robustness tests: every
channel of credentials.yml plus Telegram, whose Bot API is a local stand-in
(tests/channels/telegram_api.py), and the request cap and CORS origin a deployment would set."""

import os
import subprocess
import sys
from typing import Optional

import pytest
import redis

from tests.channels.telegram_api import TelegramAPI
from tests.support.postgres import reachable
from tests.support.servers import (
    ACTIONS_MAX_REQUEST,
    ACTIONS_PORT,
    ALLOWED_ORIGIN,
    MAX_REQUEST,
    MODEL,
    RASA_PORT,
    ROOT,
    listening,
    wait_until_up,
)

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


@pytest.fixture(scope="session")
def request_cap():
    return MAX_REQUEST


@pytest.fixture(scope="session")
def allowed_origin():
    return ALLOWED_ORIGIN


@pytest.fixture(scope="session")
def telegram_api():
    api = TelegramAPI()
    yield api
    api.shutdown()


@pytest.fixture(scope="session")
def rasa_url(telegram_api):
    if not MODEL:
        pytest.skip("MODEL_PATH is not set: run through `make test`, which trains the model first")
    rasa = [sys.executable, "-m", "rasa"]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TEST_ACTIONS_PORT": str(ACTIONS_PORT),
        "SANIC_REQUEST_MAX_SIZE": str(MAX_REQUEST),
        "TELEGRAM_API_URL": telegram_api.url,
    }
    actions_env = {**env, "SANIC_REQUEST_MAX_SIZE": ACTIONS_MAX_REQUEST}
    logs = ROOT / "var"
    logs.mkdir(exist_ok=True)
    started = []
    if not listening(ACTIONS_PORT):
        started.append(
            subprocess.Popen(
                rasa + ["run", "actions", "--port", str(ACTIONS_PORT), "--actions", "actions"],
                cwd=ROOT,
                env=actions_env,
                stdout=open(logs / "pytest-actions.log", "wb"),
                stderr=subprocess.STDOUT,
            )
        )
        wait_until_up(f"http://localhost:{ACTIONS_PORT}/health", started[-1], 120)
    started.append(
        subprocess.Popen(
            [
                sys.executable,
                "tests/channels/run_rasa.py",
                "run",
                "--model",
                MODEL,
                "--port",
                str(RASA_PORT),
                "--credentials",
                "tests/credentials.yml",
                "--endpoints",
                "tests/endpoints.yml",
                "--cors",
                ALLOWED_ORIGIN,
            ],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "pytest-rasa.log", "wb"),
            stderr=subprocess.STDOUT,
        )
    )
    wait_until_up(f"http://localhost:{RASA_PORT}/", started[-1], 300)
    yield f"http://localhost:{RASA_PORT}"
    for process in started:
        process.terminate()
        process.wait(30)
