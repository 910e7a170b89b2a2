// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: operation text files with "expect" lines, each checked right
 * after the operations above it (docs/scenarios.md).
 *
 *   expect a3 ok | fail | zone=DMA32 | node=1 | err=EINVAL
 *   expect nr_free[Normal][3] == 2        (any metric, == != < <= > >=)
 *   expect violation nr-free              (the run stops on this invariant)
 */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "run.h"
#include "../core/internal.h"

#define MAX_EXPECTS	512

struct expect {
	size_t after_ops;	/* evaluated once this many ops ran */
	int line;
	char text[256];
};

struct scenario {
	struct expect expects[MAX_EXPECTS];
	size_t nr_expects;
	size_t next;		/* next expectation to evaluate */
	const char *violation;	/* "expect violation NAME", or NULL */
	char violation_name[64];
	/* per-handle results, for "expect aN ..." */
	struct kb_op_result *results;
	bool *has_result;
	size_t nr_handles;
	int failures;
	const char *path;
	FILE *out;
};

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool is_op_line(const char *s)
{
	size_t n = 0;
	int k;

	while (s[n] && !isspace((unsigned char)s[n]) && s[n] != '#')
		n++;
	for (k = 0; k < KB_NR_OP_KINDS; k++) {
		const char *name = kb_op_kind_name((enum kb_op_kind)k);

		if (strlen(name) == n && !strncmp(s, name, n))
			return true;
	}
	return false;
}

/* --- metrics --- */

static int parse_zone_spec(const char *s, size_t n, int *nid, int *zid)
{
	char buf[32];
	const char *colon;
	int z;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*nid = 0;
	colon = strchr(buf, ':');
	if (colon) {
		*nid = atoi(buf);
		memmove(buf, colon + 1, strlen(colon));
	}
	for (z = 0; z < MAX_NR_ZONES; z++)
		if (!strcasecmp(buf, kb_zone_name((enum zone_type)z))) {
			*zid = z;
			return 0;
		}
	return -1;
}

static int parse_index(const char *s, size_t n, const char *const *names, int count)
{
	char buf[32];
	int i;

	if (n >= sizeof(buf) || !n)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (isdigit((unsigned char)buf[0]))
		return atoi(buf);
	for (i = 0; names && i < count; i++)
		if (!strcasecmp(buf, names[i]))
			return i;
	return -1;
}

static const char *const event_names[NR_VM_EVENT_ITEMS] = {
	"PGALLOC", "PGFREE", "ALLOCFAIL", "EXTFRAG_CLAIM", "EXTFRAG_STEAL",
	"CMA_ALLOC_FALLBACK", "HIGHATOMIC_RESERVE", "HIGHATOMIC_UNRESERVE",
	"WMARK_BOOST", "PCP_DRAIN_HIGH", "PCP_REFILL",
};

static const char *const mt_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

/* Splits "name[a][b]" into name and up to three bracketed arguments. */
static int split_metric(const char *m, char *name, size_t nlen, const char **arg,
			size_t *alen, int max_args)
{
	const char *p = strchr(m, '[');
	int n = 0;

	if (!p)
		p = m + strlen(m);
	if ((size_t)(p - m) >= nlen)
		return -1;
	memcpy(name, m, (size_t)(p - m));
	name[p - m] = '\0';
	while (*p == '[' && n < max_args) {
		const char *e = strchr(p, ']');

		if (!e)
			return -1;
		arg[n] = p + 1;
		alen[n] = (size_t)(e - p - 1);
		n++;
		p = e + 1;
	}
	return *p ? -1 : n;
}

