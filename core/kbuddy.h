/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbuddy: the Linux zoned buddy page allocator as a userspace library.
 *
 * Everything lives in one struct kb_instance: the memmap, the pageblock
 * bitmap, the nodes with their zones and per-CPU lists, the sysctls and the
 * hooks a checker uses. Build one with kb_create(), drop it with kb_destroy().
 * Public entry points carry a kb_ prefix; internals keep the kernel's names.
 */
#ifndef KBUDDY_H
#define KBUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gfp.h"
#include "layout.h"
#include "mmzone.h"
#include "sparse.h"
#include "trace.h"

/* Something the allocator's own kernel-style checks (DEBUG_VM) found. */
struct kb_report {
	const char *invariant;	/* stable name, e.g. "bad-page" */
	unsigned long pfn;
	int order;		/* -1 when not meaningful */
	int zone;		/* zone index or -1 */
	int node;		/* node id or -1 */
	char message[160];
};

typedef void (*kb_report_fn)(void *ctx, const struct kb_report *report);

/*
 * A record of what one operation touched, for incremental checking: every
 * free-list and pcp-list insertion and removal and every pageblock retype.
 * When more than KB_TOUCH_MAX happen in one operation, touch_overflow is set
 * and a checker must fall back to a full sweep. The log holds what the
 * longest operations of fuzz inputs touch (an alloc_contig_pages trying
 * range after range: up to about 2,000), so the fallback stays rare; it is
 * scratch for one operation, kept outside the state a snapshot restores.
 */
#define KB_TOUCH_MAX	2048
enum kb_touch_kind {
	KB_TOUCH_FREE_ADD,	/* block freed onto zone free_area[order].free_list[mt] */
	KB_TOUCH_FREE_MOVE,	/* free block moved onto that list from another type's */
	KB_TOUCH_FREE_DEL,	/* block taken off it */
	KB_TOUCH_PCP_ADD,	/* page put on a pcp list (mt = list type) */
	KB_TOUCH_PCP_DEL,	/* page taken off a pcp list */
	KB_TOUCH_RETYPE,	/* pageblock at pfn changed type (mt = new type) */
	KB_TOUCH_UNISOLATE,	/* pageblock at pfn lost its isolate bit (mt = its type) */
	KB_TOUCH_ALLOC,		/* block handed out */
	KB_TOUCH_FREE,		/* block given back by the caller */
};
struct kb_touch {
	unsigned long pfn;
	unsigned char kind;	/* enum kb_touch_kind */
	unsigned char order;
	unsigned char mt;
	unsigned char cpu;	/* PCP_ADD/PCP_DEL */
};

