/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-by-page part of sweep phases 2 to 5 in one pass over the pfns,
 * in order: the pages of every free block and pcp page, every page of every
 * live allocation, and PG_buddy and the reserved and lost tallies on the
 * rest. The phases visit blocks in list order and mark every body page;
 * this pass reads mem_map, the owner array and the marks once each, front
 * to back, which is most of what a sweep per fuzz input costs.
 *
 * It runs after the list walk, the checks of the free-block and pcp heads
 * (s->heads_only) and the merge check, and leaves the same tallies as the
 * phases. It tests only that nothing is wrong, with the phases' tests
 * written apart (tests/test_sweep_fast.c holds both to the same verdicts);
 * anything else (or anything it does not expect, such as blocks crossing
 * zone spans) returns 1 without a report, and kb_check_full runs the
 * phases one by one to name the first violation as they always do.
 *
 * Only heads carry marks here; the pass clears each one it reaches, so a
 * clean pass leaves the mark buffer zero for the next sweep.
 *
 * The pass also stands in for the LRU phase's count of PG_lru pages over
 * mem_map: PG_lru is expected on the heads of live allocations only
 * (anywhere else returns 1), and those heads must number the entries the
 * LRU lists hold. The struct pages it does not read (pristine chunks,
 * unchanged free blocks) are as a clean sweep saw them, where every
 * PG_lru page was a listed page with a reference, never a free one.
 */
#include "check_internal.h"

/* Flags no page of a free block or pcp page may carry here (PG_buddy: but its head). */
#define KB_SWEEP_FREE_BAD	(KB_FREE_PAGE_BAD_FLAGS | (1u << PG_lru))

/* Free blocks at least this large may be vouched for by the snapshot. */
#define KB_SWEEP_TRUST_MIN	64

/* Pfns outside every zone: nothing may be listed, held or PG_buddy there. */
static int gap_pages(struct kb_sweep *s, unsigned long start, unsigned long end)
{
	const struct page *mem_map = s->kb->mem_map;
	const uint32_t *owner = s->sh->owner;
	const uint32_t *mark = s->mark;

	unsigned long a, b;

	for_each_valid_range(s->kb, start, end, a, b)
		for (unsigned long pfn = a; pfn < b; pfn++)
			if (mark[pfn] | owner[pfn] |
			    (mem_map[pfn].flags & ((1u << PG_buddy) | (1u << PG_lru))))
				return 1;
	return 0;
}

/* A free block or pcp page whose head (marked m) is at pfn; its size in *nr. */
static int block_pages(struct kb_sweep *s, unsigned long pfn, uint32_t m, unsigned long end,
		       unsigned long *nr)
{
	const struct page *page = &s->kb->mem_map[pfn];
	const uint32_t *owner = s->sh->owner;
	const uint32_t *mark = s->mark;
	unsigned int kind = kb_mark_kind(m);
	uint32_t head_bad = KB_SWEEP_FREE_BAD;
	struct kb_list_id l;
	unsigned long n;

	kb_list_id_decode(kb_mark_list(m), &l);
	if (kind == KB_MARK_FREE_HEAD) {
		n = 1UL << l.order;
		head_bad &= ~(1u << PG_buddy);
	} else if (kind == KB_MARK_PCP_HEAD) {
		n = 1UL << pindex_to_order(s->kb, l.pindex);
	} else {
		return 1;
	}
	if (n > end - pfn || ((page->flags & head_bad) | (uint32_t)page->_refcount | owner[pfn]))
		return 1;
	/*
	 * The body of a large free block none of whose struct pages was
	 * written since a snapshot that a full sweep found clean is as that
	 * sweep saw it: a page turned into anything else (a head inside it,
	 * an allocation's head, a stray flag) was written, and so is not
	 * unchanged. The head above is checked every time.
	 */
	if (kind == KB_MARK_FREE_HEAD && n >= KB_SWEEP_TRUST_MIN &&
	    kb_snapshot_unchanged(s->kb, pfn, n)) {
		*nr = n;
		return 0;
	}
	for (unsigned long i = 1; i < n; ) {
		unsigned long stop = kb_chunk_end(pfn + i, pfn + n) - pfn;

		/*
		 * A chunk the checked snapshot vouches for: its struct pages
		 * are free pages as that sweep saw them. Nothing can overlap
		 * it unseen: a list head or an allocation's head inside it
		 * would have been written (so the chunk would not be
		 * pristine), and a block reaching in from outside has its
		 * head outside, where its own check meets this block's head.
		 */
		if (kb_chunk_pristine(s->kb, (pfn + i) >> KB_DIRTY_CHUNK_SHIFT)) {
			i = stop;
			continue;
		}
		for (; i < stop; i++)
			if ((page[i].flags & KB_SWEEP_FREE_BAD) | (uint32_t)page[i]._refcount |
			    owner[pfn + i] | mark[pfn + i])
				return 1;
	}
	*nr = n;
	return 0;
}

/*
 * The pages of a live allocation at head_pfn after its head, as
 * prep_new_page and prep_compound_page left them: no PG_buddy,
 * PG_reserved or PG_lru; an unreferenced tail of the head (compound), or a page
 * without compound flags and with one reference (contiguous range) or none
 * (plain); each owned by h and unmarked. Every page is looked at (the
 * differences are OR-ed, not branched on), which keeps the loads of the
 * next pages in flight. The tests of sweep_alloc.c, written apart so that
 * tests/test_sweep_fast.c holds one to the other.
 */
