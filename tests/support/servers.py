"""Ports, paths and limits shared by the tests that start real servers."""

import os
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODEL = os.environ.get("MODEL_PATH")
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
