/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing a sequence in the binary operation format, so that a scenario or
 * a minimised reproducer can become a fuzz corpus entry. The bytes written
 * decode (kb_ops_decode_binary) to exactly the sequence given.
 */
#include <string.h>

#include "ops.h"
#include "ops_internal.h"
#include "../core/kbuddy.h"

/* First slot of kb_ops_kind_slot[] holding each kind, or -1. */
static int kind_byte(enum kb_op_kind kind)
{
	unsigned int i;

	for (i = 0; i < KB_OPS_KIND_SLOTS; i++)
		if (kb_ops_kind_slot[i] == kind)
			return (int)i;
	return -1;
}

/* The bytes b and c of a range operation's nr (and c's high half). */
static int encode_range_nr(const struct kb_ops_geometry *geo, unsigned long nr,
			   uint8_t rec[KB_OPS_RECORD_SIZE])
{
	if (nr < 1 || nr > kb_ops_max_range(geo))
		return -1;
	rec[2] = (uint8_t)((nr - 1) & 0xff);
	rec[3] = (uint8_t)((nr - 1) >> 8);
	return 0;
}

/* Fills rec for op; -1 when op has no binary form with this geometry. */
static int encode_op(const struct kb_op *op, const struct kb_ops_geometry *geo,
		     struct kb_ops_handles *t, unsigned int *handles,
		     uint8_t rec[KB_OPS_RECORD_SIZE])
{
	int kb = kind_byte(op->kind == KB_OP_PUT ? KB_OP_GET :
			   op->kind == KB_OP_UNISOLATE || op->kind == KB_OP_ALLOC_CONTIG ?
			   KB_OP_ISOLATE : op->kind);
	int more = kb < 0 ? kb_ops_more_sub(op->kind) : -1;
	uint32_t d = 0;
	long idx;
	size_t i;

	if (more >= 0)
		kb = KB_OPS_MORE_KIND_SLOT;	/* a further operation: a % 64 names it */
	if (kb < 0 || op->kind == KB_OP_FREE_PFN)
		return -1;	/* FREE_PFN and anything else text-only */
	memset(rec, 0, KB_OPS_RECORD_SIZE);
	rec[0] = (uint8_t)kb;
	if (more >= 0)
		rec[1] = (uint8_t)more;	/* its case adds (a / 64) << 6 */
	switch (op->kind) {
	case KB_OP_ALLOC:
		if (op->handle != *handles + 1 || op->order > geo->max_order ||
		    op->cpu >= geo->nr_cpus || op->nid < -1 ||
		    op->nid >= (int)geo->nr_nodes || (op->gfp & ~KB_GFP_VALID_MASK))
			return -1;
		rec[1] = (uint8_t)op->order;
		rec[2] = (uint8_t)op->cpu;
		rec[3] = (uint8_t)(op->nid < 0 ? geo->nr_nodes : (unsigned int)op->nid);
		/* a table entry when one matches, else GFP_KERNEL ^ bits */
		for (i = 0; i < KB_OPS_GFP_TABLE_SIZE; i++)
			if (kb_ops_gfp_table[i] == op->gfp)
				break;
		if (i == KB_OPS_GFP_TABLE_SIZE)
			i = 0;
		d = (uint32_t)i | (uint32_t)(op->gfp ^ kb_ops_gfp_table[i]) << 8;
		(*handles)++;
		break;
	case KB_OP_ALLOC_CONTIG:
		if (op->handle != *handles + 1 || op->cpu >= geo->nr_cpus || op->nid < -1 ||
		    op->nid >= (int)geo->nr_nodes || (op->gfp & ~KB_GFP_VALID_MASK) ||
		    geo->nr_nodes > 15 || encode_range_nr(geo, op->nr, rec) ||
		    op->cpu * 3 + 2 > 255)
			return -1;
		rec[1] = (uint8_t)(op->cpu * 3 + 2);
		rec[3] |= (uint8_t)((op->nid < 0 ? geo->nr_nodes : (unsigned int)op->nid) << 4);
		for (i = 0; i < KB_OPS_CONTIG_GFP_TABLE_SIZE; i++)
			if (kb_ops_contig_gfp_table[i] == op->gfp)
				break;
		if (i < KB_OPS_CONTIG_GFP_TABLE_SIZE)
			d = (uint32_t)i;
		else
			d = 0x80u | (uint32_t)(op->gfp ^ kb_ops_contig_gfp_table[0]) << 8;
		(*handles)++;
		break;
	case KB_OP_FREE:
		if (op->order_given || op->cpu >= geo->nr_cpus)
			return -1;
		idx = kb_ops_handles_live_index(t, op->handle);
		if (idx < 0)
			return -1;	/* never allocated or already freed */
		rec[1] = (uint8_t)(idx & 0xff);
		rec[2] = (uint8_t)(idx >> 8);
		rec[3] = (uint8_t)op->cpu;
		d = op->race;
		break;
	case KB_OP_GET:
	case KB_OP_PUT:
		idx = op->kind == KB_OP_GET ? kb_ops_handles_live_index(t, op->handle) :
					      kb_ops_handles_reffed_index(t, op->handle);
		if (idx < 0)
			return -1;
		rec[1] = op->kind == KB_OP_PUT;
		rec[2] = (uint8_t)(idx & 0xff);
		rec[3] = (uint8_t)(idx >> 8);
		break;
	case KB_OP_ISOLATE:
	case KB_OP_UNISOLATE:
		if (op->pfn >= geo->max_pfn || op->pfn > UINT32_MAX ||
		    encode_range_nr(geo, op->nr, rec))
			return -1;
		rec[1] = op->kind == KB_OP_UNISOLATE;
		d = (uint32_t)op->pfn;
		break;
	case KB_OP_DRAIN_CPU:
		if (op->cpu >= geo->nr_cpus)
			return -1;
		rec[1] = (uint8_t)op->cpu;
		break;
	case KB_OP_DRAIN_ALL:
		break;
	case KB_OP_SYSCTL:
		if (op->sysctl >= KB_NR_SYSCTLS ||
		    kb_ops_sysctl_to_raw(op->sysctl, op->value, &d))
			return -1;
		if (op->sysctl >= KB_OPS_SYSCTL_SLOTS) {
			if (op->index)
				return -1;
			rec[0] = KB_OPS_MORE_KIND_SLOT;
			rec[1] = KB_OPS_MORE_COMPACT_SYSCTL;
			rec[2] = (uint8_t)(op->sysctl - KB_SYSCTL_COMPACT_MEMORY);
			break;
		}
		if (op->sysctl == KB_SYSCTL_LOWMEM_RESERVE_RATIO ?
		    op->index >= MAX_NR_ZONES : op->index != 0)
			return -1;
		rec[1] = (uint8_t)op->sysctl;
		rec[2] = (uint8_t)op->index;
		break;
	case KB_OP_OOM_VICTIM:
		if (op->value != 0 && op->value != 1)
			return -1;
		rec[1] = (uint8_t)op->value;
		break;
	case KB_OP_COMPACT:
	case KB_OP_KCOMPACTD:
		if (op->node >= geo->nr_nodes || op->zone >= KB_NR_LAYOUT_ZONES ||
		    (op->order_given ? op->order > geo->max_order ||
				       (op->kind == KB_OP_KCOMPACTD && !op->order) : op->order) ||
		    (op->kind == KB_OP_KCOMPACTD && !op->order_given &&
		     op->zone != KB_NR_LAYOUT_ZONES - 1))
			return -1;
		rec[2] = (uint8_t)op->node;
		rec[3] = (uint8_t)op->zone;
		d = op->order_given ? op->order : geo->max_order + 1;
		break;
	case KB_OP_KSWAPD:
		if (op->node >= geo->nr_nodes)
			return -1;
		rec[2] = (uint8_t)op->node;
		break;
	case KB_OP_OOM_SCORE_ADJ:
		if (op->cpu >= geo->nr_cpus || op->cpu > 255 ||
		    op->value < KB_OOM_SCORE_ADJ_MIN || op->value > KB_OOM_SCORE_ADJ_MAX)
			return -1;
		rec[2] = (uint8_t)op->cpu;
		d = (uint32_t)(op->value - KB_OOM_SCORE_ADJ_MIN);
		break;
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
		if (op->node >= geo->nr_nodes || op->zone >= KB_NR_LAYOUT_ZONES)
			return -1;
		rec[1] = (uint8_t)op->node;
		rec[2] = (uint8_t)op->zone;
		break;
	case KB_OP_SOFT_OFFLINE:
	case KB_OP_UNPOISON:
		if (op->relative && op->kind == KB_OP_UNPOISON) {
			if (op->index >= KB_OPS_UNPOISON_RECENT)
				return -1;
			rec[2] = (uint8_t)op->index;
			rec[3] = 1;
			break;
		}
		if (op->relative) {
			idx = kb_ops_handles_live_index(t, op->handle);
			if (idx < 0 || idx >= 4096)
				return -1;
			rec[2] = (uint8_t)(idx & 0xff);
			rec[3] = (uint8_t)(1 | (idx >> 8) << 4);
			break;
		}
		if (op->pfn >= geo->max_pfn || op->pfn > UINT32_MAX)
			return -1;
		d = (uint32_t)op->pfn;
		break;
	case KB_OP_SPLIT:
		idx = kb_ops_handles_live_index(t, op->handle);
		if (idx < 0)
			return -1;
		rec[2] = (uint8_t)(idx & 0xff);
		rec[3] = (uint8_t)(idx >> 8);
		break;
	case KB_OP_ALLOC_EXACT:
		if (op->handle != *handles + 1 || op->cpu >= geo->nr_cpus ||
		    op->cpu >= 256 / KB_OPS_MORE_SLOTS || op->nid < -1 ||
		    op->nid >= (int)geo->nr_nodes || geo->nr_nodes > 15 ||
		    (op->gfp & ~KB_GFP_VALID_MASK) || encode_range_nr(geo, op->nr, rec))
			return -1;
		rec[1] |= (uint8_t)(op->cpu * KB_OPS_MORE_SLOTS);
		rec[3] |= (uint8_t)((op->nid < 0 ? geo->nr_nodes : (unsigned int)op->nid) << 4);
		for (i = 0; i < KB_OPS_GFP_TABLE_SIZE; i++)
			if (kb_ops_gfp_table[i] == op->gfp)
				break;
		if (i == KB_OPS_GFP_TABLE_SIZE)
			i = 0;
		d = (uint32_t)i | (uint32_t)(op->gfp ^ kb_ops_gfp_table[i]) << 8;
		(*handles)++;
		break;
	case KB_OP_SCHEDULE: {
		uint8_t bytes[6] = { 0 };

		if (op->stream || op->nr < 1 || op->nr > KB_OPS_SCHEDULE_MAX || op->value < 0 ||
		    (unsigned long)op->value >> (4 * op->nr))
			return -1;
		for (i = 0; i < op->nr; i++) {
			unsigned int s = kb_op_schedule_at(op, (unsigned int)i);

			if (s >= 2 * geo->nr_cpus)
				return -1;
			bytes[i / 2] |= (uint8_t)(s << (4 * (i & 1)));
		}
		rec[1] = (uint8_t)(KB_OPS_MORE_SCHEDULE + (op->nr - 1) / 4 +
				   ((op->nr - 1) % 4) * KB_OPS_MORE_SLOTS);
		rec[2] = bytes[0];
		rec[3] = bytes[1];
		d = bytes[2] | (uint32_t)bytes[3] << 8 | (uint32_t)bytes[4] << 16 |
		    (uint32_t)bytes[5] << 24;
		break;
	}
	case KB_OP_ALLOC_BULK: {
		unsigned int nid = op->nid < 0 ? geo->nr_nodes : (unsigned int)op->nid;

		if (op->handle != *handles + 1 || op->nr < 1 || op->nr > KB_OPS_BULK_MAX ||
		    op->value < 0 || (unsigned long)op->value >= (1UL << op->nr) ||
		    op->cpu >= geo->nr_cpus || op->cpu > 255 || op->nid < -1 ||
		    op->nid >= (int)geo->nr_nodes || nid >= 256 / KB_OPS_MORE_SLOTS)
			return -1;
		for (i = 0; i < KB_OPS_GFP_TABLE_SIZE; i++)
			if (!((kb_ops_gfp_table[i] ^ op->gfp) & ~(gfp_t)0xff))
				break;
		if (i == KB_OPS_GFP_TABLE_SIZE || ((kb_ops_gfp_table[i] ^ op->gfp) & ~KB_GFP_VALID_MASK))
			return -1;
		rec[1] |= (uint8_t)(nid * KB_OPS_MORE_SLOTS);
		rec[2] = (uint8_t)(op->nr - 1);
		rec[3] = (uint8_t)op->cpu;
		d = (uint32_t)i | (uint32_t)(op->gfp ^ kb_ops_gfp_table[i]) << 8 |
		    (uint32_t)op->value << 16;
		*handles += kb_op_new_handles(op);
		break;
	}
	default:
		return -1;
	}
	/* in a stream: what the decoder keeps there, on the stream's CPU */
	if (op->stream && op->kind != KB_OP_SCHEDULE &&
	    (op->stream > 2 * geo->nr_cpus || !kb_op_stream_allows(op, op->stream) ||
	     ((op->kind == KB_OP_ALLOC || op->kind == KB_OP_FREE ||
	       op->kind == KB_OP_DRAIN_CPU) && op->cpu != (op->stream - 1u) / 2)))
		return -1;
	/* the decoder drops what names a handle it may not: refuse it here */
	if (kb_ops_handles_apply(t, op, -1))
		return -1;
	rec[4] = (uint8_t)d;
	rec[5] = (uint8_t)(d >> 8);
	rec[6] = (uint8_t)(d >> 16);
	rec[7] = (uint8_t)(d >> 24);
	return 0;
}