static bool alloc_body_ok(const struct kb_instance *kb, const struct page *page,
			  const uint32_t *owner, const uint32_t *mark, unsigned long nr,
			  unsigned int h, unsigned long head_pfn, const struct kb_shadow_rec *r)
{
	const uint32_t look = (1u << PG_buddy) | (1u << PG_reserved) | (1u << PG_head) |
			      (1u << PG_tail) | (1u << PG_lru);
	unsigned long diff = 0;

	if (r->compound) {
		for (unsigned long i = 1; i < nr; i++)
			diff |= (owner[i] ^ h) | mark[i] | ((page[i].flags & look) ^ (1u << PG_tail)) |
				(page[i].compound_head ^ head_pfn) | (uint32_t)page[i]._refcount;
	} else if (r->contig) {
		for (unsigned long i = 1; i < nr; i++)
			diff |= (owner[i] ^ h) | mark[i] | (page[i].flags & look) |
				((uint32_t)page[i]._refcount ^ 1);
	} else {
		/*
		 * A plain block's pages past the head are free pages as the
		 * allocator took them: in a chunk the checked snapshot vouches
		 * for their struct pages are right unread (a compound or
		 * contiguous range writes every page, so never has such a
		 * chunk). The owner array and the marks are read for every
		 * page, in one pass.
		 */
		for (unsigned long i = 1; i < nr; i++)
			diff |= (owner[i] ^ h) | mark[i];
		for (unsigned long i = 1; i < nr; ) {
			unsigned long stop = kb_chunk_end(head_pfn + i, head_pfn + nr) - head_pfn;

			if (!kb_chunk_pristine(kb, (head_pfn + i) >> KB_DIRTY_CHUNK_SHIFT))
				for (; i < stop; i++)
					diff |= (page[i].flags & look) | (uint32_t)page[i]._refcount;
			i = stop;
		}
	}
	return !diff;
}

/*
 * The allocation held by handle h, which must start at pfn; its size in
 * *nr, a PG_lru head counted in *lru.
 */
static int alloc_pages(struct kb_sweep *s, unsigned long pfn, unsigned int h, unsigned long end,
		       unsigned long *nr, unsigned long *lru)
{
	const struct kb_shadow *sh = s->sh;
	const struct page *page = &s->kb->mem_map[pfn];
	const struct kb_shadow_rec *r;
	unsigned long n;

	if (h >= sh->rec_cap || h > sh->hi_handle)
		return 1;
	r = &sh->rec[h];
	n = r->nr;
	if (!r->live || r->pfn != pfn || n > end - pfn || !n || kb_sweep_alloc_head(s, h, r))
		return 1;
	/* the head: owned, unmarked, neither free nor reserved */
	if (sh->owner[pfn] != h || s->mark[pfn] ||
	    (page->flags & ((1u << PG_buddy) | (1u << PG_reserved))) ||
	    !alloc_body_ok(s->kb, page, sh->owner + pfn, s->mark + pfn, n, h, pfn, r))
		return 1;
	s->tally[page->node][page->zone].allocated += n;
	*lru += PageLru(page);
	*nr = n;
	return 0;
}

/* The pfns [start, end) of one zone span with struct pages, tallied in t. */
static int zone_range_pages(struct kb_sweep *s, unsigned long start, unsigned long end,
			    struct kb_zone_tally *t, unsigned long *allocations, unsigned long *lru)
{
	const struct page *mem_map = s->kb->mem_map;
	const uint32_t *owner = s->sh->owner;
	uint32_t *mark = s->mark;
	unsigned long pfn = start, nr;

	while (pfn < end) {
		uint32_t m = mark[pfn];
		unsigned int h = owner[pfn];

		if (m) {
			if (block_pages(s, pfn, m, end, &nr))
				return 1;
			mark[pfn] = 0;
			pfn += nr;
		} else if (h) {
			if (alloc_pages(s, pfn, h, end, &nr, lru))
				return 1;
			(*allocations)++;
			pfn += nr;
		} else {
			const struct page *page = &mem_map[pfn];

			if (PageBuddy(page) || PageLru(page))
				return 1;
			if (PageReserved(page))
				t->reserved++;
			else if (t->lost++ == 0)
				t->first_lost = pfn;
			pfn++;
		}
	}
	return 0;
}

/*
 * The pfns [start, end) of one zone span, a run of valid pfns at a time:
 * a missing section has no struct pages, and a block may not cross into
 * one (the phases name that).
 */
static int zone_pages(struct kb_sweep *s, unsigned long start, unsigned long end,
		      struct kb_zone_tally *t, unsigned long *allocations, unsigned long *lru)
{
	unsigned long a, b;

	for_each_valid_range(s->kb, start, end, a, b)
		if (zone_range_pages(s, a, b, t, allocations, lru))
			return 1;
	return 0;
}

int kb_sweep_pages(struct kb_sweep *s)
{
	const struct kb_shadow *sh = s->sh;
	struct kb_zone_seg seg[KB_MAX_NODES * MAX_NR_ZONES];
	int nseg = kb_sweep_zone_segments(s, seg);
	unsigned long pfn = 0, allocations = 0, live = 0, lru = 0;

	for (int i = 0; i < nseg; i++) {
		unsigned long start = seg[i].start > pfn ? seg[i].start : pfn;

		/* the gap before this zone, then the zone itself */
		if (gap_pages(s, pfn, start) ||
		    zone_pages(s, start, seg[i].end, &s->tally[seg[i].nid][seg[i].zid],
			       &allocations, &lru))
			return 1;
		if (seg[i].end > pfn)
			pfn = seg[i].end;
	}
	if (gap_pages(s, pfn, s->kb->max_pfn))
		return 1;
	/* every live allocation was reached at its head */
	for (unsigned int h = 1; h <= sh->hi_handle && h < sh->rec_cap; h++)
		live += sh->rec[h].live;
	return allocations != live || lru != s->lru_entries;
}
