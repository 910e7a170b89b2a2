// SPDX-License-Identifier: GPL-2.0
/*
 * The loop bounds of core/ (core/loop_bound.h): each test breaks the state
 * a loop's end depends on, the way the kernel would then spin, and expects
 * the loop to stop with its function's invariant as the first report.
 */
#include "check.h"
#include "compaction.h"
#include "internal.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

struct reports {
	unsigned int n;
	char names[8][48];
	char first[200];
};

static void collect(void *ctx, const struct kb_report *r)
{
	struct reports *rs = ctx;

	if (!rs->n)
		snprintf(rs->first, sizeof(rs->first), "%s: %s", r->invariant, r->message);
	if (rs->n < 8)
		snprintf(rs->names[rs->n], sizeof(rs->names[0]), "%s", r->invariant);
	rs->n++;
}

static struct kb_instance *boot_default(struct reports *rs)
{
	struct kb_layout layout;
	char err[200];
	struct kb_instance *kb;

	kb_layout_default(&layout);
	kb = kb_create(&layout, &(struct kb_options){ .check_level = 1 }, err, sizeof(err));
	if (!kb) {
		KBTEST_FAIL("kb_create: %s", err);
		return NULL;
	}
	memset(rs, 0, sizeof(*rs));
	kb_set_report(kb, collect, rs);
	return kb;
}

static struct zone *normal_zone(struct kb_instance *kb)
{
	return &kb->node_data[0].node_zones[ZONE_NORMAL];
}

/* An order-1 page freed onto CPU 0's pcp list of the Normal zone. */
static struct per_cpu_pages *pcp_with_a_page(struct kb_instance *kb)
{
	struct page *page;

	kb_set_cpu(kb, 0);
	page = kb_alloc_pages(kb, GFP_KERNEL, 1, 0, NULL);
	if (!page)
		return NULL;
	kb_free_pages(kb, page, 1);
	return &normal_zone(kb)->per_cpu_pageset[0];
}

/*
 * pcp_count_drift's state: pcp->count one above the pages on the lists.
 * The drain frees the page, then finds every list empty with a page left
 * to free (the kernel spins in free_pcppages_bulk's round-robin).
 */
TEST(free_pcppages_bulk_count_above_lists)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct per_cpu_pages *pcp;

	ASSERT_TRUE(kb);
	pcp = pcp_with_a_page(kb);
	ASSERT_TRUE(pcp && pcp->count == 2);
	pcp->count += 1;
	kb_drain_all_pages(kb);
	EXPECT_TRUE(rs.n >= 1);
	EXPECT_STREQ(rs.names[0], "loop-free-pcppages-bulk");
	EXPECT_TRUE(strstr(rs.first, "pcp->count 1") != NULL);
	EXPECT_EQ(rs.n, 1);
	EXPECT_EQ(pcp->count, 1);
	/* the next drain finds only the count: it stops there again */
	kb_drain_all_pages(kb);
	EXPECT_EQ(rs.n, 2);
	EXPECT_STREQ(rs.names[1], "loop-free-pcppages-bulk");
	kb_destroy(kb);
}

/* A pcp->batch of 0: each drain round frees nothing (to_drain is 0). */
TEST(drain_pages_zone_batch_zero)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct per_cpu_pages *pcp;

	ASSERT_TRUE(kb);
	pcp = pcp_with_a_page(kb);
	ASSERT_TRUE(pcp && pcp->count == 2);
	pcp->batch = 0;
	kb_drain_all_pages(kb);
	EXPECT_EQ(rs.n, 1);
	EXPECT_STREQ(rs.names[0], "loop-drain-pages-zone");
	EXPECT_TRUE(strstr(rs.first, "batch 0") != NULL);
	EXPECT_EQ(pcp->count, 2);
	kb_destroy(kb);
}

/* A healthy drain reports nothing and empties the lists. */
TEST(drain_without_corruption_reports_nothing)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct per_cpu_pages *pcp;

	ASSERT_TRUE(kb);
	pcp = pcp_with_a_page(kb);
	ASSERT_TRUE(pcp && pcp->count == 2);
	kb_drain_all_pages(kb);
	EXPECT_EQ(rs.n, 0);
	EXPECT_EQ(pcp->count, 0);
	kb_destroy(kb);
}

/*
 * A zonelist without its terminator: every slot names the DMA zone, which
 * fails its watermark, so the walk would go on past the array.
 */
TEST(get_page_from_freelist_zonelist_without_end)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct zonelist *zl;
	struct zone *dma;
	struct page *page;
	int err = 0;

	ASSERT_TRUE(kb);
	dma = &kb->node_data[0].node_zones[ZONE_DMA];
	ASSERT_TRUE(populated_zone(dma));
	for (int i = 0; i < NR_WMARK; i++)
		dma->_watermark[i] = 1UL << 40;
	zl = &kb->node_data[0].node_zonelists[ZONELIST_FALLBACK];
	for (int i = 0; i <= MAX_ZONES_PER_ZONELIST; i++)
		zl->_zonerefs[i] = (struct zoneref){ .zone = dma, .zone_idx = ZONE_DMA };
	page = kb_alloc_pages(kb, GFP_NOWAIT, 0, 0, &err);
	EXPECT_TRUE(page == NULL);
	EXPECT_TRUE(rs.n >= 1);
	EXPECT_STREQ(rs.names[0], "loop-get-page-from-freelist");
	EXPECT_TRUE(strstr(rs.first, "has no end") != NULL);
	kb_destroy(kb);
}

