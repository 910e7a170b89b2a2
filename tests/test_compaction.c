/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compaction's arithmetic (core/compaction.c, core/kcompactd.c): the
 * deferral counters and their bounds, the fragmentation index against
 * mm/vmstat.c's formula, the proactive marks, and the entry points'
 * argument checks.
 */
#include <errno.h>
#include <string.h>

#include "compaction.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

TEST(deferral_doubles_up_to_64)
{
	struct zone z;
	unsigned int skipped = 0;

	memset(&z, 0, sizeof(z));
	/* never failed: nothing is deferred */
	EXPECT_TRUE(!compaction_deferred(&z, 9));
	for (int i = 0; i < 10; i++)
		defer_compaction(&z, 9);
	EXPECT_EQ(z.compact_defer_shift, COMPACT_MAX_DEFER_SHIFT);
	EXPECT_EQ(z.compact_considered, 0);
	/* compact_order_failed starts at 0: a lower order never un-defers */
	EXPECT_EQ(z.compact_order_failed, 0);
	while (compaction_deferred(&z, 9))
		skipped++;
	EXPECT_EQ(skipped, 63);
	EXPECT_EQ(z.compact_considered, 64);
	/* the limit holds: counting stops there */
	EXPECT_TRUE(!compaction_deferred(&z, 9));
	EXPECT_EQ(z.compact_considered, 64);
}

TEST(defer_reset)
{
	struct zone z;

	memset(&z, 0, sizeof(z));
	defer_compaction(&z, 4);
	defer_compaction(&z, 4);
	compaction_defer_reset(&z, 4, false);
	/* expected to succeed: orders up to 4 are allowed again, the shift stays */
	EXPECT_EQ(z.compact_order_failed, 5);
	EXPECT_EQ(z.compact_defer_shift, 2);
	EXPECT_TRUE(!compaction_deferred(&z, 3));
	EXPECT_TRUE(compaction_deferred(&z, 5));
	compaction_defer_reset(&z, 6, true);
	EXPECT_EQ(z.compact_defer_shift, 0);
	EXPECT_EQ(z.compact_considered, 0);
	EXPECT_EQ(z.compact_order_failed, 7);
	defer_compaction(&z, 2);
	EXPECT_EQ(z.compact_order_failed, 2);
}

TEST(fragmentation_index_formula)
{
	struct zone z;

	memset(&z, 0, sizeof(z));
	EXPECT_EQ(fragmentation_index(&z, 9, 10), 0);	/* nothing free */
	z.free_area[3].nr_free = 100;			/* 800 pages in order-3 blocks */
	/* 1000 - (1000 + 800 * 1000 / 512) / 100 = 1000 - 25 */
	EXPECT_EQ(fragmentation_index(&z, 9, 10), 975);
	EXPECT_EQ(extfrag_for_order(&z, 9, 10), 100);
	z.free_area[0].nr_free = 4000;
	/* many small blocks, few pages: towards 0, lack of memory */
	EXPECT_EQ(fragmentation_index(&z, 9, 10), 1000 - (1000 + 4800 * 1000 / 512) / 4100);
	z.free_area[9].nr_free = 1;
	EXPECT_EQ(fragmentation_index(&z, 9, 10), -1000);
	/* 512 of 5312 free pages are in suitable blocks */
	EXPECT_EQ(extfrag_for_order(&z, 9, 10), (5312 - 512) * 100 / 5312);
	EXPECT_EQ(fragmentation_index(&z, 11, 10), 0);
}

static struct kb_instance *boot_default(void)
{
	struct kb_layout l;
	char err[200];

	kb_layout_default(&l);
	return kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
}

