"""What every channel checks before a message reaches Rasa, and how it answers a fault.

Webhooks are public and unauthenticated, so a request body is treated as hostile:
- it must be a JSON object (nesting too deep for Python's parser is a 400, not a 500);
- text is made storable and comparable: lone surrogates and control characters are replaced
  (a lone surrogate cannot be encoded, and Rasa's SQL tracker store exits the process on the
  resulting ValueError), then NFC-normalised so that 재발급 typed as jamo matches 재발급;
- a message over MAX_MESSAGE characters is answered politely and never parsed (a long message
  blocks Rasa's single event loop while it is parsed);
- conversation ids are keyed hashes of the channel's own user id (DOUMI_SECRET), so no personal
  number typed as a sender id is stored, and one channel's client cannot write into another
  channel's conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from sanic import response
from sanic.response import HTTPResponse

import rasa_fixes.action_validation  # noqa: F401  (installs the cached validator)

logger = logging.getLogger(__name__)

MAX_MESSAGE = 2000  # characters; the longest citizen story in the training data is under 300
MAX_SENDER = 128
_SENDER = re.compile(rf"[A-Za-z0-9_.:-]{{1,{MAX_SENDER}}}")
# Lone surrogates, and control characters other than tab and newline (NUL breaks PostgreSQL).
_UNSTORABLE = re.compile(r"[\ud800-\udfff]|[\x00-\x08\x0b-\x1f\x7f]")
SECRET_FILE = Path("var/secret")


class BadRequest(ValueError):
    """A request that gets a 400 with this message."""


def bad_request(message: str) -> HTTPResponse:
    return response.json({"error": message}, status=400)


@lru_cache(maxsize=1)
def texts() -> Dict[str, str]:
    with open(Path(__file__).with_name("messages.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def text(name: str) -> str:
    return texts()[name].format(limit=MAX_MESSAGE)


def parse_object(body: Optional[bytes]) -> Dict[str, Any]:
    """The request body as a JSON object, or BadRequest."""
    try:
        value = json.loads(body or b"")
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise BadRequest("the body must be a JSON object") from None
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


def clean(value: Any) -> Any:
    """Every string in a JSON value (keys too) storable and NFC-normalised."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", _UNSTORABLE.sub(_replacement, value))
    if isinstance(value, dict):
        return {clean(key): clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def _replacement(match: re.Match) -> str:
    return " " if match.group() in "\t\r\x0b\x0c" else "\ufffd" if match.group() >= "\ud800" else ""


def message_text(value: Any, field: str = "message") -> str:
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string")
    return clean(value).strip()


def too_long(message: str) -> bool:
    return len(message) > MAX_MESSAGE


def sender_of(value: Any, field: str = "sender") -> str:
    """A client-chosen id: 1-128 characters of A-Z a-z 0-9 _ . : -"""
    if not isinstance(value, str) or not _SENDER.fullmatch(value):
        raise BadRequest(f"{field} must be a string of 1 to {MAX_SENDER} characters from A-Z a-z 0-9 _ . : -")
    return value


@lru_cache(maxsize=1)
def server_secret() -> bytes:
    """DOUMI_SECRET, else a random secret kept in var/secret (one machine, kept across restarts).
    Servers that share a database must share DOUMI_SECRET."""
    if os.environ.get("DOUMI_SECRET"):
        return os.environ["DOUMI_SECRET"].encode()
    if os.environ.get("DOUMI_ENV") == "production":
        raise SystemExit("DOUMI_SECRET must be set when DOUMI_ENV=production (README, Security).")
    if not SECRET_FILE.exists():
        SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRET_FILE.touch(mode=0o600)
        SECRET_FILE.write_text(secrets.token_hex(32))
    return SECRET_FILE.read_text().strip().encode()


def conversation_id(channel: str, user_id: str) -> str:
    """The stored conversation id of a channel's user: stable, keyed, not reversible."""
    digest = hmac.new(server_secret(), f"{channel}\n{user_id}".encode("utf-8", "replace"), hashlib.sha256)
    return f"{channel}-{digest.hexdigest()[:40]}"


def _reraise(error: Exception) -> None:
    raise error


def fail_loudly(app: Any) -> None:
    """Make Rasa's FailSafeTrackerStore raise instead of answering from an empty in-memory
    conversation while the database is down; `answer` then gives the fault reply."""
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _reraise


async def answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    collector: CollectingOutputChannel,
) -> List[Dict[str, Any]]:
    """Handle `message`; a fault (store down, action server down or failing) gets the polite
    fault reply instead of silence. The user's message is kept wherever the store is up, so an
    open form or walkthrough goes on with the next message."""
    try:
        await on_new_message(message)
    except Exception:
        logger.exception("Handling a message failed; the user gets the fault reply")
        collector.messages.clear()
    if not collector.messages:
        # Every turn of this assistant says something: silence means an action failed.
        collector.messages.append({"recipient_id": message.sender_id, "text": text("fault")})
    return collector.messages


def refuse_too_long(sender: str) -> List[Dict[str, Any]]:
    return [{"recipient_id": sender, "text": text("too_long")}]
