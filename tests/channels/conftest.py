"""A real Rasa server (the trained model, tests/credentials.yml) and action server for channel tests.

The server has every channel of credentials.yml plus Telegram, whose Bot API is a local stand-in
(telegram_api.py), and the request cap and CORS origin that a deployment would set.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.servers import wait_until_up

sys.path.insert(0, str(Path(__file__).parent))  # telegram_api.py
from telegram_api import TelegramAPI  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODEL = os.environ.get("MODEL_PATH")
RASA_PORT = int(os.environ.get("TEST_RASA_PORT", 5057))
ACTIONS_PORT = int(os.environ.get("TEST_ACTIONS_PORT", 5056))  # tests/endpoints.yml
# The cap scripts/run.sh sets; Sanic refuses a larger body with 413 before reading it.
MAX_REQUEST = int(os.environ.get("SANIC_REQUEST_MAX_SIZE", 1_000_000))
# The one origin the server allows through CORS (`--cors`), as for a page hosted elsewhere.
ALLOWED_ORIGIN = "https://chat.doumi.example"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


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
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TEST_ACTIONS_PORT": str(ACTIONS_PORT),
           "DOUMI_TODAY": os.environ.get("DOUMI_TODAY", "2026-11-23"),
           "SANIC_REQUEST_MAX_SIZE": str(MAX_REQUEST), "TELEGRAM_API_URL": telegram_api.url}
    logs = ROOT / "var"
    logs.mkdir(exist_ok=True)
    started = []
    if not _listening(ACTIONS_PORT):
        started.append(subprocess.Popen(
            rasa + ["run", "actions", "--port", str(ACTIONS_PORT), "--actions", "actions"],
            cwd=ROOT, env=env, stdout=open(logs / "pytest-actions.log", "wb"), stderr=subprocess.STDOUT))
        wait_until_up(f"http://localhost:{ACTIONS_PORT}/health", started[-1], 120)
    started.append(subprocess.Popen(
        [sys.executable, "tests/channels/run_rasa.py", "run", "--model", MODEL, "--port", str(RASA_PORT),
         "--credentials", "tests/credentials.yml", "--endpoints", "tests/endpoints.yml", "--cors", ALLOWED_ORIGIN],
        cwd=ROOT, env=env, stdout=open(logs / "pytest-rasa.log", "wb"), stderr=subprocess.STDOUT))
    wait_until_up(f"http://localhost:{RASA_PORT}/", started[-1], 300)
    yield f"http://localhost:{RASA_PORT}"
    for process in started:
        process.terminate()
        process.wait(30)
