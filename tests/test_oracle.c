// SPDX-License-Identifier: GPL-2.0
/*
 * The allocation oracles and the page-content check: each is shown a
 * result it must reject, by its invariant name, and one it must accept.
 */
#include <string.h>

#include "kbtest.h"
#include "model.h"
#include "oracle.h"
#include "run.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

/* The model of the instance last booted. */
static struct kb_model model;

static struct kb_instance *boot(const char *name)
{
	struct kb_options opt = { .check_level = 2 };
	struct kb_layout l;
	char err[256];

	if (kb_layout_builtin(name, &l))
		return NULL;
	kb_model_boot(&model, &l);
	return kb_create(&l, &opt, err, sizeof(err));
}

static unsigned long alloc_pfn(struct kb_instance *kb, gfp_t gfp, unsigned int order, int nid)
{
	struct page *page = kb_alloc_pages(kb, gfp, order, nid, NULL);

	return page ? kb_page_to_pfn(kb, page) : ~0UL;
}

/* A Normal page presented as the answer to a GFP_DMA request. */
TEST(alloc_zone_rejects_a_page_above_the_allowed_zone)
{
	struct kb_instance *kb = boot("default");
	struct kb_violation v;
	unsigned long pfn;

	ASSERT_TRUE(kb);
	pfn = alloc_pfn(kb, GFP_KERNEL, 0, -1);
	ASSERT_TRUE(pfn != ~0UL);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, pfn, &v), 0);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_DMA, 0, -1, pfn, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-zone");
	kb_destroy(kb);
}

/* A node-1 page presented as the answer to a __GFP_THISNODE request for node 0. */
TEST(alloc_node_rejects_a_page_of_another_node)
{
	struct kb_instance *kb = boot("numa");
	struct kb_violation v;
	unsigned long pfn;

	ASSERT_TRUE(kb);
	pfn = alloc_pfn(kb, GFP_KERNEL | __GFP_THISNODE, 0, 1);
	ASSERT_TRUE(pfn != ~0UL);
	EXPECT_EQ(kb_pfn_to_page(kb, pfn)->node, 1);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL | __GFP_THISNODE, 0, 1, pfn, &v), 0);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL | __GFP_THISNODE, 0, 0, pfn, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-node");
	kb_destroy(kb);
}

/* The recorded zone state says the zone was nearly empty: the watermark was broken. */
TEST(alloc_watermark_rejects_an_allocation_below_the_mark)
{
	struct kb_instance *kb = boot("default");
	struct kb_violation v;
	unsigned long pfn;

	ASSERT_TRUE(kb);
	pfn = alloc_pfn(kb, GFP_KERNEL, 2, -1);
	ASSERT_TRUE(pfn != ~0UL && kb->last_alloc.zone);
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 2, -1, pfn, &v), 0);
	kb->last_alloc.before.free_pages = 10;
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 2, -1, pfn, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-watermark");
	kb_destroy(kb);
}

/* lowmem_reserve is recomputed, not read: zeroing the zone's copy does not hide it. */
TEST(alloc_watermark_recomputes_lowmem_reserve)
{
	struct kb_instance *kb = boot("default");
	struct zone *dma = kb_zone(kb, 0, ZONE_DMA);
	struct kb_violation v;
	unsigned long pfn;

	ASSERT_TRUE(kb && dma);
	pfn = alloc_pfn(kb, GFP_KERNEL | __GFP_DMA, 0, -1);
	ASSERT_TRUE(pfn != ~0UL);
	/* pretend the DMA zone sat just above min + its true reserve for a NORMAL request */
	kb->last_alloc.before.free_pages = (long)min_wmark_pages(dma) + 2;
	kb->last_alloc.highest_zoneidx = ZONE_NORMAL;
	dma->lowmem_reserve[ZONE_NORMAL] = 0;
	EXPECT_EQ(kb_oracle_alloc(kb, &model, GFP_KERNEL, 0, -1, pfn, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-watermark");
	kb_destroy(kb);
}

/* A fresh machine with plenty of free memory cannot fail an order-0 request. */
TEST(alloc_spurious_failure_rejects_a_failure_with_memory_free)
{
	struct kb_instance *kb = boot("default");
	struct kb_violation v;

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb_oracle_failure(kb, &model, GFP_KERNEL, 0, -1, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-spurious-failure");
	kb_destroy(kb);
}

/* After the zones are drained to their watermarks, a real failure is accepted. */
TEST(alloc_spurious_failure_accepts_a_real_failure)
{
	struct kb_instance *kb = boot("default");
	struct kb_violation v;
	int i, err;

	ASSERT_TRUE(kb);
	for (i = 0; i < 100000; i++)
		if (!kb_alloc_pages(kb, GFP_KERNEL, 0, -1, &err))
			break;
	ASSERT_TRUE(i < 100000);
	EXPECT_EQ(err, 0);
	EXPECT_EQ(kb_oracle_failure(kb, &model, GFP_KERNEL, 0, -1, &v), 0);
	kb_destroy(kb);
}

static void scribble(void *ctx, struct kb_run *run, size_t index, const struct kb_op *op,
		     const struct kb_op_result *res)
{
	struct kb_instance *kb = kb_run_instance(run);

	(void)ctx;
	(void)op;
	/* a second owner writes into a1's page right after it was handed out */
	if (index == 0)
		*(uint64_t *)kb_page_address(kb, kb_pfn_to_page(kb, res->pfn)) = 0xdead;
}

TEST(page_content_catches_a_second_owner)
{
	static struct kb_ops ops;
	const char *text = "layout default\nalloc order=1 -> a1\nfree a1\n";
	struct kb_run_options opt = { .check_level = 2, .back_with_memory = true,
				      .after_op = scribble };
	struct kb_run_result res;
	struct kb_run *run;
	char err[128];

	ASSERT_EQ(kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err)), 0);
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run);
	EXPECT_TRUE(res.violated);
	EXPECT_STREQ(res.violation.invariant, "page-content");
	EXPECT_EQ(res.violation.op_index, 1);
	kb_run_destroy(run);

	opt.after_op = NULL;
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run);
	EXPECT_TRUE(!res.violated);
	kb_run_destroy(run);
}

TEST_MAIN()
