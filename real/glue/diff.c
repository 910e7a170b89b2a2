// SPDX-License-Identifier: GPL-2.0
/*
 * The differential runner: one operation sequence on kbuddy (PROFILE=6.12,
 * under its checker) and on the real 6.12 code, op by op. After every
 * operation the outcome (error, success, pfn, node, zone) and the state of
 * every zone (free lists per order and migratetype, pcp lists per CPU,
 * pageblock types, counters, watermarks) must agree, less what
 * real/differences.tsv allows; the first difference ends the run with the
 * signature "diff-<what> <op>".
 *
 * The real code boots once per process (its globals are the kernel's), so
 * a process runs one input: nothing is carried from one input to the next.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "kb_state.h"
#include "layout_io.h"
#include "machine.h"
#include "run.h"

struct diff_run {
	const struct real_ops *real;
	const struct real_diff_options *opt;
	struct real_diff_result *res;
	const struct kb_ops *ops;
	/* the real side of every handle */
	bool *ok;
	unsigned long *pfn;
	unsigned int *order;
	struct real_state kb_state, real_state;
	char what[64], detail[512];
	size_t at;
	bool halted;		/* stopped by a "stop" rule of the table */
	unsigned long compact_stall;	/* kbuddy's direct compactions so far */
	unsigned long pgsteal_direct;	/* pages kbuddy's direct reclaim took so far */
	unsigned long oom_kill;		/* tasks kbuddy's OOM killer ended so far */
};

