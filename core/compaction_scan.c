// SPDX-License-Identifier: GPL-2.0
/*
 * Compaction's two scanners (mm/compaction.c): the migrate scanner walks up
 * from the zone's start isolating movable blocks, the free scanner walks
 * down from its end isolating free pages as migration targets; both skip
 * pageblocks whose PB_compact_skip bit says a recent scan found nothing,
 * and both try a short search of the free lists first.
 *
 * Deliberate differences: the owner of the pages is the only other party,
 * so there are no locks, no contention and no PG_lru clearing while a
 * block is isolated (nothing can free it meanwhile); isolated blocks are
 * kept as pfns (KB_COMPACT_MIGRATE_MAX of them), not on a list.
 *
 * No loop here needs a loop bound: the pfn walks move one way by at least
 * a page a round between fixed ends, and the free-list walks stop at
 * freelist_scan_limit entries.
 */
#include "compaction.h"

void set_pageblock_skip(struct kb_instance *kb, struct page *page)
{
	*pfnblock_flags(kb, page_to_pfn(kb, page)) |= PB_compact_skip;
}

void clear_pageblock_skip(struct kb_instance *kb, struct page *page)
{
	*pfnblock_flags(kb, page_to_pfn(kb, page)) &= (uint8_t)~PB_compact_skip;
}

/* Returns true if the pageblock should be scanned for pages to isolate. */
static bool isolation_suitable(const struct kb_instance *kb, const struct compact_control *cc,
			       const struct page *page)
{
	if (cc->ignore_skip_hint)
		return true;
	return !get_pageblock_skip(kb, page);
}

/* Sets the pageblock skip bit if it was clear; true if it was already set. */
static bool test_and_set_skip(struct kb_instance *kb, struct compact_control *cc,
			      struct page *page)
{
	bool skip;

	if (cc->ignore_skip_hint)
		return false;
	skip = get_pageblock_skip(kb, page);
	if (!skip && !cc->no_set_skip_hint)
		set_pageblock_skip(kb, page);
	return skip;
}

void update_cached_migrate(struct compact_control *cc, unsigned long pfn,
			   const struct kb_instance *kb)
{
	struct zone *zone = cc->zone;

	if (cc->no_set_skip_hint)
		return;
	pfn = pageblock_end_pfn(kb, pfn);
	/* Update where async and sync compaction should restart */
	if (pfn > zone->compact_cached_migrate_pfn[0])
		zone->compact_cached_migrate_pfn[0] = pfn;
	if (cc->mode != MIGRATE_ASYNC && pfn > zone->compact_cached_migrate_pfn[1])
		zone->compact_cached_migrate_pfn[1] = pfn;
}

/* No pages isolated from this block: skip it until the next reset. */
static void update_pageblock_skip(struct kb_instance *kb, struct compact_control *cc,
				  struct page *page, unsigned long pfn)
{
	struct zone *zone = cc->zone;

	if (cc->no_set_skip_hint)
		return;
	set_pageblock_skip(kb, page);
	if (pfn < zone->compact_cached_free_pfn)
		zone->compact_cached_free_pfn = pfn;
}

/* A compound page of pageblock_order or more: its block is never worth scanning. */
static bool pageblock_skip_persistent(const struct kb_instance *kb, const struct page *page)
{
	if (!PageHead(page) && !PageTail(page))
		return false;
	if (PageTail(page))
		page = pfn_to_page(kb, page->compound_head);
	return page->compound_order >= kb->pageblock_order;
}

/* --- the free scanner --- */

/*
 * Isolates the free blocks of [*start_pfn, end_pfn) onto cc->freepages,
 * every stride pages, until enough for the isolated migration sources;
 * *start_pfn ends where the scan stopped. Returns the pages isolated.
 */
