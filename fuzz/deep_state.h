/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How far from boot the operations that change derived state run: the
 * measure of the record mutator's deep-state mutations (KB_MUT_DEEP,
 * fuzz/mutator.h), used by tests/test_mutator.c and bench/bench_deep_state.c.
 * Before each sysctl write, pcp disable or enable and isolation of a
 * sequence, the instance's state is classified: after a fragmenting
 * fallback (a claim or steal), with a watermark boosted, after an
 * allocation failed (a zone exhausted), with a highatomic reserve made.
 */
#ifndef KB_FUZZ_DEEP_STATE_H
#define KB_FUZZ_DEEP_STATE_H

#include "run.h"

struct kb_deep_stats {
	unsigned long inputs;		/* sequences run */
	unsigned long input_ops;	/* operations changing derived state */
	unsigned long deep;		/* of them, in any of the states below */
	unsigned long fallback, boosted, failed, reserved;
	unsigned long isolate_fragmented;	/* isolations after a fallback */
	unsigned long inputs_deep;	/* sequences with at least one deep one */
	/* per sequence */
	const struct kb_ops *ops;
	bool this_input_deep;
};

static inline void kb_deep_before_op(void *ctx, struct kb_run *run, size_t index)
{
	struct kb_deep_stats *st = ctx;
	const struct kb_instance *kb = kb_run_instance(run);
	enum kb_op_kind kind = st->ops->ops[index].kind;
	bool fallback, boosted = false, reserved = false, failed;

	if (kind != KB_OP_SYSCTL && kind != KB_OP_PCP_DISABLE && kind != KB_OP_PCP_ENABLE &&
	    kind != KB_OP_ISOLATE)
		return;
	for (int nid = 0; nid < kb->nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &kb->node_data[nid].node_zones[zid];

			boosted |= z->watermark_boost != 0;
			reserved |= z->nr_reserved_highatomic != 0;
		}
	fallback = kb->vm_events[EXTFRAG_CLAIM] + kb->vm_events[EXTFRAG_STEAL] != 0;
	failed = kb->vm_events[ALLOCFAIL] != 0;
	st->input_ops++;
	st->fallback += fallback;
	st->boosted += boosted;
	st->failed += failed;
	st->reserved += reserved;
	st->isolate_fragmented += kind == KB_OP_ISOLATE && fallback;
	if (fallback || boosted || failed || reserved) {
		st->deep++;
		st->this_input_deep = true;
	}
}

/* Runs one binary input through the runner at level 2, counting into st. */
static inline int kb_deep_run(struct kb_runner *runner, struct kb_ops *ops,
			      const uint8_t *data, size_t size, struct kb_deep_stats *st)
{
	struct kb_run_options opt = { .check_level = 2, .back_with_memory = true,
				      .backing_bytes = 16, .no_hash = true,
				      .before_op = kb_deep_before_op, .ctx = st };
	struct kb_run_result res;

	kb_ops_decode_binary(data, size, ops);
	st->ops = ops;
	st->this_input_deep = false;
	if (!kb_runner_run(runner, ops, &opt, &res))
		return -1;
	st->inputs++;
	st->inputs_deep += st->this_input_deep;
	kb_runner_restore(runner);
	return res.violated ? 1 : 0;
}

#endif /* KB_FUZZ_DEEP_STATE_H */
