"""An operator's report from the conversations kept: `make report SINCE=2026-11-01 UNTIL=2026-11-30`
(or `python -m stores.report --since 2026-11-01 --until 2026-11-30 --out var/report.html`).

Reads the events of the database the environment names (stores/tracker_store.py: SQLite or
PostgreSQL), which are already redacted, and writes one self-contained HTML file: charts embedded
as PNG (matplotlib), no script and nothing fetched from elsewhere. It shows conversations and
messages per day and channel, how often the assistant could not answer (the NLU's fallback, the
answer engine's "not sure"), the most frequent unanswered messages, 👍/👎 per topic, walkthrough
completion, and the median number of messages before the first answer.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from typing import Any, Dict, Iterable, List

import sqlalchemy as sa

from actions import facts
from actions.replies import routing
from stores.tracker_store import RedactingTrackerStore

NOT_SURE = routing()["frames"]["not_sure"].split("{")[0]
STEP_ONE = re.compile(r"\] 1/\d+단계")
DONE = routing()["frames"]["walkthrough_done"].split("}")[-1]


def events_between(store: RedactingTrackerStore, since: dt.date, until: dt.date) -> Dict[str, List[dict]]:
    """Each conversation's events with a timestamp in [since, until], in order."""
    start = dt.datetime.combine(since, dt.time()).timestamp()
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time()).timestamp()
    table = store.SQLEvent
    query = sa.select(table.sender_id, table.data).where(table.timestamp >= start, table.timestamp < end)
    conversations: Dict[str, List[dict]] = defaultdict(list)
    with store.session_scope() as session:
        for sender, data in session.execute(query.order_by(table.id)):
            conversations[sender].append(json.loads(data))
    return conversations


def turns(events: Iterable[dict]) -> List[Dict[str, Any]]:
    """One entry per user message: its text, day, channel, intent, topic entity, the actions and
    replies that followed it, and the facts of the last answer before it."""
    result: List[Dict[str, Any]] = []
    answered_facts: List[str] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            parse = event.get("parse_data") or {}
            result.append(
                {
                    "text": event.get("text") or "",
                    "day": dt.date.fromtimestamp(event["timestamp"]),
                    "channel": event.get("input_channel") or "unknown",
                    "intent": (parse.get("intent") or {}).get("name"),
                    "topic": next((e["value"] for e in parse.get("entities") or [] if e["entity"] == "topic"), None),
                    "facts_before": list(answered_facts),
                    "actions": [],
                    "replies": [],
                }
            )
        elif kind == "slot" and event.get("name") == "facts":
            answered_facts = event.get("value") or []
        elif result and kind == "action":
            result[-1]["actions"].append(event.get("name"))
        elif result and kind == "bot":
            result[-1]["replies"].append(event.get("text") or "")
    return result


def not_sure(turn: Dict[str, Any]) -> bool:
    return any(r.startswith(NOT_SURE) for r in turn["replies"])


def summarise(conversations: Dict[str, List[dict]]) -> Dict[str, Any]:
    per_day: Dict[dt.date, Counter] = defaultdict(Counter)
    started_per_day: Counter = Counter()
    unanswered: Counter = Counter()
    ratings: Dict[str, Counter] = defaultdict(Counter)
    to_answer: List[int] = []
    walkthroughs = Counter()
    fallback = unsure = total = 0
    for events in conversations.values():
        conversation = turns(events)
        if not conversation:
            continue
        started_per_day[conversation[0]["day"]] += 1
        first_answer = None
        for number, turn in enumerate(conversation, 1):
            total += 1
            per_day[turn["day"]][turn["channel"]] += 1
            fallback += turn["intent"] == "nlu_fallback"
            if not_sure(turn):
                unsure += 1
                unanswered[re.sub(r"\s+", " ", turn["text"].strip().lower())] += 1
            elif first_answer is None and "action_answer" in turn["actions"]:
                first_answer = number
            if turn["intent"] == "feedback" and turn["topic"] in ("up", "down") and turn["facts_before"]:
                fact = turn["facts_before"][0]
                topic = facts.get(fact).topic if fact in facts.facts() else "?"
                ratings[topic][turn["topic"]] += 1
            walkthroughs["started"] += any(STEP_ONE.search(r) for r in turn["replies"])
            walkthroughs["finished"] += any(r.endswith(DONE) for r in turn["replies"])
        if first_answer:
            to_answer.append(first_answer)
    return {
        "conversations": sum(started_per_day.values()),
        "messages": total,
        "per_day": {day: dict(counts) for day, counts in sorted(per_day.items())},
        "conversations_per_day": dict(sorted(started_per_day.items())),
        "fallback_rate": fallback / total if total else 0.0,
        "not_sure_rate": unsure / total if total else 0.0,
        "unanswered": unanswered.most_common(20),
        "ratings": {topic: dict(counts) for topic, counts in sorted(ratings.items())},
        "walkthroughs": dict(walkthroughs),
        "median_messages_to_answer": statistics.median(to_answer) if to_answer else None,
    }


