/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The full sweep's fast way (the pages of free blocks, pcp pages and
 * allocations in one pass, checkers/sweep_pages.c) against the phases one
 * by one: on the states random inputs of every layout end in, healthy and
 * with one field of one page or pageblock broken the way an allocator bug
 * would break it, kb_check_full must report exactly what
 * kb_check_full_phases reports.
 */
#include <string.h>

#include "kbtest.h"
#include "run.h"
#include "check_internal.h"
#include "../machine/layout_io.h"

static struct kb_ops ops;

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Runs a random input on the runner; its instance and shadow in *kb, *sh. */
static void run_random(struct kb_runner *runner, uint64_t *seed, struct kb_instance **kb,
		       const struct kb_shadow **sh)
{
	struct kb_run_options opt = { .check_level = 2, .back_with_memory = true,
				      .backing_bytes = 16, .no_hash = true };
	struct kb_run_result res;
	uint8_t buf[2041];
	size_t len = 8 + next(seed) % (sizeof(buf) - 8), i;
	struct kb_run *run;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)next(seed);
	kb_ops_decode_binary(buf, len, &ops);
	run = kb_runner_run(runner, &ops, &opt, &res);
	*kb = run ? kb_run_instance(run) : NULL;
	*sh = run ? kb_run_shadow(run) : NULL;
}

/* Both sweeps on the state as it is: the same verdict, the same violation. */
static void expect_same(struct kb_instance *kb, const struct kb_shadow *sh, const char *what)
{
	struct kb_violation fast, phases;
	int rf = kb_check_full(kb, sh, &fast);
	/* a clean fast way leaves the marks clean: a healthy state needs no second sweep */
	bool fast_way_clean = sh->sweep->marks_clean;
	int rp = kb_check_full_phases(kb, sh, &phases);

	if (!rf && !fast_way_clean)
		KBTEST_FAIL("%s: clean, but only after the fast way had failed", what);

	if (rf != rp || (rf && (strcmp(fast.invariant, phases.invariant) ||
				fast.pfn != phases.pfn || strcmp(fast.detail, phases.detail))))
		KBTEST_FAIL("%s: the fast way says %s (%s), the phases %s (%s)", what,
			    rf ? fast.invariant : "clean", rf ? fast.detail : "",
			    rp ? phases.invariant : "clean", rp ? phases.detail : "");
}

/* A pfn worth breaking: in a live allocation, a free-list head, or anywhere. */
static unsigned long pick_pfn(struct kb_instance *kb, const struct kb_shadow *sh,
			      uint64_t *seed)
{
	unsigned long pfn = next(seed) % kb->max_pfn;
	unsigned int h;

	switch (next(seed) % 3) {
	case 0:
		if (!sh->hi_handle)
			break;
		h = 1 + (unsigned int)(next(seed) % sh->hi_handle);
		if (h < sh->rec_cap && sh->rec[h].live)
			pfn = sh->rec[h].pfn + next(seed) % (1UL << sh->rec[h].order);
		break;
	case 1:
		/* the head of the free block (or pcp page) nearest above */
		for (unsigned long p = pfn; p < kb->max_pfn && p < pfn + 4096; p++)
			if (PageBuddy(&kb->mem_map[p])) {
				pfn = p + (next(seed) % 2) * (next(seed) % (1UL << buddy_order(&kb->mem_map[p])));
				break;
			}
		break;
	}
	return pfn < kb->max_pfn ? pfn : kb->max_pfn - 1;
}

/* Breaks one thing, compares both sweeps, and puts it back. */
static void break_and_compare(struct kb_instance *kb, const struct kb_shadow *sh,
			      uint64_t *seed)
{
	unsigned long pfn = pick_pfn(kb, sh, seed);
	struct page *page = &kb->mem_map[pfn], saved = *page;
	uint8_t *pb = pfnblock_flags(kb, pfn), saved_pb = *pb;
	char what[64];
	int how = (int)(next(seed) % 8);

	switch (how) {
	case 0:
		page->flags ^= 1u << (next(seed) % NR_PAGEFLAGS);
		break;
	case 1:
		page->_refcount += next(seed) % 2 ? 1 : -1;
		break;
	case 2:
		page->flags |= 1u << PG_buddy;
		page->private = next(seed) % (kb->max_order + 1);
		break;
	case 3:
		page->private = next(seed) % (kb->max_order + 2);
		break;
	case 4:
		page->compound_head ^= 1 + next(seed) % 4;
		break;
	case 5:
		page->compound_order = (uint8_t)(next(seed) % (kb->max_order + 1));
		break;
	case 6:
		page->flags ^= (1u << PG_head) | (1u << PG_tail);
		break;
	case 7:
		*pb ^= (uint8_t)(1 + next(seed) % PB_MIGRATETYPE_MASK);
		break;
	}
	/* an allocator bug writes through the paths that mark the page written */
	kb_dirty_range(kb, pfn, 1);
	snprintf(what, sizeof(what), "break %d at pfn %#lx", how, pfn);
	expect_same(kb, sh, what);
	*page = saved;
	*pb = saved_pb;
}

