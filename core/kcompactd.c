// SPDX-License-Identifier: GPL-2.0
/*
 * kcompactd (mm/compaction.c): the per-node compaction thread. It is
 * woken for an order (wakeup_kcompactd) and then compacts the node's
 * zones for it (kcompactd_do_work); otherwise, every
 * HPAGE_FRAG_CHECK_INTERVAL_MSEC, it compacts proactively when the node's
 * fragmentation score is above compaction_proactiveness's high mark.
 *
 * Determinism: the thread never runs by itself. One kb_kcompactd call is
 * one pass of its loop: the work it was woken for, or else the periodic
 * proactive check (the operation "kcompactd"). The kernel's longer sleep
 * after a proactive pass that did not lower the score (the timeout
 * shifted by COMPACT_MAX_DEFER_SHIFT) is that many calls sat out. kswapd
 * is never running while the operation runs.
 */
#include "compaction.h"

unsigned int fragmentation_score_zone(const struct kb_instance *kb, const struct zone *zone)
{
	return extfrag_for_order(zone, (unsigned int)compaction_hpage_order(kb), kb->max_order);
}

/* A zone's score weighted by its share of the node's pages. */
static unsigned int fragmentation_score_zone_weighted(const struct kb_instance *kb,
						      const struct zone *zone)
{
	unsigned long score = zone->present_pages * fragmentation_score_zone(kb, zone);

	return (unsigned int)(score / (zone->zone_pgdat->node_present_pages + 1));
}

/* The node's fragmentation score, 0..100: proactive compaction's measure. */
unsigned int fragmentation_score_node(const struct kb_instance *kb, const pg_data_t *pgdat)
{
	unsigned int score = 0;

	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct zone *zone = &pgdat->node_zones[zid];

		if (populated_zone(zone))
			score += fragmentation_score_zone_weighted(kb, zone);
	}
	return score;
}

/* Proactive compaction runs above the high mark and stops at the low one. */
unsigned int fragmentation_score_wmark(const struct kb_instance *kb, bool low)
{
	unsigned int wmark_low = KB_MAX(100U - (unsigned int)kb->sysctl_compaction_proactiveness, 5U);

	return low ? wmark_low : KB_MIN(wmark_low + 10, 100U);
}

static bool should_proactive_compact_node(const struct kb_instance *kb, const pg_data_t *pgdat)
{
	if (!kb->sysctl_compaction_proactiveness)
		return false;
	return fragmentation_score_node(kb, pgdat) > fragmentation_score_wmark(kb, false);
}

static bool kcompactd_work_requested(const pg_data_t *pgdat)
{
	return pgdat->kcompactd_max_order > 0 || pgdat->proactive_compact_trigger;
}

