// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation path (mm/page_alloc.c): __alloc_pages, the fast path
 * through get_page_from_freelist and rmqueue, the slow path up to where
 * reclaim, compaction and the OOM killer run, and prep_new_page.
 *
 * Direct reclaim and kswapd are core/vmscan.c, direct compaction
 * core/compaction.c, the OOM killer core/oom.c. Where the kernel would
 * loop forever (__GFP_NOFAIL with nothing left to kill or reclaim, or a
 * !__GFP_FS request told to pretend progress), kbuddy stops after
 * KB_SLOWPATH_MAX_LOOPS and fails the request with -EDEADLK.
 */
#include <string.h>

#include "compaction.h"
#include "internal.h"
#include "loop_bound.h"
#include "oom.h"
#include "sched.h"
#include "spinlock.h"
#include "vmscan.h"

#define KB_SLOWPATH_MAX_LOOPS	(4 * MAX_RECLAIM_RETRIES)

/* --- the page handed out --- */

/* page_bad_reason: what bad_page() would say of a page, or NULL. */
static const char *page_bad_reason(const struct page *page, uint32_t flags)
{
	const char *bad_reason = NULL;

	if (page->_mapcount != -1)
		bad_reason = "nonzero mapcount";
	if (page->mapping)
		bad_reason = "non-NULL mapping";
	if (page_ref_count(page) != 0)
		bad_reason = "nonzero _refcount";
	if (page->flags & flags)
		bad_reason = flags == PAGE_FLAGS_CHECK_AT_FREE ?
			     "PAGE_FLAGS_CHECK_AT_FREE flag(s) set" :
			     "PAGE_FLAGS_CHECK_AT_PREP flag(s) set";
	return bad_reason;
}

/* A page the scan of check_new_pages stopped at: report it if it is bad. */
static bool check_new_page(struct kb_instance *kb, struct page *page)
{
	const char *bad_reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_PREP);

	if (PageHWPoison(page))
		bad_reason = "HWPoisoned (hardware-corrupted)";
	if (!bad_reason)
		return false;
	kb_vm_report(kb, "bad-page", page_to_pfn(kb, page), -1, "allocating a bad page: %s",
		     bad_reason);
	return true;
}

bool check_new_pages(struct kb_instance *kb, struct page *page, unsigned int order)
{
	const uint32_t check_flags = PAGE_FLAGS_CHECK_AT_PREP | (1u << PG_hwpoison);
	unsigned long nr = 1UL << order, i;

	if (kb->check_level < 1)
		return false;
	i = kb_pages_first_unexpected(kb, page, nr, check_flags);
	while (i < nr) {
		if (check_new_page(kb, page + i))
			return true;
		i++;
		i += kb_pages_first_unexpected(kb, page + i, nr - i, check_flags);
	}
	return false;
}

static void prep_compound_page(struct kb_instance *kb, struct page *page, unsigned int order)
{
	unsigned long head_pfn = page_to_pfn(kb, page);
	unsigned long i;

	kb_dirty_range(kb, head_pfn, 1UL << order);
	SetPageHead(page);
	page->compound_order = (uint8_t)order;
	for (i = 1; i < (1UL << order); i++) {
		struct page *p = page + i;

		SetPageTail(p);
		p->compound_head = head_pfn;
		set_page_count(p, 0);
	}
}

void prep_new_page(struct kb_instance *kb, struct page *page, unsigned int order,
		   gfp_t gfp_flags)
{
	kb_unpoison_pages(kb, page_to_pfn(kb, page), 1UL << order);
	set_page_private(page, 0);
#ifdef KB_BUG_buddy_flag_left_set
	if (order == 2)
		SetPageBuddy(page);
#endif
	set_page_refcounted(page);
	if ((gfp_flags & __GFP_ZERO) && kb->arena)
		memset(kb_page_address(kb, page), 0, (size_t)kb->backing_bytes << order);
	if (order && (gfp_flags & __GFP_COMP))
		prep_compound_page(kb, page, order);
	kb_touch(kb, KB_TOUCH_ALLOC, page_to_pfn(kb, page), order, -1);
}

/* --- rmqueue --- */

static struct page *rmqueue_buddy(struct kb_instance *kb, struct zone *zone,
				  unsigned int order, unsigned int alloc_flags,
				  int migratetype)
{
	struct page *page;

	do {
		page = NULL;
		spin_lock_irqsave(kb, &zone->lock);
		if (alloc_flags & ALLOC_HIGHATOMIC)
			page = __rmqueue_smallest(kb, zone, order, MIGRATE_HIGHATOMIC);
		if (!page) {
			int mode = RMQUEUE_NORMAL;

			page = __rmqueue(kb, zone, order, migratetype, alloc_flags, &mode);
			/*
			 * Failing now is worse than failing a high-order atomic
			 * request later: OOM handling and non-blocking requests
			 * may use the highatomic reserve.
			 */
			if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
				page = __rmqueue_smallest(kb, zone, order, MIGRATE_HIGHATOMIC);
			if (!page) {
				spin_unlock_irqrestore(kb, &zone->lock);
				return NULL;
			}
		}
		spin_unlock_irqrestore(kb, &zone->lock);
	} while (check_new_pages(kb, page, order));
	return page;
}

