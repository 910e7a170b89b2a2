// SPDX-License-Identifier: GPL-2.0
/*
 * A real kernel's ftrace in the kbuddy tool:
 *   trace import TRACE --layout L [-o OUT]   the trace's requests and frees
 *                                            as an operation sequence
 *   trace replay TRACE|SEQ --layout L        run them on kbuddy under the
 *                                            checker; kbuddy's choices
 *                                            beside the kernel's
 * The format files (format.mm_page_alloc) and the .after views next to
 * TRACE are used when they are there (a capture directory).
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "kbuddy.h"
#include "replay.h"
#include "trace.h"
#include "workflow.h"

/* DIR/NAME next to path, read whole; NULL when absent. */
static char *sibling(const char *path, const char *name, size_t *len)
{
	char *copy = strdup(path), full[1024];
	uint8_t *data = NULL;
	FILE *f;

	if (!copy)
		return NULL;
	snprintf(full, sizeof(full), "%s/%s", dirname(copy), name);
	free(copy);
	f = fopen(full, "rb");
	if (!f)
		return NULL;
	fclose(f);
	if (kb_read_file(full, &data, len))
		return NULL;
	return (char *)data;
}

static int load_trace(const char *path, struct kb_trace *t)
{
	struct kb_gfp_map map;
	bool have_map = false;
	char err[512], *fmt;
	uint8_t *data;
	size_t size, flen;

	fmt = sibling(path, "format.mm_page_alloc", &flen);
	if (fmt) {
		if (kb_gfp_map_parse(fmt, flen, &map, err, sizeof(err)))
			fprintf(stderr, "kbuddy: warning: format.mm_page_alloc next to %s: %s; GFP names are read as kbuddy's\n",
				path, err);
		else
			have_map = true;
		free(fmt);
	}
	if (kb_read_file(path, &data, &size))
		return -1;
	if (kb_trace_parse((const char *)data, size, have_map ? &map : NULL, t, err, sizeof(err))) {
		fprintf(stderr, "kbuddy: %s: %s\n", path, err);
		free(data);
		return -1;
	}
	free(data);
	return 0;
}

static void print_summary(const char *path, const struct kb_trace *t)
{
	int e;

	printf("trace %s: %zu events:", path, t->nr);
	for (e = 0; e < KB_TR_NR_EVENTS; e++)
		printf(" %s %lu", kb_tr_event_name(e), t->count[e]);
	printf("\n");
	if (t->entries_written)
		printf("  ring buffer: %lu entries of %lu written%s\n", t->entries_in_buffer,
		       t->entries_written,
		       t->entries_in_buffer < t->entries_written ? " (the oldest were overwritten: their frees find no allocation)" : "");
	if (t->lost_markers)
		printf("  lost events: %lu in %u markers (frees of pages whose allocation was lost count as untraced)\n",
		       t->lost, t->lost_markers);
	if (t->malformed)
		printf("  malformed lines: %lu, the first at line %u: '%s'\n", t->malformed,
		       t->first_malformed_line, t->first_malformed);
	if (t->unknown)
		printf("  other events skipped: %lu (%s)\n", t->unknown, t->unknown_names);
	if (t->gfp_dropped)
		printf("  kernel GFP flags kbuddy does not have, dropped %lu times: %s\n", t->gfp_dropped,
		       t->gfp_dropped_names);
}

static int write_ops(FILE *f, const char *path, const struct kb_trace *t)
{
	size_t i;

	fprintf(f, "%s\n# from %s: %lu allocations, %lu frees\n", KB_TRACE_OPS_HEADER, path,
		t->count[KB_TR_ALLOC], t->count[KB_TR_FREE]);
	for (i = 0; i < t->nr; i++) {
		const struct kb_tr_record *r = &t->rec[i];
		char gfp[256];

		fprintf(f, "%s", kb_tr_ops_word(r->event));
		switch (r->event) {
		case KB_TR_MARK:
			fprintf(f, " %s\n", t->phase[r->phase]);
			continue;
		case KB_TR_ALLOC:
			kb_gfp_format(r->gfp, gfp, sizeof(gfp));
			fprintf(f, " pfn=0x%lx order=%u migratetype=%d gfp_flags=%s", r->pfn, r->order,
				r->migratetype, r->gfp ? gfp : "none");
			break;
		case KB_TR_FREE:
			fprintf(f, " pfn=0x%lx order=%u", r->pfn, r->order);
			break;
		case KB_TR_FREE_BATCHED:
			fprintf(f, " pfn=0x%lx order=0", r->pfn);
			break;
		case KB_TR_PCPU_DRAIN:
			fprintf(f, " pfn=0x%lx order=%u migratetype=%d", r->pfn, r->order, r->migratetype);
			break;
		case KB_TR_ZONE_LOCKED:
			fprintf(f, " pfn=0x%lx order=%u migratetype=%d percpu_refill=%u", r->pfn, r->order,
				r->migratetype, r->flag);
			break;
		case KB_TR_EXTFRAG:
			fprintf(f, " pfn=0x%lx alloc_order=%u fallback_order=%u alloc_migratetype=%d fallback_migratetype=%d change_ownership=%u",
				r->pfn, r->order, r->fallback_order, r->migratetype, r->fallback_mt,
				r->flag);
			break;
		}
		fprintf(f, " cpu=%u\n", r->cpu);
	}
	return ferror(f) ? -1 : 0;
}

