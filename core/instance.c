// SPDX-License-Identifier: GPL-2.0
/*
 * Building and dropping an instance: the boot sequence of mm_core_init and
 * friends, from a layout to a running allocator (free_area_init,
 * memmap_init, build_all_zonelists, memblock_free_all, cma activation,
 * setup_per_cpu_pageset), then the initcalls (core/initcalls.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

static const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

static const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

const char *kb_zone_name(enum zone_type idx)
{
	return (unsigned int)idx < MAX_NR_ZONES ? zone_names[idx] : "?";
}

const char *kb_migratetype_name(int mt)
{
	return mt >= 0 && mt < MIGRATE_TYPES ? migratetype_names[mt] : "?";
}

const char *kb_profile_name(void)
{
	return KB_PROFILE_NAME;
}

void kb_vm_report(struct kb_instance *kb, const char *invariant, unsigned long pfn,
		  int order, const char *fmt, ...)
{
	struct kb_report r = { .invariant = invariant, .pfn = pfn, .order = order,
			       .zone = -1, .node = -1 };
	va_list ap;

	if (pfn_valid(kb, pfn) && kb->mem_map[pfn].node < KB_MAX_NODES) {
		r.zone = kb->mem_map[pfn].zone;
		r.node = kb->mem_map[pfn].node;
	}
	va_start(ap, fmt);
	vsnprintf(r.message, sizeof(r.message), fmt, ap);
	va_end(ap);
	kb->nr_reports++;
	if (kb->report)
		kb->report(kb->report_ctx, &r);
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Marks kind[] of the part of r inside [lo, hi) with k. */
static void mark_ranges(uint8_t *kind, const struct kb_range *r, unsigned int n,
			unsigned long lo, unsigned long hi, uint8_t k)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned long s = KB_MAX(r[i].start, lo), e = KB_MIN(r[i].end, hi);

		if (s < e)
			memset(kind + s, k, e - s);
	}
}

/* The first pfn of [lo, hi) no hole covers, or hi. */
static unsigned long first_memory_pfn(const struct kb_layout *l, unsigned long lo,
				      unsigned long hi)
{
	unsigned int i, rounds = 0;
	bool moved = true;

	/* each round passes one hole at least */
	while (lo < hi && moved && rounds++ <= l->nr_holes) {
		moved = false;
		for (i = 0; i < l->nr_holes; i++)
			if (l->hole[i].start <= lo && lo < l->hole[i].end) {
				lo = l->hole[i].end;
				moved = true;
			}
	}
	return KB_MIN(lo, hi);
}

/* The end of the last pfn of [lo, hi) no hole covers, or lo. */
static unsigned long last_memory_end(const struct kb_layout *l, unsigned long lo,
				     unsigned long hi)
{
	unsigned int i, rounds = 0;
	bool moved = true;

	while (hi > lo && moved && rounds++ <= l->nr_holes) {
		moved = false;
		for (i = 0; i < l->nr_holes; i++)
			if (l->hole[i].start < hi && hi <= l->hole[i].end) {
				hi = l->hole[i].start;
				moved = true;
			}
	}
	return KB_MAX(hi, lo);
}

/*
 * The node's memory as memblock sees it: from its first to its last pfn
 * that is not a hole (get_pfn_range_for_nid). lo > hi when it has none.
 */
static void node_memory_range(const struct kb_layout *l, int nid,
			      unsigned long *lo, unsigned long *hi)
{
	int zid;

	*lo = ~0UL;
	*hi = 0;
	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct kb_range *r = &l->node[nid].zone[zid];
		unsigned long first = first_memory_pfn(l, r->start, r->end);
		unsigned long end = last_memory_end(l, r->start, r->end);

		if (first < r->end)
			*lo = KB_MIN(*lo, first);
		if (end > r->start)
			*hi = KB_MAX(*hi, end);
	}
}

/*
 * free_area_init: spans, present pages and empty lists for every zone. A
 * zone spans the layout's range clipped to the node's memory, as
 * zone_spanned_pages_in_node() clamps it: a hole at either end of a node
 * is outside every zone.
 */
