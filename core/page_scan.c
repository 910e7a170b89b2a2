// SPDX-License-Identifier: GPL-2.0
/*
 * The allocator's read-only scans over every struct page of a block: the
 * per-page test behind check_new_pages and free_pages_prepare (the kernel's
 * page_expected_state), the per-page test of pfn_range_valid_contig, and
 * the pages compaction's migrate scanner passes without a look (neither
 * free, compound nor on an LRU). The callers handle the page a scan stops
 * at.
 *
 * Fuzz builds compile this file without AddressSanitizer's per-access
 * checks (Makefile): a shadow check for every field of every page was the
 * largest part of ASan's cost in fuzz_ops. Each scan checks its range once
 * instead. A range inside mem_map, one live allocation, is addressable
 * throughout; a range reaching outside it is looked up in ASan's shadow
 * and, if any byte is poisoned, reported as ASan reports a bad access, the
 * range's size as the access size. Test builds instrument this file as
 * every other.
 */
#include "internal.h"

/* AddressSanitizer's runtime interface, present when the program has one. */
void *__asan_region_is_poisoned(void *beg, size_t size) __attribute__((weak));
void __asan_report_error(void *pc, void *bp, void *sp, void *addr, int is_write,
			 size_t access_size) __attribute__((weak));

/*
 * Reports a range with a poisoned byte, or with struct pages the memmap
 * does not have (past max_pfn, or of a missing section: address space
 * ASan does not track), as ASan reports a bad read.
 */
static __attribute__((noinline)) void report_unreadable(const struct kb_instance *kb,
							const struct page *page,
							unsigned long nr)
{
	uintptr_t lo = (uintptr_t)kb->mem_map, hi = lo + kb->mem_map_bytes;
	uintptr_t p = (uintptr_t)page;
	size_t size = nr * sizeof(*page);
	void *bad = NULL;
	unsigned long i;

	if (!__asan_region_is_poisoned || !__asan_report_error || !nr)
		return;
	if (p + size <= lo || p >= hi)
		bad = __asan_region_is_poisoned((void *)page, size);
	else
		for (i = 0; i < nr && !bad; i++) {
			uintptr_t a = p + i * sizeof(*page);

			/* past either end of the memmap, or a pfn without a struct page */
			if (a < lo || a >= hi || !pfn_valid(kb, (a - lo) / sizeof(*page)))
				bad = (void *)a;
		}
	if (bad)
		__asan_report_error(__builtin_return_address(0), __builtin_frame_address(0),
				    __builtin_frame_address(0), bad, 0, size);
}

/*
 * Reading nr struct pages from page, as one access: a range of valid pfns
 * is addressable throughout; only a range reaching past it needs a look.
 */
static inline void check_pages_readable(const struct kb_instance *kb, const struct page *page,
					unsigned long nr)
{
	uintptr_t lo = (uintptr_t)kb->mem_map, p = (uintptr_t)page;
	unsigned long index = (p - lo) / sizeof(*page);

	if (p < lo || index > kb->max_pfn || nr > kb->max_pfn - index ||
	    !kb_pfn_range_valid(kb, index, index + nr))
		report_unreadable(kb, page, nr);
}

/*
 * The first of nr pages that is not in page_expected_state(check_flags), or
 * nr. Chunks the checked snapshot vouches for (kb_chunk_pristine) are
 * skipped: their pages are in the expected state for any check_flags.
 */
unsigned long kb_pages_first_unexpected(const struct kb_instance *kb, const struct page *page,
					unsigned long nr, uint32_t check_flags)
{
	unsigned long base, i = 0;

	check_pages_readable(kb, page, nr);
	base = (uintptr_t)page >= (uintptr_t)kb->mem_map ? (unsigned long)(page - kb->mem_map) :
							   ~0UL;
	if (!kb->pristine || base > kb->max_pfn || nr > kb->max_pfn - base) {
		for (; i < nr; i++)
			if (!page_expected_state(page + i, check_flags))
				break;
		return i;
	}
	while (i < nr) {
		unsigned long stop = kb_chunk_end(base + i, base + nr) - base;

		if (kb_chunk_pristine(kb, (base + i) >> KB_DIRTY_CHUNK_SHIFT)) {
			i = stop;
			continue;
		}
		for (; i < stop; i++)
			if (!page_expected_state(page + i, check_flags))
				return i;
	}
	return nr;
}

/* Every page of [start_pfn, start_pfn + nr_pages) is in z and neither reserved nor compound. */
bool pfn_range_valid_contig(const struct kb_instance *kb, const struct zone *z,
			    unsigned long start_pfn, unsigned long nr_pages)
{
	const uint32_t stop = (1u << PG_reserved) | (1u << PG_head) | (1u << PG_tail);
	const struct page *page = kb->mem_map + start_pfn;
	int nid = zone_to_nid(z), zid = zone_idx(z);
	unsigned long i;

	/* pfn_to_online_page for every pfn: sections at a time */
	if (!kb_pfn_range_online(kb, start_pfn, start_pfn + nr_pages))
		return false;
	check_pages_readable(kb, page, nr_pages);
	for (i = 0; i < nr_pages; i++)
		if ((page[i].node != nid) | (page[i].zone != zid) | !!(page[i].flags & stop))
			return false;
	return true;
}

/*
 * The first of nr pages that isolate_migratepages_block must look at: a
 * free block's head, a compound head, or a referenced LRU page that is no
 * tail; or nr. Every page before it fails isolation and changes nothing
 * (a block of an owner that keeps it off the LRU, a tail of a free or
 * allocated block, a freed page not taken yet).
 */
unsigned long kb_pages_first_migrate_candidate(const struct kb_instance *kb,
					       const struct page *page, unsigned long nr)
{
	const uint32_t stop = (1u << PG_buddy) | (1u << PG_head);
	const uint32_t lru = 1u << PG_lru, tail = 1u << PG_tail;
	unsigned long i;

	check_pages_readable(kb, page, nr);
	for (i = 0; i < nr; i++) {
		uint32_t flags = page[i].flags;

		if ((flags & stop) | ((flags & (lru | tail)) == lru && page[i]._refcount))
			break;
	}
	return i;
}
