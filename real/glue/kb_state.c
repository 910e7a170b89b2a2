// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy's state in the terms the real build exports it (real_api.h): the
 * same walk of the same lists, so the two can be compared field by field.
 */
#include <string.h>

#include "internal.h"
#include "kb_state.h"

/* Hashes a list in its order; its first pfns go to first[] when given. */
static uint64_t list_hash(const struct kb_instance *kb, const struct list_head *head,
			  unsigned long *nr, unsigned long *first)
{
	uint64_t h = 0;
	unsigned long n = 0;

	for (const struct list_head *p = head->next; p != head; p = p->next) {
		const struct page *page = list_entry(p, struct page, lru);

		if (first && n < REAL_LIST_SHOWN)
			first[n] = kb_page_to_pfn(kb, page);
		h = real_hash_step(h, kb_page_to_pfn(kb, page));
		n++;
	}
	*nr = n;
	return h;
}

static void zone_state(const struct kb_instance *kb, const struct zone *zone,
		       struct real_zone_state *zs)
{
	unsigned long n;

	zs->spanned = zone->spanned_pages != 0;
	zs->start_pfn = zone->zone_start_pfn;
	zs->spanned_pages = zone->spanned_pages;
	zs->present_pages = zone->present_pages;
	zs->managed_pages = zone->managed_pages;
	if (!zs->spanned)
		return;
	for (unsigned int o = 0; o <= kb->max_order && o < REAL_MAX_ORDERS; o++) {
		zs->area_nr_free[o] = zone->free_area[o].nr_free;
		for (int mt = 0; mt < MIGRATE_TYPES && mt < REAL_NR_MIGRATETYPES; mt++) {
			zs->free_hash[o][mt] = list_hash(kb, &zone->free_area[o].free_list[mt], &n,
								 zs->free_head[o][mt]);
			zs->nr_free[o][mt] = n;
		}
	}
	zs->nr_free_pages = zone->vm_stat[NR_FREE_PAGES];
	zs->nr_free_cma_pages = zone->vm_stat[NR_FREE_CMA_PAGES];
	for (int w = 0; w < 3; w++)
		zs->watermark[w] = zone->_watermark[w];
	zs->watermark_boost = zone->watermark_boost;
	zs->nr_reserved_highatomic = zone->nr_reserved_highatomic;
	for (int z = 0; z < MAX_NR_ZONES && z < REAL_NR_ZONES; z++)
		zs->lowmem_reserve[z] = zone->lowmem_reserve[z];
	zs->nr_isolate_pageblock = zone->nr_isolate_pageblock;
	for (unsigned long pfn = zone->zone_start_pfn & ~(kb->pageblock_nr_pages - 1);
	     pfn < zone_end_pfn(zone); pfn += kb->pageblock_nr_pages) {
		unsigned long first = pfn < zone->zone_start_pfn ? zone->zone_start_pfn : pfn;
		int mt = kb_pageblock_migratetype(kb, first);

		if (mt >= 0 && mt < REAL_NR_MIGRATETYPES)
			zs->pageblocks[mt]++;
		zs->pageblock_hash = real_hash_step(zs->pageblock_hash, pfn);
		zs->pageblock_hash = real_hash_step(zs->pageblock_hash, (uint64_t)mt);
	}
	for (int cpu = 0; cpu < kb->nr_cpu_ids && cpu < REAL_MAX_CPUS; cpu++) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		struct real_pcp_state *ps = &zs->pcp[cpu];

		ps->count = pcp->count;
		ps->high = pcp->high;
		ps->high_min = pcp->high_min;
		ps->high_max = pcp->high_max;
		ps->batch = pcp->batch;
		for (int i = 0; i < NR_PCP_LISTS && i < REAL_NR_PCP_LISTS; i++) {
			ps->hash[i] = list_hash(kb, &pcp->lists[i], &n, NULL);
			ps->nr[i] = (unsigned int)n;
		}
	}
}

void kb_real_state(const struct kb_instance *kb, struct real_state *out)
{
	memset(out, 0, sizeof(*out));
	out->nr_cpus = (unsigned int)kb->nr_cpu_ids;
	out->nr_nodes = (unsigned int)kb->nr_node_ids;
	for (int n = 0; n < kb->nr_node_ids && n < REAL_MAX_NODES; n++)
		for (int z = 0; z < MAX_NR_ZONES && z < REAL_NR_ZONES; z++)
			zone_state(kb, &kb->node_data[n].node_zones[z], &out->zone[n][z]);
}
