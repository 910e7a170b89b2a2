/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 6: each zone's counters against what the list walk and the
 * pfn scan counted: signs, nr_free, the free vmstat items, the highatomic
 * counters and cap, pcp counts, disabled pcp lists, and the page totals.
 */
#include <limits.h>
#include <stdio.h>

#include "check_internal.h"

static const char *const stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	[NR_FREE_PAGES] = "NR_FREE_PAGES",
	[NR_FREE_CMA_PAGES] = "NR_FREE_CMA_PAGES",
};

static int check_signs(struct kb_sweep *s, int nid, int zid)
{
	const struct zone *zone = kb_sweep_zone(s, nid, zid);

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		if (zone->vm_stat[i] < 0) {
			kb_violation_set(s->v, "counter-negative", nid, zid, 0, -1, -1,
					 "%s is %ld", stat_names[i], zone->vm_stat[i]);
			return 1;
		}
	}
	for (unsigned int o = 0; o < KB_NR_ORDERS_MAX; o++) {
		if (zone->free_area[o].nr_free > LONG_MAX) {
			kb_violation_set(s->v, "counter-negative", nid, zid, 0, (int)o, -1,
					 "free_area[%u].nr_free is %ld", o,
					 (long)zone->free_area[o].nr_free);
			return 1;
		}
	}
	if (zone->nr_free_highatomic > LONG_MAX) {
		kb_violation_set(s->v, "counter-negative", nid, zid, 0, -1, -1,
				 "nr_free_highatomic is %ld", (long)zone->nr_free_highatomic);
		return 1;
	}
	if (zone->nr_reserved_highatomic > LONG_MAX) {
		kb_violation_set(s->v, "counter-negative", nid, zid, 0, -1, -1,
				 "nr_reserved_highatomic is %ld", (long)zone->nr_reserved_highatomic);
		return 1;
	}
	for (int cpu = 0; cpu < s->nr_cpus; cpu++) {
		if (zone->per_cpu_pageset[cpu].count < 0) {
			kb_violation_set(s->v, "counter-negative", nid, zid, 0, -1, -1,
					 "cpu %d pcp->count is %d", cpu,
					 zone->per_cpu_pageset[cpu].count);
			return 1;
		}
	}
	if (zone->pcp_disabled < 0) {
		kb_violation_set(s->v, "counter-negative", nid, zid, 0, -1, -1,
				 "pcp_disabled is %d", zone->pcp_disabled);
		return 1;
	}
	return 0;
}

static int check_free_counts(struct kb_sweep *s, int nid, int zid)
{
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	unsigned long pages[MIGRATE_TYPES] = { 0 };
	unsigned long nonisolate = 0;

	for (unsigned int o = 0; o < KB_NR_ORDERS_MAX; o++) {
		unsigned long blocks = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			blocks += s->nr_blocks[nid][zid][o][mt];
			pages[mt] += s->nr_blocks[nid][zid][o][mt] << o;
		}
		if (zone->free_area[o].nr_free != blocks) {
			kb_violation_set(s->v, "nr-free", nid, zid, 0, (int)o, -1,
					 "free_area[%u].nr_free is %lu but its lists hold %lu blocks",
					 o, zone->free_area[o].nr_free, blocks);
			return 1;
		}
	}
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		if (!is_migrate_isolate(mt))
			nonisolate += pages[mt];
	if (zone->vm_stat[NR_FREE_PAGES] != (long)nonisolate) {
		kb_violation_set(s->v, "vmstat-free-pages", nid, zid, 0, -1, -1,
				 "NR_FREE_PAGES is %ld but the non-isolated free lists hold %lu pages (%lu more isolated)",
				 zone->vm_stat[NR_FREE_PAGES], nonisolate, pages[MIGRATE_ISOLATE]);
		return 1;
	}
	if (zone->vm_stat[NR_FREE_CMA_PAGES] != (long)pages[MIGRATE_CMA]) {
		kb_violation_set(s->v, "vmstat-free-cma", nid, zid, 0, -1, MIGRATE_CMA,
				 "NR_FREE_CMA_PAGES is %ld but the CMA free lists hold %lu pages",
				 zone->vm_stat[NR_FREE_CMA_PAGES], pages[MIGRATE_CMA]);
		return 1;
	}
	if (zone->nr_free_highatomic != pages[MIGRATE_HIGHATOMIC]) {
		kb_violation_set(s->v, "highatomic-free", nid, zid, 0, -1, MIGRATE_HIGHATOMIC,
				 "nr_free_highatomic is %lu but the HIGHATOMIC free lists hold %lu pages",
				 zone->nr_free_highatomic, pages[MIGRATE_HIGHATOMIC]);
		return 1;
	}
	return 0;
}

