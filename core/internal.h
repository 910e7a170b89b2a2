/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocator internals shared by core/ files and the checkers
 * (the kernel's mm/internal.h and page-flags helpers).
 */
#ifndef KB_INTERNAL_H
#define KB_INTERNAL_H

#include <errno.h>
#include <stdarg.h>

#include "kbuddy.h"
#include "poison.h"
#include "profile.h"

#define ALIGN_UP(x, a)		(((x) + (a) - 1) / (a) * (a))
#define KB_MIN(a, b)		((a) < (b) ? (a) : (b))
#define KB_MAX(a, b)		((a) > (b) ? (a) : (b))
#define KB_CLAMP(v, lo, hi)	KB_MIN(KB_MAX((v), (lo)), (hi))

/* The kernel's ilog2: the index of the highest set bit of n > 0. */
static inline unsigned int ilog2(unsigned long n)
{
	return 63u - (unsigned int)__builtin_clzl(n);
}

/* alloc_flags (mm/internal.h) */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_NON_BLOCK		0x10
#define ALLOC_MIN_RESERVE	0x20	/* __GFP_HIGH */
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100
#define ALLOC_HIGHATOMIC	0x200
#define ALLOC_TRYLOCK		0x400
#define ALLOC_KSWAPD		0x800
#define ALLOC_RESERVES	(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* FPI flags for __free_one_page and friends */
typedef int fpi_t;
#define FPI_NONE		0
#define FPI_SKIP_REPORT_NOTIFY	(1 << 0)
#define FPI_TO_TAIL		(1 << 1)
#define FPI_TRYLOCK		(1 << 2)
/* free_pages_prepare already ran on every page (free_prepared_contig_range) */
#define FPI_PREPARED		(1 << 3)

/* Pageblock bits: the migratetype in the low bits, then the standalone flags. */
#define PB_migratetype_bits	3
#define PB_MIGRATETYPE_MASK	((1u << PB_migratetype_bits) - 1)
#define PB_compact_skip		(1u << 3)
#define PB_migrate_isolate	(1u << 4)

/* The allocation request as __alloc_pages sees it (struct alloc_context). */
struct alloc_context {
	struct zonelist *zonelist;
	struct zoneref *preferred_zoneref;
	int migratetype;
	enum zone_type highest_zoneidx;
	bool spread_dirty_pages;
};

/* --- geometry helpers --- */

static inline unsigned long pageblock_start_pfn(const struct kb_instance *kb,
						unsigned long pfn)
{
	return pfn & ~(kb->pageblock_nr_pages - 1);
}

static inline unsigned long pageblock_end_pfn(const struct kb_instance *kb,
					      unsigned long pfn)
{
	return pageblock_start_pfn(kb, pfn) + kb->pageblock_nr_pages;
}

static inline struct page *pfn_to_page(const struct kb_instance *kb, unsigned long pfn)
{
	return kb->mem_map + pfn;
}

static inline unsigned long page_to_pfn(const struct kb_instance *kb,
					const struct page *page)
{
	return (unsigned long)(page - kb->mem_map);
}

static inline struct zone *page_zone(const struct kb_instance *kb, const struct page *page)
{
	return (struct zone *)&kb->node_data[page->node].node_zones[page->zone];
}

static inline struct mem_section *__pfn_to_section(const struct kb_instance *kb,
						   unsigned long pfn)
{
	return &kb->mem_section[pfn_to_section_nr(pfn)];
}

/*
 * A pfn with a struct page: its section has a memmap (valid_section). As a
 * section populated by subsections, the last section's memmap ends at
 * max_pfn (core/sparse.h).
 */
static inline bool pfn_valid(const struct kb_instance *kb, unsigned long pfn)
{
	return pfn < kb->max_pfn && valid_section(__pfn_to_section(kb, pfn));
}

/* The page of pfn when its section is online (pfn_to_online_page), else NULL. */
static inline struct page *pfn_to_online_page(const struct kb_instance *kb, unsigned long pfn)
{
	if (pfn >= kb->max_pfn || !online_section(__pfn_to_section(kb, pfn)))
		return NULL;
	return pfn_to_page(kb, pfn);
}

/* --- per-CPU list index (mm/page_alloc.c) --- */

static inline unsigned int order_to_pindex(const struct kb_instance *kb,
					   int migratetype, unsigned int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		/* only the THP order (pageblock_order) reaches here */
		(void)kb;
		return NR_LOWORDER_PCP_LISTS + (migratetype == MIGRATE_MOVABLE);
	}
	return (MIGRATE_PCPTYPES * order) + (unsigned int)migratetype;
}

