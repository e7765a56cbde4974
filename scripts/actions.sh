#!/usr/bin/env bash
# The action server, with its own request cap (scripts/env.sh); arguments go to `rasa run actions`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
# Both servers redact every log line, DEBUG included (privacy/logging.yml).
SANIC_REQUEST_MAX_SIZE=$ACTIONS_REQUEST_MAX_SIZE exec .venv/bin/rasa run actions --actions actions \
  --logging-config-file privacy/logging.yml "$@"
