/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A capture directory (import/capture.sh writes one; docs/import.md lists
 * its files) read into facts, and the machine layout derived from them.
 * Every field of the layout comes from a rule applied to the capture: the
 * zone spans from zoneinfo, the holes from the firmware's memory map, the
 * late-freed ranges from the boot log and the kernel image in iomem, the
 * memblock reservations from present minus managed pages, the CPUs and
 * distances from sysfs, the sysctls in force, THP from the command line,
 * the profile from the kernel version. What no rule reaches is a warning.
 */
#ifndef KB_IMPORT_CAPTURE_H
#define KB_IMPORT_CAPTURE_H

#include <stdbool.h>
#include <stdio.h>

#include "layout.h"
#include "zoneinfo.h"

#define KB_CAP_MAX_RANGES	128
#define KB_CAP_MAX_FREES	16
#define KB_CAP_MAX_NODES	64

/* A physical range [start, end) in pfns, with the node it belongs to. */
struct kb_cap_range {
	unsigned long start, end;
	int node;
};

/* A line "NAME = VALUE" of sysctl_vm.* (lowmem_reserve_ratio: one value per zone). */
struct kb_cap_sysctl {
	char name[48];
	int nr;
	long value[8];
};

#define KB_CAP_MAX_SYSCTLS	16

/* A sysctl_vm.before or .after file. */
struct kb_cap_sysctls {
	bool present;
	int nr;
	struct kb_cap_sysctl s[KB_CAP_MAX_SYSCTLS];
};

/* A "Freeing ... memory: NK" line of the boot log. */
struct kb_cap_free {
	char what[64];		/* "initrd", "unused kernel image (initmem)", ... */
	unsigned long kib;
};

struct kb_capture {
	char dir[512];
	/* zoneinfo.before (required) and zoneinfo.after (optional) */
	struct kb_zoneinfo *before, *after;
	/* version: "6.1.0-56-amd64" from uname -r or /proc/version, and its numbers */
	char release[64];
	int version_major, version_minor;
	char machine[32];	/* uname -m: x86_64, aarch64, ... */
	char cmdline[2048];
	/* memory as the firmware and memblock saw it */
	int nr_ram;		/* iomem's System RAM, else the e820 usable ranges */
	struct kb_cap_range ram[KB_CAP_MAX_RANGES];
	int nr_node_ram;	/* dmesg's "Early memory node ranges" */
	struct kb_cap_range node_ram[KB_CAP_MAX_RANGES];
	/* the kernel image in iomem (byte addresses, end exclusive; 0 = unknown) */
	unsigned long long code[2], rodata[2], data[2], bss[2];
	unsigned long long ramdisk[2];	/* dmesg "RAMDISK: [mem A-B]" */
	int nr_frees;
	struct kb_cap_free frees[KB_CAP_MAX_FREES];
	/* "cma: Reserved N MiB at ADDR" (byte addresses, end exclusive) */
	int nr_cma;
	unsigned long long cma[8][2];
	bool have_dmesg, have_iomem, have_node_info, have_sysctl_vm_all;
	/* per node from sysfs: CPUs and distances */
	int nr_nodes_sysfs;
	int node_cpus[KB_CAP_MAX_NODES];
	int nr_distance[KB_CAP_MAX_NODES];
	int distance[KB_CAP_MAX_NODES][KB_CAP_MAX_NODES];
	/* sysctl_vm.before (or sysctl_vm) and sysctl_vm.after as written */
	struct kb_cap_sysctls sysctl_before, sysctl_after;
	/* sysctls in force at the "before" snapshot (sysctl_vm.before) */
	bool have_sysctl;
	long min_free_kbytes, watermark_scale_factor, watermark_boost_factor;
	long percpu_pagelist_high_fraction;
	int nr_lowmem_reserve_ratio;
	long lowmem_reserve_ratio[8];
	char thp_enabled[16];	/* the bracketed word of transparent_hugepage/enabled */
};

/*
 * Reads a capture directory. Fails (-1, reason in err) when
 * zoneinfo.before (or zoneinfo) is missing or does not parse, or when a
 * sysctl_vm file holds a line or a number that is not what /proc/sys/vm
 * prints (the file, line and column named); every other file is
 * optional and its absence a warning to `warn` (NULL: none).
 * kb_capture_free releases what it allocated.
 */
int kb_capture_read(const char *dir, struct kb_capture *cap, FILE *warn,
		    char *err, size_t errlen);
void kb_capture_free(struct kb_capture *cap);

/*
 * The layout of the captured machine at boot. Returns 0, or -1 with the
 * reason in err (the machine is beyond what a layout holds: more than
 * KB_MAX_NODES nodes, memory past KB_MAX_PFN, ...). Warnings go to warn.
 */
int kb_capture_derive(const struct kb_capture *cap, struct kb_layout *out, FILE *warn,
		      char *err, size_t errlen);
/* The version profile for the captured kernel ("6.1", "6.6", "6.12", "mainline"). */
const char *kb_capture_profile(const struct kb_capture *cap);

#endif /* KB_IMPORT_CAPTURE_H */
