// SPDX-License-Identifier: GPL-2.0
/*
 * The runner: executes an operation sequence on a fresh instance, keeps the
 * shadow of live allocations, plays the "user" who writes into the pages it
 * holds, and calls the checker at the configured level.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "user.h"
#include "../checkers/check_oom.h"
#include "../checkers/incremental.h"
#include "../checkers/model.h"
#include "../checkers/shadow_free.h"
#include "../checkers/oracle.h"
#include "../core/internal.h"
#include "../core/oom.h"
#include "../core/sched.h"
#include "../core/spinlock.h"
#include "../machine/layout_io.h"

/* What became of each handle. */
enum handle_state {
	HANDLE_UNUSED,
	HANDLE_LIVE,
	HANDLE_FAILED,	/* the allocation returned NULL */
	HANDLE_FREED,
	/* freed by its owner; a GET reference still holds (part of) it */
	HANDLE_HELD,
	/* reclaim took it (core/vmscan.c): the owner no longer has it */
	HANDLE_RECLAIMED,
	/* the OOM killer ended the task holding it (core/oom.c) */
	HANDLE_KILLED,
	/*
	 * Below level 2 the shadow's strict checks are off: a block the shadow
	 * refused (overlap, misalignment) is still freed, untracked.
	 */
	HANDLE_UNTRACKED,
};

/* What a handle holds, and so how its owner gives it back. */
enum handle_kind {
	HANDLE_BLOCK,	/* one block, freed with its order (__free_pages) */
	HANDLE_RANGE,	/* an alloc_contig range (free_contig_range) */
	HANDLE_PAGES,	/* order-0 pages of a split block (free_pages_exact) */
};

struct kb_run {
	struct kb_instance *kb;
	struct kb_shadow *sh;
	const struct kb_ops *ops;
	const struct kb_run_options *opt;
	struct kb_run_result *res;
	uint8_t *handle_state;		/* by handle, 1-based */
	unsigned int *handle_order;	/* by handle */
	unsigned long *handle_pfn;	/* by handle */
	unsigned long *handle_nr;	/* by handle: pages held */
	gfp_t *handle_gfp;		/* by handle */
	uint8_t *handle_refs;		/* by handle: GET references */
	uint8_t *handle_contig;		/* by handle: enum handle_kind */
	uint8_t *handle_task;		/* by handle: the task that allocated it, or NO_TASK */
	size_t handle_cap;
	/*
	 * The processes (core/oom.c): task k runs on CPU k, pid k + 1; the
	 * task of the operation running now, and each one's oom_score_adj.
	 */
	unsigned int op_task;
	int oom_score_adj[KB_MAX_CPUS];
	/*
	 * The page allocation the operation is making now, as the runner
	 * asked for it (the OOM checker judges a kill by it), and what the
	 * kill being judged must give back.
	 */
	bool req_known;
	gfp_t req_gfp;
	unsigned int req_order;
	struct kb_oom_watch oom_watch;
	/*
	 * Pages soft offline poisoned, in order, with the shadow handles that
	 * hold them (after the sequence's own: nr_handles + 1 + k).
	 */
	unsigned long poisoned_pfn[KB_OPS_MAX];
	unsigned int poisoned_handle[KB_OPS_MAX];
	size_t nr_poisoned;
	unsigned int next_poison_handle;
	struct kb_incremental *ic;	/* level 2's per-operation checker (from boot) */
	bool ic_counted;		/* ic counted the snapshot's lists (restart from them) */
	/* the reference model, and its state right after boot (restored with the snapshot) */
	struct kb_model *model, *model_boot;
	bool model_changed;		/* the operation changed the model's inputs */
	/* a page compaction captured during this operation, not yet handed out */
	bool captured;
	unsigned long captured_pfn;
	bool model_boot_violated;	/* the booted allocator disagreed with the model */
	struct kb_violation model_boot_violation;
	size_t op_index;
	bool back_with_memory;
	/* the first check that failed while the layout booted (kept for every run) */
	bool boot_violated;
	struct kb_violation boot_violation;
	unsigned int backing_bytes;
	/*
	 * Streamed operations run interleaved (core/sched.h): the schedule,
	 * what each operation waits for (the operation creating its handle,
	 * for a put the get before it; -1 none), which have finished, and
	 * by handle the operation of the interleaving creating it and its
	 * latest get (-1 none).
	 */
	struct kb_sched *sched;
	bool in_block;
	bool block_stuck;		/* an interleaving could not finish */
	uint8_t choices[KB_OPS_MAX * KB_OPS_SCHEDULE_MAX];
	int32_t after[KB_OPS_MAX][2];
	bool done[KB_OPS_MAX];
	int32_t *creator, *last_get;
	size_t block_cap;
};

static void violate(struct kb_run *run, const struct kb_violation *v)
{
	if (run->res->violated)
		return;
	run->res->violated = true;
	run->res->violation = *v;
	run->res->violation.op_index = (long)run->op_index;
}

/* The core's own (DEBUG_VM) checks report here. */
static void on_report(void *ctx, const struct kb_report *r)
{
	struct kb_run *run = ctx;
	struct kb_violation v;

	kb_violation_from_report(&v, r);
	violate(run, &v);
}

/* --- the user: a pattern in every page it holds (ops/user.c) --- */

static void user_write(struct kb_run *run, struct page *page, unsigned long nr,
		       unsigned int handle)
{
	if (run->opt->check_level >= 2)
		kb_user_write(run->kb, page, nr, handle);
}

/* Two owners of one page show up as a pattern the freeing owner did not write. */
static bool user_verify(struct kb_run *run, struct page *page, unsigned long nr,
			unsigned int handle)
{
	struct kb_violation v;
	unsigned long i, pfn;
	uint64_t word;

	if (run->opt->check_level < 2 ||
	    kb_user_verify(run->kb, page, nr, handle, &i, &word))
		return true;
	pfn = kb_page_to_pfn(run->kb, page + i);
	kb_violation_set(&v, "page-content", page[i].node, page[i].zone, pfn, -1, -1,
			 "a%u's page 0x%lx holds 0x%llx, not the pattern a%u wrote: another owner wrote it",
			 handle, pfn, (unsigned long long)word, handle);
	violate(run, &v);
	return false;
}

/* The sequence's handle holding pfn, or 0 (none, or a page soft offline poisoned). */
static unsigned int handle_at(const struct kb_run *run, unsigned long pfn)
{
	unsigned int h = kb_shadow_owner(run->sh, pfn);

	return h <= run->ops->nr_handles ? h : 0;
}

/* The page allocation the runner is about to make (the OOM checker's request). */
static void request(struct kb_run *run, gfp_t gfp, unsigned int order)
{
	run->req_known = true;
	run->req_gfp = gfp;
	run->req_order = order;
}

/* get_order(nr << PAGE_SHIFT), as alloc_pages_exact takes it. */
static unsigned int exact_order(unsigned long nr)
{
	unsigned int order = 0;

	while (order < 63 && (1UL << order) < nr)
		order++;
	return order;
}

/* --- compaction while it runs (kb->compaction_hooks), from level 2 --- */

static void on_compaction_round(struct kb_instance *kb, const struct compact_control *cc,
				void *ctx)
{
	struct kb_run *run = ctx;
	struct kb_violation v;

	if (run->opt->check_level >= 2 && !run->res->violated &&
	    kb_check_compaction_round(kb, cc, &v))
		violate(run, &v);
}

/* The captured page must be the one the allocation of this operation returns. */
static void on_compaction_capture(struct kb_instance *kb, const struct compact_control *cc,
				  const struct page *page, void *ctx)
{
	struct kb_run *run = ctx;
	struct kb_violation v;

	run->captured = true;
	run->captured_pfn = kb_page_to_pfn(kb, page);
	if (run->opt->check_level >= 2 && !run->res->violated &&
	    kb_check_compaction_capture(kb, cc, page, &v))
		violate(run, &v);
}

