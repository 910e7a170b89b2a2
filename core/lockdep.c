// SPDX-License-Identifier: GPL-2.0
/*
 * The allocator's spinlocks with the checks lockdep (CONFIG_PROVE_LOCKING)
 * makes of them: taking a lock already held (lock-recursion), against the
 * nesting order pcp->lock -> zone->lock (lock-order), releasing a lock not
 * held (lock-unheld-release), ending an operation with a lock held
 * (lock-held-at-op-end), an allocation that may sleep inside a lock or an
 * interrupt (lock-sleep-in-atomic), and spinning on a lock that will never
 * be released (lock-deadlock). They report at check level 1, as the
 * kernel's own checks do.
 */
#include <stdio.h>

#include "internal.h"
#include "sched.h"
#include "spinlock.h"

static const char *const lock_class_names[KB_NR_LOCK_CLASSES] = {
	[KB_LOCK_PCP]	= "pcp->lock",
	[KB_LOCK_ZONE]	= "zone->lock",
};

void kb_lock_describe(const struct kb_instance *kb, const spinlock_t *lock, char *buf,
			  size_t len)
{
	int nid, zid, cpu;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &kb->node_data[nid].node_zones[zid];

			if (lock == &z->lock) {
				snprintf(buf, len, "zone->lock of %s (node %d)", z->name, nid);
				return;
			}
			for (cpu = 0; cpu < KB_MAX_CPUS; cpu++)
				if (lock == &z->per_cpu_pageset[cpu].lock) {
					snprintf(buf, len, "pcp->lock of cpu %d, %s (node %d)", cpu,
						 z->name, nid);
					return;
				}
		}
	snprintf(buf, len, "%s", lock->lock_class < KB_NR_LOCK_CLASSES ?
		 lock_class_names[lock->lock_class] : "a lock");
}

/* "cpu 1" or "cpu 1 (interrupt)": a context, 0-based. */
static void context_describe(int ctx, char *buf, size_t len)
{
	snprintf(buf, len, "cpu %d%s", ctx / 2, ctx & 1 ? " (interrupt)" : "");
}

static void lock_report(struct kb_instance *kb, const char *inv, const spinlock_t *lock,
			const char *what)
{
	char name[96], me[32], owner[32] = "nobody";

	kb_lock_describe(kb, lock, name, sizeof(name));
	context_describe(kb_context(kb), me, sizeof(me));
	if (lock->owner)
		context_describe(lock->owner - 1, owner, sizeof(owner));
	KB_VM_WARN(kb, true, inv, 0, -1, "%s: %s %s (held by %s)", me, what, name, owner);
}

static void held_push(struct kb_lock_context *c, spinlock_t *lock)
{
	if (c->nr_held < KB_LOCKS_HELD_MAX)
		c->held[c->nr_held] = lock;
	c->nr_held++;
}

void kb_spin_lock(struct kb_instance *kb, spinlock_t *lock, enum kb_lock_class lock_class,
		  bool irqsave)
{
	int me = kb_context(kb);
	struct kb_lock_context *c = &kb->lock_ctx[me];
	unsigned int i;

	lock->lock_class = (unsigned char)lock_class;
	for (i = 0; i < c->nr_held && i < KB_LOCKS_HELD_MAX; i++) {
		const spinlock_t *h = c->held[i];

		if (h == lock) {
			lock_report(kb, "lock-recursion", lock, "takes again");
			return;	/* it would spin on itself forever */
		}
		if (h->lock_class > lock->lock_class) {
			char held[96], msg[160];

			kb_lock_describe(kb, h, held, sizeof(held));
			snprintf(msg, sizeof(msg), "holding %s takes", held);
			lock_report(kb, "lock-order", lock, msg);
		} else if (h->lock_class == lock->lock_class) {
			lock_report(kb, "lock-recursion", lock, "nests two locks of one class, takes");
		}
	}
	kb_yield(kb, KB_YIELD_LOCK);
	if (lock->owner && lock->owner != me + 1) {
		if (kb->sched && !(kb->in_irq && lock->owner == me))
			kb_sched_wait_lock(kb, lock);
		else
			/* the holder cannot run: it is this CPU's interrupted task, or gone */
			lock_report(kb, "lock-deadlock", lock, "spins forever on");
	}
	if (lock->owner)
		return;		/* a deadlock was reported */
	lock->owner = (signed char)(me + 1);
	held_push(c, lock);
	if (irqsave)
		c->irqs_off++;
}

bool kb_spin_trylock(struct kb_instance *kb, spinlock_t *lock, enum kb_lock_class lock_class)
{
	int me = kb_context(kb);

	lock->lock_class = (unsigned char)lock_class;
	kb_yield(kb, KB_YIELD_LOCK);
	if (lock->owner)
		return false;
	lock->owner = (signed char)(me + 1);
	held_push(&kb->lock_ctx[me], lock);
	return true;
}

void kb_spin_unlock(struct kb_instance *kb, spinlock_t *lock, bool irqrestore)
{
	struct kb_lock_context *c = &kb->lock_ctx[kb_context(kb)];
	unsigned int i, n = KB_MIN(c->nr_held, KB_LOCKS_HELD_MAX);

	for (i = 0; i < n; i++)
		if (c->held[i] == lock)
			break;
	if (i == n) {
		lock_report(kb, "lock-unheld-release", lock, "releases");
		return;
	}
	for (; i + 1 < n; i++)
		c->held[i] = c->held[i + 1];
	c->nr_held--;
	lock->owner = 0;
	if (irqrestore && c->irqs_off)
		c->irqs_off--;
	kb_yield(kb, KB_YIELD_UNLOCK);
}

void kb_might_sleep(struct kb_instance *kb, const char *what)
{
	const struct kb_lock_context *c = &kb->lock_ctx[kb_context(kb)];
	char me[32];

	if (!kb->in_irq && !c->nr_held && !c->irqs_off)
		return;
	context_describe(kb_context(kb), me, sizeof(me));
	KB_VM_WARN(kb, true, "lock-sleep-in-atomic", 0, -1,
		   "%s: %s may sleep %s", me, what,
		   kb->in_irq ? "in interrupt context" :
		   c->nr_held ? "with a spinlock held" : "with interrupts off");
}

void kb_lockdep_op_end(struct kb_instance *kb)
{
	struct kb_lock_context *c = &kb->lock_ctx[kb_context(kb)];
	unsigned int i;

	if (__builtin_expect(!c->nr_held && !c->irqs_off, 1))
		return;
	if (c->nr_held)
		lock_report(kb, "lock-held-at-op-end", c->held[0], "ends its operation holding");
	else
		KB_VM_WARN(kb, true, "lock-held-at-op-end", 0, -1,
			   "cpu %d: ends its operation with interrupts off", kb->cpu);
	for (i = 0; i < c->nr_held && i < KB_LOCKS_HELD_MAX; i++)
		c->held[i]->owner = 0;
	c->nr_held = 0;
	c->irqs_off = 0;
}
