// SPDX-License-Identifier: GPL-2.0
/*
 * Level 2's per-operation checker: each corruption is reported by name at
 * the operation that made it, not at the end of the input.
 */
#include <string.h>

#include "kbtest.h"
#include "incremental.h"
#include "run.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_ops ops;

typedef void (*corrupt_fn)(struct kb_instance *kb);

struct corruption {
	size_t at;		/* before this operation */
	corrupt_fn fn;
};

static void before(void *ctx, struct kb_run *run, size_t index)
{
	const struct corruption *c = ctx;

	if (index == c->at)
		c->fn(kb_run_instance(run));
}

/* Runs text at level 2 with fn applied before operation at; the violation. */
static const struct kb_violation *run_corrupted(const char *text, size_t at, corrupt_fn fn)
{
	static struct kb_run_result res;
	struct corruption c = { at, fn };
	struct kb_run_options opt = { .check_level = 2, .before_op = before, .ctx = &c };
	struct kb_run *run;
	char err[128];

	if (kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err)))
		return NULL;
	run = kb_run_ops(&ops, &opt, &res);
	if (!run)
		return NULL;
	kb_run_destroy(run);
	return res.violated ? &res.violation : NULL;
}

static const char *const seq =
	"layout default\n"
	"alloc order=0 -> a1\n"
	"alloc order=3 -> a2\n"
	"alloc order=1 cpu=1 -> a3\n"
	"free a2\n"
	"free a1 cpu=1\n"
	"drain_all\n";

static struct zone *normal(struct kb_instance *kb)
{
	return kb_zone(kb, 0, ZONE_NORMAL);
}

/*
 * Puts the first free MOVABLE order-10 block of Normal on the UNMOVABLE
 * list behind the allocator's back; returns its head.
 */
static struct page *misfile_movable_block(struct kb_instance *kb)
{
	struct zone *z = normal(kb);
	struct page *head = list_first_entry(&z->free_area[10].free_list[MIGRATE_MOVABLE],
					     struct page, lru);

	list_move(&head->lru, &z->free_area[10].free_list[MIGRATE_UNMOVABLE]);
	return head;
}

static void bump_nr_free(struct kb_instance *kb) { normal(kb)->free_area[5].nr_free++; }
static void bump_free_pages(struct kb_instance *kb) { normal(kb)->vm_stat[NR_FREE_PAGES] += 3; }
static void bump_pcp_count(struct kb_instance *kb) { normal(kb)->per_cpu_pageset[1].count += 1; }
static void bump_highatomic(struct kb_instance *kb) { normal(kb)->nr_free_highatomic += 2; }
static void bump_cma(struct kb_instance *kb) { normal(kb)->vm_stat[NR_FREE_CMA_PAGES] -= 1; }

TEST(clean_sequence_passes_every_operation)
{
	struct kb_run_options opt = { .check_level = 2 };
	struct kb_run_result res;
	struct kb_run *run;
	char err[128];

	ASSERT_EQ(kb_ops_parse_text(seq, strlen(seq), &ops, err, sizeof(err)), 0);
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run);
	EXPECT_TRUE(!res.violated);
	kb_run_destroy(run);
}

TEST(nr_free_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 2, bump_nr_free);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "nr-free");
	EXPECT_EQ(v->op_index, 2);
}

TEST(free_pages_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 1, bump_free_pages);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vmstat-free-pages");
	EXPECT_EQ(v->op_index, 1);
}

TEST(pcp_count_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 3, bump_pcp_count);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "pcp-count");
	EXPECT_EQ(v->op_index, 3);
}

TEST(highatomic_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 0, bump_highatomic);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "highatomic-free");
	EXPECT_EQ(v->op_index, 0);
}

TEST(cma_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 4, bump_cma);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vmstat-free-cma");
	EXPECT_EQ(v->op_index, 4);
}

/* A hand-made touch log: the block moved to a list of the wrong type. */
TEST(free_block_on_the_wrong_list_is_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *head;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	head = misfile_movable_block(kb);
	kb_touch_reset(kb);
	kb_touch(kb, KB_TOUCH_FREE_DEL, kb_page_to_pfn(kb, head), 10, MIGRATE_MOVABLE);
	kb_touch(kb, KB_TOUCH_FREE_ADD, kb_page_to_pfn(kb, head), 10, MIGRATE_UNMOVABLE);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "list-type");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/*
 * An operation that touched more than the log holds is checked by the full
 * sweep, which sees what no logged touch points at: here a free block moved
 * to the wrong list with no touch recorded.
 */
