// SPDX-License-Identifier: GPL-2.0
/*
 * The allocator's decisions judged by the reference model, with the
 * allocator's own derived state broken and the model left as booted: an
 * allocator that computes a wrong zonelist or wrong watermarks and then
 * acts on them is caught by the decision oracles (checkers/oracle.c),
 * which use the model's zonelists and watermarks, not the allocator's.
 * tests/test_model.c breaks the model's side of the same comparisons.
 */
#include <string.h>

#include "kbtest.h"
#include "model.h"
#include "oracle.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_model model;

/* Check level 2: the allocator records each zone's state before it takes a block. */
static struct kb_instance *boot(const char *name)
{
	struct kb_options opt = { .check_level = 2 };
	struct kb_layout l;
	char err[256];
	struct kb_instance *kb;

	if (kb_layout_builtin(name, &l))
		return NULL;
	kb = kb_create(&l, &opt, err, sizeof(err));
	if (kb)
		kb_model_boot(&model, &l);
	return kb;
}

/*
 * Watermarks of 0 in every zone: the allocator lets GFP_KERNEL take the
 * Normal zone below the model's low watermark, the allocation that does is
 * named alloc-watermark, and none before it is.
 */
TEST(alloc_watermark_catches_an_allocator_with_zeroed_watermarks)
{
	struct kb_instance *kb = boot("default");
	const struct kb_model_zone *mz;
	struct kb_violation v;
	unsigned long n, bound;
	bool caught = false;

	ASSERT_TRUE(kb);
	mz = &model.node[0].zone[ZONE_NORMAL];
	ASSERT_TRUE(mz->wmark[WMARK_LOW] > 0);
	for (int zid = 0; zid < MAX_NR_ZONES; zid++)
		for (int w = 0; w < NR_WMARK; w++)
			kb_zone(kb, 0, (enum zone_type)zid)->_watermark[w] = 0;
	bound = kb_zone(kb, 0, ZONE_NORMAL)->managed_pages;
	for (n = 0; n < bound && !caught; n++) {
		struct page *page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);

		ASSERT_TRUE(page);
		if (kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, kb_page_to_pfn(kb, page), &v))
			caught = true;
	}
	ASSERT_TRUE(caught);
	EXPECT_STREQ(v.invariant, "alloc-watermark");
	EXPECT_EQ(v.node, 0);
	EXPECT_EQ(v.zone, ZONE_NORMAL);
	/* the allocation it names took Normal at or below the model's low mark */
	EXPECT_TRUE(kb->last_alloc.before.free_pages <= (long)mz->wmark[WMARK_LOW]);
	kb_destroy(kb);
}

/* With the allocator's watermarks intact the same allocations stay legal until it fails. */
TEST(alloc_watermark_passes_the_same_allocations_with_intact_watermarks)
{
	struct kb_instance *kb = boot("default");
	struct kb_violation v;
	unsigned long n, bound;

	ASSERT_TRUE(kb);
	bound = kb_zone(kb, 0, ZONE_NORMAL)->managed_pages;
	for (n = 0; n < bound; n++) {
		struct page *page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);

		if (!page)
			break;
		if (kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, kb_page_to_pfn(kb, page), &v))
			KBTEST_FAIL("allocation %lu: %s: %s", n, v.invariant, v.detail);
	}
	EXPECT_EQ(n, bound);
	kb_destroy(kb);
}

/*
 * Node 1's fallback zonelist made to file its Normal zone as DMA32: a
 * GFP_DMA32 request for node 1 is served from Normal, which the model's
 * zonelist reaches for no request below Normal.
 */
TEST(alloc_zone_catches_an_allocator_zonelist_with_a_wrong_zone_index)
{
	struct kb_instance *kb = boot("numa");
	const gfp_t gfp = GFP_KERNEL | __GFP_DMA32;
	struct zoneref *zr;
	struct kb_violation v;
	struct page *page;

	ASSERT_TRUE(kb);
	page = kb_alloc_pages(kb, gfp, 0, 1, NULL);
	ASSERT_TRUE(page);
	if (kb_oracle_alloc(kb, &model, gfp, 0, 1, kb_page_to_pfn(kb, page), &v))
		KBTEST_FAIL("%s: %s", v.invariant, v.detail);
	EXPECT_TRUE(kb_page_to_pfn(kb, page) < 12288);	/* node 0's DMA32 */
	kb_free_pages(kb, page, 0);

	zr = kb->node_data[1].node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	ASSERT_TRUE(zr[0].zone == kb_zone(kb, 1, ZONE_NORMAL));
	zr[0].zone_idx = ZONE_DMA32;
	page = kb_alloc_pages(kb, gfp, 0, 1, NULL);
	ASSERT_TRUE(page);
	EXPECT_TRUE(kb_page_to_pfn(kb, page) >= 12288);	/* node 1's Normal */
	EXPECT_EQ(kb_oracle_alloc(kb, &model, gfp, 0, 1, kb_page_to_pfn(kb, page), &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-zone");
	EXPECT_EQ(v.node, 1);
	EXPECT_EQ(v.zone, ZONE_NORMAL);
	zr[0].zone_idx = ZONE_NORMAL;
	kb_free_pages(kb, page, 0);
	kb_destroy(kb);
}

TEST_MAIN()
