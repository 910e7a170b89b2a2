#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The checker's sensitivity, on every `make check`: each mutant of
# corpus/mutants/mutants.list is built (kbuddy only, SAN=none, its own
# build directory) and its witnesses corpus/mutants/NAME.ops and NAME.bin
# run through `kbuddy run --quiet`:
#   - the mutant build must report the listed invariant (exit 1 and a
#     "KBUDDY-SIGNATURE: <invariant> ..." line);
#   - the correct build ($KBUDDY, the build under test) must run it clean.
# It also checks that mutants.list and the KB_BUG_ hooks of core/*.c name
# the same mutants. Unreachable mutants (no witness possible) are skipped.
#
# Environment: KBUDDY (correct kbuddy; default: build it like make does),
# O (build root; default the parent of BUILD_DIR, else build), CC, MAKE,
# CHECK_LEVEL.
# MUTANTS limits the run to some names. Exit 0 when everything held.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

MAKE=${MAKE:-make}
# The build root: O, else the one holding the build under test.
O=${O:-$(dirname "${BUILD_DIR:-build/.}")}
abs() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
list=corpus/mutants/mutants.list
fail=0
bad() { echo "FAIL: $*"; fail=1; }

[ -f "$list" ] || { echo "check_mutants: $list is missing"; exit 1; }

make_args=(--no-print-directory SAN=none O="$O")
[ -n "${CC:-}" ] && make_args+=(CC="$CC")
[ -n "${CHECK_LEVEL:-}" ] && make_args+=(CHECK_LEVEL="$CHECK_LEVEL")

if [ -z "${KBUDDY:-}" ] || [ ! -x "${KBUDDY:-}" ]; then
	"$MAKE" "${make_args[@]}" kbuddy >/dev/null 2>&1 || { echo "check_mutants: cannot build kbuddy"; exit 1; }
	KBUDDY=$(abs "$("$MAKE" -s "${make_args[@]}" builddir)")/kbuddy
fi

declare -A expect=() unreachable=()
names=()
while read -r name inv rest; do
	case $name in ''|'#'*) continue ;; esac
	names+=("$name")
	expect[$name]=$inv
	case $rest in unreachable:*) unreachable[$name]=1 ;; esac
done <"$list"

# The list and the hooks in core/ must agree.
hooks=$(grep -ho 'KB_BUG_[A-Za-z0-9_]*' core/*.c | sed 's/^KB_BUG_//' | sort -u)
for h in $hooks; do
	[ -n "${expect[$h]:-}" ] || bad "core/ has KB_BUG_$h but $list does not list it"
done
for n in "${names[@]}"; do
	grep -qx "$n" <<<"$hooks" || bad "$list lists $n but no core/*.c has KB_BUG_$n"
done

# "<invariant>" of a run's signature line, or "clean" when exit 0.
outcome() {	# KBUDDY FILE (a .bin witness is a binary input whatever its bytes)
	local out status flags=()
	[[ $2 == *.bin ]] && flags=(--binary)
	out=$("$1" run --quiet "${flags[@]}" "$2" 2>&1)
	status=$?
	if [ $status -eq 0 ]; then
		echo clean
	elif [ $status -eq 1 ]; then
		sed -n 's/^KBUDDY-SIGNATURE: \([^ ]*\).*/\1/p' <<<"$out" | head -n 1 | grep . || echo "exit-1"
	else
		echo "exit-$status"
	fi
}

selected=("${names[@]}")
[ -n "${MUTANTS:-}" ] && selected=($MUTANTS)
checked=0 k=0
for name in "${selected[@]}"; do
	k=$((k + 1))
	echo "progress: mutant $k of ${#selected[@]}: $name"
	[ -n "${unreachable[$name]:-}" ] && { echo "skip  $name (unreachable)"; continue; }
	want=${expect[$name]:-}
	[ -n "$want" ] || { bad "$name is not in $list"; continue; }
	witnesses=()
	for ext in ops bin; do
		[ -f "corpus/mutants/$name.$ext" ] && witnesses+=("corpus/mutants/$name.$ext")
	done
	if [ ${#witnesses[@]} -eq 0 ] || [ ! -f "corpus/mutants/$name.ops" ]; then
		bad "$name has no witness corpus/mutants/$name.ops"
		continue
	fi
	log=$(mktemp)
	if ! "$MAKE" "${make_args[@]}" kbuddy BUG="$name" >"$log" 2>&1; then
		bad "$name: the mutant build failed"
		tail -n 20 "$log"
		rm -f "$log"
		continue
	fi
	rm -f "$log"
	mutant=$(abs "$("$MAKE" -s "${make_args[@]}" builddir BUG="$name")")/kbuddy
	fail_before=$fail
	for w in "${witnesses[@]}"; do
		got=$(outcome "$mutant" "$w")
		[ "$got" = "$want" ] || bad "$w on the $name build: expected $want, got $got"
		got=$(outcome "$KBUDDY" "$w")
		[ "$got" = clean ] || bad "$w on the correct build: expected clean, got $got"
	done
	checked=$((checked + 1))
	[ $fail -eq "$fail_before" ] && echo "ok    $name ($want)"
done
echo "check_mutants: $checked mutants checked"
exit $fail