TEST(touch_log_overflow_falls_back_to_the_sweep)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	char err[128];
	unsigned int i;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	misfile_movable_block(kb);
	kb_touch_reset(kb);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 0);	/* unlogged: not seen */
	/* one touch more than the log holds, none of them of that block */
	for (i = 0; i <= KB_TOUCH_MAX; i++)
		kb_touch(kb, KB_TOUCH_RETYPE, 0, 0, -1);
	EXPECT_TRUE(kb->touch_overflow);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "list-type");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/*
 * The counts an overflowed operation's sweep recounts belong to that input:
 * an instance restored to its snapshot starts again from the counts of the
 * snapshot's state (kb_incremental_restart), and its next operation checks
 * clean against them.
 */
TEST(restart_after_an_overflowed_operation_counts_from_the_snapshot)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *page;
	char err[128];
	unsigned int i;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	ASSERT_EQ(kb_snapshot_take(kb), 0);
	kb_incremental_begin(ic, kb);
	/* an input: a page through the pcp list (a batch moves), its check overflowed */
	kb_touch_reset(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
	ASSERT_TRUE(page != NULL);
	kb_free_pages(kb, page, 0);
	for (i = 0; i <= KB_TOUCH_MAX; i++)
		kb_touch(kb, KB_TOUCH_RETYPE, 0, 0, -1);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 0);
	/* the next input, on the restored instance */
	kb_snapshot_restore(kb);
	kb_incremental_restart(ic);
	kb_touch_reset(kb);
	ASSERT_TRUE(kb_alloc_pages(kb, GFP_KERNEL, 3, -1, NULL) != NULL);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 0);
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/* A pageblock isolated inside a free order-10 block without splitting it. */
TEST(isolated_block_inside_large_free_block_is_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	unsigned long pfn;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	pfn = 0x3000 + kb->pageblock_nr_pages;	/* upper half of a free order-10 block */
	ASSERT_TRUE(PageBuddy(kb_pfn_to_page(kb, 0x3000)));
	kb_touch_reset(kb);
	set_pageblock_isolate(kb, kb_pfn_to_page(kb, pfn));
	normal(kb)->nr_isolate_pageblock++;
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "large-block-type");
	EXPECT_EQ(v.pfn, pfn);
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

static void fake_straddling_buddy(struct kb_instance *kb)
{
	struct page *page = kb_pfn_to_page(kb, 0x31ff);

	/* a page below the pageblock at 0x3200 wrongly marked a free order-1 block */
	SetPageBuddy(page);
	set_page_private(page, 1);
}

/* Isolation finds a free block across the boundary it isolates (VM_WARN). */
TEST(free_block_across_isolation_boundary_is_named)
{
	static const char text[] =
		"layout default\n"
		"alloc order=9 gfp=GFP_KERNEL -> a1\n"
		"isolate pfn=0x3200 nr=512\n";
	const struct kb_violation *v = run_corrupted(text, 1, fake_straddling_buddy);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vm-bug-isolate-state");
	EXPECT_EQ(v->op_index, 1);
}

static void take_reference_on_free_page(struct kb_instance *kb)
{
	kb_get_page(kb, kb_pfn_to_page(kb, 0x3800));	/* a free order-10 head */
}

TEST(get_page_on_free_page_is_named)
{
	const struct kb_violation *v = run_corrupted(seq, 1, take_reference_on_free_page);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vm-bug-page-ref");
}

/* A freed page listed without merging with its free buddy. */
TEST(unmerged_buddies_are_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *page;
	struct zone *z;
	unsigned long pfn;
	int mt;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	page = kb_alloc_pages(kb, GFP_KERNEL, 3, -1, NULL);	/* not a pcp order: from the buddy */
	ASSERT_TRUE(page);
	kb_incremental_begin(ic, kb);
	pfn = kb_page_to_pfn(kb, page);
	z = page_zone(kb, page);
	mt = get_pfnblock_migratetype(kb, pfn);
	/* list it as free at order 3 next to its free order-3 buddy, counters kept right */
	set_page_count(page, 0);
	SetPageBuddy(page);
	set_page_private(page, 3);
	list_add(&page->lru, &z->free_area[3].free_list[mt]);
	z->free_area[3].nr_free++;
	z->vm_stat[NR_FREE_PAGES] += 8;
	kb_touch_reset(kb);
	kb_touch(kb, KB_TOUCH_FREE_ADD, pfn, 3, mt);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "fully-merged");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/*
 * The allocator's own retype of a pageblock (set_pageblock_migratetype)
 * logs a touch, so the per-operation check looks at the larger free block
 * around it: here the first pageblock of a free order-10 block retyped
 * alone.
 */
TEST(retype_of_a_pageblock_inside_a_free_block_is_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *head;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	head = list_first_entry(&normal(kb)->free_area[10].free_list[MIGRATE_MOVABLE],
				struct page, lru);
	kb_touch_reset(kb);
	set_pageblock_migratetype(kb, head, MIGRATE_UNMOVABLE);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "large-block-type");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

TEST_MAIN()
