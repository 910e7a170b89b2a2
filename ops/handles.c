/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The handles a sequence may name at each point: shared by the binary
 * decoder (which picks a handle by index, so any bytes name a valid one),
 * the encoder (which writes that index back) and the release that ends a
 * fuzz_boot input. A handle is live from its ALLOC until its owner frees
 * it; GET adds a reference that outlives the owner's free until PUT.
 */
#include <string.h>

#include "ops_internal.h"

void kb_ops_handles_init(struct kb_ops_handles *t)
{
	/* refs[] and contig[] are set per handle as handles are created */
	t->nr_live = 0;
	t->nr_reffed = 0;
	memset(t->depth, 0, sizeof(t->depth));
}

static long index_of(const unsigned int *list, size_t nr, unsigned int h)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (list[i] == h)
			return (long)i;
	return -1;
}

/* index_of, trusting hint when it names h (the decoder's pick), else looking. */
static long hinted_index_of(const unsigned int *list, size_t nr, unsigned int h, long hint)
{
	if (hint >= 0 && (size_t)hint < nr && list[hint] == h)
		return hint;
	return index_of(list, nr, h);
}

long kb_ops_handles_live_index(const struct kb_ops_handles *t, unsigned int h)
{
	return index_of(t->live, t->nr_live, h);
}

long kb_ops_handles_reffed_index(const struct kb_ops_handles *t, unsigned int h)
{
	return index_of(t->reffed, t->nr_reffed, h);
}

static void take(unsigned int *list, size_t *nr, size_t i)
{
	memmove(&list[i], &list[i + 1], (*nr - i - 1) * sizeof(list[0]));
	(*nr)--;
}

int kb_ops_handles_apply(struct kb_ops_handles *t, const struct kb_op *op, long hint)
{
	unsigned int h = op->handle;
	long i;

	switch (op->kind) {
	case KB_OP_ALLOC:
	case KB_OP_ALLOC_CONTIG:
	case KB_OP_ALLOC_EXACT:
	case KB_OP_ALLOC_BULK: {
		unsigned int n = kb_op_new_handles(op);

		if (!n)
			return 0;	/* a bulk array populated already */
		if (h == 0 || h + n - 1 > KB_OPS_MAX || t->nr_live + n > KB_OPS_MAX)
			return -1;
		for (unsigned int k = h; k < h + n; k++) {
			t->refs[k] = 0;
			/* ranges and exact allocations: order-0 pages, no GET, no split */
			t->contig[k] = op->kind == KB_OP_ALLOC_CONTIG ||
				       op->kind == KB_OP_ALLOC_EXACT;
			t->compound[k] = op->kind == KB_OP_ALLOC && op->order &&
					 (op->gfp & __GFP_COMP);
			t->live[t->nr_live++] = k;
		}
		return 0;
	}
	case KB_OP_SOFT_OFFLINE:
		/* of a live handle's page (the handle stays live: its owner migrates it) */
		if (op->relative && hinted_index_of(t->live, t->nr_live, h, hint) < 0)
			return -1;
		return 0;
	case KB_OP_SPLIT:
		/* a live plain block without GET references, not split already */
		i = hinted_index_of(t->live, t->nr_live, h, hint);
		if (i < 0 || t->contig[h] || t->compound[h] || t->refs[h])
			return -1;
		t->contig[h] = true;	/* order-0 pages from now on */
		return 0;
	case KB_OP_FREE:
		i = hinted_index_of(t->live, t->nr_live, h, hint);
		if (i < 0 || (op->race && t->refs[h] != 1))
			return -1;
		take(t->live, &t->nr_live, (size_t)i);
		if (op->race) {
			/* the GET holder's put lands inside the free */
			t->refs[h] = 0;
			take(t->reffed, &t->nr_reffed,
			     (size_t)kb_ops_handles_reffed_index(t, h));
		}
		return 0;
	case KB_OP_GET:
		i = hinted_index_of(t->live, t->nr_live, h, hint);
		if (i < 0 || t->contig[h] || t->refs[h] >= KB_OPS_MAX_REFS)
			return -1;
		if (!t->refs[h]++)
			t->reffed[t->nr_reffed++] = h;
		return 0;
	case KB_OP_PUT:
		i = hinted_index_of(t->reffed, t->nr_reffed, h, hint);
		if (i < 0)
			return -1;
		if (!--t->refs[h])
			take(t->reffed, &t->nr_reffed, (size_t)i);
		return 0;
	case KB_OP_PCP_DISABLE:
		t->depth[op->node][op->zone]++;
		return 0;
	case KB_OP_PCP_ENABLE:
		if (!t->depth[op->node][op->zone])
			return -1;	/* unmatched enable */
		t->depth[op->node][op->zone]--;
		return 0;
	default:
		return 0;
	}
}

unsigned int kb_op_new_handles(const struct kb_op *op)
{
	switch (op->kind) {
	case KB_OP_ALLOC:
	case KB_OP_ALLOC_CONTIG:
	case KB_OP_ALLOC_EXACT:
		return 1;
	case KB_OP_ALLOC_BULK: {
		unsigned long nr = op->nr > KB_OPS_BULK_MAX ? KB_OPS_BULK_MAX : op->nr;
		unsigned long filled = (unsigned long)op->value & ((1UL << nr) - 1);

		return (unsigned int)(nr - (unsigned long)__builtin_popcountl(filled));
	}
	default:
		return 0;
	}
}

static struct kb_op *append(struct kb_ops *ops, enum kb_op_kind kind)
{
	struct kb_op *op = &ops->ops[ops->nr_ops++];

	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

int kb_ops_append_release(struct kb_ops *ops, unsigned long max_pfn)
{
	struct kb_ops_handles t;
	size_t i, need;

	kb_ops_handles_init(&t);
	for (i = 0; i < ops->nr_ops; i++)
		if (ops->ops[i].kind != KB_OP_FREE_PFN)
			kb_ops_handles_apply(&t, &ops->ops[i], -1);
	need = t.nr_live + 2;
	for (i = 0; i < t.nr_reffed; i++)
		need += t.refs[t.reffed[i]];
	if (ops->nr_ops + need > KB_OPS_MAX)
		return -1;
	for (i = 0; i < t.nr_live; i++)
		append(ops, KB_OP_FREE)->handle = t.live[i];
	for (i = 0; i < t.nr_reffed; i++) {
		unsigned int h = t.reffed[i], n;

		for (n = 0; n < t.refs[h]; n++)
			append(ops, KB_OP_PUT)->handle = h;
	}
	if (max_pfn) {
		struct kb_op *op = append(ops, KB_OP_UNISOLATE);

		op->pfn = 0;
		op->nr = max_pfn;
	}
	append(ops, KB_OP_DRAIN_ALL);
	return 0;
}
