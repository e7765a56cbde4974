"""Hostile and malformed requests against a real Rasa server (REST, Kakao, Telegram): each gets a
400 with a clear message or a polite reply, never a 500 or silence, and the server goes on
answering everyone else."""

import json
import unicodedata
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.edge import MAX_MESSAGE, text

KAKAO_SECRET = {"X-Skill-Secret": "test-skill-secret"}
TOO_LONG = text("too_long")
FAULT = text("fault")


def rest(rasa_url, body, raw=False):
    data = body if raw else json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return requests.post(
        f"{rasa_url}/webhooks/rest/webhook", data=data, timeout=60, headers={"Content-Type": "application/json"}
    )


def kakao(rasa_url, body, raw=False):
    data = body if raw else json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return requests.post(
        f"{rasa_url}/webhooks/kakao/webhook",
        data=data,
        timeout=60,
        headers={**KAKAO_SECRET, "Content-Type": "application/json"},
    )


def kakao_body(utterance, user="robust-user"):
    return {"userRequest": {"utterance": utterance, "user": {"id": user}}, "bot": {"id": "b"}, "action": {"params": {}}}


def said(res):
    return "\n".join(m.get("text", "") for m in res.json())


def assert_still_serving(rasa_url):
    """A normal question from a new citizen is answered with its fact."""
    res = rest(rasa_url, {"sender": f"after-{uuid.uuid4().hex}", "message": "재발급하면 며칠 걸려요?"})
    assert res.status_code == 200 and "2주" in said(res)


@pytest.mark.parametrize(
    "body",
    [
        b'{"sender": "\\udc00x", "message": "\xec\x9e\xac\xeb\xb0\x9c\xea\xb8\x89 \xec\x88\x98\xec\x88\x98\xeb\xa3\x8c"}',  # noqa: E501 (raw bytes as sent)
        b'{"message": "hi"}',
        b'{"sender": null, "message": "hi"}',
        b'{"sender": "", "message": "hi"}',
        b'{"sender": "a b", "message": "hi"}',
        b'{"sender": 5, "message": "hi"}',
        b'{"sender": "' + b"x" * 129 + b'", "message": "hi"}',
        b"[1, 2]",
        b"",
        b"null",
        b'"text"',
        b"{not json",
        b"\xff\xfe\x00binary",
        b'{"sender": "ok", "message": 3}',
        b'{"sender": "ok", "message": null}',
        b'{"sender": "ok", "message": {"a": 1}}',
        b'{"sender": "ok"}',
        b'{"sender": "ok", "message": "hi", "metadata": [1]}',
        b"[" * 20000 + b"]" * 20000,
        b'{"a":' * 20000 + b"1" + b"}" * 20000,
    ],
    ids=[
        "surrogate-sender",
        "no-sender",
        "null-sender",
        "empty-sender",
        "space-in-sender",
        "number-sender",
        "long-sender",
        "array",
        "empty-body",
        "json-null",
        "json-string",
        "malformed",
        "binary",
        "number-message",
        "null-message",
        "object-message",
        "no-message",
        "array-metadata",
        "deep-array",
        "deep-object",
    ],
)
def test_malformed_rest_requests_get_a_clear_400(rasa_url, body):
    res = rest(rasa_url, body, raw=True)
    assert res.status_code == 400, res.text
    assert res.json()["error"]
    assert_still_serving(rasa_url)


def test_no_shared_default_conversation(rasa_url):
    """Rasa's own REST channel puts every sender-less request into one conversation, "default"."""
    assert rest(rasa_url, {"message": '/start_walkthrough{"procedure":"military_issue"}'}).status_code == 400
    res = rest(rasa_url, {"sender": "default", "message": "다음"})
    assert "2/" not in said(res)


