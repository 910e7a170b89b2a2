/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spin_lock_irqsave / spin_trylock / spin_unlock on the allocator's locks,
 * with lockdep's checks (core/lockdep.c). Outside the scheduler (one
 * operation at a time) a lock is always free when taken unless something
 * left it held; under the scheduler a context that would spin waits and
 * another runs (core/sched.h).
 */
#ifndef KB_SPINLOCK_H
#define KB_SPINLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "kbuddy.h"

/* lock_class: what the lock is (recorded on it for the order check). */
void kb_spin_lock(struct kb_instance *kb, spinlock_t *lock, enum kb_lock_class lock_class,
		  bool irqsave);
bool kb_spin_trylock(struct kb_instance *kb, spinlock_t *lock, enum kb_lock_class lock_class);
void kb_spin_unlock(struct kb_instance *kb, spinlock_t *lock, bool irqrestore);

/* "zone->lock of Normal (node 0)", "pcp->lock of cpu 1, Normal (node 0)". */
void kb_lock_describe(const struct kb_instance *kb, const spinlock_t *lock, char *buf,
		      size_t len);

/* The context running now: 2 * cpu, + 1 in interrupt context. */
static inline int kb_context(const struct kb_instance *kb)
{
	return 2 * kb->cpu + (kb->in_irq ? 1 : 0);
}

/* zone->lock: taken with interrupts off (spin_lock_irqsave). */
static inline void spin_lock_irqsave(struct kb_instance *kb, spinlock_t *lock)
{
	kb_spin_lock(kb, lock, KB_LOCK_ZONE, true);
}

static inline void spin_unlock_irqrestore(struct kb_instance *kb, spinlock_t *lock)
{
	kb_spin_unlock(kb, lock, true);
}

/* pcp->lock: a plain spinlock; interrupts stay on (pcp_spin_lock). */
static inline void pcp_spin_lock(struct kb_instance *kb, struct per_cpu_pages *pcp)
{
	kb_spin_lock(kb, &pcp->lock, KB_LOCK_PCP, false);
}

/* The free and allocation paths only try: an interrupt may hold it (pcp_spin_trylock). */
static inline bool pcp_spin_trylock(struct kb_instance *kb, struct per_cpu_pages *pcp)
{
	return kb_spin_trylock(kb, &pcp->lock, KB_LOCK_PCP);
}

static inline void pcp_spin_unlock(struct kb_instance *kb, struct per_cpu_pages *pcp)
{
	kb_spin_unlock(kb, &pcp->lock, false);
}

/*
 * might_sleep_if(): an allocation that may block must not run with a
 * spinlock held, interrupts off or in interrupt context (lock-sleep-in-atomic).
 */
void kb_might_sleep(struct kb_instance *kb, const char *what);

/*
 * At the end of an operation the context holds nothing (lock-held-at-op-end);
 * what it still held is released so the next operation starts clean.
 */
void kb_lockdep_op_end(struct kb_instance *kb);

#endif /* KB_SPINLOCK_H */