static inline unsigned int pindex_to_order(const struct kb_instance *kb,
					   unsigned int pindex)
{
	if (pindex >= NR_LOWORDER_PCP_LISTS)
		return kb->pageblock_order;
	return pindex / MIGRATE_PCPTYPES;
}

/*
 * Deliberate difference: never above pageblock_order. The kernel's
 * pageblock_order is at least PAGE_ALLOC_COSTLY_ORDER in every real
 * configuration; kbuddy's layouts go below it, and a pcp page spanning
 * pageblocks would be freed whole with its first pageblock's type
 * (free_pcppages_bulk), where the buddy path splits it (split_large_buddy).
 */
static inline bool pcp_allowed_order(const struct kb_instance *kb, unsigned int order)
{
	if (order > kb->pageblock_order)
		return false;
	return order <= PAGE_ALLOC_COSTLY_ORDER || order == kb->pageblock_order;
}

/* --- pageblock flags (mm/page_alloc.c: get/set_pfnblock_flags_mask) --- */

/*
 * The flags of pfn's pageblock in its section's usemap (section_to_usemap):
 * a missing section has none, and reading them faults as the kernel's
 * NULL ms->usage would.
 */
static inline uint8_t *pfnblock_flags(const struct kb_instance *kb, unsigned long pfn)
{
	return &__pfn_to_section(kb, pfn)->usage[(pfn & ~PAGE_SECTION_MASK) >> kb->pageblock_order];
}

/* The block's type as allocation sees it: ISOLATE whenever that bit is set. */
static inline int get_pfnblock_migratetype(const struct kb_instance *kb, unsigned long pfn)
{
	uint8_t f = *pfnblock_flags(kb, pfn);

	if (f & PB_migrate_isolate)
		return MIGRATE_ISOLATE;
	return f & PB_MIGRATETYPE_MASK;
}

static inline int get_pageblock_migratetype(const struct kb_instance *kb,
					    const struct page *page)
{
	return get_pfnblock_migratetype(kb, page_to_pfn(kb, page));
}

/* The stored type bits, ignoring the isolate flag. */
static inline int get_pfnblock_stored_migratetype(const struct kb_instance *kb,
						  unsigned long pfn)
{
	return *pfnblock_flags(kb, pfn) & PB_MIGRATETYPE_MASK;
}

static inline bool get_pageblock_isolate(const struct kb_instance *kb, unsigned long pfn)
{
	return *pfnblock_flags(kb, pfn) & PB_migrate_isolate;
}

void set_pageblock_migratetype(struct kb_instance *kb, struct page *page, int migratetype);
void set_pageblock_isolate(struct kb_instance *kb, struct page *page);
void clear_pageblock_isolate(struct kb_instance *kb, struct page *page);

/* --- kernel-style checks (DEBUG_VM) reporting into kb->report --- */

