// SPDX-License-Identifier: GPL-2.0
/*
 * The model's GFP decoding (include/linux/gfp.h), from the rules that
 * GFP_ZONE_TABLE and GFP_ZONE_BAD encode, on x86-64 (DMA and DMA32, no
 * HIGHMEM: __GFP_HIGHMEM means ZONE_NORMAL, or ZONE_MOVABLE together with
 * __GFP_MOVABLE).
 */
#include "model.h"

int kb_model_gfp_zone(gfp_t gfp)
{
	gfp_t asked = gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);

	/* more than one zone asked for */
	if (asked & (asked - 1))
		return -1;
	if (asked == __GFP_DMA)
		return ZONE_DMA;
	if (asked == __GFP_DMA32)
		return ZONE_DMA32;
	if (asked == __GFP_HIGHMEM && (gfp & __GFP_MOVABLE))
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

/*
 * The free-list type: __GFP_MOVABLE is MOVABLE, __GFP_RECLAIMABLE
 * RECLAIMABLE, neither UNMOVABLE, and everything UNMOVABLE while grouping
 * by mobility is off. Both at once (the kernel warns) kbuddy refuses.
 */
int kb_model_gfp_migratetype(const struct kb_model *m, gfp_t gfp)
{
	bool movable = gfp & __GFP_MOVABLE, reclaimable = gfp & __GFP_RECLAIMABLE;

	if (movable && reclaimable)
		return -1;
	if (m->mobility_disabled)
		return MIGRATE_UNMOVABLE;
	return movable ? MIGRATE_MOVABLE : reclaimable ? MIGRATE_RECLAIMABLE : MIGRATE_UNMOVABLE;
}
