// SPDX-License-Identifier: GPL-2.0
/*
 * The boot in the kernel's order (core/initcalls.c): watermarks and pcp
 * sizes from the managed pages before the late frees, THP's raise of
 * min_free_kbytes only where hugepage_init leaves THP on, the lowmem
 * reserves recomputed by a read of lowmem_reserve_ratio. The expected
 * numbers are worked out here from the kernel's formulas.
 */
#include <math.h>
#include <string.h>

#include "kbtest.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

/* One node, DMA [1, 0x1000) and DMA32 [0x1000, end), two CPUs. */
static struct kb_instance *boot(unsigned long dma32_end, const char *extra)
{
	char text[2048], err[256];
	struct kb_layout l;
	struct kb_instance *kb;

	snprintf(text, sizeof(text),
		 "node 0 cpus 2\nzone 0 DMA 0x1 0x1000\nzone 0 DMA32 0x1000 %#lx\n%s",
		 dma32_end, extra);
	if (kb_layout_parse_text(text, strlen(text), &l, err, sizeof(err))) {
		fprintf(stderr, "  layout: %s\n", err);
		return NULL;
	}
	kb = kb_create(&l, NULL, err, sizeof(err));
	if (!kb)
		fprintf(stderr, "  boot: %s\n", err);
	return kb;
}

static long sqrt_default(unsigned long lowmem_pages)
{
	long v = (long)sqrt((double)(lowmem_pages * 4 * 16));

	return v < 128 ? 128 : v;
}

/* 256 MiB: THP stays off, min_free_kbytes is the square-root default. */
TEST(small_machine_keeps_the_default_min_free_kbytes)
{
	struct kb_instance *kb = boot(0x10000, "");
	unsigned long managed;

	ASSERT_TRUE(kb);
	managed = kb_zone(kb, 0, ZONE_DMA)->managed_pages + kb_zone(kb, 0, ZONE_DMA32)->managed_pages;
	EXPECT_EQ(kb->thp_enabled, 0);
	EXPECT_EQ(kb->min_free_kbytes, sqrt_default(managed));
	kb_destroy(kb);
}

/* 1 GiB: THP on, khugepaged raises min_free_kbytes for the two zones. */
TEST(large_machine_gets_the_thp_raise)
{
	struct kb_instance *kb = boot(0x40000, "");

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb->thp_enabled, 1);
	/* (2 + 3 * 3) pageblocks of 512 pages per zone, in KiB */
	EXPECT_EQ(kb->min_free_kbytes, 11 * 512 * 2 * 4);
	kb_destroy(kb);
}

/* The layout can force THP either way. */
TEST(thp_override)
{
	struct kb_instance *kb = boot(0x10000, "thp on\n");
	unsigned long managed;

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb->thp_enabled, 1);
	managed = kb_zone(kb, 0, ZONE_DMA)->managed_pages + kb_zone(kb, 0, ZONE_DMA32)->managed_pages;
	/* raised, but to at most 5% of lowmem (here below the 11 pageblocks a zone) */
	EXPECT_TRUE(kb->min_free_kbytes > sqrt_default(managed));
	EXPECT_TRUE((unsigned long)kb->min_free_kbytes <= managed / 20 * 4);
	kb_destroy(kb);
	kb = boot(0x40000, "thp off\n");
	ASSERT_TRUE(kb);
	EXPECT_EQ(kb->thp_enabled, 0);
	managed = kb_zone(kb, 0, ZONE_DMA)->managed_pages + kb_zone(kb, 0, ZONE_DMA32)->managed_pages;
	/*
	 * khugepaged's start-or-stop path recomputes the default, now with
	 * the high watermarks subtracted (nr_free_buffer_pages).
	 */
	EXPECT_TRUE(kb->min_free_kbytes < sqrt_default(managed));
	EXPECT_TRUE(kb->min_free_kbytes > sqrt_default(managed) - 16);
	kb_destroy(kb);
}

