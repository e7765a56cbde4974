"""Open-loop load on one served model: messages arrive at a fixed rate, whatever the replies do,
from 40 interleaved citizens, each message one of the citizen questions of the answer set
(tests/answers/cases.yml). Latency is counted from each message's scheduled send time, so a
server that falls behind is charged for the queue it builds.

    python -m bench.load --model models/doumi-<hash>.tar.gz [--rates 5 10 20 40] [--seconds 20]

For each rate: p50/p95/p99, errors (failed or unanswered 30 s after the last send) and the rate
achieved; then the capacity (the highest rate with p95 <= 150 ms) and a CPU profile of the Rasa
server (py-spy) at the profiled rate: the functions where its samples were, by share. Loopback
only; every phase is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional

import aiohttp

from tests.support.answers import load_cases
from tests.support.servers import served, server_env, stop

SENDERS = 40
TARGET_P95_MS = 150
DRAIN_SECONDS = 30  # after the last scheduled send, how long replies are waited for
IDLE = "serve (runners.py)"  # the event loop waiting (uvloop's run loop, as py-spy names it)


def questions() -> List[str]:
    return [turn for case in load_cases() for turn in case["turns"]]


async def _send(session, url: str, sender: str, text: str, scheduled: float, results: List) -> None:
    await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
    try:
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as res:
            body = await res.json(content_type=None)
            ok = res.status == 200 and bool(body)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok = False
    results.append((time.perf_counter() - scheduled, ok))


async def load(url: str, rate: float, seconds: float, texts: List[str], run: str) -> Dict[str, float]:
    """Send rate*seconds messages on schedule; latencies of those answered within the bounds."""
    results: List = []
    count = int(rate * seconds)
    timeout = aiohttp.ClientTimeout(total=seconds + DRAIN_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter() + 0.5
        text = itertools.cycle(texts)
        tasks = [
            asyncio.create_task(_send(session, url, f"load-{run}-{i % SENDERS}", next(text), start + i / rate, results))
            for i in range(count)
        ]
        _, pending = await asyncio.wait(tasks, timeout=seconds + DRAIN_SECONDS + 1)
        for task in pending:
            task.cancel()
        elapsed = time.perf_counter() - start
    answered = sorted(t * 1000 for t, ok in results if ok)

    def cut(share: float) -> float:
        return answered[min(len(answered) - 1, int(len(answered) * share))] if answered else float("inf")

    return {
        "rate": rate,
        "sent": count,
        "errors": count - len(answered),
        "achieved": len(answered) / elapsed,
        "p50": cut(0.50),
        "p95": cut(0.95),
        "p99": cut(0.99),
    }


def profile(pid: int, seconds: float, out: Path) -> Optional[Path]:
    """Start py-spy on the Rasa server; returns the file its raw stacks go to."""
    py_spy = Path(sys.executable).with_name("py-spy")
    if not py_spy.exists():
        print("py-spy is not installed: no profile (make install installs it)")
        return None
    subprocess.Popen(
        [str(py_spy), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "50",
         "--format", "raw", "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return out


def summarise(stacks: Path, top: int = 15) -> None:
    """Share of samples in which each function is on the stack (inclusive), for the functions
    under the top level, and the share where each is the innermost frame (self)."""
    inclusive, own, total = Counter(), Counter(), 0
    for line in stacks.read_text(encoding="utf-8", errors="replace").splitlines():
        frames, _, count = line.rpartition(" ")
        if not frames or not count.isdigit():
            continue
        n = int(count)
        total += n
        names = [
            f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1] + ")"
            for f in frames.split(";")
        ]
        for name in set(names):
            inclusive[name] += n
        own[names[-1]] += n
    if not total:
        print("the profile holds no samples")
        return
    idle = own[IDLE]
    print(f"\nCPU profile of the Rasa server: {total} samples, {1 - idle / total:.0%} of them busy")
    print("  busy samples by the function running (self):")
    for name, n in [(name, n) for name, n in own.most_common() if name != IDLE][:top]:
        print(f"    {n / (total - idle):6.1%}  {name}")
    print("  busy samples by the function on the stack (inclusive), below the request handler:")
    shown = [(name, n) for name, n in inclusive.most_common() if n < (total - idle) * 0.99]
    for name, n in shown[:top]:
        print(f"    {n / (total - idle):6.1%}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--rates", type=float, nargs="+", default=[5, 10, 20, 40])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--profile-rate", type=float, default=10, help="the rate at which the server is profiled")
    parser.add_argument("--port", type=int, default=5080)
    parser.add_argument(
        "--workers", type=int, default=1, help="Sanic workers of the Rasa server (more than 1 needs Redis, REDIS_URL)"
    )
    args = parser.parse_args()
    texts = questions()
    env = server_env()
    if args.workers > 1:
        # Rasa runs several workers only with a lock store they share.
        env = server_env(redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
        env["SANIC_WORKERS"] = str(args.workers)
    with tempfile.TemporaryDirectory() as work:
        url, processes = served(args.model, args.port, Path(work), env)
        try:
            asyncio.run(load(url, 2, 5, texts, "warm"))  # every path loaded once
            rows = []
            stacks = None
            for rate in args.rates:
                if rate == args.profile_rate:
                    stacks = profile(processes[0].pid, args.seconds, Path(work) / "profile.txt")
                rows.append(asyncio.run(load(url, rate, args.seconds, texts, f"r{rate:g}")))
                r = rows[-1]
                print(
                    f"{r['rate']:5.0f} msg/s: p50 {r['p50']:7.0f} ms  p95 {r['p95']:7.0f} ms  p99 {r['p99']:7.0f} ms"
                    f"  errors {r['errors']:4d}/{r['sent']}  achieved {r['achieved']:5.1f} msg/s",
                    flush=True,
                )
                time.sleep(3)  # let the queue of a saturated run clear
            within = [r["rate"] for r in rows if r["p95"] <= TARGET_P95_MS and not r["errors"]]
            print(
                f"\ncapacity (highest rate with p95 <= {TARGET_P95_MS} ms): "
                + (f"{max(within):g} msg/s" if within else "none")
            )
            if stacks:
                time.sleep(2)
                if stacks.exists():
                    summarise(stacks)
        finally:
            stop(*processes)


if __name__ == "__main__":
    main()
