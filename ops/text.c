/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text operation format (docs/ops-format.md): one operation per line,
 * "alloc order=3 gfp=GFP_KERNEL cpu=0 -> a1", "free a1 cpu=0", and so on.
 * Parsing checks every value against the chosen built-in layout so that a
 * sequence that parses can be run without further checks, except for the
 * deliberate misuse the format allows on purpose (orders up to 63, double
 * frees, explicit wrong free orders, free_pfn).
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ops.h"
#include "ops_internal.h"
#include "../core/kbuddy.h"
#include "../core/textio.h"
#include "../machine/layout_io.h"

#define MAX_TOKENS	16
#define TEXT_MAX_ORDER	63	/* orders above MAX_PAGE_ORDER test the runner */

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA]	= "DMA",
	[ZONE_DMA32]	= "DMA32",
	[ZONE_NORMAL]	= "Normal",
	[ZONE_MOVABLE]	= "Movable",
	[ZONE_DEVICE]	= "Device",	/* lowmem_reserve_ratio only */
};

static const char *const kind_names[KB_NR_OP_KINDS] = {
	[KB_OP_ALLOC]		= "alloc",
	[KB_OP_FREE]		= "free",
	[KB_OP_DRAIN_CPU]	= "drain",
	[KB_OP_DRAIN_ALL]	= "drain_all",
	[KB_OP_SYSCTL]		= "sysctl",
	[KB_OP_PCP_DISABLE]	= "pcp_disable",
	[KB_OP_PCP_ENABLE]	= "pcp_enable",
	[KB_OP_OOM_VICTIM]	= "oom_victim",
	[KB_OP_GET]		= "get",
	[KB_OP_PUT]		= "put",
	[KB_OP_ISOLATE]		= "isolate",
	[KB_OP_UNISOLATE]	= "unisolate",
	[KB_OP_ALLOC_CONTIG]	= "alloc_contig",
	[KB_OP_COMPACT]		= "compact",
	[KB_OP_KCOMPACTD]	= "kcompactd",
	[KB_OP_KSWAPD]		= "kswapd",
	[KB_OP_SPLIT]		= "split",
	[KB_OP_ALLOC_EXACT]	= "alloc_exact",
	[KB_OP_ALLOC_BULK]	= "alloc_bulk",
	[KB_OP_SOFT_OFFLINE]	= "soft_offline",
	[KB_OP_UNPOISON]	= "unpoison",
	[KB_OP_OOM_SCORE_ADJ]	= "oom_score_adj",
	[KB_OP_SCHEDULE]	= "schedule",
	[KB_OP_FREE_PFN]	= "free_pfn",
};

const char *kb_op_kind_name(enum kb_op_kind kind)
{
	return (unsigned int)kind < KB_NR_OP_KINDS ? kind_names[kind] : "unknown";
}

/* ------------------------------------------------------------------ */
/* Formatting                                                          */

static void put_zone(struct kb_textbuf *o, unsigned int zone)
{
	if (zone < MAX_NR_ZONES)
		kb_textbuf_put(o, "%s", zone_names[zone]);
	else
		kb_textbuf_put(o, "%u", zone);
}

/* "cpu1" or "irq1": stream s (2 * cpu, + 1 in interrupt context). */
static void put_stream(struct kb_textbuf *o, unsigned int s)
{
	kb_textbuf_put(o, "%s%u", s & 1 ? "irq" : "cpu", s / 2);
}

