// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of a booted instance. Booting walks every pfn; a fuzz input
 * touches a few hundred. Taking a snapshot right after boot and restoring
 * it before each input (only the struct pages the input changed, tracked
 * in 16-page chunks by kb_dirty_*) gives every input the same fresh state
 * at a fraction of the cost. The restored bytes sit at the same addresses
 * as before, so every list pointer in them is valid again. The backing
 * memory of the pages allocated since (kb->unpoisoned) is poisoned again.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct kb_snapshot {
	struct kb_instance kb;		/* the instance struct as it was */
	struct page *mem_map;		/* a copy of every struct page */
	uint8_t *pageblock_flags;
	unsigned long nr_chunks;
	bool checked;			/* a full sweep found it clean */
};

static unsigned long nr_dirty_words(unsigned long nr_chunks)
{
	return (nr_chunks + 63) / 64;
}

static unsigned long nr_unpoisoned_words(const struct kb_instance *kb)
{
	unsigned long chunk = 1UL << KB_UNPOISONED_CHUNK_SHIFT;

	return nr_dirty_words((kb->max_pfn + chunk - 1) / chunk);
}

void kb_snapshot_free(struct kb_instance *kb)
{
	if (!kb->snapshot)
		return;
	free(kb->snapshot->mem_map);
	free(kb->snapshot->pageblock_flags);
	free(kb->snapshot);
	free(kb->dirty);
	free(kb->unpoisoned);
	free(kb->pristine);
	kb->snapshot = NULL;
	kb->dirty = NULL;
	kb->unpoisoned = NULL;
	kb->pristine = NULL;
}

