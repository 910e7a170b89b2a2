// SPDX-License-Identifier: GPL-2.0
/*
 * Which operations a stream (a CPU's task or interrupt context, core/sched.h)
 * may run, shared by the text parser, the binary decoder and encoder: what a
 * CPU does on its own behalf. Whole-machine work (compaction, reclaim,
 * sysctl writes, hwpoison) stays a step of its own between interleavings.
 */
#include "ops.h"

bool kb_op_stream_allows(const struct kb_op *op, unsigned int stream)
{
	bool irq = stream && ((stream - 1) & 1);
	switch (op->kind) {
	case KB_OP_ALLOC:
		/* an interrupt may not sleep: no direct reclaim */
		return !irq || !(op->gfp & __GFP_DIRECT_RECLAIM);
	case KB_OP_FREE:
	case KB_OP_PUT:
		return true;
	case KB_OP_GET:
	case KB_OP_DRAIN_CPU:
	case KB_OP_DRAIN_ALL:
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
	case KB_OP_ISOLATE:
	case KB_OP_UNISOLATE:
		return !irq;
	default:
		return false;
	}
}

size_t kb_ops_records_size(const struct kb_ops *ops)
{
	unsigned int stream = 0;
	size_t i, n = 0;

	for (i = 0; i < ops->nr_ops && i < KB_OPS_MAX; i++) {
		const struct kb_op *op = &ops->ops[i];

		if (op->kind != KB_OP_SCHEDULE && op->stream != stream) {
			stream = op->stream;
			n++;	/* the record that switches streams */
		}
		n++;
	}
	return n * KB_OPS_RECORD_SIZE;
}
