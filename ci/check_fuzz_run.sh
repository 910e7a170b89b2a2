#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ci/fuzz_run.sh and ci/fuzz_summary.sh on a stand-in fuzzer (a script that
# writes what libFuzzer -fork=1 writes: status lines, artifacts whose
# reports are not in the log, the target's shared counters): progress
# lines while it runs, the summary's executions, operations and coverage,
# signatures found by running the artifacts again and grouped, whole
# reproduce commands, and --fail-on-crash (make fuzz FUZZ_CI=1) exiting 3;
# make fuzz and make afl with BUG= leave $(O)/kbuddy at the mutant's build.
# Run by tests/run_tests.sh; exit 0 when all of that holds.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

# The stand-in: replays print a signature for files holding "A"; a run
# writes three artifacts (two of one signature), 1234 inputs and 5678
# operations into KBUDDY_FUZZ_STATS, and fork-mode status lines.
cat >"$tmp/fake_fuzzer" <<'EOF'
#!/usr/bin/env bash
prefix= files=() replay=0
for a in "$@"; do
	case $a in
	-artifact_prefix=*) prefix=${a#-artifact_prefix=} ;;
	-runs=1) replay=1 ;;
	-*) ;;
	*) files+=("$a") ;;
	esac
done
if [ $replay = 1 ]; then
	if grep -q A "${files[0]}"; then echo "KBUDDY-SIGNATURE: fake-bug alloc"; else echo "KBUDDY-SIGNATURE: other-bug free"; fi
	exit 1
fi
echo "INFO: -fork=1: fuzzing in separate process(s)"
echo "#10: cov: 100 ft: 200 corp: 5 exec/s 0 oom/timeout/crash: 0/0/0 time: 0s job: 1 dft_time: 0"
printf 'AAAA' >"${prefix}crash-1"
printf 'AA' >"${prefix}crash-2"
printf 'BBBBBB' >"${prefix}crash-3"
# the shared counters: magic, inputs, operations, spare (little-endian words)
le() { local v=$1 i; for i in 0 1 2 3 4 5 6 7; do printf "\\$(printf %03o $(( (v >> (8 * i)) & 255 )))"; done; }
{ printf 'kbstats1'; le 1234; le 5678; le 0; } >"$KBUDDY_FUZZ_STATS"
sleep 3
echo "#1200: cov: 150 ft: 321 corp: 17 exec/s 0 oom/timeout/crash: 0/0/3 time: 3s job: 9 dft_time: 0"
echo "INFO: fuzzed for 3 seconds, wrapping up soon"
echo "INFO: exiting: 77 time: 3s"
exit 77
EOF
chmod +x "$tmp/fake_fuzzer"
mkdir -p "$tmp/corpus"
printf 'x' >"$tmp/corpus/seed"

out=$(PROGRESS_INTERVAL=1 bash ci/fuzz_run.sh --bin "$tmp/fake_fuzzer" --target fuzz_ops \
	--corpus "$tmp/corpus" --time 3 --work-root "$tmp/work" 2>&1)
status=$?
[ $status -eq 0 ] || no "fuzz_run.sh exited $status without --fail-on-crash"
grep -qE '^fuzz: [0-9]+s of 3s: 1234 execs \([0-9]+/s\), cov 100 ft 200 corpus 5, crashes 3$' <<<"$out" ||
	no "no progress line with the shared counters: $out"
grep -q '^total executions:  1234$' <<<"$out" || no "executions are not the shared count: $out"
series=$(ls "$tmp"/work/fuzz_ops-*/series.csv 2>/dev/null | head -n 1)
[ -n "$series" ] && head -n 1 "$series" | grep -qx 'seconds,execs,execs_per_s,cov,ft,corpus,crashes' &&
	grep -qE '^[0-9]+,1234,[0-9]+,100,200,5,3$' "$series" ||
	no "no series.csv of the progress figures: $(cat "$series" 2>/dev/null)"
grep -q '^operations run:    5678 allocator operations over 1234 inputs$' <<<"$out" ||
	no "operations are not the shared count: $out"
