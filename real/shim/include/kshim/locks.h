/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locks of the real code (spinlock.h, mutex.h, seqlock.h, local_lock.h,
 * rcupdate.h, irqflags.h, preempt.h). The driver runs one simulated CPU at
 * a time, so no lock is ever contended: each lock is a flag that records
 * whether it is held, and taking a held lock (a self-deadlock in the
 * kernel) or releasing a free one is reported as a kernel BUG.
 */
#ifndef KSHIM_LOCKS_H
#define KSHIM_LOCKS_H

typedef struct spinlock { int locked; } spinlock_t;
typedef spinlock_t raw_spinlock_t;
struct mutex { int locked; };
typedef struct { unsigned sequence; spinlock_t lock; } seqlock_t;
typedef struct { unsigned sequence; } seqcount_t;
typedef struct { int unused; } local_lock_t;
typedef struct { int unused; } rwlock_t;
struct rw_semaphore { int count; };
typedef struct { int unused; } wait_queue_head_t;
struct lock_class_key { int unused; };

#define __SPIN_LOCK_UNLOCKED(x) { 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = { 0 }
#define DEFINE_MUTEX(x) struct mutex x = { 0 }
#define DEFINE_SEQLOCK(x) seqlock_t x = { 0, { 0 } }
#define INIT_LOCAL_LOCK(x) { 0 }
#define spin_lock_init(l) ((l)->locked = 0)
#define raw_spin_lock_init(l) spin_lock_init(l)
#define mutex_init(m) ((m)->locked = 0)
#define seqlock_init(s) ((s)->sequence = 0, (s)->lock.locked = 0)
#define init_waitqueue_head(w) ((void)(w))
#define local_lock_init(l) ((void)(l))

static inline void kshim_lock(int *held, const char *file, int line)
{
	if (*held)
		kshim_warn("BUG", file, line, "lock taken while held (self-deadlock)");
	*held = 1;
}
static inline void kshim_unlock(int *held, const char *file, int line)
{
	if (!*held)
		kshim_warn("BUG", file, line, "lock released while not held");
	*held = 0;
}
static inline int kshim_trylock(int *held)
{
	if (*held)
		return 0;
	*held = 1;
	return 1;
}
#define spin_lock(l) kshim_lock(&(l)->locked, __FILE__, __LINE__)
#define spin_unlock(l) kshim_unlock(&(l)->locked, __FILE__, __LINE__)
#define spin_trylock(l) kshim_trylock(&(l)->locked)
#define spin_lock_irq(l) spin_lock(l)
#define spin_unlock_irq(l) spin_unlock(l)
#define spin_lock_irqsave(l, f) do { (f) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f) do { (void)(f); spin_unlock(l); } while (0)
#define spin_trylock_irqsave(l, f) ({ (f) = 0; spin_trylock(l); })
#define spin_is_locked(l) ((l)->locked)
#define raw_spin_lock(l) spin_lock(l)
#define raw_spin_unlock(l) spin_unlock(l)
#define raw_spin_lock_irqsave(l, f) spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f) spin_unlock_irqrestore(l, f)
#define lockdep_assert_held(l) do { if (!(l)->locked) kshim_warn("WARN", __FILE__, __LINE__, "lock not held"); } while (0)
#define lockdep_assert_irqs_disabled() do { } while (0)
#define lockdep_assert_preemption_disabled() do { } while (0)
#define lockdep_assert_not_held(l) do { } while (0)
#define lockdep_init_map(...) do { } while (0)
#define mutex_lock(m) kshim_lock(&(m)->locked, __FILE__, __LINE__)
#define mutex_unlock(m) kshim_unlock(&(m)->locked, __FILE__, __LINE__)
#define mutex_trylock(m) kshim_trylock(&(m)->locked)
#define mutex_is_locked(m) ((m)->locked)
#define write_seqlock(s) do { spin_lock(&(s)->lock); (s)->sequence++; } while (0)
#define write_sequnlock(s) do { (s)->sequence++; spin_unlock(&(s)->lock); } while (0)
#define write_seqlock_irqsave(s, f) do { (f) = 0; write_seqlock(s); } while (0)
#define write_sequnlock_irqrestore(s, f) do { (void)(f); write_sequnlock(s); } while (0)
#define read_seqbegin(s) ((s)->sequence)
#define read_seqretry(s, start) ((s)->sequence != (start))
#define local_lock_irqsave(l, f) do { (void)(l); (f) = 0; } while (0)
#define local_unlock_irqrestore(l, f) do { (void)(l); (void)(f); } while (0)
#define local_lock(l) do { (void)(l); } while (0)
#define local_unlock(l) do { (void)(l); } while (0)
#define local_irq_save(f) do { (f) = 0; } while (0)
#define local_irq_restore(f) do { (void)(f); } while (0)
#define local_irq_disable() do { } while (0)
#define local_irq_enable() do { } while (0)
#define irqs_disabled() 0
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
#define preempt_enable_no_resched() do { } while (0)
#define migrate_disable() do { } while (0)
#define migrate_enable() do { } while (0)
#define in_interrupt() 0
#define in_serving_softirq() 0
#define in_nmi() 0
#define in_task() 1
#define in_hardirq() 0
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_read_lock_sched() do { } while (0)
#define rcu_read_unlock_sched() do { } while (0)
#define rcu_dereference(p) (p)
#define rcu_dereference_check(p, c) (p)
#define rcu_assign_pointer(p, v) ((p) = (v))
#define synchronize_rcu() do { } while (0)
#define wake_up(w) do { (void)(w); } while (0)
#define wake_up_interruptible(w) do { (void)(w); } while (0)
#define waitqueue_active(w) 0
#define wq_has_sleeper(w) 0

#endif
