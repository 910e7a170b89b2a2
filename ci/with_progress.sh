#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs a long step with its output going to a log, and says every 10 s
# that it still runs and how far it got: the last line of the log that
# starts with "progress: " (a step says "progress: mutant 3 of 22" and the
# like), else the log's last line.
#
# usage: ci/with_progress.sh LABEL LOG command...
# Exit status: the command's. Environment: PROGRESS_INTERVAL (seconds, 10).
set -uo pipefail

label=${1:?usage: with_progress.sh LABEL LOG command...}
log=${2:?usage: with_progress.sh LABEL LOG command...}
shift 2
interval=${PROGRESS_INTERVAL:-10}
case $interval in ''|*[!0-9]*|0) interval=10 ;; esac

"$@" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid"; exit 130' INT TERM
start=$SECONDS next=$((SECONDS + interval)) polls=0
while kill -0 "$pid" 2>/dev/null; do
	# short steps end within the first quick polls; long ones are woken twice a second
	polls=$((polls + 1))
	if [ $polls -le 20 ]; then sleep 0.05; else sleep 0.5; fi
	[ $SECONDS -ge $next ] || continue
	next=$((SECONDS + interval))
	kill -0 "$pid" 2>/dev/null || break
	what=$(grep -a '^progress: ' "$log" 2>/dev/null | tail -n 1)
	what=${what#progress: }
	[ -n "$what" ] || what=$(tail -n 1 "$log" 2>/dev/null | cut -c 1-100)
	printf '  ... %s: %ss%s\n' "$label" $((SECONDS - start)) "${what:+: $what}"
done
wait "$pid"
