#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs kbuddy's test suite against one build directory and adds it all up:
#   unit      every tests/test_* binary (its own "N passed, N failed" counts)
#   scenario  every tests/scenarios/*.ops through `kbuddy scenario FILE`
#   corpus    every corpus/fuzz_ops file and corpus/regression/*.bin through
#             `kbuddy run --quiet --binary FILE` (exit 0 = no violation)
#   checks    every ci/check_*.sh (exit 0 = pass)
# Each scenario, corpus file, check script and -r result is one item.
# An item running longer than 10 s gets a line every 10 s with its last
# "progress: " line (ci/with_progress.sh). Failures are shown with their
# output at the end; the last line is "N passed, N failed". Exits non-zero
# if anything failed or nothing ran.
#
# usage: tests/run_tests.sh [-b BUILD_DIR] [-s SECTIONS] [-v]
#                           [-r NAME STATUS_FILE LOG_FILE]...
#   -b  build directory holding kbuddy and tests/ (default: make builddir)
#   -s  comma-separated sections (default unit,scenario,corpus,checks)
#   -r  count an earlier step (e.g. make warnings) as one item: passed when
#       STATUS_FILE holds 0, else failed with LOG_FILE as its output
#   -v  list every item as it runs
# Environment (seconds): TEST_TIMEOUT per test binary (default 300),
#   ITEM_TIMEOUT per scenario or corpus file (60), CHECK_TIMEOUT per script (600).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

build_dir=
sections=unit,scenario,corpus,checks
verbose=0
results=()
while [ $# -gt 0 ]; do
	case $1 in
	-b) build_dir=$2; shift 2 ;;
	-s) sections=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	-r) results+=("$2" "$3" "$4"); shift 4 ;;
	-h|--help) sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run_tests.sh: unknown argument '$1' (see -h)" >&2; exit 2 ;;
	esac
done
if [ -z "$build_dir" ]; then
	build_dir=$(make -s --no-print-directory builddir) || exit 2
