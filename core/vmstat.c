// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo in the kernel's
 * formats (mm/vmstat.c). Statistics kbuddy does not model (LRU sizes, NUMA
 * hit counts, per-node stats) print as 0 so the layout of the text matches
 * a real machine's line for line.
 */
#include <string.h>

#include "internal.h"

/*
 * The statistics lines of /proc/zoneinfo as each profile's kernel prints
 * them (KB_VMSTAT_ITEMS in core/profile.h): kbuddy models none of them but
 * the free counts, so the rest print as 0.
 */
static const char *const zone_stat_names[] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon",
	"nr_zone_inactive_file", "nr_zone_active_file", "nr_zone_unevictable",
	"nr_zone_write_pending", "nr_mlock", "nr_bounce", "nr_zspages",
	"nr_free_cma",
#if KB_VMSTAT_ITEMS >= 612
	"nr_unaccepted",
#endif
};

static const char *const numa_stat_names[] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave",
	"numa_local", "numa_other",
};

static const char *const node_stat_names[] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
	"nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable",
	"nr_isolated_anon", "nr_isolated_file", "workingset_nodes",
	"workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file",
	"workingset_nodereclaim", "nr_anon_pages", "nr_mapped", "nr_file_pages",
	"nr_dirty", "nr_writeback", "nr_writeback_temp", "nr_shmem",
	"nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages",
	"nr_file_pmdmapped", "nr_anon_transparent_hugepages", "nr_vmscan_write",
	"nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written",
	"nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
	"nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages",
	"nr_sec_page_table_pages",
#if KB_VMSTAT_ITEMS >= 612
	"nr_iommu_pages",
#endif
	"nr_swapcached", "pgpromote_success", "pgpromote_candidate",
#if KB_VMSTAT_ITEMS >= 612
	"pgdemote_kswapd", "pgdemote_direct", "pgdemote_khugepaged",
#endif
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* kbuddy's event counters by name (scenarios' event[NAME]); one per item. */
static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGALLOC]		= "PGALLOC",
	[PGFREE]		= "PGFREE",
	[ALLOCFAIL]		= "ALLOCFAIL",
	[EXTFRAG_CLAIM]		= "EXTFRAG_CLAIM",
	[EXTFRAG_STEAL]		= "EXTFRAG_STEAL",
	[CMA_ALLOC_FALLBACK]	= "CMA_ALLOC_FALLBACK",
	[HIGHATOMIC_RESERVE]	= "HIGHATOMIC_RESERVE",
	[HIGHATOMIC_UNRESERVE]	= "HIGHATOMIC_UNRESERVE",
	[WMARK_BOOST]		= "WMARK_BOOST",
	[PCP_DRAIN_HIGH]	= "PCP_DRAIN_HIGH",
	[PCP_REFILL]		= "PCP_REFILL",
	[PGMIGRATE_SUCCESS]	= "PGMIGRATE_SUCCESS",
	[PGMIGRATE_FAIL]	= "PGMIGRATE_FAIL",
	[COMPACTMIGRATE_SCANNED] = "COMPACTMIGRATE_SCANNED",
	[COMPACTFREE_SCANNED]	= "COMPACTFREE_SCANNED",
	[COMPACTISOLATED]	= "COMPACTISOLATED",
	[COMPACTSTALL]		= "COMPACTSTALL",
	[COMPACTFAIL]		= "COMPACTFAIL",
	[COMPACTSUCCESS]	= "COMPACTSUCCESS",
	[COMPACTCAPTURE]	= "COMPACTCAPTURE",
	[KCOMPACTD_WAKE]	= "KCOMPACTD_WAKE",
	[KCOMPACTD_MIGRATE_SCANNED] = "KCOMPACTD_MIGRATE_SCANNED",
	[KCOMPACTD_FREE_SCANNED] = "KCOMPACTD_FREE_SCANNED",
	[PGACTIVATE]		= "PGACTIVATE",
	[PGDEACTIVATE]		= "PGDEACTIVATE",
	[PGREFILL]		= "PGREFILL",
	[PGSTEAL_KSWAPD]	= "PGSTEAL_KSWAPD",
	[PGSTEAL_DIRECT]	= "PGSTEAL_DIRECT",
	[PGSCAN_KSWAPD]	= "PGSCAN_KSWAPD",
	[PGSCAN_DIRECT]	= "PGSCAN_DIRECT",
	[PGSCAN_ANON]		= "PGSCAN_ANON",
	[PGSCAN_FILE]		= "PGSCAN_FILE",
	[PGSTEAL_ANON]		= "PGSTEAL_ANON",
	[PGSTEAL_FILE]		= "PGSTEAL_FILE",
	[PGSCAN_SKIP]		= "PGSCAN_SKIP",
	[ALLOCSTALL_DMA]	= "ALLOCSTALL_DMA",
	[ALLOCSTALL_DMA32]	= "ALLOCSTALL_DMA32",
	[ALLOCSTALL_NORMAL]	= "ALLOCSTALL_NORMAL",
	[ALLOCSTALL_MOVABLE]	= "ALLOCSTALL_MOVABLE",
	[PAGEOUTRUN]		= "PAGEOUTRUN",
	[KSWAPD_WAKE]		= "KSWAPD_WAKE",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY]	= "KSWAPD_LOW_WMARK_HIT_QUICKLY",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY]	= "KSWAPD_HIGH_WMARK_HIT_QUICKLY",
	[OOM_KILL]		= "OOM_KILL",
	[DROP_PAGECACHE]	= "DROP_PAGECACHE",
};

