#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Real machines: every capture under tests/captures/ is imported
# (kbuddy import) with the kbuddy of its kernel's profile, and kbuddy
# compare must find every zoneinfo field derived at boot equal to the
# capture's zoneinfo.before, and to zoneinfo.after once the captured
# sysctl changes are written; the same changes as an operation sequence
# run by `kbuddy zoneinfo OPS --layout L` print zoneinfo.after too. Its
# trace imports (the counts of events
# equal the trace's) and replays clean, directly and as the imported
# sequence; bad traces get clear messages. Then the capture script runs on this machine
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
	dir=$("$make" -s --no-print-directory builddir "${args[@]}" 2>/dev/null) || return 1
	"$make" -s --no-print-directory kbuddy "${args[@]}" >"$tmp/build-$p.log" 2>&1 ||
		{ tail -n 20 "$tmp/build-$p.log" >&2; return 1; }
	echo "$dir/kbuddy"
}

# The sysctl writes from $1/sysctl_vm.before to $1/sysctl_vm.after as an
# operation sequence: one sysctl line per value that changed (each
# lowmem_reserve_ratio entry by its zone index), min_free_kbytes last, as
# kbuddy compare orders them.
sysctl_ops() {
	echo "# kbuddy ops v1"
	echo "# the sysctl writes from $1/sysctl_vm.before to sysctl_vm.after"
	awk -F' = ' '
		$1 ~ /^(min_free_kbytes|watermark_scale_factor|watermark_boost_factor|percpu_pagelist_high_fraction|lowmem_reserve_ratio)$/ {
			n = split($2, v, /[ \t]+/)
			for (i = 1; i <= n; i++) {
				key = $1 == "lowmem_reserve_ratio" ? $1 "[" (i - 1) "]" : $1
				if (FILENAME ~ /before$/)
					old[key] = v[i]
				else if (key in old && old[key] != v[i])
					line[++nr] = "sysctl " key "=" v[i]
			}
		}
		END {
			for (i = 1; i <= nr; i++)
				if (line[i] !~ /^sysctl min_free_kbytes=/)
					print line[i]
			for (i = 1; i <= nr; i++)
				if (line[i] ~ /^sysctl min_free_kbytes=/)
					print line[i]
		}' "$1/sysctl_vm.before" "$1/sysctl_vm.after"
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
	# The same through the command line: the captured sysctl changes as
	# operations, run on the imported layout by `kbuddy zoneinfo OPS
	# --layout L`, and the zoneinfo it prints against zoneinfo.after.
	if [ -f "$cap/zoneinfo.after" ] && [ -f "$cap/sysctl_vm.before" ] && [ -f "$cap/sysctl_vm.after" ]; then
		sysctl_ops "$cap" >"$tmp/$name.sysctl.ops"
		nr=$(grep -c '^sysctl ' "$tmp/$name.sysctl.ops")
		want=$(sed -n 's/^sysctl writes from sysctl_vm.before to sysctl_vm.after: //p' <<<"$out")
		if ! "$kb" zoneinfo "$tmp/$name.sysctl.ops" --layout "$tmp/$name.layout" >"$tmp/$name.after.zi" 2>&1; then
			fail "$name: zoneinfo of the sysctl writes on the layout: $(tail -n 2 "$tmp/$name.after.zi")"
		elif [ "$nr" != "$want" ]; then
			fail "$name: $nr sysctl writes as operations, compare replays '$want'"
		else
			after=$("$kb" compare zoneinfo "$cap/zoneinfo.after" "$tmp/$name.after.zi")
			if [ $? -ne 0 ] || ! grep -q ' 0 derived fields differ, 0 printed by one side only' <<<"$after"; then
				fail "$name: zoneinfo after $nr sysctl writes run as operations differs from zoneinfo.after:"
				grep -v dynamic <<<"$after" | head -n 20
			else
				echo "ok: $name: zoneinfo OPS --layout after $nr sysctl writes equals zoneinfo.after: $(grep 'fields equal' <<<"$after")"
			fi
		fi
	fi
	# The trace: its events counted as the text has them, a clean replay.
	[ -f "$cap/trace.txt.gz" ] || continue
	mkdir -p "$tmp/$name"
	cp "$cap"/format.* "$cap"/*.after "$tmp/$name/" 2>/dev/null
	gzip -dc "$cap/trace.txt.gz" >"$tmp/$name/trace.txt" || { fail "$name: trace.txt.gz"; continue; }
	out=$("$kb" trace replay "$tmp/$name/trace.txt" --layout "$tmp/$name.layout" 2>&1)
	status=$?
	if [ $status -ne 0 ] || ! grep -q 'at check level [0-9]: clean' <<<"$out"; then
		fail "$name: the trace does not replay clean (exit $status):"
		grep -v '^  kernel \|^  kbuddy ' <<<"$out" | tail -n 20
		continue
	fi
	for ev in mm_page_alloc mm_page_free mm_page_free_batched mm_page_pcpu_drain \
		  mm_page_alloc_zone_locked mm_page_alloc_extfrag; do
		want=$(grep -c ": $ev: " "$tmp/$name/trace.txt")
		got=$(sed -n "1s/.* $ev \([0-9]*\).*/\1/p" <<<"$out")
		[ "$want" = "$got" ] || fail "$name: $ev: the trace has $want, the import counted '$got'"
	done
	"$kb" trace import "$tmp/$name/trace.txt" --layout "$tmp/$name.layout" -o "$tmp/$name/seq.ops" >/dev/null ||
		{ fail "$name: trace import failed"; continue; }
	out2=$("$kb" trace replay "$tmp/$name/seq.ops" --layout "$tmp/$name.layout" 2>&1)
	if [ "$(sed 1d <<<"$out" | sed 1d)" != "$(sed 1d <<<"$out2")" ]; then
		fail "$name: the imported sequence replays differently from the trace"
	fi
	echo "ok: $name: trace replays clean: $(sed -n 's/^  same zone as the kernel: //p' <<<"$out"); fallbacks kernel/kbuddy $(sed -n 's/^  fallbacks (mm_page_alloc_extfrag) *\([0-9]*\) *\([0-9]*\)/\1\/\2/p' <<<"$out")"
	last=$name
done

# The synthetic capture's zoneinfo.after (worked out by hand in its
# README.txt) holds only with its sysctl writes: with sysctl_vm.after
# reset to .before, the 12 watermark and protection fields it changed
# must differ (min, low, high, promo of DMA and DMA32, DMA's protection).
syn=tests/captures/synthetic-6.12-1g-sysctl
if kb=$(kbuddy_for 6.12); then
	mkdir -p "$tmp/nosysctl"
	cp "$syn"/* "$tmp/nosysctl/"
	cp "$syn/sysctl_vm.before" "$tmp/nosysctl/sysctl_vm.after"
	if "$kb" import "$tmp/nosysctl" -o "$tmp/nosysctl.layout" 2>/dev/null; then
		out=$("$kb" compare zoneinfo "$tmp/nosysctl" "$tmp/nosysctl.layout")
		if [ $? -ne 1 ] || ! grep -q '12 derived fields differ' <<<"$out"; then
			fail "synthetic capture without its sysctl writes: expected 12 differing fields: $(grep 'fields equal' <<<"$out" | tr '\n' ';')"
		else
			echo "ok: synthetic-6.12-1g-sysctl without its sysctl writes: 12 derived fields differ"
		fi
	else
		fail "synthetic capture without its sysctl writes: import failed"
	fi
	# And through the command line: zoneinfo --layout with no writes run.
	sysctl_ops "$tmp/nosysctl" >"$tmp/nosysctl.ops"
	if "$kb" zoneinfo "$tmp/nosysctl.ops" --layout "$tmp/synthetic-6.12-1g-sysctl.layout" >"$tmp/nosysctl.zi" 2>&1; then
		out=$("$kb" compare zoneinfo "$syn/zoneinfo.after" "$tmp/nosysctl.zi")
		if [ $? -ne 1 ] || ! grep -q '12 derived fields differ' <<<"$out"; then
			fail "zoneinfo --layout of the synthetic capture without its sysctl writes: expected 12 differing fields: $(grep 'fields equal' <<<"$out")"
		else
			echo "ok: zoneinfo OPS --layout without the synthetic capture's sysctl writes: 12 derived fields differ from zoneinfo.after"
		fi
	else
		fail "zoneinfo --layout with no operations: $(tail -n 2 "$tmp/nosysctl.zi")"
	fi
else
	fail "no kbuddy for profile 6.12"
fi

# Bad traces: a clear message, never a crash.
if [ -n "${last:-}" ]; then
	bad=$tmp/bad.trace
	{
		head -n 40 "$tmp/$last/trace.txt"
		echo "  init-1 [000] .....  5.2: mm_page_alloc: page=(____ptrval____) pfn=0x30"
		echo "CPU:1 [LOST 12 EVENTS]"
		echo "  init-1 [000] .....  5.4: sched_switch: prev_comm=init"
		echo "  init-1 [000] .....  5.5: mm_page_free: page=(____ptrval____) pfn=0x2000 order=1mm_page_free: page=x"
	} >"$bad"
	out=$("$KBUDDY" trace replay "$bad" --layout "$tmp/$last.layout" 2>&1)
	status=$?
	if [ $status -ne 0 ] || ! grep -q 'malformed lines: 2' <<<"$out" || ! grep -q 'lost events: 12' <<<"$out" ||
	   ! grep -q 'other events skipped: 1 (sched_switch)' <<<"$out"; then
		fail "a truncated, interleaved and lossy trace: exit $status: $(head -n 6 <<<"$out")"
	else
		echo "ok: a truncated, interleaved and lossy trace replays and says so"
	fi
	for other in tests/captures/*/; do
		other=${other%/}; other=${other##*/}
		[ "$other" = "$last" ] || [ ! -f "$tmp/$other.layout" ] && continue
		"$KBUDDY" trace replay "$tmp/$last/trace.txt" --layout "$tmp/$other.layout" >/dev/null 2>"$tmp/other.err"
		status=$?
		if [ $status -ne 2 ] || ! grep -q "another machine" "$tmp/other.err"; then
			fail "$last's trace on $other's layout: exit $status, '$(cat "$tmp/other.err")'"
		else
			echo "ok: $last's trace on $other's layout is refused: $(cat "$tmp/other.err")"
		fi
		break
	done
	printf 'hello\n' >"$tmp/not.trace"
	"$KBUDDY" trace replay "$tmp/not.trace" --layout "$tmp/$last.layout" >/dev/null 2>"$tmp/not.err"
	status=$?
	[ $status -eq 2 ] && grep -q 'not an ftrace text' "$tmp/not.err" ||
		fail "a file that is no trace: exit $status, '$(cat "$tmp/not.err")'"
	"$KBUDDY" trace replay "$tmp/not.trace" >/dev/null 2>"$tmp/not.err"
	[ $? -eq 2 ] && grep -q 'needs --layout' "$tmp/not.err" || fail "trace replay without --layout"
fi

# kbuddy's own tracepoints (run --trace) in the kernel's format: the trace
# reader takes them, and they replay on their layout.
scen=tests/scenarios/buddy-split-merge.ops
"$KBUDDY" run --trace "$scen" >"$tmp/own.trace" 2>&1
n=$(grep -c ': mm_page_alloc: page=(____ptrval____) pfn=0x[0-9a-f]* order=[0-9]* migratetype=[0-9-]* gfp_flags=' "$tmp/own.trace")
out=$("$KBUDDY" trace replay "$tmp/own.trace" --layout default 2>&1)
if [ "$n" -lt 1 ] || ! grep -q "mm_page_alloc $n " <<<"$out" || ! grep -q 'clean' <<<"$out"; then
	fail "run --trace: $n mm_page_alloc lines; replayed: $(head -n 3 <<<"$out")"
else
	echo "ok: run --trace prints $(grep -c ': mm_page' "$tmp/own.trace") kmem events in the kernel's format; they replay: $(sed -n 's/^  same zone as the kernel: //p' <<<"$out")"
fi

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
# A CMA area in the boot log becomes the layout's, checked against zoneinfo's count.
mkdir -p "$tmp/cma"
cp "$src"/* "$tmp/cma/"
echo "[    0.050000] cma: Reserved 16 MiB at 0x0000000030000000 on node 0" >>"$tmp/cma/dmesg_mem.txt"
awk '/zone +DMA32/ { z = 1 } z && /^ +cma / { sub(/0$/, "4096"); z = 0 } { print }' \
	"$src/zoneinfo.before" >"$tmp/cma/zoneinfo.before"
"$KBUDDY" import "$tmp/cma" -o "$tmp/cma.layout" 2>"$tmp/cma.err"
if ! grep -q '^cma 0x30000 0x31000$' "$tmp/cma.layout" || grep -q 'CMA' "$tmp/cma.err"; then
	fail "the boot log's CMA area: $(grep cma "$tmp/cma.layout") $(cat "$tmp/cma.err")"
else
	echo "ok: the boot log's CMA area is the layout's: $(grep '^cma' "$tmp/cma.layout")"
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

# Past 16 GiB: a 2-node 64 GiB machine,
# its zoneinfo.before written by the rule of the shipped captures (node 0:
# DMA, DMA32 to 4 GiB with the PCI hole above 3 GiB, Normal to 32 GiB;
# node 1: Normal to 64 GiB), imports and boots with the watermarks derived
# by hand: lowmem 16262448 pages, min_free_kbytes max(int_sqrt(65049792 * 16)
# = 32261, khugepaged's 512 * 4 zones * (2 + 9) pages = 90112 KiB), node 1
# Normal's min 22528 * 8288608 / 16262448 = 11482, low and high + 8288 and
# + 2 * 8288 (watermark_scale_factor). A node 1 ending one GiB past the
# layout limit (KB_MAX_PFN, 1 TiB) is refused with the limit named.
big_zone() { # node name start spanned present managed
	printf 'Node %s, zone %8s\n  pages free     %s\n        boost    0\n        min      0\n        low      0\n        high     0\n        promo    0\n        spanned  %s\n        present  %s\n        managed  %s\n        cma      0\n        protection: (0, 0, 0, 0, 0)\n' "$1" "$2" "$6" "$4" "$5" "$6"
	[ "$4" = 0 ] && return
	printf '      nr_free_pages %s\n  pagesets\n    cpu: 0\n              count: 0\n              high:  0\n              batch: 63\n  vm stats threshold: 16\n  node_unreclaimable:  0\n  start_pfn:           %s\n' "$6" "$3"
}
big_zoneinfo() { # node 1's spanned pages
	big_zone 0 DMA 1 4095 3998 3840
	big_zone 0 DMA32 4096 1044480 782336 770000
	big_zone 0 Normal 1048576 7340032 7340032 7200000
	big_zone 0 Movable 0 0 0 0
	big_zone 0 Device 0 0 0 0
	big_zone 1 DMA 0 0 0 0
	big_zone 1 DMA32 0 0 0 0
	big_zone 1 Normal 8388608 "$1" "$1" $(($1 - 100000))
	big_zone 1 Movable 0 0 0 0
	big_zone 1 Device 0 0 0 0
}
mkdir -p "$tmp/64g" "$tmp/over"
big_zoneinfo 8388608 >"$tmp/64g/zoneinfo.before"
big_zoneinfo $((0x10040000 - 0x800000)) >"$tmp/over/zoneinfo.before"
if ! "$KBUDDY" import "$tmp/64g" -o "$tmp/64g.layout" 2>"$tmp/64g.err"; then
	fail "a 64 GiB 2-node capture does not import: $(tail -n 1 "$tmp/64g.err")"
elif ! grep -q '^zone 1 Normal 0x800000 0x1000000$' "$tmp/64g.layout"; then
	fail "a 64 GiB 2-node capture: node 1's Normal zone is not [32 GiB, 64 GiB): $(grep '^zone' "$tmp/64g.layout" | tr '\n' ';')"
elif ! "$KBUDDY" zoneinfo "$tmp/64g.layout" >"$tmp/64g.zi" 2>&1; then
	fail "a 64 GiB 2-node layout does not boot: $(tail -n 2 "$tmp/64g.zi")"
else
	got=$(sed -n '/^Node 1, zone   Normal/,/^Node/p' "$tmp/64g.zi" |
	      awk '$1 == "min" || $1 == "low" || $1 == "high" || $1 == "managed" { printf "%s %s ", $1, $2 }')
	if [ "$got" != "min 11482 low 19770 high 28058 managed 8288608 " ]; then
		fail "a 64 GiB 2-node machine's node 1 Normal: '$got', by hand 'min 11482 low 19770 high 28058 managed 8288608'"
	else
		echo "ok: a 64 GiB 2-node capture imports and boots: node 1 Normal $got"
	fi
fi
"$KBUDDY" import "$tmp/over" -o "$tmp/over.layout" >/dev/null 2>"$tmp/over.err"
status=$?
if [ $status -ne 2 ] || ! grep -q 'past the layout limit 0x10000000 (1024 GiB)' "$tmp/over.err"; then
	fail "a capture one GiB past 1 TiB: exit $status, '$(tail -n 1 "$tmp/over.err")'"
else
	echo "ok: a capture one GiB past 1 TiB is refused: $(tail -n 1 "$tmp/over.err")"
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