static __attribute__((format(printf, 3, 4)))
void differ(struct diff_run *d, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (d->what[0])
		return;
	snprintf(d->what, sizeof(d->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
	va_end(ap);
}

/* The sysctls page_alloc.c registers (compaction's are not built). */
static bool real_sysctl(const struct kb_op *op)
{
	switch (op->sysctl) {
	case KB_SYSCTL_MIN_FREE_KBYTES:
	case KB_SYSCTL_WATERMARK_SCALE_FACTOR:
	case KB_SYSCTL_WATERMARK_BOOST_FACTOR:
	case KB_SYSCTL_LOWMEM_RESERVE_RATIO:
	case KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION:
		return true;
	default:
		return false;
	}
}

const char *real_diff_unsupported(const struct kb_op *op)
{
	switch (op->kind) {
	case KB_OP_ALLOC:
	case KB_OP_DRAIN_CPU:
	case KB_OP_DRAIN_ALL:
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
	case KB_OP_GET:
	case KB_OP_PUT:
	case KB_OP_OOM_VICTIM:
		return NULL;
	case KB_OP_OOM_SCORE_ADJ:
		/*
		 * The real build's out_of_memory kills nothing whatever the
		 * task's score, and the comparison ends at kbuddy's first kill:
		 * the write changes nothing the two sides compare.
		 */
		return NULL;
	case KB_OP_FREE:
		if (op->race)
			return "a free racing a put is a window of kbuddy's runner, not an entry point";
		return NULL;
	case KB_OP_SYSCTL:
		return real_sysctl(op) ? NULL :
			"compaction's sysctls (mm/compaction.c is not in the real build)";
	case KB_OP_ISOLATE:
	case KB_OP_UNISOLATE:
		return "not wired yet (start_isolate_page_range links)";
	case KB_OP_ALLOC_CONTIG:
		return "alloc_contig_pages needs migration, which the real build does not port";
	case KB_OP_COMPACT:
	case KB_OP_KCOMPACTD:
		return "mm/compaction.c is not in the real build";
	case KB_OP_KSWAPD:
		return "mm/vmscan.c is not in the real build (kswapd is never woken there)";
	case KB_OP_FREE_PFN:
		return "API misuse (a free by pfn) has no entry point";
	case KB_OP_SPLIT:
	case KB_OP_ALLOC_EXACT:
	case KB_OP_ALLOC_BULK:
		return "not wired yet (split_page, alloc_pages_exact and alloc_pages_bulk link)";
	case KB_OP_SOFT_OFFLINE:
	case KB_OP_UNPOISON:
		return "mm/memory-failure.c is not in the real build";
	case KB_OP_SCHEDULE:
		return "interleaved CPUs (core/sched.h) are not driven on the real build";
	case KB_NR_OP_KINDS:
		break;
	}
	return "unknown operation";
}

/* Is the rule ("state pcp.high", "stop einval") in the table? */
static bool allowed(const struct real_diff_options *opt, const char *rule)
{
	for (size_t i = 0; i < opt->nr_allowed; i++)
		if (!strcmp(opt->allowed[i], rule))
			return true;
	return false;
}

/* Does a "warning TEXT" rule of the table name this warning of the real code? */
static bool warning_allowed(const struct real_diff_options *opt, const char *warning)
{
	for (size_t i = 0; i < opt->nr_allowed; i++)
		if (!strncmp(opt->allowed[i], "warning ", 8) &&
		    strstr(warning, opt->allowed[i] + 8))
			return true;
	return false;
}

static int clamp_high(const struct real_pcp_state *p)
{
	int high = p->high;

	if (high < p->high_min)
		high = p->high_min;
	if (high > p->high_max)
		high = p->high_max;
	return high;
}

static const char *const zone_names[REAL_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable", "Device" };

/*
 * With mobility grouping disabled kbuddy boots every pageblock unmovable
 * (the table's mobility-disabled row): the types and the migratetype of
 * each free list are not compared, the blocks of each order are.
 */
static void fold_migratetypes(struct real_zone_state *zs, unsigned int max_order)
{
	for (unsigned int o = 0; o <= max_order; o++) {
		for (int mt = 1; mt < REAL_NR_MIGRATETYPES; mt++) {
			zs->nr_free[o][0] += zs->nr_free[o][mt];
			zs->nr_free[o][mt] = 0;
			zs->free_hash[o][mt] = 0;
		}
		zs->free_hash[o][0] = 0;
	}
	memset(zs->pageblocks, 0, sizeof(zs->pageblocks));
	zs->pageblock_hash = 0;
}

/* "0x1a0 0x1a2 ..." : the first pfns of a list, head first */
static void list_head_pfns(char *buf, size_t len, const unsigned long *first, unsigned long nr)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned long i = 0; i < nr && i < REAL_LIST_SHOWN && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%#lx", i ? " " : "", first[i]);
	if (nr > REAL_LIST_SHOWN && at < len)
		snprintf(buf + at, len - at, " ...");
}

static void compare_zone(struct diff_run *d, unsigned int n, int z, const struct real_zone_state *k,
			 const struct real_zone_state *r, unsigned int nr_cpus, unsigned int max_order)
{
	const char *zn = zone_names[z];

#define SAME(field, what) do { if (k->field != r->field) \
		differ(d, what, "node %u %s: " #field " kbuddy %ld, real %ld", n, zn, \
		       (long)k->field, (long)r->field); } while (0)
#define SAME_AT(field, i, what) do { if (k->field[i] != r->field[i]) \
		differ(d, what, "node %u %s: " #field "[%d] kbuddy %ld, real %ld", n, zn, (int)(i), \
		       (long)k->field[i], (long)r->field[i]); } while (0)
	SAME(spanned, "diff-zone-span");
	SAME(start_pfn, "diff-zone-span");
	SAME(spanned_pages, "diff-zone-span");
	SAME(present_pages, "diff-present-pages");
	SAME(managed_pages, "diff-managed-pages");
	if (!k->spanned || !r->spanned)
		return;
	SAME(nr_free_pages, "diff-nr-free-pages");
	SAME(nr_free_cma_pages, "diff-nr-free-cma-pages");
	for (int w = 0; w < 3; w++)
		SAME_AT(watermark, w, "diff-watermark");
	SAME(watermark_boost, "diff-watermark-boost");
	SAME(nr_reserved_highatomic, "diff-highatomic-reserve");
	for (int i = 0; i < REAL_NR_ZONES; i++)
		SAME_AT(lowmem_reserve, i, "diff-lowmem-reserve");
	SAME(nr_isolate_pageblock, "diff-isolate-pageblocks");
	for (int mt = 0; mt < REAL_NR_MIGRATETYPES; mt++)
		SAME_AT(pageblocks, mt, "diff-pageblock-type");
	SAME(pageblock_hash, "diff-pageblock-type");
	for (unsigned int o = 0; o <= max_order; o++) {
		SAME_AT(area_nr_free, o, "diff-nr-free");
		for (int mt = 0; mt < REAL_NR_MIGRATETYPES; mt++) {
			if (k->nr_free[o][mt] != r->nr_free[o][mt])
				differ(d, "diff-free-list",
				       "node %u %s: free_area[%u].free_list[%d] kbuddy %lu blocks, real %lu",
				       n, zn, o, mt, k->nr_free[o][mt], r->nr_free[o][mt]);
			if (k->free_hash[o][mt] != r->free_hash[o][mt]) {
				char kl[64], rl[64];

				list_head_pfns(kl, sizeof(kl), k->free_head[o][mt], k->nr_free[o][mt]);
				list_head_pfns(rl, sizeof(rl), r->free_head[o][mt], r->nr_free[o][mt]);
				differ(d, "diff-free-list-order",
				       "node %u %s: free_area[%u].free_list[%d]: %lu blocks each, in another order or other pfns: kbuddy %s, real %s",
				       n, zn, o, mt, k->nr_free[o][mt], kl, rl);
			}
		}
	}
	for (unsigned int c = 0; c < nr_cpus && c < REAL_MAX_CPUS; c++) {
		const struct real_pcp_state *kp = &k->pcp[c], *rp = &r->pcp[c];

#define SAME_PCP(field, what) do { if (kp->field != rp->field) \
		differ(d, what, "node %u %s: cpu %u pcp->" #field " kbuddy %ld, real %ld", n, zn, c, \
		       (long)kp->field, (long)rp->field); } while (0)
		SAME_PCP(count, "diff-pcp-count");
		SAME_PCP(batch, "diff-pcp-batch");
		SAME_PCP(high_min, "diff-pcp-high");
		SAME_PCP(high_max, "diff-pcp-high");
		if (allowed(d->opt, "state pcp.high") ? clamp_high(kp) != clamp_high(rp) : kp->high != rp->high)
			differ(d, "diff-pcp-high", "node %u %s: cpu %u pcp->high kbuddy %d, real %d (clamped to [%d, %d])",
			       n, zn, c, kp->high, rp->high, kp->high_min, kp->high_max);
		for (int i = 0; i < REAL_NR_PCP_LISTS; i++) {
			if (kp->nr[i] != rp->nr[i])
				differ(d, "diff-pcp-list", "node %u %s: cpu %u pcp list %d kbuddy %u blocks, real %u",
				       n, zn, c, i, kp->nr[i], rp->nr[i]);
			if (kp->hash[i] != rp->hash[i])
				differ(d, "diff-pcp-list-order",
				       "node %u %s: cpu %u pcp list %d: %u blocks each, in another order or other pfns",
				       n, zn, c, i, kp->nr[i]);
		}
	}
