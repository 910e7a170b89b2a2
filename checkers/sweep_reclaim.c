/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sweep's LRU phase (after the free and pcp lists): the node LRU lists reclaim keeps (core/vmscan.c). Every
 * entry of a node's lists is the head of an allocated block of that node
 * (never a free page, never a tail), flagged PG_lru, on the list its
 * PG_active and PG_swapbacked name; the pages the lists hold, zone by
 * zone, are the sizes the lruvec records (lru_zone_size), nothing is left
 * isolated between operations, and every PG_lru page of mem_map is on a
 * list. Sizes are recounted here from the lists and mem_map alone.
 *
 * kb_check_kswapd judges a kswapd pass right after it ran, from the zones
 * and the pass record: a zone that was boosted when the pass started has
 * no boost left (balance_pgdat takes back what it started with), and a
 * pass that went back to sleep left an eligible zone at its high
 * watermark, unless kswapd gave up on the node (MAX_RECLAIM_RETRIES
 * failures).
 */
#include "check_internal.h"

/* include/linux/mmzone.h: the list a page's flags put it on (folio_lru_list) */
static enum lru_list expected_list(const struct page *page)
{
	int lru = PageSwapBacked(page) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;

	return (enum lru_list)(PageActive(page) ? lru + LRU_ACTIVE : lru);
}

static int check_entry(struct kb_sweep *s, int nid, int lru, const struct list_head *pos,
		       unsigned long sizes[MAX_NR_ZONES])
{
	struct kb_instance *kb = s->kb;
	uintptr_t p = (uintptr_t)pos, lo = (uintptr_t)kb->mem_map;
	const struct page *page;
	unsigned long pfn;

	if (p < lo || p >= (uintptr_t)(kb->mem_map + kb->max_pfn) ||
	    (p - lo) % sizeof(struct page) != offsetof(struct page, lru)) {
		kb_violation_set(s->v, "lru-lists", nid, -1, 0, -1, -1,
				 "LRU list %d of node %d links to %p, not a struct page", lru, nid,
				 (const void *)pos);
		return 1;
	}
	pfn = (p - lo) / sizeof(struct page);
	if (!pfn_valid(kb, pfn)) {
		kb_violation_set(s->v, "section-page", nid, -1, pfn, -1, -1,
				 "LRU list %d of node %d links to the struct page of pfn %#lx, in missing section %lu",
				 lru, nid, pfn, pfn_to_section_nr(pfn));
		return 1;
	}
	page = &kb->mem_map[pfn];
	if (PageBuddy(page) || page_ref_count(page) <= 0) {
		kb_violation_set(s->v, "lru-free", nid, page->zone, pfn, -1, -1,
				 "pfn %#lx is on LRU list %d and free (%s, refcount %d)", pfn, lru,
				 PageBuddy(page) ? "PG_buddy" : "not PG_buddy", page_ref_count(page));
		return 1;
	}
	if (PageTail(page) || !PageLru(page) || page->node != nid ||
	    expected_list(page) != (enum lru_list)lru || page->zone >= MAX_NR_ZONES ||
	    page->lru_order > kb->max_order) {
		kb_violation_set(s->v, "lru-lists", nid, page->zone, pfn, page->lru_order, -1,
				 "pfn %#lx on node %d's LRU list %d: %s", pfn, nid, lru,
				 PageTail(page) ? "a tail page" : !PageLru(page) ? "PG_lru clear" :
				 page->node != nid ? "of another node" :
				 expected_list(page) != (enum lru_list)lru ?
				 "its flags name another list" : "zone or order out of range");
		return 1;
	}
	sizes[page->zone] += 1UL << page->lru_order;
	return 0;
}

