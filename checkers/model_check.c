// SPDX-License-Identifier: GPL-2.0
/*
 * The model against the allocator: every number the model derives, set
 * beside the one the allocator holds, each comparison its own invariant
 * (docs/invariants.md, "the reference model"). The order is fixed, the
 * most basic first, so a wrong managed count is reported as that and not
 * as the watermarks that follow from it.
 */
#include "model.h"
#include "../core/internal.h"

#define for_each_model_zone(m, nid, zid)				\
	for (int nid = 0; nid < (m)->nr_nodes; nid++)			\
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)

static int check_topology(const struct kb_model *m, const struct kb_instance *kb,
			  struct kb_violation *v)
{
	if (kb->max_order != m->max_order || kb->pageblock_order != m->pageblock_order ||
	    kb->pageblock_nr_pages != m->pageblock_nr_pages || kb->max_pfn != m->max_pfn ||
	    kb->nr_pageblocks != m->max_pfn >> m->pageblock_order) {
		kb_violation_set(v, "model-topology", -1, -1, 0, -1, -1,
				 "geometry max_order %u pageblock_order %u (%lu pages) max_pfn %#lx %lu pageblocks; the layout gives %u, %u (%lu), %#lx, %lu",
				 kb->max_order, kb->pageblock_order, kb->pageblock_nr_pages,
				 kb->max_pfn, kb->nr_pageblocks, m->max_order, m->pageblock_order,
				 m->pageblock_nr_pages, m->max_pfn, m->max_pfn >> m->pageblock_order);
		return 1;
	}
	if (kb->nr_node_ids != m->nr_nodes || kb->nr_cpu_ids != m->nr_cpus) {
		kb_violation_set(v, "model-topology", -1, -1, 0, -1, -1,
				 "%d nodes and %d CPUs; the layout has %d and %d",
				 kb->nr_node_ids, kb->nr_cpu_ids, m->nr_nodes, m->nr_cpus);
		return 1;
	}
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (kb->cpu_to_node[cpu] != m->cpu_to_node[cpu]) {
			kb_violation_set(v, "model-topology", kb->cpu_to_node[cpu], -1, 0, -1, -1,
					 "CPU %d is on node %d; the layout puts it on node %d",
					 cpu, kb->cpu_to_node[cpu], m->cpu_to_node[cpu]);
			return 1;
		}
	for (int a = 0; a < m->nr_nodes; a++) {
		if (kb->node_data[a].nr_cpus != m->node[a].nr_cpus ||
		    kb->node_data[a].node_id != a) {
			kb_violation_set(v, "model-topology", a, -1, 0, -1, -1,
					 "node %d has id %d and %d CPUs; the layout gives it %d",
					 a, kb->node_data[a].node_id, kb->node_data[a].nr_cpus,
					 m->node[a].nr_cpus);
			return 1;
		}
		for (int b = 0; b < m->nr_nodes; b++)
			if (kb->node_distance[a][b] != m->layout.node[a].distance[b]) {
				kb_violation_set(v, "model-topology", a, -1, 0, -1, -1,
						 "node_distance(%d, %d) is %d; the layout says %d",
						 a, b, kb->node_distance[a][b],
						 m->layout.node[a].distance[b]);
				return 1;
			}
	}
	return 0;
}

