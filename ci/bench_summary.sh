#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The last lines of `make bench`: level 2 against level 0 of the two
# fuzz_ops workloads it measured, side by side. The figure
# (level 2 >= 0.75 x level 0, docs/fuzzing.md) is the libFuzzer binary's
# pair: the build `make fuzz` runs (ASan+UBSan on the allocator, the
# checker at -O2 without sanitizers). The uninstrumented pair
# (bench_fuzz_ops, SAN=none -O2) shows what the checker costs against the
# bare allocator, where it weighs most.
#
# The third workload, when given, is fuzzing itself as `make fuzz` runs it
# (ci/bench_fuzz_run.sh: the shipped corpus and options), whose level 2
# is also the absolute figure (>= 10,000 execs/s on an idle core).
#
# usage: ci/bench_summary.sh BENCH_FUZZ_OPS_OUTPUT BENCH_FUZZ_LEVELS_OUTPUT [BENCH_FUZZ_RUN_OUTPUT]
set -euo pipefail
[ $# -eq 2 ] || [ $# -eq 3 ] ||
	{ echo "usage: $0 BENCH_FUZZ_OPS_OUTPUT BENCH_FUZZ_LEVELS_OUTPUT [BENCH_FUZZ_RUN_OUTPUT]" >&2; exit 2; }

# level N's execs/s of an output: the number after "level N:"
rate() { awk -v l="level $2:" '$1 " " $2 == l { print $3; exit }' "$1"; }
row() {
	local name=$1 file=$2 l0 l2
	l0=$(rate "$file" 0)
	l2=$(rate "$file" 2)
	if [ -z "$l0" ] || [ -z "$l2" ]; then
		printf '  %-58s (no figures in %s)\n' "$name" "$file"
		return 1
	fi
	awk -v n="$name" -v a="$l0" -v b="$l2" -v t="$3" 'BEGIN {
		printf "  %-58s %8d %8d   %.2f  %s\n", n, a, b, b / a, t }'
}

echo "== level 2 against level 0, side by side (execs/s)"
printf '  %-58s %8s %8s   %s\n' "workload" "level 0" "level 2" "ratio"
status=0
row "fuzz_ops libFuzzer binary (ASan+UBSan, make fuzz's build)" "$2" \
	"<- the figure of >= 0.75 (docs/fuzzing.md)" || status=1
if [ $# -eq 3 ]; then
	row "fuzz_ops fuzzing as make fuzz runs it (shipped corpus)" "$3" \
		"<- level 2: the execs/s figure" || status=1
fi
row "bench_fuzz_ops (SAN=none -O2, the checker's bare cost)" "$1" "" || status=1
exit $status
