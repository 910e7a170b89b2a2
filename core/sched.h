/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic scheduler for logical CPUs. Each CPU runs its own stream
 * of operations in task context, and optionally another in interrupt
 * context; each stream is a coroutine (ucontext) on one instance, so the
 * interleaving is exact and repeatable: no threads, no clocks. The
 * allocator calls kb_yield() where the kernel can be raced (lock
 * boundaries, reads of shared state outside a lock); there the schedule,
 * a list of stream numbers from the input, says who runs next. Once the
 * schedule is used up the running stream goes on while it can, then the
 * next runnable one in stream order.
 *
 * A stream is runnable when it has work, is not waiting for a lock another
 * context holds or for an operation it depends on, and (interrupt streams)
 * its CPU's task context has interrupts on; while an interrupt stream is
 * inside an operation its CPU's task context does not run. When nothing is
 * runnable and work is left, the contexts deadlocked (lock-deadlock).
 */
#ifndef KB_SCHED_H
#define KB_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kbuddy.h"

/* Where the allocator yields (counted per point for reports and tests). */
enum kb_yield_point {
	KB_YIELD_OP,			/* between two operations of a stream */
	KB_YIELD_LOCK,			/* before taking a lock */
	KB_YIELD_LOCK_WAIT,		/* the lock is held: waiting */
	KB_YIELD_UNLOCK,		/* after releasing a lock */
	KB_YIELD_PCP_LOCKED,		/* inside a pcp->lock section (interrupts on) */
	KB_YIELD_FREE_MIGRATETYPE,	/* the free path read the pageblock type unlocked */
	KB_YIELD_FREE_WINDOW,		/* __free_pages: after put_page_testzero */
	KB_YIELD_DRAIN_CPU,		/* drain_all_pages: before the next CPU's lists */
	KB_YIELD_PCP_DISABLE,		/* zone_pcp_disable: high and batch set, before the drain */
	KB_YIELD_ISOLATE,		/* start_isolate_page_range: between pageblocks */
	KB_NR_YIELD_POINTS
};

/* Stream numbers are contexts: 2 * cpu for task context, + 1 for interrupts. */
#define KB_SCHED_STREAMS	KB_MAX_CONTEXTS

/* What a stream runs: the runner's operations, by index. */
struct kb_sched_work {
	/* The operation can start now (what it depends on has finished). */
	bool (*ready)(void *ctx, size_t op);
	void (*run)(void *ctx, size_t op);
	/* A violation was found: the interleaving stops. */
	bool (*stopped)(void *ctx);
	void *ctx;
};

struct kb_sched;

struct kb_sched *kb_sched_create(void);
void kb_sched_destroy(struct kb_sched *s);

/* Empties the streams for a new interleaving. */
void kb_sched_reset(struct kb_sched *s);
/* Appends operation op to stream (0..KB_SCHED_STREAMS-1); -1 when full. */
int kb_sched_add(struct kb_sched *s, unsigned int stream, size_t op);

/*
 * Runs the streams on kb, choosing at each yield point the next entry of
 * choices (stream numbers). Returns 0 when every stream finished, -1 when
 * the streams deadlocked (reported as lock-deadlock) or work stopped them.
 * kb's cpu and context are those before the call again afterwards.
 */
int kb_sched_run(struct kb_sched *s, struct kb_instance *kb, const uint8_t *choices,
		 size_t nr_choices, const struct kb_sched_work *work);

/* Yield points taken in the last run, in all and at one point. */
unsigned long kb_sched_yields(const struct kb_sched *s, enum kb_yield_point point);

/* The context switch itself; only through kb_yield. */
void kb_sched_yield(struct kb_instance *kb, enum kb_yield_point point);
/* Waits while lock is held by another context (kb_spin_lock). */
void kb_sched_wait_lock(struct kb_instance *kb, spinlock_t *lock);

static inline void kb_yield(struct kb_instance *kb, enum kb_yield_point point)
{
	if (__builtin_expect(kb->sched != NULL, 0))
		kb_sched_yield(kb, point);
}

#endif /* KB_SCHED_H */
