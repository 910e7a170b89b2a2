/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The full sweep: every strict invariant over a whole instance, in a fixed
 * order so the same state always reports the same violation. List
 * integrity comes first because everything after it follows list pointers.
 * Cost: O(pfns) plus the shadow's handles, with no allocation when a
 * shadow is given (its per-pfn mark buffer is the scratch space).
 *
 * A sweep first takes the fast way: the same phases, with the pages of
 * phases 2 to 5 checked in one pass in pfn order (kb_sweep_pages). When
 * that finds anything wrong, the phases run again one by one, and their
 * first violation is the one reported.
 */
#include <string.h>

#include "check_internal.h"

/* The instance's shape is usable: mem_map, bitmap and zones in range. */
static int check_geometry(struct kb_sweep *s)
{
	const struct kb_instance *kb = s->kb;

	if (!kb->mem_map || !kb->mem_section ||
	    kb->nr_mem_sections != (kb->max_pfn + PAGES_PER_SECTION - 1) >> PFN_SECTION_SHIFT ||
	    kb->pageblock_order > kb->max_order || kb->max_order > KB_MAX_ORDER_LIMIT ||
	    kb->pageblock_nr_pages != 1UL << kb->pageblock_order ||
	    kb->nr_pageblocks < (kb->max_pfn + kb->pageblock_nr_pages - 1) >> kb->pageblock_order) {
		kb_violation_set(s->v, "checker-setup", -1, -1, 0, -1, -1,
				 "instance geometry is unusable: max_order %u pageblock_order %u nr_pageblocks %lu max_pfn %lu",
				 kb->max_order, kb->pageblock_order, kb->nr_pageblocks, kb->max_pfn);
		return 1;
	}
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = kb_sweep_zone(s, nid, zid);

			if (zone->spanned_pages > kb->max_pfn ||
			    zone->zone_start_pfn > kb->max_pfn - zone->spanned_pages) {
				kb_violation_set(s->v, "managed-pages", nid, zid, zone->zone_start_pfn,
						 -1, -1,
						 "zone span [%#lx, +%lu) leaves mem_map [0, %#lx)",
						 zone->zone_start_pfn, zone->spanned_pages, kb->max_pfn);
				return 1;
			}
		}
	}
	return 0;
}

static int sweep_fast(struct kb_sweep *s)
{
	s->heads_only = true;
	return check_geometry(s) ||
	       kb_sweep_sections(s) ||
	       kb_sweep_lists(s) ||
	       kb_sweep_reclaim(s) ||
	       kb_sweep_free_blocks(s) ||
	       kb_sweep_pcp_pages(s) ||
	       kb_sweep_merged(s) ||
	       kb_sweep_pages(s) ||
	       kb_sweep_counters(s) ||
	       kb_sweep_conservation(s) ||
	       kb_sweep_compaction(s);
}

static int sweep(struct kb_sweep *s)
{
	return check_geometry(s) ||
	       kb_sweep_sections(s) ||
	       kb_sweep_lists(s) ||
	       kb_sweep_reclaim(s) ||
	       kb_sweep_free_blocks(s) ||
	       kb_sweep_pcp_pages(s) ||
	       kb_sweep_merged(s) ||
	       kb_sweep_allocations(s) ||
	       kb_sweep_pfns(s) ||
	       kb_sweep_counters(s) ||
	       kb_sweep_conservation(s) ||
	       kb_sweep_compaction(s);
}

/* Marks are only ever made on valid pfns: clearing those clears them all. */
static void clear_marks(struct kb_sweep *s)
{
	unsigned long a, b;

	for_each_valid_range(s->kb, 0, s->kb->max_pfn, a, b)
		memset(s->mark + a, 0, (b - a) * sizeof(*s->mark));
}

/* A sweep from the start: no tallies, no marks. */
static void sweep_init(struct kb_sweep *s, struct kb_instance *kb, const struct kb_shadow *sh,
		       struct kb_violation *v)
{
	bool marks_clean = s->marks_clean;
	int nr_nodes = kb->nr_node_ids < KB_MAX_NODES ? kb->nr_node_ids : KB_MAX_NODES;

	/* the tallies of the nodes the instance has (they are most of the struct) */
	if (nr_nodes < 0)
		nr_nodes = 0;
	memset(s->nr_blocks, 0, (size_t)nr_nodes * sizeof(s->nr_blocks[0]));
	memset(s->pcp_pages, 0, (size_t)nr_nodes * sizeof(s->pcp_pages[0]));
	memset(s->tally, 0, (size_t)nr_nodes * sizeof(s->tally[0]));
	s->heads_only = false;
	s->tallies_valid = false;
	s->kb = kb;
	s->sh = sh;
	s->mark = sh->mark;
	s->v = v;
	s->nr_nodes = nr_nodes;
	s->nr_cpus = kb->nr_cpu_ids < KB_MAX_CPUS ? kb->nr_cpu_ids : KB_MAX_CPUS;
	if (!marks_clean)
		clear_marks(s);
}

static int check_full(struct kb_instance *kb, const struct kb_shadow *sh,
		      struct kb_violation *v, bool fast)
{
	struct kb_shadow *tmp = NULL;
	struct kb_sweep *s;
	int ret;

	if (!sh) {
		tmp = kb_shadow_create(kb);
		if (!tmp) {
			kb_violation_set(v, "checker-setup", -1, -1, 0, -1, -1,
					 "no memory for the sweep's per-pfn marks");
			return 1;
		}
		sh = tmp;
	}
	if (sh->max_pfn != kb->max_pfn) {
		kb_violation_set(v, "checker-setup", -1, -1, 0, -1, -1,
				 "shadow built for %lu pfns, instance has %lu",
				 sh->max_pfn, kb->max_pfn);
		return 1;
	}
	/* the tallies live in the shadow: too large for some stacks */
	s = sh->sweep;
	sweep_init(s, kb, sh, v);
	ret = fast ? sweep_fast(s) : 1;
	/* a clean fast sweep cleared every mark it made */
	s->marks_clean = !ret;
	if (ret) {
		sweep_init(s, kb, sh, v);
		ret = sweep(s);
		/*
		 * The phases leave their marks: clear them now, so that every
		 * sweep starts from clean marks and none depends on how the
		 * one before it ended (fuzz inputs must not carry state).
		 */
		clear_marks(s);
		s->marks_clean = true;
	}
	/* the list tallies describe kb until it changes (kb_shadow_check_free reads them) */
	s->tallies_valid = !ret && !tmp;
	kb_shadow_destroy(tmp);
	return ret;
}

int kb_check_full(struct kb_instance *kb, const struct kb_shadow *sh,
		  struct kb_violation *v)
{
	return check_full(kb, sh, v, true);
}

int kb_check_full_phases(struct kb_instance *kb, const struct kb_shadow *sh,
			 struct kb_violation *v)
{
	return check_full(kb, sh, v, false);
}