def _chart(summary: Dict[str, Any]) -> str:
    """Messages per day and channel, as an embedded PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = list(summary["per_day"])
    channels = sorted({c for counts in summary["per_day"].values() for c in counts})
    figure, axis = plt.subplots(figsize=(8, 3))
    bottom = [0] * len(days)
    for channel in channels:
        values = [summary["per_day"][d].get(channel, 0) for d in days]
        axis.bar([d.isoformat() for d in days], values, bottom=bottom, label=channel)
        bottom = [b + v for b, v in zip(bottom, values)]
    axis.set_ylabel("messages")
    axis.legend()
    figure.autofmt_xdate()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def render(summary: Dict[str, Any], since: dt.date, until: dt.date) -> str:
    e = html.escape
    rows = "".join(f"<tr><td>{e(text)}</td><td>{n}</td></tr>" for text, n in summary["unanswered"])
    rated = "".join(
        f"<tr><td>{e(topic)}</td><td>{c.get('up', 0)}</td><td>{c.get('down', 0)}</td>"
        f"<td>{c.get('down', 0) / (c.get('up', 0) + c.get('down', 0)):.0%}</td></tr>"
        for topic, c in summary["ratings"].items()
    )
    walk = summary["walkthroughs"]
    median = summary["median_messages_to_answer"]
    chart = (
        f'<img alt="messages per day and channel" src="data:image/png;base64,{_chart(summary)}">'
        if summary["per_day"]
        else ""
    )
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>신분증 민원 도우미 report {since} – {until}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.2rem .5rem;text-align:left}}</style></head>
<body><main>
<h1>신분증 민원 도우미: {since} – {until}</h1>
<p>{summary["conversations"]} conversations, {summary["messages"]} messages.
NLU fallback: {summary["fallback_rate"]:.1%} of messages. "Not sure" answers: {summary["not_sure_rate"]:.1%}.
Median messages before the first answer: {median if median is not None else "–"}.
Walkthroughs started: {walk.get("started", 0)}, finished: {walk.get("finished", 0)}.</p>
<h2>Messages per day and channel</h2>{chart}
<h2>Most frequent unanswered messages (redacted)</h2>
<table><tr><th>message</th><th>times</th></tr>{rows}</table>
<h2>Ratings per topic of the answer rated</h2>
<table><tr><th>topic</th><th>👍</th><th>👎</th><th>👎 share</th></tr>{rated}</table>
</main></body></html>
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    today = dt.date.today()
    parser.add_argument("--since", type=dt.date.fromisoformat, default=today - dt.timedelta(days=30))
    parser.add_argument("--until", type=dt.date.fromisoformat, default=today)
    parser.add_argument("--out", default="var/report.html")
    args = parser.parse_args(argv)
    store = RedactingTrackerStore()
    summary = summarise(events_between(store, args.since, args.until))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(render(summary, args.since, args.until))
    print(f"{summary['conversations']} conversations, {summary['messages']} messages: report written to {args.out}")


if __name__ == "__main__":
    main()