enum vm_event_item {
	PGALLOC,		/* pages handed out */
	PGFREE,			/* pages freed */
	ALLOCFAIL,		/* allocations that returned NULL */
	EXTFRAG_CLAIM,		/* fallback that claimed the block */
	EXTFRAG_STEAL,		/* fallback that stole pages only */
	CMA_ALLOC_FALLBACK,	/* __rmqueue served from MIGRATE_CMA */
	HIGHATOMIC_RESERVE,	/* reserve_highatomic_pageblock succeeded */
	HIGHATOMIC_UNRESERVE,	/* unreserve_highatomic_pageblock moved a block */
	WMARK_BOOST,		/* boost_watermark raised the boost */
	PCP_DRAIN_HIGH,		/* free_pcppages_bulk called because count >= high */
	PCP_REFILL,		/* rmqueue_bulk refilled a pcp list */
	/* /proc/vmstat's migration and compaction items, in its order */
	PGMIGRATE_SUCCESS,	/* base pages migrate_pages moved (pgmigrate_success) */
	PGMIGRATE_FAIL,		/* base pages it could not move (pgmigrate_fail) */
	COMPACTMIGRATE_SCANNED,	/* pages the migrate scanner looked at (compact_migrate_scanned) */
	COMPACTFREE_SCANNED,	/* pages the free scanner looked at (compact_free_scanned) */
	COMPACTISOLATED,	/* pages isolated by either scanner (compact_isolated) */
	COMPACTSTALL,		/* direct compactions run (compact_stall) */
	COMPACTFAIL,		/* ... after which the allocation still failed (compact_fail) */
	COMPACTSUCCESS,		/* ... after which it succeeded (compact_success) */
	KCOMPACTD_WAKE,		/* kcompactd runs that compacted (compact_daemon_wake) */
	KCOMPACTD_MIGRATE_SCANNED, /* ... pages their migrate scanner looked at (compact_daemon_migrate_scanned) */
	KCOMPACTD_FREE_SCANNED,	/* ... pages their free scanner looked at (compact_daemon_free_scanned) */
	/* reclaim (mm/vmscan.c) */
	PGACTIVATE,		/* pages moved to an active list */
	PGDEACTIVATE,		/* pages moved to an inactive list by aging */
	PGREFILL,		/* pages the active list scan looked at */
	PGSTEAL_KSWAPD,		/* pages kswapd reclaimed */
	PGSTEAL_DIRECT,		/* pages direct reclaim reclaimed */
	PGSCAN_KSWAPD,		/* pages kswapd scanned on the inactive lists */
	PGSCAN_DIRECT,		/* pages direct reclaim scanned */
	PGSCAN_ANON,
	PGSCAN_FILE,
	PGSTEAL_ANON,
	PGSTEAL_FILE,
	PGSCAN_SKIP,		/* pages skipped as above reclaim_idx (the kernel counts per zone) */
	ALLOCSTALL_DMA,		/* direct reclaims, by the highest zone of the request */
	ALLOCSTALL_DMA32,
	ALLOCSTALL_NORMAL,
	ALLOCSTALL_MOVABLE,
	PAGEOUTRUN,		/* balance_pgdat runs */
	KSWAPD_LOW_WMARK_HIT_QUICKLY,
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,	/* kswapd could not sleep after a pass */
	OOM_KILL,		/* tasks the OOM killer killed */
	DROP_PAGECACHE,		/* drop_caches writes that dropped the page cache */
	/* kbuddy's own, after the kernel's: no /proc/vmstat line */
	COMPACTCAPTURE,		/* pages compaction_capture handed to the compactor */
	KSWAPD_WAKE,		/* wakeup_kswapd woke a sleeping kswapd (a tracepoint in the kernel) */
	NR_VM_EVENT_ITEMS
};

/*
 * The zone state a successful allocation's watermark decision was taken
 * on, recorded just before rmqueue, so an oracle can take that decision
 * again with its own arithmetic.
 */
struct kb_wmark_input {
	long free_pages;		/* NR_FREE_PAGES */
	long free_cma;			/* NR_FREE_CMA_PAGES */
	long free_highatomic;		/* nr_free_highatomic */
	unsigned long boost;		/* watermark_boost */
	uint8_t nonempty[KB_NR_ORDERS_MAX]; /* bit mt set: free_list[mt] has blocks */
};

struct kb_instance;
struct kb_sched;
void kb_record_wmark_input(const struct kb_instance *kb, const struct zone *zone,
			   struct kb_wmark_input *in);

/* What the last successful allocation used, for the checker's oracles. */
struct kb_last_alloc {
	struct zone *zone;		/* NULL when the last request failed */
	unsigned int alloc_flags;	/* ALLOC_* of the attempt that succeeded */
	unsigned int order;
	int highest_zoneidx;
	int migratetype;
	struct kb_wmark_input before;	/* the zone right before rmqueue */
};

/*
 * Where a migrated block's contents go (migrate_pages' get_new_folio and
 * put_new_folio): compaction hands out the free pages its free scanner
 * isolated. alloc returns a block of order prepared as gfp asks (one
 * reference), or NULL; put takes back one that was not used.
 */
struct kb_migrate_target {
	struct page *(*alloc)(struct kb_instance *kb, unsigned int order, gfp_t gfp, void *priv);
	void (*put)(struct kb_instance *kb, struct page *page, unsigned int order, void *priv);
	void *priv;
	/*
	 * The old block is not freed: its owner's reference passes to the
	 * caller (soft offline: migrate_pages with MR_MEMORY_FAILURE). alloc
	 * may then be NULL: the owner allocates the new block itself.
	 */
	bool keep_source;
};

