#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The OSS-Fuzz / ClusterFuzzLite build without docker: .clusterfuzzlite/
# build.sh runs with the environment the builder image's compile step sets
# for each mode below (ci/oss_fuzz_env.sh: CC CXX CFLAGS CXXFLAGS
# LIB_FUZZING_ENGINE SANITIZER FUZZING_ENGINE SRC OUT WORK, flags composed
# as the image composes them), then checks $OUT and runs every binary on
# its seed corpus:
#   libfuzzer-address    libFuzzer, AddressSanitizer
#   libfuzzer-undefined  libFuzzer, UndefinedBehaviorSanitizer (OSS-Fuzz's set)
#   afl-address          AFL++ (afl-clang-fast, libAFLDriver.a), ASan
#   libfuzzer-coverage   source-based coverage (SANITIZER=coverage): the
#                        replay must write a profile llvm-cov can read
#   libfuzzer-memory     MemorySanitizer (only with --memory: the nightly)
# In $OUT every target must have its binary, T.options, T.dict and a
# T_seed_corpus.zip whose entries are named by the sha1 of their bytes.
# usage: ci/check_oss_fuzz.sh [--memory] [--modes "m1 m2"] [--out DIR]
#   --out  where each mode's OUT and WORK go (default $O/oss-fuzz, kept, so
#          a second run compiles only what changed)
# Run by tests/run_tests.sh; exit 0 when every mode built and ran clean.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

modes="libfuzzer-address libfuzzer-undefined afl-address libfuzzer-coverage"
base=${O:-$(dirname "${BUILD_DIR:-build/.}")}/oss-fuzz
while [ $# -gt 0 ]; do
	case $1 in
	--memory) modes="$modes libfuzzer-memory"; shift ;;
	--modes) modes=$2; shift 2 ;;
	--out) base=$2; shift 2 ;;
	-h|--help) sed -n '3,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "check_oss_fuzz: unknown argument '$1' (see -h)" >&2; exit 2 ;;
	esac
