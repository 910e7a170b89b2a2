// SPDX-License-Identifier: GPL-2.0
/*
 * Splitting a plain high-order block into order-0 pages, and the API built
 * on it (mm/page_alloc.c): split_page, make_alloc_exact,
 * alloc_pages_exact / alloc_pages_exact_nid and free_pages_exact.
 *
 * Sizes are given in pages: the kernel's alloc_pages_exact takes bytes
 * and rounds them up to whole pages (DIV_ROUND_UP(size, PAGE_SIZE)), so a
 * page count says the same without a byte count nothing here reads.
 */
#include "internal.h"

/*
 * split_page takes a non-compound higher-order page and splits it into
 * 1 << order order-0 pages, each with its own reference, each freed
 * individually. page_owner, the allocation tags and memcg have nothing to
 * split here.
 */
void split_page(struct kb_instance *kb, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(kb, page);
	unsigned long i;

	/* VM_BUG_ON_PAGE(PageCompound(page), page) */
	KB_VM_WARN(kb, PageHead(page) || PageTail(page), "split-page-bad", pfn, (int)order,
		   "split_page of a compound page (PG_%s)", PageHead(page) ? "head" : "tail");
	/* VM_BUG_ON_PAGE(!page_count(page), page) */
	KB_VM_WARN(kb, !page_ref_count(page), "split-page-bad", pfn, (int)order,
		   "split_page of a page without a reference");

	kb_dirty_range(kb, pfn, 1UL << order);
	for (i = 1; i < (1UL << order); i++)
		set_page_refcounted(page + i);
}

void kb_split_page(struct kb_instance *kb, struct page *page, unsigned int order)
{
	split_page(kb, page, order);
}

/*
 * The order-(order) block at page becomes nr order-0 pages with a
 * reference each; the pages beyond nr go back to the buddy, at the tail
 * of their lists (they were just split off a block still in use).
 */
static struct page *make_alloc_exact(struct kb_instance *kb, struct page *page,
				     unsigned int order, unsigned long nr)
{
	struct page *head = page, *p, *last;

	if (!page)
		return NULL;
	kb_dirty_range(kb, page_to_pfn(kb, page), 1UL << order);
	last = page + nr;
	while (page < --last)
		set_page_refcounted(last);

	last = page + (1UL << order);
	for (p = page + nr; p < last; p++)
		__free_pages_ok(kb, p, 0, FPI_TO_TAIL);
	/*
	 * The touched log's allocation of the whole block no longer holds:
	 * what the caller keeps starts with an order-0 page (checkers read
	 * the rest from their shadow).
	 */
	kb_touch(kb, KB_TOUCH_ALLOC, page_to_pfn(kb, head), 0, -1);
	return head;
}

/* get_order(nr << PAGE_SHIFT): the smallest order of at least nr pages. */
static unsigned int nr_pages_order(unsigned long nr)
{
	return nr <= 1 ? 0 : ilog2(nr - 1) + 1;
}

/*
 * alloc_pages_exact_nid (nid >= 0) and alloc_pages_exact (nid < 0, the
 * CPU's node): nr contiguous pages, the smallest block that holds them
 * split and its surplus freed. __GFP_COMP is dropped, as the kernel does
 * after its WARN_ON_ONCE. NULL with *err -EINVAL when nr is 0 or above a
 * MAX_PAGE_ORDER block.
 */
struct page *kb_alloc_pages_exact(struct kb_instance *kb, unsigned long nr_pages, gfp_t gfp,
				  int nid, int *err)
{
	unsigned int order;
	int ignored;

	if (!err)
		err = &ignored;
	*err = 0;
	if (!nr_pages || nr_pages > (1UL << kb->max_order)) {
		*err = -EINVAL;
		return NULL;
	}
	order = nr_pages_order(nr_pages);
	gfp &= ~__GFP_COMP;	/* WARN_ON_ONCE(gfp_mask & (__GFP_COMP | __GFP_HIGHMEM)) */
	return make_alloc_exact(kb, kb_alloc_pages(kb, gfp, order, nid, err), order, nr_pages);
}

/* free_pages_exact: every page on its own, as free_page does. */
void kb_free_pages_exact(struct kb_instance *kb, struct page *page, unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++)
		__free_pages(kb, page + i, 0);
}
