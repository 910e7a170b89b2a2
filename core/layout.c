/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine layouts: the built-in ones, validation, the text form and the
 * binary form. Both forms are specified in docs/layout-format.md.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "layout.h"
#include "textio.h"

#define KB_LAYOUT_FORMAT_VERSION	1

/* node_distance(): LOCAL_DISTANCE, REMOTE_DISTANCE and the largest valid value */
#define KB_LOCAL_DISTANCE	10
#define KB_REMOTE_DISTANCE	20
#define KB_MAX_DISTANCE		254

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA]	= "DMA",
	[ZONE_DMA32]	= "DMA32",
	[ZONE_NORMAL]	= "Normal",
	[ZONE_MOVABLE]	= "Movable",
	[ZONE_DEVICE]	= "Device",		/* never in a layout */
};

/* ------------------------------------------------------------------ */
/* Built-in layouts. Their order is part of the binary ops format.     */

#define BUILTIN_RANGES	8

struct builtin_layout {
	const char *name;
	unsigned int max_page_order;	/* 0: KB_DEFAULT_MAX_PAGE_ORDER */
	unsigned int pageblock_order;	/* 0: KB_DEFAULT_PAGEBLOCK_ORDER */
	unsigned int nr_nodes;
	unsigned int cpus[KB_MAX_NODES];
	struct kb_range zone[KB_MAX_NODES][MAX_NR_ZONES];
	unsigned char distance;			/* between any two nodes */
	struct kb_range hole[BUILTIN_RANGES];	/* end == 0 terminates */
	struct kb_range reserved[BUILTIN_RANGES];
	struct kb_range cma[BUILTIN_RANGES];
};

static const struct builtin_layout builtins[] = {
	{
		.name = "default",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 12288 },
			[ZONE_NORMAL]	= { 12288, 20480 },
		} },
	},
	{
		.name = "zones",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 8192 },
			[ZONE_NORMAL]	= { 8192, 16384 },
			[ZONE_MOVABLE]	= { 16384, 20480 },
		} },
	},
	{
		/*
		 * The default zones with the holes and reservations a real
		 * x86-64 machine has: the legacy VGA/BIOS hole below 1 MiB,
		 * a pageblock-sized hole, an unaligned hole and a hole at the
		 * top of Normal; reserved memory at pfn 1 (real mode
		 * trampoline), across the DMA/DMA32 boundary and at the
		 * start of Normal (kernel image).
		 */
		.name = "holes",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 12288 },
			[ZONE_NORMAL]	= { 12288, 20480 },
		} },
		.hole = {
			{ 0x9f, 0x100 },
			{ 6144, 6656 },
			{ 15000, 15037 },
			{ 20400, 20480 },
		},
		.reserved = {
			{ 1, 64 },
			{ 4000, 4200 },
			{ 12288, 12300 },
			{ 9000, 9001 },
		},
	},
	{
		.name = "numa",
		.nr_nodes = 2,
		.cpus = { 2, 2 },
		.zone = {
			{
				[ZONE_DMA]	= { 1, 4096 },
				[ZONE_DMA32]	= { 4096, 12288 },
			},
			{
				[ZONE_NORMAL]	= { 12288, 28672 },
			},
		},
		.distance = 20,
	},
	{
		.name = "cma",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 12288 },
			[ZONE_NORMAL]	= { 12288, 20480 },
		} },
		.cma = { { 16384, 18432 } },
	},
	{
		/*
		 * 2048 pages: fewer than pageblock_nr_pages * MIGRATE_TYPES,
		 * so build_all_zonelists disables grouping by mobility.
		 */
		.name = "small",
		.nr_nodes = 1,
		.cpus = { 1 },
		.zone = { { [ZONE_NORMAL] = { 0, 2048 } } },
	},
	{
		/*
		 * Small pageblocks (32 pages) and MAX_PAGE_ORDER 7: about 1% of
		 * Normal is several pageblocks, so the highatomic reserve and
		 * watermark boosting are reachable, and claims are frequent.
		 */
		.name = "small-blocks",
		.max_page_order = 7,
		.pageblock_order = 5,
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 8192 },
			[ZONE_NORMAL]	= { 8192, 24576 },
		} },
	},
};

#define NR_BUILTINS	(sizeof(builtins) / sizeof(builtins[0]))

