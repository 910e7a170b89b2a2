#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every invariant the checker knows (`kbuddy invariants`) is documented in
# docs/invariants.md (as `name`) and expected by name ("name") by at least
# one test in tests/*.c, the test that breaks the state on purpose; a loop
# bound that no state reaches is expected by a mutant of
# ci/check_mutation.sh instead (a line "KEY name").
# Environment: KBUDDY (default: build/kbuddy).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
KBUDDY=${KBUDDY:-build/kbuddy}
[ -x "$KBUDDY" ] || { echo "check_invariants: $KBUDDY is not built"; exit 1; }

names=$("$KBUDDY" invariants | awk '{print $1}')
[ -n "$names" ] || { echo "check_invariants: kbuddy invariants listed nothing"; exit 1; }
fail=0 n=0
for name in $names; do
	n=$((n + 1))
	grep -qF "\`$name\`" docs/invariants.md ||
		{ echo "FAIL: $name is not in docs/invariants.md"; fail=1; }
	grep -qF "\"$name\"" tests/*.c ||
		grep -qE "^[[:space:]]+[0-9a-f]{10} $name([[:space:]]|\$)" ci/check_mutation.sh ||
		{ echo "FAIL: no test in tests/*.c expects $name by name"; fail=1; }
done
[ $fail -eq 0 ] && echo "check_invariants: $n invariants, each documented and expected by a test"
exit $fail
