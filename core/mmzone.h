/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zones, nodes, free areas and per-CPU lists (include/linux/mmzone.h).
 */
#ifndef KB_MMZONE_H
#define KB_MMZONE_H

#include <stdbool.h>

#include "mm_types.h"

/*
 * Compile-time bounds. The runtime MAX_PAGE_ORDER and pageblock_order of an
 * instance come from its layout and must stay within these.
 */
#define KB_MAX_ORDER_LIMIT	12
#define KB_NR_ORDERS_MAX	(KB_MAX_ORDER_LIMIT + 1)
#define KB_MAX_NODES		4
#define KB_MAX_CPUS		8

#include "spinlock_types.h"

#define PAGE_ALLOC_COSTLY_ORDER	3

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the number of types on the pcp lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE,	/* can't allocate from here */
	MIGRATE_TYPES
};

static inline bool is_migrate_cma(int mt) { return mt == MIGRATE_CMA; }
static inline bool is_migrate_isolate(int mt) { return mt == MIGRATE_ISOLATE; }
static inline bool is_migrate_highatomic(int mt) { return mt == MIGRATE_HIGHATOMIC; }
static inline bool is_migrate_movable(int mt) { return mt == MIGRATE_MOVABLE || mt == MIGRATE_CMA; }
static inline bool migratetype_is_mergeable(int mt) { return mt < MIGRATE_PCPTYPES; }

/*
 * Zones of x86-64. HIGHMEM does not exist on 64-bit (__GFP_HIGHMEM maps to
 * NORMAL through GFP_ZONE_TABLE). ZONE_DEVICE exists (distribution kernels
 * enable it, and /proc/zoneinfo lists it) but is never populated and never
 * reaches the buddy: a layout cannot declare it.
 */
enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	MAX_NR_ZONES
};

/* Zones a layout may populate: all but ZONE_DEVICE. */
#define KB_NR_LAYOUT_ZONES	ZONE_DEVICE

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

enum zone_stat_item {
	NR_FREE_PAGES,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

/*
 * The LRU lists of a node (include/linux/mmzone.h): anon and file, each
 * inactive and active, and the unevictable list kbuddy never fills.
 */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

#define LRU_ACTIVE	1
#define LRU_FILE	2

static inline bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

static inline bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}

/*
 * A node's LRU (the root memcg's lruvec): the lists of head pages, the
 * pages on each list by zone (lru_zone_size, which NR_ZONE_*_FILE and
 * the node's NR_*_FILE are sums of) and the pages reclaim holds
 * isolated (NR_ISOLATED_ANON, NR_ISOLATED_FILE).
 */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	unsigned long lru_zone_size[MAX_NR_ZONES][NR_LRU_LISTS];
	unsigned long nr_isolated[2];		/* [0] anon, [1] file */
};

/* zone->flags bits */
enum zone_flags {
	ZONE_BOOSTED_WATERMARK,
	ZONE_RECLAIM_ACTIVE,
	ZONE_BELOW_HIGH,
};

/*
 * Per-CPU lists: one per pcp migratetype for each order up to
 * PAGE_ALLOC_COSTLY_ORDER, plus two for the THP order (pageblock_order here,
 * which is HPAGE_PMD_ORDER on x86-64).
 */
#define NR_LOWORDER_PCP_LISTS	(MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_THP		2
#define NR_PCP_LISTS		(NR_LOWORDER_PCP_LISTS + NR_PCP_THP)

/* pcp->flags */
#define PCPF_PREV_FREE_HIGH_ORDER	(1u << 0)
#define PCPF_FREE_HIGH_BATCH		(1u << 1)

