/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instance the checker tests corrupt: a booted layout with a mix of
 * live allocations recorded in a shadow (plain and compound, unmovable and
 * movable, orders 0..3, on two CPUs) and some frees, so free lists, pcp
 * lists and allocations are all populated. Plus finders for a free block
 * or a pcp page with a wanted shape.
 */
#ifndef TEST_CHECKER_FIXTURE_H
#define TEST_CHECKER_FIXTURE_H

#include "check.h"
#include "internal.h"
#include "kbtest.h"
#include "../machine/layout_io.h"

#define FX_MAX_HANDLES	1024

struct fx {
	struct kb_instance *kb;
	struct kb_shadow *sh;
	unsigned int nr_handles;
	unsigned long pfn[FX_MAX_HANDLES];
	unsigned int order[FX_MAX_HANDLES];
	gfp_t gfp[FX_MAX_HANDLES];
	bool live[FX_MAX_HANDLES];
	unsigned int nr_reports;
	char first_report[200];
};

static inline void fx_report(void *ctx, const struct kb_report *r)
{
	struct fx *f = ctx;

	if (!f->nr_reports++)
		snprintf(f->first_report, sizeof(f->first_report), "%s: %s",
			 r->invariant, r->message);
}

/* Allocates and records; returns the handle, or 0 when it failed. */
static inline unsigned int fx_alloc(struct fx *f, gfp_t gfp, unsigned int order, int cpu)
{
	struct kb_violation v;
	struct page *page;
	unsigned int h;
	int err = 0;

	if (f->nr_handles + 1 >= FX_MAX_HANDLES)
		return 0;
	kb_set_cpu(f->kb, cpu);
	page = kb_alloc_pages(f->kb, gfp, order, -1, &err);
	h = ++f->nr_handles;
	if (!page)
		return 0;
	f->pfn[h] = kb_page_to_pfn(f->kb, page);
	f->order[h] = order;
	f->gfp[h] = gfp;
	f->live[h] = true;
	if (kb_shadow_alloc(f->sh, f->kb, f->pfn[h], order, gfp, h, &v)) {
		KBTEST_FAIL("shadow rejected a%u: %s: %s", h, v.invariant, v.detail);
		f->live[h] = false;
		return 0;
	}
	return h;
}

static inline void fx_free(struct fx *f, unsigned int h, int cpu)
{
	struct kb_violation v;

	if (!f->live[h])
		return;
	if (kb_shadow_free(f->sh, f->kb, f->pfn[h], f->order[h], &v)) {
		KBTEST_FAIL("shadow rejected the free of a%u: %s: %s", h, v.invariant, v.detail);
		return;
	}
	kb_set_cpu(f->kb, cpu);
	kb_free_pages(f->kb, kb_pfn_to_page(f->kb, f->pfn[h]), f->order[h]);
	f->live[h] = false;
}

static inline int fx_create(struct fx *f, const struct kb_layout *layout)
{
	char err[200];

	memset(f, 0, sizeof(*f));
	f->kb = kb_create(layout, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	if (!f->kb) {
		KBTEST_FAIL("kb_create: %s", err);
		return -1;
	}
	kb_set_report(f->kb, fx_report, f);
	f->sh = kb_shadow_create(f->kb);
	if (!f->sh) {
		KBTEST_FAIL("kb_shadow_create failed");
		kb_destroy(f->kb);
		return -1;
	}
	return 0;
}

/* The default layout with the standard mix of allocations and frees. */
static inline int fx_setup(struct fx *f)
{
	static const struct { gfp_t gfp; unsigned int order; int cpu; } mix[] = {
		{ GFP_KERNEL, 0, 0 }, { GFP_KERNEL, 0, 0 }, { GFP_KERNEL, 0, 1 },
		{ GFP_KERNEL, 1, 0 }, { GFP_KERNEL, 2, 0 }, { GFP_KERNEL, 3, 1 },
		{ GFP_KERNEL | __GFP_COMP, 2, 0 }, { GFP_KERNEL | __GFP_COMP, 3, 0 },
		{ GFP_HIGHUSER_MOVABLE, 0, 0 }, { GFP_HIGHUSER_MOVABLE, 0, 1 },
		{ GFP_HIGHUSER_MOVABLE, 3, 0 }, { GFP_HIGHUSER_MOVABLE | __GFP_COMP, 1, 1 },
		{ GFP_HIGHUSER_MOVABLE | __GFP_COMP, 3, 0 }, { GFP_KERNEL, 0, 1 },
		{ GFP_KERNEL | __GFP_COMP, 1, 1 }, { GFP_HIGHUSER_MOVABLE, 2, 1 },
	};
	struct kb_layout layout;

	kb_layout_default(&layout);
	if (fx_create(f, &layout))
		return -1;
	for (unsigned int i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		if (!fx_alloc(f, mix[i].gfp, mix[i].order, mix[i].cpu)) {
			KBTEST_FAIL("allocation %u failed", i);
			return -1;
		}
	/* some pages go back: onto the pcp lists of both CPUs */
	fx_free(f, 2, 0);
	fx_free(f, 9, 1);
	fx_free(f, 5, 0);
	if (f->nr_reports) {
		KBTEST_FAIL("the allocator reported: %s", f->first_report);
		return -1;
	}
	return 0;
}

static inline void fx_teardown(struct fx *f)
{
	kb_shadow_destroy(f->sh);
	kb_destroy(f->kb);
}

/* A free block as the finders return it. */
/* A free list of the fixture with at least two entries, in the highest zone that has one. */
static inline struct list_head *fx_long_free_list(struct fx *f)
{
	for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--) {
		struct zone *zone = &f->kb->node_data[0].node_zones[zid];

		for (unsigned int o = 0; o <= f->kb->max_order; o++)
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				struct list_head *h = &zone->free_area[o].free_list[mt];

				if (!list_empty(h) && h->next->next != h)
					return h;
			}
	}
	return NULL;
}

