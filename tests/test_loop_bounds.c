// SPDX-License-Identifier: GPL-2.0
/*
 * The loop bounds of core/ (core/loop_bound.h): each test breaks the state
 * a loop's end depends on, the way the kernel would then spin, and expects
 * the loop to stop with its function's invariant as the first report.
 */
#include "check.h"
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
		"loop-isolate-single-pageblock",
	};

	for (unsigned int j = 0; j < sizeof(tested) / sizeof(tested[0]); j++) {
		const struct kb_invariant *inv = kb_invariant_find(tested[j]);

		EXPECT_TRUE(inv != NULL);
		EXPECT_TRUE(inv && inv->level == KB_LEVEL_KERNEL);
	}
}

TEST_MAIN()
