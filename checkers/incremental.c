// SPDX-License-Identifier: GPL-2.0
/*
 * The incremental checker of level 2: after each operation, check what the
 * operation touched (kb->touched: every free-list and pcp-list insertion
 * and removal, every allocation) and every counter, in time proportional
 * to the operation's work, not to the machine's size.
 *
 * The counters are checked against counts this checker keeps itself from
 * the touches: blocks per (zone, order), the free, CMA and highatomic
 * pages they hold, and pages per pcp list. The
 * allocator keeps nr_free, NR_FREE_PAGES and pcp->count by its own code
 * paths, so a path that forgets one disagrees here at the operation that
 * did it. When the touch log overflowed, the full sweep runs instead.
 */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "incremental.h"
#include "shadow_free.h"
#include "../core/internal.h"

/* Kept as sums, so a check after an operation adds nothing up. */
struct zone_counts {
	long blocks[KB_NR_ORDERS_MAX];	/* per order, all types */
	long free;			/* pages, ISOLATE left out */
	long cma;			/* pages on the CMA lists */
	long highatomic;		/* pages on the HIGHATOMIC lists */
	long isolated;			/* pages on the ISOLATE lists (in no counter) */
	long pcp_pages[KB_MAX_CPUS];
};

/*
 * The last touch of each pfn in the current operation's log: an
 * open-addressed table whose entries count only with the current stamp,
 * so that no check clears it.
 */
#define LAST_TOUCH_SLOTS	(2 * KB_TOUCH_MAX)

struct last_touch {
	unsigned long pfn;
	uint32_t stamp;
	uint32_t index;
};

struct kb_incremental {
	struct zone_counts z[KB_MAX_NODES][MAX_NR_ZONES];
	/* the counts of the last kb_incremental_begin, for kb_incremental_restart */
	struct zone_counts begun[KB_MAX_NODES][MAX_NR_ZONES];
	bool begun_broken;
	/* a list too long to be one (a cycle): the counts mean nothing */
	bool lists_broken;
	struct last_touch last[LAST_TOUCH_SLOTS];
	uint32_t stamp;
};

struct kb_incremental *kb_incremental_create(void)
{
	return calloc(1, sizeof(struct kb_incremental));
}

void kb_incremental_destroy(struct kb_incremental *ic)
{
	free(ic);
}

/* A block of order o put on (delta 1) or taken off (-1) a list of type mt. */
static void count_block(struct zone_counts *c, unsigned int o, int mt, long delta)
{
	long pages = delta * (1L << o);

	c->blocks[o] += delta;
	if (mt != MIGRATE_ISOLATE)
		c->free += pages;
	if (mt == MIGRATE_CMA)
		c->cma += pages;
	if (mt == MIGRATE_HIGHATOMIC)
		c->highatomic += pages;
	if (mt == MIGRATE_ISOLATE)
		c->isolated += pages;
}

/* Counts the lists as they are now (O(free blocks + pcp pages)). */
static void count_lists(struct kb_incremental *ic, const struct kb_instance *kb)
{
	int nid, zid, cpu;

	/* the last-touch table needs no clearing: its stamp moves on */
	memset(ic->z, 0, sizeof(ic->z));
	ic->lists_broken = false;
	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = &kb->node_data[nid].node_zones[zid];
			struct zone_counts *c = &ic->z[nid][zid];
			const struct list_head *pos;
			unsigned int o, i;
			int mt;

			for (o = 0; o <= kb->max_order; o++)
				for (mt = 0; mt < MIGRATE_TYPES; mt++) {
					unsigned long n = 0;

					list_for_each(pos, &zone->free_area[o].free_list[mt]) {
						if (++n > kb->max_pfn) {
							ic->lists_broken = true;
							return;
						}
						count_block(c, o, mt, 1);
					}
				}
			for (cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
				for (i = 0; i < NR_PCP_LISTS; i++) {
					unsigned long n = 0;

					list_for_each(pos, &zone->per_cpu_pageset[cpu].lists[i]) {
						if (++n > kb->max_pfn) {
							ic->lists_broken = true;
							return;
						}
						c->pcp_pages[cpu] += 1L << pindex_to_order(kb, i);
					}
				}
		}
}

