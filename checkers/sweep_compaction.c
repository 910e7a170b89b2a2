/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 9: the state compaction keeps between runs. Each populated
 * zone's deferral counters stay inside the bounds mm/compaction.c gives
 * them, and a pageblock's compaction skip bit is only ever set on a
 * pageblock some populated zone spans (the scanners set it through a page
 * of the zone they compact). The bounds are the kernel's, written out here
 * rather than taken from core/compaction.h.
 *
 * The same file checks a compaction while it runs (kb_check_compaction_round,
 * called through kb->compaction_hooks at the start of each round of
 * compact_zone, after the migrate scanner isolated and before the isolated
 * free pages go back) and the page it captured for an allocation
 * (kb_check_compaction_capture): the scanners stay inside their zone and
 * never cross, every isolated block is one the zone gave up and is counted
 * once, and a captured page has left the free lists with the counters
 * telling the same story. Only compact_control's fields are read; no
 * compaction function is called.
 */
#include <limits.h>
#include <stdio.h>

#include "check_internal.h"
#include "compaction.h"

/* mm/compaction.c: COMPACT_MAX_DEFER_SHIFT */
#define CHECK_COMPACT_MAX_DEFER_SHIFT	6

/*
 * defer_compaction caps compact_defer_shift at COMPACT_MAX_DEFER_SHIFT;
 * compaction_deferred caps compact_considered at 1 << compact_defer_shift
 * (the shift only drops to 0 together with the count); compact_order_failed
 * is an order that failed (>= 0) or one past an order that succeeded
 * (<= MAX_PAGE_ORDER + 1).
 */
static int check_defer(struct kb_sweep *s, int nid, int zid)
{
	const struct zone *zone = kb_sweep_zone(s, nid, zid);
	unsigned int shift = zone->compact_defer_shift;

	if (shift > CHECK_COMPACT_MAX_DEFER_SHIFT) {
		kb_violation_set(s->v, "compaction-defer", nid, zid, zone->zone_start_pfn, -1, -1,
				 "compact_defer_shift is %u, above COMPACT_MAX_DEFER_SHIFT %d",
				 shift, CHECK_COMPACT_MAX_DEFER_SHIFT);
		return 1;
	}
	if (zone->compact_considered > 1UL << shift) {
		kb_violation_set(s->v, "compaction-defer", nid, zid, zone->zone_start_pfn, -1, -1,
				 "compact_considered is %u, above 1 << compact_defer_shift (%lu)",
				 zone->compact_considered, 1UL << shift);
		return 1;
	}
	if (zone->compact_order_failed < 0 ||
	    zone->compact_order_failed > (int)s->kb->max_order + 1) {
		kb_violation_set(s->v, "compaction-defer", nid, zid, zone->zone_start_pfn, -1, -1,
				 "compact_order_failed is %d, outside [0, MAX_PAGE_ORDER + 1 = %u]",
				 zone->compact_order_failed, s->kb->max_order + 1);
		return 1;
	}
	return 0;
}

/* Some populated zone's span meets pageblock b. */
static bool block_in_populated_zone(const struct kb_sweep *s, unsigned long b)
{
	unsigned long start = b << s->kb->pageblock_order;
	unsigned long end = start + s->kb->pageblock_nr_pages;

	for (int nid = 0; nid < s->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = kb_sweep_zone(s, nid, zid);

			if (zone->present_pages && zone->zone_start_pfn < end &&
			    zone_end_pfn(zone) > start)
				return true;
		}
	return false;
}

static int check_skip_bits(struct kb_sweep *s)
{
	const struct kb_instance *kb = s->kb;

	unsigned long lo, hi;

	/* pageblocks of missing sections have no flags */
	for_each_valid_range(kb, 0, kb->max_pfn, lo, hi) {
		for (unsigned long b = lo >> kb->pageblock_order; b << kb->pageblock_order < hi; b++) {
			if (!(*pfnblock_flags(kb, b << kb->pageblock_order) & PB_compact_skip))
				continue;
			if (!block_in_populated_zone(s, b)) {
				kb_violation_set(s->v, "compaction-skip", -1, -1,
						 b << kb->pageblock_order, -1, -1,
						 "pageblock at pfn %#lx has the compaction skip bit but no populated zone spans it",
						 b << kb->pageblock_order);
				return 1;
			}
		}
	}
	return 0;
}

