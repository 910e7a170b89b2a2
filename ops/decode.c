/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binary operation format, version 1 (docs/ops-format.md): byte 0 picks
 * a built-in layout, then 8-byte records [kind][a][b][c][d0 d1 d2 d3] whose
 * fields are reduced into range, so every byte string is a valid sequence.
 */
#include <stdio.h>
#include <string.h>

#include "ops.h"
#include "ops_internal.h"
#include "../core/kbuddy.h"
#include "../machine/layout_io.h"

const unsigned char kb_ops_kind_slot[KB_OPS_KIND_SLOTS] = {
	KB_OP_ALLOC, KB_OP_ALLOC, KB_OP_ALLOC, KB_OP_ALLOC,		/*  0-3  */
	KB_OP_ALLOC, KB_OP_ALLOC, KB_OP_ALLOC, KB_OP_ALLOC,		/*  4-7  */
	KB_OP_ALLOC, KB_OP_ALLOC, KB_OP_ALLOC, KB_OP_ALLOC,		/*  8-11 */
	KB_OP_FREE, KB_OP_FREE, KB_OP_FREE, KB_OP_FREE,			/* 12-15 */
	KB_OP_FREE, KB_OP_FREE, KB_OP_FREE, KB_OP_FREE,			/* 16-19 */
	KB_OP_FREE, KB_OP_FREE, KB_OP_FREE, KB_OP_FREE,			/* 20-23 */
	KB_OP_DRAIN_CPU, KB_OP_DRAIN_ALL, KB_OP_SYSCTL,			/* 24-26 */
	KB_OP_PCP_DISABLE, KB_OP_PCP_ENABLE,				/* 27-28 */
	KB_OP_OOM_VICTIM,	/* 29: a % 64 selects one of kb_ops_more_slot[] */
	KB_OP_GET,	/* 30: a & 1 selects GET or PUT */
	KB_OP_ISOLATE,	/* 31: a % 3 selects ISOLATE, UNISOLATE or ALLOC_CONTIG */
};

#define NONE	KB_OP_NONE
const unsigned char kb_ops_more_slot[KB_OPS_MORE_SLOTS] = {
	KB_OP_OOM_VICTIM, KB_OP_OOM_VICTIM,				/*  0-1  */
	KB_OP_COMPACT, KB_OP_KCOMPACTD, KB_OP_SYSCTL,			/*  2-4  compaction */
	KB_OP_KSWAPD, KB_OP_OOM_SCORE_ADJ, NONE,			/*  5-7  pressure */
	NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,			/*  8-15 pressure */
	NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,			/* 16-23 memory model, API */
	KB_OP_SPLIT, KB_OP_ALLOC_EXACT, KB_OP_ALLOC_BULK,		/* 24-26 allocation API */
	KB_OP_SOFT_OFFLINE, KB_OP_UNPOISON,				/* 27-28 hwpoison */
	NONE, NONE, NONE,						/* 29-31 allocation API */
	NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,			/* 32-39 memory model, API */
	NONE, KB_OP_SCHEDULE, KB_OP_SCHEDULE, KB_OP_SCHEDULE,		/* 40-43 concurrency */
	NONE, NONE, NONE, NONE,						/* 44-47 concurrency */
	NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,			/* 48-55 concurrency */
	NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,			/* 56-63 real machines */
};
#undef NONE

int kb_ops_more_sub(enum kb_op_kind kind)
{
	unsigned int i;

	for (i = 0; i < KB_OPS_MORE_SLOTS; i++)
		if (kb_ops_more_slot[i] == kind)
			return (int)i;
	return -1;
}

/* alloc_contig_range accepts only reclaim and a few action flags. */
const gfp_t kb_ops_contig_gfp_table[KB_OPS_CONTIG_GFP_TABLE_SIZE] = {
	GFP_KERNEL,
	GFP_KERNEL | __GFP_COMP,
	GFP_KERNEL | __GFP_NOWARN,
	GFP_KERNEL | __GFP_RETRY_MAYFAIL,
	GFP_KERNEL | __GFP_ZERO,
	GFP_DMA32 | GFP_KERNEL,
	GFP_DMA | GFP_KERNEL,
	GFP_KERNEL | __GFP_COMP | __GFP_NOWARN,
};

