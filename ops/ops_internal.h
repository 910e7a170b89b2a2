/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables and reductions shared by the binary decoder and encoder of the
 * operation format (docs/ops-format.md). Changing any of them changes what
 * existing fuzz corpora mean: bump KB_OPS_FORMAT_VERSION when you do.
 */
#ifndef KB_OPS_INTERNAL_H
#define KB_OPS_INTERNAL_H

#include <stdint.h>

#include "ops.h"
#include "../core/kbuddy.h"

/* record kind byte % KB_OPS_KIND_SLOTS -> enum kb_op_kind */
#define KB_OPS_KIND_SLOTS	32
extern const unsigned char kb_ops_kind_slot[KB_OPS_KIND_SLOTS];

/*
 * Kind slot 29 holds the further operations: a % KB_OPS_MORE_SLOTS picks one
 * of kb_ops_more_slot[] and a / KB_OPS_MORE_SLOTS (0-3) is left to its fields.
 * KB_OP_NONE marks a sub-slot not assigned yet: its record is dropped.
 * Sub-slots: 0-1 OOM_VICTIM, 2-15 memory pressure, 16-39 memory model and
 * allocation API, 40-55 concurrency, 56-63 real machines.
 */
#define KB_OPS_MORE_KIND_SLOT	29
#define KB_OPS_MORE_SLOTS	64
#define KB_OP_NONE		0xff
extern const unsigned char kb_ops_more_slot[KB_OPS_MORE_SLOTS];

/* Sub-slots of slot 29 for compaction: the operations and its sysctls. */
#define KB_OPS_MORE_COMPACT		2
#define KB_OPS_MORE_KCOMPACTD		3
#define KB_OPS_MORE_COMPACT_SYSCTL	4
/* Sub-slot of slot 29 for reclaim: a kswapd pass. */
#define KB_OPS_MORE_KSWAPD		5
/* Sub-slot of slot 29 for the OOM killer: a task's oom_score_adj. */
#define KB_OPS_MORE_OOM_SCORE_ADJ	6
/* Sub-slots of slot 29 for the allocation API. */
#define KB_OPS_MORE_SPLIT		24
#define KB_OPS_MORE_ALLOC_EXACT		25
#define KB_OPS_MORE_ALLOC_BULK		26
#define KB_OPS_MORE_SOFT_OFFLINE	27
#define KB_OPS_MORE_UNPOISON		28
/*
 * Sub-slots of slot 29 for concurrency: 40 switches the stream of the
 * records that follow (b % (2 * cpus + 1): 0 alone, else stream - 1 + 1);
 * 41-43 are SCHEDULE with 1 + (sub - 41) * 4 + a / 64 stream numbers.
 */
#define KB_OPS_MORE_STREAM		40
#define KB_OPS_MORE_SCHEDULE		41
/* UNPOISON's recent= reaches back this many poisoned pages */
#define KB_OPS_UNPOISON_RECENT		8

/*
 * SYSCTL records of slot 26 pick among the first KB_OPS_SYSCTL_SLOTS
 * sysctls (a % 5, as before the compaction sysctls existed); those from
 * KB_SYSCTL_COMPACT_MEMORY on are written through sub-slot 4 of slot 29.
 */
#define KB_OPS_SYSCTL_SLOTS		5
#define KB_OPS_COMPACT_SYSCTLS		3

/* The first sub-slot of slot 29 holding kind, or -1. */
int kb_ops_more_sub(enum kb_op_kind kind);

/* ALLOC: gfp = kb_ops_gfp_table[d0 % KB_OPS_GFP_TABLE_SIZE] ^ (d1..d3 bits) */
#define KB_OPS_GFP_TABLE_SIZE	32
extern const gfp_t kb_ops_gfp_table[KB_OPS_GFP_TABLE_SIZE];

/* What the binary form reduces fields against: taken from the layout. */
struct kb_ops_geometry {
	unsigned int index;		/* built-in layout index */
	unsigned int max_order;		/* its max_page_order */
	unsigned int nr_cpus;
	unsigned int nr_nodes;
	unsigned long max_pfn;		/* pfns the memmap covers */
	unsigned int nr_zone_starts;	/* populated zones */
	unsigned long zone_start[KB_MAX_NODES * MAX_NR_ZONES];	/* their first pfns */
};

/* The geometry of a layout (index: its built-in index, or 0). */
void kb_ops_geometry_of(const struct kb_layout *layout, unsigned int index,
			struct kb_ops_geometry *geo);

