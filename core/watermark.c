// SPDX-License-Identifier: GPL-2.0
/*
 * Watermarks, lowmem reserves and their checks (mm/page_alloc.c:
 * __setup_per_zone_wmarks, setup_per_zone_lowmem_reserve,
 * calculate_totalreserve_pages, calculate_min_free_kbytes,
 * boost_watermark, __zone_watermark_ok, zone_watermark_fast).
 */
#include "internal.h"

#define for_each_zone(kb, zone)						\
	for (int __nid = 0; __nid < (kb)->nr_node_ids; __nid++)		\
		for (int __zid = 0; __zid < MAX_NR_ZONES; __zid++)	\
			if (((zone) = &(kb)->node_data[__nid].node_zones[__zid]), 1)

/* The kernel's int_sqrt (lib/math/int_sqrt.c): two bits of the root a round. */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long b, m, y = 0;

	if (x <= 1)
		return x;
	for (m = 1UL << (ilog2(x) & ~1U); m; m >>= 2) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
	}
	return y;
}

/* Sums managed - high over zones up to ZONE_NORMAL (nr_free_buffer_pages). */
static unsigned long nr_free_buffer_pages(struct kb_instance *kb)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_zone(kb, zone) {
		unsigned long size = zone_managed_pages(zone);
		unsigned long high = high_wmark_pages(zone);

		if (zone_idx(zone) > ZONE_NORMAL)
			continue;
		if (size > high)
			sum += size - high;
	}
	return sum;
}

/* min_free_kbytes = sqrt(lowmem_kbytes * 16), within [128, 262144]. */
int calculate_min_free_kbytes(struct kb_instance *kb)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages(kb) * (PAGE_SIZE >> 10);
	long new_min_free_kbytes = (long)int_sqrt(lowmem_kbytes * 16);

	if (new_min_free_kbytes > kb->user_min_free_kbytes)
		kb->min_free_kbytes = (int)KB_CLAMP(new_min_free_kbytes, 128, 262144);
	return kb->min_free_kbytes;
}

/*
 * khugepaged's set_recommended_min_free_kbytes, run when khugepaged starts
 * or stops: with THP enabled it raises min_free_kbytes so that two
 * pageblocks per zone, plus room for each fallback pairing, stay free,
 * capped at 5% of lowmem; with THP disabled it recomputes the default.
 * Either way the watermarks are set up again.
 */
void set_recommended_min_free_kbytes(struct kb_instance *kb, bool thp_enabled)
{
	unsigned long recommended_min;
	int nr_zones = 0;
	struct zone *zone;

	if (!thp_enabled) {
		calculate_min_free_kbytes(kb);
		setup_per_zone_wmarks(kb);
		return;
	}
	for_each_zone(kb, zone) {
		/* ZONE_MOVABLE only holds movable pages: no need to care. */
		if (!populated_zone(zone) || zone_idx(zone) > ZONE_NORMAL)
			continue;
		nr_zones++;
	}

	recommended_min = kb->pageblock_nr_pages * (unsigned long)nr_zones * 2;
	recommended_min += kb->pageblock_nr_pages * (unsigned long)nr_zones *
			   MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	recommended_min = KB_MIN(recommended_min, nr_free_buffer_pages(kb) / 20);
	recommended_min <<= (PAGE_SHIFT - 10);

	if (recommended_min > (unsigned long)kb->min_free_kbytes)
		kb->min_free_kbytes = (int)recommended_min;
	setup_per_zone_wmarks(kb);
}

void calculate_totalreserve_pages(struct kb_instance *kb)
{
	unsigned long reserve_pages = 0;
	int nid;

	for (nid = 0; nid < kb->nr_node_ids; nid++) {
		pg_data_t *pgdat = &kb->node_data[nid];
		int i, j;

		pgdat->totalreserve_pages = 0;
		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			unsigned long managed_pages = zone_managed_pages(zone);
			long max = 0;

			/* Find the largest lowmem_reserve of the zone */
			for (j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];

			/* we treat the high watermark as reserved pages. */
			max += (long)high_wmark_pages(zone);
			if (max > (long)managed_pages)
				max = (long)managed_pages;

			pgdat->totalreserve_pages += (unsigned long)max;
			reserve_pages += (unsigned long)max;
		}
	}
	kb->totalreserve_pages = reserve_pages;
}