int kb_op_format(const struct kb_op *op, char *buf, size_t len)
{
	struct kb_textbuf o = { buf, buf ? len : 0, 0 };
	char gfp[512];
	unsigned int i;

	if (buf && len)
		buf[0] = '\0';
	if (op->stream && op->kind != KB_OP_SCHEDULE) {
		put_stream(&o, op->stream - 1u);
		kb_textbuf_put(&o, ": ");
	}
	switch (op->kind) {
	case KB_OP_SCHEDULE:
		kb_textbuf_put(&o, "schedule");
		for (i = 0; i < op->nr && i < KB_OPS_SCHEDULE_MAX; i++) {
			kb_textbuf_put(&o, " ");
			put_stream(&o, kb_op_schedule_at(op, i));
		}
		break;
	case KB_OP_ALLOC:
		kb_gfp_format(op->gfp, gfp, sizeof(gfp));
		kb_textbuf_put(&o, "alloc order=%u gfp=%s cpu=%u", op->order, gfp, op->cpu);
		if (op->nid >= 0)
			kb_textbuf_put(&o, " nid=%d", op->nid);
		kb_textbuf_put(&o, " -> a%u", op->handle);
		break;
	case KB_OP_FREE:
		kb_textbuf_put(&o, "free a%u cpu=%u", op->handle, op->cpu);
		if (op->order_given)
			kb_textbuf_put(&o, " order=%u", op->order);
		if (op->race)
			kb_textbuf_put(&o, " race");
		break;
	case KB_OP_GET:
	case KB_OP_PUT:
		kb_textbuf_put(&o, "%s a%u", kind_names[op->kind], op->handle);
		break;
	case KB_OP_ISOLATE:
	case KB_OP_UNISOLATE:
		kb_textbuf_put(&o, "%s pfn=%#lx nr=%lu", kind_names[op->kind], op->pfn, op->nr);
		break;
	case KB_OP_ALLOC_CONTIG:
		kb_gfp_format(op->gfp, gfp, sizeof(gfp));
		kb_textbuf_put(&o, "alloc_contig nr=%lu gfp=%s cpu=%u", op->nr, gfp, op->cpu);
		if (op->nid >= 0)
			kb_textbuf_put(&o, " nid=%d", op->nid);
		kb_textbuf_put(&o, " -> a%u", op->handle);
		break;
	case KB_OP_DRAIN_CPU:
		kb_textbuf_put(&o, "drain cpu=%u", op->cpu);
		break;
	case KB_OP_DRAIN_ALL:
		kb_textbuf_put(&o, "drain_all");
		break;
	case KB_OP_SYSCTL:
		if (op->sysctl >= KB_NR_SYSCTLS) {
			kb_textbuf_put(&o, "sysctl %u=%ld", op->sysctl, op->value);
			break;
		}
		kb_textbuf_put(&o, "sysctl %s", kb_sysctl_name((enum kb_sysctl)op->sysctl));
		if (op->sysctl == KB_SYSCTL_LOWMEM_RESERVE_RATIO) {
			kb_textbuf_put(&o, "[");
			put_zone(&o, op->index);
			kb_textbuf_put(&o, "]");
		}
		kb_textbuf_put(&o, "=%ld", op->value);
		break;
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
		kb_textbuf_put(&o, "%s node=%u zone=", kind_names[op->kind], op->node);
		put_zone(&o, op->zone);
		break;
	case KB_OP_OOM_VICTIM:
		kb_textbuf_put(&o, "oom_victim %s", op->value ? "on" : "off");
		break;
	case KB_OP_OOM_SCORE_ADJ:
		kb_textbuf_put(&o, "oom_score_adj cpu=%u value=%ld", op->cpu, op->value);
		break;
	case KB_OP_COMPACT:
		kb_textbuf_put(&o, "compact node=%u zone=", op->node);
		put_zone(&o, op->zone);
		if (op->order_given)
			kb_textbuf_put(&o, " order=%u", op->order);
		break;
	case KB_OP_KSWAPD:
		kb_textbuf_put(&o, "kswapd node=%u", op->node);
		break;
	case KB_OP_KCOMPACTD:
		kb_textbuf_put(&o, "kcompactd node=%u", op->node);
		if (op->order_given) {
			kb_textbuf_put(&o, " order=%u zone=", op->order);
			put_zone(&o, op->zone);
		}
		break;
	case KB_OP_FREE_PFN:
		kb_textbuf_put(&o, "free_pfn pfn=%#lx order=%u", op->pfn, op->order);
		break;
	case KB_OP_SPLIT:
		kb_textbuf_put(&o, "split a%u", op->handle);
		break;
	case KB_OP_SOFT_OFFLINE:
	case KB_OP_UNPOISON:
		if (op->relative && op->kind == KB_OP_SOFT_OFFLINE)
			kb_textbuf_put(&o, "soft_offline a%u", op->handle);
		else if (op->relative)
			kb_textbuf_put(&o, "unpoison recent=%u", op->index);
		else
			kb_textbuf_put(&o, "%s pfn=%#lx", kind_names[op->kind], op->pfn);
		break;
	case KB_OP_ALLOC_EXACT:
	case KB_OP_ALLOC_BULK:
		kb_gfp_format(op->gfp, gfp, sizeof(gfp));
		kb_textbuf_put(&o, "%s nr=%lu gfp=%s cpu=%u", kind_names[op->kind], op->nr, gfp,
			       op->cpu);
		if (op->nid >= 0)
			kb_textbuf_put(&o, " nid=%d", op->nid);
		if (op->kind == KB_OP_ALLOC_BULK && op->value)
			kb_textbuf_put(&o, " filled=%#lx", (unsigned long)op->value);
		if (kb_op_new_handles(op) == 1)
			kb_textbuf_put(&o, " -> a%u", op->handle);
		else if (kb_op_new_handles(op) > 1)
			kb_textbuf_put(&o, " -> a%u..a%u", op->handle,
				       op->handle + kb_op_new_handles(op) - 1);
		break;
	default:
		kb_textbuf_put(&o, "# unknown operation kind %d", (int)op->kind);
		break;
	}
	return (int)(o.pos > INT_MAX ? INT_MAX : o.pos);
}

