// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of a booted instance. Booting walks every pfn; a fuzz input
 * touches a few hundred. Taking a snapshot right after boot and restoring
 * it before each input (only the struct pages the input changed, tracked
 * in 16-page chunks by kb_dirty_*) gives every input the same fresh state
 * at a fraction of the cost. The restored bytes sit at the same addresses
 * as before, so every list pointer in them is valid again. The backing
 * memory of the pages allocated since (kb->unpoisoned) is poisoned again.
 * Only present sections are copied, scanned and restored: a snapshot of
 * a sparse machine costs what its present memory costs.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct kb_snapshot {
	struct kb_instance kb;		/* the instance struct as it was */
	struct page *mem_map;		/* a copy of every struct page (present sections) */
	uint8_t *usage;			/* every present section's usemap, at sec * usemap_bytes */
	size_t usemap_bytes;
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
	kb_pfn_array_free(kb->snapshot->mem_map, kb->max_pfn, sizeof(struct page));
	kb_pfn_array_free(kb->snapshot->usage, kb->nr_mem_sections, kb->snapshot->usemap_bytes);
	free(kb->snapshot);
	free(kb->dirty);
	free(kb->unpoisoned);
	free(kb->pristine);
	kb->snapshot = NULL;
	kb->dirty = NULL;
	kb->unpoisoned = NULL;
	kb->pristine = NULL;
}

/* Copies the usemap of every present section to or from the snapshot. */
static void copy_usemaps(struct kb_instance *kb, struct kb_snapshot *snap, bool save)
{
	unsigned long sec;

	for (sec = 0; sec < kb->nr_mem_sections; sec++) {
		struct mem_section *ms = &kb->mem_section[sec];
		uint8_t *saved = snap->usage + sec * snap->usemap_bytes;

		if (!valid_section(ms))
			continue;
		if (save)
			memcpy(saved, ms->usage, snap->usemap_bytes);
		else
			memcpy(ms->usage, saved, snap->usemap_bytes);
	}
}