static void init_zones(struct kb_instance *kb)
{
	const struct kb_layout *l = &kb->layout;
	int nid, zid;

	kb->nr_node_ids = (int)l->nr_nodes;
	for (nid = 0; nid < kb->nr_node_ids; nid++) {
		pg_data_t *pgdat = &kb->node_data[nid];
		unsigned long lo = ~0UL, hi = 0, mem_lo, mem_hi;

		node_memory_range(l, nid, &mem_lo, &mem_hi);
		pgdat->node_id = nid;
		pgdat->nr_cpus = (int)l->node[nid].nr_cpus;
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];
			const struct kb_range *r = &l->node[nid].zone[zid];
			unsigned int o, t;

			zone->zone_pgdat = pgdat;
			zone->kb = kb;
			zone->name = zone_names[zid];
			zone->zone_idx = (enum zone_type)zid;
			zone->zone_start_pfn = KB_CLAMP(mem_lo, r->start, r->end);
			zone->spanned_pages = KB_CLAMP(mem_hi, r->start, r->end) - zone->zone_start_pfn;
			if (mem_lo > mem_hi)
				zone->spanned_pages = 0;
			for (o = 0; o < KB_NR_ORDERS_MAX; o++)
				for (t = 0; t < MIGRATE_TYPES; t++)
					INIT_LIST_HEAD(&zone->free_area[o].free_list[t]);
			zone_pcp_init(kb, zone);
			zone->initialized = true;
			if (zone->spanned_pages) {
				/* init_currently_empty_zone */
				pgdat->nr_zones = zid + 1;
				lo = KB_MIN(lo, zone->zone_start_pfn);
				hi = KB_MAX(hi, zone_end_pfn(zone));
			}
		}
		/* kswapd_run: no request yet, the lists empty */
		pgdat->kswapd_order = 0;
		pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
		pgdat->kswapd_prev_highest_zoneidx = MAX_NR_ZONES - 1;
		for (int lru = 0; lru < NR_LRU_LISTS; lru++)
			INIT_LIST_HEAD(&pgdat->__lruvec.lists[lru]);
		/* kcompactd_run: no request yet */
		pgdat->kcompactd_max_order = 0;
		pgdat->kcompactd_highest_zoneidx =
			(enum zone_type)(pgdat->nr_zones ? pgdat->nr_zones - 1 : 0);
		if (hi) {
			pgdat->node_start_pfn = lo;
			pgdat->node_spanned_pages = hi - lo;
		}
	}
}

/*
 * memmap_init: every page of a present section starts reserved with one
 * reference (memblock owns it), its zone and node unset until a zone
 * claims it; kind[] records what boot will do with each pfn. Missing
 * sections have no struct pages and are never touched.
 */
static void init_memmap(struct kb_instance *kb, uint8_t *kind)
{
	const struct kb_layout *l = &kb->layout;
	unsigned long pfn, s, e;
	int nid, zid;

	for_each_valid_range(kb, 0, kb->max_pfn, s, e)
		for (pfn = s; pfn < e; pfn++) {
			struct page *page = &kb->mem_map[pfn];

			page->flags = 1u << PG_reserved;
			page->_refcount = 1;
			page->_mapcount = -1;
			page->zone = 0xff;
			page->node = 0xff;
			INIT_LIST_HEAD(&page->lru);
		}

	for (nid = 0; nid < kb->nr_node_ids; nid++) {
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &kb->node_data[nid].node_zones[zid];
			unsigned long lo = zone->zone_start_pfn, hi = zone_end_pfn(zone);

			if (lo >= hi)
				continue;
			for_each_valid_range(kb, lo, hi, s, e) {
				/* the lowest kind in this order wins where ranges overlap */
				memset(kind + s, KB_PFN_FREE, e - s);
				mark_ranges(kind, l->late_free, l->nr_late_free, s, e, KB_PFN_LATE);
				mark_ranges(kind, l->cma, l->nr_cma, s, e, KB_PFN_CMA);
				mark_ranges(kind, l->reserved, l->nr_reserved, s, e, KB_PFN_RESERVED);
				mark_ranges(kind, l->hole, l->nr_holes, s, e, KB_PFN_HOLE);
				for (pfn = s; pfn < e; pfn++) {
					struct page *page = &kb->mem_map[pfn];

					page->zone = (uint8_t)zid;
					page->node = (uint8_t)nid;
					if (kind[pfn] != KB_PFN_HOLE)
						zone->present_pages++;
				}
				/*
				 * memmap_init_range() marks a pageblock
				 * MIGRATE_MOVABLE at its pageblock-aligned pfn,
				 * and only where that pfn is memory of the zone:
				 * a block the zone starts inside of, or whose
				 * first pfn is a hole, keeps the zeroed bits,
				 * MIGRATE_UNMOVABLE (its pages are freed there).
				 */
				for (pfn = pageblock_start_pfn(kb, s + kb->pageblock_nr_pages - 1);
				     pfn < e; pfn += kb->pageblock_nr_pages)
					if (kind[pfn] != KB_PFN_HOLE)
						*pfnblock_flags(kb, pfn) = MIGRATE_MOVABLE;
			}
			kb->node_data[nid].node_present_pages += zone->present_pages;
		}
	}
}