static struct page *rmqueue(struct kb_instance *kb, struct zone *preferred_zone,
			    struct zone *zone, unsigned int order, unsigned int alloc_flags,
			    int migratetype)
{
	struct page *page = NULL;

	if (pcp_allowed_order(kb, order))
		page = rmqueue_pcplist(kb, preferred_zone, zone, order, migratetype, alloc_flags);
	if (!page)
		page = rmqueue_buddy(kb, zone, order, alloc_flags, migratetype);

	/* A boosted watermark wakes kswapd to reclaim the boost. */
	if ((alloc_flags & ALLOC_KSWAPD) && (zone->flags & (1UL << ZONE_BOOSTED_WATERMARK))) {
		zone->flags &= ~(1UL << ZONE_BOOSTED_WATERMARK);
		wakeup_kswapd(kb, zone, 0, 0, (enum zone_type)zone_idx(zone));
	}

	if (page)
		kb->vm_events[PGALLOC] += 1UL << order;
	return page;
}

/* --- zonelist walk --- */

struct zoneref *next_zone_zonelist(struct zoneref *z, enum zone_type highest_zoneidx)
{
	for (; z->zone && z->zone_idx > (int)highest_zoneidx; z++)
		;
	return z;
}

/* Whether the first pass may fall back to fragmenting types (alloc_flags_nofragment). */
static unsigned int alloc_flags_nofragment(struct kb_instance *kb, struct zone *zone,
					   gfp_t gfp_mask)
{
	/* __GFP_KSWAPD_RECLAIM is the same bit as ALLOC_KSWAPD */
	unsigned int alloc_flags = gfp_mask & __GFP_KSWAPD_RECLAIM;

	if (!zone || zone_idx(zone) != ZONE_NORMAL)
		return alloc_flags;
	/* With several nodes, NORMAL without a DMA32 beside it does not qualify. */
	if (kb->nr_node_ids > 1 && !populated_zone(&zone->zone_pgdat->node_zones[ZONE_DMA32]))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

static void record_alloc(struct kb_instance *kb, struct zone *zone, unsigned int order,
			 unsigned int alloc_flags, const struct alloc_context *ac)
{
	kb->last_alloc.zone = zone;
	kb->last_alloc.alloc_flags = alloc_flags;
	kb->last_alloc.order = order;
	kb->last_alloc.highest_zoneidx = (int)ac->highest_zoneidx;
	kb->last_alloc.migratetype = ac->migratetype;
}

static struct page *get_page_from_freelist(struct kb_instance *kb, gfp_t gfp_mask,
					   unsigned int order, unsigned int alloc_flags,
					   const struct alloc_context *ac)
{
	struct zone *preferred_zone;
	struct kb_wmark_input before = { 0 };
	unsigned long passes = 0, zones;
	struct zoneref *z;
	bool no_fallback;

retry:
	/* A pass without ALLOC_NOFRAGMENT does not retry: two passes at most. */
	if (KB_LOOP_BOUND(kb, passes, 2, "loop-get-page-from-freelist",
			  ac->preferred_zoneref->zone ? ac->preferred_zoneref->zone->zone_start_pfn : 0,
			  "a third pass, alloc_flags 0x%x", alloc_flags))
		return NULL;
	no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	preferred_zone = ac->preferred_zoneref->zone;
	zones = 0;
	for (z = next_zone_zonelist(ac->preferred_zoneref, ac->highest_zoneidx); z->zone;
	     z = next_zone_zonelist(z + 1, ac->highest_zoneidx)) {
		struct zone *zone = z->zone;
		unsigned long mark;
		struct page *page;

		/* A zonelist names each zone once, and ends before its last slot. */
		if (KB_LOOP_BOUND(kb, zones, MAX_ZONES_PER_ZONELIST, "loop-get-page-from-freelist",
				  zone->zone_start_pfn, "the zonelist walk from node %d's zone %s has no end",
				  zone_to_nid(preferred_zone), preferred_zone->name))
			return NULL;

		/*
		 * Moving to a remote node: locality matters more than
		 * fragmentation, so retry allowing fragmenting fallbacks.
		 */
		if (no_fallback && kb->nr_node_ids > 1 && zone != preferred_zone &&
		    zone_to_nid(zone) != zone_to_nid(preferred_zone)) {
			alloc_flags &= ~ALLOC_NOFRAGMENT;
			goto retry;
		}

		/*
		 * Below the high watermark the pcp lists start shrinking on
		 * free (ZONE_BELOW_HIGH); detect it here, off the free path.
		 */
		if (!(zone->flags & (1UL << ZONE_BELOW_HIGH))) {
			mark = high_wmark_pages(zone);
			if (zone_watermark_fast(kb, zone, order, mark, (int)ac->highest_zoneidx,
						alloc_flags))
				goto try_this_zone;
			zone->flags |= 1UL << ZONE_BELOW_HIGH;
		}

		mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
		if (!zone_watermark_fast(kb, zone, order, mark, (int)ac->highest_zoneidx,
					 alloc_flags)) {
			if (alloc_flags & ALLOC_NO_WATERMARKS)
				goto try_this_zone;
			/* node_reclaim is off (node_reclaim_mode 0) */
			continue;
		}

try_this_zone:
		if (kb->check_level >= 2)
			kb_record_wmark_input(kb, zone, &before);
		page = rmqueue(kb, preferred_zone, zone, order, alloc_flags, ac->migratetype);
		if (page) {
			prep_new_page(kb, page, order, gfp_mask);
			record_alloc(kb, zone, order, alloc_flags, ac);
			kb->last_alloc.before = before;
			/* A high-order atomic request may reserve its pageblock. */
			if (alloc_flags & ALLOC_HIGHATOMIC)
				reserve_highatomic_pageblock(kb, page, (int)order, zone);
			return page;
		}
	}

	/* A UMA machine may find every zone fragmented: try again allowing it. */
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/* --- slow path --- */

static unsigned int gfp_to_alloc_flags_cma(struct kb_instance *kb, gfp_t gfp_mask,
					   unsigned int alloc_flags)
{
	if (gfp_migratetype(kb, gfp_mask) == MIGRATE_MOVABLE)
		alloc_flags |= ALLOC_CMA;
	return alloc_flags;
}

/* The slow path's alloc_flags: min watermark and reserves by gfp. */
static unsigned int gfp_to_alloc_flags(struct kb_instance *kb, gfp_t gfp_mask,
				       unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH is ALLOC_MIN_RESERVE and __GFP_KSWAPD_RECLAIM is ALLOC_KSWAPD */
	alloc_flags |= gfp_mask & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);

	if (!(gfp_mask & __GFP_DIRECT_RECLAIM)) {
		/* Not worth trying harder for __GFP_NOMEMALLOC even if it can't schedule. */
		if (!(gfp_mask & __GFP_NOMEMALLOC)) {
			alloc_flags |= ALLOC_NON_BLOCK;
			if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
				alloc_flags |= ALLOC_HIGHATOMIC;
		}
		/* Non-blocking __GFP_HIGH ignores cpuset mems rather than fail. */
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	return gfp_to_alloc_flags_cma(kb, gfp_mask, alloc_flags);
}

/* Reserve access for __GFP_MEMALLOC and OOM victims (__gfp_pfmemalloc_flags). */
static unsigned int __gfp_pfmemalloc_flags(struct kb_instance *kb, gfp_t gfp_mask)
{
	if (gfp_mask & __GFP_NOMEMALLOC)
		return 0;
	if (gfp_mask & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	if (kb->current_is_oom_victim)
		return ALLOC_OOM;
	return 0;
}

static struct page *__alloc_pages_direct_reclaim(struct kb_instance *kb, gfp_t gfp_mask,
						 unsigned int order, unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;

	/* __perform_reclaim */
	*did_some_progress = try_to_free_pages(kb, ac->zonelist, (int)order, gfp_mask);
	if (!*did_some_progress)
		return NULL;
retry:
	page = get_page_from_freelist(kb, gfp_mask, order, alloc_flags, ac);
	/*
	 * Failing after reclaim may mean pages sit on pcp lists or in the
	 * highatomic reserve: release them and try again.
	 */
	if (!page && !drained) {
		unreserve_highatomic_pageblock(kb, ac, false);
		drain_all_pages(kb, NULL);
		drained = true;
		goto retry;
	}
	return page;
}

/*
 * Direct compaction for a high-order request, then an allocation attempt
 * with the same alloc_flags: the page compaction captured, or one from
 * the free lists (__alloc_pages_direct_compact).
 */
static struct page *__alloc_pages_direct_compact(struct kb_instance *kb, gfp_t gfp_mask,
						 unsigned int order, unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 enum compact_priority prio,
						 enum compact_result *compact_result)
{
	struct page *page = NULL;

	if (!order)
		return NULL;
	*compact_result = try_to_compact_pages(kb, gfp_mask, order, alloc_flags, ac, prio, &page);
	if (*compact_result == COMPACT_SKIPPED)
		return NULL;
	/* At least in one zone compaction wasn't deferred or skipped: a stall */
	kb->vm_events[COMPACTSTALL]++;

	/* Prep a captured page if available */
	if (page)
		prep_new_page(kb, page, order, gfp_mask);
	/* Try get a page from the freelist if available */
	if (!page)
		page = get_page_from_freelist(kb, gfp_mask, order, alloc_flags, ac);
	if (page) {
		struct zone *zone = page_zone(kb, page);

		zone->compact_blockskip_flush = false;
		compaction_defer_reset(zone, (int)order, true);
		kb->vm_events[COMPACTSUCCESS]++;
		return page;
	}
	/* Compaction ran and failed: most likely too few free pages for the watermarks */
	kb->vm_events[COMPACTFAIL]++;
	return NULL;
}

/*
 * Whether another round of reclaim and compaction may help, at a higher
 * compaction priority once a round failed (should_compact_retry).
 */
static bool should_compact_retry(struct kb_instance *kb, const struct alloc_context *ac,
				 unsigned int order, unsigned int alloc_flags,
				 enum compact_result compact_result,
				 enum compact_priority *compact_priority, int *compaction_retries)
{
	int max_retries = MAX_COMPACT_RETRIES;
	enum compact_priority min_priority;

	if (!order)
		return false;
	/* Skipped for lack of order-0 targets: continue if reclaim can help */
	if (compact_result == COMPACT_SKIPPED)
		return compaction_zonelist_suitable(kb, ac, (int)order, alloc_flags);
	/* Compaction coalesced blocks but the allocation lost them: retry some */
	if (compact_result == COMPACT_SUCCESS) {
		if (order > PAGE_ALLOC_COSTLY_ORDER)
			max_retries /= 4;
		if (++(*compaction_retries) <= max_retries)
			return true;
	}
	/* Compaction failed. Retry with increasing priority. */
	min_priority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY :
							  MIN_COMPACT_PRIORITY;
	if (*compact_priority > min_priority) {
		(*compact_priority)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}

/*
 * Would the request succeed if every reclaimable page were reclaimed? Keep
 * retrying while it would, up to MAX_RECLAIM_RETRIES rounds without
 * progress; before giving up, exhaust the highatomic reserve.
 */
static bool should_reclaim_retry(struct kb_instance *kb, unsigned int order,
				 const struct alloc_context *ac, unsigned int alloc_flags,
				 bool did_some_progress, int *no_progress_loops)
{
	bool ret = false;
	struct zoneref *z;

	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;

	if (*no_progress_loops <= MAX_RECLAIM_RETRIES) {
		for (z = next_zone_zonelist(ac->zonelist->_zonerefs, ac->highest_zoneidx); z->zone;
		     z = next_zone_zonelist(z + 1, ac->highest_zoneidx)) {
			struct zone *zone = z->zone;
			/* Would it succeed if every reclaimable page were reclaimed? */
			long available = (long)(zone_reclaimable_pages(zone) +
						zone_page_state(zone, NR_FREE_PAGES));

			if (__zone_watermark_ok(kb, zone, order, min_wmark_pages(zone),
						(int)ac->highest_zoneidx, alloc_flags, available)) {
				ret = true;
				break;
			}
		}
	}

	/* Before OOM, exhaust highatomic_reserve */
	if (!ret)
		return unreserve_highatomic_pageblock(kb, ac, true);
	return ret;
}

/*
 * Reclaim failed: kill a process to free memory (out_of_memory). Costly
 * orders, __GFP_RETRY_MAYFAIL, __GFP_THISNODE and lowmem requests give up
 * instead, __GFP_NOFAIL ones too (then their nopage retry goes on without
 * the reserves). A kill, or a __GFP_NOFAIL request nothing could be killed
 * for, counts as progress; only __GFP_NOFAIL may then use every reserve.
 */
static struct page *__alloc_pages_may_oom(struct kb_instance *kb, gfp_t gfp_mask,
					  unsigned int order, const struct alloc_context *ac,
					  unsigned long *did_some_progress)
{
	struct oom_control oc = {
		.zonelist = ac->zonelist,
		.gfp_mask = gfp_mask,
		.order = (int)order,
		.highest_zoneidx = ac->highest_zoneidx,
	};
	struct page *page;

	*did_some_progress = 0;

	/*
	 * Catch a parallel OOM kill: a very high watermark, we must fail if
	 * still short; and no reclaim from inside the OOM path.
	 */
	page = get_page_from_freelist(kb, (gfp_mask | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM,
				      order, ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac);
	if (page)
		return page;

#ifndef KB_BUG_nofail_bypasses_oom_exits
	{
#else
	if (!(gfp_mask & __GFP_NOFAIL)) {
#endif
		/* The OOM killer will not help higher order allocs */
		if (order > PAGE_ALLOC_COSTLY_ORDER)
			return NULL;
		/* The caller has a better fallback; the killer cannot free a given node */
		if (gfp_mask & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
			return NULL;
		/* The OOM killer does not needlessly kill tasks for lowmem */
		if (ac->highest_zoneidx < ZONE_NORMAL)
			return NULL;
	}
	/* Exhausted what can be done so it's blame time (the kernel WARNs for __GFP_NOFAIL) */
	if (out_of_memory(kb, &oc) || (gfp_mask & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		/* Help non-failing allocations by giving them access to memory reserves */
		if (gfp_mask & __GFP_NOFAIL)
			page = get_page_from_freelist(kb, gfp_mask, order, ALLOC_NO_WATERMARKS, ac);
	}
	return page;
}

/* Wakes the kswapd of each node the zonelist reaches, once (wake_all_kswapds). */
static void wake_all_kswapds(struct kb_instance *kb, unsigned int order, gfp_t gfp_mask,
			     const struct alloc_context *ac)
{
	pg_data_t *last_pgdat = NULL;

	for (struct zoneref *z = next_zone_zonelist(ac->zonelist->_zonerefs, ac->highest_zoneidx);
	     z->zone; z = next_zone_zonelist(z + 1, ac->highest_zoneidx)) {
		if (!managed_zone(z->zone) || last_pgdat == z->zone->zone_pgdat)
			continue;
		wakeup_kswapd(kb, z->zone, gfp_mask, (int)order, ac->highest_zoneidx);
		last_pgdat = z->zone->zone_pgdat;
	}
}

static struct page *__alloc_pages_slowpath(struct kb_instance *kb, gfp_t gfp_mask,
					   unsigned int order, struct alloc_context *ac,
					   int *err)
{
	bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	bool nofail = gfp_mask & __GFP_NOFAIL;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	bool can_compact = gfp_mask & __GFP_IO;		/* gfp_compaction_allowed */
	enum compact_priority compact_priority = DEF_COMPACT_PRIORITY;
	enum compact_result compact_result = COMPACT_SKIPPED;
	int compaction_retries = 0;
	unsigned long did_some_progress = 0;
	int no_progress_loops = 0;
	unsigned int alloc_flags;
	unsigned int reserve_flags;
	struct page *page = NULL;
	int loops = 0;

	alloc_flags = gfp_to_alloc_flags(kb, gfp_mask, order);

	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx);
	if (!ac->preferred_zoneref->zone)
		goto nopage;

	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(kb, order, gfp_mask, ac);

	/* The adjusted alloc_flags might succeed at once. */
	page = get_page_from_freelist(kb, gfp_mask, order, alloc_flags, ac);
	if (page)
		goto got_pg;

	/*
	 * Costly requests, and high-order unmovable ones (which would
	 * fragment by falling back), try async compaction first.
	 */
	if (can_direct_reclaim && can_compact &&
	    (costly_order || (order > 0 && ac->migratetype != MIGRATE_MOVABLE)) &&
	    !__gfp_pfmemalloc_flags(kb, gfp_mask)) {
		page = __alloc_pages_direct_compact(kb, gfp_mask, order, alloc_flags, ac,
						    INIT_COMPACT_PRIORITY, &compact_result);
		if (page)
			goto got_pg;
		/* Costly __GFP_NORETRY (THP faults): reclaim is only worth it if compaction ran */
		if (costly_order && (gfp_mask & __GFP_NORETRY)) {
			if (compact_result == COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED)
				goto nopage;
			/* a node-local THP attempt must not put reclaim pressure on its node */
			if (gfp_mask & __GFP_THISNODE)
				goto nopage;
			/* reclaim/compaction is worth trying, but sync compaction is too costly */
			compact_priority = INIT_COMPACT_PRIORITY;
		}
	}

retry:
	if (++loops > KB_SLOWPATH_MAX_LOOPS) {
		*err = -EDEADLK;
		goto fail;
	}

	/* Ensure kswapd doesn't accidentally go to sleep as long as we loop */
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(kb, order, gfp_mask, ac);

	reserve_flags = __gfp_pfmemalloc_flags(kb, gfp_mask);
	if (reserve_flags)
		alloc_flags = gfp_to_alloc_flags_cma(kb, gfp_mask, reserve_flags) |
			      (alloc_flags & ALLOC_KSWAPD);

	/* Requests that may ignore memory policies restart the zonelist walk. */
	if (!(alloc_flags & ALLOC_CPUSET) || reserve_flags)
		ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx);

	page = get_page_from_freelist(kb, gfp_mask, order, alloc_flags, ac);
	if (page)
		goto got_pg;

	/* Caller is not willing to reclaim, we can't balance anything */
	if (!can_direct_reclaim)
		goto nopage;

	page = __alloc_pages_direct_reclaim(kb, gfp_mask, order, alloc_flags, ac,
					    &did_some_progress);
	if (page)
		goto got_pg;

	/* Try direct compaction and then allocating */
	page = __alloc_pages_direct_compact(kb, gfp_mask, order, alloc_flags, ac,
					    compact_priority, &compact_result);
	if (page)
		goto got_pg;

	if (gfp_mask & __GFP_NORETRY)
		goto nopage;

	/* Costly orders retry only with __GFP_RETRY_MAYFAIL and compaction. */
	if (costly_order && (!can_compact || !(gfp_mask & __GFP_RETRY_MAYFAIL)))
		goto nopage;

	if (should_reclaim_retry(kb, order, ac, alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;

	/* Compaction needs the order-0 pages reclaim frees: retry only after progress */
	if (did_some_progress > 0 && can_compact &&
	    should_compact_retry(kb, ac, order, alloc_flags, compact_result, &compact_priority,
				 &compaction_retries))
		goto retry;

	/* Reclaim has failed us, start killing things */
	page = __alloc_pages_may_oom(kb, gfp_mask, order, ac, &did_some_progress);
	if (page)
		goto got_pg;

	/* Avoid allocations with no watermarks from looping endlessly */
	if (kb->current_is_oom_victim &&
	    ((alloc_flags & ALLOC_OOM) || (gfp_mask & __GFP_NOMEMALLOC)))
		goto nopage;

	/* Retry as long as the OOM killer is making progress */
	if (did_some_progress) {
		no_progress_loops = 0;
		goto retry;
	}

nopage:
	if (nofail) {
		/* Without direct reclaim a __GFP_NOFAIL request still fails. */
		if (!can_direct_reclaim)
			goto fail;
		/* Help it with some of the reserves, but not all of them. */
		page = get_page_from_freelist(kb, gfp_mask, order, ALLOC_MIN_RESERVE, ac);
		if (page)
			goto got_pg;
		goto retry;
	}
fail:
	return NULL;
got_pg:
	return page;
}

/* --- entry points --- */

/*
 * The request as the allocator sees it: zonelist, zone limit, type and
 * alloc_flags (prepare_alloc_pages). False with *err -EINVAL for a
 * request the kernel treats as a bug (a bad GFP zone combination, both
 * mobility bits, order above MAX_PAGE_ORDER, an unknown node).
 */
bool prepare_alloc_pages(struct kb_instance *kb, gfp_t gfp, unsigned int order,
			 int preferred_nid, struct alloc_context *ac,
			 unsigned int *alloc_flags, int *err)
{
	bool bad_zone;

	*err = 0;
	/* might_alloc(): a request that may reclaim must be allowed to sleep */
	if (gfp & __GFP_DIRECT_RECLAIM)
		kb_might_sleep(kb, "an allocation that may reclaim");
	/* The kernel WARNs and fails such requests. */
	if (order > kb->max_order || (gfp & ~KB_GFP_VALID_MASK)) {
		*err = -EINVAL;
		return false;
	}
	ac->highest_zoneidx = gfp_zone(gfp, &bad_zone);
	ac->migratetype = gfp_migratetype(kb, gfp);
	if (bad_zone || ac->migratetype < 0 || preferred_nid >= kb->nr_node_ids) {
		*err = -EINVAL;
		return false;
	}
	if (preferred_nid < 0)
		preferred_nid = kb->cpu_to_node[kb->cpu];

	ac->zonelist = &kb->node_data[preferred_nid].node_zonelists[
		(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK];
	*alloc_flags = gfp_to_alloc_flags_cma(kb, gfp, *alloc_flags);
	/* Dirty zone balancing only done in the fast path (no dirty limits here). */
	ac->spread_dirty_pages = gfp & __GFP_WRITE;
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx);
	return true;
}

/*
 * The heart of the zoned buddy allocator. Returns NULL on failure; *err is
 * -EINVAL for requests the kernel treats as bugs, -EDEADLK where the kernel
 * would loop forever, 0 otherwise.
 */
struct page *__alloc_pages(struct kb_instance *kb, gfp_t gfp, unsigned int order,
			   int preferred_nid, int *err)
{
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	struct alloc_context ac = { 0 };
	struct page *page;

	if (!prepare_alloc_pages(kb, gfp, order, preferred_nid, &ac, &alloc_flags, err))
		return NULL;

	/* The first pass avoids fragmenting fallbacks until every local zone was tried. */
	alloc_flags |= alloc_flags_nofragment(kb, ac.preferred_zoneref->zone, gfp);

	page = NULL;
	if (ac.preferred_zoneref->zone)
		page = get_page_from_freelist(kb, gfp, order, alloc_flags, &ac);
	if (!page) {
		ac.spread_dirty_pages = false;
		page = __alloc_pages_slowpath(kb, gfp, order, &ac, err);
	}
	if (!page)
		kb->vm_events[ALLOCFAIL]++;
	trace_mm_page_alloc(kb, page, order, gfp, ac.migratetype);
	return page;
}

struct page *kb_alloc_pages(struct kb_instance *kb, gfp_t gfp, unsigned int order,
			    int nid, int *err)
{
	int ignored;

	kb->last_alloc.zone = NULL;
	return __alloc_pages(kb, gfp, order, nid, err ? err : &ignored);
}

/* --- the free path --- */

static __attribute__((noinline)) bool report_bad_free_page(struct kb_instance *kb,
							   struct page *page)
{
	const char *bad_reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);

	if (!bad_reason)
		return false;
	kb_vm_report(kb, "bad-page", page_to_pfn(kb, page), -1, "freeing a bad page: %s",
		     bad_reason);
	return true;
}

/* Inline: the clean case is tested in the loop over every page of a freed block. */
static inline __attribute__((always_inline)) bool free_page_is_bad(struct kb_instance *kb,
								  struct page *page)
{
	return !page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE) &&
	       report_bad_free_page(kb, page);
}

static bool free_tail_page_prepare(struct kb_instance *kb, struct page *head,
				   struct page *page)
{
	bool bad = false;

	if (kb->check_level >= 1) {
		if (!PageTail(page)) {
			kb_vm_report(kb, "bad-page", page_to_pfn(kb, page), -1,
				     "PageTail not set");
			bad = true;
		} else if (page->compound_head != page_to_pfn(kb, head)) {
			kb_vm_report(kb, "bad-page", page_to_pfn(kb, page), -1,
				     "compound_head not consistent");
			bad = true;
		}
	}
	ClearPageTail(page);
	page->compound_head = 0;
	return bad;
}

/* Checks and clears a block being freed; false when it must not be freed. */
bool free_pages_prepare(struct kb_instance *kb, struct page *page, unsigned int order)
{
	bool compound = PageHead(page) || PageTail(page);
	unsigned long pfn = page_to_pfn(kb, page);
	int bad = 0;

	/* A compound block's tails are rewritten; a plain block's only when flagged. */
	kb_dirty_range(kb, pfn, compound ? 1UL << order : 1);
	KB_VM_WARN(kb, PageTail(page), "vm-bug-free-tail", pfn, (int)order,
		   "freeing a tail page");
	/* Do not let hwpoison pages hit pcplists/buddy */
	if (PageHWPoison(page) && !order)
		return false;
	trace_mm_page_free(kb, page, order);
	KB_VM_WARN(kb, compound && page->compound_order != order, "vm-bug-free-order", pfn,
		   (int)order, "compound order %u freed as order %u", page->compound_order, order);

	if (order) {
		/* a plain block's page needs more than a look when flagged or not as expected */
		const uint32_t look = PAGE_FLAGS_CHECK_AT_FREE | PAGE_FLAGS_CHECK_AT_PREP;
		unsigned long nr = 1UL << order, i;

		for (i = 1; i < nr; i++) {
			if (compound) {
				bad += free_tail_page_prepare(kb, page, page + i);
			} else {
				i += kb_pages_first_unexpected(kb, page + i, nr - i, look);
				if (i == nr)
					break;
			}
			if (kb->check_level >= 1 && free_page_is_bad(kb, page + i)) {
				bad++;
				continue;
			}
			if ((page + i)->flags & PAGE_FLAGS_CHECK_AT_PREP) {
				kb_dirty_range(kb, pfn + i, 1);
				(page + i)->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
			}
		}
	}
	ClearPageHead(page);
	page->compound_order = 0;
	if (kb->check_level >= 1) {
		if (free_page_is_bad(kb, page))
			bad++;
		if (bad)
			return false;
	}
	page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
	kb_touch(kb, KB_TOUCH_FREE, pfn, order, -1);
	kb_poison_pages(kb, pfn, 1UL << order);
	return true;
}

void __free_pages_ok(struct kb_instance *kb, struct page *page, unsigned int order,
		     fpi_t fpi_flags)
{
	if ((fpi_flags & FPI_PREPARED) || free_pages_prepare(kb, page, order))
		free_one_page(kb, page_zone(kb, page), page, page_to_pfn(kb, page), order,
			      fpi_flags);
}

/* Frees a block with no references left: to this CPU's list or the buddy. */
void __free_frozen_pages(struct kb_instance *kb, struct page *page, unsigned int order,
			 fpi_t fpi_flags)
{
	unsigned long pfn = page_to_pfn(kb, page);
	struct per_cpu_pages *pcp;
	struct zone *zone;
	int migratetype;

	if (!pcp_allowed_order(kb, order)) {
		__free_pages_ok(kb, page, order, fpi_flags);
		return;
	}
	if (!(fpi_flags & FPI_PREPARED) && !free_pages_prepare(kb, page, order))
		return;

	/*
	 * Only the pcp types have pcp lists: isolated pages go straight back
	 * (they are being offlined), highatomic and CMA ride on MOVABLE.
	 */
	zone = page_zone(kb, page);
	migratetype = get_pfnblock_migratetype(kb, pfn);
#if KB_PCP_CACHED_MIGRATETYPE
	/* the type a drain frees it with, CMA and highatomic kept (set_pcppage_migratetype) */
	page->pcp_migratetype = (uint8_t)migratetype;
#endif
	/* read without zone->lock: isolation or a type change may follow */
	kb_yield(kb, KB_YIELD_FREE_MIGRATETYPE);
	if (migratetype >= MIGRATE_PCPTYPES) {
		if (is_migrate_isolate(migratetype)) {
			free_one_page(kb, zone, page, pfn, order, fpi_flags);
			return;
		}
#ifndef KB_BUG_highatomic_on_pcp_list
		migratetype = MIGRATE_MOVABLE;
#endif
	}
	/* A remote drain, or the task this interrupt interrupted, may hold it. */
	pcp = &zone->per_cpu_pageset[kb->cpu];
#ifndef KB_BUG_irq_free_spins_on_pcp_lock
	if (!pcp_spin_trylock(kb, pcp)) {
#ifdef KB_BUG_trylock_fail_frees_pcp_type
		/*
		 * before 7b086755fb8c: the failed trylock frees with the pcp
		 * list's type, MOVABLE for a CMA or highatomic pageblock
		 */
		spin_lock_irqsave(kb, &zone->lock);
		__free_one_page(kb, page, pfn, zone, order, migratetype, fpi_flags);
		spin_unlock_irqrestore(kb, &zone->lock);
		kb->vm_events[PGFREE] += 1UL << order;
		return;
#endif
		free_one_page(kb, zone, page, pfn, order, fpi_flags);
		return;
	}
#else
	/* 4b23a68f9536 before its trylock: an interrupt spins on its own CPU's lock */
	pcp_spin_lock(kb, pcp);
#endif
	kb_yield(kb, KB_YIELD_PCP_LOCKED);
	free_unref_page_commit(kb, zone, pcp, page, migratetype, order);
	pcp_spin_unlock(kb, pcp);
}

/* Another holder of the page may drop its reference here (kb_owner_hooks). */
static void free_window(struct kb_instance *kb, struct page *page)
{
	/* or, under the scheduler, another CPU's put_page */
	kb_yield(kb, KB_YIELD_FREE_WINDOW);
	if (kb->owner.free_window)
		kb->owner.free_window(kb, page, kb->owner.ctx);
}

/*
 * Drops a reference; the last one frees the block. A non-compound block
 * whose first page is still referenced frees its other pages.
 */
void __free_pages(struct kb_instance *kb, struct page *page, unsigned int order)
{
	kb_dirty_range(kb, page_to_pfn(kb, page), 1);	/* the reference count */
#ifndef KB_BUG_head_test_after_put
	/* get PageHead before we drop reference */
	bool head = PageHead(page);

	if (put_page_testzero(page)) {
		__free_frozen_pages(kb, page, order, FPI_NONE);
		return;
	}
	free_window(kb, page);
	if (!head)
		while (order-- > 0)
			__free_frozen_pages(kb, page + (1UL << order), order, FPI_NONE);
#else
	if (put_page_testzero(page)) {
		__free_frozen_pages(kb, page, order, FPI_NONE);
		return;
	}
	free_window(kb, page);
	if (!PageHead(page))
		while (order-- > 0)
			__free_frozen_pages(kb, page + (1UL << order), order, FPI_NONE);
#endif
}

void kb_free_pages(struct kb_instance *kb, struct page *page, unsigned int order)
{
	__free_pages(kb, page, order);
}

void kb_get_page(struct kb_instance *kb, struct page *page)
{
	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	KB_VM_WARN(kb, page_ref_count(page) <= 0, "vm-bug-page-ref", page_to_pfn(kb, page), -1,
		   "get_page on a page with refcount %d", page_ref_count(page));
	page_ref_inc(page);
}

/* put_page: the last reference frees the folio (order 0 unless compound). */
void kb_put_page(struct kb_instance *kb, struct page *page)
{
	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	if (put_page_testzero(page))
		__free_frozen_pages(kb, page, PageHead(page) ? page->compound_order : 0,
				    FPI_NONE);
}
