/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kb_alloc_contig_range, the range API of alloc_contig_range() that CMA
 * and gigantic pages use (the operations reach it only through
 * alloc_contig_pages): its argument checks, a range taken and given back,
 * and the checker's view of both.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "internal.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

static struct kb_instance *boot_default(void)
{
	struct kb_layout l;
	struct kb_instance *kb;
	char err[200];

	kb_layout_default(&l);
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	if (!kb)
		KBTEST_FAIL("kb_create: %s", err);
	return kb;
}

TEST(contig_range_arguments)
{
	struct kb_instance *kb = boot_default();

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb_alloc_contig_range(kb, 12288, 12288, false, GFP_KERNEL), -EINVAL);
	EXPECT_EQ(kb_alloc_contig_range(kb, 12300, 12288, false, GFP_KERNEL), -EINVAL);
	EXPECT_EQ(kb_alloc_contig_range(kb, kb->max_pfn - 16, kb->max_pfn + 16, false,
					GFP_KERNEL), -EINVAL);
	kb_destroy(kb);
}

/* The last pfns of the machine and a range inside Normal, taken and freed. */
TEST(contig_range_taken_and_given_back)
{
	struct kb_instance *kb = boot_default();
	struct zone *normal;
	unsigned long free;

	ASSERT_TRUE(kb);
	normal = &kb->node_data[0].node_zones[ZONE_NORMAL];
	free = zone_page_state(normal, NR_FREE_PAGES);
	ASSERT_EQ(kb->max_pfn, 20480);
	EXPECT_EQ(kb_alloc_contig_range(kb, 20480 - 64, 20480, false, GFP_KERNEL), 0);
	EXPECT_EQ(kb_alloc_contig_range(kb, 16384 + 3, 16384 + 40, false, GFP_KERNEL), 0);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_PAGES), free - 64 - 37);
	EXPECT_EQ(page_ref_count(pfn_to_page(kb, 16384 + 3)), 1);
	EXPECT_EQ(page_ref_count(pfn_to_page(kb, 16384 + 39)), 1);
	EXPECT_TRUE(PageBuddy(pfn_to_page(kb, 16384 + 40)) ||
		    !page_ref_count(pfn_to_page(kb, 16384 + 40)));
	/* taken pages are not free again */
	EXPECT_EQ(kb_alloc_contig_range(kb, 16384, 16384 + 8, false, GFP_KERNEL), -EBUSY);
	kb_free_contig_range(kb, 20480 - 64, 64);
	kb_free_contig_range(kb, 16384 + 3, 37);
	/* the order-0 pages of the runs went through the pcp lists */
	kb_drain_all_pages(kb);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_PAGES), free);
	kb_destroy(kb);
}

/*
 * A range that starts inside a small free block: with [16384, 16386)
 * taken (and on the LRU, so that the pageblock can be isolated), 16386
 * and 16387 are a free order-1 block, so the range [16387,
 * 16388) finds that block's head as its outer start (find_large_buddy
 * looks at 16386 before 16384), takes it and gives 16386 back.
 */
TEST(contig_range_inside_an_order1_free_block)
{
	struct kb_instance *kb = boot_default();

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb_alloc_contig_range(kb, 16384, 16386, false, GFP_KERNEL), 0);
	kb_lru_add(kb, pfn_to_page(kb, 16384), 0, false);
	kb_lru_add(kb, pfn_to_page(kb, 16385), 0, false);
	ASSERT_TRUE(PageBuddy(pfn_to_page(kb, 16386)));
	ASSERT_EQ(buddy_order(pfn_to_page(kb, 16386)), 1);
	EXPECT_EQ(kb_alloc_contig_range(kb, 16387, 16388, false, GFP_KERNEL), 0);
	EXPECT_EQ(page_ref_count(pfn_to_page(kb, 16387)), 1);
	EXPECT_TRUE(PageBuddy(pfn_to_page(kb, 16386)));
	EXPECT_EQ(buddy_order(pfn_to_page(kb, 16386)), 0);
	kb_destroy(kb);
}

/*
 * An owner that moves each order-0 page it is asked to and counts them
 * in *ctx: it allocates the new page itself (alloc_contig_range's
 * migration names no target), puts it on the LRU and frees the old one.
 */
static int owner_reallocates(struct kb_instance *kb, struct page *page,
			     const struct kb_migrate_target *target, void *ctx)
{
	struct page *new;

	if (target)
		return -EAGAIN;
	new = kb_alloc_pages(kb, GFP_USER | __GFP_MOVABLE, 0, 0, NULL);
	if (!new)
		return -ENOMEM;
	++*(unsigned int *)ctx;
	kb_lru_add(kb, new, 0, false);
	kb_lru_del(kb, page);
	kb_free_pages(kb, page, 0);
	return 0;
}

