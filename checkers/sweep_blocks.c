/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phases 2 and 3: each free block and each pcp page on its own
 * (flags, alignment, zone bounds, pageblock types, overlap), then the
 * buddies that should have merged. Runs after list integrity, so every list
 * entry is known to be a page of mem_map inside the list's zone. In the
 * fast sweep (s->heads_only) the pages after each head are left to
 * kb_sweep_pages.
 */
#include <stdio.h>

#include "check_internal.h"

/* Says what already covers a pfn, from its sweep mark. */
static const char *describe_mark(uint32_t m, char *buf, size_t len)
{
	struct kb_list_id l;
	unsigned int kind = kb_mark_kind(m);
	const char *what = kind == KB_MARK_FREE_HEAD ? "the head of a free block" :
			   kind == KB_MARK_FREE_BODY ? "a page of a free block" :
			   kind == KB_MARK_PCP_HEAD ? "a page on a pcp list" :
			   "a page of a pcp block";

	kb_list_id_decode(kb_mark_list(m), &l);
	if (l.pcp)
		snprintf(buf, len, "%s (node %d zone %s cpu %d pcp list %u)", what,
			 l.nid, kb_zone_name((enum zone_type)l.zid), l.cpu, l.pindex);
	else
		snprintf(buf, len, "%s (node %d zone %s order %u %s)", what, l.nid,
			 kb_zone_name((enum zone_type)l.zid), l.order,
			 kb_migratetype_name(l.mt));
	return buf;
}

/*
 * Names what is wrong with page i of a free block or pcp page, in a fixed
 * order: PG_reserved, PG_buddy after the head, refcount or compound flags,
 * held by an allocation, already covered. Returns 1 with s->v filled, or 0
 * when the page is fine.
 */
static int report_block_page(struct kb_sweep *s, int nid, int zid, unsigned long pfn,
			     unsigned int order, int mt, bool pcp, unsigned long i)
{
	const struct page *page = &s->kb->mem_map[pfn + i];
	unsigned long p = pfn + i;
	unsigned int owner = s->sh->owner[p];
	const char *what = pcp ? "pcp page" : "free block";
	char desc[128];

	if (PageReserved(page)) {
		kb_violation_set(s->v, "block-boundary", nid, zid, pfn, (int)order, mt,
				 "%s at pfn %#lx order %u covers PG_reserved pfn %#lx",
				 what, pfn, order, p);
		return 1;
	}
	if (PageHWPoison(page)) {
		kb_violation_set(s->v, "hwpoison-free", nid, zid, pfn, (int)order, mt,
				 "%s at pfn %#lx order %u covers pfn %#lx, which has PG_hwpoison",
				 what, pfn, order, p);
		return 1;
	}
	if (PageBuddy(page) && pcp) {
		kb_violation_set(s->v, "pcp-page-state", nid, zid, pfn, (int)order, mt,
				 "pcp page at pfn %#lx order %u has PG_buddy on pfn %#lx",
				 pfn, order, p);
		return 1;
	}
	if (PageBuddy(page) && i > 0) {
		kb_violation_set(s->v, "buddy-flag", nid, zid, pfn, (int)order, mt,
				 "pfn %#lx inside the free block at pfn %#lx order %u has PG_buddy",
				 p, pfn, order);
		return 1;
	}
	if (page_ref_count(page) != 0 || PageHead(page) || PageTail(page)) {
		kb_violation_set(s->v, pcp ? "pcp-page-state" : "free-page-state", nid, zid,
				 pfn, (int)order, mt,
				 "%s at pfn %#lx order %u: pfn %#lx has refcount %d%s%s",
				 what, pfn, order, p, page_ref_count(page),
				 PageHead(page) ? " and PG_head" : "",
				 PageTail(page) ? " and PG_tail" : "");
		return 1;
	}
	if (owner) {
		const struct kb_shadow_rec *r = &s->sh->rec[owner];

		kb_violation_set(s->v, "free-overlap", nid, zid, pfn, (int)order, mt,
				 "%s at pfn %#lx order %u covers pfn %#lx, held by a%u (pfn %#lx order %u)",
				 what, pfn, order, p, owner, r->pfn, r->order);
		return 1;
	}
	if (i > 0 && s->mark[p]) {
		kb_violation_set(s->v, "free-overlap", nid, zid, pfn, (int)order, mt,
				 "%s at pfn %#lx order %u covers pfn %#lx, which is %s",
				 what, pfn, order, p, describe_mark(s->mark[p], desc, sizeof(desc)));
		return 1;
	}
	return 0;
}

/*
 * The pages of one free block or pcp page: no PG_reserved, no PG_buddy
 * after the head, refcount 0 and no compound flags, held by nobody else.
 * Marks the pages after the head with body. The loop only tests that
 * nothing at all is wrong with a page; report_block_page says what is.
 */
