// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model (checkers/model*.c): it agrees with the allocator on
 * every built-in layout, on layouts decoded from random bytes and after
 * sysctl writes; and each of its invariants is reported by name when the
 * allocator's derived state is broken on purpose. Then the model's use by
 * the oracles: an allocator whose own zonelist or watermarks are wrong
 * (every allocation fails) is caught.
 */
#include <errno.h>
#include <string.h>

#include "kbtest.h"
#include "model.h"
#include "oracle.h"
#include "run.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_model model;

static struct kb_instance *boot_layout(const struct kb_layout *l)
{
	struct kb_options opt = { .check_level = 2 };
	char err[256];
	struct kb_instance *kb = kb_create(l, &opt, err, sizeof(err));

	if (kb)
		kb_model_boot(&model, l);
	return kb;
}

static struct kb_instance *boot(const char *name)
{
	struct kb_layout l;

	if (kb_layout_builtin(name, &l))
		return NULL;
	return boot_layout(&l);
}

/* The model's verdict on kb: NULL when it agrees, else the invariant's name. */
static const char *verdict(struct kb_instance *kb)
{
	static struct kb_violation v;

	if (!kb_model_check(&model, kb, &v))
		return NULL;
	return v.invariant;
}

#define EXPECT_AGREES(kb)						\
	do {								\
		struct kb_violation _v;					\
		if (kb_model_check(&model, (kb), &_v))			\
			KBTEST_FAIL("the model disagrees: %s: %s",	\
				    _v.invariant, _v.detail);		\
	} while (0)

TEST(model_agrees_with_every_builtin_layout)
{
	for (unsigned int i = 0; i < kb_layout_builtin_count(); i++) {
		struct kb_instance *kb = boot(kb_layout_builtin_name(i));

		ASSERT_TRUE(kb);
		EXPECT_AGREES(kb);
		kb_destroy(kb);
	}
}

/*
 * The boot order: watermarks from the managed pages before the late frees,
 * THP's rule, the after-boot sysctls. A watermark set up again from the
 * final counts is no longer what the boot computed.
 */
TEST(model_follows_the_boot_order)
{
	static const char text[] =
		"node 0 cpus 2\nzone 0 DMA 0x1 0x1000\nzone 0 DMA32 0x1000 0x40000\n"
		"reserved 0x1 0x40\nlate_free 0x8000 0x9000 initmem\n"
		"late_free 0x3f000 0x3f800 initrd\n"
		"sysctl_read lowmem_reserve_ratio\nsysctl watermark_boost_factor=1000\n";
	struct kb_layout l;
	struct kb_instance *kb;
	char err[256];

	ASSERT_EQ(kb_layout_parse_text(text, sizeof(text) - 1, &l, err, sizeof(err)), 0);
	kb = boot_layout(&l);
	ASSERT_TRUE(kb);
	EXPECT_AGREES(kb);
	EXPECT_TRUE(kb->thp_enabled);
	/* the same watermarks from the final managed pages */
	setup_per_zone_wmarks(kb);
	EXPECT_STREQ(verdict(kb), "model-watermark");
	kb_destroy(kb);

	/* a small machine without THP, and with it forced on */
	l.node[0].zone[ZONE_DMA32].end = 0x10000;
	l.nr_late_free = 1;
	kb = boot_layout(&l);
	ASSERT_TRUE(kb);
	EXPECT_AGREES(kb);
	EXPECT_TRUE(!kb->thp_enabled);
	kb_destroy(kb);
	l.thp = KB_THP_ON;
	kb = boot_layout(&l);
	ASSERT_TRUE(kb);
	EXPECT_AGREES(kb);
	kb_destroy(kb);
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* fuzz_boot's layouts: whatever a byte string decodes to (CMA over a hole does not boot). */
TEST(model_agrees_with_decoded_layouts)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned int booted = 0;

	for (int n = 0; n < 400; n++) {
		uint8_t bytes[256];
		struct kb_layout l;
		struct kb_instance *kb;

		for (size_t i = 0; i < sizeof(bytes); i++)
			bytes[i] = (uint8_t)rng_next(&seed);
		/* small pageblocks and orders are where the rules' edges are */
		if (n % 2)
			bytes[3] = bytes[4] = (uint8_t)(n % 7);
		kb_layout_decode_binary(bytes, sizeof(bytes), &l);
		kb = boot_layout(&l);
		if (!kb)
			continue;
		booted++;
		EXPECT_AGREES(kb);
		kb_destroy(kb);
	}
	EXPECT_TRUE(booted > 200);
}

