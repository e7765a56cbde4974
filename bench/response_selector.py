"""Rasa's ResponseSelector against the answer ranker (actions/ranker.py), on the same facts.

    python -m bench.response_selector [--epochs 40]

Both learn the fact paraphrases of data/nlu/facts/: the ResponseSelector as one retrieval intent
(`fact/<id>`) over the features of config.yml, the ranker as it runs in the action server. Each
answers the single-turn questions of the answer set (tests/answers) with its best fact and the
facts that fact names under `also`, judged as `make bench-answers` judges a reply. Messages only:
no dialogue, no card context, so the figures compare the two selectors, not the assistant.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path
from typing import Callable, List

import yaml

from actions import facts, ranker
from tests.support.answers import judge, load_cases
from tests.support.servers import ROOT


def _key(fact_id: str) -> str:
    return fact_id.replace(".", "_")


def write_project(work: Path, epochs: int) -> None:
    pairs = [(t, f) for t, f in facts.paraphrases() if f != facts.OTHER_DOCUMENTS]
    by_fact: dict = {}
    for text, fact_id in pairs:
        by_fact.setdefault(fact_id, []).append(text)
    nlu = [
        {"intent": f"fact/{_key(f)}", "examples": "".join(f"- {t}\n" for t in texts)} for f, texts in by_fact.items()
    ]
    (work / "nlu.yml").write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), "utf-8")
    domain = {
        "version": "3.1",
        "intents": ["fact"],
        "responses": {f"utter_fact/{_key(f)}": [{"text": facts.get(f).answer}] for f in by_fact},
    }
    (work / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True), "utf-8")
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    # The same tokenizer and featurizers as the assistant, then the ResponseSelector.
    features = [c for c in config["pipeline"] if "Classifier" not in c["name"] and "Flagger" not in c["name"]]
    config["pipeline"] = features + [
        {"name": "ResponseSelector", "epochs": epochs, "retrieval_intent": "fact", "constrain_similarities": True}
    ]
    config["policies"] = []
    (work / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")


def score(best_fact: Callable[[str], str], questions: List[dict]) -> float:
    right = 0
    for case in questions:
        top = facts.get(best_fact(case["turns"][0]))
        reply = "\n".join([top.answer] + [facts.get(f).answer for f in top.also])
        right += judge(reply, case)
    return right / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()
    # Questions about other documents have no fact to find.
    questions = [c for c in load_cases() if len(c["turns"]) == 1 and c["topic"] != "out_of_scope"]

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # not every parse at DEBUG

    keys = {_key(f): f for f in facts.facts()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_project(work, args.epochs)
        started = time.perf_counter()
        model = train_nlu(str(work / "config.yml"), str(work / "nlu.yml"), str(work), domain=str(work / "domain.yml"))
        trained = time.perf_counter() - started
        agent = Agent.load(model)

        def selected(text: str) -> str:
            parsed = asyncio.run(agent.parse_message(text))
            key = parsed["response_selector"]["fact"]["response"]["intent_response_key"]
            return keys[key.split("/", 1)[1]]

        rs = score(selected, questions)

    started = time.perf_counter()
    fitted = ranker.Ranker(facts.paraphrases())
    fitted_in = time.perf_counter() - started

    def ranked(text: str) -> str:
        named = next(iter(ranker.cards_in(text, specific=True)), None)
        best = [r for r in fitted.rank(text, named) if r.fact_id != facts.OTHER_DOCUMENTS]
        return best[0].fact_id

    print(f"{len(questions)} single-turn questions of the answer set, best fact and its `also` facts:")
    print(f"  ResponseSelector ({args.epochs} epochs): {rs:.1%}  (trained in {trained:.0f} s)")
    print(f"  ranker (actions/ranker.py):         {score(ranked, questions):.1%}  (fitted in {fitted_in:.0f} s)")


if __name__ == "__main__":
    main()
