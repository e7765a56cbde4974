"""The longest message a citizen may send (channels.edge.MAX_MESSAGE characters) is the most a
single request can make Rasa's one event loop parse. This measures how long such a message takes,
and how long a short message from another citizen waits behind it.

    python -m bench.worst_case --model models/doumi-<hash>.tar.gz
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

from channels.edge import MAX_MESSAGE
from tests.support.servers import served, stop

# Varied citizen prose: a repeated syllable would be easier for the morpheme analyser than text.
STORY = (
    "어제 지갑을 잃어버려서 주민등록증이 없는데 다음 주에 은행에 가야 하고 회사에도 제출해야 해서 "
    "재발급을 빨리 받고 싶은데 주민센터에 가면 바로 되는지 아니면 정부24에서 해야 하는지 궁금해요. "
)


def post(url: str, text: str) -> float:
    started = time.perf_counter()
    requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": f"w-{uuid.uuid4().hex}", "message": text}, timeout=120
    )
    return (time.perf_counter() - started) * 1000


def measure(url: str, rounds: int) -> None:
    longest = (STORY * (MAX_MESSAGE // len(STORY) + 1))[:MAX_MESSAGE]
    post(url, "안녕하세요")  # warm up
    alone, waited, short = [], [], []
    for _ in range(rounds):
        short.append(post(url, "재발급 며칠 걸려요?"))
        alone.append(post(url, longest))
        worker = threading.Thread(target=post, args=(url, longest))
        worker.start()
        time.sleep(0.005)  # the long message is on the loop first
        waited.append(post(url, "재발급 며칠 걸려요?"))
        worker.join()
    for label, times in [
        ("a short message alone", short),
        (f"a {MAX_MESSAGE}-character message", alone),
        ("a short message sent just after a long one", waited),
    ]:
        print(f"{label + ':':44s} median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--port", type=int, default=5095)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url, processes = served(args.model, args.port, Path(work))
        try:
            measure(url, args.rounds)
        finally:
            stop(*processes)


if __name__ == "__main__":
    main()