/* Writes through the model and the allocator alike; both must end up equal. */
static int write_both(struct kb_instance *kb, enum kb_sysctl which, int index, long value)
{
	int want = kb_model_sysctl(&model, kb, which, index, value);
	int got = kb_sysctl_write(kb, which, index, value);

	if (want != got)
		KBTEST_FAIL("%s[%d] = %ld: the model expects %d, the allocator returned %d",
			    kb_sysctl_name(which), index, value, want, got);
	return got;
}

TEST(model_follows_sysctl_writes)
{
	static const struct { enum kb_sysctl which; int index; long value; } writes[] = {
		{ KB_SYSCTL_MIN_FREE_KBYTES, 0, 4096 },
		{ KB_SYSCTL_WATERMARK_SCALE_FACTOR, 0, 3000 },
		{ KB_SYSCTL_LOWMEM_RESERVE_RATIO, ZONE_DMA, 1 },
		{ KB_SYSCTL_LOWMEM_RESERVE_RATIO, ZONE_DMA32, 0 },
		{ KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 0, 8 },
		{ KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 0, 8 },
		{ KB_SYSCTL_WATERMARK_BOOST_FACTOR, 0, 0 },
		{ KB_SYSCTL_MIN_FREE_KBYTES, 0, 65536 },
		{ KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 0, 0 },
		{ KB_SYSCTL_WATERMARK_SCALE_FACTOR, 0, 1 },
		{ KB_SYSCTL_LOWMEM_RESERVE_RATIO, ZONE_NORMAL, 7 },
		{ KB_SYSCTL_MIN_FREE_KBYTES, 0, 0 },
	};
	static const char *const layouts[] = { "default", "zones", "numa", "small-blocks", "small" };

	for (unsigned int l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++) {
		struct kb_instance *kb = boot(layouts[l]);

		ASSERT_TRUE(kb);
		for (unsigned int i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
			EXPECT_EQ(write_both(kb, writes[i].which, writes[i].index, writes[i].value), 0);
			EXPECT_AGREES(kb);
		}
		kb_destroy(kb);
	}
}

/* The kernel's ranges: what it refuses, and what it takes (a negative ratio means 0). */
TEST(model_judges_sysctl_ranges_as_the_kernel)
{
	struct kb_instance *kb = boot("default");

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb_model_sysctl(&model, kb, KB_SYSCTL_MIN_FREE_KBYTES, 0, -1), -EINVAL);
	EXPECT_EQ(kb_model_sysctl(&model, kb, KB_SYSCTL_WATERMARK_SCALE_FACTOR, 0, 0), -EINVAL);
	EXPECT_EQ(kb_model_sysctl(&model, kb, KB_SYSCTL_WATERMARK_SCALE_FACTOR, 0, 3001), -EINVAL);
	EXPECT_EQ(kb_model_sysctl(&model, kb, KB_SYSCTL_WATERMARK_BOOST_FACTOR, 0, -5), -EINVAL);
	EXPECT_EQ(kb_model_sysctl(&model, kb, KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 0, 7), -EINVAL);
	EXPECT_EQ(kb_model_sysctl(&model, kb, KB_SYSCTL_LOWMEM_RESERVE_RATIO, MAX_NR_ZONES, 1), -EINVAL);
	EXPECT_EQ(write_both(kb, KB_SYSCTL_LOWMEM_RESERVE_RATIO, ZONE_DMA, -3), 0);
	EXPECT_EQ(model.sys.lowmem_reserve_ratio[ZONE_DMA], 0);
	EXPECT_AGREES(kb);
	/* a sysctl the model does not know: no opinion */
	EXPECT_EQ(kb_model_sysctl(&model, kb, KB_NR_SYSCTLS + 3, 0, 1), 1);
	kb_destroy(kb);
}

/* --- each invariant, by breaking the allocator's derived state --- */

