// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time freeing: handing the memory firmware reported to the buddy.
 *  - memblock (mainline): memblock_free_all -> __free_pages_memory frees
 *    each free range in the largest chunks its alignment allows.
 *  - bootmem (before 4.20, seed document 000): free_all_bootmem_core walks
 *    a reserved-page bitmap, frees fully free BITS_PER_LONG-aligned runs as
 *    one order-6 block and single pages otherwise, then the bitmap's pages.
 * CMA areas stay reserved until cma_activate_areas frees them pageblock by
 * pageblock as MIGRATE_CMA (a core_initcall: after the pcp lists are set
 * up, before the watermarks).
 *
 * Both paths clip chunks at zone boundaries: the kernel relies on zone
 * boundaries being aligned to MAX_PAGE_ORDER, kbuddy boots any layout.
 */
#include <stdlib.h>

#include "internal.h"
#include "loop_bound.h"

#define BITS_PER_LONG	64

/*
 * Clears Reserved, drops the initial reference, counts the pages as managed
 * and frees the chunk, bypassing the pcp lists, at the tail of its list.
 */
void __free_pages_core(struct kb_instance *kb, struct page *page, unsigned int order)
{
	unsigned long nr_pages = 1UL << order;
	unsigned long i;

	for (i = 0; i < nr_pages; i++) {
		ClearPageReserved(page + i);
		set_page_count(page + i, 0);
	}
	page_zone(kb, page)->managed_pages += nr_pages;
	free_one_page(kb, page_zone(kb, page), page, page_to_pfn(kb, page), order, FPI_TO_TAIL);
}

static unsigned int lowest_set_bit(unsigned long x)
{
	return (unsigned int)__builtin_ctzl(x);
}

/* Frees [start, end), all inside one zone, in the largest aligned chunks. */
static void __free_pages_memory(struct kb_instance *kb, unsigned long start, unsigned long end)
{
	unsigned long chunks = 0, range = end - start;

	while (start < end) {
		unsigned long halvings = 0;
		unsigned int order;

		/* a chunk is a page at least */
		if (KB_LOOP_BOUND(kb, chunks, range, "loop-free-pages-memory", start,
				  "chunk at 0x%lx of a %lu-page range", start, range))
			return;
		/* start == 0 is aligned to everything */
		if (start)
			order = KB_MIN(kb->max_order, lowest_set_bit(start));
		else
			order = kb->max_order;
		while (start + (1UL << order) > end) {
			/* an order-0 chunk fits */
			if (KB_LOOP_BOUND(kb, halvings, kb->max_order, "loop-free-pages-memory",
					  start, "order %u at 0x%lx still too large", order, start))
				return;
			order--;
		}
		__free_pages_core(kb, pfn_to_page(kb, start), order);
		start += 1UL << order;
	}
}

/* Walks maximal runs of free pfns, split at zone boundaries. */
void memblock_free_all(struct kb_instance *kb, const uint8_t *kind)
{
	unsigned long pfn = 0, rounds = 0;

	while (pfn < kb->max_pfn) {
		unsigned long start;
		const struct page *first;

		/* each round moves past one pfn at least */
		if (KB_LOOP_BOUND(kb, rounds, kb->max_pfn, "loop-memblock-free-all", pfn,
				  "at pfn 0x%lx", pfn))
			return;

		/* a missing section has no memory: on to the next present one */
		if (!pfn_valid(kb, pfn)) {
			pfn = kb_next_valid_pfn(kb, pfn);
			continue;
		}
		if (kind[pfn] != KB_PFN_FREE) {
#ifdef KB_BUG_boot_frees_reserved
			/* mutant: a memblock-reserved page goes to the buddy, still PG_reserved */
			if (kind[pfn] == KB_PFN_RESERVED) {
				set_page_count(pfn_to_page(kb, pfn), 0);
				free_one_page(kb, page_zone(kb, pfn_to_page(kb, pfn)),
					      pfn_to_page(kb, pfn), pfn, 0, FPI_TO_TAIL);
			}
#endif
			pfn++;
			continue;
		}
		start = pfn;
		first = pfn_to_page(kb, start);
		for (; pfn < kb->max_pfn && kind[pfn] == KB_PFN_FREE &&
		       pfn_to_page(kb, pfn)->zone == first->zone &&
		       pfn_to_page(kb, pfn)->node == first->node; pfn++)
			;
		__free_pages_memory(kb, start, pfn);
	}
}

/* --- bootmem --- */

static bool same_zone_run(struct kb_instance *kb, unsigned long start, unsigned long nr)
{
	const struct page *first = pfn_to_page(kb, start);

	return pfn_to_page(kb, start + nr - 1)->zone == first->zone &&
	       pfn_to_page(kb, start + nr - 1)->node == first->node;
}

