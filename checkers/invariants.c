/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariant registry: every name a violation may carry, with its level,
 * a one-line meaning and the historical kernel bug it relates to. Names are
 * stable: reproducers, corpora and CI logs refer to them. docs/invariants.md
 * is the same table for people.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define K KB_LEVEL_KERNEL
#define S KB_LEVEL_STRICT

static const struct kb_invariant kb_invariants[] = {
	/* Level 1: the kernel's own DEBUG_VM checks, reported by the core. */
	{ "bad-page", K,
	  "a page being freed or handed out has a mapcount, a mapping, a wrong refcount or a flag from PAGE_FLAGS_CHECK_AT_FREE/PREP (bad_page)",
	  "" },
	{ "vm-bug-free-tail", K,
	  "a tail page of a compound page was passed to the free path (VM_BUG_ON_PAGE(PageTail))",
	  "2020 __free_pages PageHead after put_page_testzero (CVE-2023-52739)" },
	{ "vm-bug-free-order", K,
	  "a compound page was freed with an order other than its compound_order",
	  "" },
	{ "vm-bug-unaligned", K,
	  "__free_one_page got a pfn not aligned to its order",
	  "" },
	{ "vm-bug-zone-span", K,
	  "__free_one_page got a page outside its zone's span, of another zone, or of an uninitialized zone",
	  "" },
	{ "vm-bug-buddy-refcount", K,
	  "a buddy found while merging has a nonzero refcount",
	  "" },
	{ "freelist-type-warning", K,
	  "a page was added to, deleted from or moved between free lists of a type other than its pageblock's",
	  "2023 CMA/HIGHATOMIC pages on the MOVABLE buddy list; 6.10 freelist hygiene series" },
	{ "highatomic-unreserve-warning", K,
	  "unreserving a highatomic block would take more than nr_reserved_highatomic",
	  "2016 double decrease of nr_reserved_highatomic" },
	{ "vm-bug-expand-zone", K,
	  "expand() split off a half that lies outside the zone",
	  "" },
	{ "vm-bug-move-freepages", K,
	  "__move_freepages_block got an unaligned start or a range crossing a node or zone",
	  "" },
	{ "vm-bug-isolate-state", K,
	  "a pageblock was isolated or unisolated twice, a free block straddles an isolation boundary, or isolated free pages changed under isolation",
	  "2016/2022 merging across isolated and other pageblocks" },
	{ "vm-bug-page-ref", K,
	  "get_page() on a page without a reference (VM_BUG_ON_PAGE(page_ref_count(page) <= 0))",
	  "2020 __free_pages PageHead after put_page_testzero (CVE-2023-52739)" },
	{ "split-page-bad", K,
	  "split_page() got a compound page or a page without a reference",
	  "" },
	{ "vmstat-negative", K,
	  "a zone vmstat counter went negative",
	  "2021 soft offline took pages off the buddy without NR_FREE_PAGES" },

	/*
	 * Level 1: lockdep's checks of zone->lock and pcp->lock, reported by
	 * the core (core/lockdep.c, core/sched.c).
	 */
	{ "lock-order", K,
	  "a lock was taken against the nesting order pcp->lock -> zone->lock",
	  "" },
	{ "lock-recursion", K,
	  "a context took a lock it holds, or nested two locks of one class",
	  "" },
	{ "lock-unheld-release", K,
	  "a context released a lock it does not hold",
	  "" },
	{ "lock-held-at-op-end", K,
	  "an operation ended with a lock held or interrupts off",
	  "" },
	{ "lock-sleep-in-atomic", K,
	  "an allocation that may sleep (__GFP_DIRECT_RECLAIM) ran with a spinlock held, interrupts off or in interrupt context",
	  "" },
	{ "lock-deadlock", K,
	  "contexts wait for each other: an interrupt spins on a lock its CPU's task holds, a lock nobody will release, or nothing can run with work left",
	  "2022 4b23a68f9536 pcp->lock: an interrupt's free must only try the lock" },

	/*
	 * Level 1: loop bounds, reported by the core (core/loop_bound.h). The
	 * kernel would spin in these loops; kbuddy stops each at a bound derived
	 * from the instance and names the function.
	 */
	{ "loop-free-pcppages-bulk", K,
	  "free_pcppages_bulk found every pcp list empty with pages left to free: pcp->count exceeds the pages on the lists",
	  "" },
	{ "loop-drain-pages-zone", K,
	  "a round of drain_pages_zone freed nothing while pcp->count stayed above 0 (a batch of 0, or a count the lists do not hold)",
	  "" },
	{ "loop-get-page-from-freelist", K,
	  "get_page_from_freelist walked more zones than a zonelist holds (no terminator), or passed the zonelist more than twice",
	  "" },
	{ "loop-has-unmovable-pages", K,
	  "has_unmovable_pages scanned more rounds than its range has pages: a compound tail points at a head behind the scan",
	  "" },
	{ "loop-isolate-single-pageblock", K,
	  "isolate_single_pageblock scanned more rounds than its range has pages: a compound tail points at a head behind the scan",
	  "" },
	{ "loop-compact-zone", K,
	  "compact_zone took more rounds than twice its zone's pageblocks can take: the scanners do not meet (skip bits lost, a fast search picking a block again and again)",
	  "" },
	{ "loop-compaction-zonelist-suitable", K,
	  "compaction_zonelist_suitable walked more zones than a zonelist holds (no terminator)",
	  "" },
	{ "loop-try-to-compact-pages", K,
	  "try_to_compact_pages walked more zones than a zonelist holds (no terminator)",
	  "" },
	/* loops whose step is the body's: a step lost or zero spins them */
	{ "loop-split-large-buddy", K,
	  "split_large_buddy freed more pageblock chunks than the block holds",
	  "" },
	{ "loop-prep-move-freepages-block", K,
	  "prep_move_freepages_block counted more rounds than its pageblock has pages",
	  "" },
	{ "loop-move-freepages-block", K,
	  "__move_freepages_block moved more rounds than its pageblock has pages",
	  "" },
	{ "loop-test-page-isolated-in-pageblock", K,
	  "__test_page_isolated_in_pageblock scanned more rounds than its range has pages",
	  "" },
	{ "loop-alloc-contig-migrate-range", K,
	  "__alloc_contig_migrate_range scanned more rounds than its range has pages",
	  "" },
	{ "loop-release-free-list", K,
	  "release_free_list took more blocks off its lists than mem_map has pages",
	  "" },
	{ "loop-split-free-pages", K,
	  "split_free_pages took more blocks off its lists than mem_map has pages",
	  "" },
	{ "loop-free-pages-memory", K,
	  "__free_pages_memory freed more chunks than its range has pages, or lowered a chunk's order past 0",
	  "" },
	{ "loop-memblock-free-all", K,
	  "memblock_free_all took more rounds than mem_map has pfns",
	  "" },
	{ "loop-free-all-bootmem-core", K,
	  "free_all_bootmem_core took more rounds than its node has pages",
	  "" },
	{ "loop-build-zonelists", K,
	  "build_zonelists took more nodes for a zonelist than there are nodes",
	  "" },

	/* Level 2: API misuse and allocations, found by the shadow. */
	{ "api-order-range", S,
	  "an allocation or a free asked for an order above MAX_PAGE_ORDER",
	  "" },
	{ "api-free-reserved", S,
	  "a free named a reserved page, a hole or a pfn outside mem_map",
	  "" },
	{ "api-free-tail", S,
	  "a free named a page inside a live allocation that is not its first page",
	  "" },
	{ "api-double-free", S,
	  "a free named a pfn that starts no live allocation (double free or never allocated)",
	  "2020 __free_pages double free of tail pages (CVE-2023-52739)" },
	{ "api-wrong-order", S,
	  "a free gave an order other than the one the live allocation has",
	  "" },
	{ "api-bad-handle", S,
	  "the runner recorded an allocation under handle 0, a handle too large, or one still live",
	  "" },
	{ "alloc-range", S,
	  "the allocator returned a block that is not inside mem_map or has an order above MAX_PAGE_ORDER",
	  "" },
	{ "alloc-alignment", S,
	  "the allocator returned a block whose pfn is not aligned to its order",
	  "" },
	{ "hwpoison-allocated", S,
	  "the allocator returned a block covering a page soft offline poisoned",
	  "" },
	{ "hwpoison-state", S,
	  "a page soft offline poisoned lost PG_hwpoison, or the head of a live allocation has it",
	  "" },
	{ "hwpoison-free", S,
	  "a free block or pcp page covers a page with PG_hwpoison",
	  "2021 soft offline took pages off the buddy without NR_FREE_PAGES" },
	{ "alloc-overlap", S,
	  "the allocator returned a block that overlaps a live allocation",
	  "2020 __free_pages double free of tail pages (CVE-2023-52739)" },

	/* Level 2: oracles of the operation runner (ops/run.c). */
	{ "alloc-zone", S,
	  "an allocation was served from a zone above the highest one its GFP flags allow",
	  "" },
	{ "alloc-node", S,
	  "a __GFP_THISNODE allocation was served from another node",
	  "" },
	{ "page-content", S,
	  "a page held the data of another owner when freed: two owners shared it",
	  "2020 __free_pages double free of tail pages (CVE-2023-52739)" },
	{ "alloc-watermark", S,
	  "an allocation succeeded although its zone did not meet the watermark its alloc_flags require (lowmem_reserve recomputed)",
	  "2024 watermark check subtracting reserved instead of free highatomic pages" },
	{ "hwpoison-soft-offline", S,
	  "soft offline of a free page failed (the shadow holds nothing there, the pcp lists drain first)",
	  "2021 zero-refcount pages on a pcp list refused by soft offline" },
	{ "alloc-bulk", S,
	  "alloc_pages_bulk returned a count reaching an empty slot, short of the slots populated from the first before the call, or beyond the array, or changed a slot populated before the call",
	  "2021 alloc_pages_bulk returning 0 for an array populated already" },
	{ "alloc-spurious-failure", S,
	  "an allocation failed although an allowed zone held a free block it may use and met its watermark",
	  "2024 watermark check subtracting reserved instead of free highatomic pages" },

	/* Level 2: the full sweep, in the order it checks. */
	{ "checker-setup", S,
	  "the checker cannot run: the shadow was built for an instance of another size, the geometry is unusable, or memory ran out",
	  "" },
	{ "list-integrity", S,
	  "a free or pcp list is malformed: a broken next/prev link, a cycle, an entry outside mem_map or outside the list's zone",
	  "" },
	{ "buddy-flag", S,
	  "PG_buddy is set on a page that is not a free-list head, a head lacks it or has private != order, or a page sits on two lists",
	  "" },
	{ "order-alignment", S,
	  "a free block or pcp page is not aligned to its order",
	  "" },
	{ "section-present", S,
	  "the present sections are not those the layout gives memory (SPARSEMEM: a section is present when any of its pfns is memory), or one is of another node or offline",
	  "" },
	{ "section-usemap", S,
	  "a section's flags are inconsistent (a memmap without SECTION_MARKED_PRESENT, online without a memmap), it has a usemap without a memmap or none with one, or a pageblock's flags have undefined bits",
	  "" },
	{ "section-page", S,
	  "a list entry, an allocation or an LRU page is the struct page of a pfn in a missing section (pfn_valid false): nothing may read it",
	  "" },
	{ "section-free-block", S,
	  "a free block reaches into a missing section",
	  "" },
	{ "block-boundary", S,
	  "a free block or pcp page crosses its zone's span or covers a PG_reserved page (hole or reserved range)",
	  "" },
	{ "free-page-state", S,
	  "a page of a free block has a nonzero refcount or PG_head/PG_tail",
	  "" },
	{ "list-type", S,
	  "a free block head sits on a list other than free_list[its pageblock's type]",
	  "2023 CMA/HIGHATOMIC pages on the MOVABLE buddy list; 6.10 freelist hygiene: pages left on the old list" },
	{ "large-block-type", S,
	  "a free block of order >= pageblock_order spans a pageblock of another type than its list's",
	  "2016/2022 merging across isolated and other pageblocks; 2024 highatomic typing of multi-block buddies; 2025 coalescing retyped only the buddy's first pageblock" },
	{ "free-overlap", S,
	  "free blocks and pcp pages overlap each other or a live allocation",
	  "2020 __free_pages double free of tail pages (CVE-2023-52739)" },
	{ "pcp-page-state", S,
	  "a pcp page has PG_buddy, PG_head or PG_tail, a nonzero refcount, or sits on a list its order cannot use",
	  "" },
	{ "fully-merged", S,
	  "two free buddies of the same order coexist although they could merge",
	  "2016/2022 merging across isolated and other pageblocks" },
	{ "compound", S,
	  "a live compound allocation has a wrong head or tail (PG_head, compound_order, PG_tail, compound_head, tail refcount), or a plain one has compound flags",
	  "2020 __free_pages PageHead after put_page_testzero (CVE-2023-52739)" },
	{ "alloc-page-state", S,
	  "a live allocation's head has no reference, or one of its pages has PG_buddy or PG_reserved or lies outside the head's zone",
	  "" },
	{ "counter-negative", S,
	  "a vm_stat item, nr_free, nr_free_highatomic, nr_reserved_highatomic or pcp->count is negative",
	  "2016 double decrease of nr_reserved_highatomic" },
	{ "nr-free", S,
	  "free_area[order].nr_free differs from the number of blocks on that order's lists",
	  "" },
	{ "vmstat-free-pages", S,
	  "NR_FREE_PAGES differs from the pages on all non-ISOLATE free lists",
	  "2021 soft offline without NR_FREE_PAGES update; 2014 guard pages in ISOLATE blocks over-counted" },
	{ "vmstat-free-cma", S,
	  "NR_FREE_CMA_PAGES differs from the pages on the CMA free lists",
	  "2023 CMA/HIGHATOMIC pages on the MOVABLE buddy list" },
	{ "highatomic-free", S,
	  "nr_free_highatomic differs from the pages on the HIGHATOMIC free lists",
	  "2024 watermark check subtracting reserved instead of free highatomic pages" },
	{ "highatomic-reserved", S,
	  "nr_reserved_highatomic differs from pageblock_nr_pages x the zone's pageblocks stored as HIGHATOMIC",
	  "2016 double decrease of nr_reserved_highatomic; 2024 highatomic typing of multi-block buddies" },
	{ "highatomic-cap", S,
	  "nr_reserved_highatomic exceeds about 1% of the zone (or is set in a zone too small to reserve)",
	  "2016 double decrease of nr_reserved_highatomic" },
	{ "isolate-count", S,
	  "zone->nr_isolate_pageblock differs from the zone's pageblocks with the isolate bit",
	  "2016/2022 merging across isolated and other pageblocks" },
	{ "pcp-count", S,
	  "pcp->count differs from the base pages on its lists",
	  "" },
	{ "pcp-disabled-empty", S,
	  "a pcp list holds pages while the zone's pcp is disabled",
	  "2024 pages left on pcp lists after zone_pcp_disable" },
	{ "managed-pages", S,
	  "managed != present - reserved, or present != spanned - holes",
	  "" },
	{ "conservation", S,
	  "a zone's pages are not exactly holes + reserved + free + pcp + allocated (a page leaked or counted twice)",
	  "2020 __free_pages double free of tail pages (CVE-2023-52739)" },
	{ "compaction-defer", S,
	  "a zone's compact_defer_shift above COMPACT_MAX_DEFER_SHIFT, compact_considered above 1 << compact_defer_shift, or compact_order_failed outside [0, MAX_PAGE_ORDER + 1]",
	  "" },
	{ "lru-lists", S,
	  "an LRU list entry that is not the PG_lru head of an allocated block of its node on the list its PG_active/PG_swapbacked name, a list that does not end, or PG_lru pages that no list holds",
	  "" },
	{ "lru-free", S,
	  "a page both free (PG_buddy or no reference) and on an LRU list",
	  "" },
	{ "lru-counts", S,
	  "a node's lru_zone_size differing from the pages its LRU lists hold in that zone, or pages left isolated (NR_ISOLATED_ANON/FILE) between operations",
	  "" },
	{ "kswapd-boost", S,
	  "a zone boosted when a kswapd pass started that still has a watermark_boost after it (balance_pgdat takes back the boost it started with)",
	  "" },
	{ "kswapd-balanced", S,
	  "a kswapd pass that went back to sleep at order 0 with no eligible zone above its high watermark, the node not given up on",
	  "" },
	{ "compaction-skip", S,
	  "a pageblock's compaction skip bit set on a pageblock no populated zone spans",
	  "" },
	{ "compaction-scanners", S,
	  "a running compaction's migrate or free scanner outside its zone, the free scanner in a pageblock below the migrate scanner's (crossed), or a migrate restart point (compact_cached_migrate_pfn) outside the zone",
	  "2021 fast_isolate_around() leaving its pageblock and zone" },
	{ "compaction-isolated", S,
	  "a block compaction isolated that is not an aligned block of the compacted zone, still PG_buddy, with another order, not on the owner's LRU, or isolated counts (nr_freepages, nr_migratepages) that differ from the blocks held",
	  "" },
	{ "compaction-decision", S,
	  "a compaction running where mm/compaction.c would not start one: direct compaction for a gfp without __GFP_IO, or a compaction above PAGE_ALLOC_COSTLY_ORDER with the fragmentation index in [0, extfrag_threshold]",
	  "2024 costly GFP_NOIO allocations looping on a compaction that could not run" },
	{ "compaction-capture", S,
	  "a page compaction captured from a pageblock the request may not take (CMA, isolated, MOVABLE for an unmovable request below pageblock_order), that is still free or listed, with the zone's free counts not matching its lists afterwards, or that the allocation asking for it did not return",
	  "" },
	{ "oom-kill-constraint", S,
	  "an OOM kill for a request that never reaches one (no direct reclaim, __GFP_NORETRY, a costly order, __GFP_RETRY_MAYFAIL, __GFP_THISNODE, lowmem, no __GFP_FS, an OOM victim allocating), a constraint other than constrained_alloc's CONSTRAINT_NONE over totalram, or a victim outside the constraint's tasks",
	  "2017 __GFP_NOFAIL no longer forces the OOM killer (06ad276ac187)" },
	{ "oom-victim-badness", S,
	  "an OOM victim other than the task with the highest oom_badness (the later of equals), a task without memory or with OOM_SCORE_ADJ_MIN chosen, or vm.oom_kill_allocating_task not ending a killable allocating task",
	  "" },
	{ "oom-victim-freed", S,
	  "an OOM victim still holding pages after its kill, or the free and pcp lists not holding exactly its unpinned pages more",
	  "" },

	/*
	 * Level 2: the reference model (checkers/model*.c), compared at boot,
	 * after each operation that changes its inputs and at the end, in
	 * the order kb_model_check compares.
	 */
	{ "model-topology", S,
	  "the geometry (orders, max_pfn, pageblocks), the CPUs of each node or the node distances differ from the layout",
	  "" },
	{ "model-managed", S,
	  "a zone's or node's start, spanned, present, managed or CMA pages, or totalram/totalcma, differ from what the layout's ranges give",
	  "" },
	{ "model-mobility", S,
	  "grouping by mobility is on or off against build_all_zonelists' rule (pages of the boot node's zonelist < pageblock_nr_pages x MIGRATE_TYPES)",
	  "" },
	{ "model-zonelist", S,
	  "a node's fallback or __GFP_THISNODE zonelist differs from the model's (populated zones highest first, nodes in find_next_best_node's order)",
	  "" },
	{ "model-gfp-zone", S,
	  "gfp_zone() of a zone-modifier combination differs from GFP_ZONE_TABLE's rules (or GFP_ZONE_BAD is not refused)",
	  "" },
	{ "model-gfp-migratetype", S,
	  "gfp_migratetype() of a mobility-bit combination differs from the rules (UNMOVABLE for all while grouping by mobility is off)",
	  "" },
	{ "model-sysctl", S,
	  "a sysctl write was accepted or refused against the kernel's range, or a stored sysctl differs from what the user wrote",
	  "" },
	{ "model-min-free-kbytes", S,
	  "min_free_kbytes (or the user's value) differs from calculate_min_free_kbytes, khugepaged's raise and the user's writes",
	  "" },
	{ "model-watermark", S,
	  "a zone's min, low, high or promo watermark differs from __setup_per_zone_wmarks with the model's managed pages and sysctls",
	  "" },
	{ "model-watermark-boost", S,
	  "watermark_boost exceeds boost_watermark's cap (max(pageblock, high x watermark_boost_factor / 10000), 0 for small zones)",
	  "" },
	{ "model-lowmem-reserve", S,
	  "a zone's lowmem_reserve[] differs from the managed pages above it over lowmem_reserve_ratio",
	  "" },
	{ "model-totalreserve", S,
	  "totalreserve_pages (a node's or the total) differs from the largest lowmem_reserve plus high watermark of each zone",
	  "" },
	{ "model-pcp-disable", S,
	  "zone_pcp_disable/enable succeeded or failed against pcp_batch_high_lock, or a zone's pcp_disabled differs from the calls made",
	  "2024 pages left on pcp lists after zone_pcp_disable" },
	{ "model-pcp-batch", S,
	  "a zone's pageset batch or a CPU's pcp->batch differs from zone_batchsize (1 while the zone's pcp is disabled)",
	  "" },
	{ "model-pcp-high", S,
	  "a zone's or CPU's pcp high_min/high_max differs from zone_highsize (0 while disabled), or pcp->high lies outside them",
	  "" },
	{ "model-highatomic-cap", S,
	  "nr_reserved_highatomic exceeds the cap the model's managed pages give (about 1% of the zone, 0 below a pageblock)",
	  "2016 double decrease of nr_reserved_highatomic" },

	/* Level 2: the shadow of free memory (checkers/shadow_free.c). */
	{ "shadow-free-zone", S,
	  "a zone's NR_FREE_PAGES + pcp pages + isolated free pages differ from its managed pages (from the layout) less the pages the caller holds",
	  "2021 soft offline without NR_FREE_PAGES update; 2020 __free_pages double free of tail pages (CVE-2023-52739)" },
	{ "shadow-free-migratetype", S,
	  "a zone's free-list and pcp pages of a migratetype differ from the caller-derived free pages in its pageblocks of that type",
	  "2023 CMA/HIGHATOMIC pages on the MOVABLE buddy list; 6.10 freelist hygiene: pages left on the old list" },
};