TEST(model_topology_catches_a_cpu_on_the_wrong_node)
{
	struct kb_instance *kb = boot("numa");

	ASSERT_TRUE(kb);
	kb->cpu_to_node[3] = 0;
	EXPECT_STREQ(verdict(kb), "model-topology");
	kb->cpu_to_node[3] = 1;
	kb->node_distance[0][1] = 30;
	EXPECT_STREQ(verdict(kb), "model-topology");
	kb_destroy(kb);
}

TEST(model_managed_catches_a_miscounted_zone)
{
	struct kb_instance *kb = boot("holes");

	ASSERT_TRUE(kb);
	EXPECT_AGREES(kb);
	kb_zone(kb, 0, ZONE_NORMAL)->managed_pages += 1;
	EXPECT_STREQ(verdict(kb), "model-managed");
	kb_zone(kb, 0, ZONE_NORMAL)->managed_pages -= 1;
	kb_zone(kb, 0, ZONE_DMA32)->present_pages -= 1;
	EXPECT_STREQ(verdict(kb), "model-managed");
	kb_zone(kb, 0, ZONE_DMA32)->present_pages += 1;
	kb->totalram_pages--;
	EXPECT_STREQ(verdict(kb), "model-managed");
	kb_destroy(kb);
}

TEST(model_mobility_catches_the_wrong_decision)
{
	struct kb_instance *kb = boot("small");

	ASSERT_TRUE(kb);
	EXPECT_TRUE(model.mobility_disabled);
	EXPECT_AGREES(kb);
	kb->page_group_by_mobility_disabled = false;
	EXPECT_STREQ(verdict(kb), "model-mobility");
	kb_destroy(kb);
}

TEST(model_zonelist_catches_wrong_order_and_an_emptied_list)
{
	struct kb_instance *kb = boot("numa");
	struct zoneref *zr, tmp;

	ASSERT_TRUE(kb);
	zr = kb->node_data[1].node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	/* node 1 falls back to node 0: Normal(1), DMA32(0), DMA(0) */
	tmp = zr[1];
	zr[1] = zr[2];
	zr[2] = tmp;
	EXPECT_STREQ(verdict(kb), "model-zonelist");
	zr[2] = zr[1];
	zr[1] = tmp;
	EXPECT_AGREES(kb);
	kb->node_data[0].node_zonelists[ZONELIST_NOFALLBACK]._zonerefs[0].zone = NULL;
	EXPECT_STREQ(verdict(kb), "model-zonelist");
	kb_destroy(kb);
}

/* Tables of the allocator's GFP answers, broken one entry at a time. */
TEST(model_gfp_catches_a_wrong_zone_or_migratetype)
{
	struct kb_instance *kb = boot("default");
	int zone_of[16], mt_of[4];
	struct kb_violation v;

	ASSERT_TRUE(kb);
	for (int bits = 0; bits < 16; bits++)
		zone_of[bits] = kb_model_gfp_zone((gfp_t)bits);
	for (int bits = 0; bits < 4; bits++)
		mt_of[bits] = kb_model_gfp_migratetype(&model, (gfp_t)bits << GFP_MOVABLE_SHIFT);
	EXPECT_EQ(kb_model_check_gfp(&model, zone_of, mt_of, &v), 0);
	zone_of[__GFP_DMA] = ZONE_NORMAL;	/* a DMA request served from Normal */
	EXPECT_EQ(kb_model_check_gfp(&model, zone_of, mt_of, &v), 1);
	EXPECT_STREQ(v.invariant, "model-gfp-zone");
	zone_of[__GFP_DMA] = ZONE_DMA;
	zone_of[__GFP_DMA | __GFP_DMA32] = ZONE_DMA;	/* GFP_ZONE_BAD taken */
	EXPECT_EQ(kb_model_check_gfp(&model, zone_of, mt_of, &v), 1);
	EXPECT_STREQ(v.invariant, "model-gfp-zone");
	zone_of[__GFP_DMA | __GFP_DMA32] = -1;
	mt_of[__GFP_MOVABLE >> GFP_MOVABLE_SHIFT] = MIGRATE_UNMOVABLE;
	EXPECT_EQ(kb_model_check_gfp(&model, zone_of, mt_of, &v), 1);
	EXPECT_STREQ(v.invariant, "model-gfp-migratetype");
	kb_destroy(kb);
}