void kb_vm_report(struct kb_instance *kb, const char *invariant, unsigned long pfn,
		  int order, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * VM_BUG_ON/VM_WARN_ON equivalents: active from check level 1. They report
 * and let the caller go on, so a run can show the state that followed.
 */
#define KB_VM_WARN(kb, cond, inv, pfn, order, ...)			\
	({								\
		bool __c = (cond);					\
		if (__c && (kb)->check_level >= 1)			\
			kb_vm_report((kb), (inv), (pfn), (order), __VA_ARGS__); \
		__c;							\
	})

/* --- dirty tracking for snapshots (core/snapshot.c) --- */

/*
 * Only what changed is copied back: a struct page is 56 bytes, so a dirty
 * bit stands for 16 of them (896 bytes). Unpoisoning the backing memory of
 * an allocation is tracked apart, per 64 pages, since it covers the whole
 * block while only the head's struct page changes.
 */
#define KB_DIRTY_CHUNK_SHIFT	4	/* struct pages per dirty bit: 16 */
#define KB_UNPOISONED_CHUNK_SHIFT 6	/* backing pages per unpoisoned bit: 64 */

/* Sets the bits of map (one per 1 << shift pages) that [pfn, pfn + nr) covers. */
static inline void kb_chunk_bits_set(uint64_t *map, unsigned int shift, unsigned long pfn,
				     unsigned long nr)
{
	unsigned long c, last;

	if (!map || !nr)
		return;
	last = (pfn + nr - 1) >> shift;
	for (c = pfn >> shift; c <= last; c++)
		map[c / 64] |= 1ULL << (c % 64);
}

/* Whether any bit of map (one per 1 << shift pages) covering [pfn, pfn + nr) is set. */
static inline bool kb_chunk_bits_any(const uint64_t *map, unsigned int shift, unsigned long pfn,
				     unsigned long nr)
{
	unsigned long c, last;

	if (!map || !nr)
		return false;
	last = (pfn + nr - 1) >> shift;
	/* a word of bits at a time */
	for (c = pfn >> shift; c <= last; c = (c | 63) + 1) {
		uint64_t bits = map[c / 64] >> (c % 64);

		if (last - c < 63)
			bits &= (2ULL << (last - c)) - 1;
		if (bits)
			return true;
	}
	return false;
}

/*
 * Chunk c (16 struct pages) is as the checked snapshot had it, every page
 * a free page in its expected state (no flags, no references, unmapped):
 * it held only such pages when a full sweep found the snapshot clean
 * (kb_snapshot_mark_checked) and nothing wrote it since. Scans over every
 * page of a block (check_new_pages, free_pages_prepare, the checker's)
 * skip such chunks: the pages are known without being read.
 */
static inline bool kb_chunk_pristine(const struct kb_instance *kb, unsigned long c)
{
	return kb->pristine && ((kb->pristine[c / 64] & ~kb->dirty[c / 64]) >> (c % 64)) & 1;
}

/* The end of pfn's chunk, at most end. */
static inline unsigned long kb_chunk_end(unsigned long pfn, unsigned long end)
{
	unsigned long e = ((pfn >> KB_DIRTY_CHUNK_SHIFT) + 1) << KB_DIRTY_CHUNK_SHIFT;

	return e < end ? e : end;
}

/* Marks the struct pages of [pfn, pfn + nr) as changed since the snapshot. */
static inline void kb_dirty_range(struct kb_instance *kb, unsigned long pfn, unsigned long nr)
{
	kb_chunk_bits_set(kb->dirty, KB_DIRTY_CHUNK_SHIFT, pfn, nr);
}

/* A list link changed: mark its page, when it is a page and not a list head. */
static inline void kb_dirty_lru(struct kb_instance *kb, const struct list_head *entry)
{
	uintptr_t p = (uintptr_t)entry;
	uintptr_t lo = (uintptr_t)kb->mem_map;
	uintptr_t hi = (uintptr_t)(kb->mem_map + kb->max_pfn);

	if (kb->dirty && p >= lo && p < hi)
		kb_dirty_range(kb, (p - lo) / sizeof(struct page), 1);
}

/* List operations on pages that keep the snapshot's dirty map right. */
static inline void kb_list_add(struct kb_instance *kb, struct list_head *entry,
			       struct list_head *head)
{
	list_add(entry, head);
	kb_dirty_lru(kb, entry->next);
}

static inline void kb_list_add_tail(struct kb_instance *kb, struct list_head *entry,
				    struct list_head *head)
{
	list_add_tail(entry, head);
	kb_dirty_lru(kb, entry->prev);
}

static inline void kb_list_del(struct kb_instance *kb, struct list_head *entry)
{
	kb_dirty_lru(kb, entry->prev);
	kb_dirty_lru(kb, entry->next);
	list_del(entry);
}

static inline void kb_list_move_tail(struct kb_instance *kb, struct list_head *entry,
				     struct list_head *head)
{
	kb_list_del(kb, entry);
	kb_list_add_tail(kb, entry, head);
}

/* --- backing memory of free pages is poisoned (core/poison.h) --- */

static inline void kb_poison_pages(struct kb_instance *kb, unsigned long pfn,
				   unsigned long nr)
{
	if (kb->arena)
		kb_poison_memory(kb->arena + pfn * kb->backing_bytes, nr * kb->backing_bytes);
}

static inline void kb_unpoison_pages(struct kb_instance *kb, unsigned long pfn,
				     unsigned long nr)
{
	if (!kb->arena)
		return;
	kb_unpoison_memory(kb->arena + pfn * kb->backing_bytes, nr * kb->backing_bytes);
	/* the snapshot restore poisons these pages again */
	kb_chunk_bits_set(kb->unpoisoned, KB_UNPOISONED_CHUNK_SHIFT, pfn, nr);
}

/* --- touched log --- */

static inline void kb_touch_cpu(struct kb_instance *kb, enum kb_touch_kind kind,
				unsigned long pfn, unsigned int order, int mt, int cpu);

static inline void kb_touch(struct kb_instance *kb, enum kb_touch_kind kind,
			    unsigned long pfn, unsigned int order, int mt)
{
	kb_touch_cpu(kb, kind, pfn, order, mt, kb->cpu);
}

/* A touch of another CPU's pcp list (drains): cpu names the list's owner. */
static inline void kb_touch_cpu(struct kb_instance *kb, enum kb_touch_kind kind,
				unsigned long pfn, unsigned int order, int mt, int cpu)
{
	/*
	 * Moving a block between lists, handing it out or taking it back
	 * changes its head page only; the code that writes the other pages
	 * of a block marks them itself (prep_compound_page,
	 * free_pages_prepare). Pageblock flags are restored whole: a retype
	 * dirties no struct page.
	 */
	if (kind != KB_TOUCH_RETYPE && kind != KB_TOUCH_UNISOLATE)
		kb_dirty_range(kb, pfn, 1);
	if (kb->nr_touched >= KB_TOUCH_MAX) {
		kb->touch_overflow = true;
		return;
	}
	kb->touched[kb->nr_touched++] = (struct kb_touch){
		.pfn = pfn, .kind = (unsigned char)kind, .order = (unsigned char)order,
		.mt = (unsigned char)mt, .cpu = (unsigned char)cpu,
	};
}

/* --- core entry points between files (names as in mm/page_alloc.c) --- */

/* buddy.c */
void __free_one_page(struct kb_instance *kb, struct page *page, unsigned long pfn,
		     struct zone *zone, unsigned int order, int migratetype, fpi_t fpi_flags);
void free_one_page(struct kb_instance *kb, struct zone *zone, struct page *page,
		   unsigned long pfn, unsigned int order, fpi_t fpi_flags);
struct page *__rmqueue_smallest(struct kb_instance *kb, struct zone *zone,
				unsigned int order, int migratetype);
unsigned int expand(struct kb_instance *kb, struct zone *zone, struct page *page,
		    int low, int high, int migratetype);
void page_del_and_expand(struct kb_instance *kb, struct zone *zone, struct page *page,
			 int low, int high, int migratetype);
void add_to_free_list(struct kb_instance *kb, struct page *page, struct zone *zone,
		      unsigned int order, int migratetype, bool tail);
void del_page_from_free_list(struct kb_instance *kb, struct page *page, struct zone *zone,
			     unsigned int order, int migratetype);
void move_to_free_list(struct kb_instance *kb, struct page *page, struct zone *zone,
		       unsigned int order, int old_mt, int new_mt);
void account_freepages(struct kb_instance *kb, struct zone *zone, long nr_pages,
		       int migratetype);
bool page_is_buddy(struct kb_instance *kb, struct page *page, struct page *buddy,
		   unsigned int order);
struct page *find_buddy_page_pfn(struct kb_instance *kb, struct page *page,
				 unsigned long pfn, unsigned int order, unsigned long *buddy_pfn);
void split_large_buddy(struct kb_instance *kb, struct zone *zone, struct page *page,
		       unsigned long pfn, unsigned int order, fpi_t fpi);
bool is_free_buddy_page(const struct kb_instance *kb, const struct page *page);
bool take_page_off_buddy(struct kb_instance *kb, struct page *page);
bool put_page_back_buddy(struct kb_instance *kb, struct page *page);

/* memory_failure.c */
int soft_offline_page(struct kb_instance *kb, unsigned long pfn);
int unpoison_memory(struct kb_instance *kb, unsigned long pfn);

/* fallback.c: where __rmqueue found pages last time (rmqueue_bulk keeps it) */
enum rmqueue_mode {
	RMQUEUE_NORMAL,
	RMQUEUE_CMA,
	RMQUEUE_CLAIM,
	RMQUEUE_STEAL,
};

struct page *__rmqueue(struct kb_instance *kb, struct zone *zone, unsigned int order,
		       int migratetype, unsigned int alloc_flags, int *mode);
int find_suitable_fallback(struct kb_instance *kb, struct free_area *area,
			   unsigned int order, int migratetype, bool claimable);
/* 6.1's move_freepages_block: free pages moved, 0 past the zone's end (fallback.c) */
int move_freepages_block_count(struct kb_instance *kb, struct zone *zone, struct page *page,
			       int block_mt, int new_mt, int *num_movable);
int move_freepages_block(struct kb_instance *kb, struct zone *zone, struct page *page,
			 int old_mt, int new_mt);
int __move_freepages_block(struct kb_instance *kb, struct zone *zone,
			   unsigned long start_pfn, int old_mt, int new_mt);
bool prep_move_freepages_block(struct kb_instance *kb, struct zone *zone,
			       struct page *page, unsigned long *start_pfn,
			       int *num_free, int *num_movable);
void change_pageblock_range(struct kb_instance *kb, struct page *pageblock_page,
			    int start_order, int migratetype);

/* page_scan.c: read-only scans over the struct pages of a block */
unsigned long kb_pages_first_unexpected(const struct kb_instance *kb, const struct page *page,
					unsigned long nr, uint32_t check_flags);
bool pfn_range_valid_contig(const struct kb_instance *kb, const struct zone *z,
			    unsigned long start_pfn, unsigned long nr_pages);
unsigned long kb_pages_first_migrate_candidate(const struct kb_instance *kb,
					       const struct page *page, unsigned long nr);

/* page_isolation.c */
unsigned long find_large_buddy(struct kb_instance *kb, unsigned long start_pfn);
int start_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
			     unsigned long end_pfn, enum kb_isolate_mode mode);
