// SPDX-License-Identifier: GPL-2.0
/*
 * Migratetype fallback: when a type's lists are empty, __rmqueue claims a
 * whole pageblock of another type or steals pages from it (mm/page_alloc.c,
 * 6.15+: __rmqueue with the NORMAL, CMA, CLAIM and STEAL modes; 6.1 and
 * 6.6: __rmqueue_fallback and steal_suitable_fallback, chosen by
 * KB_FALLBACK_STEAL_SUITABLE in profile.h).
 */
#include "internal.h"
#include "loop_bound.h"

/* The order lists are fallen back to when a type's own lists are empty. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

void change_pageblock_range(struct kb_instance *kb, struct page *pageblock_page,
			    int start_order, int migratetype)
{
	int nr_pageblocks = 1 << (start_order - (int)kb->pageblock_order);

	while (nr_pageblocks--) {
		set_pageblock_migratetype(kb, pageblock_page, migratetype);
		pageblock_page += kb->pageblock_nr_pages;
	}
}

/*
 * Finds the pageblock around page, refusing blocks that straddle the zone's
 * edges; optionally counts its free pages and its movable (LRU) pages.
 * kbuddy has no LRU, so allocated pages count as movable only when their
 * owner marked them PG_lru.
 */
bool prep_move_freepages_block(struct kb_instance *kb, struct zone *zone,
			       struct page *page, unsigned long *start_pfn,
			       int *num_free, int *num_movable)
{
	unsigned long pfn = page_to_pfn(kb, page);
	unsigned long start = pageblock_start_pfn(kb, pfn);
	unsigned long end = pageblock_end_pfn(kb, pfn);

	if (!zone_spans_pfn(zone, start))
		return false;
	if (!zone_spans_pfn(zone, end - 1))
		return false;

	*start_pfn = start;

	if (num_free) {
		unsigned long rounds = 0;

		*num_free = 0;
		*num_movable = 0;
		for (pfn = start; pfn < end;) {
			/* each round moves past one page at least */
			if (KB_LOOP_BOUND(kb, rounds, end - start, "loop-prep-move-freepages-block",
					  pfn, "at 0x%lx of the pageblock at 0x%lx", pfn, start))
				return false;
			page = pfn_to_page(kb, pfn);
			if (PageBuddy(page)) {
				int nr = 1 << buddy_order(page);

				*num_free += nr;
				pfn += (unsigned long)nr;
				continue;
			}
			if (PageLru(page))
				(*num_movable)++;
			pfn++;
		}
	}
	return true;
}