int kb_sweep_reclaim(struct kb_sweep *s)
{
	struct kb_instance *kb = s->kb;
	unsigned long entries = 0, lru_pages = 0;

	for (int nid = 0; nid < kb->nr_node_ids; nid++) {
		const struct lruvec *lruvec = &kb->node_data[nid].__lruvec;

		for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
			unsigned long sizes[MAX_NR_ZONES] = { 0 };
			const struct list_head *head = &lruvec->lists[lru], *pos;
			unsigned long n = 0;

			for (pos = head->next; pos != head; pos = pos->next) {
				if (++n > kb->max_pfn) {
					kb_violation_set(s->v, "lru-lists", nid, -1, 0, -1, -1,
							 "LRU list %d of node %d does not end", lru, nid);
					return 1;
				}
				if (check_entry(s, nid, lru, pos, sizes))
					return 1;
			}
			entries += n;
			for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
				if (sizes[zid] == lruvec->lru_zone_size[zid][lru])
					continue;
				kb_violation_set(s->v, "lru-counts", nid, zid, 0, -1, -1,
						 "LRU list %d holds %lu pages of zone %d, lru_zone_size says %lu",
						 lru, sizes[zid], zid, lruvec->lru_zone_size[zid][lru]);
				return 1;
			}
		}
		for (int file = 0; file < 2; file++) {
			if (!lruvec->nr_isolated[file])
				continue;
			kb_violation_set(s->v, "lru-counts", nid, -1, 0, -1, -1,
					 "%lu %s pages isolated between operations (NR_ISOLATED_%s)",
					 lruvec->nr_isolated[file], file ? "file" : "anon",
					 file ? "FILE" : "ANON");
			return 1;
		}
	}
	/*
	 * The fast sweep counts the PG_lru pages in its one pass over the
	 * pfns (kb_sweep_pages), which reads only the struct pages that
	 * changed since the checked snapshot.
	 */
	s->lru_entries = entries;
	if (s->heads_only)
		return 0;
	unsigned long a, b;

	for_each_valid_range(kb, 0, kb->max_pfn, a, b)
		for (unsigned long pfn = a; pfn < b; pfn++)
			lru_pages += PageLru(&kb->mem_map[pfn]);
	if (lru_pages != entries) {
		kb_violation_set(s->v, "lru-lists", -1, -1, 0, -1, -1,
				 "%lu pages are PG_lru but the LRU lists hold %lu", lru_pages, entries);
		return 1;
	}
	return 0;
}

/* zone_watermark_ok at order 0 for the high mark: free above high + boost + reserve. */
static bool zone_at_high(const struct zone *zone, int highest_zoneidx)
{
	long free = (long)zone_page_state(zone, NR_FREE_PAGES);
	long mark = (long)(zone->_watermark[WMARK_HIGH] + zone->watermark_boost);

	return free > mark + zone->lowmem_reserve[highest_zoneidx];
}

int kb_check_kswapd(const struct kb_instance *kb, struct kb_violation *v)
{
	const struct kb_kswapd_pass *pass = &kb->kswapd_pass;
	const pg_data_t *pgdat;
	bool any = false, managed = false;

	if (!pass->ran || pass->nid < 0 || pass->nid >= kb->nr_node_ids ||
	    pass->highest_zoneidx < 0 || pass->highest_zoneidx >= MAX_NR_ZONES)
		return 0;
	pgdat = &kb->node_data[pass->nid];
	for (int zid = 0; zid <= pass->highest_zoneidx; zid++) {
		const struct zone *zone = &pgdat->node_zones[zid];

		if (!zone->managed_pages)
			continue;
		managed = true;
		if (pass->boost_before[zid] && zone->watermark_boost) {
			kb_violation_set(v, "kswapd-boost", pass->nid, zid, zone->zone_start_pfn,
					 -1, -1,
					 "%s's watermark_boost is %lu after a kswapd pass that started with %lu",
					 zone->name, zone->watermark_boost, pass->boost_before[zid]);
			return 1;
		}
		if (pass->reclaim_order == 0 && zone_at_high(zone, pass->highest_zoneidx))
			any = true;
	}
	/* The order-0 test is only a lower bound for a higher reclaim_order. */
	if (pass->slept && !pass->hopeless && pass->reclaim_order == 0 && managed && !any) {
		kb_violation_set(v, "kswapd-balanced", pass->nid, -1, 0, -1, -1,
				 "kswapd went to sleep with no zone up to %d at its high watermark",
				 pass->highest_zoneidx);
		return 1;
	}
	return 0;
}
