"""The model and ports for the scale tests: extra servers use the ports right after TEST_RASA_PORT."""

import os
from pathlib import Path

import pytest

RASA_PORT = int(os.environ.get("TEST_RASA_PORT", 5057))


@pytest.fixture(scope="session")
def ports():
    """Four ports after TEST_RASA_PORT for the servers these tests start, one test at a time."""
    return [RASA_PORT + n for n in range(1, 5)]


@pytest.fixture(scope="session")
def model() -> Path:
    if not os.environ.get("MODEL_PATH"):
        pytest.skip("MODEL_PATH is not set: run through `make test`, which trains the model first")
    return Path(os.environ["MODEL_PATH"]).resolve()
