/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OOM killer judged from outside (checkers/check_oom.c). Each kill is
 * judged from the request (gfp and order as the caller made it), the
 * reference model (totalram, the sysctls, whether the allocating task is
 * an OOM victim already) and the owner's own account of its processes,
 * never by calling core/oom.c:
 *  - "oom-kill-constraint": the request reaches a kill at all (the slow
 *    path's and out_of_memory's early exits), constrained_alloc's answer
 *    (CONSTRAINT_NONE over totalram: kbuddy has no memcg, cpuset or
 *    mempolicy) and a victim from the constraint's tasks;
 *  - "oom-victim-badness": the victim is the task the checker's own
 *    oom_badness ranks highest, the later of equals, never one without
 *    memory or with OOM_SCORE_ADJ_MIN (or, with
 *    vm.oom_kill_allocating_task, the allocating task when killable);
 *  - "oom-victim-freed": after the kill the victim holds nothing and the
 *    free and pcp lists hold exactly its unpinned pages more.
 */
#ifndef KB_CHECK_OOM_H
#define KB_CHECK_OOM_H

#include "check.h"
#include "model.h"

struct oom_control;

/* The owner's processes as the owner counts them (creation order). */
struct kb_oom_view {
	struct kb_oom_task tasks[KB_OOM_MAX_TASKS];
	/* of each task's rss: pages GET references pin, which a kill leaves allocated */
	unsigned long pinned[KB_OOM_MAX_TASKS];
	unsigned int nr;
};

/* What a kill must leave behind, taken when it starts. */
struct kb_oom_watch {
	bool armed;
	int victim_pid;
	unsigned long back;		/* pages that must come back */
	bool counted;			/* the lists could be counted before the kill */
	unsigned long free_before;	/* pages on the free and pcp lists then */
};

/*
 * A kill about to happen (kb->oom_hooks.kill): oc's victim and answer
 * judged for a request of gfp and order. Arms *w for kb_check_oom_killed.
 * Returns 0, or 1 with *v filled.
 */
int kb_check_oom_kill(const struct kb_instance *kb, const struct kb_model *m, gfp_t gfp,
		      unsigned int order, const struct oom_control *oc,
		      const struct kb_oom_view *view, struct kb_oom_watch *w,
		      struct kb_violation *v);

/* Right after the kill (kb->oom_hooks.killed): after is the owner's account now. */
int kb_check_oom_killed(const struct kb_instance *kb, struct kb_oom_watch *w,
			const struct kb_oom_view *after, struct kb_violation *v);

/* The pages on every free list and pcp list; false when a list is unsound (the sweep names it). */
bool kb_oom_count_free(const struct kb_instance *kb, unsigned long *pages);

#endif /* KB_CHECK_OOM_H */
