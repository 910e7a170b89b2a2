/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator's own DEBUG_VM checks (KB_VM_WARN in core/, the level-1
 * invariants of the registry other than bad-page, whose reasons
 * tests/test_bad_page.c covers): each test breaks the precondition of one
 * check the way a caller or another bug would, on a booted instance at
 * check level 1, and expects the check's name as the first report, with
 * the kernel's message. A check that stays silent, or fires under another
 * name, is a finding lost. Where the broken precondition cannot come from
 * the public API (a wrong zone, a stale pageblock type), the test calls the
 * core entry point that would get it, as the kernel's callers do.
 */
#include <string.h>

#include "internal.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

struct kc {
	struct kb_instance *kb;
	unsigned int nr_reports;
	char invariant[64];
	char message[200];
};

static void kc_report(void *ctx, const struct kb_report *r)
{
	struct kc *c = ctx;

	if (!c->nr_reports++) {
		snprintf(c->invariant, sizeof(c->invariant), "%s", r->invariant);
		snprintf(c->message, sizeof(c->message), "%s", r->message);
	}
}

static int kc_setup(struct kc *c)
{
	struct kb_layout layout;
	char err[200];

	memset(c, 0, sizeof(*c));
	kb_layout_default(&layout);
	c->kb = kb_create(&layout, &(struct kb_options){ .check_level = 1 }, err, sizeof(err));
	if (!c->kb) {
		KBTEST_FAIL("kb_create: %s", err);
		return -1;
	}
	kb_set_report(c->kb, kc_report, c);
	kb_set_cpu(c->kb, 0);
	return 0;
}

/* The first report is `name` and its message says `what`. */
#define EXPECT_FIRST_REPORT(c, name, what)					\
	do {									\
		EXPECT_TRUE((c)->nr_reports >= 1);				\
		EXPECT_STREQ((c)->invariant, name);				\
		if (!strstr((c)->message, what))				\
			KBTEST_FAIL("report '%s' does not say '%s'", (c)->message, what); \
	} while (0)

static struct page *kc_alloc(struct kc *c, gfp_t gfp, unsigned int order)
{
	int err = 0;
	struct page *page = kb_alloc_pages(c->kb, gfp, order, -1, &err);

	if (!page)
		KBTEST_FAIL("allocation of order %u failed (%d)", order, err);
	return page;
}

static struct zone *node0_zone(struct kc *c, enum zone_type zid)
{
	return &c->kb->node_data[0].node_zones[zid];
}

/*
 * The first free block of exactly this order on a list of a pcp type, in
 * the highest zone that has one.
 */
static struct page *first_free_block(struct kc *c, unsigned int order, struct zone **zonep,
				     int *mtp)
{
	for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--) {
		struct zone *zone = node0_zone(c, (enum zone_type)zid);

		if (!zone->spanned_pages)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			struct list_head *list = &zone->free_area[order].free_list[mt];

			if (list_empty(list))
				continue;
			*zonep = zone;
			*mtp = mt;
			return list_first_entry(list, struct page, lru);
		}
	}
	return NULL;
}

/*
 * A free block inside a pageblock that lies wholly in its zone: an
 * allocation past the pcp orders splits a block of the highest zone, and
 * the halves expand() put back are such blocks.
 */
static struct page *split_pageblock(struct kc *c, struct zone **zonep, int *mtp)
{
	const unsigned int order = PAGE_ALLOC_COSTLY_ORDER + 1;
	struct page *page = kc_alloc(c, GFP_KERNEL, order);
	struct page *free;

	if (!page)
		return NULL;
	free = first_free_block(c, order, zonep, mtp);
	if (free && pageblock_start_pfn(c->kb, kb_page_to_pfn(c->kb, free)) < (*zonep)->zone_start_pfn)
		return NULL;
	return free;
}

/* ---- the free path ---- */

/* A caller holding a reference to a tail page frees it: VM_BUG_ON_PAGE(PageTail). */
TEST(free_of_a_tail_page_is_vm_bug_free_tail)
{
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL | __GFP_COMP, 2);
	ASSERT_TRUE(page);
	ASSERT_TRUE(PageTail(page + 1));
	EXPECT_EQ(c.nr_reports, 0u);
	set_page_count(page + 1, 1);
	kb_free_pages(c.kb, page + 1, 0);
	EXPECT_FIRST_REPORT(&c, "vm-bug-free-tail", "freeing a tail page");
	kb_destroy(c.kb);
}

/* A compound page freed with another order than it was allocated with. */
TEST(compound_freed_with_a_smaller_order_is_vm_bug_free_order)
{
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL | __GFP_COMP, 2);
	ASSERT_TRUE(page);
	kb_free_pages(c.kb, page, 1);
	EXPECT_FIRST_REPORT(&c, "vm-bug-free-order", "compound order 2 freed as order 1");
	kb_destroy(c.kb);
}

