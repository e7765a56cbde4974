"""The Kakao skill channel against a real Rasa server, with Kakao's own payload format."""

import copy
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests

from channels.edge import conversation_id
from channels.kakao import MAX_LABEL, MAX_OUTPUTS, MAX_TEXT, outputs_for, skill_response
from tests.support.servers import KAKAO_CALLBACK_PORT

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "kakao_request.json").read_text(encoding="utf-8"))
SECRET = {"X-Skill-Secret": "test-skill-secret"}


def kakao_request(utterance, user="8f2a6c1b9d0e4f7a3b5c", callback_url=None):
    body = copy.deepcopy(FIXTURE)
    body["userRequest"]["utterance"] = utterance
    body["userRequest"]["user"]["id"] = user
    if callback_url:
        body["userRequest"]["callbackUrl"] = callback_url
    return body


def post(url, body, headers=SECRET):
    return requests.post(f"{url}/webhooks/kakao/webhook", json=body, headers=headers, timeout=60)


def check_limits(reply):
    assert reply["version"] == "2.0"
    outputs = reply["template"]["outputs"]
    assert 1 <= len(outputs) <= MAX_OUTPUTS
    assert all(len(o["simpleText"]["text"]) <= MAX_TEXT for o in outputs)
    for quick in reply["template"].get("quickReplies", []):
        assert quick["action"] == "message" and len(quick["label"]) <= MAX_LABEL and quick["messageText"]


def said(reply):
    return "\n".join(o["simpleText"]["text"] for o in reply["template"]["outputs"])


def test_a_question_gets_a_skill_response_with_quick_replies(rasa_url):
    res = post(rasa_url, kakao_request("민증 재발급 수수료 얼마예요", user="kakao-user-1"))
    assert res.status_code == 200
    reply = res.json()
    check_limits(reply)
    assert "5,000원" in said(reply)  # the answer first
    labels = [q["label"] for q in reply["template"]["quickReplies"]]
    assert "내 수수료 확인" in labels and labels[-2:] == ["👍 도움됐어요", "👎 아쉬워요"]
    # A rating quick reply comes back as its text, is taken as the rating, and is thanked.
    thanks = post(rasa_url, kakao_request("👍 도움됐어요", user="kakao-user-1")).json()
    assert "의견 고마워요" in said(thanks)


def test_a_quick_reply_press_comes_back_as_its_text_and_acts_as_the_button(rasa_url):
    user = "kakao-user-2"
    post(rasa_url, kakao_request('/start_walkthrough{"procedure":"reissue_online"}', user=user))
    reply = post(rasa_url, kakao_request("다음", user=user)).json()
    assert "2/6단계" in said(reply)
    # A reason button's messageText is "분실"; pressed, it must fill the form like the payload.
    post(rasa_url, kakao_request("수수료 얼마에요", user=user))
    post(rasa_url, kakao_request("내 수수료 확인", user=user))
    reply = post(rasa_url, kakao_request("분실", user=user)).json()
    check_limits(reply)
    assert "5,000원" in said(reply)


def test_the_same_kakao_user_keeps_one_conversation(rasa_url):
    first, second = "kakao-user-3", "kakao-user-4"
    post(rasa_url, kakao_request('/start_walkthrough{"procedure":"military_issue"}', user=first))
    post(rasa_url, kakao_request('/start_walkthrough{"procedure":"mobile_issue"}', user=second))
    assert "[국방전자카드 발급] 2/" in said(post(rasa_url, kakao_request("다음", user=first)).json())
    assert "[모바일 주민등록증 발급] 2/" in said(post(rasa_url, kakao_request("다음", user=second)).json())
    assert conversation_id("kakao", first) == conversation_id("kakao", first) != conversation_id("kakao", second)
    # Keyed: not a plain hash of the Kakao user id that another client could compute.
    assert hashlib.sha256(first.encode()).hexdigest()[:32] not in conversation_id("kakao", first)


@pytest.mark.parametrize("headers", [{}, {"X-Skill-Secret": "wrong"}], ids=["missing", "wrong"])
def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_processed(rasa_url, headers):
    user = f"kakao-intruder-{len(headers)}"
    start = kakao_request('/start_walkthrough{"procedure":"military_issue"}', user=user)
    res = post(rasa_url, start, headers=headers)
    assert res.status_code == 401
    # Had the refused request been processed, 다음 would show step 2 of that walkthrough.
    reply = post(rasa_url, kakao_request("다음", user=user)).json()
    assert "2/6단계" not in said(reply) and "단계" not in said(reply).splitlines()[0]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        json.dumps({"userRequest": {"user": {"id": "x"}}}).encode(),
        json.dumps({"userRequest": {"utterance": 3, "user": {"id": "x"}}}).encode(),
        json.dumps({"userRequest": {"utterance": "안녕", "user": {"id": "x"}}, "pad": "가" * 70000}).encode(),
    ],
    ids=["malformed", "empty", "no-utterance", "number-utterance", "huge"],
)
def test_bad_payloads_get_a_clear_400(rasa_url, body):
    res = requests.post(
        f"{rasa_url}/webhooks/kakao/webhook",
        data=body,
        headers={**SECRET, "Content-Type": "application/json"},
        timeout=30,
    )
    assert res.status_code == 400
    assert res.json()["error"]


class _Receiver(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"taskId":"1","status":"SUCCESS"}')

    def log_message(self, *args):
        pass


def test_a_slow_reply_answers_use_callback_then_posts_to_the_callback_url(rasa_url):
    server = HTTPServer(("127.0.0.1", KAKAO_CALLBACK_PORT), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/callback/one-use-token"
    try:
        res = post(rasa_url, kakao_request("모바일 신분증 어디서 써요", user="kakao-user-5", callback_url=url))
        assert res.json()["useCallback"] is True and res.json()["version"] == "2.0"
        for _ in range(120):
            if _Receiver.received:
                break
            threading.Event().wait(0.5)
        reply = _Receiver.received[0]
        check_limits(reply)
        assert "은행" in said(reply)
    finally:
        server.shutdown()


def test_long_and_many_messages_fit_kakao_limits():
    messages = [{"text": "가나다라 " * 400}] + [{"text": f"{i}번째 안내예요."} for i in range(6)]
    messages[-1]["buttons"] = [{"title": f"아주 긴 버튼 제목 번호 {i}", "payload": f"/x{i}"} for i in range(12)]
    reply = skill_response(messages)
    check_limits(reply)
    assert len(reply["template"]["quickReplies"]) == 10
    assert all(o["simpleText"]["text"].strip() for o in reply["template"]["outputs"])


def test_three_short_messages_stay_three_bubbles():
    assert [o["simpleText"]["text"] for o in outputs_for(["하나", "둘", "셋"])] == ["하나", "둘", "셋"]
