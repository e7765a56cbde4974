#!/usr/bin/env bash
# Every test: data validation, pytest (components, actions, channels, the trained model), and the
# conversation tests (test stories with user text), all against one action server.
set -euo pipefail
model=$1
bin=.venv/bin
# privacy/logging.yml is read before Rasa puts the working directory on the path; without
# this, Rasa would skip the redacting log config silently.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p var
export MODEL_PATH=$model
# Conversations are tested on a fixed date so that date-dependent answers are repeatable.
export DOUMI_TODAY=${DOUMI_TODAY:-2026-11-23}
export SANIC_REQUEST_MAX_SIZE=1000000
# Rasa's HTTP client reuses a connection to the action server for up to 15 s; Sanic would close
# it after 5 idle seconds, and a request sent on a closing connection fails.
export SANIC_KEEP_ALIVE_TIMEOUT=${SANIC_KEEP_ALIVE_TIMEOUT:-75}

"$bin/rasa" data validate --fail-on-warnings

# Ports of the servers the tests start (tests/endpoints.yml reads TEST_ACTIONS_PORT), settable so
# that two checkouts can run their tests side by side.
export TEST_ACTIONS_PORT=${TEST_ACTIONS_PORT:-5056} TEST_RASA_PORT=${TEST_RASA_PORT:-5057}
port=$TEST_ACTIONS_PORT
# The action server redacts every log line, as in scripts/run.sh (privacy/logging.yml).
"$bin/rasa" run actions --port $port --actions actions --logging-config-file privacy/logging.yml \
  > var/test-actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null' EXIT
until curl -sf "http://localhost:$port/health" >/dev/null; do
  kill -0 $actions_pid 2>/dev/null || { cat var/test-actions.log; exit 1; }
  sleep 1
done

"$bin/python" -m pytest
"$bin/rasa" test core --model "$model" --stories tests/conversations \
  --endpoints tests/endpoints.yml --fail-on-prediction-errors --out results/conversations
echo "conversation tests passed"
