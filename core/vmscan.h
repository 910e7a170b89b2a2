/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reclaim between core/ files (mm/vmscan.c, mm/swap.c, include/linux/
 * mm_inline.h): the node LRU lists, direct reclaim and kswapd.
 *
 * What sits on the LRU (the head page of a block, PG_lru): the owner's
 * __GFP_MOVABLE blocks as anonymous memory (PG_swapbacked) and its
 * __GFP_RECLAIMABLE blocks as clean, unmapped page cache, standing for
 * the caches the kernel can drop. kbuddy has no swap (total_swap_pages
 * 0), so reclaim scans the file lists only, as get_scan_count does
 * without swap: it takes file blocks from the owner and frees them, and
 * anonymous memory goes only when the OOM killer ends its owner.
 */
#ifndef KB_VMSCAN_H
#define KB_VMSCAN_H

#include "internal.h"

#define DEF_PRIORITY	12

/* mm/vmscan.c's scan_control: one reclaim invocation. */
struct scan_control {
	unsigned long nr_to_reclaim;	/* pages to reclaim before stopping */
	gfp_t gfp_mask;
	int order;			/* the allocation reclaim runs for */
	int priority;			/* scan lru_size >> priority per list */
	enum zone_type reclaim_idx;	/* highest zone reclaim may take from */
	bool kswapd;			/* current_is_kswapd() */
	bool may_deactivate_file;	/* the active file list may be aged */
	bool skipped_deactivate;
	bool force_deactivate;
	bool compaction_ready;		/* a zone can compact: stop reclaiming */
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
};

static inline struct lruvec *node_lruvec(pg_data_t *pgdat)
{
	return &pgdat->__lruvec;
}

/* The pages on lru in zones 0..zone_idx (lruvec_lru_size). */
unsigned long lruvec_lru_size(const struct lruvec *lruvec, enum lru_list lru, int zone_idx);
/* The file pages on zone's LRU lists (zone_reclaimable_pages without swap). */
unsigned long zone_reclaimable_pages(const struct zone *zone);

/*
 * A block leaves its LRU list for migration (folio_isolate_lru): reclaim,
 * which the migration target's allocation may enter, cannot take it.
 * false when it is not on the LRU. It counts in NR_ISOLATED_* until it
 * goes back (folio_putback_lru) or has moved (folio_migrated_lru).
 */
bool folio_isolate_lru(struct kb_instance *kb, struct page *page);
void folio_putback_lru(struct kb_instance *kb, struct page *page);
void folio_migrated_lru(struct kb_instance *kb, int nid, bool file, unsigned long nr_pages);

/* Direct reclaim for an allocation (try_to_free_pages): pages reclaimed, or 1. */
unsigned long try_to_free_pages(struct kb_instance *kb, struct zonelist *zonelist, int order,
				gfp_t gfp_mask);
/* An allocation found zone short: ask its node's kswapd to reclaim. */
void wakeup_kswapd(struct kb_instance *kb, struct zone *zone, gfp_t gfp_flags, int order,
		   enum zone_type highest_zoneidx);

#endif /* KB_VMSCAN_H */