/*
 * init_unavailable_range, as memmap_init() calls it: the struct page of a
 * pfn that is no memory (before, between or inside memblock's ranges) is
 * initialised reserved with the zone and node of the memory range that
 * follows it, since the walk meets the hole when it reaches that range;
 * after the last memory pfn, up to the end of its section, pages take the
 * last node's highest populated zone. A zone's in-span hole can so carry
 * the next zone's id, and pfn 0 below a DMA zone starting at pfn 1 is
 * DMA's, which page_is_buddy() and pageblock_pfn_to_page() see.
 */
static void init_unavailable_ranges(struct kb_instance *kb, const uint8_t *kind)
{
	unsigned long pfn, hole = 0, end, s, e;
	int nid = -1, zid;

	/* missing sections have no struct pages to initialise: skipped, as pfn_valid skips them */
	for_each_valid_range(kb, 0, kb->max_pfn, s, e)
		for (pfn = s; pfn < e; pfn++) {
			const struct page *page = &kb->mem_map[pfn];

			if (kind[pfn] == KB_PFN_NONE || kind[pfn] == KB_PFN_HOLE)
				continue;
			for (hole = kb_next_valid_pfn(kb, hole); hole < pfn;
			     hole = kb_next_valid_pfn(kb, hole + 1)) {
				kb->mem_map[hole].zone = page->zone;
				kb->mem_map[hole].node = page->node;
			}
			hole = pfn + 1;
			nid = page->node;
		}
	if (nid < 0)
		return;
	for (zid = MAX_NR_ZONES - 1; zid > 0; zid--)
		if (populated_zone(&kb->node_data[nid].node_zones[zid]))
			break;
	end = KB_MIN((hole + PAGES_PER_SECTION - 1) & PAGE_SECTION_MASK, kb->max_pfn);
	for (; hole < end; hole++) {
		kb->mem_map[hole].zone = (uint8_t)zid;
		kb->mem_map[hole].node = (uint8_t)nid;
	}
}

/*
 * Mobility grouping is pointless with fewer pages than a pageblock of each
 * type (build_all_zonelists). Managed pages are not counted yet at that
 * point of boot; present pages stand in for them.
 */
static void set_mobility_grouping(struct kb_instance *kb)
{
	unsigned long total = 0;
	int nid, zid;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			total += kb->node_data[nid].node_zones[zid].present_pages;
	kb->page_group_by_mobility_disabled = total < kb->pageblock_nr_pages * MIGRATE_TYPES;
}

/*
 * Deliberate difference: with mobility grouping disabled, kbuddy makes the
 * boot pageblocks UNMOVABLE, the one type set_pageblock_migratetype and
 * gfp_migratetype then use. The kernel leaves them MOVABLE (memmap_init
 * runs before build_all_zonelists decides), and a free block of such a
 * pageblock that merges with an UNMOVABLE buddy cannot retype it: the
 * coalescing retype is turned into UNMOVABLE, so the merged block goes on
 * one type's list across a pageblock of the other, and when the buddy is
 * the lower half the kernel's own freelist check warns (a kernel finding;
 * mainline's behaviour is the mutant mobility_disabled_movable_blocks).
 */