grep -q '^coverage:          cov 150 ft 321 corpus 17$' <<<"$out" || no "no coverage line: $out"
grep -q '3 crash/violation file(s), 2 distinct signature(s)' <<<"$out" || no "signatures not found: $out"
grep -qE '^ +2  fake-bug alloc$' <<<"$out" || no "the two fake-bug files are not one line: $out"
grep -q 'smallest: crash-2 (2 bytes)' <<<"$out" || no "not the smallest file: $out"
grep -q "reproduce: kbuddy repro --binary $tmp/work/.*/artifacts/crash-2 " <<<"$out" ||
	no "the reproduce command is not whole: $out"

out=$(bash ci/fuzz_run.sh --bin "$tmp/fake_fuzzer" --target fuzz_ops --corpus "$tmp/corpus" \
	--time 3 --work-root "$tmp/work" --fail-on-crash 2>&1)
status=$?
[ $status -eq 3 ] || no "--fail-on-crash exited $status, not 3: $out"

# make fuzz and make afl with BUG=: $(O)/kbuddy and the kbuddy the summary
# names are the mutant build's (the correct build's kbuddy would replay its
# crashes clean); FUZZ_CI=1 asks for --fail-on-crash. What make would run:
m=$(awk '!/^[ \t]*(#|$)/ { print $1; exit }' corpus/mutants/mutants.list)
plan=$(make -n --no-print-directory fuzz BUG="$m" O="$tmp/o" FUZZ_CI=1 2>&1 | sed -e :a -e '/\\$/N; s/\\\n//; ta')
bugdir=$(make -s --no-print-directory builddir BUG="$m" O="$tmp/o")
grep -qx "ln -sfn ${bugdir#$tmp/o/}/kbuddy $tmp/o/kbuddy" <<<"$plan" ||
	no "make fuzz BUG=$m does not point $tmp/o/kbuddy at $bugdir: $(grep 'ln -sfn' <<<"$plan")"
grep -qE "^bash ci/fuzz_run.sh .*--kbuddy $bugdir/kbuddy .*--fail-on-crash" <<<"$plan" ||
	no "make fuzz BUG=$m FUZZ_CI=1 does not give fuzz_run.sh the mutant's kbuddy and --fail-on-crash: $(grep fuzz_run.sh <<<"$plan")"
grep -q -- '--fail-on-crash' <<<"$(make -n --no-print-directory fuzz O="$tmp/o" 2>&1)" &&
	no "make fuzz without FUZZ_CI=1 fails on a crash"
plan=$(make -n --no-print-directory afl BUG="$m" O="$tmp/o" 2>&1)
grep -qx "ln -sfn ${bugdir#$tmp/o/}/kbuddy $tmp/o/kbuddy" <<<"$plan" ||
	no "make afl BUG=$m does not point $tmp/o/kbuddy at $bugdir: $(grep 'ln -sfn' <<<"$plan")"

# A plain (not -fork) run: libFuzzer's status lines have a tab after the
# count ("#27<TAB>INITED cov: ..."); progress and summary read them too.
cat >"$tmp/plain_fuzzer" <<'EOF'
#!/usr/bin/env bash
printf '#27\tINITED cov: 954 ft: 2775 corp: 24/6800b exec/s: 0 rss: 51Mb\n'
sleep 3
printf '#5000\tNEW    cov: 960 ft: 2900 corp: 30/9000b lim: 1025 exec/s: 1666 rss: 52Mb L: 217/1025 MS: 1 CustomCrossOver-\n'
echo "Done 5000 runs in 3 second(s)"
echo "stat::number_of_executed_units: 5000"
echo "stat::average_exec_per_sec:     1666"
EOF
chmod +x "$tmp/plain_fuzzer"
out=$(PROGRESS_INTERVAL=1 bash ci/fuzz_run.sh --bin "$tmp/plain_fuzzer" --target fuzz_ops \
	--corpus "$tmp/corpus" --time 3 --work-root "$tmp/plain" 2>&1)
grep -qE '^fuzz: [0-9]+s of 3s: 27 execs \([0-9]+/s\), cov 954 ft 2775 corpus 24, crashes 0$' <<<"$out" ||
	no "no progress line with the coverage of a plain run's status line: $out"
grep -q '^coverage:          cov 960 ft 2900 corpus 30$' <<<"$out" ||
	no "no coverage in a plain run's summary: $out"
grep -q '^total executions:  5000$' <<<"$out" || no "a plain run's executions: $out"

if [ "$failed" -gt 0 ]; then
	echo "check_fuzz_run: $failed failed"
	exit 1
fi
echo "check_fuzz_run: progress, counts, signatures, reproduce commands and CI exit hold"
