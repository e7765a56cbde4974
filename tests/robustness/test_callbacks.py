"""Kakao's callbackUrl comes in the request: the server must never connect where a request tells
it to (SSRF). Every URL that is not one of the configured Kakao callback prefixes is dropped, the
request is answered synchronously, and nothing reaches a local listener.

The test server (tests/credentials.yml) answers every request with an allowed callback URL through
the callback (callback_after: 0), so a synchronous answer shows the URL was dropped."""

from __future__ import annotations

import copy
import json
import select
import socket
import threading
import time
import uuid

import pytest
import requests

from channels.kakao import CALLBACK_PREFIXES, allowed_callback
from tests.support.servers import KAKAO_CALLBACK_PORT, ROOT

FIXTURE = json.loads((ROOT / "tests" / "channels" / "fixtures" / "kakao_request.json").read_text(encoding="utf-8"))
SECRET = {"X-Skill-Secret": "test-skill-secret"}
# The test server's prefixes (tests/credentials.yml).
TEST_PREFIXES = ["https://bot-api.kakao.com/callback/", f"http://127.0.0.1:{KAKAO_CALLBACK_PORT}/callback/"]


def hostile_urls(port: int):
    return [
        f"http://127.0.0.1:{port}/callback/x",  # a local service
        f"http://localhost:{port}/admin/delete",
        f"https://127.0.0.1:{port}/callback/x",
        f"gopher://127.0.0.1:{port}/x",
        "http://bot-api.kakao.com/callback/x",  # Kakao's host without TLS
        "https://bot-api.kakao.com.evil.example/callback/x",  # a host that starts like Kakao's
        f"https://bot-api.kakao.com@127.0.0.1:{port}/callback/x",  # Kakao's host as a user name
        f"http://127.0.0.1:{KAKAO_CALLBACK_PORT}@127.0.0.1:{port}/callback/",  # the allowed prefix as a user name
        f"https://[::1]:{port}/callback/x",
        12345,
        [f"http://127.0.0.1:{port}/callback/x"],
        {"url": f"http://127.0.0.1:{port}/callback/x"},
    ]


class Listener:
    """Accepts TCP connections on one port (IPv4 and, where possible, IPv6 loopback) and records
    each one and its first bytes: any protocol the server might speak (HTTP, TLS, gopher) shows."""

    def __init__(self) -> None:
        self.sockets = [socket.create_server(("127.0.0.1", 0))]
        self.port = self.sockets[0].getsockname()[1]
        try:
            self.sockets.append(socket.create_server(("::1", self.port), family=socket.AF_INET6))
        except OSError:  # no IPv6 loopback here
            pass
        self.received = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select(self.sockets, [], [], 0.1)
            for listener in ready:
                connection, peer = listener.accept()
                connection.settimeout(1)
                try:
                    first = connection.recv(200)
                except OSError:
                    first = b""
                self.received.append((peer, first))
                connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for listener in self.sockets:
            listener.close()


@pytest.fixture
def listener():
    running = Listener()
    try:
        yield running
    finally:
        running.close()


def kakao_request(utterance, callback_url):
    body = copy.deepcopy(FIXTURE)
    body["userRequest"]["utterance"] = utterance
    body["userRequest"]["user"]["id"] = f"ssrf-{uuid.uuid4().hex[:12]}"
    body["userRequest"]["callbackUrl"] = callback_url
    return body


def test_the_listener_notices_a_connection(listener):
    with socket.create_connection(("127.0.0.1", listener.port)) as probe:
        probe.sendall(b"hello")
    for _ in range(50):
        if listener.received:
            break
        time.sleep(0.1)
    assert listener.received and listener.received[0][1] == b"hello"


def test_a_callback_url_that_is_not_kakaos_is_dropped_and_never_called(rasa_url, listener):
    for url in hostile_urls(listener.port):
        res = requests.post(
            f"{rasa_url}/webhooks/kakao/webhook",
            json=kakao_request("재발급하면 며칠 걸려요?", url),
            headers=SECRET,
            timeout=60,
        )
        assert res.status_code == 200, (url, res.text)
        reply = res.json()
        assert reply["version"] == "2.0" and "useCallback" not in reply, (url, reply)
        assert reply["template"]["outputs"][0]["simpleText"]["text"], (url, reply)
    time.sleep(2)  # a callback, had one been started, would have connected by now
    assert listener.received == []


@pytest.mark.parametrize(
    "url",
    hostile_urls(18932)
    + [
        "https://bot-api.kakao.com/callback",  # not under the prefix
        "https://bot-api.kakao.com/callbackx/y",
        "https://bot-api.kakao.com/other/x",
        "https://bot-api.kakao.com:8443/callback/x",
        "https://bot-api.kakao.com./callback/x",
        "https://user:pw@bot-api.kakao.com/callback/x",
        "https://bot-api.kakao.com/callback/../admin",
        "https://bot-api.kakao.com/callback/x/../../admin",
        # aiohttp (yarl) normalises %2e%2e to .., so this would POST to /admin.
        "https://bot-api.kakao.com/callback/%2e%2e/admin",
        "https://bot-api.kakao.com/callback/%2E%2E/%2E%2E/admin",
        f"http://127.0.0.1:{KAKAO_CALLBACK_PORT}/callback/%2e%2e/admin/delete",
        f"http://127.0.0.1:{KAKAO_CALLBACK_PORT}/other/",
        f"https://127.0.0.1:{KAKAO_CALLBACK_PORT}/callback/x",
        f"http://localhost:{KAKAO_CALLBACK_PORT}/callback/x",
        "https://bot-api.kakao.com:notaport/callback/x",
        "https://[::1/callback/x",
        "//bot-api.kakao.com/callback/x",
        "/callback/x",
        "",
        None,
        b"https://bot-api.kakao.com/callback/x",
    ],
    ids=repr,
)
def test_allowed_callback_refuses(url):
    assert not allowed_callback(url, TEST_PREFIXES)
    assert not allowed_callback(url, CALLBACK_PREFIXES)


@pytest.mark.parametrize(
    "url",
    [
        "https://bot-api.kakao.com/callback/a1b2c3",
        "https://bot-api.kakao.com/callback/a1b2c3?token=xyz",
        "https://bot-api.kakao.com/callback/v1/one-use-token",
    ],
)
def test_allowed_callback_accepts_kakaos_callback_urls(url):
    assert allowed_callback(url, CALLBACK_PREFIXES)
    assert allowed_callback(url, TEST_PREFIXES)


def test_allowed_callback_accepts_the_test_listener_only_where_configured():
    url = f"http://127.0.0.1:{KAKAO_CALLBACK_PORT}/callback/one-use-token"
    assert allowed_callback(url, TEST_PREFIXES)
    assert not allowed_callback(url, CALLBACK_PREFIXES)
