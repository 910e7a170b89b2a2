# SPDX-License-Identifier: GPL-2.0
#
# The environment the OSS-Fuzz / ClusterFuzzLite builder image gives
# build.sh for one engine and sanitizer, for running .clusterfuzzlite/
# build.sh without docker (ci/check_oss_fuzz.sh, ci/coverage.sh). The
# values are those of OSS-Fuzz's infra/base-images/base-builder: the
# Dockerfile's SANITIZER_FLAGS_* and COVERAGE_FLAGS*, and its compile,
# compile_libfuzzer and compile_afl steps (CFLAGS = base flags, sanitizer
# flags, coverage flags; CXXFLAGS the same). One difference: no
# -stdlib=libc++ in CXXFLAGS (the image's libc++ is not installed here;
# the targets are C).
#
# usage: . ci/oss_fuzz_env.sh; oss_fuzz_env ENGINE SANITIZER DIR
#   ENGINE libfuzzer or afl; SANITIZER address, undefined, memory or
#   coverage; DIR gets out/ ($OUT) and work/ ($WORK). Exports CC CXX CFLAGS
#   CXXFLAGS LIB_FUZZING_ENGINE SANITIZER FUZZING_ENGINE SRC OUT WORK.

oss_fuzz_base_cflags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
declare -A oss_fuzz_sanitizer_flags=(
	[address]="-fsanitize=address -fsanitize-address-use-after-scope"
	[undefined]="-fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr -fno-sanitize-recover=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr"
	[memory]="-fsanitize=memory -fsanitize-memory-track-origins"
	[coverage]=""
)
oss_fuzz_coverage_flags="-fsanitize=fuzzer-no-link"
oss_fuzz_coverage_flags_coverage="-fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument"
# what compile_afl copies to $LIB_FUZZING_ENGINE; Debian's afl++ has it here
oss_fuzz_afl_driver=${AFL_DRIVER:-/usr/lib/afl/libAFLDriver.a}

oss_fuzz_env() {	# engine sanitizer dir
	local engine=$1 san=$2 dir=$3 cov
	if [ -z "${oss_fuzz_sanitizer_flags[$san]+set}" ]; then
		echo "oss_fuzz_env: unknown sanitizer '$san'" >&2
		return 2
	fi
	export SANITIZER=$san FUZZING_ENGINE=$engine OUT=$dir/out WORK=$dir/work
	export SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
	case $engine in
	afl)
		export CC=afl-clang-fast CXX=afl-clang-fast++ LIB_FUZZING_ENGINE=$oss_fuzz_afl_driver
		export AFL_QUIET=1 AFL_IGNORE_UNKNOWN_ENVS=1
		cov= ;;
	libfuzzer)
		export CC=clang CXX=clang++ LIB_FUZZING_ENGINE=-fsanitize=fuzzer
		cov=$oss_fuzz_coverage_flags
		[ "$san" = coverage ] && cov=$oss_fuzz_coverage_flags_coverage ;;
	*)
		echo "oss_fuzz_env: unknown engine '$engine'" >&2
		return 2 ;;
	esac
	export CFLAGS="$oss_fuzz_base_cflags ${oss_fuzz_sanitizer_flags[$san]} $cov"
	export CXXFLAGS=$CFLAGS
}