static int check_managed(const struct kb_model *m, const struct kb_instance *kb,
			 struct kb_violation *v)
{
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		if (zone->spanned_pages != z->spanned ||
		    (z->spanned && zone->zone_start_pfn != z->start_pfn) ||
		    zone->present_pages != z->present || zone->managed_pages != z->managed ||
		    zone->cma_pages != z->cma) {
			kb_violation_set(v, "model-managed", nid, zid, zone->zone_start_pfn, -1, -1,
					 "start %#lx spanned %lu present %lu managed %lu cma %lu; the layout gives %#lx, %lu, %lu, %lu, %lu",
					 zone->zone_start_pfn, zone->spanned_pages, zone->present_pages,
					 zone->managed_pages, zone->cma_pages, z->start_pfn, z->spanned,
					 z->present, z->managed, z->cma);
			return 1;
		}
	}
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		const pg_data_t *pgdat = &kb->node_data[nid];
		const struct kb_model_node *n = &m->node[nid];

		if (pgdat->node_present_pages != n->present || pgdat->node_spanned_pages != n->spanned ||
		    (n->spanned && pgdat->node_start_pfn != n->start_pfn)) {
			kb_violation_set(v, "model-managed", nid, -1, pgdat->node_start_pfn, -1, -1,
					 "node start %#lx spanned %lu present %lu; the layout gives %#lx, %lu, %lu",
					 pgdat->node_start_pfn, pgdat->node_spanned_pages,
					 pgdat->node_present_pages, n->start_pfn, n->spanned, n->present);
			return 1;
		}
	}
	if (kb->totalram_pages != m->totalram || kb->totalcma_pages != m->totalcma) {
		kb_violation_set(v, "model-managed", -1, -1, 0, -1, -1,
				 "totalram_pages %lu totalcma_pages %lu; the layout gives %lu and %lu",
				 kb->totalram_pages, kb->totalcma_pages, m->totalram, m->totalcma);
		return 1;
	}
	return 0;
}

static int check_mobility(const struct kb_model *m, const struct kb_instance *kb,
			  struct kb_violation *v)
{
	if (kb->page_group_by_mobility_disabled == m->mobility_disabled)
		return 0;
	kb_violation_set(v, "model-mobility", -1, -1, 0, -1, -1,
			 "grouping by mobility is %s; with %lu-page pageblocks and this layout it should be %s",
			 kb->page_group_by_mobility_disabled ? "off" : "on", m->pageblock_nr_pages,
			 m->mobility_disabled ? "off" : "on");
	return 1;
}

static int zoneref_name(const struct kb_instance *kb, const struct zoneref *z, char *buf, size_t len)
{
	if (!z->zone)
		return snprintf(buf, len, "end");
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (z->zone == &kb->node_data[nid].node_zones[zid])
				return snprintf(buf, len, "node %d %s (idx %d)", nid,
						kb_zone_name((enum zone_type)zid), z->zone_idx);
	return snprintf(buf, len, "a zone outside the instance");
}

static int check_zonelists(const struct kb_model *m, const struct kb_instance *kb,
			   struct kb_violation *v)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int list = 0; list < MAX_ZONELISTS; list++) {
			const struct zoneref *zr = kb->node_data[nid].node_zonelists[list]._zonerefs;
			const int *want = m->node[nid].zonelist[list];

			for (int i = 0; i <= MAX_ZONES_PER_ZONELIST; i++) {
				const struct zone *expect = NULL;
				int zid = 0;
				char got[64], exp[32];

				if (want[i] >= 0) {
					zid = want[i] % MAX_NR_ZONES;
					expect = &kb->node_data[want[i] / MAX_NR_ZONES].node_zones[zid];
				}
				if (zr[i].zone == expect && (!expect || zr[i].zone_idx == zid)) {
					if (!expect)
						break;
					continue;
				}
				zoneref_name(kb, &zr[i], got, sizeof(got));
				if (expect)
					snprintf(exp, sizeof(exp), "node %d %s", want[i] / MAX_NR_ZONES,
						 kb_zone_name((enum zone_type)zid));
				else
					snprintf(exp, sizeof(exp), "the end");
				kb_violation_set(v, "model-zonelist", nid, -1, 0, -1, -1,
						 "%s zonelist of node %d: entry %d is %s, the model has %s",
						 list == ZONELIST_FALLBACK ? "fallback" : "__GFP_THISNODE",
						 nid, i, got, exp);
				return 1;
			}
		}
	return 0;
}

