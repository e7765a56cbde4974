"""A local stand-in for Telegram's Bot API (api.telegram.org), which this machine cannot reach.

Rasa's built-in Telegram channel calls setWebhook when the server starts and getMe on every
update, and answers through sendMessage. This server answers those three methods the way
Telegram does (including its 64-byte callback_data limit) and records every call, so a test
sees exactly what Telegram would receive.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import parse_qsl

BOT_USERNAME = "doumi_test_bot"  # `verify` in tests/credentials.yml
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit for an inline button's callback_data
FIXTURES = Path(__file__).parent / "fixtures"
_update_ids = itertools.count(902914800)


def _fixture(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def message_update(chat_id: int, text: str) -> Dict[str, Any]:
    """A Telegram update for a text message typed in a private chat."""
    update = copy.deepcopy(_fixture("telegram_message.json"))
    update["update_id"] = next(_update_ids)
    message = update["message"]
    message["chat"]["id"] = message["from"]["id"] = chat_id
    message["text"] = text
    return update


def callback_update(chat_id: int, data: str) -> Dict[str, Any]:
    """A Telegram update for a press on an inline keyboard button whose callback_data is `data`."""
    update = copy.deepcopy(_fixture("telegram_callback_query.json"))
    update["update_id"] = next(_update_ids)
    query = update["callback_query"]
    query["from"]["id"] = query["message"]["chat"]["id"] = chat_id
    query["data"] = data
    return update


def callback_data(reply_markup: Dict[str, Any]) -> List[str]:
    return [b.get("callback_data", "") for row in reply_markup.get("inline_keyboard", []) for b in row]


def _answer(method: str, params: Dict[str, Any]) -> Dict[str, Any]:
    if method == "setWebhook":
        return {"ok": True, "result": True, "description": "Webhook was set"}
    if method == "getMe":
        return {
            "ok": True,
            "result": {"id": 7000000001, "is_bot": True, "first_name": "신분증 민원 도우미", "username": BOT_USERNAME},
        }
    if method == "sendMessage":
        if any(len(d.encode()) > MAX_CALLBACK_DATA for d in callback_data(params.get("reply_markup", {}))):
            return {"ok": False, "error_code": 400, "description": "Bad Request: BUTTON_DATA_INVALID"}
        chat_id = int(params["chat_id"])
        return {
            "ok": True,
            "result": {
                "message_id": int(time.time() * 1000) % 2**31,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params["text"],
            },
        }
    return {"ok": False, "error_code": 404, "description": "Not Found"}


class TelegramAPI(ThreadingHTTPServer):
    """Serves POST /bot<token>/<method> on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.calls: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def sent_to(self, chat_id: int) -> List[Dict[str, Any]]:
        """The sendMessage calls to one chat, in order."""
        with self.lock:
            return [
                c["params"]
                for c in self.calls
                if c["method"] == "sendMessage" and int(c["params"]["chat_id"]) == chat_id
            ]


class _Handler(BaseHTTPRequestHandler):
    server: TelegramAPI

    def do_POST(self) -> None:
        match = re.fullmatch(r"/bot[^/]+/(\w+)", self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        # aiogram sends every parameter as a form field; objects such as reply_markup as JSON text.
        params: Dict[str, Any] = dict(parse_qsl(body))
        if "reply_markup" in params:
            params["reply_markup"] = json.loads(params["reply_markup"])
        method = match.group(1) if match else ""
        with self.server.lock:
            self.server.calls.append({"method": method, "params": params})
        answer = _answer(method, params)
        data = json.dumps(answer).encode()
        self.send_response(200 if answer["ok"] else answer["error_code"])
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass
