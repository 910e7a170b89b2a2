/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A machine layout: nodes, zone pfn ranges, holes, reserved ranges, CMA
 * areas and the orders. It is what firmware and memblock would have told the
 * kernel at boot. The text form is documented in docs/layout-format.md; the
 * binary form (for fuzzing) decodes any byte string into a valid layout.
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

/* Total CPUs over all nodes. */
unsigned int kb_layout_nr_cpus(const struct kb_layout *layout);
/* The pfns an instance's memmap covers: whole MAX_PAGE_ORDER blocks. */
unsigned long kb_layout_max_pfn(const struct kb_layout *layout);

/* Fills a one-node layout named "default" (see kb_layout_builtin). */
void kb_layout_default(struct kb_layout *layout);

/*
 * Checks a layout; returns 0, or -1 with a one-line reason in err. Rejects
 * overlapping or out-of-order zones and nodes, ranges past KB_MAX_PFN, holes,
 * reserved or CMA ranges outside any zone, CMA not pageblock aligned or
 * crossing a zone, orders out of range, no CPUs at all, too many ranges.
 */
int kb_layout_validate(const struct kb_layout *layout, char *err, size_t errlen);

/* Text form: returns 0, or -1 with "line N: reason" in err. */
int kb_layout_parse_text(const char *text, size_t len, struct kb_layout *out,
			 char *err, size_t errlen);
/* Writes the text form; returns the length it needed (snprintf semantics). */
size_t kb_layout_format_text(const struct kb_layout *layout, char *buf, size_t len);

/* Binary form: any byte string decodes to a valid layout; returns bytes used. */
size_t kb_layout_decode_binary(const uint8_t *data, size_t size, struct kb_layout *out);
/* Writes a binary form that decodes back to the same layout; returns its length. */
size_t kb_layout_encode_binary(const struct kb_layout *layout, uint8_t *buf, size_t len);

/* Built-in named layouts used by scenarios and fuzz_ops. */
int kb_layout_builtin(const char *name, struct kb_layout *out);
const char *kb_layout_builtin_name(unsigned int index);	/* NULL past the end */
unsigned int kb_layout_builtin_count(void);

#endif /* KB_LAYOUT_H */
