/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version profiles: every formula and policy that differs between
 * the kernel versions kbuddy models is chosen here and nowhere else.
 * Select one with `make PROFILE=...` (-DKB_PROFILE_<name>); mainline is the
 * default. Each profile follows a real source tree:
 *
 *   mainline  current mainline (6.15+)
 *   6.12      Debian's 6.12.117 (linux-source-6.12), which carries the 6.13
 *             free-highatomic count and the 6.15 fallback split (claim,
 *             steal) from the stable series (so does 6.12.118)
 *   6.6       upstream v6.6: 6.1's pcp lists and fallback path with the
 *             6.2 watermarks of ZONE_MOVABLE
 *   6.1       Debian's 6.1.192 (linux-source-6.1)
 *
 * Each selector below says what it chooses and where the kernel changed.
 * A checker that recomputes derived state (watermarks, pcp sizes) follows
 * the same selectors.
 */
#ifndef KB_PROFILE_H
#define KB_PROFILE_H

#if defined(KB_PROFILE_6_1)
#define KB_PROFILE_NAME			"6.1"
#define KB_BATCH_FROM_1M		1
#define KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN 0
#define KB_PCP_HIGH_AUTOTUNE		0
#define KB_WMARK_MOVABLE_IS_LOWMEM	1
#define KB_ZONEINFO_PROMO		0
#define KB_ZONEINFO_PCP_LIMITS		0
#define KB_VMSTAT_ITEMS			601
#define KB_HIGHATOMIC_CAP_ALIGNED	0
#define KB_FALLBACK_STEAL_SUITABLE	1
#define KB_FREELIST_HYGIENE		0
#define KB_PCP_CACHED_MIGRATETYPE	1
#define KB_HIGHATOMIC_FIRST_PAGEBLOCK	1
#elif defined(KB_PROFILE_6_6)
#define KB_PROFILE_NAME			"6.6"
#define KB_BATCH_FROM_1M		1
#define KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN 0
#define KB_PCP_HIGH_AUTOTUNE		0
#define KB_WMARK_MOVABLE_IS_LOWMEM	0
#define KB_ZONEINFO_PROMO		1
#define KB_ZONEINFO_PCP_LIMITS		0
#define KB_VMSTAT_ITEMS			601
#define KB_HIGHATOMIC_CAP_ALIGNED	0
#define KB_FALLBACK_STEAL_SUITABLE	1
#define KB_FREELIST_HYGIENE		0
#define KB_PCP_CACHED_MIGRATETYPE	1
#define KB_HIGHATOMIC_FIRST_PAGEBLOCK	1
#elif defined(KB_PROFILE_6_12)
#define KB_PROFILE_NAME			"6.12"
#define KB_BATCH_FROM_1M		1
#define KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN 0
#define KB_PCP_HIGH_AUTOTUNE		1
#define KB_WMARK_MOVABLE_IS_LOWMEM	0
#define KB_ZONEINFO_PROMO		1
#define KB_ZONEINFO_PCP_LIMITS		0
#define KB_VMSTAT_ITEMS			612
#define KB_HIGHATOMIC_CAP_ALIGNED	1
#define KB_FALLBACK_STEAL_SUITABLE	0
#define KB_FREELIST_HYGIENE		1
#define KB_PCP_CACHED_MIGRATETYPE	0
#define KB_HIGHATOMIC_FIRST_PAGEBLOCK	0
#else
#define KB_PROFILE_MAINLINE		1
#define KB_PROFILE_NAME			"mainline"
#define KB_BATCH_FROM_1M		0
#define KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN 1
#define KB_PCP_HIGH_AUTOTUNE		1
#define KB_WMARK_MOVABLE_IS_LOWMEM	0
#define KB_ZONEINFO_PROMO		1
#define KB_ZONEINFO_PCP_LIMITS		1
#define KB_VMSTAT_ITEMS			612
#define KB_HIGHATOMIC_CAP_ALIGNED	1
#define KB_FALLBACK_STEAL_SUITABLE	0
#define KB_FREELIST_HYGIENE		1
#define KB_PCP_CACHED_MIGRATETYPE	0
#define KB_HIGHATOMIC_FIRST_PAGEBLOCK	0
#endif