TEST(proactive_marks_and_arguments)
{
	struct kb_instance *kb = boot_default();

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb->sysctl_compaction_proactiveness, 20);
	EXPECT_EQ(kb->sysctl_extfrag_threshold, 500);
	EXPECT_EQ(fragmentation_score_wmark(kb, true), 80);
	EXPECT_EQ(fragmentation_score_wmark(kb, false), 90);
	EXPECT_EQ(kb_sysctl_write(kb, KB_SYSCTL_COMPACTION_PROACTIVENESS, 0, 100), 0);
	EXPECT_EQ(fragmentation_score_wmark(kb, true), 5);
	EXPECT_EQ(fragmentation_score_wmark(kb, false), 15);
	EXPECT_TRUE(kb->node_data[0].proactive_compact_trigger);
	EXPECT_EQ(kb_sysctl_write(kb, KB_SYSCTL_COMPACTION_PROACTIVENESS, 0, 101), -EINVAL);
	EXPECT_EQ(kb_sysctl_write(kb, KB_SYSCTL_EXTFRAG_THRESHOLD, 0, 1001), -EINVAL);
	EXPECT_EQ(kb_sysctl_write(kb, KB_SYSCTL_COMPACT_MEMORY, 0, 0), -EINVAL);
	EXPECT_EQ(kb_sysctl_write(kb, KB_SYSCTL_COMPACT_MEMORY, 0, 1), 0);
	/*
	 * a freshly booted machine: DMA32 and Normal are whole order-10
	 * blocks; DMA's first pageblock (pfns 1-511) is in small blocks, a
	 * 12% score weighted by DMA's 4095 of the node's 20479 pages: 2
	 */
	EXPECT_EQ(fragmentation_score_zone(kb, kb_zone(kb, 0, ZONE_NORMAL)), 0);
	EXPECT_EQ(fragmentation_score_node(kb, &kb->node_data[0]), 2);
	EXPECT_EQ(kb_compact_zone(kb, kb_zone(kb, 0, ZONE_NORMAL), 11), -EINVAL);
	EXPECT_EQ(kb_compact_zone(kb, kb_zone(kb, 0, ZONE_MOVABLE), 3), -EINVAL);
	EXPECT_EQ(kb_compact_node(kb, 1, 3), -EINVAL);
	EXPECT_EQ(kb_kcompactd(kb, -1), -EINVAL);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, 11, 2), -EINVAL);
	/* a block of order 9 is free: compaction reports success at once */
	EXPECT_EQ(kb_compact_zone(kb, kb_zone(kb, 0, ZONE_NORMAL), 9), KB_COMPACT_SUCCESS);
	EXPECT_EQ(kb->node_data[0].kcompactd_highest_zoneidx, ZONE_NORMAL);
	EXPECT_STREQ(kb_compact_result_name(KB_COMPACT_DEFERRED), "deferred");
	EXPECT_STREQ(kb_compact_result_name(99), "?");
	kb_destroy(kb);
}

/*
 * kb_wakeup_kcompactd takes every order 0..MAX_PAGE_ORDER and every zone
 * index of a layout; an order-0 wakeup is taken and does nothing, as
 * wakeup_kcompactd returns at once for order 0 (no compaction makes an
 * order-0 page).
 */
TEST(wakeup_kcompactd_takes_order_0_and_refuses_out_of_range)
{
	struct kb_instance *kb = boot_default();
	pg_data_t *pgdat;

	ASSERT_TRUE(kb);
	pgdat = &kb->node_data[0];
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, 0, ZONE_NORMAL), 0);
	EXPECT_EQ(pgdat->kcompactd_max_order, 0);
	EXPECT_EQ(kb_kcompactd(kb, 0), 0);
	EXPECT_EQ(kb->vm_events[KCOMPACTD_WAKE], 0);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, -1, ZONE_NORMAL), -EINVAL);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, (int)kb->max_order + 1, ZONE_NORMAL), -EINVAL);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, -1, 3, ZONE_NORMAL), -EINVAL);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, kb->nr_node_ids, 3, ZONE_NORMAL), -EINVAL);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, 3, -1), -EINVAL);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, 3, KB_NR_LAYOUT_ZONES), -EINVAL);
	EXPECT_EQ(pgdat->kcompactd_max_order, 0);
	/* the highest order and the last zone index are in range */
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, (int)kb->max_order, KB_NR_LAYOUT_ZONES - 1), 0);
	EXPECT_EQ(pgdat->kcompactd_max_order, (int)kb->max_order);
	kb_destroy(kb);
}

