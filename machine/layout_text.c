/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text form of a machine layout: one directive a line, "#" comments,
 * "# kbuddy layout vN" declaring the format version
 * (docs/layout-format.md).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kbuddy.h"
#include "layout_io.h"
#include "textio.h"

/* v2 adds late_free, thp, sysctl, sysctl_read and profile; v1 text still reads */
#define KB_LAYOUT_FORMAT_VERSION	2
#define KB_LAYOUT_OLDEST_VERSION	1
#define MAX_TOKENS	8

/* Decimal or 0x hex, no sign, no junk: 0, -1 on anything else, -2 on overflow. */
static int parse_ulong(const char *s, unsigned long *out)
{
	return kb_text_parse_number(s, ULONG_MAX, out);
}

static int zone_by_name(const char *s)
{
	unsigned int z;

	for (z = 0; z < KB_NR_LAYOUT_ZONES; z++)
		if (!strcasecmp(s, kb_zone_name(z)))
			return (int)z;
	return -1;
}

/* State of one parse. */
struct layout_parser {
	struct kb_layout l;
	struct kb_layout_lines ln;
	unsigned int lineno;
	const struct kb_text_line *line;	/* the line being parsed */
	char *err;
	size_t errlen;
	/* kernelcore (0) and movablecore (1), placed once the zones are read */
	struct kb_core_size core[2];
	unsigned int core_line[2];
};

