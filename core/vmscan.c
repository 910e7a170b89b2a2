// SPDX-License-Identifier: GPL-2.0
/*
 * Page reclaim (mm/vmscan.c): the node LRU lists, shrink_node at a
 * priority, direct reclaim (try_to_free_pages) and kswapd (wakeup_kswapd,
 * balance_pgdat with boosted reclaim, pgdat_balanced, the sleep that
 * wakes kcompactd).
 *
 * Reclaiming a page is asking its owner to give it up
 * (kb->owner.reclaim_page): the owner drops its handle, and reclaim frees
 * the block. A block the owner will not give up (GET references hold it:
 * __remove_mapping's refcount freeze fails) goes back on the LRU.
 *
 * kswapd runs only when an operation says so (kb_kswapd: one pass of its
 * loop, if it was woken); direct reclaim runs inside the allocation that
 * needs it. Not modelled: memcg, MGLRU, dirty pages and writeback
 * (every LRU page is clean), swap, shrinkers, reclaim throttling, refault
 * detection, and shrink_node's should_continue_reclaim loop.
 */
#include <errno.h>
#include <string.h>

#include "compaction.h"
#include "vmscan.h"

/* --- the LRU lists (mm/swap.c, include/linux/mm_inline.h) --- */

/* Anon pages are PG_swapbacked, the rest file pages (folio_lru_list). */
static enum lru_list folio_lru_list(const struct page *page)
{
	enum lru_list lru = PageSwapBacked(page) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;

	return PageActive(page) ? lru + LRU_ACTIVE : lru;
}

static void update_lru_size(struct lruvec *lruvec, enum lru_list lru, int zid, long nr)
{
	lruvec->lru_zone_size[zid][lru] += (unsigned long)nr;
}

/* lruvec_add_folio: at the head, the young end. */
static void lruvec_add_folio(struct kb_instance *kb, struct lruvec *lruvec, struct page *page)
{
	enum lru_list lru = folio_lru_list(page);

	update_lru_size(lruvec, lru, page->zone, 1L << page->lru_order);
	kb_list_add(kb, &page->lru, &lruvec->lists[lru]);
}

static void lruvec_del_folio(struct kb_instance *kb, struct lruvec *lruvec, struct page *page)
{
	enum lru_list lru = folio_lru_list(page);

	kb_list_del(kb, &page->lru);
	update_lru_size(lruvec, lru, page->zone, -(1L << page->lru_order));
}

unsigned long lruvec_lru_size(const struct lruvec *lruvec, enum lru_list lru, int zone_idx)
{
	unsigned long size = 0;

	for (int zid = 0; zid <= zone_idx && zid < MAX_NR_ZONES; zid++)
		size += lruvec->lru_zone_size[zid][lru];
	return size;
}

unsigned long zone_reclaimable_pages(const struct zone *zone)
{
	const struct lruvec *lruvec = &zone->zone_pgdat->__lruvec;
	int zid = zone_idx(zone);

	return lruvec->lru_zone_size[zid][LRU_INACTIVE_FILE] +
	       lruvec->lru_zone_size[zid][LRU_ACTIVE_FILE];
}

/* folio_add_lru: a block its owner just filled goes on the inactive list. */
void kb_lru_add(struct kb_instance *kb, struct page *page, unsigned int order, bool anon)
{
	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	page->lru_order = (uint8_t)order;
	if (anon)
		SetPageSwapBacked(page);
	SetPageLru(page);
	lruvec_add_folio(kb, node_lruvec(&kb->node_data[page->node]), page);
}

/* The owner is about to free a block: off its LRU list (folio_del_from_lru). */
void kb_lru_del(struct kb_instance *kb, struct page *page)
{
	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	if (PageLru(page)) {
		lruvec_del_folio(kb, node_lruvec(&kb->node_data[page->node]), page);
		ClearPageLru(page);
	}
	page->flags &= ~((1u << PG_active) | (1u << PG_referenced) | (1u << PG_swapbacked));
	page->lru_order = 0;
}

bool folio_isolate_lru(struct kb_instance *kb, struct page *page)
{
	struct lruvec *lruvec = node_lruvec(&kb->node_data[page->node]);

	if (!PageLru(page))
		return false;
	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	lruvec_del_folio(kb, lruvec, page);
	ClearPageLru(page);
	lruvec->nr_isolated[!PageSwapBacked(page)] += 1UL << page->lru_order;
	return true;
}