/* Everything zero except the defaults a text layout starts from. */
static void layout_init_empty(struct kb_layout *l)
{
	unsigned int i, j;

	memset(l, 0, sizeof(*l));
	l->max_page_order = KB_DEFAULT_MAX_PAGE_ORDER;
	l->pageblock_order = KB_DEFAULT_PAGEBLOCK_ORDER;
	l->min_free_kbytes = -1;
	l->boot_path = KB_BOOT_MEMBLOCK;
	for (i = 0; i < KB_MAX_NODES; i++)
		for (j = 0; j < KB_MAX_NODES; j++)
			l->node[i].distance[j] = i == j ? KB_LOCAL_DISTANCE
							: KB_REMOTE_DISTANCE;
}

static unsigned int copy_ranges(struct kb_range *dst, const struct kb_range *src)
{
	unsigned int n = 0;

	while (n < BUILTIN_RANGES && src[n].end) {
		dst[n] = src[n];
		n++;
	}
	return n;
}

unsigned int kb_layout_builtin_count(void)
{
	return NR_BUILTINS;
}

const char *kb_layout_builtin_name(unsigned int index)
{
	return index < NR_BUILTINS ? builtins[index].name : NULL;
}

int kb_layout_builtin(const char *name, struct kb_layout *out)
{
	const struct builtin_layout *b = NULL;
	unsigned int i, j;

	for (i = 0; name && i < NR_BUILTINS; i++)
		if (!strcmp(builtins[i].name, name))
			b = &builtins[i];
	if (!b)
		return -1;
	layout_init_empty(out);
	if (b->max_page_order)
		out->max_page_order = b->max_page_order;
	if (b->pageblock_order)
		out->pageblock_order = b->pageblock_order;
	out->nr_nodes = b->nr_nodes;
	for (i = 0; i < b->nr_nodes; i++) {
		out->node[i].nr_cpus = b->cpus[i];
		memcpy(out->node[i].zone, b->zone[i], sizeof(b->zone[i]));
		for (j = 0; j < b->nr_nodes; j++)
			if (i != j && b->distance)
				out->node[i].distance[j] = b->distance;
	}
	out->nr_holes = copy_ranges(out->hole, b->hole);
	out->nr_reserved = copy_ranges(out->reserved, b->reserved);
	out->nr_cma = copy_ranges(out->cma, b->cma);
	return 0;
}

void kb_layout_default(struct kb_layout *layout)
{
	kb_layout_builtin("default", layout);
}

unsigned long kb_layout_max_pfn(const struct kb_layout *layout)
{
	unsigned long highest = 0, align = 1UL << layout->max_page_order;
	unsigned int nid, zid;

	for (nid = 0; nid < layout->nr_nodes && nid < KB_MAX_NODES; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			if (layout->node[nid].zone[zid].end > highest)
				highest = layout->node[nid].zone[zid].end;
	return (highest + align - 1) / align * align;
}

unsigned int kb_layout_nr_cpus(const struct kb_layout *layout)
{
	unsigned int i, n = 0;

	for (i = 0; i < layout->nr_nodes && i < KB_MAX_NODES; i++)
		n += layout->node[i].nr_cpus;
	return n;
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */

/*
 * Where each item of a layout came from in its text form, so that a
 * validation failure after parsing can name the line. 0 = unknown.
 */
struct layout_lines {
	unsigned int max_order, pb_order, min_free, boot, last;
	unsigned int node[KB_MAX_NODES];
	unsigned int zone[KB_MAX_NODES][MAX_NR_ZONES];
	unsigned int distance[KB_MAX_NODES][KB_MAX_NODES];
	unsigned int hole[KB_MAX_RANGES];
	unsigned int reserved[KB_MAX_RANGES];
	unsigned int cma[KB_MAX_RANGES];
};

static int fail(char *err, size_t errlen, const struct layout_lines *ln,
		unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const struct layout_lines *ln,
		unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!err || !errlen)
		return -1;
	if (ln)
		n = snprintf(err, errlen, "line %u: ", line ? line : ln->last);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

#define LINE(field)	(ln ? ln->field : 0)

static bool range_inside_zone(const struct kb_layout *l, const struct kb_range *r,
			      unsigned int *nid, unsigned int *zid)
{
	unsigned int n, z;

	for (n = 0; n < l->nr_nodes; n++) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct kb_range *zr = &l->node[n].zone[z];

			if (zr->start < zr->end && zr->start <= r->start &&
			    r->end <= zr->end) {
				*nid = n;
				*zid = z;
				return true;
			}
		}
	}
	return false;
}