/* After an allocation: a page captured meanwhile reached it (it is page). */
static void capture_reached(struct kb_run *run, const struct page *page)
{
	struct kb_violation v;
	unsigned long pfn = run->captured_pfn;

	if (!run->captured || run->opt->check_level < 2)
		return;
	run->captured = false;
	if (page && kb_page_to_pfn(run->kb, page) == pfn)
		return;
	kb_violation_set(&v, "compaction-capture", -1, -1, pfn, -1, -1,
			 "the page compaction captured at %#lx did not reach the allocation (it returned %s)",
			 pfn, page ? "another block" : "NULL");
	violate(run, &v);
}

/* --- operations --- */

/*
 * The user keeps movable and reclaimable memory on the LRU until it frees
 * it (the kernel takes a folio off the LRU before freeing it): a block
 * allocated with __GFP_MOVABLE as anonymous memory, one allocated with
 * __GFP_RECLAIMABLE as page cache that reclaim may take (PG_lru either
 * way, so isolation and compaction may migrate it).
 */
static void user_lru_add(struct kb_run *run, struct page *page, gfp_t gfp, unsigned int order)
{
	if (!(gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)))
		return;
	kb_lru_add(run->kb, page, order, gfp & __GFP_MOVABLE);
}

static void user_lru_del(struct kb_run *run, struct page *page)
{
	kb_lru_del(run->kb, page);
}

static void handle_set(struct kb_run *run, unsigned int h, unsigned long pfn,
		       unsigned int order, unsigned long nr, gfp_t gfp, bool contig)
{
	run->handle_pfn[h] = pfn;
	run->handle_order[h] = order;
	run->handle_nr[h] = nr;
	run->handle_gfp[h] = gfp;
	run->handle_refs[h] = 0;
	run->handle_contig[h] = contig;
	run->handle_task[h] = (uint8_t)run->op_task;
}

/* The allocation of op's handle returned page: count it and record where. */
static void handle_got(struct kb_run *run, const struct kb_op *op, struct page *page,
		       struct kb_op_result *r)
{
	run->res->allocs_ok++;
	r->pfn = kb_page_to_pfn(run->kb, page);
	r->node = page->node;
	r->zone = page->zone;
	run->handle_state[op->handle] = HANDLE_LIVE;
	run->handle_pfn[op->handle] = r->pfn;
}

/*
 * The shadow refused an allocation (v says why): a violation from level 2
 * up; below, the block is still freed later, untracked.
 */
static void shadow_refused(struct kb_run *run, unsigned int h, const struct kb_violation *v)
{
	if (run->opt->check_level >= 2)
		violate(run, v);
	else
		run->handle_state[h] = HANDLE_UNTRACKED;
}

static void do_alloc(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	struct kb_violation v;
	struct page *page;

	run->handle_state[op->handle] = HANDLE_FAILED;
	handle_set(run, op->handle, 0, op->order, 1UL << (op->order & 63), op->gfp, false);
	if (op->order > kb->max_order) {
		kb_violation_set(&v, "api-order-range", -1, -1, 0, (int)op->order, -1,
				 "alloc of order %u above MAX_PAGE_ORDER %u", op->order,
				 kb->max_order);
		violate(run, &v);
		r->err = -EINVAL;
		return;
	}
	kb_set_cpu(kb, (int)op->cpu);
	request(run, op->gfp, op->order);
	page = kb_alloc_pages(kb, op->gfp, op->order, op->nid, &r->err);
	capture_reached(run, page);
	if (!page) {
		r->failed = true;
		run->res->allocs_failed++;
		if (!r->err && run->opt->check_level >= 2 && !run->in_block &&
		    kb_oracle_failure(kb, run->model, op->gfp, op->order, op->nid, &v))
			violate(run, &v);
		return;
	}
	handle_got(run, op, page, r);
	user_lru_add(run, page, op->gfp, op->order);
	if (kb_shadow_alloc(run->sh, kb, r->pfn, op->order, op->gfp, op->handle, &v)) {
		shadow_refused(run, op->handle, &v);
		return;
	}
	if (run->opt->check_level >= 2 && !run->in_block &&
	    kb_oracle_alloc(kb, run->model, op->gfp, op->order, op->nid, r->pfn, &v)) {
		violate(run, &v);
		return;
	}
	user_write(run, page, 1UL << op->order, op->handle);
}

static void do_alloc_contig(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	struct kb_violation v;
	struct page *page;

	run->handle_state[op->handle] = HANDLE_FAILED;
	handle_set(run, op->handle, 0, 0, op->nr, op->gfp, true);
	kb_set_cpu(kb, (int)op->cpu);
	page = kb_alloc_contig_pages(kb, op->nr, op->gfp, op->nid, &r->err);
	if (!page) {
		r->failed = true;
		run->res->allocs_failed++;
		return;
	}
	handle_got(run, op, page, r);
	if (PageHead(page))
		run->handle_order[op->handle] = page->compound_order;
	if (kb_shadow_alloc_contig(run->sh, kb, r->pfn, op->nr, op->gfp, op->handle, &v)) {
		shadow_refused(run, op->handle, &v);
		return;
	}
	user_write(run, page, op->nr, op->handle);
}

/* Gives back a handle's pages the way its kind needs (checked beforehand). */
static void release(struct kb_run *run, unsigned int h)
{
	struct kb_instance *kb = run->kb;
	struct page *page = kb_pfn_to_page(kb, run->handle_pfn[h]);

	if (run->handle_contig[h] == HANDLE_PAGES) {
		kb_free_pages_exact(kb, page, run->handle_nr[h]);
	} else if (run->handle_contig[h] && !PageHead(page)) {
		kb_free_contig_range(kb, run->handle_pfn[h], run->handle_nr[h]);
	} else {
		if (!run->handle_contig[h])
			user_lru_del(run, page);
		kb_free_pages(kb, page, run->handle_order[h]);
	}
}

/* Frees pfn/order after the shadow accepted it (it names any misuse first). */
static void free_block(struct kb_run *run, unsigned long pfn, unsigned int order,
		       unsigned int cpu, unsigned int handle)
{
	struct kb_instance *kb = run->kb;
	struct kb_violation v;
	struct page *page;

	if (kb_shadow_free(run->sh, kb, pfn, order, &v)) {
		violate(run, &v);
		return;
	}
	page = kb_pfn_to_page(kb, pfn);
	if (handle && !user_verify(run, page, 1UL << order, handle))
		return;
	kb_set_cpu(kb, (int)cpu);
	user_lru_del(run, page);
	kb_free_pages(kb, page, order);
	run->res->frees++;
}

/* The GET holder's put_page, landing inside __free_pages (free_window). */
static void racing_put(struct kb_instance *kb, struct page *page, void *ctx)
{
	(void)ctx;
	kb->owner.free_window = NULL;
	kb_put_page(kb, page);
}

/*
 * The owner frees a handle that GET references still hold: the last
 * reference is not the owner's, so __free_pages frees only the tail pages
 * of a plain block and nothing of a compound one; or, with race, the GET
 * holder's put lands inside that free and the block goes entirely.
 */
static void free_referenced(struct kb_run *run, const struct kb_op *op, unsigned int h)
{
	struct kb_instance *kb = run->kb;
	struct page *page = kb_pfn_to_page(kb, run->handle_pfn[h]);
	bool compound = PageHead(page);
	bool race = op->race && run->handle_refs[h] == 1;

	if (!user_verify(run, page, run->handle_nr[h], h))
		return;
	kb_set_cpu(kb, (int)op->cpu);
	user_lru_del(run, page);
	if (race) {
		kb_shadow_forget(run->sh, h);
		run->handle_refs[h] = 0;
		run->handle_state[h] = HANDLE_FREED;
		kb->owner.free_window = racing_put;
		kb_free_pages(kb, page, run->handle_order[h]);
		kb->owner.free_window = NULL;
	} else {
		if (!compound)
			kb_shadow_keep_first_page(run->sh, h);
		kb_shadow_set_refs(run->sh, h, run->handle_refs[h]);
		run->handle_state[h] = HANDLE_HELD;
		kb_free_pages(kb, page, run->handle_order[h]);
		if (!compound) {
			run->handle_order[h] = 0;
			run->handle_nr[h] = 1;
		}
	}
	run->res->frees++;
}

