/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OOM killer's request (include/linux/oom.h's oom_control) between
 * the slow path, core/oom.c and a checker's kb->oom_hooks.
 */
#ifndef KB_OOM_H
#define KB_OOM_H

#include "internal.h"

/* include/uapi/linux/oom.h's names for the range */
#define OOM_SCORE_ADJ_MIN	KB_OOM_SCORE_ADJ_MIN
#define OOM_SCORE_ADJ_MAX	KB_OOM_SCORE_ADJ_MAX

/*
 * What limits the memory the request may use. kbuddy has no memcg,
 * cpusets or mempolicies: constrained_alloc always finds
 * CONSTRAINT_NONE, the whole of RAM.
 */
enum oom_constraint {
	CONSTRAINT_NONE,
	CONSTRAINT_CPUSET,
	CONSTRAINT_MEMORY_POLICY,
	CONSTRAINT_MEMCG,
};

struct oom_control {
	struct zonelist *zonelist;
	gfp_t gfp_mask;
	int order;
	enum zone_type highest_zoneidx;	/* of the request (gfp_zone) */
	/* set by out_of_memory */
	unsigned long totalpages;
	enum oom_constraint constraint;
	/* the processes as the owner reported them, and the one chosen */
	struct kb_oom_task tasks[KB_OOM_MAX_TASKS];
	unsigned int nr_tasks;
	int chosen;			/* index into tasks, -1 = none */
	long chosen_points;
	bool allocating_task;		/* chosen by oom_kill_allocating_task */
	unsigned long freed;		/* pages the victim's end gave back */
};

/*
 * Kills a process to free memory: true when the caller may retry
 * (something was killed, or a !__GFP_FS request is told to pretend
 * progress), false when nothing could be killed.
 */
bool out_of_memory(struct kb_instance *kb, struct oom_control *oc);
/* The badness of one task for totalpages of memory; LONG_MIN: never chosen. */
long oom_badness(const struct kb_oom_task *p, unsigned long totalpages);

#endif /* KB_OOM_H */
