// SPDX-License-Identifier: GPL-2.0
/*
 * The record-level mutator of fuzz/mutator.c as an AFL++ custom mutator
 * library (AFL_CUSTOM_MUTATOR_LIBRARY=afl_mutator.so), for fuzz_ops.
 * ci/afl_build.sh builds it; ci/afl_run.sh loads it. afl-fuzz keeps its own
 * havoc stage as well unless AFL_CUSTOM_MUTATOR_ONLY is set. afl_custom_fuzz
 * also crosses the input over with the second test case afl-fuzz offers
 * (add_buf), one time in four.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mutator.h"

struct afl_state;

struct kb_afl {
	uint8_t *buf;
	size_t cap;
	unsigned int seed;
};

void *afl_custom_init(struct afl_state *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

void *afl_custom_init(struct afl_state *afl, unsigned int seed)
{
	struct kb_afl *m = calloc(1, sizeof(*m));

	(void)afl;
	if (!m)
		return NULL;
	m->seed = seed;
	return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct kb_afl *m = data;
	unsigned int seed = m->seed++;

	if (m->cap < max_size) {
		uint8_t *nb = realloc(m->buf, max_size);

		if (!nb) {
			*out_buf = buf;
			return buf_size;
		}
		m->buf = nb;
		m->cap = max_size;
	}
	if (!max_size) {
		*out_buf = buf;
		return 0;
	}
	*out_buf = m->buf;
	if (add_buf && add_buf_size && seed % 4 == 0)
		return kb_mut_crossover(buf, buf_size, add_buf, add_buf_size, m->buf, max_size,
					seed);
	if (buf_size > max_size)
		buf_size = max_size;
	memcpy(m->buf, buf, buf_size);
	return kb_mut_mutate(m->buf, buf_size, max_size, seed);
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
	(void)data;
	return max_description_len >= 10 ? "kbuddy-ops" : "kb";
}

void afl_custom_deinit(void *data)
{
	struct kb_afl *m = data;

	if (!m)
		return;
	free(m->buf);
	free(m);
}
