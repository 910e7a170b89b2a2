// SPDX-License-Identifier: GPL-2.0
/*
 * ZONE_MOVABLE from kernelcore= and movablecore= (mm/mm_init.c):
 * cmdline_parse_core reads the sizes; find_zone_movable_pfns_for_nodes
 * finds each node's zone_movable_pfn; adjust_zone_range_for_zone_movable
 * cuts the zones at it. The layout's zone spans are the zone ranges before
 * the cut, its holes the gaps between memblock's memory regions.
 * kernelcore=mirror and movable_node are not modelled (no mirrored or
 * hotpluggable memory in a layout).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "mm_types.h"

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int kb_core_size_parse(const char *s, struct kb_core_size *out, char *err, size_t errlen)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	memset(out, 0, sizeof(*out));
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return fail(err, errlen, "'%s' is not a size (SIZE[KMGTPE] in bytes, or N%%)", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || errno)
		return fail(err, errlen, "'%s' is not a size (SIZE[KMGTPE] in bytes, or N%%)", s);
	if (*end == '%' && !end[1]) {
		if (v > 100)
			return fail(err, errlen, "'%s': a percentage is at most 100", s);
		out->percent = (unsigned int)v;
		return 0;
	}
	switch (*end) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10; end++; break;
	default: break;
	}
	if (*end)
		return fail(err, errlen, "'%s' is not a size (SIZE[KMGTPE] in bytes, or N%%)", s);
	if (shift && v > (~0ULL >> shift))
		return fail(err, errlen, "'%s' is too large", s);
	out->pages = (unsigned long)((v << shift) >> PAGE_SHIFT);
	return 0;
}

/* One memblock memory region of a node: [start, end). */
struct mem_range {
	unsigned long start, end;
};

#define MAX_MEM_RANGES	(KB_NR_LAYOUT_ZONES * (KB_MAX_RANGES + 1))

struct movable {
	const struct kb_layout *l;
	struct mem_range range[KB_MAX_NODES][MAX_MEM_RANGES];
	unsigned int nr_range[KB_MAX_NODES];
	unsigned long zone_movable_pfn[KB_MAX_NODES];
};

static const struct kb_range *hole_at(const struct kb_layout *l, unsigned long pfn)
{
	for (unsigned int i = 0; i < l->nr_holes && i < KB_MAX_RANGES; i++)
		if (pfn >= l->hole[i].start && pfn < l->hole[i].end)
			return &l->hole[i];
	return NULL;
}

static unsigned long next_hole(const struct kb_layout *l, unsigned long pfn, unsigned long end)
{
	for (unsigned int i = 0; i < l->nr_holes && i < KB_MAX_RANGES; i++)
		if (l->hole[i].start > pfn && l->hole[i].start < end)
			end = l->hole[i].start;
	return end;
}

/* for_each_mem_pfn_range of a node: its zone spans less holes, adjacent runs merged. */
static void mem_ranges(struct movable *m, unsigned int nid)
{
	const struct kb_layout *l = m->l;
	unsigned int z, n = 0;

	for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
		const struct kb_range *r = &l->node[nid].zone[z];
		unsigned long pfn = r->start;

		while (pfn < r->end) {
			const struct kb_range *h = hole_at(l, pfn);
			unsigned long end;

			if (h) {
				pfn = h->end;
				continue;
			}
			end = next_hole(l, pfn, r->end);
			if (n && m->range[nid][n - 1].end == pfn)
				m->range[nid][n - 1].end = end;
			else if (n < MAX_MEM_RANGES)
				m->range[nid][n++] = (struct mem_range){ pfn, end };
			pfn = end;
		}
	}
	m->nr_range[nid] = n;
}

static unsigned long node_pages(const struct movable *m, unsigned int nid)
{
	unsigned long pages = 0;

	for (unsigned int i = 0; i < m->nr_range[nid]; i++)
		pages += m->range[nid][i].end - m->range[nid][i].start;
	return pages;
}

static unsigned long roundup_pfn(unsigned long pfn, unsigned long align)
{
	return (pfn + align - 1) / align * align;
}

