#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kernel version profile (core/profile.h) other than the one make
# check runs in full: each is built with the same compiler, sanitizers and
# check level, and runs the unit tests and the scenarios (the corpus replay
# and the other ci/check_*.sh scripts run in the main profile only, to keep
# make check within its time). Run by tests/run_tests.sh from make check,
# which passes CC, SAN, CHECK_LEVEL, PROFILE, O and MAKE. Each step says
# "progress: profile P (k of N): ..." when it starts and, through
# ci/with_progress.sh, a line every 10 s while it runs. Objects the main
# profile's build already has and that compile alike under a profile are
# copied from it (ci/reuse_objects.sh), not compiled again.
set -uo pipefail
cd "$(dirname "$0")/.."

make=${MAKE:-make}
main=${PROFILE:-mainline}
profiles=$(sed -n 's/.*defined(KB_PROFILE_\([A-Za-z0-9_]*\)).*/\1/p' core/profile.h | tr _ .)
failed=0
others=()
for p in mainline $profiles; do
	[ "$p" = "$main" ] || others+=("$p")
done

# the main profile's build directory (built before this script runs)
main_args=()
[ -n "${CC:-}" ] && main_args+=(CC="$CC")
[ -n "${SAN:-}" ] && main_args+=(SAN="$SAN")
[ -n "${CHECK_LEVEL:-}" ] && main_args+=(CHECK_LEVEL="$CHECK_LEVEL")
[ -n "${O:-}" ] && main_args+=(O="$O")
main_dir=$("$make" -s --no-print-directory builddir PROFILE="$main" "${main_args[@]}" 2>/dev/null) || main_dir=
[ -d "$main_dir" ] || main_dir=

k=0
for p in "${others[@]}"; do
	k=$((k + 1))
	step="profile $p ($k of ${#others[@]})"
	args=(PROFILE="$p")
	[ -n "${CC:-}" ] && args+=(CC="$CC")
	[ -n "${SAN:-}" ] && args+=(SAN="$SAN")
	[ -n "${CHECK_LEVEL:-}" ] && args+=(CHECK_LEVEL="$CHECK_LEVEL")
	[ -n "${O:-}" ] && args+=(O="$O")
	dir=$("$make" -s --no-print-directory builddir "${args[@]}") || { failed=1; continue; }
	# the main profile's objects of the sources this profile compiles alike
	if [ -n "$main_dir" ] && "$make" -s --no-print-directory "$dir/cflags" "${args[@]}"; then
		echo "progress: $step: $(bash ci/reuse_objects.sh "$main_dir" "$dir")"
	fi
	echo "progress: $step: make build"
	if ! bash ci/with_progress.sh "$step: make build" "$dir.profile-build.log" \
		"$make" -s --no-print-directory build "${args[@]}"; then
		echo "profile $p: build failed:"
		tail -n 20 "$dir.profile-build.log"
		failed=1
		continue
	fi
	echo "progress: $step: unit and scenario tests"
	bash ci/with_progress.sh "$step: tests" "$dir.profile-tests.log" \
		bash tests/run_tests.sh -b "$dir" -s unit,scenario
	status=$?
	echo "profile $p: $(tail -n 1 "$dir.profile-tests.log")"
	if [ $status -ne 0 ]; then
		sed -n '/==== failures ====/,$p' "$dir.profile-tests.log" | head -n 60
		failed=1
	fi
done
exit $failed