/*
 * Where the migrate scanner's restart points may be: compact_zone puts
 * them at the zone's start when they lie outside it, and the scanner
 * records the end of a pageblock it scanned, which lies below the free
 * scanner: [zone_start_pfn, the end of the zone's last pageblock]. (The
 * free scanner's restart point is not bounded: fast_isolate_freepages
 * sets it a pageblock below the highest block it saw, below the zone or
 * wrapped around 0 for a zone starting inside its first pageblock, and
 * compact_zone puts it back at the next start; the kernel does the same.)
 */
static bool cached_migrate_inside(const struct kb_instance *kb, const struct zone *zone,
				  unsigned long pfn)
{
	unsigned long last_block_end = ((zone_end_pfn(zone) - 1) | (kb->pageblock_nr_pages - 1)) + 1;

	return pfn >= zone->zone_start_pfn && pfn <= last_block_end;
}

/* Between runs: never run (0), or inside the zone as above. */
static int check_cached_pfns(struct kb_sweep *s, int nid, int zid)
{
	const struct zone *zone = kb_sweep_zone(s, nid, zid);

	for (int sync = 0; sync < 2; sync++) {
		unsigned long pfn = zone->compact_cached_migrate_pfn[sync];

		if (pfn && !cached_migrate_inside(s->kb, zone, pfn)) {
			kb_violation_set(s->v, "compaction-scanners", nid, zid, pfn, -1, -1,
					 "compact_cached_migrate_pfn[%d] is %#lx, outside zone %s [%#lx, %#lx)",
					 sync, pfn, zone->name, zone->zone_start_pfn,
					 zone_end_pfn(zone));
			return 1;
		}
	}
	return 0;
}

