// SPDX-License-Identifier: GPL-2.0
/*
 * The vm sysctls that steer the allocator, with the kernel's ranges and the
 * recomputation each write triggers (mm/page_alloc.c sysctl handlers).
 */
#include "internal.h"

static const char *const sysctl_names[KB_NR_SYSCTLS] = {
	[KB_SYSCTL_MIN_FREE_KBYTES] = "min_free_kbytes",
	[KB_SYSCTL_WATERMARK_SCALE_FACTOR] = "watermark_scale_factor",
	[KB_SYSCTL_WATERMARK_BOOST_FACTOR] = "watermark_boost_factor",
	[KB_SYSCTL_LOWMEM_RESERVE_RATIO] = "lowmem_reserve_ratio",
	[KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION] = "percpu_pagelist_high_fraction",
};

const char *kb_sysctl_name(enum kb_sysctl which)
{
	return (unsigned int)which < KB_NR_SYSCTLS ? sysctl_names[which] : "?";
}

int kb_sysctl_write(struct kb_instance *kb, enum kb_sysctl which, int index, long value)
{
	int nid, zid;

	switch (which) {
	case KB_SYSCTL_MIN_FREE_KBYTES:
		/* min_free_kbytes_sysctl_handler: >= 0, remembered as the user's choice */
		if (value < 0 || value > 0x7fffffffL)
			return -EINVAL;
		kb->min_free_kbytes = (int)value;
		kb->user_min_free_kbytes = (int)value;
		setup_per_zone_wmarks(kb);
		return 0;
	case KB_SYSCTL_WATERMARK_SCALE_FACTOR:
		if (value < 1 || value > 3000)
			return -EINVAL;
		kb->watermark_scale_factor = (int)value;
		setup_per_zone_wmarks(kb);
		return 0;
	case KB_SYSCTL_WATERMARK_BOOST_FACTOR:
		/* Read by boost_watermark on the next fallback; nothing to recompute. */
		if (value < 0 || value > 0x7fffffffL)
			return -EINVAL;
		kb->watermark_boost_factor = (int)value;
		return 0;
	case KB_SYSCTL_LOWMEM_RESERVE_RATIO:
		/* any int: lowmem_reserve_ratio_sysctl_handler takes values below 1 as 0 */
		if (index < 0 || index >= MAX_NR_ZONES || value < -0x80000000L || value > 0x7fffffffL)
			return -EINVAL;
		kb->sysctl_lowmem_reserve_ratio[index] = value < 1 ? 0 : (int)value;
		setup_per_zone_lowmem_reserve(kb);
		return 0;
	case KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION:
		/* 0 (the default sizing) or at least MIN_PERCPU_PAGELIST_HIGH_FRACTION */
		if (value < 0 || value > 0x7fffffffL ||
		    (value && value < MIN_PERCPU_PAGELIST_HIGH_FRACTION))
			return -EINVAL;
		/* the same value recomputes nothing (the boost may have moved since) */
		if (value == kb->percpu_pagelist_high_fraction)
			return 0;
		kb->percpu_pagelist_high_fraction = (int)value;
		for (nid = 0; nid < kb->nr_node_ids; nid++)
			for (zid = 0; zid < MAX_NR_ZONES; zid++) {
				struct zone *zone = &kb->node_data[nid].node_zones[zid];

				if (populated_zone(zone))
					zone_pcp_update(kb, zone, false);
			}
		return 0;
	case KB_NR_SYSCTLS:
		break;
	}
	return -EINVAL;
}
