/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 1: list integrity. Walks every free list and every pcp list
 * without trusting a single pointer: each entry must be the lru of a struct
 * page inside mem_map, inside the list's zone, linked back to its
 * predecessor. Each head is marked with its list id, which finds cycles and
 * pages that sit on two lists. Later phases rely on what this one proved.
 */
#include <limits.h>
#include <stdio.h>

#include "check_internal.h"

void kb_list_id_decode(unsigned int id, struct kb_list_id *out)
{
	unsigned int zi = id / KB_LISTS_PER_ZONE;
	unsigned int local = id % KB_LISTS_PER_ZONE;

	out->nid = (int)(zi / MAX_NR_ZONES);
	out->zid = (int)(zi % MAX_NR_ZONES);
	out->pcp = local >= KB_FREE_LISTS_PER_ZONE;
	if (!out->pcp) {
		out->order = local / MIGRATE_TYPES;
		out->mt = (int)(local % MIGRATE_TYPES);
		out->cpu = -1;
		out->pindex = 0;
	} else {
		local -= KB_FREE_LISTS_PER_ZONE;
		out->cpu = (int)(local / NR_PCP_LISTS);
		out->pindex = local % NR_PCP_LISTS;
		out->order = 0;
		out->mt = -1;
	}
}

/* Names a list for a detail sentence. */
static const char *list_name(const struct kb_sweep *s, unsigned int id,
			     char *buf, size_t len)
{
	struct kb_list_id l;

	kb_list_id_decode(id, &l);
	if (l.pcp)
		snprintf(buf, len, "node %d zone %s cpu %d pcp list %u (order %u)",
			 l.nid, kb_zone_name((enum zone_type)l.zid), l.cpu, l.pindex,
			 pindex_to_order(s->kb, l.pindex));
	else
		snprintf(buf, len, "node %d zone %s free_area[%u].free_list[%s]",
			 l.nid, kb_zone_name((enum zone_type)l.zid), l.order,
			 kb_migratetype_name(l.mt));
	return buf;
}

/*
 * The pfn of the struct page whose lru is entry, or ULONG_MAX when entry
 * is not the lru of a page in mem_map. Compares addresses as integers so a
 * wild pointer is never dereferenced.
 */
static unsigned long lru_to_pfn(const struct kb_instance *kb, const struct list_head *entry)
{
	uintptr_t base = (uintptr_t)&kb->mem_map[0].lru;
	uintptr_t p = (uintptr_t)entry;
	uintptr_t off;

	if (!kb->mem_map || p < base)
		return ULONG_MAX;
	off = p - base;
	if (off % sizeof(struct page))
		return ULONG_MAX;
	off /= sizeof(struct page);
	if (off >= kb->max_pfn)
		return ULONG_MAX;
	return (unsigned long)off;
}

/*
 * Walks one list. id names it; zone is its zone; pcp lists also require
 * each page's zone and node fields to match. Counts entries into *nr.
 */
