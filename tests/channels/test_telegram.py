"""Telegram through the built-in channel (channels/telegram.py), with real-format updates.

The server's Bot API calls (setWebhook, getMe, sendMessage) go to the local stand-in in
telegram_api.py, which records what Telegram would receive and, like Telegram, refuses a
button whose callback_data is over 64 bytes (the webhook would then fail).
"""

import random

import requests
from telegram_api import callback_update, message_update

REASONS = ["분실", "훼손", "주소 기재란 부족", "구형 주민등록증 교체", "사진 변경 희망", "용모 변화"]


def new_chat() -> int:
    return random.randrange(10**9, 10**10)


def post_update(rasa_url, update):
    res = requests.post(f"{rasa_url}/webhooks/telegram/webhook", json=update, timeout=60)
    assert res.status_code == 200 and res.text == "success", res.text
    return res


def keyboard(message):
    """The inline keyboard as (text, callback_data) rows."""
    return [[(b["text"], b["callback_data"]) for b in row] for row in message["reply_markup"]["inline_keyboard"]]


def test_the_webhook_was_set_at_start_up(rasa_url, telegram_api):
    calls = [c for c in telegram_api.calls if c["method"] == "setWebhook"]
    assert calls and calls[0]["params"]["url"] == "https://doumi.example/webhooks/telegram/webhook"


def test_a_text_message_gets_the_question_with_an_inline_keyboard(rasa_url, telegram_api):
    chat = new_chat()
    post_update(rasa_url, message_update(chat, "/check_fee"))
    sent = telegram_api.sent_to(chat)
    assert [m["text"] for m in sent] == ["어떤 이유로 재발급하시나요?"]
    rows = keyboard(sent[0])
    assert [row[0][0] for row in rows] == REASONS  # one button per row
    assert rows[0] == [("분실", '/inform{"reissue_reason":"분실"}')]


def test_a_button_press_arrives_as_a_callback_query_and_acts_as_the_button(rasa_url, telegram_api):
    chat = new_chat()
    post_update(rasa_url, message_update(chat, "민증 재발급 수수료 얼마예요"))
    assert "5,000원" in telegram_api.sent_to(chat)[0]["text"]  # the answer first, then the check offered
    check = dict(b for row in keyboard(telegram_api.sent_to(chat)[0]) for b in row)["내 수수료 확인"]
    post_update(rasa_url, callback_update(chat, check))
    pressed = keyboard(telegram_api.sent_to(chat)[1])[0][0][1]
    post_update(rasa_url, callback_update(chat, pressed))
    answer = telegram_api.sent_to(chat)[2:]
    assert answer[0]["text"] == "수수료는 5,000원이에요."
    assert answer[-1]["text"].startswith("준비하실 것:")
    assert [row[0][0] for row in keyboard(answer[-1])] == ["주민센터 방문 재발급", "정부24 온라인 재발급", "사진 규격"]
    assert all("reply_markup" not in m for m in answer[:-1])


def test_telegrams_start_command_is_greeted_with_the_menu(rasa_url, telegram_api):
    chat = new_chat()
    post_update(rasa_url, message_update(chat, "/start"))
    sent = telegram_api.sent_to(chat)
    assert sent[0]["text"].startswith("안녕하세요. 신분증 민원 도우미예요.")
    assert [row[0][0] for row in keyboard(sent[-1])][:2] == ["주민등록증 재발급", "신분증 분실"]
