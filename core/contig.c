// SPDX-License-Identifier: GPL-2.0
/*
 * Contiguous ranges (mm/page_alloc.c: alloc_contig_range, alloc_contig_pages,
 * free_contig_range): isolate the pageblocks, drain the pcp lists, migrate
 * the movable pages out, check that the range is free, take its free
 * blocks, give back what lies outside the range, and undo the isolation.
 *
 * Deliberate differences: migration is one pass (the kernel retries five
 * times, which gives a deterministic replica the same answer five times),
 * and alloc_contig_pages tries at most KB_CONTIG_MAX_TRIES candidate ranges
 * (and looks at KB_CONTIG_MAX_STEPS) per zone so that no single operation
 * can walk a large zone range by range.
 */
#include <errno.h>

#include "internal.h"
#include "loop_bound.h"

#define KB_CONTIG_MAX_TRIES	8
#define KB_CONTIG_MAX_STEPS	1024

/* The flags alloc_contig_range accepts (__alloc_contig_verify_gfp_mask). */
static int alloc_contig_verify_gfp_mask(gfp_t gfp)
{
	const gfp_t reclaim_mask = __GFP_IO | __GFP_FS | __GFP_RECLAIM;
	const gfp_t action_mask = __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN | __GFP_ZERO;

	/* node, mobility and placement hints mean nothing for a given range */
	gfp &= ~(GFP_ZONEMASK | __GFP_RECLAIMABLE | __GFP_WRITE | __GFP_HARDWALL |
		 __GFP_THISNODE | __GFP_MOVABLE);
	return (gfp & ~(reclaim_mask | action_mask)) ? -EINVAL : 0;
}

/*
 * Moves every PG_lru block of [start, end) elsewhere through the owner's
 * migrate_page hook (isolate_migratepages_range + migrate_pages). Blocks
 * without PG_lru, or that the owner cannot move, stay: -EBUSY.
 */
static int __alloc_contig_migrate_range(struct kb_instance *kb, unsigned long start,
					unsigned long end)
{
	unsigned long pfn = start, rounds = 0;
	int ret = 0;

	while (pfn < end) {
		struct page *page = pfn_to_page(kb, pfn);
		struct page *head = page;

		/* each round moves past one page at least */
		if (KB_LOOP_BOUND(kb, rounds, end - start, "loop-alloc-contig-migrate-range", pfn,
				  "at 0x%lx of [0x%lx, 0x%lx)", pfn, start, end))
			return -EBUSY;

		if (PageBuddy(page)) {
			pfn += 1UL << buddy_order(page);
			continue;
		}
		if (PageTail(page))
			head = pfn_to_page(kb, page->compound_head);
		if (!page_ref_count(head) || !PageLru(head)) {
			pfn++;
			continue;
		}
		if (migrate_lru_folio(kb, head, NULL))
			ret = -EBUSY;
		pfn++;
	}
	return ret;
}

/*
 * Gives every block on freepages back to the buddy whole, smallest orders
 * first (compaction.c: release_free_list, with mark_allocated).
 */
static void release_free_list(struct kb_instance *kb, struct list_head *freepages)
{
	unsigned int order;

	for (order = 0; order <= kb->max_order; order++) {
		unsigned long rounds = 0;

		while (!list_empty(&freepages[order])) {
			struct page *page = list_first_entry(&freepages[order], struct page, lru);

			/* each block of mem_map is on the list once, and leaves it */
			if (KB_LOOP_BOUND(kb, rounds, kb->max_pfn >> order, "loop-release-free-list",
					  page_to_pfn(kb, page), "order-%u list does not empty",
					  order))
				return;

			kb_list_del(kb, &page->lru);
			prep_new_page(kb, page, order, __GFP_MOVABLE);
			__free_pages(kb, page, order);
		}
	}
}

/*
 * Takes every free block of [start, end) off the free lists onto
 * freepages[order], its order kept in page_private as the kernel keeps it;
 * returns the end of the last one (which may lie beyond end), or 0 when a
 * pfn is not free (isolate_freepages_range).
 */
