// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy reduce FILE: operation-level delta debugging (Zeller's ddmin on
 * the list of operations, then single removals until none is possible) to
 * the smallest sequence with the same signature at the chosen check level,
 * then simpler fields (CPU 0, the CPU's own node, fewer GFP flags) where
 * they keep that signature.
 * Writes FILE.min.bin and FILE.min.txt, or OUT.bin and OUT.txt with -o OUT.
 * fuzz_boot inputs go to tools/reduce_boot.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "workflow.h"

struct reducer {
	const struct kb_ops *in;
	struct kb_ops *cand;
	unsigned int *map;	/* old handle -> new handle, 0 = removed */
	kb_reduce_test_fn test;
	void *ctx;
	unsigned long runs;
};

/*
 * The subsequence of in that keep[] selects, made consistent: a free of a
 * removed allocation goes too, handles are renumbered 1, 2, ... and a
 * pcp_enable without a pending pcp_disable of its zone is dropped.
 */
static void build(struct reducer *r, const bool *keep, struct kb_ops *out)
{
	int depth[KB_MAX_NODES][MAX_NR_ZONES];
	size_t i;

	memcpy(out->layout, r->in->layout, sizeof(out->layout));
	out->nr_ops = 0;
	out->nr_handles = 0;
	memset(depth, 0, sizeof(depth));
	memset(r->map, 0, (r->in->nr_handles + 1) * sizeof(r->map[0]));
	for (i = 0; i < r->in->nr_ops; i++) {
		struct kb_op op = r->in->ops[i];

		if (!keep[i])
			continue;
		switch (op.kind) {
		case KB_OP_ALLOC:
		case KB_OP_ALLOC_CONTIG:
		case KB_OP_ALLOC_EXACT:
		case KB_OP_ALLOC_BULK: {
			unsigned int n = kb_op_new_handles(&op), k;

			for (k = 0; k < n && op.handle + k <= r->in->nr_handles; k++)
				r->map[op.handle + k] = (unsigned int)(out->nr_handles + 1 + k);
			op.handle = (unsigned int)out->nr_handles + 1;
			out->nr_handles += n;
			break;
		}
		case KB_OP_FREE:
		case KB_OP_SPLIT:
		case KB_OP_GET:
		case KB_OP_PUT:
			if (op.handle > r->in->nr_handles || !r->map[op.handle])
				continue;
			op.handle = r->map[op.handle];
			break;
		case KB_OP_PCP_DISABLE:
			if (op.node < KB_MAX_NODES && op.zone < MAX_NR_ZONES)
				depth[op.node][op.zone]++;
			break;
		case KB_OP_PCP_ENABLE:
			if (op.node < KB_MAX_NODES && op.zone < MAX_NR_ZONES) {
				if (!depth[op.node][op.zone])
					continue;
				depth[op.node][op.zone]--;
			}
			break;
		default:
			break;
		}
		out->ops[out->nr_ops++] = op;
	}
}

static bool still_fails(struct reducer *r, const bool *keep)
{
	build(r, keep, r->cand);
	r->runs++;
	return r->test(r->ctx, r->cand);
}

/* Tries keep[] without the kept operations ranked [from, to); true if it still fails. */
static bool try_without(struct reducer *r, bool *keep, const size_t *idx, size_t from,
			size_t to)
{
	size_t k;

	for (k = from; k < to; k++)
		keep[idx[k]] = false;
	if (still_fails(r, keep))
		return true;
	for (k = from; k < to; k++)
		keep[idx[k]] = true;
	return false;
}

/* The indices still kept, in order; returns their count. */
static size_t kept(const bool *keep, size_t n, size_t *idx)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (keep[i])
			idx[c++] = i;
	return c;
}

static bool ops_still_fail(struct reducer *r, const struct kb_ops *ops)
{
	r->runs++;
	return r->test(r->ctx, ops);
}

