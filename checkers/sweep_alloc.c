/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 4: every live allocation of the shadow, as prep_new_page and
 * prep_compound_page left it. The head holds the references its holders
 * took; no page carries PG_buddy or PG_reserved or lies outside the head's
 * zone; compound pages have a consistent head and tails, plain ones no
 * compound flags and unreferenced tail pages, contiguous ranges one
 * reference on every page.
 */
#include <stdio.h>

#include "check_internal.h"

/* The head page: node and zone, the span it lies in, its reference and compound flags. */
int kb_sweep_alloc_head(struct kb_sweep *s, unsigned int h, const struct kb_shadow_rec *r)
{
	const struct kb_instance *kb = s->kb;
	const struct page *head = &kb->mem_map[r->pfn];
	unsigned long pfn = r->pfn, nr = r->nr;
	int order = r->order, nid = head->node, zid = head->zone;
	const struct zone *zone;

	if (head->node >= s->nr_nodes || head->zone >= MAX_NR_ZONES) {
		kb_violation_set(s->v, "alloc-page-state", -1, -1, pfn, order, -1,
				 "a%u at pfn %#lx: head page names node %u zone %u, which do not exist",
				 h, pfn, head->node, head->zone);
		return 1;
	}
	zone = kb_sweep_zone(s, nid, zid);
	if (!zone_spans_pfn(zone, pfn) || nr > zone_end_pfn(zone) - pfn) {
		kb_violation_set(s->v, "alloc-page-state", nid, zid, pfn, order, -1,
				 "a%u [%#lx, %#lx) is not inside its head's zone span [%#lx, %#lx)",
				 h, pfn, pfn + nr, zone->zone_start_pfn, zone_end_pfn(zone));
		return 1;
	}
	if (r->poisoned != PageHWPoison(head)) {
		kb_violation_set(s->v, "hwpoison-state", nid, zid, pfn, order, -1,
				 r->poisoned ? "pfn %#lx, poisoned by soft offline, lost PG_hwpoison" :
					       "pfn %#lx, the head of a live allocation, has PG_hwpoison",
				 pfn);
		return 1;
	}
	if (page_ref_count(head) != r->refs) {
		kb_violation_set(s->v, "alloc-page-state", nid, zid, pfn, order, -1,
				 "a%u at pfn %#lx order %u: head refcount %d, its holders have %u",
				 h, pfn, r->order, page_ref_count(head), r->refs);
		return 1;
	}
	if (r->compound) {
		if (!PageHead(head) || PageTail(head) || head->compound_order != r->order) {
			kb_violation_set(s->v, "compound", nid, zid, pfn, order, -1,
					 "compound a%u at pfn %#lx order %u: head has%s PG_head%s, compound_order %u",
					 h, pfn, r->order, PageHead(head) ? "" : " no",
					 PageTail(head) ? " and PG_tail" : "", head->compound_order);
			return 1;
		}
	} else if (PageHead(head) || PageTail(head)) {
		kb_violation_set(s->v, "compound", nid, zid, pfn, order, -1,
				 "plain a%u at pfn %#lx order %u: head has %s",
				 h, pfn, r->order, PageHead(head) ? "PG_head" : "PG_tail");
		return 1;
	}
	return 0;
}

static int check_allocation(struct kb_sweep *s, unsigned int h,
			    const struct kb_shadow_rec *r)
{
	const struct kb_instance *kb = s->kb;
	const struct page *head = &kb->mem_map[r->pfn];
	unsigned long pfn = r->pfn, nr = r->nr;
	int order = r->order, nid = head->node, zid = head->zone;

	if (kb_sweep_alloc_head(s, h, r))
		return 1;
	for (unsigned long i = 0; i < nr; i++) {
		unsigned long p = pfn + i;
		const struct page *page = &kb->mem_map[p];

		if (PageBuddy(page) || PageReserved(page)) {
			kb_violation_set(s->v, "alloc-page-state", nid, zid, pfn, order, -1,
					 "a%u at pfn %#lx order %u: pfn %#lx has %s", h, pfn,
					 r->order, p, PageBuddy(page) ? "PG_buddy" : "PG_reserved");
			return 1;
		}
		if (i == 0)
			continue;
		if (r->compound) {
			if (!PageTail(page) || PageHead(page) || page->compound_head != pfn ||
			    page_ref_count(page) != 0) {
				kb_violation_set(s->v, "compound", nid, zid, pfn, order, -1,
						 "compound a%u at pfn %#lx order %u: tail pfn %#lx has%s PG_tail%s, compound_head %#lx, refcount %d",
						 h, pfn, r->order, p, PageTail(page) ? "" : " no",
						 PageHead(page) ? " and PG_head" : "",
						 page->compound_head, page_ref_count(page));
				return 1;
			}
			continue;
		}
		if (PageHead(page) || PageTail(page)) {
			kb_violation_set(s->v, "compound", nid, zid, pfn, order, -1,
					 "plain a%u at pfn %#lx order %u: pfn %#lx has %s",
					 h, pfn, r->order, p, PageHead(page) ? "PG_head" : "PG_tail");
			return 1;
		}
		if (page_ref_count(page) != (r->contig ? 1 : 0)) {
			kb_violation_set(s->v, "alloc-page-state", nid, zid, pfn, order, -1,
					 "%s a%u at pfn %#lx: pfn %#lx has refcount %d",
					 r->contig ? "contiguous" : "plain", h, pfn, p,
					 page_ref_count(page));
			return 1;
		}
	}
	s->tally[nid][zid].allocated += nr;
	return 0;
}

int kb_sweep_allocations(struct kb_sweep *s)
{
	const struct kb_shadow *sh = s->sh;

	for (unsigned int h = 1; h <= sh->hi_handle && h < sh->rec_cap; h++) {
		if (!sh->rec[h].live)
			continue;
		if (check_allocation(s, h, &sh->rec[h]))
			return 1;
	}
	return 0;
}