done
case $base in /*) ;; *) base=$root/$base ;; esac
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

. ci/oss_fuzz_env.sh

# clang's own llvm tools (their profile format must match the compiler's)
major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
profdata=$(command -v "llvm-profdata-$major" || command -v llvm-profdata)
llvmcov=$(command -v "llvm-cov-$major" || command -v llvm-cov)

# Unzips a seed corpus into dir; checks the entries are named by their sha1.
unzip_seeds() {	# zip dir
	python3 - "$1" "$2" <<'PY'
import hashlib, os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
if not names:
    sys.exit("no seeds in " + sys.argv[1])
for n in names:
    data = z.read(n)
    if hashlib.sha1(data).hexdigest() != n:
        sys.exit("%s: entry %s is not named by the sha1 of its bytes" % (sys.argv[1], n))
    open(os.path.join(sys.argv[2], n), "wb").write(data)
PY
}

# The ClusterFuzzLite files: the project, and one workflow per mode it
# documents (code-change on pull requests, continuous builds, nightly
# batch fuzzing, pruning and coverage), each through the two actions.
grep -qx 'language: c' .clusterfuzzlite/project.yaml || no ".clusterfuzzlite/project.yaml does not say 'language: c'"
grep -q '^FROM gcr.io/oss-fuzz-base/base-builder' .clusterfuzzlite/Dockerfile ||
	no ".clusterfuzzlite/Dockerfile is not built on the OSS-Fuzz base-builder"
for pair in "cflite_pr:mode: 'code-change'" "cflite_build:upload-build: true" \
	"cflite_batch:mode: 'batch'" "cflite_cron:mode: 'prune'" "cflite_cron:mode: 'coverage'"; do
	f=.github/workflows/${pair%%:*}.yml
	grep -qF "${pair#*:}" "$f" 2>/dev/null || no "$f does not hold \"${pair#*:}\""
	grep -q 'google/clusterfuzzlite/actions/build_fuzzers@v1' "$f" 2>/dev/null ||
		no "$f does not build with google/clusterfuzzlite/actions/build_fuzzers@v1"
done

for mode in $modes; do
	engine=${mode%%-*} san=${mode#*-}
	dir=$base/$mode
	rm -rf "$dir/out" "$dir/seeds" "$dir/profiles"
	mkdir -p "$dir/out" "$dir/work"
	echo "progress: $mode: build.sh"
	if ! (oss_fuzz_env "$engine" "$san" "$dir" && bash .clusterfuzzlite/build.sh) >"$dir/build.log" 2>&1; then
		no "$mode: build.sh failed: $(tail -n 5 "$dir/build.log")"
		continue
	fi
	for src in fuzz/fuzz_*.c; do
		t=$(basename "$src" .c)
		for f in "$t" "$t.options" "$t.dict" "${t}_seed_corpus.zip"; do
			[ -s "$dir/out/$f" ] || no "$mode: \$OUT has no $f"
		done
		[ -x "$dir/out/$t" ] || continue
		mkdir -p "$dir/seeds/$t"
		unzip_seeds "$dir/out/${t}_seed_corpus.zip" "$dir/seeds/$t" || { no "$mode: $t seeds"; continue; }
		n=$(find "$dir/seeds/$t" -type f | wc -l)
		echo "progress: $mode: $t on $n seeds"
		log=$dir/run-$t.log
		case $engine in
		afl)	# libAFLDriver runs the files it is given, outside afl-fuzz
			ASAN_OPTIONS=detect_leaks=1 "$dir/out/$t" "$dir/seeds/$t"/* >"$log" 2>&1 ;;
		*)	UBSAN_OPTIONS=silence_unsigned_overflow=1:print_stacktrace=1 \
			LLVM_PROFILE_FILE=$dir/profiles/$t-%p.profraw \
			"$dir/out/$t" -runs=0 "$dir/seeds/$t" >"$log" 2>&1 ;;
		esac
		status=$?
		[ $status -eq 0 ] || no "$mode: $t exited $status on its seeds: $(tail -n 5 "$log")"
		if grep -q "ERROR: [A-Za-z]*Sanitizer\|runtime error:\|KBUDDY-SIGNATURE" "$log"; then
			no "$mode: $t reported on its seeds: $(grep -m 3 "ERROR\|runtime error\|KBUDDY-SIG" "$log")"
		fi
	done
	if [ "$san" = coverage ]; then
		# the replay's profiles: merged and read back with the binaries' maps
		if ! "$profdata" merge -sparse "$dir"/profiles/*.profraw -o "$dir/all.profdata" 2>"$dir/cov.log"; then
			no "$mode: llvm-profdata could not merge the profiles: $(tail -n 3 "$dir/cov.log")"
		else
			objs=()
			for src in fuzz/fuzz_*.c; do objs+=(-object "$dir/out/$(basename "$src" .c)"); done
			total=$("$llvmcov" report -instr-profile="$dir/all.profdata" "${objs[@]}" 2>>"$dir/cov.log" |
				awk '$1 == "TOTAL" { print $10 }')
			case ${total%\%} in
			''|*[!0-9.]*) no "$mode: llvm-cov read no coverage: $(tail -n 3 "$dir/cov.log")" ;;
			*) echo "$mode: the seed corpora cover ${total} of the lines" ;;
			esac
			# make coverage's table reads the same export
			"$llvmcov" export -format=lcov -instr-profile="$dir/all.profdata" "${objs[@]:1}" \
				>"$dir/all.lcov" 2>>"$dir/cov.log"
			python3 ci/coverage_summary.py --root "$root" --all "$dir/all.lcov" \
				--fuzz "$dir/all.lcov" >"$dir/summary.txt" 2>>"$dir/cov.log"
			grep -qE '^TOTAL core/ \+ checkers/ +[0-9]+ +[0-9]+ +[0-9.]+% ' "$dir/summary.txt" &&
				grep -qE '^core/alloc\.c +[0-9]+ ' "$dir/summary.txt" ||
				no "$mode: ci/coverage_summary.py gave no per-file table: $(head -n 5 "$dir/summary.txt")"
		fi
	fi
	echo "ok    $mode"
done

if [ "$failed" -gt 0 ]; then
	echo "check_oss_fuzz: $failed failed"
	exit 1
fi
echo "check_oss_fuzz: build.sh built and ran every target in: $modes"