/* Common GFP combinations; random bits from d1..d3 are XORed on top. */
const gfp_t kb_ops_gfp_table[KB_OPS_GFP_TABLE_SIZE] = {
	GFP_KERNEL,						/*  0 */
	GFP_ATOMIC,
	GFP_NOWAIT,
	GFP_HIGHUSER_MOVABLE,
	GFP_USER,
	GFP_DMA | GFP_KERNEL,					/*  5 */
	GFP_DMA32 | GFP_KERNEL,
	GFP_KERNEL | __GFP_RECLAIMABLE,
	GFP_TRANSHUGE,
	GFP_TRANSHUGE_LIGHT,
	GFP_KERNEL | __GFP_COMP,				/* 10 */
	GFP_ATOMIC | __GFP_COMP,
	GFP_KERNEL | __GFP_THISNODE,
	GFP_NOIO,
	GFP_NOFS,
	GFP_KERNEL | __GFP_NORETRY,				/* 15 */
	GFP_KERNEL | __GFP_NOFAIL,
	GFP_ATOMIC | __GFP_NOMEMALLOC,
	GFP_KERNEL | __GFP_MEMALLOC,
	GFP_KERNEL | __GFP_RETRY_MAYFAIL,
	GFP_KERNEL_ACCOUNT,					/* 20 */
	GFP_HIGHUSER,
	GFP_KERNEL | __GFP_ZERO,
	GFP_NOWAIT | __GFP_COMP,
	GFP_HIGHUSER_MOVABLE | __GFP_COMP,
	GFP_ATOMIC | __GFP_DMA,					/* 25 */
	/* slab's opportunistic high-order attempt */
	GFP_KERNEL | __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY,
	/* migration target on a given node */
	GFP_HIGHUSER_MOVABLE | __GFP_THISNODE,
	GFP_TRANSHUGE | __GFP_THISNODE,
	GFP_ATOMIC | __GFP_NOWARN,
	GFP_NOWAIT | __GFP_RECLAIMABLE,				/* 30 */
	/* page cache under a NOFS mapping_gfp_mask */
	GFP_HIGHUSER_MOVABLE & ~__GFP_FS,
};

