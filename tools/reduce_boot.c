// SPDX-License-Identifier: GPL-2.0
/*
 * Reducing a fuzz_boot input: its operations as kb_reduce_ops_with does
 * for fuzz_ops inputs (ddmin, single removals, simpler fields), then its
 * layout, one change at a time, each kept only when the input still
 * encodes and still fails with the same signature:
 *   - drop a CMA area, a hole or a reserved range;
 *   - drop a node (its pfns are cut out, later nodes move down; CPUs and
 *     node numbers of the operations are renumbered, and operations on
 *     what went move to CPU 0 and the CPU's own node);
 *   - empty a zone, then shrink each zone by halves, quarters, ... (in
 *     MAX_PAGE_ORDER blocks, else pageblocks, else down to 16 pages) from
 *     its end, then from its start: the pfns are cut out of the machine
 *     and everything above moves down, so zones stay close enough for the
 *     binary form;
 *   - drop a CPU (its operations move to CPU 0); default min_free_kbytes
 *     and node distances.
 * The passes repeat until none changes anything, then the operations get
 * one more round on the smaller machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "workflow.h"
#include "../fuzz/boot_input.h"

#define MAX_ROUNDS	16	/* layout rounds; each one that changes nothing ends it */
#define MIN_CUT		16	/* pages: smaller cuts of a zone are not tried */
/* The text form's default node distances (docs/layout-format.md). */
#define LOCAL_DISTANCE	10
#define REMOTE_DISTANCE	20

struct boot_reducer {
	int level;
	const char *sig;
	struct kb_layout layout;	/* the smallest failing input so far */
	struct kb_ops *ops;
	struct kb_ops *cand;		/* a candidate's operations */
	struct kb_ops *scratch;		/* a candidate with its closing frees */
	unsigned long runs;
};

static void ops_copy(struct kb_ops *dst, const struct kb_ops *src)
{
	memcpy(dst->layout, src->layout, sizeof(dst->layout));
	dst->nr_ops = src->nr_ops;
	dst->nr_handles = src->nr_handles;
	memcpy(dst->ops, src->ops, src->nr_ops * sizeof(src->ops[0]));
}

/* Whether layout and ops still make an input that fails the same way. */
static bool still_fails(struct boot_reducer *r, const struct kb_layout *layout,
			const struct kb_ops *ops)
{
	struct kb_ops_geometry geo = kb_boot_geometry(layout);
	char sig[320];

	if (ops->nr_ops > KB_BOOT_MAX_OPS || !kb_layout_encode_binary(layout, NULL, 0) ||
	    kb_ops_encode_records(ops, &geo, NULL, 0))
		return false;
	r->runs++;
	kb_boot_signature(layout, ops, r->level, r->scratch, sig, sizeof(sig));
	return !strcmp(sig, r->sig);
}

static bool ops_test(void *ctx, const struct kb_ops *ops)
{
	struct boot_reducer *r = ctx;

	return still_fails(r, &r->layout, ops);
}

/* Keeps the candidate (layout, r->cand) when it still fails. */
static bool try_candidate(struct boot_reducer *r, const struct kb_layout *layout)
{
	if (!still_fails(r, layout, r->cand))
		return false;
	r->layout = *layout;
	ops_copy(r->ops, r->cand);
	return true;
}

/* ------------------------------------------------------------ cutting pfns */

static unsigned long cut_pfn(unsigned long pfn, unsigned long a, unsigned long b)
{
	if (pfn <= a)
		return pfn;
	return pfn >= b ? pfn - (b - a) : a;
}

/* Cuts [a, b) out of every range of arr; ranges left empty go. */
static void cut_ranges(struct kb_range *arr, unsigned int *nr, unsigned long a,
		       unsigned long b)
{
	unsigned int i, kept = 0;

	for (i = 0; i < *nr; i++) {
		struct kb_range rg = { cut_pfn(arr[i].start, a, b), cut_pfn(arr[i].end, a, b) };

		if (rg.start < rg.end)
			arr[kept++] = rg;
	}
	*nr = kept;
}

