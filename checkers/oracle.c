// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation oracles (checkers/oracle.h). Where a block may come from,
 * the watermarks and lowmem_reserve it must respect and the alloc_flags a
 * request can earn are the reference model's (checkers/model.h), never
 * the allocator's; the watermark arithmetic is written here from the
 * kernel's rules, not shared with core/watermark.c. What is read of the
 * allocator is the state a decision was taken on: a zone's free counters
 * and which of its free lists hold blocks (kb_record_wmark_input), its
 * boost, and the alloc_flags the allocator reports it used.
 */
#include "oracle.h"
#include "../core/internal.h"

static struct zone *zone_of(struct kb_instance *kb, int zref)
{
	return &kb->node_data[zref / MAX_NR_ZONES].node_zones[zref % MAX_NR_ZONES];
}

static long unusable_free(const struct kb_wmark_input *in, unsigned int order,
			  unsigned int flags)
{
	long unusable = (1L << order) - 1;

	if (!(flags & ALLOC_RESERVES))
		unusable += in->free_highatomic;
	if (!(flags & ALLOC_CMA))
		unusable += in->free_cma;
	return unusable;
}

/* A free block at order or above on a list the request may take from. */
static bool has_suitable_block(const struct kb_model *m, const struct kb_wmark_input *in,
			       unsigned int order, unsigned int flags)
{
	unsigned int usable = (1u << MIGRATE_PCPTYPES) - 1, o;

	if (flags & ALLOC_CMA)
		usable |= 1u << MIGRATE_CMA;
	if (flags & (ALLOC_HIGHATOMIC | ALLOC_OOM))
		usable |= 1u << MIGRATE_HIGHATOMIC;
	for (o = order; o <= m->max_order; o++)
		if (in->nonempty[o] & usable)
			return true;
	return false;
}

/* __zone_watermark_ok's rule. */
static bool wmark_ok(const struct kb_model *m, const struct kb_wmark_input *in,
		     unsigned int order, long mark, long reserve, unsigned int flags)
{
	long free = in->free_pages - unusable_free(in, order, flags);
	long min = mark;

	if (flags & ALLOC_RESERVES) {
		/* __GFP_HIGH: half the min; non-blocking as well: a quarter less again */
		if (flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		/* OOM victims: half again */
		if (flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free <= min + reserve)
		return false;
	return !order || has_suitable_block(m, in, order, flags);
}

/* zone_watermark_fast: a cheap order-0 test, the full test, the boost exception. */
static bool wmark_fast(const struct kb_model *m, const struct kb_model_zone *z,
		       const struct kb_wmark_input *in, unsigned int order, unsigned int flags,
		       long reserve)
{
	int idx = (int)(flags & ALLOC_WMARK_MASK);
	long mark = (long)(z->wmark[idx] + in->boost);

	if (!order) {
		long unusable = unusable_free(in, 0, flags);
		long usable = in->free_pages - (unusable < in->free_pages ? unusable : in->free_pages);

		if (usable > mark + reserve)
			return true;
	}
	if (wmark_ok(m, in, order, mark, reserve, flags))
		return true;
	/* __GFP_HIGH order-0 requests look past the boost at the min watermark */
	if (!order && (flags & ALLOC_MIN_RESERVE) && in->boost && idx == WMARK_MIN)
		return wmark_ok(m, in, order, (long)z->wmark[WMARK_MIN], reserve, flags);
	return false;
}

static int request_node(const struct kb_model *m, const struct kb_instance *kb, int nid)
{
	return nid >= 0 ? nid : m->cpu_to_node[kb->cpu];
}

/* The slow path's alloc_flags (gfp_to_alloc_flags), then the reserve flags that replace them. */
static unsigned int slowpath_flags(const struct kb_model *m, gfp_t gfp, unsigned int order)
{
	unsigned int flags = ALLOC_WMARK_MIN;
	bool movable = kb_model_gfp_migratetype(m, gfp) == MIGRATE_MOVABLE;

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
		else if (m->oom_victim)
			flags = ALLOC_OOM | (movable ? ALLOC_CMA : 0);
	}
	return flags;
}

/*
 * Whether the slow path's OOM step reaches out_of_memory for this
 * request: not for costly orders, __GFP_RETRY_MAYFAIL, __GFP_THISNODE or
 * requests limited to zones below Normal, __GFP_NOFAIL or not.
 */
bool kb_oracle_oom_eligible(gfp_t gfp, unsigned int order)
{
	int highest = kb_model_gfp_zone(gfp);

	return order <= PAGE_ALLOC_COSTLY_ORDER &&
	       !(gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE)) &&
	       highest >= ZONE_NORMAL;
}

