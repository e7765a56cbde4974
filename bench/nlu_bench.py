"""NLU benchmark: our Korean pipeline vs the `rasa init` pipeline, on the held-out files.

    make bench        (or: .venv/bin/python -m bench.nlu_bench [--seeds N])

Trains both pipelines on data/nlu, evaluates on the held-out files in tests/nlu/ (never
trained on), and prints intent macro-F1, entity F1, training time and parse latency. A pipeline
with DIET is trained with N seeds (default 3) and the figures are their mean, because macro-F1 on
classes of 6 to 14 messages moves from one training to the next; ours (a logistic regression) gives
the same model every time and is trained once. It also
trains our pipeline on 80% of the training data and picks the FallbackClassifier threshold
on the other 20%, so the threshold is measured, not guessed. Results are written to bench/out/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

from tests.support.nlu import HELD_OUT

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# (config, trained once per seed?) The baseline is far behind and the slowest to train, so
# it is trained once too.
PIPELINES = {
    "korean (config.yml)": (ROOT / "config.yml", False),
    "rasa init (whitespace)": (ROOT / "bench" / "config_rasa_init.yml", False),
}


def with_seed(config: Path, seed: int) -> Path:
    """The config with DIETClassifier's random_seed set to `seed`."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["random_seed"] = seed
    seeded = OUT / f"{config.stem}-seed{seed}.yml"
    seeded.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return seeded


def split_data():
    """80% of data/nlu written to bench/out/split/train.yml, and the other 20% (always the same)."""
    from rasa.shared.nlu.training_data.loading import load_data

    train_part, valid_part = load_data(str(ROOT / "data" / "nlu")).train_test_split(train_frac=0.8, random_seed=1)
    split = OUT / "split"
    split.mkdir(parents=True, exist_ok=True)
    (split / "train.yml").write_text(train_part.nlu_as_yaml(), encoding="utf-8")
    (split / "validation.yml").write_text(valid_part.nlu_as_yaml(), encoding="utf-8")
    return split / "train.yml", valid_part.intent_examples


def train(config: Path, nlu: Path, name: str) -> Tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "nlu",
            "--quiet",
            "-c",
            str(config),
            "--nlu",
            str(nlu),
            "--out",
            str(OUT / "models"),
            "--fixed-model-name",
            name,
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "RASA_MAX_CACHE_SIZE": "0"},  # time a real training, not a cache hit
    )
    return OUT / "models" / f"{name}.tar.gz", time.perf_counter() - started


def parse_all(model: Path, messages) -> Tuple[List[dict], List[float]]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # otherwise every parse is printed at debug level
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


def top_intent(result: dict) -> dict:
    """The classifier's own first choice: a fallback counts as the intent ranked first after it."""
    ranking = [i for i in result["intent_ranking"] if i["name"] != "nlu_fallback"]
    return ranking[0] if ranking else {"name": None, "confidence": 0.0}


def macro_f1(gold: List[str], ranked: List[str]) -> float:
    """Intent macro-F1 over the intents of the messages scored."""
    from sklearn.metrics import f1_score

    return f1_score(gold, ranked, labels=sorted(set(gold)), average="macro", zero_division=0)


def entity_set(entities) -> set:
    return {(e["entity"], e["start"], e["end"]) for e in entities or []}


