// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /proc/zoneinfo (import/zoneinfo.h). The format is
 * zoneinfo_show_print()'s in mm/vmstat.c: a "Node N, zone NAME" header, the
 * per-node statistics under the node's first populated zone, the free
 * pages and watermarks, the spans, the protection array, and for a
 * populated zone the zone statistics and one block per online CPU.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "number.h"
#include "zoneinfo.h"

static const char *const field_names[KB_ZI_NR_FIELDS] = {
	[KB_ZI_FREE] = "free",
	[KB_ZI_BOOST] = "boost",
	[KB_ZI_MIN] = "min",
	[KB_ZI_LOW] = "low",
	[KB_ZI_HIGH] = "high",
	[KB_ZI_PROMO] = "promo",
	[KB_ZI_SPANNED] = "spanned",
	[KB_ZI_PRESENT] = "present",
	[KB_ZI_MANAGED] = "managed",
	[KB_ZI_CMA] = "cma",
	[KB_ZI_NODE_UNRECLAIMABLE] = "node_unreclaimable",
	[KB_ZI_START_PFN] = "start_pfn",
};

static const char *const pcp_field_names[KB_ZI_PCP_NR_FIELDS] = {
	[KB_ZI_PCP_COUNT] = "count",
	[KB_ZI_PCP_HIGH] = "high",
	[KB_ZI_PCP_BATCH] = "batch",
	[KB_ZI_PCP_HIGH_MIN] = "high_min",
	[KB_ZI_PCP_HIGH_MAX] = "high_max",
	[KB_ZI_PCP_THRESHOLD] = "vm stats threshold",
};

const char *kb_zi_field_name(enum kb_zi_field f)
{
	return (unsigned int)f < KB_ZI_NR_FIELDS ? field_names[f] : "?";
}

const char *kb_zi_pcp_field_name(enum kb_zi_pcp_field f)
{
	return (unsigned int)f < KB_ZI_PCP_NR_FIELDS ? pcp_field_names[f] : "?";
}