TEST(fast_way_matches_phases_on_end_states)
{
	struct kb_runner *runner = kb_runner_create();
	uint64_t seed = 0x5eedfa57;

	ASSERT_TRUE(runner);
	for (int i = 0; i < 150 && !kbtest_current_failed; i++) {
		struct kb_instance *kb;
		const struct kb_shadow *sh;

		run_random(runner, &seed, &kb, &sh);
		ASSERT_TRUE(kb && sh);
		expect_same(kb, sh, "end state");
	}
	kb_runner_destroy(runner);
}

TEST(fast_way_matches_phases_on_broken_pages)
{
	struct kb_runner *runner = kb_runner_create();
	uint64_t seed = 0xb0b0cafe;

	ASSERT_TRUE(runner);
	for (int i = 0; i < 60 && !kbtest_current_failed; i++) {
		struct kb_instance *kb;
		const struct kb_shadow *sh;

		run_random(runner, &seed, &kb, &sh);
		ASSERT_TRUE(kb && sh);
		for (int j = 0; j < 25 && !kbtest_current_failed; j++)
			break_and_compare(kb, sh, &seed);
	}
	kb_runner_destroy(runner);
}

/*
 * The runner's snapshot passed a full sweep, so the fast way trusts the
 * body of a large free block none of whose pages was written since: a
 * body page broken behind the dirty map's back goes unseen, the same page
 * broken and marked written is reported, and a snapshot nobody checked
 * vouches for nothing.
 */
TEST(snapshot_vouches_only_for_unwritten_checked_pages)
{
	struct kb_runner *runner = kb_runner_create();
	uint64_t seed = 0x7e57ab1e;
	struct kb_instance *kb;
	const struct kb_shadow *sh;
	struct kb_violation v;
	unsigned long pfn, body = 0;
	struct page saved;

	ASSERT_TRUE(runner);
	run_random(runner, &seed, &kb, &sh);
	ASSERT_TRUE(kb && sh);
	for (pfn = 0; pfn < kb->max_pfn && !body; pfn++) {
		struct page *p = &kb->mem_map[pfn];

		if (PageBuddy(p) && buddy_order(p) >= 6 &&
		    kb_snapshot_unchanged(kb, pfn, 1UL << buddy_order(p)))
			body = pfn + 5;
	}
	ASSERT_TRUE(body);
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);

	saved = kb->mem_map[body];
	kb->mem_map[body].flags |= 1u << PG_reserved;
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);	/* trusted: not read */
	EXPECT_TRUE(kb_check_full_phases(kb, sh, &v) != 0);
	kb_dirty_range(kb, body, 1);
	EXPECT_TRUE(kb_check_full(kb, sh, &v) != 0);
	EXPECT_STREQ(v.invariant, "block-boundary");
	kb->mem_map[body] = saved;
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);
	kb_runner_destroy(runner);

	/* a snapshot taken but never swept */
	{
		struct kb_layout layout;
		struct kb_instance *fresh;

		ASSERT_EQ(kb_layout_builtin("default", &layout), 0);
		fresh = kb_create(&layout, NULL, NULL, 0);
		ASSERT_TRUE(fresh);
		ASSERT_EQ(kb_snapshot_take(fresh), 0);
		EXPECT_TRUE(!kb_snapshot_unchanged(fresh, 0, 64));
		kb_snapshot_mark_checked(fresh);
		EXPECT_TRUE(kb_snapshot_unchanged(fresh, 0, 64));
		kb_dirty_range(fresh, 40, 1);
		EXPECT_TRUE(!kb_snapshot_unchanged(fresh, 0, 64));
		kb_destroy(fresh);
	}
}

/*
 * Chunks of 16 struct pages that held only free pages in the clean
 * snapshot and were not written since are not read, by the allocator's
 * page scans nor by the sweep: a page broken there behind the dirty map's
 * back goes unseen, the same page marked written is found. A chunk with a
 * free block's head in it (PG_buddy) is never such a chunk.
 */
#define CHUNK	(1UL << KB_DIRTY_CHUNK_SHIFT)