/* Is [start, end) covered by the zones of one node, gaps between them excluded? */
static bool range_inside_node(const struct kb_layout *l, const struct kb_range *r)
{
	unsigned int n, z;

	for (n = 0; n < l->nr_nodes; n++) {
		unsigned long cur = r->start;
		bool progress = true;

		while (cur < r->end && progress) {
			progress = false;
			for (z = 0; z < MAX_NR_ZONES; z++) {
				const struct kb_range *zr = &l->node[n].zone[z];

				if (zr->start <= cur && cur < zr->end) {
					cur = zr->end;
					progress = true;
				}
			}
		}
		if (cur >= r->end)
			return true;
	}
	return false;
}

static bool ranges_overlap(const struct kb_range *a, const struct kb_range *b)
{
	return a->start < b->end && b->start < a->end;
}

static int check_range(const struct kb_layout *l, const char *kind,
		       const struct kb_range *r, const struct layout_lines *ln,
		       unsigned int line, char *err, size_t errlen)
{
	if (r->start >= r->end)
		return fail(err, errlen, ln, line, "%s [%#lx, %#lx) is empty",
			    kind, r->start, r->end);
	if (r->end > KB_MAX_PFN)
		return fail(err, errlen, ln, line,
			    "%s [%#lx, %#lx) ends past the highest pfn %#lx",
			    kind, r->start, r->end, KB_MAX_PFN);
	if (!range_inside_node(l, r))
		return fail(err, errlen, ln, line,
			    "%s [%#lx, %#lx) is not inside the zones of one node",
			    kind, r->start, r->end);
	return 0;
}

static int validate_zones(const struct kb_layout *l, const struct layout_lines *ln,
			  char *err, size_t errlen)
{
	unsigned long prev_node_end = 0;
	unsigned int n, z, cpus = 0;

	for (n = 0; n < l->nr_nodes; n++) {
		const struct kb_layout_node *node = &l->node[n];
		int prev = -1;

		if (node->nr_cpus > KB_MAX_CPUS)
			return fail(err, errlen, ln, LINE(node[n]),
				    "node %u has %u CPUs; at most %d in all",
				    n, node->nr_cpus, KB_MAX_CPUS);
		cpus += node->nr_cpus;
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct kb_range *r = &node->zone[z];
			unsigned int line = LINE(zone[n][z]);

			if (r->start > r->end)
				return fail(err, errlen, ln, line,
					    "zone %u %s: start %#lx is above end %#lx",
					    n, zone_names[z], r->start, r->end);
			if (r->start == r->end)
				continue;
			if (z >= KB_NR_LAYOUT_ZONES)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) must stay empty: its memory never reaches the buddy allocator",
					    n, zone_names[z], r->start, r->end);
			if (r->end > KB_MAX_PFN)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) ends past the highest pfn %#lx",
					    n, zone_names[z], r->start, r->end,
					    KB_MAX_PFN);
			if (prev >= 0 && r->start < node->zone[prev].end)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) overlaps or lies below zone %u %s [%#lx, %#lx); zones must ascend by index",
					    n, zone_names[z], r->start, r->end,
					    n, zone_names[prev],
					    node->zone[prev].start,
					    node->zone[prev].end);
			if (prev < 0 && n > 0 && r->start < prev_node_end)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) starts below the end %#lx of node %u; nodes must ascend without overlap",
					    n, zone_names[z], r->start, r->end,
					    prev_node_end, n - 1);
			prev = (int)z;
		}
		if (prev < 0)
			return fail(err, errlen, ln, LINE(node[n]),
				    "node %u has no non-empty zone", n);
		prev_node_end = node->zone[prev].end;
	}
	if (cpus < 1 || cpus > KB_MAX_CPUS)
		return fail(err, errlen, ln, LINE(node[l->nr_nodes - 1]),
			    "%u CPUs in all; a layout needs 1..%d",
			    cpus, KB_MAX_CPUS);
	return 0;
}