size_t kb_ops_format_text(const struct kb_ops *ops, char *buf, size_t len)
{
	struct kb_textbuf o = { buf, buf ? len : 0, 0 };
	char line[KB_TEXT_LINE_MAX + 128];
	size_t i;

	if (buf && len)
		buf[0] = '\0';
	kb_textbuf_put(&o, "# kbuddy ops v%d\n", KB_OPS_FORMAT_VERSION);
	kb_textbuf_put(&o, "layout %s\n", ops->layout);
	for (i = 0; i < ops->nr_ops && i < KB_OPS_MAX; i++) {
		kb_op_format(&ops->ops[i], line, sizeof(line));
		kb_textbuf_put(&o, "%s\n", line);
	}
	return o.pos;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

struct ops_parser {
	struct kb_ops *out;
	struct kb_ops_geometry geo;
	bool layout_given;
	bool layout_fixed;	/* the geometry came from the caller */
	unsigned int lineno;
	int depth[KB_MAX_NODES][MAX_NR_ZONES];	/* pcp_disable nesting */
	const struct kb_text_line *line;	/* the line being parsed */
	unsigned int arrow_handles;	/* the handles after an alloc's "->" */
	char *err;
	size_t errlen;
};

static int pfail(struct ops_parser *p, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * "line N: reason", or "line N, column C: reason" when at points into the
 * line being parsed; input quoted in reason is escaped (kb_text_escape).
 */
static int pfail(struct ops_parser *p, const char *at, const char *fmt, ...)
{
	char msg[KB_TEXT_LINE_MAX + 256];
	va_list ap;
	int n;

	if (!p->err || !p->errlen)
		return -1;
	if (at && p->line && kb_text_column(p->line, at))
		n = snprintf(msg, sizeof(msg), "line %u, column %u: ", p->lineno,
			     kb_text_column(p->line, at));
	else
		n = snprintf(msg, sizeof(msg), "line %u: ", p->lineno);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	kb_text_escape(p->err, p->errlen, msg);
	return -1;
}

/*
 * Decimal or 0x hex with an optional '-': 0, -1 on anything else, -2 when
 * it does not fit a long.
 */
static int parse_long(const char *s, long *out)
{
	unsigned long v, limit = LONG_MAX;
	bool neg = false;
	int r;

	if (*s == '-') {
		neg = true;
		limit = (unsigned long)LONG_MAX + 1;
		s++;
	}
	r = kb_text_parse_number(s, limit, &v);
	if (r)
		return r;
	if (neg)
		*out = v ? -(long)(v - 1) - 1 : 0;
	else
		*out = (long)v;
	return 0;
}

static const char *kind_name(unsigned int k)
{
	return kind_names[k];
}

static const char *zone_name(unsigned int z)
{
	return zone_names[z];
}

static const char *sysctl_name(unsigned int i)
{
	return kb_sysctl_name((enum kb_sysctl)i);
}

/* The names of a table joined by ", " into buf, for messages. */
static const char *name_list(char *buf, size_t len, const char *(*name)(unsigned int),
			     unsigned int count)
{
	struct kb_textbuf o = { buf, len, 0 };
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < count; i++)
		kb_textbuf_put(&o, "%s%s", i ? ", " : "", name(i));
	return buf;
}

/* A zone name or number below limit. */
static int zone_arg(const char *s, unsigned int limit, unsigned int *zone)
{
	unsigned int z;
	long v;

	for (z = 0; z < limit; z++) {
		if (!strcasecmp(s, zone_names[z])) {
			*zone = z;
			return 0;
		}
	}
	if (parse_long(s, &v) || v < 0 || v >= (long)limit)
		return -1;
	*zone = (unsigned int)v;
	return 0;
}

/* One "key=value" argument split in place; NULL key when there is no '='. */
struct kv {
	char *key;
	char *val;
};

static int split_kv(struct ops_parser *p, const char *op, char *tok, struct kv *kv)
{
	char *eq = strchr(tok, '=');

	if (!eq || eq == tok)
		return pfail(p, tok, "%s: expected key=value, got '%s'", op, tok);
	*eq = '\0';
	kv->key = tok;
	kv->val = eq + 1;
	return 0;
}

/*
 * A number for what: 0, or -1 with the error (junk, or too large for a
 * long: then *out is set to LONG_MAX or LONG_MIN so that the caller's
 * range check names the range).
 */
static int number(struct ops_parser *p, const char *op, const char *what, const char *val,
		  long *out)
{
	int r = parse_long(val, out);

	if (r == -2) {
		*out = val[0] == '-' ? LONG_MIN : LONG_MAX;
		return 0;
	}
	if (r)
		return pfail(p, val, "%s: bad number '%s' for %s (decimal or 0x hex digits, optionally after '-')",
			     op, val, what);
	return 0;
}

/* Parses a numeric value of key into [min, max]. */
static int num_val(struct ops_parser *p, const char *op, const struct kv *kv,
		   long min, long max, long *out)
{
	if (number(p, op, kv->key, kv->val, out))
		return -1;
	if (*out < min || *out > max)
		return pfail(p, kv->val, "%s: %s %s out of range %ld..%ld",
			     op, kv->key, kv->val, min, max);
	return 0;
}

static int cpu_val(struct ops_parser *p, const char *op, const struct kv *kv,
		   unsigned int *cpu)
{
	long v;

	if (number(p, op, "cpu", kv->val, &v))
		return -1;
	if (v < 0 || v >= (long)p->geo.nr_cpus)
		return pfail(p, kv->val, "%s: cpu %s out of range (layout %s has %u CPUs)",
			     op, kv->val, p->out->layout, p->geo.nr_cpus);
	*cpu = (unsigned int)v;
	return 0;
}

/*
 * Looks kv->key up in keys[]; returns its index
 * and marks it seen, or fails on an unknown or repeated key.
 */
static int key_index(struct ops_parser *p, const char *op, const struct kv *kv,
		     const char *const *keys, unsigned int nkeys, unsigned int *seen)
{
	char list[128] = "";
	unsigned int i;

	for (i = 0; i < nkeys; i++) {
		if (!strcmp(kv->key, keys[i])) {
			if (*seen & (1u << i))
				return pfail(p, kv->key, "%s: key '%s' given twice", op, kv->key);
			*seen |= 1u << i;
			return (int)i;
		}
	}
	for (i = 0; i < nkeys; i++) {
		strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
		strncat(list, keys[i], sizeof(list) - strlen(list) - 1);
	}
	return pfail(p, kv->key, "%s: unknown key '%s' (keys: %s)", op, kv->key,
		     nkeys ? list : "none");
}

/* "a12" -> 12; -1 on anything else. */
static int handle_val(const char *s, unsigned long *h)
{
	long v;

	if (s[0] != 'a' || !isdigit((unsigned char)s[1]) || parse_long(s + 1, &v) ||
	    v < 1)
		return -1;
	*h = (unsigned long)v;
	return 0;
}

/*
 * "a5" or, for an alloc_bulk, "a5..a8": the handles an allocation creates,
 * numbered from op->handle; p->arrow_handles says how many were written.
 */
static int parse_new_handles(struct ops_parser *p, const char *name, const char *h,
			     const struct kb_op *op)
{
	const char *dots = strstr(h, "..");
	char first[32];
	unsigned long hv, last;

	snprintf(first, sizeof(first), "%.*s", dots ? (int)(dots - h) : (int)strlen(h), h);
	if (handle_val(first, &hv) || (dots && (op->kind != KB_OP_ALLOC_BULK ||
						handle_val(dots + 2, &last) || last < hv)))
		return pfail(p, h, "%s: expected a handle like a%u%s after '->', got '%s'", name,
			     op->handle, op->kind == KB_OP_ALLOC_BULK ? " or a range a1..a4" : "",
			     h);
	if (hv != op->handle)
		return pfail(p, h, "%s: creates handle a%u, not a%lu (handles count allocs from a1)",
			     name, op->handle, hv);
	p->arrow_handles = dots ? (unsigned int)(last - hv + 1) : 1;
	return 0;
}

static int parse_alloc(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "order", "gfp", "cpu", "nid" };
	static const char *const contig_keys[] = { "nr", "gfp", "cpu", "nid", "filled" };
	const bool contig = op->kind != KB_OP_ALLOC;
	const bool bulk = op->kind == KB_OP_ALLOC_BULK;
	const char *name = kind_names[op->kind];
	unsigned int seen = 0, n;
	long nr_max = op->kind == KB_OP_ALLOC_EXACT ? 1L << p->geo.max_order :
		      bulk ? KB_OPS_BULK_MAX : (long)KB_MAX_PFN;
	bool arrow = false;
	int i;

	op->gfp = GFP_KERNEL;
	op->nid = -1;
	op->handle = (unsigned int)p->out->nr_handles + 1;
	for (i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		long v;

		if (!strncmp(tok[i], "->", 2)) {
			const char *h = tok[i][2] ? tok[i] + 2 : (i + 1 < ntok ? tok[++i] : "");

			if (parse_new_handles(p, name, h, op))
				return -1;
			if (i + 1 < ntok)
				return pfail(p, tok[i + 1], "%s: unexpected '%s' after the handle",
					     name, tok[i + 1]);
			arrow = true;
			break;
		}
		if (split_kv(p, name, tok[i], &kv))
			return -1;
		switch (key_index(p, name, &kv, contig ? contig_keys : keys, bulk ? 5 : 4, &seen)) {
		case 0:
			if (contig) {
				if (num_val(p, name, &kv, 1, nr_max, &v))
					return -1;
				op->nr = (unsigned long)v;
				break;
			}
			if (num_val(p, name, &kv, 0, TEXT_MAX_ORDER, &v))
				return -1;
			op->order = (unsigned int)v;
			break;
		case 1:
			if (kb_gfp_parse(kv.val, &op->gfp))
				return pfail(p, kv.val, "%s: bad gfp '%s' (names like GFP_KERNEL|__GFP_COMP or numbers, no spaces, only defined bits)",
					     name, kv.val);
			break;
		case 2:
			if (cpu_val(p, name, &kv, &op->cpu))
				return -1;
			break;
		case 3:
			if (number(p, name, "nid", kv.val, &v))
				return -1;
			if (v < -1 || v >= (long)p->geo.nr_nodes)
				return pfail(p, kv.val, "%s: nid %s out of range (-1, or 0..%u for layout %s)",
					     name, kv.val, p->geo.nr_nodes - 1, p->out->layout);
			op->nid = (int)v;
			break;
		case 4:
			if (num_val(p, name, &kv, 0, (1L << KB_OPS_BULK_MAX) - 1, &v))
				return -1;
			op->value = v;
			break;
		default:
			return -1;
		}
	}
	if (contig && !(seen & 1))
		return pfail(p, NULL, "%s: nr= is required", name);
	if (bulk && (unsigned long)op->value >= (1UL << op->nr))
		return pfail(p, NULL, "%s: filled=%#lx names slots beyond nr=%lu", name,
			     (unsigned long)op->value, op->nr);
	n = kb_op_new_handles(op);
	if (arrow && !n)
		return pfail(p, NULL, "%s: filled=%#lx leaves no slot empty, so it creates no handle: no '->'",
			     name, (unsigned long)op->value);
	if (arrow && kb_op_new_handles(op) != p->arrow_handles)
		return n == 1 ? pfail(p, NULL, "%s: creates 1 handle (a%u), not %u", name,
				      op->handle, p->arrow_handles) :
				pfail(p, NULL, "%s: creates %u handles (a%u..a%u), not %u", name, n,
				      op->handle, op->handle + n - 1, p->arrow_handles);
	p->out->nr_handles += n;
	return 0;
}