/* The same order, freed correctly, is no finding (the test above is not a false positive). */
TEST(compound_freed_with_its_order_is_clean)
{
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL | __GFP_COMP, 2);
	ASSERT_TRUE(page);
	kb_free_pages(c.kb, page, 2);
	page = kc_alloc(&c, GFP_KERNEL | __GFP_COMP, 5);
	ASSERT_TRUE(page);
	kb_free_pages(c.kb, page, 5);
	kb_drain_all_pages(c.kb);
	EXPECT_EQ(c.nr_reports, 0u);
	kb_destroy(c.kb);
}

/*
 * Part of a plain block freed at an offset its order does not divide: past
 * the pcp orders it goes straight to split_large_buddy.
 */
TEST(unaligned_free_to_the_buddy_is_vm_bug_unaligned)
{
	const unsigned int order = PAGE_ALLOC_COSTLY_ORDER + 1;
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	ASSERT_TRUE(!pcp_allowed_order(c.kb, order));
	page = kc_alloc(&c, GFP_KERNEL, order + 1);
	ASSERT_TRUE(page);
	/* the caller holds the middle pages (as after split_page) */
	set_page_count(page + (1u << (order - 1)), 1);
	kb_free_pages(c.kb, page + (1u << (order - 1)), order);
	EXPECT_FIRST_REPORT(&c, "vm-bug-unaligned", "split_large_buddy: pfn not aligned");
	kb_destroy(c.kb);
}

/* The same through a pcp list: __free_one_page sees it when the list drains. */
TEST(unaligned_free_through_the_pcp_list_is_vm_bug_unaligned)
{
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL, 2);
	ASSERT_TRUE(page);
	set_page_count(page + 1, 1);
	kb_free_pages(c.kb, page + 1, 1);
	EXPECT_EQ(c.nr_reports, 0u);	/* on the pcp list: not merged yet */
	kb_drain_all_pages(c.kb);
	EXPECT_FIRST_REPORT(&c, "vm-bug-unaligned", "not aligned to order 1");
	kb_destroy(c.kb);
}

/* A page whose zone link was overwritten is freed into the wrong zone. */
TEST(free_into_another_zone_is_vm_bug_zone_span)
{
	const unsigned int order = PAGE_ALLOC_COSTLY_ORDER + 1;
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL, order);
	ASSERT_TRUE(page);
	ASSERT_EQ(page->zone, ZONE_NORMAL);
	ASSERT_TRUE(node0_zone(&c, ZONE_DMA32)->spanned_pages);
	page->zone = ZONE_DMA32;
	kb_free_pages(c.kb, page, order);
	EXPECT_FIRST_REPORT(&c, "vm-bug-zone-span", "page outside zone DMA32");
	kb_destroy(c.kb);
}

/* A zone that boot never initialized (as before memory is hot-added) gets a free. */
TEST(free_into_an_uninitialized_zone_is_vm_bug_zone_span)
{
	const unsigned int order = PAGE_ALLOC_COSTLY_ORDER + 1;
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL, order);
	ASSERT_TRUE(page);
	kb_page_zone(c.kb, page)->initialized = false;
	kb_free_pages(c.kb, page, order);
	EXPECT_FIRST_REPORT(&c, "vm-bug-zone-span", "freeing into an uninitialized zone");
	kb_destroy(c.kb);
}

/*
 * Merging finds its buddy free but referenced (a free that did not take
 * the page's last reference, or a get_page on a free page).
 */
TEST(referenced_free_buddy_is_vm_bug_buddy_refcount)
{
	const unsigned int order = PAGE_ALLOC_COSTLY_ORDER + 1;
	struct page *page, *buddy;
	unsigned long pfn;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL, order);
	ASSERT_TRUE(page);
	pfn = kb_page_to_pfn(c.kb, page);
	/* the upper half that expand() put back when it split a larger block */
	buddy = kb_pfn_to_page(c.kb, pfn ^ (1UL << order));
	ASSERT_TRUE(PageBuddy(buddy));
	ASSERT_EQ(buddy_order(buddy), order);
	set_page_count(buddy, 1);
	kb_free_pages(c.kb, page, order);
	EXPECT_FIRST_REPORT(&c, "vm-bug-buddy-refcount", "free buddy has refcount 1");
	kb_destroy(c.kb);
}

/* ---- free lists and pageblock types ---- */

/*
 * A free block's pageblock retyped without moving the block (a stale type,
 * as CMA and highatomic blocks had on the MOVABLE list): taking it off its
 * list warns.
 */
TEST(stale_pageblock_type_is_freelist_type_warning)
{
	const unsigned int order = PAGE_ALLOC_COSTLY_ORDER + 1;
	struct zone *zone;
	struct page *page, *got;
	uint8_t *fl;
	int mt;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = first_free_block(&c, order, &zone, &mt);
	ASSERT_TRUE(page);
	fl = pfnblock_flags(c.kb, kb_page_to_pfn(c.kb, page));
	*fl = (uint8_t)((*fl & ~PB_MIGRATETYPE_MASK) |
			(mt == MIGRATE_MOVABLE ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE));
	got = __rmqueue_smallest(c.kb, zone, order, mt);
	EXPECT_TRUE(got == page);
	if (KB_FREELIST_HYGIENE)
		EXPECT_FIRST_REPORT(&c, "freelist-type-warning", "del_page_from_free_list: page type is");
	else	/* before 6.10 the kernel has no such warning */
		EXPECT_EQ(c.nr_reports, 0);
	kb_destroy(c.kb);
}

