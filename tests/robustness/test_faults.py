"""Faults outside the Rasa server, on servers of each test's own: the action server killed and
restarted mid-form, PostgreSQL and Redis cut and restored mid-conversation (through a local proxy
the test cuts), an unreachable database and missing secrets at start-up.

While something is down the citizen gets the polite fault text (channels/edge.py), quickly, and
the server stays up; once it is back the conversation goes on where it was."""

from __future__ import annotations

import copy
import json
import subprocess
import time
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy.engine import make_url

from channels.edge import conversation_id, text
from tests.robustness.conftest import CLOSED_PORT, DB_PROXY_PORT, FAULT_RASA_PORT, REDIS_PROXY_PORT, rasa_command
from tests.support.postgres import fresh_database, stored_events
from tests.support.proxy import Proxy
from tests.support.servers import ROOT, listening

FAULT = text("fault")
FEE_QUESTION = "/check_fee"  # the fee check, as its button sends it
ASKS_REASON = "어떤 이유로"
ASKS_DAMAGE = "어쩌다 훼손되었나요?"
FAULT_WITHIN = 30  # seconds: a fault is answered, not waited out
KAKAO_FIXTURE = json.loads(
    (ROOT / "tests" / "channels" / "fixtures" / "kakao_request.json").read_text(encoding="utf-8")
)
# The fee form after the damage question (tests/scale/test_restart.py).
REST_OF_THE_FORM = [
    ("오래돼서 변색된 거예요", "지금 쓰던 주민등록증을 반납할 수 있나요?"),
    ("네", "주민센터에 방문해서 신청하실 건가요"),
    ("주민센터 방문할게요", "수수료는 면제예요."),
]


def rest(url, sender, message):
    """(HTTP status, the reply's messages, seconds taken)."""
    started = time.monotonic()
    res = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120)
    return res.status_code, res.json(), time.monotonic() - started


def said(messages):
    return "\n".join(m.get("text", "") for m in messages)


def answered(url, sender, message):
    status, messages, _ = rest(url, sender, message)
    assert status == 200, messages
    return said(messages)


def assert_fault(url, sender, message, servers):
    """The message is answered with the fault text alone, within FAULT_WITHIN s, and the server
    is still running."""
    status, messages, seconds = rest(url, sender, message)
    assert status == 200
    assert [m.get("text") for m in messages] == [FAULT], messages
    assert seconds < FAULT_WITHIN, f"the fault reply took {seconds:.1f} s"
    assert servers.rasa.poll() is None, f"the Rasa server exited:\n{servers.log()[-4000:]}"


def kakao(url, user, utterance):
    body = copy.deepcopy(KAKAO_FIXTURE)
    body["userRequest"]["utterance"] = utterance
    body["userRequest"]["user"]["id"] = user
    res = requests.post(f"{url}/webhooks/kakao/webhook", json=body, timeout=120)
    assert res.status_code == 200, res.text
    return res.json()


def kakao_texts(reply):
    return [o["simpleText"]["text"] for o in reply["template"]["outputs"]]


def sender():
    return f"fault-{uuid.uuid4().hex[:12]}"


# -- the action server ------------------------------------------------------------------------


def test_action_server_killed_mid_form_gets_the_fault_text_and_the_form_goes_on_after_a_restart(servers):
    url = servers.start_both(servers.env())
    citizen, kakao_user = sender(), f"kakao-{uuid.uuid4().hex[:12]}"
    assert ASKS_REASON in answered(url, citizen, FEE_QUESTION)
    assert ASKS_REASON in "\n".join(kakao_texts(kakao(url, kakao_user, FEE_QUESTION)))

    servers.actions.kill()
    servers.actions.wait(30)
    assert_fault(url, citizen, "훼손", servers)
    # Kakao: one simpleText with the fault text, not the empty reply's "…".
    reply = kakao(url, kakao_user, "훼손")
    assert reply["version"] == "2.0" and "useCallback" not in reply
    assert kakao_texts(reply) == [FAULT], reply

    servers.start_actions()
    servers.wait_for_actions()
    # The open form was kept: the same answer now gets the form's next question.
    assert ASKS_DAMAGE in answered(url, citizen, "훼손")
    assert ASKS_DAMAGE in "\n".join(kakao_texts(kakao(url, kakao_user, "훼손")))
    assert servers.rasa.poll() is None


# -- PostgreSQL -------------------------------------------------------------------------------


