// SPDX-License-Identifier: GPL-2.0
/*
 * Zone counters (mm/vmstat.c). Every update reaches the zone's counter at
 * once: the kernel batches per-CPU differences up to a stat_threshold
 * before folding them, so its NR_FREE_PAGES lags by up to threshold x CPUs;
 * kbuddy counts exactly, and so does this (a threshold of 0 everywhere).
 */
#include <kshim/kshim.h>

void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	zone_page_state_add(delta, zone, item);
}

void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	zone_page_state_add(delta, zone, item);
}

void __mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	node_page_state_add(delta, pgdat, item);
}

void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	node_page_state_add(delta, pgdat, item);
}

/* Nothing is ever left in the per-CPU differences to fold. */
void drain_zonestat(struct zone *zone, struct per_cpu_zonestat *pzstats)
{
	(void)zone;
	(void)pzstats;
}

void refresh_zone_stat_thresholds(void)
{
}
