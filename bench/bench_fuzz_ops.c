// SPDX-License-Identifier: GPL-2.0
/*
 * Executions per second of the fuzz_ops workload at each check level, on
 * the same seeded inputs, in one run: what fuzzing speed the checker costs.
 *
 *   bench_fuzz_ops [SECONDS_PER_LEVEL] [LAYOUT_INDEX]
 *
 * Inputs are 64..2048 random bytes from a fixed-seed xorshift generator, the
 * header byte set to the layout (default 0, "default"). Timing uses the
 * monotonic clock; the inputs and the work are the same on every run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "run.h"

#define NR_INPUTS	512

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct kb_ops ops;

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0;
	unsigned int layout = argc > 2 ? (unsigned int)atoi(argv[2]) : 0;
	static uint8_t inputs[NR_INPUTS][2048];
	size_t sizes[NR_INPUTS];
	double rate[4];
	uint64_t seed = 0x6b6275646479ULL;
	int level, i;

	for (i = 0; i < NR_INPUTS; i++) {
		size_t j;

		sizes[i] = 64 + xorshift(&seed) % (2048 - 64);
		for (j = 0; j < sizes[i]; j++)
			inputs[i][j] = (uint8_t)xorshift(&seed);
		inputs[i][0] = (uint8_t)layout;
	}

	printf("fuzz_ops workload: %d seeded inputs of 64..2048 bytes, layout index %u, %.1f s per level\n",
	       NR_INPUTS, layout, seconds);
	for (level = 0; level <= 3; level++) {
		struct kb_run_options opt = { .check_level = level, .back_with_memory = true, .backing_bytes = 16,
					      .no_hash = true };
		struct kb_runner *runner = kb_runner_create();
		unsigned long execs = 0, nops = 0, violations = 0;
		double start = now(), t;

		do {
			struct kb_run_result res;

			kb_ops_decode_binary(inputs[execs % NR_INPUTS], sizes[execs % NR_INPUTS], &ops);
			kb_runner_run(runner, &ops, &opt, &res);
			nops += res.ops_run;
			violations += res.violated;
			execs++;
			t = now() - start;
		} while (t < seconds);
		rate[level] = (double)execs / t;
		printf("level %d: %8.0f execs/s  %9.0f ops/s  (%lu execs, %lu violations)\n",
		       level, rate[level], (double)nops / t, execs, violations);
		kb_runner_destroy(runner);
	}
	printf("level 2 / level 0: %.2f\n", rate[2] / rate[0]);
	return 0;
}
