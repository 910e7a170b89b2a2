/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator's own bad_page() checks (check_new_pages at allocation,
 * free_pages_prepare at free): each test spoils one field of one page the
 * way a caller or another bug would and expects "bad-page" with the
 * kernel's reason for that field. The reasons are what a kernel tester
 * reads in dmesg: a check that fires with the wrong reason, or not at all,
 * is a finding lost.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

struct bp {
	struct kb_instance *kb;
	unsigned int nr_reports;
	char invariant[64];
	char message[200];
};

static void bp_report(void *ctx, const struct kb_report *r)
{
	struct bp *b = ctx;

	if (!b->nr_reports++) {
		snprintf(b->invariant, sizeof(b->invariant), "%s", r->invariant);
		snprintf(b->message, sizeof(b->message), "%s", r->message);
	}
}

static int bp_setup(struct bp *b, int check_level)
{
	struct kb_layout layout;
	char err[200];

	memset(b, 0, sizeof(*b));
	kb_layout_default(&layout);
	b->kb = kb_create(&layout, &(struct kb_options){ .check_level = check_level }, err,
			  sizeof(err));
	if (!b->kb) {
		KBTEST_FAIL("kb_create: %s", err);
		return -1;
	}
	kb_set_report(b->kb, bp_report, b);
	kb_set_cpu(b->kb, 0);
	return 0;
}

/* What to spoil on a page. */
enum spoil {
	SPOIL_MAPCOUNT, SPOIL_MAPCOUNT_BELOW, SPOIL_MAPPING, SPOIL_REFCOUNT, SPOIL_LRU,
	SPOIL_HWPOISON,
};

static void spoil(struct kb_instance *kb, struct page *page, enum spoil what)
{
	static int mapping_target;

	switch (what) {
	case SPOIL_MAPCOUNT:
		page->_mapcount = 0;
		break;
	case SPOIL_MAPCOUNT_BELOW:
		/*
		 * Below the unmapped value: any _mapcount but -1 is bad, not
		 * only a mapped page's (a page type stored there, a double
		 * unmap); the page's only fault, so no later reason hides it
		 */
		page->_mapcount = -2;
		break;
	case SPOIL_MAPPING:
		page->mapping = (void *)&mapping_target;
		break;
	case SPOIL_REFCOUNT:
		set_page_count(page, page_ref_count(page) + 1);
		break;
	case SPOIL_LRU:
		SetPageLru(page);
		break;
	case SPOIL_HWPOISON:
		SetPageHWPoison(page);
		break;
	}
	/* a write the allocator's page scans must see (core/page_scan.c) */
	kb_dirty_range(kb, kb_page_to_pfn(kb, page), 1);
}

/*
 * A page freed to CPU 0's pcp list is the next one handed out: spoiled
 * there, check_new_pages() must report it when it is taken, and the
 * allocation must still succeed with another page.
 */