/* bootmem_bootmap_pages: one bit per page, rounded to whole pages. */
static unsigned long bootmem_bootmap_pages(unsigned long pages)
{
	unsigned long bytes = (pages + 7) / 8;

	bytes = ALIGN_UP(bytes, sizeof(long));
	return (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/*
 * One node: build the bitmap (set = reserved) with the bitmap itself placed
 * on the node's first free pages, free through it, then free the bitmap.
 */
static void free_all_bootmem_core(struct kb_instance *kb, const uint8_t *kind,
				  unsigned long node_min_pfn, unsigned long node_low_pfn)
{
	unsigned long pages = node_low_pfn - node_min_pfn;
	unsigned long map_pages = bootmem_bootmap_pages(pages);
	unsigned long nbits = ALIGN_UP(pages, BITS_PER_LONG);
	unsigned long *map = calloc(nbits / BITS_PER_LONG + 1, sizeof(unsigned long));
	unsigned long map_start = 0, placed = 0, start, pfn, rounds = 0;

	if (!map)
		abort();	/* kb_create reserves this much before booting */

	/* init_bootmem_core: everything reserved; free_bootmem: memory */
	for (pfn = 0; pfn < nbits; pfn++) {
		bool reserved = pfn >= pages || kind[node_min_pfn + pfn] != KB_PFN_FREE;

		/* The bitmap lives on the first free pages of the node. */
		if (!reserved && placed < map_pages) {
			if (!placed)
				map_start = node_min_pfn + pfn;
			if (node_min_pfn + pfn == map_start + placed) {
				placed++;
				reserved = true;
			}
		}
		if (reserved)
			map[pfn / BITS_PER_LONG] |= 1UL << (pfn % BITS_PER_LONG);
	}

	start = node_min_pfn;
	while (start < node_low_pfn) {
		unsigned long idx = start - node_min_pfn;
		unsigned long vec = 0;
		unsigned int i;

		/* each round moves past one pfn at least */
		if (KB_LOOP_BOUND(kb, rounds, pages, "loop-free-all-bootmem-core", start,
				  "at pfn 0x%lx of node [0x%lx, 0x%lx)", start, node_min_pfn,
				  node_low_pfn))
			break;

		/* vec holds at most BITS_PER_LONG map bits, bit 0 for start */
		for (i = 0; i < BITS_PER_LONG && idx + i < nbits; i++)
			if (!(map[(idx + i) / BITS_PER_LONG] & (1UL << ((idx + i) % BITS_PER_LONG))))
				vec |= 1UL << i;

		/* A fully free, aligned run of BITS_PER_LONG pages goes in one go. */
		if ((start & (BITS_PER_LONG - 1)) == 0 && vec == ~0UL &&
		    kb->max_order >= 6 && same_zone_run(kb, start, BITS_PER_LONG)) {
			__free_pages_core(kb, pfn_to_page(kb, start), 6);
			start += BITS_PER_LONG;
		} else {
			unsigned long cur = start;

			start = ALIGN_UP(start + 1, BITS_PER_LONG);
			while (vec && cur != start && cur < node_low_pfn) {
				if (vec & 1)
					__free_pages_core(kb, pfn_to_page(kb, cur), 0);
				vec >>= 1;
				++cur;
			}
		}
	}

	/* Finally the bitmap's own pages. */
	for (pfn = map_start; pfn < map_start + placed; pfn++)
		__free_pages_core(kb, pfn_to_page(kb, pfn), 0);
	free(map);
}

void free_all_bootmem(struct kb_instance *kb, const uint8_t *kind)
{
	int nid;

	for (nid = 0; nid < kb->nr_node_ids; nid++) {
		pg_data_t *pgdat = &kb->node_data[nid];

		if (!pgdat->node_spanned_pages)
			continue;
		free_all_bootmem_core(kb, kind, pgdat->node_start_pfn,
				      pgdat->node_start_pfn + pgdat->node_spanned_pages);
	}
}

/* --- CMA --- */

/*
 * init_cma_reserved_pageblock: free a whole pageblock as MIGRATE_CMA,
 * through __free_pages() as the kernel does (a pageblock is the THP order,
 * so it goes by this CPU's pcp list), then count it as managed.
 */
static void init_cma_reserved_pageblock(struct kb_instance *kb, struct page *page)
{
	struct zone *zone = page_zone(kb, page);
	unsigned long i;

	for (i = 0; i < kb->pageblock_nr_pages; i++) {
		ClearPageReserved(page + i);
		set_page_count(page + i, 0);
	}
	set_pageblock_migratetype(kb, page, MIGRATE_CMA);
	set_page_count(page, 1);
	__free_pages(kb, page, kb->pageblock_order);
	zone->managed_pages += kb->pageblock_nr_pages;
	kb->totalram_pages += kb->pageblock_nr_pages;
	zone->cma_pages += kb->pageblock_nr_pages;
	kb->totalcma_pages += kb->pageblock_nr_pages;
}

void cma_activate_areas(struct kb_instance *kb)
{
	unsigned int i;

	for (i = 0; i < kb->layout.nr_cma; i++) {
		const struct kb_range *r = &kb->layout.cma[i];
		unsigned long pfn;

		for (pfn = r->start; pfn < r->end; pfn += kb->pageblock_nr_pages)
			init_cma_reserved_pageblock(kb, pfn_to_page(kb, pfn));
	}
}