static unsigned long isolate_freepages_range(struct kb_instance *kb, unsigned long start,
					     unsigned long end, struct list_head *freepages)
{
	unsigned long pfn = start;

	while (pfn < end) {
		struct page *page = pfn_to_page(kb, pfn);
		unsigned int order;

		if (!PageBuddy(page))
			break;
		order = (unsigned int)buddy_order(page);
		if (!__isolate_free_page(kb, page, order))
			break;
		/* the pages are the caller's now: frozen, unpoisoned by prep */
		ClearPageBuddy(page);
		set_page_private(page, order);
		kb_list_add_tail(kb, &page->lru, &freepages[order]);
		kb_dirty_range(kb, pfn, 1UL << order);
		pfn += 1UL << order;
	}
	if (pfn < end) {
		/* stopped early: what was taken goes back */
		release_free_list(kb, freepages);
		return 0;
	}
	return pfn;
}

/*
 * Makes every block on freepages order-0 pages with one reference each
 * (split_free_pages). The kernel leaves the pages on freepages[0]; they
 * leave the lists here, so that no struct page points into this frame.
 */
static void split_free_pages(struct kb_instance *kb, struct list_head *freepages, gfp_t gfp)
{
	unsigned int order;

	for (order = 0; order <= kb->max_order; order++) {
		unsigned long rounds = 0;

		while (!list_empty(&freepages[order])) {
			struct page *page = list_first_entry(&freepages[order], struct page, lru);
			unsigned long i;

			/* each block of mem_map is on the list once, and leaves it */
			if (KB_LOOP_BOUND(kb, rounds, kb->max_pfn >> order, "loop-split-free-pages",
					  page_to_pfn(kb, page), "order-%u list does not empty",
					  order))
				return;

			kb_list_del(kb, &page->lru);
			for (i = 0; i < (1UL << order); i++)
				prep_new_page(kb, page + i, 0, gfp);
		}
	}
}

static int alloc_contig_range(struct kb_instance *kb, unsigned long start, unsigned long end,
			      enum kb_isolate_mode mode, gfp_t gfp)
{
	unsigned long nr = end - start;
	unsigned long outer_start, outer_end;
	struct list_head freepages[KB_NR_ORDERS_MAX];
	unsigned int order = 0;
	int ret;

	if (alloc_contig_verify_gfp_mask(gfp))
		return -EINVAL;
	order = ilog2(nr);
	/*
	 * __GFP_COMP needs a naturally aligned power of two. Deliberate
	 * difference: no gigantic folios (order above MAX_PAGE_ORDER).
	 */
	if ((gfp & __GFP_COMP) &&
	    ((nr & (nr - 1)) || (start & (nr - 1)) || order > kb->max_order))
		return -EINVAL;

	for (unsigned int o = 0; o <= kb->max_order; o++)
		INIT_LIST_HEAD(&freepages[o]);
	ret = start_isolate_page_range(kb, start, end, mode);
	if (ret)
		return ret;

	drain_all_pages(kb, page_zone(kb, pfn_to_page(kb, start)));

	ret = __alloc_contig_migrate_range(kb, start, end);
	if (ret && ret != -EBUSY)
		goto done;
	ret = 0;

	/* The first and last free blocks may reach outside the range. */
	outer_start = find_large_buddy(kb, start);
	if (test_pages_isolated(kb, outer_start, end, mode)) {
		ret = -EBUSY;
		goto done;
	}
	outer_end = isolate_freepages_range(kb, outer_start, end, freepages);
	if (KB_VM_WARN(kb, !outer_end, "vm-bug-isolate-state", outer_start, -1,
		       "an isolated free range changed under isolation")) {
		ret = -EBUSY;
		goto done;
	}

	if (!(gfp & __GFP_COMP)) {
		split_free_pages(kb, freepages, gfp);
		/* Free head and tail (if any) */
		if (start != outer_start)
			kb_free_contig_range(kb, outer_start, start - outer_start);
		if (end != outer_end)
			kb_free_contig_range(kb, end, outer_end - end);
	} else if (start == outer_start && end == outer_end) {
		struct page *head = pfn_to_page(kb, start);

		kb_list_del(kb, &head->lru);
		check_new_pages(kb, head, order);
		prep_new_page(kb, head, order, gfp);
	} else {
		/*
		 * The kernel WARNs: the free blocks reach outside a compound
		 * range. They go back to the buddy whole (before the 2026 fix
		 * they were leaked: taken off the free lists and dropped).
		 */
#ifndef KB_BUG_contig_mismatch_leaks
		release_free_list(kb, freepages);
#else
		for (unsigned int o = 0; o <= kb->max_order; o++)
			while (!list_empty(&freepages[o]))
				kb_list_del(kb, freepages[o].next);
#endif
		ret = -EINVAL;
	}
done:
	undo_isolate_page_range(kb, start, end);
	return ret;
}

