/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A machine layout: nodes, zone pfn ranges, holes, reserved ranges, CMA
 * areas and the orders. It is what firmware and memblock would have told the
 * kernel at boot. This header holds what the allocator needs to boot one:
 * the structure, its defaults and its validation. Its text and binary forms
 * and the built-in layouts are in machine/layout_io.h
 * (docs/layout-format.md).
 */
#ifndef KB_LAYOUT_H
#define KB_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "mmzone.h"

/*
 * Highest pfn a layout may use (exclusive): 1 TiB of 4 KiB pages, 8192
 * memory sections (core/sparse.h). Only present sections take memory, so
 * a machine of this span with little memory boots as cheaply as its
 * memory; the limit keeps the mem_section table and the address space
 * reserved for the memmap (48 bytes a pfn, 12 GiB) modest.
 */
#define KB_MAX_PFN		(1UL << 28)
#define KB_MAX_RANGES		64
/* sysctl writes and reads a layout makes after boot */
#define KB_MAX_BOOT_SYSCTLS	16

#define KB_DEFAULT_MAX_PAGE_ORDER	10
#define KB_DEFAULT_PAGEBLOCK_ORDER	9

/* [start, end) in pfns; empty when start == end */
struct kb_range {
	unsigned long start, end;
};

enum kb_boot_path {
	KB_BOOT_MEMBLOCK,	/* memblock_free_all -> __free_pages_memory (mainline) */
	KB_BOOT_BOOTMEM,	/* free_all_bootmem_core with its bitmap (before 4.20) */
};

/*
 * What frees a late range: free_initrd_mem (the initramfs image, freed at
 * rootfs_initcall) or free_initmem (the kernel's init sections and the gaps
 * of its image, freed once the initcalls have run).
 */
enum kb_late_free_kind {
	KB_LATE_INITRD,
	KB_LATE_INITMEM,
	KB_NR_LATE_KINDS
};

/*
 * Transparent hugepages at boot: the profile's rule (hugepage_init: on
 * unless RAM is below KB_THP_MIN_RAM_MB), or forced on or off
 * (transparent_hugepage=always or never on the kernel command line).
 */
enum kb_thp_mode {
	KB_THP_AUTO,
	KB_THP_ON,
	KB_THP_OFF,
	KB_NR_THP_MODES
};

/* A sysctl written (or read: lowmem_reserve_ratio's handler recomputes) after boot. */
struct kb_boot_sysctl {
	unsigned char sysctl;	/* enum kb_sysctl */
	unsigned char index;	/* zone, for lowmem_reserve_ratio */
	unsigned char read;	/* 1: a read of the sysctl, value unused */
	long value;
};

struct kb_layout_node {
	struct kb_range zone[MAX_NR_ZONES];	/* zone spans; empty = not present;
						 * ZONE_DEVICE must stay empty */
	unsigned int nr_cpus;			/* CPUs on this node (may be 0) */
	unsigned char distance[KB_MAX_NODES];	/* node_distance(this, other) */
};

struct kb_layout {
	unsigned int max_page_order;	/* MAX_PAGE_ORDER, 1..KB_MAX_ORDER_LIMIT */
	unsigned int pageblock_order;	/* 1..max_page_order */
	unsigned int nr_nodes;		/* 1..KB_MAX_NODES */
	struct kb_layout_node node[KB_MAX_NODES];
	unsigned int nr_holes, nr_reserved, nr_cma;
	struct kb_range hole[KB_MAX_RANGES];	 /* no memory at all (not present) */
	struct kb_range reserved[KB_MAX_RANGES]; /* present but memblock-reserved */
	struct kb_range cma[KB_MAX_RANGES];	 /* CMA areas, pageblock aligned */
	long min_free_kbytes;		/* < 0: the kernel's default for the lowmem size */
	enum kb_boot_path boot_path;
	/*
	 * Memory present and reserved at boot that the kernel frees after the
	 * watermarks were set (free_initrd_mem, free_initmem), in this order.
	 */
	unsigned int nr_late_free;
	struct kb_range late_free[KB_MAX_RANGES];
	unsigned char late_free_kind[KB_MAX_RANGES];	/* enum kb_late_free_kind */
	enum kb_thp_mode thp;
	/* sysctls written or read once the machine is up, in this order */
	unsigned int nr_boot_sysctls;
	struct kb_boot_sysctl boot_sysctl[KB_MAX_BOOT_SYSCTLS];
	/* the version profile the layout was taken on ("" when not said) */
	char profile[16];
};

