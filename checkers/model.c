// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model (checkers/model.h): the machine as the layout
 * describes it (spans, present, managed and CMA pages, CPUs), the
 * mobility-grouping decision, the boot order of the derivations, and the
 * operations that change the model's inputs.
 *
 * Counting is done on ranges, never on struct pages: a zone's present
 * pages are its span less the layout's holes, its managed pages the span
 * less holes and memblock-reserved ranges (every other pfn, CMA included,
 * is handed to the buddy at boot).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "model.h"
#include "../core/profile.h"

/* Pfns of [start, end) covered by the union of the ranges (any order, overlaps allowed). */
static unsigned long covered(const struct kb_range *const lists[], const unsigned int nr[],
			     unsigned int nlists, unsigned long start, unsigned long end)
{
	struct kb_range r[2 * KB_MAX_RANGES];
	unsigned long total = 0, reach = start;
	unsigned int n = 0;

	for (unsigned int l = 0; l < nlists; l++)
		for (unsigned int i = 0; i < nr[l] && i < KB_MAX_RANGES; i++) {
			unsigned long s = lists[l][i].start > start ? lists[l][i].start : start;
			unsigned long e = lists[l][i].end < end ? lists[l][i].end : end;
			unsigned int j;

			if (s >= e)
				continue;
			/* insertion by start */
			for (j = n; j > 0 && r[j - 1].start > s; j--)
				r[j] = r[j - 1];
			r[j] = (struct kb_range){ s, e };
			n++;
		}
	for (unsigned int i = 0; i < n; i++) {
		unsigned long s = r[i].start > reach ? r[i].start : reach;

		if (r[i].end > s) {
			total += r[i].end - s;
			reach = r[i].end;
		}
	}
	return total;
}

/*
 * managed: what memblock frees at boot, so the late-freed ranges are not
 * in it until kb_model_boot frees them after hugepage_init.
 */
static void count_zone(struct kb_model_zone *z, const struct kb_layout *l,
		       const struct kb_range *span)
{
	const struct kb_range *holes[1] = { l->hole };
	const unsigned int nholes[1] = { l->nr_holes };
	const struct kb_range *absent[3] = { l->hole, l->reserved, l->late_free };
	const unsigned int nabsent[3] = { l->nr_holes, l->nr_reserved, l->nr_late_free };
	const struct kb_range *cma[1] = { l->cma };
	const unsigned int ncma[1] = { l->nr_cma };

	z->start_pfn = span->start;
	z->spanned = span->end > span->start ? span->end - span->start : 0;
	if (!z->spanned) {
		z->start_pfn = span->start;
		return;
	}
	z->present = z->spanned - covered(holes, nholes, 1, span->start, span->end);
	z->managed = z->spanned - covered(absent, nabsent, 3, span->start, span->end);
	z->cma = covered(cma, ncma, 1, span->start, span->end);
}

/* CPUs are numbered node by node, as the layout lists them. */
static void model_topology(struct kb_model *m)
{
	const struct kb_layout *l = &m->layout;
	int cpu = 0;

	m->nr_nodes = (int)l->nr_nodes;
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		m->node[nid].nr_cpus = (int)l->node[nid].nr_cpus;
		for (unsigned int i = 0; i < l->node[nid].nr_cpus && cpu < KB_MAX_CPUS; i++)
			m->cpu_to_node[cpu++] = nid;
	}
	m->nr_cpus = cpu;
}

/*
 * The node's memory: the union of its zone ranges with holes eaten away at
 * both ends, hole by hole (the kernel's node span is memblock's first to
 * last pfn of the node). *lo >= *hi when every pfn is a hole.
 */
static void node_memory(const struct kb_layout *l, int nid, unsigned long *lo,
			unsigned long *hi)
{
	bool moved = true;

	*lo = ~0UL;
	*hi = 0;
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct kb_range *r = &l->node[nid].zone[zid];

		if (r->end > r->start) {
			*lo = r->start < *lo ? r->start : *lo;
			*hi = r->end > *hi ? r->end : *hi;
		}
	}
	while (moved && *lo < *hi) {
		moved = false;
		for (unsigned int i = 0; i < l->nr_holes; i++) {
			if (l->hole[i].start <= *lo && *lo < l->hole[i].end) {
				*lo = l->hole[i].end;
				moved = true;
			}
			if (l->hole[i].start < *hi && *hi <= l->hole[i].end) {
				*hi = l->hole[i].start;
				moved = true;
			}
		}
	}
}

