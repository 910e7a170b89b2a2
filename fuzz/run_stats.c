// SPDX-License-Identifier: GPL-2.0
/* The fuzz targets' counters, in this process and in a shared file (fuzz/run_stats.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run_stats.h"

#define STATS_MAGIC	0x317374617473626bull	/* "kbstats1" in a little-endian word */

struct stats_file {
	uint64_t magic;
	uint64_t inputs;
	uint64_t ops;
	uint64_t spare;
};

static uint64_t local_inputs, local_ops;
static struct stats_file *shared;

static void print_at_exit(void)
{
	kb_fuzz_stats_print();
}

void kb_fuzz_stats_init(void)
{
	const char *path = getenv(KB_FUZZ_STATS_ENV);
	struct stat st;
	void *map;
	int fd;

	atexit(print_at_exit);
	if (!path || !*path)
		return;
	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || fstat(fd, &st) ||
	    (st.st_size < (off_t)sizeof(*shared) && ftruncate(fd, sizeof(*shared)))) {
		fprintf(stderr, "kbuddy-stats: cannot use %s=%s; counting in this process only\n",
			KB_FUZZ_STATS_ENV, path);
		if (fd >= 0)
			close(fd);
		return;
	}
	map = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	shared = map;
	/* the first process of a run names the file; the others find it named */
	__atomic_store_n(&shared->magic, STATS_MAGIC, __ATOMIC_RELAXED);
}

void kb_fuzz_stats_add(uint64_t inputs, uint64_t ops)
{
	local_inputs += inputs;
	local_ops += ops;
	if (shared) {
		__atomic_add_fetch(&shared->inputs, inputs, __ATOMIC_RELAXED);
		__atomic_add_fetch(&shared->ops, ops, __ATOMIC_RELAXED);
	}
}

void kb_fuzz_stats_print(void)
{
	fprintf(stderr, "kbuddy-stats: inputs=%llu ops=%llu\n",
		(unsigned long long)local_inputs, (unsigned long long)local_ops);
}
