// SPDX-License-Identifier: GPL-2.0
/*
 * Memory compaction (mm/compaction.c): whether a zone is worth compacting
 * (compaction_suitable, the fragmentation index), the deferral after
 * failures, compact_zone's loop of isolate, migrate and check-finished,
 * direct compaction for the slow path (try_to_compact_pages) with the
 * capture of a page freed while it runs, and whole-node compaction for
 * compact_memory. The scanners are in compaction_scan.c, migration
 * through the owner in migrate.c, kcompactd in kcompactd.c.
 *
 * The behaviour is 6.12's (mm/compaction.c of 6.12.118) in every profile.
 */
#include "compaction.h"
#include "loop_bound.h"

/* --- deferral --- */

/*
 * Compaction is deferred when compaction fails to result in a page
 * allocation success. 1 << compact_defer_shift, compactions are skipped up
 * to a limit of 1 << COMPACT_MAX_DEFER_SHIFT.
 */
void defer_compaction(struct zone *zone, int order)
{
	zone->compact_considered = 0;
	zone->compact_defer_shift++;
	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;
	if (zone->compact_defer_shift > COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift = COMPACT_MAX_DEFER_SHIFT;
}

/* Returns true if compaction should be skipped this time */
bool compaction_deferred(struct zone *zone, int order)
{
	unsigned long defer_limit = 1UL << (zone->compact_defer_shift & 63);

	if (order < zone->compact_order_failed)
		return false;
	/* Avoid possible overflow */
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = (unsigned int)defer_limit;
		return false;
	}
	return true;
}

/*
 * Update defer tracking counters after successful compaction of given
 * order: an allocation either succeeded (alloc_success) or is expected to.
 */
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if (order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;
}

/* Returns true if restarting compaction after many failures */
static bool compaction_restarting(struct zone *zone, int order)
{
	if (order < zone->compact_order_failed)
		return false;
	return zone->compact_defer_shift == COMPACT_MAX_DEFER_SHIFT &&
	       zone->compact_considered >= 1UL << zone->compact_defer_shift;
}

/* --- skip bits --- */

static void reset_cached_positions(struct kb_instance *kb, struct zone *zone)
{
	zone->compact_cached_migrate_pfn[0] = zone->zone_start_pfn;
	zone->compact_cached_migrate_pfn[1] = zone->zone_start_pfn;
	zone->compact_cached_free_pfn = pageblock_start_pfn(kb, zone_end_pfn(zone) - 1);
}

/*
 * Clears the skip bit of the pageblock at pfn when it holds a possible
 * migration source (PG_lru, check_source) or target (a free page,
 * check_target), looking at every 8th page (__reset_isolation_pfn).
 */
static bool __reset_isolation_pfn(struct kb_instance *kb, struct zone *zone, unsigned long pfn,
				  bool check_source, bool check_target)
{
	struct page *page = pfn_to_online_page(kb, pfn);
	struct page *block_page;
	unsigned long block_pfn;
	struct page *end_page;

	if (!page)
		return false;
	if (zone != page_zone(kb, page))
		return false;
	/* A compound page of pageblock_order or more: nothing to gain */
	if (PageHead(page) && page->compound_order >= kb->pageblock_order)
		return false;
	/* When both are checked, a block without the skip bit is taken as it is */
	if (check_source && check_target && !get_pageblock_skip(kb, page))
		return true;
	/* Only movable blocks are free scanner targets */
	if (!check_source && check_target &&
	    get_pageblock_migratetype(kb, page) != MIGRATE_MOVABLE)
		return false;

	/* the start and the end of the pageblock or zone must be online and valid */
	block_pfn = KB_MAX(pageblock_start_pfn(kb, pfn), zone->zone_start_pfn);
	block_page = pfn_to_online_page(kb, block_pfn);
	if (block_page) {
		page = block_page;
		pfn = block_pfn;
	}
	block_pfn = KB_MIN(pageblock_end_pfn(kb, pfn) - 1, zone_end_pfn(zone) - 1);
	end_page = pfn_to_online_page(kb, block_pfn);
	if (!end_page)
		return false;

	/* Every 8th page is enough to spot a source or a target */
	do {
		if (check_source && PageLru(page)) {
			clear_pageblock_skip(kb, page);
			return true;
		}
		if (check_target && PageBuddy(page)) {
			clear_pageblock_skip(kb, page);
			return true;
		}
		page += 1 << PAGE_ALLOC_COSTLY_ORDER;
	} while (page <= end_page);
	return false;
}

