// SPDX-License-Identifier: GPL-2.0
/*
 * Giving memory back (core/instance.c, core/snapshot.c): kb_destroy frees
 * everything kb_create and kb_snapshot_take allocated, and kb_create frees
 * what it allocated before a refusal. A fuzzer creates and destroys an
 * instance for every input, so a leak there grows without bound.
 *
 * The heap in use is counted by the allocator the binary runs on: glibc's
 * mallinfo2, or AddressSanitizer's own statistics in an ASan build (its
 * malloc replaces glibc's). glibc counts the chunks its per-thread cache
 * holds as in use, and that cache fills over the first cycles (up to seven
 * chunks of a size), so a test repeats its cycle until the heap in use
 * stays the same across one: a leak grows it every cycle and never does.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "kbtest.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

#ifdef KB_HAVE_ASAN
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

static size_t heap_in_use(void)
{
#ifdef KB_HAVE_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#endif
}

/* The process's address space in bytes (/proc/self/statm's first field), 0 if unreadable. */
static unsigned long long address_space(void)
{
	unsigned long long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%llu", &pages) != 1)
		pages = 0;
	fclose(f);
	return pages * (unsigned long long)PAGE_SIZE;
}

/*
 * Runs cycle until the heap in use is the same before and after one run:
 * the number of runs, or 0 when it still grows after KB_STEADY_CYCLES.
 */
#define KB_STEADY_CYCLES 16
static int cycles_to_steady_heap(void (*cycle)(void))
{
	size_t before = heap_in_use(), after;
	int i;

	for (i = 0; i < KB_STEADY_CYCLES; i++) {
		cycle();
		after = heap_in_use();
		if (after == before)
			return i + 1;
		before = after;
	}
	KBTEST_FAIL("the heap in use still grows after %d cycles (%zu bytes)",
		    KB_STEADY_CYCLES, after);
	return 0;
}

static void create_snapshot_destroy(void)
{
	struct kb_layout l;
	struct kb_instance *kb;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, NULL, 0);
	if (!kb) {
		KBTEST_FAIL("the default layout does not boot");
		return;
	}
	if (kb_snapshot_take(kb))
		KBTEST_FAIL("kb_snapshot_take failed");
	kb_snapshot_restore(kb);
	kb_destroy(kb);
}

TEST(destroy_frees_the_instance_and_its_snapshot)
{
	EXPECT_TRUE(cycles_to_steady_heap(create_snapshot_destroy) > 0);
}

/* A 4 GiB machine: its arena (4 GiB) is 30 times its memmap and tables. */
static const char big_layout[] =
	"max_page_order 10\n"
	"pageblock_order 9\n"
	"node 0 cpus 1\n"
	"zone 0 DMA32 0x1000 0x100000\n";

static int parse_big_layout(struct kb_layout *l)
{
	char err[256];

	if (kb_layout_parse_text(big_layout, strlen(big_layout), l, err, sizeof(err))) {
		KBTEST_FAIL("layout: %s", err);
		return -1;
	}
	return 0;
}

/*
 * kb_create of a backed instance whose arena the address space limit does
 * not allow: refused with the reason, and nothing of the half-built
 * instance left allocated. The limit is the address space in use plus half
 * the arena: room for the memmap and the tables, not for the arena.
 */
static size_t big_arena_bytes;
static char refusal[256];
static int refused_creates;

static void create_beyond_the_address_space(void)
{
	struct kb_options opt = { .check_level = 1, .back_with_memory = true };
	struct kb_layout l;
	struct kb_instance *kb;
	struct rlimit old, lim;
	unsigned long long in_use = address_space();

	if (!in_use || getrlimit(RLIMIT_AS, &old) || parse_big_layout(&l))
		return;
	lim = old;
	lim.rlim_cur = in_use + big_arena_bytes / 2;
	if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < lim.rlim_cur)
		return;		/* already tighter than this test's limit */
	if (setrlimit(RLIMIT_AS, &lim))
		return;
	refusal[0] = 0;
	kb = kb_create(&l, &opt, refusal, sizeof(refusal));
	setrlimit(RLIMIT_AS, &old);
	if (kb)
		kb_destroy(kb);
	else if (strstr(refusal, "cannot reserve"))
		refused_creates++;
}

TEST(refused_arena_frees_the_half_built_instance)
{
	struct kb_options opt = { .check_level = 1, .back_with_memory = true };
	struct kb_layout l;
	struct kb_instance *kb;
	char err[256] = "";
	int cycles;

	ASSERT_TRUE(!parse_big_layout(&l));
	kb = kb_create(&l, &opt, err, sizeof(err));
	ASSERT_TRUE(kb != NULL);
	big_arena_bytes = kb->arena_bytes;
	kb_destroy(kb);
	/* the memmap and the tables must fit in the room the limit leaves */
	ASSERT_TRUE(big_arena_bytes >= (size_t)1 << 32);

	refused_creates = 0;
	create_beyond_the_address_space();
	ASSERT_EQ(refused_creates, 1);
	cycles = cycles_to_steady_heap(create_beyond_the_address_space);
	EXPECT_TRUE(cycles > 0);
	/* every cycle was the refusal this test is about */
	EXPECT_EQ(refused_creates, 1 + cycles);
}

TEST_MAIN()