static int parse_free(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "cpu", "order" };
	unsigned int seen = 0;
	unsigned long h;
	int i;

	if (ntok < 2 || handle_val(tok[1], &h))
		return pfail(p, ntok < 2 ? NULL : tok[1], "free: expected a handle like a1, got '%s'",
			     ntok < 2 ? "" : tok[1]);
	if (h > p->out->nr_handles)
		return pfail(p, tok[1], "free: handle %s was never created (%zu allocs so far)",
			     tok[1], p->out->nr_handles);
	op->handle = (unsigned int)h;
	for (i = 2; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		long v;

		if (!strcmp(tok[i], "race")) {
			if (op->race)
				return pfail(p, tok[i], "free: 'race' given twice");
			op->race = true;
			continue;
		}
		if (split_kv(p, "free", tok[i], &kv))
			return -1;
		switch (key_index(p, "free", &kv, keys, 2, &seen)) {
		case 0:
			if (cpu_val(p, "free", &kv, &op->cpu))
				return -1;
			break;
		case 1:
			if (num_val(p, "free", &kv, 0, TEXT_MAX_ORDER, &v))
				return -1;
			op->order = (unsigned int)v;
			op->order_given = true;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int parse_drain(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "cpu" };
	unsigned int seen = 0;
	int i;

	for (i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };

		if (split_kv(p, "drain", tok[i], &kv) ||
		    key_index(p, "drain", &kv, keys, 1, &seen) < 0 ||
		    cpu_val(p, "drain", &kv, &op->cpu))
			return -1;
	}
	return 0;
}

