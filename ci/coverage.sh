#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Source-based coverage (`make coverage`): which lines of kbuddy the
# corpora, the tests and (optionally) a fuzzing run execute.
#   1. the fuzz targets built as OSS-Fuzz's coverage build builds them
#      (.clusterfuzzlite/build.sh, SANITIZER=coverage: -fprofile-instr-
#      generate -fcoverage-mapping), replaying corpus/<target>, the
#      regression inputs and, with --time S, what S seconds of libFuzzer
#      per target added (the fast ASan builds of make fuzz-build fuzz; the
#      coverage build replays what they found);
#   2. the unit tests, scenarios and corpus runs of make test and make
#      regress, with the bad-input checks (ci/check_cli.sh,
#      ci/check_inputs.sh), on a coverage build of the tests and kbuddy;
# then llvm-profdata merges every profile and llvm-cov writes
#   OUT/html/index.html    the annotated sources
#   OUT/summary.txt        per file of core/, checkers/, machine/, ops/:
#                          lines, missed, %, the line ranges never run;
#                          the totals of core/ + checkers/ for the fuzz
#                          targets alone and for everything
# and prints summary.txt. Progress lines every 10 s.
#
# usage: ci/coverage.sh [--time SECONDS] [--out DIR] [--corpus TARGET=DIR]...
#   --out     default $O/coverage
#   --corpus  more inputs for a target to replay (the nightly's merged corpora)
# Environment (from make): O, MAKE. Exit 0 when every step ran.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

MAKE=${MAKE:-make}
O=${O:-build}
fuzz_time=0 out=
declare -A extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--time) fuzz_time=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--corpus)
		case $2 in *=*) ;; *) echo "coverage: --corpus takes TARGET=DIR" >&2; exit 2 ;; esac
		extra[${2%%=*}]="${extra[${2%%=*}]:-} $(cd "${2#*=}" && pwd)" || exit 2
		shift 2 ;;
	-h|--help) sed -n '3,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "coverage: unknown argument '$1' (see -h)" >&2; exit 2 ;;
	esac
done
case $fuzz_time in ''|*[!0-9]*) echo "coverage: --time takes whole seconds" >&2; exit 2 ;; esac
abs() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
O=$(abs "$O")
out=$(abs "${out:-$O/coverage}")
prof=$out/profiles
rm -rf "$prof" "$out/html" "$out/fuzzed"
mkdir -p "$prof"
say() { echo "coverage: $*"; }
step() {	# label log command...: a step with progress lines; its failure ends the run
	local label=$1 log=$2
	shift 2
	say "$label"
	if ! bash ci/with_progress.sh "$label" "$log" "$@"; then
		say "$label failed (see $log):"
		tail -n 15 "$log" | sed 's/^/  | /'
		exit 1
	fi
}

major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
profdata=$(command -v "llvm-profdata-$major" || command -v llvm-profdata) ||
	{ say "llvm-profdata not found (bash ci/setup.sh installs llvm-$major)"; exit 1; }
llvmcov=$(command -v "llvm-cov-$major" || command -v llvm-cov) ||
	{ say "llvm-cov not found (bash ci/setup.sh installs llvm-$major)"; exit 1; }

# --- 1. the fuzz targets ---------------------------------------------
. ci/oss_fuzz_env.sh
fuzzdir=$out/fuzz
mkdir -p "$fuzzdir"
step "building the fuzz targets (OSS-Fuzz coverage build)" "$fuzzdir/build.log" \
	env -i PATH="$PATH" HOME="${HOME:-/}" bash -c \
	". ci/oss_fuzz_env.sh && oss_fuzz_env libfuzzer coverage '$fuzzdir' && bash .clusterfuzzlite/build.sh"
targets=()
for src in fuzz/fuzz_*.c; do targets+=("$(basename "$src" .c)"); done

