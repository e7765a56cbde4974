"""A dedicated PostgreSQL database, and a real Rasa server and action server logging at DEBUG."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import fresh_database
from tests.support.servers import MODEL, RASA_PORT, ROOT, wait_until_up

# Beside the ports of the channel tests' servers, which stay up for the whole session.
PRIVACY_ACTIONS_PORT, PRIVACY_RASA_PORT = RASA_PORT + 1, RASA_PORT + 2


@pytest.fixture(scope="session")
def postgres_url(postgres_admin_url):
    """A fresh database doumi_test_privacy_<random> on the test PostgreSQL, dropped afterwards."""
    with fresh_database(postgres_admin_url, prefix="doumi_test_privacy") as url:
        yield url


def _server(command, log: Path, env) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def debug_servers(tmp_path_factory, db_url):
    """Action server and Rasa server with --debug and the project's logging config, the tracker
    store on `db_url` and an SQL event broker; yields (rasa url, folder with logs and files)."""
    if not MODEL:
        pytest.skip("MODEL_PATH is not set: run through `make test`, which trains the model first")
    out = tmp_path_factory.mktemp("privacy")
    endpoints = out / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "tests" / "endpoints.yml").read_text(encoding="utf-8")
        + f"\nevent_broker:\n  type: SQL\n  dialect: sqlite\n  db: {out / 'events.db'}\n",
        encoding="utf-8",
    )
    # The conversation goes through REST; the test channels' Telegram needs their Bot API stand-in.
    credentials = out / "credentials.yml"
    credentials.write_text("channels.rest.RestInput:\n", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DB_URL": db_url,
        "TEST_ACTIONS_PORT": str(PRIVACY_ACTIONS_PORT),
    }
    rasa = [sys.executable, "-m", "rasa"]
    logging_config = ["--logging-config-file", "privacy/logging.yml", "--debug"]
    started = [
        _server(
            rasa + ["run", "actions", "--port", str(PRIVACY_ACTIONS_PORT), "--actions", "actions"] + logging_config,
            out / "actions.log",
            env,
        )
    ]
    try:
        wait_until_up(f"http://localhost:{PRIVACY_ACTIONS_PORT}/health", started[-1], 120)
        started.append(
            _server(
                rasa
                + [
                    "run",
                    "--model",
                    MODEL,
                    "--port",
                    str(PRIVACY_RASA_PORT),
                    "--credentials",
                    str(credentials),
                    "--endpoints",
                    str(endpoints),
                ]
                + logging_config,
                out / "rasa.log",
                env,
            )
        )
        wait_until_up(f"http://localhost:{PRIVACY_RASA_PORT}/", started[-1], 300)
        yield f"http://localhost:{PRIVACY_RASA_PORT}", out
    finally:
        for process in started:
            process.terminate()
            process.wait(30)