static int validate_ranges(const struct kb_layout *l, const struct layout_lines *ln,
			   char *err, size_t errlen)
{
	unsigned long pb = 1UL << l->pageblock_order;
	unsigned int i, j, nid, zid;

	if (l->nr_holes > KB_MAX_RANGES || l->nr_reserved > KB_MAX_RANGES ||
	    l->nr_cma > KB_MAX_RANGES)
		return fail(err, errlen, ln, 0,
			    "%u holes, %u reserved and %u cma ranges; at most %d of each",
			    l->nr_holes, l->nr_reserved, l->nr_cma, KB_MAX_RANGES);
	for (i = 0; i < l->nr_holes; i++)
		if (check_range(l, "hole", &l->hole[i], ln, LINE(hole[i]),
				err, errlen))
			return -1;
	for (i = 0; i < l->nr_reserved; i++)
		if (check_range(l, "reserved", &l->reserved[i], ln,
				LINE(reserved[i]), err, errlen))
			return -1;
	for (i = 0; i < l->nr_cma; i++) {
		const struct kb_range *r = &l->cma[i];
		unsigned int line = LINE(cma[i]);

		if (check_range(l, "cma", r, ln, line, err, errlen))
			return -1;
		if (r->start % pb || r->end % pb)
			return fail(err, errlen, ln, line,
				    "cma [%#lx, %#lx) is not aligned to the pageblock size (%lu pages)",
				    r->start, r->end, pb);
		if (!range_inside_zone(l, r, &nid, &zid))
			return fail(err, errlen, ln, line,
				    "cma [%#lx, %#lx) is not inside one zone",
				    r->start, r->end);
		for (j = 0; j < l->nr_holes; j++)
			if (ranges_overlap(r, &l->hole[j]))
				return fail(err, errlen, ln, line,
					    "cma [%#lx, %#lx) overlaps hole [%#lx, %#lx)",
					    r->start, r->end, l->hole[j].start,
					    l->hole[j].end);
		for (j = 0; j < l->nr_reserved; j++)
			if (ranges_overlap(r, &l->reserved[j]))
				return fail(err, errlen, ln, line,
					    "cma [%#lx, %#lx) overlaps reserved [%#lx, %#lx)",
					    r->start, r->end, l->reserved[j].start,
					    l->reserved[j].end);
		for (j = 0; j < i; j++)
			if (ranges_overlap(r, &l->cma[j]))
				return fail(err, errlen, ln, line,
					    "cma [%#lx, %#lx) overlaps cma [%#lx, %#lx)",
					    r->start, r->end, l->cma[j].start,
					    l->cma[j].end);
	}
	return 0;
}

static int validate(const struct kb_layout *l, const struct layout_lines *ln,
		    char *err, size_t errlen)
{
	unsigned int i, j;

	if (err && errlen)
		err[0] = '\0';
	if (l->max_page_order < 1 || l->max_page_order > KB_MAX_ORDER_LIMIT)
		return fail(err, errlen, ln, LINE(max_order),
			    "max_page_order %u out of range 1..%d",
			    l->max_page_order, KB_MAX_ORDER_LIMIT);
	if (l->pageblock_order < 1 || l->pageblock_order > l->max_page_order)
		return fail(err, errlen, ln, LINE(pb_order),
			    "pageblock_order %u out of range 1..max_page_order (%u)",
			    l->pageblock_order, l->max_page_order);
	if (l->nr_nodes < 1 || l->nr_nodes > KB_MAX_NODES)
		return fail(err, errlen, ln, 0,
			    "%u nodes; a layout needs 1..%d",
			    l->nr_nodes, KB_MAX_NODES);
	if (validate_zones(l, ln, err, errlen))
		return -1;
	for (i = 0; i < l->nr_nodes; i++) {
		for (j = 0; j < l->nr_nodes; j++) {
			unsigned int d = l->node[i].distance[j];
			unsigned int line = LINE(distance[i][j]);

			if (i == j && d != KB_LOCAL_DISTANCE)
				return fail(err, errlen, ln, line,
					    "distance %u %u is %u; a node's distance to itself is %d",
					    i, j, d, KB_LOCAL_DISTANCE);
			if (i != j && (d < KB_LOCAL_DISTANCE || d > KB_MAX_DISTANCE))
				return fail(err, errlen, ln, line,
					    "distance %u %u is %u; out of range %d..%d",
					    i, j, d, KB_LOCAL_DISTANCE,
					    KB_MAX_DISTANCE);
			if (d != l->node[j].distance[i])
				return fail(err, errlen, ln, line,
					    "distance %u %u is %u but distance %u %u is %u; distances must be symmetric",
					    i, j, d, j, i, l->node[j].distance[i]);
		}
	}
	if (validate_ranges(l, ln, err, errlen))
		return -1;
	if (l->min_free_kbytes > INT_MAX)
		return fail(err, errlen, ln, LINE(min_free),
			    "min_free_kbytes %ld is above %d",
			    l->min_free_kbytes, INT_MAX);
	if (l->boot_path != KB_BOOT_MEMBLOCK && l->boot_path != KB_BOOT_BOOTMEM)
		return fail(err, errlen, ln, LINE(boot),
			    "unknown boot path %d", (int)l->boot_path);
	return 0;
}