int kb_sweep_compaction(struct kb_sweep *s)
{
	for (int nid = 0; nid < s->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (kb_sweep_zone(s, nid, zid)->present_pages &&
			    (check_defer(s, nid, zid) || check_cached_pfns(s, nid, zid)))
				return 1;
	return check_skip_bits(s);
}

/* --- a compaction while it runs --- */

/* pfn of a list entry that is a struct page's lru in mem_map, else ULONG_MAX */
static unsigned long entry_pfn(const struct kb_instance *kb, const struct list_head *entry)
{
	uintptr_t base = (uintptr_t)&kb->mem_map[0].lru;
	uintptr_t p = (uintptr_t)entry;

	if (p < base || (p - base) % sizeof(struct page) ||
	    !pfn_valid(kb, (p - base) / sizeof(struct page)))
		return ULONG_MAX;
	return (unsigned long)((p - base) / sizeof(struct page));
}

/* [pfn, pfn + nr) lies in zone's span and every page of it says zone. */
static bool block_of_zone(const struct kb_instance *kb, const struct zone *zone,
			  unsigned long pfn, unsigned long nr)
{
	if (pfn < zone->zone_start_pfn || pfn + nr > zone_end_pfn(zone) || pfn + nr < pfn)
		return false;
	for (unsigned long i = 0; i < nr; i += nr > 1 ? nr - 1 : 1) {
		const struct page *page = &kb->mem_map[pfn + i];

		if (page->zone != zone_idx(zone) || page->node != zone_to_nid(zone))
			return false;
	}
	return true;
}

/*
 * compaction-scanners: the migrate scanner inside [zone_start_pfn,
 * zone_end_pfn], the free scanner no lower than the zone's first
 * pageblock and no higher than its end, never in a pageblock below the
 * migrate scanner's (compact_scanners_met compares pageblocks: the free
 * scanner may stop inside the migrate scanner's block, not under it),
 * and the migrate restart points inside the zone.
 */
static int check_scanners(const struct kb_instance *kb, const struct compact_control *cc,
			  struct kb_violation *v)
{
	const struct zone *zone = cc->zone;
	unsigned long start = zone->zone_start_pfn, end = zone_end_pfn(zone);
	unsigned long first_block = start & ~(kb->pageblock_nr_pages - 1);
	int nid = zone_to_nid(zone), zid = zone_idx(zone);

	if (cc->migrate_pfn < start || cc->migrate_pfn > end) {
		kb_violation_set(v, "compaction-scanners", nid, zid, cc->migrate_pfn, -1, -1,
				 "the migrate scanner is at %#lx, outside zone %s [%#lx, %#lx)",
				 cc->migrate_pfn, zone->name, start, end);
		return 1;
	}
	if (cc->free_pfn < first_block || cc->free_pfn > end) {
		kb_violation_set(v, "compaction-scanners", nid, zid, cc->free_pfn, -1, -1,
				 "the free scanner is at %#lx, outside zone %s [%#lx, %#lx)",
				 cc->free_pfn, zone->name, start, end);
		return 1;
	}
	if (cc->free_pfn >> kb->pageblock_order < cc->migrate_pfn >> kb->pageblock_order) {
		kb_violation_set(v, "compaction-scanners", nid, zid, cc->free_pfn, -1, -1,
				 "the free scanner at %#lx is in a pageblock below the migrate scanner's at %#lx: the scanners crossed",
				 cc->free_pfn, cc->migrate_pfn);
		return 1;
	}
	for (int sync = 0; sync < 2; sync++) {
		unsigned long pfn = zone->compact_cached_migrate_pfn[sync];

		/* a whole-zone run starts at the zone's start and leaves 0 (never run) as it is */
		if (pfn && !cached_migrate_inside(kb, zone, pfn)) {
			kb_violation_set(v, "compaction-scanners", nid, zid, pfn, -1, -1,
					 "while zone %s is compacted, compact_cached_migrate_pfn[%d] is %#lx, outside [%#lx, %#lx)",
					 zone->name, sync, pfn, start, end);
			return 1;
		}
	}
	return 0;
}

/*
 * compaction-isolated, the free side: every block on cc->freepages[order]
 * is an order-aligned block of the zone, off the free lists (no PG_buddy)
 * and unreferenced with its order in page_private, and the blocks add up
 * to nr_freepages.
 */
static int check_isolated_free(const struct kb_instance *kb, const struct compact_control *cc,
			       struct kb_violation *v)
{
	const struct zone *zone = cc->zone;
	int nid = zone_to_nid(zone), zid = zone_idx(zone);
	unsigned long pages = 0;

	for (unsigned int order = 0; order <= kb->max_order; order++) {
		const struct list_head *head = &cc->freepages[order], *cur;
		unsigned long steps = 0;

		for (cur = head->next; cur != head; cur = cur->next) {
			unsigned long pfn = entry_pfn(kb, cur);
			const struct page *page;

			/* each entry holds a page at least: more entries than pages is a cycle */
			if (pfn == ULONG_MAX || ++steps > cc->nr_freepages) {
				kb_violation_set(v, "compaction-isolated", nid, zid, 0, (int)order, -1,
						 "cc->freepages[%u] holds %s after %lu entries (nr_freepages %lu)",
						 order, pfn == ULONG_MAX ? "an entry not in mem_map" :
						 "more entries than isolated pages", steps, cc->nr_freepages);
				return 1;
			}
			page = &kb->mem_map[pfn];
			if ((pfn & ((1UL << order) - 1)) || !block_of_zone(kb, zone, pfn, 1UL << order)) {
				kb_violation_set(v, "compaction-isolated", nid, zid, pfn, (int)order, -1,
						 "isolated free block at %#lx of order %u is not an aligned block of zone %s [%#lx, %#lx)",
						 pfn, order, zone->name, zone->zone_start_pfn,
						 zone_end_pfn(zone));
				return 1;
			}
			if (PageBuddy(page) || page->private != order || page_ref_count(page)) {
				kb_violation_set(v, "compaction-isolated", nid, zid, pfn, (int)order, -1,
						 "isolated free block at %#lx on the order-%u list %s (page_private %lu, refcount %d)",
						 pfn, order, PageBuddy(page) ? "is still PG_buddy" :
						 page_ref_count(page) ? "has a reference (it was handed out)" :
						 "says another order", page->private, page_ref_count(page));
				return 1;
			}
			pages += 1UL << order;
		}
	}
	if (pages != cc->nr_freepages) {
		kb_violation_set(v, "compaction-isolated", nid, zid, zone->zone_start_pfn, -1, -1,
				 "the free scanner's lists hold %lu pages but nr_freepages is %lu",
				 pages, cc->nr_freepages);
		return 1;
	}
	return 0;
}

/*
 * compaction-isolated, the migrate side: every isolated block is an
 * allocated block of the zone on the owner's LRU, and their pages add up
 * to nr_migratepages.
 */
static int check_isolated_migrate(const struct kb_instance *kb, const struct compact_control *cc,
				  struct kb_violation *v)
{
	const struct zone *zone = cc->zone;
	int nid = zone_to_nid(zone), zid = zone_idx(zone);
	unsigned long pages = 0;

	if (cc->nr_migrate_blocks > KB_COMPACT_MIGRATE_MAX) {
		kb_violation_set(v, "compaction-isolated", nid, zid, zone->zone_start_pfn, -1, -1,
				 "%u blocks isolated for migration, more than the %d there is room for",
				 cc->nr_migrate_blocks, KB_COMPACT_MIGRATE_MAX);
		return 1;
	}
	for (unsigned int i = 0; i < cc->nr_migrate_blocks; i++) {
		unsigned long pfn = cc->migratepages[i];
		const struct page *page = pfn_valid(kb, pfn) ? &kb->mem_map[pfn] : NULL;
		unsigned long nr = page && PageHead(page) ? 1UL << (page->compound_order & 63) : 1;

		if (!page || !block_of_zone(kb, zone, pfn, nr)) {
			kb_violation_set(v, "compaction-isolated", nid, zid, pfn, -1, -1,
					 "block at %#lx isolated for migration is outside zone %s [%#lx, %#lx)",
					 pfn, zone->name, zone->zone_start_pfn, zone_end_pfn(zone));
			return 1;
		}
		if (PageBuddy(page) || PageTail(page) || !PageLru(page) || page_ref_count(page) <= 0) {
			kb_violation_set(v, "compaction-isolated", nid, zid, pfn, -1, -1,
					 "block at %#lx isolated for migration is not an allocated block on the LRU (flags %#x, refcount %d)",
					 pfn, page->flags, page_ref_count(page));
			return 1;
		}
		pages += nr;
	}
	if (pages != cc->nr_migratepages) {
		kb_violation_set(v, "compaction-isolated", nid, zid, zone->zone_start_pfn, -1, -1,
				 "the %u blocks isolated for migration hold %lu pages but nr_migratepages is %lu",
				 cc->nr_migrate_blocks, pages, cc->nr_migratepages);
		return 1;
	}
	return 0;
}

/* mm/vmstat.c's fragmentation index of zone for order, from its free block counts. */
static int fragindex(const struct kb_instance *kb, const struct zone *zone, unsigned int order)
{
	unsigned long total = 0, pages = 0, suitable = 0;

	for (unsigned int o = 0; o <= kb->max_order; o++) {
		total += zone->free_area[o].nr_free;
		pages += zone->free_area[o].nr_free << o;
		if (o >= order)
			suitable += zone->free_area[o].nr_free << (o - order);
	}
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (int)((1000 + pages * 1000 / (1UL << order)) / total);
}

/*
 * compaction-decision: compaction runs only where mm/compaction.c lets it.
 * Direct compaction needs __GFP_IO (gfp_compaction_allowed); a compaction
 * for an order above PAGE_ALLOC_COSTLY_ORDER (3) needs the fragmentation
 * index outside [0, extfrag_threshold] (compaction_suitable: a failure
 * for lack of memory is reclaim's, not compaction's). The index is taken
 * in a first round, before anything was scanned or isolated: the free
 * lists are still the ones compaction_suitable read.
 */
static int check_decision(const struct kb_instance *kb, const struct compact_control *cc,
			  struct kb_violation *v)
{
	const struct zone *zone = cc->zone;
	int nid = zone_to_nid(zone), zid = zone_idx(zone);
	int fi;

	if (cc->direct_compaction && !(cc->gfp_mask & __GFP_IO)) {
		kb_violation_set(v, "compaction-decision", nid, zid, zone->zone_start_pfn,
				 cc->order, -1,
				 "direct compaction of zone %s runs for gfp %#x, which lacks __GFP_IO",
				 zone->name, (unsigned int)cc->gfp_mask);
		return 1;
	}
	if (cc->order <= 3 || cc->proactive_compaction || cc->total_migrate_scanned ||
	    cc->total_free_scanned || cc->nr_freepages || cc->nr_migratepages)
		return 0;
	fi = fragindex(kb, zone, (unsigned int)cc->order);
	if (fi >= 0 && fi <= kb->sysctl_extfrag_threshold) {
		kb_violation_set(v, "compaction-decision", nid, zid, zone->zone_start_pfn,
				 cc->order, -1,
				 "compaction of zone %s for order %d runs with fragmentation index %d, not above extfrag_threshold %d: a failure would be for lack of memory",
				 zone->name, cc->order, fi, kb->sysctl_extfrag_threshold);
		return 1;
	}
	return 0;
}

int kb_check_compaction_round(const struct kb_instance *kb, const struct compact_control *cc,
			      struct kb_violation *v)
{
	return check_scanners(kb, cc, v) || check_isolated_free(kb, cc, v) ||
	       check_isolated_migrate(kb, cc, v) || check_decision(kb, cc, v);
}

/*
 * The pageblock types compaction_capture refuses: CMA and isolated
 * pageblocks always, and below pageblock_order a MOVABLE one unless the
 * request is movable (the gfp's own mobility bits: with grouping by
 * mobility disabled the kernel refuses more, never less). *mt is the
 * type read from the pageblock's flags.
 */
static bool capture_block_refused(const struct kb_instance *kb, const struct compact_control *cc,
				  unsigned long pfn, int *mt)
{
	uint8_t flags = *pfnblock_flags(kb, pfn);
	bool movable_request = (cc->gfp_mask & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) == __GFP_MOVABLE;

	*mt = flags & PB_migrate_isolate ? MIGRATE_ISOLATE : (int)(flags & PB_MIGRATETYPE_MASK);
	if (*mt == MIGRATE_ISOLATE || *mt == MIGRATE_CMA)
		return true;
	return cc->order < (int)kb->pageblock_order && *mt == MIGRATE_MOVABLE && !movable_request;
}

/*
 * compaction-capture: the page compaction_capture took for an order-N
 * request is an aligned order-N block of the compacted zone, from a
 * pageblock the request may take, no longer PG_buddy nor on any free
 * list of the zone, and the zone's free counts
 * (free_area[].nr_free per order, NR_FREE_PAGES without the isolated
 * lists) equal what its free lists hold: it was taken as if allocated.
 * That it reaches the requester is the runner's part (ops/run.c).
 */
int kb_check_compaction_capture(const struct kb_instance *kb, const struct compact_control *cc,
				const struct page *page, struct kb_violation *v)
{
	const struct zone *zone = cc->zone;
	int nid = zone_to_nid(zone), zid = zone_idx(zone);
	unsigned long pfn = (unsigned long)(page - kb->mem_map);
	unsigned long nr = 1UL << (cc->order & 63), listed = 0;
	unsigned long limit = zone_end_pfn(zone) - zone->zone_start_pfn;
	int mt;

	if (cc->order < 0 || (pfn & (nr - 1)) || !kb_pfn_range_valid(kb, pfn, pfn + nr) ||
	    !block_of_zone(kb, zone, pfn, nr)) {
		kb_violation_set(v, "compaction-capture", nid, zid, pfn, cc->order, -1,
				 "captured page at %#lx is not an aligned order-%d block of zone %s",
				 pfn, cc->order, zone->name);
		return 1;
	}
	if (PageBuddy(page)) {
		kb_violation_set(v, "compaction-capture", nid, zid, pfn, cc->order, -1,
				 "captured page at %#lx is still PG_buddy", pfn);
		return 1;
	}
	if (capture_block_refused(kb, cc, pfn, &mt)) {
		kb_violation_set(v, "compaction-capture", nid, zid, pfn, cc->order, mt,
				 "captured page at %#lx comes from a %s pageblock, which a request of gfp %#x may not take",
				 pfn, kb_migratetype_name(mt), (unsigned int)cc->gfp_mask);
		return 1;
	}
	for (unsigned int order = 0; order <= kb->max_order; order++) {
		unsigned long blocks = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			const struct list_head *head = &zone->free_area[order].free_list[mt], *cur;

			for (cur = head->next; cur != head; cur = cur->next) {
				unsigned long fpfn = entry_pfn(kb, cur);

				if (fpfn == ULONG_MAX || blocks > limit)
					return 0;	/* list-integrity's to report */
				blocks++;
				if (!is_migrate_isolate(mt))
					listed += 1UL << order;
				if (fpfn < pfn + nr && pfn < fpfn + (1UL << order)) {
					kb_violation_set(v, "compaction-capture", nid, zid, pfn,
							 cc->order, mt,
							 "captured page at %#lx overlaps the free block at %#lx of order %u",
							 pfn, fpfn, order);
					return 1;
				}
			}
		}
		if (zone->free_area[order].nr_free != blocks) {
			kb_violation_set(v, "compaction-capture", nid, zid, pfn, (int)order, -1,
					 "after the capture at %#lx, free_area[%u].nr_free is %lu but the lists hold %lu blocks",
					 pfn, order, zone->free_area[order].nr_free, blocks);
			return 1;
		}
	}
	if (zone->vm_stat[NR_FREE_PAGES] != (long)listed) {
		kb_violation_set(v, "compaction-capture", nid, zid, pfn, cc->order, -1,
				 "after the capture at %#lx, NR_FREE_PAGES is %ld but the free lists hold %lu pages",
				 pfn, zone->vm_stat[NR_FREE_PAGES], listed);
		return 1;
	}
	return 0;
}
