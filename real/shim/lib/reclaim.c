// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaim, compaction, kswapd and the OOM killer (mm/vmscan.c,
 * mm/compaction.c, mm/oom_kill.c) as kbuddy models them by default: there
 * is nothing to reclaim or compact, kswapd is never woken and the OOM
 * killer finds no victim. The allocator's slow path around these calls is
 * the real one.
 */
#include <kshim/kshim.h>

#include "internal.h"

int node_reclaim_mode;			/* mm/vmscan.c: off */
int sysctl_min_unmapped_ratio = 1;
int sysctl_min_slab_ratio = 5;

unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask,
				nodemask_t *mask)
{
	(void)zonelist;
	(void)order;
	(void)gfp_mask;
	(void)mask;
	return 0;
}

unsigned long zone_reclaimable_pages(struct zone *zone)
{
	(void)zone;
	return 0;
}

int node_reclaim(struct pglist_data *pgdat, gfp_t mask, unsigned int order)
{
	(void)pgdat;
	(void)mask;
	(void)order;
	return NODE_RECLAIM_NOSCAN;
}

void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order,
		   enum zone_type highest_zoneidx)
{
	(void)zone;
	(void)gfp_flags;
	(void)order;
	(void)highest_zoneidx;
}

enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned int order,
					 unsigned int alloc_flags, const struct alloc_context *ac,
					 enum compact_priority prio, struct page **capture)
{
	(void)gfp_mask;
	(void)order;
	(void)alloc_flags;
	(void)ac;
	(void)prio;
	*capture = NULL;
	return COMPACT_SKIPPED;
}

void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	(void)zone;
	(void)order;
	(void)alloc_success;
}

bool compaction_zonelist_suitable(struct alloc_context *ac, int order, int alloc_flags)
{
	(void)ac;
	(void)order;
	(void)alloc_flags;
	return false;
}

bool out_of_memory(struct oom_control *oc)
{
	(void)oc;
	return false;
}
