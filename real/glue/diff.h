/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differential runner (diff.c): an operation sequence on kbuddy and on
 * the real 6.12 code, compared after every operation.
 */
#ifndef REAL_GLUE_DIFF_H
#define REAL_GLUE_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "ops.h"

#define REAL_DIFF_MAX_ALLOWED 32

struct real_diff_options {
	int check_level;		/* kbuddy's checker level (run.h) */
	bool compare_state;		/* the state after every operation, not only outcomes */
	bool verbose;			/* the real code's printk and warnings to stderr */
	/* the "state", "warning" and "stop" rules of real/differences.tsv */
	size_t nr_allowed;
	char allowed[REAL_DIFF_MAX_ALLOWED][64];
};

struct real_diff_result {
	char error[512];		/* the run could not be made (layout, boot) */
	size_t ops_compared;
	size_t stopped_at;		/* 1-based op not driven on the real code, or 0 */
	char stopped_why[160];
	bool kb_violated;		/* kbuddy's checker stopped the run */
	char kb_violation[512];
	bool differs;
	size_t at;			/* 1-based op after which they differ (0: at boot) */
	char what[64];			/* diff-pfn, diff-free-list, ... */
	char detail[512];
	char op_text[160];
	char signature[96];		/* "diff-<what> <op>" */
};

/* Why an operation is not driven on the real code, or NULL. */
const char *real_diff_unsupported(const struct kb_op *op);
/* Once per process (the real code boots once). 0, or -1 with res->error. */
int real_diff_run(const struct kb_ops *ops, const struct real_diff_options *opt,
		  struct real_diff_result *res);
/* The "state", "warning" and "stop" rules of real/differences.tsv into opt->allowed. */
int real_diff_load_table(const char *path, struct real_diff_options *opt, char *err, size_t errlen);

#endif