/*
 * A process as the OOM killer sees it (struct task_struct and its mm):
 * its pid, the pages its mm holds (get_mm_rss; 0: no mm), its
 * oom_score_adj and whether it is the task allocating now (current).
 */
#define KB_OOM_MAX_TASKS	16
/* /proc/<pid>/oom_score_adj's range; the minimum makes a task unkillable */
#define KB_OOM_SCORE_ADJ_MIN	(-1000)
#define KB_OOM_SCORE_ADJ_MAX	1000
struct kb_oom_task {
	int pid;
	unsigned long rss;
	int oom_score_adj;
	bool current;
};

/*
 * The owner of the pages: what the allocator asks of whoever holds them.
 * migrate_page moves the contents of an allocated, PG_lru-marked block
 * into a block from target (NULL: one the owner allocates itself, as
 * alloc_contig_range's alloc_migration_target does), moves its handle
 * there and frees the old block: 0, or -EAGAIN / -ENOMEM when it cannot.
 * free_window runs inside __free_pages between put_page_testzero() and
 * the PageHead() test, where another holder's put_page() can land (the
 * CVE-2023-52739 window). Any may be NULL.
 */
struct kb_owner_hooks {
	int (*migrate_page)(struct kb_instance *kb, struct page *page,
			    const struct kb_migrate_target *target, void *ctx);
	/*
	 * Reclaim takes the isolated LRU block at page (core/vmscan.c): the
	 * owner drops its handle and returns 0, and reclaim frees the block;
	 * or it keeps it (-EBUSY) and the block goes back on the LRU.
	 */
	int (*reclaim_page)(struct kb_instance *kb, struct page *page, void *ctx);
	void (*free_window)(struct kb_instance *kb, struct page *page, void *ctx);
	/*
	 * The OOM killer's view of the owner's processes (core/oom.c).
	 * for_each_process fills up to max entries in the order the owner
	 * created the tasks and returns how many; oom_kill_task ends one
	 * (exit_mmap): the owner frees every block its mm holds and returns
	 * the pages it gave back.
	 */
	unsigned int (*for_each_process)(struct kb_instance *kb, struct kb_oom_task *tasks,
					 unsigned int max, void *ctx);
	unsigned long (*oom_kill_task)(struct kb_instance *kb, int pid, void *ctx);
	void *ctx;
};

/*
 * A checker's window on the OOM killer (core/oom.c): kill runs in
 * oom_kill_process once the victim is chosen and before its memory goes,
 * killed right after. Either may be NULL.
 */
struct oom_control;
struct kb_oom_hooks {
	void (*kill)(struct kb_instance *kb, const struct oom_control *oc, void *ctx);
	void (*killed)(struct kb_instance *kb, const struct oom_control *oc, void *ctx);
	void *ctx;
};

/*
 * A checker's window on compaction (core/compaction.c): round runs in
 * compact_zone at the start of every round, after the migrate scanner
 * isolated blocks and before the isolated free pages go back; captured
 * runs when compact_zone_order hands a page compaction_capture took to
 * the allocation. Either may be NULL.
 */
struct compact_control;
struct kb_compaction_hooks {
	void (*round)(struct kb_instance *kb, const struct compact_control *cc, void *ctx);
	void (*captured)(struct kb_instance *kb, const struct compact_control *cc,
			 const struct page *page, void *ctx);
	void *ctx;
};

/* One kswapd pass (kb_kswapd): what it was asked and how it ended. */
struct kb_kswapd_pass {
	int nid;
	bool ran;			/* kswapd was woken, balance_pgdat ran */
	int order;			/* the order it was woken for */
	int reclaim_order;		/* the order balance_pgdat finished at */
	int highest_zoneidx;
	bool slept;			/* balanced or hopeless: it went back to sleep */
	bool hopeless;			/* kswapd_failures reached MAX_RECLAIM_RETRIES */
	unsigned long nr_reclaimed;
	unsigned long boost_before[MAX_NR_ZONES];	/* watermark_boost when it started */
};

