// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM killer's kills, judged from the request, the reference model
 * and the owner's account of its processes (checkers/check_oom.h). The
 * rules are mm/page_alloc.c's and mm/oom_kill.c's, written out again
 * here: which requests reach out_of_memory, what constrained_alloc
 * answers, oom_badness and select_bad_process's order. Nothing of
 * core/oom.c is called; of the oom_control only the answer is read (the
 * constraint, totalpages and the victim chosen).
 */
#include <limits.h>
#include <stdio.h>

#include "check_oom.h"
#include "../core/oom.h"

/*
 * Why a request of gfp and order never reaches a kill, or NULL when it
 * does: the slow path gives up before its OOM step (no direct reclaim,
 * __GFP_NORETRY, a costly order), __alloc_pages_may_oom returns early
 * (__GFP_RETRY_MAYFAIL, __GFP_THISNODE, a zone limit below Normal; for
 * __GFP_NOFAIL too), out_of_memory returns early (the allocating task is
 * a victim already, task_will_free_mem; no __GFP_FS outside a memcg).
 */
static const char *no_kill_reason(const struct kb_model *m, gfp_t gfp, unsigned int order)
{
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		return "may not reclaim directly, so the slow path stops before its OOM step";
	if (gfp & __GFP_NORETRY)
		return "has __GFP_NORETRY, so the slow path stops before its OOM step";
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return "is of a costly order, which the OOM killer does not help";
	if (gfp & __GFP_RETRY_MAYFAIL)
		return "has __GFP_RETRY_MAYFAIL: the caller has a better fallback";
	if (gfp & __GFP_THISNODE)
		return "has __GFP_THISNODE: a kill cannot free a given node";
	if (kb_model_gfp_zone(gfp) < ZONE_NORMAL)
		return "is limited to zones below Normal: no kill for lowmem";
	if (m->oom_victim)
		return "comes from a task the OOM killer chose already (task_will_free_mem)";
	if (!(gfp & __GFP_FS))
		return "has no __GFP_FS: out_of_memory pretends progress instead";
	return NULL;
}

/*
 * oom_badness: the pages the task's mm holds (no swap entries, no page
 * tables in kbuddy) plus oom_score_adj per mille of the memory the
 * request may use. A task without an mm (no pages) or with
 * OOM_SCORE_ADJ_MIN is never chosen (LONG_MIN).
 */
static long badness(const struct kb_oom_task *t, unsigned long totalpages)
{
	long per_mille = (long)(totalpages / 1000);

	if (t->rss == 0 || t->oom_score_adj == KB_OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	return (long)t->rss + per_mille * t->oom_score_adj;
}

static bool killable(const struct kb_oom_task *t)
{
	return t->rss && t->oom_score_adj != KB_OOM_SCORE_ADJ_MIN;
}

/*
 * The task out_of_memory must end, or -1: the allocating task under
 * vm.oom_kill_allocating_task when it is killable, else
 * select_bad_process's: the highest badness, the later of equal ones
 * (oom_evaluate_task skips only lower points).
 */
static int expected_victim(const struct kb_model *m, const struct kb_oom_view *view,
			   unsigned long totalpages, long *points)
{
	int best = -1;

	*points = LONG_MIN;
	if (m->sys.oom_kill_allocating_task)
		for (unsigned int i = 0; i < view->nr; i++)
			if (view->tasks[i].current && killable(&view->tasks[i])) {
				*points = badness(&view->tasks[i], totalpages);
				return (int)i;
			}
	for (unsigned int i = 0; i < view->nr; i++) {
		long p = badness(&view->tasks[i], totalpages);

		if (p == LONG_MIN || (best >= 0 && p < *points))
			continue;
		best = (int)i;
		*points = p;
	}
	return best;
}

static int view_find(const struct kb_oom_view *view, int pid)
{
	for (unsigned int i = 0; i < view->nr; i++)
		if (view->tasks[i].pid == pid)
			return (int)i;
	return -1;
}

/* The pfn of the page whose lru is entry, or ULONG_MAX when it is none in mem_map. */
static unsigned long entry_pfn(const struct kb_instance *kb, const struct list_head *entry)
{
	uintptr_t base = (uintptr_t)&kb->mem_map[0].lru, p = (uintptr_t)entry;
	unsigned long pfn;

	if (p < base || (p - base) % sizeof(struct page))
		return ULONG_MAX;
	pfn = (unsigned long)((p - base) / sizeof(struct page));
	return pfn_valid(kb, pfn) ? pfn : ULONG_MAX;
}

/* Entries of one list, or false when it leaves mem_map or does not end. */
static bool list_entries(const struct kb_instance *kb, const struct list_head *head,
			 unsigned long *nr)
{
	const struct list_head *cur = head->next;

	*nr = 0;
	while (cur != head) {
		unsigned long pfn = entry_pfn(kb, cur);

		if (pfn == ULONG_MAX || ++*nr > kb->max_pfn)
			return false;
		cur = kb->mem_map[pfn].lru.next;
	}
	return true;
}

bool kb_oom_count_free(const struct kb_instance *kb, unsigned long *pages)
{
	unsigned long nr;

	*pages = 0;
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *zone = &kb->node_data[nid].node_zones[zid];

			if (!zone->initialized)
				continue;
			for (unsigned int o = 0; o <= kb->max_order; o++)
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					if (!list_entries(kb, &zone->free_area[o].free_list[mt], &nr))
						return false;
					*pages += nr << o;
				}
			for (int cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
				for (unsigned int i = 0; i < NR_PCP_LISTS; i++) {
					const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

					if (!list_entries(kb, &pcp->lists[i], &nr))
						return false;
					*pages += nr << pindex_to_order(kb, i);
				}
		}
	return true;
}

