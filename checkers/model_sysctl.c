// SPDX-License-Identifier: GPL-2.0
/*
 * Sysctl writes as the model sees them (mm/page_alloc.c: the handlers of
 * min_free_kbytes, watermark_scale_factor, watermark_boost_factor,
 * lowmem_reserve_ratio and percpu_pagelist_high_fraction): the kernel's
 * ranges and what each write recomputes.
 */
#include <errno.h>
#include <limits.h>

#include "model.h"
#include "../core/profile.h"

/* The zones' boost of this moment: a recomputation outside a watermark reset counts it. */
static void boost_now(const struct kb_model *m, const struct kb_instance *kb,
		      unsigned long boost[KB_MAX_NODES][MAX_NR_ZONES])
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			boost[nid][zid] = kb && nid < kb->nr_node_ids ?
				kb->node_data[nid].node_zones[zid].watermark_boost : 0;
}

int kb_model_sysctl(struct kb_model *m, const struct kb_instance *kb, unsigned int which,
		    int index, long value)
{
	unsigned long boost[KB_MAX_NODES][MAX_NR_ZONES];

	switch (which) {
	case KB_SYSCTL_MIN_FREE_KBYTES:
		/* proc_dointvec_minmax from 0; the write is the user's choice from now on */
		if (value < 0 || value > INT_MAX)
			return -EINVAL;
		m->sys.min_free_kbytes = (int)value;
		m->sys.user_min_free_kbytes = (int)value;
		kb_model_setup_wmarks(m);
		break;
	case KB_SYSCTL_WATERMARK_SCALE_FACTOR:
		if (value < 1 || value > 3000)
			return -EINVAL;
		m->sys.watermark_scale_factor = (int)value;
		kb_model_setup_wmarks(m);
		break;
	case KB_SYSCTL_WATERMARK_BOOST_FACTOR:
		/* read by the next boost; a boost already reached stays */
		if (value < 0 || value > INT_MAX)
			return -EINVAL;
		m->sys.watermark_boost_factor = (int)value;
		kb_model_boost_caps(m, false);
		break;
	case KB_SYSCTL_LOWMEM_RESERVE_RATIO:
		/*
		 * Any int is taken and values below 1 mean 0. (A value that
		 * is no int fails to parse in the kernel, which then
		 * recomputes with the old ratios and reports success; kbuddy
		 * refuses it with -EINVAL.)
		 */
		if (index < 0 || index >= MAX_NR_ZONES || value < INT_MIN || value > INT_MAX)
			return -EINVAL;
		m->sys.lowmem_reserve_ratio[index] = value < 1 ? 0 : (int)value;
		kb_model_setup_lowmem_reserve(m, kb);
		break;
	case KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION:
		/* 0 or at least MIN_PERCPU_PAGELIST_HIGH_FRACTION; the same value changes nothing */
		if (value < 0 || value > INT_MAX ||
		    (value && value < MIN_PERCPU_PAGELIST_HIGH_FRACTION))
			return -EINVAL;
		if (value == m->sys.percpu_pagelist_high_fraction)
			return 0;
		m->sys.percpu_pagelist_high_fraction = (int)value;
		boost_now(m, kb, boost);
		kb_model_pcp_update(m, true, boost);
		break;
	default:
		return 1;
	}
	m->dirty = true;
	return 0;
}
