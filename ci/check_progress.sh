#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Long work says how far it got: make check runs every step and check
# script through ci/with_progress.sh, which prints a line every 10 s
# (PROGRESS_INTERVAL) with the step's last "progress: " line; the mutant
# stage (ci/check_mutants.sh) writes "progress: mutant K of N" before each
# mutant. Here: the mutant stage's lines for two names that are no mutant
# (refused before any build, so nothing is built), a step that reports
# three stages seen through with_progress at a 1 s interval, and the
# default interval of 10 s on a step of 12 s. Run by tests/run_tests.sh.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

# The mutant stage's own lines: K of N before each mutant.
MUTANTS="no_such_mutant_a no_such_mutant_b" KBUDDY=/bin/true bash ci/check_mutants.sh >"$tmp/mutants.out" 2>&1 &&
	no "check_mutants.sh passed with two names that are not mutants"
grep -qx 'progress: mutant 1 of 2: no_such_mutant_a' "$tmp/mutants.out" &&
	grep -qx 'progress: mutant 2 of 2: no_such_mutant_b' "$tmp/mutants.out" ||
	no "check_mutants.sh does not say 'progress: mutant K of N' per mutant: $(head -n 4 "$tmp/mutants.out")"

# with_progress.sh shows the last progress line while the step runs.
step='for k in 1 2 3; do echo "progress: mutant $k of 3: m$k"; echo "some other output"; sleep 1.5; done'
PROGRESS_INTERVAL=1 bash ci/with_progress.sh "mutant stage" "$tmp/step.log" bash -c "$step" >"$tmp/step.out" 2>&1 ||
	no "with_progress.sh lost the step's exit status 0"
n=$(grep -c '^  \.\.\. mutant stage: [0-9]*s: mutant [1-3] of 3: m[1-3]$' "$tmp/step.out")
[ "$n" -ge 3 ] || no "a 4.5 s step at a 1 s interval gave $n progress lines: $(cat "$tmp/step.out")"
grep -q 'mutant 3 of 3' "$tmp/step.out" || no "the last stage never showed: $(cat "$tmp/step.out")"
grep -q 'some other output' "$tmp/step.out" && no "with_progress.sh showed a line that is not the progress line"
grep -qx 'some other output' "$tmp/step.log" || no "the step's output is not in its log"
bash ci/with_progress.sh "failing" "$tmp/fail.log" sh -c 'exit 3' >/dev/null 2>&1
[ $? -eq 3 ] || no "with_progress.sh did not keep the step's exit status 3"

# The default interval is 10 s: a 12 s step gets one line, at 10 s.
( unset PROGRESS_INTERVAL; bash ci/with_progress.sh "slow" "$tmp/slow.log" \
	sh -c 'echo "progress: mutant 1 of 1: slow"; sleep 12' ) >"$tmp/slow.out" 2>&1
grep -qx '  \.\.\. slow: 1[01]s: mutant 1 of 1: slow' "$tmp/slow.out" && [ "$(wc -l <"$tmp/slow.out")" -eq 1 ] ||
	no "a 12 s step did not get exactly one line at 10 s: $(cat "$tmp/slow.out")"

if [ $failed -gt 0 ]; then
	echo "check_progress: $failed failed"
	exit 1
fi
echo "check_progress: the mutant stage says K of N; with_progress prints its line every 10 s"