/*
 * A reserved highatomic block that nr_reserved_highatomic does not count
 * (the 2016 double decrease): giving it back would take more than is
 * reserved.
 */
TEST(uncounted_highatomic_block_is_highatomic_unreserve_warning)
{
	struct alloc_context ac = { 0 };
	struct zone *zone;
	struct page *page;
	int mt;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = split_pageblock(&c, &zone, &mt);
	ASSERT_TRUE(page);
	ASSERT_TRUE(move_freepages_block(c.kb, zone, page, mt, MIGRATE_HIGHATOMIC) > 0);
	ASSERT_EQ(zone->nr_reserved_highatomic, 0);
	EXPECT_EQ(c.nr_reports, 0u);
	ac.zonelist = &c.kb->node_data[zone_to_nid(zone)].node_zonelists[ZONELIST_FALLBACK];
	ac.highest_zoneidx = (enum zone_type)(MAX_NR_ZONES - 1);
	ac.migratetype = mt;
	EXPECT_TRUE(unreserve_highatomic_pageblock(c.kb, &ac, true));
	EXPECT_FIRST_REPORT(&c, "highatomic-unreserve-warning", "with only 0 reserved");
	EXPECT_EQ(zone->nr_reserved_highatomic, 0);	/* clamped, not wrapped */
	kb_destroy(c.kb);
}

/* expand() told the wrong zone: the half it puts back lies outside it. */
TEST(expand_into_another_zone_is_vm_bug_expand_zone)
{
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL, 1);
	ASSERT_TRUE(page);
	ASSERT_EQ(page->zone, ZONE_NORMAL);
	ASSERT_TRUE(node0_zone(&c, ZONE_DMA32)->spanned_pages);
	EXPECT_EQ(expand(c.kb, node0_zone(&c, ZONE_DMA32), page, 0, 1, MIGRATE_UNMOVABLE), 1u);
	EXPECT_FIRST_REPORT(&c, "vm-bug-expand-zone", "split-off half outside zone DMA32");
	kb_destroy(c.kb);
}

/* __move_freepages_block from a pfn inside a pageblock. */
TEST(unaligned_move_freepages_is_vm_bug_move_freepages)
{
	struct zone *zone;
	struct page *page;
	unsigned long start;
	int mt;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = split_pageblock(&c, &zone, &mt);
	ASSERT_TRUE(page);
	start = pageblock_start_pfn(c.kb, kb_page_to_pfn(c.kb, page)) + 1;
	/* from a type to itself: the lists stay as they were */
	__move_freepages_block(c.kb, zone, start, mt, mt);
	EXPECT_FIRST_REPORT(&c, "vm-bug-move-freepages", "start not pageblock aligned");
	kb_destroy(c.kb);
}

/* The isolate state is a bit of its own: a caller storing it as a type is refused. */
TEST(isolate_as_a_pageblock_type_is_vm_bug_move_freepages)
{
	struct page *page;
	unsigned long pfn;
	int before;
	struct kc c;

	if (kc_setup(&c))
		return;
	page = kc_alloc(&c, GFP_KERNEL, 0);
	ASSERT_TRUE(page);
	pfn = kb_page_to_pfn(c.kb, page);
	before = get_pfnblock_migratetype(c.kb, pfn);
	set_pageblock_migratetype(c.kb, page, MIGRATE_ISOLATE);
	EXPECT_FIRST_REPORT(&c, "vm-bug-move-freepages",
			    "set_pageblock_migratetype() called with MIGRATE_ISOLATE");
	EXPECT_EQ(get_pfnblock_migratetype(c.kb, pfn), before);
	EXPECT_TRUE(!get_pageblock_isolate(c.kb, pfn));
	kb_destroy(c.kb);
}

/* ---- counters ---- */

/*
 * NR_FREE_PAGES lost its count (pages that came back without being
 * counted): the next pages taken off the lists drive it below zero. A
 * __GFP_MEMALLOC request ignores the watermarks the zeroed counter fails.
 */
TEST(free_counter_below_zero_is_vmstat_negative)
{
	struct page *page;
	struct kc c;

	if (kc_setup(&c))
		return;
	for (int nid = 0; nid < c.kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			c.kb->node_data[nid].node_zones[zid].vm_stat[NR_FREE_PAGES] = 0;
	page = kc_alloc(&c, GFP_KERNEL | __GFP_MEMALLOC, 0);
	EXPECT_TRUE(page != NULL);
	EXPECT_FIRST_REPORT(&c, "vmstat-negative", "went negative");
	kb_destroy(c.kb);
}

TEST_MAIN()