static void do_free(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	unsigned int h = op->handle;
	unsigned long pfn;
	unsigned int order;

	switch (run->handle_state[h]) {
	case HANDLE_FAILED:
		r->skipped = true;	/* the allocation returned NULL */
		return;
	case HANDLE_UNTRACKED:
		run->handle_state[h] = HANDLE_FREED;
		kb_set_cpu(run->kb, (int)op->cpu);
		if (op->order_given)
			run->handle_order[h] = op->order;
		release(run, h);
		run->res->frees++;
		return;
	case HANDLE_FREED:
	case HANDLE_HELD:
	case HANDLE_LIVE:
		break;
	default:
		/* never allocated, or reclaimed: the owner has nothing to free */
		r->skipped = true;
		return;
	}
	if (run->handle_state[h] != HANDLE_LIVE ||
	    kb_shadow_lookup(run->sh, h, &pfn, &order) != 1) {
		/*
		 * The same pointer freed twice. Its pfn may belong to a newer
		 * allocation by now, so the handle, not the pfn, names it.
		 */
		struct kb_violation v;

		kb_violation_set(&v, "api-double-free", -1, -1, 0, (int)run->handle_order[h], -1,
				 "a%u freed a second time", h);
		violate(run, &v);
		return;
	}
	r->pfn = pfn;
	if (run->handle_refs[h] && !op->order_given) {
		free_referenced(run, op, h);
		return;
	}
	if (run->handle_contig[h] && !op->order_given) {
		struct page *page = kb_pfn_to_page(run->kb, pfn);

		if (!user_verify(run, page, run->handle_nr[h], h))
			return;
		kb_shadow_forget(run->sh, h);
		run->handle_state[h] = HANDLE_FREED;
		kb_set_cpu(run->kb, (int)op->cpu);
		release(run, h);
		run->res->frees++;
		return;
	}
	if (op->order_given)
		order = op->order;
	run->handle_state[h] = HANDLE_FREED;
	free_block(run, pfn, order, op->cpu, h);
}

static void do_get(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	unsigned int h = op->handle;

	if (run->handle_state[h] != HANDLE_LIVE || run->handle_contig[h] ||
	    run->handle_refs[h] >= 255) {
		r->skipped = true;	/* failed, freed or untracked: nothing to reference */
		return;
	}
	/* get_user_pages with FOLL_TOUCH: a reference and an access */
	kb_get_page(run->kb, kb_pfn_to_page(run->kb, run->handle_pfn[h]));
	kb_mark_page_accessed(run->kb, kb_pfn_to_page(run->kb, run->handle_pfn[h]));
	run->handle_refs[h]++;
	kb_shadow_set_refs(run->sh, h, 1u + run->handle_refs[h]);
}

static void do_put(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	unsigned int h = op->handle;
	struct page *page;
	bool held = run->handle_state[h] == HANDLE_HELD;

	if (!run->handle_refs[h] || (run->handle_state[h] != HANDLE_LIVE && !held)) {
		struct kb_violation v;

		/* interleaved, the get may have found the handle freed already */
		if (run->handle_state[h] == HANDLE_FAILED ||
		    run->handle_state[h] == HANDLE_RECLAIMED ||
		    run->handle_state[h] == HANDLE_KILLED || run->in_block) {
			r->skipped = true;
			return;
		}
		kb_violation_set(&v, "api-double-free", -1, -1, 0, -1, -1,
				 "put of a%u, which holds no reference taken by get", h);
		violate(run, &v);
		return;
	}
	page = kb_pfn_to_page(kb, run->handle_pfn[h]);
	run->handle_refs[h]--;
	if (held && !run->handle_refs[h]) {
		/* the last reference: the rest of the block goes now */
		if (!user_verify(run, page, run->handle_nr[h], h))
			return;
		kb_shadow_forget(run->sh, h);
		run->handle_state[h] = HANDLE_FREED;
	} else {
		kb_shadow_set_refs(run->sh, h, (held ? 0u : 1u) + run->handle_refs[h]);
	}
	kb_put_page(kb, page);
}

/*
 * Migration for alloc_contig_range: the owner of the PG_lru block at page
 * moves it to a new block (alloc_migration_target's gfp, on the page's
 * node), copies its contents and frees the old block. Blocks with GET
 * references cannot move (migration finds an unexpected refcount).
 */
static int owner_migrate(struct kb_instance *kb, struct page *page,
			 const struct kb_migrate_target *target, void *ctx)
{
	struct kb_run *run = ctx;
	unsigned long pfn = kb_page_to_pfn(kb, page);
	unsigned int h = handle_at(run, pfn);
	bool own_target = !target || !target->alloc;
	unsigned int saved_order;
	struct kb_violation v;
	gfp_t gfp, saved_gfp;
	struct page *new;
	bool saved_known;
	int err;

	if (!h || run->handle_state[h] != HANDLE_LIVE || run->handle_pfn[h] != pfn ||
	    run->handle_refs[h] || run->handle_contig[h])
		return -EAGAIN;
	gfp = GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL | (run->handle_gfp[h] & __GFP_COMP);
	/* the operation's own request resumes after the owner's */
	saved_known = run->req_known;
	saved_gfp = run->req_gfp;
	saved_order = run->req_order;
	if (own_target)
		request(run, gfp, run->handle_order[h]);
	new = !own_target ? target->alloc(kb, run->handle_order[h], gfp, target->priv) :
			    kb_alloc_pages(kb, gfp, run->handle_order[h], page->node, &err);
	run->req_known = saved_known;
	run->req_gfp = saved_gfp;
	run->req_order = saved_order;
	if (own_target)
		capture_reached(run, new);
	if (!new)
		return -ENOMEM;
	if (!user_verify(run, page, run->handle_nr[h], h)) {
		if (!own_target)
			target->put(kb, new, run->handle_order[h], target->priv);
		else
			kb_free_pages(kb, new, run->handle_order[h]);
		return -EAGAIN;
	}
	if (kb_shadow_move(run->sh, kb, h, kb_page_to_pfn(kb, new), &v)) {
		if (run->opt->check_level >= 2)
			violate(run, &v);
		return -EAGAIN;
	}
	run->handle_pfn[h] = kb_page_to_pfn(kb, new);
	user_write(run, new, run->handle_nr[h], h);
	kb_lru_replace(kb, page, new, run->handle_order[h]);
	/* soft offline keeps the old block: the owner's reference goes with it */
	if (!target || !target->keep_source)
		kb_free_pages(kb, page, run->handle_order[h]);
	return 0;
}

/*
 * Reclaim takes the isolated block at page: its owner checks the contents
 * and lets the handle go (reclaim then frees the block). A block with GET
 * references stays, as __remove_mapping's refcount freeze fails.
 */
static int owner_reclaim(struct kb_instance *kb, struct page *page, void *ctx)
{
	struct kb_run *run = ctx;
	unsigned long pfn = kb_page_to_pfn(kb, page);
	unsigned int h = handle_at(run, pfn);
	struct kb_violation v;

	if (!h || run->handle_state[h] != HANDLE_LIVE || run->handle_pfn[h] != pfn ||
	    run->handle_refs[h] || run->handle_contig[h])
		return -EBUSY;
	if (!user_verify(run, page, run->handle_nr[h], h))
		return -EBUSY;
	if (kb_shadow_free(run->sh, kb, pfn, run->handle_order[h], &v)) {
		if (run->opt->check_level >= 2)
			violate(run, &v);
		return -EBUSY;
	}
	run->handle_state[h] = HANDLE_RECLAIMED;
	return 0;
}

/* --- the processes the OOM killer chooses from (core/oom.c) --- */

#define NO_TASK	0xff

/* A handle whose pages count in a task's mm: held, by its owner. */
static bool handle_held(const struct kb_run *run, unsigned int h)
{
	return run->handle_state[h] == HANDLE_LIVE || run->handle_state[h] == HANDLE_UNTRACKED;
}

/* One task per CPU, with the pages of the blocks it allocated and holds. */
static unsigned int owner_for_each_process(struct kb_instance *kb, struct kb_oom_task *tasks,
					   unsigned int max, void *ctx)
{
	struct kb_run *run = ctx;
	unsigned int n = (unsigned int)kb->nr_cpu_ids;

	if (n > max)
		n = max;
	for (unsigned int t = 0; t < n; t++) {
		tasks[t].pid = (int)t + 1;
		tasks[t].rss = 0;
		tasks[t].oom_score_adj = run->oom_score_adj[t];
		tasks[t].current = (int)t == kb->cpu;
	}
	for (unsigned int h = 1; h <= run->ops->nr_handles; h++)
		if (handle_held(run, h) && run->handle_task[h] < n)
			tasks[run->handle_task[h]].rss += run->handle_nr[h];
	return n;
}