/* How an instance is built beyond its layout. */
struct kb_options {
	bool back_with_memory;	/* give every pfn real memory (lazily mmap'd) */
	unsigned int backing_bytes; /* bytes per page: 0 = PAGE_SIZE; else a power of two >= 8 */
	kb_report_fn report;	/* receives the checks of boot too (kb_set_report later) */
	void *report_ctx;
	int check_level;	/* 0 off, 1 kernel DEBUG_VM checks, 2-3 strict */
};

struct kb_instance {
	struct kb_layout layout;

	/* Geometry */
	unsigned int max_order;			/* MAX_PAGE_ORDER */
	unsigned int pageblock_order;
	unsigned long pageblock_nr_pages;
	unsigned long max_pfn;			/* mem_map spans [0, max_pfn) */
	/*
	 * The virtual memmap (core/sparse.h): address space for every pfn
	 * below max_pfn, only present sections' struct pages mapped. The
	 * pageblock flags live in each section's usage.
	 */
	struct page *mem_map;
	size_t mem_map_bytes;			/* the reserved address space */
	struct mem_section *mem_section;	/* nr_mem_sections of them */
	unsigned long nr_mem_sections;
	unsigned long nr_pageblocks;		/* pageblocks below max_pfn */

	pg_data_t node_data[KB_MAX_NODES];
	int nr_node_ids;
	int nr_cpu_ids;
	int cpu_to_node[KB_MAX_CPUS];
	int node_distance[KB_MAX_NODES][KB_MAX_NODES];

	/* The CPU the current operation runs on (smp_processor_id()). */
	int cpu;
	/* It runs in that CPU's interrupt context (in_interrupt()). */
	bool in_irq;
	/* Locks each context holds (core/lockdep.c), by 2 * cpu + in_irq */
	struct kb_lock_context lock_ctx[KB_MAX_CONTEXTS];
	/* The scheduler interleaving CPUs (core/sched.h), NULL outside it */
	struct kb_sched *sched;
	/* The current task was chosen by the OOM killer (tsk_is_oom_victim). */
	bool current_is_oom_victim;

	/* Global page counts and sysctls */
	unsigned long totalram_pages;
	unsigned long totalreserve_pages;
	unsigned long totalcma_pages;
	int min_free_kbytes;
	int user_min_free_kbytes;
	int watermark_scale_factor;
	int watermark_boost_factor;
	int percpu_pagelist_high_fraction;
	int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
	bool page_group_by_mobility_disabled;
	bool thp_enabled;			/* hugepage_init left THP on */

	/*
	 * Backing memory: page_address(pfn) = arena + pfn * backing_bytes.
	 * backing_bytes is PAGE_SIZE unless the options asked for less: a
	 * fuzzer needs a few bytes per page to spot two owners, not 4 KiB.
	 */
	uint8_t *arena;
	size_t arena_bytes;
	unsigned int backing_bytes;

	/* Checker hooks */
	int check_level;
	kb_report_fn report;
	void *report_ctx;
	unsigned int nr_reports;
	/* the kmem tracepoints' receiver (core/trace.h), or NULL */
	kb_tracepoint_fn tracepoint;
	void *tracepoint_ctx;
	struct kb_touch *touched;	/* KB_TOUCH_MAX of them: scratch, no state */
	unsigned int nr_touched;
	bool touch_overflow;

	unsigned long vm_events[NR_VM_EVENT_ITEMS];
	struct kb_last_alloc last_alloc;
	struct kb_owner_hooks owner;
	struct kb_compaction_hooks compaction_hooks;
	struct kb_oom_hooks oom_hooks;
	/* vm.oom_kill_allocating_task (core/oom.c) */
	int sysctl_oom_kill_allocating_task;
	/* zone_pcp_disable() holds the global pcp_batch_high_lock */
	bool pcp_batch_high_lock_held;

	/* Compaction (core/compaction.c): sysctls, and current->capture_control */
	int sysctl_extfrag_threshold;
	int sysctl_compaction_proactiveness;
	struct capture_control *capture_control;

	/* What the last kb_kswapd pass did, for the checker (core/vmscan.c) */
	struct kb_kswapd_pass kswapd_pass;

