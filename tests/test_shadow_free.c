// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow of free memory (checkers/shadow_free.c): free pages kept from
 * the caller's allocations and frees alone agree with the allocator's
 * counters and lists through a mix of operations, and each of its two
 * invariants is reported by name when the allocator's state is broken on
 * purpose: a page handed out behind the caller's back, a counter off by
 * one, free pages left on the lists of a pageblock's old type.
 */
#include <string.h>

#include "kbtest.h"
#include "model.h"
#include "run.h"
#include "shadow_free.h"
#include "test_checker_fixture.h"
#include "../machine/layout_io.h"

static struct kb_model model;

/* The fixture's instance with the shadow of free memory attached. */
static int setup(struct fx *f, const char *layout_name)
{
	struct kb_layout l;

	if (layout_name) {
		if (kb_layout_builtin(layout_name, &l) || fx_create(f, &l))
			return -1;
	} else if (fx_setup(f)) {
		return -1;
	}
	kb_model_boot(&model, &f->kb->layout);
	if (kb_shadow_attach_model(f->sh, &model)) {
		KBTEST_FAIL("kb_shadow_attach_model failed");
		return -1;
	}
	/* attached after the fixture's allocations: record them again */
	if (!layout_name) {
		struct kb_shadow *fresh = kb_shadow_create(f->kb);

		if (!fresh)
			return -1;
		kb_shadow_destroy(f->sh);
		f->sh = fresh;
		if (kb_shadow_attach_model(f->sh, &model))
			return -1;
		for (unsigned int h = 1; h <= f->nr_handles; h++) {
			struct kb_violation v;

			if (f->live[h] && kb_shadow_alloc(f->sh, f->kb, f->pfn[h], f->order[h],
							  f->gfp[h], h, &v))
				return -1;
		}
	}
	return 0;
}

static const char *verdict(struct fx *f)
{
	static struct kb_violation v;

	return kb_shadow_check_free(f->sh, f->kb, &v) ? v.invariant : NULL;
}

TEST(shadow_free_starts_at_the_layout_managed_pages)
{
	static const char *const layouts[] = { "default", "holes", "numa", "cma", "small",
					       "small-blocks", "zones" };

	for (unsigned int i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		struct fx f;

		ASSERT_EQ(setup(&f, layouts[i]), 0);
		EXPECT_TRUE(verdict(&f) == NULL);
		for (int nid = 0; nid < model.nr_nodes; nid++)
			for (int zid = 0; zid < MAX_NR_ZONES; zid++)
				EXPECT_EQ(kb_shadow_free_pages(f.sh, KB_MODEL_ZONEREF(nid, zid)),
					  model.node[nid].zone[zid].managed);
		fx_teardown(&f);
	}
}

TEST(shadow_free_follows_allocations_frees_and_references)
{
	struct fx f;
	unsigned int h;

	ASSERT_EQ(setup(&f, NULL), 0);
	EXPECT_TRUE(verdict(&f) == NULL);
	h = fx_alloc(&f, GFP_KERNEL, 3, 0);
	ASSERT_TRUE(h);
	EXPECT_TRUE(verdict(&f) == NULL);
	fx_free(&f, h, 1);
	EXPECT_TRUE(verdict(&f) == NULL);
	/* a plain block freed while a reference holds its first page */
	h = fx_alloc(&f, GFP_KERNEL, 2, 0);
	ASSERT_TRUE(h);
	kb_get_page(f.kb, kb_pfn_to_page(f.kb, f.pfn[h]));
	kb_shadow_keep_first_page(f.sh, h);
	kb_free_pages(f.kb, kb_pfn_to_page(f.kb, f.pfn[h]), 2);
	EXPECT_TRUE(verdict(&f) == NULL);
	kb_shadow_forget(f.sh, h);
	kb_put_page(f.kb, kb_pfn_to_page(f.kb, f.pfn[h]));
	EXPECT_TRUE(verdict(&f) == NULL);
	/* drained pcp lists and isolated pageblocks change nothing */
	kb_drain_all_pages(f.kb);
	EXPECT_TRUE(verdict(&f) == NULL);
	EXPECT_EQ(kb_start_isolate_page_range(f.kb, 19456, 19456 + 512, KB_ISOLATE_MEM_OFFLINE), 0);
	EXPECT_TRUE(kb_zone(f.kb, 0, ZONE_NORMAL)->nr_isolate_pageblock > 0);
	EXPECT_TRUE(verdict(&f) == NULL);
	EXPECT_EQ(kb_undo_isolate_page_range(f.kb, 19456, 19456 + 512), 0);
	EXPECT_TRUE(verdict(&f) == NULL);
	fx_teardown(&f);
}

