#!/usr/bin/env bash
# Start the action server and the Rasa server; stop both on Ctrl-C.
set -euo pipefail
model=$1
bin=.venv/bin
port=${PORT:-5005}
mkdir -p var
# Public webhooks: refuse bodies over 1 MB before they are parsed (Sanic's default is 100 MB).
export SANIC_REQUEST_MAX_SIZE=${SANIC_REQUEST_MAX_SIZE:-1000000}
# No origin may call the server from a browser unless listed here (a chat page hosted on another
# site): CORS_ORIGINS="https://www.example.go.kr https://chat.example.go.kr" make run
cors=()
[ -z "${CORS_ORIGINS:-}" ] || read -ra cors <<< "--cors $CORS_ORIGINS"

"$bin/rasa" run actions --port 5055 --actions actions &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null' EXIT

(
  until curl -sf "http://localhost:$port/" >/dev/null; do sleep 2; done
  echo
  echo "신분증 민원 도우미 is ready."
  echo "  Web chat: http://localhost:$port/webhooks/webchat/"
  echo "  REST:     curl -s localhost:$port/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"민증 재발급 수수료 얼마예요\"}'"
) &

"$bin/rasa" run --model "$model" --port "$port" --endpoints endpoints.yml --credentials credentials.yml ${cors[@]+"${cors[@]}"}