#undef SAME_PCP
#undef SAME_AT
#undef SAME
}

static void compare_state(struct diff_run *d, struct kb_instance *kb)
{
	kb_real_state(kb, &d->kb_state);
	d->real->state(&d->real_state);
	if (d->kb_state.nr_cpus != d->real_state.nr_cpus ||
	    d->kb_state.nr_nodes != d->real_state.nr_nodes) {
		differ(d, "diff-machine", "kbuddy %u nodes %u CPUs, real %u nodes %u CPUs",
		       d->kb_state.nr_nodes, d->kb_state.nr_cpus, d->real_state.nr_nodes,
		       d->real_state.nr_cpus);
		return;
	}
	for (unsigned int n = 0; n < d->kb_state.nr_nodes && n < REAL_MAX_NODES; n++)
		for (int z = 0; z < REAL_NR_ZONES; z++)
			if (kb->page_group_by_mobility_disabled &&
			    allowed(d->opt, "state mobility-disabled")) {
				fold_migratetypes(&d->kb_state.zone[n][z], kb->max_order);
				fold_migratetypes(&d->real_state.zone[n][z], kb->max_order);
			}
	for (unsigned int n = 0; n < d->kb_state.nr_nodes && n < REAL_MAX_NODES; n++)
		for (int z = 0; z < REAL_NR_ZONES; z++)
			compare_zone(d, n, z, &d->kb_state.zone[n][z], &d->real_state.zone[n][z],
				     d->kb_state.nr_cpus, kb->max_order);
}

