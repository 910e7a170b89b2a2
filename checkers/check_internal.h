/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the shadow and the sweep files share: the shadow's layout and the
 * state one sweep carries from phase to phase.
 */
#ifndef KB_CHECK_INTERNAL_H
#define KB_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "internal.h"

/* One allocation the caller holds, indexed by its handle. */
struct kb_shadow_rec {
	unsigned long pfn;
	unsigned long nr;	/* pages held: 1 << order, or a contiguous range's length */
	uint8_t order;
	bool live;
	bool compound;		/* __GFP_COMP with order > 0 */
	bool contig;		/* alloc_contig: nr order-0 pages, each with a reference */
	bool poisoned;		/* a page soft offline took (PG_hwpoison, one reference) */
	uint8_t refs;		/* the head's expected refcount: 1 + GET references */
	int8_t node, zone;	/* of the head page at allocation; -1 if unknown */
};

struct kb_sweep;
struct kb_model;

/*
 * The pageblocks of zone's span whose flags masked with mask equal val.
 * Pageblocks of missing sections have no flags and are not counted.
 */
static inline unsigned long kb_check_count_blocks(const struct kb_instance *kb,
						  const struct zone *zone, uint8_t mask,
						  uint8_t val)
{
	unsigned long a, b, pfn, n = 0;
	unsigned long lo = pageblock_start_pfn(kb, zone->zone_start_pfn);

	for_each_valid_range(kb, lo, zone_end_pfn(zone), a, b)
		for (pfn = pageblock_start_pfn(kb, a); pfn < b; pfn += kb->pageblock_nr_pages)
			n += (*pfnblock_flags(kb, pfn) & mask) == val;
	return n;
}

/* The pfns of [lo, hi) without a struct page (missing sections). */
static inline unsigned long kb_check_missing_pages(const struct kb_instance *kb,
						   unsigned long lo, unsigned long hi)
{
	unsigned long a, b, valid = 0;

	for_each_valid_range(kb, lo, hi, a, b)
		valid += b - a;
	return hi - lo - valid;
}

/* The shadow of free memory (checkers/shadow_free.c): a pageblock within one zone. */
struct kb_piece {
	unsigned long start, end;	/* pfns [start, end) */
	uint16_t managed;		/* of them, pages the layout hands to the buddy */
	uint16_t held;			/* of them, pages the caller holds */
	int16_t zref;			/* KB_MODEL_ZONEREF of its zone */
};

struct kb_free_shadow {
	const struct kb_model *model;	/* NULL: no shadow of free memory */
	long held[KB_MAX_NODES * MAX_NR_ZONES];	/* pages held, by the layout's zone */
	struct kb_piece *piece;		/* in pfn order */
	unsigned int nr_pieces;
	uint32_t *pb_first;		/* per pageblock: its first piece, or UINT32_MAX */
	unsigned long nr_pageblocks;
	unsigned int pageblock_order;
};

/* The caller now holds (sign 1) or gave back (-1) [pfn, pfn + nr). */
void kb_free_shadow_hold(struct kb_free_shadow *fs, unsigned long pfn, unsigned long nr,
			 int sign);
void kb_free_shadow_destroy(struct kb_free_shadow *fs);

struct kb_shadow {
	unsigned long max_pfn;		/* of the instance it was built for */
	uint32_t *owner;		/* per pfn: handle holding it, 0 = none */
	uint32_t *mark;			/* per pfn: the sweep's scratch marks */
	struct kb_sweep *sweep;		/* the sweep's scratch tallies */
	struct kb_shadow_rec *rec;	/* per handle */
	unsigned int rec_cap;		/* entries in rec */
	unsigned int hi_handle;		/* no live handle above this */
	unsigned long nr_live;
	unsigned long total_pages;
	unsigned long allocated[KB_MAX_NODES][MAX_NR_ZONES];
	struct kb_free_shadow free;	/* free memory from the stream (shadow_free.c) */
};

/*
 * Sweep marks, one uint32_t per pfn: the low bits say what covers the pfn,
 * the rest name the list (struct kb_sweep list ids). 0 = nothing.
 */
