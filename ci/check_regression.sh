#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# corpus/regression/ is complete: every NAME.bin has NAME.txt and a one-line
# NAME.why, and NAME.txt encodes to exactly NAME.bin (so the readable form
# is the test). tests/run_tests.sh replays the .bin files themselves.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
kbuddy=${KBUDDY:-build/kbuddy}
[ -x "$kbuddy" ] || { echo "check_regression: $kbuddy not built"; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
fail=0 n=0
shopt -s nullglob
for bin in corpus/regression/*.bin; do
	base=${bin%.bin}
	n=$((n + 1))
	if [ ! -f "$base.txt" ]; then echo "FAIL: $base.txt missing"; fail=1; continue; fi
	if [ ! -f "$base.why" ] || [ "$(wc -l <"$base.why")" -ne 1 ]; then
		echo "FAIL: $base.why missing or not one line"; fail=1
	fi
	if ! "$kbuddy" encode "$base.txt" -o "$tmp" 2>/dev/null || ! cmp -s "$tmp" "$bin"; then
		echo "FAIL: $base.txt does not encode to $bin"; fail=1
	fi
done
for f in corpus/regression/*; do
	case $f in *.bin|*.txt|*.why) ;; *) echo "FAIL: stray file $f"; fail=1 ;; esac
done
[ $fail -eq 0 ] && echo "regression corpus: $n tests, each with .txt and .why"
exit $fail