/*
 * Once a full compaction finished (compact_blockskip_flush), walks the
 * zone from both ends clearing the skip bits of blocks that may be worth
 * scanning again, and restarts the scanners at the outermost such blocks.
 */
void __reset_isolation_suitable(struct kb_instance *kb, struct zone *zone)
{
	unsigned long migrate_pfn = zone->zone_start_pfn;
	unsigned long free_pfn = zone_end_pfn(zone) - 1;
	unsigned long reset_migrate = free_pfn;
	unsigned long reset_free = migrate_pfn;
	bool source_set = false, free_set = false;

	/* Only flush if a full compaction finished recently */
	if (!zone->compact_blockskip_flush)
		return;
	zone->compact_blockskip_flush = false;

	for (; migrate_pfn < free_pfn; migrate_pfn += kb->pageblock_nr_pages,
	     free_pfn -= kb->pageblock_nr_pages) {
		/* Update the migrate PFN */
		if (__reset_isolation_pfn(kb, zone, migrate_pfn, true, source_set) &&
		    migrate_pfn < reset_migrate) {
			source_set = true;
			reset_migrate = migrate_pfn;
			zone->compact_init_migrate_pfn = reset_migrate;
			zone->compact_cached_migrate_pfn[0] = reset_migrate;
			zone->compact_cached_migrate_pfn[1] = reset_migrate;
		}
		/* Update the free PFN */
		if (__reset_isolation_pfn(kb, zone, free_pfn, free_set, true) &&
		    free_pfn > reset_free) {
			free_set = true;
			reset_free = free_pfn;
			zone->compact_init_free_pfn = reset_free;
			zone->compact_cached_free_pfn = reset_free;
		}
		/* free_pfn would wrap below the zone's first pageblock */
		if (free_pfn < kb->pageblock_nr_pages)
			break;
	}
	/* Leave no distance if no suitable block was reset */
	if (reset_migrate >= reset_free) {
		zone->compact_cached_migrate_pfn[0] = migrate_pfn;
		zone->compact_cached_migrate_pfn[1] = migrate_pfn;
		zone->compact_cached_free_pfn = free_pfn;
	}
}

void reset_isolation_suitable(struct kb_instance *kb, pg_data_t *pgdat)
{
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (populated_zone(zone))
			__reset_isolation_suitable(kb, zone);
	}
}

/* --- is compaction worth it --- */

/* The free blocks of a zone as fragmentation_index reads them (fill_contig_page_info). */
struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_page_info(const struct zone *zone, unsigned int suitable_order,
				  unsigned int max_order, struct contig_page_info *info)
{
	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (unsigned int order = 0; order <= max_order; order++) {
		unsigned long blocks = zone->free_area[order].nr_free;

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

/*
 * mm/vmstat.c's fragmentation index: -1000 when a block of order is free,
 * towards 0 when a failure would be for lack of memory, towards 1000
 * when it would be for fragmentation.
 */
int fragmentation_index(const struct zone *zone, unsigned int order, unsigned int max_order)
{
	unsigned long requested = 1UL << order;
	struct contig_page_info info;

	if (order > max_order)
		return 0;
	fill_contig_page_info(zone, order, max_order, &info);
	if (!info.free_blocks_total)
		return 0;
	/* Fragmentation index only makes sense when a request would fail */
	if (info.free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info.free_pages * 1000 / requested) / info.free_blocks_total);
}

/* The percentage of free memory in blocks below order (extfrag_for_order). */
unsigned int extfrag_for_order(const struct zone *zone, unsigned int order,
			       unsigned int max_order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, max_order, &info);
	if (!info.free_pages)
		return 0;
	return (unsigned int)((info.free_pages - (info.free_blocks_suitable << order)) * 100 /
			      info.free_pages);
}

/*
 * Enough order-0 pages above the watermark to serve as migration targets:
 * the min watermark (low for costly orders) plus compact_gap(order).
 */
