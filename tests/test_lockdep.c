/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockdep's checks of zone->lock and pcp->lock (core/lockdep.c) and the
 * scheduler's deadlock report (core/sched.c): each test breaks one locking
 * rule the way a caller or a bug would, on a booted instance at check
 * level 1, and expects the check's name as the first report. The last
 * tests run the scheduler itself: the interleaving a schedule picks, and
 * the same schedule giving the same run.
 */
#include <string.h>

#include "internal.h"
#include "kbtest.h"
#include "sched.h"
#include "spinlock.h"
#include "../machine/layout_io.h"

struct lc {
	struct kb_instance *kb;
	struct zone *zone;
	unsigned int nr_reports;
	char invariant[64];
	char message[256];
};

static void lc_report(void *ctx, const struct kb_report *r)
{
	struct lc *c = ctx;

	if (!c->nr_reports++) {
		snprintf(c->invariant, sizeof(c->invariant), "%s", r->invariant);
		snprintf(c->message, sizeof(c->message), "%s", r->message);
	}
}

static int lc_setup(struct lc *c)
{
	struct kb_layout layout;
	char err[200];

	memset(c, 0, sizeof(*c));
	kb_layout_default(&layout);
	c->kb = kb_create(&layout, &(struct kb_options){ .check_level = 1 }, err, sizeof(err));
	if (!c->kb) {
		KBTEST_FAIL("kb_create: %s", err);
		return -1;
	}
	kb_set_report(c->kb, lc_report, c);
	kb_set_cpu(c->kb, 0);
	c->zone = kb_zone(c->kb, 0, ZONE_NORMAL);
	return 0;
}

#define EXPECT_FIRST_REPORT(c, name, what)					\
	do {									\
		EXPECT_TRUE((c)->nr_reports >= 1);				\
		EXPECT_STREQ((c)->invariant, name);				\
		if (!strstr((c)->message, what))				\
			KBTEST_FAIL("report '%s' does not say '%s'", (c)->message, what); \
	} while (0)

/* The locks in the right order, released in turn: nothing to report. */
TEST(pcp_then_zone_lock_is_clean)
{
	struct per_cpu_pages *pcp;
	struct lc c;

	if (lc_setup(&c))
		return;
	pcp = &c.zone->per_cpu_pageset[0];
	pcp_spin_lock(c.kb, pcp);
	spin_lock_irqsave(c.kb, &c.zone->lock);
	EXPECT_EQ(c.zone->lock.owner, 1);
	spin_unlock_irqrestore(c.kb, &c.zone->lock);
	pcp_spin_unlock(c.kb, pcp);
	kb_lockdep_op_end(c.kb);
	EXPECT_EQ(c.nr_reports, 0);
	EXPECT_EQ(c.zone->lock.owner, 0);
	kb_destroy(c.kb);
}

TEST(pcp_lock_under_zone_lock_is_lock_order)
{
	struct lc c;

	if (lc_setup(&c))
		return;
	spin_lock_irqsave(c.kb, &c.zone->lock);
	pcp_spin_lock(c.kb, &c.zone->per_cpu_pageset[0]);
	EXPECT_FIRST_REPORT(&c, "lock-order", "holding zone->lock of Normal");
	kb_destroy(c.kb);
}

/* A free of a block above the pcp orders takes zone->lock the caller holds. */
TEST(free_under_zone_lock_is_lock_recursion)
{
	struct page *page;
	struct lc c;

	if (lc_setup(&c))
		return;
	page = kb_alloc_pages(c.kb, GFP_KERNEL, c.kb->max_order, -1, NULL);
	ASSERT_TRUE(page != NULL);
	spin_lock_irqsave(c.kb, &page_zone(c.kb, page)->lock);
	kb_free_pages(c.kb, page, c.kb->max_order);
	EXPECT_FIRST_REPORT(&c, "lock-recursion", "takes again zone->lock");
	kb_destroy(c.kb);
}

