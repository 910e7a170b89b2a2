// SPDX-License-Identifier: GPL-2.0
/*
 * Page isolation (mm/page_isolation.c, mainline with the PB_migrate_isolate
 * bit): marking pageblocks MIGRATE_ISOLATE so the allocator stops handing
 * out their pages, moving their free pages to the ISOLATE lists, testing
 * that a range is entirely free, and undoing it all.
 */
#include <errno.h>

#include "internal.h"
#include "sched.h"
#include "spinlock.h"
#include "loop_bound.h"

/*
 * The free block that contains start_pfn, if one starts before it and
 * reaches into it (find_large_buddy); else start_pfn.
 */
unsigned long find_large_buddy(struct kb_instance *kb, unsigned long start_pfn)
{
	unsigned int order = 0;
	unsigned long pfn = start_pfn;
	struct page *page;

	while (!PageBuddy(page = pfn_to_page(kb, pfn))) {
		if (++order > kb->max_order)
			return start_pfn;
		pfn &= ~0UL << order;
	}
	if (pfn + (1UL << buddy_order(page)) > start_pfn)
		return pfn;
	return start_pfn;
}

/*
 * Flips the isolate bit of page's pageblock and moves its free pages
 * between their type's lists and the ISOLATE lists. A free block larger
 * than a pageblock that covers this one is taken off its list and freed
 * again pageblock by pageblock, each chunk to its own block's lists
 * (__move_freepages_block_isolate).
 */
static bool __move_freepages_block_isolate(struct kb_instance *kb, struct zone *zone,
					   struct page *page, bool isolate)
{
	unsigned long start_pfn, buddy_pfn, pfn = page_to_pfn(kb, page);
	int from_mt, to_mt;
	struct page *buddy;

	if (KB_VM_WARN(kb, isolate == get_pageblock_isolate(kb, pfn), "vm-bug-isolate-state",
		       pfn, -1, "%s a pageblock that is already in that state",
		       isolate ? "Isolate" : "Unisolate"))
		return false;
	if (!prep_move_freepages_block(kb, zone, page, &start_pfn, NULL, NULL))
		return false;

	/* No splits needed if buddies can't span multiple blocks */
	if (kb->pageblock_order == kb->max_order)
		goto move;

#ifndef KB_BUG_isolate_skips_large_buddy
	buddy_pfn = find_large_buddy(kb, start_pfn);
	buddy = pfn_to_page(kb, buddy_pfn);
	/* We're a part of a larger buddy */
	if (PageBuddy(buddy) && buddy_order(buddy) > kb->pageblock_order) {
		unsigned int order = (unsigned int)buddy_order(buddy);

		del_page_from_free_list(kb, buddy, zone, order,
					get_pfnblock_migratetype(kb, buddy_pfn));
		if (isolate)
			set_pageblock_isolate(kb, page);
		else
			clear_pageblock_isolate(kb, page);
		split_large_buddy(kb, zone, buddy, buddy_pfn, order, FPI_NONE);
		return true;
	}
#else
	(void)buddy_pfn;
	(void)buddy;
#endif
move:
	if (isolate) {
		from_mt = get_pfnblock_stored_migratetype(kb, start_pfn);
		to_mt = MIGRATE_ISOLATE;
	} else {
		from_mt = MIGRATE_ISOLATE;
		to_mt = get_pfnblock_stored_migratetype(kb, start_pfn);
	}
	__move_freepages_block(kb, zone, start_pfn, from_mt, to_mt);
	if (isolate)
		set_pageblock_isolate(kb, pfn_to_page(kb, start_pfn));
	else
		clear_pageblock_isolate(kb, pfn_to_page(kb, start_pfn));
	return true;
}

/*
 * The first page in [start_pfn, end_pfn) of one pageblock that cannot be
 * moved away, or NULL (has_unmovable_pages). kbuddy has no LRU: a page
 * counts as movable when its owner marked it PG_lru.
 */
