/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OOM checker (checkers/check_oom.c) against kills the kernel would
 * not make: each test hands kb_check_oom_kill / kb_check_oom_killed a
 * request, an oom_control answer and the owner's processes, one thing
 * wrong, and expects the invariant that covers it by name; the kernel's
 * own answer for the same input passes.
 */
#include "test_checker_fixture.h"
#include "check_oom.h"
#include "model.h"
#include "../core/oom.h"

struct ofx {
	struct fx f;
	struct kb_model m;
	struct oom_control oc;
	struct kb_oom_view view;
	struct kb_oom_watch w;
	struct kb_violation v;
};

/*
 * Three processes: pid 1 with 10 pages, pid 2 with 50, pid 3 (the
 * allocating task) with 20; out_of_memory's answer: pid 2 over totalram.
 */
static struct ofx *ofx_setup(void)
{
	static const struct kb_oom_task tasks[] = {
		{ .pid = 1, .rss = 10 }, { .pid = 2, .rss = 50 }, { .pid = 3, .rss = 20, .current = true },
	};
	struct ofx *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	if (fx_setup(&o->f)) {
		free(o);
		return NULL;
	}
	kb_model_boot(&o->m, &o->f.kb->layout);
	o->view.nr = 3;
	memcpy(o->view.tasks, tasks, sizeof(tasks));
	memcpy(o->oc.tasks, tasks, sizeof(tasks));
	o->oc.nr_tasks = 3;
	o->oc.constraint = CONSTRAINT_NONE;
	o->oc.totalpages = o->m.totalram;
	o->oc.chosen = 1;
	return o;
}

static void ofx_teardown(struct ofx *o)
{
	fx_teardown(&o->f);
	free(o);
}

/* The kill of a request judged: 0 (fine) or 1 with o->v. */
static int judge(struct ofx *o, gfp_t gfp, unsigned int order)
{
	return kb_check_oom_kill(o->f.kb, &o->m, gfp, order, &o->oc, &o->view, &o->w, &o->v);
}

/* Both the process list the killer read and the owner's agree on task i. */
static void set_task(struct ofx *o, unsigned int i, unsigned long rss, int adj)
{
	o->view.tasks[i].rss = o->oc.tasks[i].rss = rss;
	o->view.tasks[i].oom_score_adj = o->oc.tasks[i].oom_score_adj = adj;
}

TEST(kernel_kill_passes)
{
	struct ofx *o = ofx_setup();

	ASSERT_TRUE(o != NULL);
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 0);
	EXPECT_TRUE(o->w.armed);
	EXPECT_EQ(o->w.victim_pid, 2);
	EXPECT_EQ(o->w.back, 50);
	/* __GFP_NOFAIL of a small order reaches the killer as any GFP_KERNEL does */
	EXPECT_EQ(judge(o, GFP_KERNEL | __GFP_NOFAIL, PAGE_ALLOC_COSTLY_ORDER), 0);
	/* a highmem-capable request is at or above Normal */
	EXPECT_EQ(judge(o, GFP_HIGHUSER_MOVABLE, 0), 0);
	ofx_teardown(o);
}

/* Requests the slow path or out_of_memory never kills for. */
TEST(kill_for_request_that_never_reaches_one)
{
	static const struct { gfp_t gfp; unsigned int order; } no_kill[] = {
		{ GFP_NOWAIT, 0 },				/* no direct reclaim */
		{ GFP_KERNEL | __GFP_NORETRY, 0 },
		{ GFP_KERNEL, PAGE_ALLOC_COSTLY_ORDER + 1 },
		{ GFP_KERNEL | __GFP_NOFAIL, PAGE_ALLOC_COSTLY_ORDER + 1 },
		{ GFP_KERNEL | __GFP_RETRY_MAYFAIL, 0 },
		{ GFP_KERNEL | __GFP_NOFAIL | __GFP_RETRY_MAYFAIL, 0 },
		{ GFP_KERNEL | __GFP_THISNODE, 0 },
		{ GFP_KERNEL | __GFP_DMA32, 0 },		/* lowmem */
		{ GFP_NOFS, 0 },				/* pretends progress */
		{ GFP_NOIO, 0 },
	};
	struct ofx *o = ofx_setup();

	ASSERT_TRUE(o != NULL);
	for (unsigned int i = 0; i < sizeof(no_kill) / sizeof(no_kill[0]); i++) {
		EXPECT_EQ(judge(o, no_kill[i].gfp, no_kill[i].order), 1);
		EXPECT_STREQ(o->v.invariant, "oom-kill-constraint");
		EXPECT_TRUE(!o->w.armed);
	}
	/* an OOM victim allocating: task_will_free_mem, no second kill */
	kb_model_set_oom_victim(&o->m, true);
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-kill-constraint");
	ofx_teardown(o);
}

TEST(kill_under_wrong_constraint)
{
	struct ofx *o = ofx_setup();

	ASSERT_TRUE(o != NULL);
	o->oc.constraint = CONSTRAINT_MEMCG;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-kill-constraint");
	o->oc.constraint = CONSTRAINT_NONE;
	o->oc.totalpages = o->m.totalram - 1;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-kill-constraint");
	o->oc.totalpages = o->m.totalram;
	/* a victim none of the tasks looked at, or a pid the owner does not have */
	o->oc.chosen = 3;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-kill-constraint");
	o->oc.chosen = 1;
	o->oc.tasks[1].pid = 99;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-kill-constraint");
	ofx_teardown(o);
}

