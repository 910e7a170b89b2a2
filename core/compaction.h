/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compaction's state between core/ files (mm/internal.h's compact_control
 * and capture_control, include/linux/compaction.h's priorities).
 */
#ifndef KB_COMPACTION_H
#define KB_COMPACTION_H

#include "internal.h"

/* How hard direct compaction tries: lower is harder (enum compact_priority). */
enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
};

/* enum compact_result, in the kernel's order (callers take the max) */
enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE = KB_COMPACT_NOT_SUITABLE_ZONE,
	COMPACT_SKIPPED = KB_COMPACT_SKIPPED,
	COMPACT_DEFERRED = KB_COMPACT_DEFERRED,
	COMPACT_NO_SUITABLE_PAGE = KB_COMPACT_NO_SUITABLE_PAGE,
	COMPACT_CONTINUE = KB_COMPACT_CONTINUE,
	COMPACT_COMPLETE = KB_COMPACT_COMPLETE,
	COMPACT_PARTIAL_SKIPPED = KB_COMPACT_PARTIAL_SKIPPED,
	COMPACT_CONTENDED = KB_COMPACT_CONTENDED,
	COMPACT_SUCCESS = KB_COMPACT_SUCCESS,
};

/* Migration modes as compaction uses them (enum migrate_mode). */
enum migrate_mode {
	MIGRATE_ASYNC,
	MIGRATE_SYNC_LIGHT,
	MIGRATE_SYNC,
};

/* Do not skip compaction more than 64 times */
#define COMPACT_MAX_DEFER_SHIFT	6
/* Pages isolated per round of the migrate scanner (SWAP_CLUSTER_MAX) */
#define COMPACT_CLUSTER_MAX	SWAP_CLUSTER_MAX
/* Retries of a compaction that reported success before the slow path gives up */
#define MAX_COMPACT_RETRIES	16

/*
 * Blocks isolated for migration at once. The kernel's list is unbounded
 * but stops at COMPACT_CLUSTER_MAX pages unless the scanner finishes a
 * pageblock; kbuddy keeps the isolated blocks in an array of this size
 * and ends the round when it is full.
 */
#define KB_COMPACT_MIGRATE_MAX	256

struct compact_control {
	struct list_head freepages[KB_NR_ORDERS_MAX];	/* isolated free blocks, by order */
	unsigned long migratepages[KB_COMPACT_MIGRATE_MAX]; /* pfns of blocks to migrate */
	unsigned int nr_migrate_blocks;
	unsigned long nr_freepages;	/* pages on freepages */
	unsigned long nr_migratepages;	/* pages of the blocks in migratepages */
	unsigned long free_pfn;		/* where the free scanner is (going down) */
	unsigned long migrate_pfn;	/* where the migrate scanner is (going up) */
	unsigned long fast_start_pfn;	/* a pfn where compaction may restart */
	struct zone *zone;
	unsigned long total_migrate_scanned;
	unsigned long total_free_scanned;
	unsigned short fast_search_fail;
	short search_order;
	gfp_t gfp_mask;
	int order;			/* -1: the whole zone (compact_memory) */
	int migratetype;
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum migrate_mode mode;
	bool ignore_skip_hint;
	bool no_set_skip_hint;
	bool ignore_block_suitable;
	bool direct_compaction;
	bool proactive_compaction;
	bool whole_zone;
	bool contended;
	bool finish_pageblock;
};

/* Where a page freed while compaction runs is captured (current->capture_control). */
struct capture_control {
	struct compact_control *cc;
	struct page *page;
};

/* The checker's look at a running compaction (kb->compaction_hooks.round). */
static inline void compaction_check_round(struct kb_instance *kb, const struct compact_control *cc)
{
	if (kb->compaction_hooks.round)
		kb->compaction_hooks.round(kb, cc, kb->compaction_hooks.ctx);
}

/* The kernel's COMPACTION_HPAGE_ORDER: HPAGE_PMD_ORDER, pageblock_order here. */
static inline int compaction_hpage_order(const struct kb_instance *kb)
{
	return (int)kb->pageblock_order;
}

static inline bool is_via_compact_memory(int order)
{
	return order == -1;
}

/* Free pages compaction needs as migration targets (compact_gap). */
static inline unsigned long compact_gap(unsigned int order)
{
	return 2UL << order;
}

