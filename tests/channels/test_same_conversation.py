"""One conversation through REST, KakaoTalk and Telegram: the same answers and buttons on each.

Typed text goes in as each messenger sends it; a pressed button comes back the way that
messenger returns it: REST sends the payload, Kakao the button's label text (messageText),
Telegram a callback_query carrying the payload as callback_data.
"""

import random
import uuid

import pytest
import requests
from telegram_api import callback_update, message_update
from test_kakao import SECRET, kakao_request


class Rest:
    def __init__(self, url, telegram_api):
        self.url, self.sender = url, f"rest-{uuid.uuid4().hex}"

    def send(self, text, pressed=None):
        body = {"sender": self.sender, "message": pressed["payload"] if pressed else text}
        messages = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=60).json()
        return [m.get("text", "") for m in messages], [b for m in messages for b in m.get("buttons", [])]


class Kakao:
    def __init__(self, url, telegram_api):
        self.url, self.user = url, uuid.uuid4().hex

    def send(self, text, pressed=None):
        # A quick reply comes back as its messageText, the button's title.
        body = kakao_request(pressed["title"] if pressed else text, user=self.user)
        template = requests.post(f"{self.url}/webhooks/kakao/webhook", json=body, headers=SECRET, timeout=60).json()[
            "template"
        ]
        return (
            [o["simpleText"]["text"] for o in template["outputs"]],
            [{"title": q["messageText"]} for q in template.get("quickReplies", [])],
        )


class Telegram:
    def __init__(self, url, telegram_api):
        self.url, self.api, self.chat = url, telegram_api, random.randrange(10**9, 10**10)

    def send(self, text, pressed=None):
        before = len(self.api.sent_to(self.chat))
        update = callback_update(self.chat, pressed["payload"]) if pressed else message_update(self.chat, text)
        assert requests.post(f"{self.url}/webhooks/telegram/webhook", json=update, timeout=60).text == "success"
        sent = self.api.sent_to(self.chat)[before:]
        buttons = [
            {"title": b["text"], "payload": b["callback_data"]}
            for m in sent
            for row in m.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row
        ]
        return [m["text"] for m in sent], buttons


NAVIGATION = ["다음", "이전", "처음부터", "그만"]
# (typed text or the title of a button to press, what the answer says, the buttons offered)
CONVERSATION = [
    # The answer first, with the user's own fee check offered (buttons: actions/replies.yml).
    (
        "민증 재발급 수수료 얼마예요",
        ["5,000원"],
        ["내 수수료 확인", "주민센터 방문 재발급", "근거 보기", "👍 도움됐어요", "👎 아쉬워요"],
    ),
    (
        "press 내 수수료 확인",
        ["어떤 이유로 재발급하시나요?"],
        ["분실", "훼손", "주소 기재란 부족", "구형 주민등록증 교체", "사진 변경 희망", "용모 변화"],
    ),
    (
        "press 훼손",
        ["어쩌다 훼손되었나요?"],
        ["저절로 닳거나 변색", "처음부터 불량", "세탁기에 돌림", "열에 변형", "일부러 긁음", "스티커 부착"],
    ),
    (
        "press 세탁기에 돌림",
        ["수수료는 5,000원이에요.", "준비하실 것:"],
        ["주민센터 방문 재발급", "정부24 온라인 재발급", "사진 규격"],
    ),
    ("press 정부24 온라인 재발급", ["[정부24 온라인 재발급] 1/6단계"], ["다음", "처음부터", "그만"]),
    ("press 다음", ["[정부24 온라인 재발급] 2/6단계"], NAVIGATION),
]


@pytest.mark.parametrize("channel", [Rest, Kakao, Telegram], ids=["rest", "kakao", "telegram"])
def test_a_fee_question_answered_then_checked_through_buttons_then_a_walkthrough_to_step_2(
    rasa_url, telegram_api, channel
):
    chat = channel(rasa_url, telegram_api)
    buttons = []
    for turn, said, offered in CONVERSATION:
        pressed = None
        if turn.startswith("press "):
            pressed = next(b for b in buttons if b["title"] == turn[len("press ") :])
        texts, buttons = chat.send(turn, pressed)
        answer = "\n".join(texts)
        assert all(phrase in answer for phrase in said), f"{turn}: {answer}"
        assert [b["title"] for b in buttons] == offered, turn