TEST(victim_not_the_highest_badness)
{
	struct ofx *o = ofx_setup();

	ASSERT_TRUE(o != NULL);
	o->oc.chosen = 0;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	/* equal points: the later task wins (oom_evaluate_task skips only lower ones) */
	set_task(o, 2, 50, 0);
	o->oc.chosen = 1;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	o->oc.chosen = 2;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 0);
	/* oom_score_adj counts per mille of totalpages: 1000 outweighs any rss */
	set_task(o, 0, 10, 1000);
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	o->oc.chosen = 0;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 0);
	/* a negative adj lowers a task below a smaller one: -100 per mille is -10% of RAM */
	set_task(o, 0, 10, 0);
	set_task(o, 2, 20, 0);
	set_task(o, 1, 50, -100);
	o->oc.chosen = 1;
	ASSERT_TRUE(o->m.totalram >= 1000);
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	o->oc.chosen = 2;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 0);
	ofx_teardown(o);
}

TEST(unkillable_victim)
{
	struct ofx *o = ofx_setup();

	ASSERT_TRUE(o != NULL);
	/* OOM_SCORE_ADJ_MIN is never chosen, however large */
	set_task(o, 1, 50, OOM_SCORE_ADJ_MIN);
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	o->oc.chosen = 2;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 0);
	/* nothing killable at all: no mm, or OOM_SCORE_ADJ_MIN */
	set_task(o, 0, 0, 0);
	set_task(o, 2, 20, OOM_SCORE_ADJ_MIN);
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	ofx_teardown(o);
}

TEST(oom_kill_allocating_task_victim)
{
	struct ofx *o = ofx_setup();

	ASSERT_TRUE(o != NULL);
	o->m.sys.oom_kill_allocating_task = 1;
	/* the allocating task, pid 3, goes although pid 2 is larger */
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	o->oc.chosen = 2;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 0);
	/* an unkillable allocating task: select_bad_process decides */
	set_task(o, 2, 20, OOM_SCORE_ADJ_MIN);
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-badness");
	o->oc.chosen = 1;
	EXPECT_EQ(judge(o, GFP_KERNEL, 0), 0);
	ofx_teardown(o);
}

/* Gives the victim, pid 2, blocks of the fixture: their handles in h[], their pages counted. */
static unsigned int victim_blocks(struct ofx *o, unsigned int *h, unsigned int n)
{
	unsigned long rss = 0;

	for (unsigned int i = 0; i < n; i++) {
		h[i] = fx_alloc(&o->f, GFP_KERNEL, i % 3, 0);
		if (!h[i])
			return 0;
		rss += 1UL << (i % 3);
	}
	set_task(o, 0, 1, 0);
	set_task(o, 1, rss, 0);
	set_task(o, 2, 1, 0);
	return (unsigned int)rss;
}

TEST(victim_pages_all_come_back)
{
	struct ofx *o = ofx_setup();
	unsigned int h[6];
	struct kb_oom_view after;

	ASSERT_TRUE(o != NULL);
	ASSERT_TRUE(victim_blocks(o, h, 6) > 0);
	ASSERT_EQ(judge(o, GFP_KERNEL, 0), 0);
	ASSERT_TRUE(o->w.armed && o->w.counted);
	for (unsigned int i = 0; i < 6; i++)
		fx_free(&o->f, h[i], 0);
	after = o->view;
	after.tasks[1].rss = 0;
	EXPECT_EQ(kb_check_oom_killed(o->f.kb, &o->w, &after, &o->v), 0);
	EXPECT_EQ(o->f.nr_reports, 0);
	ofx_teardown(o);
}

TEST(victim_pages_not_all_back)
{
	struct ofx *o = ofx_setup();
	unsigned int h[6];
	struct kb_oom_view after;

	ASSERT_TRUE(o != NULL);
	ASSERT_TRUE(victim_blocks(o, h, 6) > 0);
	ASSERT_EQ(judge(o, GFP_KERNEL, 0), 0);
	/* the kill forgets the last block: still allocated, held by nobody */
	for (unsigned int i = 0; i < 5; i++)
		fx_free(&o->f, h[i], 0);
	after = o->view;
	after.tasks[1].rss = 0;
	EXPECT_EQ(kb_check_oom_killed(o->f.kb, &o->w, &after, &o->v), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-freed");
	EXPECT_TRUE(!o->w.armed);
	ofx_teardown(o);
}

TEST(victim_still_holds_pages)
{
	struct ofx *o = ofx_setup();
	struct kb_oom_view after;

	ASSERT_TRUE(o != NULL);
	ASSERT_EQ(judge(o, GFP_KERNEL, 0), 0);
	after = o->view;
	EXPECT_EQ(kb_check_oom_killed(o->f.kb, &o->w, &after, &o->v), 1);
	EXPECT_STREQ(o->v.invariant, "oom-victim-freed");
	ofx_teardown(o);
}

/* Pages GET references pin stay allocated: they are not owed back. */
TEST(pinned_pages_stay)
{
	struct ofx *o = ofx_setup();
	unsigned int h[6];
	struct kb_oom_view after;

	ASSERT_TRUE(o != NULL);
	ASSERT_TRUE(victim_blocks(o, h, 6) > 0);
	o->view.pinned[1] = 1UL << (5 % 3);
	ASSERT_EQ(judge(o, GFP_KERNEL, 0), 0);
	for (unsigned int i = 0; i < 5; i++)
		fx_free(&o->f, h[i], 0);
	after = o->view;
	after.tasks[1].rss = 0;
	EXPECT_EQ(kb_check_oom_killed(o->f.kb, &o->w, &after, &o->v), 0);
	ofx_teardown(o);
}

TEST_MAIN()
