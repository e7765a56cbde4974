"""Telegram: Rasa's built-in channel, with three fixes.

1. Rasa 3.6's TelegramInput calls setWebhook through `asyncio.run` while the server starts. That
   leaves the bot's aiohttp session tied to a loop that is closed at once, so every update then
   fails in getMe with "Event loop is closed" (HTTP 500, which Telegram keeps redelivering).
   Closing the session in that same loop makes the bot open a new one in the server's loop.
2. Every Telegram chat starts with the command "/start", which Rasa would read as an unknown
   intent; it is passed on as a greeting.
3. Buttons go one per row: the built-in single row squeezes six Korean labels into stubs.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels import telegram
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint


class TelegramOutput(telegram.TelegramOutput):
    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = "vertical", **kwargs: Any,
    ) -> None:
        await super().send_text_with_buttons(recipient_id, text, buttons, button_type=button_type, **kwargs)


class TelegramInput(telegram.TelegramInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def greet_on_start(message: UserMessage) -> Any:
            if message.text == "/start":
                message.text = "/greet"
            return await on_new_message(message)

        return super().blueprint(greet_on_start)

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
