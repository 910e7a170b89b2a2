/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The caller's shadow (checkers/shadow.c) at its edges: contiguous ranges
 * recorded outside mem_map or freed as a buddy block, moves of a dead or
 * onto a live allocation, a shadow of another instance, and calls on
 * handles that hold nothing. Each misuse is named; each harmless call
 * leaves the record as it was.
 */
#include <string.h>

#include "check.h"
#include "internal.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

static struct kb_instance *boot(const char *name)
{
	struct kb_layout l;
	char err[200];
	struct kb_instance *kb;

	if (kb_layout_builtin(name, &l))
		return NULL;
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	if (!kb)
		KBTEST_FAIL("kb_create %s: %s", name, err);
	return kb;
}

TEST(contig_range_outside_mem_map_is_alloc_range)
{
	struct kb_instance *kb = boot("default");
	struct kb_shadow *sh;
	struct kb_violation v;

	ASSERT_TRUE(kb);
	sh = kb_shadow_create(kb);
	ASSERT_TRUE(sh);
	EXPECT_EQ(kb_shadow_alloc_contig(sh, kb, kb->max_pfn - 2, 4, GFP_KERNEL, 1, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-range");
	EXPECT_TRUE(strstr(v.detail, "not inside mem_map") != NULL);
	EXPECT_EQ(kb_shadow_alloc_contig(sh, kb, 0x1000, 0, GFP_KERNEL, 2, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-range");
	EXPECT_EQ(kb_shadow_total_pages(sh), 0);
	kb_shadow_destroy(sh);
	kb_destroy(kb);
}

TEST(contig_range_freed_as_a_block_is_api_wrong_order)
{
	struct kb_instance *kb = boot("default");
	struct kb_shadow *sh;
	struct kb_violation v;

	ASSERT_TRUE(kb);
	sh = kb_shadow_create(kb);
	ASSERT_TRUE(sh);
	/* 12 pages, not a power of two: a range of order-0 pages */
	ASSERT_EQ(kb_shadow_alloc_contig(sh, kb, 0x2000, 12, GFP_KERNEL, 7, &v), 0);
	EXPECT_EQ(kb_shadow_total_pages(sh), 12);
	EXPECT_EQ(kb_shadow_owner(sh, 0x2000 + 11), 7);
	EXPECT_EQ(kb_shadow_free(sh, kb, 0x2000, 3, &v), 1);
	EXPECT_STREQ(v.invariant, "api-wrong-order");
	EXPECT_TRUE(strstr(v.detail, "a contiguous range of 12 order-0 pages") != NULL);
	EXPECT_EQ(kb_shadow_total_pages(sh), 12);
	kb_shadow_destroy(sh);
	kb_destroy(kb);
}

TEST(shadow_of_another_instance_is_checker_setup)
{
	struct kb_instance *small = boot("small"), *kb = boot("default");
	struct kb_shadow *sh;
	struct kb_violation v;

	ASSERT_TRUE(small && kb);
	ASSERT_TRUE(small->max_pfn != kb->max_pfn);
	sh = kb_shadow_create(small);
	ASSERT_TRUE(sh);
	EXPECT_EQ(kb_shadow_alloc(sh, kb, 0x2000, 0, GFP_KERNEL, 1, &v), 1);
	EXPECT_STREQ(v.invariant, "checker-setup");
	EXPECT_EQ(kb_shadow_free(sh, kb, 0x2000, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "checker-setup");
	EXPECT_TRUE(strstr(v.detail, "shadow built for") != NULL);
	kb_shadow_destroy(sh);
	kb_destroy(small);
	kb_destroy(kb);
}

TEST(move_of_a_dead_handle_does_nothing_and_onto_a_live_one_is_named)
{
	struct kb_instance *kb = boot("default");
	struct kb_shadow *sh;
	struct kb_violation v;
	unsigned long pfn;
	unsigned int order;

	ASSERT_TRUE(kb);
	sh = kb_shadow_create(kb);
	ASSERT_TRUE(sh);
	ASSERT_EQ(kb_shadow_alloc(sh, kb, 0x3000, 2, GFP_KERNEL, 1, &v), 0);
	ASSERT_EQ(kb_shadow_alloc(sh, kb, 0x3100, 2, GFP_KERNEL, 2, &v), 0);
	/* handle 3 holds nothing: no move, no report; the others unchanged */
	EXPECT_EQ(kb_shadow_move(sh, kb, 3, 0x3200, &v), 0);
	EXPECT_EQ(kb_shadow_owner(sh, 0x3200), 0);
	kb_shadow_keep_first_page(sh, 3);
	kb_shadow_keep_first_page(sh, 0);
	EXPECT_EQ(kb_shadow_total_pages(sh), 8);
	/* a1 moved onto a2's pages */
	EXPECT_EQ(kb_shadow_move(sh, kb, 1, 0x3100, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-overlap");
	/* a2 still where it was */
	ASSERT_EQ(kb_shadow_lookup(sh, 2, &pfn, &order), 1);
	EXPECT_EQ(pfn, 0x3100);
	EXPECT_EQ(order, 2);
	kb_shadow_destroy(sh);
	kb_destroy(kb);
}

TEST_MAIN()