/* The allocator's answers to every zone-bit and mobility-bit combination. */
static int check_gfp_of(const struct kb_model *m, struct kb_instance *kb, struct kb_violation *v)
{
	int zone_of[16], mt_of[4];

	for (gfp_t bits = 0; bits < 16; bits++) {
		bool bad;
		enum zone_type z = gfp_zone(bits, &bad);

		zone_of[bits] = bad ? -1 : (int)z;
	}
	for (gfp_t bits = 0; bits < 4; bits++)
		mt_of[bits] = gfp_migratetype(kb, bits << GFP_MOVABLE_SHIFT);
	return kb_model_check_gfp(m, zone_of, mt_of, v);
}

int kb_model_check_gfp(const struct kb_model *m, const int zone_of[16], const int mt_of[4],
		       struct kb_violation *v)
{
	for (gfp_t bits = 0; bits < 16; bits++) {
		int want = kb_model_gfp_zone(bits);

		if (zone_of[bits] != want) {
			char name[96];

			kb_gfp_format(bits, name, sizeof(name));
			kb_violation_set(v, "model-gfp-zone", -1, zone_of[bits], 0, -1, -1,
					 "gfp_zone(%s) is %s; the rules give %s", name,
					 zone_of[bits] < 0 ? "GFP_ZONE_BAD" :
					 kb_zone_name((enum zone_type)zone_of[bits]),
					 want < 0 ? "GFP_ZONE_BAD" : kb_zone_name((enum zone_type)want));
			return 1;
		}
	}
	for (gfp_t bits = 0; bits < 4; bits++) {
		int want = kb_model_gfp_migratetype(m, bits << GFP_MOVABLE_SHIFT);

		if (mt_of[bits] != want) {
			kb_violation_set(v, "model-gfp-migratetype", -1, -1, 0, -1, mt_of[bits],
					 "gfp_migratetype of mobility bits %#x is %d; the rules give %d (grouping by mobility %s)",
					 bits << GFP_MOVABLE_SHIFT, mt_of[bits], want,
					 m->mobility_disabled ? "off" : "on");
			return 1;
		}
	}
	return 0;
}

static int check_sysctls(const struct kb_model *m, const struct kb_instance *kb,
			 struct kb_violation *v)
{
	const struct kb_model_sysctl *s = &m->sys;
	const char *which = NULL;
	long got = 0, want = 0;

	if (kb->watermark_scale_factor != s->watermark_scale_factor) {
		which = "watermark_scale_factor";
		got = kb->watermark_scale_factor;
		want = s->watermark_scale_factor;
	} else if (kb->watermark_boost_factor != s->watermark_boost_factor) {
		which = "watermark_boost_factor";
		got = kb->watermark_boost_factor;
		want = s->watermark_boost_factor;
	} else if (kb->percpu_pagelist_high_fraction != s->percpu_pagelist_high_fraction) {
		which = "percpu_pagelist_high_fraction";
		got = kb->percpu_pagelist_high_fraction;
		want = s->percpu_pagelist_high_fraction;
	}
	for (int zid = 0; !which && zid < MAX_NR_ZONES; zid++)
		if (kb->sysctl_lowmem_reserve_ratio[zid] != s->lowmem_reserve_ratio[zid]) {
			which = "lowmem_reserve_ratio";
			got = kb->sysctl_lowmem_reserve_ratio[zid];
			want = s->lowmem_reserve_ratio[zid];
		}
	if (!which)
		return 0;
	kb_violation_set(v, "model-sysctl", -1, -1, 0, -1, -1,
			 "%s is %ld; the user's writes leave it at %ld", which, got, want);
	return 1;
}

static int check_min_free_kbytes(const struct kb_model *m, const struct kb_instance *kb,
				 struct kb_violation *v)
{
	if (kb->min_free_kbytes == m->sys.min_free_kbytes &&
	    kb->user_min_free_kbytes == m->sys.user_min_free_kbytes)
		return 0;
	kb_violation_set(v, "model-min-free-kbytes", -1, -1, 0, -1, -1,
			 "min_free_kbytes %d (user %d); the model has %d (user %d)",
			 kb->min_free_kbytes, kb->user_min_free_kbytes, m->sys.min_free_kbytes,
			 m->sys.user_min_free_kbytes);
	return 1;
}

