#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The real 6.12 allocator (real/) built from the installed linux-source-6.12
# and compared with kbuddy: `make real` (real/check_real.sh says what it
# compares); then the real code with a known-bad patch, which kbuddy-real
# diff must report. Run by tests/run_tests.sh; the make variables of the check
# (CC, SAN, O) reach it through MAKEFLAGS.
set -uo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory real || exit 1

# A known-bad patch of the real code is found: __free_one_page stopping one
# order short (real/patches/). Built in its own directory; /proc/zoneinfo
# after boot agrees (it counts pages, not blocks), the free lists do not.
patch=real/patches/free-one-page-stops-merging.patch
input=tests/scenarios/buddy-split-merge.ops
want='diff-nr-free boot'
if ! make --no-print-directory real-build KERNEL_PATCH="$patch" >/tmp/check_real.$$ 2>&1; then
	echo "  FAIL  real-build KERNEL_PATCH=$patch:"
	tail -20 /tmp/check_real.$$
	rm -f /tmp/check_real.$$
	exit 1
fi
rm -f /tmp/check_real.$$
tool=$(make --no-print-directory -s real-tool KERNEL_PATCH="$patch")
out=$("$tool" diff "$input" 2>&1)
got=$(printf '%s\n' "$out" | sed -n 's/^REAL-DIFF-SIGNATURE: //p')
if [ "$got" != "$want" ]; then
	echo "  FAIL  KERNEL_PATCH=$patch: kbuddy-real diff $input gave '${got:-agreement}', not '$want':"
	printf '%s\n' "$out" | head -8
	exit 1
fi
echo "  ok    KERNEL_PATCH=$patch: kbuddy-real diff $input reports $want"
