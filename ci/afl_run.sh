#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs AFL++ on one target for a given time: a main instance (-M, the plain
# build, with the CMPLOG build as -c, and for fuzz_ops the record-level
# custom mutator) and a secondary instance (-S, the ASan+UBSan build), on
# one shared output directory, starting from the target's shipped corpus.
# Prints the progress of both every 10 s (PROGRESS_INTERVAL seconds), and
# at the end each instance's execs/s, stability, coverage and crashes (from
# fuzzer_stats) and the triage command of the kbuddy built like the
# fuzzers (a BUG= build's own: make afl builds it).
#
# Progress: this afl-fuzz (4.04c) writes fuzzer_stats and plot_data only
# when it starts and when it stops, so while it runs the figures come from
# elsewhere: executions from the target's own shared counters
# (KBUDDY_FUZZ_STATS, fuzz/run_stats.h: one file per instance, which the
# CMPLOG build of the main instance adds to as well), the queue and the
# crashes from the output directory. They are also written, every 10 s, to
# OUT/<instance>.series.csv (seconds,execs,execs_per_s,queue,new_coverage,
# crashes), which the nightly report plots.
#
# usage: ci/afl_run.sh --target NAME [--time SECONDS] [--build DIR]
#                      [--out DIR] [--corpus DIR] [--no-secondary]
#                      [--kbuddy KBUDDY]
#   --build   the ci/afl_build.sh output (default: $O/afl-L$CHECK_LEVEL...)
#   --kbuddy  the kbuddy the triage command names (default: the one make
#             builds for the same O, CHECK_LEVEL, BUG and PROFILE)
#   --out     afl-fuzz output dir (default build/afl-work/NAME-<time>)
# Crashes land in OUT/main/crashes and OUT/secondary/crashes:
#   build/kbuddy triage OUT      (add --boot for fuzz_boot)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

O=${O:-build}
CHECK_LEVEL=${CHECK_LEVEL:-2}
BUG=${BUG:-}
PROFILE=${PROFILE:-mainline}
target='' fuzz_time=60 build='' out='' corpus='' secondary=1 kbuddy=''
while [ $# -gt 0 ]; do
	case $1 in
	--target) target=$2; shift 2 ;;
	--time) fuzz_time=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--corpus) corpus=$2; shift 2 ;;
	--no-secondary) secondary=0; shift ;;
	--kbuddy) kbuddy=$2; shift 2 ;;
	-h|--help) sed -n '3,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "afl_run.sh: unknown argument '$1' (see -h)" >&2; exit 2 ;;
	esac
done
[ -n "$target" ] || { echo "afl_run.sh: --target is required" >&2; exit 2; }
case $fuzz_time in ''|*[!0-9]*|0)
	echo "afl_run.sh: --time must be whole seconds above 0" >&2; exit 2 ;;
esac
if [ -z "$build" ]; then
	build=$O/afl-L$CHECK_LEVEL${BUG:+-bug-$BUG}
	[ "$PROFILE" != mainline ] && build=$build-p$PROFILE
fi
for v in plain asan cmplog; do
	if [ ! -x "$build/$v/$target" ]; then
		echo "afl_run.sh: $build/$v/$target not built (make afl)" >&2
		exit 2
	fi
done
# The kbuddy of the build that fuzzes: a BUG= build's own, or triage would
# replay its crashes on the correct allocator and find them clean.
if [ -z "$kbuddy" ]; then
	kbuddy=$(make -s --no-print-directory builddir O="$O" CHECK_LEVEL="$CHECK_LEVEL" \
		BUG="$BUG" PROFILE="$PROFILE" 2>/dev/null)/kbuddy