void folio_putback_lru(struct kb_instance *kb, struct page *page)
{
	struct lruvec *lruvec = node_lruvec(&kb->node_data[page->node]);

	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	lruvec->nr_isolated[!PageSwapBacked(page)] -= 1UL << page->lru_order;
	SetPageLru(page);
	lruvec_add_folio(kb, lruvec, page);
}

void folio_migrated_lru(struct kb_instance *kb, int nid, bool file, unsigned long nr_pages)
{
	node_lruvec(&kb->node_data[nid])->nr_isolated[file] -= nr_pages;
}

/* Migration moved old's contents to new: new takes its LRU state (folio_migrate_flags). */
void kb_lru_replace(struct kb_instance *kb, struct page *old, struct page *new,
		    unsigned int order)
{
	uint32_t state = old->flags & ((1u << PG_active) | (1u << PG_referenced));
	bool anon = PageSwapBacked(old);

	kb_lru_del(kb, old);
	kb_dirty_range(kb, page_to_pfn(kb, new), 1);
	new->flags |= state;
	kb_lru_add(kb, new, order, anon);
}

/*
 * mark_page_accessed: a second access of an inactive page moves it to
 * the active list (folio_activate), a first one only marks it.
 */
void kb_mark_page_accessed(struct kb_instance *kb, struct page *page)
{
	struct lruvec *lruvec = node_lruvec(&kb->node_data[page->node]);

	if (!PageLru(page))
		return;
	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	if (!PageActive(page) && PageReferenced(page)) {
		lruvec_del_folio(kb, lruvec, page);
		SetPageActive(page);
		lruvec_add_folio(kb, lruvec, page);
		ClearPageReferenced(page);
		kb->vm_events[PGACTIVATE] += 1UL << page->lru_order;
	} else if (!PageReferenced(page)) {
		SetPageReferenced(page);
	}
}

/* --- shrinking the lists --- */

/*
 * Takes up to nr_to_scan pages' worth of blocks from the tail (the old
 * end) of lru onto dst (isolate_lru_folios). Blocks above reclaim_idx are
 * skipped and put back at the head; they do not count against
 * nr_to_scan, so the walk also ends when the list has been gone through.
 */
static unsigned long isolate_lru_folios(struct kb_instance *kb, unsigned long nr_to_scan,
					struct lruvec *lruvec, struct list_head *dst,
					unsigned long *nr_scanned, struct scan_control *sc,
					enum lru_list lru)
{
	struct list_head *src = &lruvec->lists[lru];
	unsigned long nr_taken = 0, scan = 0, total_scan = 0, nr_skipped = 0;
	struct list_head folios_skipped;

	INIT_LIST_HEAD(&folios_skipped);
	while (scan < nr_to_scan && !list_empty(src)) {
		struct page *page = list_last_entry(src, struct page, lru);
		unsigned long nr_pages = 1UL << page->lru_order;

		total_scan += nr_pages;
		kb_list_del(kb, &page->lru);
		if (page->zone > sc->reclaim_idx) {
			nr_skipped += nr_pages;
			kb_list_add(kb, &page->lru, &folios_skipped);
			continue;
		}
		scan += nr_pages;
		/* folio_test_clear_lru: the block is reclaim's now */
		update_lru_size(lruvec, lru, page->zone, -(long)nr_pages);
		ClearPageLru(page);
		nr_taken += nr_pages;
		kb_list_add(kb, &page->lru, dst);
	}
	/* list_splice(&folios_skipped, src), one block at a time for the dirty map */
	while (!list_empty(&folios_skipped)) {
		struct page *page = list_last_entry(&folios_skipped, struct page, lru);

		kb_list_del(kb, &page->lru);
		kb_list_add(kb, &page->lru, src);
	}
	if (nr_skipped)
		kb->vm_events[PGSCAN_SKIP] += nr_skipped;
	*nr_scanned = total_scan;
	return nr_taken;
}

/* Puts isolated blocks back on the lists their flags name (move_folios_to_lru). */
static void move_folios_to_lru(struct kb_instance *kb, struct lruvec *lruvec,
			       struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		kb_list_del(kb, &page->lru);
		SetPageLru(page);
		lruvec_add_folio(kb, lruvec, page);
	}
}

