// SPDX-License-Identifier: GPL-2.0
/*
 * Migration for compaction (mm/migrate.c's migrate_pages with
 * compaction.c's compaction_alloc and compaction_free): each isolated
 * block goes to its owner, who copies the contents into a block cut from
 * the free pages the free scanner isolated, moves its handle there and
 * frees the old block; the free pages not used go back to the buddy.
 *
 * Deliberate difference: one pass per block (the kernel retries a block
 * up to NR_MAX_MIGRATE_PAGES_RETRY times; a deterministic owner answers
 * the same each time).
 */
#include "compaction.h"
#include "loop_bound.h"
#include "vmscan.h"

/*
 * A block of order for a migrated block, cut from the smallest isolated
 * free block that holds it, isolating more when none does
 * (compaction_alloc). The split halves stay isolated.
 */
static struct page *compaction_alloc(struct kb_instance *kb, unsigned int order, gfp_t gfp,
				     void *priv)
{
	struct compact_control *cc = priv;
	bool has_isolated_pages = false;
	unsigned int start_order;
	struct page *freepage;
	unsigned long size;

	if (order > kb->max_order)
		return NULL;
again:
	for (start_order = order; start_order <= kb->max_order; start_order++)
		if (!list_empty(&cc->freepages[start_order]))
			break;
	/* no free pages in the list */
	if (start_order > kb->max_order) {
		if (has_isolated_pages)
			return NULL;
		isolate_freepages(kb, cc);
		has_isolated_pages = true;
		goto again;
	}

	freepage = list_first_entry(&cc->freepages[start_order], struct page, lru);
	size = 1UL << start_order;
	kb_list_del(kb, &freepage->lru);
	while (start_order > order) {
		start_order--;
		size >>= 1;
#ifndef KB_BUG_compaction_alloc_wrong_half
		kb_list_add(kb, &freepage[size].lru, &cc->freepages[start_order]);
		set_page_private(&freepage[size], start_order);
		kb_dirty_range(kb, page_to_pfn(kb, &freepage[size]), 1);
#else
		kb_list_add(kb, &freepage[size - 1].lru, &cc->freepages[start_order]);
		set_page_private(&freepage[size - 1], start_order);
		kb_dirty_range(kb, page_to_pfn(kb, &freepage[size - 1]), 1);
#endif
	}
	/* post_alloc_hook, set_page_refcounted and (for a folio) prep_compound_page */
	prep_new_page(kb, freepage, order, (gfp & __GFP_COMP) | __GFP_MOVABLE);
	cc->nr_freepages -= 1UL << order;
	cc->nr_migratepages -= KB_MIN(cc->nr_migratepages, 1UL << order);
	return freepage;
}

/* Takes back a block compaction_alloc gave out and the owner did not use (compaction_free). */
static void compaction_free(struct kb_instance *kb, struct page *page, unsigned int order,
			    void *priv)
{
	struct compact_control *cc = priv;

	kb_dirty_range(kb, page_to_pfn(kb, page), 1);
	if (put_page_testzero(page) && free_pages_prepare(kb, page, order)) {
		set_page_private(page, order);
		kb_list_add(kb, &page->lru, &cc->freepages[order]);
		cc->nr_freepages += 1UL << order;
	}
	cc->nr_migratepages += 1UL << order;
}

/*
 * Migrates every block of cc->migratepages through the owner; returns
 * 0, the number of blocks that did not move, or -ENOMEM when no target
 * could be had (the rest are not tried).
 */
int migrate_pages(struct kb_instance *kb, struct compact_control *cc, unsigned int *nr_succeeded)
{
	const struct kb_migrate_target target = {
		.alloc = compaction_alloc,
		.put = compaction_free,
		.priv = cc,
	};
	int failed = 0;

	*nr_succeeded = 0;
	unsigned long pages_moved = 0, pages_failed = 0;

	for (unsigned int i = 0; i < cc->nr_migrate_blocks; i++) {
		struct page *page = pfn_to_page(kb, cc->migratepages[i]);
		unsigned long nr = PageHead(page) ? 1UL << page->compound_order : 1;
		int rc;

		/* the owner may have freed it since (a block migrated before it) */
		if (!PageLru(page) || !page_ref_count(page)) {
			failed++;
			pages_failed += nr;
			continue;
		}
		rc = kb->owner.migrate_page ? kb->owner.migrate_page(kb, page, &target, kb->owner.ctx) :
					      -EAGAIN;
		if (rc == -ENOMEM) {
			/* the rest are not tried; the kernel counts this block as failed */
			pages_failed += nr;
			failed = -ENOMEM;
			break;
		}
		if (rc) {
			failed++;
			pages_failed += nr;
		} else {
			(*nr_succeeded)++;
			pages_moved += nr;
		}
	}
	/* in base pages, as the kernel counts folios */
	kb->vm_events[PGMIGRATE_SUCCESS] += pages_moved;
	kb->vm_events[PGMIGRATE_FAIL] += pages_failed;
	return failed;
}

/*
 * Gives every isolated free block back to the buddy whole and returns
 * the highest pfn among them (release_free_list with mark_allocated).
 */
unsigned long release_freepages(struct kb_instance *kb, struct compact_control *cc)
{
	unsigned long high_pfn = 0;

	for (unsigned int order = 0; order <= kb->max_order; order++) {
		unsigned long rounds = 0;

		while (!list_empty(&cc->freepages[order])) {
			struct page *page = list_first_entry(&cc->freepages[order], struct page, lru);
			unsigned long pfn = page_to_pfn(kb, page);

			/* each block of mem_map is on the list once, and leaves it */
			if (KB_LOOP_BOUND(kb, rounds, kb->max_pfn >> order, "loop-release-free-list",
					  pfn, "order-%u list does not empty", order))
				break;
			kb_list_del(kb, &page->lru);
#ifndef KB_BUG_release_free_list_leaks
			prep_new_page(kb, page, order, __GFP_MOVABLE);
			__free_pages(kb, page, order);
#endif
			if (pfn > high_pfn)
				high_pfn = pfn;
		}
	}
	return high_pfn;
}

/*
 * The kernel isolates a block from the LRU before it migrates it. The
 * owner's own target allocation (alloc_migration_target) may enter direct
 * reclaim, which must not reclaim the block being moved from under it.
 */
int migrate_lru_folio(struct kb_instance *kb, struct page *page,
		      const struct kb_migrate_target *target)
{
	unsigned long nr_pages = 1UL << page->lru_order;
	bool file = !PageSwapBacked(page);
	int nid = page->node, rc;

	if (!kb->owner.migrate_page || !folio_isolate_lru(kb, page))
		return -EAGAIN;
	rc = kb->owner.migrate_page(kb, page, target, kb->owner.ctx);
	if (rc)
		folio_putback_lru(kb, page);
	else
		folio_migrated_lru(kb, nid, file, nr_pages);
	return rc;
}