static void expect_bad_at_alloc(enum spoil what, const char *reason)
{
	struct page *page, *again;
	struct bp b;
	int err = 0;

	if (bp_setup(&b, 1))
		return;
	page = kb_alloc_pages(b.kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	kb_free_pages(b.kb, page, 0);
	EXPECT_EQ(b.nr_reports, 0u);
	spoil(b.kb, page, what);
	again = kb_alloc_pages(b.kb, GFP_KERNEL, 0, -1, &err);
	EXPECT_TRUE(again != NULL);
	EXPECT_TRUE(again != page);
	EXPECT_EQ(b.nr_reports, 1u);
	EXPECT_STREQ(b.invariant, "bad-page");
	if (!strstr(b.message, reason))
		KBTEST_FAIL("report '%s' does not give the reason '%s'", b.message, reason);
	if (!strstr(b.message, "allocating"))
		KBTEST_FAIL("report '%s' is not the allocation's", b.message);
	kb_destroy(b.kb);
}

/* The first page or a middle page of an order-2 block spoiled before its free. */
static void expect_bad_at_free(enum spoil what, unsigned int index, const char *reason)
{
	struct page *page;
	struct bp b;
	int err = 0;

	if (bp_setup(&b, 1))
		return;
	page = kb_alloc_pages(b.kb, GFP_KERNEL, 2, -1, &err);
	ASSERT_TRUE(page);
	spoil(b.kb, page + index, what);
	kb_free_pages(b.kb, page, 2);
	EXPECT_TRUE(b.nr_reports >= 1);
	EXPECT_STREQ(b.invariant, "bad-page");
	if (!strstr(b.message, reason))
		KBTEST_FAIL("report '%s' does not give the reason '%s'", b.message, reason);
	if (!strstr(b.message, "freeing"))
		KBTEST_FAIL("report '%s' is not the free's", b.message);
	kb_destroy(b.kb);
}

TEST(alloc_reports_nonzero_mapcount)
{
	expect_bad_at_alloc(SPOIL_MAPCOUNT, "nonzero mapcount");
}

TEST(alloc_reports_mapcount_below_unmapped)
{
	expect_bad_at_alloc(SPOIL_MAPCOUNT_BELOW, "nonzero mapcount");
}

TEST(alloc_reports_mapping)
{
	expect_bad_at_alloc(SPOIL_MAPPING, "non-NULL mapping");
}

TEST(alloc_reports_refcount)
{
	expect_bad_at_alloc(SPOIL_REFCOUNT, "nonzero _refcount");
}

TEST(alloc_reports_flags)
{
	expect_bad_at_alloc(SPOIL_LRU, "PAGE_FLAGS_CHECK_AT_PREP flag(s) set");
}

TEST(alloc_reports_hwpoison)
{
	expect_bad_at_alloc(SPOIL_HWPOISON, "HWPoisoned (hardware-corrupted)");
}

TEST(free_reports_nonzero_mapcount)
{
	expect_bad_at_free(SPOIL_MAPCOUNT, 0, "nonzero mapcount");
	expect_bad_at_free(SPOIL_MAPCOUNT, 2, "nonzero mapcount");
}

TEST(free_reports_mapcount_below_unmapped)
{
	expect_bad_at_free(SPOIL_MAPCOUNT_BELOW, 0, "nonzero mapcount");
	expect_bad_at_free(SPOIL_MAPCOUNT_BELOW, 1, "nonzero mapcount");
}

TEST(free_reports_mapping)
{
	expect_bad_at_free(SPOIL_MAPPING, 0, "non-NULL mapping");
	expect_bad_at_free(SPOIL_MAPPING, 3, "non-NULL mapping");
}

TEST(free_reports_flags)
{
	expect_bad_at_free(SPOIL_LRU, 0, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	expect_bad_at_free(SPOIL_LRU, 1, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
}

/* Level 0 is the kernel without DEBUG_VM's checks: nothing is reported. */
TEST(level_0_reports_nothing)
{
	struct page *page;
	struct bp b;
	int err = 0;

	if (bp_setup(&b, 0))
		return;
	page = kb_alloc_pages(b.kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	kb_free_pages(b.kb, page, 0);
	spoil(b.kb, page, SPOIL_MAPPING);
	page = kb_alloc_pages(b.kb, GFP_KERNEL, 0, -1, &err);
	EXPECT_TRUE(page != NULL);
	EXPECT_EQ(b.nr_reports, 0u);
	kb_destroy(b.kb);
}

/* ---- a compound page's tails, hwpoison and the flags cleared at free ---- */

/* A compound block whose tail page lost PageTail, or points at another head. */
static void expect_bad_tail_at_free(bool lose_tail_flag, const char *reason)
{
	struct page *page;
	struct bp b;
	int err = 0;

	if (bp_setup(&b, 1))
		return;
	page = kb_alloc_pages(b.kb, GFP_KERNEL | __GFP_COMP, 2, -1, &err);
	ASSERT_TRUE(page);
	ASSERT_TRUE(PageTail(page + 2));
	if (lose_tail_flag)
		ClearPageTail(page + 2);
	else
		page[2].compound_head = kb_page_to_pfn(b.kb, page) + 1;
	kb_dirty_range(b.kb, kb_page_to_pfn(b.kb, page + 2), 1);
	kb_free_pages(b.kb, page, 2);
	EXPECT_EQ(b.nr_reports, 1u);
	EXPECT_STREQ(b.invariant, "bad-page");
	if (!strstr(b.message, reason))
		KBTEST_FAIL("report '%s' does not give the reason '%s'", b.message, reason);
	/* a bad block is not freed: its pages stay out of the lists */
	EXPECT_TRUE(!PageBuddy(page));
	kb_drain_all_pages(b.kb);
	EXPECT_TRUE(!PageBuddy(page));
	kb_destroy(b.kb);
}

TEST(free_reports_a_tail_without_pagetail)
{
	expect_bad_tail_at_free(true, "PageTail not set");
}

TEST(free_reports_a_tail_of_another_head)
{
	expect_bad_tail_at_free(false, "compound_head not consistent");
}

/* A hwpoisoned page is kept off the pcp lists and the buddy, without a report. */
TEST(free_of_a_hwpoisoned_page_keeps_it_out)
{
	struct page *page;
	struct zone *zone;
	long free_before;
	struct bp b;
	int err = 0;

	if (bp_setup(&b, 1))
		return;
	page = kb_alloc_pages(b.kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	kb_drain_all_pages(b.kb);
	zone = kb_page_zone(b.kb, page);
	free_before = zone->vm_stat[NR_FREE_PAGES];
	SetPageHWPoison(page);
	kb_dirty_range(b.kb, kb_page_to_pfn(b.kb, page), 1);
	kb_free_pages(b.kb, page, 0);
	kb_drain_all_pages(b.kb);
	EXPECT_EQ(b.nr_reports, 0u);
	EXPECT_TRUE(!PageBuddy(page));
	EXPECT_EQ(zone->vm_stat[NR_FREE_PAGES], free_before);
	kb_destroy(b.kb);
}

/*
 * A flag that only allocation forbids (PG_guard: PAGE_FLAGS_CHECK_AT_PREP,
 * not _AT_FREE) on a page of a plain block is no bad page at free: the
 * free clears it, and the page comes back clean.
 */
TEST(free_clears_a_prep_only_flag_of_a_plain_block)
{
	struct page *page;
	struct bp b;
	int err = 0;

	if (bp_setup(&b, 1))
		return;
	page = kb_alloc_pages(b.kb, GFP_KERNEL, 2, -1, &err);
	ASSERT_TRUE(page);
	SetPageGuard(page + 1);
	kb_dirty_range(b.kb, kb_page_to_pfn(b.kb, page + 1), 1);
	kb_free_pages(b.kb, page, 2);
	EXPECT_EQ(b.nr_reports, 0u);
	EXPECT_TRUE(!PageGuard(page + 1));
	kb_drain_all_pages(b.kb);
	page = kb_alloc_pages(b.kb, GFP_KERNEL, 2, -1, &err);
	EXPECT_TRUE(page != NULL);
	EXPECT_EQ(b.nr_reports, 0u);
	kb_destroy(b.kb);
}

/* Requests the kernel treats as bugs fail with -EINVAL, reporting nothing. */
TEST(alloc_refuses_a_node_or_zone_that_cannot_be)
{
	struct bp b;
	int err = 0;

	if (bp_setup(&b, 1))
		return;
	EXPECT_TRUE(kb_alloc_pages(b.kb, GFP_KERNEL, 0, b.kb->nr_node_ids, &err) == NULL);
	EXPECT_EQ(err, -EINVAL);
	err = 0;
	EXPECT_TRUE(kb_alloc_pages(b.kb, GFP_KERNEL | __GFP_DMA | __GFP_DMA32, 0, -1, &err) == NULL);
	EXPECT_EQ(err, -EINVAL);
	err = 0;
	EXPECT_TRUE(kb_alloc_pages(b.kb, GFP_KERNEL, b.kb->max_order + 1, -1, &err) == NULL);
	EXPECT_EQ(err, -EINVAL);
	EXPECT_EQ(b.nr_reports, 0u);
	kb_destroy(b.kb);
}

TEST_MAIN()
