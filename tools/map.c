// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy map FILE -o map.svg: a picture of memory after an input (or of a
 * layout at boot). One section per zone, node by node; in it one cell per
 * pageblock, in pfn order, 32 to a row. A cell's top band is the
 * pageblock's migratetype (Isolate, CMA and HighAtomic each their own
 * colour; an isolated pageblock is outlined in red too); its body shows
 * what each pfn of the block is, left to right: free in the buddy (blue,
 * darker with the order), on a per-CPU list (yellow), allocated (a colour
 * per owner: the allocation's handle), allocated with no owner the runner
 * knows, memblock-reserved, a hole. Every drawn element has a class (free
 * o3, alloc a12, pcp, reserved, hole, used, mt-Movable, isolated) and
 * free blocks and allocations carry a <title> with their pfns, so the
 * picture can be read in a browser and checked by a script.
 *
 * -o FILE.png writes PNG through rsvg-convert (librsvg2-bin).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "layout_io.h"
#include "run.h"
#include "../core/internal.h"

/* What a pfn is: the low byte; the rest is the order or the handle. */
enum {
	ST_NONE,	/* in no zone (between zones, or past a zone's last page) */
	ST_HOLE,	/* no memory: a hole of the layout */
	ST_RESERVED,	/* present, memblock-reserved */
	ST_USED,	/* allocated, no owner the runner tracks */
	ST_FREE,	/* in a free block: order << 8 */
	ST_PCP,		/* on a per-CPU list */
	ST_ALLOC,	/* allocated: handle << 8 */
};

#define CELLS_PER_ROW	32
#define CELL_W		32
#define CELL_H		30
#define BAND_H		6
#define ROW_GAP		4
#define LEFT		90
#define WIDTH		(LEFT + CELLS_PER_ROW * CELL_W + 20)
#define MAX_TITLES	20000	/* tooltips beyond this would bloat a big map */

static const char *const mt_colours[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE]	= "#8c510a",
	[MIGRATE_MOVABLE]	= "#35978f",
	[MIGRATE_RECLAIMABLE]	= "#762a83",
	[MIGRATE_HIGHATOMIC]	= "#e7298a",
	[MIGRATE_CMA]		= "#1a9850",
	[MIGRATE_ISOLATE]	= "#d73027",
};

struct map {
	struct kb_instance *kb;
	const struct kb_shadow *sh;
	uint32_t *state;	/* per pfn */
	FILE *out;
	unsigned long titles;
};

static void svg(struct map *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void svg(struct map *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(m->out, fmt, ap);
	va_end(ap);
}

/* Free blocks: blue, from light (order 0) to dark (the highest order). */
static void free_colour(const struct map *m, unsigned int order, char *buf, size_t len)
{
	unsigned int max = m->kb->max_order ? m->kb->max_order : 1;
	int light = 85 - (int)(order * 60 / max);

	snprintf(buf, len, "hsl(212,70%%,%d%%)", light);
}

/* Allocations: a hue per owner, kept away from the free blocks' blue. */
static void alloc_colour(unsigned int handle, char *buf, size_t len)
{
	unsigned int hue = (20 + handle * 47) % 150 + (((handle / 150) & 1) ? 250 : 0);

	snprintf(buf, len, "hsl(%u,65%%,52%%)", hue % 360);
}

static void mark(struct map *m, unsigned long pfn, unsigned long nr, uint32_t st)
{
	unsigned long i;

	for (i = 0; i < nr && pfn + i < m->kb->max_pfn; i++)
		m->state[pfn + i] = st;
}

/* Fills m->state from the zones, their free and per-CPU lists and the shadow. */
static void classify(struct map *m)
{
	struct kb_instance *kb = m->kb;
	const struct kb_layout *l = &kb->layout;
	unsigned long pfn;
	int n, z, cpu;
	unsigned int i, o, t;

	for (n = 0; n < kb->nr_node_ids; n++)
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &kb->node_data[n].node_zones[z];

			for (pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone) && pfn < kb->max_pfn;
			     pfn++) {
				const struct page *page;
				unsigned int h = m->sh ? kb_shadow_owner(m->sh, pfn) : 0;

				/* a missing section: no struct pages, drawn as a hole */
				if (!pfn_valid(kb, pfn)) {
					m->state[pfn] = ST_HOLE;
					continue;
				}
				page = pfn_to_page(kb, pfn);
				if (PageReserved(page))
					m->state[pfn] = ST_RESERVED;
				else if (h)
					m->state[pfn] = ST_ALLOC | h << 8;
				else
					m->state[pfn] = ST_USED;
			}
			for (o = 0; o <= kb->max_order; o++)
				for (t = 0; t < MIGRATE_TYPES; t++) {
					struct list_head *pos, *head = &zone->free_area[o].free_list[t];

					list_for_each(pos, head) {
						struct page *page = list_entry(pos, struct page, lru);

						mark(m, page_to_pfn(kb, page), 1UL << o, ST_FREE | o << 8);
					}
				}
			for (cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
				for (i = 0; i < NR_PCP_LISTS; i++) {
					struct list_head *pos, *head = &zone->per_cpu_pageset[cpu].lists[i];

					list_for_each(pos, head) {
						struct page *page = list_entry(pos, struct page, lru);

						mark(m, page_to_pfn(kb, page), 1UL << pindex_to_order(kb, i),
						     ST_PCP);
					}
				}
		}
	for (i = 0; i < l->nr_holes; i++)
		for (pfn = l->hole[i].start; pfn < l->hole[i].end && pfn < kb->max_pfn; pfn++)
			if (m->state[pfn] != ST_NONE)
				m->state[pfn] = ST_HOLE;
}

