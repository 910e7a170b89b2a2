// SPDX-License-Identifier: GPL-2.0
/*
 * Reading ftrace text (import/trace.h). A line of the trace is
 *   TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: ARGS
 * (the flags column is absent on older kernels, task names may hold
 * spaces and dashes); header lines start with '#', and a CPU whose
 * buffer overflowed shows "CPU:N [LOST M EVENTS]". ARGS are the
 * tracepoint's print format: key=value pairs.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "trace.h"

static const char *const event_names[KB_TR_NR_EVENTS] = {
	[KB_TR_ALLOC] = "mm_page_alloc",
	[KB_TR_FREE] = "mm_page_free",
	[KB_TR_FREE_BATCHED] = "mm_page_free_batched",
	[KB_TR_PCPU_DRAIN] = "mm_page_pcpu_drain",
	[KB_TR_ZONE_LOCKED] = "mm_page_alloc_zone_locked",
	[KB_TR_EXTFRAG] = "mm_page_alloc_extfrag",
	[KB_TR_MARK] = "tracing_mark_write",
};

const char *kb_tr_event_name(enum kb_tr_event e)
{
	return (unsigned int)e < KB_TR_NR_EVENTS ? event_names[e] : "?";
}

/* ---------------------------------------------- the format file's flag table */

struct expr {
	const char *s, *end;
	int bad;
};

static void skip_space(struct expr *x)
{
	while (x->s < x->end && isspace((unsigned char)*x->s))
		x->s++;
}

/* "( gfp_t)", "( unsigned long)", "(__force gfp_t)": a cast, skipped. */
static int skip_cast(struct expr *x)
{
	const char *p = x->s + 1;

	while (p < x->end && (isalpha((unsigned char)*p) || *p == '_' || *p == ' '))
		p++;
	if (p < x->end && *p == ')' && p > x->s + 1) {
		const char *q;

		for (q = x->s + 1; q < p; q++)
			if (isalpha((unsigned char)*q))
				break;
		if (q == p)
			return 0;
		x->s = p + 1;
		return 1;
	}
	return 0;
}

static unsigned long expr_or(struct expr *x);

static unsigned long expr_unary(struct expr *x)
{
	unsigned long v = 0;
	char *end;

	skip_space(x);
	if (x->s >= x->end) {
		x->bad = 1;
		return 0;
	}
	if (*x->s == '~') {
		x->s++;
		return ~expr_unary(x);
	}
	if (*x->s == '(') {
		if (skip_cast(x))
			return expr_unary(x);
		x->s++;
		v = expr_or(x);
		skip_space(x);
		if (x->s < x->end && *x->s == ')')
			x->s++;
		else
			x->bad = 1;
		return v;
	}
	if (isdigit((unsigned char)*x->s)) {
		v = strtoul(x->s, &end, 0);
		x->s = end;
		while (x->s < x->end && (*x->s == 'u' || *x->s == 'U' || *x->s == 'l' || *x->s == 'L'))
			x->s++;
		return v;
	}
	x->bad = 1;
	return 0;
}

static unsigned long expr_shift(struct expr *x)
{
	unsigned long v = expr_unary(x);

	for (;;) {
		skip_space(x);
		if (x->s + 1 < x->end && x->s[0] == '<' && x->s[1] == '<') {
			unsigned long n;

			x->s += 2;
			n = expr_unary(x);
			v = n < 64 ? v << n : 0;
		} else {
			return v;
		}
	}
}

static unsigned long expr_and(struct expr *x)
{
	unsigned long v = expr_shift(x);

	for (;;) {
		skip_space(x);
		if (x->s < x->end && *x->s == '&') {
			x->s++;
			v &= expr_shift(x);
		} else {
			return v;
		}
	}
}

static unsigned long expr_or(struct expr *x)
{
	unsigned long v = expr_and(x);

	for (;;) {
		skip_space(x);
		if (x->s < x->end && *x->s == '|') {
			x->s++;
			v |= expr_and(x);
		} else {
			return v;
		}
	}
}

