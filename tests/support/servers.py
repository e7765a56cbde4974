"""Ports, paths and limits shared by the tests that start real servers; starting and stopping real
Rasa and action servers, for the tests and the benchmarks (bench/).

Every server gets an endpoints file written here: its own action server, the tracker store and the
project's lock store (stores/lock_store.py, Redis when REDIS_URL is set).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Optional

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODEL = os.environ.get("MODEL_PATH")
# Tests and benchmarks run on this date, so that date-dependent answers are repeatable; every
# server they start inherits it (scripts/test.sh reads it from here too).
TODAY = os.environ.setdefault("DOUMI_TODAY", "2026-11-23")
RASA_PORT = int(os.environ.get("TEST_RASA_PORT", 5057))
ACTIONS_PORT = int(os.environ.get("TEST_ACTIONS_PORT", 5056))  # tests/endpoints.yml
# The cap scripts/env.sh sets; Sanic refuses a larger body with 413 before reading it.
MAX_REQUEST = int(os.environ.get("SANIC_REQUEST_MAX_SIZE", 1_000_000))
ACTIONS_MAX_REQUEST = os.environ.get("ACTIONS_REQUEST_MAX_SIZE", "64000000")
# The one origin the server allows through CORS (`--cors`), as for a page hosted elsewhere.
ALLOWED_ORIGIN = "https://chat.doumi.example"
# The local listener that the test server's Kakao channel may call back (tests/credentials.yml).
KAKAO_CALLBACK_PORT = 18931


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


# Store settings read from the environment: only what a caller passes reaches a server.
# Sanic closes an idle keep-alive connection after 5 s, but Rasa's client (aiohttp) reuses one for
# up to 15 s: under load Rasa then writes to a closing connection and the action fails ("Cannot
# write to closing transport"). The server must keep connections open longer than its clients.
KEEP_ALIVE_SECONDS = "75"
# Servers that share a database share the secret of their conversation ids (channels/edge.py); the
# benchmarks compute the same ids to read the stored conversations.
BENCH_SECRET = os.environ.setdefault("DOUMI_SECRET", "doumi-bench-secret")
STORE_VARIABLES = ("DB_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_NAME", "REDIS_URL")


def write_endpoints(path: Path, actions_port: int) -> Path:
    project = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints = {
        "action_endpoint": {"url": f"http://127.0.0.1:{actions_port}/webhook"},
        # The project's redacting store: PostgreSQL through DB_URL (server_env), else SQLite.
        "tracker_store": project["tracker_store"],
        "lock_store": project["lock_store"],
    }
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return path


def server_env(db_url: Optional[str] = None, redis_url: Optional[str] = None) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in STORE_VARIABLES}
    env.update(
        PYTHONPATH=str(ROOT),
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        SANIC_KEEP_ALIVE_TIMEOUT=KEEP_ALIVE_SECONDS,
        DOUMI_SECRET=BENCH_SECRET,
    )
    if db_url:
        env["DB_URL"] = db_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def wait_until_up(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(map(str, process.args))} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or listening while its workers still load the model
        time.sleep(1)
    raise RuntimeError(f"{url} did not come up in {seconds:.0f} s")


def _start(args, log: Path, env: Dict[str, str], cwd: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "rasa", *args], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def start_actions(port: int, log: Path) -> subprocess.Popen:
    return _start(["run", "actions", "--port", str(port), "--actions", "actions"], log, server_env(), ROOT)


def start_rasa(
    port: int, model: Path, endpoints: Path, log: Path, env: Dict[str, str], cwd: Path = ROOT
) -> subprocess.Popen:
    """A Rasa server with the project's channels (credentials.yml); cwd is where a relative SQLite path points."""
    return _start(
        [
            "run",
            "--model",
            str(Path(model).resolve()),
            "--port",
            str(port),
            "--endpoints",
            str(endpoints.resolve()),
            "--credentials",
            str(ROOT / "credentials.yml"),
        ],
        log,
        env,
        cwd,
    )


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def served(model: Path, port: int, work: Path, env: Optional[Dict[str, str]] = None):
    """An action server (port + 1) and a Rasa server (port) for `model`, with the project's stores
    (SQLite in `work`, or what `env` names); returns (url, [rasa, actions])."""
    actions = start_actions(port + 1, work / "actions.log")
    wait_until_up(f"http://127.0.0.1:{port + 1}/health", actions, 120)
    endpoints = write_endpoints(work / "endpoints.yml", port + 1)
    rasa = start_rasa(port, model, endpoints, work / "rasa.log", env or server_env(), cwd=work)
    wait_until_up(f"http://127.0.0.1:{port}/", rasa, 300)
    return f"http://127.0.0.1:{port}", [rasa, actions]