	/* Snapshot of the booted state and the struct pages changed since */
	struct kb_snapshot *snapshot;
	uint64_t *dirty;
	uint64_t *unpoisoned;	/* backing memory unpoisoned since */
	/*
	 * Chunks of the checked snapshot holding only free pages in their
	 * expected state (kb_snapshot_mark_checked); NULL until then.
	 */
	uint64_t *pristine;
};

/* Lifecycle */
struct kb_instance *kb_create(const struct kb_layout *layout,
			      const struct kb_options *opts,
			      char *err, size_t errlen);
void kb_destroy(struct kb_instance *kb);
void kb_set_report(struct kb_instance *kb, kb_report_fn fn, void *ctx);
/* The kmem tracepoints go to fn (NULL: nowhere); core/trace.h. */
void kb_set_tracepoint(struct kb_instance *kb, kb_tracepoint_fn fn, void *ctx);
/* An event in the kernel's trace text ("mm_page_alloc: page=... pfn=0x..."). */
int kb_trace_event_format(const struct kb_instance *kb, const struct kb_trace_event *ev,
			  char *buf, size_t len);

/* Runs the following calls on this CPU (0..nr_cpu_ids-1). */
int kb_set_cpu(struct kb_instance *kb, int cpu);

/*
 * Allocation and freeing. nid < 0 means the current CPU's node.
 * kb_alloc_pages returns NULL on failure; *err (if non-NULL) is 0, or
 * -EINVAL for a request the kernel treats as a bug (bad GFP zone
 * combination, order above MAX_PAGE_ORDER).
 */
struct page *kb_alloc_pages(struct kb_instance *kb, gfp_t gfp, unsigned int order,
			    int nid, int *err);
void kb_free_pages(struct kb_instance *kb, struct page *page, unsigned int order);

/*
 * split_page: a plain block of order with a reference becomes 1 << order
 * order-0 pages with a reference each, freed one by one (a compound or
 * unreferenced block is the kernel's VM_BUG_ON, "split-page-bad").
 * alloc_pages_exact: nr_pages contiguous pages (nid < 0: the CPU's node),
 * the smallest block split and its surplus freed; NULL with *err -EINVAL
 * for 0 pages or more than a MAX_PAGE_ORDER block. free_pages_exact frees
 * them page by page.
 */
void kb_split_page(struct kb_instance *kb, struct page *page, unsigned int order);
struct page *kb_alloc_pages_exact(struct kb_instance *kb, unsigned long nr_pages, gfp_t gfp,
				  int nid, int *err);
void kb_free_pages_exact(struct kb_instance *kb, struct page *page, unsigned long nr_pages);
/*
 * alloc_pages_bulk into an array: fills only the NULL slots of
 * page_array[0, nr_pages) with order-0 pages and returns how far it got:
 * the slots below the count are populated (the single-page path fills the
 * first empty slot and counts up to it). *err as kb_alloc_pages.
 */
unsigned long kb_alloc_pages_bulk(struct kb_instance *kb, gfp_t gfp, int nid,
				  unsigned long nr_pages, struct page **page_array, int *err);

/*
 * Soft offline (mm/memory-failure.c): soft_offline_page takes the page at
 * pfn out of use, a free one off the buddy, one in use (a plain order-0
 * LRU block) migrated by its owner first; it keeps PG_hwpoison and one
 * reference. 0 (also when poisoned already), -ENXIO outside mem_map, -EIO
 * for a pfn of no zone, a reserved page or one in use migration cannot
 * move, -EBUSY otherwise. unpoison_memory gives such a page back: 0, or
 * -EBUSY (not poisoned, or referenced), -EIO.
 */
int kb_soft_offline_page(struct kb_instance *kb, unsigned long pfn);
int kb_unpoison_pfn(struct kb_instance *kb, unsigned long pfn);

/* Page references: get_page() and put_page() (the last put frees the folio). */
void kb_get_page(struct kb_instance *kb, struct page *page);
void kb_put_page(struct kb_instance *kb, struct page *page);

/*
 * Page isolation (mm/page_isolation.c). The range is widened to whole
 * pageblocks, which must lie in one zone (-EINVAL otherwise); -EBUSY when
 * a block holds unmovable pages or is isolated already.
 */