int kb_snapshot_take(struct kb_instance *kb)
{
	struct kb_snapshot *snap;

	kb_snapshot_free(kb);
	snap = calloc(1, sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	snap->nr_chunks = (kb->max_pfn + (1UL << KB_DIRTY_CHUNK_SHIFT) - 1) >> KB_DIRTY_CHUNK_SHIFT;
	snap->mem_map = malloc(kb->max_pfn * sizeof(struct page));
	snap->pageblock_flags = malloc(kb->nr_pageblocks ? kb->nr_pageblocks : 1);
	kb->dirty = calloc(nr_dirty_words(snap->nr_chunks), sizeof(uint64_t));
	kb->unpoisoned = calloc(nr_unpoisoned_words(kb), sizeof(uint64_t));
	if (!snap->mem_map || !snap->pageblock_flags || !kb->dirty || !kb->unpoisoned) {
		free(snap->mem_map);
		free(snap->pageblock_flags);
		free(snap);
		free(kb->dirty);
		free(kb->unpoisoned);
		kb->dirty = NULL;
		kb->unpoisoned = NULL;
		return -ENOMEM;
	}
	memcpy(snap->mem_map, kb->mem_map, kb->max_pfn * sizeof(struct page));
	memcpy(snap->pageblock_flags, kb->pageblock_flags, kb->nr_pageblocks);
	kb->snapshot = snap;
	snap->kb = *kb;
	return 0;
}

/*
 * The instance struct but for the nodes past nr_node_ids, which nothing
 * writes after boot (most layouts have one node of KB_MAX_NODES; the
 * nodes are nine tenths of the struct). kb_snapshot_matches holds the
 * whole struct to it.
 */
static void restore_instance(struct kb_instance *kb, const struct kb_instance *saved)
{
	size_t nodes = offsetof(struct kb_instance, node_data);
	size_t used = nodes + (size_t)saved->nr_node_ids * sizeof(saved->node_data[0]);
	size_t after = nodes + sizeof(saved->node_data);

	memcpy(kb, saved, used);
	memcpy((char *)kb + after, (const char *)saved + after, sizeof(*kb) - after);
}

/* The user's fields of the instance, not its state: kept across a restore. */
static void keep_user_fields(struct kb_instance *to, const struct kb_instance *from)
{
	to->report = from->report;
	to->report_ctx = from->report_ctx;
	to->check_level = from->check_level;
	to->owner = from->owner;
	to->compaction_hooks = from->compaction_hooks;
}

/*
 * Takes the lowest run of set bits out of *bits (not 0): its first bit in
 * *first, its length returned.
 */
static unsigned int take_run(uint64_t *bits, unsigned int *first)
{
	uint64_t rest;
	unsigned int run;

	*first = (unsigned int)__builtin_ctzll(*bits);
	rest = ~(*bits >> *first);
	run = rest ? (unsigned int)__builtin_ctzll(rest) : 64;
	*bits &= run >= 64 ? 0 : ~(((1ULL << run) - 1) << *first);
	return run;
}

void kb_snapshot_restore(struct kb_instance *kb)
{
	struct kb_snapshot *snap = kb->snapshot;
	uint64_t *dirty = kb->dirty;
	uint64_t *unpoisoned = kb->unpoisoned;
	unsigned long w;

	if (!snap)
		return;
	/*
	 * A run of set bits at a time (one copy for neighbouring chunks), in
	 * loops counted by the bits: they end whatever the bit arithmetic does.
	 */
	for (w = 0; w < nr_dirty_words(snap->nr_chunks); w++) {
		uint64_t bits = dirty[w];
		unsigned int first, run;
		int n;

		for (n = __builtin_popcountll(bits); n > 0; n -= (int)run) {
			unsigned long pfn, nr;

			run = take_run(&bits, &first);
			pfn = (w * 64 + first) << KB_DIRTY_CHUNK_SHIFT;
			nr = KB_MIN((unsigned long)run << KB_DIRTY_CHUNK_SHIFT, kb->max_pfn - pfn);
			memcpy(kb->mem_map + pfn, snap->mem_map + pfn, nr * sizeof(struct page));
		}
		dirty[w] = 0;
	}
	/* Pages allocated since the snapshot are free again. */
	for (w = 0; w < nr_unpoisoned_words(kb); w++) {
		uint64_t bits = unpoisoned[w];
		unsigned int first, run;
		int n;

		for (n = __builtin_popcountll(bits); n > 0; n -= (int)run) {
			unsigned long pfn;

			run = take_run(&bits, &first);
			pfn = (w * 64 + first) << KB_UNPOISONED_CHUNK_SHIFT;
			kb_poison_pages(kb, pfn, KB_MIN((unsigned long)run << KB_UNPOISONED_CHUNK_SHIFT,
							kb->max_pfn - pfn));
		}
		unpoisoned[w] = 0;
	}
	memcpy(kb->pageblock_flags, snap->pageblock_flags, kb->nr_pageblocks);
	/* the user's fields are not state: the saved copy takes the current ones */
	keep_user_fields(&snap->kb, kb);
	restore_instance(kb, &snap->kb);
}

/*
 * The page a full sweep found clean in a free block's body: no flags, no
 * reference, unmapped. Such a page passes every page_expected_state test
 * for as long as nothing writes it.
 */
static bool page_pristine(const struct page *page)
{
	return !page->flags && !page->_refcount && page->_mapcount == -1 && !page->mapping;
}

void kb_snapshot_mark_checked(struct kb_instance *kb)
{
	struct kb_snapshot *snap = kb->snapshot;
	unsigned long c, pfn;

	if (!snap)
		return;
	snap->checked = true;
	if (!kb->pristine)
		kb->pristine = calloc(nr_dirty_words(snap->nr_chunks), sizeof(uint64_t));
	if (!kb->pristine)
		return;
	for (c = 0; c < snap->nr_chunks; c++) {
		unsigned long start = c << KB_DIRTY_CHUNK_SHIFT;
		unsigned long end = KB_MIN(start + (1UL << KB_DIRTY_CHUNK_SHIFT), kb->max_pfn);
		bool all = true;

		for (pfn = start; pfn < end && all; pfn++)
			all = page_pristine(&snap->mem_map[pfn]);
		if (all)
			kb->pristine[c / 64] |= 1ULL << (c % 64);
	}
	/* a restore copies the instance struct back: the saved copy points at it too */
	snap->kb.pristine = kb->pristine;
}

bool kb_snapshot_unchanged(const struct kb_instance *kb, unsigned long pfn, unsigned long nr)
{
	if (!kb->snapshot || !kb->snapshot->checked || !kb->dirty || !nr ||
	    pfn + nr > kb->max_pfn)
		return false;
	return !kb_chunk_bits_any(kb->dirty, KB_DIRTY_CHUNK_SHIFT, pfn, nr);
}

bool kb_snapshot_matches(const struct kb_instance *kb)
{
	const struct kb_snapshot *snap = kb->snapshot;

	struct kb_instance *saved;
	bool same;

	if (!snap)
		return false;
	saved = malloc(sizeof(*saved));
	if (!saved)
		return false;
	*saved = snap->kb;
	keep_user_fields(saved, kb);
	same = !memcmp(kb, saved, sizeof(*kb)) &&
	       !memcmp(kb->mem_map, snap->mem_map, kb->max_pfn * sizeof(struct page)) &&
	       !memcmp(kb->pageblock_flags, snap->pageblock_flags, kb->nr_pageblocks);
	free(saved);
	return same;
}
