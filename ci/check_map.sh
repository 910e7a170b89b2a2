#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kbuddy map draws what the state holds: the SVG is well-formed XML, has
# one pageblock band per pageblock of every zone, the free blocks, the
# allocations of every live handle, per-CPU pages, isolated, CMA, reserved
# and hole cells where the input or layout has them, and the same bytes on
# a second run; -o FILE.png writes a PNG through rsvg-convert when it is
# installed; a run that stops on a violation still draws, with exit 1.
# Run by tests/run_tests.sh (KBUDDY set); exit 0 when all of that holds.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
kbuddy=${KBUDDY:-build/kbuddy}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

# counts CLASS... : "class=count" for each class word, from the SVG on stdin
counts() {
	python3 -c '
import sys, xml.etree.ElementTree as ET
from collections import Counter
root = ET.parse(sys.stdin).getroot()
ns = "{http://www.w3.org/2000/svg}"
if root.tag != ns + "svg":
    sys.exit("not an SVG document: " + root.tag)
words = Counter()
for e in root.iter(ns + "rect"):
    cls = (e.get("class") or "").split()
    if "legend" in cls:
        continue	# the key, not the memory
    for w in cls:
        words[w] += 1
texts = " ".join(t.text or "" for t in root.iter(ns + "text"))
for w in sys.argv[1:]:
    if w.startswith("text:"):
        print("%s=%d" % (w, texts.count(w[5:])))
    else:
        print("%s=%d" % (w, words[w]))
' "$@"
}
count_of() { sed -n "s/^$1=//p" <<<"$2"; }

# The example of the docs: small-blocks, 768 pageblocks, every kind of page.
"$kbuddy" map docs/map-example.ops -o "$tmp/ex.svg" || no "map of docs/map-example.ops failed"
c=$(counts mt free alloc pcp isolated mt-Isolate "text:zone Normal" <"$tmp/ex.svg") ||
	no "docs/map-example.ops: not a well-formed SVG: $c"
[ "$(count_of mt "$c")" -eq 768 ] || no "small-blocks has 768 pageblocks, the map $(count_of mt "$c") bands"
for k in free alloc pcp isolated mt-Isolate; do
	[ "$(count_of "$k" "$c")" -gt 0 ] || no "the example's map has no '$k' cell: $c"
done
[ "$(count_of "text:zone Normal" "$c")" -eq 1 ] || no "no Normal zone heading"
# every live handle of the example is drawn in its own colour class
live=$("$kbuddy" decode docs/map-example.ops | awk '
	/^alloc/ { h = $NF; live[h] = 1 } /^free/ { delete live[$2] }
	END { n = 0; for (h in live) n++; print n }')
drawn=$(grep -o 'class="alloc a[0-9]*"' "$tmp/ex.svg" | sort -u | wc -l)
[ "$drawn" -eq "$live" ] || no "$live allocations are live, the map draws $drawn owners"
"$kbuddy" map docs/map-example.ops >"$tmp/ex2.svg" && cmp -s "$tmp/ex.svg" "$tmp/ex2.svg" ||
	no "two maps of the same input differ"

# A layout at boot: holes, reserved ranges; and CMA pageblocks.
"$kbuddy" map holes -o "$tmp/holes.svg" || no "map of the holes layout failed"
c=$(counts hole reserved free <"$tmp/holes.svg")
for k in hole reserved free; do
	[ "$(count_of "$k" "$c")" -gt 0 ] || no "the holes layout's map has no '$k' cell: $c"
done
"$kbuddy" map cma -o "$tmp/cma.svg" || no "map of the cma layout failed"
c=$(counts mt-CMA <"$tmp/cma.svg")
[ "$(count_of mt-CMA "$c")" -eq 4 ] || no "the cma layout has 4 CMA pageblocks, the map $(count_of mt-CMA "$c")"
# two nodes, two headings
"$kbuddy" map numa | grep -c '<text class="node"' | grep -qx 2 || no "the numa map does not head two nodes"

# A violation: the map of the state at that moment, exit 1.
printf 'layout default\nalloc order=2 -> a1\nfree a1\nfree a1\n' >"$tmp/double.ops"
"$kbuddy" map "$tmp/double.ops" -o "$tmp/double.svg" 2>"$tmp/double.err"
[ $? -eq 1 ] || no "a map of a violating input does not exit 1"
grep -q 'api-double-free' "$tmp/double.err" || no "no note of the violation: $(cat "$tmp/double.err")"
counts free <"$tmp/double.svg" >/dev/null || no "no map drawn for the violating input"

# PNG, when rsvg-convert is there.
if command -v rsvg-convert >/dev/null; then
	"$kbuddy" map docs/map-example.ops -o "$tmp/ex.png" || no "map -o .png failed"
	[ "$(head -c 8 "$tmp/ex.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		[ "$(stat -c %s "$tmp/ex.png")" -gt 20000 ] || no "map -o .png wrote no real PNG"
else
	echo "check_map: rsvg-convert not installed, PNG not checked (bash ci/setup.sh)"
fi
[ -s docs/map-example.png ] || no "docs/map-example.png is missing"

if [ "$failed" -gt 0 ]; then
	echo "check_map: $failed failed"
	exit 1
fi
echo "check_map: maps are valid SVG and show every pageblock, page kind and owner"
