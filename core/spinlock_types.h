/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator's spinlocks (include/linux/spinlock_types.h): zone->lock and
 * pcp->lock. A lock records which context holds it, so that a CPU that
 * would spin on it can wait in the scheduler (core/sched.h) and lockdep's
 * checks (core/lockdep.c) can name what went wrong.
 */
#ifndef KB_SPINLOCK_TYPES_H
#define KB_SPINLOCK_TYPES_H

/* Lock classes, in the order they nest: pcp->lock, then zone->lock. */
enum kb_lock_class {
	KB_LOCK_PCP,
	KB_LOCK_ZONE,
	KB_NR_LOCK_CLASSES
};

typedef struct kb_spinlock {
	signed char owner;		/* the holding context + 1, 0 when free */
	unsigned char lock_class;	/* enum kb_lock_class */
} spinlock_t;

/*
 * Execution contexts: every CPU has its task context (2 * cpu) and its
 * interrupt context (2 * cpu + 1), which may interrupt the task between
 * two instructions unless the task disabled interrupts.
 */
#define KB_MAX_CONTEXTS		(2 * KB_MAX_CPUS)
#define KB_LOCKS_HELD_MAX	4

struct kb_lock_context {
	spinlock_t *held[KB_LOCKS_HELD_MAX];	/* in the order taken */
	unsigned char nr_held;
	unsigned char irqs_off;		/* spin_lock_irqsave nesting */
};

#endif /* KB_SPINLOCK_TYPES_H */
