// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM killer (mm/oom_kill.c): out_of_memory, constrained_alloc,
 * select_bad_process with oom_badness, and oom_kill_process.
 *
 * The processes are the owner's (kb->owner.for_each_process): each with
 * the pages its mm holds and its oom_score_adj. Killing one is asking the
 * owner to end it (kb->owner.oom_kill_task), which frees every block of
 * its mm at once: the victim's exit and the OOM reaper, done before
 * out_of_memory returns. So no earlier victim is ever still exiting when
 * the killer runs again (tsk_is_oom_victim of another task, the abort in
 * oom_evaluate_task), and the allocating task, when it is the victim, is
 * not given the reserves of an OOM victim (mark_oom_victim): its memory
 * is back already. Not modelled: memcg, cpusets and mempolicies (the
 * constraint is always CONSTRAINT_NONE), swap, page tables, the OOM
 * notifiers, oom_task_origin, vfork, sysrq and panic_on_oom.
 */
#include <limits.h>

#include "oom.h"

/*
 * The memory the request may use and what limits it. Without memcg,
 * cpusets and mempolicies that is all of RAM (totalram_pages plus no
 * swap) for every request.
 */
static enum oom_constraint constrained_alloc(struct kb_instance *kb, struct oom_control *oc)
{
	oc->totalpages = kb->totalram_pages;
	return CONSTRAINT_NONE;
}

/*
 * The baseline is the task's resident memory; oom_score_adj shifts it by
 * thousandths of the memory the request may use. A task without memory
 * (no mm) or with OOM_SCORE_ADJ_MIN is never chosen.
 */
long oom_badness(const struct kb_oom_task *p, unsigned long totalpages)
{
	long points, adj;

	/* find_lock_task_mm: an exited task has no mm */
	if (!p->rss)
		return LONG_MIN;
	adj = p->oom_score_adj;
	if (adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	/* get_mm_rss; no swap entries, no page tables */
	points = (long)p->rss;
	/* Normalize to oom_score_adj units */
	adj *= (long)(totalpages / 1000);
	return points + adj;
}

/* The later of two tasks with the same points wins (the test is "<"). */
static void oom_evaluate_task(struct oom_control *oc, unsigned int i)
{
	long points = oom_badness(&oc->tasks[i], oc->totalpages);

	if (points == LONG_MIN || points < oc->chosen_points)
		return;
	oc->chosen = (int)i;
	oc->chosen_points = points;
}

/* The process with the highest badness, in the order they were created. */
static void select_bad_process(struct oom_control *oc)
{
	oc->chosen = -1;
	oc->chosen_points = LONG_MIN;
	for (unsigned int i = 0; i < oc->nr_tasks; i++)
		oom_evaluate_task(oc, i);
}

/* Ends the chosen task: its owner frees everything its mm held. */
static void oom_kill_process(struct kb_instance *kb, struct oom_control *oc)
{
	const struct kb_oom_task *victim = &oc->tasks[oc->chosen];

	if (kb->oom_hooks.kill)
		kb->oom_hooks.kill(kb, oc, kb->oom_hooks.ctx);
	/* __oom_kill_process: count the kill, then the victim's memory goes */
	kb->vm_events[OOM_KILL]++;
	oc->freed = kb->owner.oom_kill_task ?
		    kb->owner.oom_kill_task(kb, victim->pid, kb->owner.ctx) : 0;
	if (kb->oom_hooks.killed)
		kb->oom_hooks.killed(kb, oc, kb->oom_hooks.ctx);
}

/* The allocating task among the owner's, or -1. */
static int current_task(const struct oom_control *oc)
{
	for (unsigned int i = 0; i < oc->nr_tasks; i++)
		if (oc->tasks[i].current)
			return (int)i;
	return -1;
}

bool out_of_memory(struct kb_instance *kb, struct oom_control *oc)
{
	int cur;

	oc->chosen = -1;
	oc->chosen_points = LONG_MIN;
	oc->allocating_task = false;
	oc->freed = 0;
	oc->nr_tasks = 0;

	/*
	 * A task the OOM killer chose already is exiting: let it take the
	 * reserves and go (task_will_free_mem(current)).
	 */
	if (kb->current_is_oom_victim)
		return true;

	/* The OOM killer does not compensate for IO-less reclaim. */
	if (!(oc->gfp_mask & __GFP_FS))
		return true;

	oc->constraint = constrained_alloc(kb, oc);
	if (kb->owner.for_each_process)
		oc->nr_tasks = kb->owner.for_each_process(kb, oc->tasks, KB_OOM_MAX_TASKS,
							  kb->owner.ctx);
	if (oc->nr_tasks > KB_OOM_MAX_TASKS)
		oc->nr_tasks = KB_OOM_MAX_TASKS;

	cur = current_task(oc);
	if (kb->sysctl_oom_kill_allocating_task && cur >= 0 && oc->tasks[cur].rss &&
	    oc->tasks[cur].oom_score_adj != OOM_SCORE_ADJ_MIN) {
		oc->chosen = cur;
		oc->chosen_points = oom_badness(&oc->tasks[cur], oc->totalpages);
		oc->allocating_task = true;
		oom_kill_process(kb, oc);
		return true;
	}

	select_bad_process(oc);
	/*
	 * Found nothing: the kernel panics ("System is deadlocked on
	 * memory"); kbuddy lets the request fail.
	 */
	if (oc->chosen < 0)
		return false;
	oom_kill_process(kb, oc);
	return true;
}
