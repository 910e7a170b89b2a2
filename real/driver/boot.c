// SPDX-License-Identifier: GPL-2.0
/*
 * Booting a kbuddy layout in the real code, in the order an x86-64 kernel
 * boots (setup_arch, start_kernel, mm_core_init, the initcalls):
 *
 *   memblock_add_node / memblock_reserve    e820 and numa_init: memory,
 *                                           reservations, CMA areas
 *   node_data, node_set_online              numa_register_memblks
 *   sparse_init, free_area_init             paging_init, zone_sizes_init
 *   build_all_zonelists                     mm_core_init
 *   memblock_free_all                       mem_init
 *   setup_per_cpu_pageset                   start_kernel
 *   gfp_allowed_mask = __GFP_BITS_MASK      kernel_init_freeable
 *   set_zone_contiguous, page_alloc_sysctl_init   page_alloc_init_late
 *   cma_activate_area                       core_initcall
 *   init_per_zone_wmark_min                 postcore_initcall
 *   khugepaged's recommended min_free_kbytes  hugepage_init (subsys_initcall)
 *
 * Every step is the kernel's own function but the memblock, NUMA and CMA
 * bookkeeping of arch/x86 and mm/cma.c, which this file plays.
 */
#include <kshim/kshim.h>
#include <kshim/runtime.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "real_api.h"
#include "driver.h"

extern unsigned long totalcma_pages;	/* include/linux/cma.h */

struct real_driver real;

static int set_err(char *err, size_t errlen, const char *fmt, ...) __printf(3, 4);
static int set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static unsigned long machine_max_pfn(const struct real_machine *m)
{
	unsigned long end = 0;

	for (unsigned int n = 0; n < m->nr_nodes; n++)
		for (int z = 0; z < REAL_NR_ZONES; z++)
			if (m->node[n].zone[z].end > m->node[n].zone[z].start)
				end = max(end, m->node[n].zone[z].end);
	return end;
}

/* Is pfn in a hole of the layout? */
static bool in_hole(const struct real_machine *m, unsigned long pfn)
{
	for (unsigned int i = 0; i < m->nr_holes; i++)
		if (pfn >= m->hole[i].start && pfn < m->hole[i].end)
			return true;
	return false;
}

/* e820 and the NUMA memblocks: each node's zones less the holes. */
static void add_memory(const struct real_machine *m)
{
	for (unsigned int n = 0; n < m->nr_nodes; n++) {
		for (int z = 0; z < REAL_NR_ZONES; z++) {
			const struct real_range *r = &m->node[n].zone[z];
			unsigned long pfn = r->start;

			while (pfn < r->end) {
				unsigned long run;

				if (in_hole(m, pfn)) {
					pfn++;
					continue;
				}
				for (run = pfn; run < r->end && !in_hole(m, run); run++)
					;
				memblock_add_node(PFN_PHYS(pfn), PFN_PHYS(run - pfn), (int)n,
						  MEMBLOCK_NONE);
				pfn = run;
			}
		}
	}
	for (unsigned int i = 0; i < m->nr_reserved; i++)
		memblock_reserve(PFN_PHYS(m->reserved[i].start),
				 PFN_PHYS(m->reserved[i].end - m->reserved[i].start));
	/* cma_declare_contiguous_nid(): the area is reserved until activated */
	for (unsigned int i = 0; i < m->nr_cma; i++) {
		memblock_reserve(PFN_PHYS(m->cma[i].start),
				 PFN_PHYS(m->cma[i].end - m->cma[i].start));
		totalcma_pages += m->cma[i].end - m->cma[i].start;
	}
}

