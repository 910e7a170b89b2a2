// SPDX-License-Identifier: GPL-2.0
/*
 * The model's watermarks and reserves (mm/page_alloc.c:
 * calculate_min_free_kbytes, __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, calculate_totalreserve_pages,
 * boost_watermark's cap, reserve_highatomic_pageblock's cap;
 * mm/khugepaged.c: set_recommended_min_free_kbytes).
 */
#include "model.h"
#include "../core/profile.h"

/* x * n / d without overflowing x * n (the kernel's mult_frac). */
static unsigned long mult_frac(unsigned long x, unsigned long n, unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

/* The largest r with r * r <= x, by bisection. */
static unsigned long isqrt(unsigned long x)
{
	unsigned long lo = 0, hi = 1UL << 32;

	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if ((unsigned long long)mid * mid <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static unsigned long high_wmark(const struct kb_model_zone *z, unsigned long boost)
{
	return z->wmark[WMARK_HIGH] + boost;
}

/*
 * nr_free_buffer_pages: pages above the high watermark in the zones of the
 * boot CPU's zonelist up to gfp_zone(GFP_USER), ZONE_NORMAL. Called while
 * booting, when no zone is boosted.
 */
static unsigned long nr_free_buffer_pages(const struct kb_model *m)
{
	const int *zl = kb_model_zonelist(m, m->cpu_to_node[0], false);
	unsigned long sum = 0;

	for (int i = 0; zl[i] >= 0; i++) {
		const struct kb_model_zone *z = kb_model_zone(m, zl[i]);

		if (zl[i] % MAX_NR_ZONES > ZONE_NORMAL)
			continue;
		if (z->managed > high_wmark(z, 0))
			sum += z->managed - high_wmark(z, 0);
	}
	return sum;
}

/* calculate_min_free_kbytes: 4 * sqrt(lowmem in KiB), within [128 KiB, 256 MiB]. */
static void calculate_min_free_kbytes(struct kb_model *m)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages(m) * (PAGE_SIZE >> 10);
	long new_min = (long)isqrt(lowmem_kbytes * 16);

	if (new_min > m->sys.user_min_free_kbytes)
		m->sys.min_free_kbytes = (int)(new_min < 128 ? 128 : new_min > 262144 ? 262144 : new_min);
}

/*
 * set_recommended_min_free_kbytes with THP enabled: two free pageblocks per
 * lowmem zone plus one per pair of pcp types, at most 5% of lowmem.
 */
static bool thp_recommended_min_free_kbytes(struct kb_model *m)
{
	unsigned long nr_zones = 0, recommended;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid <= ZONE_NORMAL; zid++)
			if (m->node[nid].zone[zid].present)
				nr_zones++;
	recommended = m->pageblock_nr_pages * nr_zones * 2 +
		      m->pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	if (recommended > nr_free_buffer_pages(m) / 20)
		recommended = nr_free_buffer_pages(m) / 20;
	recommended *= PAGE_SIZE >> 10;
	if (recommended <= (unsigned long)m->sys.min_free_kbytes)
		return false;
	m->sys.min_free_kbytes = (int)recommended;
	return true;
}

/* __setup_per_zone_wmarks, then what setup_per_zone_wmarks updates after it. */
void kb_model_setup_wmarks(struct kb_model *m)
{
	static const unsigned long no_boost[KB_MAX_NODES][MAX_NR_ZONES];
	unsigned long pages_min = (unsigned long)m->sys.min_free_kbytes / (PAGE_SIZE >> 10);
	unsigned long lowmem = 0;

	/* ZONE_MOVABLE is no lowmem since 6.2 (KB_WMARK_MOVABLE_IS_LOWMEM before) */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (KB_WMARK_MOVABLE_IS_LOWMEM || zid != ZONE_MOVABLE)
				lowmem += m->node[nid].zone[zid].managed;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct kb_model_zone *z = &m->node[nid].zone[zid];
			/* a share of pages_min in proportion to the zone (0 without lowmem) */
			unsigned long share = lowmem ?
				(unsigned long)((unsigned long long)pages_min * z->managed / lowmem) : 0;
			unsigned long gap;

			if (!KB_WMARK_MOVABLE_IS_LOWMEM && zid == ZONE_MOVABLE) {
				/* a small min: __GFP_HIGH and PF_MEMALLOC rarely need it */
				unsigned long min = z->managed / 1024;

				z->wmark[WMARK_MIN] = min < SWAP_CLUSTER_MAX ? SWAP_CLUSTER_MAX :
						      min > 128 ? 128 : min;
			} else {
				z->wmark[WMARK_MIN] = share;
			}
			gap = mult_frac(z->managed, (unsigned long)m->sys.watermark_scale_factor, 10000);
			if (share / 4 > gap)
				gap = share / 4;
			z->wmark[WMARK_LOW] = z->wmark[WMARK_MIN] + gap;
			z->wmark[WMARK_HIGH] = z->wmark[WMARK_LOW] + gap;
			z->wmark[WMARK_PROMO] = z->wmark[WMARK_HIGH] + gap;
		}
	/* the boost went back to 0 */
	kb_model_boost_caps(m, true);
	kb_model_totalreserve(m, no_boost);
	kb_model_pcp_update(m, false, no_boost);
}

