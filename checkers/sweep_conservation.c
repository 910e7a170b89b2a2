/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 7: conservation. Every pfn of a zone's span is exactly one of
 * hole, reserved, free (buddy lists), on a pcp list, or allocated (shadow).
 * Earlier phases rule out pages counted twice, so a mismatch here is a
 * page that went missing: taken off the lists and handed to nobody.
 */
#include <stdio.h>

#include "check_internal.h"

unsigned long kb_layout_holes_in(const struct kb_layout *layout,
				 unsigned long start, unsigned long end)
{
	struct kb_range r[KB_MAX_RANGES];
	unsigned int n = 0, nr = layout->nr_holes;
	unsigned long total = 0, covered_to = start;

	if (nr > KB_MAX_RANGES)
		nr = KB_MAX_RANGES;
	/* clip to [start, end) and sort by start, so overlaps count once */
	for (unsigned int i = 0; i < nr; i++) {
		unsigned long s = layout->hole[i].start, e = layout->hole[i].end;
		unsigned int j;

		if (s < start)
			s = start;
		if (e > end)
			e = end;
		if (s >= e)
			continue;
		for (j = n; j > 0 && r[j - 1].start > s; j--)
			r[j] = r[j - 1];
		r[j] = (struct kb_range){ s, e };
		n++;
	}
	for (unsigned int i = 0; i < n; i++) {
		unsigned long s = r[i].start > covered_to ? r[i].start : covered_to;

		if (r[i].end > s) {
			total += r[i].end - s;
			covered_to = r[i].end;
		}
	}
	return total;
}

int kb_sweep_conservation(struct kb_sweep *s)
{
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = kb_sweep_zone(s, nid, zid);
			const struct kb_zone_tally *t = &s->tally[nid][zid];
			unsigned long holes;

			if (!zone->spanned_pages || !t->lost)
				continue;
			holes = kb_layout_holes_in(&s->kb->layout, zone->zone_start_pfn,
						   zone_end_pfn(zone));
			kb_violation_set(s->v, "conservation", nid, zid, t->first_lost, -1, -1,
					 "spanned %lu != holes %lu + reserved %lu + free %lu + pcp %lu + allocated %lu: %lu pages are none of these, the first at pfn %#lx",
					 zone->spanned_pages, holes,
					 t->reserved >= holes ? t->reserved - holes : 0,
					 t->free, t->pcp, t->allocated, t->lost, t->first_lost);
			return 1;
		}
	}
	return 0;
}