#undef K
#undef S

#define KB_NR_INVARIANTS (sizeof(kb_invariants) / sizeof(kb_invariants[0]))

unsigned int kb_invariant_count(void)
{
	return (unsigned int)KB_NR_INVARIANTS;
}

const struct kb_invariant *kb_invariant_at(unsigned int i)
{
	return i < KB_NR_INVARIANTS ? &kb_invariants[i] : NULL;
}

const struct kb_invariant *kb_invariant_find(const char *name)
{
	if (!name)
		return NULL;
	for (unsigned int i = 0; i < KB_NR_INVARIANTS; i++)
		if (!strcmp(kb_invariants[i].name, name))
			return &kb_invariants[i];
	return NULL;
}

static void kb_violation_fill(struct kb_violation *v, const char *invariant,
			      int node, int zone, unsigned long pfn, int order, int mt)
{
	const struct kb_invariant *inv = kb_invariant_find(invariant);

	v->invariant = inv ? inv->name : invariant;
	v->meaning = inv ? inv->meaning : "(not in the invariant registry)";
	v->node = node;
	v->zone = zone;
	v->pfn = pfn;
	v->order = order;
	v->migratetype = mt;
	v->op_index = -1;
	v->detail[0] = '\0';
}

void kb_violation_set(struct kb_violation *v, const char *invariant, int node,
		      int zone, unsigned long pfn, int order, int mt,
		      const char *fmt, ...)
{
	va_list ap;

	kb_violation_fill(v, invariant, node, zone, pfn, order, mt);
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

void kb_violation_from_report(struct kb_violation *v, const struct kb_report *r)
{
	kb_violation_fill(v, r->invariant, r->node, r->zone, r->pfn, r->order, -1);
	snprintf(v->detail, sizeof(v->detail), "%s", r->message);
}

int kb_violation_format(const struct kb_violation *v, char *buf, size_t len)
{
	char where[160];
	size_t n = 0;

	where[0] = '\0';
	if (v->node >= 0)
		n += (size_t)snprintf(where + n, sizeof(where) - n, " node %d", v->node);
	if (v->zone >= 0 && v->zone < MAX_NR_ZONES && n < sizeof(where))
		n += (size_t)snprintf(where + n, sizeof(where) - n, " zone %s",
				      kb_zone_name((enum zone_type)v->zone));
	if (n < sizeof(where))
		n += (size_t)snprintf(where + n, sizeof(where) - n, " pfn %#lx", v->pfn);
	if (v->order >= 0 && n < sizeof(where))
		n += (size_t)snprintf(where + n, sizeof(where) - n, " order %d", v->order);
	if (v->migratetype >= 0 && v->migratetype < MIGRATE_TYPES && n < sizeof(where))
		n += (size_t)snprintf(where + n, sizeof(where) - n, " type %s",
				      kb_migratetype_name(v->migratetype));
	if (v->op_index >= 0 && n < sizeof(where))
		snprintf(where + n, sizeof(where) - n, " at op %ld", v->op_index);
	else if (n < sizeof(where))
		snprintf(where + n, sizeof(where) - n, " at %s", "boot/end");
	return snprintf(buf, len, "%s:%s: %s", v->invariant ? v->invariant : "?",
			where, v->detail);
}
