#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real machines: every capture under tests/captures/ is imported
# (kbuddy import) with the kbuddy of its kernel's profile, and kbuddy
# compare must find every zoneinfo field derived at boot equal to the
# capture's zoneinfo.before, and to zoneinfo.after once the captured
# sysctl changes are written. Then the capture script runs on this machine
# and its capture imports (or is refused with a clear message), and a
# capture with files missing imports with warnings. Run by
# tests/run_tests.sh from make check (CC, SAN, CHECK_LEVEL, PROFILE, O,
# MAKE, KBUDDY).
set -uo pipefail
cd "$(dirname "$0")/.."

make=${MAKE:-make}
main=${PROFILE:-mainline}
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*"
	failed=1
}

# The kbuddy binary of profile $1 (built here when it is not the main one).
kbuddy_for() {
	local p=$1 args dir
	if [ "$p" = "$main" ] && [ -n "${KBUDDY:-}" ]; then
		echo "$KBUDDY"
		return 0
	fi
	args=(PROFILE="$p")
	[ -n "${CC:-}" ] && args+=(CC="$CC")
	[ -n "${SAN:-}" ] && args+=(SAN="$SAN")
	[ -n "${CHECK_LEVEL:-}" ] && args+=(CHECK_LEVEL="$CHECK_LEVEL")
	[ -n "${O:-}" ] && args+=(O="$O")
	dir=$("$make" -s --no-print-directory builddir "${args[@]}") || return 1
	"$make" -s --no-print-directory kbuddy "${args[@]}" >"$tmp/build-$p.log" 2>&1 ||
		{ tail -n 20 "$tmp/build-$p.log" >&2; return 1; }
	echo "$dir/kbuddy"
}

for cap in tests/captures/*/; do
	cap=${cap%/}
	name=${cap##*/}
	[ -f "$cap/zoneinfo.before" ] || continue
	# The profile is the import's own choice (the layout's profile line).
	"${KBUDDY:?}" import "$cap" -o "$tmp/$name.layout" 2>"$tmp/$name.import.err" ||
		{ fail "$name: import failed: $(cat "$tmp/$name.import.err")"; continue; }
	profile=$(sed -n 's/^profile //p' "$tmp/$name.layout")
	kb=$(kbuddy_for "$profile") || { fail "$name: no kbuddy for profile $profile"; continue; }
	"$kb" import "$cap" -o "$tmp/$name.layout" 2>"$tmp/$name.import.err" ||
		{ fail "$name: import (profile $profile) failed"; continue; }
	if grep -q 'warning' "$tmp/$name.import.err"; then
		fail "$name: the import warns: $(cat "$tmp/$name.import.err")"
	fi
	out=$("$kb" compare zoneinfo "$cap" "$tmp/$name.layout")
	status=$?
	summary=$(grep 'fields equal' <<<"$out" | tr '\n' ';')
	if [ $status -ne 0 ]; then
		fail "$name: zoneinfo differs (profile $profile):"
		grep -v dynamic <<<"$out" | head -n 30
	elif [ "$(grep -c ' 0 derived fields differ, 0 printed by one side only' <<<"$out")" != 2 ]; then
		fail "$name: compare did not check both zoneinfo.before and zoneinfo.after: $summary"
	else
		echo "ok: $name (profile $profile): $summary"
	fi
done

# A capture with files missing: warnings, and still a layout; without any
# zoneinfo, a clear refusal.
src=tests/captures/linux-6.12-1g
mkdir -p "$tmp/partial" "$tmp/empty"
cp "$src/zoneinfo.before" "$tmp/partial/"
if ! "$KBUDDY" import "$tmp/partial" -o "$tmp/partial.layout" 2>"$tmp/partial.err"; then
	fail "a capture of zoneinfo.before alone does not import: $(cat "$tmp/partial.err")"
elif ! grep -q 'warning: no dmesg_mem.txt' "$tmp/partial.err"; then
	fail "a capture without its boot log imports without saying so"
else
	echo "ok: a capture of zoneinfo.before alone imports with $(grep -c warning "$tmp/partial.err") warnings"
fi
"$KBUDDY" import "$tmp/empty" >/dev/null 2>"$tmp/empty.err"
status=$?
if [ $status -ne 2 ] || ! grep -q 'not a capture directory' "$tmp/empty.err"; then
	fail "an empty directory: exit $status, '$(cat "$tmp/empty.err")'"
else
	echo "ok: an empty directory is refused: $(cat "$tmp/empty.err")"
fi
printf 'Node 0, zone DMA\n  pages free 12x\n' >"$tmp/partial/zoneinfo.before"
"$KBUDDY" import "$tmp/partial" >/dev/null 2>"$tmp/bad.err"
status=$?
if [ $status -ne 2 ] || ! grep -q 'line 2' "$tmp/bad.err"; then
	fail "a bad zoneinfo: exit $status, '$(cat "$tmp/bad.err")'"
else
	echo "ok: a bad zoneinfo is refused: $(cat "$tmp/bad.err")"
fi

# The capture script on this machine (no root needed, no trace), then its import.
if sh import/capture.sh -o "$tmp/here" >"$tmp/here.out" 2>&1; then
	for f in zoneinfo.before zoneinfo.after buddyinfo.before pagetypeinfo.before meminfo.before \
		 vmstat.before sysctl_vm.before cmdline uname nproc sysctl_vm_all; do
		[ -s "$tmp/here/$f" ] || fail "capture.sh wrote no $f on this machine"
	done
	"$KBUDDY" import "$tmp/here" -o "$tmp/here.layout" 2>"$tmp/here.err"
	status=$?
	if [ $status -eq 0 ]; then
		echo "ok: capture.sh on this machine ($(cat "$tmp/here/uname" | cut -d' ' -f3)) imports: $(sed -n 's/^# imported from [^:]*: //p' "$tmp/here.layout")"
	elif [ $status -eq 2 ] && [ -s "$tmp/here.err" ]; then
		echo "ok: capture.sh on this machine is beyond a layout: $(tail -n 1 "$tmp/here.err")"
	else
		fail "importing this machine's capture: exit $status"
	fi
else
	fail "capture.sh failed: $(cat "$tmp/here.out")"
fi
[ -e "$tmp/here" ] && sh import/capture.sh -o "$tmp/here" >/dev/null 2>&1 &&
	fail "capture.sh wrote into an existing directory"
exit $failed
