/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow: an independent record of every allocation the caller holds.
 * A per-pfn owner array (handle or 0) answers "who holds this pfn" in O(1)
 * and a per-handle record gives each allocation's start, order and kind.
 * It catches API misuse before the allocator sees it and gives the sweep
 * the allocated side of conservation.
 */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"

#define KB_SHADOW_INITIAL_HANDLES	(4096 + 256)

struct kb_shadow *kb_shadow_create(const struct kb_instance *kb)
{
	struct kb_shadow *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return NULL;
	sh->max_pfn = kb->max_pfn;
	/* per pfn, in address space only present sections' parts of which are written */
	sh->owner = kb_pfn_array_alloc(kb->max_pfn, sizeof(*sh->owner));
	sh->mark = kb_pfn_array_alloc(kb->max_pfn, sizeof(*sh->mark));
	sh->rec_cap = KB_SHADOW_INITIAL_HANDLES;
	sh->rec = calloc(sh->rec_cap, sizeof(*sh->rec));
	sh->sweep = calloc(1, sizeof(*sh->sweep));
	if (!sh->owner || !sh->mark || !sh->rec || !sh->sweep) {
		kb_shadow_destroy(sh);
		return NULL;
	}
	/* calloc'd marks are clean: no sweep has to clear them first */
	sh->sweep->marks_clean = true;
	return sh;
}

void kb_shadow_destroy(struct kb_shadow *sh)
{
	if (!sh)
		return;
	kb_free_shadow_destroy(&sh->free);
	kb_pfn_array_free(sh->owner, sh->max_pfn, sizeof(*sh->owner));
	kb_pfn_array_free(sh->mark, sh->max_pfn, sizeof(*sh->mark));
	free(sh->rec);
	free(sh->sweep);
	free(sh);
}

static void shadow_forget(struct kb_shadow *sh, unsigned int handle)
{
	struct kb_shadow_rec *r = &sh->rec[handle];
	unsigned long nr = r->nr;

	for (unsigned long i = 0; i < nr; i++)
		sh->owner[r->pfn + i] = 0;
	kb_free_shadow_hold(&sh->free, r->pfn, nr, -1);
	if (r->node >= 0 && r->zone >= 0)
		sh->allocated[r->node][r->zone] -= nr;
	sh->total_pages -= nr;
	sh->nr_live--;
	r->live = false;
}

void kb_shadow_reset(struct kb_shadow *sh)
{
	for (unsigned int h = 1; h <= sh->hi_handle && h < sh->rec_cap; h++)
		if (sh->rec[h].live)
			shadow_forget(sh, h);
	sh->hi_handle = 0;
	memset(sh->allocated, 0, sizeof(sh->allocated));
	sh->total_pages = 0;
	sh->nr_live = 0;
}

/* Makes rec[] hold handle; 0 on success. */
static int shadow_grow(struct kb_shadow *sh, unsigned int handle)
{
	unsigned int cap = sh->rec_cap;
	struct kb_shadow_rec *rec;

	if (handle < cap)
		return 0;
	while (cap <= handle)
		cap *= 2;
	if (cap > KB_SHADOW_MAX_HANDLE + 1)
		cap = KB_SHADOW_MAX_HANDLE + 1;
	rec = realloc(sh->rec, (size_t)cap * sizeof(*rec));
	if (!rec)
		return -1;
	memset(rec + sh->rec_cap, 0, (size_t)(cap - sh->rec_cap) * sizeof(*rec));
	sh->rec = rec;
	sh->rec_cap = cap;
	return 0;
}

/* Checks the handle and the instance; 0, or 1 with *v. */
static int check_handle(struct kb_shadow *sh, const struct kb_instance *kb, unsigned long pfn,
			unsigned int order, unsigned int handle, struct kb_violation *v)
{
	if (handle == 0 || handle > KB_SHADOW_MAX_HANDLE) {
		kb_violation_set(v, "api-bad-handle", -1, -1, pfn, (int)order, -1,
				 "handle %u is outside 1..%u", handle, KB_SHADOW_MAX_HANDLE);
		return 1;
	}
	if (shadow_grow(sh, handle)) {
		kb_violation_set(v, "api-bad-handle", -1, -1, pfn, (int)order, -1,
				 "no memory to record handle %u", handle);
		return 1;
	}
	if (sh->rec[handle].live) {
		kb_violation_set(v, "api-bad-handle", -1, -1, pfn, (int)order, -1,
				 "handle a%u already holds pfn %#lx order %u",
				 handle, sh->rec[handle].pfn, sh->rec[handle].order);
		return 1;
	}
	if (sh->max_pfn != kb->max_pfn) {
		kb_violation_set(v, "checker-setup", -1, -1, pfn, (int)order, -1,
				 "shadow built for %lu pfns, instance has %lu",
				 sh->max_pfn, kb->max_pfn);
		return 1;
	}
	return 0;
}

