/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 5: one pass over every pfn. PG_buddy must mark exactly the
 * free-list heads the walk found; inside each zone span every pfn that is
 * neither free, on a pcp list nor allocated (those were tallied by the
 * earlier phases) is tallied as reserved or lost (the conservation phase
 * reports lost pages).
 */
#include <stdio.h>

#include "check_internal.h"

/* Zone spans sorted by start; returns how many. */
int kb_sweep_zone_segments(const struct kb_sweep *s, struct kb_zone_seg *seg)
{
	int n = 0;

	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = kb_sweep_zone(s, nid, zid);
			struct kb_zone_seg z;
			int i;

			if (!zone->spanned_pages)
				continue;
			z = (struct kb_zone_seg){ zone->zone_start_pfn, zone_end_pfn(zone), nid, zid };
			for (i = n; i > 0 && seg[i - 1].start > z.start; i--)
				seg[i] = seg[i - 1];
			seg[i] = z;
			n++;
		}
	}
	return n;
}

/*
 * The pfns [start, end): PG_buddy only on free-list heads, and the
 * reserved and lost pages of zone tally t (NULL outside every zone).
 * Pages of free blocks, pcp pages and live allocations had their flags
 * checked page by page and were tallied already: they are skipped without
 * touching struct page again.
 */
static int scan_valid_range(struct kb_sweep *s, unsigned long start, unsigned long end,
			    struct kb_zone_tally *t)
{
	const struct page *mem_map = s->kb->mem_map;
	const uint32_t *owner = s->sh->owner;
	const uint32_t *mark = s->mark;

	for (unsigned long pfn = start; pfn < end; pfn++) {
		const struct page *page;

		if (mark[pfn] | owner[pfn])
			continue;
		page = &mem_map[pfn];
		if (PageBuddy(page)) {
			kb_violation_set(s->v, "buddy-flag", page->node, page->zone, pfn,
					 (int)buddy_order(page), -1,
					 "pfn %#lx has PG_buddy (private %lu) but heads no block on a free list",
					 pfn, buddy_order(page));
			return 1;
		}
		if (!t)
			continue;
		if (PageReserved(page))
			t->reserved++;
		else if (t->lost++ == 0)
			t->first_lost = pfn;
	}
	return 0;
}

/* The valid pfns of [start, end): missing sections have no pages to scan. */
static int scan_range(struct kb_sweep *s, unsigned long start, unsigned long end,
		      struct kb_zone_tally *t)
{
	unsigned long a, b;

	for_each_valid_range(s->kb, start, end, a, b)
		if (scan_valid_range(s, a, b, t))
			return 1;
	return 0;
}

int kb_sweep_pfns(struct kb_sweep *s)
{
	struct kb_zone_seg seg[KB_MAX_NODES * MAX_NR_ZONES];
	int nseg = kb_sweep_zone_segments(s, seg);
	unsigned long pfn = 0;

	for (int i = 0; i < nseg; i++) {
		unsigned long start = seg[i].start > pfn ? seg[i].start : pfn;

		/* the gap before this zone, then the zone itself */
		if (scan_range(s, pfn, start, NULL) ||
		    scan_range(s, start, seg[i].end, &s->tally[seg[i].nid][seg[i].zid]))
			return 1;
		if (seg[i].end > pfn)
			pfn = seg[i].end;
	}
	return scan_range(s, pfn, s->kb->max_pfn, NULL);
}