void undo_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
			     unsigned long end_pfn);
int test_pages_isolated(struct kb_instance *kb, unsigned long start_pfn, unsigned long end_pfn,
			enum kb_isolate_mode mode);
unsigned long __isolate_free_page(struct kb_instance *kb, struct page *page, unsigned int order);

/* highatomic.c */
void reserve_highatomic_pageblock(struct kb_instance *kb, struct page *page,
				  int order, struct zone *zone);
bool unreserve_highatomic_pageblock(struct kb_instance *kb,
				    const struct alloc_context *ac, bool force);

/* pcp.c */
struct page *__rmqueue_pcplist(struct kb_instance *kb, struct zone *zone, unsigned int order,
			       int migratetype, unsigned int alloc_flags,
			       struct per_cpu_pages *pcp, struct list_head *list);
struct page *rmqueue_pcplist(struct kb_instance *kb, struct zone *preferred_zone,
			     struct zone *zone, unsigned int order, int migratetype,
			     unsigned int alloc_flags);
void free_unref_page_commit(struct kb_instance *kb, struct zone *zone,
			    struct per_cpu_pages *pcp, struct page *page,
			    int migratetype, unsigned int order);
void drain_all_pages(struct kb_instance *kb, struct zone *zone);
void drain_pages_zone(struct kb_instance *kb, int cpu, struct zone *zone);
void zone_pcp_init(struct kb_instance *kb, struct zone *zone);
void zone_pcp_update(struct kb_instance *kb, struct zone *zone, bool cpu_online);
int zone_batchsize(struct kb_instance *kb, struct zone *zone);

