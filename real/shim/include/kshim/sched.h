/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The current task (include/linux/sched.h, sched/signal.h, jiffies.h):
 * one task, whose flags the allocator reads and sets (PF_MEMALLOC and
 * friends), which the OOM killer may have chosen (signal->oom_mm, set by
 * the driver), and a clock that never moves (jiffies 0: nothing the
 * allocator decides depends on time, and kbuddy has no clock).
 */
#ifndef KSHIM_SCHED_H
#define KSHIM_SCHED_H

struct signal_struct { struct mm_struct *oom_mm; };
struct task_struct {
	unsigned int flags;
	unsigned long thread_flags;
	struct signal_struct *signal;
	struct capture_control *capture_control;
	unsigned int mems_allowed_seq_unused;
	int prio;
	const char *comm;
	pid_t pid;
};
extern struct task_struct *kshim_current;
#define current kshim_current

#define PF_IDLE 0x00000002
#define PF_EXITING 0x00000004
#define PF_WQ_WORKER 0x00000020
#define PF_FORKNOEXEC 0x00000040
#define PF_DUMPCORE 0x00000200
#define PF_SIGNALED 0x00000400
#define PF_MEMALLOC 0x00000800
#define PF_NPROC_EXCEEDED 0x00001000
#define PF_USED_MATH 0x00002000
#define PF_USER_WORKER 0x00004000
#define PF_NOFREEZE 0x00008000
#define PF_KCOMPACTD 0x00010000
#define PF_KSWAPD 0x00020000
#define PF_MEMALLOC_NOFS 0x00040000
#define PF_MEMALLOC_NOIO 0x00080000
#define PF_LOCAL_THROTTLE 0x00100000
#define PF_KTHREAD 0x00200000
#define PF_RANDOMIZE 0x00400000
#define PF_MEMALLOC_NORECLAIM 0x00800000
#define PF_MEMALLOC_NOWARN 0x01000000
#define PF__HOLE__02000000 0x02000000
#define PF_NO_SETAFFINITY 0x04000000
#define PF_MCE_EARLY 0x08000000
#define PF_MEMALLOC_PIN 0x10000000
#define PF_BLOCK_TS 0x20000000
#define PF_SUSPEND_TASK 0x80000000
#define PF_MEMALLOC_FLAGS (PF_MEMALLOC | PF_MEMALLOC_NOFS | PF_MEMALLOC_NOIO | \
			   PF_MEMALLOC_NORECLAIM | PF_MEMALLOC_NOWARN | PF_MEMALLOC_PIN)

#define TIF_MEMDIE 20
#define test_thread_flag(f) test_bit((f), &current->thread_flags)
#define test_tsk_thread_flag(t, f) test_bit((f), &(t)->thread_flags)
static inline bool fatal_signal_pending(struct task_struct *p) { (void)p; return false; }
static inline bool signal_pending(struct task_struct *p) { (void)p; return false; }
static inline bool rt_or_dl_task(struct task_struct *p) { (void)p; return false; }
static inline bool rt_task(struct task_struct *p) { (void)p; return false; }

#define HZ 250
extern unsigned long volatile jiffies;
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define msecs_to_jiffies(m) ((unsigned long)(m) * HZ / 1000)
static inline long schedule_timeout_uninterruptible(long timeout) { return timeout; }
static inline long io_schedule_timeout(long timeout) { return timeout; }

enum system_states { SYSTEM_BOOTING, SYSTEM_SCHEDULING, SYSTEM_FREEING_INITMEM, SYSTEM_RUNNING };
extern enum system_states system_state;

/* seqcount of the task's mems_allowed (cpusets are off: never written) */
#define read_seqcount_begin(s) ((s)->sequence)
#define read_seqcount_retry(s, start) ((s)->sequence != (start))

#endif
