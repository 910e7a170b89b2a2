// SPDX-License-Identifier: GPL-2.0
/*
 * The vm sysctls that steer the allocator, with the kernel's ranges and the
 * recomputation each write triggers (mm/page_alloc.c sysctl handlers).
 */
#include "compaction.h"
#include "internal.h"

static const char *const sysctl_names[KB_NR_SYSCTLS] = {
	[KB_SYSCTL_MIN_FREE_KBYTES] = "min_free_kbytes",
	[KB_SYSCTL_WATERMARK_SCALE_FACTOR] = "watermark_scale_factor",
	[KB_SYSCTL_WATERMARK_BOOST_FACTOR] = "watermark_boost_factor",
	[KB_SYSCTL_LOWMEM_RESERVE_RATIO] = "lowmem_reserve_ratio",
	[KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION] = "percpu_pagelist_high_fraction",
	[KB_SYSCTL_COMPACT_MEMORY] = "compact_memory",
	[KB_SYSCTL_EXTFRAG_THRESHOLD] = "extfrag_threshold",
	[KB_SYSCTL_COMPACTION_PROACTIVENESS] = "compaction_proactiveness",
};

const char *kb_sysctl_name(enum kb_sysctl which)
{
	return (unsigned int)which < KB_NR_SYSCTLS ? sysctl_names[which] : "?";
}

int kb_sysctl_check(enum kb_sysctl which, int index, long value)
{
	switch (which) {
	case KB_SYSCTL_MIN_FREE_KBYTES:
	case KB_SYSCTL_WATERMARK_BOOST_FACTOR:
		return value < 0 || value > 0x7fffffffL ? -EINVAL : 0;
	case KB_SYSCTL_WATERMARK_SCALE_FACTOR:
		return value < 1 || value > 3000 ? -EINVAL : 0;
	case KB_SYSCTL_LOWMEM_RESERVE_RATIO:
		/* any int: the handler takes values below 1 as 0 */
		return index < 0 || index >= MAX_NR_ZONES || value < -0x80000000L ||
		       value > 0x7fffffffL ? -EINVAL : 0;
	case KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION:
		/* 0 (the default sizing) or at least MIN_PERCPU_PAGELIST_HIGH_FRACTION */
		return value < 0 || value > 0x7fffffffL ||
		       (value && value < MIN_PERCPU_PAGELIST_HIGH_FRACTION) ? -EINVAL : 0;
	case KB_SYSCTL_COMPACT_MEMORY:
		/* sysctl_compaction_handler: only 1 compacts */
		return value != 1 ? -EINVAL : 0;
	case KB_SYSCTL_EXTFRAG_THRESHOLD:
		return value < 0 || value > 1000 ? -EINVAL : 0;
	case KB_SYSCTL_COMPACTION_PROACTIVENESS:
		return value < 0 || value > 100 ? -EINVAL : 0;
	case KB_NR_SYSCTLS:
		break;
	}
	return -EINVAL;
}

/*
 * Reading a sysctl runs its handler with write = 0. Only
 * lowmem_reserve_ratio_sysctl_handler does work then: it calls
 * setup_per_zone_lowmem_reserve() whether or not anything was written, so
 * a read after boot recomputes the reserves from the managed pages of that
 * moment (the late-freed memory included).
 */
int kb_sysctl_read(struct kb_instance *kb, enum kb_sysctl which)
{
	if ((unsigned int)which >= KB_NR_SYSCTLS)
		return -EINVAL;
	if (which == KB_SYSCTL_LOWMEM_RESERVE_RATIO)
		setup_per_zone_lowmem_reserve(kb);
	return 0;
}

int kb_sysctl_write(struct kb_instance *kb, enum kb_sysctl which, int index, long value)
{
	int nid, zid;

	if (kb_sysctl_check(which, index, value))
		return -EINVAL;
	switch (which) {
	case KB_SYSCTL_MIN_FREE_KBYTES:
		/* min_free_kbytes_sysctl_handler: >= 0, remembered as the user's choice */
		kb->min_free_kbytes = (int)value;
		kb->user_min_free_kbytes = (int)value;
		setup_per_zone_wmarks(kb);
		return 0;
	case KB_SYSCTL_WATERMARK_SCALE_FACTOR:
		kb->watermark_scale_factor = (int)value;
		setup_per_zone_wmarks(kb);
		return 0;
	case KB_SYSCTL_WATERMARK_BOOST_FACTOR:
		/* Read by boost_watermark on the next fallback; nothing to recompute. */
		kb->watermark_boost_factor = (int)value;
		return 0;
	case KB_SYSCTL_LOWMEM_RESERVE_RATIO:
		/* lowmem_reserve_ratio_sysctl_handler: values below 1 mean 0 */
		kb->sysctl_lowmem_reserve_ratio[index] = value < 1 ? 0 : (int)value;
		setup_per_zone_lowmem_reserve(kb);
		return 0;
	case KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION:
		/* the same value recomputes nothing (the boost may have moved since) */
		if (kb->percpu_pagelist_high_fraction == (int)value)
			return 0;
		kb->percpu_pagelist_high_fraction = (int)value;
		for (nid = 0; nid < kb->nr_node_ids; nid++)
			for (zid = 0; zid < MAX_NR_ZONES; zid++) {
				struct zone *zone = &kb->node_data[nid].node_zones[zid];

				if (populated_zone(zone))
					zone_pcp_update(kb, zone, false);
			}
		return 0;
	case KB_SYSCTL_COMPACT_MEMORY:
		compact_nodes(kb);
		return 0;
	case KB_SYSCTL_EXTFRAG_THRESHOLD:
		kb->sysctl_extfrag_threshold = (int)value;
		return 0;
	case KB_SYSCTL_COMPACTION_PROACTIVENESS:
		compaction_proactiveness_write(kb, (int)value);
		return 0;
	case KB_NR_SYSCTLS:
		break;
	}
	return -EINVAL;
}