static unsigned long isolate_freepages_block(struct kb_instance *kb, struct compact_control *cc,
					     unsigned long *start_pfn, unsigned long end_pfn,
					     unsigned int stride)
{
	unsigned long nr_scanned = 0, total_isolated = 0;
	unsigned long blockpfn = *start_pfn;

	for (; blockpfn < end_pfn; blockpfn += stride) {
		struct page *page = pfn_to_page(kb, blockpfn);
		unsigned long isolated;
		unsigned int order;

		nr_scanned++;
		/* Compound pages are skipped whole. */
		if (PageHead(page)) {
			order = page->compound_order;
			if (order <= kb->max_order && blockpfn + (1UL << order) <= end_pfn) {
				blockpfn += (1UL << order) - 1;
				nr_scanned += (1UL << order) - 1;
			}
			continue;
		}
		if (!PageBuddy(page))
			continue;

		/* Found a free page, keep it whole with its order in page_private */
		order = (unsigned int)buddy_order(page);
		isolated = __isolate_free_page(kb, page, order);
		if (!isolated)
			break;
		set_page_private(page, order);
		kb_list_add_tail(kb, &page->lru, &cc->freepages[order]);
		kb_dirty_range(kb, blockpfn, isolated);

		nr_scanned += isolated - 1;
		total_isolated += isolated;
		cc->nr_freepages += isolated;
		if (cc->nr_migratepages <= cc->nr_freepages) {
			blockpfn += isolated;
			break;
		}
		/* Advance to the end of split page */
		blockpfn += isolated - 1;
	}

	/* Be careful to not go outside of the pageblock. */
	if (blockpfn > end_pfn)
		blockpfn = end_pfn;
	*start_pfn = blockpfn;
	cc->total_free_scanned += nr_scanned;
	kb->vm_events[COMPACTISOLATED] += total_isolated;
	return total_isolated;
}

/* Returns true if the page is within a block suitable for migration to */
static bool suitable_migration_target(const struct kb_instance *kb,
				      const struct compact_control *cc, const struct page *page)
{
	/* If the page is a large free page, then disallow migration */
	if (PageBuddy(page)) {
		unsigned int order = cc->order > 0 ? (unsigned int)cc->order : kb->pageblock_order;

		if (buddy_order(page) >= order)
			return false;
	}
	if (cc->ignore_block_suitable)
		return true;
	/* If the block is MIGRATE_MOVABLE or MIGRATE_CMA, allow migration */
	return is_migrate_movable(get_pageblock_migratetype(kb, page));
}

/* How many free-list entries a fast search looks at (freelist_scan_limit). */
static unsigned int freelist_scan_limit(const struct compact_control *cc)
{
	unsigned short shift = 63;

	return (COMPACT_CLUSTER_MAX >> KB_MIN(shift, cc->fast_search_fail)) + 1;
}

/*
 * Makes freepage the first entry of freelist, the entries before it
 * moving to the tail (move_freelist_head): the list rotates, so the
 * head goes right before freepage.
 */
static void move_freelist_head(struct kb_instance *kb, struct list_head *freelist,
			       struct page *freepage)
{
	if (freelist->next == &freepage->lru)
		return;
	kb_list_del(kb, freelist);
	kb_dirty_lru(kb, &freepage->lru);
	kb_list_add_tail(kb, freelist, &freepage->lru);
}

/* Makes freepage the last entry of freelist (move_freelist_tail). */
static void move_freelist_tail(struct kb_instance *kb, struct list_head *freelist,
			       struct page *freepage)
{
	if (freelist->prev == &freepage->lru)
		return;
	kb_list_del(kb, freelist);
	kb_dirty_lru(kb, &freepage->lru);
	kb_list_add(kb, freelist, &freepage->lru);
}

/* After a fast-search hit, the rest of its pageblock (fast_isolate_around). */
static void fast_isolate_around(struct kb_instance *kb, struct compact_control *cc,
				unsigned long pfn)
{
	unsigned long start_pfn, end_pfn;
	struct page *page;

	/* Do not search around if there are enough pages already */
	if (cc->nr_freepages >= cc->nr_migratepages)
		return;
	/* Minimise scanning during async compaction */
	if (cc->direct_compaction && cc->mode == MIGRATE_ASYNC)
		return;
	/* Pageblock boundaries, within the zone */
	start_pfn = KB_MAX(pageblock_start_pfn(kb, pfn), cc->zone->zone_start_pfn);
	end_pfn = KB_MIN(pageblock_end_pfn(kb, pfn), zone_end_pfn(cc->zone));
	page = pageblock_pfn_to_page(kb, start_pfn, end_pfn, cc->zone);
	if (!page)
		return;
	isolate_freepages_block(kb, cc, &start_pfn, end_pfn, 1);
	/* Skip this pageblock in the future as it's full or nearly full */
	if (start_pfn == end_pfn && !cc->no_set_skip_hint)
		set_pageblock_skip(kb, page);
}