/* The allocator hands out a page nobody asked for (and keeps its counters right). */
TEST(shadow_free_zone_catches_a_page_handed_to_nobody)
{
	struct fx f;
	struct kb_violation v;

	ASSERT_EQ(setup(&f, NULL), 0);
	ASSERT_TRUE(kb_alloc_pages(f.kb, GFP_KERNEL, 0, -1, NULL));
	EXPECT_STREQ(verdict(&f), "shadow-free-zone");
	EXPECT_EQ(kb_shadow_check_free_zone(f.sh, f.kb, KB_MODEL_ZONEREF(0, ZONE_NORMAL), 0, &v),
		  1);
	EXPECT_STREQ(v.invariant, "shadow-free-zone");
	fx_teardown(&f);
}

TEST(shadow_free_zone_catches_a_counter_off_by_one)
{
	struct fx f;

	ASSERT_EQ(setup(&f, NULL), 0);
	kb_zone(f.kb, 0, ZONE_DMA32)->per_cpu_pageset[0].count++;
	EXPECT_STREQ(verdict(&f), "shadow-free-zone");
	kb_zone(f.kb, 0, ZONE_DMA32)->per_cpu_pageset[0].count--;
	kb_zone(f.kb, 0, ZONE_DMA)->vm_stat[NR_FREE_PAGES]--;
	EXPECT_STREQ(verdict(&f), "shadow-free-zone");
	fx_teardown(&f);
}

/* A pageblock retyped with its free pages left on the old type's list. */
TEST(shadow_free_migratetype_catches_free_pages_of_a_pageblock_old_type)
{
	struct fx f;
	struct fblock b;

	ASSERT_EQ(setup(&f, NULL), 0);
	ASSERT_TRUE(fx_free_block(&f, 0, f.kb->pageblock_order - 1, false, &b));
	ASSERT_TRUE(b.mt == MIGRATE_MOVABLE || b.mt == MIGRATE_UNMOVABLE);
	*pfnblock_flags(f.kb, b.pfn) = (uint8_t)(b.mt == MIGRATE_MOVABLE ? MIGRATE_RECLAIMABLE :
								      MIGRATE_MOVABLE);
	if (!KB_FREELIST_HYGIENE) {
		/*
		 * Before 6.10 a normal pageblock's pages may sit on another
		 * normal type's lists (in 6.1 and 6.6 on the highatomic ones
		 * too: kb_list_type_mixes); CMA never mixes.
		 */
		EXPECT_TRUE(verdict(&f) == NULL);
		if (KB_PCP_CACHED_MIGRATETYPE || KB_HIGHATOMIC_FIRST_PAGEBLOCK) {
			*pfnblock_flags(f.kb, b.pfn) = (uint8_t)MIGRATE_HIGHATOMIC;
			EXPECT_TRUE(verdict(&f) == NULL);
		}
		*pfnblock_flags(f.kb, b.pfn) = (uint8_t)MIGRATE_CMA;
	}
	EXPECT_STREQ(verdict(&f), "shadow-free-migratetype");
	fx_teardown(&f);
}

/*
 * Through the runner: inside an operation (the window of __free_pages that
 * another holder's put may hit), the allocator hands a page to nobody. The
 * counters agree with the lists; the shadow of free memory names it there.
 */
static void hand_out_behind_the_callers_back(struct kb_instance *kb, struct page *page,
					     void *ctx)
{
	(void)page;
	(void)ctx;
	kb->owner.free_window = NULL;
	kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
}

static void arm_the_window(void *ctx, struct kb_run *run, size_t index)
{
	(void)ctx;
	if (index == 2)
		kb_run_instance(run)->owner.free_window = hand_out_behind_the_callers_back;
}

TEST(runner_names_a_leak_at_the_operation)
{
	static struct kb_ops ops;
	const char *text = "layout default\nalloc order=1 -> a1\nget a1\nfree a1\nput a1\n";
	struct kb_run_options opt = { .check_level = 2, .before_op = arm_the_window };
	struct kb_run_result res;
	struct kb_run *run;
	char err[128];

	ASSERT_EQ(kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err)), 0);
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run);
	EXPECT_TRUE(res.violated);
	EXPECT_STREQ(res.violation.invariant, "shadow-free-zone");
	EXPECT_EQ(res.violation.op_index, 2);
	kb_run_destroy(run);
	/* the same sequence alone is clean */
	opt.before_op = NULL;
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run);
	EXPECT_TRUE(!res.violated);
	kb_run_destroy(run);
}

TEST_MAIN()
