"""The answer benchmark: citizen conversations (tests/answers/cases.yml) through the REST channel
of a served model, each judged on whether the reply to its last message contains the facts that
answer it (tests/answers/README.md). Prints accuracy per topic and overall, and latency.

    python -m bench.answers --model models/doumi-<hash>.tar.gz [--peer models/<rasa-init>.tar.gz]

With --url, an already running server is used instead (its action server must be up).
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Tuple

import requests
import yaml

from bench.servers import ROOT, server_env, start_actions, start_rasa, stop, wait_until_up, write_endpoints

CASES = ROOT / "tests" / "answers" / "cases.yml"
OUT = ROOT / "bench" / "out"


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


def run(url: str, cases: List[Dict[str, Any]], label: str) -> Dict[str, Any]:
    right, total, latencies, failures = Counter(), Counter(), [], []
    for case in cases:
        reply, took = converse(url, case["turns"])
        latencies += took
        total[case["topic"]] += 1
        if judge(reply, case):
            right[case["topic"]] += 1
        else:
            failures.append(
                f"{case['id']} | {' / '.join(case['turns'])}\n"
                f"  expect {case['expect']} forbid {case.get('forbid')}\n  got {reply!r}"
            )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"answers-failures-{label}.txt").write_text("\n".join(failures), encoding="utf-8")
    ms = sorted(t * 1000 for t in latencies)
    return {
        "overall": sum(right.values()) / len(cases),
        "topics": {t: right[t] / total[t] for t in sorted(total)},
        "p50": statistics.median(ms),
        "p95": ms[int(len(ms) * 0.95) - 1],
        "cases": len(cases),
    }


def served(model: Path, port: int, work: Path):
    """Start an action server and a Rasa server for `model`; returns (url, processes)."""
    actions = start_actions(port + 1, work / "actions.log")
    wait_until_up(f"http://127.0.0.1:{port + 1}/health", actions, 120)
    endpoints = write_endpoints(work / "endpoints.yml", port + 1)
    env = server_env()
    rasa = start_rasa(port, model, endpoints, work / "rasa.log", env, cwd=work)
    wait_until_up(f"http://127.0.0.1:{port}/", rasa, 300)
    return f"http://127.0.0.1:{port}", [rasa, actions]


def report(label: str, result: Dict[str, Any]) -> None:
    print(
        f"\n{label}: {result['overall']:.1%} of {result['cases']} conversations answered; "
        f"latency per message p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms"
    )
    for topic, share in result["topics"].items():
        print(f"  {topic:<20} {share:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path)
    parser.add_argument("--peer", type=Path, help="a model trained with bench/config_rasa_init.yml")
    parser.add_argument("--url", help="a running server instead of --model")
    parser.add_argument("--port", type=int, default=5090)
    args = parser.parse_args()
    cases = load_cases()
    runs = [("doumi", args.model)] + ([("rasa-init", args.peer)] if args.peer else [])
    for label, model in runs:
        if args.url and label == "doumi":
            report(label, run(args.url, cases, label))
            continue
        with tempfile.TemporaryDirectory() as work:
            url, processes = served(model, args.port, Path(work))
            try:
                report(label, run(url, cases, label))
            finally:
                stop(*processes)


if __name__ == "__main__":
    main()