/* Some zone up to the requested one would gain from compaction. */
static bool kcompactd_node_suitable(struct kb_instance *kb, pg_data_t *pgdat)
{
	int highest_zoneidx = (int)pgdat->kcompactd_highest_zoneidx;

	for (int zid = 0; zid <= highest_zoneidx && zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (!populated_zone(zone))
			continue;
		if (compaction_suit_allocation_order(kb, zone, pgdat->kcompactd_max_order,
						     highest_zoneidx, ALLOC_WMARK_MIN) ==
		    COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/*
 * Records a request for order up to highest_zoneidx. The kernel then
 * wakes the thread when the node is suitable; here the request waits for
 * the next kcompactd pass, which acts on it either way, as the kernel's
 * thread does when its timeout finds the request.
 */
void wakeup_kcompactd(struct kb_instance *kb, pg_data_t *pgdat, int order, int highest_zoneidx)
{
	if (!order)
		return;
	if (pgdat->kcompactd_max_order < order)
		pgdat->kcompactd_max_order = order;
	if ((int)pgdat->kcompactd_highest_zoneidx > highest_zoneidx)
		pgdat->kcompactd_highest_zoneidx = (enum zone_type)highest_zoneidx;
	(void)kcompactd_node_suitable(kb, pgdat);
}

/* The compaction kcompactd was woken for: each zone up to the requested one. */
static void kcompactd_do_work(struct kb_instance *kb, pg_data_t *pgdat)
{
	struct compact_control cc = {
		.order = pgdat->kcompactd_max_order,
		.search_order = (short)pgdat->kcompactd_max_order,
		.highest_zoneidx = (int)pgdat->kcompactd_highest_zoneidx,
		.mode = MIGRATE_SYNC_LIGHT,
		.ignore_skip_hint = false,
		.gfp_mask = GFP_KERNEL,
	};

	kb->vm_events[KCOMPACTD_WAKE]++;
	for (int zid = 0; zid <= cc.highest_zoneidx && zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];
		enum compact_result status;

		if (!populated_zone(zone))
			continue;
		if (compaction_deferred(zone, cc.order))
			continue;
		if (compaction_suit_allocation_order(kb, zone, cc.order, zid, ALLOC_WMARK_MIN) !=
		    COMPACT_CONTINUE)
			continue;
		cc.zone = zone;
		status = compact_zone(kb, &cc, NULL);
		if (status == COMPACT_SUCCESS) {
			compaction_defer_reset(zone, cc.order, false);
		} else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE) {
			/* Pages stranded on pcp lists could coalesce: drain, then defer as sync does */
			drain_all_pages(kb, zone);
			defer_compaction(zone, cc.order);
		}
		kb->vm_events[KCOMPACTD_MIGRATE_SCANNED] += cc.total_migrate_scanned;
		kb->vm_events[KCOMPACTD_FREE_SCANNED] += cc.total_free_scanned;
	}
	/* Done until woken again; a higher or tighter request made meanwhile stays */
	if (pgdat->kcompactd_max_order <= cc.order)
		pgdat->kcompactd_max_order = 0;
	if ((int)pgdat->kcompactd_highest_zoneidx >= cc.highest_zoneidx)
		pgdat->kcompactd_highest_zoneidx = (enum zone_type)(pgdat->nr_zones - 1);
}

/* compaction_proactiveness_sysctl_handler: a non-zero write triggers a proactive pass. */
void compaction_proactiveness_write(struct kb_instance *kb, int value)
{
	kb->sysctl_compaction_proactiveness = value;
	if (!value)
		return;
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		kb->node_data[nid].proactive_compact_trigger = true;
}

/* One pass of kcompactd's loop on node nid. */
int kb_kcompactd(struct kb_instance *kb, int nid)
{
	pg_data_t *pgdat;

	if (nid < 0 || nid >= kb->nr_node_ids)
		return -EINVAL;
	pgdat = &kb->node_data[nid];
	if (kcompactd_work_requested(pgdat) && !pgdat->proactive_compact_trigger) {
		kcompactd_do_work(kb, pgdat);
		/* the kernel's timeout is reset: a proactive back-off is lost here */
		pgdat->proactive_defer = 0;
		return 0;
	}
	/* the periodic proactive check; a trigger does not wait for a backed-off timeout */
	if (pgdat->proactive_defer && !pgdat->proactive_compact_trigger) {
		pgdat->proactive_defer--;
	} else {
		pgdat->proactive_defer = 0;
		if (should_proactive_compact_node(kb, pgdat)) {
			unsigned int prev_score = fragmentation_score_node(kb, pgdat);

			compact_node(kb, pgdat, true);
			if (fragmentation_score_node(kb, pgdat) >= prev_score)
				pgdat->proactive_defer = (1U << COMPACT_MAX_DEFER_SHIFT) - 1;
		}
	}
	pgdat->proactive_compact_trigger = false;
	return 0;
}

int kb_wakeup_kcompactd(struct kb_instance *kb, int nid, int order, int highest_zoneidx)
{
	if (nid < 0 || nid >= kb->nr_node_ids || order < 0 || order > (int)kb->max_order ||
	    highest_zoneidx < 0 || highest_zoneidx >= KB_NR_LAYOUT_ZONES)
		return -EINVAL;
	wakeup_kcompactd(kb, &kb->node_data[nid], order, highest_zoneidx);
	return 0;
}