void kb_incremental_begin(struct kb_incremental *ic, const struct kb_instance *kb)
{
	count_lists(ic, kb);
	memcpy(ic->begun, ic->z, sizeof(ic->z));
	ic->begun_broken = ic->lists_broken;
}

void kb_incremental_restart(struct kb_incremental *ic)
{
	memcpy(ic->z, ic->begun, sizeof(ic->z));
	ic->lists_broken = ic->begun_broken;
}

/* Counts touch t into its zone's counts c (NULL: a page of no zone). */
static void apply(struct zone_counts *c, const struct kb_instance *kb, const struct kb_touch *t)
{
	if (!c || t->order > kb->max_order)
		return;
	switch (t->kind) {
	case KB_TOUCH_FREE_ADD:
	case KB_TOUCH_FREE_MOVE:
		count_block(c, t->order, t->mt % MIGRATE_TYPES, 1);
		break;
	case KB_TOUCH_FREE_DEL:
		count_block(c, t->order, t->mt % MIGRATE_TYPES, -1);
		break;
	case KB_TOUCH_PCP_ADD:
		c->pcp_pages[t->cpu % KB_MAX_CPUS] += 1L << t->order;
		break;
	case KB_TOUCH_PCP_DEL:
		c->pcp_pages[t->cpu % KB_MAX_CPUS] -= 1L << t->order;
		break;
	default:
		break;
	}
}

/*
 * The counters of every zone the operation touched against the counts kept
 * from the touches (a zone it did not touch is left to the final sweep).
 */
static int check_counters(struct kb_incremental *ic, const struct kb_instance *kb,
			  const struct kb_shadow *sh, unsigned int zones, struct kb_violation *v)
{
	int nid, zid, cpu;
	unsigned int o;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = &kb->node_data[nid].node_zones[zid];
			const struct zone_counts *c = &ic->z[nid][zid];
			long free = c->free, cma = c->cma, highatomic = c->highatomic;

			if (!(zones & (1u << (nid * MAX_NR_ZONES + zid))))
				continue;

			for (o = 0; o <= kb->max_order; o++) {
				long blocks = c->blocks[o];

				if ((long)zone->free_area[o].nr_free != blocks) {
					kb_violation_set(v, "nr-free", nid, zid, zone->zone_start_pfn,
							 (int)o, -1,
							 "free_area[%u].nr_free is %ld but %ld blocks were put on its lists",
							 o, (long)zone->free_area[o].nr_free, blocks);
					return 1;
				}
			}
			if (zone->vm_stat[NR_FREE_PAGES] != free) {
				kb_violation_set(v, "vmstat-free-pages", nid, zid, zone->zone_start_pfn,
						 -1, -1, "NR_FREE_PAGES is %ld but the free lists hold %ld pages",
						 zone->vm_stat[NR_FREE_PAGES], free);
				return 1;
			}
			if (zone->vm_stat[NR_FREE_CMA_PAGES] != cma) {
				kb_violation_set(v, "vmstat-free-cma", nid, zid, zone->zone_start_pfn,
						 -1, MIGRATE_CMA,
						 "NR_FREE_CMA_PAGES is %ld but the CMA lists hold %ld pages",
						 zone->vm_stat[NR_FREE_CMA_PAGES], cma);
				return 1;
			}
			if ((long)zone->nr_free_highatomic != highatomic) {
				kb_violation_set(v, "highatomic-free", nid, zid, zone->zone_start_pfn,
						 -1, MIGRATE_HIGHATOMIC,
						 "nr_free_highatomic is %ld but the HIGHATOMIC lists hold %ld pages",
						 (long)zone->nr_free_highatomic, highatomic);
				return 1;
			}
			for (cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
				if (zone->per_cpu_pageset[cpu].count != c->pcp_pages[cpu]) {
					kb_violation_set(v, "pcp-count", nid, zid, zone->zone_start_pfn,
							 -1, -1,
							 "cpu %d: pcp->count is %d but %ld pages were put on its lists",
							 cpu, zone->per_cpu_pageset[cpu].count,
							 c->pcp_pages[cpu]);
					return 1;
				}
			/* the free memory the caller's allocations and frees leave */
			if (kb_shadow_check_free_zone(sh, kb, nid * MAX_NR_ZONES + zid,
						      c->isolated, v))
				return 1;
		}
	return 0;
}

