"""A conversation half-way through the fee form survives a restart of both the Rasa server and
the action server, and goes on at the question it was at: with the default SQLite file and with
PostgreSQL. Both set-ups load and restart side by side, to load Rasa twice instead of four times."""

from contextlib import ExitStack

import pytest
import requests

from tests.support import servers
from tests.support.postgres import fresh_database

SENDER = "restarted-citizen"


def say(port, text):
    res = requests.post(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", json={"sender": SENDER, "message": text}, timeout=120
    )
    assert res.status_code == 200
    return "\n".join(message.get("text", "") for message in res.json())


def start_all(setups, model, phase):
    running = []
    for setup in setups.values():
        log = setup["workdir"] / f"{phase}.log"
        running.append(servers.start_actions(setup["actions"], log))
        running.append(
            servers.start_rasa(setup["rasa"], model, setup["endpoints"], log, setup["env"], cwd=setup["workdir"])
        )
    for setup, (actions, rasa) in zip(setups.values(), zip(running[::2], running[1::2])):
        servers.wait_until_up(f"http://127.0.0.1:{setup['actions']}/health", actions, 300)
        servers.wait_until_up(f"http://127.0.0.1:{setup['rasa']}/", rasa, 600)
    return running


@pytest.fixture(scope="module")
def restarted(model, ports, reachable_postgres, tmp_path_factory):
    """Per store (PostgreSQL only where it runs), a conversation stopped half-way through the fee
    form, then every server stopped and started again. Yields each store's set-up."""
    with ExitStack() as stack:
        db_urls = {"sqlite": None}
        if reachable_postgres:
            db_urls["postgresql"] = stack.enter_context(fresh_database(reachable_postgres, prefix="doumi_test"))
        setups = {}
        for n, (store, db_url) in enumerate(db_urls.items()):
            # The Rasa server runs in its own folder, so the default SQLite path (var/...) points there.
            workdir = tmp_path_factory.mktemp(store)
            (workdir / "var").mkdir()
            rasa, actions = ports[2 * n], ports[2 * n + 1]
            setups[store] = {
                "rasa": rasa,
                "actions": actions,
                "workdir": workdir,
                "env": servers.server_env(db_url=db_url),
                "endpoints": servers.write_endpoints(workdir / "endpoints.yml", actions),
            }

        running = start_all(setups, model, "before")
        try:
            for setup in setups.values():
                assert "어떤 이유로 재발급하시나요?" in say(setup["rasa"], "/check_fee")
                assert "어쩌다 훼손되었나요?" in say(setup["rasa"], "훼손이요")
        finally:
            servers.stop(*running)

        running = start_all(setups, model, "after")
        try:
            yield setups
        finally:
            servers.stop(*running)


def goes_on_at_the_damage_question(port):
    # Answering the damage question only makes sense if the reason and the pending question were
    # kept: without them this would be a bare answer with nothing pending.
    assert "지금 쓰던 주민등록증을 반납할 수 있나요?" in say(port, "오래돼서 변색된 거예요")
    assert "주민센터에 방문해서 신청하실 건가요" in say(port, "네")
    assert "수수료는 면제예요." in say(port, "주민센터 방문할게요")


def test_with_sqlite_a_form_half_way_goes_on_at_the_same_question_after_a_restart(restarted):
    goes_on_at_the_damage_question(restarted["sqlite"]["rasa"])
    assert list((restarted["sqlite"]["workdir"] / "var").glob("*.db")), "no SQLite file where the tracker store points"


def test_with_postgresql_a_form_half_way_goes_on_at_the_same_question_after_a_restart(restarted, request):
    request.getfixturevalue("postgres_admin_url")  # skipped with the reason, or failed under CI
    goes_on_at_the_damage_question(restarted["postgresql"]["rasa"])