/*
 * A movable compound block at the start of a MAX_PAGE_ORDER block whose
 * head says order 0 while its tails still point at it: a scan over it
 * jumps back to the head at every tail.
 */
static unsigned long compound_with_order_lost(struct kb_instance *kb)
{
	struct page *page;
	unsigned long pfn;

	kb_set_cpu(kb, 0);
	page = kb_alloc_pages(kb, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2, 0, NULL);
	if (!page)
		return 0;
	pfn = kb_page_to_pfn(kb, page);
	SetPageLru(page);
	page->compound_order = 0;
	return pfn;
}

TEST(has_unmovable_pages_tail_behind_scan)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	unsigned long pfn, block;
	int ret;

	ASSERT_TRUE(kb);
	pfn = compound_with_order_lost(kb);
	ASSERT_TRUE(pfn);
	block = pageblock_start_pfn(kb, pfn);
	ret = kb_start_isolate_page_range(kb, block, block + kb->pageblock_nr_pages,
					  KB_ISOLATE_OTHER);
	EXPECT_EQ(ret, -EBUSY);
	EXPECT_TRUE(rs.n >= 1);
	EXPECT_STREQ(rs.names[0], "loop-has-unmovable-pages");
	EXPECT_TRUE(strstr(rs.first, "is back at") != NULL);
	kb_destroy(kb);
}

TEST(isolate_single_pageblock_tail_behind_scan)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	unsigned long pfn, next;
	int ret;

	ASSERT_TRUE(kb);
	pfn = compound_with_order_lost(kb);
	ASSERT_TRUE(pfn);
	/* the next pageblock inside the same MAX_PAGE_ORDER block, free */
	next = pageblock_end_pfn(kb, pfn);
	ASSERT_TRUE(kb->max_order > kb->pageblock_order);
	ASSERT_TRUE((pfn >> kb->max_order) == (next >> kb->max_order));
	ret = kb_start_isolate_page_range(kb, next, next + kb->pageblock_nr_pages,
					  KB_ISOLATE_OTHER);
	EXPECT_EQ(ret, -EBUSY);
	EXPECT_TRUE(rs.n >= 1);
	EXPECT_STREQ(rs.names[0], "loop-isolate-single-pageblock");
	EXPECT_TRUE(strstr(rs.first, "is back at") != NULL);
	EXPECT_TRUE(!get_pageblock_isolate(kb, next));
	kb_destroy(kb);
}

/*
 * DMA (pfns 0x1-0xfff, eight pageblocks) filled with order-3 movable
 * blocks on the owner's LRU, then all but one in 64 freed: one allocated
 * block in each pageblock, the rest free in blocks of order 3 to 8 and
 * none of order 9. Returns the zone, or NULL.
 */
static struct zone *dma_fragmented(struct kb_instance *kb)
{
	struct zone *dma = &kb->node_data[0].node_zones[ZONE_DMA];
	static struct page *blocks[4096 / 8];
	unsigned int n = 0;

	kb_set_cpu(kb, 0);
	while (n < sizeof(blocks) / sizeof(blocks[0])) {
		struct page *page = kb_alloc_pages(kb, GFP_USER | __GFP_MOVABLE | __GFP_DMA, 3, 0,
						   NULL);

		if (!page)
			break;
		blocks[n++] = page;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (i % 64 == 0)
			SetPageLru(blocks[i]);
		else
			kb_free_pages(kb, blocks[i], 3);
	}
	kb_drain_all_pages(kb);
	return n > 64 ? dma : NULL;
}

/*
 * An owner whose blocks never move (-EAGAIN), and which loses the skip
 * bit of the pageblock each time compaction tries: the state the skip
 * bits keep, lost while compaction runs.
 */
static int migrate_and_lose_skip_bit(struct kb_instance *kb, struct page *page,
				     const struct kb_migrate_target *target, void *ctx)
{
	(void)target;
	(void)ctx;
	clear_pageblock_skip(kb, pfn_to_page(kb, pageblock_start_pfn(kb, page_to_pfn(kb, page))));
	return -EAGAIN;
}

/*
 * compact_zone for an order-9 block over that zone: fast_find_migrateblock
 * takes a pageblock without a skip bit holding a free order-8 block, below
 * the migrate scanner as often as not; with the bits lost it takes the
 * same pageblocks again and again and the scanners never meet.
 */
