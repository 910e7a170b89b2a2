/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow of free memory: what must be free, from the stream of
 * allocations and frees the caller made and nothing else. A zone starts
 * with the managed pages the reference model derives from the layout;
 * every page the shadow records as held (kb_shadow_alloc and friends) is
 * taken from the zone the layout puts its pfn in, every page given back
 * returns to it. The same is kept per piece of pageblock (a pageblock
 * within one zone), so that free memory can be grouped by the migratetype
 * of its pageblock.
 *
 * Compared with the allocator's counters and lists, this is conservation
 * that reads none of the allocator's own bookkeeping (no managed_pages,
 * no PG_reserved, no page->zone):
 *  - "shadow-free-zone": per zone, NR_FREE_PAGES + the pages of every
 *    CPU's pcp->count + the free pages on the ISOLATE lists (in no
 *    counter) equal the shadow's free pages;
 *  - "shadow-free-migratetype": per zone and migratetype, the pages on the
 *    free lists of that type plus the pcp pages in pageblocks of that type
 *    equal the shadow's free pages in the zone's pageblocks of that type.
 */
#ifndef KB_SHADOW_FREE_H
#define KB_SHADOW_FREE_H

#include "check.h"
#include "model.h"

/*
 * Gives the shadow the model whose managed pages it starts from (booted
 * from the instance's layout; it must outlive the shadow's use). Builds
 * the pageblock pieces; -1 when memory runs out. Call it while the shadow
 * holds nothing.
 */
int kb_shadow_attach_model(struct kb_shadow *sh, const struct kb_model *m);

/* Pages the shadow says are free in zone zref (KB_MODEL_ZONEREF). */
long kb_shadow_free_pages(const struct kb_shadow *sh, int zref);

/*
 * One zone's totals, with the ISOLATE lists' pages as the caller counted
 * them (the incremental checker keeps them from its touches). 0, or 1 with
 * "shadow-free-zone" in *v. 0 when no model is attached.
 */
int kb_shadow_check_free_zone(const struct kb_shadow *sh, const struct kb_instance *kb,
			      int zref, long isolated, struct kb_violation *v);

/*
 * Every zone's totals (walking the ISOLATE lists), then every zone's
 * migratetypes (walking every free and pcp list). The lists must be sane
 * (the sweep ran before); a walk stops after max_pfn entries. 0, or 1 with
 * "shadow-free-zone" or "shadow-free-migratetype" in *v.
 */
int kb_shadow_check_free(const struct kb_shadow *sh, const struct kb_instance *kb,
			 struct kb_violation *v);
/*
 * The same right after a clean kb_check_full of kb with this shadow: the
 * free lists are counted from that sweep's tallies instead of walked again.
 */
int kb_shadow_check_free_swept(const struct kb_shadow *sh, const struct kb_instance *kb,
			       struct kb_violation *v);

#endif /* KB_SHADOW_FREE_H */
