"""Train the model with a progress bar over the components that train (`make model`).

    .venv/bin/python scripts/train.py --out models --name doumi-<hash>

Rasa's own training hooks log when each component starts and finishes (or is restored from the
training cache); here those lines drive the bar, and the rest of Rasa's output, Python's
warnings included, goes to var/train.log, which is printed if training fails.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from pathlib import Path

import yaml
from tqdm import tqdm

HOOKS = "rasa.engine.training.hooks"
LOG = Path("var/train.log")
EVENT = re.compile(r"(Starting to train|Finished training|Restored) component '(\w+)'")


def trained_components(config: Path) -> int:
    """How many components of the config train: the trainable pipeline components and every policy."""
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    content = yaml.safe_load(config.read_text(encoding="utf-8"))
    pipeline = [DefaultV1Recipe._from_registry(c["name"]).is_trainable for c in content.get("pipeline") or []]
    return sum(pipeline) + len(content.get("policies") or [])


class Progress(logging.Handler):
    def __init__(self, bar: tqdm) -> None:
        super().__init__(logging.INFO)
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        event = EVENT.match(record.getMessage())
        if not event:
            return
        if event.group(1) == "Starting to train":
            self.bar.set_postfix_str(event.group(2))
        else:
            self.bar.update(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="models")
    parser.add_argument("--name", required=True)
    args = parser.parse_args()
    LOG.parent.mkdir(exist_ok=True)
    logging.basicConfig(filename=LOG, filemode="w", level=logging.INFO, force=True)
    # Python's warnings too (mostly deprecation notices of installed packages) go to the log.
    logging.captureWarnings(True)
    import rasa.api  # after the log file is set, so that Rasa's import-time output goes there too
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's structured debug lines would go to the terminal

    started = time.monotonic()
    with tqdm(total=trained_components(Path("config.yml")), unit="component", desc="training") as bar:
        hooks = logging.getLogger(HOOKS)
        hooks.setLevel(logging.INFO)
        hooks.addHandler(Progress(bar))
        result = rasa.api.train("domain.yml", "config.yml", "data", output=args.out, fixed_model_name=args.name)
    if result.code != 0 or not result.model:
        sys.stderr.write(LOG.read_text(encoding="utf-8", errors="replace")[-4000:])
        sys.exit(f"Training failed (whole log: {LOG}).")
    print(f"Trained {result.model} in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