int kb_gfp_map_parse(const char *format, size_t len, struct kb_gfp_map *map,
		     char *err, size_t errlen)
{
	const char *end = format + len, *p;
	static const char key[] = "__print_flags(REC->gfp_flags, \"|\",";

	map->nr = 0;
	p = memmem(format, len, key, sizeof(key) - 1);
	if (!p) {
		snprintf(err, errlen, "no __print_flags(REC->gfp_flags, ...) table in the format");
		return -1;
	}
	p += sizeof(key) - 1;
	for (;;) {
		struct expr x;
		const char *name, *q;
		unsigned long v;

		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p != '{')
			break;
		x.s = p + 1;
		x.end = end;
		x.bad = 0;
		v = expr_or(&x);
		skip_space(&x);
		if (x.bad || x.s >= end || *x.s != ',') {
			snprintf(err, errlen, "a flag of the table is not a constant expression (entry %d)",
				 map->nr + 1);
			return -1;
		}
		name = x.s + 1;
		while (name < end && *name == ' ')
			name++;
		if (name >= end || *name != '"' || !(q = memchr(name + 1, '"', end - name - 1))) {
			snprintf(err, errlen, "entry %d of the flag table has no name", map->nr + 1);
			return -1;
		}
		if (map->nr == KB_GFP_MAP_MAX) {
			snprintf(err, errlen, "more than %d flags in the table", KB_GFP_MAP_MAX);
			return -1;
		}
		snprintf(map->e[map->nr].name, sizeof(map->e[0].name), "%.*s", (int)(q - name - 1),
			 name + 1);
		map->e[map->nr++].value = v;
		p = memchr(q, '}', end - q);
		if (!p)
			break;
		p++;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p < end && *p == ',')
			p++;
	}
	if (!map->nr) {
		snprintf(err, errlen, "an empty flag table");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- the trace */

static void note_name(char *list, size_t size, const char *name, size_t n)
{
	size_t len = strlen(list);

	if (n > 40)
		n = 40;
	/* each name once */
	{
		const char *p = list;

		while ((p = strstr(p, name)) && !(p == list || p[-1] == ' '))
			p++;
		if (p && strlen(p) >= n && (p[n] == ' ' || !p[n]) && !strncmp(p, name, n))
			return;
	}
	if (len + n + 2 < size)
		snprintf(list + len, size - len, "%s%.*s", len ? " " : "", (int)n, name);
}

/* A kernel flag's kbuddy bits by name: 0 when kbuddy has no such flag. */
static gfp_t kb_bits_of(const char *name)
{
	gfp_t g;

	if (strncmp(name, "__GFP_", 6) || kb_gfp_parse(name, &g))
		return 0;
	return g;
}

/* The kernel's GFP string as kbuddy's flags. */
static gfp_t read_gfp(struct kb_trace *t, const struct kb_gfp_map *map, const char *s, size_t n)
{
	unsigned long kernel = 0;
	gfp_t out = 0;
	size_t i = 0;
	int b, k;

	if (n == 4 && !strncmp(s, "none", 4))
		return 0;
	while (i < n) {
		size_t j = i;
		char tok[64];

		while (j < n && s[j] != '|')
			j++;
		snprintf(tok, sizeof(tok), "%.*s", (int)(j - i), s + i);
		i = j + 1;
		if (tok[0] == '0' && tok[1] == 'x') {
			kernel |= strtoul(tok, NULL, 16);
			continue;
		}
		if (!map) {
			gfp_t g;

			if (!kb_gfp_parse(tok, &g)) {
				out |= g;
			} else {
				t->gfp_dropped++;
				note_name(t->gfp_dropped_names, sizeof(t->gfp_dropped_names), tok,
					  strlen(tok));
			}
			continue;
		}
		for (k = 0; k < map->nr; k++)
			if (!strcmp(map->e[k].name, tok))
				break;
		if (k == map->nr) {
			t->gfp_dropped++;
			note_name(t->gfp_dropped_names, sizeof(t->gfp_dropped_names), tok, strlen(tok));
			continue;
		}
		kernel |= map->e[k].value;
	}
	if (!map)
		return out;
	/* each kernel bit through the single flag of that bit, by name */
	for (b = 0; b < 64; b++) {
		gfp_t g = 0;

		if (!(kernel & (1UL << b)))
			continue;
		for (k = 0; k < map->nr; k++)
			if (map->e[k].value == (1UL << b) && (g = kb_bits_of(map->e[k].name)))
				break;
		if (g) {
			out |= g;
		} else {
			t->gfp_dropped++;
			for (k = 0; k < map->nr; k++)
				if (map->e[k].value == (1UL << b))
					break;
			if (k < map->nr)
				note_name(t->gfp_dropped_names, sizeof(t->gfp_dropped_names),
					  map->e[k].name, strlen(map->e[k].name));
			else
				note_name(t->gfp_dropped_names, sizeof(t->gfp_dropped_names), "0x?", 3);
		}
	}
	return out;
}

/* The value of "key=" in args (n bytes), or NULL. */
static const char *arg(const char *args, const char *key, size_t *vlen)
{
	size_t k = strlen(key);
	const char *p = args;

	while ((p = strstr(p, key))) {
		if ((p == args || p[-1] == ' ') && p[k] == '=') {
			const char *v = p + k + 1;

			*vlen = strcspn(v, " ");
			return v;
		}
		p += k;
	}
	return NULL;
}

/*
 * The tracepoints print their numbers with %d (decimal, a migratetype may
 * be -1) and pfns with 0x%lx: read strictly (import/number.h), a number
 * that is not whole is a malformed line, never a different value.
 */
static int arg_num(const char *args, const char *key, long *out)
{
	static const struct kb_num_rule rule = { .negative = true, .min = INT_MIN, .max = INT_MAX };
	size_t n;
	const char *v = arg(args, key, &n), *why;

	return v && n && kb_num_read(v, &rule, out, &why) == n ? 0 : -1;
}

static int arg_ulong(const char *args, const char *key, unsigned long *out)
{
	static const struct kb_num_rule rule = { .hex = true, .max = LONG_MAX };
	size_t n;
	const char *v = arg(args, key, &n), *why;
	long x;

	if (!v || !n || kb_num_read(v, &rule, &x, &why) != n)
		return -1;
	*out = (unsigned long)x;
	return 0;
}

static void malformed(struct kb_trace *t, unsigned int line, const char *text)
{
	if (!t->malformed++) {
		t->first_malformed_line = line;
		snprintf(t->first_malformed, sizeof(t->first_malformed), "%.*s",
			 (int)sizeof(t->first_malformed) - 1, text);
	}
}

static int push(struct kb_trace *t, const struct kb_tr_record *r)
{
	if (t->nr == t->alloc) {
		size_t n = t->alloc ? t->alloc * 2 : 4096;
		struct kb_tr_record *nr = realloc(t->rec, n * sizeof(*nr));

		if (!nr)
			return -1;
		t->rec = nr;
		t->alloc = n;
	}
	t->rec[t->nr++] = *r;
	return 0;
}

static int parse_args(struct kb_trace *t, const struct kb_gfp_map *map, struct kb_tr_record *rp,
		      int e, char *args, unsigned int lineno);

/* One event line; 1 when it is not one (counted), -1 out of memory. */
static int parse_event(struct kb_trace *t, const struct kb_gfp_map *map, char *line,
		       unsigned int lineno)
{
	static const struct kb_num_rule cpu_rule = { .max = 65535, .ends = "]" };
	struct kb_tr_record r;
	char *cpu, *colon, *ev, *args;
	const char *why;
	long c;
	int e;

	/* [CPU]: the first "[digits]" */
	for (cpu = strchr(line, '['); cpu; cpu = strchr(cpu + 1, '[')) {
		char *q = cpu + 1;

		while (isdigit((unsigned char)*q))
			q++;
		if (q > cpu + 1 && *q == ']')
			break;
	}
	if (!cpu) {
		malformed(t, lineno, line);
		return 1;
	}
	memset(&r, 0, sizeof(r));
	if (!kb_num_read(cpu + 1, &cpu_rule, &c, &why)) {
		malformed(t, lineno, line);
		return 1;
	}
	r.cpu = (unsigned short)c;
	r.line = lineno;
	r.phase = t->nr_phases ? t->nr_phases - 1 : 0;
	/* the timestamp ends with ": ", then "event: args" */
	colon = strstr(cpu, ": ");
	if (!colon) {
		malformed(t, lineno, line);
		return 1;
	}
	ev = colon + 2;
	args = strstr(ev, ": ");
	if (!args) {
		malformed(t, lineno, line);
		return 1;
	}
	*args = 0;
	args += 2;
	for (e = 0; e < KB_TR_NR_EVENTS; e++)
		if (!strcmp(ev, event_names[e]))
			break;
	if (e == KB_TR_NR_EVENTS) {
		t->unknown++;
		note_name(t->unknown_names, sizeof(t->unknown_names), ev, strlen(ev));
		return 1;
	}
	return parse_args(t, map, &r, e, args, lineno);
}

/* The event's fields from its key=value text; as parse_event returns. */
static int parse_args(struct kb_trace *t, const struct kb_gfp_map *map, struct kb_tr_record *rp,
		      int e, char *args, unsigned int lineno)
{
	struct kb_tr_record r = *rp;
	long order = 0, mt = -1, v;
	unsigned long pfn = 0;
	size_t n;

	r.event = (unsigned char)e;
	if (e == KB_TR_MARK) {
		if (strncmp(args, "PHASE ", 6))
			return 1;
		if (t->nr_phases < KB_TR_MAX_PHASES) {
			n = strcspn(args + 6, "\r\n");
			snprintf(t->phase[t->nr_phases++], sizeof(t->phase[0]), "%.*s", (int)n,
				 args + 6);
		}
		r.phase = t->nr_phases - 1;
		t->count[e]++;
		return push(t, &r) ? -1 : 0;
	}
	if (arg_ulong(args, "pfn", &pfn)) {
		malformed(t, lineno, args);
		return 1;
	}
	switch (e) {
	case KB_TR_ALLOC:
	case KB_TR_PCPU_DRAIN:
	case KB_TR_ZONE_LOCKED:
		if (arg_num(args, "order", &order) || arg_num(args, "migratetype", &mt)) {
			malformed(t, lineno, args);
			return 1;
		}
		if (e == KB_TR_ALLOC) {
			const char *g = arg(args, "gfp_flags", &n);

			if (!g) {
				malformed(t, lineno, args);
				return 1;
			}
			r.gfp = read_gfp(t, map, g, n);
		}
		if (e == KB_TR_ZONE_LOCKED && !arg_num(args, "percpu_refill", &v))
			r.flag = v != 0;
		break;
	case KB_TR_FREE:
		if (arg_num(args, "order", &order)) {
			malformed(t, lineno, args);
			return 1;
		}
		break;
	case KB_TR_FREE_BATCHED:
		break;
	case KB_TR_EXTFRAG:
		if (arg_num(args, "alloc_order", &order) || arg_num(args, "alloc_migratetype", &mt) ||
		    arg_num(args, "fallback_order", &v)) {
			malformed(t, lineno, args);
			return 1;
		}
		r.fallback_order = (unsigned char)(v < 0 || v > 63 ? 0 : v);
		if (!arg_num(args, "fallback_migratetype", &v))
			r.fallback_mt = (signed char)v;
		if (!arg_num(args, "change_ownership", &v))
			r.flag = v != 0;
		break;
	}
	if (order < 0 || order > 63 || mt < -1 || mt > 127) {
		malformed(t, lineno, args);
		return 1;
	}
	r.order = (unsigned char)order;
	r.migratetype = (signed char)mt;
	r.pfn = pfn;
	if (pfn + (1UL << order) > t->max_pfn)
		t->max_pfn = pfn + (1UL << order);
	if (r.cpu > t->max_cpu)
		t->max_cpu = r.cpu;
	t->count[e]++;
	return push(t, &r) ? -1 : 0;
}

/*
 * A line of the operation sequence `kbuddy trace import` writes: the
 * event's short name, then its fields as in the trace, with cpu=.
 */
static const char *const ops_words[KB_TR_NR_EVENTS] = {
	[KB_TR_ALLOC] = "alloc",
	[KB_TR_FREE] = "free",
	[KB_TR_FREE_BATCHED] = "free_batched",
	[KB_TR_PCPU_DRAIN] = "pcpu_drain",
	[KB_TR_ZONE_LOCKED] = "zone_locked",
	[KB_TR_EXTFRAG] = "extfrag",
	[KB_TR_MARK] = "phase",
};

static int parse_ops_line(struct kb_trace *t, char *line, unsigned int lineno)
{
	struct kb_tr_record r;
	size_t w = strcspn(line, " ");
	char *args = line[w] ? line + w + 1 : line + w;
	long cpu = 0;
	int e;

	for (e = 0; e < KB_TR_NR_EVENTS; e++)
		if (strlen(ops_words[e]) == w && !strncmp(line, ops_words[e], w))
			break;
	if (e == KB_TR_NR_EVENTS) {
		malformed(t, lineno, line);
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.line = lineno;
	r.phase = t->nr_phases ? t->nr_phases - 1 : 0;
	if (e == KB_TR_MARK) {
		char mark[64];

		snprintf(mark, sizeof(mark), "PHASE %s", args);
		return parse_args(t, NULL, &r, e, mark, lineno);
	}
	if (arg_num(args, "cpu", &cpu) || cpu < 0 || cpu > 65535) {
		malformed(t, lineno, line);
		return 1;
	}
	r.cpu = (unsigned short)cpu;
	return parse_args(t, NULL, &r, e, args, lineno);
}

const char *kb_tr_ops_word(enum kb_tr_event e)
{
	return (unsigned int)e < KB_TR_NR_EVENTS ? ops_words[e] : "?";
}

int kb_trace_parse(const char *text, size_t len, const struct kb_gfp_map *map,
		   struct kb_trace *t, char *err, size_t errlen)
{
	unsigned int lineno = 0;
	size_t i = 0;
	char line[1024];

	bool ops = len >= sizeof(KB_TRACE_OPS_HEADER) - 1 &&
		   !memcmp(text, KB_TRACE_OPS_HEADER, sizeof(KB_TRACE_OPS_HEADER) - 1);

	memset(t, 0, sizeof(*t));
	while (i < len) {
		size_t n = 0;
		unsigned long a, b;
		const char *lost;

		lineno++;
		while (i < len && text[i] != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = text[i] ? text[i] : ' ';
			i++;
		}
		i++;
		if (n && line[n - 1] == '\r')
			n--;
		line[n] = 0;
		if (!n)
			continue;
		if (line[0] == '#') {
			const char *p = strstr(line, "entries-in-buffer/entries-written:");

			if (p && sscanf(p + 34, "%lu/%lu", &a, &b) == 2)
				t->entries_in_buffer = a, t->entries_written = b;
			continue;
		}
		lost = strstr(line, "[LOST ");
		if (lost && sscanf(lost, "[LOST %lu EVENTS]", &a) == 1) {
			t->lost += a;
			t->lost_markers++;
			continue;
		}
		if (strstr(line, "##### CPU ") && strstr(line, "buffer started"))
			continue;
		if ((ops ? parse_ops_line(t, line, lineno) : parse_event(t, map, line, lineno)) < 0) {
			snprintf(err, errlen, "out of memory at line %u", lineno);
			kb_trace_free(t);
			return -1;
		}
	}
	if (!t->nr) {
		snprintf(err, errlen, "no page allocator event in %u lines: not an ftrace text of the kmem events%s%s",
			 lineno, t->unknown ? " (events seen: " : "", t->unknown ? t->unknown_names : "");
		if (t->unknown && strlen(err) + 2 < errlen)
			strcat(err, ")");
		kb_trace_free(t);
		return -1;
	}
	return 0;
}

void kb_trace_free(struct kb_trace *t)
{
	free(t->rec);
	t->rec = NULL;
	t->nr = t->alloc = 0;
}
