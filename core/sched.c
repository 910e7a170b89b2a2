// SPDX-License-Identifier: GPL-2.0
/*
 * The deterministic scheduler (core/sched.h): one coroutine per stream,
 * switched only at the allocator's yield points, so the same schedule gives
 * the same interleaving every time. On x86-64 a switch saves the
 * callee-saved registers and swaps stack pointers (a few instructions;
 * swapcontext would also save the signal mask with a system call each
 * time); elsewhere it is swapcontext. Under AddressSanitizer every switch
 * is announced (__sanitizer_start_switch_fiber) so that it knows which
 * stack is live, and a stack is unpoisoned before it is used again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "sched.h"
#include "spinlock.h"

#if defined(__SANITIZE_ADDRESS__)
#define KB_SCHED_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KB_SCHED_ASAN 1
#endif
#endif

#ifdef KB_SCHED_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define fiber_start(save, bottom, size) __sanitizer_start_switch_fiber(save, bottom, size)
#define fiber_finish(save, bottom, size) __sanitizer_finish_switch_fiber(save, bottom, size)
#define stack_unpoison(p, size) __asan_unpoison_memory_region(p, size)
#else
#define fiber_start(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#define fiber_finish(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#define stack_unpoison(p, size) ((void)(p), (void)(size))
#endif

#if defined(__x86_64__)
/*
 * kb_ctx_switch(&save_sp, load_sp): pushes rbp, rbx, r12-r15, stores rsp,
 * loads the other stack and pops the same. A new stack starts in
 * kb_ctx_start, which calls r12(rbx).
 */
struct kb_ctx {
	void *sp;
};
void kb_ctx_switch(void **save_sp, void *load_sp);
void kb_ctx_start(void);
__asm__(".text\n"
	".globl kb_ctx_switch\n"
	".type kb_ctx_switch, @function\n"
	"kb_ctx_switch:\n"
	"	pushq %rbp\n	pushq %rbx\n	pushq %r12\n"
	"	pushq %r13\n	pushq %r14\n	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n	popq %r14\n	popq %r13\n"
	"	popq %r12\n	popq %rbx\n	popq %rbp\n"
	"	ret\n"
	".size kb_ctx_switch, .-kb_ctx_switch\n"
	".globl kb_ctx_start\n"
	".type kb_ctx_start, @function\n"
	"kb_ctx_start:\n"
	"	movq %rbx, %rdi\n"
	"	callq *%r12\n"
	"	ud2\n"
	".size kb_ctx_start, .-kb_ctx_start\n");

static void ctx_make(struct kb_ctx *c, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	/* 16-aligned top: kb_ctx_start's call then sees an aligned stack */
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	void **sp = (void **)top;

	*--sp = (void *)kb_ctx_start;	/* popped by ret: top - 8 */
	*--sp = NULL;			/* rbp */
	*--sp = arg;			/* rbx */
	*--sp = (void *)fn;		/* r12 */
	*--sp = NULL;			/* r13 */
	*--sp = NULL;			/* r14 */
	*--sp = NULL;			/* r15 */
	c->sp = sp;
}

static void ctx_swap(struct kb_ctx *from, struct kb_ctx *to)
{
	kb_ctx_switch(&from->sp, to->sp);
}
#else
#include <ucontext.h>

struct kb_ctx {
	ucontext_t uc;
};

static void ctx_entry(unsigned int lo, unsigned int hi, unsigned int flo, unsigned int fhi)
{
	void (*fn)(void *) = (void (*)(void *))(((uintptr_t)fhi << 32) | flo);

	fn((void *)(((uintptr_t)hi << 32) | lo));
}

static void ctx_make(struct kb_ctx *c, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	uintptr_t p = (uintptr_t)arg, f = (uintptr_t)fn;

	getcontext(&c->uc);
	c->uc.uc_stack.ss_sp = stack;
	c->uc.uc_stack.ss_size = size;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, (void (*)(void))ctx_entry, 4, (unsigned int)p,
		    (unsigned int)(p >> 32), (unsigned int)f, (unsigned int)(f >> 32));
}

static void ctx_swap(struct kb_ctx *from, struct kb_ctx *to)
{
	swapcontext(&from->uc, &to->uc);
}
#endif

/* Deep enough for the slow path with direct compaction, sanitizers included. */
#define KB_SCHED_STACK		(1UL << 20)
#define KB_SCHED_OPS_MAX	4096