/* lowmem_reserve[j] of zone i = managed pages of zones i+1..j / ratio[i]. */
void setup_per_zone_lowmem_reserve(struct kb_instance *kb)
{
	int nid;

	for (nid = 0; nid < kb->nr_node_ids; nid++) {
		pg_data_t *pgdat = &kb->node_data[nid];
		int i, j;

		for (i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = kb->sysctl_lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone_managed_pages(zone);
			unsigned long managed_pages = 0;

			for (j = i + 1; j < MAX_NR_ZONES; j++) {
				managed_pages += zone_managed_pages(&pgdat->node_zones[j]);
#ifdef KB_BUG_lowmem_reserve_ignored
				(void)clear;
				(void)managed_pages;
				zone->lowmem_reserve[j] = 0;
#else
				if (clear)
					zone->lowmem_reserve[j] = 0;
				else
					zone->lowmem_reserve[j] = (long)(managed_pages /
									 (unsigned long)ratio);
#endif
			}
		}
	}
	calculate_totalreserve_pages(kb);
}

static void __setup_per_zone_wmarks(struct kb_instance *kb)
{
	unsigned long pages_min = (unsigned long)kb->min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	/* Total managed pages outside HIGHMEM (and, since 6.2, ZONE_MOVABLE) */
	for_each_zone(kb, zone)
		if (KB_WMARK_MOVABLE_IS_LOWMEM || zone_idx(zone) != ZONE_MOVABLE)
			lowmem_pages += zone_managed_pages(zone);

	for_each_zone(kb, zone) {
		unsigned long tmp = 0;
		unsigned long scaled;

		if (lowmem_pages)
			tmp = (unsigned long)((unsigned long long)pages_min *
					      zone_managed_pages(zone) / lowmem_pages);
		if (!KB_WMARK_MOVABLE_IS_LOWMEM && zone_idx(zone) == ZONE_MOVABLE) {
			/*
			 * __GFP_HIGH and PF_MEMALLOC allocations rarely need
			 * movable pages: cap the min watermark to a small value.
			 */
			unsigned long min_pages = zone_managed_pages(zone) / 1024;

			zone->_watermark[WMARK_MIN] = KB_CLAMP(min_pages, SWAP_CLUSTER_MAX, 128UL);
		} else {
			/* A lowmem zone reserves in proportion to its size. */
			zone->_watermark[WMARK_MIN] = tmp;
		}

		/* The kswapd distances scale with the zone, with a floor. */
		scaled = (unsigned long)((unsigned long long)zone_managed_pages(zone) *
					 (unsigned long)kb->watermark_scale_factor / 10000);
		tmp = KB_MAX(tmp >> 2, scaled);

		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + tmp;
	}
	calculate_totalreserve_pages(kb);
}

/* Recomputes the watermarks, then the pcp batch and high that follow them. */
void setup_per_zone_wmarks(struct kb_instance *kb)
{
	struct zone *zone;

	__setup_per_zone_wmarks(kb);
	for_each_zone(kb, zone)
		zone_pcp_update(kb, zone, false);
}

/*
 * init_per_zone_wmark_min (postcore_initcall): min_free_kbytes from the
 * managed pages of this moment of boot, the watermarks (and the pcp sizes
 * that follow them), the vmstat thresholds, the lowmem reserves.
 * khugepaged is not running yet, so its update does nothing here.
 */
void init_per_zone_wmark_min(struct kb_instance *kb)
{
	if (kb->layout.min_free_kbytes >= 0) {
		/* The layout states min_free_kbytes as a sysctl write would. */
		kb->min_free_kbytes = (int)kb->layout.min_free_kbytes;
		kb->user_min_free_kbytes = (int)kb->layout.min_free_kbytes;
	} else {
		calculate_min_free_kbytes(kb);
	}
	setup_per_zone_wmarks(kb);
	refresh_zone_stat_thresholds(kb);
	setup_per_zone_lowmem_reserve(kb);
}

/*
 * Raises the zone's watermark boost by a pageblock after a fragmenting
 * fallback, up to watermark_boost_factor of the high watermark.
 */
