#!/usr/bin/env bash
# Start the action server and the Rasa server; stop both on Ctrl-C.
set -euo pipefail
model=$1
bin=.venv/bin
source scripts/env.sh
port=${PORT:-5005}
# No origin may call the server from a browser unless listed here (a chat page hosted on another
# site): CORS_ORIGINS="https://www.example.go.kr https://chat.example.go.kr" make run
cors=()
[ -z "${CORS_ORIGINS:-}" ] || read -ra cors <<< "--cors $CORS_ORIGINS"

echo "Loading the model and starting the action server (port 5055) and the Rasa server (port $port) ..."
started=$SECONDS
scripts/actions.sh --port 5055 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT

(
  until curl -sf "http://localhost:$port/" >/dev/null; do sleep 2; done
  echo
  echo "신분증 민원 도우미 is ready (loaded in $((SECONDS - started)) s)."
  echo "  Web chat: http://localhost:$port/webhooks/webchat/"
  echo "  REST:     curl -s localhost:$port/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"민증 재발급 수수료 얼마예요\"}'"
) &

"$bin/rasa" run --model "$model" --port "$port" --endpoints endpoints.yml --credentials credentials.yml \
  --logging-config-file privacy/logging.yml ${cors[@]+"${cors[@]}"}