/* The fill and class of a run of one state. */
static void style(const struct map *m, uint32_t st, char *fill, size_t flen, char *cls,
		  size_t clen)
{
	switch (st & 0xff) {
	case ST_HOLE:
		snprintf(fill, flen, "#3a3a3a");
		snprintf(cls, clen, "hole");
		break;
	case ST_RESERVED:
		snprintf(fill, flen, "#b0b0b0");
		snprintf(cls, clen, "reserved");
		break;
	case ST_USED:
		snprintf(fill, flen, "#e0e0e0");
		snprintf(cls, clen, "used");
		break;
	case ST_FREE:
		free_colour(m, st >> 8, fill, flen);
		snprintf(cls, clen, "free o%u", st >> 8);
		break;
	case ST_PCP:
		snprintf(fill, flen, "#fdd835");
		snprintf(cls, clen, "pcp");
		break;
	case ST_ALLOC:
		alloc_colour(st >> 8, fill, flen);
		snprintf(cls, clen, "alloc a%u", st >> 8);
		break;
	default:
		snprintf(fill, flen, "#ffffff");
		snprintf(cls, clen, "none");
		break;
	}
}

/* A run's tooltip, for free blocks and allocations. */
static void title(struct map *m, uint32_t st, unsigned long pfn, unsigned long end)
{
	const char *what = (st & 0xff) == ST_FREE ? "free, order" : "allocation a";

	if ((st & 0xff) != ST_FREE && (st & 0xff) != ST_ALLOC)
		return;
	if (m->titles++ >= MAX_TITLES)
		return;
	svg(m, "<title>pfn %#lx-%#lx: %s%u</title>", pfn, end - 1, what, st >> 8);
}

/* One pageblock cell at (x, y): band, then the runs of its pfns. */
static void cell(struct map *m, const struct zone *zone, unsigned long block, int x, int y)
{
	struct kb_instance *kb = m->kb;
	unsigned long pb = kb->pageblock_nr_pages, pfn = block, end = block + pb;
	int mt = get_pfnblock_migratetype(kb, block < zone->zone_start_pfn ?
					  zone->zone_start_pfn : block);
	/* two pixels between cells: a pageblock's edges show */
	const double per_pfn = (double)(CELL_W - 2) / (double)pb;

	if (mt < 0 || mt >= MIGRATE_TYPES)
		mt = MIGRATE_UNMOVABLE;
	svg(m, "<rect class=\"mt mt-%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
	    kb_migratetype_name(mt), x, y, CELL_W - 2, BAND_H, mt_colours[mt]);
	while (pfn < end) {
		uint32_t st = pfn < kb->max_pfn && zone_spans_pfn(zone, pfn) ? m->state[pfn] : ST_NONE;
		unsigned long run = pfn + 1;
		char fill[40], cls[40];

		while (run < end && (run < kb->max_pfn && zone_spans_pfn(zone, run) ?
				     m->state[run] : (uint32_t)ST_NONE) == st)
			run++;
		style(m, st, fill, sizeof(fill), cls, sizeof(cls));
		svg(m, "<rect class=\"%s\" x=\"%.3f\" y=\"%d\" width=\"%.3f\" height=\"%d\" fill=\"%s\">",
		    cls, x + (double)(pfn - block) * per_pfn, y + BAND_H,
		    (double)(run - pfn) * per_pfn, CELL_H - BAND_H, fill);
		title(m, st, pfn, run);
		svg(m, "</rect>\n");
		pfn = run;
	}
	if (mt == MIGRATE_ISOLATE)
		svg(m, "<rect class=\"isolated\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#d73027\" stroke-width=\"2\"/>\n",
		    x + 1, y + 1, CELL_W - 4, CELL_H - 2);
}