static void unify_pageblock_types(struct kb_instance *kb)
{
#ifndef KB_BUG_mobility_disabled_movable_blocks
	unsigned long pfn, s, e;

	if (!kb->page_group_by_mobility_disabled)
		return;
	for_each_valid_range(kb, 0, kb->max_pfn, s, e)
		for (pfn = s; pfn < e; pfn += kb->pageblock_nr_pages) {
			uint8_t *f = pfnblock_flags(kb, pfn);

			if ((*f & PB_MIGRATETYPE_MASK) < MIGRATE_PCPTYPES)
				*f = (uint8_t)((*f & ~PB_MIGRATETYPE_MASK) | MIGRATE_UNMOVABLE);
		}
#else
	(void)kb;
#endif
}

static void set_defaults(struct kb_instance *kb)
{
	kb->watermark_scale_factor = 10;
	kb->watermark_boost_factor = 15000;
	kb->sysctl_lowmem_reserve_ratio[ZONE_DMA] = 256;
	kb->sysctl_lowmem_reserve_ratio[ZONE_DMA32] = 256;
	kb->sysctl_lowmem_reserve_ratio[ZONE_NORMAL] = 32;
	kb->sysctl_lowmem_reserve_ratio[ZONE_MOVABLE] = 0;
	kb->sysctl_lowmem_reserve_ratio[ZONE_DEVICE] = 0;
	kb->user_min_free_kbytes = -1;
	kb->percpu_pagelist_high_fraction = 0;
	kb->sysctl_extfrag_threshold = 500;
	kb->sysctl_compaction_proactiveness = 20;
}

static void assign_cpus(struct kb_instance *kb)
{
	int nid, cpu = 0;

	for (nid = 0; nid < kb->nr_node_ids; nid++) {
		unsigned int i;

		for (i = 0; i < kb->layout.node[nid].nr_cpus; i++)
			kb->cpu_to_node[cpu++] = nid;
		for (i = 0; i < (unsigned int)kb->nr_node_ids; i++)
			kb->node_distance[nid][i] = kb->layout.node[nid].distance[i];
	}
	kb->nr_cpu_ids = cpu;
}