TEST(compact_zone_skip_bits_lost)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct zone *dma;
	int ret;

	ASSERT_TRUE(kb);
	dma = dma_fragmented(kb);
	ASSERT_TRUE(dma);
	ASSERT_TRUE(dma->free_area[9].nr_free == 0 && dma->free_area[10].nr_free == 0);
	kb->owner.migrate_page = migrate_and_lose_skip_bit;
	ret = kb_compact_zone(kb, dma, 9);
	EXPECT_EQ(ret, KB_COMPACT_CONTENDED);
	EXPECT_TRUE(rs.n >= 1);
	EXPECT_STREQ(rs.names[0], "loop-compact-zone");
	EXPECT_TRUE(strstr(rs.first, "do not meet") != NULL);
	EXPECT_EQ(rs.n, 1);
	kb_destroy(kb);
}

/* The same compaction with an owner that keeps the bits: it ends without a report. */
static int migrate_refused(struct kb_instance *kb, struct page *page,
			   const struct kb_migrate_target *target, void *ctx)
{
	(void)kb;
	(void)page;
	(void)target;
	(void)ctx;
	return -EAGAIN;
}

TEST(compact_zone_skip_bits_kept_ends)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct zone *dma;
	int ret;

	ASSERT_TRUE(kb);
	dma = dma_fragmented(kb);
	ASSERT_TRUE(dma);
	kb->owner.migrate_page = migrate_refused;
	ret = kb_compact_zone(kb, dma, 9);
	EXPECT_TRUE(ret == KB_COMPACT_COMPLETE || ret == KB_COMPACT_PARTIAL_SKIPPED);
	EXPECT_EQ(rs.n, 0);
	kb_destroy(kb);
}

/*
 * A zonelist without its terminator, every slot the DMA zone, whose
 * watermarks no compaction passes: both of compaction's zonelist walks
 * would go on past the array.
 */
static struct alloc_context *zonelist_without_end(struct kb_instance *kb,
						  struct alloc_context *ac)
{
	struct zone *dma = &kb->node_data[0].node_zones[ZONE_DMA];
	struct zonelist *zl = &kb->node_data[0].node_zonelists[ZONELIST_FALLBACK];

	for (int i = 0; i < NR_WMARK; i++)
		dma->_watermark[i] = 1UL << 40;
	for (int i = 0; i <= MAX_ZONES_PER_ZONELIST; i++)
		zl->_zonerefs[i] = (struct zoneref){ .zone = dma, .zone_idx = ZONE_DMA };
	*ac = (struct alloc_context){
		.zonelist = zl,
		.preferred_zoneref = zl->_zonerefs,
		.migratetype = MIGRATE_MOVABLE,
		.highest_zoneidx = ZONE_NORMAL,
	};
	return ac;
}

TEST(compaction_zonelist_suitable_without_end)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct alloc_context ac;

	ASSERT_TRUE(kb);
	EXPECT_TRUE(!compaction_zonelist_suitable(kb, zonelist_without_end(kb, &ac), 9, 0));
	EXPECT_EQ(rs.n, 1);
	EXPECT_STREQ(rs.names[0], "loop-compaction-zonelist-suitable");
	EXPECT_TRUE(strstr(rs.first, "has no end") != NULL);
	kb_destroy(kb);
}

TEST(try_to_compact_pages_zonelist_without_end)
{
	struct reports rs;
	struct kb_instance *kb = boot_default(&rs);
	struct alloc_context ac;
	struct page *capture = NULL;
	enum compact_result ret;

	ASSERT_TRUE(kb);
	ret = try_to_compact_pages(kb, GFP_KERNEL, 9, ALLOC_WMARK_MIN,
				   zonelist_without_end(kb, &ac), COMPACT_PRIO_SYNC_LIGHT, &capture);
	EXPECT_EQ(ret, COMPACT_SKIPPED);
	EXPECT_TRUE(capture == NULL);
	EXPECT_EQ(rs.n, 1);
	EXPECT_STREQ(rs.names[0], "loop-try-to-compact-pages");
	EXPECT_TRUE(strstr(rs.first, "has no end") != NULL);
	kb_destroy(kb);
}

/*
 * The names tested here are registered as level-1 loop bounds. Loops that
 * no state can spin (only a lost step: a mutant) are tested by the mutants
 * of ci/check_mutation.sh, which also checks that every loop-* name has a
 * test here or there.
 */
TEST(loop_bounds_tested_here_are_registered)
{
	static const char *const tested[] = {
		"loop-free-pcppages-bulk", "loop-drain-pages-zone",
		"loop-get-page-from-freelist", "loop-has-unmovable-pages",
		"loop-isolate-single-pageblock", "loop-compact-zone",
		"loop-compaction-zonelist-suitable", "loop-try-to-compact-pages",
	};

	for (unsigned int j = 0; j < sizeof(tested) / sizeof(tested[0]); j++) {
		const struct kb_invariant *inv = kb_invariant_find(tested[j]);

		EXPECT_TRUE(inv != NULL);
		EXPECT_TRUE(inv && inv->level == KB_LEVEL_KERNEL);
	}
}

TEST_MAIN()