/* ALLOC_CONTIG: gfp = kb_ops_contig_gfp_table[d0 % SIZE], ^ (d1..d3 bits) if d0 & 0x80 */
#define KB_OPS_CONTIG_GFP_TABLE_SIZE	8
extern const gfp_t kb_ops_contig_gfp_table[KB_OPS_CONTIG_GFP_TABLE_SIZE];

/*
 * Largest nr of ISOLATE, UNISOLATE and ALLOC_CONTIG in the binary form: a
 * MAX_PAGE_ORDER block, at most 256 pages: a contiguous range costs work
 * per page (and per candidate range), and fuzzing lives on fast inputs.
 * A range across a pageblock boundary still isolates two pageblocks.
 */
static inline unsigned long kb_ops_max_range(const struct kb_ops_geometry *geo)
{
	unsigned long max = 1UL << geo->max_order;

	return max > 256 ? 256 : max;
}

/*
 * Which handles an operation may name, as the sequence goes: the binary
 * decoder picks among them by index, the encoder finds the index back.
 * live: allocated and not yet freed by their owner (FREE, GET pick here);
 * reffed: holding GET references (PUT picks here), whether or not the
 * owner freed already.
 */
struct kb_ops_handles {
	unsigned int live[KB_OPS_MAX];
	size_t nr_live;
	unsigned int reffed[KB_OPS_MAX];
	size_t nr_reffed;
	uint8_t refs[KB_OPS_MAX + 1];		/* GET references, by handle */
	bool contig[KB_OPS_MAX + 1];		/* order-0 pages: ALLOC_CONTIG, ALLOC_EXACT, split */
	bool compound[KB_OPS_MAX + 1];		/* ALLOC of order > 0 with __GFP_COMP */
	int depth[KB_MAX_NODES][MAX_NR_ZONES];	/* pcp_disable nesting */
};

#define KB_OPS_MAX_REFS	255

void kb_ops_handles_init(struct kb_ops_handles *t);
/*
 * Applies op (already valid for the sequence) to t; returns -1, changing
 * nothing, when op names a handle it may not (the decoder drops such
 * records, the encoder refuses them). hint: where the decoder found the
 * handle in live[] (FREE, GET) or reffed[] (PUT), or -1 to look it up.
 */
int kb_ops_handles_apply(struct kb_ops_handles *t, const struct kb_op *op, long hint);
/* Index of h in live[] / reffed[], or -1. */
long kb_ops_handles_live_index(const struct kb_ops_handles *t, unsigned int h);
long kb_ops_handles_reffed_index(const struct kb_ops_handles *t, unsigned int h);

/*
 * Decodes 8-byte records (no header byte) against geo, appending to out
 * (which names its layout) up to max_ops operations in all. Handles
 * continue from out->nr_handles; a FREE picks among the handles this call
 * allocated.
 */
void kb_ops_decode_records(const uint8_t *data, size_t size,
			   const struct kb_ops_geometry *geo, size_t max_ops, struct kb_ops *out);

/*
 * The records of ops (no header byte) against geo, for a layout that is
 * not built in (fuzz_boot inputs): 8 * nr_ops bytes, at most len of them
 * copied to buf. 0, or -1 when ops has no binary form with this geometry
 * (the same rules as kb_ops_encode_binary).
 */
int kb_ops_encode_records(const struct kb_ops *ops, const struct kb_ops_geometry *geo,
			  uint8_t *buf, size_t len);

/*
 * The text form checked against geo instead of a built-in layout: name
 * (at most 31 characters) becomes out->layout, and a "layout" line is an
 * error. Returns 0, or -1 with "line N: reason" in err.
 */
int kb_ops_parse_text_geo(const char *text, size_t len, const struct kb_ops_geometry *geo,
			  const char *name, struct kb_ops *out, char *err, size_t errlen);

/* 0, or -1 when name is not a built-in layout. */
int kb_ops_geometry(const char *name, struct kb_ops_geometry *geo);

/* SYSCTL values: a raw le32 reduced into the range the binary form uses. */
long kb_ops_sysctl_from_raw(unsigned int sysctl, uint32_t raw);
/* The inverse: 0 and *raw, or -1 when value is outside that range. */
int kb_ops_sysctl_to_raw(unsigned int sysctl, long value, uint32_t *raw);

#endif /* KB_OPS_INTERNAL_H */