static bool links_sane(const struct page *page)
{
	const struct list_head *e = &page->lru;

	return e->next && e->prev && e->next->prev == e && e->prev->next == e;
}

/* Whether two free blocks of one order at these pfns could merge. */
static bool could_merge(const struct kb_instance *kb, unsigned long a, unsigned long b,
			unsigned int order)
{
	int ma = get_pfnblock_migratetype(kb, a), mb = get_pfnblock_migratetype(kb, b);

	if (order < kb->pageblock_order)
		return true;
	return ma == mb || (migratetype_is_mergeable(ma) && migratetype_is_mergeable(mb));
}

/*
 * A block the operation put on a free list, if it is still there. Only a
 * freed block must have merged with its buddy: a block moved to another
 * type's list may sit beside a buddy it could merge with now (a
 * highatomic block given back by unreserve_highatomic_pageblock stays
 * apart from its free buddy in the kernel too).
 */
static bool touched_later(const struct kb_instance *kb, unsigned int i, unsigned long pfn,
			  int kind);

/*
 * The first of the nr pages from pfn with one of flags set (or, with refs,
 * a reference), or nr. Chunks the checked snapshot vouches for
 * (kb_chunk_pristine) hold neither and are not read; within a chunk the
 * pages are tested without a branch each.
 */
static unsigned long first_bad_page(const struct kb_instance *kb, unsigned long pfn,
				    unsigned long nr, uint32_t flags, bool refs)
{
	const struct page *page = &kb->mem_map[pfn];
	uint32_t ref_mask = refs ? ~0u : 0;
	unsigned long i = 0;

	while (i < nr) {
		unsigned long stop = kb_chunk_end(pfn + i, pfn + nr) - pfn, j;
		uint32_t any = 0;

		if (kb_chunk_pristine(kb, (pfn + i) >> KB_DIRTY_CHUNK_SHIFT)) {
			i = stop;
			continue;
		}
		for (j = i; j < stop; j++)
			any |= (page[j].flags & flags) | ((uint32_t)page[j]._refcount & ref_mask);
		if (any)
			for (j = i; j < stop; j++)
				if ((page[j].flags & flags) | ((uint32_t)page[j]._refcount & ref_mask))
					return j;
		i = stop;
	}
	return nr;
}

