// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ops: any byte string is an operation sequence (docs/ops-format.md);
 * it runs on a fresh instance under the checker, and a violation aborts
 * with a report and a KBUDDY-SIGNATURE line. Nothing is carried from one
 * input to the next: each starts from the state right after boot, which
 * the runner restores from a snapshot (kb_runner_run).
 *
 * KBUDDY_CHECK_LEVEL in the environment overrides the build's level;
 * KBUDDY_FUZZ_LAYOUT=<built-in layout name> runs every input on that
 * layout (its header byte is replaced), to fuzz or measure one machine.
 *
 * Mutation: unless built with -DKB_FUZZ_BYTE_MUTATION, libFuzzer mutates
 * through the record-level mutator of fuzz/mutator.c (three times in four)
 * or its own byte-level mutations (once in four, which keep the dictionary
 * and comparison feedback), and crosses inputs over at record boundaries.
 * docs/fuzzing.md compares the two builds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "run_stats.h"
#include "mutator.h"
#include "../machine/layout_io.h"

#ifndef KB_CHECK_LEVEL
#define KB_CHECK_LEVEL 2
#endif

static struct kb_ops ops;	/* scratch, rewritten by every decode */
static struct kb_runner *runner;
static int check_level = KB_CHECK_LEVEL;
static int forced_layout = -1;			/* KBUDDY_FUZZ_LAYOUT */
static uint8_t forced_input[1 + 8 * KB_OPS_MAX];	/* longer inputs decode no further */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef KB_FUZZ_BYTE_MUTATION
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size,
				 unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	if (seed % 4 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	return kb_mut_mutate(data, size, max_size, seed);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size,
				 unsigned int seed)
{
	return kb_mut_crossover(data1, size1, data2, size2, out, max_out_size, seed);
}
#endif

/*
 * Persistent fuzzing (libFuzzer, AFL++) runs input after input in one
 * process, so the work of one input must not depend on the one before:
 * AFL++ shows such leftovers as stability below 100%. Two things would:
 *  - first-time work: booting a layout, growing the per-handle arrays; so
 *    kb_runner_prepare does both for every layout before any input (AFL++'s
 *    fork server starts its processes from that state), and booting also
 *    creates the level-2 checker, which this level-0 warm-up would not;
 *  - restoring: the snapshot restore at the start of an input would cost
 *    what the previous input dirtied; so each input restores its own dirt
 *    at its end (kb_runner_restore).
 */
/* AFL++ does not read fuzz_ops.options: size for the longest sequence. */
#define MAX_HANDLES	KB_OPS_MAX
/*
 * Backing memory per page: room for the 8-byte pattern the runner writes,
 * which is all it takes to see two owners of one page, and one granule of
 * ASan's shadow, so each page is poisoned on its own. Every page of every
 * block is written, checked and (un)poisoned, so 8 bytes rather than a
 * cache line per page keep that traffic an eighth as large.
 */
#define BACKING_BYTES	8

static void warm_up(void)
{
	struct kb_run_options opt = { .check_level = 0, .back_with_memory = true,
				      .backing_bytes = BACKING_BYTES, .no_hash = true };

	if (kb_runner_prepare(runner, &opt, MAX_HANDLES))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *level = getenv("KBUDDY_CHECK_LEVEL");

	(void)argc;
	(void)argv;
	const char *layout = getenv("KBUDDY_FUZZ_LAYOUT");

	if (level && level[0] >= '0' && level[0] <= '3' && !level[1])
		check_level = level[0] - '0';
	if (layout && *layout) {
		for (unsigned int i = 0; i < kb_layout_builtin_count(); i++)
			if (!strcmp(kb_layout_builtin_name(i), layout))
				forced_layout = (int)i;
		if (forced_layout < 0) {
			fprintf(stderr, "fuzz_ops: KBUDDY_FUZZ_LAYOUT: no built-in layout '%s'"
				" (kbuddy layouts lists them)\n", layout);
			exit(1);
		}
	}
	runner = kb_runner_create();
	if (!runner)
		abort();
	warm_up();
	kb_fuzz_stats_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_run_options opt = { .check_level = check_level, .back_with_memory = true,
				      .backing_bytes = BACKING_BYTES, .no_hash = true };
	struct kb_run_result res;
	struct kb_run *run;

	if (forced_layout >= 0 && size) {
		size = size < sizeof(forced_input) ? size : sizeof(forced_input);
		memcpy(forced_input, data, size);
		forced_input[0] = (uint8_t)forced_layout;
		data = forced_input;
	}
	kb_ops_decode_binary(data, size, &ops);
	run = kb_runner_run(runner, &ops, &opt, &res);
	kb_fuzz_stats_add(1, res.ops_run);
	if (!run)
		abort();	/* built-in layouts always boot */
	if (res.violated) {
		kb_run_report(stderr, &ops, run, &res);
		kb_fuzz_stats_print();
		fflush(stderr);
		abort();
	}
	/* Restore the snapshot now, while this input's dirt is known (above). */
	kb_runner_restore(runner);
	return 0;
}