int kb_layout_validate(const struct kb_layout *layout, char *err, size_t errlen)
{
	return validate(layout, NULL, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Text form                                                            */

#define MAX_TOKENS	8

/* Decimal or 0x hex, no sign, no junk; -1 on anything else or overflow. */
static int parse_ulong(const char *s, unsigned long *out)
{
	return kb_text_parse_number(s, ULONG_MAX, out);
}

static int zone_by_name(const char *s)
{
	unsigned int z;

	for (z = 0; z < KB_NR_LAYOUT_ZONES; z++)
		if (!strcasecmp(s, zone_names[z]))
			return (int)z;
	return -1;
}

/* State of one parse. */
struct layout_parser {
	struct kb_layout l;
	struct layout_lines ln;
	unsigned int lineno;
	char *err;
	size_t errlen;
};

#define PFAIL(p, ...)	fail((p)->err, (p)->errlen, &(p)->ln, (p)->lineno, __VA_ARGS__)

static int num_arg(struct layout_parser *p, const char *what, const char *tok,
		   unsigned long max, unsigned long *out)
{
	if (parse_ulong(tok, out))
		return PFAIL(p, "bad number '%s' for %s", tok, what);
	if (*out > max)
		return PFAIL(p, "%s %s is above %lu", what, tok, max);
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
			return PFAIL(p, "unknown zone '%s' (DMA, DMA32, Normal, Movable)",
				     tok[2]);
		if (p->ln.zone[nid][z])
			return PFAIL(p, "zone %u %s given twice (first on line %u)",
				     nid, zone_names[z], p->ln.zone[nid][z]);
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
			return PFAIL(p, "unknown boot path '%s' (memblock or bootmem)",
				     tok[1]);
		p->ln.boot = p->lineno;
		return 0;
	}
	return PFAIL(p, "unknown directive '%s'", tok[0]);
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
	if (!num[0] || parse_ulong(num, &v) || v != KB_LAYOUT_FORMAT_VERSION)
		return PFAIL(p, "unsupported layout format version '%s' (this build reads v%d)",
			     num[0] ? num : "?", KB_LAYOUT_FORMAT_VERSION);
	return 0;
}

int kb_layout_parse_text(const char *text, size_t len, struct kb_layout *out,
			 char *err, size_t errlen)
{
	struct kb_text_line line;
	struct layout_parser p;
	size_t pos = 0;

	memset(&p, 0, sizeof(p));
	layout_init_empty(&p.l);
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
	if (validate(&p.l, &p.ln, err, errlen))
		return -1;
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
				    zone_names[z], r->start, r->end);
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
	return o.pos;
}

/* ------------------------------------------------------------------ */
/* Binary form (fuzz inputs): every byte string is a valid layout.     */

#define BIN_ZONE_BUDGET		61440	/* zone pages over all zones of all nodes */
#define BIN_MAX_CMA		4
#define BIN_MAX_HOLES		8
#define BIN_MAX_RESERVED	8
#define BIN_MAX_RANGE_LEN	4096	/* longest hole or reserved range */
#define BIN_FLAG_BOOTMEM	0x01
#define BIN_FLAG_MIN_FREE	0x02
#define BIN_MAX_SIZE		(6 + (1 + 3 * KB_NR_LAYOUT_ZONES) * KB_MAX_NODES + 6 + \
				 1 + 5 * BIN_MAX_CMA + 1 + 5 * BIN_MAX_HOLES + \
				 1 + 5 * BIN_MAX_RESERVED)

