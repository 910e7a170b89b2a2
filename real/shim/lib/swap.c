// SPDX-License-Identifier: GPL-2.0
/*
 * The last reference of a folio goes (mm/swap.c, __folio_put): kbuddy has
 * no LRU lists, no ZONE_DEVICE pages and no hugetlb folios, so this is
 * page_cache_release()'s flag clearing and the free.
 */
#include <kshim/kshim.h>

#include "internal.h"

void __folio_put(struct folio *folio)
{
	if (folio_test_lru(folio)) {
		/* __page_cache_release(): off the (absent) LRU */
		__folio_clear_lru(folio);
		__folio_clear_active(folio);
		__folio_clear_unevictable(folio);
	}
	folio_unqueue_deferred_split(folio);
	free_unref_page(&folio->page, folio_order(folio));
}

/* mm/huge_memory.c: only rmappable THPs sit on a deferred split queue, and
 * nothing here allocates them (folio_alloc is not driven). */
bool __folio_unqueue_deferred_split(struct folio *folio)
{
	(void)folio;
	kshim_warn("UNPORTED", __FILE__, __LINE__, "__folio_unqueue_deferred_split");
	return false;
}
