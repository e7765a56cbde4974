"""Time one save of the redacting tracker store (stores/tracker_store.py) as a conversation grows:
each turn adds a user message with its parse data, an action and a bot reply, then saves.

    python -m bench.tracker_store [--turns 300]
"""

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import RedactingTrackerStore

PARSE = {
    "intent": {"name": "ask_fee", "confidence": 0.93},
    "entities": [{"entity": "card_type", "value": "주민등록증"}],
    "intent_ranking": [{"name": f"intent_{i}", "confidence": 0.01} for i in range(10)],
}


async def run(turns: int, report_at: list) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = RedactingTrackerStore(Domain.empty(), sqlite_path=str(Path(folder) / "bench.db"))
        tracker = DialogueStateTracker("bench", [])
        for turn in range(1, turns + 1):
            tracker.update(
                UserUttered(f"재발급 수수료 얼마예요 010-1234-{turn:04d}", PARSE["intent"], PARSE["entities"], PARSE)
            )
            tracker.update(ActionExecuted("action_answer"))
            tracker.update(BotUttered("주민등록증 재발급 수수료는 일반적으로 5,000원이에요."))
            tracker.update(ActionExecuted("action_listen"))
            started = time.perf_counter()
            await store.save(tracker)
            if turn in report_at:
                took = (time.perf_counter() - started) * 1000
                print(f"turn {turn:4d} ({len(tracker.events):5d} events): save {took:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300)
    turns = parser.parse_args().turns
    asyncio.run(run(turns, [t for t in (1, 10, 50, 100, 200, 300, 1000) if t <= turns]))


if __name__ == "__main__":
    main()
