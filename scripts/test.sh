#!/usr/bin/env bash
# Every test: data validation, pytest (components, actions, channels, the trained model), and the
# conversation tests (test stories with user text), all against one action server.
set -euo pipefail
model=$1
bin=.venv/bin
source scripts/env.sh
export MODEL_PATH=$model
# Every test runs on a fixed date (tests/support/servers.py) so that date-dependent answers are
# repeatable; the action server started here needs it as well.
export DOUMI_TODAY=${DOUMI_TODAY:-$("$bin/python" -c 'from tests.support.servers import TODAY; print(TODAY)')}

"$bin/rasa" data validate --fail-on-warnings

# Ports of the servers the tests start (tests/endpoints.yml reads TEST_ACTIONS_PORT), settable so
# that two checkouts can run their tests side by side.
export TEST_ACTIONS_PORT=${TEST_ACTIONS_PORT:-5056} TEST_RASA_PORT=${TEST_RASA_PORT:-5057}
port=$TEST_ACTIONS_PORT
# Another server on the port would answer the health check in place of this one.
if curl -s -o /dev/null "http://localhost:$port/health"; then
  echo "Port $port is taken by another server: stop it, or set TEST_ACTIONS_PORT." >&2
  exit 1
fi
scripts/actions.sh --port $port > var/test-actions.log 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT
until curl -sf "http://localhost:$port/health" >/dev/null; do
  kill -0 $actions_pid 2>/dev/null || { cat var/test-actions.log; exit 1; }
  sleep 1
done

"$bin/python" -m pytest
"$bin/rasa" test core --model "$model" --stories tests/conversations \
  --endpoints tests/endpoints.yml --fail-on-prediction-errors --out results/conversations
echo "conversation tests passed"
