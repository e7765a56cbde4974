#!/usr/bin/env bash
# One phase of the set-up: its name, its elapsed time, and its output kept in a log file that is
# shown only if it fails.   scripts/phase.sh "<what it does>" <log file> <command...>
set -uo pipefail
title=$1 log=$2
shift 2
mkdir -p "$(dirname "$log")"
echo "$title ..."
started=$SECONDS
if "$@" > "$log" 2>&1; then
  echo "  done in $((SECONDS - started)) s"
else
  status=$?
  tail -n 40 "$log"
  echo "  failed after $((SECONDS - started)) s (whole output: $log)"
  exit $status
fi
