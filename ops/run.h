/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running an operation sequence on a fresh instance under the checker: the
 * one place where fuzz targets, the kbuddy tool and tests execute ops.
 *
 * Check levels (docs/invariants.md):
 *   0  off: no checks beyond what keeps the run itself safe (API misuse)
 *   1  kernel-equivalent: the DEBUG_VM checks the kernel makes itself
 *   2  strict: oracles on every operation, a full sweep at the end
 *   3  strict: a full sweep after every operation
 * The first violation stops the run.
 */
#ifndef KB_RUN_H
#define KB_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ops.h"
#include "../checkers/check.h"

/* What one operation did. */
struct kb_op_result {
	int err;		/* 0, or -EINVAL / -EDEADLK / -EBUSY ... */
	bool skipped;		/* nothing to do (free of a failed allocation) */
	bool failed;		/* ALLOC returned NULL */
	unsigned long pfn;	/* ALLOC: the block handed out */
	int node, zone;		/* ALLOC: where it came from */
	/* ALLOC_BULK: the count returned, and the page each slot got (bit i of got) */
	unsigned long bulk_count;
	uint32_t bulk_got;
	unsigned long bulk_pfn[KB_OPS_BULK_MAX];
};

struct kb_run;
typedef void (*kb_after_op_fn)(void *ctx, struct kb_run *run, size_t index,
			       const struct kb_op *op, const struct kb_op_result *res);
typedef void (*kb_before_op_fn)(void *ctx, struct kb_run *run, size_t index);

struct kb_run_options {
	int check_level;		/* 0..3 */
	bool back_with_memory;		/* write and verify page contents */
	unsigned int backing_bytes;	/* bytes of memory per page, 0 = PAGE_SIZE */
	FILE *trace;			/* one line per operation, or NULL */
	kb_before_op_fn before_op;	/* called before each operation, or NULL */
	kb_after_op_fn after_op;	/* called after each operation, or NULL */
	void *ctx;
	bool no_hash;			/* skip the final state hash (fuzzing) */
};

struct kb_run_result {
	bool setup_failed;		/* the layout did not boot */
	char setup_error[256];
	bool violated;
	bool at_boot;			/* the violation happened while booting */
	struct kb_violation violation;
	size_t ops_run;			/* operations executed (incl. the failing one) */
	unsigned long allocs_ok, allocs_failed, frees;
	uint64_t state_hash;		/* of the final state (docs/invariants.md) */
};

/*
 * Runs ops on a fresh instance of its layout. Returns the run (for views
 * and reports) or NULL when the layout did not boot; free with
 * kb_run_destroy(). The result is in *res either way.
 */
struct kb_run *kb_run_ops(const struct kb_ops *ops, const struct kb_run_options *opt,
			  struct kb_run_result *res);
void kb_run_destroy(struct kb_run *run);
/* The same on a given layout; ops->layout is ignored (fuzz_boot, tests). */
struct kb_run *kb_run_ops_on(const struct kb_layout *layout, const struct kb_ops *ops,
			     const struct kb_run_options *opt, struct kb_run_result *res);

/*
 * A runner keeps one booted instance per built-in layout and gives each
 * sequence the state right after boot again (kb_snapshot_restore), which
 * is what makes fuzzing fast. The run it returns belongs to the runner and
 * stays valid until the next kb_runner_run or kb_runner_destroy.
 */
struct kb_runner;
struct kb_runner *kb_runner_create(void);
void kb_runner_destroy(struct kb_runner *r);
struct kb_run *kb_runner_run(struct kb_runner *r, const struct kb_ops *ops,
			     const struct kb_run_options *opt, struct kb_run_result *res);
/*
 * Boots every built-in layout and sizes the bookkeeping for sequences of up
 * to max_handles allocations, so that no input is the first to pay for it
 * (persistent fuzzers see first-time work as instability).
 */
int kb_runner_prepare(struct kb_runner *r, const struct kb_run_options *opt,
		      size_t max_handles);
/*
 * Gives every instance its snapshot state back now instead of at its next
 * run, so what one sequence changed is paid for at its own end (runs
 * returned before are no longer valid).
 */
void kb_runner_restore(struct kb_runner *r);

struct kb_instance *kb_run_instance(struct kb_run *run);
const struct kb_shadow *kb_run_shadow(const struct kb_run *run);

/*
 * The violation report: invariant name and meaning, where, the operation
 * index, the last operations in text form, buddyinfo at that moment, and a
 * closing "KBUDDY-SIGNATURE: <invariant> <op kind>" line for deduplication.
 */
void kb_run_report(FILE *out, const struct kb_ops *ops, struct kb_run *run,
		   const struct kb_run_result *res);
/* The one-line signature alone (no newline). */
int kb_run_signature(const struct kb_ops *ops, const struct kb_run_result *res,
		     char *buf, size_t len);

/* A hash of the allocator state: same input, same hash, every time. */
uint64_t kb_state_hash(const struct kb_instance *kb, const struct kb_shadow *sh);

#endif /* KB_RUN_H */