static int trace_import(const struct kb_cmd_opts *o, const char *path)
{
	struct kb_layout layout;
	struct kb_replay_stats st;
	struct kb_trace t;
	char err[512];
	FILE *f;
	int ret = 2;

	if (kb_load_layout(o->layout, &layout) || load_trace(path, &t))
		return 2;
	/* the sequence must fit the layout: a dry run at level 0 checks its pages */
	if (kb_trace_replay(&layout, &t, 0, &st, NULL, err, sizeof(err))) {
		fprintf(stderr, "kbuddy: trace import %s: %s\n", path, err);
		goto out;
	}
	f = o->out && strcmp(o->out, "-") ? fopen(o->out, "w") : stdout;
	if (!f) {
		fprintf(stderr, "kbuddy: cannot write %s\n", o->out);
		goto out;
	}
	ret = write_ops(f, path, &t) ? 2 : 0;
	if (f != stdout && fclose(f))
		ret = 2;
	if (f != stdout) {
		print_summary(path, &t);
		printf("wrote %s: %zu records\n", o->out, t.nr);
	}
out:
	kb_trace_free(&t);
	return ret;
}

static void row(const char *what, unsigned long k, unsigned long b)
{
	printf("  %-34s %12lu %12lu\n", what, k, b);
}

/* The capture's view NAME.after beside kbuddy's, line by line. */
static void side_by_side(const char *trace, const char *name, struct kb_instance *kb,
			 void (*show)(const struct kb_instance *, FILE *))
{
	char file[64], *real, *ours = NULL, *p, *q;
	size_t len, olen = 0;
	FILE *f;

	snprintf(file, sizeof(file), "%s.after", name);
	real = sibling(trace, file, &len);
	f = open_memstream(&ours, &olen);
	if (!f) {
		free(real);
		return;
	}
	show(kb, f);
	fclose(f);
	printf("\n%s at the end: the capture's %s (kernel) and kbuddy's\n", name,
	       real ? file : "(none next to the trace)");
	for (p = real; p && *p; p = q) {
		q = strchr(p, '\n');
		q = q ? q + 1 : p + strlen(p);
		printf("  kernel %.*s", (int)(q - p), p);
		if (q[-1] != '\n')
			putchar('\n');
	}
	for (p = ours; p && *p; p = q) {
		q = strchr(p, '\n');
		q = q ? q + 1 : p + strlen(p);
		printf("  kbuddy %.*s", (int)(q - p), p);
	}
	free(real);
	free(ours);
}