static int metric_value(struct kb_instance *kb, const char *m, long *out, char *err, size_t elen)
{
	const char *arg[3];
	size_t alen[3];
	char name[48];
	int nargs = split_metric(m, name, sizeof(name), arg, alen, 3);
	int nid = 0, zid = 0, i, j;
	struct zone *zone = NULL;

	if (nargs < 0) {
		snprintf(err, elen, "bad metric '%s'", m);
		return -1;
	}
	if (!strcmp(name, "event")) {
		i = nargs == 1 ? parse_index(arg[0], alen[0], event_names, NR_VM_EVENT_ITEMS) : -1;
		if (i < 0 || i >= NR_VM_EVENT_ITEMS)
			goto bad;
		*out = (long)kb->vm_events[i];
		return 0;
	}
	if (!strcmp(name, "min_free_kbytes") && !nargs) {
		*out = kb->min_free_kbytes;
		return 0;
	}
	if (!strcmp(name, "totalreserve_pages") && !nargs) {
		*out = (long)kb->totalreserve_pages;
		return 0;
	}
	if (!strcmp(name, "mobility_disabled") && !nargs) {
		*out = kb->page_group_by_mobility_disabled;
		return 0;
	}
	if (nargs < 1 || parse_zone_spec(arg[0], alen[0], &nid, &zid))
		goto bad;
	zone = kb_zone(kb, nid, (enum zone_type)zid);
	if (!zone)
		goto bad;

	if (nargs == 1) {
		if (!strcmp(name, "free_pages"))
			*out = zone->vm_stat[NR_FREE_PAGES];
		else if (!strcmp(name, "free_cma"))
			*out = zone->vm_stat[NR_FREE_CMA_PAGES];
		else if (!strcmp(name, "boost"))
			*out = (long)zone->watermark_boost;
		else if (!strcmp(name, "min"))
			*out = (long)zone->_watermark[WMARK_MIN];
		else if (!strcmp(name, "low"))
			*out = (long)zone->_watermark[WMARK_LOW];
		else if (!strcmp(name, "high"))
			*out = (long)zone->_watermark[WMARK_HIGH];
		else if (!strcmp(name, "promo"))
			*out = (long)zone->_watermark[WMARK_PROMO];
		else if (!strcmp(name, "managed"))
			*out = (long)zone->managed_pages;
		else if (!strcmp(name, "present"))
			*out = (long)zone->present_pages;
		else if (!strcmp(name, "spanned"))
			*out = (long)zone->spanned_pages;
		else if (!strcmp(name, "reserved_highatomic"))
			*out = (long)zone->nr_reserved_highatomic;
		else if (!strcmp(name, "free_highatomic"))
			*out = (long)zone->nr_free_highatomic;
		else if (!strcmp(name, "cma"))
			*out = (long)zone->cma_pages;
		else if (!strcmp(name, "isolated_blocks"))
			*out = (long)zone->nr_isolate_pageblock;
		else
			goto bad;
		return 0;
	}
	if (nargs == 2) {
		if (!strcmp(name, "nr_free")) {
			i = parse_index(arg[1], alen[1], NULL, 0);
			if (i < 0 || i > (int)kb->max_order)
				goto bad;
			*out = (long)zone->free_area[i].nr_free;
		} else if (!strcmp(name, "lowmem_reserve")) {
			int nz = 0, z2;

			if (parse_zone_spec(arg[1], alen[1], &nz, &z2))
				goto bad;
			*out = zone->lowmem_reserve[z2];
		} else if (!strcmp(name, "blocks")) {
			unsigned long pfn, count = 0;

			i = parse_index(arg[1], alen[1], mt_names, MIGRATE_TYPES);
			if (i < 0 || i >= MIGRATE_TYPES)
				goto bad;
			for (pfn = pageblock_start_pfn(kb, zone->zone_start_pfn);
			     pfn < zone_end_pfn(zone); pfn += kb->pageblock_nr_pages)
				if (pfn >= zone->zone_start_pfn &&
				    get_pfnblock_migratetype(kb, pfn) == i)
					count++;
			*out = (long)count;
		} else if (!strncmp(name, "pcp_", 4)) {
			struct per_cpu_pages *pcp;

			i = parse_index(arg[1], alen[1], NULL, 0);
			if (i < 0 || i >= kb->nr_cpu_ids)
				goto bad;
			pcp = &zone->per_cpu_pageset[i];
			if (!strcmp(name, "pcp_count"))
				*out = pcp->count;
			else if (!strcmp(name, "pcp_high"))
				*out = pcp->high;
			else if (!strcmp(name, "pcp_batch"))
				*out = pcp->batch;
			else if (!strcmp(name, "pcp_high_min"))
				*out = pcp->high_min;
			else if (!strcmp(name, "pcp_high_max"))
				*out = pcp->high_max;
			else
				goto bad;
		} else {
			goto bad;
		}
		return 0;
	}
	if (nargs == 3 && !strcmp(name, "free_list")) {
		struct list_head *pos, *head;
		long count = 0;

		i = parse_index(arg[1], alen[1], mt_names, MIGRATE_TYPES);
		j = parse_index(arg[2], alen[2], NULL, 0);
		if (i < 0 || i >= MIGRATE_TYPES || j < 0 || j > (int)kb->max_order)
			goto bad;
		head = &zone->free_area[j].free_list[i];
		list_for_each(pos, head)
			count++;
		*out = count;
		return 0;
	}
bad:
	snprintf(err, elen, "unknown metric '%s' (see docs/scenarios.md)", m);
	return -1;
}