static int check_free_block(const struct kb_instance *kb, unsigned int touch, unsigned long pfn,
			    unsigned int order, int list_mt, bool freed, struct kb_violation *v)
{
	const struct page *page = &kb->mem_map[pfn];
	const struct zone *zone;
	unsigned long nr = 1UL << order, i, buddy;

	if (!PageBuddy(page) || buddy_order(page) != order)
		return 0;	/* merged or taken again within the operation */
	zone = page_zone(kb, page);
	if (!links_sane(page)) {
		kb_violation_set(v, "list-integrity", page->node, page->zone, pfn, (int)order,
				 list_mt, "the free block's list links do not point back at it");
		return 1;
	}
	if (pfn & (nr - 1)) {
		kb_violation_set(v, "order-alignment", page->node, page->zone, pfn, (int)order,
				 list_mt, "free block at pfn 0x%lx is not aligned to order %u", pfn, order);
		return 1;
	}
	if (pfn < zone->zone_start_pfn || pfn + nr > zone_end_pfn(zone)) {
		kb_violation_set(v, "block-boundary", page->node, page->zone, pfn, (int)order,
				 list_mt, "free block [0x%lx, 0x%lx) leaves zone %s", pfn, pfn + nr,
				 zone->name);
		return 1;
	}
	if (!kb_list_type_fits(get_pfnblock_migratetype(kb, pfn), list_mt)) {
		kb_violation_set(v, "list-type", page->node, page->zone, pfn, (int)order, list_mt,
				 "free block on the %s list in a %s pageblock",
				 kb_migratetype_name(list_mt),
				 kb_migratetype_name(get_pfnblock_migratetype(kb, pfn)));
		return 1;
	}
	/*
	 * The pages inside the block: the first few here, all of them in the
	 * sweep at the end of the input (a large block is mostly untouched).
	 */
	i = first_bad_page(kb, pfn + 1, (nr < 64 ? nr : 64) - 1,
			   (1u << PG_buddy) | (1u << PG_reserved), true) + 1;
	if (i < nr && i < 64) {
		const struct page *p = page + i;

		kb_violation_set(v, PageReserved(p) ? "block-boundary" : "buddy-flag",
				 page->node, page->zone, pfn + i, (int)order, list_mt,
				 "page 0x%lx inside a free order-%u block is %s", pfn + i, order,
				 PageReserved(p) ? "reserved" :
				 PageBuddy(p) ? "marked Buddy" : "referenced");
		return 1;
	}
	for (i = kb->pageblock_nr_pages; order >= kb->pageblock_order && i < nr;
	     i += kb->pageblock_nr_pages)
		if (!kb_list_type_fits(get_pfnblock_migratetype(kb, pfn + i), list_mt)) {
			kb_violation_set(v, "large-block-type", page->node, page->zone, pfn + i,
					 (int)order, list_mt,
					 "pageblock at 0x%lx of a free order-%u %s block is %s", pfn + i,
					 order, kb_migratetype_name(list_mt),
					 kb_migratetype_name(get_pfnblock_migratetype(kb, pfn + i)));
			return 1;
		}
	buddy = pfn ^ nr;
	if (freed && order < kb->max_order && buddy < kb->max_pfn) {
		const struct page *b = &kb->mem_map[buddy];

		/* a buddy moved to another list after this free could not merge then */
		if (PageBuddy(b) && buddy_order(b) == order && b->zone == page->zone &&
		    b->node == page->node && could_merge(kb, pfn, buddy, order) &&
		    !touched_later(kb, touch, buddy, KB_TOUCH_FREE_MOVE)) {
			kb_violation_set(v, "fully-merged", page->node, page->zone, pfn, (int)order,
					 list_mt, "free buddies 0x%lx and 0x%lx of order %u did not merge",
					 pfn, buddy, order);
			return 1;
		}
	}
	return 0;
}

static int check_allocated(const struct kb_instance *kb, unsigned long pfn, unsigned int order,
			   struct kb_violation *v)
{
	const struct page *page = &kb->mem_map[pfn];
	unsigned long i;

	if (page->_refcount < 1)
		return 0;	/* freed again within the operation */
	/* the first pages here; all of them in the sweep at the end */
	i = first_bad_page(kb, pfn, (1UL << order) < 64 ? (1UL << order) : 64,
			   (1u << PG_buddy) | (1u << PG_reserved), false);
	if (i < (1UL << order) && i < 64) {
		kb_violation_set(v, "alloc-page-state", page->node, page->zone, pfn + i,
				 (int)order, -1, "page 0x%lx of an allocated block is %s",
				 pfn + i, PageBuddy(page + i) ? "marked Buddy" : "reserved");
		return 1;
	}
	return 0;
}

static int check_pcp_page(const struct kb_instance *kb, unsigned long pfn, unsigned int order,
			  struct kb_violation *v)
{
	const struct page *page = &kb->mem_map[pfn];