def f1(gold: List[set], predicted: List[set]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    fp = sum(len(p - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - p) for g, p in zip(gold, predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(model: Path, held_out: Dict[str, list]) -> dict:
    """Scores on each held-out file and on all of them together."""
    messages = [m for file in held_out.values() for m in file]
    results, latencies = parse_all(model, messages)
    gold = [m.get("intent") for m in messages]
    ranked = [top_intent(r)["name"] for r in results]
    spans = {"all": slice(0, len(messages))}
    start = 0
    for name, file in held_out.items():
        spans[name] = slice(start, start + len(file))
        start += len(file)
    return {
        # Averaged over the intents of the messages scored: a wrong guess costs its own
        # intent recall, and an intent that no scored message has does not count as F1 0.
        "intent_macro_f1": {name: macro_f1(gold[s], ranked[s]) for name, s in spans.items()},
        "entity_f1": f1(
            [entity_set(m.get("entities")) for m in messages], [entity_set(r.get("entities")) for r in results]
        ),
        "latencies": latencies,
        "errors": [(m.get("text"), g, p) for m, g, p in zip(messages, gold, ranked) if g != p],
    }


def summary(runs: List[dict]) -> dict:
    """Mean (and range) over the trainings of one pipeline; latencies pooled."""
    latencies = sorted(x for r in runs for x in r["latencies"])
    f1s = {name: [r["intent_macro_f1"][name] for r in runs] for name in runs[0]["intent_macro_f1"]}
    return {
        "trainings": len(runs),
        "intent_macro_f1": {name: (statistics.mean(v), min(v), max(v)) for name, v in f1s.items()},
        "entity_f1": statistics.mean(r["entity_f1"] for r in runs),
        "train_s": statistics.mean(r["train_s"] for r in runs),
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "errors": [r["errors"] for r in runs],
    }


def cell(mean_min_max) -> str:
    mean, low, high = mean_min_max
    return f"{mean:.3f}" if low == high else f"{mean:.3f} ({low:.3f}–{high:.3f})"


def choose_threshold(model: Path, messages) -> Tuple[float, Dict[str, int]]:
    """The threshold that minimises wrong answers accepted plus right answers refused."""
    results, _ = parse_all(model, messages)
    scored = []
    for message, result in zip(messages, results):
        top = top_intent(result)
        scored.append((top["confidence"], top["name"] == message.get("intent")))
    best = None
    for t in [x / 100 for x in range(5, 96)]:
        wrong_kept = sum(1 for c, ok in scored if c >= t and not ok)
        right_refused = sum(1 for c, ok in scored if c < t and ok)
        cost = wrong_kept + right_refused
        if best is None or cost < best[0]:
            best = (
                cost,
                t,
                {"wrong_kept": wrong_kept, "right_refused": right_refused, "validation_examples": len(scored)},
            )
    return best[1], best[2]


def main() -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="trainings of our pipeline")
    seeds = range(1, parser.parse_args().seeds + 1)

    OUT.mkdir(parents=True, exist_ok=True)
    held_out = {f.name: load_data(str(f)).intent_examples for f in HELD_OUT}
    rows = {}
    for label, (config, seeded) in PIPELINES.items():
        configs = [with_seed(config, seed) for seed in seeds] if seeded else [config]
        runs = []
        for number, run_config in enumerate(configs, 1):
            model, seconds = train(run_config, ROOT / "data" / "nlu", f"bench-{label.split()[0]}-{number}")
            runs.append({"train_s": seconds, **evaluate(model, held_out)})
        rows[label] = summary(runs)

    # Fallback threshold: train on 80 %, choose on the other 20 % of the training data.
    train_file, validation = split_data()
    model, _ = train(ROOT / "config.yml", train_file, "bench-split")
    threshold, counts = choose_threshold(model, validation)

    files = " + ".join(f"{name} ({len(m)})" for name, m in held_out.items())
    total = sum(len(m) for m in held_out.values())
    lines = [
        f"held-out: {files} = {total} messages; machine: {os.cpu_count()} cores",
        "Figures are the mean over the trainings (range in brackets); latencies pooled.",
        "",
        "| pipeline | trainings | intent macro-F1, all | "
        + " | ".join(held_out)
        + " | entity F1 | training | parse p50 | parse p95 |",
        "|---|---|---|" + "---|" * len(held_out) + "---|---|---|---|",
    ]
    for label, r in rows.items():
        f1s = r["intent_macro_f1"]
        lines.append(
            f"| {label} | {r['trainings']} | {cell(f1s['all'])} | "
            + " | ".join(cell(f1s[name]) for name in held_out)
            + f" | {r['entity_f1']:.3f} | {r['train_s']:.0f} s | {r['p50_ms']:.1f} ms "
            f"| {r['p95_ms']:.1f} ms |"
        )
    lines += ["", f"FallbackClassifier threshold chosen on a 20% validation split: {threshold:.2f} ({counts})"]
    report = "\n".join(lines)
    print(report)
    (OUT / "report.md").write_text(report + "\n", encoding="utf-8")
    (OUT / "errors.json").write_text(
        json.dumps({k: v["errors"] for k, v in rows.items()}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