if [ "$fuzz_time" -gt 0 ]; then
	step "building the fuzzers for --time $fuzz_time (make fuzz-build)" "$out/fuzz-build.log" \
		"$MAKE" --no-print-directory fuzz-build O="$O"
	fdir=$("$MAKE" -s --no-print-directory builddir O="$O" | sed 's|/\([^/]*\)$|/fuzz-\1|')
	for t in "${targets[@]}"; do
		say "fuzzing $t for ${fuzz_time}s"
		bash ci/fuzz_run.sh --bin "$fdir/$t" --target "$t" --time "$fuzz_time" \
			--work-root "$out/fuzzed" >"$out/fuzz-$t.log" 2>&1
		grep '^fuzz: [0-9]*s of' "$out/fuzz-$t.log" | tail -n 1 | sed 's/^/  /'
		w=$(readlink -f "$out/fuzzed/latest")
		mkdir -p "$out/fuzzed/corpus-$t"
		[ -d "$w/corpus" ] && cp -n "$w/corpus"/* "$out/fuzzed/corpus-$t/" 2>/dev/null
	done
fi

for t in "${targets[@]}"; do
	inputs=("corpus/$t")
	case $t in
	fuzz_ops) [ -d corpus/regression ] && inputs+=(corpus/regression) ;;
	fuzz_boot) [ -d corpus/regression/fuzz_boot ] && inputs+=(corpus/regression/fuzz_boot) ;;
	esac
	[ -d "$out/fuzzed/corpus-$t" ] && inputs+=("$out/fuzzed/corpus-$t")
	# shellcheck disable=SC2206
	[ -n "${extra[$t]:-}" ] && inputs+=(${extra[$t]})
	# a regression directory holds .txt and .why files too: the binaries only
	files=$(find "${inputs[@]}" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.why' | wc -l)
	rm -rf "$fuzzdir/replay-$t"
	mkdir -p "$fuzzdir/replay-$t"
	find "${inputs[@]}" -maxdepth 1 -type f ! -name '*.txt' ! -name '*.why' \
		-exec cp {} "$fuzzdir/replay-$t/" \;
	step "replaying $files $t inputs" "$fuzzdir/replay-$t.log" \
		env LLVM_PROFILE_FILE="$prof/fuzz-$t-%p.profraw" \
		UBSAN_OPTIONS=silence_unsigned_overflow=1 \
		"$fuzzdir/out/$t" -runs=0 -rss_limit_mb=2048 -timeout=30 "$fuzzdir/replay-$t"
done

# --- 2. the tests ----------------------------------------------------
covO=$out/tests
covflags="-fprofile-instr-generate -fcoverage-mapping"
make_cov=("$MAKE" --no-print-directory O="$covO" CC=clang SAN=none
	EXTRA_CFLAGS="$covflags" EXTRA_LDFLAGS="-fprofile-instr-generate")
step "building the tests and kbuddy with coverage" "$out/tests-build.log" "${make_cov[@]}" build
bdir=$(abs "$("${make_cov[@]}" -s builddir)")
export LLVM_PROFILE_FILE="$prof/test-%p.profraw"
step "unit tests, scenarios, corpus runs" "$out/tests-run.log" \
	bash tests/run_tests.sh -b "$bdir" -s unit,scenario,corpus
for c in ci/check_cli.sh ci/check_inputs.sh; do
	step "$c" "$out/$(basename "$c" .sh).log" env KBUDDY="$bdir/kbuddy" bash "$c"
done
unset LLVM_PROFILE_FILE

# --- 3. the report ---------------------------------------------------
say "merging $(find "$prof" -name '*.profraw' | wc -l) profiles"
"$profdata" merge -sparse "$prof"/fuzz-*.profraw -o "$out/fuzz.profdata" || exit 1
"$profdata" merge -sparse "$prof"/*.profraw -o "$out/all.profdata" || exit 1
fuzz_objs=()
for t in "${targets[@]}"; do fuzz_objs+=(-object "$fuzzdir/out/$t"); done
all_objs=("${fuzz_objs[@]}" -object "$bdir/kbuddy")
for b in "$bdir"/tests/test_*; do [ -x "$b" ] && all_objs+=(-object "$b"); done
# paths as compiled: relative to the tree (make) or absolute (build.sh)
report_files=("$root"/core "$root"/checkers "$root"/machine "$root"/ops)

"$llvmcov" show -format=html -output-dir="$out/html" -instr-profile="$out/all.profdata" \
	-show-line-counts-or-regions -ignore-filename-regex='(^|/)(tests|fuzz|tools|bench)/' \
	"${all_objs[@]:1}" >/dev/null 2>"$out/html.log" ||
	{ say "llvm-cov show failed: $(tail -n 3 "$out/html.log")"; exit 1; }
"$llvmcov" export -format=lcov -instr-profile="$out/all.profdata" "${all_objs[@]:1}" \
	>"$out/all.lcov" 2>>"$out/html.log"
"$llvmcov" export -format=lcov -instr-profile="$out/fuzz.profdata" "${fuzz_objs[@]:1}" \
	>"$out/fuzz.lcov" 2>>"$out/html.log"

python3 ci/coverage_summary.py --root "$root" --all "$out/all.lcov" --fuzz "$out/fuzz.lcov" \
	--html "$out/html/index.html" >"$out/summary.txt" || exit 1
cat "$out/summary.txt"