static int pfail(const struct layout_parser *p, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Writes "line N: reason" ("line N, column C: reason" when at points into
 * the line) into the parser's err, input escaped (kb_text_escape); -1.
 */
static int pfail(const struct layout_parser *p, const char *at, const char *fmt, ...)
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

#define PFAIL(p, ...)		pfail((p), NULL, __VA_ARGS__)
#define PFAIL_AT(p, at, ...)	pfail((p), (at), __VA_ARGS__)

static int num_arg(struct layout_parser *p, const char *what, const char *tok,
		   unsigned long max, unsigned long *out)
{
	int r = parse_ulong(tok, out);

	if (r == -1)
		return PFAIL_AT(p, tok, "bad number '%s' for %s (decimal or 0x hex digits)",
				tok, what);
	if (r || *out > max)
		return PFAIL_AT(p, tok, "%s %s is above %lu", what, tok, max);
	return 0;
}

static int node_arg(struct layout_parser *p, const char *tok, unsigned int *nid)
{
	unsigned long v;

	if (num_arg(p, "node", tok, ULONG_MAX, &v))
		return -1;
	if (v >= p->l.nr_nodes)
		return PFAIL(p, "node %s is not declared (declare it with \"node %s cpus N\" first)",
			     tok, tok);
	*nid = (unsigned int)v;
	return 0;
}

static int range_args(struct layout_parser *p, const char *kind, char **tok,
		      struct kb_range *r)
{
	if (num_arg(p, "start", tok[0], ULONG_MAX, &r->start) ||
	    num_arg(p, "end", tok[1], ULONG_MAX, &r->end))
		return -1;
	if (r->start >= r->end)
		return PFAIL(p, "%s range [%s, %s) is empty; ranges are [start, end)",
			     kind, tok[0], tok[1]);
	return 0;
}

static int add_range(struct layout_parser *p, const char *kind, char **tok,
		     int ntok, struct kb_range *arr, unsigned int *nr,
		     unsigned int *lines)
{
	if (ntok != 3)
		return PFAIL(p, "usage: %s START END", kind);
	if (*nr >= KB_MAX_RANGES)
		return PFAIL(p, "too many %s ranges (at most %d)", kind, KB_MAX_RANGES);
	if (range_args(p, kind, tok + 1, &arr[*nr]))
		return -1;
	lines[*nr] = p->lineno;
	(*nr)++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* v2: what happens after memblock hands the memory over                */

static const char *const late_kind_names[KB_NR_LATE_KINDS] = {
	[KB_LATE_INITRD]	= "initrd",
	[KB_LATE_INITMEM]	= "initmem",
};

static const char *const thp_names[KB_NR_THP_MODES] = {
	[KB_THP_AUTO]	= "auto",
	[KB_THP_ON]	= "on",
	[KB_THP_OFF]	= "off",
};

static int name_index(const char *s, const char *const *names, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

static int sysctl_by_name(const char *s)
{
	unsigned int i;

	for (i = 0; i < KB_NR_SYSCTLS; i++)
		if (!strcmp(s, kb_sysctl_name((enum kb_sysctl)i)))
			return (int)i;
	return -1;
}

/*
 * "sysctl NAME=VALUE", "sysctl lowmem_reserve_ratio[ZONE]=VALUE" (as in
 * the operation text form) or "sysctl_read NAME".
 */
static int boot_sysctl(struct layout_parser *p, char **tok, int ntok, bool read)
{
	struct kb_boot_sysctl *b;
	char name[64], *eq, *br;
	unsigned long v;
	int which, z = 0;

	if (ntok != 2)
		return PFAIL(p, read ? "usage: sysctl_read NAME"
				     : "usage: sysctl NAME=VALUE or sysctl lowmem_reserve_ratio[ZONE]=VALUE");
	if (p->l.nr_boot_sysctls >= KB_MAX_BOOT_SYSCTLS)
		return PFAIL(p, "too many sysctl lines (at most %d)", KB_MAX_BOOT_SYSCTLS);
	snprintf(name, sizeof(name), "%s", tok[1]);
	eq = strchr(name, '=');
	if (read == (eq != NULL))
		return PFAIL(p, read ? "usage: sysctl_read NAME (no value: it is a read)"
				     : "usage: sysctl NAME=VALUE or sysctl lowmem_reserve_ratio[ZONE]=VALUE");
	if (eq)
		*eq = '\0';
	br = strchr(name, '[');
	if (br)
		*br = '\0';
	which = sysctl_by_name(name);
	if (which < 0)
		return PFAIL_AT(p, tok[1], "unknown sysctl '%s' (min_free_kbytes, watermark_scale_factor, watermark_boost_factor, lowmem_reserve_ratio, percpu_pagelist_high_fraction)",
			     name);
	if (!read && which == KB_SYSCTL_LOWMEM_RESERVE_RATIO) {
		size_t n = br ? strlen(br + 1) : 0;

		if (!n || br[n] != ']')
			return PFAIL(p, "lowmem_reserve_ratio needs a zone, e.g. lowmem_reserve_ratio[DMA32]=256");
		br[n] = '\0';
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (!strcasecmp(br + 1, kb_zone_name((enum zone_type)z)))
				break;
		if (z == MAX_NR_ZONES)
			return PFAIL(p, "unknown zone '%s' (DMA, DMA32, Normal, Movable, Device)",
				     br + 1);
	} else if (br) {
		return PFAIL(p, "%s takes no zone", name);
	}
	/* The value as it stands in the line, so its column is right. */
	if (!read && num_arg(p, name, tok[1] + (eq + 1 - name), INT_MAX, &v))
		return -1;
	b = &p->l.boot_sysctl[p->l.nr_boot_sysctls];
	*b = (struct kb_boot_sysctl){ .sysctl = (unsigned char)which, .index = (unsigned char)z,
				      .read = read, .value = read ? 0 : (long)v };
	p->ln.boot_sysctl[p->l.nr_boot_sysctls++] = p->lineno;
	return 0;
}

static int boot_directive(struct layout_parser *p, char **tok, int ntok)
{
	struct kb_layout *l = &p->l;
	int k;

	if (!strcmp(tok[0], "late_free")) {
		unsigned int n = l->nr_late_free;

		if (ntok != 4)
			return PFAIL(p, "usage: late_free START END initrd|initmem");
		k = name_index(tok[3], late_kind_names, KB_NR_LATE_KINDS);
		if (k < 0)
			return PFAIL_AT(p, tok[3], "unknown late_free kind '%s' (initrd or initmem)",
					tok[3]);
		if (add_range(p, "late_free", tok, 3, l->late_free, &l->nr_late_free,
			      p->ln.late_free))
			return -1;
		l->late_free_kind[n] = (unsigned char)k;
		return 0;
	}
	if (!strcmp(tok[0], "thp")) {
		if (ntok != 2)
			return PFAIL(p, "usage: thp auto|on|off");
		if (p->ln.thp)
			return PFAIL(p, "thp given twice (first on line %u)", p->ln.thp);
		k = name_index(tok[1], thp_names, KB_NR_THP_MODES);
		if (k < 0)
			return PFAIL_AT(p, tok[1], "unknown thp mode '%s' (auto, on or off)", tok[1]);
		l->thp = (enum kb_thp_mode)k;
		p->ln.thp = p->lineno;
		return 0;
	}
	if (!strcmp(tok[0], "sysctl") || !strcmp(tok[0], "sysctl_read"))
		return boot_sysctl(p, tok, ntok, tok[0][6] == '_');
	if (!strcmp(tok[0], "kernelcore") || !strcmp(tok[0], "movablecore")) {
		char why[160];

		k = tok[0][0] == 'm';
		if (ntok != 2)
			return PFAIL(p, "usage: %s SIZE[KMGTPE]|N%%", tok[0]);
		if (p->core_line[k])
			return PFAIL(p, "%s given twice (first on line %u)", tok[0], p->core_line[k]);
		if (kb_core_size_parse(tok[1], &p->core[k], why, sizeof(why)))
			return PFAIL_AT(p, tok[1], "%s: %s", tok[0], why);
		p->core_line[k] = p->lineno;
		return 0;
	}
	if (!strcmp(tok[0], "profile")) {
		if (ntok != 2)
			return PFAIL(p, "usage: profile 6.1|6.6|6.12|mainline");
		if (p->ln.profile)
			return PFAIL(p, "profile given twice (first on line %u)", p->ln.profile);
		if (strlen(tok[1]) >= sizeof(l->profile))
			return PFAIL(p, "profile name '%s' is too long", tok[1]);
		snprintf(l->profile, sizeof(l->profile), "%s", tok[1]);
		p->ln.profile = p->lineno;
		return 0;
	}
	return PFAIL_AT(p, tok[0], "unknown directive '%s'", tok[0]);
}

static void format_boot(const struct kb_layout *l, struct kb_textbuf *o)
{
	unsigned int i;

	for (i = 0; i < l->nr_late_free && i < KB_MAX_RANGES; i++)
		kb_textbuf_put(o, "late_free %#lx %#lx %s\n", l->late_free[i].start,
			       l->late_free[i].end,
			       l->late_free_kind[i] < KB_NR_LATE_KINDS ?
			       late_kind_names[l->late_free_kind[i]] : "?");
	if (l->thp != KB_THP_AUTO && (unsigned int)l->thp < KB_NR_THP_MODES)
		kb_textbuf_put(o, "thp %s\n", thp_names[l->thp]);
	for (i = 0; i < l->nr_boot_sysctls && i < KB_MAX_BOOT_SYSCTLS; i++) {
		const struct kb_boot_sysctl *b = &l->boot_sysctl[i];
		const char *name = kb_sysctl_name((enum kb_sysctl)b->sysctl);

		if (b->read)
			kb_textbuf_put(o, "sysctl_read %s\n", name);
		else if (b->sysctl == KB_SYSCTL_LOWMEM_RESERVE_RATIO)
			kb_textbuf_put(o, "sysctl %s[%s]=%ld\n", name,
				       kb_zone_name((enum zone_type)b->index), b->value);
		else
			kb_textbuf_put(o, "sysctl %s=%ld\n", name, b->value);
	}
	if (l->profile[0])
		kb_textbuf_put(o, "profile %.*s\n", (int)sizeof(l->profile), l->profile);
}

static int directive(struct layout_parser *p, char **tok, int ntok)
{
	struct kb_layout *l = &p->l;
	unsigned long v;
	unsigned int nid, nid2;
	int z;

	if (!strcmp(tok[0], "max_page_order") || !strcmp(tok[0], "pageblock_order")) {
		bool max = tok[0][0] == 'm';
		unsigned int *line = max ? &p->ln.max_order : &p->ln.pb_order;

		if (ntok != 2)
			return PFAIL(p, "usage: %s N", tok[0]);
		if (*line)
			return PFAIL(p, "%s given twice (first on line %u)",
				     tok[0], *line);
		if (num_arg(p, tok[0], tok[1], UINT_MAX, &v))
			return -1;
		*(max ? &l->max_page_order : &l->pageblock_order) = (unsigned int)v;
		*line = p->lineno;
		return 0;
	}
	if (!strcmp(tok[0], "node")) {
		if (ntok != 2 && !(ntok == 4 && !strcmp(tok[2], "cpus")))
			return PFAIL(p, "usage: node ID [cpus N]");
		if (num_arg(p, "node", tok[1], ULONG_MAX, &v))
			return -1;
		if (v != l->nr_nodes)
			return PFAIL(p, "node %s declared out of order; expected node %u",
				     tok[1], l->nr_nodes);
		if (l->nr_nodes >= KB_MAX_NODES)
			return PFAIL(p, "too many nodes (at most %d)", KB_MAX_NODES);
		if (ntok == 4) {
			if (num_arg(p, "cpus", tok[3], KB_MAX_CPUS, &v))
				return -1;
			l->node[l->nr_nodes].nr_cpus = (unsigned int)v;
		}
		p->ln.node[l->nr_nodes] = p->lineno;
		l->nr_nodes++;
		return 0;
	}
	if (!strcmp(tok[0], "zone")) {
		struct kb_range r;

		if (ntok != 5)
			return PFAIL(p, "usage: zone NODE DMA|DMA32|Normal|Movable START END");
		if (node_arg(p, tok[1], &nid))
			return -1;
		z = zone_by_name(tok[2]);
		if (z < 0)
			return PFAIL_AT(p, tok[2], "unknown zone '%s' (DMA, DMA32, Normal, Movable)",
					tok[2]);
		if (p->ln.zone[nid][z])
			return PFAIL(p, "zone %u %s given twice (first on line %u)",
				     nid, kb_zone_name(z), p->ln.zone[nid][z]);
		if (range_args(p, "zone", tok + 3, &r))
			return -1;
		l->node[nid].zone[z] = r;
		p->ln.zone[nid][z] = p->lineno;
		return 0;
	}
	if (!strcmp(tok[0], "distance")) {
		if (ntok != 4)
			return PFAIL(p, "usage: distance NODE NODE D");
		if (node_arg(p, tok[1], &nid) || node_arg(p, tok[2], &nid2))
			return -1;
		if (nid == nid2)
			return PFAIL(p, "a node's distance to itself is always %d",
				     KB_LOCAL_DISTANCE);
		if (p->ln.distance[nid][nid2])
			return PFAIL(p, "distance %u %u given twice (first on line %u)",
				     nid, nid2, p->ln.distance[nid][nid2]);
		if (num_arg(p, "distance", tok[3], UCHAR_MAX, &v))
			return -1;
		l->node[nid].distance[nid2] = (unsigned char)v;
		l->node[nid2].distance[nid] = (unsigned char)v;
		p->ln.distance[nid][nid2] = p->lineno;
		p->ln.distance[nid2][nid] = p->lineno;
		return 0;
	}
	if (!strcmp(tok[0], "hole"))
		return add_range(p, "hole", tok, ntok, l->hole, &l->nr_holes,
				 p->ln.hole);
	if (!strcmp(tok[0], "reserved"))
		return add_range(p, "reserved", tok, ntok, l->reserved,
				 &l->nr_reserved, p->ln.reserved);
	if (!strcmp(tok[0], "cma"))
		return add_range(p, "cma", tok, ntok, l->cma, &l->nr_cma,
				 p->ln.cma);
	if (!strcmp(tok[0], "min_free_kbytes")) {
		if (ntok != 2)
			return PFAIL(p, "usage: min_free_kbytes N");
		if (p->ln.min_free)
			return PFAIL(p, "min_free_kbytes given twice (first on line %u)",
				     p->ln.min_free);
		if (num_arg(p, "min_free_kbytes", tok[1], INT_MAX, &v))
			return -1;
		l->min_free_kbytes = (long)v;
		p->ln.min_free = p->lineno;
		return 0;
	}
	if (!strcmp(tok[0], "boot")) {
		if (ntok != 2)
			return PFAIL(p, "usage: boot memblock|bootmem");
		if (p->ln.boot)
			return PFAIL(p, "boot given twice (first on line %u)",
				     p->ln.boot);
		if (!strcmp(tok[1], "memblock"))
			l->boot_path = KB_BOOT_MEMBLOCK;
		else if (!strcmp(tok[1], "bootmem"))
			l->boot_path = KB_BOOT_BOOTMEM;
		else
			return PFAIL_AT(p, tok[1], "unknown boot path '%s' (memblock or bootmem)",
					tok[1]);
		p->ln.boot = p->lineno;
		return 0;
	}
	return boot_directive(p, tok, ntok);
}

/*
 * "# kbuddy layout vN" declares the format version; any other comment is
 * ignored. Returns -1 for a version this parser does not read.
 */
static int header_comment(struct layout_parser *p, const char *c)
{
	unsigned long v;
	char num[16];

	if (!kb_text_version_header(c, "kbuddy layout v", num, sizeof(num)))
		return 0;
	if (!num[0] || parse_ulong(num, &v) || v < KB_LAYOUT_OLDEST_VERSION ||
	    v > KB_LAYOUT_FORMAT_VERSION)
		return PFAIL(p, "unsupported layout format version '%s' (this build reads v%d to v%d)",
			     num[0] ? num : "?", KB_LAYOUT_OLDEST_VERSION,
			     KB_LAYOUT_FORMAT_VERSION);
	return 0;
}

int kb_layout_parse_text(const char *text, size_t len, struct kb_layout *out,
			 char *err, size_t errlen)
{
	struct kb_text_line line;
	struct layout_parser p;
	size_t pos = 0;

	memset(&p, 0, sizeof(p));
	kb_layout_init(&p.l);
	p.err = err;
	p.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	if (!text)
		len = 0;

	for (;;) {
		const char *reason;
		int r;

		p.lineno++;
		r = kb_text_next_line(text, len, &pos, MAX_TOKENS, &line, &reason);
		if (r < 0)
			return PFAIL(&p, "%s", reason);
		if (!r)
			break;
		p.line = &line;
		if (line.comment && header_comment(&p, line.comment))
			return -1;
		if (line.nr_fields && directive(&p, line.field, line.nr_fields))
			return -1;
	}
	p.lineno--;	/* the end of the text is not a line */
	p.ln.last = p.lineno ? p.lineno : 1;
	if (!p.l.nr_nodes) {
		p.lineno = p.ln.last;
		return PFAIL(&p, "no node declared (a layout needs a \"node 0 cpus N\" line and zones)");
	}
	/* a default pageblock_order can only clash with max_page_order */
	if (!p.ln.pb_order)
		p.ln.pb_order = p.ln.max_order;
	if (kb_layout_validate_lines(&p.l, &p.ln, err, errlen))
		return -1;
	if (p.core_line[0] || p.core_line[1]) {
		char why[200];

		p.lineno = p.core_line[0] > p.core_line[1] ? p.core_line[0] : p.core_line[1];
		p.line = NULL;
		if (kb_layout_place_movable(&p.l, &p.core[0], &p.core[1], why, sizeof(why)) ||
		    kb_layout_validate(&p.l, why, sizeof(why)))
			return PFAIL(&p, "with ZONE_MOVABLE placed: %s", why);
	}
	*out = p.l;
	return 0;
}

size_t kb_layout_format_text(const struct kb_layout *l, char *buf, size_t len)
{
	struct kb_textbuf o = { buf, buf ? len : 0, 0 };
	unsigned int n, z, i;

	if (buf && len)
		buf[0] = '\0';
	kb_textbuf_put(&o, "# kbuddy layout v%d\n", KB_LAYOUT_FORMAT_VERSION);
	kb_textbuf_put(&o, "max_page_order %u\n", l->max_page_order);
	kb_textbuf_put(&o, "pageblock_order %u\n", l->pageblock_order);
	for (n = 0; n < l->nr_nodes && n < KB_MAX_NODES; n++) {
		kb_textbuf_put(&o, "node %u cpus %u\n", n, l->node[n].nr_cpus);
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &l->node[n].zone[z];

			if (r->start < r->end)
				kb_textbuf_put(&o, "zone %u %s %#lx %#lx\n", n,
				    kb_zone_name(z), r->start, r->end);
		}
	}
	for (n = 0; n < l->nr_nodes && n < KB_MAX_NODES; n++)
		for (i = n + 1; i < l->nr_nodes && i < KB_MAX_NODES; i++)
			kb_textbuf_put(&o, "distance %u %u %u\n", n, i,
			    l->node[n].distance[i]);
	for (i = 0; i < l->nr_holes && i < KB_MAX_RANGES; i++)
		kb_textbuf_put(&o, "hole %#lx %#lx\n", l->hole[i].start, l->hole[i].end);
	for (i = 0; i < l->nr_reserved && i < KB_MAX_RANGES; i++)
		kb_textbuf_put(&o, "reserved %#lx %#lx\n", l->reserved[i].start,
		    l->reserved[i].end);
	for (i = 0; i < l->nr_cma && i < KB_MAX_RANGES; i++)
		kb_textbuf_put(&o, "cma %#lx %#lx\n", l->cma[i].start, l->cma[i].end);
	if (l->min_free_kbytes >= 0)
		kb_textbuf_put(&o, "min_free_kbytes %ld\n", l->min_free_kbytes);
	kb_textbuf_put(&o, "boot %s\n",
	    l->boot_path == KB_BOOT_BOOTMEM ? "bootmem" : "memblock");
	format_boot(l, &o);
	return o.pos;
}