/* The next order to search, wrapping once below the target (next_search_order). */
static int next_search_order(struct compact_control *cc, int order)
{
	order--;
	if (order < 0)
		order = cc->order - 1;
	/* Search wrapped around? */
	if (order == cc->search_order) {
		cc->search_order--;
		if (cc->search_order < 0)
			cc->search_order = (short)(cc->order - 1);
		return -1;
	}
	return order;
}

/*
 * A short search of the MOVABLE free lists below the target order for a
 * block near the free scanner's end of the zone, isolated at once
 * (fast_isolate_freepages).
 */
static void fast_isolate_freepages(struct kb_instance *kb, struct compact_control *cc)
{
	unsigned int limit = KB_MAX(1U, freelist_scan_limit(cc) >> 1);
	unsigned long low_pfn, min_pfn, highest = 0;
	unsigned long nr_scanned = 0;
	unsigned long distance;
	struct page *page = NULL;
	bool scan_start = false;
	int order;

	/* Full compaction passes in a negative order */
	if (cc->order <= 0)
		return;
	/* If starting the scan, use a deeper search and use the highest PFN found */
	if (cc->free_pfn >= cc->zone->compact_init_free_pfn) {
		limit = (unsigned int)(kb->pageblock_nr_pages >> 1);
		scan_start = true;
	}
	/* Preferred point is in the top quarter of the scan space */
	distance = cc->free_pfn - cc->migrate_pfn;
	low_pfn = pageblock_start_pfn(kb, cc->free_pfn - (distance >> 2));
	min_pfn = pageblock_start_pfn(kb, cc->free_pfn - (distance >> 1));
	if (min_pfn > low_pfn)
		low_pfn = min_pfn;

	/* Search starts from the last successful isolation order or the next order to search */
	cc->search_order = (short)KB_MIN((unsigned int)cc->order - 1, (unsigned int)cc->search_order);

	for (order = cc->search_order; !page && order >= 0; order = next_search_order(cc, order)) {
		struct free_area *area = &cc->zone->free_area[order];
		struct list_head *freelist = &area->free_list[MIGRATE_MOVABLE];
		struct page *freepage = NULL;
		unsigned int order_scanned = 0;
		unsigned long high_pfn = 0;
		struct list_head *pos;

		if (!area->nr_free)
			continue;
		for (pos = freelist->prev; pos != freelist; pos = pos->prev) {
			unsigned long pfn;

			freepage = list_entry(pos, struct page, lru);
			order_scanned++;
			nr_scanned++;
			pfn = page_to_pfn(kb, freepage);
			if (pfn >= highest)
				highest = KB_MAX(pageblock_start_pfn(kb, pfn),
						 cc->zone->zone_start_pfn);
			if (pfn >= low_pfn) {
				cc->fast_search_fail = 0;
				cc->search_order = (short)order;
				page = freepage;
				break;
			}
			if (pfn >= min_pfn && pfn > high_pfn) {
				high_pfn = pfn;
				/* Shorten the scan if a candidate is found */
				limit >>= 1;
			}
			if (order_scanned >= limit)
				break;
		}
		/* Use a maximum candidate pfn if a preferred one was not found */
		if (!page && high_pfn) {
			page = pfn_to_page(kb, high_pfn);
			/* Update freepage for the list reorder below */
			freepage = page;
		}
		/* Reorder to so a future search skips recent pages */
		if (freepage)
			move_freelist_head(kb, freelist, freepage);
		/* Isolate the page if available */
		if (page) {
			unsigned long nr_isolated = __isolate_free_page(kb, page, (unsigned int)order);

			if (nr_isolated) {
				set_page_private(page, (unsigned long)order);
				nr_scanned += nr_isolated - 1;
				cc->nr_freepages += nr_isolated;
				kb_list_add_tail(kb, &page->lru, &cc->freepages[order]);
				kb_dirty_range(kb, page_to_pfn(kb, page), nr_isolated);
				kb->vm_events[COMPACTISOLATED] += nr_isolated;
			} else {
				/* If isolation fails, abort the search */
				order = cc->search_order + 1;
				page = NULL;
			}
		}
		/* Break the search if sufficient pages have been found */
		if (cc->nr_freepages >= cc->nr_migratepages)
			break;
		/* Use a minimum pfn if a preferred one was not found */
		if (order_scanned >= limit)
			limit = KB_MAX(1U, limit >> 1);
	}

	if (!page) {
		cc->fast_search_fail++;
		if (scan_start) {
			/* Use the highest PFN found above min. */
			if (highest >= min_pfn) {
				page = pfn_to_page(kb, highest);
				cc->free_pfn = highest;
			} else if (cc->direct_compaction && pfn_valid(kb, min_pfn)) {
				page = pageblock_pfn_to_page(kb, min_pfn,
							     KB_MIN(pageblock_end_pfn(kb, min_pfn),
								    zone_end_pfn(cc->zone)),
							     cc->zone);
				if (page && !suitable_migration_target(kb, cc, page))
					page = NULL;
				cc->free_pfn = min_pfn;
			}
		}
	}
	if (highest && highest >= cc->zone->compact_cached_free_pfn) {
		highest -= kb->pageblock_nr_pages;
		cc->zone->compact_cached_free_pfn = highest;
	}
	cc->total_free_scanned += nr_scanned;
	if (!page)
		return;
	fast_isolate_around(kb, cc, page_to_pfn(kb, page));
}

