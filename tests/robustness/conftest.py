"""Rasa and action servers of a test's own (tests/robustness/test_faults.py), on ports that no
other test uses: TEST_RASA_PORT + 5 ... + 9 (tests/support/servers.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from channels import edge
from tests.support.servers import ACTIONS_MAX_REQUEST, MODEL, RASA_PORT, ROOT, server_env, wait_until_up

FAULT_RASA_PORT = RASA_PORT + 5
FAULT_ACTIONS_PORT = RASA_PORT + 6
DB_PROXY_PORT = RASA_PORT + 7
REDIS_PROXY_PORT = RASA_PORT + 8
CLOSED_PORT = RASA_PORT + 9  # nothing listens here: a database that cannot be reached

REST_AND_KAKAO = "channels.rest.RestInput:\n# No secret: any request is a Kakao request.\nchannels.kakao.KakaoInput:\n"


def rasa_command(*args: str) -> List[str]:
    return [sys.executable, "-m", "rasa", *args]


class Servers:
    """Starts a Rasa server and an action server of one test, and stops whatever it started."""

    def __init__(self, folder: Path, model: str) -> None:
        self.folder = folder
        self.model = model
        self.processes: List[subprocess.Popen] = []
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None
        self.endpoints = folder / "endpoints.yml"
        # The tracker store in an SQLite file of this test unless DB_URL is given; the lock
        # store from the environment (Redis with REDIS_URL).
        self.endpoints.write_text(
            f"action_endpoint:\n  url: http://127.0.0.1:{FAULT_ACTIONS_PORT}/webhook\n"
            "tracker_store:\n  type: stores.tracker_store.RedactingTrackerStore\n"
            f"  sqlite_path: {folder / 'conversations.db'}\n"
            "lock_store:\n  type: stores.lock_store.LockStoreFromEnv\n",
            encoding="utf-8",
        )
        self.credentials = folder / "credentials.yml"
        self.credentials.write_text(REST_AND_KAKAO, encoding="utf-8")

    def env(self, db_url: Optional[str] = None, redis_url: Optional[str] = None) -> Dict[str, str]:
        # The servers hash sender ids with the tests' own secret, so the tests can find the
        # stored conversation (channels/edge.py).
        return {**server_env(db_url=db_url, redis_url=redis_url), "DOUMI_SECRET": edge.server_secret().decode()}

    def _start(self, args: List[str], log: str, env: Dict[str, str]) -> subprocess.Popen:
        with open(self.folder / log, "ab") as out:
            process = subprocess.Popen(rasa_command(*args), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def start_actions(self) -> subprocess.Popen:
        env = {**self.env(), "SANIC_REQUEST_MAX_SIZE": ACTIONS_MAX_REQUEST}
        self.actions = self._start(
            ["run", "actions", "--port", str(FAULT_ACTIONS_PORT), "--actions", "actions"], "actions.log", env
        )
        return self.actions

    def start_rasa(self, env: Dict[str, str]) -> subprocess.Popen:
        self.rasa = self._start(
            [
                "run",
                "--model",
                self.model,
                "--port",
                str(FAULT_RASA_PORT),
                "--credentials",
                str(self.credentials),
                "--endpoints",
                str(self.endpoints),
            ],
            "rasa.log",
            env,
        )
        return self.rasa

    def wait_for_actions(self) -> None:
        self._wait(f"http://127.0.0.1:{FAULT_ACTIONS_PORT}/health", self.actions, 120, "actions.log")

    def wait_for_rasa(self) -> None:
        self._wait(f"http://127.0.0.1:{FAULT_RASA_PORT}/", self.rasa, 240, "rasa.log")

    def _wait(self, url: str, process: subprocess.Popen, seconds: float, log: str) -> None:
        try:
            wait_until_up(url, process, seconds)
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n--- {log} ---\n{self.log(log)[-4000:]}") from None

    def start_both(self, env: Dict[str, str]) -> str:
        """An action server and a Rasa server started side by side; the Rasa server's URL."""
        self.start_actions()
        self.start_rasa(env)
        self.wait_for_actions()
        self.wait_for_rasa()
        return f"http://127.0.0.1:{FAULT_RASA_PORT}"

    def log(self, name: str = "rasa.log") -> str:
        path = self.folder / name
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def model_path() -> str:
    if not MODEL:
        pytest.skip("MODEL_PATH is not set: run through `make test`, which trains the model first")
    return str(Path(MODEL).resolve())


@pytest.fixture
def servers(tmp_path, model_path):
    """This test's servers (not started yet); all stopped afterwards, whatever happened."""
    started = Servers(tmp_path, model_path)
    try:
        yield started
    finally:
        started.stop()