/* Moves every free block inside one pageblock from old_mt to new_mt's lists. */
int __move_freepages_block(struct kb_instance *kb, struct zone *zone,
			   unsigned long start_pfn, int old_mt, int new_mt)
{
	unsigned long pfn, end_pfn, rounds = 0;
	int pages_moved = 0;

	KB_VM_WARN(kb, start_pfn & (kb->pageblock_nr_pages - 1), "vm-bug-move-freepages",
		   start_pfn, -1, "__move_freepages_block: start not pageblock aligned");
	end_pfn = pageblock_end_pfn(kb, start_pfn);

	for (pfn = start_pfn; pfn < end_pfn;) {
		struct page *page = pfn_to_page(kb, pfn);
		unsigned int order;

		/* each round moves past one page at least */
		if (KB_LOOP_BOUND(kb, rounds, kb->pageblock_nr_pages, "loop-move-freepages-block",
				  pfn, "at 0x%lx of the pageblock at 0x%lx", pfn, start_pfn))
			break;
		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		KB_VM_WARN(kb, page->node != zone_to_nid(zone) || page->zone != zone->zone_idx,
			   "vm-bug-move-freepages", pfn, -1,
			   "__move_freepages_block: page outside zone %s", zone->name);

		order = (unsigned int)buddy_order(page);
#ifndef KB_BUG_move_freepages_skips_last
		move_to_free_list(kb, page, zone, order, old_mt, new_mt);
#else
		if (pfn + (1UL << order) < end_pfn)
			move_to_free_list(kb, page, zone, order, old_mt, new_mt);
#endif
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	return pages_moved;
}

/* Moves a pageblock's free pages to new_mt and retypes it; -1 if it straddles the zone. */
int move_freepages_block(struct kb_instance *kb, struct zone *zone, struct page *page,
			 int old_mt, int new_mt)
{
	unsigned long start_pfn;
	int res;

	if (!prep_move_freepages_block(kb, zone, page, &start_pfn, NULL, NULL))
		return -1;

	res = __move_freepages_block(kb, zone, start_pfn, old_mt, new_mt);
	set_pageblock_migratetype(kb, pfn_to_page(kb, start_pfn), new_mt);
	return res;
}

/*
 * 6.1's move_freepages_block: every free block of page's pageblock goes to
 * new_mt's lists, whichever list it was on, and the pageblock keeps its
 * type. Returns the free pages moved (0 when the pageblock reaches past the
 * zone's end; one that starts before the zone is moved from page on) and
 * counts the allocated movable (PG_lru) pages in *num_movable.
 */
int move_freepages_block_count(struct kb_instance *kb, struct zone *zone, struct page *page,
			       int block_mt, int new_mt, int *num_movable)
{
	unsigned long pfn = page_to_pfn(kb, page);
	unsigned long start_pfn = pageblock_start_pfn(kb, pfn);
	unsigned long end_pfn = pageblock_end_pfn(kb, pfn);
	unsigned long rounds = 0;
	int pages_moved = 0;

	*num_movable = 0;
	if (!zone_spans_pfn(zone, start_pfn))
		start_pfn = pfn;
	if (!zone_spans_pfn(zone, end_pfn - 1))
		return 0;

	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned int order;

		/* each round moves past one page at least */
		if (KB_LOOP_BOUND(kb, rounds, kb->pageblock_nr_pages, "loop-move-freepages-block",
				  pfn, "at 0x%lx of the pageblock at 0x%lx", pfn, start_pfn))
			break;
		page = pfn_to_page(kb, pfn);
		if (!PageBuddy(page)) {
			if (PageLru(page))
				(*num_movable)++;
			pfn++;
			continue;
		}
		order = (unsigned int)buddy_order(page);
		move_to_free_list(kb, page, zone, order, block_mt, new_mt);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	return pages_moved;
}

/* Whether a fallback at this order should try to claim the whole block. */
static bool should_try_claim_block(struct kb_instance *kb, unsigned int order, int start_mt)
{
	if (order >= kb->pageblock_order)
		return true;
	/* Above this threshold the block likely holds more free pages. */
	if (order >= kb->pageblock_order / 2)
		return true;
	/* Unmovable and reclaimable pages in a movable block fragment it for good. */
	if (start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE)
		return true;
	if (kb->page_group_by_mobility_disabled)
		return true;
	/* Movable pages can be compacted away later: only steal. */
	return false;
}

/*
 * Returns the first fallback type with a free block at this order, -1 when
 * none, or -2 when claiming was asked for but this order is too low to claim.
 */
int find_suitable_fallback(struct kb_instance *kb, struct free_area *area,
			   unsigned int order, int migratetype, bool claimable)
{
	int i;

	if (claimable && !should_try_claim_block(kb, order, migratetype))
		return -2;

	if (area->nr_free == 0)
		return -1;

	for (i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (!list_empty(&area->free_list[fallback_mt]))
			return fallback_mt;
	}
	return -1;
}

#if !KB_FALLBACK_STEAL_SUITABLE
/*
 * Claims the pageblock holding page for start_type when it is large enough,
 * or when enough of it is free or alike; then allocates from the claimed
 * lists. Returns NULL when the block is left alone.
 */
static struct page *try_to_claim_block(struct kb_instance *kb, struct zone *zone,
				       struct page *page, int current_order, int order,
				       int start_type, int block_type,
				       unsigned int alloc_flags)
{
	int free_pages, movable_pages, alike_pages;
	unsigned long start_pfn;

	/* Take ownership for orders >= pageblock_order */
	if (current_order >= (int)kb->pageblock_order) {
		unsigned int nr_added;

		del_page_from_free_list(kb, page, zone, (unsigned int)current_order, block_type);
#ifdef KB_BUG_free_pages_not_decremented
		/* mutant: the block leaves the buddy but NR_FREE_PAGES still counts it */
		account_freepages(kb, zone, 1L << current_order, block_type);
#endif
		change_pageblock_range(kb, page, current_order, start_type);
		nr_added = expand(kb, zone, page, order, current_order, start_type);
		account_freepages(kb, zone, nr_added, start_type);
		return page;
	}

	/*
	 * Boost watermarks to make reclaim work harder against future
	 * fallbacks; kswapd would be woken now.
	 */
	if (boost_watermark(kb, zone) && (alloc_flags & ALLOC_KSWAPD))
		zone->flags |= 1UL << ZONE_BOOSTED_WATERMARK;

	/* moving the whole block can fail at zone boundaries */
	if (!prep_move_freepages_block(kb, zone, page, &start_pfn, &free_pages,
				       &movable_pages))
		return NULL;

	/* Pages compatible with the request: movable ones, or for
	 * unmovable/reclaimable requests the non-movable pages of a movable block. */
	if (start_type == MIGRATE_MOVABLE) {
		alike_pages = movable_pages;
	} else if (block_type == MIGRATE_MOVABLE) {
		alike_pages = (int)kb->pageblock_nr_pages - (free_pages + movable_pages);
	} else {
		alike_pages = 0;
	}

	if (free_pages + alike_pages >= (1 << (kb->pageblock_order - 1)) ||
	    kb->page_group_by_mobility_disabled) {
		__move_freepages_block(kb, zone, start_pfn, block_type, start_type);
		set_pageblock_migratetype(kb, pfn_to_page(kb, start_pfn), start_type);
		return __rmqueue_smallest(kb, zone, (unsigned int)order, start_type);
	}
	return NULL;
}

/* Claims a block of another type, scanning from the largest order down. */
static struct page *__rmqueue_claim(struct kb_instance *kb, struct zone *zone, int order,
				    int start_migratetype, unsigned int alloc_flags)
{
	int current_order;
	int min_order = order;

	/* Under NOFRAGMENT, take only whole pageblocks. */
	if (order < (int)kb->pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = (int)kb->pageblock_order;

	for (current_order = (int)kb->max_order; current_order >= min_order; --current_order) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;
		int fallback_mt;

		fallback_mt = find_suitable_fallback(kb, area, (unsigned int)current_order,
						     start_migratetype, true);
		if (fallback_mt == -1)
			continue;
		if (fallback_mt == -2)
			break;

		page = list_first_entry(&area->free_list[fallback_mt], struct page, lru);
		page = try_to_claim_block(kb, zone, page, current_order, order,
					  start_migratetype, fallback_mt, alloc_flags);
		if (page) {
			kb->vm_events[EXTFRAG_CLAIM]++;
			trace_mm_page_alloc_extfrag(kb, page, (unsigned int)order,
						    (unsigned int)current_order, start_migratetype,
						    fallback_mt);
			return page;
		}
	}
	return NULL;
}

/* Steals the smallest fallback block without retyping its pageblock. */
static struct page *__rmqueue_steal(struct kb_instance *kb, struct zone *zone, int order,
				    int start_migratetype)
{
	unsigned int current_order;

	for (current_order = (unsigned int)order; current_order <= kb->max_order;
	     current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;
		int fallback_mt;

		fallback_mt = find_suitable_fallback(kb, area, current_order,
						     start_migratetype, false);
		if (fallback_mt == -1)
			continue;

		page = list_first_entry(&area->free_list[fallback_mt], struct page, lru);
#ifdef KB_BUG_expand_wrong_type
		/* mutant: the split-off halves go on the requester's lists (pre-6.10 steal) */
		del_page_from_free_list(kb, page, zone, current_order, fallback_mt);
		account_freepages(kb, zone, expand(kb, zone, page, order, (int)current_order,
						   start_migratetype), start_migratetype);
#else
		page_del_and_expand(kb, zone, page, order, (int)current_order, fallback_mt);
#endif
#ifdef KB_BUG_nr_free_not_decremented
		/* mutant: the steal path forgets to count the block out */
		area->nr_free++;
#endif
		kb->vm_events[EXTFRAG_STEAL]++;
		trace_mm_page_alloc_extfrag(kb, page, (unsigned int)order, current_order,
					    start_migratetype, fallback_mt);
		return page;
	}
	return NULL;
}

#endif /* !KB_FALLBACK_STEAL_SUITABLE */

static struct page *__rmqueue_cma_fallback(struct kb_instance *kb, struct zone *zone,
					   unsigned int order)
{
	struct page *page = __rmqueue_smallest(kb, zone, order, MIGRATE_CMA);

	if (page)
		kb->vm_events[CMA_ALLOC_FALLBACK]++;
	return page;
}

#if KB_FALLBACK_STEAL_SUITABLE
/*
 * The fallback of 6.1 and 6.6 (mm/page_alloc.c before 6.15's split and
 * 6.10's freelist hygiene): __rmqueue_fallback puts a fallback block, and
 * perhaps the rest of its pageblock, on the requester's lists, and
 * __rmqueue allocates from those lists again.
 */

/* 6.1's can_steal_fallback: the same rule as should_try_claim_block. */
static bool can_steal_fallback(struct kb_instance *kb, unsigned int order, int start_mt)
{
	return should_try_claim_block(kb, order, start_mt);
}

/*
 * Puts the fallback block page (on list_mt's lists) on start_type's lists:
 * with its whole pageblock when whole_block allows and the zone's edges do
 * not cut the pageblock, retyping the pageblock when it is large enough or
 * when free + alike pages make half of it.
 */
static void steal_suitable_fallback(struct kb_instance *kb, struct zone *zone,
				    struct page *page, unsigned int current_order,
				    unsigned int alloc_flags, int start_type, bool whole_block,
				    int list_mt)
{
	int free_pages, movable_pages, alike_pages;
	int old_block_type = get_pfnblock_migratetype(kb, page_to_pfn(kb, page));

	/* keeps the highatomic accounting whole */
	if (is_migrate_highatomic(old_block_type))
		goto single_page;

	/* Take ownership for orders >= pageblock_order */
	if (current_order >= kb->pageblock_order) {
		change_pageblock_range(kb, page, (int)current_order, start_type);
		kb->vm_events[EXTFRAG_CLAIM]++;
		move_to_free_list(kb, page, zone, current_order, list_mt, start_type);
		return;
	}

	if (boost_watermark(kb, zone) && (alloc_flags & ALLOC_KSWAPD))
		zone->flags |= 1UL << ZONE_BOOSTED_WATERMARK;

	/* not allowed to take the whole block */
	if (!whole_block)
		goto single_page;

	free_pages = move_freepages_block_count(kb, zone, page, old_block_type, start_type,
						&movable_pages);
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (old_block_type == MIGRATE_MOVABLE)
		alike_pages = (int)kb->pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;

	/* moving the whole block fails at the zone's end */
	if (!free_pages)
		goto single_page;

	if (free_pages + alike_pages >= (1 << (kb->pageblock_order - 1)) ||
	    kb->page_group_by_mobility_disabled) {
		set_pageblock_migratetype(kb, page, start_type);
		kb->vm_events[EXTFRAG_CLAIM]++;
	} else {
		/* the free pages moved, the pageblock keeps its type */
		kb->vm_events[EXTFRAG_STEAL]++;
	}
	return;

single_page:
	kb->vm_events[EXTFRAG_STEAL]++;
	move_to_free_list(kb, page, zone, current_order, list_mt, start_type);
}

/*
 * Finds a fallback block, the largest first, and puts it on the requester's
 * lists; true when __rmqueue_smallest can now find one there.
 */
static bool __rmqueue_fallback(struct kb_instance *kb, struct zone *zone, int order,
			       int start_migratetype, unsigned int alloc_flags)
{
	struct free_area *area = NULL;
	int current_order;
	int min_order = order;
	int fallback_mt = -1;
	bool can_steal = false;
	struct page *page;

	/* Under NOFRAGMENT, take only whole pageblocks. */
	if (order < (int)kb->pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = (int)kb->pageblock_order;

	for (current_order = (int)kb->max_order; current_order >= min_order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(kb, area, (unsigned int)current_order,
						     start_migratetype, false);
		if (fallback_mt == -1)
			continue;
		can_steal = can_steal_fallback(kb, (unsigned int)current_order, start_migratetype);
		/*
		 * A movable request that cannot take the block splits the
		 * smallest fallback block instead of the largest.
		 */
		if (!can_steal && start_migratetype == MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return false;

find_smallest:
	for (current_order = order; current_order <= (int)kb->max_order; current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(kb, area, (unsigned int)current_order,
						     start_migratetype, false);
		if (fallback_mt != -1)
			break;
	}
	/* the larger block found above is still there */
	if (KB_VM_WARN(kb, current_order > (int)kb->max_order, "vm-bug-move-freepages",
		       zone->zone_start_pfn, order, "__rmqueue_fallback: no smallest block"))
		return false;
	can_steal = can_steal_fallback(kb, (unsigned int)current_order, start_migratetype);

do_steal:
	page = list_first_entry(&area->free_list[fallback_mt], struct page, lru);
	steal_suitable_fallback(kb, zone, page, (unsigned int)current_order, alloc_flags,
				start_migratetype, can_steal, fallback_mt);
	trace_mm_page_alloc_extfrag(kb, page, (unsigned int)order, (unsigned int)current_order,
				    start_migratetype, fallback_mt);
	return true;
}
#endif /* KB_FALLBACK_STEAL_SUITABLE */

/*
 * Takes a block off the buddy lists for a request of this type. *mode
 * remembers which fallback mode worked, so rmqueue_bulk can skip straight
 * to it on its next call.
 */
struct page *__rmqueue(struct kb_instance *kb, struct zone *zone, unsigned int order,
		       int migratetype, unsigned int alloc_flags, int *mode)
{
	struct page *page;

	/*
	 * Balance movable allocations between regular and CMA areas: use CMA
	 * first when it holds more than half of the zone's free pages.
	 */
	if ((alloc_flags & ALLOC_CMA) &&
	    zone_page_state(zone, NR_FREE_CMA_PAGES) >
	    zone_page_state(zone, NR_FREE_PAGES) / 2) {
		page = __rmqueue_cma_fallback(kb, zone, order);
		if (page)
			return page;
	}

#if KB_FALLBACK_STEAL_SUITABLE
	/* 6.1 and 6.6 keep no mode between rmqueue_bulk's calls. */
	(void)mode;
	for (;;) {
		page = __rmqueue_smallest(kb, zone, order, migratetype);
		if (page)
			return page;
		if (alloc_flags & ALLOC_CMA) {
			page = __rmqueue_cma_fallback(kb, zone, order);
			if (page)
				return page;
		}
		/* a fallback block now sits on migratetype's lists */
		if (!__rmqueue_fallback(kb, zone, (int)order, migratetype, alloc_flags))
			return NULL;
	}
#else
	switch (*mode) {
	case RMQUEUE_NORMAL:
		page = __rmqueue_smallest(kb, zone, order, migratetype);
		if (page)
			return page;
		/* fall through */
	case RMQUEUE_CMA:
		if (alloc_flags & ALLOC_CMA) {
			page = __rmqueue_cma_fallback(kb, zone, order);
			if (page) {
				*mode = RMQUEUE_CMA;
				return page;
			}
		}
		/* fall through */
	case RMQUEUE_CLAIM:
		page = __rmqueue_claim(kb, zone, (int)order, migratetype, alloc_flags);
		if (page) {
			/* Replenished the preferred lists: back to normal mode. */
			*mode = RMQUEUE_NORMAL;
			return page;
		}
		/* fall through */
	case RMQUEUE_STEAL:
		if (!(alloc_flags & ALLOC_NOFRAGMENT)) {
			page = __rmqueue_steal(kb, zone, (int)order, migratetype);
			if (page) {
				*mode = RMQUEUE_STEAL;
				return page;
			}
		}
	}
	return NULL;
#endif
}