/*
 * Reclaims what it can of the isolated blocks on folio_list and leaves
 * the rest there (shrink_folio_list). Every LRU page is clean and
 * unmapped: folio_check_references clears PG_referenced and says reclaim,
 * and __remove_mapping succeeds unless someone else holds a reference.
 */
static unsigned long shrink_folio_list(struct kb_instance *kb, struct list_head *folio_list,
				       unsigned long nr_taken)
{
	struct list_head ret_folios;
	unsigned long nr_reclaimed = 0;
	unsigned long taken = 0;

	INIT_LIST_HEAD(&ret_folios);
	while (!list_empty(folio_list) && taken < nr_taken) {
		struct page *page = list_first_entry(folio_list, struct page, lru);
		unsigned int order = page->lru_order;

		taken += 1UL << order;
		kb_list_del(kb, &page->lru);
		ClearPageReferenced(page);
		if (kb->owner.reclaim_page && !kb->owner.reclaim_page(kb, page, kb->owner.ctx)) {
			/* the owner let go: the block is no one's, free it */
			page->flags &= ~((1u << PG_active) | (1u << PG_swapbacked));
			page->lru_order = 0;
			kb_dirty_range(kb, page_to_pfn(kb, page), 1);
			__free_pages(kb, page, order);
			nr_reclaimed += 1UL << order;
			continue;
		}
		kb_list_add_tail(kb, &page->lru, &ret_folios);
	}
	while (!list_empty(&ret_folios)) {
		struct page *page = list_first_entry(&ret_folios, struct page, lru);

		kb_list_del(kb, &page->lru);
		kb_list_add_tail(kb, &page->lru, folio_list);
	}
	return nr_reclaimed;
}

static unsigned long shrink_inactive_list(struct kb_instance *kb, unsigned long nr_to_scan,
					  struct lruvec *lruvec, struct scan_control *sc,
					  enum lru_list lru)
{
	struct list_head folio_list;
	unsigned long nr_scanned, nr_taken, nr_reclaimed;
	bool file = is_file_lru(lru);

	INIT_LIST_HEAD(&folio_list);
	nr_taken = isolate_lru_folios(kb, nr_to_scan, lruvec, &folio_list, &nr_scanned, sc, lru);
	lruvec->nr_isolated[file] += nr_taken;
	kb->vm_events[sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT] += nr_scanned;
	kb->vm_events[file ? PGSCAN_FILE : PGSCAN_ANON] += nr_scanned;
	sc->nr_scanned += nr_scanned;
	if (nr_taken == 0)
		return 0;

	nr_reclaimed = shrink_folio_list(kb, &folio_list, nr_taken);
	move_folios_to_lru(kb, lruvec, &folio_list);
	lruvec->nr_isolated[file] -= nr_taken;
	kb->vm_events[sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT] += nr_reclaimed;
	kb->vm_events[file ? PGSTEAL_FILE : PGSTEAL_ANON] += nr_reclaimed;
	return nr_reclaimed;
}

/*
 * Ages the active list: unmapped blocks have no referenced ptes, so
 * every block taken moves to the inactive list (shrink_active_list).
 */
static void shrink_active_list(struct kb_instance *kb, unsigned long nr_to_scan,
			       struct lruvec *lruvec, struct scan_control *sc, enum lru_list lru)
{
	struct list_head l_hold;
	unsigned long nr_scanned, nr_taken, nr_deactivate = 0;
	bool file = is_file_lru(lru);

	INIT_LIST_HEAD(&l_hold);
	nr_taken = isolate_lru_folios(kb, nr_to_scan, lruvec, &l_hold, &nr_scanned, sc, lru);
	lruvec->nr_isolated[file] += nr_taken;
	kb->vm_events[PGREFILL] += nr_scanned;
	while (!list_empty(&l_hold)) {
		struct page *page = list_first_entry(&l_hold, struct page, lru);

		kb_list_del(kb, &page->lru);
		ClearPageActive(page);
		SetPageLru(page);
		lruvec_add_folio(kb, lruvec, page);
		nr_deactivate += 1UL << page->lru_order;
	}
	lruvec->nr_isolated[file] -= nr_taken;
	kb->vm_events[PGDEACTIVATE] += nr_deactivate;
}