static bool __compaction_suitable(struct kb_instance *kb, struct zone *zone, int order,
				  int highest_zoneidx, unsigned long wmark_target)
{
	unsigned long watermark = order > PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(zone) :
								    min_wmark_pages(zone);

	watermark += compact_gap((unsigned int)order);
	return __zone_watermark_ok(kb, zone, 0, watermark, highest_zoneidx, ALLOC_CMA,
				   (long)wmark_target);
}

/*
 * Is compaction worth running on zone now? Only when a failure would be
 * for fragmentation: costly orders look at the fragmentation index
 * against extfrag_threshold.
 */
bool compaction_suitable(struct kb_instance *kb, struct zone *zone, int order,
			 int highest_zoneidx)
{
	bool suitable = __compaction_suitable(kb, zone, order, highest_zoneidx,
					      zone_page_state(zone, NR_FREE_PAGES));

#ifndef KB_BUG_extfrag_threshold_ignored
	if (suitable && order > PAGE_ALLOC_COSTLY_ORDER) {
		int fragindex = fragmentation_index(zone, (unsigned int)order, kb->max_order);

		if (fragindex >= 0 && fragindex <= kb->sysctl_extfrag_threshold)
			suitable = false;
	}
#endif
	return suitable;
}

/*
 * At least one zone would pass __compaction_suitable if reclaim went on.
 * kbuddy has no reclaimable pages: what is free is all there is.
 */
bool compaction_zonelist_suitable(struct kb_instance *kb, const struct alloc_context *ac,
				  int order, unsigned int alloc_flags)
{
	unsigned long zones = 0;
	struct zoneref *z;

	(void)alloc_flags;
	for (z = next_zone_zonelist(ac->zonelist->_zonerefs, ac->highest_zoneidx); z->zone;
	     z = next_zone_zonelist(z + 1, ac->highest_zoneidx)) {
		/* A zonelist names each zone once, and ends before its last slot. */
		if (KB_LOOP_BOUND(kb, zones, MAX_ZONES_PER_ZONELIST,
				  "loop-compaction-zonelist-suitable", z->zone->zone_start_pfn,
				  "the zonelist walk has no end"))
			return false;
		if (__compaction_suitable(kb, z->zone, order, (int)ac->highest_zoneidx,
					  zone_page_state(z->zone, NR_FREE_PAGES)))
			return true;
	}
	return false;
}

/* SUCCESS: the allocation would succeed now; SKIPPED: compaction would fail; else CONTINUE. */
enum compact_result compaction_suit_allocation_order(struct kb_instance *kb, struct zone *zone,
						     int order, int highest_zoneidx,
						     unsigned int alloc_flags)
{
	unsigned long watermark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);

	if (zone_watermark_ok(kb, zone, (unsigned int)order, watermark, highest_zoneidx,
			      alloc_flags))
		return COMPACT_SUCCESS;
	if (!compaction_suitable(kb, zone, order, highest_zoneidx))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

/* --- the compaction loop --- */

static enum compact_result __compact_finished(struct kb_instance *kb, struct compact_control *cc)
{
	const int migratetype = cc->migratetype;
	enum compact_result ret;
	unsigned int order;

	/* Compaction run completes if the migrate and free scanner meet */
	if (compact_scanners_met(cc, kb)) {
		/* Let the next compaction start anew. */
		reset_cached_positions(kb, cc->zone);
		/*
		 * The skip bits are to be cleared by kswapd when it sleeps:
		 * only a direct compactor asks for that.
		 */
		if (cc->direct_compaction)
			cc->zone->compact_blockskip_flush = true;
		return cc->whole_zone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
	}

	if (cc->proactive_compaction) {
		unsigned int score = fragmentation_score_zone(kb, cc->zone);
		unsigned int wmark_low = fragmentation_score_wmark(kb, true);

		return score > wmark_low ? COMPACT_CONTINUE : COMPACT_SUCCESS;
	}

	if (is_via_compact_memory(cc->order))
		return COMPACT_CONTINUE;

	/* Always finish scanning a pageblock to reduce later fallbacks */
	if (cc->migrate_pfn & (kb->pageblock_nr_pages - 1))
		return COMPACT_CONTINUE;