TEST(kcompactd_work_ends_the_proactive_backoff)
{
	struct kb_instance *kb = boot_default();
	pg_data_t *pgdat;

	ASSERT_TRUE(kb);
	pgdat = &kb->node_data[0];
	/* a proactive pass that did not lower the score backed off */
	pgdat->proactive_defer = (1U << COMPACT_MAX_DEFER_SHIFT) - 1;
	/* a pass with nothing requested sits one out */
	EXPECT_EQ(kb_kcompactd(kb, 0), 0);
	EXPECT_EQ(pgdat->proactive_defer, 62);
	/* woken for work: afterwards the timeout is the default again */
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, 3, ZONE_NORMAL), 0);
	EXPECT_EQ(kb_kcompactd(kb, 0), 0);
	EXPECT_EQ(kb->vm_events[KCOMPACTD_WAKE], 1);
	EXPECT_EQ(pgdat->proactive_defer, 0);
	kb_destroy(kb);
}

/*
 * DMA filled with order-3 movable blocks marked PG_lru, all but one in 64
 * freed again: fragmented, no free block of order 9.
 */
static void fragment_dma(struct kb_instance *kb)
{
	static struct page *blocks[4096 / 8];
	unsigned int n = 0;

	kb_set_cpu(kb, 0);
	while (n < sizeof(blocks) / sizeof(blocks[0]) &&
	       (blocks[n] = kb_alloc_pages(kb, GFP_USER | __GFP_MOVABLE | __GFP_DMA, 3, 0, NULL)))
		n++;
	for (unsigned int i = 0; i < n; i++) {
		if (i % 64 == 0)
			SetPageLru(blocks[i]);
		else
			kb_free_pages(kb, blocks[i], 3);
	}
	kb_drain_all_pages(kb);
}

/*
 * kcompactd's scanners count twice, as compact_* and as compact_daemon_*;
 * a compaction of its own (kb_compact_zone) only as compact_*. Blocks
 * the owner does not move count as pgmigrate_fail, in base pages.
 */
TEST(kcompactd_counts_its_scanners_and_migrations)
{
	struct kb_instance *kb = boot_default();
	unsigned long migrate, free_scanned;

	ASSERT_TRUE(kb);
	fragment_dma(kb);
	ASSERT_TRUE(kb_zone(kb, 0, ZONE_DMA)->free_area[9].nr_free == 0);
	EXPECT_EQ(kb_wakeup_kcompactd(kb, 0, 9, ZONE_DMA), 0);
	EXPECT_EQ(kb_kcompactd(kb, 0), 0);
	EXPECT_EQ(kb->vm_events[KCOMPACTD_WAKE], 1);
	EXPECT_TRUE(kb->vm_events[COMPACTMIGRATE_SCANNED] > 0);
	EXPECT_EQ(kb->vm_events[KCOMPACTD_MIGRATE_SCANNED], kb->vm_events[COMPACTMIGRATE_SCANNED]);
	EXPECT_EQ(kb->vm_events[KCOMPACTD_FREE_SCANNED], kb->vm_events[COMPACTFREE_SCANNED]);
	/* no owner: every isolated block stays where it is */
	EXPECT_EQ(kb->vm_events[PGMIGRATE_SUCCESS], 0);
	EXPECT_TRUE(kb->vm_events[PGMIGRATE_FAIL] > 0);
	migrate = kb->vm_events[KCOMPACTD_MIGRATE_SCANNED];
	free_scanned = kb->vm_events[KCOMPACTD_FREE_SCANNED];
	/* a whole-zone compaction of the caller's: not kcompactd's */
	kb_compact_zone(kb, kb_zone(kb, 0, ZONE_DMA), -1);
	EXPECT_TRUE(kb->vm_events[COMPACTMIGRATE_SCANNED] > migrate);
	EXPECT_EQ(kb->vm_events[KCOMPACTD_MIGRATE_SCANNED], migrate);
	EXPECT_EQ(kb->vm_events[KCOMPACTD_FREE_SCANNED], free_scanned);
	kb_destroy(kb);
}