/* Takes pfns [a, b) out of the machine: what lay above moves down by b - a. */
static void cut(struct kb_layout *l, unsigned long a, unsigned long b)
{
	unsigned int n, z;

	for (n = 0; n < l->nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct kb_range *zr = &l->node[n].zone[z];

			if (zr->start >= zr->end)
				continue;
			zr->start = cut_pfn(zr->start, a, b);
			zr->end = cut_pfn(zr->end, a, b);
			if (zr->start >= zr->end)
				zr->start = zr->end = 0;
		}
	cut_ranges(l->hole, &l->nr_holes, a, b);
	cut_ranges(l->reserved, &l->nr_reserved, a, b);
	cut_ranges(l->cma, &l->nr_cma, a, b);
}

static bool zone_empty(const struct kb_layout *l, unsigned int n, unsigned int z)
{
	return l->node[n].zone[z].start >= l->node[n].zone[z].end;
}

/* End of the last non-empty zone before zone z of node n (0 if none). */
static unsigned long end_before(const struct kb_layout *l, unsigned int n, unsigned int z)
{
	unsigned long end = 0;
	unsigned int i, j;

	for (i = 0; i <= n; i++)
		for (j = 0; j < KB_NR_LAYOUT_ZONES && (i < n || j < z); j++)
			if (!zone_empty(l, i, j))
				end = l->node[i].zone[j].end;
	return end;
}

/* ------------------------------------------------------ renumbering the ops */

static bool uses_cpu(const struct kb_op *op)
{
	return kb_op_new_handles(op) || op->kind == KB_OP_ALLOC_BULK ||
	       op->kind == KB_OP_FREE || op->kind == KB_OP_DRAIN_CPU;
}

/*
 * r->cand = r->ops on a machine without CPUs [first, first + nr) and
 * without node (when node >= 0): higher numbers move down, operations on
 * a CPU that goes move to CPU 0, allocations preferring the node that
 * goes prefer the CPU's own node. False when a pcp operation names that
 * node.
 */
static bool renumber(struct boot_reducer *r, unsigned int first, unsigned int nr, int node)
{
	size_t i;

	ops_copy(r->cand, r->ops);
	for (i = 0; i < r->cand->nr_ops; i++) {
		struct kb_op *op = &r->cand->ops[i];

		if (uses_cpu(op)) {
			if (op->cpu >= first && op->cpu < first + nr)
				op->cpu = 0;
			else if (op->cpu >= first + nr)
				op->cpu -= nr;
		}
		if (node < 0)
			continue;
		if ((kb_op_new_handles(op) || op->kind == KB_OP_ALLOC_BULK) && op->nid >= 0) {
			if (op->nid == node)
				op->nid = -1;
			else if (op->nid > node)
				op->nid--;
		}
		if (op->kind == KB_OP_PCP_DISABLE || op->kind == KB_OP_PCP_ENABLE) {
			if (op->node == (unsigned int)node)
				return false;
			if (op->node > (unsigned int)node)
				op->node--;
		}
	}
	return true;
}

static unsigned int first_cpu(const struct kb_layout *l, unsigned int node)
{
	unsigned int n, c = 0;

	for (n = 0; n < node; n++)
		c += l->node[n].nr_cpus;
	return c;
}

/* ------------------------------------------------------------------ passes */

static bool drop_ranges(struct boot_reducer *r, struct kb_range *(*arr)(struct kb_layout *),
			unsigned int *(*count)(struct kb_layout *))
{
	bool progress = false;
	unsigned int i;

	for (i = *count(&r->layout); i-- > 0;) {
		struct kb_layout l = r->layout;
		struct kb_range *a = arr(&l);
		unsigned int *nr = count(&l);

		memmove(&a[i], &a[i + 1], (*nr - i - 1) * sizeof(a[0]));
		(*nr)--;
		ops_copy(r->cand, r->ops);
		if (try_candidate(r, &l))
			progress = true;
	}
	return progress;
}

static struct kb_range *cma_of(struct kb_layout *l) { return l->cma; }
static unsigned int *nr_cma_of(struct kb_layout *l) { return &l->nr_cma; }
static struct kb_range *holes_of(struct kb_layout *l) { return l->hole; }
static unsigned int *nr_holes_of(struct kb_layout *l) { return &l->nr_holes; }
static struct kb_range *reserved_of(struct kb_layout *l) { return l->reserved; }
static unsigned int *nr_reserved_of(struct kb_layout *l) { return &l->nr_reserved; }