static int check_block_pages(struct kb_sweep *s, int nid, int zid, unsigned long pfn,
			     unsigned int order, int mt, bool pcp, uint32_t body)
{
	const struct page *page = &s->kb->mem_map[pfn];
	const uint32_t *owner = s->sh->owner;
	uint32_t *mark = s->mark;
	unsigned long nr = 1UL << order;
	uint32_t head_bad = pcp ? KB_FREE_PAGE_BAD_FLAGS :
			    KB_FREE_PAGE_BAD_FLAGS & ~(1u << PG_buddy);

	if (((page->flags & head_bad) | (uint32_t)page->_refcount | owner[pfn]) &&
	    report_block_page(s, nid, zid, pfn, order, mt, pcp, 0))
		return 1;
	for (unsigned long i = 1; i < nr; i++) {
		unsigned long p = pfn + i;

		if (((page[i].flags & KB_FREE_PAGE_BAD_FLAGS) | (uint32_t)page[i]._refcount |
		     owner[p] | mark[p]) &&
		    report_block_page(s, nid, zid, pfn, order, mt, pcp, i))
			return 1;
		mark[p] = body;
	}
	return 0;
}

static int check_free_block(struct kb_sweep *s, int nid, int zid, unsigned int o,
			    int mt, unsigned long pfn)
{
	const struct kb_instance *kb = s->kb;
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	const struct page *page = &kb->mem_map[pfn];
	unsigned long nr = 1UL << o;
	int bmt;

	if (!PageBuddy(page)) {
		kb_violation_set(s->v, "buddy-flag", nid, zid, pfn, (int)o, mt,
				 "pfn %#lx heads a block on free_area[%u].free_list[%s] without PG_buddy",
				 pfn, o, kb_migratetype_name(mt));
		return 1;
	}
	if (buddy_order(page) != o) {
		kb_violation_set(s->v, "buddy-flag", nid, zid, pfn, (int)o, mt,
				 "pfn %#lx on free_area[%u].free_list[%s] has private %lu",
				 pfn, o, kb_migratetype_name(mt), buddy_order(page));
		return 1;
	}
	/* before anything reads a page past the head: the block must have struct pages */
	if (!kb_pfn_range_valid(kb, pfn, pfn + nr)) {
		kb_violation_set(s->v, "section-free-block", nid, zid, pfn, (int)o, mt,
				 "free block [%#lx, %#lx) on free_area[%u].free_list[%s] reaches a missing section",
				 pfn, pfn + nr, o, kb_migratetype_name(mt));
		return 1;
	}
	if (pfn & (nr - 1)) {
		kb_violation_set(s->v, "order-alignment", nid, zid, pfn, (int)o, mt,
				 "free block at pfn %#lx is not aligned to its order %u", pfn, o);
		return 1;
	}
	if (nr > zone_end_pfn(zone) - pfn) {
		kb_violation_set(s->v, "block-boundary", nid, zid, pfn, (int)o, mt,
				 "free block [%#lx, %#lx) crosses the end of the zone's span [%#lx, %#lx)",
				 pfn, pfn + nr, zone->zone_start_pfn, zone_end_pfn(zone));
		return 1;
	}
	bmt = get_pfnblock_migratetype(kb, pfn);
	if (!kb_list_type_fits(bmt, mt)) {
		kb_violation_set(s->v, "list-type", nid, zid, pfn, (int)o, mt,
				 "free block at pfn %#lx order %u is on the %s list but its pageblock is %s",
				 pfn, o, kb_migratetype_name(mt), kb_migratetype_name(bmt));
		return 1;
	}
	if (o >= kb->pageblock_order) {
		for (unsigned long b = pfn + kb->pageblock_nr_pages; b < pfn + nr;
		     b += kb->pageblock_nr_pages) {
			bmt = get_pfnblock_migratetype(kb, b);
			if (!kb_list_type_fits(bmt, mt)) {
				kb_violation_set(s->v, "large-block-type", nid, zid, pfn, (int)o, mt,
						 "free block at pfn %#lx order %u on the %s list spans pageblock %#lx of type %s",
						 pfn, o, kb_migratetype_name(mt), b,
						 kb_migratetype_name(bmt));
				return 1;
			}
		}
	}
	if (!s->heads_only &&
	    check_block_pages(s, nid, zid, pfn, o, mt, false,
			      kb_mark(kb_free_list_id(nid, zid, o, mt), KB_MARK_FREE_BODY)))
		return 1;
	s->tally[nid][zid].free += nr;
	return 0;
}

int kb_sweep_free_blocks(struct kb_sweep *s)
{
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = kb_sweep_zone(s, nid, zid);

			for (unsigned int o = 0; o < KB_NR_ORDERS_MAX; o++) {
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					struct list_head *head = &zone->free_area[o].free_list[mt];
					struct list_head *pos;

					if (kb_list_unset(head))
						continue;
					list_for_each(pos, head) {
						struct page *page = list_entry(pos, struct page, lru);

						if (check_free_block(s, nid, zid, o, mt,
								     page_to_pfn(s->kb, page)))
							return 1;
					}
				}
			}
		}
	}
	return 0;
}