/*
 * The task ends (exit_mmap): every block it holds is freed on the CPU
 * the allocation runs on, as the OOM reaper would. A block GET references
 * pin stays allocated and belongs to no task from now on (the mm's share
 * goes, the pins stay); its handle may still be freed and put.
 */
static unsigned long owner_oom_kill_task(struct kb_instance *kb, int pid, void *ctx)
{
	struct kb_run *run = ctx;
	unsigned int task = (unsigned int)(pid - 1);
	unsigned long freed = 0;
	struct kb_violation v;

	for (unsigned int h = 1; h <= run->ops->nr_handles && !run->res->violated; h++) {
		struct page *page;

		if (!handle_held(run, h) || run->handle_task[h] != task)
			continue;
		if (run->handle_refs[h]) {
			run->handle_task[h] = NO_TASK;
			continue;
		}
		page = kb_pfn_to_page(kb, run->handle_pfn[h]);
		if (run->handle_state[h] == HANDLE_LIVE) {
			if (!user_verify(run, page, run->handle_nr[h], h))
				break;
			if (run->handle_contig[h]) {
				kb_shadow_forget(run->sh, h);
			} else if (kb_shadow_free(run->sh, kb, run->handle_pfn[h],
						  run->handle_order[h], &v)) {
				violate(run, &v);
				break;
			}
		}
		run->handle_state[h] = HANDLE_KILLED;
		release(run, h);
		freed += run->handle_nr[h];
	}
	return freed;
}

/* The processes as the runner holds them, with the pages GET references pin. */
static void oom_view(struct kb_run *run, struct kb_oom_view *view)
{
	view->nr = owner_for_each_process(run->kb, view->tasks, KB_OOM_MAX_TASKS, run);
	for (unsigned int t = 0; t < view->nr; t++) {
		view->tasks[t].current = t == run->op_task;
		view->pinned[t] = 0;
	}
	for (unsigned int h = 1; h <= run->ops->nr_handles; h++)
		if (handle_held(run, h) && run->handle_task[h] < view->nr && run->handle_refs[h])
			view->pinned[run->handle_task[h]] += run->handle_nr[h];
}

/* --- the OOM killer's kills (kb->oom_hooks), from level 2 --- */

static void on_oom_kill(struct kb_instance *kb, const struct oom_control *oc, void *ctx)
{
	struct kb_run *run = ctx;
	struct kb_oom_view view;
	struct kb_violation v;

	run->oom_watch.armed = false;
	if (run->opt->check_level < 2 || run->res->violated || run->in_block)
		return;
	oom_view(run, &view);
	/* every page allocation of an operation names its request; one that did not is judged by oc's */
	if (kb_check_oom_kill(kb, run->model, run->req_known ? run->req_gfp : oc->gfp_mask,
			      run->req_known ? run->req_order : (unsigned int)oc->order, oc, &view,
			      &run->oom_watch, &v))
		violate(run, &v);
}

static void on_oom_killed(struct kb_instance *kb, const struct oom_control *oc, void *ctx)
{
	struct kb_run *run = ctx;
	struct kb_oom_view view;
	struct kb_violation v;

	(void)oc;
	if (!run->oom_watch.armed || run->res->violated)
		return;
	oom_view(run, &view);
	if (kb_check_oom_killed(kb, &run->oom_watch, &view, &v))
		violate(run, &v);
}

/*
 * split_page on a live plain block: its owner takes it off the LRU (an
 * LRU folio is never split this way), the allocator gives every page a
 * reference, and the handle holds order-0 pages freed one by one. A
 * compound block goes to split_page all the same: the kernel's
 * VM_BUG_ON reports it ("split-page-bad").
 */
static void do_split(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	unsigned int h = op->handle;
	struct page *page;

	if (run->handle_state[h] != HANDLE_LIVE) {
		/* failed, freed, reclaimed: nothing held to split */
		r->skipped = true;
		return;
	}
	if (run->handle_contig[h] || run->handle_refs[h]) {
		/* order-0 pages already, or pages other holders reference */
		r->err = -EBUSY;
		return;
	}
	page = kb_pfn_to_page(kb, run->handle_pfn[h]);
	r->pfn = run->handle_pfn[h];
	user_lru_del(run, page);
	kb_split_page(kb, page, run->handle_order[h]);
	run->handle_contig[h] = HANDLE_PAGES;
	kb_shadow_split(run->sh, h);
}

/* alloc_pages_exact(_nid): nr order-0 pages with a reference each. */
static void do_alloc_exact(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	struct kb_violation v;
	struct page *page;

	run->handle_state[op->handle] = HANDLE_FAILED;
	handle_set(run, op->handle, 0, 0, op->nr, op->gfp & ~__GFP_COMP, false);
	run->handle_contig[op->handle] = HANDLE_PAGES;
	kb_set_cpu(kb, (int)op->cpu);
	/* alloc_pages_exact: the order holding nr pages, without __GFP_COMP */
	request(run, op->gfp & ~__GFP_COMP, exact_order(op->nr));
	page = kb_alloc_pages_exact(kb, op->nr, op->gfp, op->nid, &r->err);
	capture_reached(run, page);
	if (!page) {
		r->failed = true;
		run->res->allocs_failed++;
		return;
	}
	handle_got(run, op, page, r);
	if (kb_shadow_alloc_contig(run->sh, kb, r->pfn, op->nr, op->gfp & ~__GFP_COMP,
				   op->handle, &v)) {
		shadow_refused(run, op->handle, &v);
		return;
	}
	user_write(run, page, op->nr, op->handle);
}

/*
 * soft_offline_page of a pfn, or of a live handle's first page (its owner
 * migrates the block, and the handle follows). A page that came out
 * poisoned is held by the shadow from then on; a free page (no handle
 * holds it, not reserved, inside a zone) must come out poisoned
 * ("hwpoison-soft-offline").
 */
static void do_soft_offline(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	unsigned long pfn = op->pfn;
	struct kb_violation v;
	bool was_free;

	if (op->relative) {
		if (run->handle_state[op->handle] != HANDLE_LIVE) {
			r->skipped = true;
			return;
		}
		pfn = run->handle_pfn[op->handle];
	}
	r->pfn = pfn;
	was_free = pfn < kb->max_pfn && !kb_shadow_owner(run->sh, pfn) &&
		   !PageReserved(kb_pfn_to_page(kb, pfn)) &&
		   zone_spans_pfn(kb_page_zone(kb, kb_pfn_to_page(kb, pfn)), pfn);
	kb_set_cpu(kb, 0);
	r->err = kb_soft_offline_page(kb, pfn);
	if (r->err) {
		if (was_free && run->opt->check_level >= 2) {
			kb_violation_set(&v, "hwpoison-soft-offline", -1, -1, pfn, 0, -1,
					 "soft offline of free pfn %#lx returned %d", pfn, r->err);
			violate(run, &v);
		}
		return;
	}
	/* 0 for a page poisoned already: the shadow holds it already */
	if (kb_shadow_poisoned(run->sh, pfn) || run->nr_poisoned >= KB_OPS_MAX)
		return;
	if (kb_shadow_poison(run->sh, kb, pfn, run->next_poison_handle, &v)) {
		if (run->opt->check_level >= 2)
			violate(run, &v);
		return;
	}
	run->poisoned_pfn[run->nr_poisoned] = pfn;
	run->poisoned_handle[run->nr_poisoned++] = run->next_poison_handle++;
}