bool boost_watermark(struct kb_instance *kb, struct zone *zone)
{
	unsigned long max_boost;

	if (!kb->watermark_boost_factor)
		return false;
	/* Boosting small zones would cause an OOM straight away. */
	if (kb->pageblock_nr_pages * 4 > zone_managed_pages(zone))
		return false;

	max_boost = (unsigned long)((unsigned long long)zone->_watermark[WMARK_HIGH] *
				    (unsigned long)kb->watermark_boost_factor / 10000);
	/* The high watermark may not be set up yet: do not boost then. */
	if (!max_boost)
		return false;

	max_boost = KB_MAX(kb->pageblock_nr_pages, max_boost);
	zone->watermark_boost = KB_MIN(zone->watermark_boost + kb->pageblock_nr_pages,
				       max_boost);
	kb->vm_events[WMARK_BOOST]++;
	return true;
}

/* Free pages this request may not count: its own order, reserves it cannot use. */
static long __zone_watermark_unusable_free(struct zone *z, unsigned int order,
					   unsigned int alloc_flags)
{
	long unusable_free = (1L << order) - 1;

	/* Without reserve rights, the free highatomic pages are off limits. */
	if (!(alloc_flags & ALLOC_RESERVES))
#ifdef KB_BUG_watermark_reserved_not_free
		/* mutant: the whole reserve, not its free part (fixed in 2024) */
		unusable_free += (long)z->nr_reserved_highatomic;
#else
		unusable_free += (long)z->nr_free_highatomic;
#endif
	/* If allocation can't use CMA areas don't use free CMA pages */
	if (!(alloc_flags & ALLOC_CMA))
		unusable_free += (long)zone_page_state(z, NR_FREE_CMA_PAGES);
	return unusable_free;
}

bool __zone_watermark_ok(struct kb_instance *kb, struct zone *z, unsigned int order,
			 unsigned long mark, int highest_zoneidx,
			 unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	unsigned int o;

	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);

	if (alloc_flags & ALLOC_RESERVES) {
		/* __GFP_HIGH may use half of the min reserve. */
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			/* Non-blocking requests (GFP_ATOMIC) a quarter more. */
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		/* OOM victims are about to free memory: half again. */
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}

	/*
	 * The order-0 watermark must hold: a high-order request cannot go
	 * ahead otherwise, even if a suitable page happens to be free.
	 */
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;

	if (!order)
		return true;

	/* For a high-order request, check at least one suitable page is free */
#ifdef KB_BUG_watermark_order_off_by_one
	for (o = order + 1; o <= kb->max_order; o++) {
#else
	for (o = order; o <= kb->max_order; o++) {
#endif
		struct free_area *area = &z->free_area[o];
		int mt;

		if (!area->nr_free)
			continue;
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & ALLOC_CMA) && !list_empty(&area->free_list[MIGRATE_CMA]))
			return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    !list_empty(&area->free_list[MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

bool zone_watermark_ok(struct kb_instance *kb, struct zone *z, unsigned int order,
		       unsigned long mark, int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(kb, z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

/* The allocation fast path's check: a cheap order-0 test first. */
bool zone_watermark_fast(struct kb_instance *kb, struct zone *z, unsigned int order,
			 unsigned long mark, int highest_zoneidx, unsigned int alloc_flags)
{
	long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);

	if (!order) {
		long usable_free = free_pages;
		long reserved = __zone_watermark_unusable_free(z, 0, alloc_flags);

		/* reserved may over estimate high-atomic reserves. */
		usable_free -= KB_MIN(usable_free, reserved);
		if (usable_free > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}

	if (__zone_watermark_ok(kb, z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;

	/*
	 * __GFP_HIGH order-0 requests ignore the boost when checking the min
	 * watermark, so kswapd is woken below low rather than requests failing.
	 */
	if (!order && (alloc_flags & ALLOC_MIN_RESERVE) && z->watermark_boost &&
	    (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN) {
		mark = z->_watermark[WMARK_MIN];
		return __zone_watermark_ok(kb, z, order, mark, highest_zoneidx, alloc_flags,
					   free_pages);
	}
	return false;
}