	if (PageBuddy(page) || page->_refcount) {
		kb_violation_set(v, "pcp-page-state", page->node, page->zone, pfn, (int)order, -1,
				 "page 0x%lx on a pcp list is %s", pfn,
				 PageBuddy(page) ? "marked Buddy" : "referenced");
		return 1;
	}
	if (pfn & ((1UL << order) - 1)) {
		kb_violation_set(v, "order-alignment", page->node, page->zone, pfn, (int)order, -1,
				 "pcp page 0x%lx is not aligned to its list's order %u", pfn, order);
		return 1;
	}
	return 0;
}

/*
 * A retyped (or isolated) pageblock inside a free block larger than a
 * pageblock: every pageblock of that free block must have its type, or the
 * block's pages sit on a list of another type (isolating inside a large
 * buddy without splitting it first).
 */
static int check_retyped_block(const struct kb_instance *kb, unsigned long pfn,
			       struct kb_violation *v)
{
	unsigned int o;

	for (o = kb->pageblock_order + 1; o <= kb->max_order; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1), i;
		const struct page *page = &kb->mem_map[head];
		int mt;

		if (!PageBuddy(page) || buddy_order(page) < o)
			continue;
		mt = get_pfnblock_migratetype(kb, head);
		for (i = 0; i < (1UL << buddy_order(page)); i += kb->pageblock_nr_pages)
			if (!kb_list_type_fits(get_pfnblock_migratetype(kb, head + i), mt)) {
				kb_violation_set(v, "large-block-type", page->node, page->zone,
						 head + i, (int)buddy_order(page), mt,
						 "pageblock at 0x%lx of a free order-%lu %s block is %s",
						 head + i, buddy_order(page), kb_migratetype_name(mt),
						 kb_migratetype_name(get_pfnblock_migratetype(kb, head + i)));
				return 1;
			}
		return 0;
	}
	return 0;
}

/*
 * Unisolation frees a free block of pageblock_order or more again so that
 * it merges with a free buddy outside (unset_migratetype_isolate): after
 * it, such a block and its buddy cannot both be free and mergeable.
 */
static int check_unisolated_block(const struct kb_instance *kb, unsigned long pfn,
				  struct kb_violation *v)
{
	const struct page *page = &kb->mem_map[pfn], *b;
	unsigned long order, buddy;

	if (!PageBuddy(page) || (order = buddy_order(page)) < kb->pageblock_order ||
	    order >= kb->max_order)
		return 0;
	buddy = pfn ^ (1UL << order);
	if (buddy >= kb->max_pfn)
		return 0;
	b = &kb->mem_map[buddy];
	if (!PageBuddy(b) || buddy_order(b) != order || b->zone != page->zone ||
	    b->node != page->node || get_pageblock_isolate(kb, buddy) ||
	    !could_merge(kb, pfn, buddy, (unsigned int)order))
		return 0;
	kb_violation_set(v, "fully-merged", page->node, page->zone, pfn, (int)order,
			 get_pfnblock_migratetype(kb, pfn),
			 "unisolated free block 0x%lx and its free buddy 0x%lx of order %lu were not merged",
			 pfn, buddy, order);
	return 1;
}

/* Is pfn touched again by a touch of kind after touch i? */
static bool touched_later(const struct kb_instance *kb, unsigned int i, unsigned long pfn,
			  int kind)
{
	unsigned int j;

	for (j = i + 1; j < kb->nr_touched; j++)
		if (kb->touched[j].pfn == pfn && kb->touched[j].kind == kind)
			return true;
	return false;
}

static struct last_touch *last_touch_slot(struct kb_incremental *ic, unsigned long pfn)
{
	unsigned int h = (unsigned int)((pfn * 0x9e3779b97f4a7c15ull) >> 40) % LAST_TOUCH_SLOTS;

	while (ic->last[h].stamp == ic->stamp && ic->last[h].pfn != pfn)
		h = (h + 1) % LAST_TOUCH_SLOTS;
	return &ic->last[h];
}

