// SPDX-License-Identifier: GPL-2.0
/*
 * The bulk allocator (mm/page_alloc.c: alloc_pages_bulk_noprof) with its
 * array semantics: only the NULL slots of the caller's array are filled,
 * with order-0 pages taken from one zone's pcp list of the current CPU in
 * one go, and the count of populated slots is returned. When the fast
 * path cannot serve (one slot left, no local zone above its low watermark
 * plus the request, a remote zone first, or an empty pcp list before the
 * first page), one page comes from __alloc_pages instead.
 *
 * The kernel's pcp_spin_trylock cannot fail here (nothing runs
 * concurrently), and memcg accounting and page_owner, which send the
 * kernel to the single-page path, are not modelled.
 */
#include "internal.h"

unsigned long alloc_pages_bulk(struct kb_instance *kb, gfp_t gfp, int preferred_nid,
			       unsigned long nr_pages, struct page **page_array, int *err)
{
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	unsigned long nr_populated = 0, nr_account = 0;
	struct per_cpu_pages *pcp;
	struct list_head *pcp_list;
	struct alloc_context ac = { 0 };
	struct zone *zone = NULL;
	struct zoneref *z;
	struct page *page;

	*err = 0;
	/* Skip populated array elements to see whether any page is needed. */
	while (nr_populated < nr_pages && page_array[nr_populated])
		nr_populated++;

	/* No pages requested? */
	if (!nr_pages)
		return 0;
	/* Already populated array? */
	if (nr_pages - nr_populated == 0)
#ifndef KB_BUG_bulk_populated_returns_zero
		return nr_populated;
#else
		return 0;
#endif

	/* Use the single page allocator for one page. */
	if (nr_pages - nr_populated == 1)
		goto failed;

	if (!prepare_alloc_pages(kb, gfp, 0, preferred_nid, &ac, &alloc_flags, err))
#ifndef KB_BUG_bulk_prepare_fail_returns_zero
		return nr_populated;
#else
		return 0;
#endif

	/* Find an allowed local zone that meets the low watermark. */
	for (z = next_zone_zonelist(ac.preferred_zoneref, ac.highest_zoneidx); z->zone;
	     z = next_zone_zonelist(z + 1, ac.highest_zoneidx)) {
		unsigned long mark;

		if (kb->nr_node_ids > 1 && z->zone != ac.preferred_zoneref->zone &&
		    zone_to_nid(z->zone) != zone_to_nid(ac.preferred_zoneref->zone))
			goto failed;

		mark = wmark_pages(z->zone, alloc_flags & ALLOC_WMARK_MASK) + nr_pages;
		if (zone_watermark_fast(kb, z->zone, 0, mark, ac.preferred_zoneref->zone_idx,
					alloc_flags)) {
			zone = z->zone;
			break;
		}
	}

	/* No local zone above its watermark: one page, reclaiming if need be. */
	if (!zone)
		goto failed;

	/* Attempt the batch allocation */
	pcp = &zone->per_cpu_pageset[kb->cpu];
	pcp_list = &pcp->lists[order_to_pindex(kb, ac.migratetype, 0)];
	while (nr_populated < nr_pages) {
		/* Skip existing pages */
		if (page_array[nr_populated]) {
			nr_populated++;
			continue;
		}

		page = __rmqueue_pcplist(kb, zone, 0, ac.migratetype, alloc_flags, pcp, pcp_list);
		if (!page) {
			/* Try and allocate at least one page */
			if (!nr_account)
				goto failed;
			break;
		}
		nr_account++;

		prep_new_page(kb, page, 0, gfp);
		page_array[nr_populated] = page;
		nr_populated++;
	}
	kb->vm_events[PGALLOC] += nr_account;
	return nr_populated;

failed:
	page = __alloc_pages(kb, gfp, 0, preferred_nid, err);
	if (page)
		page_array[nr_populated++] = page;
	return nr_populated;
}

unsigned long kb_alloc_pages_bulk(struct kb_instance *kb, gfp_t gfp, int nid,
				  unsigned long nr_pages, struct page **page_array, int *err)
{
	int ignored;

	kb->last_alloc.zone = NULL;
	return alloc_pages_bulk(kb, gfp, nid, nr_pages, page_array, err ? err : &ignored);
}