const char *kb_vm_event_name(enum vm_event_item item)
{
	return (unsigned int)item < NR_VM_EVENT_ITEMS && vm_event_names[item] ?
	       vm_event_names[item] : "?";
}

static unsigned long zone_stat_value(const struct zone *zone, unsigned int i)
{
	if (!strcmp(zone_stat_names[i], "nr_free_pages"))
		return zone_page_state(zone, NR_FREE_PAGES);
	if (!strcmp(zone_stat_names[i], "nr_free_cma"))
		return zone_page_state(zone, NR_FREE_CMA_PAGES);
	return 0;
}

/* fls(): the 1-based index of the highest set bit, 0 for 0 */
static int fls_long(unsigned long x)
{
	return x ? (int)(sizeof(x) * 8) - __builtin_clzl(x) : 0;
}

/*
 * calculate_normal_threshold: the per-CPU counter drift allowed before a
 * fold, growing with the CPUs and the zone's size in 128 MiB units.
 */
static int calculate_normal_threshold(const struct kb_instance *kb, const struct zone *zone)
{
	unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_long((unsigned long)kb->nr_cpu_ids) * (1 + fls_long(mem));

	return KB_MIN(125, threshold);
}

/* refresh_zone_stat_thresholds: every populated zone's threshold for its CPUs. */
void refresh_zone_stat_thresholds(struct kb_instance *kb)
{
	int nid, zid;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &kb->node_data[nid].node_zones[zid];

			if (populated_zone(zone))
				zone->stat_threshold = calculate_normal_threshold(kb, zone);
		}
}

void kb_show_buddyinfo(const struct kb_instance *kb, FILE *out)
{
	int nid, zid;
	unsigned int order;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = &kb->node_data[nid].node_zones[zid];

			if (!populated_zone(zone))
				continue;
			fprintf(out, "Node %d, zone %8s ", nid, zone->name);
			for (order = 0; order <= kb->max_order; order++)
				fprintf(out, "%6lu ", zone->free_area[order].nr_free);
			fputc('\n', out);
		}
}

static void pagetypeinfo_showfree(const struct kb_instance *kb, const pg_data_t *pgdat,
				  FILE *out)
{
	unsigned int order;
	int zid, mt;

	fprintf(out, "%-43s ", "Free pages count per migrate type at order");
	for (order = 0; order <= kb->max_order; order++)
		fprintf(out, "%6u ", order);
	fputc('\n', out);

	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct zone *zone = &pgdat->node_zones[zid];

		if (!populated_zone(zone))
			continue;
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			fprintf(out, "Node %4d, zone %8s, type %12s ", pgdat->node_id, zone->name,
				kb_migratetype_name(mt));
			for (order = 0; order <= kb->max_order; order++) {
				const struct list_head *head = &zone->free_area[order].free_list[mt];
				const struct list_head *curr;
				unsigned long freecount = 0;
				bool overflow = false;

				for (curr = head->next; curr != head; curr = curr->next)
					if (++freecount >= 100000) {
						overflow = true;
						break;
					}
				fprintf(out, "%s%6lu ", overflow ? ">" : "", freecount);
			}
			fputc('\n', out);
		}
	}
}

static void pagetypeinfo_showblockcount(const struct kb_instance *kb, const pg_data_t *pgdat,
					FILE *out)
{
	int zid, mt;

	fprintf(out, "\n%-23s", "Number of blocks type ");
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		fprintf(out, "%12s ", kb_migratetype_name(mt));
	fputc('\n', out);

	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct zone *zone = &pgdat->node_zones[zid];
		unsigned long count[MIGRATE_TYPES] = { 0 };
		unsigned long pfn;

		if (!populated_zone(zone))
			continue;
		/* The kernel steps from zone_start_pfn, aligned or not. */
		for (pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
		     pfn += kb->pageblock_nr_pages) {
			const struct page *page = pfn_to_online_page(kb, pfn);

			if (!page)
				continue;
			if (page->zone != zone->zone_idx || page->node != pgdat->node_id)
				continue;
			count[get_pfnblock_migratetype(kb, pfn)]++;
		}
		fprintf(out, "Node %d, zone %8s ", pgdat->node_id, zone->name);
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			fprintf(out, "%12lu ", count[mt]);
		fputc('\n', out);
	}
}

