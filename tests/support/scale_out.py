"""The scale-out scenario, shared by the scale-out benchmark (bench/scale_out.py) and its test
(tests/scale/test_scale_out.py): two Rasa servers sharing one PostgreSQL tracker store and the
Redis lock store, each with its own action server, and concurrent conversations whose turns
alternate between the two servers.

Afterwards it checks that every conversation ended where it should (the bot's last replies and
the tracker rebuilt from PostgreSQL), that every user turn is stored exactly once, and that no
request failed.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import redis

from channels.edge import conversation_id
from tests.support import servers
from tests.support.postgres import fresh_database, stored_events

ADMIN_URL = os.environ.get("SCALE_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
STARTUP_SECONDS = 600  # two Rasa servers loading at once on 2 cores


@dataclass(frozen=True)
class Script:
    """A conversation, what the last replies must say, the last action taken and the slots it must
    end with (a finished form clears its own slots).

    The last `together` turns are sent at the same moment, one to each server: the lock store
    must make the servers take them one after the other.
    """

    name: str
    turns: Tuple[str, ...]
    says: str
    last_action: str
    slots: Dict[str, object] = field(default_factory=dict)
    together: int = 0


# Turns taken from the conversation tests, so that each one's meaning is already tested.
SCRIPTS = (
    Script(
        "fee_waived",
        ("/check_fee", "훼손이요", "오래돼서 변색된 거예요", "네", "주민센터 방문할게요"),
        says="수수료는 면제예요.",
        last_action="action_fee_result",
    ),
    Script(
        "fee_corrected",
        ("/check_fee", "훼손", "아 잘못 말했어요 분실이에요"),
        says="수수료는 5,000원이에요.",
        last_action="action_fee_result",
    ),
    Script(
        "military_soldier", ("/check_military", "병장임"), says="나라사랑카드", last_action="action_military_result"
    ),
    Script(
        "walkthrough",
        ('/start_walkthrough{"procedure":"reissue_online"}', "넘어가", "ㄱㄱ", "뒤로"),
        says="[정부24 온라인 재발급] 2/6단계",
        last_action="action_walkthrough",
        slots={"procedure": "reissue_online", "step": 2.0},
    ),
    Script(
        "walkthrough_together",
        ('/start_walkthrough{"procedure":"reissue_visit"}', "다음", "다음"),
        says="[주민센터 방문 재발급] 3/6단계",
        last_action="action_walkthrough",
        slots={"procedure": "reissue_visit", "step": 3.0},
        together=2,
    ),
)


@dataclass
class Turn:
    server: str
    text: str
    seconds: float
    replies: List[str]
    error: Optional[str] = None


@dataclass
class Outcome:
    sender: str
    script: Script
    turns: List[Turn]

    @property
    def last_replies(self) -> str:
        return "\n".join(
            r for turn in self.turns[len(self.turns) - max(self.script.together, 1) :] for r in turn.replies
        )


@dataclass
class Report:
    outcomes: List[Outcome]
    seconds: float
    problems: List[str]

    @property
    def turns(self) -> List[Turn]:
        return [turn for outcome in self.outcomes for turn in outcome.turns]

    @property
    def failed(self) -> List[Turn]:
        return [turn for turn in self.turns if turn.error]

    def summary(self) -> str:
        latencies = sorted(turn.seconds * 1000 for turn in self.turns)
        cuts = statistics.quantiles(latencies, n=100)
        scripts = Counter(outcome.script.name for outcome in self.outcomes)
        servers = sorted(Counter(t.server for t in self.turns).items())
        return "\n".join(
            [
                f"conversations: {len(self.outcomes)} ({', '.join(f'{n} {k}' for k, n in scripts.items())})",
                f"requests: {len(self.turns)} ({', '.join(f'{n} to {url}' for url, n in servers)}), "
                f"failed: {len(self.failed)}",
                f"wall time: {self.seconds:.1f} s, throughput: {len(self.turns) / self.seconds:.1f} requests/s",
                f"latency: p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms, max {latencies[-1]:.0f} ms",
                f"correctness problems: {len(self.problems)}",
                *(f"  - {problem}" for problem in self.problems),
            ]
        )


async def send(session: aiohttp.ClientSession, server: str, sender: str, text: str) -> Turn:
    start = time.perf_counter()
    try:
        async with session.post(f"{server}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as res:
            body = await res.json(content_type=None) if res.status == 200 else None
            error = None if res.status == 200 else f"HTTP {res.status}"
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        body, error = None, f"{type(exc).__name__}: {exc}"
    replies = [message.get("text", "") for message in body or []]
    if not error and not replies:
        error = "no reply"
    return Turn(server, text, time.perf_counter() - start, replies, error)


async def converse(session, urls: List[str], index: int, script: Script, sender: str) -> Outcome:
    """Turn i of conversation `index` goes to server (index + i) % 2."""
    alone = len(script.turns) - script.together
    turns = []
    for i, text in enumerate(script.turns[:alone]):
        turns.append(await send(session, urls[(index + i) % 2], sender, text))
    turns += await asyncio.gather(
        *(send(session, urls[(index + alone + k) % 2], sender, text) for k, text in enumerate(script.turns[alone:]))
    )
    return Outcome(sender, script, turns)


async def converse_all(urls: List[str], count: int, run_id: str) -> Tuple[List[Outcome], float]:
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        for url in urls:  # the first message a server handles is slow; keep it out of the figures
            await send(session, url, f"warm-up-{run_id}", "안녕하세요")
        start = time.perf_counter()
        outcomes = await asyncio.gather(
            *(
                converse(
                    session,
                    urls,
                    i,
                    SCRIPTS[i % len(SCRIPTS)],
                    f"scale-{run_id}-{i:03d}-{SCRIPTS[i % len(SCRIPTS)].name}",
                )
                for i in range(count)
            )
        )
        return list(outcomes), time.perf_counter() - start


def final_state(sender: str, events: List[dict], domain):
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_dict(sender, events, domain.slots)


def check(outcomes: List[Outcome], events: Dict[str, List[dict]]) -> List[str]:
    """Everything that is wrong, one line each; an empty list means every conversation is right."""
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():  # Rasa's notes on slot mappings, already shown by `rasa data validate`
        warnings.simplefilter("ignore")
        domain = Domain.load(str(servers.ROOT / "domain.yml"))
    problems = []
    for outcome in outcomes:
        sender, script = outcome.sender, outcome.script
        for turn in outcome.turns:
            if turn.error:
                problems.append(f"{sender}: {turn.text!r} on {turn.server} failed: {turn.error}")
        if script.says not in outcome.last_replies:
            problems.append(f"{sender}: the last replies do not say {script.says!r}: {outcome.last_replies!r}")
        # The servers store the REST sender as a keyed hash (channels/edge.py, DOUMI_SECRET).
        stored_events = events.get(conversation_id("rest", sender), [])
        stored = Counter(event.get("text") for event in stored_events if event["event"] == "user")
        if stored != Counter(script.turns):
            problems.append(f"{sender}: user turns stored {dict(stored)}, sent {dict(Counter(script.turns))}")
        tracker = final_state(sender, stored_events, domain)
        if tracker.active_loop_name:
            problems.append(f"{sender}: still in {tracker.active_loop_name}")
        actions = [e["name"] for e in stored_events if e["event"] == "action" and e["name"] != "action_listen"]
        if actions[-1:] != [script.last_action]:
            problems.append(f"{sender}: the last action is {actions[-1:]}, expected {script.last_action}")
        for slot, value in script.slots.items():
            if tracker.get_slot(slot) != value:
                problems.append(f"{sender}: slot {slot} is {tracker.get_slot(slot)!r}, expected {value!r}")
    return problems


def run(
    model: Path,
    conversations: int,
    port_base: int,
    admin_url: str = ADMIN_URL,
    redis_url: Optional[str] = REDIS_URL,
    log_dir: Path = servers.ROOT / "var" / "scale",
) -> Report:
    """Start two action servers and two Rasa servers, converse, stop them, and check.

    Without redis_url each server keeps its locks in memory, which shows what the Redis lock is for.
    """
    if redis_url:
        redis.Redis.from_url(redis_url, socket_timeout=3).ping()
    log_dir.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    rasa_ports, action_ports = (port_base, port_base + 1), (port_base + 2, port_base + 3)
    with fresh_database(admin_url) as db_url:
        env = servers.server_env(db_url=db_url, redis_url=redis_url)
        processes = []
        try:
            for port in action_ports:
                processes.append(servers.start_actions(port, log_dir / f"actions-{port}.log"))
            for rasa_port, action_port in zip(rasa_ports, action_ports):
                endpoints = servers.write_endpoints(log_dir / f"endpoints-{rasa_port}.yml", action_port)
                processes.append(
                    servers.start_rasa(rasa_port, model, endpoints, log_dir / f"rasa-{rasa_port}.log", env)
                )
            urls = [f"http://127.0.0.1:{port}" for port in rasa_ports]
            for process, url in zip(processes, [f"http://127.0.0.1:{p}/health" for p in action_ports] + urls):
                servers.wait_until_up(url, process, STARTUP_SECONDS)
            outcomes, seconds = asyncio.run(converse_all(urls, conversations, run_id))
        finally:
            servers.stop(*processes)
        return Report(outcomes, seconds, check(outcomes, stored_events(db_url)))