#define KB_MARK_FREE_HEAD	1u
#define KB_MARK_FREE_BODY	2u
#define KB_MARK_PCP_HEAD	3u
#define KB_MARK_PCP_BODY	4u
#define KB_MARK_KIND_BITS	3
#define KB_MARK_KIND_MASK	((1u << KB_MARK_KIND_BITS) - 1)

static inline uint32_t kb_mark(unsigned int list_id, unsigned int kind)
{
	return (uint32_t)(list_id << KB_MARK_KIND_BITS) | kind;
}

static inline unsigned int kb_mark_kind(uint32_t m)
{
	return m & KB_MARK_KIND_MASK;
}

static inline unsigned int kb_mark_list(uint32_t m)
{
	return m >> KB_MARK_KIND_BITS;
}

/*
 * List ids: each zone owns KB_LISTS_PER_ZONE ids, first its free lists
 * (order * MIGRATE_TYPES + mt), then its pcp lists (cpu * NR_PCP_LISTS +
 * pindex).
 */
#define KB_FREE_LISTS_PER_ZONE	(KB_NR_ORDERS_MAX * MIGRATE_TYPES)
#define KB_PCP_LISTS_PER_ZONE	(KB_MAX_CPUS * NR_PCP_LISTS)
#define KB_LISTS_PER_ZONE	(KB_FREE_LISTS_PER_ZONE + KB_PCP_LISTS_PER_ZONE)

struct kb_list_id {
	int nid, zid;
	bool pcp;
	unsigned int order;	/* free lists */
	int mt;			/* free lists */
	int cpu;		/* pcp lists */
	unsigned int pindex;	/* pcp lists */
};

static inline unsigned int kb_free_list_id(int nid, int zid, unsigned int order, int mt)
{
	return (unsigned int)((nid * MAX_NR_ZONES + zid) * KB_LISTS_PER_ZONE) +
		order * MIGRATE_TYPES + (unsigned int)mt;
}

static inline unsigned int kb_pcp_list_id(int nid, int zid, int cpu, unsigned int pindex)
{
	return (unsigned int)((nid * MAX_NR_ZONES + zid) * KB_LISTS_PER_ZONE +
			      KB_FREE_LISTS_PER_ZONE + cpu * NR_PCP_LISTS) + pindex;
}

void kb_list_id_decode(unsigned int id, struct kb_list_id *out);

/* Per-zone tallies of the pfn scan. */
struct kb_zone_tally {
	unsigned long reserved;		/* PG_reserved pages in the span (holes too) */
	unsigned long free;		/* covered by free blocks */
	unsigned long pcp;		/* covered by pcp pages */
	unsigned long allocated;	/* held in the shadow */
	unsigned long lost;		/* none of the above */
	unsigned long first_lost;
};

/* One sweep's state. */
struct kb_sweep {
	struct kb_instance *kb;
	const struct kb_shadow *sh;
	uint32_t *mark;
	struct kb_violation *v;
	int nr_nodes;
	int nr_cpus;
	/* phases 2 and 3 check heads only: kb_sweep_pages checks the rest */
	bool heads_only;
	/* the mark buffer is all zero (kept across sweeps, see kb_check_full) */
	bool marks_clean;
	/* a clean sweep left nr_blocks and pcp_pages for kb as it is now */
	bool tallies_valid;
	/*
	 * Entries on every LRU list (kb_sweep_reclaim): with heads_only,
	 * kb_sweep_pages counts the PG_lru pages against it in its pass.
	 */
	unsigned long lru_entries;
	/* blocks on each free list, pages on each pcp list (from the walk) */
	unsigned long nr_blocks[KB_MAX_NODES][MAX_NR_ZONES][KB_NR_ORDERS_MAX][MIGRATE_TYPES];
	unsigned long pcp_pages[KB_MAX_NODES][MAX_NR_ZONES][KB_MAX_CPUS][NR_PCP_LISTS];
	struct kb_zone_tally tally[KB_MAX_NODES][MAX_NR_ZONES];
};

static inline struct zone *kb_sweep_zone(const struct kb_sweep *s, int nid, int zid)
{
	return &s->kb->node_data[nid].node_zones[zid];
}