TEST(two_pcp_locks_nested_are_lock_recursion)
{
	struct lc c;

	if (lc_setup(&c))
		return;
	pcp_spin_lock(c.kb, &c.zone->per_cpu_pageset[0]);
	pcp_spin_lock(c.kb, &c.zone->per_cpu_pageset[1]);
	EXPECT_FIRST_REPORT(&c, "lock-recursion", "nests two locks of one class");
	kb_destroy(c.kb);
}

TEST(unlock_without_lock_is_lock_unheld_release)
{
	struct lc c;

	if (lc_setup(&c))
		return;
	spin_unlock_irqrestore(c.kb, &c.zone->lock);
	EXPECT_FIRST_REPORT(&c, "lock-unheld-release", "releases zone->lock");
	kb_destroy(c.kb);
}

/* CPU 1 releasing the lock CPU 0 holds: not its lock. */
TEST(unlock_of_another_cpus_lock_is_lock_unheld_release)
{
	struct lc c;

	if (lc_setup(&c))
		return;
	spin_lock_irqsave(c.kb, &c.zone->lock);
	kb_set_cpu(c.kb, 1);
	spin_unlock_irqrestore(c.kb, &c.zone->lock);
	EXPECT_FIRST_REPORT(&c, "lock-unheld-release", "(held by cpu 0)");
	kb_destroy(c.kb);
}

TEST(operation_ending_with_lock_is_lock_held_at_op_end)
{
	struct lc c;

	if (lc_setup(&c))
		return;
	pcp_spin_lock(c.kb, &c.zone->per_cpu_pageset[0]);
	kb_lockdep_op_end(c.kb);
	EXPECT_FIRST_REPORT(&c, "lock-held-at-op-end", "ends its operation holding pcp->lock");
	/* released, so the next operation starts clean */
	EXPECT_EQ(c.zone->per_cpu_pageset[0].lock.owner, 0);
	EXPECT_EQ(c.kb->lock_ctx[0].nr_held, 0);
	kb_destroy(c.kb);
}

TEST(reclaiming_alloc_under_lock_is_lock_sleep_in_atomic)
{
	struct lc c;

	if (lc_setup(&c))
		return;
	spin_lock_irqsave(c.kb, &kb_zone(c.kb, 0, ZONE_DMA)->lock);
	kb_alloc_pages(c.kb, GFP_KERNEL, 0, -1, NULL);
	EXPECT_FIRST_REPORT(&c, "lock-sleep-in-atomic", "with a spinlock held");
	kb_destroy(c.kb);
}

TEST(reclaiming_alloc_in_interrupt_is_lock_sleep_in_atomic)
{
	struct page *page;
	struct lc c;

	if (lc_setup(&c))
		return;
	/* GFP_ATOMIC is fine in an interrupt */
	c.kb->in_irq = true;
	page = kb_alloc_pages(c.kb, GFP_ATOMIC, 0, -1, NULL);
	EXPECT_TRUE(page != NULL);
	EXPECT_EQ(c.nr_reports, 0);
	kb_alloc_pages(c.kb, GFP_KERNEL, 0, -1, NULL);
	EXPECT_FIRST_REPORT(&c, "lock-sleep-in-atomic", "in interrupt context");
	kb_destroy(c.kb);
}

/* An interrupt spinning on the pcp->lock its own CPU's task holds. */
TEST(interrupt_spinning_on_its_tasks_lock_is_lock_deadlock)
{
	struct per_cpu_pages *pcp;
	struct lc c;

	if (lc_setup(&c))
		return;
	pcp = &c.zone->per_cpu_pageset[0];
	pcp_spin_lock(c.kb, pcp);
	c.kb->in_irq = true;
	/* the free path only tries: it fails and the page would go to the buddy */
	EXPECT_TRUE(!pcp_spin_trylock(c.kb, pcp));
	EXPECT_EQ(c.nr_reports, 0);
	pcp_spin_lock(c.kb, pcp);
	EXPECT_FIRST_REPORT(&c, "lock-deadlock", "cpu 0 (interrupt): spins forever on pcp->lock of cpu 0");
	kb_destroy(c.kb);
}

/* --- the scheduler --- */

struct work_log {
	struct kb_instance *kb;
	char order[64];		/* the operations, as they finished */
	size_t n;
	bool never_ready;	/* operation 1 waits forever */
};

