"""KakaoTalk channel: a Kakao i Open Builder skill server at /webhooks/kakao/webhook.

Request (skill payload): userRequest.utterance, userRequest.user.id, userRequest.callbackUrl
(only when the block has callback enabled), bot, action.params.
Response: {"version": "2.0", "template": {"outputs": [...], "quickReplies": [...]}}, within
Kakao's limits. A reply that is not ready in time is sent through the one-use callback URL.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text
from urllib.parse import unquote, urlsplit

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import edge

logger = logging.getLogger(__name__)

MAX_OUTPUTS = 3
MAX_QUICK_REPLIES = 10
MAX_LABEL = 14
MAX_TEXT = 1000
MAX_BODY = 64 * 1024  # a skill payload is a few kB; anything near this is not Kakao
KAKAO_TIMEOUT = 5.0
# Kakao's one-use callback URLs (https://bot-api.kakao.com/callback/...). The URL comes in the
# request, so anything else is dropped: the server must never POST where a request tells it to.
CALLBACK_PREFIXES = ["https://bot-api.kakao.com/callback/"]


def _cut(text: str, limit: int) -> List[str]:
    """Split text into pieces of at most `limit` characters, at a line or word break if any.

    Python strings are sequences of code points, so a Hangul syllable is never split.
    """
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n"), window.rfind(" "))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def outputs_for(texts: List[str]) -> List[Dict[str, Any]]:
    """At most 3 simpleText outputs of at most 1,000 characters each.

    Each Rasa message stays its own speech bubble while there are at most 3; beyond that the
    shortest neighbouring pair is joined, and only what cannot fit at all is trimmed.
    """
    merged = [p for t in texts if t for p in _cut(t, MAX_TEXT)]
    while len(merged) > MAX_OUTPUTS:
        sizes = [(len(a) + len(b), i) for i, (a, b) in enumerate(zip(merged, merged[1:]))]
        size, i = min(sizes)
        if size + 2 > MAX_TEXT:
            tail = _cut("\n\n".join(merged[MAX_OUTPUTS - 1 :]), MAX_TEXT - 2)[0]
            merged = merged[: MAX_OUTPUTS - 1] + [tail + " …"]
            break
        merged[i : i + 2] = [merged[i] + "\n\n" + merged[i + 1]]
    return [{"simpleText": {"text": t}} for t in merged]


def label(title: str) -> str:
    return title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1] + "…"


def skill_response(messages: List[Dict[str, Any]]) -> Dict[str, Any]:
    texts = [m.get("text") or "" for m in messages]
    buttons = [b for m in messages for b in m.get("buttons") or []]
    template: Dict[str, Any] = {"outputs": outputs_for(texts) or [{"simpleText": {"text": "…"}}]}
    if buttons:
        template["quickReplies"] = [
            {"label": label(b["title"]), "action": "message", "messageText": b["title"]}
            for b in buttons[:MAX_QUICK_REPLIES]
        ]
    return {"version": "2.0", "template": template}


def error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def allowed_callback(url: Any, prefixes: List[str]) -> bool:
    """True if `url` has the scheme, host, port and path start of one of `prefixes`, and no
    user name, password, query tricks or other host."""
    if not isinstance(url, str):
        return False
    try:
        given = urlsplit(url)
        if given.username is not None or given.password is not None or not given.hostname:
            return False
        # HTTP clients resolve dot segments, also percent-encoded ones (%2e%2e): none may appear.
        segments = unquote(given.path).replace("\\", "/").split("/")
        if "." in segments or ".." in segments:
            return False
        for prefix in map(urlsplit, prefixes):
            if (given.scheme, given.hostname, given.port) == (
                prefix.scheme,
                prefix.hostname,
                prefix.port,
            ) and given.path.startswith(prefix.path):
                return True
    except ValueError:  # an invalid port or IPv6 address
        return False
    return False


async def button_payload(request: Request, sender: str, utterance: str) -> str:
    """A quick reply comes back as its label text: turn it into the button's payload."""
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return utterance
    try:
        tracker = await agent.tracker_store.retrieve(sender)
    except Exception:  # a store outage: the message itself then gets the fault reply
        logger.exception("Could not read the conversation for a quick reply")
        return utterance
    if tracker is None:
        return utterance
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            for b in (event.data or {}).get("buttons") or []:
                if b.get("title") == utterance:
                    return b["payload"]
    return utterance


class KakaoInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "kakao"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> KakaoInput:
        credentials = credentials or {}
        if os.environ.get("DOUMI_ENV") == "production" and not credentials.get("secret"):
            raise SystemExit("The Kakao channel needs `secret` in credentials.yml when DOUMI_ENV=production.")
        edge.server_secret()  # fail at start-up, not at the first message
        return cls(
            secret=credentials.get("secret"),
            secret_header=credentials.get("secret_header", "X-Skill-Secret"),
            callback_after=float(credentials.get("callback_after", 3.5)),
            callback_prefixes=credentials.get("callback_prefixes") or CALLBACK_PREFIXES,
        )

    def __init__(
        self,
        secret: Optional[str],
        secret_header: str,
        callback_after: float,
        callback_prefixes: Optional[List[str]] = None,
    ) -> None:
        self.secret = secret
        self.secret_header = secret_header
        self.callback_after = callback_after  # seconds to wait before answering useCallback
        self.callback_prefixes = callback_prefixes or CALLBACK_PREFIXES
        self.callbacks: Set[asyncio.Task] = set()  # kept so that a running callback is not collected

    def _authorised(self, request: Request) -> bool:
        if not self.secret:
            return True
        given = request.headers.get(self.secret_header, "")
        return hmac.compare_digest(given.encode(), str(self.secret).encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        kakao = Blueprint("kakao_webhook", __name__)

        @kakao.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @kakao.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            edge.fail_loudly(request.app)
            if not self._authorised(request):
                return error(401, "invalid skill secret")
            if len(request.body or b"") > MAX_BODY:
                return error(400, f"request body over {MAX_BODY} bytes")
            try:
                body = edge.parse_object(request.body)
                user_request = body.get("userRequest")
                if not isinstance(user_request, dict) or not isinstance(user_request.get("user"), dict):
                    raise edge.BadRequest(
                        "expected a Kakao skill payload with userRequest.utterance and userRequest.user.id"
                    )
                utterance = edge.message_text(user_request.get("utterance"), "userRequest.utterance")
                user_id = user_request["user"].get("id")
                if not isinstance(user_id, str) or not user_id or len(user_id) > 1000:
                    raise edge.BadRequest("userRequest.user.id must be a non-empty string")
                action = body.get("action") if isinstance(body.get("action"), dict) else {}
            except edge.BadRequest as bad:
                return edge.bad_request(str(bad))

            sender = edge.conversation_id(self.name(), user_id)
            if edge.too_long(utterance):
                return response.json(skill_response(edge.refuse_too_long(sender)))
            text = await button_payload(request, sender, utterance)
            collector = CollectingOutputChannel()
            metadata = edge.clean({"kakao": {"bot": body.get("bot"), "params": action.get("params")}})
            message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            task = asyncio.ensure_future(edge.answer(on_new_message, message, collector))
            callback_url = user_request.get("callbackUrl")
            if callback_url and not allowed_callback(callback_url, self.callback_prefixes):
                logger.warning("Dropped a callback URL that is not Kakao's")
                callback_url = None
            if callback_url:
                done, _ = await asyncio.wait({task}, timeout=self.callback_after)
                if not done:
                    callback = asyncio.ensure_future(self._send_callback(task, callback_url))
                    self.callbacks.add(callback)
                    callback.add_done_callback(self.callbacks.discard)
                    return response.json({"version": "2.0", "useCallback": True, "data": {"text": edge.text("wait")}})
            return response.json(skill_response(await task))

        return kakao

    @staticmethod
    async def _send_callback(task: asyncio.Future, url: str) -> None:
        """POST the finished reply to Kakao's one-use callback URL (valid for one minute)."""
        try:
            messages = await task
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    url, json=skill_response(messages), allow_redirects=False, timeout=aiohttp.ClientTimeout(total=10)
                ) as res,
            ):
                if res.status >= 300:
                    logger.warning("Kakao callback answered HTTP %s", res.status)
        except Exception:
            logger.exception("Kakao callback failed")