/* Records [pfn, pfn + nr) for handle unless it overlaps a live allocation. */
static int record(struct kb_shadow *sh, const struct kb_instance *kb, unsigned long pfn,
		  unsigned long nr, unsigned int order, bool compound, bool contig,
		  unsigned int handle, struct kb_violation *v)
{
	const struct page *head = &kb->mem_map[pfn];
	struct kb_shadow_rec *r;
	uint32_t any = 0;
	unsigned long i;

	/* whether any page is held, without a branch per page; then which */
	for (i = 0; i < nr; i++)
		any |= sh->owner[pfn + i];
	for (i = 0; any && i < nr; i++) {
		unsigned int other = sh->owner[pfn + i];

		if (other && sh->rec[other].poisoned) {
			kb_violation_set(v, "hwpoison-allocated", head->node, head->zone,
					 pfn, (int)order, -1,
					 "block pfn %#lx (%lu pages, a%u) covers pfn %#lx, which soft offline poisoned",
					 pfn, nr, handle, pfn + i);
			return 1;
		}
		if (other) {
			kb_violation_set(v, "alloc-overlap", head->node, head->zone,
					 pfn, (int)order, -1,
					 "block pfn %#lx (%lu pages, a%u) covers pfn %#lx held by a%u (pfn %#lx, %lu pages)",
					 pfn, nr, handle, pfn + i, other,
					 sh->rec[other].pfn, sh->rec[other].nr);
			return 1;
		}
	}

	r = &sh->rec[handle];
	r->pfn = pfn;
	r->nr = nr;
	r->order = (uint8_t)order;
	r->live = true;
	r->compound = compound;
	r->contig = contig;
	r->poisoned = false;
	r->refs = 1;
	if (head->node < KB_MAX_NODES && head->zone < MAX_NR_ZONES) {
		r->node = (int8_t)head->node;
		r->zone = (int8_t)head->zone;
		sh->allocated[r->node][r->zone] += nr;
	} else {
		r->node = -1;
		r->zone = -1;
	}
	for (i = 0; i < nr; i++)
		sh->owner[pfn + i] = handle;
	kb_free_shadow_hold(&sh->free, pfn, nr, 1);
	sh->total_pages += nr;
	sh->nr_live++;
	if (handle > sh->hi_handle)
		sh->hi_handle = handle;
	return 0;
}

int kb_shadow_alloc(struct kb_shadow *sh, const struct kb_instance *kb,
		    unsigned long pfn, unsigned int order, gfp_t gfp,
		    unsigned int handle, struct kb_violation *v)
{
	unsigned long nr;

	if (check_handle(sh, kb, pfn, order, handle, v))
		return 1;
	if (order > kb->max_order || pfn >= kb->max_pfn || (1UL << order) > kb->max_pfn - pfn) {
		kb_violation_set(v, "alloc-range", -1, -1, pfn, (int)order, -1,
				 "block pfn %#lx order %u is not inside mem_map [0, %#lx) with order <= %u",
				 pfn, order, kb->max_pfn, kb->max_order);
		return 1;
	}
	nr = 1UL << order;
	if (!kb_pfn_range_valid(kb, pfn, pfn + nr)) {
		kb_violation_set(v, "section-page", -1, -1, pfn, (int)order, -1,
				 "the allocator handed out pfn %#lx order %u, which reaches a missing section: no struct page",
				 pfn, order);
		return 1;
	}
	if (pfn & (nr - 1)) {
		kb_violation_set(v, "alloc-alignment", kb->mem_map[pfn].node,
				 kb->mem_map[pfn].zone, pfn, (int)order, -1,
				 "block pfn %#lx is not aligned to order %u", pfn, order);
		return 1;
	}
	return record(sh, kb, pfn, nr, order, (gfp & __GFP_COMP) && order > 0, false, handle, v);
}