struct parser {
	struct kb_zoneinfo *zi;
	struct kb_zi_zone *zone;
	struct kb_zi_pcp *pcp;
	unsigned int line;
	const char *text;	/* the line being read, for columns */
	char *err;
	size_t errlen;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->errlen)
		return -1;
	n = snprintf(p->err, p->errlen, "line %u: ", p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Every number zoneinfo_show_print() prints is an unsigned count or a
 * non-negative long (%lu, %ld, %d of values that are never negative), in
 * decimal; in the protection array it ends at ',' or ')'.
 */
static const struct kb_num_rule count_rule = { .min = 0, .max = LONG_MAX };
static const struct kb_num_rule list_rule = { .min = 0, .max = LONG_MAX, .ends = ",)" };

/* The number after the blanks at *s; -1 with the error (line and column) set. */
static int number(struct parser *p, const char **s, const struct kb_num_rule *rule, long *out)
{
	const char *q = *s, *why = "";
	size_t n;

	while (*q == ' ' || *q == '\t')
		q++;
	n = kb_num_read(q, rule, out, &why);
	if (!n) {
		if (p->errlen)
			kb_num_error(p->err, p->errlen, p->line, p->text, q, why);
		return -1;
	}
	*s = q + n;
	return 0;
}

static int rest_is_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

/* A number that ends the line: as number(), and nothing after it. */
static int last_number(struct parser *p, const char **s, const struct kb_num_rule *rule,
		       long *out)
{
	if (number(p, s, rule, out))
		return -1;
	if (rest_is_blank(*s))
		return 0;
	while (**s == ' ' || **s == '\t')
		(*s)++;
	if (p->errlen)
		snprintf(p->err, p->errlen, "line %u, column %u: text after the number: '%.40s'",
			 p->line, (unsigned int)(*s - p->text) + 1, *s);
	return -1;
}

/* "WORD N" where WORD is given: 0 with the value, 1 when it is another line, -1 bad. */
static int word_value(struct parser *p, const char *s, const char *word, long *v)
{
	size_t n = strlen(word);

	if (strncmp(s, word, n) || (s[n] != ' ' && s[n] != '\t'))
		return 1;
	s += n;
	return last_number(p, &s, &count_rule, v);
}

static int new_zone(struct parser *p, const char *s)
{
	static const struct kb_num_rule node_rule = { .max = 1023, .ends = "," };
	const char *q = s + 5;
	struct kb_zi_zone *z;
	char name[16];
	long node;
	int n = 0;

	if (number(p, &q, &node_rule, &node))
		return -1;
	if (sscanf(q, ", zone %15s%n", name, &n) != 1 || !rest_is_blank(q + n))
		return fail(p, "bad zone header '%.60s' (expected \"Node N, zone NAME\")", s);
	if (p->zi->nr_zones == KB_ZI_MAX_ZONES)
		return fail(p, "more than %d zones", KB_ZI_MAX_ZONES);
	if (kb_zoneinfo_find(p->zi, (int)node, name))
		return fail(p, "zone %ld %s given twice", node, name);
	z = &p->zi->zone[p->zi->nr_zones++];
	memset(z, 0, sizeof(*z));
	z->node = (int)node;
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->line = p->line;
	p->zone = z;
	p->pcp = NULL;
	return 0;
}

static int set_field(struct parser *p, enum kb_zi_field f, long v)
{
	if (p->zone->has & (1u << f))
		return fail(p, "'%s' given twice in zone %d %s", field_names[f], p->zone->node,
			    p->zone->name);
	p->zone->has |= 1u << f;
	p->zone->value[f] = v;
	return 0;
}

static int set_pcp_field(struct parser *p, enum kb_zi_pcp_field f, long v)
{
	if (!p->pcp)
		return fail(p, "'%s' outside a \"cpu: N\" block", pcp_field_names[f]);
	if (p->pcp->has & (1u << f))
		return fail(p, "'%s' given twice for cpu %d", pcp_field_names[f], p->pcp->cpu);
	p->pcp->has |= 1u << f;
	p->pcp->value[f] = v;
	return 0;
}

static int protection(struct parser *p, const char *s)
{
	long v;

	s += strlen("protection:");
	while (*s == ' ')
		s++;
	if (*s++ != '(')
		return fail(p, "protection: expected '('");
	p->zone->nr_protection = 0;
	for (;;) {
		if (number(p, &s, &list_rule, &v))
			return -1;
		if (p->zone->nr_protection == KB_ZI_MAX_PROTECTION)
			return fail(p, "protection: more than %d entries", KB_ZI_MAX_PROTECTION);
		p->zone->protection[p->zone->nr_protection++] = v;
		if (*s == ')')
			break;
		if (*s++ != ',')
			return fail(p, "protection: expected ',' or ')'");
	}
	return rest_is_blank(s + 1) ? 0 : fail(p, "protection: text after ')'");
}

/* "NAME: N" with NAME one of the colon fields. */
static int colon_field(struct parser *p, const char *s)
{
	static const struct {
		const char *name;
		int pcp;	/* 1: a pcp field, 0: a zone field, -1: known, skipped */
		int field;
	} names[] = {
		{ "cpu", 2, 0 },
		{ "count", 1, KB_ZI_PCP_COUNT },
		{ "high", 1, KB_ZI_PCP_HIGH },
		{ "batch", 1, KB_ZI_PCP_BATCH },
		{ "high_min", 1, KB_ZI_PCP_HIGH_MIN },
		{ "high_max", 1, KB_ZI_PCP_HIGH_MAX },
		{ "vm stats threshold", 1, KB_ZI_PCP_THRESHOLD },
		{ "node_unreclaimable", 0, KB_ZI_NODE_UNRECLAIMABLE },
		{ "start_pfn", 0, KB_ZI_START_PFN },
		{ "reserved_highatomic", -1, 0 },
		{ "free_highatomic", -1, 0 },
	};
	size_t i, n;
	long v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *q;

		n = strlen(names[i].name);
		if (strncmp(s, names[i].name, n) || s[n] != ':')
			continue;
		q = s + n + 1;
		if (last_number(p, &q, &count_rule, &v))
			return -1;
		switch (names[i].pcp) {
		case 2:
			if (p->zone->nr_pcp == KB_ZI_MAX_CPUS)
				return fail(p, "more than %d CPUs", KB_ZI_MAX_CPUS);
			if (kb_zi_zone_pcp(p->zone, (int)v))
				return fail(p, "cpu %ld given twice", v);
			p->pcp = &p->zone->pcp[p->zone->nr_pcp++];
			memset(p->pcp, 0, sizeof(*p->pcp));
			p->pcp->cpu = (int)v;
			return 0;
		case 1:
			return set_pcp_field(p, names[i].field, v);
		case 0:
			return set_field(p, names[i].field, v);
		default:
			return 0;
		}
	}
	return 1;
}

