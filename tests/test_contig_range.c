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