int kb_shadow_alloc_contig(struct kb_shadow *sh, const struct kb_instance *kb,
			   unsigned long pfn, unsigned long nr, gfp_t gfp,
			   unsigned int handle, struct kb_violation *v)
{
	unsigned int order = 0;

	while ((2UL << order) <= nr)
		order++;
	if ((gfp & __GFP_COMP) && !(nr & (nr - 1)))
		return kb_shadow_alloc(sh, kb, pfn, order, gfp, handle, v);
	if (check_handle(sh, kb, pfn, 0, handle, v))
		return 1;
	if (!nr || pfn >= kb->max_pfn || nr > kb->max_pfn - pfn) {
		kb_violation_set(v, "alloc-range", -1, -1, pfn, 0, -1,
				 "range pfn %#lx + %lu pages is not inside mem_map [0, %#lx)",
				 pfn, nr, kb->max_pfn);
		return 1;
	}
	if (!kb_pfn_range_valid(kb, pfn, pfn + nr)) {
		kb_violation_set(v, "section-page", -1, -1, pfn, 0, -1,
				 "the allocator handed out the range pfn %#lx + %lu pages across a missing section",
				 pfn, nr);
		return 1;
	}
	return record(sh, kb, pfn, nr, 0, false, true, handle, v);
}

void kb_shadow_set_refs(struct kb_shadow *sh, unsigned int handle, unsigned int refs)
{
	if (handle && handle < sh->rec_cap && sh->rec[handle].live)
		sh->rec[handle].refs = (uint8_t)(refs > 255 ? 255 : refs);
}

void kb_shadow_keep_first_page(struct kb_shadow *sh, unsigned int handle)
{
	struct kb_shadow_rec *r;
	unsigned long i;

	if (!handle || handle >= sh->rec_cap || !sh->rec[handle].live)
		return;
	r = &sh->rec[handle];
	for (i = 1; i < r->nr; i++)
		sh->owner[r->pfn + i] = 0;
	kb_free_shadow_hold(&sh->free, r->pfn + 1, r->nr - 1, -1);
	if (r->node >= 0 && r->zone >= 0)
		sh->allocated[r->node][r->zone] -= r->nr - 1;
	sh->total_pages -= r->nr - 1;
	r->nr = 1;
	r->order = 0;
}

void kb_shadow_forget(struct kb_shadow *sh, unsigned int handle)
{
	if (handle && handle < sh->rec_cap && sh->rec[handle].live)
		shadow_forget(sh, handle);
}

int kb_shadow_poison(struct kb_shadow *sh, const struct kb_instance *kb, unsigned long pfn,
		     unsigned int handle, struct kb_violation *v)
{
	if (kb_shadow_alloc(sh, kb, pfn, 0, 0, handle, v))
		return 1;
	sh->rec[handle].poisoned = true;
	return 0;
}

unsigned int kb_shadow_poisoned(const struct kb_shadow *sh, unsigned long pfn)
{
	unsigned int h = pfn < sh->max_pfn ? sh->owner[pfn] : 0;

	return h && sh->rec[h].poisoned ? h : 0;
}

void kb_shadow_split(struct kb_shadow *sh, unsigned int handle)
{
	struct kb_shadow_rec *r;

	if (!handle || handle >= sh->rec_cap || !sh->rec[handle].live)
		return;
	r = &sh->rec[handle];
	/* the sweep now wants a reference on every page, and no compound flags */
	r->contig = true;
	r->compound = false;
	r->order = 0;
}

int kb_shadow_move(struct kb_shadow *sh, const struct kb_instance *kb, unsigned int handle,
		   unsigned long new_pfn, struct kb_violation *v)
{
	struct kb_shadow_rec old;

	if (!handle || handle >= sh->rec_cap || !sh->rec[handle].live)
		return 0;
	old = sh->rec[handle];
	shadow_forget(sh, handle);
	if (kb_shadow_alloc(sh, kb, new_pfn, old.order,
			    old.compound ? __GFP_COMP : 0, handle, v))
		return 1;
	sh->rec[handle].refs = old.refs;
	return 0;
}