	/* Direct compactor: Is a suitable page free? */
	ret = COMPACT_NO_SUITABLE_PAGE;
	for (order = (unsigned int)cc->order; order <= kb->max_order; order++) {
		struct free_area *area = &cc->zone->free_area[order];

		/* Job done if page is free of the right migratetype */
		if (!list_empty(&area->free_list[migratetype]))
			return COMPACT_SUCCESS;
		/* MIGRATE_MOVABLE can fallback on MIGRATE_CMA */
		if (migratetype == MIGRATE_MOVABLE && !list_empty(&area->free_list[MIGRATE_CMA]))
			return COMPACT_SUCCESS;
		/* Job done if allocation would claim freepages from another type's lists */
		if (find_suitable_fallback(kb, area, order, migratetype, true) != -1)
			return COMPACT_SUCCESS;
	}
	if (cc->contended)
		ret = COMPACT_CONTENDED;
	return ret;
}

static enum compact_result compact_finished(struct kb_instance *kb, struct compact_control *cc)
{
	enum compact_result ret = __compact_finished(kb, cc);

	return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
}

/*
 * The rounds compact_zone's loop can take on zone. A round scans a
 * pageblock to its end or isolates at least one page of it, so a scan of
 * a pageblock takes at most pageblock_nr_pages + 1 rounds. The linear
 * scan only moves up, but fast_find_migrateblock may pick a pageblock
 * below (or far above) the migrate scanner: it picks only pageblocks
 * without a skip bit, and a scan sets the bit on the pageblock it scans
 * (test_and_set_skip at the first candidate, update_pageblock_skip when
 * nothing was isolated), so no pageblock is scanned twice while the
 * bits hold. Twice the zone's pageblocks, each with its rounds, is a
 * bound no correct run reaches; a run past it has lost the skip bits or
 * the scanners' positions and would loop for ever.
 */
static unsigned long compact_zone_max_rounds(const struct kb_instance *kb,
					     const struct zone *zone)
{
	unsigned long blocks = (pageblock_end_pfn(kb, zone_end_pfn(zone) - 1) -
				pageblock_start_pfn(kb, zone->zone_start_pfn)) >> kb->pageblock_order;

	return 2 * blocks * (kb->pageblock_nr_pages + 1) + 1;
}

/*
 * Compacts cc->zone: the migrate scanner isolates movable blocks from the
 * bottom, migration moves them into free pages the free scanner isolated
 * from the top, until the scanners meet or (for an allocation) a block of
 * cc->order is free or captured.
 */
enum compact_result compact_zone(struct kb_instance *kb, struct compact_control *cc,
				 struct capture_control *capc)
{
	struct zone *zone = cc->zone;
	unsigned long start_pfn = zone->zone_start_pfn;
	unsigned long end_pfn = zone_end_pfn(zone);
	unsigned long last_migrated_pfn, rounds = 0, max_rounds;
	const bool sync = cc->mode != MIGRATE_ASYNC;
	enum compact_result ret;
	bool update_cached;
	unsigned int order;

	cc->total_migrate_scanned = 0;
	cc->total_free_scanned = 0;
	cc->nr_migratepages = 0;
	cc->nr_migrate_blocks = 0;
	cc->nr_freepages = 0;
	for (order = 0; order <= kb->max_order; order++)
		INIT_LIST_HEAD(&cc->freepages[order]);
	cc->migratetype = gfp_migratetype(kb, cc->gfp_mask);
	if (cc->migratetype < 0)
		cc->migratetype = MIGRATE_MOVABLE;

	if (!is_via_compact_memory(cc->order)) {
		ret = compaction_suit_allocation_order(kb, zone, cc->order, cc->highest_zoneidx,
						       cc->alloc_flags);
		if (ret != COMPACT_CONTINUE)
			return ret;
	}

	/* Clear pageblock skip if compaction is retried after being deferred. */
	if (compaction_restarting(zone, cc->order))
		__reset_isolation_suitable(kb, zone);