static int parse_sysctl(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	char names[256];
	char *name = ntok == 2 ? tok[1] : NULL, *eq, *br;
	unsigned int i;
	long v;

	if (!name || !(eq = strchr(name, '=')))
		return pfail(p, NULL, "sysctl: usage: sysctl NAME=VALUE or sysctl lowmem_reserve_ratio[ZONE]=VALUE");
	*eq = '\0';
	br = strchr(name, '[');
	if (br)
		*br = '\0';
	for (i = 0; i < KB_NR_SYSCTLS; i++)
		if (!strcmp(name, kb_sysctl_name((enum kb_sysctl)i)))
			break;
	if (i == KB_NR_SYSCTLS)
		return pfail(p, name, "sysctl: unknown sysctl '%s' (%s; lowmem_reserve_ratio takes [ZONE])",
			     name, name_list(names, sizeof(names), sysctl_name, KB_NR_SYSCTLS));
	op->sysctl = i;
	if (i == KB_SYSCTL_LOWMEM_RESERVE_RATIO) {
		size_t n = br ? strlen(br + 1) : 0;

		if (!br || !n || br[n] != ']')
			return pfail(p, name, "sysctl: lowmem_reserve_ratio needs a zone index, e.g. lowmem_reserve_ratio[DMA32]=256");
		br[n] = '\0';
		if (zone_arg(br + 1, MAX_NR_ZONES, &op->index))
			return pfail(p, br + 1, "sysctl: unknown zone '%s' (%s or 0..%d)", br + 1,
				     name_list(names, sizeof(names), zone_name, MAX_NR_ZONES),
				     MAX_NR_ZONES - 1);
	} else if (br) {
		return pfail(p, br, "sysctl: %s takes no index", name);
	}
	if (number(p, "sysctl", name, eq + 1, &v))
		return -1;
	if (v < INT_MIN || v > INT_MAX)
		return pfail(p, eq + 1, "sysctl: %s %s does not fit an int", name, eq + 1);
	op->value = v;
	return 0;
}

/*
 * compact node=N zone=Z [order=O]: zone= is required; without order= the
 * whole zone (compact_memory's way). kcompactd node=N [order=O [zone=Z]]:
 * woken for order O (1..MAX_PAGE_ORDER) up to zone Z (default the node's
 * highest) first, when order= is given.
 */
static int parse_compact(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "node", "zone", "order" };
	const char *name = kind_names[op->kind];
	unsigned int seen = 0;
	char names[128];
	int i;

	op->zone = KB_NR_LAYOUT_ZONES - 1;
	for (i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		long v;

		if (split_kv(p, name, tok[i], &kv))
			return -1;
		switch (key_index(p, name, &kv, keys, 3, &seen)) {
		case 0:
			if (num_val(p, name, &kv, 0, (long)p->geo.nr_nodes - 1, &v))
				return -1;
			op->node = (unsigned int)v;
			break;
		case 1:
			if (zone_arg(kv.val, KB_NR_LAYOUT_ZONES, &op->zone))
				return pfail(p, kv.val, "%s: unknown zone '%s' (%s or 0..%d)", name,
					     kv.val, name_list(names, sizeof(names), zone_name,
							       KB_NR_LAYOUT_ZONES),
					     KB_NR_LAYOUT_ZONES - 1);
			break;
		case 2:
			if (num_val(p, name, &kv, op->kind == KB_OP_KCOMPACTD, (long)p->geo.max_order,
				    &v))
				return -1;
			op->order = (unsigned int)v;
			op->order_given = true;
			break;
		default:
			return -1;
		}
	}
	if (op->kind == KB_OP_COMPACT && !(seen & 2))
		return pfail(p, NULL, "compact: zone= is required");
	if (op->kind == KB_OP_KCOMPACTD && (seen & 2) && !(seen & 4))
		return pfail(p, NULL, "kcompactd: zone= goes with order= (the request kcompactd is woken for)");
	return 0;
}

/* kswapd [node=N]: one pass of the node's kswapd (it runs only if woken). */
static int parse_kswapd(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "node" };
	unsigned int seen = 0;

	for (int i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		long v;

		if (split_kv(p, "kswapd", tok[i], &kv))
			return -1;
		if (key_index(p, "kswapd", &kv, keys, 1, &seen) != 0)
			return -1;
		if (num_val(p, "kswapd", &kv, 0, (long)p->geo.nr_nodes - 1, &v))
			return -1;
		op->node = (unsigned int)v;
	}
	return 0;
}

/* "oom_score_adj cpu=C value=V": both keys, V in OOM_SCORE_ADJ_MIN..MAX */
static int parse_oom_score_adj(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "cpu", "value" };
	unsigned int seen = 0;

	for (int i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		int k;

		if (split_kv(p, "oom_score_adj", tok[i], &kv))
			return -1;
		k = key_index(p, "oom_score_adj", &kv, keys, 2, &seen);
		if (k < 0)
			return -1;
		if (k == 0 ? cpu_val(p, "oom_score_adj", &kv, &op->cpu) :
			     num_val(p, "oom_score_adj", &kv, KB_OOM_SCORE_ADJ_MIN,
				     KB_OOM_SCORE_ADJ_MAX, &op->value))
			return -1;
	}
	if (seen != 3)
		return pfail(p, NULL, "oom_score_adj: usage: oom_score_adj cpu=C value=V (V in %d..%d)",
			     KB_OOM_SCORE_ADJ_MIN, KB_OOM_SCORE_ADJ_MAX);
	return 0;
}