static int check_highatomic(struct kb_sweep *s, int nid, int zid)
{
	const struct kb_instance *kb = s->kb;
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	unsigned long pbnr = kb->pageblock_nr_pages;
	unsigned long blocks = 0, managed = zone->managed_pages, cap;

	if (zone->spanned_pages)
		blocks = kb_check_count_blocks(kb, zone, PB_MIGRATETYPE_MASK, MIGRATE_HIGHATOMIC);
	if (zone->nr_reserved_highatomic != blocks * pbnr) {
		kb_violation_set(s->v, "highatomic-reserved", nid, zid, 0, -1, MIGRATE_HIGHATOMIC,
				 "nr_reserved_highatomic is %lu but %lu pageblocks (%lu pages) are stored HIGHATOMIC",
				 zone->nr_reserved_highatomic, blocks, blocks * pbnr);
		return 1;
	}
	if (KB_HIGHATOMIC_CAP_ALIGNED && managed / 100 < pbnr) {
		if (zone->nr_reserved_highatomic) {
			kb_violation_set(s->v, "highatomic-cap", nid, zid, 0, -1, MIGRATE_HIGHATOMIC,
					 "nr_reserved_highatomic is %lu in a zone of %lu managed pages, too small to reserve",
					 zone->nr_reserved_highatomic, managed);
			return 1;
		}
		return 0;
	}
	/* the last reservation starts below the limit: the limit rounded up to pageblocks */
	cap = KB_HIGHATOMIC_CAP_ALIGNED ? managed / 100 : managed / 100 + pbnr;
	cap = ((cap + pbnr - 1) & ~(pbnr - 1)) + (1UL << kb->max_order) - pbnr;
	if (zone->nr_reserved_highatomic > cap) {
		kb_violation_set(s->v, "highatomic-cap", nid, zid, 0, -1, MIGRATE_HIGHATOMIC,
				 "nr_reserved_highatomic is %lu, above the cap %lu for %lu managed pages",
				 zone->nr_reserved_highatomic, cap, managed);
		return 1;
	}
	return 0;
}

/* nr_isolate_pageblock counts the zone's pageblocks with the isolate bit. */
static int check_isolate_count(struct kb_sweep *s, int nid, int zid)
{
	const struct kb_instance *kb = s->kb;
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	unsigned long blocks = 0;

	if (zone->spanned_pages)
		blocks = kb_check_count_blocks(kb, zone, PB_migrate_isolate, PB_migrate_isolate);
	if (zone->nr_isolate_pageblock != blocks) {
		kb_violation_set(s->v, "isolate-count", nid, zid, zone->zone_start_pfn, -1,
				 MIGRATE_ISOLATE,
				 "nr_isolate_pageblock is %lu but %lu pageblocks are isolated",
				 zone->nr_isolate_pageblock, blocks);
		return 1;
	}
	return 0;
}

static int check_pcp_counts(struct kb_sweep *s, int nid, int zid)
{
	const struct zone *zone = kb_sweep_zone(s, nid, zid);

	for (int cpu = 0; cpu < s->nr_cpus; cpu++) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		unsigned long pages = 0;

		for (unsigned int pi = 0; pi < NR_PCP_LISTS; pi++)
			pages += s->pcp_pages[nid][zid][cpu][pi];
		if ((unsigned long)pcp->count != pages) {
			kb_violation_set(s->v, "pcp-count", nid, zid, 0, -1, -1,
					 "cpu %d pcp->count is %d but its lists hold %lu pages",
					 cpu, pcp->count, pages);
			return 1;
		}
	}
	if (zone->pcp_disabled > 0) {
		for (int cpu = 0; cpu < s->nr_cpus; cpu++) {
			for (unsigned int pi = 0; pi < NR_PCP_LISTS; pi++) {
				if (s->pcp_pages[nid][zid][cpu][pi]) {
					kb_violation_set(s->v, "pcp-disabled-empty", nid, zid, 0,
							 (int)pindex_to_order(s->kb, pi), -1,
							 "pcp is disabled (%d) but cpu %d list %u holds %lu pages",
							 zone->pcp_disabled, cpu, pi,
							 s->pcp_pages[nid][zid][cpu][pi]);
					return 1;
				}
			}
		}
	}
	return 0;
}

static int check_managed(struct kb_sweep *s, int nid, int zid)
{
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	const struct kb_zone_tally *t = &s->tally[nid][zid];
	unsigned long holes, reserved;

	if (!zone->spanned_pages) {
		if (zone->present_pages || zone->managed_pages) {
			kb_violation_set(s->v, "managed-pages", nid, zid, 0, -1, -1,
					 "an empty zone has present %lu managed %lu",
					 zone->present_pages, zone->managed_pages);
			return 1;
		}
		return 0;
	}
	holes = kb_layout_holes_in(&s->kb->layout, zone->zone_start_pfn, zone_end_pfn(zone));
	if (zone->present_pages != zone->spanned_pages - holes) {
		kb_violation_set(s->v, "managed-pages", nid, zid, zone->zone_start_pfn, -1, -1,
				 "present %lu != spanned %lu - holes %lu",
				 zone->present_pages, zone->spanned_pages, holes);
		return 1;
	}
	/*
	 * Hole pages of missing sections have no struct page to be
	 * PG_reserved (the section phase held the missing sections to the
	 * layout's holes): the rest of the holes must be.
	 */
	holes -= kb_check_missing_pages(s->kb, zone->zone_start_pfn, zone_end_pfn(zone));
	if (t->reserved < holes) {
		kb_violation_set(s->v, "managed-pages", nid, zid, zone->zone_start_pfn, -1, -1,
				 "only %lu PG_reserved pages in a span with %lu hole pages",
				 t->reserved, holes);
		return 1;
	}
	reserved = t->reserved - holes;
	if (zone->managed_pages != zone->present_pages - reserved) {
		kb_violation_set(s->v, "managed-pages", nid, zid, zone->zone_start_pfn, -1, -1,
				 "managed %lu != present %lu - reserved %lu",
				 zone->managed_pages, zone->present_pages, reserved);
		return 1;
	}
	return 0;
}

int kb_sweep_counters(struct kb_sweep *s)
{
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			if (check_signs(s, nid, zid) || check_free_counts(s, nid, zid) ||
			    check_highatomic(s, nid, zid) || check_isolate_count(s, nid, zid) ||
			    check_pcp_counts(s, nid, zid) ||
			    check_managed(s, nid, zid))
				return 1;
		}
	}
	return 0;
}