/*
 * Isolates free pages below the free scanner, pageblock by pageblock down
 * to the migrate scanner's block, until there are as many as the isolated
 * migration sources need (isolate_freepages).
 */
void isolate_freepages(struct kb_instance *kb, struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	unsigned long block_start_pfn, isolate_start_pfn, block_end_pfn, low_pfn;
	unsigned int stride;

	/* Try a small search of the free lists for a candidate */
	fast_isolate_freepages(kb, cc);
	if (cc->nr_freepages)
		return;

	isolate_start_pfn = cc->free_pfn;
	block_start_pfn = pageblock_start_pfn(kb, isolate_start_pfn);
	block_end_pfn = KB_MIN(block_start_pfn + kb->pageblock_nr_pages, zone_end_pfn(zone));
	low_pfn = pageblock_end_pfn(kb, cc->migrate_pfn);
	stride = cc->mode == MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;

	/* low_pfn is at least one pageblock: block_start_pfn never wraps */
	for (; block_start_pfn >= low_pfn;
	     block_end_pfn = block_start_pfn, block_start_pfn -= kb->pageblock_nr_pages,
	     isolate_start_pfn = block_start_pfn) {
		unsigned long nr_isolated;
		struct page *page;

		page = pageblock_pfn_to_page(kb, block_start_pfn, block_end_pfn, zone);
		if (!page)
			continue;
		/* Check the block is suitable for migration */
		if (!suitable_migration_target(kb, cc, page))
			continue;
		/* If isolation recently failed, do not retry */
		if (!isolation_suitable(kb, cc, page))
			continue;

		/* Found a block suitable for isolating free pages from. */
		nr_isolated = isolate_freepages_block(kb, cc, &isolate_start_pfn, block_end_pfn,
						      stride);
		/* Update the skip hint if the full pageblock was scanned */
		if (isolate_start_pfn == block_end_pfn)
			update_pageblock_skip(kb, cc, page, block_start_pfn - kb->pageblock_nr_pages);

		/* Are enough freepages isolated? */
		if (cc->nr_freepages >= cc->nr_migratepages) {
			/* Restart at previous pageblock if more freepages can be isolated next time. */
			if (isolate_start_pfn >= block_end_pfn)
				isolate_start_pfn = block_start_pfn - kb->pageblock_nr_pages;
			break;
		} else if (isolate_start_pfn < block_end_pfn) {
			/* If isolation failed early, do not continue needlessly. */
			break;
		}
		/* Adjust stride depending on isolation */
		if (nr_isolated) {
			stride = 1;
			continue;
		}
		stride = KB_MIN(COMPACT_CLUSTER_MAX, stride << 1);
	}
	/* Record where the free scanner will restart next time. */
	cc->free_pfn = isolate_start_pfn;
}