fi
case $kbuddy in /*) ;; *) kbuddy=$(pwd)/$kbuddy ;; esac
interval=${PROGRESS_INTERVAL:-10}
case $interval in ''|*[!0-9]*|0) interval=10 ;; esac
out=${out:-build/afl-work/$target-$(date +%Y%m%d-%H%M%S)}
corpus=${corpus:-corpus/$target}
mkdir -p "$out" || exit 2
in=$out/.in
mkdir -p "$in"
if [ -d "$corpus" ] && [ -n "$(ls -A "$corpus" 2>/dev/null)" ]; then
	cp "$corpus"/* "$in"/
else
	printf '\0' >"$in/empty"
fi

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1 AFL_ALLOW_TMP=1 AFL_SKIP_CRASHES=1
# Sanitizer crashes must abort so afl-fuzz sees them.
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=0
max_len=$(sed -n 's/^[[:space:]]*max_len[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' \
	"fuzz/$target.options" 2>/dev/null | head -n 1)
dict=()
[ -f "fuzz/$target.dict" ] && dict=(-x "fuzz/$target.dict")
main_env=()
if [ "$target" = fuzz_ops ] && [ -f "$build/afl_mutator.so" ]; then
	main_env=(AFL_CUSTOM_MUTATOR_LIBRARY="$(cd "$build" && pwd)/afl_mutator.so")
fi

common=(-i "$in" -o "$out" -t 10000 -m none -V "$fuzz_time" "${dict[@]}")
[ -n "$max_len" ] && common+=(-G "$max_len")
echo "afl: $target for ${fuzz_time}s: main (plain + cmplog${main_env:+ + custom mutator})$([ $secondary = 1 ] && echo ', secondary (asan)') -> $out"
env "${main_env[@]}" KBUDDY_FUZZ_STATS="$out/main.stats" afl-fuzz "${common[@]}" -M main \
	-c "$build/cmplog/$target" -- "$build/plain/$target" >"$out/main.log" 2>&1 &
pids=($!)
instances=(main)
if [ $secondary = 1 ]; then
	KBUDDY_FUZZ_STATS="$out/secondary.stats" afl-fuzz "${common[@]}" -S secondary \
		-- "$build/asan/$target" >"$out/secondary.log" 2>&1 &
	pids+=($!)
	instances+=(secondary)
fi

stat() {	# instance key
	sed -n "s/^$2[[:space:]]*: //p" "$out/$1/fuzzer_stats" 2>/dev/null | head -n 1
}
running() {
	local p
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done
	return 1
}
# executions an instance's target ran so far (its shared counters)
execs_of() {
	local n
	n=$(od -An -t u8 -j 8 -N 8 "$out/$1.stats" 2>/dev/null | tr -d ' ')
	echo "${n:-0}"
}
count_ids() { find "$1" -maxdepth 1 -name 'id:*' 2>/dev/null | wc -l; }
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM
start=$(date +%s)
declare -A last_execs=()
last=$start
while running; do
	sleep 1
	now=$(date +%s)
	[ $((now - last)) -ge "$interval" ] || continue
	for i in "${instances[@]}"; do
		e=$(execs_of "$i")
		rate=$(( (e - ${last_execs[$i]:-0}) / (now - last) ))
		q=$(count_ids "$out/$i/queue")
		nc=$(find "$out/$i/queue" -maxdepth 1 -name 'id:*+cov*' 2>/dev/null | wc -l)
		cr=$(count_ids "$out/$i/crashes")
		printf 'afl: %4ss %-9s execs %-10s %7s/s  queue %-5s (%s new coverage)  crashes %s\n' \
			$((now - start)) "$i" "$e" "$rate" "$q" "$nc" "$cr"
		# the same as a time series (the nightly report plots it)
		[ -s "$out/$i.series.csv" ] ||
			echo "seconds,execs,execs_per_s,queue,new_coverage,crashes" >"$out/$i.series.csv"
		echo "$((now - start)),$e,$rate,$q,$nc,$cr" >>"$out/$i.series.csv"
		last_execs[$i]=$e
	done
	last=$now
done
wait
# the last row of each series: the run's end
now=$(date +%s)
for i in "${instances[@]}"; do
	[ -s "$out/$i.series.csv" ] || continue
	e=$(execs_of "$i")
	echo "$((now - start)),$e,$(( (e - ${last_execs[$i]:-0}) / (now > last ? now - last : 1) )),$(count_ids "$out/$i/queue"),$(find "$out/$i/queue" -maxdepth 1 -name 'id:*+cov*' 2>/dev/null | wc -l),$(count_ids "$out/$i/crashes")" \
		>>"$out/$i.series.csv"
done

status=0
echo
echo "==== AFL++ summary: $target (${fuzz_time}s) ===="
for i in main secondary; do
	[ $i = secondary ] && [ $secondary = 0 ] && continue
	if [ ! -f "$out/$i/fuzzer_stats" ]; then
		echo "$i: did not start; last lines of $out/$i.log:"
		tail -n 20 "$out/$i.log" | sed 's/^/  | /'
		status=1
		continue
	fi
	execs=$(stat $i execs_done)
	secs=$(( $(stat $i last_update) - $(stat $i start_time) ))
	printf '%-10s execs %s (%s/s over %ss)  stability %s  coverage %s  corpus %s  crashes %s  hangs %s\n' \
		"$i:" "$execs" "$([ "$secs" -gt 0 ] && echo $((execs / secs)) || stat $i execs_per_sec)" \
		"$secs" "$(stat $i stability)" "$(stat $i bitmap_cvg)" "$(stat $i corpus_count)" \
		"$(stat $i saved_crashes)" "$(stat $i saved_hangs)"
done
triage="$kbuddy triage$([ "$target" = fuzz_boot ] && echo ' --target fuzz_boot') $(cd "$out" && pwd)"
[ -x "$kbuddy" ] || triage="$triage   (kbuddy is not built: make kbuddy${BUG:+ BUG=$BUG})"
echo "output: $out"
echo "triage: $triage"
exit $status