/* Too few inactive pages for the active ones: age the active list (inactive_is_low). */
static bool inactive_is_low(const struct lruvec *lruvec, enum lru_list inactive_lru)
{
	unsigned long inactive = lruvec_lru_size(lruvec, inactive_lru, MAX_NR_ZONES - 1);
	unsigned long active = lruvec_lru_size(lruvec, inactive_lru + LRU_ACTIVE,
					       MAX_NR_ZONES - 1);
	unsigned long gb = (inactive + active) >> (30 - 12);
	unsigned long inactive_ratio = 1;

	/* int_sqrt(10 * gb) */
	if (gb)
		while ((inactive_ratio + 1) * (inactive_ratio + 1) <= 10 * gb)
			inactive_ratio++;
	return inactive * inactive_ratio < active;
}

static unsigned long shrink_list(struct kb_instance *kb, enum lru_list lru,
				 unsigned long nr_to_scan, struct lruvec *lruvec,
				 struct scan_control *sc)
{
	if (is_active_lru(lru)) {
		if (sc->may_deactivate_file && is_file_lru(lru))
			shrink_active_list(kb, nr_to_scan, lruvec, sc, lru);
		else
			sc->skipped_deactivate = true;
		return 0;
	}
	return shrink_inactive_list(kb, nr_to_scan, lruvec, sc, lru);
}

/*
 * How many pages of each list to scan: without swap only the file lists,
 * lru_size >> priority of them (get_scan_count's SCAN_FILE).
 */
static void get_scan_count(const struct lruvec *lruvec, const struct scan_control *sc,
			   unsigned long *nr)
{
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		nr[lru] = lru == LRU_UNEVICTABLE || !is_file_lru((enum lru_list)lru) ? 0 :
			  lruvec_lru_size(lruvec, (enum lru_list)lru, (int)sc->reclaim_idx) >>
			  sc->priority;
}

static void shrink_lruvec(struct kb_instance *kb, struct lruvec *lruvec, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS];
	unsigned long nr_reclaimed = 0;
	unsigned long nr_to_reclaim = sc->nr_to_reclaim;
	/* direct reclaim at DEF_PRIORITY scans its whole share at once */
	bool proportional_reclaim = !sc->kswapd && sc->priority == DEF_PRIORITY;

	get_scan_count(lruvec, sc, nr);
	/* each round lowers one of the counts by at least one page */
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		for (int lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++) {
			if (nr[lru]) {
				unsigned long nr_to_scan = KB_MIN(nr[lru], SWAP_CLUSTER_MAX);

				nr[lru] -= nr_to_scan;
				nr_reclaimed += shrink_list(kb, (enum lru_list)lru, nr_to_scan,
							    lruvec, sc);
			}
		}
		if (nr_reclaimed < nr_to_reclaim || proportional_reclaim)
			continue;
		/* the anon lists scan nothing: proportional scanning stops here */
		break;
	}
	sc->nr_reclaimed += nr_reclaimed;
}

/* prepare_scan_control: without refaults, the file list ages when its inactive part is low. */
static void prepare_scan_control(struct lruvec *lruvec, struct scan_control *sc)
{
	sc->may_deactivate_file = sc->force_deactivate || inactive_is_low(lruvec, LRU_INACTIVE_FILE);
}

static void shrink_node(struct kb_instance *kb, pg_data_t *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = node_lruvec(pgdat);
	unsigned long nr_reclaimed = sc->nr_reclaimed;

	prepare_scan_control(lruvec, sc);
	shrink_lruvec(kb, lruvec, sc);
	/* Kswapd gives up on balancing a node after MAX_RECLAIM_RETRIES failures. */
	if (sc->nr_reclaimed - nr_reclaimed)
		pgdat->kswapd_failures = 0;
}

/* --- direct reclaim --- */

/* A zone can already compact for the order: reclaiming more only costs (compaction_ready). */
static bool compaction_ready(struct kb_instance *kb, struct zone *zone, struct scan_control *sc)
{
	unsigned long watermark;

	if (!(sc->gfp_mask & __GFP_IO))		/* gfp_compaction_allowed */
		return false;
	/* Allocation can already succeed, nothing to do */
	if (zone_watermark_ok(kb, zone, (unsigned int)sc->order, min_wmark_pages(zone),
			      (int)sc->reclaim_idx, 0))
		return true;
	/* Compaction cannot yet proceed. Do reclaim. */
	if (!compaction_suitable(kb, zone, sc->order, (int)sc->reclaim_idx))
		return false;
	/* Proceed with reclaim up to a buffer of free pages above the high mark. */
	watermark = high_wmark_pages(zone) + compact_gap((unsigned int)sc->order);
	return zone_watermark_ok(kb, zone, 0, watermark, (int)sc->reclaim_idx, 0);
}