TEST(model_sysctl_catches_a_stored_value_the_user_did_not_write)
{
	struct kb_instance *kb = boot("default");

	ASSERT_TRUE(kb);
	kb->watermark_boost_factor = 0;
	EXPECT_STREQ(verdict(kb), "model-sysctl");
	kb->watermark_boost_factor = 15000;
	kb->sysctl_lowmem_reserve_ratio[ZONE_DMA32] = 255;
	EXPECT_STREQ(verdict(kb), "model-sysctl");
	kb_destroy(kb);
}

TEST(model_min_free_kbytes_catches_a_wrong_default)
{
	struct kb_instance *kb = boot("default");

	ASSERT_TRUE(kb);
	kb->min_free_kbytes += 4;
	EXPECT_STREQ(verdict(kb), "model-min-free-kbytes");
	kb->min_free_kbytes -= 4;
	kb->user_min_free_kbytes = kb->min_free_kbytes;
	EXPECT_STREQ(verdict(kb), "model-min-free-kbytes");
	kb_destroy(kb);
}

TEST(model_watermark_catches_a_doubled_mark)
{
	struct kb_instance *kb = boot("default");

	ASSERT_TRUE(kb);
	for (int w = 0; w < NR_WMARK; w++) {
		kb_zone(kb, 0, ZONE_NORMAL)->_watermark[w] *= 2;
		EXPECT_STREQ(verdict(kb), "model-watermark");
		kb_zone(kb, 0, ZONE_NORMAL)->_watermark[w] /= 2;
	}
	EXPECT_AGREES(kb);
	kb_destroy(kb);
}

TEST(model_watermark_boost_catches_a_boost_above_its_cap)
{
	struct kb_instance *kb = boot("small-blocks");
	struct zone *normal;

	ASSERT_TRUE(kb);
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	normal->watermark_boost = model.node[0].zone[ZONE_NORMAL].boost_cap;
	EXPECT_TRUE(normal->watermark_boost > 0);
	EXPECT_AGREES(kb);
	normal->watermark_boost += kb->pageblock_nr_pages;
	EXPECT_STREQ(verdict(kb), "model-watermark-boost");
	/* with boosting off no boost at all */
	normal->watermark_boost = 0;
	EXPECT_EQ(write_both(kb, KB_SYSCTL_WATERMARK_BOOST_FACTOR, 0, 0), 0);
	EXPECT_EQ(write_both(kb, KB_SYSCTL_MIN_FREE_KBYTES, 0, 2048), 0);
	EXPECT_EQ(model.node[0].zone[ZONE_NORMAL].boost_cap, 0);
	normal->watermark_boost = kb->pageblock_nr_pages;
	EXPECT_STREQ(verdict(kb), "model-watermark-boost");
	kb_destroy(kb);
}

TEST(model_lowmem_reserve_catches_a_wrong_reserve)
{
	struct kb_instance *kb = boot("default");

	ASSERT_TRUE(kb);
	kb_zone(kb, 0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL] = 0;
	EXPECT_STREQ(verdict(kb), "model-lowmem-reserve");
	kb_destroy(kb);
}

TEST(model_totalreserve_catches_a_wrong_total)
{
	struct kb_instance *kb = boot("numa");

	ASSERT_TRUE(kb);
	kb->node_data[1].totalreserve_pages++;
	EXPECT_STREQ(verdict(kb), "model-totalreserve");
	kb->node_data[1].totalreserve_pages--;
	kb->totalreserve_pages = 0;
	EXPECT_STREQ(verdict(kb), "model-totalreserve");
	kb_destroy(kb);
}

