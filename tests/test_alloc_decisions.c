/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decisions of the allocation fast path that leave every structure well
 * formed and show only in where a page comes from or in a zone flag:
 * ALLOC_NOFRAGMENT (alloc_flags_nofragment) and get_page_from_freelist's
 * retry without it when the zonelist walk reaches a remote node (locality
 * matters more than fragmentation, so a fragmenting fallback on the local
 * node beats a clean pageblock on a remote one; on one node,
 * tests/scenarios/nofragment.ops shows that a clean block of DMA32 beats
 * fragmenting Normal), and ZONE_BELOW_HIGH, which the walk sets when a
 * zone fails its high watermark and the pcp free path reads.
 */
#include <string.h>

#include "internal.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

/*
 * Node 0: DMA32 [4096, 5120) and Normal [5120, 9216); node 1: Normal
 * [9216, 17408). One CPU on each node.
 */
static struct kb_instance *two_nodes_with_dma32(void)
{
	struct kb_layout l;
	struct kb_instance *kb;
	char err[200];

	kb_layout_init(&l);
	l.nr_nodes = 2;
	l.node[0].nr_cpus = 1;
	l.node[1].nr_cpus = 1;
	l.node[0].zone[ZONE_DMA32] = (struct kb_range){ 4096, 5120 };
	l.node[0].zone[ZONE_NORMAL] = (struct kb_range){ 5120, 9216 };
	l.node[1].zone[ZONE_NORMAL] = (struct kb_range){ 9216, 17408 };
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	if (!kb)
		KBTEST_FAIL("kb_create: %s", err);
	return kb;
}

TEST(remote_node_retries_locally_allowing_fragmentation)
{
	struct kb_instance *kb = two_nodes_with_dma32();
	struct page *movable[16], *page;
	unsigned long pfn;
	int err = 0, i;

	ASSERT_TRUE(kb);
	kb_set_cpu(kb, 0);
	/* node 0's DMA32 all taken: below every watermark */
	for (i = 0; i < 8; i++)
		if (!kb_alloc_pages(kb, GFP_DMA32 | __GFP_MEMALLOC, 9, -1, &err))
			break;
	EXPECT_EQ(i, 2);
	/*
	 * node 0's Normal in movable quarters of pageblocks, every other one
	 * freed: half of it free, in order-8 blocks only, none unmovable
	 */
	for (i = 0; i < 16; i++) {
		movable[i] = kb_alloc_pages(kb, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_MEMALLOC,
					    8, -1, &err);
		ASSERT_TRUE(movable[i]);
		pfn = kb_page_to_pfn(kb, movable[i]);
		EXPECT_TRUE(pfn >= 5120 && pfn < 9216);
	}
	for (i = 1; i < 16; i += 2)
		kb_free_pages(kb, movable[i], 8);
	EXPECT_EQ(zone_page_state(&kb->node_data[0].node_zones[ZONE_NORMAL], NR_FREE_PAGES), 2048);

	/*
	 * An unmovable page for CPU 0: the first pass (ALLOC_NOFRAGMENT: the
	 * preferred zone is Normal and the node has a DMA32 zone) finds no
	 * whole free pageblock on node 0; reaching node 1, it retries
	 * without ALLOC_NOFRAGMENT and falls back on node 0's Normal.
	 */
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	pfn = kb_page_to_pfn(kb, page);
	if (!(pfn >= 5120 && pfn < 9216))
		KBTEST_FAIL("the unmovable page came from pfn %lu, not node 0's Normal", pfn);
	kb_destroy(kb);
}

/* The same request from node 1: Normal without a DMA32 beside it on a NUMA machine. */
TEST(nofragment_needs_dma32_beside_normal_on_numa)
{
	struct kb_instance *kb = two_nodes_with_dma32();
	struct page *page;
	int err = 0;

	ASSERT_TRUE(kb);
	kb_set_cpu(kb, 1);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	EXPECT_TRUE(kb_page_to_pfn(kb, page) >= 9216);
	EXPECT_TRUE(!(kb->last_alloc.alloc_flags & ALLOC_NOFRAGMENT));
	kb_set_cpu(kb, 0);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, &err);
	ASSERT_TRUE(page);
	EXPECT_TRUE(kb->last_alloc.alloc_flags & ALLOC_NOFRAGMENT);
	kb_destroy(kb);
}

