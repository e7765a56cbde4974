"""Compare NLU configs on the validation split of the training data, never on the held-out files.

    .venv/bin/python -m bench.nlu_compare config.yml other.yml [--seeds N]

Each config is trained with DIET seeds 1..N on the same 80% of data/nlu that `make bench`
uses for the fallback threshold, and scored on the other 20%. Choosing settings this way
keeps the held-out files a fair test of the settings chosen.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench.nlu_bench import OUT, macro_f1, parse_all, split_data, top_intent, train, with_seed


def score(model: Path, messages) -> tuple:
    """Validation macro-F1 and the number of messages misclassified."""
    results, _ = parse_all(model, messages)
    gold = [m.get("intent") for m in messages]
    ranked = [top_intent(r)["name"] for r in results]
    return macro_f1(gold, ranked), sum(g != p for g, p in zip(gold, ranked))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()

    train_file, validation = split_data()
    lines = [f"validation split: {len(validation)} messages; DIET seeds 1..{args.seeds}", "",
             "| config | macro-F1 per seed | mean | errors per seed | training |",
             "|---|---|---|---|---|"]
    for config in args.configs:
        f1s, errors, seconds = [], [], []
        for seed in range(1, args.seeds + 1):
            model, took = train(with_seed(config, seed), train_file, f"compare-{config.stem}-{seed}")
            macro, wrong = score(model, validation)
            f1s.append(macro)
            errors.append(wrong)
            seconds.append(took)
        lines.append(f"| {config} | {', '.join(f'{x:.3f}' for x in f1s)} | "
                     f"{statistics.mean(f1s):.3f} | {', '.join(map(str, errors))} | "
                     f"{statistics.mean(seconds):.0f} s |")
        print(lines[-1], flush=True)
    report = "\n".join(lines)
    print(report)
    (OUT / "compare.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
