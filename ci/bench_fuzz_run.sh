#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz_ops execs/s on `make fuzz`'s own workload, at check levels 0 and 2
# side by side: the libFuzzer binary fuzzing from a fresh copy of the
# shipped corpus (corpus/fuzz_ops) with the shipped options
# (fuzz/fuzz_ops.options and its dictionary), as ci/fuzz_run.sh starts it.
# Where ci/bench_fuzz_levels.sh replays fixed inputs (the checker's cost
# per operation), this is the rate a fuzzing run reaches: libFuzzer's own
# work per input (mutation, coverage feedback, writing new inputs) and the
# mutator's input lengths included.
#
# Each run is libFuzzer with -seed=1 and a fixed number of executions
# (-runs=RUNS), so both levels run the same mutations of the same corpus
# (the checker gives no coverage feedback in fuzz builds). Rounds are
# interleaved so that load from other processes hits both levels alike;
# the median of the rounds is reported. execs/s is RUNS over the process's
# wall time, start-up and the corpus's first replay included.
#
# usage: ci/bench_fuzz_run.sh FUZZ_OPS_BINARY [RUNS] [ROUNDS]
#        (RUNS default 100000, about 15 s a level on an idle core; ROUNDS 3)
set -euo pipefail
bin=$1
runs=${2:-100000}
rounds=${3:-3}
[ -x "$bin" ] || { echo "bench_fuzz_run: $bin not built (make fuzz-build)" >&2; exit 2; }
case $runs$rounds in *[!0-9]*) echo "bench_fuzz_run: RUNS and ROUNDS are whole numbers" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
options=$root/fuzz/fuzz_ops.options
[ -d "$root/corpus/fuzz_ops" ] && [ -f "$options" ] ||
	{ echo "bench_fuzz_run: needs corpus/fuzz_ops and $options" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The [libfuzzer] keys of the options file, the dictionary relative to fuzz/.
. "$root/ci/libfuzzer_options.sh"
mapfile -t shipped < <(kb_libfuzzer_options "$options" "$root")
flags=(-seed=1 "-runs=$runs" "${shipped[@]}")

declare -A rates
load=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$rounds"); do
	for level in 0 2; do
		rm -rf "$dir/corpus"
		cp -R "$root/corpus/fuzz_ops" "$dir/corpus"
		start=$(date +%s%N)
		if ! KBUDDY_CHECK_LEVEL=$level "$bin" "${flags[@]}" "$dir/corpus" \
			>"$dir/log" 2>&1; then
			echo "bench_fuzz_run: level $level round $round did not run clean:" >&2
			tail -20 "$dir/log" >&2
			exit 1
		fi
		end=$(date +%s%N)
		rates[$level]+="$(( runs * 1000000000 / (end - start) )) "
		echo "  round $round level $level: $(grep -m1 DONE "$dir/log" | tr -s ' \t' ' ')"
	done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "fuzz_ops as make fuzz runs it (ASan+UBSan libFuzzer binary, shipped corpus and options," \
	"-seed=1 -runs=$runs; median of $rounds rounds; load average at the start: $load):"
for level in 0 2; do
	printf 'level %d: %6d execs/s   (rounds: %s)\n' "$level" "$(median "${rates[$level]}")" "${rates[$level]% }"
done
awk -v a="$(median "${rates[2]}")" -v b="$(median "${rates[0]}")" \
	'BEGIN { printf "level 2 / level 0: %.2f\n", a / b }'