static int parse_pcp(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "node", "zone" };
	const char *name = kind_names[op->kind];
	unsigned int seen = 0;
	char names[128];
	int i, *depth;

	for (i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		long v;

		if (split_kv(p, name, tok[i], &kv))
			return -1;
		switch (key_index(p, name, &kv, keys, 2, &seen)) {
		case 0:
			if (num_val(p, name, &kv, 0, (long)p->geo.nr_nodes - 1, &v))
				return -1;
			op->node = (unsigned int)v;
			break;
		case 1:
			if (zone_arg(kv.val, KB_NR_LAYOUT_ZONES, &op->zone))
				return pfail(p, kv.val, "%s: unknown zone '%s' (%s or 0..%d)", name,
					     kv.val, name_list(names, sizeof(names), zone_name,
							       KB_NR_LAYOUT_ZONES),
					     KB_NR_LAYOUT_ZONES - 1);
			break;
		default:
			return -1;
		}
	}
	if (!(seen & 2))
		return pfail(p, NULL, "%s: zone= is required", name);
	depth = &p->depth[op->node][op->zone];
	if (op->kind == KB_OP_PCP_DISABLE) {
		(*depth)++;
	} else {
		if (!*depth)
			return pfail(p, NULL, "pcp_enable: node %u zone %s was not disabled by an earlier pcp_disable",
				     op->node, zone_names[op->zone]);
		(*depth)--;
	}
	return 0;
}

static int parse_free_pfn(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "pfn", "order" };
	unsigned int seen = 0;
	int i;

	for (i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		long v;

		if (split_kv(p, "free_pfn", tok[i], &kv))
			return -1;
		switch (key_index(p, "free_pfn", &kv, keys, 2, &seen)) {
		case 0:
			if (num_val(p, "free_pfn", &kv, 0, (long)KB_MAX_PFN - 1, &v))
				return -1;
			op->pfn = (unsigned long)v;
			break;
		case 1:
			if (num_val(p, "free_pfn", &kv, 0, TEXT_MAX_ORDER, &v))
				return -1;
			op->order = (unsigned int)v;
			break;
		default:
			return -1;
		}
	}
	if (!(seen & 1))
		return pfail(p, NULL, "free_pfn: pfn= is required");
	return 0;
}

static int parse_ref(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	const char *name = kind_names[op->kind];
	unsigned long h;

	if (ntok != 2 || handle_val(tok[1], &h))
		return pfail(p, ntok > 1 ? tok[1] : NULL, "%s: usage: %s a<handle>", name, name);
	if (h > p->out->nr_handles)
		return pfail(p, tok[1], "%s: handle %s was never created (%zu allocs so far)", name,
			     tok[1], p->out->nr_handles);
	op->handle = (unsigned int)h;
	return 0;
}

static int parse_range(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	static const char *const keys[] = { "pfn", "nr" };
	const char *name = kind_names[op->kind];
	unsigned int seen = 0;
	int i;

	for (i = 1; i < ntok; i++) {
		struct kv kv = { NULL, NULL };
		long v;

		if (split_kv(p, name, tok[i], &kv))
			return -1;
		switch (key_index(p, name, &kv, keys, 2, &seen)) {
		case 0:
			if (num_val(p, name, &kv, 0, (long)KB_MAX_PFN - 1, &v))
				return -1;
			op->pfn = (unsigned long)v;
			break;
		case 1:
			if (num_val(p, name, &kv, 1, (long)KB_MAX_PFN, &v))
				return -1;
			op->nr = (unsigned long)v;
			break;
		default:
			return -1;
		}
	}
	if (seen != 3)
		return pfail(p, NULL, "%s: pfn= and nr= are required", name);
	return 0;
}

/*
 * soft_offline pfn=P | soft_offline a<handle> (its first page, wherever it
 * is when the operation runs); unpoison pfn=P | unpoison recent=K (the
 * K-th most recently poisoned page, 0 the latest).
 */
static int parse_poison(struct ops_parser *p, char **tok, int ntok, struct kb_op *op)
{
	const bool soft = op->kind == KB_OP_SOFT_OFFLINE;
	const char *name = kind_names[op->kind];
	struct kv kv = { NULL, NULL };
	unsigned long h;
	long v;

	if (ntok != 2)
		return pfail(p, ntok > 2 ? tok[2] : NULL, "%s: usage: %s", name,
			     soft ? "soft_offline pfn=P or soft_offline a<handle>" :
				    "unpoison pfn=P or unpoison recent=K");
	if (soft && !handle_val(tok[1], &h)) {
		if (h > p->out->nr_handles)
			return pfail(p, tok[1], "%s: handle %s was never created (%zu allocs so far)",
				     name, tok[1], p->out->nr_handles);
		op->handle = (unsigned int)h;
		op->relative = true;
		return 0;
	}
	if (split_kv(p, name, tok[1], &kv))
		return -1;
	if (!strcmp(kv.key, "pfn")) {
		if (num_val(p, name, &kv, 0, (long)KB_MAX_PFN - 1, &v))
			return -1;
		op->pfn = (unsigned long)v;
		return 0;
	}
	if (!soft && !strcmp(kv.key, "recent")) {
		if (num_val(p, name, &kv, 0, KB_OPS_UNPOISON_RECENT - 1, &v))
			return -1;
		op->index = (unsigned int)v;
		op->relative = true;
		return 0;
	}
	return pfail(p, kv.key, "%s: unknown key '%s' (keys: pfn%s)", name, kv.key,
		     soft ? ", or a handle" : ", recent");
}