/*
 * Every alloc_flags bit some attempt for this request may carry: the slow
 * path's and the reserve flags, and for __GFP_NOFAIL with direct reclaim
 * the last resorts (ALLOC_MIN_RESERVE; no watermarks at all once the OOM
 * step was reached).
 */
static unsigned int rights(const struct kb_model *m, gfp_t gfp, unsigned int order)
{
	unsigned int r = slowpath_flags(m, gfp, order) & ~ALLOC_NO_WATERMARKS;
	bool nofail = (gfp & __GFP_NOFAIL) && (gfp & __GFP_DIRECT_RECLAIM);

	if (gfp & __GFP_HIGH)
		r |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NOMEMALLOC)) {
		r |= ALLOC_NON_BLOCK;
		if (order > 0 && (gfp & __GFP_HIGH))
			r |= ALLOC_HIGHATOMIC;
	}
	if (!(gfp & __GFP_NOMEMALLOC) && (gfp & __GFP_MEMALLOC))
		r |= ALLOC_NO_WATERMARKS;
	if (!(gfp & __GFP_NOMEMALLOC) && m->oom_victim)
		r |= ALLOC_OOM;
	if (nofail)
		r |= ALLOC_MIN_RESERVE;
	if (nofail && kb_oracle_oom_eligible(gfp, order))
		r |= ALLOC_NO_WATERMARKS;
	return r;
}

#define RIGHTS_BITS	(ALLOC_NO_WATERMARKS | ALLOC_OOM | ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | \
			 ALLOC_CMA | ALLOC_HIGHATOMIC)

static bool zonelist_reaches(const int *zl, int zref, int highest)
{
	for (int i = 0; zl[i] >= 0; i++)
		if (zl[i] == zref)
			return zref % MAX_NR_ZONES <= highest;
	return false;
}

int kb_oracle_alloc(struct kb_instance *kb, const struct kb_model *m, gfp_t gfp,
		    unsigned int order, int nid, unsigned long pfn, struct kb_violation *v)
{
	const struct kb_last_alloc *la = &kb->last_alloc;
	int highest = kb_model_gfp_zone(gfp);
	int zref = kb_model_pfn_zone(m, pfn);
	bool thisnode = gfp & __GFP_THISNODE;
	unsigned int flags, granted;
	const struct kb_model_zone *z;
	char name[160];
	int znid, zid;
	long reserve;

	nid = request_node(m, kb, nid);
	if (highest < 0 || zref < 0) {
		kb_gfp_format(gfp, name, sizeof(name));
		kb_violation_set(v, "alloc-zone", -1, -1, pfn, (int)order, -1,
				 highest < 0 ? "%s asks for more than one zone (GFP_ZONE_BAD) and was served" :
					       "%s served from pfn %#lx, outside every zone of the layout",
				 name, pfn);
		return 1;
	}
	znid = zref / MAX_NR_ZONES;
	zid = zref % MAX_NR_ZONES;
	if (zid > highest) {
		kb_violation_set(v, "alloc-zone", znid, zid, pfn, (int)order, -1,
				 "request allowing zones up to %s served from %s",
				 kb_zone_name((enum zone_type)highest), kb_zone_name((enum zone_type)zid));
		return 1;
	}
	if (thisnode && znid != nid) {
		kb_violation_set(v, "alloc-node", znid, zid, pfn, (int)order, -1,
				 "__GFP_THISNODE request for node %d served from node %d", nid, znid);
		return 1;
	}
	if (!zonelist_reaches(kb_model_zonelist(m, nid, thisnode), zref, highest)) {
		kb_gfp_format(gfp, name, sizeof(name));
		kb_violation_set(v, "alloc-zone", znid, zid, pfn, (int)order, -1,
				 "%s for node %d served from node %d %s, which the model's %s zonelist of node %d does not reach",
				 name, nid, znid, kb_zone_name((enum zone_type)zid),
				 thisnode ? "__GFP_THISNODE" : "fallback", nid);
		return 1;
	}
	if (!la->zone)
		return 0;
	if (la->zone != zone_of(kb, zref)) {
		kb_violation_set(v, "alloc-zone", znid, zid, pfn, (int)order, -1,
				 "block of node %d %s handed out while the allocator recorded taking it from %s",
				 znid, kb_zone_name((enum zone_type)zid), la->zone->name);
		return 1;
	}
	flags = la->alloc_flags;
	granted = rights(m, gfp, order);
	if (flags & ALLOC_NO_WATERMARKS) {
		if (granted & ALLOC_NO_WATERMARKS)
			return 0;
		kb_gfp_format(gfp, name, sizeof(name));
		kb_violation_set(v, "alloc-watermark", znid, zid, pfn, (int)order, la->migratetype,
				 "%s order %u taken with ALLOC_NO_WATERMARKS (alloc_flags 0x%x), which it cannot earn",
				 name, order, flags);
		return 1;
	}
	/* judge with the rights the request has, not those the allocator claims */
	flags &= ~(RIGHTS_BITS & ~granted);
	z = kb_model_zone(m, zref);
	reserve = z->lowmem_reserve[highest];
	if (!wmark_fast(m, z, &la->before, order, flags, reserve)) {
		kb_gfp_format(gfp, name, sizeof(name));
		kb_violation_set(v, "alloc-watermark", znid, zid, pfn, (int)order, la->migratetype,
				 "%s order %u (alloc_flags 0x%x, judged as 0x%x) taken from %s at %ld free pages: the model's watermark %lu + boost %lu with lowmem_reserve %ld is not met",
				 name, order, la->alloc_flags, flags, la->zone->name,
				 la->before.free_pages, z->wmark[flags & ALLOC_WMARK_MASK],
				 la->before.boost, reserve);
		return 1;
	}
	return 0;
}