	/* Where the scanners start: the cached positions when they are inside the zone */
	cc->fast_start_pfn = 0;
	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = pageblock_start_pfn(kb, end_pfn - 1);
	} else {
		cc->migrate_pfn = zone->compact_cached_migrate_pfn[sync];
		cc->free_pfn = zone->compact_cached_free_pfn;
		if (cc->free_pfn < start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = pageblock_start_pfn(kb, end_pfn - 1);
			zone->compact_cached_free_pfn = cc->free_pfn;
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			zone->compact_cached_migrate_pfn[0] = cc->migrate_pfn;
			zone->compact_cached_migrate_pfn[1] = cc->migrate_pfn;
		}
		if (cc->migrate_pfn <= zone->compact_init_migrate_pfn)
			cc->whole_zone = true;
	}
	last_migrated_pfn = 0;
	/* Until a pageblock with candidates is found, keep the async and sync positions together */
	update_cached = !sync &&
			zone->compact_cached_migrate_pfn[0] == zone->compact_cached_migrate_pfn[1];

	/* lru_add_drain(): kbuddy has no LRU batches. */
	max_rounds = compact_zone_max_rounds(kb, zone);
	while ((ret = compact_finished(kb, cc)) == COMPACT_CONTINUE) {
		unsigned long iteration_start_pfn = cc->migrate_pfn;
		unsigned int nr_succeeded = 0;
		int err;

		if (KB_LOOP_BOUND(kb, rounds, max_rounds, "loop-compact-zone", cc->migrate_pfn,
				  "the migrate scanner at %#lx and the free scanner at %#lx of zone %s do not meet",
				  cc->migrate_pfn, cc->free_pfn, zone->name)) {
			/* given up, as on a fatal signal */
			ret = COMPACT_CONTENDED;
			break;
		}
		compaction_check_round(kb, cc);

		/* A block migrated from in the last round is scanned to its end this time */
		cc->finish_pageblock = false;
		if (pageblock_start_pfn(kb, last_migrated_pfn) ==
		    pageblock_start_pfn(kb, iteration_start_pfn))
			cc->finish_pageblock = true;
rescan:
		switch (isolate_migratepages(kb, cc)) {
		case ISOLATE_ABORT:
			ret = COMPACT_CONTENDED;
			cc->nr_migrate_blocks = 0;
			cc->nr_migratepages = 0;
			goto out;
		case ISOLATE_NONE:
			if (update_cached)
				zone->compact_cached_migrate_pfn[1] = zone->compact_cached_migrate_pfn[0];
			/* Nothing isolated, but earlier migrations may wait for a drain */
			goto check_drain;
		case ISOLATE_SUCCESS:
			update_cached = false;
			last_migrated_pfn = KB_MAX(zone->zone_start_pfn,
						   pageblock_start_pfn(kb, cc->migrate_pfn - 1));
		}

		compaction_check_round(kb, cc);
		err = migrate_pages(kb, cc, &nr_succeeded);
		/* All pages were either migrated or will be released */
		cc->nr_migratepages = 0;
		cc->nr_migrate_blocks = 0;
		if (err) {
			/* -ENOMEM when the scanners met: compact_finished sees it */
			if (err == -ENOMEM && !compact_scanners_met(cc, kb)) {
				ret = COMPACT_CONTENDED;
				goto out;
			}
			/* A failure inside a pageblock: rescan the rest of it, then skip it */
			if ((cc->migrate_pfn & (kb->pageblock_nr_pages - 1)) &&
			    !cc->ignore_skip_hint && !cc->finish_pageblock &&
			    cc->mode < MIGRATE_SYNC) {
				cc->finish_pageblock = true;
				/* Draining pcplists does not help THP if any page failed to migrate. */
				if (cc->order == compaction_hpage_order(kb))
					last_migrated_pfn = 0;
				goto rescan;
			}
		}

		/* Stop if a page has been captured */
		if (capc && capc->page) {
			ret = COMPACT_SUCCESS;
			break;
		}
check_drain:
		/*
		 * The migrate scanner left the cc->order-aligned block it
		 * migrated from: flush the pages freed to the pcp lists so they
		 * merge and compact_finished can see it (lru_add_drain_cpu_zone).
		 */
		if (cc->order > 0 && last_migrated_pfn) {
			unsigned long current_block_start =
				cc->migrate_pfn & ~((1UL << cc->order) - 1);

			if (last_migrated_pfn < current_block_start) {
				drain_pages_zone(kb, kb->cpu, zone);
				/* No more flushing until we migrate again */
				last_migrated_pfn = 0;
			}
		}
	}