/* find_zone_movable_pfns_for_nodes, its kernelcore= and movablecore= path. */
static void find_zone_movable_pfns_for_nodes(struct movable *m, unsigned long required_kernelcore,
					     unsigned long required_movablecore,
					     unsigned long usable_startpfn)
{
	const struct kb_layout *l = m->l;
	unsigned long max_order_nr_pages = 1UL << l->max_page_order;
	unsigned long totalpages = 0, kernelcore_node, kernelcore_remaining;
	int usable_nodes = 0;
	unsigned int nid, i;

	for (nid = 0; nid < l->nr_nodes; nid++) {
		unsigned long pages = node_pages(m, nid);

		totalpages += pages;
		usable_nodes += pages != 0;
	}

	if (required_movablecore) {
		unsigned long corepages;

		required_movablecore = roundup_pfn(required_movablecore, max_order_nr_pages);
		required_movablecore = KB_MIN(totalpages, required_movablecore);
		corepages = totalpages - required_movablecore;
		required_kernelcore = KB_MAX(required_kernelcore, corepages);
	}
	if (!required_kernelcore || required_kernelcore >= totalpages)
		return;

restart:
	kernelcore_node = required_kernelcore / (unsigned long)usable_nodes;
	for (nid = 0; nid < l->nr_nodes; nid++) {
		if (!node_pages(m, nid))
			continue;
		if (required_kernelcore < kernelcore_node)
			kernelcore_node = required_kernelcore / (unsigned long)usable_nodes;
		kernelcore_remaining = kernelcore_node;
		for (i = 0; i < m->nr_range[nid]; i++) {
			unsigned long start_pfn = m->range[nid][i].start;
			unsigned long end_pfn = m->range[nid][i].end, size_pages;

			start_pfn = KB_MAX(start_pfn, m->zone_movable_pfn[nid]);
			if (start_pfn >= end_pfn)
				continue;
			/* what only kernelcore can use: below the movable zone */
			if (start_pfn < usable_startpfn) {
				unsigned long kernel_pages = KB_MIN(end_pfn, usable_startpfn) - start_pfn;

				kernelcore_remaining -= KB_MIN(kernel_pages, kernelcore_remaining);
				required_kernelcore -= KB_MIN(kernel_pages, required_kernelcore);
				if (end_pfn <= usable_startpfn) {
					m->zone_movable_pfn[nid] = end_pfn;
					continue;
				}
				start_pfn = usable_startpfn;
			}
			size_pages = end_pfn - start_pfn;
			if (size_pages > kernelcore_remaining)
				size_pages = kernelcore_remaining;
			m->zone_movable_pfn[nid] = start_pfn + size_pages;
			required_kernelcore -= KB_MIN(required_kernelcore, size_pages);
			kernelcore_remaining -= size_pages;
			if (!kernelcore_remaining)
				break;
		}
	}
	/* what is still required goes to the nodes that still have memory */
	usable_nodes--;
	if (usable_nodes && required_kernelcore > (unsigned long)usable_nodes)
		goto restart;

	for (nid = 0; nid < l->nr_nodes; nid++) {
		unsigned long end_pfn = m->nr_range[nid] ? m->range[nid][m->nr_range[nid] - 1].end : 0;

		m->zone_movable_pfn[nid] = roundup_pfn(m->zone_movable_pfn[nid], max_order_nr_pages);
		if (m->zone_movable_pfn[nid] >= end_pfn)
			m->zone_movable_pfn[nid] = 0;
	}
}

int kb_layout_place_movable(struct kb_layout *l, const struct kb_core_size *kernelcore,
			    const struct kb_core_size *movablecore, char *err, size_t errlen)
{
	static const struct kb_core_size none;
	unsigned long totalpages = 0, required_kernelcore, required_movablecore;
	unsigned long usable_startpfn = ~0UL, highest = 0;
	struct movable *m;
	int movable_zone = -1, z;
	unsigned int nid;

	if (!kernelcore)
		kernelcore = &none;
	if (!movablecore)
		movablecore = &none;
	if (!kernelcore->pages && !kernelcore->percent && !movablecore->pages &&
	    !movablecore->percent)
		return 0;
	if (!l->nr_nodes || l->nr_nodes > KB_MAX_NODES)
		return fail(err, errlen, "kernelcore/movablecore: the layout has no nodes");
	for (nid = 0; nid < l->nr_nodes; nid++)
		if (l->node[nid].zone[ZONE_MOVABLE].start < l->node[nid].zone[ZONE_MOVABLE].end)
			return fail(err, errlen,
				    "kernelcore/movablecore place the Movable zone: node %u declares one",
				    nid);
	/* find_usable_zone_for_movable: the highest zone with memory */
	for (z = ZONE_MOVABLE - 1; z >= 0 && movable_zone < 0; z--)
		for (nid = 0; nid < l->nr_nodes; nid++)
			if (l->node[nid].zone[z].start < l->node[nid].zone[z].end)
				movable_zone = z;
	if (movable_zone < 0)
		return fail(err, errlen, "kernelcore/movablecore: the layout has no zones");
	/* arch_zone_lowest_possible_pfn and _highest_ of that zone */
	for (nid = 0; nid < l->nr_nodes; nid++) {
		const struct kb_range *r = &l->node[nid].zone[movable_zone];

		if (r->start < r->end) {
			usable_startpfn = KB_MIN(usable_startpfn, r->start);
			highest = KB_MAX(highest, r->end);
		}
	}

	m = calloc(1, sizeof(*m));
	if (!m)
		return fail(err, errlen, "out of memory placing the Movable zone");
	m->l = l;
	for (nid = 0; nid < l->nr_nodes; nid++) {
		mem_ranges(m, nid);
		totalpages += node_pages(m, nid);
	}
	required_kernelcore = kernelcore->pages;
	required_movablecore = movablecore->pages;
	if (kernelcore->percent)
		required_kernelcore = totalpages * 100 * kernelcore->percent / 10000UL;
	if (movablecore->percent)
		required_movablecore = totalpages * 100 * movablecore->percent / 10000UL;
	find_zone_movable_pfns_for_nodes(m, required_kernelcore, required_movablecore,
					 usable_startpfn);

	/* adjust_zone_range_for_zone_movable */
	for (nid = 0; nid < l->nr_nodes; nid++) {
		unsigned long zmp = m->zone_movable_pfn[nid], node_end;

		if (!zmp)
			continue;
		node_end = m->range[nid][m->nr_range[nid] - 1].end;
		for (z = 0; z < ZONE_MOVABLE; z++) {
			struct kb_range *r = &l->node[nid].zone[z];

			if (r->start < zmp && r->end > zmp)
				r->end = zmp;
			else if (r->start >= zmp && r->start < r->end)
				r->start = r->end = 0;
		}
		l->node[nid].zone[ZONE_MOVABLE] = (struct kb_range){ zmp, KB_MIN(node_end, highest) };
	}
	free(m);
	return 0;
}