static int check_watermarks(const struct kb_model *m, const struct kb_instance *kb,
			    struct kb_violation *v)
{
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		for (int w = 0; w < NR_WMARK; w++)
			if (zone->_watermark[w] != z->wmark[w]) {
				kb_violation_set(v, "model-watermark", nid, zid, zone->zone_start_pfn, -1, -1,
						 "watermarks min %lu low %lu high %lu promo %lu; the model has %lu, %lu, %lu, %lu (min_free_kbytes %d, watermark_scale_factor %d, managed %lu)",
						 zone->_watermark[WMARK_MIN], zone->_watermark[WMARK_LOW],
						 zone->_watermark[WMARK_HIGH], zone->_watermark[WMARK_PROMO],
						 z->wmark[WMARK_MIN], z->wmark[WMARK_LOW],
						 z->wmark[WMARK_HIGH], z->wmark[WMARK_PROMO],
						 m->sys.min_free_kbytes, m->sys.watermark_scale_factor,
						 z->managed);
				return 1;
			}
	}
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		if (zone->watermark_boost > z->boost_cap) {
			kb_violation_set(v, "model-watermark-boost", nid, zid, zone->zone_start_pfn, -1, -1,
					 "watermark_boost %lu exceeds its cap %lu (high %lu, watermark_boost_factor %d, managed %lu, pageblock %lu pages)",
					 zone->watermark_boost, z->boost_cap, z->wmark[WMARK_HIGH],
					 m->sys.watermark_boost_factor, z->managed,
					 m->pageblock_nr_pages);
			return 1;
		}
	}
	return 0;
}

static int check_reserves(const struct kb_model *m, const struct kb_instance *kb,
			  struct kb_violation *v)
{
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		for (int j = 0; j < MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] != z->lowmem_reserve[j]) {
				kb_violation_set(v, "model-lowmem-reserve", nid, zid, zone->zone_start_pfn, -1, -1,
						 "lowmem_reserve[%s] is %ld; the model has %ld (ratio %d, managed above %s)",
						 kb_zone_name((enum zone_type)j), zone->lowmem_reserve[j],
						 z->lowmem_reserve[j], m->sys.lowmem_reserve_ratio[zid],
						 zone->name);
				return 1;
			}
	}
	for (int nid = 0; nid < m->nr_nodes; nid++)
		if (kb->node_data[nid].totalreserve_pages != m->node[nid].totalreserve) {
			kb_violation_set(v, "model-totalreserve", nid, -1, 0, -1, -1,
					 "node %d totalreserve_pages %lu; the model has %lu",
					 nid, kb->node_data[nid].totalreserve_pages,
					 m->node[nid].totalreserve);
			return 1;
		}
	if (kb->totalreserve_pages != m->totalreserve) {
		kb_violation_set(v, "model-totalreserve", -1, -1, 0, -1, -1,
				 "totalreserve_pages %lu; the model has %lu",
				 kb->totalreserve_pages, m->totalreserve);
		return 1;
	}
	return 0;
}