static bool compare(long a, const char *op, long b, bool *ok)
{
	*ok = true;
	if (!strcmp(op, "=="))
		return a == b;
	if (!strcmp(op, "!="))
		return a != b;
	if (!strcmp(op, "<"))
		return a < b;
	if (!strcmp(op, "<="))
		return a <= b;
	if (!strcmp(op, ">"))
		return a > b;
	if (!strcmp(op, ">="))
		return a >= b;
	*ok = false;
	return false;
}

static void fail(struct scenario *sc, const struct expect *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct scenario *sc, const struct expect *e, const char *fmt, ...)
{
	va_list ap;

	fprintf(sc->out, "%s:%d: expect %s: ", sc->path, e->line, e->text);
	va_start(ap, fmt);
	vfprintf(sc->out, fmt, ap);
	va_end(ap);
	fputc('\n', sc->out);
	sc->failures++;
}

static void eval_handle(struct scenario *sc, const struct expect *e, const char *what,
			unsigned int h)
{
	const struct kb_op_result *r;
	int nid, zid;

	if (h == 0 || h > sc->nr_handles || !sc->has_result[h]) {
		fail(sc, e, "the handle has not run yet");
		return;
	}
	r = &sc->results[h];
	if (!strcmp(what, "ok")) {
		if (r->failed || r->err)
			fail(sc, e, "allocation failed (err %d)", r->err);
	} else if (!strcmp(what, "fail")) {
		if (!r->failed && !r->err)
			fail(sc, e, "allocation succeeded at pfn %#lx", r->pfn);
	} else if (!strncmp(what, "zone=", 5)) {
		if (parse_zone_spec(what + 5, strlen(what + 5), &nid, &zid))
			fail(sc, e, "unknown zone '%s'", what + 5);
		else if (r->failed || r->zone != zid)
			fail(sc, e, "got zone %s", r->failed ? "none (failed)" : kb_zone_name((enum zone_type)r->zone));
	} else if (!strncmp(what, "node=", 5)) {
		if (r->failed || r->node != atoi(what + 5))
			fail(sc, e, "got node %d", r->failed ? -1 : r->node);
	} else if (!strncmp(what, "pfn=", 4)) {
		if (r->failed || r->pfn != strtoul(what + 4, NULL, 0))
			fail(sc, e, "got pfn %#lx", r->pfn);
	} else if (!strcmp(what, "err=EINVAL")) {
		if (r->err != -EINVAL)
			fail(sc, e, "got err %d", r->err);
	} else if (!strcmp(what, "err=EDEADLK")) {
		if (r->err != -EDEADLK)
			fail(sc, e, "got err %d", r->err);
	} else if (!strcmp(what, "err=EBUSY")) {
		if (r->err != -EBUSY)
			fail(sc, e, "got err %d", r->err);
	} else {
		fail(sc, e, "unknown handle expectation '%s'", what);
	}
}

static void eval(struct scenario *sc, struct kb_instance *kb, const struct expect *e)
{
	char a[64], b[64], c[64];
	int n = sscanf(e->text, "%63s %63s %63s", a, b, c);
	char err[160];
	long value;
	bool ok;

	if (n >= 2 && a[0] == 'a' && isdigit((unsigned char)a[1])) {
		eval_handle(sc, e, b, (unsigned int)strtoul(a + 1, NULL, 10));
		return;
	}
	if (n == 3) {
		char *end;
		long want = strtol(c, &end, 0);

		if (*end) {
			fail(sc, e, "bad number '%s'", c);
			return;
		}
		if (metric_value(kb, a, &value, err, sizeof(err))) {
			fail(sc, e, "%s", err);
			return;
		}
		if (!compare(value, b, want, &ok) && ok)
			fail(sc, e, "actual value %ld", value);
		if (!ok)
			fail(sc, e, "bad comparison '%s'", b);
		return;
	}
	fail(sc, e, "cannot read this expectation");
}

/* Expectations written above operation #index hold before it runs. */
static void before_op(void *ctx, struct kb_run *run, size_t index)
{
	struct scenario *sc = ctx;

	while (sc->next < sc->nr_expects && sc->expects[sc->next].after_ops <= index)
		eval(sc, kb_run_instance(run), &sc->expects[sc->next++]);
}

static void after_op(void *ctx, struct kb_run *run, size_t index, const struct kb_op *op,
		     const struct kb_op_result *res)
{
	struct scenario *sc = ctx;

	if ((op->kind == KB_OP_ALLOC || op->kind == KB_OP_ALLOC_CONTIG) &&
	    op->handle <= sc->nr_handles) {
		sc->results[op->handle] = *res;
		sc->has_result[op->handle] = true;
	}
	while (sc->next < sc->nr_expects && sc->expects[sc->next].after_ops <= index + 1)
		eval(sc, kb_run_instance(run), &sc->expects[sc->next++]);
}