fi
case $build_dir in /*) ;; *) build_dir=$root/$build_dir ;; esac

test_timeout=${TEST_TIMEOUT:-300}
item_timeout=${ITEM_TIMEOUT:-60}
check_timeout=${CHECK_TIMEOUT:-600}
kbuddy=$build_dir/kbuddy
logdir=$build_dir/test-logs
rm -rf "$logdir"
mkdir -p "$logdir" || exit 2
failures=$logdir/failures.txt
: >"$failures"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:print_summary=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KBUDDY=$kbuddy BUILD_DIR=$build_dir

passed=0
failed=0
ran=0		# items, -r results included
tests_ran=0	# items of the sections (what "nothing ran" is about)

want() { case ",$sections," in *",$1,"*) return 0 ;; esac; return 1; }

# Keep a failure's output, trimmed to what fits on a screen.
record_failure() {	# name log reason
	{
		echo "---- FAIL: $1${3:+ ($3)}"
		local n
		n=$(wc -l <"$2")
		if [ "$n" -le 100 ]; then
			cat "$2"
		else
			head -n 50 "$2"
			echo "[... $((n - 100)) lines left out; full output: $2 ...]"
			tail -n 50 "$2"
		fi
	} >>"$failures"
}

# One pass/fail item: name, time limit, then the command; output to a log.
run_item() {
	local name=$1 limit=$2 log status
	shift 2
	log=$logdir/item-$((ran + 1)).log
	ran=$((ran + 1))
	tests_ran=$((tests_ran + 1))
	bash ci/with_progress.sh "$name" "$log" timeout -k 5 "$limit" "$@"
	status=$?
	if [ $status -eq 0 ]; then
		passed=$((passed + 1))
		[ $verbose -eq 1 ] && echo "  ok    $name"
	else
		failed=$((failed + 1))
		local why="exit $status"
		[ $status -eq 124 ] && why="timed out after ${limit}s"
		echo "  FAIL  $name ($why)"
		record_failure "$name" "$log" "$why"
	fi
	return 0
}

section_line() {	# label passed-before failed-before
	printf '%-9s %s passed, %s failed\n' "$1" $((passed - $2)) $((failed - $3))
}

# Results of steps that ran before this script (make warnings, make build).
i=0
while [ $i -lt ${#results[@]} ]; do
	name=${results[$i]} status_file=${results[$((i + 1))]} log=${results[$((i + 2))]}
	i=$((i + 3))
	ran=$((ran + 1))
	status=$(cat "$status_file" 2>/dev/null || echo missing)
	if [ "$status" = 0 ]; then
		passed=$((passed + 1))
		printf '%-9s ok\n' "$name:"
	else
		failed=$((failed + 1))
		printf '%-9s FAILED (exit %s)\n' "$name:" "$status"
		[ -f "$log" ] || { log=$logdir/none.log; echo "(no output)" >"$log"; }
		record_failure "$name" "$log" "exit $status"
	fi
done

if want unit; then
	shopt -s nullglob
	for src in tests/test_*.c; do
		t=$(basename "$src" .c)
		bin=$build_dir/tests/$t
		log=$logdir/$t.log
		ran=$((ran + 1))
		tests_ran=$((tests_ran + 1))
		if [ ! -x "$bin" ]; then
			failed=$((failed + 1))
			echo "unit      $t: not built"
			echo "$bin does not exist: see the build output" >"$log"
			record_failure "$t" "$log" "not built"
			continue
		fi
		bash ci/with_progress.sh "$t" "$log" timeout -k 5 "$test_timeout" "$bin"
		status=$?
		line=$(grep -E ': [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
		if [ -n "$line" ]; then
			p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$line")
			f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")
		else
			p=0 f=0
		fi
		why=
		if [ $status -ne 0 ] && [ "$f" -eq 0 ]; then
			# Crashed, leaked or timed out outside any one test.
			f=1
			why="exit $status"
			[ $status -eq 124 ] && why="timed out after ${test_timeout}s"
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		printf 'unit      %s: %s passed, %s failed%s\n' "$t" "$p" "$f" "${why:+ ($why)}"
		[ "$f" -ne 0 ] && record_failure "$t" "$log" "$why"
	done
	shopt -u nullglob
fi

# Items that need kbuddy: fail each one clearly when it was not built.
need_kbuddy() {
	[ -x "$kbuddy" ] && return 0
	ran=$((ran + 1))
	tests_ran=$((tests_ran + 1))
	failed=$((failed + 1))
	echo "$1: kbuddy not built ($kbuddy), $2 item(s) not run"
	echo "$kbuddy does not exist: see the build output" >"$logdir/no-kbuddy.log"
	record_failure "$1 (all $2)" "$logdir/no-kbuddy.log" "kbuddy not built"
	return 1
}

if want scenario; then
	shopt -s nullglob
	files=(tests/scenarios/*.ops)
	shopt -u nullglob
	if [ ${#files[@]} -gt 0 ] && need_kbuddy scenario ${#files[@]}; then
		p0=$passed f0=$failed
		for f in "${files[@]}"; do
			run_item "scenario $f" "$item_timeout" "$kbuddy" scenario "$f"
		done
		section_line scenario $p0 $f0
	fi
fi

if want corpus; then
	files=()
	[ -d corpus/fuzz_ops ] &&
		mapfile -t files < <(find corpus/fuzz_ops -type f | LC_ALL=C sort)
	shopt -s nullglob
	files+=(corpus/regression/*.bin)
	shopt -u nullglob
	if [ ${#files[@]} -gt 0 ] && need_kbuddy corpus ${#files[@]}; then
		p0=$passed f0=$failed
		for f in "${files[@]}"; do
			run_item "corpus $f" "$item_timeout" "$kbuddy" run --quiet --binary "$f"
		done
		section_line corpus $p0 $f0
	fi
fi

if want checks; then
	shopt -s nullglob
	files=(ci/check_*.sh)
	shopt -u nullglob
	if [ ${#files[@]} -gt 0 ]; then
		p0=$passed f0=$failed
		for f in "${files[@]}"; do
			run_item "$f" "$check_timeout" bash "$f"
		done
		section_line checks $p0 $f0
	fi
fi

if [ -s "$failures" ]; then
	echo
	echo "==== failures ===="
	cat "$failures"
	echo "==== (logs in $logdir)"
fi
if [ $tests_ran -eq 0 ]; then
	echo "run_tests.sh: no test ran (sections: $sections): counted as a failure"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $tests_ran -gt 0 ]