TEST(pristine_chunks_are_trusted_only_while_unwritten)
{
	struct kb_runner *runner = kb_runner_create();
	uint64_t seed = 0x5eed;
	struct kb_instance *kb;
	const struct kb_shadow *sh;
	struct kb_violation v;
	unsigned long pfn, head = 0, chunk = 0;
	struct page *page;
	void *mapping;

	ASSERT_TRUE(runner);
	run_random(runner, &seed, &kb, &sh);
	ASSERT_TRUE(kb && sh);
	for (pfn = 0; pfn < kb->max_pfn && !chunk; pfn++) {
		struct page *p = &kb->mem_map[pfn];

		if (PageBuddy(p) && buddy_order(p) >= 6 &&
		    kb_chunk_pristine(kb, (pfn >> KB_DIRTY_CHUNK_SHIFT) + 1)) {
			head = pfn;
			chunk = ((pfn >> KB_DIRTY_CHUNK_SHIFT) + 1) << KB_DIRTY_CHUNK_SHIFT;
		}
	}
	ASSERT_TRUE(chunk);
	EXPECT_TRUE(!kb_chunk_pristine(kb, head >> KB_DIRTY_CHUNK_SHIFT));
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);

	page = &kb->mem_map[chunk + 3];
	mapping = page->mapping;
	page->mapping = page;	/* a page the kernel's bad_page() reports */
	EXPECT_EQ(kb_pages_first_unexpected(kb, &kb->mem_map[chunk], CHUNK, 0), CHUNK);
	kb_dirty_range(kb, chunk + 3, 1);
	EXPECT_TRUE(!kb_chunk_pristine(kb, chunk >> KB_DIRTY_CHUNK_SHIFT));
	EXPECT_EQ(kb_pages_first_unexpected(kb, &kb->mem_map[chunk], CHUNK, 0), 3UL);
	page->mapping = mapping;

	/* the block's next chunk: the block is written, that chunk is not */
	page = &kb->mem_map[chunk + CHUNK + 3];
	page->flags |= 1u << PG_reserved;
	EXPECT_TRUE(!kb_snapshot_unchanged(kb, head, 1UL << buddy_order(&kb->mem_map[head])));
	EXPECT_TRUE(kb_chunk_pristine(kb, (chunk >> KB_DIRTY_CHUNK_SHIFT) + 1));
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);	/* trusted: not read */
	EXPECT_TRUE(kb_check_full_phases(kb, sh, &v) != 0);
	kb_dirty_range(kb, chunk + CHUNK + 3, 1);
	EXPECT_TRUE(kb_check_full(kb, sh, &v) != 0);
	EXPECT_STREQ(v.invariant, "block-boundary");
	page->flags &= ~(1u << PG_reserved);
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);
	kb_runner_destroy(runner);
}

/*
 * The fast way counts PG_lru pages in its pass over the pfns instead of
 * reading every struct page for it: PG_lru set where no LRU list holds
 * the page (a free block's head and body, an allocation's later page, an
 * allocation's head) is the phases' "lru-lists" there too.
 */
TEST(fast_way_counts_stray_lru_flags)
{
	struct kb_runner *runner = kb_runner_create();
	uint64_t seed = 0x11e57a7e;
	struct kb_instance *kb;
	const struct kb_shadow *sh;
	struct kb_violation v;
	unsigned long pfn, free_head = 0, alloc_head = 0;
	int tried = 0;

	ASSERT_TRUE(runner);
	/* an end state with a free block and an allocation of two pages or more */
	for (int i = 0; i < 100 && (!free_head || !alloc_head); i++) {
		run_random(runner, &seed, &kb, &sh);
		ASSERT_TRUE(kb && sh);
		free_head = alloc_head = 0;
		for (pfn = 1; pfn < kb->max_pfn && (!free_head || !alloc_head); pfn++) {
			const struct page *p = &kb->mem_map[pfn];
			unsigned int h = sh->owner[pfn];

			if (!free_head && PageBuddy(p) && buddy_order(p) >= 2)
				free_head = pfn;
			if (!alloc_head && h && sh->rec[h].pfn == pfn && sh->rec[h].nr >= 2 &&
			    !PageLru(p))
				alloc_head = pfn;
		}
	}
	ASSERT_TRUE(free_head && alloc_head);
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);
	{
		const unsigned long where[] = { free_head, free_head + 1, alloc_head, alloc_head + 1 };

		for (unsigned int i = 0; i < 4; i++) {
			struct page *page = &kb->mem_map[where[i]];
			char what[64];

			page->flags |= 1u << PG_lru;
			kb_dirty_range(kb, where[i], 1);
			snprintf(what, sizeof(what), "PG_lru at pfn %#lx", where[i]);
			expect_same(kb, sh, what);
			EXPECT_TRUE(kb_check_full(kb, sh, &v) != 0);
			EXPECT_STREQ(v.invariant, "lru-lists");
			page->flags &= ~(1u << PG_lru);
			tried++;
		}
	}
	EXPECT_EQ(tried, 4);
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);
	kb_runner_destroy(runner);
}

TEST_MAIN()
