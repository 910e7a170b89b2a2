// SPDX-License-Identifier: GPL-2.0
/*
 * The model's per-CPU pageset sizes (mm/page_alloc.c: zone_batchsize,
 * zone_highsize, zone_set_pageset_high_and_batch).
 */
#include "model.h"
#include "../core/profile.h"

/* The largest power of two <= n (n >= 1). */
static int pow2_floor(int n)
{
	int shift = 0;

	while ((n >> shift) > 1)
		shift++;
	return 1 << shift;
}

/* Pages moved between the buddy and a pcp list at a time, 2^n - 1 for cache colouring. */
static int batchsize(const struct kb_model_zone *z)
{
	int batch;

#if KB_BATCH_FROM_1M
	/* 0.1% of the zone or 1 MiB, a quarter of it; the caller takes at least 1 */
	unsigned long b = z->managed >> 10;

	if (b > (1UL << 20) / PAGE_SIZE)
		b = (1UL << 20) / PAGE_SIZE;
	batch = (int)(b / 4);
	if (batch < 1)
		batch = 1;
	batch = pow2_floor(batch + batch / 2) - 1;
	return batch < 1 ? 1 : batch;
#else
	/* 0.025% of the zone or 256 KiB */
	unsigned long b = z->managed >> 12;

	if (b > (256UL << 10) / PAGE_SIZE)
		b = (256UL << 10) / PAGE_SIZE;
	batch = (int)b;
	if (batch <= 1)
		return 1;
	return pow2_floor(batch + batch / 2) - 1;
#endif
}

/*
 * pcp->high: the zone's low watermark (with its boost of the moment), or
 * managed / fraction, split over the CPUs of the zone's node (over every
 * CPU for a node without CPUs), at least four batches.
 */
static int highsize(const struct kb_model *m, int nid, const struct kb_model_zone *z, int batch,
		    int fraction, unsigned long boost)
{
	unsigned long total = fraction ? z->managed / (unsigned long)fraction :
					 z->wmark[WMARK_LOW] + boost;
	int split = m->node[nid].nr_cpus ? m->node[nid].nr_cpus : m->nr_cpus;
	int high = (int)(total / (unsigned long)split);

	return high > batch * 4 ? high : batch * 4;
}

void kb_model_pcp_update(struct kb_model *m, bool populated_only,
			 const unsigned long boost[KB_MAX_NODES][MAX_NR_ZONES])
{
	int fraction = m->sys.percpu_pagelist_high_fraction;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct kb_model_zone *z = &m->node[nid].zone[zid];
			unsigned long b = boost[nid][zid];

			if (populated_only && !z->present)
				continue;
			z->batch = batchsize(z);
			if (!KB_PCP_HIGH_AUTOTUNE) {
				/* before 6.7: one static high (the fraction's or the default) */
				z->high_min = highsize(m, nid, z, z->batch, fraction, b);
				z->high_max = z->high_min;
			} else if (fraction) {
				/* a manual fraction turns auto-tuning off */
				z->high_min = highsize(m, nid, z, z->batch, fraction, b);
				z->high_max = z->high_min;
			} else {
				z->high_min = highsize(m, nid, z, z->batch, 0, b);
				z->high_max = highsize(m, nid, z, z->batch,
						       MIN_PERCPU_PAGELIST_HIGH_FRACTION, b);
			}
			kb_model_high_bounds(z, z->high_min, z->high_max);
		}
}

/* Widens the range pcp->high may lie in (model.h) by a new pair of limits. */
void kb_model_high_bounds(struct kb_model_zone *z, int lo, int hi)
{
	int a = lo < hi ? lo : hi, b = lo > hi ? lo : hi;

	if (a < z->high_floor)
		z->high_floor = a;
	if (b > z->high_ceiling)
		z->high_ceiling = b;
}