/*
 * A proactive pass that cannot lower the node's score (DMA fragmented,
 * no owner to move a block) backs off: kcompactd's timeout shifted by
 * COMPACT_MAX_DEFER_SHIFT, 2^6 - 1 = 63 passes sat out, one a call.
 * DMA's score is 100 (no free block of order 9), weighted by its 4095 of
 * the node's 20480 pages: 19, above the high mark of proactiveness 100
 * (15).
 */
TEST(proactive_pass_without_progress_backs_off_63_passes)
{
	struct kb_instance *kb = boot_default();
	pg_data_t *pgdat;

	ASSERT_TRUE(kb);
	pgdat = &kb->node_data[0];
	fragment_dma(kb);
	ASSERT_EQ(kb_sysctl_write(kb, KB_SYSCTL_COMPACTION_PROACTIVENESS, 0, 100), 0);
	EXPECT_EQ(fragmentation_score_node(kb, pgdat), 19);
	EXPECT_EQ(pgdat->proactive_defer, 0);
	EXPECT_EQ(kb_kcompactd(kb, 0), 0);
	EXPECT_TRUE(kb->vm_events[COMPACTMIGRATE_SCANNED] > 0);
	EXPECT_EQ(fragmentation_score_node(kb, pgdat), 19);
	EXPECT_EQ(pgdat->proactive_defer, 63);
	EXPECT_EQ(kb_kcompactd(kb, 0), 0);
	EXPECT_EQ(pgdat->proactive_defer, 62);
	kb_destroy(kb);
}

static unsigned int skip_bits(const struct kb_instance *kb, const struct zone *zone)
{
	unsigned int n = 0;

	for (unsigned long pfn = pageblock_start_pfn(kb, zone->zone_start_pfn);
	     pfn < zone_end_pfn(zone); pfn += kb->pageblock_nr_pages)
		n += get_pageblock_skip(kb, pfn_to_page(kb, pfn));
	return n;
}

/*
 * Direct compaction that scans a zone to the end asks for its skip bits
 * to be flushed (compact_blockskip_flush); reset_isolation_suitable, as
 * kswapd calls it, clears the bits of pageblocks holding a migration
 * source or a free page and restarts the scanners at the outermost ones.
 * Without an owner nothing migrates, so the request fails.
 */
