"""A conversation half-way through the fee form survives a restart of both the Rasa server and
the action server, and goes on at the question it was at: with the default SQLite file and with
PostgreSQL."""

import pytest
import requests

from bench import servers


def start(model, endpoints, env, workdir, ports, name):
    log = workdir / f"{name}.log"
    actions = servers.start_actions(ports[5], log)
    rasa = servers.start_rasa(ports[4], model, endpoints, log, env, cwd=workdir)
    servers.wait_until_up(f"http://127.0.0.1:{ports[5]}/health", actions, 300)
    servers.wait_until_up(f"http://127.0.0.1:{ports[4]}/", rasa, 300)
    return actions, rasa


def say(port, text):
    res = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                        json={"sender": "restarted-citizen", "message": text}, timeout=60)
    assert res.status_code == 200
    return "\n".join(message.get("text", "") for message in res.json())


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_a_form_half_way_goes_on_at_the_same_question_after_a_restart(store, model, ports, tmp_path, request):
    db_url = request.getfixturevalue("database") if store == "postgresql" else None
    # The Rasa server runs in tmp_path, so the default SQLite path (var/...) points there.
    (tmp_path / "var").mkdir()
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", ports[5], db_url)
    env = servers.server_env(db_url=db_url)

    running = start(model, endpoints, env, tmp_path, ports, "before")
    try:
        assert "어떤 이유로 재발급하시나요?" in say(ports[4], "재발급 수수료 면제 되나요")
        assert "어쩌다 훼손되었나요?" in say(ports[4], "훼손이요")
    finally:
        servers.stop(*running)

    running = start(model, endpoints, env, tmp_path, ports, "after")
    try:
        # Answering the damage question only makes sense if the reason and the pending question
        # were kept: without them this would be a bare answer with nothing pending.
        assert "지금 쓰던 주민등록증을 반납할 수 있나요?" in say(ports[4], "오래돼서 변색된 거예요")
        say(ports[4], "네")
        assert "수수료는 면제예요." in say(ports[4], "주민센터 방문할게요")
    finally:
        servers.stop(*running)
    if store == "sqlite":
        assert list((tmp_path / "var").glob("*.db")), "no SQLite file was written where the tracker store points"
