#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# One checked libFuzzer run on a fresh copy of a target's shipped corpus,
# with a progress line at least every 10 s (executions, execs/s, coverage,
# corpus, crashes), followed by ci/fuzz_summary.sh. A crash or checker
# violation is a result, not a failure: the exit status is 0 whenever the
# run completed, unless --fail-on-crash (make fuzz FUZZ_CI=1) makes a crash
# exit 3; 1 when the fuzzer could not run (see fuzz_summary.sh).
#
# usage: ci/fuzz_run.sh --bin FUZZER [--target NAME] [--kbuddy KBUDDY]
#                       [--time SECONDS] [--work-root DIR] [--corpus DIR]
#                       [--fail-on-crash] [-- extra libFuzzer flags]
#   --target     target name (default: the binary's name); its corpus is
#                corpus/NAME, its options fuzz/NAME.options, dict fuzz/NAME.dict
#   --kbuddy     kbuddy binary named in the reproduce commands
#   --time       seconds of fuzzing (default 60); 0 runs the corpus once
#   --work-root  where the run's work dir is made (default build/fuzz-work)
#   --fail-on-crash  exit 3 when the run found a crash or violation (CI)
# Environment: PROGRESS_INTERVAL seconds between progress lines (10).
#
# Flags: -timeout=10 -rss_limit_mb=2048 -max_len=8192, then the [libfuzzer]
# keys of NAME.options (they win), -dict=NAME.dict when present, then
# -max_total_time, -print_final_stats=1 and -artifact_prefix, always.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

bin='' target='' kbuddy='' corpus_src=''
fuzz_time=60 work_root=build/fuzz-work summary_flags=()
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--bin) bin=$2; shift 2 ;;
	--target) target=$2; shift 2 ;;
	--kbuddy) kbuddy=$2; shift 2 ;;
	--time) fuzz_time=$2; shift 2 ;;
	--work-root) work_root=$2; shift 2 ;;
	--corpus) corpus_src=$2; shift 2 ;;
	--fail-on-crash) summary_flags+=(--fail-on-crash); shift ;;
	--) shift; extra=("$@"); break ;;
	-h|--help) sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "fuzz_run.sh: unknown argument '$1' (see -h)" >&2; exit 2 ;;
	esac
done

abs() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }

if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	echo "fuzz_run.sh: fuzzer binary '${bin:-(none given)}' not found" \
		"(make fuzz-build builds one per fuzz/fuzz_*.c)" >&2
	exit 2
fi
case $fuzz_time in ''|*[!0-9]*)
	echo "fuzz_run.sh: --time must be whole seconds (got '$fuzz_time')" >&2; exit 2 ;;
esac
bin=$(abs "$bin")
target=${target:-$(basename "$bin")}
corpus_src=${corpus_src:-corpus/$target}
[ -n "$kbuddy" ] && kbuddy=$(abs "$kbuddy")

mkdir -p "$work_root" || exit 2
work=$(mktemp -d "$(abs "$work_root")/$target-$(date +%Y%m%d-%H%M%S)-XXXX") || exit 2
ln -sfn "$(basename "$work")" "$(abs "$work_root")/latest"
mkdir -p "$work/corpus" "$work/artifacts"
if [ -d "$corpus_src" ]; then
	cp -R "$corpus_src/." "$work/corpus/"
else
	echo "fuzz: no $corpus_src yet; starting from an empty corpus"
fi

flags=(-timeout=10 -rss_limit_mb=2048 -max_len=8192)
options=fuzz/$target.options
dict_given=0
. "$root/ci/libfuzzer_options.sh"
mapfile -t shipped < <(kb_libfuzzer_options "$options" "$root")
for f in "${shipped[@]}"; do
	case $f in -dict=*) dict_given=1 ;; esac
	flags+=("$f")
done
if [ $dict_given -eq 0 ] && [ -f "fuzz/$target.dict" ]; then
	flags+=("-dict=$root/fuzz/$target.dict")
fi
if [ "$fuzz_time" -eq 0 ]; then
	flags+=(-runs=0)
else
	flags+=("-max_total_time=$fuzz_time")
fi
flags+=(-print_final_stats=1 "-artifact_prefix=$work/artifacts/" "${extra[@]}")

count_files() { find "$1" -type f | wc -l; }
count_bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

{
	printf 'target=%q\n' "$target"
	printf 'bin=%q\n' "$bin"
	printf 'kbuddy=%q\n' "$kbuddy"
	printf 'fuzz_time=%q\n' "$fuzz_time"
	printf 'corpus_src=%q\n' "$corpus_src"
	printf 'before_files=%q\n' "$(count_files "$work/corpus")"
	printf 'before_bytes=%q\n' "$(count_bytes "$work/corpus")"
	printf 'fuzz_command=%q\n' "$bin ${flags[*]} $work/corpus"
} >"$work/run.info"

echo "fuzz: running $target for ${fuzz_time}s (log: $work/fuzz.log)"
interval=${PROGRESS_INTERVAL:-10}
case $interval in ''|*[!0-9]*|0) interval=10 ;; esac
start=$(date +%s)
# The outer limit only catches a fuzzer that ignores -max_total_time. The
# target adds its counters to run.stats (fuzz/run_stats.h), fork workers too.
(cd "$work" && KBUDDY_FUZZ_STATS=$work/run.stats exec timeout -k 30 $((fuzz_time + 600)) \
	"$bin" "${flags[@]}" "$work/corpus") >"$work/fuzz.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid"; exit 130' INT TERM
last=$start last_execs=0
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	now=$(date +%s)
	[ $((now - last)) -ge "$interval" ] || continue
	execs=$(bash "$root/ci/fuzz_progress.sh" execs "$work")
	rate=$(( (execs - last_execs) / (now - last) ))
	bash "$root/ci/fuzz_progress.sh" line "$work" "$((now - start))" "$fuzz_time" "$rate"
	bash "$root/ci/fuzz_progress.sh" csv "$work" "$((now - start))" "$rate"
	last=$now last_execs=$execs
done
wait "$pid"
status=$?
trap - INT TERM
end=$(date +%s)
if [ -s "$work/series.csv" ]; then	# the last row: the run's end
	execs=$(bash "$root/ci/fuzz_progress.sh" execs "$work")
	bash "$root/ci/fuzz_progress.sh" csv "$work" "$((end - start))" \
		"$(( (execs - last_execs) / (end > last ? end - last : 1) ))"
fi
{
	printf 'exit_status=%q\n' "$status"
	printf 'elapsed=%q\n' "$((end - start))"
} >>"$work/run.info"

exec bash "$root/ci/fuzz_summary.sh" "${summary_flags[@]}" "$work"