/* --- the migrate scanner --- */

/* A compound page not worth migrating for this order (skip_isolation_on_order). */
static bool skip_isolation_on_order(const struct kb_instance *kb, int order, int target_order)
{
	if (!is_via_compact_memory(target_order) && order >= target_order)
		return true;
	return order >= (int)kb->pageblock_order;
}

/*
 * Isolates the movable blocks of [low_pfn, end_pfn), one pageblock at
 * most, for migration; cc->migrate_pfn ends where the scan stopped.
 */
static int isolate_migratepages_block(struct kb_instance *kb, struct compact_control *cc,
				      unsigned long low_pfn, unsigned long end_pfn)
{
	unsigned long nr_scanned = 0, nr_isolated = 0;
	struct page *valid_page = NULL;
	bool skip_on_failure = false;
	unsigned long next_skip_pfn = 0;
	bool skip_updated = false;

	cc->migrate_pfn = low_pfn;

	if (cc->direct_compaction && cc->mode == MIGRATE_ASYNC && cc->order > 0) {
		skip_on_failure = true;
		next_skip_pfn = ALIGN_UP(low_pfn + 1, 1UL << cc->order);
	}

	for (; low_pfn < end_pfn; low_pfn++) {
		struct page *page;
		unsigned int order;

		if (skip_on_failure && low_pfn >= next_skip_pfn) {
			/* Isolated all candidates of the previous order-aligned block: migrate now */
			if (nr_isolated)
				break;
			next_skip_pfn = ALIGN_UP(low_pfn + 1, 1UL << cc->order);
		}

		nr_scanned++;
		page = pfn_to_page(kb, low_pfn);

		/* Only the first pfn of a pageblock says whether it is skipped. */
		if (!valid_page && ((low_pfn & (kb->pageblock_nr_pages - 1)) == 0 ||
				    low_pfn == cc->zone->zone_start_pfn)) {
			if (!isolation_suitable(kb, cc, page)) {
				low_pfn = end_pfn;
				goto isolate_abort;
			}
			valid_page = page;
		}

		/* Skip if free. */
		if (PageBuddy(page)) {
			unsigned long freepage_order = buddy_order(page);

			if (freepage_order > 0 && freepage_order <= kb->max_order) {
				low_pfn += (1UL << freepage_order) - 1;
				nr_scanned += (1UL << freepage_order) - 1;
			}
			continue;
		}

		/* Compound pages not worth migrating for this order are skipped whole. */
		if (PageHead(page)) {
			order = page->compound_order;
			if (skip_isolation_on_order(kb, (int)order, cc->order)) {
				if (order <= kb->max_order) {
					low_pfn += (1UL << order) - 1;
					nr_scanned += (1UL << order) - 1;
				}
				goto isolate_fail;
			}
		}

		/* Only a block the owner keeps on the LRU can move. */
		if (PageTail(page) || !PageLru(page) || !page_ref_count(page))
			goto isolate_fail;

		/* The first candidate of a block claims it for this compactor. */
		if (!skip_updated && valid_page) {
			skip_updated = true;
			if (test_and_set_skip(kb, cc, valid_page) && !cc->finish_pageblock) {
				low_pfn = end_pfn;
				goto isolate_abort;
			}
		}
		if (cc->nr_migrate_blocks >= KB_COMPACT_MIGRATE_MAX)
			break;

		order = PageHead(page) ? page->compound_order : 0;
		cc->migratepages[cc->nr_migrate_blocks++] = low_pfn;
		cc->nr_migratepages += 1UL << order;
		nr_isolated += 1UL << order;
		nr_scanned += (1UL << order) - 1;
		low_pfn += (1UL << order) - 1;

		/* Avoid isolating too much unless this block is being fully scanned */
		if (cc->nr_migratepages >= COMPACT_CLUSTER_MAX && !cc->finish_pageblock) {
			++low_pfn;
			break;
		}
		continue;
isolate_fail:
		if (!skip_on_failure) {
			/*
			 * The pages after it that fail isolation too are passed
			 * in one scan (as many pfns scanned as one at a time).
			 * The pageblock's first pfn has been looked at: the
			 * range ends with the block.
			 */
			unsigned long next = low_pfn + 1, run;

			if (next < end_pfn) {
				run = kb_pages_first_migrate_candidate(kb, pfn_to_page(kb, next),
								       end_pfn - next);
				low_pfn += run;
				nr_scanned += run;
			}
			continue;
		}
		/*
		 * A page in this order-aligned block cannot move: give back what
		 * was isolated from it and go on at the next block.
		 */
		if (nr_isolated) {
			cc->nr_migrate_blocks = 0;
			cc->nr_migratepages = 0;
			nr_isolated = 0;
		}
		if (low_pfn < next_skip_pfn) {
			low_pfn = next_skip_pfn - 1;
			next_skip_pfn += 1UL << cc->order;
		}
	}
	if (low_pfn > end_pfn)
		low_pfn = end_pfn;
isolate_abort:
	/*
	 * Once the pageblock is scanned, mark it skipped if nothing was
	 * isolated or it was scanned twice in a row.
	 */
	if (low_pfn == end_pfn && (!nr_isolated || cc->finish_pageblock)) {
		if (!cc->no_set_skip_hint && valid_page && !skip_updated)
			set_pageblock_skip(kb, valid_page);
		update_cached_migrate(cc, low_pfn, kb);
	}
	cc->total_migrate_scanned += nr_scanned;
	kb->vm_events[COMPACTISOLATED] += nr_isolated;
	cc->migrate_pfn = low_pfn;
	return 0;
}