int kb_alloc_contig_range(struct kb_instance *kb, unsigned long start, unsigned long end,
			  bool cma, gfp_t gfp)
{
	if (start >= end || end > kb->max_pfn)
		return -EINVAL;
	return alloc_contig_range(kb, start, end, cma ? KB_ISOLATE_CMA_ALLOC : KB_ISOLATE_OTHER,
				  gfp);
}

struct page *kb_alloc_contig_pages(struct kb_instance *kb, unsigned long nr_pages, gfp_t gfp,
				   int nid, int *err)
{
	enum zone_type highest;
	struct zonelist *zonelist;
	struct zoneref *z;
	bool bad_zone;
	int ignored;

	if (!err)
		err = &ignored;
	*err = 0;
	highest = gfp_zone(gfp, &bad_zone);
	/* alloc_contig_range refuses the gfp each time: say so once */
	if (!nr_pages || nr_pages > kb->max_pfn || bad_zone || nid >= kb->nr_node_ids ||
	    (gfp & ~KB_GFP_VALID_MASK) || alloc_contig_verify_gfp_mask(gfp)) {
		*err = -EINVAL;
		return NULL;
	}
	if (nid < 0)
		nid = kb->cpu_to_node[kb->cpu];
	zonelist = &kb->node_data[nid].node_zonelists[ZONELIST_FALLBACK];
	for (z = next_zone_zonelist(zonelist->_zonerefs, highest); z->zone;
	     z = next_zone_zonelist(z + 1, highest)) {
		struct zone *zone = z->zone;
		unsigned long pfn = ALIGN_UP(zone->zone_start_pfn, nr_pages);
		unsigned int tries = 0, steps = 0;

		while (pfn + nr_pages <= zone_end_pfn(zone) && tries < KB_CONTIG_MAX_TRIES &&
		       steps++ < KB_CONTIG_MAX_STEPS) {
			if (pfn_range_valid_contig(kb, zone, pfn, nr_pages)) {
				tries++;
				if (!alloc_contig_range(kb, pfn, pfn + nr_pages, KB_ISOLATE_OTHER, gfp))
					return pfn_to_page(kb, pfn);
			}
			pfn += nr_pages;
		}
	}
	return NULL;
}

/*
 * Frees [pfn, pfn + nr), each page already through free_pages_prepare, as
 * the largest naturally aligned blocks that fit (free_prepared_contig_range).
 */
static void free_prepared_contig_range(struct kb_instance *kb, unsigned long pfn,
				       unsigned long nr)
{
	while (nr) {
		unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : kb->max_order;
		unsigned int fits = ilog2(nr);

		if (order > fits)
			order = fits;
		if (order > kb->max_order)
			order = kb->max_order;
		__free_frozen_pages(kb, pfn_to_page(kb, pfn), order, FPI_PREPARED);
		pfn += 1UL << order;
		nr -= 1UL << order;
	}
}

/*
 * free_contig_range (__free_contig_range_common): drops one reference on
 * every page and prepares each page whose last reference that was; the
 * runs of prepared pages go back in aligned blocks, a page still
 * referenced ends a run. Deliberate difference: no memory sections (the
 * kernel also ends a run where one ends; its blocks never cross one).
 */
void kb_free_contig_range(struct kb_instance *kb, unsigned long pfn, unsigned long nr_pages)
{
	unsigned long i, run = 0;

	for (i = 0; i < nr_pages; i++) {
		struct page *page = pfn_to_page(kb, pfn + i);

		kb_dirty_range(kb, pfn + i, 1);	/* the reference count */
		if (!put_page_testzero(page) || !free_pages_prepare(kb, page, 0)) {
			if (i > run)
				free_prepared_contig_range(kb, pfn + run, i - run);
			run = i + 1;
		}
	}
	if (nr_pages > run)
		free_prepared_contig_range(kb, pfn + run, nr_pages - run);
}