def test_postgresql_cut_and_restored_mid_conversation(servers, postgres_admin_url):
    admin = make_url(postgres_admin_url)
    with (
        fresh_database(postgres_admin_url, prefix="doumi_test_faults") as db_url,
        Proxy((admin.host or "127.0.0.1", admin.port or 5432), port=DB_PROXY_PORT) as proxy,
    ):
        through_proxy = make_url(db_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        url = servers.start_both(servers.env(db_url=through_proxy))
        citizen = sender()
        assert ASKS_REASON in answered(url, citizen, FEE_QUESTION)

        proxy.cut()
        assert_fault(url, citizen, "훼손", servers)
        assert_fault(url, sender(), "안녕하세요", servers)  # a new conversation too

        proxy.restore()
        after = [("훼손", ASKS_DAMAGE)] + REST_OF_THE_FORM
        for message, expected in after:
            assert expected in answered(url, citizen, message), f"after the database came back: {message}"
        assert servers.rasa.poll() is None

        events = stored_events(db_url).get(conversation_id("rest", citizen), [])
        user_texts = [event.get("text") for event in events if event.get("event") == "user"]
        # The message sent while the database was away could not be kept; every other one is.
        assert user_texts == [FEE_QUESTION] + [message for message, _ in after]


# -- Redis (the lock store) -------------------------------------------------------------------


def test_redis_cut_and_restored_mid_conversation(servers, redis_url):
    real = urlsplit(redis_url)
    with Proxy((real.hostname or "127.0.0.1", real.port or 6379), port=REDIS_PROXY_PORT) as proxy:
        # Same database (db 15 by default), same password if any, through the proxy.
        through_proxy = real._replace(netloc=real.netloc.rsplit("@", 1)[0] + "@" if "@" in real.netloc else "")
        through_proxy = through_proxy._replace(netloc=f"{through_proxy.netloc}127.0.0.1:{proxy.port}").geturl()
        url = servers.start_both(servers.env(redis_url=through_proxy))
        assert "Conversation locks are kept in Redis" in servers.log()
        citizen = sender()
        assert ASKS_REASON in answered(url, citizen, FEE_QUESTION)

        proxy.cut()
        assert_fault(url, citizen, "훼손", servers)
        assert_fault(url, sender(), "안녕하세요", servers)

        proxy.restore()
        assert ASKS_DAMAGE in answered(url, citizen, "훼손")
        message, expected = REST_OF_THE_FORM[0]
        assert expected in answered(url, citizen, message)
        assert servers.rasa.poll() is None


# -- start-up ---------------------------------------------------------------------------------


def run_until_exit(args, env, seconds):
    """(exit code, output) of a Rasa start that must stop by itself within `seconds`."""
    process = subprocess.Popen(rasa_command(*args), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"still running after {seconds} s:\n{output.decode(errors='replace')[-4000:]}")
    return process.returncode, output.decode(errors="replace")


def run_args(servers):
    return [
        "run",
        "--model",
        servers.model,
        "--port",
        str(FAULT_RASA_PORT),
        "--credentials",
        str(servers.credentials),
        "--endpoints",
        str(servers.endpoints),
    ]


def test_an_unreachable_database_stops_the_start_with_one_line(servers):
    assert not listening(CLOSED_PORT), f"port {CLOSED_PORT} must be closed for this test"
    env = servers.env(db_url=f"postgresql://postgres@127.0.0.1:{CLOSED_PORT}/doumi")
    code, output = run_until_exit(run_args(servers), env, 90)
    assert code != 0
    assert "Traceback" not in output, output[-4000:]
    lines = [line for line in output.splitlines() if "Cannot reach the conversation database" in line]
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith("Cannot reach the conversation database at postgresql://postgres@127.0.0.1:")


def test_production_kakao_without_secret_stops_the_start(servers):
    servers.credentials.write_text(
        "channels.rest.RestInput:\nchannels.kakao.KakaoInput:\n  secret_header: X-Skill-Secret\n", encoding="utf-8"
    )
    env = {**servers.env(), "DOUMI_ENV": "production"}  # DOUMI_SECRET set: only Kakao's secret is missing
    code, output = run_until_exit(run_args(servers), env, 90)
    assert code != 0
    lines = [line for line in output.splitlines() if "`secret`" in line]
    assert lines and "Kakao" in lines[-1], output[-4000:]
    assert "Traceback" not in output, output[-4000:]


def test_production_without_doumi_secret_stops_the_start(servers):
    """Without DOUMI_SECRET a production server cannot hash a sender id: it must not start
    (channels/edge.py server_secret), rather than start and stop at the first message."""
    servers.credentials.write_text("channels.rest.RestInput:\n", encoding="utf-8")
    env = {**servers.env(), "DOUMI_ENV": "production"}
    env.pop("DOUMI_SECRET")
    rasa = servers.start_rasa(env)
    deadline = time.monotonic() + 150
    while rasa.poll() is None and time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{FAULT_RASA_PORT}/", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        time.sleep(1)
    if rasa.poll() is None:
        try:
            res = requests.post(
                f"http://127.0.0.1:{FAULT_RASA_PORT}/webhooks/rest/webhook",
                json={"sender": "prod-citizen", "message": "안녕하세요"},
                timeout=60,
            )
            outcome = f"HTTP {res.status_code}"
        except requests.RequestException as error:
            outcome = f"no answer ({type(error).__name__})"
        try:
            rasa.wait(30)
            state = f"then exited with {rasa.returncode}"
        except subprocess.TimeoutExpired:
            state = "kept running"
        pytest.fail(
            f"the server started without DOUMI_SECRET; its first message got {outcome}, and the server {state}:\n"
            + servers.log()[-2000:]
        )
    assert rasa.returncode != 0
    output = servers.log()
    assert "DOUMI_SECRET" in output.splitlines()[-1], output[-4000:]
    assert "Traceback" not in output, output[-4000:]