/* Direct async compaction only moves blocks of its own type (suitable_migration_source). */
static bool suitable_migration_source(const struct kb_instance *kb,
				      const struct compact_control *cc, const struct page *page)
{
	int block_mt;

	if (pageblock_skip_persistent(kb, page))
		return false;
	if (cc->mode != MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	block_mt = get_pageblock_migratetype(kb, page);
	if (cc->migratetype == MIGRATE_MOVABLE)
		return is_migrate_movable(block_mt);
	return block_mt == cc->migratetype;
}

static void update_fast_start_pfn(struct compact_control *cc, unsigned long pfn)
{
	if (cc->fast_start_pfn == ~0UL)
		return;
	if (!cc->fast_start_pfn)
		cc->fast_start_pfn = pfn;
	cc->fast_start_pfn = KB_MIN(cc->fast_start_pfn, pfn);
}

static unsigned long reinit_migrate_pfn(struct compact_control *cc)
{
	if (!cc->fast_start_pfn || cc->fast_start_pfn == ~0UL)
		return cc->migrate_pfn;
	cc->migrate_pfn = cc->fast_start_pfn;
	cc->fast_start_pfn = ~0UL;
	return cc->migrate_pfn;
}

/*
 * For a costly movable request, a pageblock low in the zone holding a
 * free block just below the target order is a good migration source:
 * most of it is free already (fast_find_migrateblock).
 */
static unsigned long fast_find_migrateblock(struct kb_instance *kb, struct compact_control *cc)
{
	unsigned int limit = freelist_scan_limit(cc);
	unsigned int nr_scanned = 0;
	unsigned long distance, high_pfn, pfn = cc->migrate_pfn;
	bool found_block = false;
	int order;

	/* Skip hints are relied on to avoid repeats on the fast search */
	if (cc->ignore_skip_hint)
		return pfn;
	/* A pageblock being rescanned is finished first */
	if (cc->finish_pageblock)
		return pfn;
	/* Only at the start of a pageblock */
	if (pfn != cc->zone->zone_start_pfn && pfn != pageblock_start_pfn(kb, pfn))
		return pfn;
	/* Small orders are fine with a linear scan */
	if (cc->order <= PAGE_ALLOC_COSTLY_ORDER)
		return pfn;
	/* Unmovable requests want blocks of their own type: the linear scan checks that */
	if (cc->direct_compaction && cc->migratetype != MIGRATE_MOVABLE)
		return pfn;

	/* Only the first half (or eighth, later) of the scan space */
	distance = (cc->free_pfn - cc->migrate_pfn) >> 1;
	if (cc->migrate_pfn != cc->zone->zone_start_pfn)
		distance >>= 2;
	high_pfn = pageblock_start_pfn(kb, cc->migrate_pfn + distance);

	for (order = cc->order - 1;
	     order >= PAGE_ALLOC_COSTLY_ORDER && !found_block && nr_scanned < limit; order--) {
		struct free_area *area = &cc->zone->free_area[order];
		struct list_head *freelist = &area->free_list[MIGRATE_MOVABLE];
		struct list_head *pos;

		if (!area->nr_free)
			continue;
		for (pos = freelist->next; pos != freelist; pos = pos->next) {
			struct page *freepage = list_entry(pos, struct page, lru);
			unsigned long free_pfn;

			if (nr_scanned++ >= limit) {
				move_freelist_tail(kb, freelist, freepage);
				break;
			}
			free_pfn = page_to_pfn(kb, freepage);
			if (free_pfn < high_pfn) {
				/* Skip recently scanned blocks */
				if (get_pageblock_skip(kb, freepage))
					continue;
				/* Reorder so that the next search begins elsewhere */
				move_freelist_tail(kb, freelist, freepage);
				update_fast_start_pfn(cc, free_pfn);
				pfn = pageblock_start_pfn(kb, free_pfn);
				if (pfn < cc->zone->zone_start_pfn)
					pfn = cc->zone->zone_start_pfn;
				cc->fast_search_fail = 0;
				found_block = true;
				break;
			}
		}
	}
	cc->total_migrate_scanned += nr_scanned;
	/* No block found: restart the linear scan where a fast search began */
	if (!found_block) {
		cc->fast_search_fail++;
		pfn = reinit_migrate_pfn(cc);
	}
	return pfn;
}

/*
 * Isolates the movable blocks of the next suitable pageblock above the
 * migrate scanner, never crossing the free scanner (isolate_migratepages).
 */
enum isolate_migrate isolate_migratepages(struct kb_instance *kb, struct compact_control *cc)
{
	unsigned long block_start_pfn, block_end_pfn, low_pfn;
	bool fast_find_block;

	low_pfn = fast_find_migrateblock(kb, cc);
	block_start_pfn = pageblock_start_pfn(kb, low_pfn);
	if (block_start_pfn < cc->zone->zone_start_pfn)
		block_start_pfn = cc->zone->zone_start_pfn;
	/* The fast search checked the skip bit already */
	fast_find_block = low_pfn != cc->migrate_pfn && !cc->fast_search_fail;
	block_end_pfn = pageblock_end_pfn(kb, low_pfn);

	for (; block_end_pfn <= cc->free_pfn;
	     fast_find_block = false, cc->migrate_pfn = low_pfn = block_end_pfn,
	     block_start_pfn = block_end_pfn, block_end_pfn += kb->pageblock_nr_pages) {
		struct page *page;

		page = pageblock_pfn_to_page(kb, block_start_pfn, block_end_pfn, cc->zone);
		if (!page)
			continue;
		/* If isolation recently failed, do not retry (checked once per pageblock) */
		if (((low_pfn & (kb->pageblock_nr_pages - 1)) == 0 ||
		     low_pfn == cc->zone->zone_start_pfn) &&
		    !fast_find_block && !isolation_suitable(kb, cc, page))
			continue;
		/* Async direct compaction only scans pageblocks of its own type */
		if (!suitable_migration_source(kb, cc, page)) {
			update_cached_migrate(cc, block_end_pfn, kb);
			continue;
		}
		if (isolate_migratepages_block(kb, cc, low_pfn, block_end_pfn))
			return ISOLATE_ABORT;
		/* Either something was isolated, or compact_zone decides */
		break;
	}
	return cc->nr_migratepages ? ISOLATE_SUCCESS : ISOLATE_NONE;
}
