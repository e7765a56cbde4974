#!/usr/bin/env bash
# Start the action server and the Rasa server; stop both on Ctrl-C.
set -euo pipefail
model=$1
bin=.venv/bin
# privacy/logging.yml is read before Rasa puts the working directory on the path; without
# this, Rasa would skip the redacting log config silently.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
port=${PORT:-5005}
mkdir -p var
# Public webhooks: refuse bodies over 1 MB before they are parsed (Sanic's default is 100 MB).
export SANIC_REQUEST_MAX_SIZE=${SANIC_REQUEST_MAX_SIZE:-1000000}
# Rasa's HTTP client reuses a connection to the action server for up to 15 s; Sanic would close
# it after 5 idle seconds, and a request sent on a closing connection fails.
export SANIC_KEEP_ALIVE_TIMEOUT=${SANIC_KEEP_ALIVE_TIMEOUT:-75}
# No origin may call the server from a browser unless listed here (a chat page hosted on another
# site): CORS_ORIGINS="https://www.example.go.kr https://chat.example.go.kr" make run
cors=()
[ -z "${CORS_ORIGINS:-}" ] || read -ra cors <<< "--cors $CORS_ORIGINS"

# Both servers redact every log line, DEBUG included (privacy/logging.yml).
"$bin/rasa" run actions --port 5055 --actions actions --logging-config-file privacy/logging.yml &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null' EXIT

(
  until curl -sf "http://localhost:$port/" >/dev/null; do sleep 2; done
  echo
  echo "신분증 민원 도우미 is ready."
  echo "  Web chat: http://localhost:$port/webhooks/webchat/"
  echo "  REST:     curl -s localhost:$port/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"민증 재발급 수수료 얼마예요\"}'"
) &

"$bin/rasa" run --model "$model" --port "$port" --endpoints endpoints.yml --credentials credentials.yml \
  --logging-config-file privacy/logging.yml ${cors[@]+"${cors[@]}"}