TEST(model_pcp_disable_catches_a_state_the_calls_did_not_make)
{
	struct kb_instance *kb = boot("default");
	struct zone *normal;

	ASSERT_TRUE(kb);
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	EXPECT_EQ(kb_model_pcp_disable(&model, 0, ZONE_NORMAL), 0);
	EXPECT_EQ(kb_zone_pcp_disable(kb, normal), 0);
	EXPECT_AGREES(kb);
	EXPECT_EQ(kb_model_pcp_disable(&model, 0, ZONE_DMA), -EDEADLK);
	normal->pcp_disabled = 0;
	EXPECT_STREQ(verdict(kb), "model-pcp-disable");
	normal->pcp_disabled = 1;
	kb->pcp_batch_high_lock_held = false;
	EXPECT_STREQ(verdict(kb), "model-pcp-disable");
	kb->pcp_batch_high_lock_held = true;
	EXPECT_EQ(kb_model_pcp_enable(&model, 0, ZONE_NORMAL), 0);
	EXPECT_EQ(kb_zone_pcp_enable(kb, normal), 0);
	EXPECT_AGREES(kb);
	EXPECT_EQ(kb_model_pcp_enable(&model, 0, ZONE_NORMAL), -EINVAL);
	kb_destroy(kb);
}

TEST(model_pcp_batch_catches_a_wrong_batch)
{
	struct kb_instance *kb = boot("default");
	struct zone *dma32;

	ASSERT_TRUE(kb);
	dma32 = kb_zone(kb, 0, ZONE_DMA32);
	dma32->per_cpu_pageset[1].batch++;
	EXPECT_STREQ(verdict(kb), "model-pcp-batch");
	dma32->per_cpu_pageset[1].batch--;
	dma32->pageset_batch = 0;
	EXPECT_STREQ(verdict(kb), "model-pcp-batch");
	kb_destroy(kb);
}

TEST(model_pcp_high_catches_wrong_limits)
{
	struct kb_instance *kb = boot("default");
	struct per_cpu_pages *pcp;

	ASSERT_TRUE(kb);
	pcp = &kb_zone(kb, 0, ZONE_NORMAL)->per_cpu_pageset[0];
	pcp->high_max++;
	EXPECT_STREQ(verdict(kb), "model-pcp-high");
	pcp->high_max--;
	pcp->high = pcp->high_max + 1;
	EXPECT_STREQ(verdict(kb), "model-pcp-high");
	pcp->high = pcp->high_min;
	kb_zone(kb, 0, ZONE_NORMAL)->pageset_high_min /= 2;
	EXPECT_STREQ(verdict(kb), "model-pcp-high");
	kb_destroy(kb);
}

TEST(model_highatomic_cap_catches_an_oversized_reserve)
{
	struct kb_instance *kb = boot("small-blocks");
	struct zone *normal;

	ASSERT_TRUE(kb);
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	normal->nr_reserved_highatomic = model.node[0].zone[ZONE_NORMAL].highatomic_cap;
	EXPECT_AGREES(kb);
	normal->nr_reserved_highatomic += kb->pageblock_nr_pages;
	EXPECT_STREQ(verdict(kb), "model-highatomic-cap");
	kb_destroy(kb);
	/*
	 * The default layout's DMA is too small for any reserve since 6.7 (1%
	 * is less than a pageblock); before, it may take one more pageblock
	 * once its 1% plus a pageblock is reached (KB_HIGHATOMIC_CAP_ALIGNED).
	 */
	kb = boot("default");
	ASSERT_TRUE(kb);
	if (KB_HIGHATOMIC_CAP_ALIGNED) {
		EXPECT_EQ(model.node[0].zone[ZONE_DMA].highatomic_cap, 0);
		kb_zone(kb, 0, ZONE_DMA)->nr_reserved_highatomic = kb->pageblock_nr_pages;
		EXPECT_STREQ(verdict(kb), "model-highatomic-cap");
	} else {
		unsigned long pb = kb->pageblock_nr_pages;
		unsigned long limit = kb_zone(kb, 0, ZONE_DMA)->managed_pages / 100 + pb;

		EXPECT_EQ(model.node[0].zone[ZONE_DMA].highatomic_cap,
			  (limit + pb - 1) / pb * pb - pb + (1UL << kb->max_order));
		kb_zone(kb, 0, ZONE_DMA)->nr_reserved_highatomic =
			model.node[0].zone[ZONE_DMA].highatomic_cap + pb;
		EXPECT_STREQ(verdict(kb), "model-highatomic-cap");
	}
	kb_destroy(kb);
}