struct kb_stream {
	struct kb_ctx ctx;
	void *stack;			/* KB_SCHED_STACK bytes, kept between runs */
	size_t ops[KB_SCHED_OPS_MAX];
	size_t nr, next;		/* operations; the next to run (or running) */
	bool started, in_op, finished;
	spinlock_t *waiting;		/* the lock it waits for, or NULL */
	/* the instance's per-context state while another stream runs */
	int cpu;
	bool in_irq;
	struct capture_control *capture_control;	/* current->capture_control */
	void *fake_stack;		/* AddressSanitizer's, while switched out */
};

struct kb_sched {
	struct kb_ctx main;
	struct kb_stream st[KB_SCHED_STREAMS];
	struct kb_instance *kb;
	const struct kb_sched_work *work;
	int current;
	unsigned long yields[KB_NR_YIELD_POINTS];
	const void *main_bottom;
	size_t main_size;
	void *main_fake;
};

struct kb_sched *kb_sched_create(void)
{
	return calloc(1, sizeof(struct kb_sched));
}

void kb_sched_destroy(struct kb_sched *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < KB_SCHED_STREAMS; i++)
		free(s->st[i].stack);
	free(s);
}

void kb_sched_reset(struct kb_sched *s)
{
	int i;

	for (i = 0; i < KB_SCHED_STREAMS; i++) {
		struct kb_stream *t = &s->st[i];

		t->nr = t->next = 0;
		t->started = t->in_op = t->finished = false;
		t->waiting = NULL;
	}
	memset(s->yields, 0, sizeof(s->yields));
}

int kb_sched_add(struct kb_sched *s, unsigned int stream, size_t op)
{
	struct kb_stream *t;

	if (stream >= KB_SCHED_STREAMS || s->st[stream].nr >= KB_SCHED_OPS_MAX)
		return -1;
	t = &s->st[stream];
	t->ops[t->nr++] = op;
	return 0;
}

unsigned long kb_sched_yields(const struct kb_sched *s, enum kb_yield_point point)
{
	unsigned long n = 0;
	int p;

	if ((unsigned int)point < KB_NR_YIELD_POINTS)
		return s->yields[point];
	for (p = 0; p < KB_NR_YIELD_POINTS; p++)
		n += s->yields[p];
	return n;
}

/* Back to the scheduler; final: the stream never runs again. */
static void to_main(struct kb_sched *s, struct kb_stream *t, bool final)
{
	fiber_start(final ? NULL : &t->fake_stack, s->main_bottom, s->main_size);
	ctx_swap(&t->ctx, &s->main);
	fiber_finish(t->fake_stack, NULL, NULL);
}

void kb_sched_yield(struct kb_instance *kb, enum kb_yield_point point)
{
	struct kb_sched *s = kb->sched;

	s->yields[point]++;
	to_main(s, &s->st[s->current], false);
}

/*
 * Unlike the kernel's queued spinlock, not fair: after the release the
 * waiter the schedule runs first takes the lock (docs/concurrency.md).
 */
void kb_sched_wait_lock(struct kb_instance *kb, spinlock_t *lock)
{
	struct kb_sched *s = kb->sched;
	struct kb_stream *t = &s->st[s->current];

	t->waiting = lock;
	while (lock->owner)
		kb_sched_yield(kb, KB_YIELD_LOCK_WAIT);
	t->waiting = NULL;
}

static void stream_main(void *arg)
{
	struct kb_sched *s = arg;
	struct kb_stream *t = &s->st[s->current];

	fiber_finish(NULL, &s->main_bottom, &s->main_size);
	while (t->next < t->nr) {
		size_t op = t->ops[t->next];

		t->in_op = true;
		s->work->run(s->work->ctx, op);
		kb_lockdep_op_end(s->kb);
		t->in_op = false;
		t->next++;
		if (t->next < t->nr)
			kb_sched_yield(s->kb, KB_YIELD_OP);
	}
	t->finished = true;
	to_main(s, t, true);
}

static bool runnable(const struct kb_sched *s, int i)
{
	const struct kb_stream *t = &s->st[i];

	if (t->finished || t->next >= t->nr)
		return false;
	if (i & 1) {
		/* an interrupt comes only while its CPU's task has interrupts on */
		if (!t->in_op && s->kb->lock_ctx[i - 1].irqs_off)
			return false;
	} else if (s->st[i + 1].in_op) {
		return false;	/* interrupted: the handler runs to its end first */
	}
	if (t->waiting)
		return !t->waiting->owner;
	if (!t->in_op)
		return s->work->ready(s->work->ctx, t->ops[t->next]);
	return true;
}

