"""The answer set (tests/answers/cases.yml) and its judge, shared by the answer test and the answer
benchmark: a conversation is answered when the reply to its last message contains the facts that
answer it (tests/answers/README.md)."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Tuple

import requests
import yaml

from tests.support.servers import ROOT

CASES = ROOT / "tests" / "answers" / "cases.yml"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def judge(reply: str, case: Dict[str, Any]) -> bool:
    """Every `expect` requirement met (a string, or a list of alternatives) and no `forbid` string."""
    said = _squeeze(reply)
    for requirement in case["expect"]:
        alternatives = requirement if isinstance(requirement, list) else [requirement]
        if not any(_squeeze(a) in said for a in alternatives):
            return False
    return not any(_squeeze(f) in said for f in case.get("forbid") or [])


def load_cases(path: Path = CASES) -> List[Dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def converse(url: str, turns: List[str]) -> Tuple[str, List[float]]:
    """Send the turns as one new citizen; the last reply's text and each turn's latency."""
    sender, reply, latencies = f"bench-{uuid.uuid4().hex}", "", []
    for turn in turns:
        started = time.perf_counter()
        res = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": turn}, timeout=60)
        latencies.append(time.perf_counter() - started)
        reply = "\n".join(m.get("text") or "" for m in res.json()) if res.ok else ""
    return reply, latencies