/* setup_nr_cpu_ids, numa_init_array: the layout's CPUs, node by node. */
static void set_cpus(const struct real_machine *m)
{
	int cpu = 0;

	cpumask_clear(&kshim_cpu_online_mask);
	cpumask_clear(&kshim_cpu_possible_mask);
	for (unsigned int n = 0; n < MAX_NUMNODES; n++)
		cpumask_clear(&kshim_node_cpumask[n]);
	for (unsigned int n = 0; n < m->nr_nodes; n++) {
		for (unsigned int c = 0; c < m->node[n].nr_cpus; c++, cpu++) {
			cpumask_set_cpu(cpu, &kshim_cpu_possible_mask);
			cpumask_set_cpu(cpu, &kshim_cpu_online_mask);
			cpumask_set_cpu(cpu, &kshim_node_cpumask[n]);
			set_cpu_numa_node(cpu, (int)n);
			set_cpu_numa_mem(cpu, (int)n);
		}
	}
	nr_cpu_ids = cpu;
	kshim_cpu = 0;
	for (unsigned int a = 0; a < MAX_NUMNODES; a++)
		for (unsigned int b = 0; b < MAX_NUMNODES; b++)
			kshim_node_distance[a][b] = a == b ? LOCAL_DISTANCE :
				(a < m->nr_nodes && b < m->nr_nodes ?
				 m->node[a].distance[b] : REMOTE_DISTANCE);
}

/*
 * ZONE_MOVABLE comes from kernelcore=/movablecore= in the kernel. A layout
 * names the movable span of each node; the boot gives the kernel the
 * movablecore= size that makes find_zone_movable_pfns_for_nodes() start it
 * there, and checks afterwards that it did.
 */
static void set_movablecore(const struct real_machine *m)
{
	unsigned long pages = 0;
	char arg[32];

	for (unsigned int n = 0; n < m->nr_nodes; n++) {
		const struct real_range *r = &m->node[n].zone[ZONE_MOVABLE];

		for (unsigned long pfn = r->start; pfn < r->end; pfn++)
			if (!in_hole(m, pfn))
				pages++;
	}
	if (!pages)
		return;
	snprintf(arg, sizeof(arg), "%lu", pages << PAGE_SHIFT);
	real_parse_early_param("movablecore", arg);
}

/* cma_init_reserved_areas() -> cma_activate_area(), for every area. */
static void activate_cma(const struct real_machine *m)
{
	for (unsigned int i = 0; i < m->nr_cma; i++)
		for (unsigned long pfn = m->cma[i].start; pfn < m->cma[i].end;
		     pfn += pageblock_nr_pages)
			init_cma_reserved_pageblock(pfn_to_page(pfn));
}

/*
 * The zone spans the kernel computed must be the layout's, clipped to the
 * node's memory (a hole at either end of a node is outside every zone).
 */
static int check_spans(const struct real_machine *m, char *err, size_t errlen)
{
	for (unsigned int n = 0; n < m->nr_nodes; n++) {
		pg_data_t *pgdat = NODE_DATA(n);
		unsigned long lo = pgdat->node_start_pfn, hi = pgdat_end_pfn(pgdat);

		for (int z = 0; z < REAL_NR_ZONES; z++) {
			const struct real_range *r = &m->node[n].zone[z];
			struct zone *zone = &pgdat->node_zones[z];
			unsigned long start = clamp(lo, r->start, r->end);
			unsigned long end = clamp(hi, r->start, r->end);

			if (start >= end && !zone->spanned_pages)
				continue;
			if (zone->zone_start_pfn == start && zone_end_pfn(zone) == end)
				continue;
			return set_err(err, errlen,
				       "node %u zone %s: the kernel made [%#lx, %#lx), the layout says [%#lx, %#lx)",
				       n, zone_names[z], zone->zone_start_pfn, zone_end_pfn(zone),
				       start, end);
		}
	}
	return 0;
}