struct fblock {
	int nid, zid;
	struct zone *zone;
	struct page *page;
	unsigned long pfn;
	unsigned int order;
	int mt;
};

/*
 * The first free block with min_o <= order <= max_o, scanning zones from
 * the highest; odd: require bit `order` of the pfn set (the upper buddy).
 */
static inline bool fx_free_block(struct fx *f, unsigned int min_o, unsigned int max_o,
				 bool odd, struct fblock *out)
{
	struct kb_instance *kb = f->kb;

	for (int nid = 0; nid < kb->nr_node_ids; nid++) {
		for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--) {
			struct zone *zone = &kb->node_data[nid].node_zones[zid];

			if (!zone->spanned_pages)
				continue;
			for (unsigned int o = min_o; o <= max_o && o <= kb->max_order; o++) {
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					struct list_head *pos;

					list_for_each(pos, &zone->free_area[o].free_list[mt]) {
						struct page *page = list_entry(pos, struct page, lru);
						unsigned long pfn = kb_page_to_pfn(kb, page);

						if (odd && !((pfn >> o) & 1))
							continue;
						*out = (struct fblock){ nid, zid, zone, page, pfn, o, mt };
						return true;
					}
				}
			}
		}
	}
	return false;
}

/* A page on a pcp list as the finder returns it. */
struct pcpage {
	int nid, zid, cpu;
	struct zone *zone;
	struct per_cpu_pages *pcp;
	struct page *page;
	unsigned long pfn;
	unsigned int pindex;
};

/* The first pcp page of an order-0 list; odd: with an odd pfn. */
static inline bool fx_pcp_page(struct fx *f, bool odd, struct pcpage *out)
{
	struct kb_instance *kb = f->kb;

	for (int nid = 0; nid < kb->nr_node_ids; nid++) {
		for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--) {
			struct zone *zone = &kb->node_data[nid].node_zones[zid];

			if (!zone->spanned_pages)
				continue;
			for (int cpu = 0; cpu < kb->nr_cpu_ids; cpu++) {
				struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

				for (unsigned int pi = 0; pi < MIGRATE_PCPTYPES; pi++) {
					struct list_head *pos;

					list_for_each(pos, &pcp->lists[pi]) {
						struct page *page = list_entry(pos, struct page, lru);
						unsigned long pfn = kb_page_to_pfn(kb, page);

						if (odd && !(pfn & 1))
							continue;
						*out = (struct pcpage){ nid, zid, cpu, zone, pcp, page,
									pfn, pi };
						return true;
					}
				}
			}
		}
	}
	return false;
}

/* The first live allocation of the fixture matching order and compoundness. */
static inline unsigned int fx_live(struct fx *f, unsigned int order, bool compound)
{
	for (unsigned int h = 1; h <= f->nr_handles; h++)
		if (f->live[h] && f->order[h] == order &&
		    !!(f->gfp[h] & __GFP_COMP) == compound)
			return h;
	return 0;
}

/* Runs the sweep and says whether it reported `name`. */
#define EXPECT_VIOLATION(f, name)						\
	do {									\
		struct kb_violation _v;						\
		int _r = kb_check_full((f)->kb, (f)->sh, &_v);			\
		if (!_r)							\
			KBTEST_FAIL("expected \"%s\", the sweep found nothing", name); \
		else if (strcmp(_v.invariant, name))				\
			KBTEST_FAIL("expected \"%s\", got \"%s\": %s", name,	\
				    _v.invariant, _v.detail);			\
	} while (0)

#define EXPECT_HEALTHY(f)							\
	do {									\
		struct kb_violation _v;						\
		if (kb_check_full((f)->kb, (f)->sh, &_v))			\
			KBTEST_FAIL("healthy state reported \"%s\": %s",		\
				    _v.invariant, _v.detail);			\
	} while (0)

#endif /* TEST_CHECKER_FIXTURE_H */