static struct page *has_unmovable_pages(struct kb_instance *kb, unsigned long start_pfn,
					unsigned long end_pfn, enum kb_isolate_mode mode)
{
	struct page *page = pfn_to_page(kb, start_pfn);
	struct zone *zone = page_zone(kb, page);
	unsigned long pfn, rounds = 0;

	if (is_migrate_cma(get_pfnblock_stored_migratetype(kb, start_pfn))) {
		/* CMA allocations isolate CMA blocks whatever they hold. */
		if (mode == KB_ISOLATE_CMA_ALLOC)
			return NULL;
		return page;
	}

	for (pfn = start_pfn; pfn < end_pfn; pfn++) {
		/* Each round moves past one page at least, unless a tail names a head behind it. */
		if (KB_LOOP_BOUND(kb, rounds, end_pfn - start_pfn, "loop-has-unmovable-pages", pfn,
				  "the scan of [0x%lx, 0x%lx) is back at 0x%lx", start_pfn, end_pfn,
				  pfn))
			return page;
		page = pfn_to_page(kb, pfn);
		/* memblock allocations and holes are reserved, hence unmovable */
		if (PageReserved(page))
			return page;
		if (zone->zone_idx == ZONE_MOVABLE)
			continue;
		if (PageHead(page) || PageTail(page)) {
			unsigned long head_pfn = PageHead(page) ? pfn : page->compound_head;
			struct page *head = pfn_to_page(kb, head_pfn);

			if (!PageLru(head))
				return page;
			pfn = head_pfn + (1UL << head->compound_order) - 1;
			continue;
		}
		/* free, on a pcp list, or the unreferenced tail of a plain block */
		if (!page_ref_count(page)) {
			if (PageBuddy(page))
				pfn += (1UL << buddy_order(page)) - 1;
			continue;
		}
		if (mode == KB_ISOLATE_MEM_OFFLINE && (PageHWPoison(page) || PageOffline(page)))
			continue;
		if (PageLru(page))
			continue;
		return page;
	}
	return NULL;
}

/* Isolates the pageblock of page unless it holds unmovable pages in [start, end). */
static int set_migratetype_isolate(struct kb_instance *kb, struct page *page,
				   enum kb_isolate_mode mode, unsigned long start_pfn,
				   unsigned long end_pfn)
{
	unsigned long pfn = page_to_pfn(kb, page);
	struct zone *zone = page_zone(kb, page);
	unsigned long check_start, check_end;
	int ret = -EBUSY;

	spin_lock_irqsave(kb, &zone->lock);
	/* Someone else isolated it first. */
	if (get_pageblock_isolate(kb, pfn))
		goto out;

	check_start = KB_MAX(pageblock_start_pfn(kb, pfn), start_pfn);
	check_end = KB_MIN(pageblock_end_pfn(kb, pfn), end_pfn);
	if (has_unmovable_pages(kb, check_start, check_end, mode))
		goto out;
	if (!__move_freepages_block_isolate(kb, zone, page, true))
		goto out;
	zone->nr_isolate_pageblock++;
	ret = 0;
out:
	spin_unlock_irqrestore(kb, &zone->lock);
	return ret;
}

/*
 * Takes a free block off its list for a caller that will own it; outside
 * isolated blocks only while the zone stays above its min watermark
 * (__isolate_free_page). Returns the pages taken, 0 if refused.
 */
unsigned long __isolate_free_page(struct kb_instance *kb, struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(kb, page);
	int mt = get_pageblock_migratetype(kb, page);

	if (!is_migrate_isolate(mt)) {
		unsigned long watermark = zone->_watermark[WMARK_MIN] + (1UL << order);

		if (!zone_watermark_ok(kb, zone, 0, watermark, 0, ALLOC_CMA))
			return 0;
	}
	del_page_from_free_list(kb, page, zone, order, mt);

	/* A block of at least half a pageblock turns its pageblocks MOVABLE. */
	if (order + 1 >= kb->pageblock_order) {
		struct page *endpage = page + (1UL << order) - 1;

		for (; page < endpage; page += kb->pageblock_nr_pages) {
			int block_mt = get_pageblock_migratetype(kb, page);

			if (migratetype_is_mergeable(block_mt))
				move_freepages_block(kb, zone, page, block_mt, MIGRATE_MOVABLE);
		}
	}
	return 1UL << order;
}