/*
 * Makes the operations easier to read where that keeps the signature:
 * allocations on CPU 0 and the CPU's own node, and GFP flags cleared one
 * at a time, after trying the common masks (XOR bits of the binary form are
 * what makes masks unreadable).
 */
static void simplify(struct reducer *r, struct kb_ops *ops)
{
	static const gfp_t common[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_ATOMIC,
					GFP_NOWAIT, GFP_KERNEL | __GFP_COMP, GFP_DMA32 | GFP_KERNEL,
					GFP_DMA | GFP_KERNEL, GFP_TRANSHUGE };
	size_t i;

	for (i = 0; i < ops->nr_ops; i++) {
		struct kb_op *op = &ops->ops[i], old = *op;
		unsigned int bit;

		if (op->kind != KB_OP_ALLOC && op->kind != KB_OP_FREE &&
		    op->kind != KB_OP_DRAIN_CPU)
			continue;
		if (op->cpu) {
			op->cpu = 0;
			if (!ops_still_fail(r, ops))
				op->cpu = old.cpu;
		}
		if (op->kind != KB_OP_ALLOC)
			continue;
		if (op->nid >= 0) {
			op->nid = -1;
			if (!ops_still_fail(r, ops))
				op->nid = old.nid;
		}
		for (bit = 0; bit < sizeof(common) / sizeof(common[0]); bit++) {
			if (op->gfp == common[bit])
				break;
			op->gfp = common[bit];
			if (ops_still_fail(r, ops))
				break;
			op->gfp = old.gfp;
		}
		if (bit < sizeof(common) / sizeof(common[0]))
			continue;	/* a common mask does it */
		for (bit = 0; bit < 32; bit++) {
			gfp_t g = op->gfp;

			if (!(g & (1u << bit)))
				continue;
			op->gfp = g & ~(1u << bit);
			if (!ops_still_fail(r, ops))
				op->gfp = g;
		}
	}
}

unsigned long kb_reduce_ops_with(const struct kb_ops *in, kb_reduce_test_fn test, void *ctx,
				 struct kb_ops *out)
{
	struct reducer r = { .in = in, .test = test, .ctx = ctx };
	size_t n = in->nr_ops, len, gran = 2, i;
	bool *keep = malloc(n + 1);
	size_t *idx = malloc((n + 1) * sizeof(size_t));
	bool progress;

	r.cand = malloc(sizeof(*r.cand));
	r.map = calloc(in->nr_handles + 1, sizeof(r.map[0]));
	if (!keep || !idx || !r.cand || !r.map) {
		fprintf(stderr, "kbuddy: out of memory\n");
		exit(2);
	}
	memset(keep, 1, n + 1);

	/* ddmin: remove chunks, halving the chunk size when nothing goes. */
	len = kept(keep, n, idx);
	while (len >= 2) {
		size_t chunk = (len + gran - 1) / gran, from;
		bool removed = false;

		for (from = 0; from < len; from += chunk) {
			size_t to = from + chunk < len ? from + chunk : len;

			if (try_without(&r, keep, idx, from, to)) {
				removed = true;
				break;
			}
		}
		len = kept(keep, n, idx);
		if (removed) {
			gran = gran > 2 ? gran - 1 : 2;
			continue;
		}
		if (gran >= len)
			break;
		gran = gran * 2 < len ? gran * 2 : len;
	}

	/* Single removals until none is possible (1-minimal). */
	do {
		progress = false;
		len = kept(keep, n, idx);
		for (i = len; i-- > 0;)
			if (try_without(&r, keep, idx, i, i + 1))
				progress = true;
	} while (progress);

	build(&r, keep, out);
	simplify(&r, out);
	free(r.cand);
	free(r.map);
	free(keep);
	free(idx);
	return r.runs;
}

/* fuzz_ops: the signature on a runner that keeps each layout booted. */
struct ops_test {
	struct kb_runner *runner;
	int level;
	const char *sig;
};

