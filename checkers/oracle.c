// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation oracles (checkers/oracle.h). The arithmetic here is written
 * from the kernel's rules, not shared with core/watermark.c, so a mistake
 * in one shows up as a disagreement with the other.
 */
#include "oracle.h"
#include "../core/internal.h"

/* The highest zone a request may use, from GFP_ZONE_TABLE's rules. */
static int oracle_highest_zone(gfp_t gfp)
{
	gfp_t z = gfp & GFP_ZONEMASK;

	if (z & __GFP_DMA)
		return ZONE_DMA;
	if (z & __GFP_DMA32)
		return ZONE_DMA32;
	if ((z & (__GFP_MOVABLE | __GFP_HIGHMEM)) == (__GFP_MOVABLE | __GFP_HIGHMEM))
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

/* lowmem_reserve[highest] of zone: managed pages above it, over its ratio. */
static long oracle_lowmem_reserve(const struct kb_instance *kb, const struct zone *zone,
				  int highest)
{
	const pg_data_t *pgdat = zone->zone_pgdat;
	int ratio = kb->sysctl_lowmem_reserve_ratio[zone->zone_idx];
	unsigned long above = 0;
	int j;

	if (!ratio || !zone->managed_pages || highest <= (int)zone->zone_idx)
		return 0;
	for (j = (int)zone->zone_idx + 1; j <= highest; j++)
		above += pgdat->node_zones[j].managed_pages;
	return (long)(above / (unsigned long)ratio);
}

static long oracle_unusable(const struct kb_wmark_input *in, unsigned int order,
			    unsigned int flags)
{
	long unusable = (1L << order) - 1;

	if (!(flags & ALLOC_RESERVES))
		unusable += in->free_highatomic;
	if (!(flags & ALLOC_CMA))
		unusable += in->free_cma;
	return unusable;
}

static bool oracle_order_ok(const struct kb_instance *kb, const struct kb_wmark_input *in,
			    unsigned int order, unsigned int flags)
{
	unsigned int usable = (1u << MIGRATE_PCPTYPES) - 1, o;

	if (flags & ALLOC_CMA)
		usable |= 1u << MIGRATE_CMA;
	if (flags & (ALLOC_HIGHATOMIC | ALLOC_OOM))
		usable |= 1u << MIGRATE_HIGHATOMIC;
	for (o = order; o <= kb->max_order; o++)
		if (in->nonempty[o] & usable)
			return true;
	return false;
}

static bool oracle_wmark_ok(const struct kb_instance *kb, const struct kb_wmark_input *in,
			    unsigned int order, long mark, long reserve, unsigned int flags)
{
	long free = in->free_pages - oracle_unusable(in, order, flags);
	long min = mark;

	if (flags & ALLOC_RESERVES) {
		if (flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free <= min + reserve)
		return false;
	return !order || oracle_order_ok(kb, in, order, flags);
}

/* zone_watermark_fast: a cheap order-0 test, the full test, the boost exception. */
static bool oracle_wmark_fast(const struct kb_instance *kb, const struct zone *zone,
			      const struct kb_wmark_input *in, unsigned int order,
			      unsigned int flags, long reserve)
{
	int idx = (int)(flags & ALLOC_WMARK_MASK);
	long mark = (long)(zone->_watermark[idx] + in->boost);

	if (!order) {
		long unusable = oracle_unusable(in, 0, flags);
		long usable = in->free_pages - (unusable < in->free_pages ? unusable : in->free_pages);

		if (usable > mark + reserve)
			return true;
	}
	if (oracle_wmark_ok(kb, in, order, mark, reserve, flags))
		return true;
	if (!order && (flags & ALLOC_MIN_RESERVE) && in->boost && idx == WMARK_MIN)
		return oracle_wmark_ok(kb, in, order, (long)zone->_watermark[WMARK_MIN], reserve,
				       flags);
	return false;
}

static int request_node(const struct kb_instance *kb, int nid)
{
	return nid >= 0 ? nid : kb->cpu_to_node[kb->cpu];
}

int kb_oracle_alloc(struct kb_instance *kb, gfp_t gfp, unsigned int order, int nid,
		    unsigned long pfn, struct kb_violation *v)
{
	const struct page *page = kb_pfn_to_page(kb, pfn);
	const struct kb_last_alloc *la = &kb->last_alloc;
	int highest = oracle_highest_zone(gfp);
	long reserve;

	nid = request_node(kb, nid);
	if (page->zone > highest) {
		kb_violation_set(v, "alloc-zone", page->node, page->zone, pfn, (int)order, -1,
				 "request allowing zones up to %s served from %s",
				 kb_zone_name((enum zone_type)highest),
				 kb_zone_name((enum zone_type)page->zone));
		return 1;
	}
	if ((gfp & __GFP_THISNODE) && page->node != nid) {
		kb_violation_set(v, "alloc-node", page->node, page->zone, pfn, (int)order, -1,
				 "__GFP_THISNODE request for node %d served from node %d",
				 nid, page->node);
		return 1;
	}
	if (!la->zone || (la->alloc_flags & ALLOC_NO_WATERMARKS))
		return 0;
	reserve = oracle_lowmem_reserve(kb, la->zone, highest);
	if (!oracle_wmark_fast(kb, la->zone, &la->before, order, la->alloc_flags, reserve)) {
		kb_violation_set(v, "alloc-watermark", page->node, page->zone, pfn, (int)order,
				 la->migratetype,
				 "order-%u allocation with alloc_flags 0x%x taken from %s at %ld free pages: watermark %lu + boost %lu with lowmem_reserve %ld not met",
				 order, la->alloc_flags, la->zone->name, la->before.free_pages,
				 la->zone->_watermark[la->alloc_flags & ALLOC_WMARK_MASK],
				 la->before.boost, reserve);
		return 1;
	}
	return 0;
}

/* gfp_to_alloc_flags and the reserve flags: the most the slow path grants. */
static unsigned int oracle_slowpath_flags(const struct kb_instance *kb, gfp_t gfp,
					  unsigned int order)
{
	unsigned int flags = ALLOC_WMARK_MIN;
	bool movable = (gfp & GFP_MOVABLE_MASK) == __GFP_MOVABLE &&
		       !kb->page_group_by_mobility_disabled;

	if (gfp & __GFP_HIGH)
		flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC)) {
		flags |= ALLOC_NON_BLOCK;
		if (order > 0 && (flags & ALLOC_MIN_RESERVE))
			flags |= ALLOC_HIGHATOMIC;
	}
	if (movable)
		flags |= ALLOC_CMA;
	if (!(gfp & __GFP_NOMEMALLOC)) {
		if (gfp & __GFP_MEMALLOC)
			flags = ALLOC_NO_WATERMARKS | (movable ? ALLOC_CMA : 0);
		else if (kb->current_is_oom_victim)
			flags = ALLOC_OOM | (movable ? ALLOC_CMA : 0);
	}
	return flags;
}