/* A list head that was never initialized: empty for a zone never set up. */
static inline bool kb_list_unset(const struct list_head *head)
{
	return head->next == NULL && head->prev == NULL;
}

/* Flags no page of a free block or pcp page may carry (PG_buddy: but its head). */
#define KB_FREE_PAGE_BAD_FLAGS \
	((1u << PG_reserved) | (1u << PG_buddy) | (1u << PG_head) | (1u << PG_tail) | \
	 (1u << PG_hwpoison))

/* Zone spans sorted by start (kb_sweep_zone_segments returns how many). */
struct kb_zone_seg {
	unsigned long start, end;
	int nid, zid;
};

int kb_sweep_zone_segments(const struct kb_sweep *s, struct kb_zone_seg *seg);

/* The checks of an allocation's head page (sweep_alloc.c). */
int kb_sweep_alloc_head(struct kb_sweep *s, unsigned int h, const struct kb_shadow_rec *r);

/* Phases of kb_check_full; each returns 0, or 1 with s->v filled. */
int kb_sweep_lists(struct kb_sweep *s);		/* sweep_lists.c */
int kb_sweep_free_blocks(struct kb_sweep *s);	/* sweep_blocks.c */
int kb_sweep_pcp_pages(struct kb_sweep *s);	/* sweep_blocks.c */
int kb_sweep_merged(struct kb_sweep *s);	/* sweep_blocks.c */
int kb_sweep_allocations(struct kb_sweep *s);	/* sweep_alloc.c */
int kb_sweep_sections(struct kb_sweep *s);	/* sweep_sections.c */
int kb_sweep_pfns(struct kb_sweep *s);		/* sweep_pfns.c */
int kb_sweep_counters(struct kb_sweep *s);	/* sweep_counters.c */
int kb_sweep_conservation(struct kb_sweep *s);	/* sweep_conservation.c */
int kb_sweep_compaction(struct kb_sweep *s);	/* sweep_compaction.c */
int kb_sweep_reclaim(struct kb_sweep *s);	/* sweep_reclaim.c */
/*
 * Phases 2 to 5 page by page in one pass (sweep_pages.c), after phases 2
 * and 3 ran with heads_only: 0 when all is right, 1 when something may
 * not be (without a report: the phases one by one name it).
 */
int kb_sweep_pages(struct kb_sweep *s);

/* Layout holes clipped to [start, end). */
unsigned long kb_layout_holes_in(const struct kb_layout *layout,
				 unsigned long start, unsigned long end);

/*
 * The types whose lists and pageblocks mix before the hygiene series: the
 * normal ones, and highatomic where a pcp page drains with the type it
 * was freed with (KB_PCP_CACHED_MIGRATETYPE: a pageblock reserved or given
 * back meanwhile) or where a reserve retypes only the first pageblock of a
 * block, or a pageblock the zone's end cuts, without moving its free
 * blocks (KB_HIGHATOMIC_FIRST_PAGEBLOCK). CMA and isolated pageblocks
 * never do: a CMA pageblock keeps its type, and a drain reads the
 * pageblock again while the zone has isolated ones.
 */
static inline bool kb_list_type_mixes(int mt)
{
	if (mt < MIGRATE_PCPTYPES)
		return true;
	return mt == MIGRATE_HIGHATOMIC &&
	       (KB_PCP_CACHED_MIGRATETYPE || KB_HIGHATOMIC_FIRST_PAGEBLOCK);
}

/*
 * Whether a free block may sit on list_mt's lists in a pageblock of
 * block_mt: only on its own type's lists since 6.10's freelist hygiene;
 * before it (KB_FREELIST_HYGIENE 0, 6.1 and 6.6) on the list of any type
 * that mixes with its pageblock's (kb_list_type_mixes).
 */
static inline bool kb_list_type_fits(int block_mt, int list_mt)
{
	if (block_mt == list_mt)
		return true;
	return !KB_FREELIST_HYGIENE && kb_list_type_mixes(block_mt) && kb_list_type_mixes(list_mt);
}

#endif /* KB_CHECK_INTERNAL_H */
