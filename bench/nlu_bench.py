"""NLU benchmark: our Korean pipeline vs the `rasa init` pipeline, on the held-out file.

    make bench        (or: .venv/bin/python -m bench.nlu_bench)

Trains both pipelines on data/nlu, evaluates on tests/nlu/heldout.yml (never trained on),
and prints intent macro-F1, entity F1, training time and parse latency. It also trains our
pipeline on 80% of the training data and picks the FallbackClassifier threshold on the other
20%, so the threshold is measured, not guessed. Results are written to bench/out/.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HELD_OUT = ROOT / "tests" / "nlu" / "heldout.yml"
PIPELINES = {
    "korean (config.yml)": ROOT / "config.yml",
    "rasa init (whitespace)": ROOT / "bench" / "config_rasa_init.yml",
}


def train(config: Path, nlu: Path, name: str) -> Tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "nlu", "--quiet", "-c", str(config),
         "--nlu", str(nlu), "--out", str(OUT / "models"), "--fixed-model-name", name],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        env={**os.environ, "RASA_MAX_CACHE_SIZE": "0"},  # time a real training, not a cache hit
    )
    return OUT / "models" / f"{name}.tar.gz", time.perf_counter() - started


def parse_all(model: Path, messages) -> Tuple[List[dict], List[float]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run():
        await agent.parse_message("워밍업")
        results, latencies = [], []
        for message in messages:
            started = time.perf_counter()
            results.append(await agent.parse_message(message.get("text")))
            latencies.append((time.perf_counter() - started) * 1000)
        return results, latencies

    return asyncio.run(run())


def entity_set(entities) -> set:
    return {(e["entity"], e["start"], e["end"]) for e in entities or []}


def f1(gold: List[set], predicted: List[set]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    fp = sum(len(p - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - p) for g, p in zip(gold, predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(model: Path, messages) -> Dict[str, float]:
    from sklearn.metrics import f1_score

    results, latencies = parse_all(model, messages)
    gold_intents = [m.get("intent") for m in messages]
    predicted = [r["intent"]["name"] for r in results]
    # Score the classifier itself: a fallback counts as the intent DIET ranked first.
    ranked = [r["intent_ranking"][1]["name"] if p == "nlu_fallback" else p
              for r, p in zip(results, predicted)]
    latencies.sort()
    return {
        "intent_macro_f1": f1_score(gold_intents, ranked, average="macro", zero_division=0),
        "entity_f1": f1([entity_set(m.get("entities")) for m in messages],
                        [entity_set(r.get("entities")) for r in results]),
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "errors": [
            (m.get("text"), g, p) for m, g, p in zip(messages, gold_intents, ranked) if g != p
        ],
    }


def choose_threshold(model: Path, messages) -> Tuple[float, Dict[str, int]]:
    """The threshold that minimises wrong answers accepted plus right answers refused."""
    results, _ = parse_all(model, messages)
    scored = []
    for message, result in zip(messages, results):
        ranking = result["intent_ranking"]
        top = ranking[1] if result["intent"]["name"] == "nlu_fallback" else ranking[0]
        scored.append((top["confidence"], top["name"] == message.get("intent")))
    best = None
    for t in [x / 100 for x in range(5, 96)]:
        wrong_kept = sum(1 for c, ok in scored if c >= t and not ok)
        right_refused = sum(1 for c, ok in scored if c < t and ok)
        cost = wrong_kept + right_refused
        if best is None or cost < best[0]:
            best = (cost, t, {"wrong_kept": wrong_kept, "right_refused": right_refused,
                              "validation_examples": len(scored)})
    return best[1], best[2]


def main() -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    OUT.mkdir(parents=True, exist_ok=True)
    held_out = [m for m in load_data(str(HELD_OUT)).intent_examples]
    rows = {}
    for label, config in PIPELINES.items():
        name = "bench-" + label.split()[0]
        model, seconds = train(config, ROOT / "data" / "nlu", name)
        rows[label] = {"train_s": seconds, **evaluate(model, held_out)}

    # Fallback threshold: train on 80 %, choose on the other 20 % of the training data.
    train_part, valid_part = load_data(str(ROOT / "data" / "nlu")).train_test_split(
        train_frac=0.8, random_seed=1
    )
    split = OUT / "split"
    split.mkdir(exist_ok=True)
    (split / "train.yml").write_text(train_part.nlu_as_yaml(), encoding="utf-8")
    (split / "validation.yml").write_text(valid_part.nlu_as_yaml(), encoding="utf-8")
    model, _ = train(ROOT / "config.yml", split / "train.yml", "bench-split")
    threshold, counts = choose_threshold(model, valid_part.intent_examples)

    lines = [
        f"held-out: {HELD_OUT.relative_to(ROOT)} ({len(held_out)} messages); machine: {os.cpu_count()} cores",
        "",
        "| pipeline | intent macro-F1 | entity F1 | training | parse p50 | parse p95 |",
        "|---|---|---|---|---|---|",
    ]
    for label, r in rows.items():
        lines.append(
            f"| {label} | {r['intent_macro_f1']:.3f} | {r['entity_f1']:.3f} | {r['train_s']:.0f} s "
            f"| {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms |"
        )
    lines += ["", f"FallbackClassifier threshold chosen on a 20% validation split: {threshold:.2f} "
              f"({counts})"]
    report = "\n".join(lines)
    print(report)
    (OUT / "report.md").write_text(report + "\n", encoding="utf-8")
    (OUT / "errors.json").write_text(
        json.dumps({k: v["errors"] for k, v in rows.items()}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
