#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Readable summary of one ci/fuzz_run.sh work dir: executions, speed,
# allocator operations, coverage, corpus growth, and the crashes and
# violations grouped by signature, each with the whole command that
# reproduces it. Plain and -fork=N runs alike: the counts come from the
# target's shared counters (run.stats) when the run has them.
#
# usage: ci/fuzz_summary.sh [--fail-on-crash] WORK_DIR   (e.g. build/fuzz-work/latest)
#
# Exit status: 0 when the run completed (violations found or not, unless
# --fail-on-crash), 3 with --fail-on-crash when it found one, 1 when the
# fuzzer broke (did not start, bad flag, killed by the outer limit).
#
# An artifact's signature is the last "KBUDDY-SIGNATURE: ..." line the
# target printed before libFuzzer wrote it; failing that, UBSan's first
# "runtime error:" line, or the first sanitizer or libFuzzer "SUMMARY:"
# line. Artifacts the log says nothing about (-fork=N: the workers' output
# is not in it) are run once more by the target to get theirs.
set -uo pipefail

fail_on_crash=0
[ "${1:-}" = --fail-on-crash ] && { fail_on_crash=1; shift; }
work=${1:?usage: fuzz_summary.sh [--fail-on-crash] WORK_DIR}
here=$(cd "$(dirname "$0")" && pwd)
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
# The target's own count is exact in every mode (-fork=N workers included).
shared_execs=$(bash "$here/fuzz_progress.sh" execs "$work")
if [ -s "$work/run.stats" ] && [ "${shared_execs:-0}" -gt 0 ]; then
	[ "$shared_execs" != "$execs" ] && eps=
	execs=$shared_execs
elif [ -z "$execs" ]; then
	# No final stats: take the last status line ("#1234 ... exec/s: 56").
	execs=$(sed -n 's/^#\([0-9][0-9]*\):\{0,1\}[[:space:]].*/\1/p' "$log" | tail -n 1)
	eps=$(sed -n 's/^#[0-9].* exec\/s: \([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
fi
# libFuzzer reports 0 exec/s when a crash ends the run (and per job in
# -fork mode): work it out.
if [ -n "$execs" ] && { [ -z "$eps" ] || [ "$eps" = 0 ]; }; then
	if [ "$elapsed" -gt 0 ]; then
		eps="~$((execs / elapsed)) (executions / elapsed seconds)"
	else
		eps="not measured (the run took under a second)"
	fi
fi

kstats=$(grep -E '^kbuddy-stats:' "$log" | tail -n 1)
shared_ops=$(bash "$here/fuzz_progress.sh" ops "$work")
if [ -n "$shared_ops" ] && [ "${shared_execs:-0}" -gt 0 ]; then
	ops_line="$shared_ops allocator operations over $shared_execs inputs"
elif [ -n "$kstats" ]; then
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
if [ ${#artifacts[@]} -gt 0 ] ||
	grep -qE '^Done [0-9]+ runs in|^INFO: fuzzed for [0-9]+ seconds' "$log"; then
	completed=1
fi

# The signature of every artifact: from the log, else by running it again
# (the target prints its report; at most 200 such runs, 30 s each).
replays=0
signature_of() {	# artifact
	local sig out
	sig=$(awk -F '\t' -v p="$1" '$1 == p { s = $2 } END { print s }' <<<"$sigmap")
	if [ -n "$sig" ] && [ "$sig" != "(no signature in the log)" ]; then
		echo "$sig"
		return
	fi
	if [ $replays -ge 200 ] || [ ! -x "$bin" ]; then
		echo "(no signature in the log)"
		return
	fi
	replays=$((replays + 1))
	out=$(cd "$work" && timeout -k 5 30 "$bin" -runs=1 "$1" 2>&1)
	sig=$(sed -n 's/^KBUDDY-SIGNATURE:[[:space:]]*//p' <<<"$out" | tail -n 1)
	[ -z "$sig" ] && sig=$(grep -m 1 ' runtime error: ' <<<"$out" | sed 's/^/UBSan: /')
	[ -z "$sig" ] && sig=$(sed -n 's/^SUMMARY: //p' <<<"$out" | head -n 1)
	echo "${sig:-(no report when run again: not reproducible)}"
}

# The whole command that reproduces an artifact of this target.
reproduce() {	# artifact
	case $target in
	fuzz_ops) how="repro --binary" ;;
	fuzz_boot) how="boot --binary" ;;	# a fuzz_boot input holds a layout too
	*) how= ;;
	esac
	if [ -z "$how" ]; then
		echo "$bin $1"
	elif [ -n "$kbuddy" ] && [ -x "$kbuddy" ]; then
		echo "$kbuddy $how $1"
	else
		echo "kbuddy $how $1   (kbuddy was not built: make build)"
	fi
}

# signature <TAB> size <TAB> artifact, one line per artifact
groups=
for a in "${artifacts[@]}"; do
	groups+="$(signature_of "$a")"$'\t'"$(stat -c %s "$a")"$'\t'"$a"$'\n'
done
nr_sigs=0
[ -n "$groups" ] && nr_sigs=$(cut -f 1 <<<"${groups%$'\n'}" | sort -u | wc -l)

printf '\n==== fuzz summary: %s ====\n' "$target"
if [ $completed -eq 1 ]; then
	if [ ${#artifacts[@]} -eq 0 ]; then
		result="completed, no crash or violation"
	else
		result="completed, ${#artifacts[@]} crash/violation file(s), $nr_sigs distinct signature(s)"
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
	"coverage:" "$(bash "$here/fuzz_progress.sh" cov "$work")" \
	"corpus before:" "$before_files files, $(human "$before_bytes") (copied from $corpus_src)" \
	"corpus after:" "$after_files files, $(human "$after_bytes")${new_units:+ ($new_units new units added)}" \
	"peak RSS:" "${rss:-unknown}${rss:+ MB}" \
	"work dir:" "$work" \
	"log:" "$log"

if [ ${#artifacts[@]} -gt 0 ]; then
	echo
	echo "crashes and violations, one line per signature (count, smallest file):"
	# by count, then signature; the smallest file of each
	sort -t $'\t' -k1,1 -k2,2n <<<"${groups%$'\n'}" | awk -F '\t' '
		$1 != last { if (n) print n "\t" sig "\t" file; last = $1; sig = $1; file = $3; n = 0 }
		{ n++ }
		END { if (n) print n "\t" sig "\t" file }' | sort -t $'\t' -k1,1nr -k2,2 |
	while IFS=$'\t' read -r n sig file; do
		printf '  %4d  %s\n        smallest: %s (%s bytes)\n        reproduce: %s\n' \
			"$n" "$sig" "$(basename "$file")" "$(stat -c %s "$file")" "$(reproduce "$file")"
	done
	if [ -n "$kbuddy" ] && [ -x "$kbuddy" ] && [ "$target" != fuzz_decode ]; then
		echo "  all of them by signature: $kbuddy triage$([ "$target" = fuzz_boot ] && echo ' --target fuzz_boot') $work"
	fi
	echo "  files: $work/artifacts/"
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
if [ $fail_on_crash = 1 ] && [ ${#artifacts[@]} -gt 0 ]; then
	echo
	echo "fuzz: failing (--fail-on-crash): ${#artifacts[@]} crash/violation file(s) found"
	exit 3
fi
exit 0
