/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariant checker: a registry of named invariants, a shadow model of
 * the allocations the caller holds, and a full sweep that verifies every
 * strict invariant of docs/state-model.md over a whole instance.
 *
 * Level 1 invariants are the checks the kernel itself makes under DEBUG_VM;
 * the allocator core reports them through kb->report. Level 2 invariants are
 * kbuddy's own strict checks, made by the shadow and by kb_check_full().
 * docs/invariants.md lists them all.
 */
#ifndef KB_CHECK_H
#define KB_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "kbuddy.h"

/* Registry levels */
#define KB_LEVEL_KERNEL	1	/* the kernel's own DEBUG_VM checks */
#define KB_LEVEL_STRICT	2	/* kbuddy's strict checks */

struct kb_invariant {
	const char *name;	/* stable, lower-case, dash-separated */
	int level;		/* KB_LEVEL_KERNEL or KB_LEVEL_STRICT */
	const char *meaning;	/* one line: the state it rejects */
	const char *kernel_bug;	/* related historical kernel bug, or "" */
};

const struct kb_invariant *kb_invariant_find(const char *name);
const struct kb_invariant *kb_invariant_at(unsigned int i);	/* NULL past the end */
unsigned int kb_invariant_count(void);

struct kb_violation {
	const char *invariant;	/* stable name from the registry */
	const char *meaning;	/* the registry's one-line meaning */
	int node, zone;		/* -1 when not meaningful */
	unsigned long pfn;
	int order;		/* -1 when not meaningful */
	int migratetype;	/* -1 when not meaningful */
	long op_index;		/* filled in by the runner; -1 = at boot / end */
	char detail[256];	/* one readable sentence with the numbers */
};