static int trace_replay(const struct kb_cmd_opts *o, const char *path)
{
	struct kb_replay_stats st;
	struct kb_instance *kb = NULL;
	struct kb_layout layout;
	struct kb_trace t;
	char err[512], what[64];
	int z, i, ret = 2;

	if (kb_load_layout(o->layout, &layout) || load_trace(path, &t))
		return 2;
	print_summary(path, &t);
	if (kb_trace_replay(&layout, &t, o->level, &st, &kb, err, sizeof(err))) {
		fprintf(stderr, "kbuddy: trace replay %s: %s\n", path, err);
		goto out;
	}
	printf("replay on %s at check level %d: %s\n", o->layout, o->level,
	       st.violated ? "VIOLATION" : "clean");
	printf("  %-34s %12s %12s\n", "", "kernel", "kbuddy");
	row("allocations", st.kernel.allocs, st.kbuddy.allocs);
	row("  failed", st.kernel.failed, st.kbuddy.failed);
	for (z = 0; z < MAX_NR_ZONES; z++)
		if (st.kernel.zone[z] || st.kbuddy.zone[z]) {
			snprintf(what, sizeof(what), "  from zone %s", kb_zone_name(z));
			row(what, st.kernel.zone[z], st.kbuddy.zone[z]);
		}
	for (i = 0; i < KB_REPLAY_ORDERS; i++)
		if (st.kernel.order[i] || st.kbuddy.order[i]) {
			snprintf(what, sizeof(what), "  order %d", i);
			row(what, st.kernel.order[i], st.kbuddy.order[i]);
		}
	row("fallbacks (mm_page_alloc_extfrag)", st.kernel.extfrag, st.kbuddy.extfrag);
	row("  that took the block", st.kernel.extfrag_claims, st.kbuddy.extfrag_claims);
	row("pcp drains (pages)", st.kernel.drain_pages, st.kbuddy.drain_pages);
	row("buddy allocations (zone_locked)", st.kernel.zone_locked, st.kbuddy.zone_locked);
	row("  pcp refills among them", st.kernel.refills, st.kbuddy.refills);
	printf("  same zone as the kernel: %lu of %lu replayed allocations (%.1f%%)\n", st.same_zone,
	       st.replayed, st.replayed ? 100.0 * st.same_zone / st.replayed : 0.0);
	printf("  from a block of the requested migratetype: kbuddy %lu of %lu; kernel all but its %lu fallbacks\n",
	       st.requested_block, st.replayed, st.kernel.extfrag);
	printf("  frees: %lu of traced allocations, %lu of parts of them (split pages), %lu of pages allocated before the trace (skipped)\n",
	       st.frees, st.frees_split, st.frees_untraced);
	if (st.realloc_untraced)
		printf("  pages the kernel handed out again without a traced free: %lu (lost or untraced frees)\n",
		       st.realloc_untraced);
	if (st.kernel_failed_kbuddy_ok)
		printf("  allocations the kernel failed and kbuddy did not: %lu\n",
		       st.kernel_failed_kbuddy_ok);
	if (st.cpus_folded)
		printf("  events on CPUs the layout does not have, run on CPU %% nr_cpus: %lu\n",
		       st.cpus_folded);
	printf("  traced allocations still held at the end: %lu\n", st.live_at_end);
	side_by_side(path, "buddyinfo", kb, kb_show_buddyinfo);
	side_by_side(path, "pagetypeinfo", kb, kb_show_pagetypeinfo);
	if (st.violated) {
		printf("\n==== kbuddy: invariant violated replaying the trace (after line %u) ====\n%s\n",
		       st.violation_line, st.violation);
		ret = 1;
	} else {
		ret = 0;
	}
out:
	if (kb)
		kb_destroy(kb);
	kb_trace_free(&t);
	return ret;
}

int kb_cmd_trace(const struct kb_cmd_opts *o, int argc, char **argv)
{
	(void)argc;
	if (!o->layout) {
		fprintf(stderr, "kbuddy: trace %s needs --layout L (the layout of the traced machine: kbuddy import DIR)\n",
			argv[0]);
		return 2;
	}
	if (!strcmp(argv[0], "import"))
		return trace_import(o, argv[1]);
	if (!strcmp(argv[0], "replay"))
		return trace_replay(o, argv[1]);
	fprintf(stderr, "kbuddy: trace: unknown action '%s' (import or replay)\n", argv[0]);
	return 2;
}

/* run --trace: each event as a line of the kernel's trace file. */
struct tp_print {
	size_t op;		/* the operation running: the timestamp */
	bool on;
	struct kb_instance *kb;
};

static void print_tracepoint(void *ctx, const struct kb_trace_event *ev)
{
	struct tp_print *p = ctx;
	char text[512];

	if (!p->on)
		return;
	kb_trace_event_format(p->kb, ev, text, sizeof(text));
	printf("          kbuddy-1       [%03d] .....  %5zu.%06u: %s\n", ev->cpu, p->op, 0u, text);
}

static void before_op(void *ctx, struct kb_run *run, size_t index)
{
	struct tp_print *p = ctx;
	struct kb_instance *kb = kb_run_instance(run);

	p->op = index + 1;
	p->on = true;
	if (p->kb != kb) {
		p->kb = kb;
		kb_set_tracepoint(kb, print_tracepoint, p);
	}
}

int kb_run_tracepoints(const struct kb_cmd_opts *o, const char *path)
{
	struct tp_print tp = { 0 };
	struct kb_run_options opt = { .check_level = o->level, .back_with_memory = true,
				      .before_op = before_op, .ctx = &tp };
	struct kb_input *in = kb_input_new();
	struct kb_run_result res;
	struct kb_run *run;
	int ret = 2;

	if (kb_load_input(path, o->target, o->binary, in))
		goto out;
	if (in->boot) {
		fprintf(stderr, "kbuddy: run --trace takes an operation sequence, not a fuzz_boot input\n");
		goto out;
	}
	printf("# tracer: nop\n#\n# kbuddy %s: the kmem tracepoints of each operation (the timestamp is the operation's number)\n",
	       path);
	run = kb_run_ops(&in->ops, &opt, &res);
	tp.on = false;
	if (!run) {
		fprintf(stderr, "kbuddy: %s: layout '%s' did not boot: %s\n", path, in->ops.layout,
			res.setup_error);
		goto out;
	}
	if (res.violated)
		kb_run_report(stdout, &in->ops, run, &res);
	ret = res.violated ? 1 : 0;
	kb_run_destroy(run);
out:
	free(in);
	return ret;
}
