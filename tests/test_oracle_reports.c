/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocation oracles' reports that need no allocator bug to build
 * (checkers/oracle.c): a served request whose flags name no zone, a block
 * outside every zone of the layout, a block of another zone than the one
 * the allocator recorded taking it from, and a failed request the
 * allocator refuses (GFP_ZONE_BAD), which is no spurious failure. The same
 * calls with the real allocation pass.
 */
#include <errno.h>
#include <string.h>

#include "kbtest.h"
#include "model.h"
#include "oracle.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_model model;

static struct kb_instance *boot_default(void)
{
	struct kb_layout l;
	char err[256];
	struct kb_instance *kb;

	kb_layout_default(&l);
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	if (kb)
		kb_model_boot(&model, &l);
	else
		KBTEST_FAIL("kb_create: %s", err);
	return kb;
}

#define GFP_TWO_ZONES	(GFP_KERNEL | __GFP_DMA | __GFP_DMA32)

TEST(served_request_naming_two_zones_is_alloc_zone)
{
	struct kb_instance *kb = boot_default();
	struct kb_violation v;
	struct page *page;
	int err = 0;

	ASSERT_TRUE(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, kb_page_to_pfn(kb, page), &v), 0);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_TWO_ZONES, 0, -1, kb_page_to_pfn(kb, page), &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-zone");
	EXPECT_TRUE(strstr(v.detail, "GFP_ZONE_BAD") != NULL);
	kb_destroy(kb);
}

TEST(block_outside_every_zone_is_alloc_zone)
{
	struct kb_instance *kb = boot_default();
	struct kb_violation v;

	ASSERT_TRUE(kb);
	/* pfn 0: the default layout's memory starts at pfn 1 */
	ASSERT_TRUE(kb->node_data[0].node_zones[ZONE_DMA].zone_start_pfn > 0);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-zone");
	EXPECT_TRUE(strstr(v.detail, "outside every zone of the layout") != NULL);
	kb_destroy(kb);
}

/* The allocator took the block from Normal; the oracle is told of a DMA32 pfn. */
TEST(block_of_another_zone_than_recorded_is_alloc_zone)
{
	struct kb_instance *kb = boot_default();
	struct zone *dma32;
	struct kb_violation v;
	struct page *page;
	int err = 0;

	ASSERT_TRUE(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	ASSERT_TRUE(kb->last_alloc.zone == &kb->node_data[0].node_zones[ZONE_NORMAL]);
	dma32 = &kb->node_data[0].node_zones[ZONE_DMA32];
	ASSERT_TRUE(dma32->spanned_pages);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, dma32->zone_start_pfn, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-zone");
	EXPECT_TRUE(strstr(v.detail, "recorded taking it from Normal") != NULL);
	kb_destroy(kb);
}

TEST(refused_request_is_no_spurious_failure)
{
	struct kb_instance *kb = boot_default();
	struct kb_violation v;
	int err = 0;

	ASSERT_TRUE(kb);
	EXPECT_TRUE(kb_alloc_pages(kb, GFP_TWO_ZONES, 0, -1, &err) == NULL);
	EXPECT_EQ(err, -EINVAL);
	EXPECT_EQ(kb_oracle_failure(kb, &model, GFP_TWO_ZONES, 0, -1, &v), 0);
	kb_destroy(kb);
}

TEST_MAIN()
