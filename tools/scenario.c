// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios: operation text files with "expect" lines, each checked right
 * after the operations above it (docs/scenarios.md).
 *
 *   expect a3 ok | fail | zone=DMA32 | node=1 | pfn=0x3000 | err=EINVAL
 *   expect nr_free[Normal][3] == 2        (any metric, == != < <= > >=)
 *   expect violation nr-free              (the run stops on this invariant)
 *   expect profile=6.1,6.6 ...            (checked only in those profiles)
 *
 * Every expect line is read before anything runs, by the same line reader
 * as the operations (so line numbers agree and CR line ends are line
 * ends), and read strictly: every number whole (no exponent, sign where
 * none belongs, junk or wrap-around), every name from its table, every
 * index checked against the layout. A line that does not read is an error
 * naming its line and column, never an expectation that silently holds.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario.h"
#include "check.h"
#include "run.h"
#include "textio.h"
#include "../core/internal.h"
#include "../ops/ops_internal.h"

#define MAX_EXPECTS	512

/* ------------------------------------------------------------------ */
/* Metrics: name, bracketed arguments, value                           */

enum arg_kind {
	ARG_NONE,
	ARG_ZONE,	/* a zone of a node: Normal, 1:Normal */
	ARG_ZONE_TYPE,	/* a zone type, no node: lowmem_reserve's second index */
	ARG_ORDER,	/* 0..max_page_order */
	ARG_TYPE,	/* a migratetype name or number */
	ARG_CPU,	/* 0..nr_cpus - 1 */
	ARG_EVENT,	/* a vm event name or number */
};

#define MAX_ARGS	3

struct metric_at {
	struct kb_instance *kb;
	struct zone *zone;		/* of an ARG_ZONE first argument */
	long arg[MAX_ARGS];
};

struct metric {
	const char *name;
	enum arg_kind args[MAX_ARGS];
	long (*value)(const struct metric_at *at);
};

static long m_free_pages(const struct metric_at *at) { return at->zone->vm_stat[NR_FREE_PAGES]; }
static long m_free_cma(const struct metric_at *at) { return at->zone->vm_stat[NR_FREE_CMA_PAGES]; }
static long m_boost(const struct metric_at *at) { return (long)at->zone->watermark_boost; }
static long m_min(const struct metric_at *at) { return (long)at->zone->_watermark[WMARK_MIN]; }
static long m_low(const struct metric_at *at) { return (long)at->zone->_watermark[WMARK_LOW]; }
static long m_high(const struct metric_at *at) { return (long)at->zone->_watermark[WMARK_HIGH]; }
static long m_promo(const struct metric_at *at) { return (long)at->zone->_watermark[WMARK_PROMO]; }
static long m_managed(const struct metric_at *at) { return (long)at->zone->managed_pages; }
static long m_present(const struct metric_at *at) { return (long)at->zone->present_pages; }
static long m_spanned(const struct metric_at *at) { return (long)at->zone->spanned_pages; }
static long m_cma(const struct metric_at *at) { return (long)at->zone->cma_pages; }
static long m_isolated(const struct metric_at *at) { return (long)at->zone->nr_isolate_pageblock; }

static long m_reserved_ha(const struct metric_at *at)
{
	return (long)at->zone->nr_reserved_highatomic;
}

static long m_free_ha(const struct metric_at *at)
{
	return (long)at->zone->nr_free_highatomic;
}

static long m_nr_free(const struct metric_at *at)
{
	return (long)at->zone->free_area[at->arg[1]].nr_free;
}

static long m_lowmem_reserve(const struct metric_at *at)
{
	return at->zone->lowmem_reserve[at->arg[1]];
}

static long m_blocks(const struct metric_at *at)
{
	const struct zone *zone = at->zone;
	struct kb_instance *kb = at->kb;
	unsigned long pfn;
	long count = 0;

	for (pfn = pageblock_start_pfn(kb, zone->zone_start_pfn); pfn < zone_end_pfn(zone);
	     pfn += kb->pageblock_nr_pages)
		if (pfn >= zone->zone_start_pfn && get_pfnblock_migratetype(kb, pfn) == at->arg[1])
			count++;
	return count;
}