/*
 * boost_watermark's limit: nothing when boosting is off, when the zone is
 * smaller than four pageblocks, or when the factor's share of the high
 * watermark is 0; else that share but at least a pageblock. A boost
 * reached under an earlier, larger factor stays until the next watermark
 * reset, so the cap is the largest since then.
 */
void kb_model_boost_caps(struct kb_model *m, bool reset)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct kb_model_zone *z = &m->node[nid].zone[zid];
			unsigned long cap = 0;

			if (m->sys.watermark_boost_factor &&
			    m->pageblock_nr_pages * 4 <= z->managed) {
				cap = mult_frac(z->wmark[WMARK_HIGH],
						(unsigned long)m->sys.watermark_boost_factor, 10000);
				if (cap && cap < m->pageblock_nr_pages)
					cap = m->pageblock_nr_pages;
			}
			if (reset || cap > z->boost_cap)
				z->boost_cap = cap;
		}
}

/*
 * lowmem_reserve[j] of zone i: the managed pages of zones i+1..j of the
 * node over ratio[i]; 0 when the ratio is 0 or zone i manages nothing.
 * Entries j <= i, and the top zone's row, are never set.
 */
void kb_model_setup_lowmem_reserve(struct kb_model *m, const struct kb_instance *kb)
{
	unsigned long boost[KB_MAX_NODES][MAX_NR_ZONES] = { { 0 } };

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct kb_model_zone *z = &m->node[nid].zone[i];
			int ratio = m->sys.lowmem_reserve_ratio[i];
			unsigned long above = 0;

			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				above += m->node[nid].zone[j].managed;
				z->lowmem_reserve[j] = (!ratio || !z->managed) ? 0 :
						       (long)(above / (unsigned long)ratio);
			}
		}
	/* totalreserve_pages counts the boost of this moment (see model.h) */
	for (int nid = 0; kb && nid < m->nr_nodes && nid < kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			boost[nid][zid] = kb->node_data[nid].node_zones[zid].watermark_boost;
	kb_model_totalreserve(m, boost);
}

/* Each zone reserves its largest lowmem_reserve plus its high watermark, at most all it manages. */
void kb_model_totalreserve(struct kb_model *m, const unsigned long boost[KB_MAX_NODES][MAX_NR_ZONES])
{
	m->totalreserve = 0;
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		struct kb_model_node *n = &m->node[nid];

		n->totalreserve = 0;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct kb_model_zone *z = &n->zone[i];
			unsigned long most = 0;

			for (int j = i; j < MAX_NR_ZONES; j++)
				if (z->lowmem_reserve[j] > 0 && (unsigned long)z->lowmem_reserve[j] > most)
					most = (unsigned long)z->lowmem_reserve[j];
			most += high_wmark(z, boost[nid][i]);
			n->totalreserve += most < z->managed ? most : z->managed;
		}
		m->totalreserve += n->totalreserve;
	}
}

/* init_per_zone_wmark_min (postcore_initcall): khugepaged is not up yet. */
void kb_model_init_min_free_kbytes(struct kb_model *m)
{
	long layout_min = m->layout.min_free_kbytes;

	if (layout_min >= 0) {
		/* the layout states min_free_kbytes as a sysctl write would */
		m->sys.min_free_kbytes = (int)layout_min;
		m->sys.user_min_free_kbytes = (int)layout_min;
	} else {
		calculate_min_free_kbytes(m);
	}
	kb_model_setup_wmarks(m);
	kb_model_setup_lowmem_reserve(m, NULL);
}

/*
 * hugepage_init (subsys_initcall): THP stays off below KB_THP_MIN_RAM_MB
 * of RAM unless the layout forces it on; otherwise khugepaged's
 * start-or-stop path raises min_free_kbytes (THP on) or recomputes the
 * default (THP off), and sets the watermarks up again. A min_free_kbytes
 * the layout states is kept.
 */
void kb_model_hugepage_init(struct kb_model *m)
{
	unsigned long small = (unsigned long)KB_THP_MIN_RAM_MB << (20 - PAGE_SHIFT);
	enum kb_thp_mode mode = m->layout.thp;
	bool on;

	if (mode != KB_THP_ON && m->totalram < small)
		return;
	on = mode == KB_THP_ON || (mode == KB_THP_AUTO && KB_THP_DEFAULT_ENABLED);
	if (m->layout.min_free_kbytes >= 0)
		return;
	if (on)
		thp_recommended_min_free_kbytes(m);
	else
		calculate_min_free_kbytes(m);
	kb_model_setup_wmarks(m);
}

/*
 * reserve_highatomic_pageblock reserves nothing when 1% of the zone is
 * less than a pageblock, and no more once the reserve reaches 1% rounded
 * up to pageblocks; one reservation of a buddy of MAX_PAGE_ORDER adds up
 * to 1 << MAX_PAGE_ORDER pages from just below that.
 */
unsigned long kb_model_highatomic_cap(const struct kb_model *m, const struct kb_model_zone *z)
{
	unsigned long pb = m->pageblock_nr_pages, one_percent = z->managed / 100;
	/* before 6.7: reserved in any zone while below 1% plus a pageblock */
	unsigned long limit = KB_HIGHATOMIC_CAP_ALIGNED ? one_percent : one_percent + pb;

	if (KB_HIGHATOMIC_CAP_ALIGNED && one_percent < pb)
		return 0;
	return (limit + pb - 1) / pb * pb - pb + (1UL << m->max_order);
}