enum kb_isolate_mode {
	KB_ISOLATE_MEM_OFFLINE,	/* PB_ISOLATE_MODE_MEM_OFFLINE */
	KB_ISOLATE_CMA_ALLOC,	/* PB_ISOLATE_MODE_CMA_ALLOC */
	KB_ISOLATE_OTHER,	/* PB_ISOLATE_MODE_OTHER */
};
int kb_start_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
				unsigned long end_pfn, enum kb_isolate_mode mode);
int kb_undo_isolate_page_range(struct kb_instance *kb, unsigned long start_pfn,
			       unsigned long end_pfn);
int kb_test_pages_isolated(struct kb_instance *kb, unsigned long start_pfn,
			   unsigned long end_pfn, enum kb_isolate_mode mode);

/*
 * Contiguous ranges (alloc_contig_range / alloc_contig_pages /
 * free_contig_range). Without __GFP_COMP every page of the range is an
 * order-0 page with its own reference; with it, one compound page
 * (nr_pages a power of two). alloc_contig_pages returns NULL with *err 0
 * when no range could be had, -EINVAL for a gfp or size it refuses.
 * free_contig_range drops one reference on every page and gives the
 * unreferenced ones back in naturally aligned blocks, as mainline does.
 */
int kb_alloc_contig_range(struct kb_instance *kb, unsigned long start, unsigned long end,
			  bool cma, gfp_t gfp);
struct page *kb_alloc_contig_pages(struct kb_instance *kb, unsigned long nr_pages, gfp_t gfp,
				   int nid, int *err);
void kb_free_contig_range(struct kb_instance *kb, unsigned long pfn, unsigned long nr_pages);

/* pfn <-> page, and the backing memory of a page (NULL when not backed). */
static inline unsigned long kb_page_to_pfn(const struct kb_instance *kb,
					   const struct page *page)
{
	return (unsigned long)(page - kb->mem_map);
}

static inline struct page *kb_pfn_to_page(const struct kb_instance *kb,
					  unsigned long pfn)
{
	return kb->mem_map + pfn;
}

void *kb_page_address(const struct kb_instance *kb, const struct page *page);

/* Per-CPU list control */
void kb_drain_local_pages(struct kb_instance *kb);	/* this CPU, all zones */
void kb_drain_all_pages(struct kb_instance *kb);
/* 0, or -EDEADLK (another zone is disabled) / -EINVAL (not disabled) */
int kb_zone_pcp_disable(struct kb_instance *kb, struct zone *zone);
int kb_zone_pcp_enable(struct kb_instance *kb, struct zone *zone);

/* sysctl writes; return 0 or -EINVAL when out of the kernel's range */
enum kb_sysctl {
	KB_SYSCTL_MIN_FREE_KBYTES,
	KB_SYSCTL_WATERMARK_SCALE_FACTOR,
	KB_SYSCTL_WATERMARK_BOOST_FACTOR,
	KB_SYSCTL_LOWMEM_RESERVE_RATIO,		/* index = zone */
	KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION,
	KB_SYSCTL_COMPACT_MEMORY,		/* write 1: compact every node whole */
	KB_SYSCTL_EXTFRAG_THRESHOLD,
	KB_SYSCTL_COMPACTION_PROACTIVENESS,
	KB_NR_SYSCTLS
};
int kb_sysctl_write(struct kb_instance *kb, enum kb_sysctl which, int index, long value);
/* 0 when a write of value would be accepted, -EINVAL otherwise. */
int kb_sysctl_check(enum kb_sysctl which, int index, long value);
/* A read of the sysctl: its handler's side effects (lowmem_reserve_ratio recomputes). */
int kb_sysctl_read(struct kb_instance *kb, enum kb_sysctl which);
const char *kb_sysctl_name(enum kb_sysctl which);

/* Lookups */
struct zone *kb_zone(struct kb_instance *kb, int nid, enum zone_type idx);
struct zone *kb_page_zone(const struct kb_instance *kb, const struct page *page);
const char *kb_zone_name(enum zone_type idx);
const char *kb_migratetype_name(int mt);
/* The name of a vm event counter ("PGALLOC"), or "?" (core/vmstat.c). */
const char *kb_vm_event_name(enum vm_event_item item);
int kb_pageblock_migratetype(const struct kb_instance *kb, unsigned long pfn);