/* watermark.c */
void setup_per_zone_wmarks(struct kb_instance *kb);
void setup_per_zone_lowmem_reserve(struct kb_instance *kb);
void calculate_totalreserve_pages(struct kb_instance *kb);
int calculate_min_free_kbytes(struct kb_instance *kb);
bool __zone_watermark_ok(struct kb_instance *kb, struct zone *z, unsigned int order,
			 unsigned long mark, int highest_zoneidx,
			 unsigned int alloc_flags, long free_pages);
bool zone_watermark_ok(struct kb_instance *kb, struct zone *z, unsigned int order,
		       unsigned long mark, int highest_zoneidx, unsigned int alloc_flags);
bool zone_watermark_fast(struct kb_instance *kb, struct zone *z, unsigned int order,
			 unsigned long mark, int highest_zoneidx, unsigned int alloc_flags);
void init_per_zone_wmark_min(struct kb_instance *kb);
void set_recommended_min_free_kbytes(struct kb_instance *kb, bool thp_enabled);
bool boost_watermark(struct kb_instance *kb, struct zone *zone);
static inline unsigned long wmark_pages(const struct zone *z, enum zone_watermarks i)
{
	return z->_watermark[i] + z->watermark_boost;
}
static inline unsigned long min_wmark_pages(const struct zone *z) { return wmark_pages(z, WMARK_MIN); }
static inline unsigned long low_wmark_pages(const struct zone *z) { return wmark_pages(z, WMARK_LOW); }
static inline unsigned long high_wmark_pages(const struct zone *z) { return wmark_pages(z, WMARK_HIGH); }