static void model_zones(struct kb_model *m)
{
	const struct kb_layout *l = &m->layout;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		struct kb_model_node *n = &m->node[nid];
		unsigned long lo = 0, hi = 0, mem_lo, mem_hi;

		node_memory(l, nid, &mem_lo, &mem_hi);
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct kb_range *r = &l->node[nid].zone[zid];
			struct kb_model_zone *z = &n->zone[zid];
			/* zone_spanned_pages_in_node: the range within the node's memory */
			struct kb_range clipped = *r;
			const struct kb_range *span = &clipped;

			if (mem_lo >= mem_hi) {
				clipped.end = clipped.start;
			} else if (r->end > r->start) {
				clipped.start = r->start > mem_lo ? r->start : (mem_lo < r->end ? mem_lo : r->end);
				clipped.end = r->end < mem_hi ? r->end : (mem_hi > r->start ? mem_hi : r->start);
			}
			count_zone(z, l, span);
			n->present += z->present;
			m->totalram += z->managed;
			m->totalcma += z->cma;
			if (!z->spanned)
				continue;
			if (!hi || span->start < lo)
				lo = span->start;
			if (span->end > hi)
				hi = span->end;
		}
		n->start_pfn = hi ? lo : 0;
		n->spanned = hi - lo;
	}
}

/*
 * build_all_zonelists: grouping by mobility is pointless with fewer free
 * pages than a pageblock of each type. The kernel sums, over the zonelist
 * of the boot CPU's node up to gfp_zone(GFP_HIGHUSER_MOVABLE), the pages
 * above the high watermark; at that point of boot the watermarks are 0 and
 * managed_pages still holds present_pages (free_area_init_core), so the
 * sum is of present pages.
 */
static void model_mobility(struct kb_model *m)
{
	const int *zl = kb_model_zonelist(m, m->cpu_to_node[0], false);
	unsigned long total = 0;

	for (int i = 0; zl[i] >= 0; i++)
		if (zl[i] % MAX_NR_ZONES <= ZONE_MOVABLE)
			total += kb_model_zone(m, zl[i])->present;
	m->mobility_disabled = total < m->pageblock_nr_pages * MIGRATE_TYPES;
}

static void model_default_sysctls(struct kb_model *m)
{
	struct kb_model_sysctl *s = &m->sys;

	s->user_min_free_kbytes = -1;
	s->watermark_scale_factor = 10;
	s->watermark_boost_factor = 15000;
	s->lowmem_reserve_ratio[ZONE_DMA] = 256;
	s->lowmem_reserve_ratio[ZONE_DMA32] = 256;
	s->lowmem_reserve_ratio[ZONE_NORMAL] = 32;
	s->lowmem_reserve_ratio[ZONE_MOVABLE] = 0;
	s->lowmem_reserve_ratio[ZONE_DEVICE] = 0;
	s->percpu_pagelist_high_fraction = 0;
}

/*
 * free_initrd_mem and free_initmem: every late-freed page becomes managed;
 * nothing derived from the managed counts is recomputed.
 */
static void model_late_frees(struct kb_model *m)
{
	const struct kb_layout *l = &m->layout;
	const struct kb_range *late[1] = { l->late_free };
	const unsigned int nlate[1] = { l->nr_late_free };

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct kb_model_zone *z = &m->node[nid].zone[zid];
			unsigned long n;

			if (!z->spanned)
				continue;
			n = covered(late, nlate, 1, z->start_pfn, z->start_pfn + z->spanned);
			z->managed += n;
			m->totalram += n;
		}
}

/* The layout's after-boot sysctls: writes as the user's, a read of lowmem_reserve_ratio recomputes. */
static void model_boot_sysctls(struct kb_model *m)
{
	for (unsigned int i = 0; i < m->layout.nr_boot_sysctls && i < KB_MAX_BOOT_SYSCTLS; i++) {
		const struct kb_boot_sysctl *b = &m->layout.boot_sysctl[i];

		if (b->read)
			kb_model_setup_lowmem_reserve(m, NULL);
		else
			kb_model_sysctl(m, NULL, b->sysctl, b->index, b->value);
	}
	m->dirty = false;
}