/*
 * Snapshots: kb_snapshot_take saves the current state (normally right after
 * boot); kb_snapshot_restore brings the instance back to it, copying only
 * the struct pages changed since, so one booted instance can serve many
 * inputs. Checker hooks and options survive a restore.
 */
int kb_snapshot_take(struct kb_instance *kb);
void kb_snapshot_restore(struct kb_instance *kb);
/* True when the whole state equals the snapshot (tests of the dirty map). */
bool kb_snapshot_matches(const struct kb_instance *kb);
/*
 * The snapshot passed a full sweep (the caller ran kb_check_full on it):
 * from then on kb_snapshot_unchanged may vouch for struct pages.
 */
void kb_snapshot_mark_checked(struct kb_instance *kb);
/* [pfn, pfn + nr) is as in a checked snapshot: no struct page of it written since. */
bool kb_snapshot_unchanged(const struct kb_instance *kb, unsigned long pfn, unsigned long nr);

/* The touched log that incremental checks consume. */
void kb_touch_reset(struct kb_instance *kb);

/* The kernel's /proc views of the state (mm/vmstat.c formats). */
#include <stdio.h>
void kb_show_buddyinfo(const struct kb_instance *kb, FILE *out);
void kb_show_pagetypeinfo(const struct kb_instance *kb, FILE *out);
void kb_show_zoneinfo(const struct kb_instance *kb, FILE *out);

/*
 * Compaction (mm/compaction.c). kb_compact_zone compacts one zone at order
 * (-1: the whole zone, as /proc/sys/vm/compact_memory does) and returns
 * the compact_result (enum kb_compact_result); kb_compact_node does it
 * for every zone of a node. kb_kcompactd runs node's kcompactd once, as
 * when woken (kcompactd_do_work), or proactively when nothing woke it.
 */
enum kb_compact_result {
	KB_COMPACT_NOT_SUITABLE_ZONE,
	KB_COMPACT_SKIPPED,
	KB_COMPACT_DEFERRED,
	KB_COMPACT_NO_SUITABLE_PAGE,
	KB_COMPACT_CONTINUE,
	KB_COMPACT_COMPLETE,
	KB_COMPACT_PARTIAL_SKIPPED,
	KB_COMPACT_CONTENDED,
	KB_COMPACT_SUCCESS,
};
int kb_compact_zone(struct kb_instance *kb, struct zone *zone, int order);
int kb_compact_node(struct kb_instance *kb, int nid, int order);
int kb_kcompactd(struct kb_instance *kb, int nid);
/* wakeup_kcompactd(node, order, highest_zoneidx): a request the next pass acts on. */
int kb_wakeup_kcompactd(struct kb_instance *kb, int nid, int order, int highest_zoneidx);
const char *kb_compact_result_name(int result);

/*
 * Reclaim (mm/vmscan.c, core/vmscan.h). The owner puts its blocks on the
 * node's LRU (kb_lru_add, folio_add_lru: anon ones on the anon lists,
 * the others on the file lists, which reclaim takes from), takes them off
 * before freeing them (kb_lru_del), moves their LRU state along when it
 * migrates one (kb_lru_replace), and marks an access (mark_page_accessed).
 * kb_kswapd runs one pass of node's kswapd if an allocation woke it
 * (balance_pgdat, then the sleep that wakes kcompactd); kb->kswapd_pass
 * says what it did. Returns 0, or -EINVAL for a node that does not exist.
 */
void kb_lru_add(struct kb_instance *kb, struct page *page, unsigned int order, bool anon);
void kb_lru_del(struct kb_instance *kb, struct page *page);
void kb_lru_replace(struct kb_instance *kb, struct page *old, struct page *new,
		    unsigned int order);
void kb_mark_page_accessed(struct kb_instance *kb, struct page *page);
int kb_kswapd(struct kb_instance *kb, int nid);

/* The version profile this build models ("mainline", "6.12", "6.1"). */
const char *kb_profile_name(void);

#endif /* KBUDDY_H */
