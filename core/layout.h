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

/* Highest pfn a layout may use (exclusive): 16 GiB of 4 KiB pages. */
#define KB_MAX_PFN		(1UL << 22)
#define KB_MAX_RANGES		32

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
 * reserved or CMA ranges outside any zone, CMA not pageblock aligned or
 * crossing a zone, orders out of range, no CPUs at all, too many ranges.
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
};
int kb_layout_validate_lines(const struct kb_layout *layout,
			     const struct kb_layout_lines *lines,
			     char *err, size_t errlen);

#endif /* KB_LAYOUT_H */
