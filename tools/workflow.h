/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crash workflow of the kbuddy tool: reduce, promote, triage, and the
 * fuzz_boot input commands (docs/fuzzing.md). Signatures are the
 * "KBUDDY-SIGNATURE: <invariant> <op kind>" lines of kb_run_signature,
 * computed at one check level for every file; "" means the input ran clean.
 */
#ifndef KB_WORKFLOW_H
#define KB_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "run.h"

struct kb_wf_opts {
	int level;		/* check level of every run */
	bool quiet;
	bool boot;		/* inputs are fuzz_boot inputs */
	const char *out;	/* -o */
	const char *why;	/* --why: the .why line of promote */
};

/*
 * Runs ops at level the way fuzz_ops does (a runner with snapshots, 64
 * bytes of memory per page) and writes the signature, or "" when it ran
 * clean, to sig. A layout that does not boot gives "KBUDDY-SIGNATURE:
 * setup-failed". runner may be NULL (a fresh instance is booted).
 */
void kb_wf_signature(struct kb_runner *runner, const struct kb_ops *ops, int level,
		     char *sig, size_t len);

/*
 * Operation-level delta debugging: the smallest subsequence of in (frees
 * of removed allocations and unmatched pcp_enable go with them) whose
 * signature at level is still sig. 1-minimal: removing any single
 * operation of out changes the signature. Then fields are simplified
 * (CPU 0, own node, fewer GFP flags) where the signature stays. Returns
 * the number of runs.
 */
unsigned long kb_reduce_ops(const struct kb_ops *in, int level, const char *sig,
			    struct kb_ops *out);

/*
 * Writes ops as base.bin (when it has a binary form) and base.txt with a
 * comment header; 0, or -1 with a message printed.
 */
int kb_wf_write_pair(const char *base, const struct kb_ops *ops, const char *comment,
		     bool need_binary);

int kb_cmd_reduce(const struct kb_wf_opts *o, const char *path);
int kb_cmd_promote(const struct kb_wf_opts *o, const char *path, const char *name);
int kb_cmd_triage(const struct kb_wf_opts *o, int argc, char **argv);
int kb_cmd_boot(const struct kb_wf_opts *o, const char *path);
int kb_cmd_boot_input(const struct kb_wf_opts *o, const char *layout_arg, const char *ops_path);

#endif /* KB_WORKFLOW_H */
