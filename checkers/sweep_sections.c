/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sweep phase 0b: the memory model (core/sparse.h). The sections present
 * are recomputed from the layout alone: a section is present exactly when
 * some pfn of it lies in a zone span of the layout and in no hole, and it
 * belongs to that zone's node. Each section's flags must be consistent
 * (a memmap only on a present section, online only with a memmap) and a
 * section has a usemap exactly when it has a memmap, with no pageblock
 * flag bits beyond those the allocator defines. Runs before anything
 * follows a list pointer into mem_map.
 */
#include "check_internal.h"

#define KB_SECTION_FLAGS	(SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP | \
				 SECTION_IS_ONLINE | SECTION_IS_EARLY)
#define KB_PB_DEFINED_BITS	(PB_MIGRATETYPE_MASK | PB_compact_skip | PB_migrate_isolate)

/* The node whose layout memory lies in section sec, or -1 when it has none. */
static int layout_section_node(const struct kb_layout *l, unsigned long sec)
{
	unsigned long lo = section_nr_to_pfn(sec), hi = section_nr_to_pfn(sec + 1);

	for (unsigned int nid = 0; nid < l->nr_nodes && nid < KB_MAX_NODES; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct kb_range *z = &l->node[nid].zone[zid];
			unsigned long cur = lo > z->start ? lo : z->start;
			unsigned long end = hi < z->end ? hi : z->end;
			unsigned int rounds = 0;
			bool moved = true;

			/* step over the holes at cur; one hole at least a round */
			while (cur < end && moved && rounds++ <= l->nr_holes) {
				moved = false;
				for (unsigned int i = 0; i < l->nr_holes; i++)
					if (l->hole[i].start <= cur && cur < l->hole[i].end) {
						cur = l->hole[i].end;
						moved = true;
					}
			}
			if (cur < end)
				return (int)nid;
		}
	return -1;
}

static int check_usemap(struct kb_sweep *s, unsigned long sec, const struct mem_section *ms)
{
	const struct kb_instance *kb = s->kb;
	unsigned long nr = PAGES_PER_SECTION >> kb->pageblock_order;

	for (unsigned long b = 0; b < nr; b++)
		if (ms->usage[b] & ~KB_PB_DEFINED_BITS ||
		    (ms->usage[b] & PB_MIGRATETYPE_MASK) >= MIGRATE_ISOLATE) {
			unsigned long pfn = section_nr_to_pfn(sec) + (b << kb->pageblock_order);

			kb_violation_set(s->v, "section-usemap", ms->nid, -1, pfn, -1, -1,
					 "pageblock at pfn %#lx of section %lu has flags %#x: undefined bits or type",
					 pfn, sec, ms->usage[b]);
			return 1;
		}
	return 0;
}

int kb_sweep_sections(struct kb_sweep *s)
{
	const struct kb_instance *kb = s->kb;

	for (unsigned long sec = 0; sec < kb->nr_mem_sections; sec++) {
		const struct mem_section *ms = &kb->mem_section[sec];
		unsigned long f = ms->section_mem_map;
		int nid = layout_section_node(&kb->layout, sec);

		if ((f & ~KB_SECTION_FLAGS) ||
		    ((f & SECTION_HAS_MEM_MAP) && !(f & SECTION_MARKED_PRESENT)) ||
		    ((f & SECTION_IS_ONLINE) && !(f & SECTION_HAS_MEM_MAP)) ||
		    (!(f & SECTION_HAS_MEM_MAP) != !ms->usage)) {
			kb_violation_set(s->v, "section-usemap", nid, -1, section_nr_to_pfn(sec), -1, -1,
					 "section %lu has flags %#lx and %s usemap",
					 sec, f, ms->usage ? "a" : "no");
			return 1;
		}
		if ((nid >= 0) != !!(f & SECTION_MARKED_PRESENT) ||
		    (nid >= 0 && (ms->nid != nid || !(f & SECTION_IS_ONLINE)))) {
			kb_violation_set(s->v, "section-present", nid, -1, section_nr_to_pfn(sec), -1, -1,
					 "section %lu is %s (node %d, flags %#lx) but the layout %s",
					 sec, f & SECTION_MARKED_PRESENT ? "present" : "missing", ms->nid, f,
					 nid >= 0 ? "gives it memory of a node" : "gives it no memory");
			return 1;
		}
		if (ms->usage && check_usemap(s, sec, ms))
			return 1;
	}
	return 0;
}