static int check_pcp(const struct kb_model *m, const struct kb_instance *kb,
		     struct kb_violation *v)
{
	if (kb->pcp_batch_high_lock_held != (m->pcp_locked >= 0)) {
		kb_violation_set(v, "model-pcp-disable", -1, -1, 0, -1, -1,
				 "pcp_batch_high_lock is %s; the zone_pcp_disable/enable calls leave it %s",
				 kb->pcp_batch_high_lock_held ? "held" : "free",
				 m->pcp_locked >= 0 ? "held" : "free");
		return 1;
	}
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		if ((zone->pcp_disabled != 0) != z->pcp_disabled) {
			kb_violation_set(v, "model-pcp-disable", nid, zid, zone->zone_start_pfn, -1, -1,
					 "pcp_disabled is %d; the zone_pcp_disable/enable calls leave it %d",
					 zone->pcp_disabled, z->pcp_disabled);
			return 1;
		}
	}
	/* the pagesets of populated zones (an empty zone's point at the boot pageset) */
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		if (!z->present)
			continue;
		if (zone->pageset_batch != z->batch) {
			kb_violation_set(v, "model-pcp-batch", nid, zid, zone->zone_start_pfn, -1, -1,
					 "pageset batch %d; the model has %d (managed %lu)",
					 zone->pageset_batch, z->batch, z->managed);
			return 1;
		}
		for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
			const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
			int want = z->pcp_disabled ? 1 : z->batch;

			if (pcp->batch != want) {
				kb_violation_set(v, "model-pcp-batch", nid, zid, zone->zone_start_pfn, -1, -1,
						 "CPU %d's pcp batch %d; the model has %d%s", cpu,
						 pcp->batch, want, z->pcp_disabled ? " (pcp disabled)" : "");
				return 1;
			}
		}
	}
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		if (!z->present)
			continue;
		if (zone->pageset_high_min != z->high_min || zone->pageset_high_max != z->high_max) {
			kb_violation_set(v, "model-pcp-high", nid, zid, zone->zone_start_pfn, -1, -1,
					 "pageset high_min %d high_max %d; the model has %d and %d (low watermark %lu, fraction %d)",
					 zone->pageset_high_min, zone->pageset_high_max, z->high_min,
					 z->high_max, z->wmark[WMARK_LOW],
					 m->sys.percpu_pagelist_high_fraction);
			return 1;
		}
		for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
			const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
			int lo = z->pcp_disabled ? 0 : z->high_min;
			int hi = z->pcp_disabled ? 0 : z->high_max;
			bool bad_high;

			/*
			 * Before 6.7 pcp->high is the static limit itself. Since,
			 * it is clamped when used, not when its limits change: 0
			 * (never used) or within the bounds they have had (a large
			 * low watermark can put high_min above high_max; the clamps
			 * then leave pcp->high at either bound).
			 */
			if (!KB_PCP_HIGH_AUTOTUNE)
				bad_high = pcp->high != lo;
			else
				bad_high = pcp->high != 0 &&
					   (pcp->high < z->high_floor || pcp->high > z->high_ceiling);
			if (pcp->high_min != lo || pcp->high_max != hi || bad_high) {
				kb_violation_set(v, "model-pcp-high", nid, zid, zone->zone_start_pfn, -1, -1,
						 "CPU %d's pcp high %d high_min %d high_max %d; the model has high_min %d high_max %d%s",
						 cpu, pcp->high, pcp->high_min, pcp->high_max, lo, hi,
						 z->pcp_disabled ? " (pcp disabled)" : "");
				return 1;
			}
		}
	}
	return 0;
}

static int check_highatomic(const struct kb_model *m, const struct kb_instance *kb,
			    struct kb_violation *v)
{
	for_each_model_zone(m, nid, zid) {
		const struct kb_model_zone *z = &m->node[nid].zone[zid];
		const struct zone *zone = &kb->node_data[nid].node_zones[zid];

		if (zone->nr_reserved_highatomic > z->highatomic_cap) {
			kb_violation_set(v, "model-highatomic-cap", nid, zid, zone->zone_start_pfn, -1,
					 MIGRATE_HIGHATOMIC,
					 "nr_reserved_highatomic %lu exceeds the model's cap %lu (managed %lu)",
					 zone->nr_reserved_highatomic, z->highatomic_cap, z->managed);
			return 1;
		}
	}
	return 0;
}

int kb_model_check(const struct kb_model *m, struct kb_instance *kb, struct kb_violation *v)
{
	return check_topology(m, kb, v) ||
	       check_managed(m, kb, v) ||
	       check_mobility(m, kb, v) ||
	       check_zonelists(m, kb, v) ||
	       check_gfp_of(m, kb, v) ||
	       check_sysctls(m, kb, v) ||
	       check_min_free_kbytes(m, kb, v) ||
	       check_watermarks(m, kb, v) ||
	       check_reserves(m, kb, v) ||
	       check_pcp(m, kb, v) ||
	       check_highatomic(m, kb, v);
}