/* unpoison_memory of a pfn, or of a page poisoned earlier (recent=K). */
static void do_unpoison(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	unsigned long pfn = op->pfn;
	size_t i;

	if (op->relative) {
		if (op->index >= run->nr_poisoned) {
			r->skipped = true;	/* not that many poisoned pages */
			return;
		}
		pfn = run->poisoned_pfn[run->nr_poisoned - 1 - op->index];
	}
	r->pfn = pfn;
	kb_set_cpu(kb, 0);
	r->err = kb_unpoison_pfn(kb, pfn);
	if (r->err)
		return;
	for (i = 0; i < run->nr_poisoned && run->poisoned_pfn[i] != pfn; i++)
		;
	if (i == run->nr_poisoned)
		return;
	kb_shadow_forget(run->sh, run->poisoned_handle[i]);
	memmove(&run->poisoned_pfn[i], &run->poisoned_pfn[i + 1],
		(run->nr_poisoned - i - 1) * sizeof(run->poisoned_pfn[0]));
	memmove(&run->poisoned_handle[i], &run->poisoned_handle[i + 1],
		(run->nr_poisoned - i - 1) * sizeof(run->poisoned_handle[0]));
	run->nr_poisoned--;
}

/* Stands in the populated slots of a bulk array: the allocator never reads them. */
static struct page bulk_populated;

/*
 * alloc_pages_bulk into an array whose op->value slots are populated: the
 * count returned and the populated slots judged by kb_oracle_bulk
 * ("alloc-bulk"); each page an empty slot got is an order-0 block of its
 * own handle.
 */
static void do_alloc_bulk(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct page *array[KB_OPS_BULK_MAX];
	struct kb_instance *kb = run->kb;
	unsigned long nr = op->nr > KB_OPS_BULK_MAX ? KB_OPS_BULK_MAX : op->nr;
	unsigned long i;
	unsigned int h = op->handle;
	struct kb_violation v;

	for (i = 0; i < nr; i++) {
		array[i] = ((unsigned long)op->value >> i) & 1 ? &bulk_populated : NULL;
		if (array[i])
			continue;
		run->handle_state[h] = HANDLE_FAILED;
		handle_set(run, h, 0, 0, 1, op->gfp, false);
		h++;
	}
	kb_set_cpu(kb, (int)op->cpu);
	/* what the bulk path cannot take from a pcp list comes from one order-0 __alloc_pages */
	request(run, op->gfp, 0);
	r->bulk_count = kb_alloc_pages_bulk(kb, op->gfp, op->nid, nr, array, &r->err);
	if (run->opt->check_level >= 2 &&
	    kb_oracle_bulk(array, nr, (unsigned long)op->value, &bulk_populated, r->bulk_count, &v)) {
		violate(run, &v);
		return;
	}
	/* a page direct compaction captured reaches the single-page path: the first empty slot */
	for (i = 0; i < nr && (((unsigned long)op->value >> i) & 1); i++)
		;
	capture_reached(run, i < nr ? array[i] : NULL);
	for (i = 0, h = op->handle; i < nr; i++) {
		struct page *page = array[i];
		unsigned long pfn;

		if (((unsigned long)op->value >> i) & 1)
			continue;
		if (!page) {
			h++;
			continue;
		}
		pfn = kb_page_to_pfn(kb, page);
		if (!r->bulk_got) {
			/* the first page filled stands for the operation */
			r->pfn = pfn;
			r->node = page->node;
			r->zone = page->zone;
		}
		r->bulk_got |= 1u << i;
		r->bulk_pfn[i] = pfn;
		run->res->allocs_ok++;
		run->handle_state[h] = HANDLE_LIVE;
		run->handle_pfn[h] = pfn;
		user_lru_add(run, page, op->gfp, 0);
		if (kb_shadow_alloc(run->sh, kb, pfn, 0, op->gfp, h, &v)) {
			shadow_refused(run, h, &v);
			return;
		}
		user_write(run, page, 1, h);
		h++;
	}
	if (!r->bulk_got && kb_op_new_handles(op)) {
		r->failed = true;
		run->res->allocs_failed++;
		/* nothing filled: the single __alloc_pages the bulk path ends in failed */
		if (!r->err && run->opt->check_level >= 2 &&
		    kb_oracle_failure(kb, run->model, op->gfp, 0, op->nid, &v))
			violate(run, &v);
	}
}

static void do_free_pfn(struct kb_run *run, const struct kb_op *op)
{
	unsigned int h = op->pfn < run->kb->max_pfn ? handle_at(run, op->pfn) : 0;

	free_block(run, op->pfn, op->order, run->kb->cpu, 0);
	if (!run->res->violated && h)
		run->handle_state[h] = HANDLE_FREED;
}

/*
 * What the model expected of an operation that changes its inputs: the
 * allocator must give the same answer (1: the model has no opinion).
 */
static void model_expect(struct kb_run *run, const struct kb_op *op, int expected, int err)
{
	struct kb_violation v;

	run->model_changed = true;
	if (expected == 1 || expected == err || run->opt->check_level < 2)
		return;
	if (op->kind == KB_OP_SYSCTL)
		kb_violation_set(&v, "model-sysctl", -1, -1, 0, -1, -1,
				 "writing %ld to %s[%u] returned %d; the kernel's range gives %d",
				 op->value, kb_sysctl_name((enum kb_sysctl)op->sysctl), op->index,
				 err, expected);
	else
		kb_violation_set(&v, "model-pcp-disable", (int)op->node, (int)op->zone, 0, -1, -1,
				 "zone_pcp_%s returned %d; pcp_batch_high_lock gives %d",
				 op->kind == KB_OP_PCP_DISABLE ? "disable" : "enable", err, expected);
	violate(run, &v);
}