void kb_model_boot(struct kb_model *m, const struct kb_layout *layout)
{
	memset(m, 0, sizeof(*m));
	m->layout = *layout;
	m->max_order = layout->max_page_order;
	m->pageblock_order = layout->pageblock_order;
	m->pageblock_nr_pages = 1UL << layout->pageblock_order;
	m->max_pfn = kb_layout_max_pfn(layout);
	m->pcp_locked = -1;
	model_default_sysctls(m);
	model_topology(m);
	model_zones(m);
	/* mm_core_init: zonelists and mobility, then the boot freeing */
	kb_model_build_zonelists(m);
	model_mobility(m);
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			m->node[nid].zone[zid].high_floor = INT_MAX;
	/*
	 * setup_per_cpu_pageset sizes the pcp lists from watermarks still 0;
	 * the CMA pageblocks go through them before the watermarks are set
	 * (pcp->high may keep what those limits gave it)
	 */
	{
		static const unsigned long no_boost[KB_MAX_NODES][MAX_NR_ZONES];

		/* the CMA areas are not managed yet */
		for (int nid = 0; nid < m->nr_nodes; nid++)
			for (int zid = 0; zid < MAX_NR_ZONES; zid++)
				m->node[nid].zone[zid].managed -= m->node[nid].zone[zid].cma;
		kb_model_pcp_update(m, true, no_boost);
		for (int nid = 0; nid < m->nr_nodes; nid++)
			for (int zid = 0; zid < MAX_NR_ZONES; zid++)
				m->node[nid].zone[zid].managed += m->node[nid].zone[zid].cma;
	}
	/* init_per_zone_wmark_min: min_free_kbytes, watermarks, reserves */
	kb_model_init_min_free_kbytes(m);
	/* hugepage_init: THP's rule; then the late frees change managed only */
	kb_model_hugepage_init(m);
	model_late_frees(m);
	model_boot_sysctls(m);
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct kb_model_zone *z = &m->node[nid].zone[zid];

			z->highatomic_cap = kb_model_highatomic_cap(m, z);
		}
}

unsigned long kb_model_managed_in(const struct kb_model *m, unsigned long start,
				  unsigned long end)
{
	const struct kb_range *absent[2] = { m->layout.hole, m->layout.reserved };
	const unsigned int nabsent[2] = { m->layout.nr_holes, m->layout.nr_reserved };

	return start < end ? end - start - covered(absent, nabsent, 2, start, end) : 0;
}

int kb_model_pfn_zone(const struct kb_model *m, unsigned long pfn)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct kb_model_zone *z = &m->node[nid].zone[zid];

			if (pfn >= z->start_pfn && pfn - z->start_pfn < z->spanned)
				return KB_MODEL_ZONEREF(nid, zid);
		}
	return -1;
}

/*
 * zone_pcp_disable holds the global pcp_batch_high_lock until
 * zone_pcp_enable: a second disable would deadlock (-EDEADLK in kbuddy),
 * an enable of a zone not disabled is refused (-EINVAL).
 */
int kb_model_pcp_disable(struct kb_model *m, int nid, int zid)
{
	if (nid < 0 || nid >= m->nr_nodes || zid < 0 || zid >= MAX_NR_ZONES)
		return -EINVAL;
	if (m->pcp_locked >= 0)
		return -EDEADLK;
	m->pcp_locked = KB_MODEL_ZONEREF(nid, zid);
	m->node[nid].zone[zid].pcp_disabled = true;
	m->dirty = true;
	return 0;
}

int kb_model_pcp_enable(struct kb_model *m, int nid, int zid)
{
	if (nid < 0 || nid >= m->nr_nodes || zid < 0 || zid >= MAX_NR_ZONES ||
	    !m->node[nid].zone[zid].pcp_disabled)
		return -EINVAL;
	m->node[nid].zone[zid].pcp_disabled = false;
	m->pcp_locked = -1;
	m->dirty = true;
	return 0;
}
