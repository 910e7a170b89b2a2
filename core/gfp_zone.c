// SPDX-License-Identifier: GPL-2.0
/*
 * GFP decoding (include/linux/gfp.h): the zone a request may use at most,
 * through GFP_ZONE_TABLE and GFP_ZONE_BAD, and its migratetype.
 */
#include "internal.h"

/*
 * x86-64 has ZONE_DMA and ZONE_DMA32 but no HIGHMEM, so __GFP_HIGHMEM
 * selects ZONE_NORMAL (OPT_ZONE_HIGHMEM) and only MOVABLE|HIGHMEM reaches
 * ZONE_MOVABLE. Indexed by the four zone modifier bits.
 */
static const signed char gfp_zone_table[16] = {
	[0]						= ZONE_NORMAL,
	[__GFP_DMA]					= ZONE_DMA,
	[__GFP_HIGHMEM]					= ZONE_NORMAL,
	[__GFP_DMA32]					= ZONE_DMA32,
	[__GFP_MOVABLE]					= ZONE_NORMAL,
	[__GFP_MOVABLE | __GFP_DMA]			= ZONE_DMA,
	[__GFP_MOVABLE | __GFP_HIGHMEM]			= ZONE_MOVABLE,
	[__GFP_MOVABLE | __GFP_DMA32]			= ZONE_DMA32,
	/* GFP_ZONE_BAD: more than one zone asked for */
	[__GFP_DMA | __GFP_HIGHMEM]			= -1,
	[__GFP_DMA | __GFP_DMA32]			= -1,
	[__GFP_DMA32 | __GFP_HIGHMEM]			= -1,
	[__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM]	= -1,
	[__GFP_MOVABLE | __GFP_HIGHMEM | __GFP_DMA]	= -1,
	[__GFP_MOVABLE | __GFP_DMA32 | __GFP_DMA]	= -1,
	[__GFP_MOVABLE | __GFP_DMA32 | __GFP_HIGHMEM]	= -1,
	[__GFP_MOVABLE | __GFP_DMA32 | __GFP_DMA | __GFP_HIGHMEM] = -1,
};

/* The highest zone the request may use; *bad is set for GFP_ZONE_BAD. */
enum zone_type gfp_zone(gfp_t flags, bool *bad)
{
	int z = gfp_zone_table[flags & GFP_ZONEMASK];

#ifdef KB_BUG_dma_served_from_normal
	if (z == ZONE_DMA)
		z = ZONE_NORMAL;
#endif
	*bad = z < 0;
	return z < 0 ? ZONE_NORMAL : (enum zone_type)z;
}

/*
 * The free-list type of a request. Both mobility bits at once would read as
 * MIGRATE_HIGHATOMIC; the kernel warns, kbuddy refuses it (returns -1).
 */
int gfp_migratetype(const struct kb_instance *kb, gfp_t gfp_flags)
{
	if ((gfp_flags & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK)
		return -1;
	if (kb->page_group_by_mobility_disabled)
		return MIGRATE_UNMOVABLE;
	return (int)((gfp_flags & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}