static bool drop_nodes(struct boot_reducer *r)
{
	bool progress = false;
	unsigned int k;

	for (k = r->layout.nr_nodes; k-- > 0 && r->layout.nr_nodes > 1;) {
		struct kb_layout l = r->layout;
		unsigned long lo = end_before(&l, k, 0), hi = lo;
		unsigned int n, z;

		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++)
			if (!zone_empty(&l, k, z))
				hi = l.node[k].zone[z].end;
		if (!renumber(r, first_cpu(&l, k), l.node[k].nr_cpus, (int)k))
			continue;
		cut(&l, lo, hi);
		for (n = k; n + 1 < l.nr_nodes; n++)
			l.node[n] = l.node[n + 1];
		l.nr_nodes--;
		memset(&l.node[l.nr_nodes], 0, sizeof(l.node[0]));
		for (n = 0; n < l.nr_nodes; n++) {
			memmove(&l.node[n].distance[k], &l.node[n].distance[k + 1],
				(KB_MAX_NODES - k - 1) * sizeof(l.node[n].distance[0]));
			l.node[n].distance[KB_MAX_NODES - 1] = 0;
		}
		if (!kb_layout_nr_cpus(&l))
			continue;
		if (try_candidate(r, &l))
			progress = true;
	}
	return progress;
}

/* Zone z of node n, emptied: with the gap before it, else without. */
static bool empty_zone(struct boot_reducer *r, unsigned int n, unsigned int z)
{
	const struct kb_range zr = r->layout.node[n].zone[z];
	unsigned long from[2] = { end_before(&r->layout, n, z), zr.start };
	unsigned int i, others = 0, j;

	for (j = 0; j < KB_NR_LAYOUT_ZONES; j++)
		others += j != z && !zone_empty(&r->layout, n, j);
	if (!others)
		return false;
	for (i = 0; i < 2; i++) {
		struct kb_layout l = r->layout;

		if (i && from[1] == from[0])
			break;
		cut(&l, from[i], zr.end);
		ops_copy(r->cand, r->ops);
		if (try_candidate(r, &l))
			return true;
	}
	return false;
}

/*
 * A cut of about size >> shift pages: whole MAX_PAGE_ORDER blocks, else
 * pageblocks, else (small zones) any number of pages down to MIN_CUT. 0
 * when there is none that small.
 */
static unsigned long cut_size(const struct kb_layout *l, unsigned long size, unsigned int shift)
{
	unsigned long c = size >> shift, block = 1UL << l->max_page_order,
		      pb = 1UL << l->pageblock_order;

	if (c >= block)
		return c / block * block;
	if (c >= pb)
		return c / pb * pb;
	return c >= MIN_CUT ? c : 0;
}

static bool shrink_zone(struct boot_reducer *r, unsigned int n, unsigned int z)
{
	unsigned int shift, end;

	for (end = 0; end < 2; end++) {
		unsigned long last = 0;

		for (shift = 1; shift < 24; shift++) {
			const struct kb_range zr = r->layout.node[n].zone[z];
			unsigned long c = cut_size(&r->layout, zr.end - zr.start, shift);
			struct kb_layout l = r->layout;

			if (!c)
				break;
			if (c == last)
				continue;
			last = c;
			if (end == 0)
				cut(&l, zr.end - c, zr.end);
			else
				cut(&l, zr.start, zr.start + c);
			ops_copy(r->cand, r->ops);
			if (try_candidate(r, &l))
				return true;
		}
	}
	return false;
}

static bool reduce_zones(struct boot_reducer *r)
{
	bool progress = false;
	unsigned int n, z;

	for (n = 0; n < r->layout.nr_nodes; n++)
		for (z = KB_NR_LAYOUT_ZONES; z-- > 0;) {
			if (zone_empty(&r->layout, n, z))
				continue;
			if (empty_zone(r, n, z)) {
				progress = true;
				continue;
			}
			while (shrink_zone(r, n, z))
				progress = true;
		}
	return progress;
}

static bool drop_cpus(struct boot_reducer *r)
{
	bool progress = false;
	unsigned int n;

	for (n = 0; n < r->layout.nr_nodes; n++) {
		while (r->layout.node[n].nr_cpus && kb_layout_nr_cpus(&r->layout) > 1) {
			struct kb_layout l = r->layout;

			if (!renumber(r, first_cpu(&l, n) + l.node[n].nr_cpus - 1, 1, -1))
				break;
			l.node[n].nr_cpus--;
			if (!try_candidate(r, &l))
				break;
			progress = true;
		}
	}
	return progress;
}