struct kb_instance *kb_create(const struct kb_layout *layout, const struct kb_options *opts,
			      char *err, size_t errlen)
{
	struct kb_options defaults = { .check_level = 2 };
	struct kb_instance *kb;
	uint8_t *kind;
	int nid, zid;

	if (!opts)
		opts = &defaults;
	if (kb_layout_validate(layout, err, errlen))
		return NULL;

	kb = calloc(1, sizeof(*kb));
	if (!kb) {
		set_err(err, errlen, "out of memory for the instance");
		return NULL;
	}
	kb->layout = *layout;
	kb->check_level = opts->check_level;
	kb->report = opts->report;
	kb->report_ctx = opts->report_ctx;
	kb->max_order = layout->max_page_order;
	kb->pageblock_order = layout->pageblock_order;
	kb->pageblock_nr_pages = 1UL << kb->pageblock_order;
	set_defaults(kb);

	/* The memmap covers whole MAX_PAGE_ORDER blocks, so every buddy has a page. */
	kb->max_pfn = kb_layout_max_pfn(layout);
	kb->nr_pageblocks = kb->max_pfn >> kb->pageblock_order;

	kb->touched = malloc(KB_TOUCH_MAX * sizeof(*kb->touched));
	kind = kb_pfn_array_alloc(kb->max_pfn, 1);
	if (sparse_init(kb) || !kb->touched || !kind) {
		kb_pfn_array_free(kind, kb->max_pfn, 1);
		kb_destroy(kb);
		set_err(err, errlen, "out of memory for a memmap of %lu pages", kb->max_pfn);
		return NULL;
	}

	kb->nr_node_ids = (int)layout->nr_nodes;
	assign_cpus(kb);
	init_zones(kb);
	init_memmap(kb, kind);
	init_unavailable_ranges(kb, kind);
	/*
	 * kb_layout_validate placed every CMA area inside one zone, clear of
	 * holes, reserved and late-freed ranges: its pages are all
	 * KB_PFN_CMA, memory boot would otherwise free.
	 */
	set_mobility_grouping(kb);
	build_all_zonelists(kb);
	unify_pageblock_types(kb);

	if (layout->boot_path == KB_BOOT_BOOTMEM)
		free_all_bootmem(kb, kind);
	else
		memblock_free_all(kb, kind);
	kb_pfn_array_free(kind, kb->max_pfn, 1);

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			kb->totalram_pages += kb->node_data[nid].node_zones[zid].managed_pages;

	/* setup_per_cpu_pageset, then the initcalls (core/initcalls.c) */
	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			if (populated_zone(&kb->node_data[nid].node_zones[zid]))
				zone_pcp_update(kb, &kb->node_data[nid].node_zones[zid], false);
	kb_run_initcalls(kb);

	if (opts->back_with_memory) {
		unsigned int bytes = opts->backing_bytes ? opts->backing_bytes : PAGE_SIZE;

		if (bytes < 8 || bytes > PAGE_SIZE || (bytes & (bytes - 1))) {
			kb_destroy(kb);
			set_err(err, errlen, "backing bytes per page must be a power of two in 8..%lu",
				PAGE_SIZE);
			return NULL;
		}
		kb->backing_bytes = bytes;
		kb->arena_bytes = kb->max_pfn * bytes;
		/*
		 * Address space for every pfn, memory only for present
		 * sections: a missing section's backing faults as its
		 * struct pages do.
		 */
		kb->arena = mmap(NULL, kb->arena_bytes, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		/* Nothing is allocated yet: every page is free, so poisoned. */
		if (kb->arena != MAP_FAILED) {
			unsigned long s, e;

			for_each_valid_range(kb, 0, kb->max_pfn, s, e) {
				uintptr_t a = (uintptr_t)(kb->arena + s * bytes) & ~(PAGE_SIZE - 1);
				uintptr_t z = (uintptr_t)(kb->arena + e * bytes);

				mprotect((void *)a, z - a, PROT_READ | PROT_WRITE);
				kb_poison_pages(kb, s, e - s);
			}
		}
		if (kb->arena == MAP_FAILED) {
			unsigned long mib = (unsigned long)(kb->arena_bytes >> 20);

			kb->arena = NULL;
			kb_destroy(kb);
			set_err(err, errlen, "cannot reserve %lu MiB of backing memory", mib);
			return NULL;
		}
	}
	kb_touch_reset(kb);
	return kb;
}

void kb_destroy(struct kb_instance *kb)
{
	if (!kb)
		return;
	if (kb->arena) {
		unsigned long s, e;

		/* only present sections were ever poisoned */
		for_each_valid_range(kb, 0, kb->max_pfn, s, e)
			kb_unpoison_memory(kb->arena + s * kb->backing_bytes,
					   (e - s) * kb->backing_bytes);
		munmap(kb->arena, kb->arena_bytes);
	}
	kb_snapshot_free(kb);
	sparse_free(kb);
	free(kb->touched);
	free(kb);
}

void kb_set_report(struct kb_instance *kb, kb_report_fn fn, void *ctx)
{
	kb->report = fn;
	kb->report_ctx = ctx;
}

int kb_set_cpu(struct kb_instance *kb, int cpu)
{
	if (cpu < 0 || cpu >= kb->nr_cpu_ids)
		return -EINVAL;
	kb->cpu = cpu;
	return 0;
}

void *kb_page_address(const struct kb_instance *kb, const struct page *page)
{
	if (!kb->arena)
		return NULL;
	return kb->arena + kb_page_to_pfn(kb, page) * kb->backing_bytes;
}

struct zone *kb_zone(struct kb_instance *kb, int nid, enum zone_type idx)
{
	if (nid < 0 || nid >= kb->nr_node_ids || (unsigned int)idx >= MAX_NR_ZONES)
		return NULL;
	return &kb->node_data[nid].node_zones[idx];
}

struct zone *kb_page_zone(const struct kb_instance *kb, const struct page *page)
{
	if (page->node >= KB_MAX_NODES || page->zone >= MAX_NR_ZONES)
		return NULL;
	return page_zone(kb, page);
}

int kb_pageblock_migratetype(const struct kb_instance *kb, unsigned long pfn)
{
	if (!pfn_valid(kb, pfn))
		return -1;
	return get_pfnblock_migratetype(kb, pfn);
}

void kb_touch_reset(struct kb_instance *kb)
{
	kb->nr_touched = 0;
	kb->touch_overflow = false;
}