/* reserve_highatomic_pageblock in a zone whose 1% is below a pageblock, per profile. */
TEST(highatomic_reserve_in_a_small_zone_follows_the_profile)
{
	struct kb_instance *kb = boot("default");
	struct zone *dma;
	unsigned long pfn;

	ASSERT_TRUE(kb);
	dma = kb_zone(kb, 0, ZONE_DMA);
	ASSERT_TRUE(dma->managed_pages / 100 < kb->pageblock_nr_pages);
	/* pageblocks wholly inside DMA */
	pfn = ALIGN_UP(dma->zone_start_pfn, kb->pageblock_nr_pages);
	ASSERT_TRUE(pfn + 3 * kb->pageblock_nr_pages <= zone_end_pfn(dma));
	reserve_highatomic_pageblock(kb, pfn_to_page(kb, pfn), 0, dma);
	/* 6.7+ reserves nothing here; 6.1 and 6.6 take the pageblock */
	EXPECT_EQ(dma->nr_reserved_highatomic, KB_HIGHATOMIC_CAP_ALIGNED ? 0 : kb->pageblock_nr_pages);
	EXPECT_EQ(get_pageblock_migratetype(kb, pfn_to_page(kb, pfn)) == MIGRATE_HIGHATOMIC,
		  !KB_HIGHATOMIC_CAP_ALIGNED);
	EXPECT_AGREES(kb);
	/* before 6.7 reservations go on while below 1% plus a pageblock, then stop */
	reserve_highatomic_pageblock(kb, pfn_to_page(kb, pfn + kb->pageblock_nr_pages), 0, dma);
	reserve_highatomic_pageblock(kb, pfn_to_page(kb, pfn + 2 * kb->pageblock_nr_pages), 0, dma);
	EXPECT_EQ(dma->nr_reserved_highatomic, KB_HIGHATOMIC_CAP_ALIGNED ? 0 :
		  ALIGN_UP(dma->managed_pages / 100 + kb->pageblock_nr_pages, kb->pageblock_nr_pages));
	EXPECT_AGREES(kb);
	kb_destroy(kb);
}

/* --- the oracles judge with the model --- */

/* The served zone must be one the model's zonelist reaches. */
TEST(alloc_zone_rejects_a_zone_the_model_zonelist_does_not_reach)
{
	struct kb_instance *kb = boot("numa");
	struct kb_violation v;
	struct page *page;
	int *zl;

	ASSERT_TRUE(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, 1, NULL);
	ASSERT_TRUE(page);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, 1, kb_page_to_pfn(kb, page), &v), 0);
	/* a model whose node-1 list ends before its Normal zone */
	zl = model.node[1].zonelist[ZONELIST_FALLBACK];
	ASSERT_EQ(zl[0], KB_MODEL_ZONEREF(1, ZONE_NORMAL));
	zl[0] = zl[1];
	zl[1] = zl[2];
	zl[2] = -1;
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, 1, kb_page_to_pfn(kb, page), &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-zone");
	kb_destroy(kb);
}

/* Rights the request cannot earn do not count: a GFP_KERNEL page taken "without watermarks". */
TEST(alloc_watermark_rejects_reserve_rights_the_gfp_cannot_earn)
{
	struct kb_instance *kb = boot("default");
	struct kb_violation v;
	struct page *page;
	unsigned long pfn;

	ASSERT_TRUE(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
	ASSERT_TRUE(page && kb->last_alloc.zone);
	pfn = kb_page_to_pfn(kb, page);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, pfn, &v), 0);
	kb->last_alloc.alloc_flags |= ALLOC_NO_WATERMARKS;
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, pfn, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-watermark");
	/* __GFP_MEMALLOC earns it */
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL | __GFP_MEMALLOC, 0, -1, pfn, &v), 0);
	/* just above min: fine with __GFP_HIGH's half, not for GFP_KERNEL claiming it */
	kb->last_alloc.alloc_flags = ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE;
	kb->last_alloc.before.free_pages =
		(long)model.node[0].zone[ZONE_NORMAL].wmark[WMARK_MIN] * 3 / 4;
	kb->last_alloc.before.free_highatomic = kb->last_alloc.before.free_cma = 0;
	kb->last_alloc.before.boost = 0;
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL | __GFP_HIGH, 0, -1, pfn, &v), 0);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, pfn, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-watermark");
	kb_destroy(kb);
}

