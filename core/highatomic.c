// SPDX-License-Identifier: GPL-2.0
/*
 * The high-order atomic reserve: pageblocks set aside for __GFP_HIGH
 * non-blocking high-order requests, given back under memory pressure
 * (mm/page_alloc.c: reserve_highatomic_pageblock,
 * unreserve_highatomic_pageblock).
 */
#include "internal.h"

/*
 * Reserves the pageblock(s) of a page just handed to a high-order atomic
 * request: at least one pageblock, at most about 1% of the zone, none when
 * 1% of the zone is smaller than a pageblock (before 6.7: while below 1%
 * plus a pageblock, in any zone; KB_HIGHATOMIC_CAP_ALIGNED). Blocks of a
 * pageblock or more reserve all their pageblocks (before 6.10 only the
 * first: KB_HIGHATOMIC_FIRST_PAGEBLOCK).
 */
void reserve_highatomic_pageblock(struct kb_instance *kb, struct page *page,
				  int order, struct zone *zone)
{
	unsigned long max_managed;
	int mt;

	if (KB_HIGHATOMIC_CAP_ALIGNED) {
		if (zone_managed_pages(zone) / 100 < kb->pageblock_nr_pages)
			return;
		max_managed = ALIGN_UP(zone_managed_pages(zone) / 100, kb->pageblock_nr_pages);
	} else {
		max_managed = zone_managed_pages(zone) / 100 + kb->pageblock_nr_pages;
	}
#ifndef KB_BUG_highatomic_no_cap
	if (zone->nr_reserved_highatomic >= max_managed)
		return;
#else
	(void)max_managed;
#endif

	mt = get_pageblock_migratetype(kb, page);
	/* Only reserve normal pageblocks (that can merge with others) */
	if (!migratetype_is_mergeable(mt))
		return;

#if KB_HIGHATOMIC_FIRST_PAGEBLOCK
	/*
	 * 6.1: one pageblock, the one of the block's first page, whatever the
	 * order; retyped first, so also when the zone's end cuts it and its
	 * free pages stay where they are.
	 */
	{
		int num_movable;

		(void)order;
		zone->nr_reserved_highatomic += kb->pageblock_nr_pages;
		set_pageblock_migratetype(kb, page, MIGRATE_HIGHATOMIC);
		move_freepages_block_count(kb, zone, page, mt, MIGRATE_HIGHATOMIC, &num_movable);
	}
#else
	if (order < (int)kb->pageblock_order) {
		if (move_freepages_block(kb, zone, page, mt, MIGRATE_HIGHATOMIC) == -1)
			return;
		zone->nr_reserved_highatomic += kb->pageblock_nr_pages;
	} else {
#ifdef KB_BUG_highatomic_first_block_only
		set_pageblock_migratetype(kb, page, MIGRATE_HIGHATOMIC);
#else
		change_pageblock_range(kb, page, order, MIGRATE_HIGHATOMIC);
#endif
		zone->nr_reserved_highatomic += 1UL << order;
	}
#endif
	kb->vm_events[HIGHATOMIC_RESERVE]++;
}

/*
 * Gives one reserved block back to ac->migratetype when an allocation is
 * about to fail. Without force, each zone keeps at least one pageblock.
 * Returns true when a block was converted.
 */
bool unreserve_highatomic_pageblock(struct kb_instance *kb,
				    const struct alloc_context *ac, bool force)
{
	struct zoneref *z;

	for (z = ac->zonelist->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		unsigned int order;

		if (z->zone_idx > (int)ac->highest_zoneidx)
			continue;
		/* Preserve at least one pageblock unless pressure is really high. */
		if (!force && zone->nr_reserved_highatomic <= kb->pageblock_nr_pages)
			continue;

		for (order = 0; order <= kb->max_order; order++) {
			struct free_area *area = &zone->free_area[order];
			struct list_head *list = &area->free_list[MIGRATE_HIGHATOMIC];
			unsigned long size;
			struct page *page;
			int ret;

			if (list_empty(list))
				continue;
			page = list_first_entry(list, struct page, lru);

#if KB_HIGHATOMIC_FIRST_PAGEBLOCK
			/*
			 * 6.1: counted out once, as one pageblock, when the
			 * first page's pageblock is still reserved (a drained
			 * pcp page can sit on the list of a pageblock given back
			 * already); that pageblock alone goes back, with the free
			 * blocks starting in it. Nothing moved (the zone's end
			 * cuts the pageblock): the next order is tried.
			 */
			if (is_migrate_highatomic(get_pageblock_migratetype(kb, page))) {
				size = kb->pageblock_nr_pages;
				if (KB_VM_WARN(kb, size > zone->nr_reserved_highatomic,
					       "highatomic-unreserve-warning",
					       page_to_pfn(kb, page), (int)order,
					       "unreserving %lu pages with only %lu reserved",
					       size, zone->nr_reserved_highatomic))
					size = zone->nr_reserved_highatomic;
				zone->nr_reserved_highatomic -= size;
			}
			{
				int num_movable;

				set_pageblock_migratetype(kb, page, ac->migratetype);
				ret = move_freepages_block_count(kb, zone, page, MIGRATE_HIGHATOMIC,
								 ac->migratetype, &num_movable);
			}
#else
			size = 1UL << order;
			if (size < kb->pageblock_nr_pages)
				size = kb->pageblock_nr_pages;
			if (KB_VM_WARN(kb, size > zone->nr_reserved_highatomic,
				       "highatomic-unreserve-warning", page_to_pfn(kb, page),
				       (int)order, "unreserving %lu pages with only %lu reserved",
				       size, zone->nr_reserved_highatomic))
				size = zone->nr_reserved_highatomic;
#ifndef KB_BUG_highatomic_double_unreserve
			zone->nr_reserved_highatomic -= size;
#else
			/* mutant: counted out twice, as a racing stale-type free did (2016) */
			zone->nr_reserved_highatomic -= size;
			if (zone->nr_reserved_highatomic >= kb->pageblock_nr_pages)
				zone->nr_reserved_highatomic -= kb->pageblock_nr_pages;
#endif

			if (order < kb->pageblock_order) {
				ret = move_freepages_block(kb, zone, page, MIGRATE_HIGHATOMIC,
							   ac->migratetype);
			} else {
				move_to_free_list(kb, page, zone, order, MIGRATE_HIGHATOMIC,
						  ac->migratetype);
				change_pageblock_range(kb, page, (int)order, ac->migratetype);
				ret = 1;
			}
			/* Reserving the block already succeeded, so this cannot fail. */
			KB_VM_WARN(kb, ret == -1, "highatomic-unreserve-warning",
				   page_to_pfn(kb, page), (int)order,
				   "unreserve could not move a reserved block");
#endif
			if (ret > 0) {
				kb->vm_events[HIGHATOMIC_UNRESERVE]++;
				return true;
			}
		}
	}
	return false;
}