static bool wl_ready(void *ctx, size_t op)
{
	const struct work_log *w = ctx;

	return !(w->never_ready && op == 1);
}

/* An operation: takes zone->lock, yields inside, records itself. */
static void wl_run(void *ctx, size_t op)
{
	struct work_log *w = ctx;
	struct zone *zone = kb_zone(w->kb, 0, ZONE_NORMAL);

	spin_lock_irqsave(w->kb, &zone->lock);
	kb_yield(w->kb, KB_YIELD_PCP_LOCKED);
	if (w->n < sizeof(w->order) - 1)
		w->order[w->n++] = (char)('0' + op);
	spin_unlock_irqrestore(w->kb, &zone->lock);
}

static bool wl_stopped(void *ctx)
{
	(void)ctx;
	return false;
}

/* cpu0 runs ops 0 and 2, cpu1 op 1; returns the finishing order. */
static int wl_run_schedule(struct lc *c, struct kb_sched *s, struct work_log *w,
			   const uint8_t *choices, size_t n)
{
	struct kb_sched_work work = { wl_ready, wl_run, wl_stopped, w };

	memset(w->order, 0, sizeof(w->order));
	w->n = 0;
	w->kb = c->kb;
	kb_sched_reset(s);
	kb_sched_add(s, 0, 0);
	kb_sched_add(s, 2, 1);
	kb_sched_add(s, 0, 2);
	return kb_sched_run(s, c->kb, choices, n, &work);
}

TEST(schedule_picks_the_interleaving)
{
	static const uint8_t cpu1_first[] = { 2 };
	struct work_log w = { 0 };
	struct kb_sched *s = kb_sched_create();
	struct lc c;

	if (lc_setup(&c))
		return;
	ASSERT_TRUE(s != NULL);
	/* no schedule: each stream to its end, in stream order */
	EXPECT_EQ(wl_run_schedule(&c, s, &w, NULL, 0), 0);
	EXPECT_STREQ(w.order, "021");
	/* cpu1 first; cpu0 then waits at zone->lock until cpu1 releases it */
	EXPECT_EQ(wl_run_schedule(&c, s, &w, cpu1_first, sizeof(cpu1_first)), 0);
	EXPECT_STREQ(w.order, "102");
	EXPECT_TRUE(kb_sched_yields(s, KB_YIELD_LOCK) >= 3);
	EXPECT_EQ(c.nr_reports, 0);
	EXPECT_EQ(c.zone->lock.owner, 0);
	EXPECT_EQ(c.kb->cpu, 0);
	kb_sched_destroy(s);
	kb_destroy(c.kb);
}

/* cpu1 comes while cpu0 is inside zone->lock: it waits for it. */
TEST(schedule_waits_for_a_held_lock)
{
	/* cpu0 to its lock, cpu0 into it (yield inside), cpu1 (must wait), ... */
	static const uint8_t sched[] = { 0, 0, 2, 2, 2, 0 };
	struct work_log w = { 0 };
	struct kb_sched *s = kb_sched_create();
	struct lc c;

	if (lc_setup(&c))
		return;
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(wl_run_schedule(&c, s, &w, sched, sizeof(sched)), 0);
	/* the schedule ends inside cpu0's stream, which goes on to its end */
	EXPECT_STREQ(w.order, "021");
	EXPECT_EQ(kb_sched_yields(s, KB_YIELD_LOCK_WAIT), 1);
	EXPECT_EQ(c.nr_reports, 0);
	kb_sched_destroy(s);
	kb_destroy(c.kb);
}

TEST(nothing_runnable_with_work_left_is_lock_deadlock)
{
	struct work_log w = { .never_ready = true };
	struct kb_sched *s = kb_sched_create();
	struct lc c;

	if (lc_setup(&c))
		return;
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(wl_run_schedule(&c, s, &w, NULL, 0), -1);
	EXPECT_STREQ(w.order, "02");
	EXPECT_FIRST_REPORT(&c, "lock-deadlock", "cpu 1 cannot start op #1");
	kb_sched_destroy(s);
	kb_destroy(c.kb);
}

TEST_MAIN()
