#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation names what the tree holds, so a new scenario, built-in
# layout or kbuddy command cannot go undocumented:
#   - every tests/scenarios/*.ops is a row of docs/scenarios.md's table;
#   - every built-in layout (kbuddy layouts) is a row of the table in
#     docs/layout-format.md, and the count of built-in layouts it states is
#     the real one;
#   - every command of `kbuddy help` appears in the README's kbuddy table.
# Run by tests/run_tests.sh (KBUDDY set); exit 0 when all are there.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
kbuddy=${KBUDDY:-build/kbuddy}
failed=0
no() { echo "FAIL: $*"; failed=$((failed + 1)); }

for f in tests/scenarios/*.ops; do
	grep -q "^| \`$(basename "$f")\` |" docs/scenarios.md ||
		no "docs/scenarios.md does not list $(basename "$f")"
done

n=0
while read -r i name; do
	n=$((n + 1))
	grep -qE "^\| $i +\| \`$name\` +\|" docs/layout-format.md ||
		no "docs/layout-format.md's table has no row '$i | \`$name\`'"
done < <("$kbuddy" layouts)
words=(zero one two three four five six seven eight nine ten eleven twelve)
want=${words[$n]:-$n}
grep -q -- "- \*\*built-in\*\*: $want named layouts" docs/layout-format.md ||
	no "docs/layout-format.md does not say there are $want built-in layouts"

for c in $("$kbuddy" help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	grep -qE "^\| .*\`$c( [^\`]*)?\`" README.md || no "README.md's kbuddy table does not name '$c'"
done

if [ "$failed" -gt 0 ]; then
	echo "check_docs: $failed failed"
	exit 1
fi
echo "check_docs: scenarios, built-in layouts and commands are documented"
