#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make real: the real 6.12 allocator against kbuddy (PROFILE=6.12).
#   1. /proc/zoneinfo of every built-in layout, after boot, equal under
#      real/differences.tsv
#   2. the differential runner (kbuddy-real diff): operation sequences on
#      both, the outcome of every operation compared
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

# 2. Operation sequences, op by op (real/glue/diff.c).
for input in tests/scenarios/buddy-split-merge.ops tests/scenarios/numa-fallback.ops \
	     tests/scenarios/highatomic.ops tests/scenarios/pcp-high-drain.ops; do
	if "$real" diff --outcomes "$input" >"$tmp/diff" 2>&1; then
		ok "diff --outcomes $input: $(sed 's/^[^:]*: //' "$tmp/diff")"
	else
		bad "diff --outcomes $input:"
		head -6 "$tmp/diff"
	fi
done

echo "real: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
