// SPDX-License-Identifier: GPL-2.0
/*
 * The instance (core/instance.c): kb_create refuses what it cannot boot
 * with a message and no instance, boots machines whose nodes or whole
 * memory are holes (a memoryless node spans nothing, a machine without
 * memory hands out nothing), and its accessors refuse out-of-range
 * arguments instead of reading past their tables.
 */
#include <errno.h>
#include <string.h>

#include "kbtest.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_instance *boot_text(const char *text, const struct kb_options *opt,
				     char *err, size_t errlen)
{
	struct kb_layout l;

	if (kb_layout_parse_text(text, strlen(text), &l, err, errlen)) {
		KBTEST_FAIL("layout: %s", err);
		return NULL;
	}
	return kb_create(&l, opt, err, errlen);
}

TEST(create_refuses_an_invalid_layout_with_its_reason)
{
	struct kb_layout l;
	char err[256] = "";

	kb_layout_default(&l);
	l.boot_path = (enum kb_boot_path)7;
	EXPECT_TRUE(kb_create(&l, NULL, err, sizeof(err)) == NULL);
	EXPECT_TRUE(strstr(err, "unknown boot path 7") != NULL);
	/* no buffer for the reason: still refused, nothing written */
	EXPECT_TRUE(kb_create(&l, NULL, NULL, 0) == NULL);
}

TEST(create_refuses_backing_bytes_that_are_not_a_power_of_two_in_range)
{
	static const unsigned int bad[] = { 3, 4, 24, PAGE_SIZE * 2 };
	struct kb_layout l;
	char err[256];
	unsigned int i;

	kb_layout_default(&l);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kb_options opt = { .check_level = 1, .back_with_memory = true,
					  .backing_bytes = bad[i] };

		err[0] = 0;
		EXPECT_TRUE(kb_create(&l, &opt, err, sizeof(err)) == NULL);
		EXPECT_TRUE(strstr(err, "backing bytes per page must be a power of two in 8..4096") !=
			    NULL);
	}
	/* the smallest accepted size backs every page with 8 bytes */
	{
		struct kb_options opt = { .check_level = 1, .back_with_memory = true,
					  .backing_bytes = 8 };
		struct kb_instance *kb = kb_create(&l, &opt, err, sizeof(err));

		ASSERT_TRUE(kb != NULL);
		EXPECT_EQ(kb->backing_bytes, 8);
		EXPECT_EQ(kb->arena_bytes, kb->max_pfn * 8);
		EXPECT_TRUE((char *)kb_page_address(kb, kb_pfn_to_page(kb, 0x100)) ==
			    (char *)kb->arena + 0x100 * 8);
		kb_destroy(kb);
	}
}

/* Node 1's only zone is one hole: a memoryless node (get_pfn_range_for_nid finds nothing). */
TEST(memoryless_node_spans_nothing)
{
	char err[256];
	struct kb_instance *kb = boot_text("node 0 cpus 1\nzone 0 Normal 0 0x1000\n"
					   "node 1 cpus 1\nzone 1 Normal 0x1000 0x2000\n"
					   "hole 0x1000 0x2000\n", NULL, err, sizeof(err));
	struct zone *z0, *z1;
	int err_alloc;

	ASSERT_TRUE(kb != NULL);
	z0 = kb_zone(kb, 0, ZONE_NORMAL);
	z1 = kb_zone(kb, 1, ZONE_NORMAL);
	EXPECT_EQ(z0->spanned_pages, 0x1000);
	EXPECT_TRUE(z0->managed_pages > 0);
	EXPECT_EQ(z1->spanned_pages, 0);
	EXPECT_EQ(z1->present_pages, 0);
	EXPECT_EQ(z1->managed_pages, 0);
	EXPECT_TRUE(!populated_zone(z1));
	EXPECT_EQ(kb->totalram_pages, z0->managed_pages);
	/* node 1 has nothing to give: __GFP_THISNODE fails, without it node 0 serves */
	EXPECT_TRUE(kb_alloc_pages(kb, GFP_KERNEL | __GFP_THISNODE, 0, 1, &err_alloc) == NULL);
	{
		struct page *page = kb_alloc_pages(kb, GFP_KERNEL, 0, 1, &err_alloc);

		ASSERT_TRUE(page != NULL);
		EXPECT_EQ(page->node, 0);
		kb_free_pages(kb, page, 0);
	}
	kb_destroy(kb);
}

/* Every pfn a hole: the machine boots with nothing managed and hands nothing out. */
TEST(machine_without_memory_boots_empty)
{
	char err[256];
	struct kb_instance *kb = boot_text("node 0 cpus 1\nzone 0 Normal 0 0x1000\nhole 0 0x1000\n",
					   NULL, err, sizeof(err));
	int zid, err_alloc = 0;

	ASSERT_TRUE(kb != NULL);
	EXPECT_EQ(kb->totalram_pages, 0);
	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		EXPECT_EQ(kb_zone(kb, 0, (enum zone_type)zid)->spanned_pages, 0);
		EXPECT_EQ(kb_zone(kb, 0, (enum zone_type)zid)->managed_pages, 0);
	}
	EXPECT_TRUE(kb_alloc_pages(kb, GFP_KERNEL, 0, 0, &err_alloc) == NULL);
	kb_destroy(kb);
}

TEST(accessors_refuse_out_of_range_arguments)
{
	struct kb_layout l;
	char err[256];
	struct kb_instance *kb;
	struct page stray = { .node = 0xff, .zone = 0xff };

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb != NULL);
	ASSERT_EQ(kb_set_cpu(kb, 1), 0);
	EXPECT_EQ(kb_set_cpu(kb, -1), -EINVAL);
	EXPECT_EQ(kb_set_cpu(kb, kb->nr_cpu_ids), -EINVAL);
	EXPECT_EQ(kb->cpu, 1);
	EXPECT_TRUE(kb_zone(kb, -1, ZONE_NORMAL) == NULL);
	EXPECT_TRUE(kb_zone(kb, kb->nr_node_ids, ZONE_NORMAL) == NULL);
	EXPECT_TRUE(kb_zone(kb, 0, (enum zone_type)MAX_NR_ZONES) == NULL);
	EXPECT_TRUE(kb_zone(kb, 0, ZONE_NORMAL) == &kb->node_data[0].node_zones[ZONE_NORMAL]);
	/* a struct page no zone initialised names no zone */
	EXPECT_TRUE(kb_page_zone(kb, &stray) == NULL);
	EXPECT_TRUE(kb_page_zone(kb, kb_pfn_to_page(kb, 0x2000)) != NULL);
	/* without backing memory a page has no address */
	EXPECT_TRUE(kb_page_address(kb, kb_pfn_to_page(kb, 0x2000)) == NULL);
	kb_destroy(kb);
	kb_destroy(NULL);	/* as free(NULL) */
}

TEST_MAIN()
