# 신분증 민원 도우미: `make run` starts the assistant, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python
VENV := .venv
BIN := $(VENV)/bin

# Every recipe that runs Python first sources the one environment (scripts/env.sh).
ENV := source scripts/env.sh &&

# The model is named after a hash of everything it is trained from, so an unchanged
# project reuses its model and a changed one gets a new model.
MODEL_INPUTS := config.yml domain.yml $(sort $(shell find data knowledge korean_nlu privacy -type f \( -name '*.yml' -o -name '*.py' \)))
MODEL_HASH := $(shell cat $(MODEL_INPUTS) | sha256sum | cut -c1-16)
MODEL := models/doumi-$(MODEL_HASH).tar.gz

.PHONY: install lint model run test bench bench-answers bench-load bench-worst-case bench-scale forget report

install: $(VENV)/.installed

# The test layer, which includes the runtime layer (requirements/lock.py pins both).
$(VENV)/.installed: requirements/test.txt requirements/runtime.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else "Rasa 3.6 needs Python 3.10: install it (pyenv install 3.10) so that `python` here is 3.10 (.python-version).")'
	@scripts/phase.sh "Installing the pinned packages into $(VENV) (the first time takes a few minutes)" var/install.log \
	  bash -c '$(PYTHON) -m venv $(VENV) && $(BIN)/pip install --disable-pip-version-check -r requirements/test.txt'
	@touch $@

# ruff (ruff.toml): the lint rules and the formatting, as .pre-commit-config.yaml runs them.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

model: $(MODEL)

$(MODEL): $(VENV)/.installed
	@echo "Training the model $(MODEL) (about two minutes; an unchanged project reuses it)"
	@$(ENV) $(BIN)/python scripts/train.py --name doumi-$(MODEL_HASH) --out models

run: $(MODEL)
	scripts/run.sh $(MODEL)

test: $(MODEL) node_modules/.installed
	scripts/test.sh $(MODEL)

# axe-core for the web chat's accessibility test (package.json, pinned in package-lock.json).
# Without npm that test is skipped (and fails under CI=true).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the web chat's accessibility test will be skipped"; fi

bench: $(VENV)/.installed
	$(ENV) $(BIN)/python -m bench.nlu_bench

# Delete conversations idle for more than DAYS days (default 30) from the configured database.
DAYS ?= 30
forget: $(VENV)/.installed
	$(ENV) $(BIN)/python -m stores.retention --days $(DAYS)

# The operators' report (stores/report.py) over SINCE..UNTIL (default: the last 30 days), written
# to var/report.html from the configured database.
report: $(VENV)/.installed
	$(ENV) $(BIN)/python -m stores.report $(if $(SINCE),--since $(SINCE)) $(if $(UNTIL),--until $(UNTIL))

# Two Rasa servers and two action servers sharing PostgreSQL and the Redis lock store, 50
# concurrent conversations alternating between the servers (README, Scale-out). Needs both services.
bench-scale: $(MODEL)
	$(ENV) $(BIN)/python -m bench.scale_out --model $(MODEL)

# The answer benchmark (tests/answers) through the REST channel of the served model, beside the
# `rasa init` pipeline trained on the same data and served with the same actions (bench/README.md).
PEER := models/rasa-init-$(MODEL_HASH).tar.gz
$(PEER): $(VENV)/.installed
	$(ENV) $(BIN)/rasa train --quiet --config bench/config_rasa_init.yml --fixed-model-name rasa-init-$(MODEL_HASH) --out models

bench-answers: $(MODEL) $(PEER)
	$(ENV) $(BIN)/python -m bench.answers --model $(MODEL) --peer $(PEER)

# Open-loop load at 5, 10, 20 and 40 messages a second on one served model: latency, errors,
# capacity, and a CPU profile of the Rasa server (bench/README.md). About 3 minutes.
bench-load: $(MODEL)
	$(ENV) $(BIN)/python -m bench.load --model $(MODEL)

# How long the longest allowed message takes, and how long another citizen waits behind it.
bench-worst-case: $(MODEL)
	$(ENV) $(BIN)/python -m bench.worst_case --model $(MODEL)
