// SPDX-License-Identifier: GPL-2.0
/*
 * What the checker's allocation oracles (checkers/oracle.c) are shown of a
 * zone's watermark decision: its free counters and which free lists hold
 * blocks, recorded right before rmqueue at check level 2 and for every zone
 * of a request that failed.
 *
 * This only reads zone state for the checker, so fuzz builds compile it
 * like the checker (no sanitizers, -O2, Makefile): it runs for every zone
 * every allocation tries, and its 66 list-head tests under ASan and UBSan
 * cost a twentieth of fuzz_ops' time.
 */
#include "internal.h"

void kb_record_wmark_input(const struct kb_instance *kb, const struct zone *zone,
			   struct kb_wmark_input *in)
{
	unsigned int o;
	int mt;

	in->free_pages = zone->vm_stat[NR_FREE_PAGES];
	in->free_cma = zone->vm_stat[NR_FREE_CMA_PAGES];
	in->free_highatomic = (long)zone->nr_free_highatomic;
	in->boost = zone->watermark_boost;
	/* Without a branch per list. */
	for (o = 0; o <= kb->max_order; o++) {
		const struct list_head *lists = zone->free_area[o].free_list;
		unsigned int bits = 0;

		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			bits |= (unsigned int)(lists[mt].next != &lists[mt]) << mt;
		in->nonempty[o] = (uint8_t)bits;
	}
}
