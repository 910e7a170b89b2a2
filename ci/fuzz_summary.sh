#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Readable summary of one ci/fuzz_run.sh work dir: executions, speed,
# allocator operations, corpus growth, and every crash or violation with
# its signature and the command that reproduces it.
#
# usage: ci/fuzz_summary.sh WORK_DIR      (e.g. build/fuzz-work/latest)
#
# Exit status: 0 when the run completed (violations found or not), 1 when
# the fuzzer broke (did not start, bad flag, killed by the outer limit).
#
# An artifact's signature is the last "KBUDDY-SIGNATURE: ..." line the
# target printed before libFuzzer wrote it; failing that, UBSan's first
# "runtime error:" line, or the first sanitizer or libFuzzer "SUMMARY:" line.
set -uo pipefail

work=${1:?usage: fuzz_summary.sh WORK_DIR}
work=$(cd "$work" && pwd -P) || exit 2
info=$work/run.info
log=$work/fuzz.log
if [ ! -f "$info" ] || [ ! -f "$log" ]; then
	echo "fuzz_summary.sh: $work is not a fuzz work dir" >&2
	exit 2
fi

target='' bin='' kbuddy='' fuzz_time='' corpus_src='' fuzz_command=''
before_files=0 before_bytes=0 exit_status=unknown elapsed=0
# shellcheck disable=SC1090
. "$info"

final_stat() { sed -n "s/^stat::$1:[[:space:]]*//p" "$log" | tail -n 1; }
human() {	# bytes
	awk -v b="$1" 'BEGIN {
		if (b < 1024) printf "%d B", b
		else if (b < 1048576) printf "%.1f KiB", b / 1024
		else printf "%.1f MiB", b / 1048576 }'
}

execs=$(final_stat number_of_executed_units)
eps=$(final_stat average_exec_per_sec)
new_units=$(final_stat new_units_added)
rss=$(final_stat peak_rss_mb)
if [ -z "$execs" ]; then
	# No final stats: take the last status line ("#1234 ... exec/s: 56").
	execs=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$log" | tail -n 1)
	eps=$(sed -n 's/^#[0-9].* exec\/s: \([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
fi
# libFuzzer reports 0 exec/s when a crash ends the run: work it out.
if [ -n "$execs" ] && { [ -z "$eps" ] || [ "$eps" = 0 ]; }; then
	if [ "$elapsed" -gt 0 ]; then
		eps="~$((execs / elapsed)) (executions / elapsed seconds)"
	else
		eps="not measured (the run took under a second)"
	fi
fi

kstats=$(grep -E '^kbuddy-stats:' "$log" | tail -n 1)
if [ -n "$kstats" ]; then
	ops=$(sed -n 's/.*[[:space:]]ops=\([0-9][0-9]*\).*/\1/p' <<<"$kstats")
	inputs=$(sed -n 's/.*inputs=\([0-9][0-9]*\).*/\1/p' <<<"$kstats")
	ops_line="${ops:-?} allocator operations over ${inputs:-?} inputs"
else
	ops_line="not reported (no kbuddy-stats line: the target prints it at exit)"
fi

after_files=$(find "$work/corpus" -type f | wc -l)
after_bytes=$(find "$work/corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')

mapfile -t artifacts < <(find "$work/artifacts" -maxdepth 1 -type f \
	\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) |
	LC_ALL=C sort)

# artifact path <TAB> signature, in the order libFuzzer wrote them.
sigmap=$(awk '
	/^KBUDDY-SIGNATURE:/ { sig = $0; sub(/^KBUDDY-SIGNATURE:[ \t]*/, "", sig) }
	/ runtime error: / && ub == "" { ub = "UBSan: " $0 }
	/^SUMMARY: / && fallback == "" { fallback = $0; sub(/^SUMMARY: /, "", fallback) }
	/Test unit written to / {
		path = $0; sub(/.*Test unit written to /, "", path)
		if (sig == "") sig = ub
		if (sig == "") sig = fallback
		if (sig == "") sig = "(no signature in the log)"
		print path "\t" sig
		sig = ""; ub = ""; fallback = ""
	}' "$log")

completed=0
if [ ${#artifacts[@]} -gt 0 ] || grep -qE '^Done [0-9]+ runs in' "$log"; then
	completed=1
fi

printf '\n==== fuzz summary: %s ====\n' "$target"
if [ $completed -eq 1 ]; then
	if [ ${#artifacts[@]} -eq 0 ]; then
		result="completed, no crash or violation"
	else
		result="completed, ${#artifacts[@]} crash/violation artifact(s) found"
	fi
else
	result="BROKEN: the fuzzer exited $exit_status without finishing (see the log)"
fi
printf '%-18s %s\n' \
	"result:" "$result" \
	"time:" "${elapsed}s of ${fuzz_time}s asked$([ "$fuzz_time" = 0 ] && echo ' (corpus replay only)')" \
	"total executions:" "${execs:-unknown}" \
	"execs/s:" "${eps:-unknown}" \
	"operations run:" "$ops_line" \
	"corpus before:" "$before_files files, $(human "$before_bytes") (copied from $corpus_src)" \
	"corpus after:" "$after_files files, $(human "$after_bytes")${new_units:+ ($new_units new units added)}" \
	"peak RSS:" "${rss:-unknown}${rss:+ MB}" \
	"work dir:" "$work" \
	"log:" "$log"

# fuzz_boot inputs hold a layout too: `kbuddy boot` replays those.
repro=repro
[ "$target" = fuzz_boot ] && repro=boot

if [ ${#artifacts[@]} -gt 0 ]; then
	echo
	echo "crashes and violations:"
	for a in "${artifacts[@]}"; do
		sig=$(awk -F '\t' -v p="$a" '$1 == p { s = $2 } END { print s }' <<<"$sigmap")
		echo "  $(basename "$a")"
		echo "    signature: ${sig:-(no signature in the log)}"
		if [ -n "$kbuddy" ] && [ -x "$kbuddy" ]; then
			echo "    reproduce: $kbuddy $repro $a"
		else
			echo "    reproduce: kbuddy $repro $a   (kbuddy was not built: make build)"
		fi
	done
fi

if [ $completed -eq 0 ]; then
	echo
	echo "last lines of the log:"
	echo "fuzzer command: $fuzz_command"
	if [ -s "$log" ]; then tail -n 30 "$log" | sed 's/^/  | /'; else echo "  (empty)"; fi
	exit 1
fi

if [ "$after_files" -ne "$before_files" ] && [ -d "$corpus_src" ]; then
	echo
	echo "to merge the new inputs into $corpus_src:"
	echo "  $bin -merge=1 $(cd "$corpus_src" && pwd) $work/corpus"
fi
exit 0