out:
	/* before any round the cached positions may lie crossed: compact_finished saw them met */
	if (rounds)
		compaction_check_round(kb, cc);
	/* Release free pages and update where the free scanner should restart */
	if (cc->nr_freepages > 0) {
		unsigned long free_pfn = release_freepages(kb, cc);

		cc->nr_freepages = 0;
		/* The cached pfn is always the first in a pageblock; only go back */
		free_pfn = pageblock_start_pfn(kb, free_pfn);
		if (free_pfn > zone->compact_cached_free_pfn)
			zone->compact_cached_free_pfn = free_pfn;
	}
	kb->vm_events[COMPACTMIGRATE_SCANNED] += cc->total_migrate_scanned;
	kb->vm_events[COMPACTFREE_SCANNED] += cc->total_free_scanned;
	return ret;
}

/* One zone for an allocation, with a page freed meanwhile captured (compact_zone_order). */
static enum compact_result compact_zone_order(struct kb_instance *kb, struct zone *zone,
					      int order, gfp_t gfp_mask,
					      enum compact_priority prio, unsigned int alloc_flags,
					      int highest_zoneidx, struct page **capture)
{
	struct compact_control cc = {
		.order = order,
		.search_order = (short)order,
		.gfp_mask = gfp_mask,
		.zone = zone,
		.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT,
		.alloc_flags = alloc_flags,
		.highest_zoneidx = highest_zoneidx,
		.direct_compaction = true,
		.whole_zone = prio == MIN_COMPACT_PRIORITY,
		.ignore_skip_hint = prio == MIN_COMPACT_PRIORITY,
		.ignore_block_suitable = prio == MIN_COMPACT_PRIORITY,
	};
	struct capture_control capc = { .cc = &cc, .page = NULL };
	enum compact_result ret;

	kb->capture_control = &capc;
	ret = compact_zone(kb, &cc, &capc);
	kb->capture_control = NULL;
	*capture = capc.page;
	if (capc.page && kb->compaction_hooks.captured)
		kb->compaction_hooks.captured(kb, &cc, capc.page, kb->compaction_hooks.ctx);
	/* A captured page is a success however compaction ended */
	if (*capture)
		ret = COMPACT_SUCCESS;
	return ret;
}

/* Compaction is allowed only to requests that may do I/O (gfp_compaction_allowed). */
static bool gfp_compaction_allowed(gfp_t gfp_mask)
{
	return gfp_mask & __GFP_IO;
}

/*
 * Direct compaction for a high-order allocation: each zone of the
 * zonelist in turn, unless deferred, until one reports success.
 */
enum compact_result try_to_compact_pages(struct kb_instance *kb, gfp_t gfp_mask,
					 unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac,
					 enum compact_priority prio, struct page **capture)
{
	enum compact_result rc = COMPACT_SKIPPED;
	unsigned long zones = 0;
	struct zoneref *z;

#ifndef KB_BUG_gfp_io_gate_dropped
	if (!gfp_compaction_allowed(gfp_mask))
#else
	if (!gfp_compaction_allowed(gfp_mask | __GFP_IO))
#endif
		return COMPACT_SKIPPED;

	for (z = next_zone_zonelist(ac->zonelist->_zonerefs, ac->highest_zoneidx); z->zone;
	     z = next_zone_zonelist(z + 1, ac->highest_zoneidx)) {
		struct zone *zone = z->zone;
		enum compact_result status;

		/* A zonelist names each zone once, and ends before its last slot. */
		if (KB_LOOP_BOUND(kb, zones, MAX_ZONES_PER_ZONELIST, "loop-try-to-compact-pages",
				  zone->zone_start_pfn, "the zonelist walk has no end"))
			break;

		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(zone, (int)order)) {
			rc = KB_MAX(COMPACT_DEFERRED, rc);
			continue;
		}
		status = compact_zone_order(kb, zone, (int)order, gfp_mask, prio, alloc_flags,
					    (int)ac->highest_zoneidx, capture);
		rc = KB_MAX(status, rc);

		/* The allocation should succeed, stop compacting */
		if (status == COMPACT_SUCCESS) {
			/* not certain yet: the caller resets again when it does */
			compaction_defer_reset(zone, (int)order, false);
			break;
		}
		/* A sync compaction that scanned everything defers the next ones */
		if (prio != COMPACT_PRIO_ASYNC &&
		    (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED))
			defer_compaction(zone, (int)order);
	}
	return rc;
}

/*
 * Takes the page being freed for the compactor instead of the free lists
 * when it is of the order compaction works for, in a block type the
 * request may use (compaction_capture, from __free_one_page).
 */