int kb_oracle_failure(struct kb_instance *kb, gfp_t gfp, unsigned int order, int nid,
		      struct kb_violation *v)
{
	unsigned int flags = oracle_slowpath_flags(kb, gfp, order);
	int highest = oracle_highest_zone(gfp);
	struct zonelist *zl;
	struct zoneref *z;
	unsigned int usable;

	nid = request_node(kb, nid);
	zl = &kb->node_data[nid].node_zonelists[(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK
									: ZONELIST_FALLBACK];
	/* Any pcp type can be claimed or stolen; CMA and highatomic by flags. */
	usable = (1u << MIGRATE_PCPTYPES) - 1;
	if (flags & ALLOC_CMA)
		usable |= 1u << MIGRATE_CMA;
	if (flags & (ALLOC_HIGHATOMIC | ALLOC_OOM | ALLOC_NON_BLOCK))
		usable |= 1u << MIGRATE_HIGHATOMIC;

	for (z = zl->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		struct kb_wmark_input in;
		long reserve;
		bool block = false;
		unsigned int o;

		if (z->zone_idx > highest || !zone->managed_pages)
			continue;
		kb_record_wmark_input(kb, zone, &in);
		for (o = order; o <= kb->max_order; o++)
			if (in.nonempty[o] & usable)
				block = true;
		if (!block)
			continue;
		reserve = oracle_lowmem_reserve(kb, zone, highest);
		if ((flags & ALLOC_NO_WATERMARKS) ||
		    oracle_wmark_fast(kb, zone, &in, order, flags, reserve)) {
			kb_violation_set(v, "alloc-spurious-failure", zone_to_nid(zone),
					 zone->zone_idx, 0, (int)order, -1,
					 "order-%u request failed although %s has a usable free block and %ld free pages meet its watermark (alloc_flags 0x%x, lowmem_reserve %ld)",
					 order, zone->name, in.free_pages, flags, reserve);
			return 1;
		}
	}
	return 0;
}