/* The first CPU of node nid, where its kcompactd is bound (0 when it has none). */
static int kcompactd_cpu(const struct kb_instance *kb, int nid)
{
	for (int cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
		if (kb->cpu_to_node[cpu] == nid)
			return cpu;
	return 0;
}

static void run_one(struct kb_run *run, const struct kb_op *op, struct kb_op_result *r)
{
	struct kb_instance *kb = run->kb;
	struct zone *zone;
	int expected;

	memset(r, 0, sizeof(*r));
	r->node = r->zone = -1;
	run->op_task = op->cpu < KB_MAX_CPUS ? op->cpu : NO_TASK;
	run->req_known = false;
	switch (op->kind) {
	case KB_OP_ALLOC:
		do_alloc(run, op, r);
		break;
	case KB_OP_ALLOC_CONTIG:
		do_alloc_contig(run, op, r);
		break;
	case KB_OP_FREE:
		do_free(run, op, r);
		break;
	case KB_OP_GET:
		do_get(run, op, r);
		break;
	case KB_OP_PUT:
		do_put(run, op, r);
		break;
	case KB_OP_FREE_PFN:
		do_free_pfn(run, op);
		break;
	case KB_OP_SPLIT:
		do_split(run, op, r);
		break;
	case KB_OP_ALLOC_EXACT:
		do_alloc_exact(run, op, r);
		break;
	case KB_OP_ALLOC_BULK:
		do_alloc_bulk(run, op, r);
		break;
	case KB_OP_SOFT_OFFLINE:
		do_soft_offline(run, op, r);
		break;
	case KB_OP_UNPOISON:
		do_unpoison(run, op, r);
		break;
	case KB_OP_ISOLATE:
		r->err = kb_start_isolate_page_range(kb, op->pfn,
						     KB_MIN(op->pfn + op->nr, kb->max_pfn),
						     KB_ISOLATE_MEM_OFFLINE);
		break;
	case KB_OP_UNISOLATE:
		r->err = kb_undo_isolate_page_range(kb, op->pfn,
						    KB_MIN(op->pfn + op->nr, kb->max_pfn));
		break;
	case KB_OP_DRAIN_CPU:
		kb_set_cpu(kb, (int)op->cpu);
		kb_drain_local_pages(kb);
		break;
	case KB_OP_DRAIN_ALL:
		kb_drain_all_pages(kb);
		break;
	case KB_OP_SYSCTL:
		/* the model first: it reads the boost of the moment before the write */
		expected = kb_model_sysctl(run->model, kb, op->sysctl, (int)op->index, op->value);
		r->err = kb_sysctl_write(kb, (enum kb_sysctl)op->sysctl, (int)op->index, op->value);
		model_expect(run, op, expected, r->err);
		break;
	case KB_OP_OOM_VICTIM:
		/* tsk_is_oom_victim(current): the OOM killer chose this task */
		kb->current_is_oom_victim = op->value != 0;
		kb_model_set_oom_victim(run->model, op->value != 0);
		break;
	case KB_OP_OOM_SCORE_ADJ:
		/* a write of /proc/<pid>/oom_score_adj: what oom_badness adds */
		if (op->cpu < KB_MAX_CPUS)
			run->oom_score_adj[op->cpu] = (int)op->value;
		break;
	case KB_OP_PCP_DISABLE:
	case KB_OP_PCP_ENABLE:
		zone = kb_zone(kb, (int)op->node, (enum zone_type)op->zone);
		if (!zone) {
			r->err = -EINVAL;
			break;
		}
		expected = op->kind == KB_OP_PCP_DISABLE ?
			   kb_model_pcp_disable(run->model, (int)op->node, (int)op->zone) :
			   kb_model_pcp_enable(run->model, (int)op->node, (int)op->zone);
		r->err = op->kind == KB_OP_PCP_DISABLE ? kb_zone_pcp_disable(kb, zone) :
							 kb_zone_pcp_enable(kb, zone);
		model_expect(run, op, expected, r->err);
		break;
	case KB_OP_COMPACT:
		zone = kb_zone(kb, (int)op->node, (enum zone_type)op->zone);
		if (!zone || !populated_zone(zone)) {
			r->err = -EINVAL;
			break;
		}
		kb_set_cpu(kb, 0);
		expected = kb_compact_zone(kb, zone, op->order_given ? (int)op->order : -1);
		if (expected < 0)
			r->err = expected;
		break;
	case KB_OP_KSWAPD:
		/* kswapd runs on a CPU of its node, as kcompactd does */
		if (op->node < (unsigned int)kb->nr_node_ids)
			kb_set_cpu(kb, kcompactd_cpu(kb, (int)op->node));
		r->err = kb_kswapd(kb, (int)op->node);
		if (run->opt->check_level >= 2) {
			struct kb_violation v;

			if (kb_check_kswapd(kb, &v))
				violate(run, &v);
		}
		break;
	case KB_OP_KCOMPACTD:
		if (op->order_given)
			r->err = kb_wakeup_kcompactd(kb, (int)op->node, (int)op->order, (int)op->zone);
		/* kcompactd runs on a CPU of its node: the first one */
		if (!r->err) {
			kb_set_cpu(kb, kcompactd_cpu(kb, (int)op->node));
			r->err = kb_kcompactd(kb, (int)op->node);
		}
		break;
	case KB_OP_SCHEDULE:	/* read by run_block */
	case KB_NR_OP_KINDS:
		r->err = -EINVAL;
		break;
	}
}

static const char *err_name(int err)
{
	switch (err) {
	case -EINVAL: return "EINVAL";
	case -EDEADLK: return "EDEADLK";
	case -EBUSY: return "EBUSY";
	case -EIO: return "EIO";
	case -ENXIO: return "ENXIO";
	default: return "error";
	}
}

static void trace_op(struct kb_run *run, size_t i, const struct kb_op *op,
		     const struct kb_op_result *r)
{
	char text[256];

	kb_op_format(op, text, sizeof(text));
	fprintf(run->opt->trace, "#%zu %s", i, text);
	if (r->err)
		fprintf(run->opt->trace, "  => %s", err_name(r->err));
	else if (r->skipped)
		fprintf(run->opt->trace, "  => skipped (nothing allocated)");
	else if (op->kind == KB_OP_ALLOC_BULK)
		fprintf(run->opt->trace, "  => %lu populated", r->bulk_count);
	else if (kb_op_new_handles(op) && r->failed)
		fprintf(run->opt->trace, "  => NULL");
	else if (kb_op_new_handles(op))
		fprintf(run->opt->trace, "  => pfn %#lx node %d zone %s", r->pfn, r->node,
			kb_zone_name((enum zone_type)r->zone));
	fputc('\n', run->opt->trace);
}

/*
 * Level 3: everything after every operation; level 2: what it touched, and
 * the model when the operation changed its inputs.
 */
static void check_after_op(struct kb_run *run)
{
	bool model = run->model_changed || run->opt->check_level >= 3;
	struct kb_violation v;

	run->model_changed = false;
	if (run->res->violated || run->opt->check_level < 2)
		return;
	/* a capture outside an allocation, or one its allocation did not return */
	if (run->captured) {
		kb_violation_set(&v, "compaction-capture", -1, -1, run->captured_pfn, -1, -1,
				 "the page compaction captured at %#lx reached no allocation",
				 run->captured_pfn);
		violate(run, &v);
		return;
	}
	if (run->opt->check_level >= 3 ? kb_check_full(run->kb, run->sh, &v) :
					  kb_check_touched(run->ic, run->kb, run->sh, &v))
		violate(run, &v);
	else if (model && kb_model_check(run->model, run->kb, &v))
		violate(run, &v);
	else if (run->opt->check_level >= 3 && kb_shadow_check_free_swept(run->sh, run->kb, &v))
		violate(run, &v);
}

/* Prepares the per-run bookkeeping for ops; the instance is ready. */
static int run_grow(struct kb_run *run, size_t nr_handles)
{
	size_t need = nr_handles + 1;

	if (need > run->handle_cap) {
		free(run->handle_state);
		free(run->handle_order);
		free(run->handle_pfn);
		free(run->handle_nr);
		free(run->handle_gfp);
		free(run->handle_refs);
		free(run->handle_contig);
		free(run->handle_task);
		run->handle_state = malloc(need);
		run->handle_order = malloc(need * sizeof(unsigned int));
		run->handle_pfn = malloc(need * sizeof(unsigned long));
		run->handle_nr = malloc(need * sizeof(unsigned long));
		run->handle_gfp = malloc(need * sizeof(gfp_t));
		run->handle_refs = malloc(need);
		run->handle_contig = malloc(need);
		run->handle_task = malloc(need);
		if (!run->handle_state || !run->handle_order || !run->handle_pfn ||
		    !run->handle_nr || !run->handle_gfp || !run->handle_refs ||
		    !run->handle_contig || !run->handle_task)
			return -1;
		run->handle_cap = need;
	}
	memset(run->handle_state, 0, need);
	return 0;
}

static int run_prepare(struct kb_run *run, const struct kb_ops *ops)
{
	run->nr_poisoned = 0;
	memset(run->oom_score_adj, 0, sizeof(run->oom_score_adj));
	run->next_poison_handle = (unsigned int)ops->nr_handles + 1;
	return run_grow(run, ops->nr_handles);
}

/* --- streamed operations, interleaved by the scheduler --- */

static bool block_ready(void *ctx, size_t i)
{
	const struct kb_run *run = ctx;

	return (run->after[i][0] < 0 || run->done[run->after[i][0]]) &&
	       (run->after[i][1] < 0 || run->done[run->after[i][1]]);
}

static void block_run(void *ctx, size_t i)
{
	struct kb_run *run = ctx;
	const struct kb_op *op = &run->ops->ops[i];
	struct kb_op_result r;

	run->op_index = i;
	if (run->opt->before_op)
		run->opt->before_op(run->opt->ctx, run, i);
	run_one(run, op, &r);
	if (i + 1 > run->res->ops_run)
		run->res->ops_run = i + 1;
	if (run->opt->trace)
		trace_op(run, i, op, &r);
	if (run->opt->after_op)
		run->opt->after_op(run->opt->ctx, run, i, op, &r);
	run->done[i] = true;
}

static bool block_stopped(void *ctx)
{
	const struct kb_run *run = ctx;

	return run->res->violated;
}

/* What operation i of an interleaving waits for, and the handles it creates. */
static void block_order(struct kb_run *run, const struct kb_op *op, size_t i)
{
	unsigned int h = op->handle, k, n = kb_op_new_handles(op);

	run->after[i][0] = run->after[i][1] = -1;
	for (k = 0; k < n; k++)
		if (h + k < run->block_cap)
			run->creator[h + k] = (int32_t)i;
	if (n || !h || h >= run->block_cap ||
	    (op->kind != KB_OP_FREE && op->kind != KB_OP_GET && op->kind != KB_OP_PUT))
		return;
	run->after[i][0] = run->creator[h];
	if (op->kind == KB_OP_PUT)
		run->after[i][1] = run->last_get[h];
	if (op->kind == KB_OP_GET)
		run->last_get[h] = (int32_t)i;
}

/*
 * Runs the streamed operations from start (and the schedules among them)
 * interleaved; returns the index after them. Checked as one step: in the
 * middle, other CPUs may be inside the allocator.
 */
static size_t run_block(struct kb_run *run, const struct kb_ops *ops, size_t start)
{
	static const struct kb_sched_work work = { block_ready, block_run, block_stopped, NULL };
	struct kb_sched_work w = work;
	size_t end, i, nr_choices = 0;
	unsigned int k;

	w.ctx = run;
	for (end = start; end < ops->nr_ops &&
	     (ops->ops[end].stream || ops->ops[end].kind == KB_OP_SCHEDULE); end++)
		;
	if (!run->sched)
		run->sched = kb_sched_create();
	if (run->block_cap < ops->nr_handles + 1) {
		free(run->creator);
		free(run->last_get);
		run->block_cap = ops->nr_handles + 1;
		run->creator = malloc(run->block_cap * sizeof(int32_t));
		run->last_get = malloc(run->block_cap * sizeof(int32_t));
	}
	if (!run->sched || !run->creator || !run->last_get)
		abort();
	memset(run->creator, 0xff, run->block_cap * sizeof(int32_t));
	memset(run->last_get, 0xff, run->block_cap * sizeof(int32_t));
	kb_sched_reset(run->sched);
	for (i = start; i < end; i++) {
		const struct kb_op *op = &ops->ops[i];

		run->done[i] = false;
		if (op->kind == KB_OP_SCHEDULE) {
			for (k = 0; k < op->nr && k < KB_OPS_SCHEDULE_MAX; k++)
				run->choices[nr_choices++] = (uint8_t)kb_op_schedule_at(op, k);
			continue;
		}
		block_order(run, op, i);
		kb_sched_add(run->sched, op->stream - 1u, i);
	}
	kb_touch_reset(run->kb);
	run->captured = false;
	run->in_block = true;
	if (kb_sched_run(run->sched, run->kb, run->choices, nr_choices, &w) && !run->res->violated)
		run->block_stuck = true;	/* a deadlock below check level 1 */
	run->in_block = false;
	check_after_op(run);
	return end;
}

static void run_execute(struct kb_run *run, const struct kb_ops *ops,
			const struct kb_run_options *opt, struct kb_run_result *res)
{
	size_t i;

	run->ops = ops;
	run->opt = opt;
	run->res = res;
	run->block_stuck = false;
	run->kb->check_level = opt->check_level;
	kb_set_report(run->kb, opt->check_level >= 1 ? on_report : NULL, run);
	/* a restored instance is in the state the first count saw: no walk again */
	if (opt->check_level == 2 && !run->ic_counted) {
		kb_incremental_begin(run->ic, run->kb);
		run->ic_counted = run->kb->snapshot != NULL;
	} else if (opt->check_level == 2) {
		kb_incremental_restart(run->ic);
	}

	if (run->boot_violated && opt->check_level >= 1) {
		res->violated = true;
		res->at_boot = true;
		res->violation = run->boot_violation;
		res->violation.op_index = -1;
	} else if (run->model_boot_violated && opt->check_level >= 2) {
		res->violated = true;
		res->at_boot = true;
		res->violation = run->model_boot_violation;
		res->violation.op_index = -1;
	}

	for (i = 0; i < ops->nr_ops && !res->violated; i++) {
		struct kb_op_result r;

		if (ops->ops[i].stream || ops->ops[i].kind == KB_OP_SCHEDULE) {
			i = run_block(run, ops, i) - 1;
			if (run->block_stuck)
				break;
			continue;
		}
		run->op_index = i;
		if (opt->before_op)
			opt->before_op(opt->ctx, run, i);
		kb_touch_reset(run->kb);
		run->captured = false;
		run_one(run, &ops->ops[i], &r);
		kb_lockdep_op_end(run->kb);
		res->ops_run = i + 1;
		if (opt->trace)
			trace_op(run, i, &ops->ops[i], &r);
		check_after_op(run);
		if (opt->after_op)
			opt->after_op(opt->ctx, run, i, &ops->ops[i], &r);
	}

	if (!res->violated && opt->check_level >= 2) {
		struct kb_violation v;

		run->op_index = res->ops_run;
		if (kb_check_full(run->kb, run->sh, &v) ||
		    kb_model_check(run->model, run->kb, &v) ||
		    kb_shadow_check_free_swept(run->sh, run->kb, &v)) {
			violate(run, &v);
			res->violation.op_index = -1;
		}
	}
	if (!opt->no_hash)
		res->state_hash = kb_state_hash(run->kb, run->sh);
}

/* A check of the kernel's that failed during boot: the state is bad from the start. */
static void on_boot_report(void *ctx, const struct kb_report *r)
{
	struct kb_run *run = ctx;

	if (run->boot_violated)
		return;
	run->boot_violated = true;
	kb_violation_from_report(&run->boot_violation, r);
}

static struct kb_run *run_boot(const struct kb_layout *layout,
			       const struct kb_run_options *opt, struct kb_run_result *res)
{
	struct kb_options kopt = { .check_level = opt->check_level,
				   .back_with_memory = opt->back_with_memory,
				   .backing_bytes = opt->backing_bytes,
				   .report = on_boot_report };
	bool back_with_memory = opt->back_with_memory;
	struct kb_run *run = calloc(1, sizeof(*run));

	if (!run)
		abort();
	kopt.report_ctx = run;
	run->kb = kb_create(layout, &kopt, res->setup_error, sizeof(res->setup_error));
	if (!run->kb) {
		res->setup_failed = true;
		free(run);
		return NULL;
	}
	run->back_with_memory = back_with_memory;
	run->backing_bytes = opt->backing_bytes;
	run->kb->owner.migrate_page = owner_migrate;
	run->kb->owner.reclaim_page = owner_reclaim;
	run->kb->owner.for_each_process = owner_for_each_process;
	run->kb->owner.oom_kill_task = owner_oom_kill_task;
	run->kb->owner.ctx = run;
	run->kb->compaction_hooks.round = on_compaction_round;
	run->kb->compaction_hooks.captured = on_compaction_capture;
	run->kb->compaction_hooks.ctx = run;
	run->kb->oom_hooks.kill = on_oom_kill;
	run->kb->oom_hooks.killed = on_oom_killed;
	run->kb->oom_hooks.ctx = run;
	run->sh = kb_shadow_create(run->kb);
	/*
	 * Created here, not on the first level-2 run: a runner's run serves
	 * input after input, and the input that happened to come first must
	 * not take a path of its own (persistent fuzzing reads that as
	 * instability).
	 */
	run->ic = kb_incremental_create();
	run->model = malloc(sizeof(*run->model));
	run->model_boot = malloc(sizeof(*run->model_boot));
	if (!run->sh || !run->ic || !run->model || !run->model_boot)
		abort();
	/* the booted allocator against the model, once: every run of it reports this */
	kb_model_boot(run->model_boot, layout);
	*run->model = *run->model_boot;
	/* the shadow of free memory starts from the model's managed pages (they never change) */
	if (kb_shadow_attach_model(run->sh, run->model_boot))
		abort();
	run->model_boot_violated =
		kb_model_check(run->model, run->kb, &run->model_boot_violation) ||
		kb_shadow_check_free(run->sh, run->kb, &run->model_boot_violation);
	return run;
}

struct kb_run *kb_run_ops(const struct kb_ops *ops, const struct kb_run_options *opt,
			  struct kb_run_result *res)
{
	struct kb_layout layout;

	if (kb_layout_builtin(ops->layout, &layout)) {
		memset(res, 0, sizeof(*res));
		res->setup_failed = true;
		snprintf(res->setup_error, sizeof(res->setup_error),
			 "unknown layout '%s'", ops->layout);
		return NULL;
	}
	return kb_run_ops_on(&layout, ops, opt, res);
}

struct kb_run *kb_run_ops_on(const struct kb_layout *layout, const struct kb_ops *ops,
			     const struct kb_run_options *opt, struct kb_run_result *res)
{
	struct kb_run *run;

	memset(res, 0, sizeof(*res));
	run = run_boot(layout, opt, res);
	if (!run)
		return NULL;
	if (run_prepare(run, ops))
		abort();
	run_execute(run, ops, opt, res);
	return run;
}

void kb_run_destroy(struct kb_run *run)
{
	if (!run)
		return;
	kb_shadow_destroy(run->sh);
	kb_incremental_destroy(run->ic);
	kb_sched_destroy(run->sched);
	free(run->creator);
	free(run->last_get);
	free(run->model);
	free(run->model_boot);
	kb_destroy(run->kb);
	free(run->handle_state);
	free(run->handle_order);
	free(run->handle_pfn);
	free(run->handle_nr);
	free(run->handle_gfp);
	free(run->handle_refs);
	free(run->handle_contig);
	free(run->handle_task);
	free(run);
}

/* --- a runner that keeps one booted instance per built-in layout --- */

/* The model back to its state after boot, with the instance's snapshot. */
static void model_restore(struct kb_run *run)
{
	if (run->model->dirty || run->model->oom_victim)
		*run->model = *run->model_boot;
}

struct kb_runner {
	unsigned int nr_layouts;
	struct kb_run **runs;	/* by built-in layout index, booted on first use */
	bool *used;		/* the run changed its instance since the snapshot */
};

struct kb_runner *kb_runner_create(void)
{
	struct kb_runner *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->nr_layouts = kb_layout_builtin_count();
	r->runs = calloc(r->nr_layouts, sizeof(*r->runs));
	r->used = calloc(r->nr_layouts, sizeof(*r->used));
	if (!r->runs || !r->used) {
		kb_runner_destroy(r);
		return NULL;
	}
	return r;
}

void kb_runner_destroy(struct kb_runner *r)
{
	unsigned int i;

	if (!r)
		return;
	for (i = 0; r->runs && i < r->nr_layouts; i++)
		kb_run_destroy(r->runs[i]);
	free(r->runs);
	free(r->used);
	free(r);
}

int kb_runner_prepare(struct kb_runner *r, const struct kb_run_options *opt,
		      size_t max_handles)
{
	static struct kb_ops empty;
	struct kb_run_result res;
	unsigned int i;

	for (i = 0; i < r->nr_layouts; i++) {
		snprintf(empty.layout, sizeof(empty.layout), "%s", kb_layout_builtin_name(i));
		if (!kb_runner_run(r, &empty, opt, &res) || run_grow(r->runs[i], max_handles))
			return -1;
	}
	return 0;
}

void kb_runner_restore(struct kb_runner *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_layouts; i++) {
		if (!r->runs[i] || !r->used[i])
			continue;
		kb_snapshot_restore(r->runs[i]->kb);
		kb_shadow_reset(r->runs[i]->sh);
		model_restore(r->runs[i]);
		r->used[i] = false;
	}
}

