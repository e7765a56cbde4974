"""A dedicated PostgreSQL database, and a real Rasa server and action server logging at DEBUG."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.servers import wait_until_up
from tests.channels.conftest import MODEL, RASA_PORT, ROOT

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_TEST_DB = "doumi_test_privacy"
# Beside the ports of the channel tests' servers, which stay up for the whole session.
PRIVACY_ACTIONS_PORT, PRIVACY_RASA_PORT = RASA_PORT + 1, RASA_PORT + 2


def _postgres_reachable() -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", 5432)) == 0


def _admin(statement: str) -> None:
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database doumi_test_privacy on 127.0.0.1:5432, dropped afterwards."""
    if not _postgres_reachable():
        message = "PostgreSQL is not reachable on 127.0.0.1:5432"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI needs it")
        pytest.skip(f"{message}: the PostgreSQL store tests need it (they run under CI=true)")
    _admin(f"DROP DATABASE IF EXISTS {PG_TEST_DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {PG_TEST_DB}")
    yield f"postgresql://postgres@127.0.0.1:5432/{PG_TEST_DB}"
    _admin(f"DROP DATABASE IF EXISTS {PG_TEST_DB} WITH (FORCE)")


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
    credentials.write_text("rest:\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DB_URL": db_url,
           "TEST_ACTIONS_PORT": str(PRIVACY_ACTIONS_PORT), "DOUMI_TODAY": os.environ.get("DOUMI_TODAY", "2026-11-23")}
    rasa = [sys.executable, "-m", "rasa"]
    logging_config = ["--logging-config-file", "privacy/logging.yml", "--debug"]
    started = [_server(rasa + ["run", "actions", "--port", str(PRIVACY_ACTIONS_PORT), "--actions", "actions"] + logging_config,
                       out / "actions.log", env)]
    try:
        wait_until_up(f"http://localhost:{PRIVACY_ACTIONS_PORT}/health", started[-1], 120)
        started.append(_server(
            rasa + ["run", "--model", MODEL, "--port", str(PRIVACY_RASA_PORT), "--credentials", str(credentials),
                    "--endpoints", str(endpoints)] + logging_config,
            out / "rasa.log", env))
        wait_until_up(f"http://localhost:{PRIVACY_RASA_PORT}/", started[-1], 300)
        yield f"http://localhost:{PRIVACY_RASA_PORT}", out
    finally:
        for process in started:
            process.terminate()
            process.wait(30)