/*
 * Normal of the default layout: high watermark 600 pages, low 500. The
 * flag is the pcp autotuning's (6.7+); the profiles before it never read it.
 */
TEST(zone_below_high_set_by_the_walk)
{
#if KB_PCP_HIGH_AUTOTUNE
	struct kb_layout l;
	struct kb_instance *kb;
	struct zone *normal;
	char err[200];
	int err_nr = 0, i;

	kb_layout_default(&l);
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	ASSERT_TRUE(kb);
	normal = &kb->node_data[0].node_zones[ZONE_NORMAL];
	ASSERT_EQ(high_wmark_pages(normal), 600);
	kb_set_cpu(kb, 0);
	/* 14 pageblocks taken: each request passed high first */
	for (i = 0; i < 14; i++)
		ASSERT_TRUE(kb_alloc_pages(kb, GFP_KERNEL, 9, -1, &err_nr));
	EXPECT_EQ(zone_page_state(normal, NR_FREE_PAGES), 1024);
	EXPECT_TRUE(!(normal->flags & (1UL << ZONE_BELOW_HIGH)));
	/*
	 * The 15th fails high (1024 - 511 free after it is not above 600) and
	 * passes low: Normal serves it and is flagged.
	 */
	ASSERT_TRUE(kb_alloc_pages(kb, GFP_KERNEL, 9, -1, &err_nr));
	EXPECT_TRUE(kb->last_alloc.zone == normal);
	EXPECT_TRUE(normal->flags & (1UL << ZONE_BELOW_HIGH));
	kb_destroy(kb);
#endif
}

/*
 * A pageblock that straddles the zone's start (DMA starts at pfn 1) is not
 * moved: move_freepages_block says so with -1, which the highatomic
 * reserve and unreserve test for. It booted MIGRATE_UNMOVABLE
 * (memmap_init_range marks a block only at its aligned pfn) and stays so.
 */
TEST(pageblock_straddling_the_zone_is_not_moved)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct zone *dma;
	char err[200];

	kb_layout_default(&l);
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	ASSERT_TRUE(kb);
	dma = &kb->node_data[0].node_zones[ZONE_DMA];
	ASSERT_EQ(dma->zone_start_pfn, 1);
	EXPECT_EQ(move_freepages_block(kb, dma, pfn_to_page(kb, 2), MIGRATE_MOVABLE,
				       MIGRATE_HIGHATOMIC), -1);
	EXPECT_EQ(get_pfnblock_migratetype(kb, 2), MIGRATE_UNMOVABLE);
	/* the next pageblock moves: its free pages are counted */
	EXPECT_EQ(move_freepages_block(kb, dma, pfn_to_page(kb, 512), MIGRATE_MOVABLE,
				       MIGRATE_HIGHATOMIC), 512);
	EXPECT_EQ(get_pfnblock_migratetype(kb, 512), MIGRATE_HIGHATOMIC);
	EXPECT_EQ(move_freepages_block(kb, dma, pfn_to_page(kb, 512), MIGRATE_HIGHATOMIC,
				       MIGRATE_MOVABLE), 512);
	kb_destroy(kb);
}

/*
 * An empty pcp list is refilled from the buddy in batches that double
 * while the CPU only allocates (nr_pcp_alloc's alloc_factor, 6.7+): on
 * Normal of the default layout (batch 1), 15 order-0 pages take refills of
 * 1, 2, 4 and 8 pages.
 */
TEST(pcp_refill_batch_doubles_while_allocating)
{
#if KB_PCP_HIGH_AUTOTUNE
	struct kb_layout l;
	struct kb_instance *kb;
	struct zone *normal;
	char err[200];
	int err_nr = 0, i;

	kb_layout_default(&l);
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	ASSERT_TRUE(kb);
	normal = &kb->node_data[0].node_zones[ZONE_NORMAL];
	ASSERT_EQ(normal->per_cpu_pageset[0].batch, 1);
	kb_set_cpu(kb, 0);
	for (i = 0; i < 15; i++)
		ASSERT_TRUE(kb_alloc_pages(kb, GFP_KERNEL, 0, -1, &err_nr));
	EXPECT_EQ(kb->vm_events[PCP_REFILL], 4);
	EXPECT_EQ(normal->per_cpu_pageset[0].count, 0);
	kb_destroy(kb);
#endif
}

TEST_MAIN()
