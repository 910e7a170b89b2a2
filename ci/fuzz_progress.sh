#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Figures of a libFuzzer run while it runs, from its work dir (the layout
# of ci/fuzz_run.sh: fuzz.log, artifacts/, run.stats):
#   execs WORK      executions so far: the target's shared counters
#                   (run.stats, fuzz/run_stats.h: every fork worker adds to
#                   them), else the last "#N" status line of the log
#   ops WORK        allocator operations so far (run.stats), or nothing
#   cov WORK        "cov C ft F corpus N" from the last status line ("#N<TAB>NEW
#                   cov: ...", or "#N: cov: ..." with -fork=N): it is
#                   current, since libFuzzer prints a line whenever they change
#   crashes WORK    artifact files written so far
#   line WORK ELAPSED TOTAL RATE
#                   one progress line: "fuzz: 20s of 60s: 123456 execs
#                   (6012/s), cov 1200 ft 8000 corpus 912, crashes 0"
#   csv WORK ELAPSED RATE
#                   the same figures as a row of WORK/series.csv (written
#                   with its header line when the file is new):
#                   seconds,execs,execs_per_s,cov,ft,corpus,crashes
set -uo pipefail

what=${1:?usage: fuzz_progress.sh execs|ops|cov|crashes|line|csv WORK ...}
work=${2:?usage: fuzz_progress.sh $what WORK}
log=$work/fuzz.log

# word N (0-based) of run.stats as an unsigned number, or nothing
stats_word() {
	[ -s "$work/run.stats" ] || return 0
	od -An -t u8 -j $(($1 * 8)) -N 8 "$work/run.stats" 2>/dev/null | tr -d ' '
}

execs() {
	local n
	n=$(stats_word 1)
	if [ -z "$n" ] || [ "$n" = 0 ]; then
		n=$(grep -aoE '^#[0-9]+' "$log" 2>/dev/null | tail -n 1 | tr -d '#')
	fi
	echo "${n:-0}"
}

cov() {
	local line c f p
	line=$(grep -aE '^#[0-9]+:?[[:space:]].*cov: ' "$log" 2>/dev/null | tail -n 1)
	c=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
	f=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
	p=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$line")
	echo "cov ${c:-?} ft ${f:-?} corpus ${p:-?}"
}

crashes() {
	find "$work/artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
		-o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | wc -l
}

case $what in
execs) execs ;;
ops) stats_word 2 ;;
cov) cov ;;
crashes) crashes ;;
line)
	printf 'fuzz: %ss of %ss: %s execs (%s/s), %s, crashes %s\n' "${3:-?}" "${4:-?}" \
		"$(execs)" "${5:-?}" "$(cov)" "$(crashes)"
	;;
csv)
	[ -s "$work/series.csv" ] || echo "seconds,execs,execs_per_s,cov,ft,corpus,crashes" >"$work/series.csv"
	read -r _ c _ f _ p <<<"$(cov)"
	echo "${3:-0},$(execs),${4:-0},${c/\?/},${f/\?/},${p/\?/},$(crashes)" >>"$work/series.csv"
	;;
*) echo "fuzz_progress.sh: unknown request '$what'" >&2; exit 2 ;;
esac