/* Shrinks each node of the zonelist once (shrink_zones). */
static void shrink_zones(struct kb_instance *kb, struct zonelist *zonelist,
			 struct scan_control *sc)
{
	pg_data_t *last_pgdat = NULL;

	for (struct zoneref *z = next_zone_zonelist(zonelist->_zonerefs, sc->reclaim_idx); z->zone;
	     z = next_zone_zonelist(z + 1, sc->reclaim_idx)) {
		struct zone *zone = z->zone;

		if (!populated_zone(zone))
			continue;
		/* Plenty free for compaction in this zone: costly orders free no more. */
		if (sc->order > PAGE_ALLOC_COSTLY_ORDER && compaction_ready(kb, zone, sc)) {
			sc->compaction_ready = true;
			continue;
		}
		if (zone->zone_pgdat == last_pgdat)
			continue;
		last_pgdat = zone->zone_pgdat;
		shrink_node(kb, zone->zone_pgdat, sc);
	}
}

/* From DEF_PRIORITY down to 0 until enough is reclaimed (do_try_to_free_pages). */
static unsigned long do_try_to_free_pages(struct kb_instance *kb, struct zonelist *zonelist,
					  struct scan_control *sc)
{
	int initial_priority = sc->priority;

retry:
	kb->vm_events[ALLOCSTALL_DMA + sc->reclaim_idx]++;
	do {
		sc->nr_scanned = 0;
		shrink_zones(kb, zonelist, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->compaction_ready)
			break;
	} while (--sc->priority >= 0);

	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	/* Aborted reclaim to try compaction? don't OOM, then */
	if (sc->compaction_ready)
		return 1;
	/* The active lists were not aged: try once more with forced deactivation. */
	if (sc->skipped_deactivate) {
		sc->priority = initial_priority;
		sc->force_deactivate = true;
		sc->skipped_deactivate = false;
		goto retry;
	}
	return 0;
}

unsigned long try_to_free_pages(struct kb_instance *kb, struct zonelist *zonelist, int order,
				gfp_t gfp_mask)
{
	bool bad;
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp_mask,
		.reclaim_idx = gfp_zone(gfp_mask, &bad),
		.order = order,
		.priority = DEF_PRIORITY,
	};

	return do_try_to_free_pages(kb, zonelist, &sc);
}

/* --- kswapd --- */

static bool pgdat_watermark_boosted(const pg_data_t *pgdat, int highest_zoneidx)
{
	for (int i = highest_zoneidx; i >= 0; i--) {
		const struct zone *zone = &pgdat->node_zones[i];

		if (managed_zone(zone) && zone->watermark_boost)
			return true;
	}
	return false;
}

/* An eligible zone meets its high watermark for order (pgdat_balanced). */
static bool pgdat_balanced(struct kb_instance *kb, pg_data_t *pgdat, int order,
			   int highest_zoneidx)
{
	bool any_managed = false;

	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		any_managed = true;
		/* zone_watermark_ok_safe: kbuddy's NR_FREE_PAGES is exact */
		if (zone_watermark_ok(kb, zone, (unsigned int)order, high_wmark_pages(zone),
				      highest_zoneidx, 0))
			return true;
	}
	/* No managed zone within highest_zoneidx: nothing to balance. */
	return !any_managed;
}

/* ZONE_RECLAIM_ACTIVE while kswapd reclaims: the pcp lists hold less. */
static void update_reclaim_active(pg_data_t *pgdat, int highest_zoneidx, bool active)
{
	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		if (active)
			zone->flags |= 1UL << ZONE_RECLAIM_ACTIVE;
		else
			zone->flags &= ~(1UL << ZONE_RECLAIM_ACTIVE);
	}
}