int kb_check_oom_kill(const struct kb_instance *kb, const struct kb_model *m, gfp_t gfp,
		      unsigned int order, const struct oom_control *oc,
		      const struct kb_oom_view *view, struct kb_oom_watch *w,
		      struct kb_violation *v)
{
	const char *why = no_kill_reason(m, gfp, order);
	/* constrained_alloc without memcg, cpusets or mempolicies */
	unsigned long totalpages = m->totalram;
	char name[160];
	int victim, want, pid;
	long points;

	w->armed = false;
	kb_gfp_format(gfp, name, sizeof(name));
	if (why) {
		kb_violation_set(v, "oom-kill-constraint", -1, -1, 0, (int)order, -1,
				 "the OOM killer ran for an order-%u %s request, which %s",
				 order, name, why);
		return 1;
	}
	if (oc->constraint != CONSTRAINT_NONE || oc->totalpages != totalpages) {
		kb_violation_set(v, "oom-kill-constraint", -1, -1, 0, (int)order, -1,
				 "out_of_memory took constraint %d over %lu pages; with no memcg, cpuset or mempolicy constrained_alloc picks CONSTRAINT_NONE over totalram's %lu",
				 (int)oc->constraint, oc->totalpages, totalpages);
		return 1;
	}
	if (oc->chosen < 0 || (unsigned int)oc->chosen >= oc->nr_tasks ||
	    oc->nr_tasks > KB_OOM_MAX_TASKS) {
		kb_violation_set(v, "oom-kill-constraint", -1, -1, 0, (int)order, -1,
				 "the OOM killer kills task %d of %u it looked at: no task of the constraint",
				 oc->chosen, oc->nr_tasks);
		return 1;
	}
	pid = oc->tasks[oc->chosen].pid;
	victim = view_find(view, pid);
	if (victim < 0) {
		kb_violation_set(v, "oom-kill-constraint", -1, -1, 0, (int)order, -1,
				 "the OOM killer chose pid %d, which is none of the owner's %u processes (CONSTRAINT_NONE's tasks)",
				 pid, view->nr);
		return 1;
	}
	want = expected_victim(m, view, totalpages, &points);
	if (want < 0) {
		kb_violation_set(v, "oom-victim-badness", -1, -1, 0, (int)order, -1,
				 "the OOM killer chose pid %d (%lu pages, oom_score_adj %d), but no task is killable: each has no memory or OOM_SCORE_ADJ_MIN",
				 pid, view->tasks[victim].rss, view->tasks[victim].oom_score_adj);
		return 1;
	}
	if (want != victim) {
		long vp = badness(&view->tasks[victim], totalpages);

		kb_violation_set(v, "oom-victim-badness", -1, -1, 0, (int)order, -1,
				 "the OOM killer chose pid %d (badness %ld, %lu pages, oom_score_adj %d); %s pid %d (badness %ld, %lu pages, oom_score_adj %d)",
				 pid, vp, view->tasks[victim].rss, view->tasks[victim].oom_score_adj,
				 m->sys.oom_kill_allocating_task && view->tasks[want].current ?
					 "vm.oom_kill_allocating_task kills the allocating task," :
					 "select_bad_process picks the highest badness, the later of equal ones,",
				 view->tasks[want].pid, points, view->tasks[want].rss,
				 view->tasks[want].oom_score_adj);
		return 1;
	}
	w->armed = true;
	w->victim_pid = pid;
	w->back = view->tasks[victim].rss - view->pinned[victim];
	w->counted = kb_oom_count_free(kb, &w->free_before);
	return 0;
}

int kb_check_oom_killed(const struct kb_instance *kb, struct kb_oom_watch *w,
			const struct kb_oom_view *after, struct kb_violation *v)
{
	int victim;
	unsigned long now;

	if (!w->armed)
		return 0;
	w->armed = false;
	victim = view_find(after, w->victim_pid);
	if (victim >= 0 && after->tasks[victim].rss) {
		kb_violation_set(v, "oom-victim-freed", -1, -1, 0, -1, -1,
				 "pid %d still holds %lu pages after the OOM killer ended it",
				 w->victim_pid, after->tasks[victim].rss);
		return 1;
	}
	if (!w->counted || !kb_oom_count_free(kb, &now))
		return 0;
	if (now != w->free_before + w->back) {
		kb_violation_set(v, "oom-victim-freed", -1, -1, 0, -1, -1,
				 "the kill of pid %d left %lu pages on the free and pcp lists, %lu before it: its %lu unpinned pages did not all come back",
				 w->victim_pid, now, w->free_before, w->back);
		return 1;
	}
	return 0;
}
