"""`rasa` for the channel tests, with Telegram's Bot API at TELEGRAM_API_URL (tests/channels/telegram_api.py).

The built-in Telegram channel runs unchanged; only the address its aiogram Bot calls differs,
since this machine cannot reach api.telegram.org.
"""

import os
import sys

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from rasa.core.channels.telegram import TelegramOutput


def _bot_at_stand_in(self: TelegramOutput, access_token: str) -> None:
    Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))


TelegramOutput.__init__ = _bot_at_stand_in

if __name__ == "__main__":
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