/* Fills *v; meaning comes from the registry, op_index is set to -1. */
void kb_violation_set(struct kb_violation *v, const char *invariant, int node,
		      int zone, unsigned long pfn, int order, int mt,
		      const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* Turns a report of the core's own checks (kb->report) into a violation. */
void kb_violation_from_report(struct kb_violation *v, const struct kb_report *r);

/*
 * One line for people: "nr-free: node 0 zone Normal pfn 0x1200 order 3
 * type Movable at op 17: <detail>". Returns the length it needed.
 */
int kb_violation_format(const struct kb_violation *v, char *buf, size_t len);

/*
 * The shadow: which pfns the caller holds, by handle. Handles come from the
 * runner (the k-th alloc of a sequence is handle k, 1-based); 0 means "not
 * allocated". Arrays grow as handles grow, up to KB_SHADOW_MAX_HANDLE.
 */
#define KB_SHADOW_MAX_HANDLE	(1u << 24)

struct kb_shadow;

/* NULL when memory runs out. The shadow fits instances of kb->max_pfn pfns. */
struct kb_shadow *kb_shadow_create(const struct kb_instance *kb);
void kb_shadow_destroy(struct kb_shadow *sh);
/* Forgets every live allocation (cost: the pages they cover). */
void kb_shadow_reset(struct kb_shadow *sh);

/*
 * An allocation the allocator returned. Checks it ("alloc-range": outside
 * mem_map or order too large, "alloc-alignment", "alloc-overlap" with a live
 * allocation, "api-bad-handle": handle 0, too large or still live) and
 * records it. Overlap with a free or pcp page is found by the sweep.
 * Returns 0, or 1 with *v filled and nothing recorded.
 */
int kb_shadow_alloc(struct kb_shadow *sh, const struct kb_instance *kb,
		    unsigned long pfn, unsigned int order, gfp_t gfp,
		    unsigned int handle, struct kb_violation *v);

/*
 * A free the caller is about to make. API misuse is reported before the
 * allocator is called: "api-order-range" (order > MAX_PAGE_ORDER),
 * "api-free-reserved" (pfn is reserved, a hole, or outside mem_map),
 * "api-free-tail" (pfn is inside a live allocation but not its start),
 * "api-double-free" (pfn is not the start of any live allocation),
 * "api-wrong-order" (the live allocation at pfn has another order).
 * Returns 0 (and forgets the allocation) or 1 with *v filled.
 */
int kb_shadow_free(struct kb_shadow *sh, const struct kb_instance *kb,
		   unsigned long pfn, unsigned int order, struct kb_violation *v);

/*
 * A contiguous range from alloc_contig: with __GFP_COMP and nr a power of
 * two, one compound block; else nr order-0 pages, each with a reference.
 * Checks and records as kb_shadow_alloc does.
 */
int kb_shadow_alloc_contig(struct kb_shadow *sh, const struct kb_instance *kb,
			   unsigned long pfn, unsigned long nr, gfp_t gfp,
			   unsigned int handle, struct kb_violation *v);
/*
 * What the runner knows happened to a live allocation: its head's expected
 * refcount (1 + GET references), its tail pages given back while a GET
 * reference keeps the first page (a plain block freed by its owner), or
 * all of it given back (checked by the runner beforehand).
 */
void kb_shadow_set_refs(struct kb_shadow *sh, unsigned int handle, unsigned int refs);
void kb_shadow_keep_first_page(struct kb_shadow *sh, unsigned int handle);
void kb_shadow_forget(struct kb_shadow *sh, unsigned int handle);
/*
 * A page soft offline took out of use: held from now on under handle
 * (one the runner keeps apart from the sequence's), PG_hwpoison with one
 * reference, never to be handed out ("hwpoison-allocated" when an
 * allocation covers it). Checks and records as kb_shadow_alloc does.
 */
int kb_shadow_poison(struct kb_shadow *sh, const struct kb_instance *kb, unsigned long pfn,
		     unsigned int handle, struct kb_violation *v);
/* The handle holding pfn as a poisoned page, or 0. */
unsigned int kb_shadow_poisoned(const struct kb_shadow *sh, unsigned long pfn);
/* split_page on a live plain block: from now on order-0 pages with a reference each. */
void kb_shadow_split(struct kb_shadow *sh, unsigned int handle);
/* Moves a live allocation to a new block (migration); 0, or 1 with *v. */
int kb_shadow_move(struct kb_shadow *sh, const struct kb_instance *kb, unsigned int handle,
		   unsigned long new_pfn, struct kb_violation *v);

/* Pages live in (node, zone), by the zone of each allocation's head page. */
unsigned long kb_shadow_allocated_pages(const struct kb_shadow *sh, int node, int zone);
/* Pages live in total. */
unsigned long kb_shadow_total_pages(const struct kb_shadow *sh);
/* 0 when pfn is not allocated, else the handle that holds it. */
unsigned int kb_shadow_owner(const struct kb_shadow *sh, unsigned long pfn);
/* 1 with *pfn and *order when handle is live, else 0. */
int kb_shadow_lookup(const struct kb_shadow *sh, unsigned int handle,
		     unsigned long *pfn, unsigned int *order);

/*
 * Full sweep: every strict invariant over the whole instance. Returns 0, or
 * 1 with the first violation found in *v. The order of checks is fixed
 * (list integrity, then each free block and pcp page, merging, each live
 * allocation, each pfn, the counters, conservation), so the same state
 * always reports the same violation. sh may be NULL: no live allocations.
 * The sweep is O(pfns) and allocates nothing when sh is given.
 */
int kb_check_full(struct kb_instance *kb, const struct kb_shadow *sh,
		  struct kb_violation *v);
/*
 * The same sweep without its fast way (one pass over the pages, then the
 * phases only when that pass finds something): the phases one by one,
 * always. Tests hold kb_check_full to it.
 */
int kb_check_full_phases(struct kb_instance *kb, const struct kb_shadow *sh,
			 struct kb_violation *v);

/*
 * A compaction while it runs (kb->compaction_hooks.round): the scanners
 * inside their zone and not crossed ("compaction-scanners"), the isolated
 * free and migration blocks of the zone and counted right
 * ("compaction-isolated"). Returns 0, or 1 with *v filled.
 */
/*
 * A kswapd pass right after it ran (kb->kswapd_pass): no boost left in a
 * zone that was boosted when it started ("kswapd-boost"), and an eligible
 * zone at its high watermark when it went back to sleep ("kswapd-balanced").
 * Returns 0, or 1 with *v filled.
 */
int kb_check_kswapd(const struct kb_instance *kb, struct kb_violation *v);

int kb_check_compaction_round(const struct kb_instance *kb, const struct compact_control *cc,
			      struct kb_violation *v);
/*
 * A page compaction captured for cc's request (kb->compaction_hooks.captured):
 * off the free lists with the zone's free counts right ("compaction-capture").
 */
int kb_check_compaction_capture(const struct kb_instance *kb, const struct compact_control *cc,
				const struct page *page, struct kb_violation *v);

#endif /* KB_CHECK_H */