/* The height a zone's section takes. */
static int zone_height(const struct kb_instance *kb, const struct zone *zone)
{
	unsigned long first = pageblock_start_pfn(kb, zone->zone_start_pfn);
	unsigned long blocks = (zone_end_pfn(zone) - first + kb->pageblock_nr_pages - 1) /
			       kb->pageblock_nr_pages;
	unsigned long rows = (blocks + CELLS_PER_ROW - 1) / CELLS_PER_ROW;

	return 26 + (int)rows * (CELL_H + ROW_GAP);
}

static int zone_section(struct map *m, int node, const struct zone *zone, int y)
{
	struct kb_instance *kb = m->kb;
	unsigned long first = pageblock_start_pfn(kb, zone->zone_start_pfn), block;
	int k = 0;

	svg(m, "<text class=\"zone\" x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">Node %d, zone %s: pfns [%#lx, %#lx), %lu present, %lu managed, %lu free</text>\n",
	    LEFT, y + 15, node, zone->name, zone->zone_start_pfn, zone_end_pfn(zone),
	    zone->present_pages, zone->managed_pages, zone_page_state(zone, NR_FREE_PAGES));
	y += 22;
	for (block = first; block < zone_end_pfn(zone); block += kb->pageblock_nr_pages, k++) {
		int col = k % CELLS_PER_ROW, row = k / CELLS_PER_ROW;
		int cy = y + row * (CELL_H + ROW_GAP);

		if (!col)
			svg(m, "<text class=\"pfn\" x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%#lx</text>\n",
			    LEFT - 6, cy + CELL_H / 2 + 4, block);
		cell(m, zone, block, LEFT + col * CELL_W, cy);
	}
	return zone_height(kb, zone);
}

/* One legend entry at (x, y): a swatch and its label; returns the next x. */
static int legend(struct map *m, int x, int y, const char *cls, const char *fill,
		  const char *label)
{
	svg(m, "<rect class=\"legend %s\" x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#555\" stroke-width=\"0.5\"/>\n",
	    cls, x, y, fill);
	svg(m, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n", x + 18, y + 11, label);
	return x + 26 + 7 * (int)strlen(label);
}

static void legends(struct map *m, int y)
{
	char fill[40], label[40];
	int x = LEFT, t;
	unsigned int o;

	svg(m, "<text x=\"10\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">pageblock</text>\n",
	    y + 11);
	for (t = 0; t < MIGRATE_TYPES; t++)
		x = legend(m, x, y, "mt", mt_colours[t], kb_migratetype_name(t));
	y += 22;
	x = LEFT;
	svg(m, "<text x=\"10\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">free</text>\n", y + 11);
	for (o = 0; o <= m->kb->max_order; o++) {
		free_colour(m, o, fill, sizeof(fill));
		snprintf(label, sizeof(label), "%u", o);
		x = legend(m, x, y, "free", fill, label);
	}
	svg(m, "<text x=\"%d\" y=\"%d\" font-size=\"12\">(order)</text>\n", x, y + 11);
	y += 22;
	x = LEFT;
	svg(m, "<text x=\"10\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">pages</text>\n", y + 11);
	alloc_colour(1, fill, sizeof(fill));
	x = legend(m, x, y, "alloc", fill, "allocated (a colour per owner)");
	x = legend(m, x, y, "pcp", "#fdd835", "per-CPU list");
	x = legend(m, x, y, "used", "#e0e0e0", "allocated, no owner");
	x = legend(m, x, y, "reserved", "#b0b0b0", "reserved");
	x = legend(m, x, y, "hole", "#3a3a3a", "hole");
	svg(m, "<rect class=\"legend isolated\" x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"#d73027\" stroke-width=\"2\"/>\n",
	    x, y);
	svg(m, "<text x=\"%d\" y=\"%d\" font-size=\"12\">isolated pageblock</text>\n", x + 18, y + 11);
}

static int render(struct map *m, const char *what)
{
	struct kb_instance *kb = m->kb;
	int height = 110, y, n, z;

	for (n = 0; n < kb->nr_node_ids; n++) {
		height += 24;
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (kb->node_data[n].node_zones[z].spanned_pages)
				height += zone_height(kb, &kb->node_data[n].node_zones[z]);
	}
	svg(m, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	svg(m, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n",
	    WIDTH, height, WIDTH, height);
	svg(m, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	svg(m, "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">kbuddy memory map: ");
	for (; *what; what++) {	/* the name, XML-escaped */
		if (*what == '<')
			svg(m, "&lt;");
		else if (*what == '>')
			svg(m, "&gt;");
		else if (*what == '&')
			svg(m, "&amp;");
		else if ((unsigned char)*what >= 0x20 && (unsigned char)*what < 0x7f)
			svg(m, "%c", *what);
	}
	svg(m, " (%d node%s, pageblock %lu pages, one cell per pageblock)</text>\n", kb->nr_node_ids,
	    kb->nr_node_ids == 1 ? "" : "s", kb->pageblock_nr_pages);
	legends(m, 34);
	y = 110;
	for (n = 0; n < kb->nr_node_ids; n++) {
		svg(m, "<line class=\"node\" x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\" stroke-width=\"1.5\"/>\n",
		    y + 2, WIDTH - 10, y + 2);
		svg(m, "<text class=\"node\" x=\"10\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">Node %d</text>\n",
		    y + 19, n);
		y += 24;
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &kb->node_data[n].node_zones[z];

			if (zone->spanned_pages)
				y += zone_section(m, n, zone, y);
		}
	}
	svg(m, "</svg>\n");
	return ferror(m->out) ? -1 : 0;
}

/* Writes the map of kb to path (.png through rsvg-convert, - for stdout). */
static int write_map(struct kb_instance *kb, const struct kb_shadow *sh, const char *what,
		     const char *path)
{
	size_t n = strlen(path);
	bool png = n > 4 && !strcmp(path + n - 4, ".png");
	char tmp[] = "/tmp/kbuddy-map-XXXXXX";
	struct map m = { .kb = kb, .sh = sh };
	int ret = -1, fd = -1;

	m.state = calloc(kb->max_pfn ? kb->max_pfn : 1, sizeof(*m.state));
	if (!m.state) {
		fprintf(stderr, "kbuddy: out of memory\n");
		return -1;
	}
	classify(&m);
	if (png) {
		fd = mkstemp(tmp);
		m.out = fd >= 0 ? fdopen(fd, "w") : NULL;
	} else {
		m.out = strcmp(path, "-") ? fopen(path, "w") : stdout;
	}
	if (!m.out) {
		fprintf(stderr, "kbuddy: cannot create %s: %s\n", png ? tmp : path, strerror(errno));
		goto out;
	}
	ret = render(&m, what);
	if (m.out != stdout && fclose(m.out))
		ret = -1;
	if (ret)
		fprintf(stderr, "kbuddy: cannot write %s\n", path);
	if (!ret && png) {
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			execlp("rsvg-convert", "rsvg-convert", "-o", path, tmp, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "kbuddy: rsvg-convert could not make %s%s\n", path,
				WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
				" (it is not installed: apt-get install librsvg2-bin, or bash ci/setup.sh)" : "");
			ret = -1;
		}
	}
out:
	if (png && fd >= 0)
		unlink(tmp);
	free(m.state);
	return ret;
}

int kb_cmd_map(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *arg = argv[0], *out = o->out ? o->out : "-";
	struct kb_run_options opt = { .check_level = o->level, .back_with_memory = true };
	struct kb_run_result res;
	struct kb_layout layout;
	struct kb_input *in;
	struct kb_run *run;
	int ret = 2;

	(void)argc;
	/* A layout name or layout file: the map at boot. */
	if (kb_cmd_names_layout(o, arg)) {
		char err[256];
		struct kb_instance *kb;

		if (kb_load_layout(arg, &layout))
			return 2;
		kb = kb_create(&layout, NULL, err, sizeof(err));
		if (!kb) {
			fprintf(stderr, "kbuddy: %s: %s\n", arg, err);
			return 2;
		}
		ret = write_map(kb, NULL, arg, out) ? 2 : 0;
		kb_destroy(kb);
		return ret;
	}
	/*
	 * An input: its operations run (a fuzz_boot input's own, without the
	 * frees the target adds at the end), then the map of the state.
	 */
	in = kb_input_new();
	if (kb_load_input(arg, o->target, o->binary, in)) {
		free(in);
		return 2;
	}
	run = in->boot ? kb_run_ops_on(&in->layout, &in->ops, &opt, &res) :
			 kb_run_ops(&in->ops, &opt, &res);
	if (!run) {
		fprintf(stderr, "kbuddy: %s: the layout did not boot: %s\n", arg, res.setup_error);
	} else {
		ret = res.violated ? 1 : 0;
		if (res.violated)
			fprintf(stderr, "kbuddy: %s: the run stopped at operation %ld on a violation (%s): the map shows the state then\n",
				arg, res.violation.op_index, res.violation.invariant);
		if (write_map(kb_run_instance(run), kb_run_shadow(run), arg, out))
			ret = 2;
		kb_run_destroy(run);
	}
	free(in);
	return ret;
}
