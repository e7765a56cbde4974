"""The public webhooks' limits: request size, no HTTP API, CORS only for the configured origin."""

import json
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
START = '/start_walkthrough{"procedure":"military_issue"}'


def rest(rasa_url, sender, message):
    res = requests.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
    return "\n".join(m.get("text", "") for m in res.json())


def status_line(rasa_url, raw: bytes) -> str:
    """Send raw bytes (a request whose body is never sent in full) and return the answer's status line."""
    with socket.create_connection(("127.0.0.1", urlparse(rasa_url).port), timeout=30) as s:
        s.sendall(raw)
        return s.makefile("rb").readline().decode().strip()


def test_a_body_over_the_cap_is_refused_with_413_and_not_parsed(rasa_url, request_cap):
    sender = f"big-{uuid.uuid4().hex}"
    body = json.dumps({"sender": sender, "message": START, "pad": "가" * 700_000}, ensure_ascii=False).encode()
    assert len(body) > 2 * request_cap  # 2.1 MB
    res = requests.post(
        f"{rasa_url}/webhooks/rest/webhook", data=body, timeout=60, headers={"Content-Type": "application/json"}
    )
    assert res.status_code == 413
    # Had the body been parsed, the walkthrough would have started and 다음 would show step 2.
    assert "2/6단계" not in rest(rasa_url, sender, "다음")


def test_a_100_mb_claim_is_refused_before_the_body_is_read(rasa_url):
    head = (
        b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100000000\r\n\r\n{"sender":'
    )
    assert status_line(rasa_url, head).startswith("HTTP/1.1 413")


def test_a_body_under_the_cap_is_answered(rasa_url):
    sender = f"ok-{uuid.uuid4().hex}"
    res = requests.post(
        f"{rasa_url}/webhooks/rest/webhook", timeout=60, json={"sender": sender, "message": START, "pad": "가" * 1000}
    )
    assert res.status_code == 200 and "1/6단계" in res.json()[0]["text"]


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/status"),
        ("GET", "/conversations/x/tracker"),
        ("POST", "/model/parse"),
        ("POST", "/conversations/x/messages"),
    ],
)
def test_the_http_api_is_off(rasa_url, method, path):
    assert requests.request(method, rasa_url + path, json={"text": "안녕"}, timeout=30).status_code == 404


def test_the_start_script_does_not_enable_the_http_api():
    assert "--enable-api" not in (ROOT / "scripts" / "run.sh").read_text()


def preflight(rasa_url, origin):
    return requests.options(
        f"{rasa_url}/webhooks/rest/webhook",
        timeout=30,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_cors_allows_the_configured_origin(rasa_url, allowed_origin):
    res = preflight(rasa_url, allowed_origin)
    assert res.headers.get("Access-Control-Allow-Origin") == allowed_origin
    assert "POST" in res.headers.get("Access-Control-Allow-Methods", "")


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:8080", "null"])
def test_cors_allows_no_other_origin(rasa_url, origin):
    assert "Access-Control-Allow-Origin" not in preflight(rasa_url, origin).headers
    res = requests.post(
        f"{rasa_url}/webhooks/rest/webhook",
        headers={"Origin": origin},
        timeout=60,
        json={"sender": f"cors-{uuid.uuid4().hex}", "message": "안녕하세요"},
    )
    assert "Access-Control-Allow-Origin" not in res.headers
