#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# corpus/regression/ is complete: every NAME.bin has NAME.txt and a one-line
# NAME.why, and NAME.txt encodes to exactly NAME.bin (so the readable form
# is the test). tests/run_tests.sh replays the fuzz_ops .bin files itself.
#
# corpus/regression/fuzz_boot/ holds fuzz_boot inputs (kbuddy promote of a
# fuzz_boot crash): the same three files, and this script also replays
# each .bin through the fuzz_boot path (`kbuddy run --target fuzz_boot`:
# the layout booted as the target boots it), expecting it to run clean.
# `make regress` and `make check` run it.
#
# usage: ci/check_regression.sh [DIR]   (default corpus/regression)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
kbuddy=${KBUDDY:-build/kbuddy}
dir=${1:-corpus/regression}
[ -x "$kbuddy" ] || { echo "check_regression: $kbuddy not built"; exit 1; }
[ -d "$dir" ] || { echo "check_regression: no directory $dir"; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
fail=0 n=0 nboot=0
shopt -s nullglob

# The three files of an entry agree (encode tells the two targets' text forms apart).
complete() {	# base
	local base=$1
	if [ ! -f "$base.txt" ]; then echo "FAIL: $base.txt missing"; fail=1; return 1; fi
	if [ ! -f "$base.why" ] || [ "$(wc -l <"$base.why")" -ne 1 ]; then
		echo "FAIL: $base.why missing or not one line"; fail=1
	fi
	if ! "$kbuddy" encode "$base.txt" -o "$tmp" 2>/dev/null || ! cmp -s "$tmp" "$base.bin"; then
		echo "FAIL: $base.txt does not encode to $base.bin"; fail=1
	fi
	return 0
}

for bin in "$dir"/*.bin; do
	n=$((n + 1))
	complete "${bin%.bin}"
done
for bin in "$dir"/fuzz_boot/*.bin; do
	base=${bin%.bin}
	nboot=$((nboot + 1))
	complete "$base" || continue
	if ! out=$("$kbuddy" run --target fuzz_boot --binary --quiet "$bin" 2>&1); then
		sig=$(grep -m 1 '^KBUDDY-SIGNATURE:' <<<"$out")
		echo "FAIL: $bin does not run clean through the fuzz_boot path: ${sig:-$(tail -n 1 <<<"$out")}"
		[ -f "$base.why" ] && echo "      it caught: $(cat "$base.why")"
		fail=1
	fi
done
for f in "$dir"/* "$dir"/fuzz_boot/*; do
	case $f in
	*.bin|*.txt|*.why) ;;
	"$dir/fuzz_boot") [ -d "$f" ] || { echo "FAIL: stray file $f"; fail=1; } ;;
	*) echo "FAIL: stray file $f"; fail=1 ;;
	esac
done
[ $fail -eq 0 ] && echo "regression corpus: $n fuzz_ops tests and $nboot fuzz_boot tests (replayed clean), each with .txt and .why"
exit $fail
