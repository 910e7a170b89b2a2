/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The full sweep's reports that tests/test_checker_corrupt.c does not
 * build: a free list with a cycle, a list head with NULL links (named in
 * an initialized zone, ignored in one never initialized), a block on a
 * list above MAX_PAGE_ORDER, counters below zero (nr_free_highatomic,
 * pcp_disabled), an empty zone with managed pages and a hole page without
 * PG_reserved. Each breaks one thing of the fixture's healthy instance and
 * expects the name, with what the report says.
 */
#include "check_internal.h"
#include "test_checker_fixture.h"

/* The sweep's first violation is `name` and its detail says `what`. */
#define EXPECT_SWEEP(f, name, what)						\
	do {									\
		struct kb_violation _v;						\
		if (!kb_check_full((f)->kb, (f)->sh, &_v))			\
			KBTEST_FAIL("expected \"%s\", the sweep found nothing", name); \
		else {								\
			EXPECT_STREQ(_v.invariant, name);			\
			if (!strstr(_v.detail, what))				\
				KBTEST_FAIL("'%s' does not say '%s'", _v.detail, what); \
		}								\
	} while (0)

TEST(free_list_with_a_cycle_is_list_integrity)
{
	struct list_head *head, *second, *saved;
	struct fx f;

	if (fx_setup(&f))
		return;
	head = fx_long_free_list(&f);
	ASSERT_TRUE(head);
	second = head->next->next;
	saved = second->next;
	second->next = head->next;	/* back to the first entry, past the head */
	EXPECT_SWEEP(&f, "list-integrity", "has a cycle");
	second->next = saved;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(null_list_head_of_an_initialized_zone_is_list_integrity)
{
	struct zone *zone;
	struct list_head saved, *head;
	struct fx f;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_NORMAL];
	head = &zone->free_area[1].free_list[MIGRATE_RECLAIMABLE];
	ASSERT_TRUE(list_empty(head));
	saved = *head;
	head->next = head->prev = NULL;
	EXPECT_SWEEP(&f, "list-integrity", "of an initialized zone has NULL links");
	*head = saved;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

/* A zone boot never initialized (no memory) may keep zeroed list heads. */
TEST(null_list_head_of_a_zone_never_initialized_is_healthy)
{
	struct zone *zone;
	struct fx f;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_MOVABLE];
	ASSERT_EQ(zone->spanned_pages, 0);
	zone->initialized = false;
	zone->free_area[2].free_list[MIGRATE_MOVABLE].next = NULL;
	zone->free_area[2].free_list[MIGRATE_MOVABLE].prev = NULL;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(block_on_a_list_above_max_order_is_list_integrity)
{
	struct fblock b;
	struct fx f;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(f.kb->max_order + 1 < KB_NR_ORDERS_MAX);
	ASSERT_TRUE(fx_free_block(&f, 0, f.kb->max_order, false, &b));
	list_move(&b.page->lru, &b.zone->free_area[f.kb->max_order + 1].free_list[b.mt]);
	EXPECT_SWEEP(&f, "list-integrity", "above MAX_PAGE_ORDER");
	fx_teardown(&f);
}

TEST(negative_nr_free_highatomic_is_counter_negative)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_NORMAL].nr_free_highatomic = (unsigned long)-2L;
	EXPECT_SWEEP(&f, "counter-negative", "nr_free_highatomic is -2");
	fx_teardown(&f);
}

TEST(negative_pcp_disabled_is_counter_negative)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_DMA32].pcp_disabled = -1;
	EXPECT_SWEEP(&f, "counter-negative", "pcp_disabled is -1");
	fx_teardown(&f);
}

TEST(empty_zone_with_managed_pages_is_managed_pages)
{
	struct zone *zone;
	struct fx f;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_MOVABLE];
	ASSERT_EQ(zone->spanned_pages, 0);
	zone->managed_pages = 1;
	EXPECT_SWEEP(&f, "managed-pages", "an empty zone has present 0 managed 1");
	zone->managed_pages = 0;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

/*
 * The pages of a zone with a hole lost PG_reserved (every one of them:
 * reserved memory beside the hole would make up for a few): fewer
 * reserved pages than the span has hole pages.
 */
TEST(hole_pages_without_pg_reserved_are_managed_pages)
{
	struct kb_layout layout;
	struct zone *zone = NULL;
	unsigned long pfn, cleared = 0;
	struct fx f;

	ASSERT_EQ(kb_layout_builtin("holes", &layout), 0);
	if (fx_create(&f, &layout))
		return;
	EXPECT_HEALTHY(&f);
	for (pfn = 1; pfn < f.kb->max_pfn && !zone; pfn++) {
		struct zone *z = kb_page_zone(f.kb, kb_pfn_to_page(f.kb, pfn));

		if (z && zone_spans_pfn(z, pfn) && kb_layout_holes_in(&f.kb->layout, pfn, pfn + 1))
			zone = z;
	}
	ASSERT_TRUE(zone);
	for (pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
		struct page *page = kb_pfn_to_page(f.kb, pfn);

		if (PageReserved(page)) {
			ClearPageReserved(page);
			kb_dirty_range(f.kb, pfn, 1);
			cleared++;
		}
	}
	ASSERT_TRUE(cleared > 0);
	EXPECT_SWEEP(&f, "managed-pages", "only 0 PG_reserved pages in a span with");
	fx_teardown(&f);
}

TEST_MAIN()
