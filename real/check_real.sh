#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make real: the real 6.12 allocator against kbuddy (PROFILE=6.12).
#   1. /proc/zoneinfo of every built-in layout, after boot, equal under
#      real/differences.tsv
#   2. the differential runner (kbuddy-real diff): every scenario and corpus
#      input on both, outcome and state compared after every operation;
#      real/diff-open.tsv lists the differences still open
# Prints one line per comparison and "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
kbuddy=${KBUDDY:?KBUDDY: the kbuddy tool of PROFILE=6.12}
real=${REAL_TOOL:?REAL_TOOL: the kbuddy-real tool}
table=real/differences.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "  ok    $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $*"; }

for layout in $("$kbuddy" layouts | awk '{print $2}'); do
	if ! "$kbuddy" zoneinfo "$layout" >"$tmp/kb" 2>"$tmp/kb.err"; then
		bad "zoneinfo $layout: kbuddy failed: $(head -1 "$tmp/kb.err")"
		continue
	fi
	if ! "$real" zoneinfo "$layout" >"$tmp/real" 2>"$tmp/real.err"; then
		bad "zoneinfo $layout: the real code failed: $(head -1 "$tmp/real.err")"
		continue
	fi
	if python3 real/compare_zoneinfo.py "$table" "$tmp/kb" "$tmp/real" >"$tmp/diff"; then
		ok "zoneinfo $layout: kbuddy and the real 6.12 code agree"
	else
		bad "zoneinfo $layout differs:"
		head -40 "$tmp/diff"
	fi
done

# The comparison can fail: a watermark off by one page is a difference.
"$kbuddy" zoneinfo default >"$tmp/kb"
"$real" zoneinfo default >"$tmp/real"
sed '0,/^        min  *[0-9]*/s//&1/' "$tmp/kb" >"$tmp/kb.bad"
if cmp -s "$tmp/kb" "$tmp/kb.bad"; then
	bad "zoneinfo self-test: could not change a watermark"
elif python3 real/compare_zoneinfo.py "$table" "$tmp/kb.bad" "$tmp/real" >/dev/null; then
	bad "zoneinfo self-test: a changed min watermark was not reported"
else
	ok "zoneinfo self-test: a changed min watermark is reported"
fi

# 2. Operation sequences, op by op (real/glue/diff.c): every scenario,
# corpus input and input the comparison found (real/inputs/) agrees with the real code in outcome and state, but those
# real/diff-open.tsv lists, which give exactly the signature it names.
open=real/diff-open.tsv
agree=0 stopped=0
for input in tests/scenarios/*.ops corpus/fuzz_ops/* corpus/seeds/fuzz_ops/* \
	     corpus/regression/*.txt corpus/regression/*.bin real/inputs/*.ops; do
	[ -f "$input" ] || continue
	want=$(awk -F'\t' -v f="$input" '$1 == f { print $2 }' "$open")
	"$real" diff "$input" >"$tmp/diff" 2>&1
	rc=$?
	got=$(sed -n 's/^REAL-DIFF-SIGNATURE: //p' "$tmp/diff")
	if [ "$rc" -gt 1 ]; then
		bad "diff $input: the run failed: $(head -1 "$tmp/diff")"
	elif [ -n "$want" ] && [ "$got" != "$want" ]; then
		bad "diff $input: expected the open difference '$want', got '${got:-agreement}'"
		head -6 "$tmp/diff"
	elif [ -z "$want" ] && [ "$rc" -ne 0 ]; then
		bad "diff $input differs:"
		head -6 "$tmp/diff"
	else
		[ -z "$want" ] && agree=$((agree + 1))
		grep -q "stopped before" "$tmp/diff" && stopped=$((stopped + 1))
	fi
done
ok "diff: $agree inputs agree in outcome and state ($stopped of them stop before an operation the real build does not drive); $(grep -vc '^#' "$open") open differences as real/diff-open.tsv lists"

echo "real: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