/* One round of kswapd's reclaim, sized by the zones' high marks (kswapd_shrink_node). */
static bool kswapd_shrink_node(struct kb_instance *kb, pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long nr_reclaimed = sc->nr_reclaimed;

	sc->nr_to_reclaim = 0;
	for (int z = 0; z <= (int)sc->reclaim_idx; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (managed_zone(zone))
			sc->nr_to_reclaim += KB_MAX(high_wmark_pages(zone), SWAP_CLUSTER_MAX);
	}
	shrink_node(kb, pgdat, sc);
	/* Twice the request reclaimed: fragmentation is compaction's, recheck at order 0. */
	if (sc->order && sc->nr_reclaimed >= compact_gap((unsigned int)sc->order))
		sc->order = 0;
	return KB_MAX(sc->nr_scanned, sc->nr_reclaimed - nr_reclaimed) >= sc->nr_to_reclaim;
}

/*
 * Reclaims from the node's zones up to highest_zoneidx until one is
 * balanced, or until a boost is paid off; then takes the boosts away.
 * Returns the order it finished at (balance_pgdat).
 */
static int balance_pgdat(struct kb_instance *kb, pg_data_t *pgdat, int order,
			 int highest_zoneidx)
{
	unsigned long zone_boosts[MAX_NR_ZONES] = { 0 };
	unsigned long nr_boost_reclaim = 0;
	struct kb_kswapd_pass *pass = &kb->kswapd_pass;
	bool boosted;
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.order = order,
		.kswapd = true,
	};

	kb->vm_events[PAGEOUTRUN]++;
	/* The boosts stay in place while kswapd works: allocations near the mark stall. */
	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		nr_boost_reclaim += zone->watermark_boost;
		zone_boosts[i] = zone->watermark_boost;
		pass->boost_before[i] = zone->watermark_boost;
	}
	boosted = nr_boost_reclaim;

restart:
	update_reclaim_active(pgdat, highest_zoneidx, true);
	sc.priority = DEF_PRIORITY;
	do {
		unsigned long nr_reclaimed = sc.nr_reclaimed;
		bool raise_priority = true;
		bool balanced;

		sc.reclaim_idx = (enum zone_type)highest_zoneidx;
		/* An imbalanced node ignores the boost (keeping it for later) and restarts. */
		balanced = pgdat_balanced(kb, pgdat, sc.order, highest_zoneidx);
		if (!balanced && nr_boost_reclaim) {
			nr_boost_reclaim = 0;
			goto restart;
		}
		/* Without a boost, reclaim only while no eligible zone is balanced. */
		if (!nr_boost_reclaim && balanced)
			goto out;
		/* Boosted reclaim stays at light priorities */
		if (nr_boost_reclaim && sc.priority == DEF_PRIORITY - 2)
			raise_priority = false;

		/* kswapd_age_node: without swap the anon lists are not aged. */
		sc.nr_scanned = 0;
		if (kswapd_shrink_node(kb, pgdat, &sc))
			raise_priority = false;

		nr_reclaimed = sc.nr_reclaimed - nr_reclaimed;
		nr_boost_reclaim -= KB_MIN(nr_boost_reclaim, nr_reclaimed);
		/* A boost reclaim that reclaims nothing stops: it could loop forever. */
		if (nr_boost_reclaim && !nr_reclaimed)
			break;
		if (raise_priority || !nr_reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);

	if (!sc.nr_reclaimed)
		pgdat->kswapd_failures++;
out:
	update_reclaim_active(pgdat, highest_zoneidx, false);
	pass->nr_reclaimed = sc.nr_reclaimed;
	/* The reclaim a boost asked for is done: take the boost away. */
	if (boosted) {
		for (int i = 0; i <= highest_zoneidx; i++) {
			struct zone *zone = &pgdat->node_zones[i];

			if (!zone_boosts[i])
				continue;
#ifndef KB_BUG_kswapd_keeps_boost
			zone->watermark_boost -= KB_MIN(zone->watermark_boost, zone_boosts[i]);
#else
			(void)zone;
#endif
		}
		/* There is likely space now: kcompactd may defragment pageblocks. */
		wakeup_kcompactd(kb, pgdat, (int)kb->pageblock_order, highest_zoneidx);
	}
	return sc.order;
}

/* The zone index the waker asked for, or the previous one (kswapd_highest_zoneidx). */
static enum zone_type kswapd_highest_zoneidx(const pg_data_t *pgdat,
					     enum zone_type prev_highest_zoneidx)
{
	enum zone_type curr_idx = pgdat->kswapd_highest_zoneidx;