struct kb_run *kb_runner_run(struct kb_runner *r, const struct kb_ops *ops,
			     const struct kb_run_options *opt, struct kb_run_result *res)
{
	struct kb_layout layout;
	struct kb_run *run;
	unsigned int i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < r->nr_layouts; i++)
		if (!strcmp(kb_layout_builtin_name(i), ops->layout))
			break;
	run = i < r->nr_layouts ? r->runs[i] : NULL;
	if (run && (run->back_with_memory != opt->back_with_memory ||
		    run->backing_bytes != opt->backing_bytes)) {
		kb_run_destroy(run);
		run = r->runs[i] = NULL;
	}
	/* the layout is built only to boot (a booted run is reused as it is) */
	if (!run && (i == r->nr_layouts || kb_layout_builtin(ops->layout, &layout))) {
		res->setup_failed = true;
		snprintf(res->setup_error, sizeof(res->setup_error),
			 "unknown layout '%s'", ops->layout);
		return NULL;
	}
	if (!run) {
		run = run_boot(&layout, opt, res);
		if (!run)
			return NULL;
		if (kb_snapshot_take(run->kb))
			abort();
		/* the sweep trusts the unchanged parts of a snapshot it found clean */
		if (run->sh) {
			struct kb_violation v;

			if (!kb_check_full(run->kb, run->sh, &v))
				kb_snapshot_mark_checked(run->kb);
		}
		r->runs[i] = run;
	} else if (r->used[i]) {
		kb_snapshot_restore(run->kb);
		kb_shadow_reset(run->sh);
		model_restore(run);
	}
	r->used[i] = true;
	if (run_prepare(run, ops))
		abort();
	run_execute(run, ops, opt, res);
	return run;
}

