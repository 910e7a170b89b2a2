#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ci/afl_run.sh on a stand-in afl-fuzz that behaves as afl-fuzz 4.04c does
# without its UI: fuzzer_stats written when it starts (execs_done 0) and
# again when it stops, nothing in between. The progress lines must show
# the figures of the run as it goes (the target's shared counters, the
# queue and the crashes of the output directory), not the stale
# fuzzer_stats; the summary takes the final fuzzer_stats; the triage
# command names the kbuddy of the build that fuzzed (a BUG= build's own).
# Run by tests/run_tests.sh; exit 0 when all of that holds.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

mkdir -p "$tmp/bin" "$tmp/build/plain" "$tmp/build/asan" "$tmp/build/cmplog" "$tmp/corpus"
for v in plain asan cmplog; do printf '#!/bin/sh\nexit 0\n' >"$tmp/build/$v/fuzz_ops"; done
chmod +x "$tmp"/build/*/fuzz_ops
printf 'x' >"$tmp/corpus/seed"

# The stand-in: 4 seconds, 500 inputs (1500 operations) a second into
# KBUDDY_FUZZ_STATS, a new queue entry a second, a crash after 2 s.
cat >"$tmp/bin/afl-fuzz" <<'EOF'
#!/usr/bin/env bash
out= name=
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	-M|-S) name=$2; shift 2 ;;
	--) break ;;
	-*) shift 2 ;;
	*) shift ;;
	esac
done
d=$out/$name
mkdir -p "$d/queue" "$d/crashes"
t0=$(date +%s)
stats() {	# execs last_update
	printf '%-18s: %s\n' start_time "$t0" last_update "$2" execs_done "$1" \
		execs_per_sec 0.00 stability 100.00% bitmap_cvg 1.23% corpus_count \
		"$(find "$d/queue" -name 'id:*' | wc -l)" saved_crashes \
		"$(find "$d/crashes" -name 'id:*' | wc -l)" saved_hangs 0 >"$d/fuzzer_stats"
}
le() { local v=$1 i; for i in 0 1 2 3 4 5 6 7; do printf "\\$(printf %03o $(( (v >> (8 * i)) & 255 )))"; done; }
: >"$d/queue/id:000000,time:0,execs:0,orig:seed"
stats 0 "$t0"
for s in 1 2 3 4; do
	sleep 1
	{ printf 'kbstats1'; le $((s * 500)); le $((s * 1500)); le 0; } >"$KBUDDY_FUZZ_STATS"
	: >"$d/queue/id:00000$s,src:000000,time:$s,execs:$((s * 500)),op:havoc,rep:2,+cov"
	[ $s = 2 ] && : >"$d/crashes/id:000000,sig:06,src:000001,time:2,execs:1000,op:havoc,rep:4"
done
stats 2000 $((t0 + 4))
EOF
chmod +x "$tmp/bin/afl-fuzz"

m=$(awk '!/^[ \t]*(#|$)/ { print $1; exit }' corpus/mutants/mutants.list)
out=$(PATH=$tmp/bin:$PATH PROGRESS_INTERVAL=1 O="$tmp/o" BUG="$m" bash ci/afl_run.sh \
	--target fuzz_ops --time 4 --build "$tmp/build" --out "$tmp/out" --corpus "$tmp/corpus" 2>&1)
status=$?
[ $status -eq 0 ] || no "afl_run.sh exited $status: $out"
# while fuzzer_stats still says 0 executions, the progress shows the run's
lines=$(grep -E '^afl: +[0-9]+s main ' <<<"$out")
[ "$(wc -l <<<"$lines")" -ge 2 ] || no "fewer than two progress lines of main: $out"
grep -qE '^afl: +[0-9]+s main +execs (500|1000|1500|2000) ' <<<"$lines" ||
	no "the progress lines do not show the shared counters: $lines"
grep -qE 'queue [2-5] +\([1-4] new coverage\) +crashes 1$' <<<"$lines" ||
	no "the progress lines do not count the queue and the crash: $lines"
tail -n 1 "$tmp/out/main.series.csv" 2>/dev/null | grep -qE '^[0-9]+,2000,[0-9]+,5,4,1$' ||
	no "main.series.csv does not end with the run's last figures: $(cat "$tmp/out/main.series.csv" 2>&1)"
grep -qE '^main: +execs 2000 \(500/s over 4s\) +stability 100.00% +coverage 1.23% +corpus 5 +crashes 1 ' <<<"$out" ||
	no "the summary does not take the final fuzzer_stats: $out"
# the triage command: the mutant build's kbuddy, said to be missing here
grep -qE "^triage: $tmp/o/[^ ]*-bug-$m/kbuddy triage $tmp/out   \(kbuddy is not built: make kbuddy BUG=$m\)$" <<<"$out" ||
	no "the triage command does not name the BUG=$m build's kbuddy: $(grep '^triage:' <<<"$out")"

# an explicit kbuddy that exists: named as it is, no note
printf '#!/bin/sh\n' >"$tmp/kbuddy" && chmod +x "$tmp/kbuddy"
out=$(PATH=$tmp/bin:$PATH PROGRESS_INTERVAL=1 bash ci/afl_run.sh --target fuzz_ops --time 4 \
	--build "$tmp/build" --out "$tmp/out2" --corpus "$tmp/corpus" --no-secondary --kbuddy "$tmp/kbuddy" 2>&1)
grep -qx "triage: $tmp/kbuddy triage $tmp/out2" <<<"$out" ||
	no "--kbuddy is not the kbuddy named: $(grep '^triage:' <<<"$out")"

if [ "$failed" -gt 0 ]; then
	echo "check_afl_run: $failed failed"
	exit 1
fi
echo "check_afl_run: live progress, final summary and the fuzzing build's triage command hold"