/* Pageblocks of the zone with PB_compact_skip set. */
static long m_skip_blocks(const struct metric_at *at)
{
	const struct zone *zone = at->zone;
	struct kb_instance *kb = at->kb;
	unsigned long pfn;
	long count = 0;

	for (pfn = pageblock_start_pfn(kb, zone->zone_start_pfn); pfn < zone_end_pfn(zone);
	     pfn += kb->pageblock_nr_pages)
		if (*pfnblock_flags(kb, pfn) & PB_compact_skip)
			count++;
	return count;
}

static long m_compact_considered(const struct metric_at *at)
{
	return at->zone->compact_considered;
}

static long m_compact_defer_shift(const struct metric_at *at)
{
	return at->zone->compact_defer_shift;
}

static long m_compact_order_failed(const struct metric_at *at)
{
	return at->zone->compact_order_failed;
}

/* Reclaim (core/vmscan.c): the zone's pages on its node's file LRU lists. */
static long m_lru_inactive_file(const struct metric_at *at)
{
	return (long)at->zone->zone_pgdat->__lruvec.lru_zone_size[zone_idx(at->zone)][LRU_INACTIVE_FILE];
}

static long m_lru_active_file(const struct metric_at *at)
{
	return (long)at->zone->zone_pgdat->__lruvec.lru_zone_size[zone_idx(at->zone)][LRU_ACTIVE_FILE];
}

/* The zone's node's kswapd: woken and not yet back to sleep. */
static long m_kswapd_awake(const struct metric_at *at)
{
	return at->zone->zone_pgdat->kswapd_woken;
}

static long m_free_list(const struct metric_at *at)
{
	struct list_head *pos, *head = &at->zone->free_area[at->arg[2]].free_list[at->arg[1]];
	long count = 0;

	list_for_each(pos, head)
		count++;
	return count;
}

static const struct per_cpu_pages *pcp_of(const struct metric_at *at)
{
	return &at->zone->per_cpu_pageset[at->arg[1]];
}

static long m_pcp_count(const struct metric_at *at) { return pcp_of(at)->count; }
static long m_pcp_high(const struct metric_at *at) { return pcp_of(at)->high; }
static long m_pcp_batch(const struct metric_at *at) { return pcp_of(at)->batch; }
static long m_pcp_high_min(const struct metric_at *at) { return pcp_of(at)->high_min; }
static long m_pcp_high_max(const struct metric_at *at) { return pcp_of(at)->high_max; }

static long m_event(const struct metric_at *at) { return (long)at->kb->vm_events[at->arg[0]]; }
static long m_min_free_kbytes(const struct metric_at *at) { return at->kb->min_free_kbytes; }

static long m_totalreserve(const struct metric_at *at)
{
	return (long)at->kb->totalreserve_pages;
}

static long m_mobility_disabled(const struct metric_at *at)
{
	return at->kb->page_group_by_mobility_disabled;
}