	return curr_idx == MAX_NR_ZONES ? prev_highest_zoneidx : curr_idx;
}

/* kswapd may sleep: the node is hopeless or balanced (prepare_kswapd_sleep). */
static bool prepare_kswapd_sleep(struct kb_instance *kb, pg_data_t *pgdat, int order,
				 int highest_zoneidx)
{
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES)
		return true;
	return pgdat_balanced(kb, pgdat, order, highest_zoneidx);
}

/*
 * After a pass: a node it may sleep on gets its skip bits reset and
 * kcompactd woken for the original order, and kswapd sleeps until the
 * next wakeup_kswapd; otherwise it stays awake (kswapd_try_to_sleep, with
 * no wakeup during the short sleep: nothing else runs meanwhile).
 */
static void kswapd_try_to_sleep(struct kb_instance *kb, pg_data_t *pgdat, int alloc_order,
				int reclaim_order, int highest_zoneidx)
{
	if (prepare_kswapd_sleep(kb, pgdat, reclaim_order, highest_zoneidx)) {
		reset_isolation_suitable(kb, pgdat);
		wakeup_kcompactd(kb, pgdat, alloc_order, highest_zoneidx);
		pgdat->kswapd_woken = false;
		kb->kswapd_pass.slept = true;
		return;
	}
	kb->vm_events[KSWAPD_HIGH_WMARK_HIT_QUICKLY]++;
}

int kb_kswapd(struct kb_instance *kb, int nid)
{
	struct kb_kswapd_pass *pass = &kb->kswapd_pass;
	pg_data_t *pgdat;
	int alloc_order, reclaim_order, highest_zoneidx;

	if (nid < 0 || nid >= kb->nr_node_ids)
		return -EINVAL;
	pgdat = &kb->node_data[nid];
	memset(pass, 0, sizeof(*pass));
	pass->nid = nid;
	if (!pgdat->kswapd_woken)
		return 0;

	/* Read the new order and highest_zoneidx */
	alloc_order = pgdat->kswapd_order;
	highest_zoneidx = (int)kswapd_highest_zoneidx(pgdat, pgdat->kswapd_prev_highest_zoneidx);
	pgdat->kswapd_prev_highest_zoneidx = (enum zone_type)highest_zoneidx;
	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;

	pass->ran = true;
	pass->order = alloc_order;
	pass->highest_zoneidx = highest_zoneidx;
	/* If a high-order reclaim fails kswapd falls back to order 0 */
	reclaim_order = balance_pgdat(kb, pgdat, alloc_order, highest_zoneidx);
	pass->reclaim_order = reclaim_order;
	kswapd_try_to_sleep(kb, pgdat, alloc_order, reclaim_order, highest_zoneidx);
	pass->hopeless = pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES;
	return 0;
}

/*
 * Records the request in the node and wakes its kswapd, unless the node
 * is hopeless or already balanced and unboosted: then only kcompactd may
 * be worth waking, for callers that cannot compact directly.
 */
void wakeup_kswapd(struct kb_instance *kb, struct zone *zone, gfp_t gfp_flags, int order,
		   enum zone_type highest_zoneidx)
{
	pg_data_t *pgdat;
	enum zone_type curr_idx;

	if (!managed_zone(zone))
		return;
	pgdat = zone->zone_pgdat;
	curr_idx = pgdat->kswapd_highest_zoneidx;
	if (curr_idx == MAX_NR_ZONES || curr_idx < highest_zoneidx)
		pgdat->kswapd_highest_zoneidx = highest_zoneidx;
	if (pgdat->kswapd_order < order)
		pgdat->kswapd_order = order;
	/* kswapd already awake: waitqueue_active() is false */
	if (pgdat->kswapd_woken)
		return;
	/* Hopeless node, leave it to direct reclaim if possible */
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(kb, pgdat, order, (int)highest_zoneidx) &&
	     !pgdat_watermark_boosted(pgdat, (int)highest_zoneidx))) {
		if (!(gfp_flags & __GFP_DIRECT_RECLAIM))
			wakeup_kcompactd(kb, pgdat, order, (int)highest_zoneidx);
		return;
	}
	pgdat->kswapd_woken = true;
	kb->vm_events[KSWAPD_WAKE]++;
}
