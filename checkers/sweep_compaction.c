/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 9: the state compaction keeps between runs. Each populated
 * zone's deferral counters stay inside the bounds mm/compaction.c gives
 * them, and a pageblock's compaction skip bit is only ever set on a
 * pageblock some populated zone spans (the scanners set it through a page
 * of the zone they compact). The bounds are the kernel's, written out here
 * rather than taken from core/compaction.h.
 */
#include <stdio.h>

#include "check_internal.h"

/* mm/compaction.c: COMPACT_MAX_DEFER_SHIFT */
#define CHECK_COMPACT_MAX_DEFER_SHIFT	6

/*
 * defer_compaction caps compact_defer_shift at COMPACT_MAX_DEFER_SHIFT;
 * compaction_deferred caps compact_considered at 1 << compact_defer_shift
 * (the shift only drops to 0 together with the count); compact_order_failed
 * is an order that failed (>= 0) or one past an order that succeeded
 * (<= MAX_PAGE_ORDER + 1).
 */
static int check_defer(struct kb_sweep *s, int nid, int zid)
{
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	unsigned int shift = zone->compact_defer_shift;

	if (shift > CHECK_COMPACT_MAX_DEFER_SHIFT) {
		kb_violation_set(s->v, "compaction-defer", nid, zid, zone->zone_start_pfn, -1, -1,
				 "compact_defer_shift is %u, above COMPACT_MAX_DEFER_SHIFT %d",
				 shift, CHECK_COMPACT_MAX_DEFER_SHIFT);
		return 1;
	}
	if (zone->compact_considered > 1UL << shift) {
		kb_violation_set(s->v, "compaction-defer", nid, zid, zone->zone_start_pfn, -1, -1,
				 "compact_considered is %u, above 1 << compact_defer_shift (%lu)",
				 zone->compact_considered, 1UL << shift);
		return 1;
	}
	if (zone->compact_order_failed < 0 ||
	    zone->compact_order_failed > (int)s->kb->max_order + 1) {
		kb_violation_set(s->v, "compaction-defer", nid, zid, zone->zone_start_pfn, -1, -1,
				 "compact_order_failed is %d, outside [0, MAX_PAGE_ORDER + 1 = %u]",
				 zone->compact_order_failed, s->kb->max_order + 1);
		return 1;
	}
	return 0;
}

/* Some populated zone's span meets pageblock b. */
static bool block_in_populated_zone(const struct kb_sweep *s, unsigned long b)
{
	unsigned long start = b << s->kb->pageblock_order;
	unsigned long end = start + s->kb->pageblock_nr_pages;

	for (int nid = 0; nid < s->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = kb_sweep_zone(s, nid, zid);

			if (zone->present_pages && zone->zone_start_pfn < end &&
			    zone_end_pfn(zone) > start)
				return true;
		}
	return false;
}

static int check_skip_bits(struct kb_sweep *s)
{
	const struct kb_instance *kb = s->kb;

	for (unsigned long b = 0; b < kb->nr_pageblocks; b++) {
		if (!(kb->pageblock_flags[b] & PB_compact_skip))
			continue;
		if (!block_in_populated_zone(s, b)) {
			kb_violation_set(s->v, "compaction-skip", -1, -1,
					 b << kb->pageblock_order, -1, -1,
					 "pageblock at pfn %#lx has the compaction skip bit but no populated zone spans it",
					 b << kb->pageblock_order);
			return 1;
		}
	}
	return 0;
}

int kb_sweep_compaction(struct kb_sweep *s)
{
	for (int nid = 0; nid < s->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (kb_sweep_zone(s, nid, zid)->present_pages && check_defer(s, nid, zid))
				return 1;
	return check_skip_bits(s);
}