/* Reads past the end of the input give 0, so every input has a meaning. */
struct bin_in {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

static unsigned int get8(struct bin_in *in)
{
	unsigned int v = in->pos < in->size ? in->data[in->pos] : 0;

	in->pos++;
	return v;
}

static unsigned int get16(struct bin_in *in)
{
	unsigned int lo = get8(in);

	return lo | get8(in) << 8;
}

struct bin_out {
	uint8_t buf[BIN_MAX_SIZE];
	size_t pos;
	bool overflow;
};

static void put8(struct bin_out *o, unsigned long v)
{
	if (v > 0xff || o->pos >= sizeof(o->buf)) {
		o->overflow = true;
		return;
	}
	o->buf[o->pos++] = (uint8_t)v;
}

static void put16(struct bin_out *o, unsigned long v)
{
	if (v > 0xffff) {
		o->overflow = true;
		return;
	}
	put8(o, v & 0xff);
	put8(o, v >> 8);
}

struct zone_ref {
	unsigned int nid, zid;
};

/* The non-empty zones of all nodes, in node then zone order. */
static unsigned int list_zones(const struct kb_layout *l,
			       struct zone_ref zr[KB_MAX_NODES * KB_NR_LAYOUT_ZONES])
{
	unsigned int n, z, nr = 0;

	for (n = 0; n < l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++)
			if (l->node[n].zone[z].start < l->node[n].zone[z].end)
				zr[nr++] = (struct zone_ref){ n, z };
	return nr;
}

static const struct kb_range *zref_range(const struct kb_layout *l, struct zone_ref zr)
{
	return &l->node[zr.nid].zone[zr.zid];
}

/* End of the run of adjacent non-empty zones of one node starting at zr. */
static unsigned long run_end(const struct kb_layout *l, struct zone_ref zr)
{
	unsigned long end = zref_range(l, zr)->end;
	unsigned int z;

	for (z = zr.zid + 1; z < KB_NR_LAYOUT_ZONES; z++) {
		const struct kb_range *r = &l->node[zr.nid].zone[z];

		if (r->start == r->end)
			continue;
		if (r->start != end)
			break;
		end = r->end;
	}
	return end;
}

static bool overlaps_any(const struct kb_range *r, const struct kb_range *arr,
			 unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ranges_overlap(r, &arr[i]))
			return true;
	return false;
}

/* Holes and reserved ranges: inside a run of zones, never over CMA. */
static void decode_plain_ranges(struct bin_in *in, struct kb_layout *l,
				const struct zone_ref *zr, unsigned int nr_zones,
				unsigned int max, struct kb_range *arr,
				unsigned int *nr)
{
	unsigned int i, count = get8(in) % (max + 1);

	for (i = 0; i < count; i++) {
		unsigned int sel = get8(in), off = get16(in), len = get16(in);
		struct zone_ref z = zr[sel % nr_zones];
		const struct kb_range *zone = zref_range(l, z);
		struct kb_range r;
		unsigned long maxlen;

		r.start = zone->start + off % (zone->end - zone->start);
		maxlen = run_end(l, z) - r.start;
		if (maxlen > BIN_MAX_RANGE_LEN)
			maxlen = BIN_MAX_RANGE_LEN;
		r.end = r.start + 1 + len % maxlen;
		if (!overlaps_any(&r, l->cma, l->nr_cma))
			arr[(*nr)++] = r;
	}
}