static const struct metric metrics[] = {
	{ "free_pages",		{ ARG_ZONE },			m_free_pages },
	{ "free_cma",		{ ARG_ZONE },			m_free_cma },
	{ "free_highatomic",	{ ARG_ZONE },			m_free_ha },
	{ "reserved_highatomic", { ARG_ZONE },			m_reserved_ha },
	{ "min",		{ ARG_ZONE },			m_min },
	{ "low",		{ ARG_ZONE },			m_low },
	{ "high",		{ ARG_ZONE },			m_high },
	{ "promo",		{ ARG_ZONE },			m_promo },
	{ "boost",		{ ARG_ZONE },			m_boost },
	{ "managed",		{ ARG_ZONE },			m_managed },
	{ "present",		{ ARG_ZONE },			m_present },
	{ "spanned",		{ ARG_ZONE },			m_spanned },
	{ "cma",		{ ARG_ZONE },			m_cma },
	{ "isolated_blocks",	{ ARG_ZONE },			m_isolated },
	{ "lowmem_reserve",	{ ARG_ZONE, ARG_ZONE_TYPE },	m_lowmem_reserve },
	{ "nr_free",		{ ARG_ZONE, ARG_ORDER },	m_nr_free },
	{ "free_list",		{ ARG_ZONE, ARG_TYPE, ARG_ORDER }, m_free_list },
	{ "blocks",		{ ARG_ZONE, ARG_TYPE },		m_blocks },
	{ "pcp_count",		{ ARG_ZONE, ARG_CPU },		m_pcp_count },
	{ "pcp_high",		{ ARG_ZONE, ARG_CPU },		m_pcp_high },
	{ "pcp_batch",		{ ARG_ZONE, ARG_CPU },		m_pcp_batch },
	{ "pcp_high_min",	{ ARG_ZONE, ARG_CPU },		m_pcp_high_min },
	{ "pcp_high_max",	{ ARG_ZONE, ARG_CPU },		m_pcp_high_max },
	{ "event",		{ ARG_EVENT },			m_event },
	{ "skip_blocks",	{ ARG_ZONE },			m_skip_blocks },
	{ "compact_considered",	{ ARG_ZONE },			m_compact_considered },
	{ "compact_defer_shift", { ARG_ZONE },			m_compact_defer_shift },
	{ "compact_order_failed", { ARG_ZONE },			m_compact_order_failed },
	{ "lru_inactive_file",	{ ARG_ZONE },			m_lru_inactive_file },
	{ "lru_active_file",	{ ARG_ZONE },			m_lru_active_file },
	{ "kswapd_awake",	{ ARG_ZONE },			m_kswapd_awake },
	{ "min_free_kbytes",	{ ARG_NONE },			m_min_free_kbytes },
	{ "totalreserve_pages",	{ ARG_NONE },			m_totalreserve },
	{ "mobility_disabled",	{ ARG_NONE },			m_mobility_disabled },
};

static const struct {
	const char *op;
	int lt, eq, gt;		/* whether a < b, a == b, a > b satisfy it */
} comparisons[] = {
	{ "==", 0, 1, 0 }, { "!=", 1, 0, 1 }, { "<", 1, 0, 0 },
	{ "<=", 1, 1, 0 }, { ">", 0, 0, 1 }, { ">=", 0, 1, 1 },
};

/* What "expect aN WHAT" checks. */
enum handle_what { H_OK, H_FAIL, H_ZONE, H_NODE, H_PFN, H_ERR };

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "EINVAL", -EINVAL }, { "EDEADLK", -EDEADLK }, { "EBUSY", -EBUSY },
};

struct expect {
	size_t after_ops;	/* evaluated once this many ops ran */
	unsigned int line;
	char text[160];		/* the line as written (escaped), for messages */
	bool is_handle;
	bool other_profile;	/* profile= names other profiles: not checked here */
	/* expect METRIC OP NUMBER */
	const struct metric *metric;
	int nid, zid;
	long arg[MAX_ARGS];
	unsigned int cmp;
	long want;
	/* expect aN WHAT */
	unsigned int handle;
	enum handle_what what;
	long value;
};

struct scenario {
	struct expect expects[MAX_EXPECTS];
	size_t nr_expects;
	size_t next;		/* next expectation to evaluate */
	char violation[64];	/* "expect violation NAME", or "" */
	unsigned int violation_line;
	/* per-handle results, for "expect aN ..." */
	struct kb_op_result *results;
	bool *has_result;
	size_t nr_handles;
	int failures;
	const char *path;
	FILE *out;
	/* while reading */
	struct kb_ops_geometry geo;
	const struct kb_text_line *line;
	unsigned int lineno;
	char err[600];
};

