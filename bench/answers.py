"""The answer benchmark: citizen conversations (tests/answers/cases.yml) through the REST channel
of a served model, each judged on whether the reply to its last message contains the facts that
answer it (tests/answers/README.md). Prints accuracy per topic and overall, and latency.

    python -m bench.answers --model models/doumi-<hash>.tar.gz [--peer models/<rasa-init>.tar.gz]

With --url, an already running server is used instead (its action server must be up).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

from tests.support.answers import converse, judge, load_cases
from tests.support.servers import ROOT, served, stop

OUT = ROOT / "bench" / "out"


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