/*
 * A statistics line: a lower-case name and a number. 1 when s is one, 0
 * when it has another shape, -1 when its number is bad (reported).
 */
static int is_statistic(struct parser *p, const char *s)
{
	const char *q = s;
	long v;

	while (islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_')
		q++;
	if (q == s || (*q != ' ' && *q != '\t'))
		return 0;
	return last_number(p, &q, &count_rule, &v) ? -1 : 1;
}

static int parse_line(struct parser *p, const char *s)
{
	static const enum kb_zi_field words[] = {
		KB_ZI_BOOST, KB_ZI_MIN, KB_ZI_LOW, KB_ZI_HIGH, KB_ZI_PROMO,
		KB_ZI_SPANNED, KB_ZI_PRESENT, KB_ZI_MANAGED, KB_ZI_CMA,
	};
	size_t i;
	long v;
	int r;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	if (!strncmp(s, "Node ", 5))
		return new_zone(p, s);
	if (!p->zone)
		return fail(p, "'%.40s' before the first \"Node N, zone NAME\" line", s);
	if (!strcmp(s, "per-node stats") || !strcmp(s, "pagesets"))
		return 0;
	r = word_value(p, s, "pages free", &v);
	if (r <= 0)
		return r ? r : set_field(p, KB_ZI_FREE, v);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		r = word_value(p, s, field_names[words[i]], &v);
		if (r <= 0)
			return r ? r : set_field(p, words[i], v);
	}
	if (!strncmp(s, "protection:", 11))
		return protection(p, s);
	r = colon_field(p, s);
	if (r <= 0)
		return r;
	r = is_statistic(p, s);
	if (r)
		return r < 0 ? -1 : 0;
	return fail(p, "not a zoneinfo line: '%.60s'", s);
}

int kb_zoneinfo_parse(const char *text, size_t len, struct kb_zoneinfo *zi,
		      char *err, size_t errlen)
{
	struct parser p = { .zi = zi, .err = err, .errlen = errlen };
	char line[512];
	size_t i = 0;

	zi->nr_zones = 0;
	if (errlen)
		err[0] = 0;
	while (i < len) {
		size_t n = 0;

		p.line++;
		while (i < len && text[i] != '\n') {
			if (!text[i]) {
				fail(&p, "NUL byte");
				return -1;
			}
			if (n + 1 >= sizeof(line)) {
				fail(&p, "line longer than %zu characters", sizeof(line) - 1);
				return -1;
			}
			line[n++] = text[i++];
		}
		i++;
		if (n && line[n - 1] == '\r')
			n--;
		line[n] = 0;
		p.text = line;
		if (parse_line(&p, line))
			return -1;
	}
	if (!zi->nr_zones) {
		p.line = 0;
		snprintf(err, errlen, "no \"Node N, zone NAME\" line: not a zoneinfo");
		return -1;
	}
	return 0;
}

const struct kb_zi_zone *kb_zoneinfo_find(const struct kb_zoneinfo *zi, int node,
					  const char *name)
{
	int i;

	for (i = 0; i < zi->nr_zones; i++)
		if (zi->zone[i].node == node && !strcasecmp(zi->zone[i].name, name))
			return &zi->zone[i];
	return NULL;
}

const struct kb_zi_pcp *kb_zi_zone_pcp(const struct kb_zi_zone *z, int cpu)
{
	int i;

	for (i = 0; i < z->nr_pcp; i++)
		if (z->pcp[i].cpu == cpu)
			return &z->pcp[i];
	return NULL;
}