/* The operation on the real code, and its outcome beside kbuddy's. */
static void real_op(struct diff_run *d, const struct kb_op *op, const struct kb_op_result *kr,
		    int kb_cpu)
{
	const struct real_ops *real = d->real;
	struct real_alloc ra;
	unsigned int h = op->handle;
	int err;

	switch (op->kind) {
	case KB_OP_ALLOC:
		if (kr->err == -EINVAL && allowed(d->opt, "stop einval")) {
			d->halted = true;
			snprintf(d->res->stopped_why, sizeof(d->res->stopped_why),
				 "kbuddy refuses a request the kernel treats as a bug, 6.12 serves it (real/differences.tsv: gfp-bug)");
			return;
		}
		real->alloc_pages(op->gfp, op->order, (int)op->cpu, op->nid, &ra);
		d->ok[h] = ra.ok;
		d->pfn[h] = ra.pfn;
		d->order[h] = op->order;
		if (ra.ok == kr->failed || (kr->err && ra.ok))
			differ(d, "diff-outcome", "kbuddy %s, the real code %s",
			       kr->failed || kr->err ? "failed" : "succeeded",
			       ra.ok ? "succeeded" : "failed");
		else if (ra.ok && ra.pfn != kr->pfn)
			differ(d, "diff-pfn", "kbuddy pfn %#lx, real pfn %#lx", kr->pfn, ra.pfn);
		else if (ra.ok && (ra.node != kr->node || ra.zone != kr->zone))
			differ(d, "diff-zone", "kbuddy node %d zone %d, real node %d zone %d",
			       kr->node, kr->zone, ra.node, ra.zone);
		break;
	case KB_OP_FREE:
		if (!d->ok[h]) {
			if (!kr->skipped)
				differ(d, "diff-outcome", "kbuddy freed a%u, which failed on the real code", h);
			break;
		}
		real->free_pages(d->pfn[h], op->order_given ? op->order : d->order[h], (int)op->cpu);
		break;
	case KB_OP_GET:
		if (d->ok[h])
			real->get_page(d->pfn[h]);
		break;
	case KB_OP_PUT:
		if (d->ok[h])
			real->put_page(d->pfn[h], kb_cpu);
		break;
	case KB_OP_OOM_VICTIM:
		real->set_oom_victim(op->value != 0);
		break;
	case KB_OP_DRAIN_CPU:
		real->drain_local((int)op->cpu);
		break;
	case KB_OP_DRAIN_ALL:
		real->drain_all();
		break;
	case KB_OP_SYSCTL:
		err = real->sysctl_write_index(kb_sysctl_name((enum kb_sysctl)op->sysctl), op->index,
					       op->value);
		if ((err != 0) != (kr->err != 0))
			differ(d, "diff-error", "writing %ld to %s[%u]: kbuddy %d, real %d", op->value,
			       kb_sysctl_name((enum kb_sysctl)op->sysctl), op->index, kr->err, err);
		break;
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
		if (kr->err)
			break;	/* kbuddy refused it (no zone, lock held): nothing to do */
		err = op->kind == KB_OP_PCP_DISABLE ? real->pcp_disable((int)op->node, (int)op->zone) :
						      real->pcp_enable((int)op->node, (int)op->zone);
		if (err)
			differ(d, "diff-error", "zone_pcp_%s: kbuddy 0, real %d",
			       op->kind == KB_OP_PCP_DISABLE ? "disable" : "enable", err);
		break;
	default:
		break;
	}
}

/* The state right after boot, before the first operation. */
static void before_op(void *ctx, struct kb_run *run, size_t index)
{
	struct diff_run *d = ctx;

	if (index == 0 && !d->what[0] && d->opt->compare_state)
		compare_state(d, kb_run_instance(run));
}

static void after_op(void *ctx, struct kb_run *run, size_t index, const struct kb_op *op,
		     const struct kb_op_result *res)
{
	struct diff_run *d = ctx;
	struct real_warnings w;

	if (d->what[0] || d->halted)
		return;
	/*
	 * kbuddy's slow path compacted: the real build has no mm/compaction.c
	 * (its try_to_compact_pages does nothing), so from here the two run
	 * different allocators and the comparison ends.
	 */
	if (kb_run_instance(run)->vm_events[COMPACTSTALL] != d->compact_stall) {
		d->halted = true;
		snprintf(d->res->stopped_why, sizeof(d->res->stopped_why),
			 "kbuddy compacted directly (compact_stall), which the real build does not (no mm/compaction.c)");
	} else if (kb_run_instance(run)->vm_events[PGSTEAL_DIRECT] != d->pgsteal_direct) {
		/* the same for reclaim: the real build's mm/vmscan.c is a shim with nothing to reclaim */
		d->halted = true;
		snprintf(d->res->stopped_why, sizeof(d->res->stopped_why),
			 "kbuddy reclaimed pages directly (pgsteal_direct), which the real build does not (no mm/vmscan.c)");
	} else if (kb_run_instance(run)->vm_events[OOM_KILL] != d->oom_kill) {
		/* and for the OOM killer: the real build's out_of_memory is a shim that kills nothing */
		d->halted = true;
		snprintf(d->res->stopped_why, sizeof(d->res->stopped_why),
			 "kbuddy's OOM killer ended a task (oom_kill), which the real build does not (no mm/oom_kill.c)");
	} else {
		real_op(d, op, res, kb_run_instance(run)->cpu);
	}
	if (d->halted) {
		d->res->stopped_at = index + 1;
		return;
	}
	d->real->take_warnings(&w);
	if (w.count && !d->what[0] && !warning_allowed(d->opt, w.first))
		differ(d, "diff-warning", "the real code warned %lu times: %s", w.count, w.first);
	if (!d->what[0] && d->opt->compare_state)
		compare_state(d, kb_run_instance(run));
	d->res->ops_compared = index + 1;
	if (d->what[0] && !d->at)
		d->at = index + 1;
}

