"""Web chat: serves the chat page in web/ at /webhooks/webchat/ from the Rasa server itself.

The page talks to Rasa's REST channel (/webhooks/rest/webhook) on the same origin, so it needs
no CORS and no extra process. This channel receives no messages; it only serves three files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
# Only these files are served: no directory listing, no path taken from the request.
FILES = {
    "index.html": "text/html; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
    "chat.js": "text/javascript; charset=utf-8",
}
# Scripts, styles and requests only from this server: an injected tag could do nothing even if
# a text were ever inserted as HTML (the page inserts every text with textContent).
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> WebChatInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat", __name__)

        @webchat.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            # The page's relative links need the trailing slash.
            if not request.path.endswith("/"):
                return response.redirect(request.path + "/")
            return await serve("index.html")

        @webchat.route("/<name:str>", methods=["GET"])
        async def asset(_: Request, name: str) -> HTTPResponse:
            name = name or "index.html"  # Sanic routes the trailing-slash address here, name empty
            if name not in FILES:
                return response.text("not found", status=404)
            return await serve(name)

        return webchat


async def serve(name: str) -> HTTPResponse:
    return await response.file(WEB_DIR / name, mime_type=FILES[name], headers=HEADERS)