def test_a_message_over_the_cap_gets_a_polite_reply_and_nothing_else_runs(rasa_url):
    sender = f"long-{uuid.uuid4().hex}"
    start = '/start_walkthrough{"procedure":"military_issue"}'
    res = rest(rasa_url, {"sender": sender, "message": start + " " + "가" * MAX_MESSAGE})
    assert res.status_code == 200 and said(res) == TOO_LONG
    # Had it been processed, the walkthrough would have started and 다음 would show step 2.
    assert "2/" not in said(rest(rasa_url, {"sender": sender, "message": "다음"}))
    # Just under the cap it is processed.
    res = rest(rasa_url, {"sender": sender, "message": "재발급 기간이 궁금해요 " + "가" * (MAX_MESSAGE - 100)})
    assert res.status_code == 200 and said(res) != TOO_LONG


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "😀😀😀",
        "How do I renew my passport in Paris?",
        "Как получить паспорт?",
        "재발급\x00 수수료",
        "\u202e재발급 수수료\u202c",
        "재\u200b발\u200b급 수수료",
        "재발급 수수료\udc00",
        "\u110c\u1162\u1107\u1161\u11af\u1100\u1173\u11b8 \u1109\u116e\u1109\u116e\u1105\u116d",  # NFD jamo
        "주민번호 900101-1234567 이에요",
    ],
    ids=["empty", "blank", "emoji", "english", "russian", "nul", "rtl", "zero-width", "surrogate", "nfd", "rrn"],
)
def test_odd_messages_get_a_polite_reply(rasa_url, message):
    res = rest(rasa_url, {"sender": f"odd-{uuid.uuid4().hex}", "message": message})
    assert res.status_code == 200
    assert said(res).strip() and FAULT not in said(res)


def test_nfd_jamo_is_understood_as_the_same_words(rasa_url):
    nfd = unicodedata.normalize("NFD", "재발급하면 며칠 걸려요?")
    assert nfd != "재발급하면 며칠 걸려요?"
    res = rest(rasa_url, {"sender": f"nfd-{uuid.uuid4().hex}", "message": nfd})
    assert "2주" in said(res)


@pytest.mark.parametrize(
    "body",
    [
        kakao_body("안녕\udc00하세요"),
        kakao_body("재발급 기간", user="\udc00user"),
    ],
)
def test_kakao_lone_surrogates_are_answered(rasa_url, body):
    res = kakao(rasa_url, body)
    assert res.status_code == 200 and res.json()["version"] == "2.0"


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 20000 + b"]" * 20000,
        b"[]",
        b"null",
        json.dumps({"userRequest": {"utterance": "안녕", "user": "x"}}).encode(),
        json.dumps({"userRequest": {"utterance": "안녕", "user": {"id": ""}}}).encode(),
        json.dumps({"userRequest": "x"}).encode(),
    ],
    ids=["deep", "array", "null", "user-not-object", "empty-user-id", "request-not-object"],
)
def test_malformed_kakao_requests_get_a_clear_400(rasa_url, body):
    res = kakao(rasa_url, body, raw=True)
    assert res.status_code == 400 and res.json()["error"]
    assert_still_serving(rasa_url)


def test_a_kakao_message_over_the_cap_gets_a_polite_reply(rasa_url):
    res = kakao(rasa_url, kakao_body("가" * (MAX_MESSAGE + 1)))
    assert res.status_code == 200
    assert res.json()["template"]["outputs"][0]["simpleText"]["text"] == TOO_LONG


def test_kakao_params_keys_are_redacted(rasa_url):
    body = kakao_body("재발급 기간", user=f"params-{uuid.uuid4().hex}")
    body["action"]["params"] = {"010-2345-6789": "x"}
    assert kakao(rasa_url, body).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"[1]",
        b"{}",
        b'{"update_id": "x"}',
        b'{"update_id": 1, "message": 5}',
        b'{"update_id": 1, "message": {"chat": {"id": "x"}, "text": "hi"}}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "text": 7}}',
        b"[" * 20000 + b"]" * 20000,
    ],
)
def test_malformed_telegram_updates_get_a_clear_400(rasa_url, body):
    res = requests.post(
        f"{rasa_url}/webhooks/telegram/webhook", data=body, timeout=60, headers={"Content-Type": "application/json"}
    )
    assert res.status_code == 400 and res.json()["error"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
hostile_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=300) | st.sampled_from(
    ["\udc00", "\ud800x", "\x00", "\u202e", "\u200b\u200b", "\u1100\u1161", "가" * 2500]
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=json_values
    | st.fixed_dictionaries({"sender": st.text(max_size=140) | json_values, "message": hostile_text | json_values})
)
def test_random_rest_bodies_never_get_a_500(rasa_url, body):
    res = rest(rasa_url, body)
    assert res.status_code in (200, 400), res.text
    if res.status_code == 200:
        assert said(res).strip()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(utterance=hostile_text | json_values, user=st.text(max_size=40) | json_values, extra=json_values)
def test_random_kakao_bodies_never_get_a_500(rasa_url, utterance, user, extra):
    body = {"userRequest": {"utterance": utterance, "user": {"id": user}}, "action": {"params": extra}, "bot": extra}
    res = kakao(rasa_url, body)
    assert res.status_code in (200, 400), res.text


def test_after_all_that_the_server_still_answers(rasa_url):
    assert_still_serving(rasa_url)
