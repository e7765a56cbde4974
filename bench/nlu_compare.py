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

from bench.nlu_bench import OUT, evaluate, split_data, train, with_seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()

    train_file, validation = split_data()
    lines = [
        f"validation split: {len(validation)} messages; DIET seeds 1..{args.seeds}",
        "",
        "| config | macro-F1 per seed | mean | errors per seed | training |",
        "|---|---|---|---|---|",
    ]
    for config in args.configs:
        f1s, errors, seconds = [], [], []
        for seed in range(1, args.seeds + 1):
            model, took = train(with_seed(config, seed), train_file, f"compare-{config.stem}-{seed}")
            scores = evaluate(model, {"validation": validation})
            f1s.append(scores["intent_macro_f1"]["all"])
            errors.append(len(scores["errors"]))
            seconds.append(took)
        lines.append(
            f"| {config} | {', '.join(f'{x:.3f}' for x in f1s)} | "
            f"{statistics.mean(f1s):.3f} | {', '.join(map(str, errors))} | "
            f"{statistics.mean(seconds):.0f} s |"
        )
        print(lines[-1], flush=True)
    report = "\n".join(lines)
    print(report)
    (OUT / "compare.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