int kb_shadow_free(struct kb_shadow *sh, const struct kb_instance *kb,
		   unsigned long pfn, unsigned int order, struct kb_violation *v)
{
	const struct kb_shadow_rec *r;
	const struct page *page;
	unsigned int h;

	if (order > kb->max_order) {
		kb_violation_set(v, "api-order-range", -1, -1, pfn, (int)order, -1,
				 "free of pfn %#lx with order %u above MAX_PAGE_ORDER %u",
				 pfn, order, kb->max_order);
		return 1;
	}
	if (sh->max_pfn != kb->max_pfn) {
		kb_violation_set(v, "checker-setup", -1, -1, pfn, (int)order, -1,
				 "shadow built for %lu pfns, instance has %lu",
				 sh->max_pfn, kb->max_pfn);
		return 1;
	}
	if (pfn >= kb->max_pfn) {
		kb_violation_set(v, "api-free-reserved", -1, -1, pfn, (int)order, -1,
				 "free of pfn %#lx outside mem_map [0, %#lx)", pfn, kb->max_pfn);
		return 1;
	}
	if (!pfn_valid(kb, pfn)) {
		kb_violation_set(v, "api-free-reserved", -1, -1, pfn, (int)order, -1,
				 "free of pfn %#lx in missing section %lu: it has no struct page",
				 pfn, pfn_to_section_nr(pfn));
		return 1;
	}
	page = &kb->mem_map[pfn];
	h = sh->owner[pfn];
	if (!h && PageReserved(page)) {
		kb_violation_set(v, "api-free-reserved", page->node, page->zone, pfn,
				 (int)order, -1,
				 "free of pfn %#lx order %u, a PG_reserved page (hole or reserved range)",
				 pfn, order);
		return 1;
	}
	if (!h) {
		kb_violation_set(v, "api-double-free", page->node, page->zone, pfn,
				 (int)order, -1,
				 "free of pfn %#lx order %u, which starts no live allocation",
				 pfn, order);
		return 1;
	}
	r = &sh->rec[h];
	if (r->poisoned) {
		kb_violation_set(v, "api-double-free", page->node, page->zone, pfn,
				 (int)order, -1,
				 "free of pfn %#lx order %u, a page soft offline poisoned: no handle holds it",
				 pfn, order);
		return 1;
	}
	if (r->pfn != pfn) {
		kb_violation_set(v, "api-free-tail", page->node, page->zone, pfn,
				 (int)order, -1,
				 "free of pfn %#lx, page %lu of a%u (pfn %#lx order %u)",
				 pfn, pfn - r->pfn, h, r->pfn, r->order);
		return 1;
	}
	if (r->contig) {
		kb_violation_set(v, "api-wrong-order", page->node, page->zone, pfn,
				 (int)order, -1,
				 "free of a%u at pfn %#lx with order %u: a contiguous range of %lu order-0 pages",
				 h, pfn, order, r->nr);
		return 1;
	}
	if (r->order != order) {
		kb_violation_set(v, "api-wrong-order", page->node, page->zone, pfn,
				 (int)order, -1,
				 "free of a%u at pfn %#lx with order %u, allocated with order %u",
				 h, pfn, order, r->order);
		return 1;
	}
	shadow_forget(sh, h);
	return 0;
}

unsigned long kb_shadow_allocated_pages(const struct kb_shadow *sh, int node, int zone)
{
	if (node < 0 || node >= KB_MAX_NODES || zone < 0 || zone >= MAX_NR_ZONES)
		return 0;
	return sh->allocated[node][zone];
}

unsigned long kb_shadow_total_pages(const struct kb_shadow *sh)
{
	return sh->total_pages;
}

unsigned int kb_shadow_owner(const struct kb_shadow *sh, unsigned long pfn)
{
	return pfn < sh->max_pfn ? sh->owner[pfn] : 0;
}

int kb_shadow_lookup(const struct kb_shadow *sh, unsigned int handle,
		     unsigned long *pfn, unsigned int *order)
{
	if (handle == 0 || handle >= sh->rec_cap || !sh->rec[handle].live)
		return 0;
	*pfn = sh->rec[handle].pfn;
	*order = sh->rec[handle].order;
	return 1;
}
