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

/* Fills rec for op; -1 when op has no binary form with this geometry. */
static int encode_op(const struct kb_op *op, const struct kb_ops_geometry *geo,
		     unsigned int *live, size_t *nr_live, unsigned int *handles,
		     int depth[KB_MAX_NODES][MAX_NR_ZONES], uint8_t rec[KB_OPS_RECORD_SIZE])
{
	int kb = kind_byte(op->kind);
	uint32_t d = 0;
	size_t i;

	if (kb < 0)
		return -1;	/* FREE_PFN and anything else text-only */
	memset(rec, 0, KB_OPS_RECORD_SIZE);
	rec[0] = (uint8_t)kb;
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
		live[(*nr_live)++] = op->handle;
		break;
	case KB_OP_FREE:
		if (op->order_given || op->cpu >= geo->nr_cpus)
			return -1;
		for (i = 0; i < *nr_live; i++)
			if (live[i] == op->handle)
				break;
		if (i == *nr_live)
			return -1;	/* never allocated or already freed */
		rec[1] = (uint8_t)(i & 0xff);
		rec[2] = (uint8_t)(i >> 8);
		rec[3] = (uint8_t)op->cpu;
		memmove(&live[i], &live[i + 1], (*nr_live - i - 1) * sizeof(*live));
		(*nr_live)--;
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
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
		if (op->node >= geo->nr_nodes || op->zone >= KB_NR_LAYOUT_ZONES)
			return -1;
		if (op->kind == KB_OP_PCP_DISABLE) {
			depth[op->node][op->zone]++;
		} else {
			if (!depth[op->node][op->zone])
				return -1;	/* the decoder would drop it */
			depth[op->node][op->zone]--;
		}
		rec[1] = (uint8_t)op->node;
		rec[2] = (uint8_t)op->zone;
		break;
	default:
		return -1;
	}
	rec[4] = (uint8_t)d;
	rec[5] = (uint8_t)(d >> 8);
	rec[6] = (uint8_t)(d >> 16);
	rec[7] = (uint8_t)(d >> 24);
	return 0;
}

size_t kb_ops_encode_binary(const struct kb_ops *ops, uint8_t *buf, size_t len)
{
	int depth[KB_MAX_NODES][MAX_NR_ZONES];
	unsigned int live[KB_OPS_MAX], handles = 0;
	struct kb_ops_geometry geo;
	size_t nr_live = 0, need, i;

	if (!buf)
		len = 0;
	if (ops->nr_ops > KB_OPS_MAX || kb_ops_geometry(ops->layout, &geo))
		return 0;
	memset(depth, 0, sizeof(depth));
	need = 1 + ops->nr_ops * KB_OPS_RECORD_SIZE;
	if (len)
		buf[0] = (uint8_t)geo.index;
	for (i = 0; i < ops->nr_ops; i++) {
		uint8_t rec[KB_OPS_RECORD_SIZE];
		size_t off = 1 + i * KB_OPS_RECORD_SIZE, k;

		if (encode_op(&ops->ops[i], &geo, live, &nr_live, &handles,
			      depth, rec))
			return 0;
		for (k = 0; k < KB_OPS_RECORD_SIZE && off + k < len; k++)
			buf[off + k] = rec[k];
	}
	if (handles != ops->nr_handles)
		return 0;
	return need;
}