int real_diff_run(const struct kb_ops *in, const struct real_diff_options *opt,
		  struct real_diff_result *res)
{
	static struct kb_ops ops;
	struct kb_layout layout;
	struct real_machine m;
	struct kb_run_options ro = { .check_level = opt->check_level };
	struct kb_run_result rr;
	struct diff_run d = { .opt = opt, .res = res, .ops = &ops };
	struct real_warnings w;
	struct kb_run *run;
	char err[256];

	memset(res, 0, sizeof(*res));
	ops = *in;
	for (size_t i = 0; i < ops.nr_ops; i++) {
		const char *why = real_diff_unsupported(&ops.ops[i]);

		if (why) {
			res->stopped_at = i + 1;
			snprintf(res->stopped_why, sizeof(res->stopped_why),
				 "%s is not driven on the real code: %s",
				 kb_op_kind_name(ops.ops[i].kind), why);
			ops.nr_ops = i;
			break;
		}
	}
	if (kb_layout_builtin(ops.layout, &layout)) {
		snprintf(res->error, sizeof(res->error), "layout %s is not built in", ops.layout);
		return -1;
	}
	d.real = real_build_for(&layout, err, sizeof(err));
	if (!d.real) {
		snprintf(res->error, sizeof(res->error), "%s", err);
		return -1;
	}
	d.real->set_verbose(opt->verbose);
	real_machine_from_layout(&layout, &m);
	if (d.real->boot(&m, err, sizeof(err))) {
		snprintf(res->error, sizeof(res->error), "the real code's boot: %s", err);
		return -1;
	}
	d.real->take_warnings(&w);
	if (w.count) {
		snprintf(res->error, sizeof(res->error), "the real code warned at boot: %s", w.first);
		return -1;
	}
	d.ok = calloc(ops.nr_handles + 2, sizeof(*d.ok));
	d.pfn = calloc(ops.nr_handles + 2, sizeof(*d.pfn));
	d.order = calloc(ops.nr_handles + 2, sizeof(*d.order));
	if (!d.ok || !d.pfn || !d.order) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		free(d.ok);
		free(d.pfn);
		free(d.order);
		return -1;
	}
	ro.before_op = before_op;
	ro.after_op = after_op;
	ro.ctx = &d;
	ro.no_hash = true;
	run = kb_run_ops(&ops, &ro, &rr);
	if (!run || rr.setup_failed) {
		snprintf(res->error, sizeof(res->error), "kbuddy's boot: %s", rr.setup_error);
	} else {
		/* a sequence without operations: the state after boot */
		if (!d.what[0] && !ops.nr_ops && opt->compare_state)
			compare_state(&d, kb_run_instance(run));
		if (rr.violated) {
			res->kb_violated = true;
			snprintf(res->kb_violation, sizeof(res->kb_violation), "%s: %s",
				 rr.violation.invariant, rr.violation.detail);
		}
	}
	if (d.what[0]) {
		res->differs = true;
		res->at = d.at;
		snprintf(res->what, sizeof(res->what), "%s", d.what);
		snprintf(res->detail, sizeof(res->detail), "%s", d.detail);
		if (d.at)
			kb_op_format(&ops.ops[d.at - 1], res->op_text, sizeof(res->op_text));
		snprintf(res->signature, sizeof(res->signature), "%s %s", d.what,
			 d.at ? kb_op_kind_name(ops.ops[d.at - 1].kind) : "boot");
	}
	if (run)
		kb_run_destroy(run);
	free(d.ok);
	free(d.pfn);
	free(d.order);
	return res->error[0] ? -1 : 0;
}

int real_diff_load_table(const char *path, struct real_diff_options *opt, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *name = strtok(line, "\t\n"), *rule = name ? strtok(NULL, "\t\n") : NULL;

		if (!name || name[0] == '#' || !rule)
			continue;
		if (strncmp(rule, "state ", 6) && strncmp(rule, "warning ", 8) &&
		    strncmp(rule, "stop ", 5))
			continue;
		if (opt->nr_allowed >= REAL_DIFF_MAX_ALLOWED) {
			fclose(f);
			snprintf(err, errlen, "%s: more than %d state rows", path, REAL_DIFF_MAX_ALLOWED);
			return -1;
		}
		snprintf(opt->allowed[opt->nr_allowed++], sizeof(opt->allowed[0]), "%s", rule);
	}
	fclose(f);
	return 0;
}