int kb_ops_encode_records(const struct kb_ops *ops, const struct kb_ops_geometry *geo,
			  uint8_t *buf, size_t len)
{
	struct kb_ops_handles t;
	unsigned int handles = 0, stream = 0;
	size_t i, off = 0, k;

	if (!buf)
		len = 0;
	if (ops->nr_ops > KB_OPS_MAX)
		return -1;
	kb_ops_handles_init(&t);
	for (i = 0; i < ops->nr_ops; i++) {
		const struct kb_op *op = &ops->ops[i];
		uint8_t rec[KB_OPS_RECORD_SIZE];

		if (op->kind != KB_OP_SCHEDULE && op->stream != stream) {
			/* the record switching streams (sub-slot 40) */
			stream = op->stream;
			memset(rec, 0, sizeof(rec));
			rec[0] = KB_OPS_MORE_KIND_SLOT;
			rec[1] = KB_OPS_MORE_STREAM;
			rec[2] = (uint8_t)stream;
			for (k = 0; k < KB_OPS_RECORD_SIZE && off + k < len; k++)
				buf[off + k] = rec[k];
			off += KB_OPS_RECORD_SIZE;
		}
		if (encode_op(op, geo, &t, &handles, rec))
			return -1;
		for (k = 0; k < KB_OPS_RECORD_SIZE && off + k < len; k++)
			buf[off + k] = rec[k];
		off += KB_OPS_RECORD_SIZE;
	}
	return handles == ops->nr_handles ? 0 : -1;
}

size_t kb_ops_encode_binary(const struct kb_ops *ops, uint8_t *buf, size_t len)
{
	struct kb_ops_geometry geo;

	if (!buf)
		len = 0;
	if (ops->nr_ops > KB_OPS_MAX || kb_ops_geometry(ops->layout, &geo))
		return 0;
	if (len)
		buf[0] = (uint8_t)geo.index;
	if (kb_ops_encode_records(ops, &geo, len ? buf + 1 : NULL, len ? len - 1 : 0))
		return 0;
	return 1 + kb_ops_records_size(ops);
}
