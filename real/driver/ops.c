// SPDX-License-Identifier: GPL-2.0
/*
 * The allocator's entry points as kbuddy's operations call them, and the
 * state of every zone read back in kbuddy's terms (real_api.h). Each call
 * runs on the simulated CPU it names: this_cpu_ptr() and the pcp lists
 * follow kshim_cpu.
 */
#include <kshim/kshim.h>
#include <kshim/runtime.h>

#include "internal.h"
#include "driver.h"

_Static_assert(NR_PCP_LISTS == REAL_NR_PCP_LISTS, "pcp lists of the real build");
_Static_assert(MIGRATE_TYPES == REAL_NR_MIGRATETYPES, "migratetypes of the real build");
_Static_assert(MAX_NR_ZONES == REAL_NR_ZONES, "zones of the real build");
_Static_assert(NR_PAGE_ORDERS <= REAL_MAX_ORDERS, "orders of the real build");

static void run_on(int cpu)
{
	kshim_cpu = cpu >= 0 && (unsigned int)cpu < nr_cpu_ids ? cpu : 0;
}

void real_alloc_pages(unsigned int gfp, unsigned int order, int cpu, int nid,
		      struct real_alloc *out)
{
	struct page *page;

	run_on(cpu);
	if (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid))
		nid = numa_node_id();
	page = __alloc_pages((gfp_t)gfp, order, nid, NULL);
	out->ok = page != NULL;
	out->pfn = page ? page_to_pfn(page) : 0;
	out->node = page ? page_to_nid(page) : -1;
	out->zone = page ? (int)page_zonenum(page) : -1;
}

void real_free_pages(unsigned long pfn, unsigned int order, int cpu)
{
	run_on(cpu);
	__free_pages(pfn_to_page(pfn), order);
}

void real_get_page(unsigned long pfn)
{
	get_page(pfn_to_page(pfn));
}

void real_put_page(unsigned long pfn, int cpu)
{
	run_on(cpu);
	put_page(pfn_to_page(pfn));
}

/*
 * The OOM killer chose (on) or released the current task: what
 * mark_oom_victim() leaves for the allocator, signal->oom_mm set, which
 * tsk_is_oom_victim() and oom_reserves_allowed() read. The allocator only
 * tests the pointer; it stands for the victim's mm.
 */
void real_set_oom_victim(bool on)
{
	static long victim_mm;

	current->signal->oom_mm = on ? (struct mm_struct *)&victim_mm : NULL;
}

void real_drain_local(int cpu)
{
	run_on(cpu);
	drain_local_pages(NULL);
}

void real_drain_all(void)
{
	drain_all_pages(NULL);
}

static struct zone *zone_of(int node, int zone)
{
	if (node < 0 || node >= MAX_NUMNODES || !node_online(node) || zone < 0 ||
	    zone >= MAX_NR_ZONES)
		return NULL;
	return &NODE_DATA(node)->node_zones[zone];
}

/* mm/memory_hotplug.c and alloc_contig_range take pcp_batch_high_lock
 * around these; one simulated CPU runs at a time here. */
int real_pcp_disable(int node, int zone)
{
	struct zone *z = zone_of(node, zone);

	if (!z)
		return -EINVAL;
	zone_pcp_disable(z);
	return 0;
}

int real_pcp_enable(int node, int zone)
{
	struct zone *z = zone_of(node, zone);

	if (!z)
		return -EINVAL;
	zone_pcp_enable(z);
	return 0;
}

int real_sysctl_write_index(const char *name, unsigned int index, long value)
{
	struct ctl_table *table = kshim_find_sysctl(name);
	char buf[256];
	size_t used = 0;

	if (!table)
		return -ENOENT;
	if (table->maxlen <= (int)sizeof(long) || !table->data)
		return index ? -EINVAL : real_sysctl_write_long(name, value);
	/* a vector of ints: the others as they are */
	for (size_t i = 0; i < (size_t)table->maxlen / sizeof(int); i++) {
		long v = i == index ? value : ((int *)table->data)[i];

		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%ld",
					 i ? " " : "", v);
		if (used >= sizeof(buf))
			return -EINVAL;
	}
	if (index >= (size_t)table->maxlen / sizeof(int))
		return -EINVAL;
	return real_sysctl_write(name, buf);
}

static void zone_state(struct zone *zone, struct real_zone_state *zs)
{
	unsigned long pfn;
	int cpu;

	zs->spanned = zone->spanned_pages != 0;
	zs->start_pfn = zone->zone_start_pfn;
	zs->spanned_pages = zone->spanned_pages;
	zs->present_pages = zone->present_pages;
	zs->managed_pages = zone_managed_pages(zone);
	if (!zs->spanned)
		return;
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &zone->free_area[o];

		zs->area_nr_free[o] = area->nr_free;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;
			uint64_t h = 0;
			unsigned long n = 0;

			list_for_each_entry(page, &area->free_list[mt], buddy_list) {
				if (n < REAL_LIST_SHOWN)
					zs->free_head[o][mt][n] = page_to_pfn(page);
				h = real_hash_step(h, page_to_pfn(page));
				n++;
			}
			zs->nr_free[o][mt] = n;
			zs->free_hash[o][mt] = h;
		}
	}
	zs->nr_free_pages = (long)zone_page_state(zone, NR_FREE_PAGES);
	zs->nr_free_cma_pages = (long)zone_page_state(zone, NR_FREE_CMA_PAGES);
	for (int w = 0; w < 3; w++)
		zs->watermark[w] = zone->_watermark[w];
	zs->watermark_boost = zone->watermark_boost;
	zs->nr_reserved_highatomic = zone->nr_reserved_highatomic;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		zs->lowmem_reserve[z] = zone->lowmem_reserve[z];
	zs->nr_isolate_pageblock = zone->nr_isolate_pageblock;
	zs->pageblock_hash = 0;
	for (pfn = pageblock_start_pfn(zone->zone_start_pfn); pfn < zone_end_pfn(zone);
	     pfn += pageblock_nr_pages) {
		unsigned long first = max(pfn, zone->zone_start_pfn);
		int mt;

		if (!pfn_valid(first))
			continue;
		mt = get_pageblock_migratetype(pfn_to_page(first));
		if (mt >= 0 && mt < MIGRATE_TYPES)
			zs->pageblocks[mt]++;
		zs->pageblock_hash = real_hash_step(zs->pageblock_hash, pfn);
		zs->pageblock_hash = real_hash_step(zs->pageblock_hash, (uint64_t)mt);
	}
	for_each_online_cpu(cpu) {
		struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
		struct real_pcp_state *ps = &zs->pcp[cpu];

		if (cpu >= REAL_MAX_CPUS)
			break;
		ps->count = pcp->count;
		ps->high = pcp->high;
		ps->high_min = pcp->high_min;
		ps->high_max = pcp->high_max;
		ps->batch = pcp->batch;
		for (int i = 0; i < NR_PCP_LISTS; i++) {
			struct page *page;
			uint64_t h = 0;
			unsigned int n = 0;

			list_for_each_entry(page, &pcp->lists[i], pcp_list) {
				h = real_hash_step(h, page_to_pfn(page));
				n++;
			}
			ps->nr[i] = n;
			ps->hash[i] = h;
		}
	}
}

void real_state(struct real_state *out)
{
	memset(out, 0, sizeof(*out));
	out->nr_cpus = nr_cpu_ids;
	out->nr_nodes = real.machine.nr_nodes;
	for (unsigned int n = 0; n < out->nr_nodes && n < REAL_MAX_NODES; n++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone_state(&NODE_DATA(n)->node_zones[z], &out->zone[n][z]);
}