TEST(direct_compaction_then_reset_isolation_suitable)
{
	struct kb_instance *kb = boot_default();
	struct zone *dma;
	unsigned int before;
	int err = 0;

	ASSERT_TRUE(kb);
	dma = kb_zone(kb, 0, ZONE_DMA);
	fragment_dma(kb);
	/* movable and costly: async compaction first, which only scans movable blocks */
	EXPECT_TRUE(kb_alloc_pages(kb, GFP_USER | __GFP_MOVABLE | __GFP_DMA, 9, 0, &err) == NULL);
	EXPECT_TRUE(kb->vm_events[COMPACTSTALL] >= 1);
	EXPECT_TRUE(kb->vm_events[COMPACTFAIL] >= 1);
	/*
	 * async, skip_on_failure: the tail pages of each order-3 block are
	 * not on the LRU, so every order-9 aligned block fails at once and
	 * gets its skip bit; the sync-light pass then skips them all but
	 * the zone's first pageblock: it straddles the zone's start, so it
	 * booted MIGRATE_UNMOVABLE (memmap_init_range), which the async
	 * pass does not scan, and sync-light isolates its one LRU block
	 * (the 449th order-3 block, there once the movable blocks ran out).
	 * In 6.1 and 6.6 (KB_FALLBACK_STEAL_SUITABLE) that fallback takes
	 * the pageblock's largest free block instead, with the free pages
	 * after it (steal_suitable_fallback), so the order-3 blocks land
	 * elsewhere and nothing is isolated.
	 */
	EXPECT_TRUE(kb->vm_events[COMPACTMIGRATE_SCANNED] > 0);
	EXPECT_EQ(kb->vm_events[COMPACTISOLATED], KB_FALLBACK_STEAL_SUITABLE ? 0 : 1);
	EXPECT_TRUE(dma->compact_blockskip_flush);
	before = skip_bits(kb, dma);
	EXPECT_TRUE(before > 0);
	reset_isolation_suitable(kb, &kb->node_data[0]);
	EXPECT_TRUE(!dma->compact_blockskip_flush);
	EXPECT_TRUE(skip_bits(kb, dma) < before);
	EXPECT_EQ(dma->compact_cached_migrate_pfn[0], dma->compact_cached_migrate_pfn[1]);
	EXPECT_TRUE(dma->compact_cached_migrate_pfn[0] >= dma->zone_start_pfn);
	EXPECT_TRUE(dma->compact_cached_free_pfn < zone_end_pfn(dma));
	EXPECT_TRUE(dma->compact_cached_migrate_pfn[0] < dma->compact_cached_free_pfn);
	EXPECT_EQ(dma->compact_init_migrate_pfn, dma->compact_cached_migrate_pfn[0]);
	/* nothing asked for another flush: a second call changes nothing */
	before = skip_bits(kb, dma);
	reset_isolation_suitable(kb, &kb->node_data[0]);
	EXPECT_EQ(skip_bits(kb, dma), before);
	kb_destroy(kb);
}

/*
 * A compaction retried at the longest deferral (compaction_restarting)
 * flushes the skip bits first, and an unmovable request's async pass
 * scans only pageblocks of its own type.
 */
TEST(compaction_restarting_flushes_skip_bits)
{
	struct kb_instance *kb = boot_default();
	struct zone *dma;
	int err = 0;

	ASSERT_TRUE(kb);
	dma = kb_zone(kb, 0, ZONE_DMA);
	fragment_dma(kb);
	EXPECT_TRUE(kb_alloc_pages(kb, GFP_KERNEL | __GFP_DMA, 9, 0, &err) == NULL);
	EXPECT_TRUE(dma->compact_blockskip_flush);
	EXPECT_TRUE(skip_bits(kb, dma) > 0);
	dma->compact_defer_shift = COMPACT_MAX_DEFER_SHIFT;
	dma->compact_considered = 1U << COMPACT_MAX_DEFER_SHIFT;
	dma->compact_order_failed = 0;
	EXPECT_TRUE(kb_compact_zone(kb, dma, 9) >= KB_COMPACT_COMPLETE);
	/* the flush ran (and the scan that followed asked for none: not direct) */
	EXPECT_TRUE(!dma->compact_blockskip_flush);
	kb_destroy(kb);
}

/* kb_compact_node: the most successful result over the node's zones. */
TEST(compact_node_takes_the_best_zone_result)
{
	struct kb_instance *kb = boot_default();

	ASSERT_TRUE(kb);
	/* Normal has free order-9 blocks: success at once */
	EXPECT_EQ(kb_compact_node(kb, 0, 9), KB_COMPACT_SUCCESS);
	fragment_dma(kb);
	/* the whole node, compact_memory style: every zone scanned to the end */
	EXPECT_EQ(kb_compact_node(kb, 0, -1), KB_COMPACT_COMPLETE);
	EXPECT_EQ(kb_compact_node(kb, 0, 11), -EINVAL);
	kb_destroy(kb);
}

/*
 * An owner that moves every block it is asked to: the new block from the
 * compaction's target, on the LRU; the old one off it and freed.
 */
