#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kbuddy tool meets bad input with a clear message and a non-zero exit,
# never a crash: unknown commands and options, missing, empty, corrupt and
# random files, impossible layouts; and its command line keeps its rules
# (options anywhere, --opt=value, --, help and --version, no extra
# arguments). Run by tests/run_tests.sh (KBUDDY set).
set -uo pipefail
cd "$(dirname "$0")/.."
kbuddy=$(readlink -f "${KBUDDY:-build/kbuddy}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# expect STATUS PATTERN -- command...: exit status and a line of its output
expect() {
	local want=$1 pattern=$2 out status
	shift 3
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" != "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
		echo "FAIL: $* -> exit $status (want $want), output:"
		printf '%s\n' "$out" | head -5
		failed=$((failed + 1))
	fi
	# a sanitizer report is a crash, whatever the exit status
	if grep -q "ERROR: AddressSanitizer\|runtime error:" <<<"$out"; then
		echo "FAIL: $* crashed:"
		printf '%s\n' "$out" | head -5
		failed=$((failed + 1))
	fi
}

expect 2 "unknown command 'frobnicate'" -- "$kbuddy" frobnicate
expect 2 "unknown option '--bogus'" -- "$kbuddy" run --bogus x
expect 2 "run needs FILE" -- "$kbuddy" run
expect 2 "cannot open $tmp/missing" -- "$kbuddy" run "$tmp/missing"
expect 2 "takes 0, 1, 2 or 3" -- "$kbuddy" run x --level 7

printf 'layout default\nalloc order=3 gfp=GFP_BOGUS\n' >"$tmp/badgfp.ops"
expect 2 "line 2" -- "$kbuddy" run "$tmp/badgfp.ops"
printf 'layout default\nfree a7\n' >"$tmp/nohandle.ops"
expect 2 "line 2" -- "$kbuddy" run "$tmp/nohandle.ops"
printf 'layout nowhere\n' >"$tmp/badlayout.ops"
expect 2 "unknown layout" -- "$kbuddy" run "$tmp/badlayout.ops"
printf 'layout default\nalloc order=1 cpu=9\n' >"$tmp/badcpu.ops"
expect 2 "line 2" -- "$kbuddy" run "$tmp/badcpu.ops"

# Any byte string is a valid binary input: empty, truncated, random.
: >"$tmp/empty.bin"
expect 0 "result: clean" -- "$kbuddy" run "$tmp/empty.bin"
printf '\x00\x01\x02' >"$tmp/short.bin"
expect 0 "result: clean" -- "$kbuddy" run "$tmp/short.bin"
for seed in 1 2 3 4 5; do
	head -c $((seed * 997)) /dev/urandom >"$tmp/random$seed.bin"
	out=$("$kbuddy" run --quiet --binary "$tmp/random$seed.bin" 2>&1)
	status=$?
	if [ "$status" -gt 1 ] || grep -q "ERROR: AddressSanitizer\|runtime error:" <<<"$out"; then
		echo "FAIL: random input $seed: exit $status"
		printf '%s\n' "$out" | head -5
		cp "$tmp/random$seed.bin" "build/check_cli-random$seed.bin" 2>/dev/null
		failed=$((failed + 1))
	fi
done

# Impossible layouts: a clear reason, nothing booted.
printf '# kbuddy layout v1\nnode 0 cpus 1\nzone 0 Normal 0x2000 0x1000\n' >"$tmp/backwards.layout"
expect 2 "" -- "$kbuddy" zoneinfo "$tmp/backwards.layout"
printf '# kbuddy layout v1\nnode 0 cpus 1\nzone 0 DMA 0 0x1000\nzone 0 Normal 0x800 0x2000\n' >"$tmp/overlap.layout"
expect 2 "overlap" -- "$kbuddy" zoneinfo "$tmp/overlap.layout"
printf '# kbuddy layout v1\nnode 0 cpus 1\nzone 0 Normal 0 0x40000000\n' >"$tmp/huge.layout"
expect 2 "" -- "$kbuddy" zoneinfo "$tmp/huge.layout"
printf '# kbuddy layout v1\nmax_page_order 40\nnode 0 cpus 1\nzone 0 Normal 0 0x1000\n' >"$tmp/order.layout"
expect 2 "max_page_order" -- "$kbuddy" zoneinfo "$tmp/order.layout"
head -c 3000 /dev/urandom >"$tmp/garbage.layout"
expect 2 "" -- "$kbuddy" layout "$tmp/garbage.layout"

# The command line: options before or after the command, --opt=value, "--"
# before a file named like an option, help per command, --version; extra
# arguments and options a command does not take are errors.
printf 'layout default\nalloc order=1\nfree a1\n' >"$tmp/ok.ops"
expect 0 "at check level 3" -- "$kbuddy" run --level=3 "$tmp/ok.ops"
expect 0 "at check level 1" -- "$kbuddy" --level 1 run "$tmp/ok.ops"
expect 0 "at check level 0" -- "$kbuddy" run "$tmp/ok.ops" --lev=0
out=$("$kbuddy" --quiet run "$tmp/ok.ops" 2>&1)
[ -z "$out" ] || { echo "FAIL: --quiet before the command still printed: $out"; failed=$((failed + 1)); }
cp "$tmp/ok.ops" "$tmp/-x"
expect 0 "result: clean" -- env -C "$tmp" "$kbuddy" run -- -x
expect 2 "unknown option '-x'" -- env -C "$tmp" "$kbuddy" run -x
expect 2 "unexpected argument 'extra'" -- "$kbuddy" run "$tmp/ok.ops" extra
expect 2 "unexpected argument 'x'" -- "$kbuddy" layouts x
expect 2 "unexpected argument 'c'" -- "$kbuddy" promote a b c
expect 2 "promote needs FILE NAME" -- "$kbuddy" promote a
expect 2 "does not apply" -- "$kbuddy" layouts --level 2
expect 2 "does not apply" -- "$kbuddy" run --why x "$tmp/ok.ops"
expect 2 "needs a value" -- "$kbuddy" run "$tmp/ok.ops" --level
expect 2 "takes 0, 1, 2 or 3, not '3x'" -- "$kbuddy" run --level=3x "$tmp/ok.ops"
expect 2 "takes 0, 1, 2 or 3, not ''" -- "$kbuddy" run --level= "$tmp/ok.ops"
expect 2 "takes fuzz_ops or fuzz_boot" -- "$kbuddy" --target=fuzz_nothing run "$tmp/ok.ops"
expect 0 "operations format v1" -- "$kbuddy" --version
expect 2 "--version takes no arguments, not 'extra'" -- "$kbuddy" --version extra
expect 2 "--version takes no arguments, not 'run'" -- "$kbuddy" run "$tmp/ok.ops" --version
expect 2 "--version takes no other options" -- "$kbuddy" --version --level=2
expect 0 "usage: kbuddy COMMAND" -- "$kbuddy" help
expect 0 "usage: kbuddy COMMAND" -- "$kbuddy" --help
expect 2 "usage: kbuddy COMMAND" -- "$kbuddy"
expect 2 "unknown command 'nosuch'" -- "$kbuddy" help nosuch
expect 0 "usage: kbuddy help \[COMMAND\]" -- "$kbuddy" help help
expect 2 "help takes one command, not 'run' too" -- "$kbuddy" help help run
expect 0 "usage: kbuddy repro FILE" -- "$kbuddy" repro --help
# every command the help lists has its own help
cmds=$("$kbuddy" help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' | sort -u)
grep -qx help <<<"$cmds" || { echo "FAIL: kbuddy help does not list help itself"; failed=$((failed + 1)); }
[ "$(wc -w <<<"$cmds")" -ge 10 ] || { echo "FAIL: kbuddy help lists too few commands: $cmds"; failed=$((failed + 1)); }
for c in $cmds; do
	expect 0 "usage: kbuddy $c" -- "$kbuddy" help "$c"
done

# run --trace prints the kmem tracepoints in the kernel's ftrace format,
# stamped with the operation's number: the first allocation's fallback, a
# pcp refill, the frees and the drain each have their event.
printf 'layout default\nalloc order=0 -> a1\nalloc order=2 -> a2\nfree a2\nfree a1\ndrain\n' >"$tmp/trace.ops"
expect 0 "^# tracer: nop" -- "$kbuddy" run --trace "$tmp/trace.ops"
expect 0 " 2.000000: mm_page_alloc_zone_locked: page=(____ptrval____) pfn=0x[0-9a-f]* order=2 migratetype=0 percpu_refill=1" -- "$kbuddy" run --trace "$tmp/trace.ops"
expect 0 " 1.000000: mm_page_alloc_extfrag: .* alloc_order=0 fallback_order=10 pageblock_order=9 .* change_ownership=1" -- "$kbuddy" run --trace "$tmp/trace.ops"
expect 0 " 2.000000: mm_page_alloc: .* order=2 migratetype=0 gfp_flags=GFP_KERNEL" -- "$kbuddy" run --trace "$tmp/trace.ops"
expect 0 " 3.000000: mm_page_free: page=(____ptrval____) pfn=0x[0-9a-f]* order=2" -- "$kbuddy" run --trace "$tmp/trace.ops"
expect 0 " 5.000000: mm_page_pcpu_drain: .* order=2 migratetype=0" -- "$kbuddy" run --trace "$tmp/trace.ops"
expect 2 "--trace does not apply" -- "$kbuddy" layouts --trace

# The /proc views with --layout: the operation sequence runs on the named
# machine (a built-in name or a layout file) instead of its own layout
# line, so a sysctl write shows in that machine's zoneinfo. With
# watermark_scale_factor 1000, each populated zone's low is min plus
# max(min / 4, managed * 1000 / 10000) (__setup_per_zone_wmarks).
printf 'layout default\nsysctl watermark_scale_factor=1000\n' >"$tmp/wsf.ops"
"$kbuddy" layout numa >"$tmp/numa.layout"
wmark_step_ok() { # zoneinfo on stdin: every zone with pages has low - min as above
	awk '/^Node/ { zone = $0; movable = /Movable/ } $1 == "min" { min = $2 } $1 == "low" { low = $2 }
	     $1 == "managed" && $2 > 0 && !movable {
		step = int($2 * 1000 / 10000); if (int(min / 4) > step) step = int(min / 4)
		n++; if (low - min != step) { print "bad: " zone ": min " min " low " low " managed " $2; bad = 1 } }
	     END { if (!n) print "bad: no zone with pages"; exit bad || !n }'
}
for l in numa "$tmp/numa.layout"; do
	expect 0 "^Node 1, zone   Normal" -- "$kbuddy" zoneinfo "$tmp/wsf.ops" --layout "$l"
	"$kbuddy" zoneinfo "$tmp/wsf.ops" --layout "$l" 2>&1 | wmark_step_ok ||
		{ echo "FAIL: zoneinfo --layout $l: the watermark_scale_factor write does not show"; failed=$((failed + 1)); }
done
"$kbuddy" zoneinfo numa 2>&1 | wmark_step_ok >/dev/null &&
	{ echo "FAIL: the boot's watermarks already pass the watermark_scale_factor 1000 rule"; failed=$((failed + 1)); }
expect 0 "^Node 1, zone   Normal" -- "$kbuddy" --layout=numa buddyinfo "$tmp/wsf.ops"
expect 0 "^Node    1, zone   Normal, type      Movable" -- "$kbuddy" pagetypeinfo "$tmp/wsf.ops" --layout numa
expect 2 "numa is a layout; with --layout numa, the argument is the operation sequence" -- "$kbuddy" zoneinfo numa --layout numa
expect 2 "is a layout; with --layout" -- "$kbuddy" buddyinfo "$tmp/numa.layout" --layout numa
expect 2 "is an operation sequence, not a layout" -- "$kbuddy" zoneinfo "$tmp/wsf.ops" --layout "$tmp/wsf.ops"
expect 2 "unknown layout\|cannot open" -- "$kbuddy" zoneinfo "$tmp/wsf.ops" --layout nowhere
"$kbuddy" boot-input small "$tmp/wsf.ops" >"$tmp/wsf.boot" 2>/dev/null
"$kbuddy" decode --boot "$tmp/wsf.boot" -o "$tmp/wsf.boot.txt" 2>/dev/null
expect 2 "a fuzz_boot input brings its own layout" -- "$kbuddy" zoneinfo "$tmp/wsf.boot.txt" --layout numa
expect 2 "does not apply" -- "$kbuddy" decode "$tmp/wsf.ops" --layout numa

# A deliberate misuse is named, not undefined.
printf 'layout default\nalloc order=2 -> a1\nfree a1\nfree a1\n' >"$tmp/double.ops"
expect 1 "KBUDDY-SIGNATURE: api-double-free free" -- "$kbuddy" run "$tmp/double.ops"

if [ "$failed" -gt 0 ]; then
	echo "check_cli: $failed failed"
	exit 1
fi
echo "check_cli: all bad-input cases handled"
