"""Telegram: Rasa's built-in channel, with three fixes.

1. Rasa 3.6's TelegramInput calls setWebhook through `asyncio.run` while the server starts. That
   leaves the bot's aiohttp session tied to a loop that is closed at once, so every update then
   fails in getMe with "Event loop is closed" (HTTP 500, which Telegram keeps redelivering).
   Closing the session in that same loop makes the bot open a new one in the server's loop.
2. Every Telegram chat starts with the command "/start", which Rasa would read as an unknown
   intent; it is passed on as a greeting.
3. Buttons go one per row: the built-in single row squeezes six Korean labels into stubs.

And the same edge checks as every channel (channels/edge.py): the update must be a JSON object
with an integer update_id, its strings are cleaned before Rasa's handler reads them, a message
over the length cap is refused politely, the conversation id is a keyed hash of the chat id, and
a fault gets the polite fault reply. Replies are collected, then sent to the chat.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.types import Update
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels import telegram
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint
from sanic.request import Request

from channels import edge


def check_update_shape(update: Dict[str, Any]) -> None:
    """What Rasa's handler reads without checking: a chat with an integer id and string text."""
    try:
        parsed = Update(**update)
        query = parsed.callback_query
        message = query.message if query else parsed.edited_message or parsed.message
        texts = [query.data if query else message.text]
        valid = isinstance(update.get("update_id"), int) and isinstance(message.chat.id, int)
    except Exception:  # aiogram raises many kinds of errors on malformed updates
        valid = False
    if not valid or not all(t is None or isinstance(t, str) for t in texts):
        raise edge.BadRequest("expected a Telegram update with a message in a chat")


class TelegramOutput(telegram.TelegramOutput):
    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = "vertical",
        **kwargs: Any,
    ) -> None:
        await super().send_text_with_buttons(recipient_id, text, buttons, button_type=button_type, **kwargs)


class TelegramInput(telegram.TelegramInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> None:
            chat, telegram_output = message.sender_id, message.output_channel
            message.sender_id = edge.conversation_id(self.name(), str(chat))
            if message.text == "/start":
                message.text = "/greet"
            if edge.too_long(message.text or ""):
                replies = edge.refuse_too_long(message.sender_id)
            else:
                message.output_channel = collector = CollectingOutputChannel()
                replies = await edge.answer(on_new_message, message, collector)
            for reply in replies:
                reply = {key: value for key, value in reply.items() if key != "recipient_id"}
                await telegram_output.send_response(chat, reply)

        bp = super().blueprint(guarded)

        @bp.middleware("request")
        async def check_update(request: Request) -> Any:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            edge.fail_loudly(request.app)
            try:
                update = edge.clean(edge.parse_object(request.body))
                check_update_shape(update)
            except edge.BadRequest as error:
                return edge.bad_request(str(error))
            request.parsed_json = update  # what Rasa's handler reads as request.json
            return None

        return bp

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> TelegramInput:
        edge.server_secret()  # fail at start-up, not at the first message
        return super().from_credentials(credentials)

    def get_output_channel(self) -> TelegramOutput:
        channel = TelegramOutput(self.access_token)

        async def set_webhook() -> None:
            try:
                await channel.set_webhook(url=self.webhook_url)
            finally:
                await channel.close()

        try:
            asyncio.run(set_webhook())
        except TelegramAPIError as error:
            raise RasaException("Failed to set channel webhook: " + str(error)) from error
        return channel