struct per_cpu_pages {
	int count;		/* pages on the lists, in base pages */
	int high;		/* drain when count reaches this */
	int high_min;
	int high_max;
	int batch;		/* chunk size for buddy add/remove */
	unsigned char flags;
	unsigned char alloc_factor;
	short free_count;	/* consecutive free count */
	unsigned char free_factor; /* before 6.7: free batch scale (profile.h) */
	spinlock_t lock;	/* protects the lists and count */
	struct list_head lists[NR_PCP_LISTS];
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

struct kb_instance;
struct pglist_data;

struct zone {
	spinlock_t lock;	/* the free areas; taken with interrupts off */
	/* Read-mostly */
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	unsigned long nr_free_highatomic;
	unsigned long nr_isolate_pageblock;	/* pageblocks with PB_migrate_isolate */
	long lowmem_reserve[MAX_NR_ZONES];

	struct pglist_data *zone_pgdat;
	struct kb_instance *kb;

	int pageset_high_min;
	int pageset_high_max;
	int pageset_batch;
	/* calculate_normal_threshold() at the last refresh_zone_stat_thresholds() */
	int stat_threshold;
	struct per_cpu_pages per_cpu_pageset[KB_MAX_CPUS];

	unsigned long zone_start_pfn;
	unsigned long managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long cma_pages;

	const char *name;
	enum zone_type zone_idx;
	bool initialized;
	/* 1 between zone_pcp_disable() and zone_pcp_enable(): lists bypassed */
	int pcp_disabled;

	struct free_area free_area[KB_NR_ORDERS_MAX];
	unsigned long flags;

	/* Compaction (mm/compaction.c): where the scanners restart */
	unsigned long compact_cached_free_pfn;
	unsigned long compact_cached_migrate_pfn[2];	/* [0] async, [1] sync */
	unsigned long compact_init_migrate_pfn;
	unsigned long compact_init_free_pfn;
	/*
	 * On compaction failure, 1<<compact_defer_shift compactions are
	 * skipped (compact_considered counts them). compact_order_failed
	 * is the lowest order that failed.
	 */
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	/* a full direct compaction finished: kswapd/kcompactd clears the skip bits */
	bool compact_blockskip_flush;
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
};

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < zone_end_pfn(zone);
}

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline bool managed_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}

static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return zone->managed_pages;
}

static inline unsigned long zone_page_state(const struct zone *zone,
					    enum zone_stat_item item)
{
	long x = zone->vm_stat[item];
	return x < 0 ? 0 : (unsigned long)x;
}

/* Zonelists: FALLBACK walks all nodes, NOFALLBACK only this one (__GFP_THISNODE). */
enum {
	ZONELIST_FALLBACK,
	ZONELIST_NOFALLBACK,
	MAX_ZONELISTS
};

#define MAX_ZONES_PER_ZONELIST	(KB_MAX_NODES * MAX_NR_ZONES)

struct zoneref {
	struct zone *zone;
	int zone_idx;
};

struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;			/* highest zone with pages, plus one */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	int nr_cpus;
	unsigned long totalreserve_pages;
	/* kcompactd's request (wakeup_kcompactd): order and highest zone */
	int kcompactd_max_order;
	enum zone_type kcompactd_highest_zoneidx;
	/* a compaction_proactiveness write asks for a proactive pass */
	bool proactive_compact_trigger;
	/* proactive passes to sit out after one that did not lower the score */
	unsigned int proactive_defer;
	/* kswapd (mm/vmscan.c): the request it was woken for, and its failures */
	int kswapd_order;
	enum zone_type kswapd_highest_zoneidx;	/* MAX_NR_ZONES: no request */
	enum zone_type kswapd_prev_highest_zoneidx;	/* kswapd's own, from its last pass */
	int kswapd_failures;			/* passes in a row reclaiming nothing */
	/* wake_up_interruptible(&kswapd_wait) happened: the next kswapd pass runs */
	bool kswapd_woken;
	struct lruvec __lruvec;
} pg_data_t;

static inline int zone_idx(const struct zone *zone)
{
	return (int)zone->zone_idx;
}

static inline int zone_to_nid(const struct zone *zone)
{
	return zone->zone_pgdat->node_id;
}

#endif /* KB_MMZONE_H */