/*
 * The migration pass steps over a free block by its order and migrates
 * what follows it: [16384, 16386) is a free order-1 block and 16386,
 * 16387 are LRU pages, so the range [16384, 16392) is taken once they
 * moved.
 */
TEST(contig_range_migrates_the_pages_after_a_free_block)
{
	struct kb_instance *kb = boot_default();
	unsigned int moved = 0;

	ASSERT_TRUE(kb);
	kb->owner.migrate_page = owner_reallocates;
	kb->owner.ctx = &moved;
	EXPECT_EQ(kb_alloc_contig_range(kb, 16386, 16388, false, GFP_KERNEL), 0);
	kb_lru_add(kb, pfn_to_page(kb, 16386), 0, false);
	kb_lru_add(kb, pfn_to_page(kb, 16387), 0, false);
	ASSERT_EQ(buddy_order(pfn_to_page(kb, 16384)), 1);
	EXPECT_EQ(kb_alloc_contig_range(kb, 16384, 16392, false, GFP_KERNEL), 0);
	EXPECT_EQ(moved, 2);
	for (unsigned long pfn = 16384; pfn < 16392; pfn++)
		EXPECT_TRUE(page_ref_count(pfn_to_page(kb, pfn)) == 1 &&
			    !PageLru(pfn_to_page(kb, pfn)));
	kb_destroy(kb);
}

/*
 * alloc_contig_pages tries KB_CONTIG_MAX_TRIES (8) candidate ranges of a
 * zone, then the next zone of the zonelist: with one page taken in each
 * of Normal's first eight 16-page ranges (Normal starts at 12288), on
 * the LRU (so that the pageblock can be isolated) but without an owner
 * to move it, a 16-page request of GFP_KERNEL comes from DMA32's first
 * range, though Normal's ninth is free.
 */
TEST(contig_pages_try_eight_ranges_a_zone)
{
	struct kb_instance *kb = boot_default();
	struct page *page;
	int e;

	ASSERT_TRUE(kb);
	for (unsigned long i = 0; i < 8; i++) {
		ASSERT_EQ(kb_alloc_contig_range(kb, 12288 + 16 * i, 12288 + 16 * i + 1, false,
						GFP_KERNEL), 0);
		kb_lru_add(kb, pfn_to_page(kb, 12288 + 16 * i), 0, false);
	}
	page = kb_alloc_contig_pages(kb, 16, GFP_KERNEL, 0, &e);
	ASSERT_TRUE(page != NULL);
	EXPECT_EQ(e, 0);
	EXPECT_EQ(page_to_pfn(kb, page), 4096);
	kb_destroy(kb);
}

/*
 * alloc_contig_pages of every page of the machine: a zone that is the whole
 * memory map, without a hole or a reserved page, gives all of it as one
 * range, and the range given back is free again. One page more than the
 * memory map is refused.
 */
TEST(contig_pages_of_the_whole_machine)
{
	static const char text[] = "max_page_order 10\npageblock_order 9\nnode 0 cpus 1\n"
				   "zone 0 Normal 0x0 0x1000\n";
	struct kb_instance *kb;
	struct kb_layout l;
	struct zone *normal;
	struct page *page;
	char err[200];
	int e;

	ASSERT_EQ(kb_layout_parse_text(text, strlen(text), &l, err, sizeof(err)), 0);
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	ASSERT_TRUE(kb);
	ASSERT_EQ(kb->max_pfn, 0x1000);
	normal = &kb->node_data[0].node_zones[ZONE_NORMAL];
	ASSERT_EQ(zone_page_state(normal, NR_FREE_PAGES), 0x1000);
	EXPECT_TRUE(kb_alloc_contig_pages(kb, kb->max_pfn + 1, GFP_KERNEL, 0, &e) == NULL);
	EXPECT_EQ(e, -EINVAL);
	page = kb_alloc_contig_pages(kb, kb->max_pfn, GFP_KERNEL, 0, &e);
	ASSERT_TRUE(page != NULL);
	EXPECT_EQ(e, 0);
	EXPECT_EQ(page_to_pfn(kb, page), 0);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_PAGES), 0);
	kb_free_contig_range(kb, 0, kb->max_pfn);
	kb_drain_all_pages(kb);
	EXPECT_EQ(zone_page_state(normal, NR_FREE_PAGES), 0x1000);
	kb_destroy(kb);
}

TEST_MAIN()