/* node_distance(): LOCAL_DISTANCE, REMOTE_DISTANCE and the largest valid value */
#define KB_LOCAL_DISTANCE	10
#define KB_REMOTE_DISTANCE	20
#define KB_MAX_DISTANCE		254

/* Total CPUs over all nodes. */
unsigned int kb_layout_nr_cpus(const struct kb_layout *layout);
/* The pfns an instance's memmap covers: whole MAX_PAGE_ORDER blocks. */
unsigned long kb_layout_max_pfn(const struct kb_layout *layout);

/*
 * Everything empty but the defaults every layout starts from: orders 10/9,
 * the kernel's default min_free_kbytes, memblock boot, LOCAL_DISTANCE to
 * itself and REMOTE_DISTANCE to every other node.
 */
void kb_layout_init(struct kb_layout *layout);

static inline int kb_ranges_overlap(const struct kb_range *a, const struct kb_range *b)
{
	return a->start < b->end && b->start < a->end;
}

/*
 * Checks a layout; returns 0, or -1 with a one-line reason in err. Rejects
 * overlapping or out-of-order zones and nodes, ranges past KB_MAX_PFN, holes,
 * reserved, CMA or late-freed ranges outside any zone, CMA not pageblock
 * aligned or crossing a zone, late-freed ranges over holes, reserved, CMA
 * or each other, orders out of range, no CPUs at all, too many ranges,
 * after-boot sysctls the kernel would refuse.
 */
int kb_layout_validate(const struct kb_layout *layout, char *err, size_t errlen);

/*
 * Where each item of a layout came from in a text form (line numbers,
 * 0 = unknown; last = the last line), so that kb_layout_validate_lines
 * can start its reason with "line N: ".
 */
struct kb_layout_lines {
	unsigned int max_order, pb_order, min_free, boot, last;
	unsigned int node[KB_MAX_NODES];
	unsigned int zone[KB_MAX_NODES][MAX_NR_ZONES];
	unsigned int distance[KB_MAX_NODES][KB_MAX_NODES];
	unsigned int hole[KB_MAX_RANGES];
	unsigned int reserved[KB_MAX_RANGES];
	unsigned int cma[KB_MAX_RANGES];
	unsigned int late_free[KB_MAX_RANGES];
	unsigned int thp, profile;
	unsigned int boot_sysctl[KB_MAX_BOOT_SYSCTLS];
};
int kb_layout_validate_lines(const struct kb_layout *layout,
			     const struct kb_layout_lines *lines,
			     char *err, size_t errlen);

/*
 * kernelcore= / movablecore= (mm/mm_init.c's cmdline_parse_core): a number
 * of pages (the size in bytes >> PAGE_SHIFT) or a percentage of all memory.
 * Both zero: not given.
 */
struct kb_core_size {
	unsigned long pages;
	unsigned int percent;	/* 1..100; 0: pages counts */
};

/*
 * Reads "SIZE[KMGTPE]" (memparse: decimal, 0x hex or 0 octal, in bytes)
 * or "N%" (N 0..100). Returns 0, or -1 with a reason in err.
 */
int kb_core_size_parse(const char *s, struct kb_core_size *out, char *err, size_t errlen);

/*
 * Places ZONE_MOVABLE by the kernel's rule (find_zone_movable_pfns_for_nodes
 * and adjust_zone_range_for_zone_movable, core/zone_movable.c): kernelcore
 * pages spread evenly across the nodes with memory, the rest of each node
 * from its ZONE_MOVABLE start (MAX_ORDER_NR_PAGES aligned) is Movable,
 * taken from the highest populated zone. The layout must declare no Movable
 * zone. Neither size given: nothing changes. Returns 0, or -1 with a
 * reason in err. The result still needs kb_layout_validate.
 */
int kb_layout_place_movable(struct kb_layout *layout, const struct kb_core_size *kernelcore,
			    const struct kb_core_size *movablecore, char *err, size_t errlen);

#endif /* KB_LAYOUT_H */