/*
 * Up to this many touches, whether a touch is its pfn's last is found by
 * looking at the touches after it (most operations touch a few blocks);
 * past it, through the table.
 */
#define LAST_TOUCH_SCAN	24

/* Whether touch i is the last touch of its pfn in the operation. */
static bool last_touch_of_pfn(struct kb_incremental *ic, const struct kb_instance *kb,
			      unsigned int i)
{
	unsigned long pfn = kb->touched[i].pfn;
	unsigned int j;

	if (kb->nr_touched > LAST_TOUCH_SCAN)
		return last_touch_slot(ic, pfn)->index == i;
	for (j = i + 1; j < kb->nr_touched; j++)
		if (kb->touched[j].pfn == pfn)
			return false;
	return true;
}

/* Records every touch's pfn: afterwards each pfn's slot holds its last touch. */
static void last_touch_build(struct kb_incremental *ic, const struct kb_instance *kb)
{
	unsigned int i;

	if (kb->nr_touched <= LAST_TOUCH_SCAN)
		return;	/* last_touch_of_pfn looks at the touches themselves */
	if (++ic->stamp == 0) {
		memset(ic->last, 0, sizeof(ic->last));
		ic->stamp = 1;
	}
	for (i = 0; i < kb->nr_touched; i++) {
		struct last_touch *l = last_touch_slot(ic, kb->touched[i].pfn);

		l->pfn = kb->touched[i].pfn;
		l->stamp = ic->stamp;
		l->index = i;
	}
}

int kb_check_touched(struct kb_incremental *ic, struct kb_instance *kb,
		     const struct kb_shadow *sh, struct kb_violation *v)
{
	unsigned int zones = 0;	/* bit node * MAX_NR_ZONES + zone: touched */
	unsigned int i;

	/* the sweep names what is wrong with the lists (it detects cycles) */
	if (kb->touch_overflow || ic->lists_broken) {
		int ret = kb_check_full(kb, sh, v);

		/* counted again from the lists the sweep found sound (not a new start) */
		if (!ret)
			count_lists(ic, kb);
		return ret;
	}
	for (i = 0; i < kb->nr_touched; i++) {
		const struct page *page;

		if (kb->touched[i].pfn >= kb->max_pfn)
			continue;
		page = &kb->mem_map[kb->touched[i].pfn];
		if (page->node >= KB_MAX_NODES || page->zone >= MAX_NR_ZONES)
			continue;
		apply(&ic->z[page->node][page->zone], kb, &kb->touched[i]);
		zones |= 1u << (page->node * MAX_NR_ZONES + page->zone);
	}
	if (check_counters(ic, kb, sh, zones, v))
		return 1;
	last_touch_build(ic, kb);
	for (i = 0; i < kb->nr_touched; i++) {
		const struct kb_touch *t = &kb->touched[i];
		int ret = 0;

		/* touched again later: its state now is that touch's */
		if (t->pfn >= kb->max_pfn || t->order > kb->max_order ||
		    !last_touch_of_pfn(ic, kb, i))
			continue;
		if (t->kind == KB_TOUCH_FREE_ADD || t->kind == KB_TOUCH_FREE_MOVE)
			ret = check_free_block(kb, i, t->pfn, t->order, t->mt % MIGRATE_TYPES,
					       t->kind == KB_TOUCH_FREE_ADD, v);
		else if (t->kind == KB_TOUCH_ALLOC)
			ret = check_allocated(kb, t->pfn, t->order, v);
		else if (t->kind == KB_TOUCH_PCP_ADD)
			ret = check_pcp_page(kb, t->pfn, t->order, v);
		else if (t->kind == KB_TOUCH_RETYPE)
			ret = check_retyped_block(kb, t->pfn, v);
		else if (t->kind == KB_TOUCH_UNISOLATE)
			ret = check_retyped_block(kb, t->pfn, v) ||
			      check_unisolated_block(kb, t->pfn, v);
		if (ret)
			return 1;
	}
	return 0;
}