/* gfp_zone.c */
enum zone_type gfp_zone(gfp_t flags, bool *bad);
int gfp_migratetype(const struct kb_instance *kb, gfp_t gfp_flags);

/* zonelist.c */
void build_all_zonelists(struct kb_instance *kb);
struct zoneref *first_zones_zonelist(struct zonelist *zonelist,
				     enum zone_type highest_zoneidx);

/* alloc.c */
struct page *__alloc_pages(struct kb_instance *kb, gfp_t gfp, unsigned int order,
			   int preferred_nid, int *err);
void __free_pages(struct kb_instance *kb, struct page *page, unsigned int order);
void __free_pages_ok(struct kb_instance *kb, struct page *page, unsigned int order,
		     fpi_t fpi_flags);
bool prepare_alloc_pages(struct kb_instance *kb, gfp_t gfp, unsigned int order,
			 int preferred_nid, struct alloc_context *ac,
			 unsigned int *alloc_flags, int *err);
bool free_pages_prepare(struct kb_instance *kb, struct page *page, unsigned int order);
void __free_frozen_pages(struct kb_instance *kb, struct page *page, unsigned int order,
			 fpi_t fpi_flags);
bool check_new_pages(struct kb_instance *kb, struct page *page, unsigned int order);
void prep_new_page(struct kb_instance *kb, struct page *page, unsigned int order,
		   gfp_t gfp_flags);
struct zoneref *next_zone_zonelist(struct zoneref *z, enum zone_type highest_zoneidx);

/* split_page.c, bulk.c */
void split_page(struct kb_instance *kb, struct page *page, unsigned int order);
unsigned long alloc_pages_bulk(struct kb_instance *kb, gfp_t gfp, int preferred_nid,
			       unsigned long nr_pages, struct page **page_array, int *err);

/* initcalls.c: the boot after mm_core_init, the layout's sysctl lines last */
void kb_run_initcalls(struct kb_instance *kb);

/* vmstat.c */
void refresh_zone_stat_thresholds(struct kb_instance *kb);

/* snapshot.c */
int kb_snapshot_take(struct kb_instance *kb);
void kb_snapshot_restore(struct kb_instance *kb);
bool kb_snapshot_matches(const struct kb_instance *kb);
void kb_snapshot_free(struct kb_instance *kb);

/* boot.c: pfn kinds recorded while the memmap is initialised */
enum kb_pfn_kind {
	KB_PFN_NONE,		/* outside every zone */
	KB_PFN_HOLE,		/* inside a zone span, no memory */
	KB_PFN_RESERVED,	/* memblock-reserved */
	KB_PFN_CMA,		/* CMA area: reserved until activated */
	KB_PFN_FREE,		/* handed to the buddy at boot */
	KB_PFN_LATE,		/* reserved until free_initrd_mem / free_initmem */
};
void memblock_free_all(struct kb_instance *kb, const uint8_t *kind);
void free_all_bootmem(struct kb_instance *kb, const uint8_t *kind);
void cma_activate_areas(struct kb_instance *kb);
void __free_pages_core(struct kb_instance *kb, struct page *page, unsigned int order);

/* The kmem tracepoints (core/trace.c), raised where the kernel raises them. */
void trace_mm_page_alloc(struct kb_instance *kb, struct page *page, unsigned int order,
			 gfp_t gfp, int migratetype);
void trace_mm_page_free(struct kb_instance *kb, struct page *page, unsigned int order);
void trace_mm_page_pcpu_drain(struct kb_instance *kb, struct page *page, unsigned int order,
			      int migratetype);
void trace_mm_page_alloc_zone_locked(struct kb_instance *kb, struct page *page,
				     unsigned int order, int migratetype, int percpu_refill);
void trace_mm_page_alloc_extfrag(struct kb_instance *kb, struct page *page,
				 unsigned int alloc_order, unsigned int fallback_order,
				 int alloc_migratetype, int fallback_migratetype);

/*
 * migrate.c: one LRU block through its owner, isolated from the LRU while
 * it moves (folio_isolate_lru, then migrate_pages; putback_movable_pages
 * when it stays). 0 when it moved, else the owner's error.
 */
int migrate_lru_folio(struct kb_instance *kb, struct page *page,
		      const struct kb_migrate_target *target);

#endif /* KB_INTERNAL_H */