/* The allocator's own watermarks do not excuse a failure: the model's do. */
TEST(alloc_spurious_failure_uses_the_model_watermarks)
{
	struct kb_instance *kb = boot("default");
	struct kb_violation v;

	ASSERT_TRUE(kb);
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			for (int w = 0; w < NR_WMARK; w++)
				kb_zone(kb, nid, (enum zone_type)zid)->_watermark[w] = 1UL << 40;
	EXPECT_TRUE(!kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL));
	EXPECT_EQ(kb_oracle_failure(kb, &model, GFP_KERNEL, 0, -1, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-spurious-failure");
	kb_destroy(kb);
}

/* --- through the runner: a hand-made bug that makes every allocation fail --- */

static void empty_zonelists(void *ctx, struct kb_run *run, size_t index)
{
	struct kb_instance *kb = kb_run_instance(run);

	(void)ctx;
	if (index)
		return;
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		for (int list = 0; list < MAX_ZONELISTS; list++)
			kb->node_data[nid].node_zonelists[list]._zonerefs[0].zone = NULL;
}

static void double_watermarks(void *ctx, struct kb_run *run, size_t index)
{
	struct kb_instance *kb = kb_run_instance(run);

	(void)ctx;
	if (index)
		return;
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			for (int w = 0; w < NR_WMARK; w++)
				kb_zone(kb, nid, (enum zone_type)zid)->_watermark[w] *= 2;
}

static void wipe_lowmem_reserve(void *ctx, struct kb_run *run, size_t index)
{
	struct kb_instance *kb = kb_run_instance(run);

	(void)ctx;
	if (!index)
		memset(kb_zone(kb, 0, ZONE_DMA32)->lowmem_reserve, 0,
		       sizeof(kb_zone(kb, 0, ZONE_DMA32)->lowmem_reserve));
}

static void run_text(const char *text, kb_before_op_fn before, struct kb_run_result *res)
{
	static struct kb_ops ops;
	struct kb_run_options opt = { .check_level = 2, .before_op = before };
	struct kb_run *run;
	char err[128];

	memset(res, 0, sizeof(*res));
	if (kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err))) {
		KBTEST_FAIL("parse: %s", err);
		return;
	}
	run = kb_run_ops(&ops, &opt, res);
	if (!run)
		KBTEST_FAIL("the layout did not boot");
	kb_run_destroy(run);
}

TEST(runner_catches_an_allocator_whose_zonelists_are_empty)
{
	struct kb_run_result res;

	run_text("layout default\nalloc order=0 -> a1\nfree a1\n", empty_zonelists, &res);
	EXPECT_TRUE(res.violated);
	EXPECT_STREQ(res.violation.invariant, "alloc-spurious-failure");
	EXPECT_EQ(res.violation.op_index, 0);
}

TEST(runner_catches_an_allocator_whose_watermarks_doubled)
{
	struct kb_run_result res;

	/* the allocations succeed (memory is plentiful); the end-of-run comparison names it */
	run_text("layout default\nalloc order=0 -> a1\nalloc order=3 -> a2\nfree a1\n",
		 double_watermarks, &res);
	EXPECT_TRUE(res.violated);
	EXPECT_STREQ(res.violation.invariant, "model-watermark");
	/* and a sysctl write compares at once */
	run_text("layout default\nsysctl watermark_boost_factor=100\nalloc order=0 -> a1\n",
		 double_watermarks, &res);
	EXPECT_TRUE(res.violated);
	EXPECT_STREQ(res.violation.invariant, "model-watermark");
	EXPECT_EQ(res.violation.op_index, 0);
}

TEST(runner_catches_a_wiped_lowmem_reserve_at_the_end)
{
	struct kb_run_result res;

	run_text("layout default\nalloc order=0 -> a1\n", wipe_lowmem_reserve, &res);
	EXPECT_TRUE(res.violated);
	EXPECT_STREQ(res.violation.invariant, "model-lowmem-reserve");
	EXPECT_EQ(res.violation.op_index, -1);
	run_text("layout default\nalloc order=0 -> a1\n", NULL, &res);
	EXPECT_TRUE(!res.violated);
}

TEST_MAIN()
