#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# AFL++ builds of every fuzz/fuzz_*.c target (`make afl` runs this): the
# libFuzzer entry points linked with afl-clang-fast -fsanitize=fuzzer, which
# uses AFL++'s libAFLDriver (persistent mode, test cases in shared memory).
# Three builds per target:
#   plain   no sanitizer: the fast main instance
#   asan    AddressSanitizer + UndefinedBehaviorSanitizer (AFL_USE_ASAN,
#           AFL_USE_UBSAN: UB traps without a report; replay such crashes
#           with the libFuzzer build or `kbuddy repro` for the text)
#   cmplog  AFL_LLVM_CMPLOG=1, given to the main instance with -c
# and fuzz/afl_mutator.c as afl_mutator.so (the record-level mutator).
#
# Output: $O/afl-L<level>[-bug-<name>][-p<profile>]/{plain,asan,cmplog}/<target>
# and .../afl_mutator.so. Sources are recompiled only when one is newer
# than the build's library.
#
# Environment (from make): O, CHECK_LEVEL, BUG, PROFILE.
set -euo pipefail
cd "$(dirname "$0")/.."

O=${O:-build}
CHECK_LEVEL=${CHECK_LEVEL:-2}
BUG=${BUG:-}
PROFILE=${PROFILE:-mainline}
AFL_CC=${AFL_CC:-afl-clang-fast}

if ! command -v "$AFL_CC" >/dev/null; then
	echo "afl_build.sh: $AFL_CC not found (make setup installs afl++)" >&2
	exit 2
fi

macro() { printf '%s' "$1" | tr -- '-.' '__'; }
defs=(-DKB_CHECK_LEVEL="$CHECK_LEVEL" -DKB_PROFILE_"$(macro "$PROFILE")"=1
      -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
tag=afl-L$CHECK_LEVEL
if [ -n "$BUG" ]; then
	defs+=(-DKB_BUG_"$(macro "$BUG")"=1 "-DKB_BUG_NAME=\"$BUG\"")
	tag=$tag-bug-$BUG
fi
[ "$PROFILE" != mainline ] && tag=$tag-p$PROFILE
out=$O/$tag
cflags=(-std=gnu11 -O2 -g -fno-omit-frame-pointer -Icore -Iops -Icheckers -Imachine "${defs[@]}")

lib_srcs=(core/*.c machine/*.c ops/*.c checkers/*.c)
support_srcs=()
for f in fuzz/*.c; do
	case $(basename "$f") in fuzz_*|afl_*) ;; *) support_srcs+=("$f") ;; esac
done
targets=()
for f in fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done

newer_than() {	# file sources...: true when a source (or a header) is newer
	local ref=$1 s
	shift
	[ -f "$ref" ] || return 0
	for s in "$@" core/*.h machine/*.h ops/*.h checkers/*.h fuzz/*.h "$0"; do
		[ "$s" -nt "$ref" ] && return 0
	done
	return 1
}

build_variant() {	# name, then environment assignments for afl-clang-fast
	local name=$1 dir=$out/$1 f o objs=()
	shift
	mkdir -p "$dir/obj"
	if newer_than "$dir/libkbuddy.a" "${lib_srcs[@]}" "${support_srcs[@]}"; then
		echo "afl: compiling the library ($name)"
		for f in "${lib_srcs[@]}" "${support_srcs[@]}"; do
			o=$dir/obj/$(echo "${f%.c}" | tr / _).o
			env "$@" AFL_QUIET=1 "$AFL_CC" "${cflags[@]}" -c "$f" -o "$o"
			objs+=("$o")
		done
		rm -f "$dir/libkbuddy.a"
		ar rcs "$dir/libkbuddy.a" "${objs[@]}"
	fi
	for t in "${targets[@]}"; do
		if newer_than "$dir/$t" "fuzz/$t.c" "$dir/libkbuddy.a"; then
			echo "afl: linking $dir/$t"
			env "$@" AFL_QUIET=1 "$AFL_CC" "${cflags[@]}" -fsanitize=fuzzer \
				"fuzz/$t.c" "$dir/libkbuddy.a" -lm -o "$dir/$t"
		fi
	done
}

build_variant plain
build_variant asan AFL_USE_ASAN=1 AFL_USE_UBSAN=1
build_variant cmplog AFL_LLVM_CMPLOG=1

if newer_than "$out/afl_mutator.so" fuzz/afl_mutator.c fuzz/mutator.c; then
	echo "afl: building $out/afl_mutator.so"
	cc -std=gnu11 -O2 -g -Wall -Wextra -fPIC -shared fuzz/afl_mutator.c fuzz/mutator.c \
		-o "$out/afl_mutator.so"
fi
for t in "${targets[@]}"; do
	for x in dict options; do
		[ -f "fuzz/$t.$x" ] && cp "fuzz/$t.$x" "$out/"
	done
done
echo "afl: builds in $out/{plain,asan,cmplog}/ (${targets[*]}), $out/afl_mutator.so"
echo "afl: run one with ci/afl_run.sh --target fuzz_ops --time 600"