void kb_show_pagetypeinfo(const struct kb_instance *kb, FILE *out)
{
	int nid;

	for (nid = 0; nid < kb->nr_node_ids; nid++) {
		const pg_data_t *pgdat = &kb->node_data[nid];

		if (!pgdat->node_present_pages)
			continue;
		fprintf(out, "Page block order: %u\n", kb->pageblock_order);
		fprintf(out, "Pages per block:  %lu\n", kb->pageblock_nr_pages);
		fputc('\n', out);
		pagetypeinfo_showfree(kb, pgdat, out);
		pagetypeinfo_showblockcount(kb, pgdat, out);
	}
}

static bool is_zone_first_populated(const pg_data_t *pgdat, const struct zone *zone)
{
	int zid;

	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		if (populated_zone(&pgdat->node_zones[zid]))
			return &pgdat->node_zones[zid] == zone;
	}
	return false;
}

/* The node stats kbuddy keeps: the LRU sizes and the isolated pages (core/vmscan.c). */
static unsigned long node_stat_value(const pg_data_t *pgdat, unsigned int i)
{
	const struct lruvec *lruvec = &pgdat->__lruvec;
	unsigned long sum = 0;

	/* nr_inactive_anon .. nr_active_file are the first four, in enum lru_list order */
	if (i < LRU_UNEVICTABLE) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			sum += lruvec->lru_zone_size[zid][i];
		return sum;
	}
	if (!strcmp(node_stat_names[i], "nr_isolated_anon"))
		return lruvec->nr_isolated[0];
	if (!strcmp(node_stat_names[i], "nr_isolated_file"))
		return lruvec->nr_isolated[1];
	return 0;
}

static void zoneinfo_show_print(const struct kb_instance *kb, const pg_data_t *pgdat,
				const struct zone *zone, FILE *out)
{
	unsigned int i;
	int cpu;

	fprintf(out, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (is_zone_first_populated(pgdat, zone)) {
		fprintf(out, "\n  per-node stats");
		for (i = 0; i < ARRAY_SIZE(node_stat_names); i++)
			fprintf(out, "\n      %-12s %lu", node_stat_names[i],
				node_stat_value(pgdat, i));
	}
	fprintf(out,
		"\n  pages free     %lu"
		"\n        boost    %lu"
		"\n        min      %lu"
		"\n        low      %lu"
		"\n        high     %lu",
		zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
		min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone));
	if (KB_ZONEINFO_PROMO)
		fprintf(out, "\n        promo    %lu", wmark_pages(zone, WMARK_PROMO));
	fprintf(out,
		"\n        spanned  %lu"
		"\n        present  %lu"
		"\n        managed  %lu"
		"\n        cma      %lu",
		zone->spanned_pages, zone->present_pages,
		zone_managed_pages(zone), zone->cma_pages);

	fprintf(out, "\n        protection: (%ld", zone->lowmem_reserve[0]);
	for (i = 1; i < MAX_NR_ZONES; i++)
		fprintf(out, ", %ld", zone->lowmem_reserve[i]);
	fputc(')', out);

	/* If unpopulated, no other information is useful */
	if (!populated_zone(zone)) {
		fputc('\n', out);
		return;
	}

	for (i = 0; i < ARRAY_SIZE(zone_stat_names); i++)
		fprintf(out, "\n      %-12s %lu", zone_stat_names[i], zone_stat_value(zone, i));
	for (i = 0; i < ARRAY_SIZE(numa_stat_names); i++)
		fprintf(out, "\n      %-12s %lu", numa_stat_names[i], 0UL);

	fprintf(out, "\n  pagesets");
	for (cpu = 0; cpu < kb->nr_cpu_ids; cpu++) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		if (KB_ZONEINFO_PCP_LIMITS)
			fprintf(out,
				"\n    cpu: %i"
				"\n              count:    %i"
				"\n              high:     %i"
				"\n              batch:    %i"
				"\n              high_min: %i"
				"\n              high_max: %i",
				cpu, pcp->count, pcp->high, pcp->batch, pcp->high_min,
				pcp->high_max);
		else
			fprintf(out,
				"\n    cpu: %i"
				"\n              count: %i"
				"\n              high:  %i"
				"\n              batch: %i",
				cpu, pcp->count, pcp->high, pcp->batch);
		/*
		 * The kernel's threshold; kbuddy itself updates its counters
		 * exactly, without per-CPU drift.
		 */
		fprintf(out, "\n  vm stats threshold: %d", zone->stat_threshold);
	}
	fprintf(out,
		"\n  node_unreclaimable:  %u"
		"\n  start_pfn:           %lu",
		0u, zone->zone_start_pfn);
	if (KB_ZONEINFO_PCP_LIMITS)
		fprintf(out,
			"\n  reserved_highatomic: %lu"
			"\n  free_highatomic:     %lu",
			zone->nr_reserved_highatomic, zone->nr_free_highatomic);
	fputc('\n', out);
}

void kb_show_zoneinfo(const struct kb_instance *kb, FILE *out)
{
	int nid, zid;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			zoneinfo_show_print(kb, &kb->node_data[nid],
					    &kb->node_data[nid].node_zones[zid], out);
}