static int walk_list(struct kb_sweep *s, const struct list_head *head,
		     unsigned int id, int nid, int zid, bool pcp, bool above_max,
		     unsigned long *nr)
{
	struct kb_instance *kb = s->kb;
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	unsigned int kind = pcp ? KB_MARK_PCP_HEAD : KB_MARK_FREE_HEAD;
	const struct list_head *prev = head, *cur;
	unsigned long count = 0, last_pfn = ULONG_MAX;
	char name[96];
	int order = -1, mt = -1;
	struct kb_list_id l;

	/* most lists are empty: nothing to walk */
	if (head->next == head && head->prev == head) {
		*nr = 0;
		return 0;
	}
	kb_list_id_decode(id, &l);
	if (!l.pcp) {
		order = (int)l.order;
		mt = l.mt;
	} else {
		order = (int)pindex_to_order(kb, l.pindex);
	}

	if (kb_list_unset(head)) {
		if (zone->initialized)
			goto unset;
		return 0;
	}
	for (cur = head->next; cur != head; prev = cur, cur = cur->next) {
		unsigned long pfn = lru_to_pfn(kb, cur);
		const struct page *page;
		uint32_t m;

		if (pfn == ULONG_MAX) {
			if (last_pfn == ULONG_MAX)
				kb_violation_set(s->v, "list-integrity", nid, zid, 0, order, mt,
						 "the first entry of %s is not a struct page in mem_map",
						 list_name(s, id, name, sizeof(name)));
			else
				kb_violation_set(s->v, "list-integrity", nid, zid, last_pfn,
						 order, mt,
						 "the entry after pfn %#lx on %s is not a struct page in mem_map",
						 last_pfn, list_name(s, id, name, sizeof(name)));
			return 1;
		}
		if (!pfn_valid(kb, pfn)) {
			kb_violation_set(s->v, "section-page", nid, zid, pfn, order, mt,
					 "pfn %#lx on %s is in missing section %lu: it has no struct page",
					 pfn, list_name(s, id, name, sizeof(name)), pfn_to_section_nr(pfn));
			return 1;
		}
		page = &kb->mem_map[pfn];
		if (above_max) {
			kb_violation_set(s->v, "list-integrity", nid, zid, pfn, order, mt,
					 "pfn %#lx is on %s, above MAX_PAGE_ORDER %u",
					 pfn, list_name(s, id, name, sizeof(name)), kb->max_order);
			return 1;
		}
		if (!zone_spans_pfn(zone, pfn) || page->zone != zid || page->node != nid) {
			kb_violation_set(s->v, "list-integrity", nid, zid, pfn, order, mt,
					 "pfn %#lx (page zone %u node %u) is on %s, which spans [%#lx, %#lx)",
					 pfn, page->zone, page->node,
					 list_name(s, id, name, sizeof(name)),
					 zone->zone_start_pfn, zone_end_pfn(zone));
			return 1;
		}
		m = s->mark[pfn];
		if (m && kb_mark_list(m) == id) {
			kb_violation_set(s->v, "list-integrity", nid, zid, pfn, order, mt,
					 "%s has a cycle: pfn %#lx comes again after %lu entries",
					 list_name(s, id, name, sizeof(name)), pfn, count);
			return 1;
		}
		if (m) {
			char other[96];

			kb_violation_set(s->v, "buddy-flag", nid, zid, pfn, order, mt,
					 "pfn %#lx is on two lists: %s and %s",
					 pfn, list_name(s, kb_mark_list(m), other, sizeof(other)),
					 list_name(s, id, name, sizeof(name)));
			return 1;
		}
		if (cur->prev != prev) {
			if (last_pfn == ULONG_MAX)
				kb_violation_set(s->v, "list-integrity", nid, zid, pfn, order, mt,
						 "pfn %#lx, first on %s, has prev not pointing at the list head",
						 pfn, list_name(s, id, name, sizeof(name)));
			else
				kb_violation_set(s->v, "list-integrity", nid, zid, pfn, order, mt,
						 "pfn %#lx on %s has prev not pointing at pfn %#lx, whose next it is",
						 pfn, list_name(s, id, name, sizeof(name)), last_pfn);
			return 1;
		}
		if (++count > kb->max_pfn) {
			kb_violation_set(s->v, "list-integrity", nid, zid, pfn, order, mt,
					 "%s has more entries than there are pfns",
					 list_name(s, id, name, sizeof(name)));
			return 1;
		}
		s->mark[pfn] = kb_mark(id, kind);
		last_pfn = pfn;
	}
	if (head->prev != prev) {
		if (last_pfn == ULONG_MAX)
			kb_violation_set(s->v, "list-integrity", nid, zid, 0, order, mt,
					 "%s is empty but its head's prev points elsewhere",
					 list_name(s, id, name, sizeof(name)));
		else
			kb_violation_set(s->v, "list-integrity", nid, zid, last_pfn, order, mt,
					 "the head of %s has prev not pointing at its last entry pfn %#lx",
					 list_name(s, id, name, sizeof(name)), last_pfn);
		return 1;
	}
	*nr = count;
	return 0;

unset:
	kb_violation_set(s->v, "list-integrity", nid, zid, 0, order, mt,
			 "%s of an initialized zone has NULL links",
			 list_name(s, id, name, sizeof(name)));
	return 1;
}

int kb_sweep_lists(struct kb_sweep *s)
{
	struct kb_instance *kb = s->kb;

	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = kb_sweep_zone(s, nid, zid);

			for (unsigned int o = 0; o < KB_NR_ORDERS_MAX; o++) {
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					const struct list_head *head = &zone->free_area[o].free_list[mt];

					/* empty: nothing to walk (nr_blocks is 0 already) */
					if (head->next == head && head->prev == head)
						continue;
					if (walk_list(s, head,
						      kb_free_list_id(nid, zid, o, mt), nid, zid,
						      false, o > kb->max_order,
						      &s->nr_blocks[nid][zid][o][mt]))
						return 1;
				}
			}
		}
	}
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = kb_sweep_zone(s, nid, zid);

			for (int cpu = 0; cpu < s->nr_cpus; cpu++) {
				struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

				for (unsigned int pi = 0; pi < NR_PCP_LISTS; pi++) {
					const struct list_head *head = &pcp->lists[pi];
					unsigned long nr = 0;

					if (head->next == head && head->prev == head)
						continue;
					if (walk_list(s, head,
						      kb_pcp_list_id(nid, zid, cpu, pi), nid, zid,
						      true, false, &nr))
						return 1;
					s->pcp_pages[nid][zid][cpu][pi] =
						nr << pindex_to_order(kb, pi);
				}
			}
		}
	}
	return 0;
}