void kb_ops_geometry_of(const struct kb_layout *layout, unsigned int index,
			struct kb_ops_geometry *geo)
{
	geo->index = index;
	geo->max_order = layout->max_page_order;
	geo->nr_cpus = kb_layout_nr_cpus(layout);
	geo->nr_nodes = layout->nr_nodes;
	geo->max_pfn = kb_layout_max_pfn(layout);
	geo->nr_zone_starts = 0;
	for (unsigned int nid = 0; nid < layout->nr_nodes && nid < KB_MAX_NODES; nid++)
		for (unsigned int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (layout->node[nid].zone[zid].end > layout->node[nid].zone[zid].start)
				geo->zone_start[geo->nr_zone_starts++] =
					layout->node[nid].zone[zid].start;
}

/*
 * The built-in layouts are constant: the geometry of each is built once
 * (every fuzz input decodes against one, and building a layout costs more
 * than decoding the input).
 */
#define GEOMETRY_CACHE	64

int kb_ops_geometry(const char *name, struct kb_ops_geometry *geo)
{
	static struct kb_ops_geometry cache[GEOMETRY_CACHE];
	static bool cached[GEOMETRY_CACHE];
	struct kb_layout layout;
	unsigned int i;

	for (i = 0; i < kb_layout_builtin_count(); i++) {
		if (!name || strcmp(name, kb_layout_builtin_name(i)))
			continue;
		if (i < GEOMETRY_CACHE && cached[i]) {
			*geo = cache[i];
			return 0;
		}
		if (kb_layout_builtin(name, &layout))
			return -1;
		kb_ops_geometry_of(&layout, i, geo);
		if (i < GEOMETRY_CACHE) {
			cache[i] = *geo;
			cached[i] = true;
		}
		return 0;
	}
	return -1;
}

/*
 * The ranges SYSCTL values are reduced into. They are the kernel's valid
 * ranges, except min_free_kbytes whose upper bound suits these small
 * layouts. percpu_pagelist_high_fraction is 0 or 8..64.
 */
static const struct {
	long min, max;
} sysctl_range[KB_NR_SYSCTLS] = {
	[KB_SYSCTL_MIN_FREE_KBYTES]		  = { 128, 65536 },
	[KB_SYSCTL_WATERMARK_SCALE_FACTOR]	  = { 1, 3000 },
	[KB_SYSCTL_WATERMARK_BOOST_FACTOR]	  = { 0, 30000 },
	[KB_SYSCTL_LOWMEM_RESERVE_RATIO]	  = { 0, 1024 },
	[KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION] = { 7, 64 },	/* 7 stands for 0 */
	[KB_SYSCTL_COMPACT_MEMORY]		  = { 1, 1 },
	[KB_SYSCTL_EXTFRAG_THRESHOLD]		  = { 0, 1000 },
	[KB_SYSCTL_COMPACTION_PROACTIVENESS]	  = { 0, 100 },
};

long kb_ops_sysctl_from_raw(unsigned int sysctl, uint32_t raw)
{
	long min, span, v;

	if (sysctl >= KB_NR_SYSCTLS)
		return 0;
	min = sysctl_range[sysctl].min;
	span = sysctl_range[sysctl].max - min + 1;
	v = min + (long)(raw % (uint32_t)span);
	if (sysctl == KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION && v == 7)
		v = 0;
	return v;
}

int kb_ops_sysctl_to_raw(unsigned int sysctl, long value, uint32_t *raw)
{
	if (sysctl >= KB_NR_SYSCTLS)
		return -1;
	if (sysctl == KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION) {
		if (value == 0)
			value = 7;
		else if (value == 7)
			return -1;
	}
	if (value < sysctl_range[sysctl].min || value > sysctl_range[sysctl].max)
		return -1;
	*raw = (uint32_t)(value - sysctl_range[sysctl].min);
	return 0;
}

void kb_ops_decode_binary(const uint8_t *data, size_t size, struct kb_ops *out)
{
	struct kb_ops_geometry geo;
	const char *name;

	if (!data)
		size = 0;
	name = kb_layout_builtin_name(size ? data[0] % kb_layout_builtin_count() : 0);
	if (kb_ops_geometry(name, &geo))
		geo = (struct kb_ops_geometry){ .nr_cpus = 1, .nr_nodes = 1, .max_pfn = 1 };
	memset(out->layout, 0, sizeof(out->layout));
	snprintf(out->layout, sizeof(out->layout), "%s", name);
	out->nr_ops = 0;
	out->nr_handles = 0;
	kb_ops_decode_records(size ? data + 1 : data, size ? size - 1 : 0, &geo, KB_OPS_MAX, out);
}

/* nr of a range operation: 1..kb_ops_max_range from b and the low half of c */
static unsigned long range_nr(const struct kb_ops_geometry *geo, unsigned int b, unsigned int c)
{
	return 1 + (b | (c & 0x0f) << 8) % kb_ops_max_range(geo);
}

void kb_ops_decode_records(const uint8_t *data, size_t size,
			   const struct kb_ops_geometry *g, size_t max_ops, struct kb_ops *out)
{
	struct kb_ops_handles t;
	struct kb_ops_geometry geo = *g;
	unsigned int stream = 0;	/* of the records that follow (sub-slot 40) */
	size_t off;

	if (!data)
		size = 0;
	if (max_ops > KB_OPS_MAX)
		max_ops = KB_OPS_MAX;
	if (!geo.max_pfn)
		geo.max_pfn = 1;
	kb_ops_handles_init(&t);
	if (out->nr_ops < max_ops) {
		size_t room = max_ops - out->nr_ops, nr = size / KB_OPS_RECORD_SIZE;

		/* one clearing for every slot the records can fill */
		memset(&out->ops[out->nr_ops], 0, (nr < room ? nr : room) * sizeof(struct kb_op));
	}

	for (off = 0; off + KB_OPS_RECORD_SIZE <= size && out->nr_ops < max_ops;
	     off += KB_OPS_RECORD_SIZE) {
		const uint8_t *rec = data + off;
		unsigned int a = rec[1], b = rec[2], c = rec[3];
		uint32_t d = rec[4] | (uint32_t)rec[5] << 8 |
			     (uint32_t)rec[6] << 16 | (uint32_t)rec[7] << 24;
		struct kb_op *op;
		long hint = -1;

		/* built in place: its slot is zero (cleared above, and again on a drop) */
		op = &out->ops[out->nr_ops];
		op->kind = (enum kb_op_kind)kb_ops_kind_slot[rec[0] % KB_OPS_KIND_SLOTS];
		if (rec[0] % KB_OPS_KIND_SLOTS == KB_OPS_MORE_KIND_SLOT) {
			unsigned int sub = kb_ops_more_slot[a % KB_OPS_MORE_SLOTS];

			if (a % KB_OPS_MORE_SLOTS == KB_OPS_MORE_STREAM) {
				stream = b % (2 * geo.nr_cpus + 1);
				goto drop;	/* no operation of its own */
			}
			if (sub == KB_OP_NONE)
				goto drop;
			op->kind = (enum kb_op_kind)sub;
		}
		switch (op->kind) {
		case KB_OP_ALLOC:
			op->order = a % (geo.max_order + 1);
			op->cpu = b % geo.nr_cpus;
			op->nid = (int)(c % (geo.nr_nodes + 1));
			if (op->nid == (int)geo.nr_nodes)
				op->nid = -1;
			op->gfp = kb_ops_gfp_table[rec[4] % KB_OPS_GFP_TABLE_SIZE] ^
				 ((d >> 8) & KB_GFP_VALID_MASK);
			op->handle = (unsigned int)++out->nr_handles;
			break;
		case KB_OP_FREE:
			if (!t.nr_live)
				goto drop;	/* nothing to free: dropped */
			hint = (long)((a | b << 8) % t.nr_live);
			op->handle = t.live[hint];
			op->cpu = c % geo.nr_cpus;
			/* only a handle with exactly one GET reference can race */
			op->race = (d & 1) && t.refs[op->handle] == 1;
			break;
		case KB_OP_GET:
			if (a & 1) {
				op->kind = KB_OP_PUT;
				if (!t.nr_reffed)
					goto drop;
				hint = (long)((b | c << 8) % t.nr_reffed);
				op->handle = t.reffed[hint];
			} else {
				if (!t.nr_live)
					goto drop;
				hint = (long)((b | c << 8) % t.nr_live);
				op->handle = t.live[hint];
			}
			break;
		case KB_OP_ISOLATE:
			switch (a % 3) {
			case 0:
			case 1:
				op->kind = a % 3 ? KB_OP_UNISOLATE : KB_OP_ISOLATE;
				op->pfn = d % geo.max_pfn;
				/*
				 * c & 0x10: near a zone's start, where
				 * alloc_contig_pages looks first
				 */
				if ((c & 0x10) && geo.nr_zone_starts) {
					op->pfn = geo.zone_start[(d >> 16) % geo.nr_zone_starts] +
						 (d & 0x3ff);
					if (op->pfn >= geo.max_pfn)
						op->pfn = geo.max_pfn - 1;
				}
				op->nr = range_nr(&geo, b, c);
				break;
			default:
				op->kind = KB_OP_ALLOC_CONTIG;
				op->cpu = (a / 3) % geo.nr_cpus;
				op->nr = range_nr(&geo, b, c);
				op->nid = (int)((c >> 4) % (geo.nr_nodes + 1));
				if (op->nid == (int)geo.nr_nodes)
					op->nid = -1;
				op->gfp = kb_ops_contig_gfp_table[rec[4] % KB_OPS_CONTIG_GFP_TABLE_SIZE];
				if (rec[4] & 0x80)
					op->gfp ^= (d >> 8) & KB_GFP_VALID_MASK;
				op->handle = (unsigned int)out->nr_handles + 1;
				break;
			}
			break;
		case KB_OP_DRAIN_CPU:
			op->cpu = a % geo.nr_cpus;
			break;
		case KB_OP_DRAIN_ALL:
			break;
		case KB_OP_SYSCTL:
			if (rec[0] % KB_OPS_KIND_SLOTS == KB_OPS_MORE_KIND_SLOT) {
				/* the compaction sysctls */
				op->sysctl = KB_SYSCTL_COMPACT_MEMORY + b % KB_OPS_COMPACT_SYSCTLS;
				op->value = kb_ops_sysctl_from_raw(op->sysctl, d);
				break;
			}
			op->sysctl = a % KB_OPS_SYSCTL_SLOTS;
			if (op->sysctl == KB_SYSCTL_LOWMEM_RESERVE_RATIO)
				op->index = b % MAX_NR_ZONES;
			op->value = kb_ops_sysctl_from_raw(op->sysctl, d);
			break;
		case KB_OP_OOM_VICTIM:
			op->value = a & 1;
			break;
		case KB_OP_COMPACT:
		case KB_OP_KCOMPACTD:
			/* order: d0 % (max_order + 2); max_order + 1 (and 0 for kcompactd): none */
			op->node = b % geo.nr_nodes;
			op->zone = c % KB_NR_LAYOUT_ZONES;
			op->order = rec[4] % (geo.max_order + 2);
			op->order_given = op->order <= geo.max_order &&
					  (op->kind == KB_OP_COMPACT || op->order > 0);
			if (!op->order_given)
				op->order = 0;
			/* a kcompactd not woken names no zone: the text form has none */
			if (op->kind == KB_OP_KCOMPACTD && !op->order_given)
				op->zone = KB_NR_LAYOUT_ZONES - 1;
			break;
		case KB_OP_KSWAPD:
			op->node = b % geo.nr_nodes;
			break;
		case KB_OP_OOM_SCORE_ADJ:
			op->cpu = b % geo.nr_cpus;
			op->value = KB_OOM_SCORE_ADJ_MIN +
				    (long)(d % (KB_OOM_SCORE_ADJ_MAX - KB_OOM_SCORE_ADJ_MIN + 1));
			break;
		case KB_OP_SPLIT:
			if (!t.nr_live)
				goto drop;
			hint = (long)((b | c << 8) % t.nr_live);
			op->handle = t.live[hint];
			break;
		case KB_OP_SOFT_OFFLINE:
		case KB_OP_UNPOISON:
			if (c & 1) {
				/* of a live handle's first page, or a page poisoned earlier */
				op->relative = true;
				if (op->kind == KB_OP_UNPOISON) {
					op->index = b % KB_OPS_UNPOISON_RECENT;
					break;
				}
				if (!t.nr_live)
					goto drop;
				hint = (long)((b | (c >> 4) << 8) % t.nr_live);
				op->handle = t.live[hint];
				break;
			}
			op->pfn = d % geo.max_pfn;
			/* c & 0x10: near a zone's start, where allocations begin */
			if ((c & 0x10) && geo.nr_zone_starts) {
				op->pfn = geo.zone_start[(d >> 16) % geo.nr_zone_starts] + (d & 0x3ff);
				if (op->pfn >= geo.max_pfn)
					op->pfn = geo.max_pfn - 1;
			}
			break;
		case KB_OP_ALLOC_EXACT:
			op->cpu = (a / KB_OPS_MORE_SLOTS) % geo.nr_cpus;
			op->nr = range_nr(&geo, b, c);
			op->nid = (int)((c >> 4) % (geo.nr_nodes + 1));
			if (op->nid == (int)geo.nr_nodes)
				op->nid = -1;
			op->gfp = kb_ops_gfp_table[rec[4] % KB_OPS_GFP_TABLE_SIZE] ^
				 ((d >> 8) & KB_GFP_VALID_MASK);
			op->handle = (unsigned int)out->nr_handles + 1;
			break;
		case KB_OP_ALLOC_BULK:
			op->nid = (int)((a / KB_OPS_MORE_SLOTS) % (geo.nr_nodes + 1));
			if (op->nid == (int)geo.nr_nodes)
				op->nid = -1;
			op->nr = 1 + b % KB_OPS_BULK_MAX;
			op->cpu = c % geo.nr_cpus;
			op->gfp = kb_ops_gfp_table[rec[4] % KB_OPS_GFP_TABLE_SIZE] ^
				 ((uint32_t)rec[5] & KB_GFP_VALID_MASK);
			op->value = (long)((d >> 16) & ((1UL << op->nr) - 1));
			op->handle = (unsigned int)out->nr_handles + 1;
			break;
		case KB_OP_PCP_DISABLE:
		case KB_OP_PCP_ENABLE:
			op->node = a % geo.nr_nodes;
			op->zone = b % KB_NR_LAYOUT_ZONES;	/* never ZONE_DEVICE */
			break;
		case KB_OP_SCHEDULE: {
			const uint8_t bytes[6] = { (uint8_t)b, (uint8_t)c, rec[4], rec[5], rec[6], rec[7] };
			unsigned int i;

			op->nr = 1 + (a % KB_OPS_MORE_SLOTS - KB_OPS_MORE_SCHEDULE) * 4 +
				 a / KB_OPS_MORE_SLOTS;
			for (i = 0; i < op->nr; i++) {
				unsigned int s = (bytes[i / 2] >> (4 * (i & 1))) & 15;

				op->value |= (long)((unsigned long)(s % (2 * geo.nr_cpus)) << (4 * i));
			}
			break;
		}
		default:
			goto drop;
		}
		if (stream && op->kind != KB_OP_SCHEDULE) {
			/* the stream's CPU runs it; an interrupt never reclaims */
			op->stream = (unsigned char)stream;
			if (op->kind == KB_OP_ALLOC || op->kind == KB_OP_FREE ||
			    op->kind == KB_OP_DRAIN_CPU)
				op->cpu = (stream - 1) / 2;
			if (op->kind == KB_OP_ALLOC && ((stream - 1) & 1))
				op->gfp &= ~__GFP_DIRECT_RECLAIM;
			if (!kb_op_stream_allows(op, stream))
				goto drop;
		}
		if (kb_ops_handles_apply(&t, op, hint))
			goto drop;	/* names a handle it may not: dropped */
		if (op->kind == KB_OP_ALLOC_CONTIG || op->kind == KB_OP_ALLOC_EXACT ||
		    op->kind == KB_OP_ALLOC_BULK)
			out->nr_handles += kb_op_new_handles(op);
		out->nr_ops++;
		continue;
drop:
		memset(op, 0, sizeof(*op));
	}
}