/* ------------------------------------------------------------------ */
/* Reading the expect lines                                            */

static int rfail(struct scenario *sc, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "line N, column C: reason" into sc->err (input escaped); returns -1. */
static int rfail(struct scenario *sc, const char *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	if (at && kb_text_column(sc->line, at))
		n = snprintf(msg, sizeof(msg), "line %u, column %u: ", sc->lineno,
			     kb_text_column(sc->line, at));
	else
		n = snprintf(msg, sizeof(msg), "line %u: ", sc->lineno);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	kb_text_escape(sc->err, sizeof(sc->err), msg);
	return -1;
}

/* A whole number: [-]digits or [-]0x hex digits, nothing else. */
static int number(struct scenario *sc, const char *s, const char *what, bool sign, long min,
		  long max, long *out)
{
	unsigned long v;
	bool neg = sign && s[0] == '-';
	int r = kb_text_parse_number(s + neg, neg ? (unsigned long)LONG_MAX + 1 : LONG_MAX, &v);

	if (r == -1)
		return rfail(sc, s, "bad number '%s' for %s (decimal or 0x hex digits%s)", s, what,
			     sign ? ", optionally after '-'" : "");
	if (!r)
		*out = neg ? (v ? -(long)(v - 1) - 1 : 0) : (long)v;
	if (r || *out < min || *out > max)
		return rfail(sc, s, "%s %s out of range %ld..%ld", what, s, min, max);
	return 0;
}

/* "Normal" or "1:Normal": a zone type, with a node when the kind allows one. */
static int zone_spec(struct scenario *sc, char *s, bool node, int *nid, int *zid)
{
	char *colon = strchr(s, ':'), *name = s;
	long v = 0;
	int z;

	if (colon) {
		if (!node)
			return rfail(sc, s, "'%s': a zone type here, without a node", s);
		*colon = '\0';
		if (number(sc, s, "node", false, 0, (long)sc->geo.nr_nodes - 1, &v))
			return -1;
		name = colon + 1;
	}
	for (z = 0; z < MAX_NR_ZONES; z++)
		if (!strcasecmp(name, kb_zone_name((enum zone_type)z))) {
			*nid = (int)v;
			*zid = z;
			return 0;
		}
	return rfail(sc, name, "unknown zone '%s' (DMA, DMA32, Normal, Movable, Device; 1:Normal for node 1)",
		     name);
}

/* A name of names[0..count) (any case), or a number below count. */
static int name_or_index(struct scenario *sc, char *s, const char *what,
			 const char *(*name)(int), int count, long *out)
{
	int i;

	for (i = 0; i < count; i++)
		if (!strcasecmp(s, name(i))) {
			*out = i;
			return 0;
		}
	if (s[0] >= '0' && s[0] <= '9')
		return number(sc, s, what, false, 0, count - 1, out);
	return rfail(sc, s, "unknown %s '%s'", what, s);
}

static const char *mt_name(int i) { return kb_migratetype_name(i); }
static const char *event_name(int i) { return kb_vm_event_name((enum vm_event_item)i); }

static int metric_arg(struct scenario *sc, struct expect *e, enum arg_kind kind, int i, char *s)
{
	int nid = 0, zid = 0;

	switch (kind) {
	case ARG_ZONE:
		if (zone_spec(sc, s, true, &e->nid, &e->zid))
			return -1;
		return 0;
	case ARG_ZONE_TYPE:
		if (zone_spec(sc, s, false, &nid, &zid))
			return -1;
		e->arg[i] = zid;
		return 0;
	case ARG_ORDER:
		return number(sc, s, "order", false, 0, sc->geo.max_order, &e->arg[i]);
	case ARG_CPU:
		return number(sc, s, "cpu", false, 0, (long)sc->geo.nr_cpus - 1, &e->arg[i]);
	case ARG_TYPE:
		return name_or_index(sc, s, "migratetype", mt_name, MIGRATE_TYPES, &e->arg[i]);
	case ARG_EVENT:
		return name_or_index(sc, s, "event", event_name, NR_VM_EVENT_ITEMS, &e->arg[i]);
	default:
		return rfail(sc, s, "unexpected index");
	}
}

/* "name[a][b]" against the metric table. */
static int parse_metric(struct scenario *sc, struct expect *e, char *s)
{
	char *br = strchr(s, '['), *p;
	const struct metric *m = NULL;
	size_t i, n = br ? (size_t)(br - s) : strlen(s);
	int k;

	for (i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++)
		if (strlen(metrics[i].name) == n && !strncmp(s, metrics[i].name, n))
			m = &metrics[i];
	if (!m)
		return rfail(sc, s, "unknown metric '%.*s' (docs/scenarios.md lists them)", (int)n, s);
	e->metric = m;
	p = br;
	for (k = 0; k < MAX_ARGS && m->args[k] != ARG_NONE; k++) {
		char *end;

		if (!p || *p != '[')
			return rfail(sc, p ? p : s, "%s needs %d index%s ([...])", m->name,
				     k + 1, k ? "es" : "");
		end = strchr(p, ']');
		if (!end)
			return rfail(sc, p, "'[' without ']'");
		*end = '\0';
		if (metric_arg(sc, e, m->args[k], k, p + 1))
			return -1;
		p = end + 1;
	}
	if (p && *p)
		return rfail(sc, p, "%s takes %d index%s, not more ('%s')", m->name, k,
			     k == 1 ? "" : "es", p);
	return 0;
}

/* "aN WHAT": N an allocation above this line. */
static int parse_handle(struct scenario *sc, struct expect *e, char **f, int n,
			unsigned long handles)
{
	const char *key;
	char *eq;
	long h;
	size_t i;
	int nid = 0, zid = 0;

	e->is_handle = true;
	if (number(sc, f[0] + 1, "handle", false, 1, LONG_MAX, &h))
		return -1;
	if ((unsigned long)h > handles)
		return rfail(sc, f[0], "%s is not allocated above this line (%lu allocations so far)",
			     f[0], handles);
	e->handle = (unsigned int)h;
	if (n != 2)
		return rfail(sc, n > 2 ? f[2] : NULL,
			     "usage: expect aN ok|fail|zone=Z|node=N|pfn=P|err=E");
	eq = strchr(f[1], '=');
	key = f[1];
	if (!eq) {
		if (!strcmp(key, "ok"))
			return e->what = H_OK, 0;
		if (!strcmp(key, "fail"))
			return e->what = H_FAIL, 0;
		return rfail(sc, key, "unknown allocation expectation '%s' (ok, fail, zone=, node=, pfn=, err=)",
			     key);
	}
	*eq = '\0';
	if (!strcmp(key, "zone")) {
		e->what = H_ZONE;
		if (zone_spec(sc, eq + 1, false, &nid, &zid))
			return -1;
		e->value = zid;
		return 0;
	}
	if (!strcmp(key, "node")) {
		e->what = H_NODE;
		return number(sc, eq + 1, "node", false, 0, (long)sc->geo.nr_nodes - 1, &e->value);
	}
	if (!strcmp(key, "pfn")) {
		e->what = H_PFN;
		return number(sc, eq + 1, "pfn", false, 0, LONG_MAX, &e->value);
	}
	if (!strcmp(key, "err")) {
		e->what = H_ERR;
		for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
			if (!strcmp(eq + 1, errnos[i].name))
				return e->value = errnos[i].err, 0;
		return rfail(sc, eq + 1, "unknown error '%s' (EINVAL, EDEADLK, EBUSY)", eq + 1);
	}
	return rfail(sc, key, "unknown allocation expectation '%s=' (ok, fail, zone=, node=, pfn=, err=)",
		     key);
}

/*
 * "profile=6.1,6.6": whether this build's profile is one of the names
 * (each must be a profile kbuddy has). 1 in, 0 out, -1 on a bad name.
 */
static int parse_profiles(struct scenario *sc, char *list)
{
	static const char *const names[] = KB_PROFILE_NAMES;
	int in = 0;
	char *name = list;

	if (!*name)
		return rfail(sc, name, "profile= needs profile names (6.1, 6.6, 6.12, mainline)");
	while (name) {
		char *comma = strchr(name, ',');
		size_t i;

		if (comma)
			*comma = '\0';
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(name, names[i]))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return rfail(sc, name, "unknown profile '%s' (6.1, 6.6, 6.12, mainline)", name);
		if (!strcmp(name, KB_PROFILE_NAME))
			in = 1;
		name = comma ? comma + 1 : NULL;
	}
	return in;
}