static int parse_layout(struct ops_parser *p, char **tok, int ntok)
{
	char names[128] = "";
	unsigned int i;

	if (ntok != 2)
		return pfail(p, NULL, "layout: usage: layout NAME");
	if (p->layout_fixed)
		return pfail(p, tok[0], "layout: this sequence runs on the layout given with it; no layout line here");
	if (p->layout_given)
		return pfail(p, tok[0], "layout given twice");
	if (p->out->nr_ops)
		return pfail(p, tok[0], "layout must come before the first operation");
	if (strlen(tok[1]) < sizeof(p->out->layout) &&
	    !kb_ops_geometry(tok[1], &p->geo)) {
		snprintf(p->out->layout, sizeof(p->out->layout), "%s", tok[1]);
		p->layout_given = true;
		return 0;
	}
	for (i = 0; i < kb_layout_builtin_count(); i++) {
		strncat(names, i ? ", " : "", sizeof(names) - strlen(names) - 1);
		strncat(names, kb_layout_builtin_name(i),
			sizeof(names) - strlen(names) - 1);
	}
	return pfail(p, tok[1], "unknown layout '%.32s' (built-in layouts: %s)", tok[1], names);
}

/* "cpuN" / "irqN" (with the colon of a prefix when colon): the stream number. */
static int stream_name(struct ops_parser *p, const char *s, bool colon, unsigned int *stream)
{
	bool irq = !strncmp(s, "irq", 3);
	char num[8];
	size_t n;
	long v;

	if (!irq && strncmp(s, "cpu", 3))
		return -1;
	n = strlen(s + 3);
	if (colon && (!n || s[3 + n - 1] != ':'))
		return -1;
	if (colon)
		n--;
	if (!n || n >= sizeof(num))
		return -1;
	memcpy(num, s + 3, n);
	num[n] = '\0';
	if (parse_long(num, &v) || v < 0)
		return -1;
	if (v >= (long)p->geo.nr_cpus)
		return pfail(p, s, "%.3s%ld: cpu out of range (layout %s has %u CPUs)",
			     s, v, p->out->layout, p->geo.nr_cpus), -2;
	*stream = 2 * (unsigned int)v + irq;
	return 0;
}

/* "schedule cpu0 irq1 cpu1 ...": one SCHEDULE operation per 12 names. */
static int parse_schedule(struct ops_parser *p, char **tok, int ntok)
{
	struct kb_op op;
	int i;

	if (ntok < 2)
		return pfail(p, NULL, "schedule: usage: schedule cpuN|irqN ...");
	memset(&op, 0, sizeof(op));
	op.kind = KB_OP_SCHEDULE;
	for (i = 1; i < ntok; i++) {
		unsigned int s;
		int r = stream_name(p, tok[i], false, &s);

		if (r == -2)
			return -1;
		if (r)
			return pfail(p, tok[i], "schedule: '%s' is no stream (cpuN or irqN)", tok[i]);
		op.value |= (long)((unsigned long)s << (4 * op.nr));
		if (++op.nr == KB_OPS_SCHEDULE_MAX || i == ntok - 1) {
			if (p->out->nr_ops >= KB_OPS_MAX)
				return pfail(p, NULL, "more than %d operations", KB_OPS_MAX);
			p->out->ops[p->out->nr_ops++] = op;
			op.nr = 0;
			op.value = 0;
		}
	}
	return 0;
}

static int parse_op(struct ops_parser *p, char **tok, int ntok, unsigned int stream);

static int parse_line(struct ops_parser *p, char **tok, int ntok)
{
	unsigned int stream;
	int r;

	if (!strcmp(tok[0], "expect"))
		return 0;	/* scenario expectations are read elsewhere */
	if (!strcmp(tok[0], "schedule"))
		return parse_schedule(p, tok, ntok);
	r = stream_name(p, tok[0], true, &stream);
	if (r == -2)
		return -1;
	if (r)
		return parse_op(p, tok, ntok, 0);
	if (ntok < 2)
		return pfail(p, NULL, "%s needs an operation after it", tok[0]);
	return parse_op(p, tok + 1, ntok - 1, stream + 1);
}