size_t kb_layout_decode_binary(const uint8_t *data, size_t size, struct kb_layout *out)
{
	struct bin_in in = { data, data ? size : 0, 0 };
	struct zone_ref zr[KB_MAX_NODES * KB_NR_LAYOUT_ZONES];
	unsigned int flags, min_free, n, z, i, j, count, nr_zones;
	unsigned int cpus_left = KB_MAX_CPUS;
	unsigned long cursor = 0, zone_cap, pb;
	struct kb_layout l;

	layout_init_empty(&l);
	flags = get8(&in);
	min_free = get16(&in);
	if (flags & BIN_FLAG_BOOTMEM)
		l.boot_path = KB_BOOT_BOOTMEM;
	if (flags & BIN_FLAG_MIN_FREE)
		l.min_free_kbytes = min_free;
	/* offsets make the all-zero input the default 10/9 orders */
	l.max_page_order = 1 + (get8(&in) + KB_DEFAULT_MAX_PAGE_ORDER - 1) %
			       KB_MAX_ORDER_LIMIT;
	l.pageblock_order = 1 + (get8(&in) + KB_DEFAULT_PAGEBLOCK_ORDER - 1) %
				l.max_page_order;
	l.nr_nodes = 1 + get8(&in) % KB_MAX_NODES;
	zone_cap = BIN_ZONE_BUDGET / (l.nr_nodes * KB_NR_LAYOUT_ZONES);

	for (n = 0; n < l.nr_nodes; n++) {
		unsigned int gap[KB_NR_LAYOUT_ZONES];
		unsigned long len[KB_NR_LAYOUT_ZONES], total = 0;

		l.node[n].nr_cpus = get8(&in) % (cpus_left + 1);
		cpus_left -= l.node[n].nr_cpus;
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			gap[z] = get8(&in);
			len[z] = get16(&in) % (zone_cap + 1);
			total += len[z];
		}
		if (!total)
			len[ZONE_NORMAL] = zone_cap;
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			if (!len[z])
				continue;
			l.node[n].zone[z].start = cursor + gap[z];
			l.node[n].zone[z].end = cursor + gap[z] + len[z];
			cursor = l.node[n].zone[z].end;
		}
	}
	if (cpus_left == KB_MAX_CPUS)
		l.node[0].nr_cpus = 1;
	for (i = 0; i < l.nr_nodes; i++) {
		for (j = i + 1; j < l.nr_nodes; j++) {
			unsigned int d = KB_LOCAL_DISTANCE + get8(&in) %
				(KB_MAX_DISTANCE - KB_LOCAL_DISTANCE + 1);

			l.node[i].distance[j] = (unsigned char)d;
			l.node[j].distance[i] = (unsigned char)d;
		}
	}

	nr_zones = list_zones(&l, zr);
	pb = 1UL << l.pageblock_order;
	count = get8(&in) % (BIN_MAX_CMA + 1);
	for (i = 0; i < count; i++) {
		unsigned int sel = get8(&in), sblk = get16(&in), nblk = get16(&in);
		const struct kb_range *zone = zref_range(&l, zr[sel % nr_zones]);
		unsigned long first = (zone->start + pb - 1) / pb * pb;
		unsigned long last = zone->end / pb * pb;
		unsigned long blocks, s;
		struct kb_range r;

		if (last <= first)
			continue;	/* no whole pageblock in this zone */
		blocks = (last - first) / pb;
		s = sblk % blocks;
		r.start = first + s * pb;
		r.end = r.start + (1 + nblk % (blocks - s)) * pb;
		if (!overlaps_any(&r, l.cma, l.nr_cma))
			l.cma[l.nr_cma++] = r;
	}
	decode_plain_ranges(&in, &l, zr, nr_zones, BIN_MAX_HOLES, l.hole,
			    &l.nr_holes);
	decode_plain_ranges(&in, &l, zr, nr_zones, BIN_MAX_RESERVED, l.reserved,
			    &l.nr_reserved);
	*out = l;
	return in.pos < in.size ? in.pos : in.size;
}

static bool range_eq(const struct kb_range *a, const struct kb_range *b)
{
	if (a->start >= a->end && b->start >= b->end)
		return true;	/* both empty */
	return a->start == b->start && a->end == b->end;
}

/* Same machine: empty zones compare equal whatever their bounds. */
static bool layouts_equal(const struct kb_layout *a, const struct kb_layout *b)
{
	unsigned int n, z, i;

	if (a->max_page_order != b->max_page_order ||
	    a->pageblock_order != b->pageblock_order ||
	    a->nr_nodes != b->nr_nodes || a->nr_holes != b->nr_holes ||
	    a->nr_reserved != b->nr_reserved || a->nr_cma != b->nr_cma ||
	    a->boot_path != b->boot_path)
		return false;
	if ((a->min_free_kbytes < 0) != (b->min_free_kbytes < 0) ||
	    (a->min_free_kbytes >= 0 && a->min_free_kbytes != b->min_free_kbytes))
		return false;
	for (n = 0; n < a->nr_nodes; n++) {
		if (a->node[n].nr_cpus != b->node[n].nr_cpus)
			return false;
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (!range_eq(&a->node[n].zone[z], &b->node[n].zone[z]))
				return false;
		for (i = 0; i < a->nr_nodes; i++)
			if (a->node[n].distance[i] != b->node[n].distance[i])
				return false;
	}
	for (i = 0; i < a->nr_holes; i++)
		if (!range_eq(&a->hole[i], &b->hole[i]))
			return false;
	for (i = 0; i < a->nr_reserved; i++)
		if (!range_eq(&a->reserved[i], &b->reserved[i]))
			return false;
	for (i = 0; i < a->nr_cma; i++)
		if (!range_eq(&a->cma[i], &b->cma[i]))
			return false;
	return true;
}

