// SPDX-License-Identifier: GPL-2.0
/*
 * How far from boot the record mutator takes the operations that change
 * derived state (sysctl writes, pcp disable/enable, isolations), where the
 * reference model is recomputed and compared: random walks of mutations
 * (no coverage feedback) from every shipped fuzz_ops input, with the
 * deep-state mutations (KB_MUT_DEEP) and without them (the mix before),
 * side by side. Counts, not times: the same on every run.
 *
 *   bench_deep_state [STEPS_PER_WALK] [CORPUS_DIR]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/mutator.c"
#include "../fuzz/deep_state.h"

#define INPUT_BYTES	(1 + 8 * 128)	/* fuzz_ops.options max_len */
#define MAX_SEEDS	256

static struct kb_ops ops;
static uint8_t seeds[MAX_SEEDS][INPUT_BYTES];
static size_t seed_size[MAX_SEEDS];

static unsigned int load_seeds(const char *dir)
{
	unsigned int n = 0;
	struct dirent *e;
	char *names[MAX_SEEDS];
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < MAX_SEEDS)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	/* directory order is not stable: sort the names */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (unsigned int i = 0; i < n; i++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		seed_size[i] = f ? fread(seeds[i], 1, INPUT_BYTES, f) : 0;
		if (f)
			fclose(f);
		free(names[i]);
	}
	return n;
}

static void row(const char *what, unsigned long a, unsigned long b, unsigned long of_a,
		unsigned long of_b)
{
	if (of_a)
		printf("  %-36s %8lu (%4.1f%%) %8lu (%4.1f%%)\n", what, a, 100.0 * a / (double)of_a,
		       b, of_b ? 100.0 * b / (double)of_b : 0.0);
	else
		printf("  %-36s %8lu          %8lu\n", what, a, b);
}

int main(int argc, char **argv)
{
	unsigned int steps = argc > 1 ? (unsigned int)atoi(argv[1]) : 100;
	const char *dir = argc > 2 ? argv[2] : "corpus/fuzz_ops";
	unsigned int nseeds = load_seeds(dir);
	struct kb_runner *runner = kb_runner_create();
	struct kb_deep_stats st[2];
	static uint8_t buf[INPUT_BYTES];

	if (!nseeds || !runner) {
		fprintf(stderr, "bench_deep_state: no inputs in %s (run from the repository)\n", dir);
		return 1;
	}
	memset(st, 0, sizeof(st));
	for (int deep_mix = 0; deep_mix < 2; deep_mix++)
		for (unsigned int i = 0; i < nseeds; i++) {
			size_t size = seed_size[i];

			memcpy(buf, seeds[i], size);
			for (unsigned int step = 0; step < steps; step++) {
				size = kb_mut_mutate_mix(buf, size, sizeof(buf), i * 100003u + step,
							 deep_mix);
				if (kb_deep_run(runner, &ops, buf, size, &st[deep_mix]) < 0)
					return 1;
			}
		}
	printf("deep state: walks of %u mutations from each of the %u inputs of %s, no coverage feedback\n",
	       steps, nseeds, dir);
	printf("  %-36s %17s %17s\n", "", "mix before", "with KB_MUT_DEEP");
	row("inputs run", st[0].inputs, st[1].inputs, 0, 0);
	row("ops changing derived state", st[0].input_ops, st[1].input_ops, 0, 0);
	row("  after a fallback (claim/steal)", st[0].fallback, st[1].fallback, st[0].input_ops,
	    st[1].input_ops);
	row("  with a watermark boosted", st[0].boosted, st[1].boosted, st[0].input_ops,
	    st[1].input_ops);
	row("  after an allocation failed", st[0].failed, st[1].failed, st[0].input_ops,
	    st[1].input_ops);
	row("  with a highatomic reserve", st[0].reserved, st[1].reserved, st[0].input_ops,
	    st[1].input_ops);
	row("  isolations after a fallback", st[0].isolate_fragmented, st[1].isolate_fragmented,
	    st[0].input_ops, st[1].input_ops);
	row("  any of these (far from boot)", st[0].deep, st[1].deep, st[0].input_ops,
	    st[1].input_ops);
	row("inputs with one far from boot", st[0].inputs_deep, st[1].inputs_deep, st[0].inputs,
	    st[1].inputs);
	kb_runner_destroy(runner);
	return 0;
}