int kb_oracle_failure(struct kb_instance *kb, const struct kb_model *m, gfp_t gfp,
		      unsigned int order, int nid, struct kb_violation *v)
{
	unsigned int flags = slowpath_flags(m, gfp, order);
	int highest = kb_model_gfp_zone(gfp);
	const int *zl;
	unsigned int usable;

	if (highest < 0)
		return 0;	/* a refused request, not a failure */
	nid = request_node(m, kb, nid);
	zl = kb_model_zonelist(m, nid, gfp & __GFP_THISNODE);
	/* Any pcp type can be claimed or stolen; CMA and highatomic by flags. */
	usable = (1u << MIGRATE_PCPTYPES) - 1;
	if (flags & ALLOC_CMA)
		usable |= 1u << MIGRATE_CMA;
	if (flags & (ALLOC_HIGHATOMIC | ALLOC_OOM | ALLOC_NON_BLOCK))
		usable |= 1u << MIGRATE_HIGHATOMIC;

	for (int i = 0; zl[i] >= 0; i++) {
		const struct kb_model_zone *z = kb_model_zone(m, zl[i]);
		struct zone *zone = zone_of(kb, zl[i]);
		struct kb_wmark_input in;
		bool block = false;
		long reserve;

		if (zl[i] % MAX_NR_ZONES > highest || !z->managed)
			continue;
		kb_record_wmark_input(kb, zone, &in);
		for (unsigned int o = order; o <= m->max_order; o++)
			if (in.nonempty[o] & usable)
				block = true;
		if (!block)
			continue;
		reserve = z->lowmem_reserve[highest];
		if ((flags & ALLOC_NO_WATERMARKS) || wmark_fast(m, z, &in, order, flags, reserve)) {
			kb_violation_set(v, "alloc-spurious-failure", zl[i] / MAX_NR_ZONES,
					 zl[i] % MAX_NR_ZONES, 0, (int)order, -1,
					 "order-%u request failed although %s has a usable free block and %ld free pages meet the model's watermark %lu + boost %lu (alloc_flags 0x%x, lowmem_reserve %ld)",
					 order, zone->name, in.free_pages,
					 z->wmark[flags & ALLOC_WMARK_MASK], in.boost, flags, reserve);
			return 1;
		}
	}
	return 0;
}

int kb_oracle_bulk(struct page *const *array, unsigned long nr, unsigned long populated_before,
		   const struct page *marker, unsigned long count, struct kb_violation *v)
{
	unsigned long i, prefix = 0;

	/* the slots populated from the first one on, before the call */
	while (prefix < nr && ((populated_before >> prefix) & 1))
		prefix++;
	for (i = 0; i < nr; i++) {
		bool before = (populated_before >> i) & 1;

		if (before != (array[i] == marker)) {
			kb_violation_set(v, "alloc-bulk", -1, -1, 0, 0, -1,
					 "slot %lu of the array %s", i,
					 before ? "was populated and lost its page" :
						  "was empty and holds the page of a populated slot");
			return 1;
		}
		if (i < count && !array[i]) {
			kb_violation_set(v, "alloc-bulk", -1, -1, 0, 0, -1,
					 "alloc_pages_bulk returned %lu, but slot %lu is empty", count, i);
			return 1;
		}
	}
	if (count > nr || count < prefix) {
		kb_violation_set(v, "alloc-bulk", -1, -1, 0, 0, -1,
				 "alloc_pages_bulk returned %lu for an array of %lu slots whose first %lu were populated",
				 count, nr, prefix);
		return 1;
	}
	return 0;
}
