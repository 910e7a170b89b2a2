#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every invariant the checker knows (`kbuddy invariants`) is documented in
# docs/invariants.md (as `name`) and expected by at least one test: its
# name is an argument of an EXPECT_*/ASSERT_* macro in tests/*.c or
# tests/*.h (EXPECT_STREQ(v.invariant, "name"), EXPECT_VIOLATION(f, "name"),
# EXPECT_FIRST_REPORT(c, "name", ...), ...; ci/test_expectations.py lists
# them), the test that breaks the state on purpose. A name merely quoted
# (the registry test's list, a message) does not count. A loop bound that
# no state reaches is expected by a mutant of ci/check_mutation.sh instead
# (a line "KEY name"). An invariant no state can raise is listed, with the
# reason, in ci/invariants-unreachable.list: printed as an exception, and
# an error once a test expects it or the registry drops it.
# Environment: KBUDDY (default: build/kbuddy).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
KBUDDY=${KBUDDY:-build/kbuddy}
[ -x "$KBUDDY" ] || { echo "check_invariants: $KBUDDY is not built"; exit 1; }
command -v python3 >/dev/null || { echo "check_invariants: needs python3 (make setup)"; exit 1; }

names=$("$KBUDDY" invariants | awk '{print $1}')
[ -n "$names" ] || { echo "check_invariants: kbuddy invariants listed nothing"; exit 1; }
expected=$(python3 ci/test_expectations.py) || { echo "check_invariants: ci/test_expectations.py failed"; exit 1; }
[ -n "$expected" ] || { echo "check_invariants: no test expects anything (ci/test_expectations.py)"; exit 1; }
exceptions=ci/invariants-unreachable.list
unreachable=$(grep -vE '^[[:space:]]*(#|$)' "$exceptions" 2>/dev/null | awk '{print $1}')

fail=0 n=0 nx=0
for name in $names; do
	n=$((n + 1))
	grep -qF "\`$name\`" docs/invariants.md ||
		{ echo "FAIL: $name is not in docs/invariants.md"; fail=1; }
	tested=0
	grep -qxF -- "$name" <<<"$expected" && tested=1
	grep -qE "^[[:space:]]+[0-9a-f]{10} $name([[:space:]]|\$)" ci/check_mutation.sh && tested=1
	if grep -qxF -- "$name" <<<"$unreachable"; then
		if [ $tested = 1 ]; then
			echo "FAIL: $name is expected by a test now: delete its line in $exceptions"
			fail=1
		else
			nx=$((nx + 1))
			echo "exception: $name is not tested: $(grep -E "^$name[[:space:]]" "$exceptions" | cut -d' ' -f2-)"
		fi
		continue
	fi
	[ $tested = 1 ] ||
		{ echo "FAIL: no test expects $name (an EXPECT_*/ASSERT_* argument in tests/)"; fail=1; }
done
for name in $unreachable; do
	grep -qxF -- "$name" <<<"$names" ||
		{ echo "FAIL: $exceptions lists $name, which the registry does not have"; fail=1; }
done
[ $fail -eq 0 ] && echo "check_invariants: $n invariants, each documented; $((n - nx)) expected by a test, $nx listed in $exceptions"
exit $fail