static unsigned long free_or_pcp(const struct kb_instance *kb, const struct zone *zone)
{
	unsigned long n = (unsigned long)zone->vm_stat[NR_FREE_PAGES];

	for (int cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
		n += (unsigned long)zone->per_cpu_pageset[cpu].count;
	return n;
}

/*
 * Late-freed memory counts as managed in the end, but the watermarks and
 * the pcp batch were computed before it was freed; the lowmem reserve
 * too, until a read of lowmem_reserve_ratio recomputes it.
 */
TEST(watermarks_come_before_the_late_frees)
{
	static const char late[] = "late_free 0x8000 0x9000 initmem\nlate_free 0xf000 0xf800 initrd\n";
	char with_read[256];
	struct kb_instance *kb = boot(0x10000, late), *plain = boot(0x10000, "");
	const struct zone *dma, *dma32, *pdma32;
	unsigned long pages_min, before, lowmem;

	ASSERT_TRUE(kb && plain);
	dma = kb_zone(kb, 0, ZONE_DMA);
	dma32 = kb_zone(kb, 0, ZONE_DMA32);
	pdma32 = kb_zone(plain, 0, ZONE_DMA32);
	/* every page ends up managed, and free: on the free lists or a pcp list */
	EXPECT_EQ(dma32->managed_pages, pdma32->managed_pages);
	EXPECT_EQ(free_or_pcp(kb, dma32), free_or_pcp(plain, pdma32));
	before = dma32->managed_pages - 0x1800;
	lowmem = dma->managed_pages + before;
	EXPECT_EQ(kb->min_free_kbytes, sqrt_default(lowmem));
	pages_min = (unsigned long)kb->min_free_kbytes / 4;
	EXPECT_EQ(dma32->_watermark[WMARK_MIN], pages_min * before / lowmem);
	EXPECT_EQ(dma->_watermark[WMARK_MIN], pages_min * dma->managed_pages / lowmem);
	EXPECT_TRUE(dma32->_watermark[WMARK_MIN] != pdma32->_watermark[WMARK_MIN]);
	/* the reserve of DMA against DMA32 is from the same moment */
	EXPECT_EQ(dma->lowmem_reserve[ZONE_DMA32], (long)(before / 256));
	kb_destroy(kb);
	kb_destroy(plain);

	snprintf(with_read, sizeof(with_read), "%ssysctl_read lowmem_reserve_ratio\n", late);
	kb = boot(0x10000, with_read);
	ASSERT_TRUE(kb);
	dma = kb_zone(kb, 0, ZONE_DMA);
	dma32 = kb_zone(kb, 0, ZONE_DMA32);
	EXPECT_EQ(dma->lowmem_reserve[ZONE_DMA32], (long)(dma32->managed_pages / 256));
	kb_destroy(kb);
}

/* The pcp batch follows the managed pages at the watermarks' moment. */
TEST(pcp_batch_before_the_late_frees)
{
	/* DMA32 of 0x3000 pages, 0x2000 of them freed late: 0x1000 at first */
	struct kb_instance *kb = boot(0x4000, "late_free 0x2000 0x4000 initmem\nthp off\n");

	ASSERT_TRUE(kb);
	/* 4096 managed: (4096 >> 10) / 4 = 1, 2^n - 1 rounding gives 0, at least 1 */
	EXPECT_EQ(kb_zone(kb, 0, ZONE_DMA32)->per_cpu_pageset[0].batch, 1);
	EXPECT_EQ(kb_zone(kb, 0, ZONE_DMA32)->managed_pages, 0x3000);
	kb_destroy(kb);
}

/* After-boot sysctl writes run last, in order. */
TEST(after_boot_sysctls)
{
	struct kb_instance *kb = boot(0x10000, "sysctl min_free_kbytes=4096\n"
					       "sysctl watermark_scale_factor=100\n");

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb->min_free_kbytes, 4096);
	EXPECT_EQ(kb->user_min_free_kbytes, 4096);
	EXPECT_EQ(kb->watermark_scale_factor, 100);
	kb_destroy(kb);
}

/* vmstat thresholds: 2 * fls(CPUs) * (1 + fls(managed in 128 MiB units)). */
TEST(stat_threshold)
{
	struct kb_instance *kb = boot(0x40000, "");

	ASSERT_TRUE(kb);
	/* DMA: 4095 pages, under 128 MiB: 2 * 2 * 1 */
	EXPECT_EQ(kb_zone(kb, 0, ZONE_DMA)->stat_threshold, 4);
	/* DMA32: about 1 GiB, 7 units of 128 MiB: 2 * 2 * (1 + 3) */
	EXPECT_EQ(kb_zone(kb, 0, ZONE_DMA32)->stat_threshold, 16);
	kb_destroy(kb);
}

