// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ops: any byte string is an operation sequence (docs/ops-format.md);
 * it runs on a fresh instance under the checker, and a violation aborts
 * with a report and a KBUDDY-SIGNATURE line. Nothing is carried from one
 * input to the next: each starts from the state right after boot, which
 * the runner restores from a snapshot (kb_runner_run).
 *
 * KBUDDY_CHECK_LEVEL in the environment overrides the build's level.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "run.h"

#ifndef KB_CHECK_LEVEL
#define KB_CHECK_LEVEL 2
#endif

static struct kb_ops ops;	/* scratch, rewritten by every decode */
static struct kb_runner *runner;
static int check_level = KB_CHECK_LEVEL;
static unsigned long long stat_inputs, stat_ops;

static void print_stats(void)
{
	fprintf(stderr, "kbuddy-stats: inputs=%llu ops=%llu\n", stat_inputs, stat_ops);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *level = getenv("KBUDDY_CHECK_LEVEL");

	(void)argc;
	(void)argv;
	if (level && level[0] >= '0' && level[0] <= '3' && !level[1])
		check_level = level[0] - '0';
	runner = kb_runner_create();
	if (!runner)
		abort();
	atexit(print_stats);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_run_options opt = { .check_level = check_level, .back_with_memory = true, .backing_bytes = 64,
				      .no_hash = true };
	struct kb_run_result res;
	struct kb_run *run;

	kb_ops_decode_binary(data, size, &ops);
	run = kb_runner_run(runner, &ops, &opt, &res);
	stat_inputs++;
	stat_ops += res.ops_run;
	if (!run)
		abort();	/* built-in layouts always boot */
	if (res.violated) {
		kb_run_report(stderr, &ops, run, &res);
		print_stats();
		fflush(stderr);
		abort();
	}
	return 0;
}