static void unset_migratetype_isolate(struct kb_instance *kb, struct page *page)
{
	unsigned long pfn = page_to_pfn(kb, page);
	struct zone *zone = page_zone(kb, page);
	bool isolated_page = false;
	unsigned int order = 0;

	spin_lock_irqsave(kb, &zone->lock);
	if (!get_pageblock_isolate(kb, pfn)) {
		spin_unlock_irqrestore(kb, &zone->lock);
		return;
	}

	/*
	 * A free block of pageblock_order in an isolated block could not
	 * merge with its buddy outside; taking it out and freeing it again
	 * lets it merge now.
	 *
	 * Deliberate difference: mainline takes this path for any order from
	 * pageblock_order up. A larger free block here spans other isolated
	 * pageblocks (isolated blocks merge only with each other), which can
	 * belong to another isolation user when MAX_PAGE_ORDER exceeds
	 * pageblock_order + 1; freeing it whole as this block's type puts
	 * their pages back on a normal list while they stay isolated. kbuddy
	 * splits such a block instead (__move_freepages_block_isolate); the
	 * mainline code is the mutant unisolate_merges_isolated.
	 */
#ifndef KB_BUG_unisolate_skips_merge
	if (PageBuddy(page)) {
		order = (unsigned int)buddy_order(page);
#ifdef KB_BUG_unisolate_merges_isolated
		if (order >= kb->pageblock_order && order < kb->max_order) {
#else
		if (order == kb->pageblock_order && order < kb->max_order) {
#endif
			struct page *buddy = find_buddy_page_pfn(kb, page, pfn, order, NULL);

			if (buddy && !get_pageblock_isolate(kb, page_to_pfn(kb, buddy))) {
				isolated_page = __isolate_free_page(kb, page, order) != 0;
				KB_VM_WARN(kb, !isolated_page, "vm-bug-isolate-state", pfn,
					   (int)order, "isolated free page refused");
			}
		}
	}
#endif
	if (!isolated_page) {
		KB_VM_WARN(kb, !__move_freepages_block_isolate(kb, zone, page, false),
			   "vm-bug-isolate-state", pfn, -1,
			   "could not unisolate a block that was isolated");
	} else {
		clear_pageblock_isolate(kb, page);
		/* __putback_isolated_page: straight back to the buddy */
		__free_one_page(kb, page, pfn, zone, order, get_pageblock_migratetype(kb, page),
				FPI_SKIP_REPORT_NOTIFY);
	}
	zone->nr_isolate_pageblock--;
	spin_unlock_irqrestore(kb, &zone->lock);
}

/*
 * Isolates the pageblock at (or, with isolate_before, just below)
 * boundary_pfn and refuses when an in-use compound page straddles the
 * boundary (isolate_single_pageblock). Free blocks across the boundary
 * were already split by __move_freepages_block_isolate.
 */
static int isolate_single_pageblock(struct kb_instance *kb, unsigned long boundary_pfn,
				    enum kb_isolate_mode mode, bool isolate_before,
				    bool skip_isolation)
{
	unsigned long start_pfn, isolate_pageblock, pfn, rounds = 0;
	struct zone *zone;
	int ret;

	isolate_pageblock = isolate_before ? boundary_pfn - kb->pageblock_nr_pages : boundary_pfn;
	zone = page_zone(kb, pfn_to_page(kb, isolate_pageblock));
	/* scan from the MAX_PAGE_ORDER-aligned start: a page may begin below the block */
	start_pfn = KB_MAX(isolate_pageblock & ~((1UL << kb->max_order) - 1),
			   zone->zone_start_pfn);

	if (!skip_isolation) {
		ret = set_migratetype_isolate(kb, pfn_to_page(kb, isolate_pageblock), mode,
					      isolate_pageblock,
					      isolate_pageblock + kb->pageblock_nr_pages);
		if (ret)
			return ret;
	}
	/* Nothing can straddle the edge of memory. */
	if (isolate_before ? boundary_pfn >= kb->max_pfn : boundary_pfn == 0)
		return 0;

	for (pfn = start_pfn; pfn < boundary_pfn;) {
		struct page *page = pfn_to_page(kb, pfn);

		/* Each round moves past one page at least, unless a tail names a head behind it. */
		if (KB_LOOP_BOUND(kb, rounds, boundary_pfn - start_pfn,
				  "loop-isolate-single-pageblock", pfn,
				  "the scan of [0x%lx, 0x%lx) is back at 0x%lx", start_pfn,
				  boundary_pfn, pfn))
			goto failed;
		if (PageBuddy(page)) {
			unsigned int order = (unsigned int)buddy_order(page);

			/* __move_freepages_block_isolate() split any that did */
			KB_VM_WARN(kb, pfn + (1UL << order) > boundary_pfn,
				   "vm-bug-isolate-state", pfn, (int)order,
				   "free block straddles an isolation boundary");
			pfn += 1UL << order;
			continue;
		}
		if (PageHead(page) || PageTail(page)) {
			unsigned long head_pfn = PageHead(page) ? pfn : page->compound_head;
			unsigned long nr = 1UL << pfn_to_page(kb, head_pfn)->compound_order;

			if (head_pfn + nr <= boundary_pfn) {
				pfn = head_pfn + nr;
				continue;
			}
			/* a compound page across the boundary: not migrated here */
			goto failed;
		}
		pfn++;
	}
	return 0;
failed:
	if (!skip_isolation)
		unset_migratetype_isolate(kb, pfn_to_page(kb, isolate_pageblock));
	return -EBUSY;
}

/* Whether every pageblock of [start, end) lies in one zone (the callers' guarantee). */
static bool range_in_one_zone(struct kb_instance *kb, unsigned long start, unsigned long end)
{
	const struct page *first, *last;

	/* no struct page is read before the whole range is known to have them */
	if (!kb_pfn_range_valid(kb, start, end))
		return false;
	first = pfn_to_page(kb, start);
	last = pfn_to_page(kb, end - 1);
	return first->node == last->node && first->zone == last->zone &&
	       first->node < kb->nr_node_ids && first->zone < MAX_NR_ZONES &&
	       page_zone(kb, first)->initialized;
}

int start_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
			     unsigned long end_pfn, enum kb_isolate_mode mode)
{
	unsigned long isolate_start = pageblock_start_pfn(kb, start_pfn);
	unsigned long isolate_end = ALIGN_UP(end_pfn, kb->pageblock_nr_pages);
	bool skip_isolation = false;
	unsigned long pfn;
	int ret;

	if (!range_in_one_zone(kb, isolate_start, isolate_end))
		return -EINVAL;

	ret = isolate_single_pageblock(kb, isolate_start, mode, false, skip_isolation);
	if (ret)
		return ret;
	if (isolate_start == isolate_end - kb->pageblock_nr_pages)
		skip_isolation = true;
	ret = isolate_single_pageblock(kb, isolate_end, mode, true, skip_isolation);
	if (ret) {
		unset_migratetype_isolate(kb, pfn_to_page(kb, isolate_start));
		return ret;
	}
	for (pfn = isolate_start + kb->pageblock_nr_pages;
	     pfn < isolate_end - kb->pageblock_nr_pages; pfn += kb->pageblock_nr_pages) {
		kb_yield(kb, KB_YIELD_ISOLATE);
		if (set_migratetype_isolate(kb, pfn_to_page(kb, pfn), mode, start_pfn, end_pfn)) {
			undo_isolate_page_range(kb, isolate_start, pfn);
			unset_migratetype_isolate(kb, pfn_to_page(kb, isolate_end -
								 kb->pageblock_nr_pages));
			return -EBUSY;
		}
	}
	return 0;
}

