"""The scale-out benchmark, small: two Rasa servers sharing PostgreSQL and the Redis lock store,
ten concurrent conversations alternating between them. Correctness only, never timings."""

from tests.support import scale_out


def test_conversations_alternating_between_two_servers_end_right_and_are_stored_once(
    model, postgres_admin_url, redis_url, ports, tmp_path
):
    report = scale_out.run(
        model, conversations=10, port_base=ports[0], admin_url=postgres_admin_url, redis_url=redis_url, log_dir=tmp_path
    )
    assert not report.failed
    assert report.problems == []
    assert len(report.outcomes) == 10 and {o.script.name for o in report.outcomes} == {
        s.name for s in scale_out.SCRIPTS
    }