static bool ops_test(void *ctx, const struct kb_ops *ops)
{
	struct ops_test *t = ctx;
	char sig[320];

	kb_wf_signature(t->runner, ops, t->level, sig, sizeof(sig));
	return !strcmp(sig, t->sig);
}

unsigned long kb_reduce_ops(const struct kb_ops *in, int level, const char *sig,
			    struct kb_ops *out)
{
	struct ops_test t = { kb_runner_create(), level, sig };
	unsigned long runs;

	if (!t.runner) {
		fprintf(stderr, "kbuddy: out of memory\n");
		exit(2);
	}
	runs = kb_reduce_ops_with(in, ops_test, &t, out);
	kb_runner_destroy(t.runner);
	return runs;
}

/* The -o BASE, or FILE.min; malloc'd. */
char *kb_wf_reduce_base(const struct kb_cmd_opts *o, const char *path)
{
	char *base;

	if (o->out)
		return strdup(o->out);
	base = malloc(strlen(path) + 8);
	if (base)
		sprintf(base, "%s.min", path);
	return base;
}

static int reduce_ops(const struct kb_cmd_opts *o, const char *path, const struct kb_ops *in,
		      const char *sig)
{
	struct kb_ops *out = malloc(sizeof(*out));
	char sig2[320], comment[1024], *base = NULL;
	unsigned long runs;
	int ret = 2;

	if (!out)
		goto done;
	runs = kb_reduce_ops(in, o->level, sig, out);

	/* The written form must still fail the same way on a fresh instance. */
	kb_wf_signature(NULL, out, o->level, sig2, sizeof(sig2));
	if (strcmp(sig, sig2)) {
		fprintf(stderr, "kbuddy: reduced sequence of %s gives '%s', not '%s' (the run depends on more than its operations)\n",
			path, sig2, sig);
		goto done;
	}
	base = kb_wf_reduce_base(o, path);
	if (!base)
		goto done;
	snprintf(comment, sizeof(comment),
		 "# reduced by kbuddy reduce from %s: %zu -> %zu operations\n# %s (check level %d)\n",
		 path, in->nr_ops, out->nr_ops, sig, o->level);
	if (kb_wf_write_pair(base, out, comment, false))
		goto done;
	printf("%s: %zu -> %zu operations in %lu runs, %s at check level %d\n", path,
	       in->nr_ops, out->nr_ops, runs, sig + strlen("KBUDDY-SIGNATURE: "), o->level);
	if (kb_ops_encode_binary(out, NULL, 0))
		printf("  %s.bin\n", base);
	else
		printf("  (no %s.bin: the sequence holds text-only operations)\n", base);
	printf("  %s.txt\n", base);
	if (!o->quiet) {
		size_t need = kb_ops_format_text(out, NULL, 0) + 1;
		char *text = malloc(need);

		if (text) {
			kb_ops_format_text(out, text, need);
			fputs(text, stdout);
			free(text);
		}
	}
	ret = 0;
done:
	free(base);
	free(out);
	return ret;
}

int kb_cmd_reduce(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *path = argv[0];
	struct kb_input *in = kb_input_new();
	struct kb_ops *scratch = malloc(sizeof(*scratch));
	char sig[320];
	int ret = 2;

	(void)argc;
	if (!scratch || kb_load_input(path, o->target, o->binary, in))
		goto done;
	kb_input_signature(in, o->level, scratch, sig, sizeof(sig));
	if (!sig[0]) {
		fprintf(stderr, "kbuddy: %s runs clean at check level %d%s: nothing to reduce\n",
			path, o->level, in->boot ? " as a fuzz_boot input" : "");
		goto done;
	}
	if (in->boot)
		ret = kb_reduce_boot_file(o, path, in, sig);
	else
		ret = reduce_ops(o, path, &in->ops, sig);
done:
	free(scratch);
	free(in);
	return ret;
}