void undo_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
			     unsigned long end_pfn)
{
	unsigned long isolate_start = pageblock_start_pfn(kb, start_pfn);
	unsigned long isolate_end = ALIGN_UP(end_pfn, kb->pageblock_nr_pages);
	unsigned long pfn;

	for (pfn = isolate_start; pfn < isolate_end && pfn < kb->max_pfn;
	     pfn += kb->pageblock_nr_pages)
		if (pfn_valid(kb, pfn) && get_pageblock_isolate(kb, pfn))
			unset_migratetype_isolate(kb, pfn_to_page(kb, pfn));
}

/* The first pfn of [pfn, end) that is neither free nor poisoned and unused. */
static unsigned long __test_page_isolated_in_pageblock(struct kb_instance *kb,
						       unsigned long pfn, unsigned long end_pfn,
						       enum kb_isolate_mode mode)
{
	unsigned long rounds = 0, start_pfn = pfn;

	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(kb, pfn);

		/* each round moves past one page at least */
		if (KB_LOOP_BOUND(kb, rounds, end_pfn - start_pfn,
				  "loop-test-page-isolated-in-pageblock", pfn,
				  "at 0x%lx of [0x%lx, 0x%lx)", pfn, start_pfn, end_pfn))
			break;

		if (PageBuddy(page))
			pfn += 1UL << buddy_order(page);
		else if (mode == KB_ISOLATE_MEM_OFFLINE && PageHWPoison(page))
			/* A HWPoisoned page cannot be also PageBuddy */
			pfn++;
		else if (mode == KB_ISOLATE_MEM_OFFLINE && PageOffline(page) &&
			 !page_ref_count(page))
			pfn++;
		else
			break;
	}
	return pfn;
}

int test_pages_isolated(struct kb_instance *kb, unsigned long start_pfn, unsigned long end_pfn,
			enum kb_isolate_mode mode)
{
	unsigned long pfn;

	for (pfn = start_pfn; pfn < end_pfn; pfn += kb->pageblock_nr_pages)
		if (!get_pageblock_isolate(kb, pfn))
			return -EBUSY;
	return __test_page_isolated_in_pageblock(kb, start_pfn, end_pfn, mode) < end_pfn ?
	       -EBUSY : 0;
}

/* --- public entry points --- */

int kb_start_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
				unsigned long end_pfn, enum kb_isolate_mode mode)
{
	if (start_pfn >= end_pfn || end_pfn > kb->max_pfn || (unsigned int)mode > KB_ISOLATE_OTHER)
		return -EINVAL;
	return start_isolate_page_range(kb, start_pfn, end_pfn, mode);
}

int kb_undo_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
			       unsigned long end_pfn)
{
	if (start_pfn >= end_pfn || end_pfn > kb->max_pfn)
		return -EINVAL;
	undo_isolate_page_range(kb, start_pfn, end_pfn);
	return 0;
}

int kb_test_pages_isolated(struct kb_instance *kb, unsigned long start_pfn,
			   unsigned long end_pfn, enum kb_isolate_mode mode)
{
	/* the range of an offline: it may not have holes of sections (-EINVAL) */
	if (!kb_pfn_range_valid(kb, start_pfn, end_pfn))
		return -EINVAL;
	return test_pages_isolated(kb, start_pfn, end_pfn, mode);
}