static int owner_moves(struct kb_instance *kb, struct page *page,
		       const struct kb_migrate_target *target, void *ctx)
{
	unsigned int order = PageHead(page) ? page->compound_order : 0;
	struct page *new;

	(void)ctx;
	if (!target)
		return -EAGAIN;
	new = target->alloc(kb, order, GFP_USER | __GFP_MOVABLE, target->priv);
	if (!new)
		return -ENOMEM;
	SetPageLru(new);
	ClearPageLru(page);
	kb_free_pages(kb, page, order);
	return 0;
}

/*
 * DMA full of order-0 movable pages on the LRU, every other one freed: the
 * free lists hold only order-0 pages. A compaction for order 9 searches
 * the free lists from order 8 down to 0 for targets, the migrate scanner
 * isolates 32 pages a round, the owner moves them up, and the low
 * pageblocks come free whole.
 */
TEST(compaction_of_order0_pages_frees_whole_pageblocks)
{
	struct kb_instance *kb = boot_default();
	static struct page *pages[4096];
	struct zone *dma;
	unsigned int n = 0;
	int ret;

	ASSERT_TRUE(kb);
	dma = kb_zone(kb, 0, ZONE_DMA);
	kb_set_cpu(kb, 0);
	while (n < 4096 && (pages[n] = kb_alloc_pages(kb, GFP_USER | __GFP_MOVABLE | __GFP_DMA |
							     __GFP_MEMALLOC, 0, 0, NULL)))
		n++;
	ASSERT_TRUE(n > 4000);
	for (unsigned int i = 0; i < n; i++) {
		if (kb_page_to_pfn(kb, pages[i]) & 1)
			kb_free_pages(kb, pages[i], 0);
		else
			SetPageLru(pages[i]);
	}
	kb_drain_all_pages(kb);
	ASSERT_TRUE(dma->free_area[1].nr_free == 0 && dma->free_area[9].nr_free == 0);
	kb->owner.migrate_page = owner_moves;
	ret = kb_compact_zone(kb, dma, 9);
	EXPECT_TRUE(ret == KB_COMPACT_SUCCESS || ret == KB_COMPACT_COMPLETE ||
		    ret == KB_COMPACT_PARTIAL_SKIPPED);
	EXPECT_TRUE(kb->vm_events[PGMIGRATE_SUCCESS] > 0);
	EXPECT_EQ(kb->vm_events[PGMIGRATE_FAIL], 0);
	EXPECT_TRUE(kb->vm_events[COMPACTFREE_SCANNED] > 0);
	/* each page moved was isolated twice: as a source and as its target */
	EXPECT_TRUE(kb->vm_events[COMPACTISOLATED] >= 2 * kb->vm_events[PGMIGRATE_SUCCESS]);
	kb_drain_all_pages(kb);
	/* pages moved up merge below: blocks of order 9 free again */
	EXPECT_TRUE(dma->free_area[9].nr_free + dma->free_area[10].nr_free > 0);
	kb_destroy(kb);
}

/* /proc/vmstat's compaction items keep its order; kbuddy's own comes after them. */
TEST(vm_event_items_in_vmstat_order)
{
	EXPECT_TRUE(PGMIGRATE_SUCCESS + 1 == PGMIGRATE_FAIL);
	EXPECT_TRUE(PGMIGRATE_FAIL + 1 == COMPACTMIGRATE_SCANNED);
	EXPECT_TRUE(COMPACTSUCCESS + 1 == KCOMPACTD_WAKE);
	EXPECT_TRUE(KCOMPACTD_WAKE + 1 == KCOMPACTD_MIGRATE_SCANNED);
	EXPECT_TRUE(KCOMPACTD_MIGRATE_SCANNED + 1 == KCOMPACTD_FREE_SCANNED);
	EXPECT_TRUE(COMPACTCAPTURE > KCOMPACTD_FREE_SCANNED);
	EXPECT_STREQ(kb_vm_event_name(KCOMPACTD_FREE_SCANNED), "KCOMPACTD_FREE_SCANNED");
	EXPECT_STREQ(kb_vm_event_name(PGMIGRATE_FAIL), "PGMIGRATE_FAIL");
}

TEST_MAIN()
