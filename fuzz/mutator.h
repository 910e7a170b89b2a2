/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structure-aware mutation of fuzz_ops inputs (docs/ops-format.md): a
 * header byte, then 8-byte operation records. The mutator works on whole
 * records (insert, delete, duplicate, swap, change one field, change the
 * layout) and crosses two inputs over at record boundaries, so a mutation
 * never shifts every later record by a few bytes as byte-level insertion
 * does. The same code serves libFuzzer (LLVMFuzzerCustomMutator in
 * fuzz/fuzz_ops.c) and AFL++ (fuzz/afl_mutator.c).
 *
 * Every output is a header byte plus whole records, at most max_size bytes
 * (at least 1 byte when max_size >= 1). Same input, same seed, same output.
 */
#ifndef KB_FUZZ_MUTATOR_H
#define KB_FUZZ_MUTATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kb_mut_kind {
	KB_MUT_INSERT,		/* a new record at a random place */
	KB_MUT_DELETE,		/* one record removed */
	KB_MUT_DUPLICATE,	/* a copy of one record at another place */
	KB_MUT_SWAP,		/* two records exchanged */
	KB_MUT_FIELD,		/* one field of one record changed */
	KB_MUT_HEADER,		/* another built-in layout */
	/*
	 * Deep state: late in the sequence (after its midpoint), a burst of
	 * pressure (high-order, atomic, zone-restricted and mixed-mobility
	 * allocations: fallbacks, boosts, highatomic reserves, exhaustion)
	 * and then an operation that changes derived state (a sysctl write
	 * with a value that matters, pcp disable or enable, an isolation),
	 * so that the reference model is recomputed and compared far from
	 * boot. Sometimes the input-changing operation alone, late.
	 */
	KB_MUT_DEEP,
	KB_MUT_NR_KINDS
};

/* The mutation's seeded generator (xorshift32); never 0. */
struct kb_mut_rng {
	uint32_t s;
};

void kb_mut_seed(struct kb_mut_rng *rng, unsigned int seed);
uint32_t kb_mut_next(struct kb_mut_rng *rng);

/*
 * Drops a trailing partial record and anything past max_size; an empty
 * input becomes one header byte 0. Returns the new size.
 */
size_t kb_mut_normalise(uint8_t *data, size_t size, size_t max_size);

/*
 * Applies one mutation of the given kind in place (data holds max_size
 * bytes); returns the new size. A kind that cannot apply (delete from an
 * empty input, insert into a full one) falls back to another kind.
 */
size_t kb_mut_apply(enum kb_mut_kind kind, uint8_t *data, size_t size, size_t max_size,
		    struct kb_mut_rng *rng);

/* One to four random mutations; what the engines call. */
size_t kb_mut_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
/*
 * The same with deep-state mutations (KB_MUT_DEEP) weighted in or left
 * out (the mix before they existed), for comparing the two.
 */
size_t kb_mut_mutate_mix(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
			 bool deep);

/*
 * Crossover at record boundaries: the header of one parent, then a prefix
 * of one parent's records and a suffix of the other's, or a run of b's
 * records spliced into a. Writes at most max_out bytes to out.
 */
size_t kb_mut_crossover(const uint8_t *a, size_t a_size, const uint8_t *b, size_t b_size,
			uint8_t *out, size_t max_out, unsigned int seed);

#endif /* KB_FUZZ_MUTATOR_H */