static int check_pcp_page(struct kb_sweep *s, int nid, int zid, int cpu,
			  unsigned int pi, unsigned long pfn)
{
	const struct kb_instance *kb = s->kb;
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	unsigned int order = pindex_to_order(kb, pi);
	unsigned long nr = 1UL << order;
	int mt = pi < NR_LOWORDER_PCP_LISTS ? (int)(pi % MIGRATE_PCPTYPES) :
		 pi == NR_LOWORDER_PCP_LISTS + 1 ? MIGRATE_MOVABLE : -1;

	if (pi >= NR_LOWORDER_PCP_LISTS && kb->pageblock_order <= PAGE_ALLOC_COSTLY_ORDER) {
		kb_violation_set(s->v, "pcp-page-state", nid, zid, pfn, (int)order, mt,
				 "pfn %#lx is on cpu %d THP pcp list %u, unused with pageblock_order %u",
				 pfn, cpu, pi, kb->pageblock_order);
		return 1;
	}
	if (pfn & (nr - 1)) {
		kb_violation_set(s->v, "order-alignment", nid, zid, pfn, (int)order, mt,
				 "pcp page at pfn %#lx on cpu %d list %u is not aligned to order %u",
				 pfn, cpu, pi, order);
		return 1;
	}
	if (nr > zone_end_pfn(zone) - pfn) {
		kb_violation_set(s->v, "block-boundary", nid, zid, pfn, (int)order, mt,
				 "pcp page [%#lx, %#lx) crosses the end of the zone's span [%#lx, %#lx)",
				 pfn, pfn + nr, zone->zone_start_pfn, zone_end_pfn(zone));
		return 1;
	}
	if (!s->heads_only &&
	    check_block_pages(s, nid, zid, pfn, order, mt, true,
			      kb_mark(kb_pcp_list_id(nid, zid, cpu, pi), KB_MARK_PCP_BODY)))
		return 1;
	s->tally[nid][zid].pcp += nr;
	return 0;
}

int kb_sweep_pcp_pages(struct kb_sweep *s)
{
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = kb_sweep_zone(s, nid, zid);

			for (int cpu = 0; cpu < s->nr_cpus; cpu++) {
				struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

				for (unsigned int pi = 0; pi < NR_PCP_LISTS; pi++) {
					struct list_head *pos;

					if (kb_list_unset(&pcp->lists[pi]))
						continue;
					list_for_each(pos, &pcp->lists[pi]) {
						struct page *page = list_entry(pos, struct page, lru);

						if (check_pcp_page(s, nid, zid, cpu, pi,
								   page_to_pfn(s->kb, page)))
							return 1;
					}
				}
			}
		}
	}
	return 0;
}

/*
 * Whether free buddies of order o with list types mt and bmt would have
 * merged in __free_one_page: always below pageblock_order; at or above it
 * when the types are equal or both mergeable, and neither is isolated (two
 * isolated buddies may legitimately stay apart until unisolation).
 */
static bool could_merge(const struct kb_instance *kb, unsigned int o, int mt, int bmt)
{
	if (o < kb->pageblock_order)
		return true;
	if (is_migrate_isolate(mt) || is_migrate_isolate(bmt))
		return false;
	return mt == bmt || (migratetype_is_mergeable(mt) && migratetype_is_mergeable(bmt));
}

int kb_sweep_merged(struct kb_sweep *s)
{
	const struct kb_instance *kb = s->kb;
	/*
	 * Below pageblock_order buddies share a pageblock and always merge.
	 * From pageblock_order up, merging depends on the blocks' types when
	 * one was freed: unreserve_highatomic_pageblock retypes a free
	 * HIGHATOMIC block without merging it, so afterwards it may sit
	 * beside a buddy it could merge with now, as in the kernel. Those
	 * orders are checked until the first unreserve (the level-2 checker
	 * checks every merge when it happens).
	 */
	unsigned int merge_orders = kb->vm_events[HIGHATOMIC_UNRESERVE] ?
				    KB_MIN(kb->max_order, kb->pageblock_order) : kb->max_order;

	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = kb_sweep_zone(s, nid, zid);

			for (unsigned int o = 0; o < merge_orders; o++) {
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					struct list_head *head = &zone->free_area[o].free_list[mt];
					struct list_head *pos;

					if (kb_list_unset(head))
						continue;
					list_for_each(pos, head) {
						struct page *page = list_entry(pos, struct page, lru);
						unsigned long pfn = page_to_pfn(kb, page);
						unsigned long buddy = pfn ^ (1UL << o);
						struct kb_list_id l;
						uint32_t m;

						if (buddy >= kb->max_pfn || !zone_spans_pfn(zone, buddy))
							continue;
						m = s->mark[buddy];
						if (kb_mark_kind(m) != KB_MARK_FREE_HEAD)
							continue;
						kb_list_id_decode(kb_mark_list(m), &l);
						if (l.nid != nid || l.zid != zid || l.order != o)
							continue;
						if (!could_merge(kb, o, mt, l.mt))
							continue;
						kb_violation_set(s->v, "fully-merged", nid, zid, pfn, (int)o, mt,
								 "free buddies at pfn %#lx (%s) and pfn %#lx (%s) of order %u were not merged",
								 pfn, kb_migratetype_name(mt), buddy,
								 kb_migratetype_name(l.mt), o);
						return 1;
					}
				}
			}
		}
	}
	return 0;
}