static bool defaults(struct boot_reducer *r)
{
	bool progress = false;
	struct kb_layout l;
	unsigned int i, j;

	if (r->layout.min_free_kbytes >= 0) {
		l = r->layout;
		l.min_free_kbytes = -1;
		ops_copy(r->cand, r->ops);
		progress |= try_candidate(r, &l);
	}
	l = r->layout;
	for (i = 0; i < l.nr_nodes; i++)
		for (j = 0; j < l.nr_nodes; j++)
			l.node[i].distance[j] = i == j ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	if (memcmp(&l, &r->layout, sizeof(l))) {
		ops_copy(r->cand, r->ops);
		progress |= try_candidate(r, &l);
	}
	return progress;
}

static bool reduce_layout(struct boot_reducer *r)
{
	bool progress = false;

	progress |= drop_ranges(r, cma_of, nr_cma_of);
	progress |= drop_ranges(r, holes_of, nr_holes_of);
	progress |= drop_ranges(r, reserved_of, nr_reserved_of);
	progress |= drop_nodes(r);
	progress |= reduce_zones(r);
	progress |= drop_cpus(r);
	progress |= defaults(r);
	return progress;
}

unsigned long kb_reduce_boot(const struct kb_input *in, int level, const char *sig,
			     struct kb_input *out)
{
	struct boot_reducer r = { .level = level, .sig = sig, .layout = in->layout };
	unsigned int round;
	bool changed = false;

	r.ops = malloc(sizeof(*r.ops));
	r.cand = malloc(sizeof(*r.cand));
	r.scratch = malloc(sizeof(*r.scratch));
	if (!r.ops || !r.cand || !r.scratch) {
		fprintf(stderr, "kbuddy: out of memory\n");
		exit(2);
	}
	r.runs = kb_reduce_ops_with(&in->ops, ops_test, &r, r.ops);
	for (round = 0; round < MAX_ROUNDS && reduce_layout(&r); round++)
		changed = true;
	if (changed) {
		ops_copy(r.cand, r.ops);
		r.runs += kb_reduce_ops_with(r.cand, ops_test, &r, r.ops);
	}
	out->boot = true;
	out->text = false;
	out->layout = r.layout;
	ops_copy(&out->ops, r.ops);
	free(r.ops);
	free(r.cand);
	free(r.scratch);
	return r.runs;
}

int kb_reduce_boot_file(const struct kb_cmd_opts *o, const char *path, const struct kb_input *in,
			const char *sig)
{
	struct kb_input *out = kb_input_new();
	struct kb_ops *scratch = malloc(sizeof(*scratch));
	char sig2[320], before[256], after[256], comment[1400], *base = NULL;
	unsigned long runs;
	int ret = 2;

	if (!scratch)
		goto done;
	kb_boot_describe(in, before, sizeof(before));
	runs = kb_reduce_boot(in, o->level, sig, out);
	kb_boot_describe(out, after, sizeof(after));

	/* What is written must fail the same way once more. */
	kb_input_signature(out, o->level, scratch, sig2, sizeof(sig2));
	if (strcmp(sig, sig2)) {
		fprintf(stderr, "kbuddy: reduced fuzz_boot input of %s gives '%s', not '%s'\n",
			path, sig2, sig);
		goto done;
	}
	base = kb_wf_reduce_base(o, path);
	if (!base)
		goto done;
	snprintf(comment, sizeof(comment),
		 "# reduced by kbuddy reduce from %s (%zu bytes)\n# before: %s\n# after:  %s\n# %s (check level %d)\n",
		 path, in->bytes, before, after, sig, o->level);
	if (kb_boot_write_pair(base, out, comment))
		goto done;
	printf("%s: fuzz_boot input reduced in %lu runs, %s at check level %d\n", path, runs,
	       sig + strlen("KBUDDY-SIGNATURE: "), o->level);
	printf("  before: %zu-byte file: %s\n", in->bytes, before);
	printf("  after:  %s\n", after);
	printf("  %s.bin   (kbuddy repro --target fuzz_boot %s.bin)\n", base, base);
	printf("  %s.txt   (kbuddy repro %s.txt)\n", base, base);
	if (!o->quiet) {
		size_t need = kb_boot_format_text(out, NULL, NULL, 0) + 1;
		char *text = malloc(need);

		if (text) {
			kb_boot_format_text(out, NULL, text, need);
			fputs(text, stdout);
			free(text);
		}
	}
	ret = 0;
done:
	free(base);
	free(scratch);
	free(out);
	return ret;
}