/* Index into list_zones() of the zone holding pfn, or -1. */
static int zone_index_of(const struct zone_ref *zr, unsigned int nr_zones,
			 const struct kb_layout *l, unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < nr_zones; i++) {
		const struct kb_range *r = zref_range(l, zr[i]);

		if (r->start <= pfn && pfn < r->end)
			return (int)i;
	}
	return -1;
}

static void encode_plain_ranges(struct bin_out *o, const struct kb_layout *l,
				const struct zone_ref *zr, unsigned int nr_zones,
				const struct kb_range *arr, unsigned int nr)
{
	unsigned int i;

	put8(o, nr);
	for (i = 0; i < nr; i++) {
		int zi = zone_index_of(zr, nr_zones, l, arr[i].start);

		if (zi < 0) {
			o->overflow = true;
			return;
		}
		put8(o, (unsigned int)zi);
		put16(o, arr[i].start - zref_range(l, zr[zi])->start);
		put16(o, arr[i].end - arr[i].start - 1);
	}
}

size_t kb_layout_encode_binary(const struct kb_layout *l, uint8_t *buf, size_t len)
{
	struct zone_ref zr[KB_MAX_NODES * KB_NR_LAYOUT_ZONES];
	unsigned long cursor = 0, zone_cap, pb, m;
	unsigned int n, z, i, j, nr_zones;
	struct kb_layout back;
	struct bin_out o;

	if (kb_layout_validate(l, NULL, 0))
		return 0;
	memset(&o, 0, sizeof(o));
	put8(&o, (l->boot_path == KB_BOOT_BOOTMEM ? BIN_FLAG_BOOTMEM : 0) |
		 (l->min_free_kbytes >= 0 ? BIN_FLAG_MIN_FREE : 0));
	put16(&o, l->min_free_kbytes >= 0 ? (unsigned long)l->min_free_kbytes : 0);
	m = KB_MAX_ORDER_LIMIT;
	put8(&o, (l->max_page_order - 1 + m - (KB_DEFAULT_MAX_PAGE_ORDER - 1) % m) % m);
	m = l->max_page_order;
	put8(&o, (l->pageblock_order - 1 + m - (KB_DEFAULT_PAGEBLOCK_ORDER - 1) % m) % m);
	put8(&o, l->nr_nodes - 1);
	zone_cap = BIN_ZONE_BUDGET / (l->nr_nodes * KB_NR_LAYOUT_ZONES);
	for (n = 0; n < l->nr_nodes; n++) {
		put8(&o, l->node[n].nr_cpus);
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &l->node[n].zone[z];

			if (r->start >= r->end) {
				put8(&o, 0);
				put16(&o, 0);
				continue;
			}
			if (r->end - r->start > zone_cap)
				return 0;
			put8(&o, r->start - cursor);
			put16(&o, r->end - r->start);
			cursor = r->end;
		}
	}
	for (i = 0; i < l->nr_nodes; i++)
		for (j = i + 1; j < l->nr_nodes; j++)
			put8(&o, l->node[i].distance[j] - KB_LOCAL_DISTANCE);

	nr_zones = list_zones(l, zr);
	pb = 1UL << l->pageblock_order;
	put8(&o, l->nr_cma);
	for (i = 0; i < l->nr_cma; i++) {
		int zi = zone_index_of(zr, nr_zones, l, l->cma[i].start);
		unsigned long first;

		if (zi < 0)
			return 0;
		first = (zref_range(l, zr[zi])->start + pb - 1) / pb * pb;
		put8(&o, (unsigned int)zi);
		put16(&o, (l->cma[i].start - first) / pb);
		put16(&o, (l->cma[i].end - l->cma[i].start) / pb - 1);
	}
	encode_plain_ranges(&o, l, zr, nr_zones, l->hole, l->nr_holes);
	encode_plain_ranges(&o, l, zr, nr_zones, l->reserved, l->nr_reserved);
	if (o.overflow)
		return 0;

	/* Anything outside the decoder's reach (sizes, counts) shows here. */
	kb_layout_decode_binary(o.buf, o.pos, &back);
	if (!layouts_equal(l, &back))
		return 0;
	if (buf && len)
		memcpy(buf, o.buf, o.pos < len ? o.pos : len);
	return o.pos;
}
