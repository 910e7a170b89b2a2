/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crash workflow of the kbuddy tool: reduce, promote, triage, and the
 * fuzz_boot input commands (docs/fuzzing.md), for fuzz_ops and fuzz_boot
 * inputs (tools/input.h). Signatures are the
 * "KBUDDY-SIGNATURE: <invariant> <op kind>" lines of kb_run_signature,
 * computed at one check level for every file; "" means the input ran clean.
 */
#ifndef KB_WORKFLOW_H
#define KB_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "input.h"
#include "run.h"

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

/* Whether a candidate sequence still fails the way the input did. */
typedef bool (*kb_reduce_test_fn)(void *ctx, const struct kb_ops *ops);
/* The same reduction with the test given: fuzz_boot runs its own way. */
unsigned long kb_reduce_ops_with(const struct kb_ops *in, kb_reduce_test_fn test, void *ctx,
				 struct kb_ops *out);

/*
 * A fuzz_boot input reduced (tools/reduce_boot.c): its operations as
 * above, then its layout (ranges, nodes, zones and their sizes, CPUs),
 * every step keeping a binary form and the signature sig at level.
 * Returns the number of runs.
 */
unsigned long kb_reduce_boot(const struct kb_input *in, int level, const char *sig,
			     struct kb_input *out);

/*
 * Writes ops as base.bin (when it has a binary form) and base.txt with a
 * comment header; 0, or -1 with a message printed.
 */
int kb_wf_write_pair(const char *base, const struct kb_ops *ops, const char *comment,
		     bool need_binary);

/* Where reduce writes: -o BASE, or FILE.min (malloc'd; NULL when out of memory). */
char *kb_wf_reduce_base(const struct kb_cmd_opts *o, const char *path);
/* reduce for a fuzz_boot input in that fails with sig (tools/reduce_boot.c). */
int kb_reduce_boot_file(const struct kb_cmd_opts *o, const char *path, const struct kb_input *in,
			const char *sig);

/*
 * Runs a fuzz_boot input as the target does (tools/boot.c) and prints the
 * outcome: with verbose its text form first and a line when it runs
 * clean; else the layout and the report of a violation. scratch holds the
 * finished sequence; keep (may be NULL) gets the run. 0 clean, 1 violation,
 * 2 did not boot.
 */
int kb_boot_run_report(const struct kb_input *in, const char *path, int level, bool verbose,
		       struct kb_ops *scratch, struct kb_run **keep);

/* The commands (tools/cli.h: argc and argv are the command's arguments). */
int kb_cmd_reduce(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_promote(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_triage(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_boot(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_boot_input(const struct kb_cmd_opts *o, int argc, char **argv);

#endif /* KB_WORKFLOW_H */