static int parse_op(struct ops_parser *p, char **tok, int ntok, unsigned int stream)
{
	char names[256];
	struct kb_op op;
	unsigned int k;
	int ret = 0;

	if (!strcmp(tok[0], "layout"))
		return parse_layout(p, tok, ntok);
	for (k = 0; k < KB_NR_OP_KINDS; k++)
		if (!strcmp(tok[0], kind_names[k]))
			break;
	if (k == KB_NR_OP_KINDS)
		return pfail(p, tok[0], "unknown operation '%s' (%s, layout, cpuN:, irqN:)", tok[0],
			     name_list(names, sizeof(names), kind_name, KB_NR_OP_KINDS));
	if (p->out->nr_ops >= KB_OPS_MAX)
		return pfail(p, NULL, "more than %d operations", KB_OPS_MAX);
	memset(&op, 0, sizeof(op));
	op.kind = (enum kb_op_kind)k;
	switch (op.kind) {
	case KB_OP_ALLOC:
	case KB_OP_ALLOC_CONTIG:
	case KB_OP_ALLOC_EXACT:
	case KB_OP_ALLOC_BULK:
		ret = parse_alloc(p, tok, ntok, &op);
		break;
	case KB_OP_SPLIT:
		ret = parse_ref(p, tok, ntok, &op);
		break;
	case KB_OP_SOFT_OFFLINE:
	case KB_OP_UNPOISON:
		ret = parse_poison(p, tok, ntok, &op);
		break;
	case KB_OP_GET:
	case KB_OP_PUT:
		ret = parse_ref(p, tok, ntok, &op);
		break;
	case KB_OP_ISOLATE:
	case KB_OP_UNISOLATE:
		ret = parse_range(p, tok, ntok, &op);
		break;
	case KB_OP_FREE:
		ret = parse_free(p, tok, ntok, &op);
		break;
	case KB_OP_DRAIN_CPU:
		ret = parse_drain(p, tok, ntok, &op);
		break;
	case KB_OP_DRAIN_ALL:
		ret = ntok == 1 ? 0 : pfail(p, tok[1], "drain_all: takes no arguments, got '%s'",
					     tok[1]);
		break;
	case KB_OP_SYSCTL:
		ret = parse_sysctl(p, tok, ntok, &op);
		break;
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
		ret = parse_pcp(p, tok, ntok, &op);
		break;
	case KB_OP_OOM_VICTIM:
		if (ntok == 2 && !strcmp(tok[1], "on"))
			op.value = 1;
		else if (ntok == 2 && !strcmp(tok[1], "off"))
			op.value = 0;
		else
			ret = pfail(p, ntok > 1 ? tok[1] : NULL, "oom_victim: usage: oom_victim on|off");
		break;
	case KB_OP_OOM_SCORE_ADJ:
		ret = parse_oom_score_adj(p, tok, ntok, &op);
		break;
	case KB_OP_FREE_PFN:
		ret = parse_free_pfn(p, tok, ntok, &op);
		break;
	case KB_OP_COMPACT:
	case KB_OP_KCOMPACTD:
		ret = parse_compact(p, tok, ntok, &op);
		break;
	case KB_OP_KSWAPD:
		ret = parse_kswapd(p, tok, ntok, &op);
		break;
	default:
		ret = pfail(p, tok[0], "unknown operation '%s'", tok[0]);
		break;
	}
	if (ret)
		return ret;
	if (stream) {
		/* an interrupt's reclaiming alloc is let through: misuse the runner reports */
		struct kb_op probe = op;
		unsigned int cpu = (stream - 1) / 2;

		probe.gfp &= ~__GFP_DIRECT_RECLAIM;
		if (!kb_op_stream_allows(&probe, stream))
			return pfail(p, tok[0], "%s cannot run in %s context (alloc, free, get, put, drain, drain_all, pcp_disable, pcp_enable, isolate, unisolate; in irqN: alloc, free, put)",
				     tok[0], (stream - 1) & 1 ? "interrupt" : "a CPU's task");
		if (op.kind == KB_OP_ALLOC || op.kind == KB_OP_FREE || op.kind == KB_OP_DRAIN_CPU) {
			if (op.cpu && op.cpu != cpu)
				return pfail(p, tok[0], "%s: cpu=%u differs from its stream's cpu %u",
					     tok[0], op.cpu, cpu);
			op.cpu = cpu;
		}
		op.stream = (unsigned char)stream;
	}
	p->out->ops[p->out->nr_ops++] = op;
	return 0;
}

/* "# kbuddy ops vN" declares the version; other comments are ignored. */
static int header_comment(struct ops_parser *p, const char *c)
{
	char num[16];
	long v;

	if (!kb_text_version_header(c, "kbuddy ops v", num, sizeof(num)))
		return 0;
	if (!num[0] || parse_long(num, &v) || v != KB_OPS_FORMAT_VERSION)
		return pfail(p, NULL, "unsupported ops format version '%s' (this build reads v%d)",
			     num[0] ? num : "?", KB_OPS_FORMAT_VERSION);
	return 0;
}

static int parse_text(const char *text, size_t len, const struct kb_ops_geometry *geo,
		      const char *name, struct kb_ops *out, char *err, size_t errlen)
{
	struct kb_text_line line;
	struct ops_parser p;
	size_t pos = 0;

	memset(&p, 0, sizeof(p));
	p.out = out;
	p.err = err;
	p.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	memset(out->layout, 0, sizeof(out->layout));
	snprintf(out->layout, sizeof(out->layout), "%s", name);
	if (geo) {
		p.geo = *geo;
		p.layout_fixed = true;
	} else {
		kb_ops_geometry(out->layout, &p.geo);
	}
	out->nr_ops = 0;
	out->nr_handles = 0;
	if (!text)
		len = 0;

	for (;;) {
		const char *reason;
		int r;

		p.lineno++;
		r = kb_text_next_line(text, len, &pos, MAX_TOKENS, &line, &reason);
		if (r < 0)
			return pfail(&p, NULL, "%s", reason);
		if (!r)
			break;
		p.line = &line;
		if (line.comment && header_comment(&p, line.comment))
			return -1;
		if (line.nr_fields && parse_line(&p, line.field, line.nr_fields))
			return -1;
	}
	return 0;
}

int kb_ops_parse_text(const char *text, size_t len, struct kb_ops *out,
		      char *err, size_t errlen)
{
	return parse_text(text, len, NULL, kb_layout_builtin_name(0), out, err, errlen);
}

int kb_ops_parse_text_geo(const char *text, size_t len, const struct kb_ops_geometry *geo,
			  const char *name, struct kb_ops *out, char *err, size_t errlen)
{
	return parse_text(text, len, geo, name, out, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Sniffing                                                            */

bool kb_ops_is_text(const uint8_t *data, size_t size)
{
	return kb_text_looks_like_text(data, size);
}