/* Collects the expect lines with the number of operations above each. */
static int collect_expects(struct scenario *sc, const char *text, size_t *nr_op_lines)
{
	const char *line = text;
	int lineno = 0;
	size_t ops = 0;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *s = skip_space(line);

		lineno++;
		if (!strncmp(s, "expect ", 7)) {
			struct expect *e;
			const char *t = skip_space(s + 7);
			size_t tl = len - (size_t)(t - line);
			char *hash;

			if (sc->nr_expects == MAX_EXPECTS) {
				fprintf(stderr, "kbuddy: %s:%d: more than %d expectations\n",
					sc->path, lineno, MAX_EXPECTS);
				return -1;
			}
			e = &sc->expects[sc->nr_expects++];
			e->after_ops = ops;
			e->line = lineno;
			if (tl >= sizeof(e->text))
				tl = sizeof(e->text) - 1;
			memcpy(e->text, t, tl);
			e->text[tl] = '\0';
			hash = strchr(e->text, '#');
			if (hash)
				*hash = '\0';
			while (tl && isspace((unsigned char)e->text[strlen(e->text) - 1]))
				e->text[strlen(e->text) - 1] = '\0', tl--;
			if (!strncmp(e->text, "violation ", 10)) {
				snprintf(sc->violation_name, sizeof(sc->violation_name), "%s",
					 skip_space(e->text + 10));
				sc->violation = sc->violation_name;
				sc->nr_expects--;
			}
		} else if (is_op_line(s)) {
			ops++;
		}
		line = end ? end + 1 : line + len;
	}
	*nr_op_lines = ops;
	return 0;
}

int kb_scenario_run(const char *path, const char *text, size_t len, int check_level,
		    FILE *out)
{
	static struct kb_ops ops;
	struct scenario *sc = calloc(1, sizeof(*sc));
	struct kb_run_options opt = { .check_level = check_level, .back_with_memory = true };
	struct kb_run_result res;
	struct kb_run *run;
	size_t nr_op_lines;
	char err[256];
	int ret = 1;

	if (!sc)
		return 2;
	sc->path = path;
	sc->out = out;
	if (collect_expects(sc, text, &nr_op_lines))
		goto out;
	if (kb_ops_parse_text(text, len, &ops, err, sizeof(err))) {
		fprintf(out, "%s: %s\n", path, err);
		goto out;
	}
	if (ops.nr_ops != nr_op_lines) {
		fprintf(out, "%s: %zu operation lines but %zu operations parsed\n", path,
			nr_op_lines, ops.nr_ops);
		goto out;
	}
	sc->nr_handles = ops.nr_handles;
	sc->results = calloc(ops.nr_handles + 1, sizeof(*sc->results));
	sc->has_result = calloc(ops.nr_handles + 1, sizeof(*sc->has_result));
	if (!sc->results || !sc->has_result)
		goto out;

	opt.before_op = before_op;
	opt.after_op = after_op;
	opt.ctx = sc;
	run = kb_run_ops(&ops, &opt, &res);
	if (!run) {
		fprintf(out, "%s: layout did not boot: %s\n", path, res.setup_error);
		goto out;
	}
	/* Expectations after the last operation (or never reached). */
	while (sc->next < sc->nr_expects) {
		if (res.violated) {
			fail(sc, &sc->expects[sc->next], "not reached: the run stopped at op %ld",
			     res.violation.op_index);
			sc->next++;
			continue;
		}
		eval(sc, kb_run_instance(run), &sc->expects[sc->next++]);
	}
	if (sc->violation) {
		if (!res.violated) {
			fprintf(out, "%s: expected violation %s, the run was clean\n", path,
				sc->violation);
			sc->failures++;
		} else if (strcmp(res.violation.invariant, sc->violation)) {
			fprintf(out, "%s: expected violation %s, got %s\n", path, sc->violation,
				res.violation.invariant);
			kb_run_report(out, &ops, run, &res);
			sc->failures++;
		}
	} else if (res.violated) {
		fprintf(out, "%s: unexpected violation\n", path);
		kb_run_report(out, &ops, run, &res);
		sc->failures++;
	}
	kb_run_destroy(run);
	ret = sc->failures ? 1 : 0;
	fprintf(out, "%s %s: %zu operations, %zu expectations%s\n", ret ? "FAIL" : "ok  ",
		path, ops.nr_ops, sc->nr_expects + (sc->violation ? 1 : 0),
		ret ? "" : " met");
out:
	free(sc->results);
	free(sc->has_result);
	free(sc);
	return ret;
}
