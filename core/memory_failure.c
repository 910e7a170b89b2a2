// SPDX-License-Identifier: GPL-2.0
/*
 * Soft offlining (mm/memory-failure.c): soft_offline_page takes a page
 * that reported correctable errors out of use, through get_hwpoison_page,
 * page_handle_poison and soft_offline_in_use_page; unpoison_memory gives
 * it back. A free page is taken off the buddy (take_page_off_buddy); a
 * page in use is first migrated by its owner, who hands the old page over
 * (migrate_pages with MR_MEMORY_FAILURE keeps the source). A poisoned page
 * keeps PG_hwpoison and one reference: never on a free list, never handed
 * out (check_new_page), never freed (free_pages_prepare), until
 * unpoison_memory.
 *
 * Not modelled: hard memory failure (memory_failure() and the users it
 * kills), hugetlb dissolving, THP splitting (a page in use must be a plain
 * order-0 LRU block, else -EBUSY as when try_to_split_thp_page fails),
 * page cache invalidation (the owner migrates instead), the hwpoison
 * filter, the enable_soft_offline sysctl (always on) and the
 * num_poisoned_pages counter.
 */
#include "internal.h"

/*
 * get_hwpoison_page for soft offline: 0 for a free page, 1 for a page in
 * use that migration can move (HWPoisonHandlable: on the LRU), -EIO for
 * one it cannot, -EBUSY for an unreferenced page outside the buddy even
 * after the pcp lists were drained (a page of an allocation's body).
 */
static int get_hwpoison_page(struct kb_instance *kb, struct page *page)
{
	for (int pass = 0; pass < 2; pass++) {
		if (is_free_buddy_page(kb, page))
			return 0;
		if (page_ref_count(page) > 0)
			return PageLru(page) ? 1 : -EIO;
#ifndef KB_BUG_soft_offline_no_pcp_drain
		/*
		 * Unreferenced but not in the buddy: perhaps on a pcp list.
		 * shake_page drains them, and the page is looked at again.
		 */
		if (!pass) {
			drain_all_pages(kb, page_zone(kb, page));
			continue;
		}
#endif
		break;
	}
	return -EBUSY;
}

/*
 * Marks page poisoned with one reference: a free page taken off the buddy
 * first (the pcp lists drained, so it is there if it is free at all), a
 * migrated one dropping the reference its owner handed over (release),
 * which frees nothing: free_pages_prepare keeps hwpoison pages out.
 */
static bool page_handle_poison(struct kb_instance *kb, struct page *page, bool freepage,
			       bool release)
{
	unsigned long pfn = page_to_pfn(kb, page);

	if (freepage) {
		drain_all_pages(kb, page_zone(kb, page));
		if (!take_page_off_buddy(kb, page))
			return false;
	}
	kb_dirty_range(kb, pfn, 1);
	SetPageHWPoison(page);
	if (release)
		kb_put_page(kb, page);
	page_ref_inc(page);
	/* out of the buddy's hands as an allocated page is: for the touched log */
	kb_touch(kb, KB_TOUCH_ALLOC, pfn, 0, -1);
	return true;
}

/* A page in use: migrated by its owner, the old page then poisoned. */
static int soft_offline_in_use_page(struct kb_instance *kb, struct page *page)
{
	const struct kb_migrate_target keep = { .keep_source = true };

	/* a compound or multi-page block would need splitting first */
	if (PageHead(page) || PageTail(page) || page->lru_order)
		return -EBUSY;
	if (migrate_lru_folio(kb, page, &keep)) {
		kb->vm_events[PGMIGRATE_FAIL]++;
		return -EBUSY;
	}
	kb->vm_events[PGMIGRATE_SUCCESS]++;
	return page_handle_poison(kb, page, false, true) ? 0 : -EBUSY;
}

int soft_offline_page(struct kb_instance *kb, unsigned long pfn)
{
	bool try_again = true;
	struct page *page;
	int ret;

	if (!pfn_valid(kb, pfn))
		return -ENXIO;
	page = pfn_to_page(kb, pfn);
	/* pfn_to_online_page: memory of a zone; reserved pages are not handlable */
	if (!zone_spans_pfn(page_zone(kb, page), pfn) || PageReserved(page))
		return -EIO;
	if (PageHWPoison(page))
		return 0;	/* already poisoned */
retry:
	ret = get_hwpoison_page(kb, page);
	if (ret > 0)
		return soft_offline_in_use_page(kb, page);
	if (ret == 0 && !page_handle_poison(kb, page, true, false)) {
		if (try_again) {
			try_again = false;
			goto retry;
		}
		ret = -EBUSY;
	}
	return ret;
}

int unpoison_memory(struct kb_instance *kb, unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(kb, pfn))
		return -EIO;
	page = pfn_to_page(kb, pfn);
	if (!zone_spans_pfn(page_zone(kb, page), pfn))
		return -EIO;
	/* already unpoisoned, someone grabs it, or not a page soft offline made */
	if (!PageHWPoison(page) || page_ref_count(page) > 1 || PageReserved(page) ||
	    PageOffline(page))
		return -EBUSY;
	kb_dirty_range(kb, pfn, 1);
	if (PageHWPoisonTakenOff(page))
		return put_page_back_buddy(kb, page) ? 0 : -EBUSY;
	/* a migrated page: its poison cleared, its last reference dropped */
	ClearPageHWPoison(page);
	if (page_ref_count(page))
		kb_put_page(kb, page);
	return 0;
}

int kb_soft_offline_page(struct kb_instance *kb, unsigned long pfn)
{
	return soft_offline_page(kb, pfn);
}

int kb_unpoison_pfn(struct kb_instance *kb, unsigned long pfn)
{
	return unpoison_memory(kb, pfn);
}