bool compaction_capture(struct kb_instance *kb, struct capture_control *capc,
			struct page *page, int order, int migratetype)
{
	if (!capc || order != capc->cc->order)
		return false;
	/* Do not accidentally pollute CMA or isolated regions */
	if (is_migrate_cma(migratetype) || is_migrate_isolate(migratetype))
		return false;
#ifndef KB_BUG_capture_pollutes_movable
	/* Lower orders do not pollute a movable pageblock unless the request is movable */
	if (order < (int)kb->pageblock_order && migratetype == MIGRATE_MOVABLE &&
	    capc->cc->migratetype != MIGRATE_MOVABLE)
		return false;
#endif
	if (migratetype != capc->cc->migratetype)
		trace_mm_page_alloc_extfrag(kb, page, (unsigned int)capc->cc->order,
					    (unsigned int)order, capc->cc->migratetype, migratetype);
	capc->page = page;
	kb->vm_events[COMPACTCAPTURE] += 1UL << order;
	return true;
}

/* --- whole zones and nodes --- */

/*
 * Compacts every zone of a node whole (compact_node): compact_memory and
 * proactive compaction, which stops at the fragmentation score's low mark.
 */
void compact_node(struct kb_instance *kb, pg_data_t *pgdat, bool proactive)
{
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];
		struct compact_control cc = {
			.order = -1,
			.mode = proactive ? MIGRATE_SYNC_LIGHT : MIGRATE_SYNC,
			.ignore_skip_hint = true,
			.whole_zone = true,
			.gfp_mask = GFP_KERNEL,
			.proactive_compaction = proactive,
			.zone = zone,
		};

		if (!populated_zone(zone))
			continue;
		compact_zone(kb, &cc, NULL);
		/* proactive compaction is kcompactd's */
		if (proactive) {
			kb->vm_events[KCOMPACTD_MIGRATE_SCANNED] += cc.total_migrate_scanned;
			kb->vm_events[KCOMPACTD_FREE_SCANNED] += cc.total_free_scanned;
		}
	}
}

/* Compact all nodes in the system (compact_memory) */
void compact_nodes(struct kb_instance *kb)
{
	/* Flush pending updates to the LRU lists: the pcp lists here */
	drain_all_pages(kb, NULL);
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		compact_node(kb, &kb->node_data[nid], false);
}

/* --- the public entry points --- */

int kb_compact_zone(struct kb_instance *kb, struct zone *zone, int order)
{
	struct compact_control cc = {
		.order = order,
		.search_order = (short)(order < 0 ? 0 : order),
		.mode = MIGRATE_SYNC_LIGHT,
		.gfp_mask = GFP_KERNEL,
		.zone = zone,
		.highest_zoneidx = zone ? zone_idx(zone) : 0,
		.alloc_flags = ALLOC_WMARK_MIN,
	};

	if (!zone || !populated_zone(zone) || order < -1 || order > (int)kb->max_order)
		return -EINVAL;
	if (order == -1) {
		cc.mode = MIGRATE_SYNC;
		cc.ignore_skip_hint = true;
		cc.whole_zone = true;
	}
	return (int)compact_zone(kb, &cc, NULL);
}

int kb_compact_node(struct kb_instance *kb, int nid, int order)
{
	int ret = KB_COMPACT_SKIPPED;

	if (nid < 0 || nid >= kb->nr_node_ids || order < -1 || order > (int)kb->max_order)
		return -EINVAL;
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &kb->node_data[nid].node_zones[zid];

		if (populated_zone(zone))
			ret = KB_MAX(ret, kb_compact_zone(kb, zone, order));
	}
	return ret;
}

const char *kb_compact_result_name(int result)
{
	static const char *const names[] = {
		[KB_COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone",
		[KB_COMPACT_SKIPPED] = "skipped",
		[KB_COMPACT_DEFERRED] = "deferred",
		[KB_COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
		[KB_COMPACT_CONTINUE] = "continue",
		[KB_COMPACT_COMPLETE] = "complete",
		[KB_COMPACT_PARTIAL_SKIPPED] = "partial_skipped",
		[KB_COMPACT_CONTENDED] = "contended",
		[KB_COMPACT_SUCCESS] = "success",
	};

	if (result < 0 || (unsigned int)result >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[result];
}
