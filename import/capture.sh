#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kbuddy capture: what a Linux machine shows of its page allocator, written
# to one directory for `kbuddy import DIR` (import/README.md lists the files).
#
#   sh capture.sh [-o DIR] [-t SECONDS] [-b KB] [-r ROOT]
#
#   -o DIR      output directory (default: kbuddy-capture-HOST); must not exist
#   -t SECONDS  also trace the kmem page events for SECONDS (needs root and
#               tracefs); the snapshots before and after frame the trace
#   -b KB       trace buffer per CPU in KiB (default 16384)
#   -r ROOT     read /proc, /sys and dmesg under ROOT instead of / (tests)
#
# POSIX sh and the base utilities only (cat, grep, ls, sed, uname, sleep).
# Root is optional: without it dmesg, iomem's addresses and the trace may be
# missing or zeroed, and capture.log says which. Nothing is changed on the
# machine except, with -t, the tracing setup, which is put back afterwards.

set -u

out= secs=0 bufkb=16384 root=
usage() {
	echo "usage: sh capture.sh [-o DIR] [-t SECONDS] [-b KB] [-r ROOT]" >&2
	exit 2
}
while getopts o:t:b:r:h opt; do
	case $opt in
	o) out=$OPTARG ;;
	t) secs=$OPTARG ;;
	b) bufkb=$OPTARG ;;
	r) root=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
case $secs in ''|*[!0-9]*) echo "capture: -t takes whole seconds, not '$secs'" >&2; exit 2 ;; esac
case $bufkb in ''|*[!0-9]*) echo "capture: -b takes KiB, not '$bufkb'" >&2; exit 2 ;; esac
[ -n "$out" ] || out=kbuddy-capture-$(uname -n 2>/dev/null || echo machine)
if [ -e "$out" ]; then
	echo "capture: $out already exists; name a new directory with -o" >&2
	exit 2
fi
mkdir -p "$out" || exit 2
log=$out/capture.log
: >"$log"

note() { echo "$*" >>"$log"; }

# copy SRC DEST: one file, or a line in capture.log saying why not.
copy() {
	if [ -r "$root$1" ] && cat "$root$1" >"$out/$2" 2>/dev/null; then
		return 0
	fi
	rm -f "$out/$2"
	note "missing: $1 (not readable)"
	return 1
}

# The allocator's views at one moment: zoneinfo, buddyinfo, pagetypeinfo,
# meminfo, vmstat and the watermark sysctls, as NAME.SUFFIX.
snapshot() {
	for f in zoneinfo buddyinfo pagetypeinfo meminfo vmstat; do
		copy /proc/$f $f.$1
	done
	for s in min_free_kbytes watermark_scale_factor watermark_boost_factor \
		 lowmem_reserve_ratio percpu_pagelist_high_fraction; do
		if [ -r "$root/proc/sys/vm/$s" ]; then
			printf '%s = %s\n' "$s" "$(cat "$root/proc/sys/vm/$s")"
		fi
	done >"$out/sysctl_vm.$1"
}

# Whole-machine facts, read once before anything else.
copy /proc/cmdline cmdline
copy /proc/iomem iomem
copy /proc/version version
uname -a >"$out/uname" 2>/dev/null
if [ -n "$root" ]; then
	copy /proc/nproc nproc
else
	n=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)
	echo "${n:-0}" >"$out/nproc"
fi

# Every vm sysctl (this read also runs lowmem_reserve_ratio's handler,
# which recomputes the lowmem reserves: the import says so).
for f in "$root"/proc/sys/vm/*; do
	[ -f "$f" ] && [ -r "$f" ] || continue
	v=$(cat "$f" 2>/dev/null) || continue
	printf '%s = %s\n' "${f##*/}" "$v"
done >"$out/sysctl_vm_all" 2>/dev/null

# Parameters that decide boot-time policy.
for f in /sys/module/page_alloc/parameters/shuffle \
	 /sys/kernel/mm/transparent_hugepage/enabled \
	 /sys/kernel/mm/transparent_hugepage/defrag \
	 /proc/sys/vm/numa_zonelist_order /proc/sys/kernel/randomize_va_space \
	 /proc/sys/vm/overcommit_memory /proc/sys/vm/zone_reclaim_mode \
	 /proc/sys/vm/extfrag_threshold /proc/sys/vm/compaction_proactiveness; do
	[ -r "$root$f" ] && printf '%s: %s\n' "$f" "$(cat "$root$f")"