/* The scanners met: compaction of this zone is done (compact_scanners_met). */
static inline bool compact_scanners_met(const struct compact_control *cc,
					const struct kb_instance *kb)
{
	return (cc->free_pfn >> kb->pageblock_order) <= (cc->migrate_pfn >> kb->pageblock_order);
}

/*
 * The first page of [start, end) when both ends are valid and lie in zone
 * (__pageblock_pfn_to_page): the end's pfn_valid first, then the start's
 * pfn_to_online_page, before any struct page is read. A pageblock never
 * spans sections, so both ends valid means the whole block is.
 */
static inline struct page *pageblock_pfn_to_page(struct kb_instance *kb, unsigned long start,
						 unsigned long end, struct zone *zone)
{
	struct page *first, *last;

	if (start >= end || end > kb->max_pfn)
		return NULL;
	if (!pfn_valid(kb, end - 1))
		return NULL;
	first = pfn_to_online_page(kb, start);
	if (!first)
		return NULL;
	last = pfn_to_page(kb, end - 1);
	if (page_zone(kb, first) != zone || page_zone(kb, last) != zone)
		return NULL;
	return first;
}

static inline bool get_pageblock_skip(const struct kb_instance *kb, const struct page *page)
{
	return *pfnblock_flags(kb, page_to_pfn(kb, page)) & PB_compact_skip;
}

void set_pageblock_skip(struct kb_instance *kb, struct page *page);
void clear_pageblock_skip(struct kb_instance *kb, struct page *page);

/* compaction.c */
bool compaction_deferred(struct zone *zone, int order);
void defer_compaction(struct zone *zone, int order);
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success);
bool compaction_suitable(struct kb_instance *kb, struct zone *zone, int order,
			 int highest_zoneidx);
bool compaction_zonelist_suitable(struct kb_instance *kb, const struct alloc_context *ac,
				  int order, unsigned int alloc_flags);
int fragmentation_index(const struct zone *zone, unsigned int order, unsigned int max_order);
unsigned int extfrag_for_order(const struct zone *zone, unsigned int order,
			       unsigned int max_order);
enum compact_result compact_zone(struct kb_instance *kb, struct compact_control *cc,
				 struct capture_control *capc);
enum compact_result try_to_compact_pages(struct kb_instance *kb, gfp_t gfp_mask,
					 unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac,
					 enum compact_priority prio, struct page **capture);
void compact_node(struct kb_instance *kb, pg_data_t *pgdat, bool proactive);
void compact_nodes(struct kb_instance *kb);
void reset_isolation_suitable(struct kb_instance *kb, pg_data_t *pgdat);
void __reset_isolation_suitable(struct kb_instance *kb, struct zone *zone);
enum compact_result compaction_suit_allocation_order(struct kb_instance *kb, struct zone *zone,
						     int order, int highest_zoneidx,
						     unsigned int alloc_flags);
bool compaction_capture(struct kb_instance *kb, struct capture_control *capc,
			struct page *page, int order, int migratetype);

/* compaction_scan.c: the two scanners */
void isolate_freepages(struct kb_instance *kb, struct compact_control *cc);
enum isolate_migrate {
	ISOLATE_ABORT,		/* Abort compaction now */
	ISOLATE_NONE,		/* No pages isolated, continue scanning */
	ISOLATE_SUCCESS,	/* Pages isolated, migrate */
};
enum isolate_migrate isolate_migratepages(struct kb_instance *kb, struct compact_control *cc);
void update_cached_migrate(struct compact_control *cc, unsigned long pfn,
			   const struct kb_instance *kb);

/* migrate.c: moving the isolated blocks through their owner */
int migrate_pages(struct kb_instance *kb, struct compact_control *cc, unsigned int *nr_succeeded);
unsigned long release_freepages(struct kb_instance *kb, struct compact_control *cc);

/* kcompactd.c */
void wakeup_kcompactd(struct kb_instance *kb, pg_data_t *pgdat, int order, int highest_zoneidx);
void compaction_proactiveness_write(struct kb_instance *kb, int value);
unsigned int fragmentation_score_node(const struct kb_instance *kb, const pg_data_t *pgdat);
unsigned int fragmentation_score_zone(const struct kb_instance *kb, const struct zone *zone);
unsigned int fragmentation_score_wmark(const struct kb_instance *kb, bool low);

#endif /* KB_COMPACTION_H */
