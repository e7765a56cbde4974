"""A conversation full of personal numbers, through a real Rasa server and action server logging
at DEBUG: the tracker store (SQLite file, PostgreSQL tables), the event broker and both logs hold
none of the numbers, in any formatting; the user is told, and the conversation goes on."""

import json
import re
import subprocess
import unicodedata

import pytest
import requests
import sqlalchemy as sa

from channels.edge import conversation_id
from tests.privacy.conftest import PRIVACY_ACTIONS_PORT

SENDER = "citizen-with-numbers"
# The channel stores a keyed hash of the sender (channels/edge.py); the servers share var/secret.
STORED = conversation_id("rest", SENDER)
# A client that uses a personal number as its sender id.
SENDER_NUMBER = "900101-1234567"
NOT_KEPT = "저장하지 않았어요"
ASKS_REASON = "어떤 이유로"

# (message, what the reply must say)
TURNS = [
    ("안녕하세요", "신분증 민원 도우미"),
    ("제 주민번호는 850315-2345671이에요. 재발급 되나요?", NOT_KEPT),
    ("내 수수료 확인", ASKS_REASON),
    # Inside the fee check: told, then the same question again.
    ("연락처는 010-4827-3916이에요", ASKS_REASON),
    ("분실했어요", None),
    ("그만", "멈췄어요"),
    ("이메일 minji.kim83@example.com 으로 결과 보내 주세요", NOT_KEPT),
    ("카드 5412 7534 1234 9876 으로 결제돼요?", NOT_KEPT),
    ("여권번호 m73914826 이에요", NOT_KEPT),
    ("외국인등록번호 9203146123457 입니다", NOT_KEPT),
    ("군번 19-71234568 이에요", NOT_KEPT),
    ("０１０９８７６５４３２ 여기로 연락 주세요", NOT_KEPT),  # full-width digits
    ("01055519284", NOT_KEPT),
    ("메일은 hong.gildong＠example.com 이에요", NOT_KEPT),  # a full-width ＠
    # A button payload whose entities are not valid JSON: Rasa warns with the text.
    ('/inform{"region": 010-2468-1357}', None),
    ("고마워요", None),
]
NUMBERS = [
    "850315-2345671",
    "010-4827-3916",
    "minji.kim83@example.com",
    "5412 7534 1234 9876",
    "m73914826",
    "9203146123457",
    "19-71234568",
    "０１０９８７６５４３２",
    "01055519284",
    "010-7777-8888",
    "010-2468-1357",
    "hong.gildong@example.com",
    SENDER_NUMBER,
]
# The action server logs the name of an action it does not know: text a client chose.
UNKNOWN_ACTION = "action_call_010-7777-8888"


def spellings(number: str) -> set:
    """The number as typed, JSON-escaped and upper-case; its digits run together or joined by -,
    space or dot; every group of 6+ digits on its own. An e-mail address and its local part."""
    found = {number, number.upper(), json.dumps(number)[1:-1]}
    if "@" in number:
        found.add(number.split("@")[0])
    else:
        ascii_digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in number)
        groups = re.findall(r"\d+", ascii_digits)
        found |= {sep.join(groups) for sep in ["", "-", " ", "."]} | {g for g in groups if len(g) >= 6}
    return {s.lower().encode() for s in found}


def leaked(raw: bytes) -> list:
    raw = raw.lower()
    return sorted({s.decode() for n in NUMBERS for s in spellings(n) if s in raw})


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'conversations.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="module")
def conversation(debug_servers):
    url, out = debug_servers
    replies = []
    for text, _ in TURNS:
        res = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": SENDER, "message": text}, timeout=120)
        assert res.status_code == 200
        replies.append("\n".join(m.get("text", "") for m in res.json()))
    res = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": SENDER_NUMBER, "message": "안녕"}, timeout=120)
    assert res.status_code == 200 and res.json()
    res = requests.post(
        f"http://localhost:{PRIVACY_ACTIONS_PORT}/webhook",
        timeout=30,
        json={"next_action": UNKNOWN_ACTION, "tracker": {"sender_id": SENDER}},
    )
    assert res.status_code == 404
    return replies, out


def test_the_user_is_told_and_the_conversation_goes_on(conversation):
    replies, _ = conversation
    for (text, expected), reply in zip(TURNS, replies):
        if expected:
            assert expected in reply, (text, reply)
    # Inside the fee check the warning comes first, then the form's question again.
    assert replies[3].index(NOT_KEPT) < replies[3].index(ASKS_REASON)
    assert "절대 입력하지 마세요" in replies[1]


def test_the_spellings_searched_for_cover_each_format():
    assert spellings("010-4827-3916") >= {b"010-4827-3916", b"01048273916", b"010 4827 3916", b"010.4827.3916"}
    assert b"01098765432" in spellings("０１０９８７６５４３２")
    assert leaked(b"...user said 850315 2345671...") == ["2345671", "850315", "850315 2345671"]
    assert spellings("minji.kim83@example.com") == {b"minji.kim83@example.com", b"minji.kim83"}


@pytest.mark.usefixtures("conversation")
def test_the_tracker_store_holds_no_number(db_url):
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM events WHERE sender_id = :s"), {"s": STORED}).fetchall()
    engine.dispose()
    stored = "\n".join(str(tuple(row)) for row in rows)
    texts = [json.loads(row.data).get("text") for row in rows if row.type_name == "user"]
    assert len(texts) == len(TURNS)  # every turn was stored, redacted
    assert "제 주민번호는 [주민등록번호]이에요. 재발급 되나요?" in texts
    assert leaked(stored.encode()) == []
    if db_url.startswith("sqlite"):
        raw = open(db_url.removeprefix("sqlite:///"), "rb").read()
    else:
        raw = subprocess.run(["pg_dump", "--data-only", db_url], check=True, capture_output=True).stdout
        assert STORED.encode() in raw
    assert leaked(raw) == []


def test_the_event_broker_gets_only_redacted_events(conversation):
    _, out = conversation
    raw = (out / "events.db").read_bytes()
    assert STORED.encode() in raw
    assert leaked(raw) == []


@pytest.mark.parametrize("log", ["rasa.log", "actions.log"])
def test_the_debug_logs_hold_no_number(conversation, log):
    _, out = conversation
    raw = (out / log).read_bytes()
    assert b" DEBUG " in raw
    if log == "actions.log":  # the conversation's actions ran on this server
        assert b"Received request to run 'action_fee_result'" in raw
    # What the user typed (or, for the action server, the unknown action's name) was logged, redacted.
    assert ("[주민등록번호]" if log == "rasa.log" else "action_call_[전화번호]") in raw.decode()
    assert leaked(raw) == []