/* One expect line, fields after "expect" in f[0..n). */
static int parse_expect(struct scenario *sc, char **f, int n, size_t ops, unsigned long handles)
{
	struct expect *e;
	char text[160] = "";
	bool other_profile = false;
	size_t i;
	int k;

	if (!n)
		return rfail(sc, sc->line->field[0],
			     "expect needs what to check: aN ok|fail|..., METRIC OP NUMBER or violation NAME");
	for (k = 0; k < n; k++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s", k ? " " : "", f[k]);
	if (!strncmp(f[0], "profile=", 8)) {
		int in = parse_profiles(sc, f[0] + 8);

		if (in < 0)
			return -1;
		other_profile = !in;
		f++;
		n--;
		if (!n)
			return rfail(sc, NULL, "expect profile=... needs what to check after it");
		if (!strcmp(f[0], "violation"))
			return rfail(sc, f[0], "expect violation holds in every profile (no profile=)");
	}
	if (!strcmp(f[0], "violation")) {
		if (n != 2)
			return rfail(sc, n > 2 ? f[2] : f[0], "usage: expect violation NAME");
		if (sc->violation[0])
			return rfail(sc, f[0], "expect violation given twice (first on line %u)",
				     sc->violation_line);
		if (!kb_invariant_find(f[1]))
			return rfail(sc, f[1], "unknown invariant '%s' (kbuddy invariants lists them)",
				     f[1]);
		snprintf(sc->violation, sizeof(sc->violation), "%s", f[1]);
		sc->violation_line = sc->lineno;
		return 0;
	}
	if (sc->nr_expects == MAX_EXPECTS)
		return rfail(sc, NULL, "more than %d expectations", MAX_EXPECTS);
	e = &sc->expects[sc->nr_expects];
	memset(e, 0, sizeof(*e));
	e->after_ops = ops;
	e->line = sc->lineno;
	e->other_profile = other_profile;
	kb_text_escape(e->text, sizeof(e->text), text);
	if (f[0][0] == 'a' && f[0][1] >= '0' && f[0][1] <= '9') {
		if (parse_handle(sc, e, f, n, handles))
			return -1;
	} else {
		if (n != 3)
			return rfail(sc, n > 3 ? f[3] : NULL,
				     "usage: expect METRIC OP NUMBER (OP: == != < <= > >=)");
		if (parse_metric(sc, e, f[0]))
			return -1;
		for (i = 0; i < sizeof(comparisons) / sizeof(comparisons[0]); i++)
			if (!strcmp(f[1], comparisons[i].op))
				break;
		if (i == sizeof(comparisons) / sizeof(comparisons[0]))
			return rfail(sc, f[1], "unknown comparison '%s' (== != < <= > >=)", f[1]);
		e->cmp = (unsigned int)i;
		if (number(sc, f[2], "the value", true, LONG_MIN, LONG_MAX, &e->want))
			return -1;
	}
	sc->nr_expects++;
	return 0;
}

/*
 * Reads every line: expect lines into sc->expects with the number of
 * operations above each; other lines are the operations the ops parser
 * read. 0, or -1 with sc->err.
 */
static int read_expects(struct scenario *sc, const char *text, size_t len,
			const struct kb_ops *ops)
{
	struct kb_text_line line;
	size_t pos = 0, nr = 0;
	unsigned long handles = 0;

	for (sc->lineno = 1;; sc->lineno++) {
		const char *reason;
		int r = kb_text_next_line(text, len, &pos, KB_TEXT_MAX_FIELDS, &line, &reason);

		if (r < 0)
			return rfail(sc, NULL, "%s", reason);
		if (!r)
			break;
		sc->line = &line;
		if (!line.nr_fields || !strcmp(line.field[0], "layout"))
			continue;
		if (!strcmp(line.field[0], "expect")) {
			if (parse_expect(sc, line.field + 1, line.nr_fields - 1, nr, handles))
				return -1;
			continue;
		}
		/* an operation: the ops parser read the same lines */
		if (nr < ops->nr_ops)
			handles += kb_op_new_handles(&ops->ops[nr]);
		nr++;
	}
	if (nr != ops->nr_ops)
		return rfail(sc, NULL, "%zu operation lines but %zu operations parsed", nr,
			     ops->nr_ops);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Checking                                                            */

static void fail(struct scenario *sc, const struct expect *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct scenario *sc, const struct expect *e, const char *fmt, ...)
{
	va_list ap;

	fprintf(sc->out, "%s:%u: expect %s: ", sc->path, e->line, e->text);
	va_start(ap, fmt);
	vfprintf(sc->out, fmt, ap);
	va_end(ap);
	fputc('\n', sc->out);
	sc->failures++;
}

static void eval_handle(struct scenario *sc, const struct expect *e)
{
	const struct kb_op_result *r;

	if (!sc->has_result[e->handle]) {
		fail(sc, e, "the allocation has not run");
		return;
	}
	r = &sc->results[e->handle];
	switch (e->what) {
	case H_OK:
		if (r->failed || r->err)
			fail(sc, e, "allocation failed (err %d)", r->err);
		break;
	case H_FAIL:
		if (!r->failed && !r->err)
			fail(sc, e, "allocation succeeded at pfn %#lx", r->pfn);
		break;
	case H_ZONE:
		if (r->failed || r->zone != e->value)
			fail(sc, e, "got zone %s", r->failed ? "none (failed)" :
			     kb_zone_name((enum zone_type)r->zone));
		break;
	case H_NODE:
		if (r->failed || r->node != e->value)
			fail(sc, e, "got node %d", r->failed ? -1 : r->node);
		break;
	case H_PFN:
		if (r->failed || r->pfn != (unsigned long)e->value)
			fail(sc, e, "got pfn %#lx", r->pfn);
		break;
	case H_ERR:
		if (r->err != e->value)
			fail(sc, e, "got err %d", r->err);
		break;
	}
}

static void eval(struct scenario *sc, struct kb_instance *kb, const struct expect *e)
{
	struct metric_at at = { .kb = kb };
	long value;
	int c;

	if (e->other_profile)
		return;
	if (e->is_handle) {
		eval_handle(sc, e);
		return;
	}
	memcpy(at.arg, e->arg, sizeof(at.arg));
	if (e->metric->args[0] == ARG_ZONE) {
		at.zone = kb_zone(kb, e->nid, (enum zone_type)e->zid);
		if (!at.zone) {
			fail(sc, e, "node %d has no such zone", e->nid);
			return;
		}
	}
	value = e->metric->value(&at);
	c = value < e->want ? comparisons[e->cmp].lt :
	    value == e->want ? comparisons[e->cmp].eq : comparisons[e->cmp].gt;
	if (!c)
		fail(sc, e, "actual value %ld", value);
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

	if (op->kind == KB_OP_ALLOC_BULK) {
		/* one result per empty slot, each slot's own page */
		unsigned int h = op->handle;

		for (unsigned long i = 0; i < op->nr && i < KB_OPS_BULK_MAX; i++) {
			if (((unsigned long)op->value >> i) & 1)
				continue;
			if (h <= sc->nr_handles) {
				sc->results[h] = *res;
				sc->results[h].failed = !(res->bulk_got & (1u << i));
				sc->results[h].pfn = res->bulk_pfn[i];
				sc->has_result[h] = true;
			}
			h++;
		}
	} else if (kb_op_new_handles(op) && op->handle <= sc->nr_handles) {
		sc->results[op->handle] = *res;
		sc->has_result[op->handle] = true;
	}
	while (sc->next < sc->nr_expects && sc->expects[sc->next].after_ops <= index + 1)
		eval(sc, kb_run_instance(run), &sc->expects[sc->next++]);
}

/* Runs the parsed scenario; sets sc->failures. */
static int check(struct scenario *sc, const struct kb_ops *ops, int check_level)
{
	struct kb_run_options opt = { .check_level = check_level, .back_with_memory = true,
				      .before_op = before_op, .after_op = after_op, .ctx = sc };
	struct kb_run_result res;
	struct kb_run *run;

	run = kb_run_ops(ops, &opt, &res);
	if (!run) {
		fprintf(sc->out, "%s: layout did not boot: %s\n", sc->path, res.setup_error);
		return 2;
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
	if (sc->violation[0]) {
		if (!res.violated) {
			fprintf(sc->out, "%s:%u: expected violation %s, the run was clean\n",
				sc->path, sc->violation_line, sc->violation);
			sc->failures++;
		} else if (strcmp(res.violation.invariant, sc->violation)) {
			fprintf(sc->out, "%s:%u: expected violation %s, got %s\n", sc->path,
				sc->violation_line, sc->violation, res.violation.invariant);
			kb_run_report(sc->out, ops, run, &res);
			sc->failures++;
		}
	} else if (res.violated) {
		fprintf(sc->out, "%s: unexpected violation\n", sc->path);
		kb_run_report(sc->out, ops, run, &res);
		sc->failures++;
	}
	kb_run_destroy(run);
	return sc->failures ? 1 : 0;
}

int kb_scenario_run(const char *path, const char *text, size_t len, int check_level,
		    FILE *out)
{
	struct kb_ops *ops = malloc(sizeof(*ops));
	struct scenario *sc = calloc(1, sizeof(*sc));
	char err[512];
	int ret = 2;

	if (!sc || !ops)
		goto out;
	sc->path = path;
	sc->out = out;
	if (kb_ops_parse_text(text, len, ops, err, sizeof(err))) {
		fprintf(out, "%s: %s\n", path, err);
		goto out;
	}
	if (kb_ops_geometry(ops->layout, &sc->geo) ||
	    read_expects(sc, text, len, ops)) {
		fprintf(out, "%s: %s\n", path, sc->err[0] ? sc->err : "unknown layout");
		goto out;
	}
	sc->nr_handles = ops->nr_handles;
	sc->results = calloc(ops->nr_handles + 1, sizeof(*sc->results));
	sc->has_result = calloc(ops->nr_handles + 1, sizeof(*sc->has_result));
	if (!sc->results || !sc->has_result)
		goto out;
	ret = check(sc, ops, check_level);
	if (ret != 2) {
		/* expectations of other profiles are read, not checked: not counted as met */
		size_t other = 0;

		for (size_t i = 0; i < sc->nr_expects; i++)
			other += sc->expects[i].other_profile;
		fprintf(out, "%s %s: %zu operations, %zu expectations%s", ret ? "FAIL" : "ok  ",
			path, ops->nr_ops, sc->nr_expects - other + (sc->violation[0] ? 1 : 0),
			ret ? "" : " met");
		if (other)
			fprintf(out, " (%zu more for other profiles, not checked in %s)", other,
				KB_PROFILE_NAME);
		fputc('\n', out);
	}
out:
	if (sc) {
		free(sc->results);
		free(sc->has_result);
	}
	free(sc);
	free(ops);
	return ret;
}