/*
 * memblock_free_all frees each zone's memory in ascending pfn order, to
 * the tail of the lists (FPI_TO_TAIL): after boot every free list is in
 * pfn order, on every built-in layout, but for the CMA lists (the CMA
 * areas are freed later, pageblock by pageblock through CPU 0's pcp list,
 * as cma_init_reserved_areas does). The bootmem boot of 2.4 and 2.6 frees
 * its bitmap's pages last, out of order.
 */
TEST(memblock_boot_leaves_the_free_lists_in_pfn_order)
{
	for (unsigned int i = 0; i < kb_layout_builtin_count(); i++) {
		struct kb_layout l;
		struct kb_instance *kb;
		char err[256];

		ASSERT_EQ(kb_layout_builtin(kb_layout_builtin_name(i), &l), 0);
		ASSERT_EQ(l.boot_path, KB_BOOT_MEMBLOCK);
		kb = kb_create(&l, NULL, err, sizeof(err));
		ASSERT_TRUE(kb);
		for (int nid = 0; nid < kb->nr_node_ids; nid++)
			for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
				struct zone *zone = kb_zone(kb, nid, zid);

				for (unsigned int o = 0; o <= kb->max_order; o++)
					for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
						struct list_head *h = &zone->free_area[o].free_list[mt];
						unsigned long prev = 0;
						struct list_head *pos;

						if (mt == MIGRATE_CMA)
							continue;
						list_for_each(pos, h) {
							unsigned long pfn = kb_page_to_pfn(kb,
								list_entry(pos, struct page, lru));

							if (pfn < prev)
								KBTEST_FAIL("layout %u: %s order %u: pfn %#lx after %#lx",
									    i, zone->name, o, pfn, prev);
							prev = pfn;
						}
					}
			}
		kb_destroy(kb);
	}
}

/*
 * memmap_init's init_unavailable_range: the struct page of a pfn that is no
 * memory takes the zone and node of the memory above it (pfn 0 below DMA's
 * first pfn is DMA's; a hole across the DMA/DMA32 boundary is DMA32's, even
 * in DMA's span), and the pfns after the last memory the highest zone's.
 */
TEST(pages_of_holes_take_the_zone_of_the_memory_above)
{
	struct kb_instance *kb = boot(0x2e00, "hole 0xf00 0x1100\n");
	unsigned long pfn;

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb->mem_map[0].zone, ZONE_DMA);
	EXPECT_EQ(kb->mem_map[0].node, 0);
	EXPECT_EQ(kb->mem_map[1].zone, ZONE_DMA);
	EXPECT_EQ(kb->mem_map[0xeff].zone, ZONE_DMA);
	for (pfn = 0xf00; pfn < 0x1100; pfn++)
		if (kb->mem_map[pfn].zone != ZONE_DMA32)
			KBTEST_FAIL("hole pfn %#lx: zone %u, not DMA32's", pfn, kb->mem_map[pfn].zone);
	ASSERT_TRUE(kb->max_pfn > 0x2e00);
	for (pfn = 0x2e00; pfn < kb->max_pfn; pfn++)
		if (kb->mem_map[pfn].zone != ZONE_DMA32 || kb->mem_map[pfn].node != 0)
			KBTEST_FAIL("pfn %#lx after the memory: zone %u node %u", pfn,
				    kb->mem_map[pfn].zone, kb->mem_map[pfn].node);
	EXPECT_TRUE(PageReserved(&kb->mem_map[0]));
	EXPECT_TRUE(PageReserved(&kb->mem_map[0x1000]));
	kb_destroy(kb);
}

/*
 * setup_per_cpu_pageset gives every populated zone its pcp limits before
 * the core_initcall frees the CMA areas through CPU 0's pcp list: with a
 * CMA area in DMA, CPU 0's DMA list has been used with those limits
 * (nr_pcp_high clamps pcp->high into them, and high_min is above 0),
 * while CPU 1's, never used, still has high 0 (the limits of
 * init_per_zone_wmark_min later apply only from the next use).
 */
TEST(cma_in_dma_passes_cpu0_pcp_with_its_limits)
{
#if KB_PCP_HIGH_AUTOTUNE
	struct kb_instance *kb = boot(0x8000, "cma 0x400 0x800\n");
	const struct zone *dma;

	ASSERT_TRUE(kb);
	dma = kb_zone(kb, 0, ZONE_DMA);
	EXPECT_EQ(dma->cma_pages, 0x400);
	EXPECT_TRUE(dma->per_cpu_pageset[0].high > 0);
	EXPECT_EQ(dma->per_cpu_pageset[1].high, 0);
	kb_destroy(kb);
#endif
}

TEST_MAIN()