/*
 * KB_BATCH_FROM_1M (zone_batchsize): 1 = min(managed >> 10, 1 MiB of
 * pages) / 4, rounded to 2^n - 1, and the caller takes max(1, batch)
 * (6.1 to 6.18); 0 = min(managed >> 12, 256 KiB of pages), 1 when that is
 * at most 1 (mainline, 2025). Both give the same numbers.
 *
 * KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN (free_unref_page_commit, 6.7+ lists):
 * 1 = a CPU freeing high-order pages drains at once when free_count >=
 * batch + high_min / 2 (mainline); 0 = once free_count >= batch.
 *
 * KB_PCP_HIGH_AUTOTUNE: 1 = pcp->high moves at run time between high_min
 * (the zone_highsize of 6.1) and high_max (managed / 8, split over the
 * node's CPUs), starting at 0 on a CPU that never freed; frees and refills
 * grow it, reclaim and low memory shrink it; the batch of frees grows
 * with free_count and of refills with alloc_factor (6.7+). 0 = a static
 * pcp->high set with the batch; the free batch doubles with free_factor
 * on consecutive frees and a high-order free with free_factor set drains
 * everything (6.1, 6.6). percpu_pagelist_high_fraction sets both kinds.
 *
 * KB_WMARK_MOVABLE_IS_LOWMEM (__setup_per_zone_wmarks): 1 = ZONE_MOVABLE
 * counts in the lowmem total that min_free_kbytes is split over and gets
 * its share as min (6.1); 0 = it is left out and its min is
 * clamp(managed / 1024, 32, 128), as for highmem (6.2+).
 *
 * KB_ZONEINFO_PROMO: /proc/zoneinfo prints the promo watermark (6.6+;
 * 6.1 computes it but does not print it).
 * KB_ZONEINFO_PCP_LIMITS: /proc/zoneinfo prints each pcp's high_min and
 * high_max (mainline); kbuddy adds the zone's reserved and free highatomic
 * pages there.
 * KB_VMSTAT_ITEMS: which statistics lines /proc/zoneinfo lists (601: those
 * of Debian's 6.1 config, also used for 6.6; 612: those of its 6.12
 * config, which adds nr_unaccepted, nr_iommu_pages and the pgdemote
 * counters). kbuddy models none of them but the free counts.
 *
 * KB_HIGHATOMIC_CAP_ALIGNED (reserve_highatomic_pageblock): 1 = no reserve
 * in a zone whose 1% is below a pageblock, else reserve while
 * nr_reserved_highatomic < ALIGN(managed / 100, pageblock_nr_pages)
 * (v6.7's "correct high atomic reserve calculations", in 6.12 and
 * mainline); 0 = reserve in any zone while it is below managed / 100 +
 * pageblock_nr_pages (Debian's 6.1.192; 6.6 predates the change: upstream
 * history, no 6.6 source read).
 *
 * KB_FALLBACK_STEAL_SUITABLE (__rmqueue's fallback when a type's lists
 * are empty): 1 = __rmqueue_fallback (6.1, 6.6): the largest fallback
 * block is taken (for a movable request that cannot steal the block, the
 * smallest one); steal_suitable_fallback retypes a block of pageblock_order
 * or more, and otherwise, when can_steal_fallback allows it, boosts the
 * watermark and moves every free page of the pageblock to the requester's
 * lists (move_freepages_block, counting free and movable pages), retyping
 * the pageblock only when free + alike pages reach half of it; else it
 * moves the one block. __rmqueue_smallest then allocates from the
 * requester's lists. 0 = __rmqueue_claim / __rmqueue_steal (6.15's split,
 * carried by Debian's 6.12.117 and 6.12.118): a claim that fails leaves
 * the block alone and the search goes on; a steal leaves the split halves
 * on the block's own lists.
 *
 * KB_FREELIST_HYGIENE (6.10's "freelist migratetype hygiene" series):
 * 1 = a free block always sits on the list of its pageblock's type: the
 * free-list helpers take the type and warn on a mismatch ("page type is
 * X, passed migratetype is Y"), merging retypes the buddy's pageblocks,
 * and the checker's list-type and large-block-type invariants hold for
 * every type. 0 = (6.1, 6.6) no such warnings and no retype on merge: a
 * free block of a normal (mergeable) pageblock may sit on any of the
 * Unmovable, Movable or Reclaimable lists (a steal that did not retype the
 * block leaves it there); only CMA, highatomic and isolated pageblocks
 * keep their blocks on their own lists, which is all the checker holds
 * them to. The free counts follow the lists in both
 * (__mod_zone_freepage_state / account_freepages).
 * Without the hygiene the list helpers take no type: a block leaves
 * whichever list it is on (kbuddy reads that list from the block, so its
 * counters follow the lists).
 * The old fallback needs the old lists: KB_FALLBACK_STEAL_SUITABLE 1
 * requires KB_FREELIST_HYGIENE 0 (6.10 to 6.14, hygiene with the old
 * fallback, are not modelled).
 *
 * KB_PCP_CACHED_MIGRATETYPE (free_pcppages_bulk): 1 = a page on a pcp list
 * carries the type it was given when it went there (set_pcppage_migratetype
 * in page->index: its pageblock's type when freed, the type of the free
 * list it came from when a refill took it) and a drain frees it to that
 * type's list; the pageblock is read again only while the zone has
 * isolated pageblocks (6.1, 6.6). A pageblock retyped meanwhile (a
 * highatomic reserve or unreserve, a fallback claim) so gets blocks on
 * another type's lists, highatomic ones included. 0 = the drain reads
 * each page's pageblock under zone->lock (6.10's hygiene series removed
 * the cache; 6.12, mainline).
 *
 * KB_HIGHATOMIC_FIRST_PAGEBLOCK (reserve_highatomic_pageblock,
 * unreserve_highatomic_pageblock for blocks of pageblock_order or more):
 * 1 = only the pageblock of the block's first page is retyped and counted
 * (nr_reserved_highatomic moves by pageblock_nr_pages whatever the order);
 * reserving retypes even a pageblock the zone's end cuts (then nothing is
 * moved), and unreserving moves the free blocks of the first pageblock
 * (the whole block on the list, which may reach into the next pageblock,
 * left HIGHATOMIC) and tries the next order when nothing moved (6.1, 6.6).
 * 0 = every pageblock of the block is retyped and 1 << order pages are
 * counted; a reserve in a pageblock the zone cuts does nothing (6.10's
 * "fix highatomic typing in multi-block buddies"; 6.12, mainline).
 */