int kb_snapshot_take(struct kb_instance *kb)
{
	struct kb_snapshot *snap;
	unsigned long s, e;

	kb_snapshot_free(kb);
	snap = calloc(1, sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	snap->nr_chunks = (kb->max_pfn + (1UL << KB_DIRTY_CHUNK_SHIFT) - 1) >> KB_DIRTY_CHUNK_SHIFT;
	snap->usemap_bytes = PAGES_PER_SECTION >> kb->pageblock_order;
	snap->mem_map = kb_pfn_array_alloc(kb->max_pfn, sizeof(struct page));
	snap->usage = kb_pfn_array_alloc(kb->nr_mem_sections, snap->usemap_bytes);
	kb->dirty = calloc(nr_dirty_words(snap->nr_chunks), sizeof(uint64_t));
	kb->unpoisoned = calloc(nr_unpoisoned_words(kb), sizeof(uint64_t));
	if (!snap->mem_map || !snap->usage || !kb->dirty || !kb->unpoisoned) {
		kb_pfn_array_free(snap->mem_map, kb->max_pfn, sizeof(struct page));
		kb_pfn_array_free(snap->usage, kb->nr_mem_sections, snap->usemap_bytes);
		free(snap);
		free(kb->dirty);
		free(kb->unpoisoned);
		kb->dirty = NULL;
		kb->unpoisoned = NULL;
		return -ENOMEM;
	}
	for_each_valid_range(kb, 0, kb->max_pfn, s, e)
		memcpy(snap->mem_map + s, kb->mem_map + s, (e - s) * sizeof(struct page));
	copy_usemaps(kb, snap, true);
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
	to->oom_hooks = from->oom_hooks;
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

/* The words of a chunk map (one bit per 1 << shift pages) that cover [s, e). */
static void map_words(unsigned long s, unsigned long e, unsigned int shift,
		      unsigned long *first, unsigned long *last)
{
	*first = (s >> shift) / 64;
	*last = ((e - 1) >> shift) / 64;
}

void kb_snapshot_restore(struct kb_instance *kb)
{
	struct kb_snapshot *snap = kb->snapshot;
	uint64_t *dirty = kb->dirty;
	uint64_t *unpoisoned = kb->unpoisoned;
	unsigned long w, first, last, s, e;

	if (!snap)
		return;
	/*
	 * A run of set bits at a time (one copy for neighbouring chunks), in
	 * loops counted by the bits: they end whatever the bit arithmetic
	 * does. Missing sections have no struct pages and no bits set.
	 */
	for_each_valid_range(kb, 0, kb->max_pfn, s, e) {
		map_words(s, e, KB_DIRTY_CHUNK_SHIFT, &first, &last);
		for (w = first; w <= last; w++) {
			uint64_t bits = dirty[w];
			unsigned int bit, run;
			int n;

			for (n = __builtin_popcountll(bits); n > 0; n -= (int)run) {
				unsigned long pfn, nr;

				run = take_run(&bits, &bit);
				pfn = (w * 64 + bit) << KB_DIRTY_CHUNK_SHIFT;
				nr = KB_MIN((unsigned long)run << KB_DIRTY_CHUNK_SHIFT, kb->max_pfn - pfn);
				memcpy(kb->mem_map + pfn, snap->mem_map + pfn, nr * sizeof(struct page));
			}
			dirty[w] = 0;
		}
		/* Pages allocated since the snapshot are free again. */
		map_words(s, e, KB_UNPOISONED_CHUNK_SHIFT, &first, &last);
		for (w = first; w <= last; w++) {
			uint64_t bits = unpoisoned[w];
			unsigned int bit, run;
			int n;

			for (n = __builtin_popcountll(bits); n > 0; n -= (int)run) {
				unsigned long pfn;

				run = take_run(&bits, &bit);
				pfn = (w * 64 + bit) << KB_UNPOISONED_CHUNK_SHIFT;
				kb_poison_pages(kb, pfn, KB_MIN((unsigned long)run << KB_UNPOISONED_CHUNK_SHIFT,
								kb->max_pfn - pfn));
			}
			unpoisoned[w] = 0;
		}
	}
	copy_usemaps(kb, snap, false);
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
	unsigned long c, pfn, s, e;

	if (!snap)
		return;
	snap->checked = true;
	if (!kb->pristine)
		kb->pristine = calloc(nr_dirty_words(snap->nr_chunks), sizeof(uint64_t));
	if (!kb->pristine)
		return;
	for_each_valid_range(kb, 0, kb->max_pfn, s, e) {
		for (c = s >> KB_DIRTY_CHUNK_SHIFT; c <= (e - 1) >> KB_DIRTY_CHUNK_SHIFT; c++) {
			unsigned long start = c << KB_DIRTY_CHUNK_SHIFT;
			unsigned long end = KB_MIN(start + (1UL << KB_DIRTY_CHUNK_SHIFT), kb->max_pfn);
			bool all = true;

			for (pfn = start; pfn < end && all; pfn++)
				all = page_pristine(&snap->mem_map[pfn]);
			if (all)
				kb->pristine[c / 64] |= 1ULL << (c % 64);
		}
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
	unsigned long s, e, sec;
	bool same;

	if (!snap)
		return false;
	saved = malloc(sizeof(*saved));
	if (!saved)
		return false;
	*saved = snap->kb;
	keep_user_fields(saved, kb);
	same = !memcmp(kb, saved, sizeof(*kb));
	free(saved);
	for_each_valid_range(kb, 0, kb->max_pfn, s, e)
		same = same && !memcmp(kb->mem_map + s, snap->mem_map + s,
				       (e - s) * sizeof(struct page));
	for (sec = 0; same && sec < kb->nr_mem_sections; sec++)
		if (valid_section(&kb->mem_section[sec]))
			same = !memcmp(kb->mem_section[sec].usage,
				       snap->usage + sec * snap->usemap_bytes, snap->usemap_bytes);
	return same;
}