int real_boot(const struct real_machine *m, char *err, size_t errlen)
{
	unsigned long max_zone_pfn[MAX_NR_ZONES] = { 0 };
	unsigned long max_pfn_layout = machine_max_pfn(m);

	if (m->max_order != MAX_PAGE_ORDER || m->pb_order != pageblock_order)
		return set_err(err, errlen,
			       "this build is for MAX_PAGE_ORDER %d and pageblock_order %d, not %u and %u",
			       MAX_PAGE_ORDER, (int)pageblock_order, m->max_order,
			       m->pb_order);
	if (m->bootmem)
		return set_err(err, errlen, "6.12 has no bootmem boot path (memblock only since 4.20)");
	if (m->nr_nodes < 1 || m->nr_nodes > MAX_NUMNODES)
		return set_err(err, errlen, "%u nodes", m->nr_nodes);
	if (real.booted)
		return set_err(err, errlen, "the real code boots once per process");
	real.booted = true;
	real.machine = *m;

	kshim_percpu_init();
	if (kshim_memory_init(round_up(max_pfn_layout, MAX_ORDER_NR_PAGES), 0))
		return set_err(err, errlen, "no memory for a memmap of %lu pages", max_pfn_layout);
	set_cpus(m);
	add_memory(m);
	max_pfn = max_low_pfn = max_possible_pfn = max_pfn_layout;

	/* numa_init(), numa_register_memblks(): the layout's nodes are the
	 * possible ones, each with a pg_data_t, online */
	nodes_clear(node_possible_map);
	nodes_clear(node_online_map);
	for (unsigned int n = 0; n < m->nr_nodes; n++)
		node_set(n, node_possible_map);
	for (unsigned int n = 0; n < m->nr_nodes; n++) {
		node_data[n] = calloc(1, sizeof(pg_data_t));
		if (!node_data[n])
			return set_err(err, errlen, "no memory for node %u", n);
		node_set_online(n);
	}
	for (unsigned int n = 0; n < m->nr_nodes; n++)
		if (m->node[n].nr_cpus)
			node_set_state(n, N_CPU);

	/* paging_init() -> sparse_init(), zone_sizes_init() -> free_area_init() */
	sparse_init();
	for (int z = 0; z < ZONE_MOVABLE; z++)
		for (unsigned int n = 0; n < m->nr_nodes; n++)
			if (m->node[n].zone[z].end > m->node[n].zone[z].start)
				max_zone_pfn[z] = max(max_zone_pfn[z], m->node[n].zone[z].end);
	/* ZONE_MOVABLE is carved out of the highest zone by movablecore= */
	for (unsigned int n = 0; n < m->nr_nodes; n++)
		if (m->node[n].zone[ZONE_MOVABLE].end > m->node[n].zone[ZONE_MOVABLE].start)
			max_zone_pfn[ZONE_NORMAL] = max(max_zone_pfn[ZONE_NORMAL],
							m->node[n].zone[ZONE_MOVABLE].end);
	for (int z = 1; z < ZONE_MOVABLE; z++)
		max_zone_pfn[z] = max(max_zone_pfn[z], max_zone_pfn[z - 1]);
	set_movablecore(m);
	free_area_init(max_zone_pfn);
	if (check_spans(m, err, errlen))
		return -EINVAL;

	/* mm_core_init(), mem_init() */
	build_all_zonelists(NULL);
	memblock_free_all();
	system_state = SYSTEM_SCHEDULING;
	setup_per_cpu_pageset();

	/* kernel_init_freeable(): blocking allocations from here on (until
	 * now gfp_allowed_mask was GFP_BOOT_MASK, without reclaim, IO, FS),
	 * then page_alloc_init_late() */
	gfp_allowed_mask = __GFP_BITS_MASK;
	{
		struct zone *zone;

		memblock_discard();
		for_each_populated_zone(zone)
			set_zone_contiguous(zone);
		page_alloc_sysctl_init();
	}

	/* the initcalls */
	activate_cma(m);
	init_per_zone_wmark_min();
	real_khugepaged_start();
	system_state = SYSTEM_RUNNING;
	/* A layout's min_free_kbytes is a write of the sysctl once booted. */
	if (m->min_free_kbytes >= 0 &&
	    real_sysctl_write_long("min_free_kbytes", m->min_free_kbytes))
		return set_err(err, errlen, "min_free_kbytes %ld refused", m->min_free_kbytes);
	return 0;
}