done >"$out/misc_params" 2>/dev/null

# NUMA nodes: meminfo, distances and CPUs of each.
for d in "$root"/sys/devices/system/node/node[0-9]*; do
	[ -d "$d" ] || continue
	echo "== ${d#$root}"
	cat "$d/meminfo" 2>/dev/null
	echo "distance: $(cat "$d/distance" 2>/dev/null)"
	echo "cpulist: $(cat "$d/cpulist" 2>/dev/null)"
done >"$out/node_info"
[ -s "$out/node_info" ] || note "missing: /sys/devices/system/node (no NUMA nodes in sysfs)"

# The memory lines of the boot log: e820 map, zone and node ranges, the
# movable zone start, memblock reservations, the late frees.
mempat='e820|] +(DMA|DMA32|Normal|Movable|Device|HighMem) |RAMDISK|NUMA|SRAT|[Zz]one|[Nn]ode|Memory|[Ff]reeing|percpu|pcpu|reserve|Policy|mem auto-init|deferred|kernelcore|movablecore|crashkernel|cma|hugepage|Initmem|unavailable'
if [ -n "$root" ]; then
	dm=$(cat "$root/dmesg" 2>/dev/null)
else
	dm=$(dmesg 2>/dev/null)
fi
if [ -n "$dm" ]; then
	printf '%s\n' "$dm" | grep -E "$mempat" >"$out/dmesg_mem.txt"
else
	note "missing: dmesg (not readable: run as root, or sysctl kernel.dmesg_restrict=0)"
fi

snapshot before

# Optional trace of the page allocator's events.
events='mm_page_alloc mm_page_free mm_page_free_batched mm_page_pcpu_drain mm_page_alloc_zone_locked mm_page_alloc_extfrag'
tr=
for t in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -w "$root$t/tracing_on" ] && { tr=$root$t; break; }
done
if [ "$secs" -gt 0 ] && [ -z "$tr" ]; then
	note "trace: no writable tracefs (needs root and tracefs mounted); no trace taken"
elif [ "$secs" -gt 0 ]; then
	old_on=$(cat "$tr/tracing_on")
	old_buf=$(cat "$tr/buffer_size_kb")
	old_events=$(cat "$tr/set_event")
	echo 0 >"$tr/tracing_on"
	: >"$tr/trace"
	echo "$bufkb" >"$tr/buffer_size_kb"
	: >"$tr/set_event"
	for e in $events; do
		cat "$tr/events/kmem/$e/format" >"$out/format.$e" 2>/dev/null &&
			echo "kmem:$e" >>"$tr/set_event"
	done
	{
		echo "buffer_size_kb=$(cat "$tr/buffer_size_kb")"
		echo "buffer_total_size_kb=$(cat "$tr/buffer_total_size_kb" 2>/dev/null)"
		echo "trace_clock=$(cat "$tr/trace_clock")"
		echo "set_event:"
		cat "$tr/set_event"
	} >"$out/trace_setup"
	echo 1 >"$tr/tracing_on"
	sleep "$secs"
	echo 0 >"$tr/tracing_on"
	for c in "$tr"/per_cpu/cpu[0-9]*; do
		echo "== ${c##*/}"
		cat "$c/stats"
	done >"$out/trace_stats"
	cat "$tr/trace" >"$out/trace.txt"
	# Put the tracing setup back as it was.
	: >"$tr/set_event"
	printf '%s\n' "$old_events" | while read -r e; do
		[ -n "$e" ] && echo "$e" >>"$tr/set_event"
	done
	echo "$old_buf" >"$tr/buffer_size_kb" 2>/dev/null
	: >"$tr/trace"
	echo "$old_on" >"$tr/tracing_on"
fi

snapshot after
# The names import reads when no .before exists.
for f in meminfo sysctl_vm; do
	[ -f "$out/$f.before" ] && cat "$out/$f.before" >"$out/$f"
done
echo "capture: wrote $out$( [ -s "$log" ] && echo " ($(grep -c . "$log") notes in $log)")"