struct kb_instance *kb_run_instance(struct kb_run *run)
{
	return run->kb;
}

const struct kb_shadow *kb_run_shadow(const struct kb_run *run)
{
	return run->sh;
}

/* --- reports --- */

int kb_run_signature(const struct kb_ops *ops, const struct kb_run_result *res,
		     char *buf, size_t len)
{
	const char *where = "end";

	if (res->violation.op_index >= 0 && (size_t)res->violation.op_index < ops->nr_ops)
		where = kb_op_kind_name(ops->ops[res->violation.op_index].kind);
	return snprintf(buf, len, "KBUDDY-SIGNATURE: %s %s", res->violation.invariant, where);
}

void kb_run_report(FILE *out, const struct kb_ops *ops, struct kb_run *run,
		   const struct kb_run_result *res)
{
	const struct kb_violation *v = &res->violation;
	char line[512];
	long last = v->op_index >= 0 ? v->op_index : (long)ops->nr_ops - 1;
	long first = last - 9 < 0 ? 0 : last - 9;
	long i;

	kb_violation_format(v, line, sizeof(line));
	fprintf(out, "==== kbuddy: invariant violated ====\n");
	fprintf(out, "%s\n", line);
	fprintf(out, "  invariant: %s: %s\n", v->invariant, v->meaning ? v->meaning : "");
	if (v->op_index >= 0)
		fprintf(out, "  at operation #%ld of %zu\n", v->op_index, ops->nr_ops);
	else if (res->at_boot)
		fprintf(out, "  while the layout booted, before any operation\n");
	else
		fprintf(out, "  found by the final sweep after %zu operations\n", ops->nr_ops);
	fprintf(out, "  layout: %s\n", ops->layout);
	fprintf(out, "  last operations:\n");
	for (i = first; i <= last && i < (long)ops->nr_ops; i++) {
		kb_op_format(&ops->ops[i], line, sizeof(line));
		fprintf(out, "  %s #%ld %s\n", i == v->op_index ? ">>" : "  ", i, line);
	}
	if (run) {
		fprintf(out, "  buddyinfo:\n");
		kb_show_buddyinfo(kb_run_instance(run), out);
	}
	kb_run_signature(ops, res, line, sizeof(line));
	fprintf(out, "%s\n", line);
}

/* --- state hash (FNV-1a over what defines the allocator state) --- */

static uint64_t fnv(uint64_t h, uint64_t x)
{
	int i;

	for (i = 0; i < 8; i++) {
		h ^= (x >> (i * 8)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t kb_state_hash(const struct kb_instance *kb, const struct kb_shadow *sh)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned long pfn, b, s, e;
	int nid, zid, cpu;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &kb->node_data[nid].node_zones[zid];
			unsigned int o;

			for (o = 0; o <= kb->max_order; o++)
				h = fnv(h, z->free_area[o].nr_free);
			h = fnv(h, (uint64_t)z->vm_stat[NR_FREE_PAGES]);
			h = fnv(h, (uint64_t)z->vm_stat[NR_FREE_CMA_PAGES]);
			h = fnv(h, z->nr_reserved_highatomic);
			h = fnv(h, z->watermark_boost);
			for (cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
				h = fnv(h, (uint64_t)z->per_cpu_pageset[cpu].count);
		}
	for_each_valid_range(kb, 0, kb->max_pfn, s, e)
		for (pfn = s; pfn < e; pfn++) {
			const struct page *p = &kb->mem_map[pfn];

			h = fnv(h, ((uint64_t)p->flags << 32) ^ (uint64_t)(uint32_t)p->_refcount ^
				   ((uint64_t)p->private << 8));
			if (sh)
				h = fnv(h, kb_shadow_owner(sh, pfn));
		}
	for_each_valid_range(kb, 0, kb->max_pfn, s, e)
		for (b = s; b < e; b += kb->pageblock_nr_pages)
			h = fnv(h, *pfnblock_flags(kb, b));
	return h;
}