static int next_runnable(const struct kb_sched *s, int from)
{
	int k;

	for (k = 0; k < KB_SCHED_STREAMS; k++) {
		int i = (from + k) % KB_SCHED_STREAMS;

		if (runnable(s, i))
			return i;
	}
	return -1;
}

static int resume(struct kb_sched *s, int i)
{
	struct kb_instance *kb = s->kb;
	struct kb_stream *t = &s->st[i];

	if (!t->started) {
		if (!t->stack && !(t->stack = malloc(KB_SCHED_STACK)))
			return -1;
		/* a stream left inside an operation last time left its frames' poison */
		stack_unpoison(t->stack, KB_SCHED_STACK);
		ctx_make(&t->ctx, t->stack, KB_SCHED_STACK, stream_main, s);
		t->started = true;
		t->cpu = i / 2;
		t->in_irq = i & 1;
		t->capture_control = NULL;
		t->fake_stack = NULL;
	}
	kb->cpu = t->cpu;
	kb->in_irq = t->in_irq;
	kb->capture_control = t->capture_control;
	s->current = i;
	fiber_start(&s->main_fake, t->stack, KB_SCHED_STACK);
	ctx_swap(&s->main, &t->ctx);
	fiber_finish(s->main_fake, NULL, NULL);
	t->cpu = kb->cpu;
	t->in_irq = kb->in_irq;
	t->capture_control = kb->capture_control;
	return 0;
}

/* Nothing can run and work is left: say who waits for what. */
static void report_deadlock(struct kb_sched *s)
{
	struct kb_instance *kb = s->kb;
	char msg[512] = "", lock[96];
	size_t n = 0;
	int i;

	for (i = 0; i < KB_SCHED_STREAMS && n < sizeof(msg) - 1; i++) {
		const struct kb_stream *t = &s->st[i];
		int w;

		if (t->finished || t->next >= t->nr)
			continue;
		if (t->waiting) {
			kb_lock_describe(kb, t->waiting, lock, sizeof(lock));
			w = snprintf(msg + n, sizeof(msg) - n, "%scpu %d%s waits for %s held by cpu %d%s",
				     n ? "; " : "", i / 2, i & 1 ? " (interrupt)" : "", lock,
				     (t->waiting->owner - 1) / 2,
				     (t->waiting->owner - 1) & 1 ? " (interrupt)" : "");
		} else {
			w = snprintf(msg + n, sizeof(msg) - n, "%scpu %d%s cannot start op #%zu",
				     n ? "; " : "", i / 2, i & 1 ? " (interrupt)" : "",
				     t->ops[t->next]);
		}
		if (w < 0)
			break;
		n = KB_MIN(n + (size_t)w, sizeof(msg) - 1);
	}
	KB_VM_WARN(kb, true, "lock-deadlock", 0, -1, "no context can run: %s", msg);
}

int kb_sched_run(struct kb_sched *s, struct kb_instance *kb, const uint8_t *choices,
		 size_t nr_choices, const struct kb_sched_work *work)
{
	int cpu = kb->cpu, cur = -1, rc = 0, i;
	bool in_irq = kb->in_irq;
	struct capture_control *cc = kb->capture_control;
	size_t c = 0;

	s->kb = kb;
	s->work = work;
	kb->sched = s;
	for (;;) {
		int pick;

		if (work->stopped(work->ctx)) {
			rc = -1;
			break;
		}
		if (c < nr_choices)
			pick = next_runnable(s, choices[c++] % KB_SCHED_STREAMS);
		else if (cur >= 0 && runnable(s, cur))
			pick = cur;
		else
			pick = next_runnable(s, cur < 0 ? 0 : cur);
		if (pick < 0) {
			for (i = 0; i < KB_SCHED_STREAMS; i++)
				if (!s->st[i].finished && s->st[i].next < s->st[i].nr)
					break;
			if (i < KB_SCHED_STREAMS) {
				kb->sched = NULL;
				report_deadlock(s);
				rc = -1;
			}
			break;
		}
		cur = pick;
		if (resume(s, pick)) {
			rc = -1;
			break;
		}
	}
	kb->sched = NULL;
	kb->cpu = cpu;
	kb->in_irq = in_irq;
	kb->capture_control = cc;
	return rc;
}