#if KB_FALLBACK_STEAL_SUITABLE && KB_FREELIST_HYGIENE
#error "KB_FALLBACK_STEAL_SUITABLE needs the lists before the hygiene series"
#endif
#if KB_PCP_CACHED_MIGRATETYPE && KB_FREELIST_HYGIENE
#error "KB_PCP_CACHED_MIGRATETYPE needs the lists before the hygiene series"
#endif

/* Every profile's name, for layouts that say which one they were taken on. */
#define KB_PROFILE_NAMES	{ "6.1", "6.6", "6.12", "mainline" }

/* CONFIG_PCP_BATCH_SCALE_MAX default */
#define CONFIG_PCP_BATCH_SCALE_MAX	5
/* Fraction floor of percpu_pagelist_high_fraction (MIN_PERCPU_PAGELIST_HIGH_FRACTION) */
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION	8
/*
 * Transparent hugepages as Debian builds every profile
 * (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS): on by default, but hugepage_init()
 * turns THP off on machines with less than KB_THP_MIN_RAM_MB of RAM. With
 * THP on, khugepaged raises min_free_kbytes (set_recommended_min_free_kbytes).
 * A layout may force THP on or off.
 */
#define KB_THP_DEFAULT_ENABLED		1
#define KB_THP_MIN_RAM_MB		512
/* should_reclaim_retry gives up after this many rounds without progress */
#define MAX_RECLAIM_RETRIES		16
#define SWAP_CLUSTER_MAX		32UL

#endif /* KB_PROFILE_H */
