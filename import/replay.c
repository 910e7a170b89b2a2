// SPDX-License-Identifier: GPL-2.0
/*
 * kb_trace_replay (import/replay.h). The kernel's pages and kbuddy's are
 * different pages: a table maps every page of a live traced allocation
 * (by the kernel's pfn) to the allocation kbuddy made for it. A free of a
 * page the table does not know was allocated before the trace started; a
 * free of part of an allocation (split_page, alloc_pages_exact) frees
 * kbuddy's block once every page of it is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "replay.h"

struct held {
	unsigned long kpfn;		/* the kernel's pfn */
	unsigned long left;		/* its pages not yet freed */
	struct page *page;		/* kbuddy's block, or NULL */
	unsigned int order;
};

struct replay {
	struct kb_instance *kb;
	struct kb_shadow *sh;
	struct kb_replay_stats *st;
	uint32_t *owner;		/* kernel pfn -> held index + 1 */
	unsigned long max_pfn;
	struct held *held;
	size_t nr_held, alloc_held;
	bool reported;
	struct kb_violation v;
};

static void on_report(void *ctx, const struct kb_report *r)
{
	struct replay *rp = ctx;

	if (rp->reported)
		return;
	rp->reported = true;
	kb_violation_from_report(&rp->v, r);
}

static void on_tracepoint(void *ctx, const struct kb_trace_event *ev)
{
	struct kb_replay_side *s = &((struct replay *)ctx)->st->kbuddy;

	switch (ev->event) {
	case KB_TP_MM_PAGE_PCPU_DRAIN:
		s->drain_pages += 1UL << ev->order;
		break;
	case KB_TP_MM_PAGE_ALLOC_ZONE_LOCKED:
		s->zone_locked++;
		s->refills += ev->percpu_refill != 0;
		break;
	case KB_TP_MM_PAGE_ALLOC_EXTFRAG:
		s->extfrag++;
		s->extfrag_claims += ev->change_ownership != 0;
		break;
	default:
		break;
	}
}

static int zone_of(const struct kb_layout *l, unsigned long pfn)
{
	unsigned int n, z;

	for (n = 0; n < l->nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (pfn >= l->node[n].zone[z].start && pfn < l->node[n].zone[z].end)
				return (int)z;
	return -1;
}

static void set_cpu(struct replay *rp, unsigned int cpu)
{
	unsigned int nr = (unsigned int)rp->kb->nr_cpu_ids;

	if (cpu >= nr)
		rp->st->cpus_folded++;
	kb_set_cpu(rp->kb, (int)(cpu % nr));
}

/* Frees kbuddy's block of a held allocation whose pages the kernel all freed. */
static int release(struct replay *rp, size_t i)
{
	struct held *h = &rp->held[i];
	unsigned long pfn;

	if (!h->page)
		return 0;
	pfn = kb_page_to_pfn(rp->kb, h->page);
	if (kb_shadow_free(rp->sh, rp->kb, pfn, h->order, &rp->v))
		return -1;
	kb_free_pages(rp->kb, h->page, h->order);
	h->page = NULL;
	return rp->reported ? -1 : 0;
}

/* Forgets kernel pages [pfn, pfn + nr) of their allocations; frees what empties. */
static int forget(struct replay *rp, unsigned long pfn, unsigned long nr, bool traced_free)
{
	unsigned long p;

	for (p = pfn; p < pfn + nr && p < rp->max_pfn; p++) {
		uint32_t o = rp->owner[p];
		struct held *h;

		if (!o)
			continue;
		h = &rp->held[o - 1];
		rp->owner[p] = 0;
		if (--h->left == 0 && release(rp, o - 1))
			return -1;
		(void)traced_free;
	}
	return 0;
}

static int do_alloc(struct replay *rp, const struct kb_layout *l, const struct kb_tr_record *r)
{
	struct kb_replay_stats *st = rp->st;
	unsigned long nr = 1UL << r->order, p;
	struct held *h;
	struct page *page;
	int kz = zone_of(l, r->pfn), err;

	if (r->order < KB_REPLAY_ORDERS)
		st->kernel.order[r->order]++;
	set_cpu(rp, r->cpu);
	if (!r->pfn) {
		/* the kernel's allocation failed: kbuddy's, if it succeeds, is given back */
		st->kernel.failed++;
		page = kb_alloc_pages(rp->kb, r->gfp, r->order, -1, &err);
		if (page) {
			st->kernel_failed_kbuddy_ok++;
			kb_free_pages(rp->kb, page, r->order);
		}
		return rp->reported ? -1 : 0;
	}
	st->kernel.allocs++;
	st->kernel.zone[kz]++;
	/* pages the kernel hands out again were freed where the trace did not see it */
	for (p = r->pfn; p < r->pfn + nr; p++)
		if (rp->owner[p]) {
			st->realloc_untraced++;
			if (forget(rp, r->pfn, nr, false))
				return -1;
			break;
		}
	if (rp->nr_held == rp->alloc_held) {
		size_t n = rp->alloc_held ? rp->alloc_held * 2 : 4096;
		struct held *nh = realloc(rp->held, n * sizeof(*nh));

		if (!nh)
			return -2;
		rp->held = nh;
		rp->alloc_held = n;
	}
	h = &rp->held[rp->nr_held++];
	h->kpfn = r->pfn;
	h->left = nr;
	h->order = r->order;
	h->page = kb_alloc_pages(rp->kb, r->gfp, r->order, -1, &err);
	for (p = r->pfn; p < r->pfn + nr; p++)
		rp->owner[p] = (uint32_t)rp->nr_held;
	if (rp->reported)
		return -1;
	if (!h->page) {
		st->kbuddy.failed++;
		return 0;
	}
	st->kbuddy.allocs++;
	st->replayed++;
	if (r->order < KB_REPLAY_ORDERS)
		st->kbuddy.order[r->order]++;
	{
		unsigned long pfn = kb_page_to_pfn(rp->kb, h->page);
		int z = zone_of(l, pfn);

		if (z >= 0)
			st->kbuddy.zone[z]++;
		st->same_zone += z == kz;
		st->requested_block += kb_pageblock_migratetype(rp->kb, pfn) == r->migratetype;
		if (kb_shadow_alloc(rp->sh, rp->kb, pfn, r->order, r->gfp, (unsigned int)rp->nr_held,
				    &rp->v))
			return -1;
	}
	return 0;
}

static int do_free(struct replay *rp, const struct kb_tr_record *r)
{
	struct kb_replay_stats *st = rp->st;
	unsigned long nr = 1UL << r->order;
	uint32_t o = r->pfn < rp->max_pfn ? rp->owner[r->pfn] : 0;
	const struct held *h;

	set_cpu(rp, r->cpu);
	if (!o) {
		st->frees_untraced++;
		return 0;
	}
	h = &rp->held[o - 1];
	if (h->kpfn == r->pfn && h->order == r->order)
		st->frees++;
	else
		st->frees_split++;
	return forget(rp, r->pfn, nr, true);
}

static void violation_text(struct replay *rp, unsigned int line)
{
	rp->st->violated = true;
	rp->st->violation_line = line;
	kb_violation_format(&rp->v, rp->st->violation, sizeof(rp->st->violation));
}

int kb_trace_replay(const struct kb_layout *l, const struct kb_trace *t, int level,
		    struct kb_replay_stats *st, struct kb_instance **keep, char *err, size_t errlen)
{
	struct kb_options opt = { .check_level = level };
	struct replay rp = { .st = st };
	unsigned long every = level >= 3 ? 256 : 4096;
	size_t i;
	int ret = -1;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < t->nr; i++) {
		const struct kb_tr_record *r = &t->rec[i];

		if ((r->event == KB_TR_ALLOC && r->pfn) || r->event == KB_TR_FREE) {
			int z = zone_of(l, r->pfn);

			if (z < 0 || zone_of(l, r->pfn + (1UL << r->order) - 1) != z) {
				snprintf(err, errlen, "line %u: %s of pfn %#lx order %u lies outside the layout's zones: a trace of another machine?",
					 r->line, kb_tr_event_name(r->event), r->pfn, r->order);
				return -1;
			}
		}
	}
	rp.kb = kb_create(l, &opt, err, errlen);
	if (!rp.kb)
		return -1;
	rp.max_pfn = rp.kb->max_pfn;
	rp.owner = calloc(rp.max_pfn, sizeof(*rp.owner));
	rp.sh = kb_shadow_create(rp.kb);
	if (!rp.owner || !rp.sh) {
		snprintf(err, errlen, "out of memory for %lu pfns", rp.max_pfn);
		goto out;
	}
	kb_set_report(rp.kb, level >= 1 ? on_report : NULL, &rp);
	kb_set_tracepoint(rp.kb, on_tracepoint, &rp);
	for (i = 0; i < t->nr && !st->violated; i++) {
		const struct kb_tr_record *r = &t->rec[i];
		int res = 0;

		switch (r->event) {
		case KB_TR_ALLOC:
			res = do_alloc(&rp, l, r);
			break;
		case KB_TR_FREE:
			res = do_free(&rp, r);
			break;
		case KB_TR_PCPU_DRAIN:
			st->kernel.drain_pages += 1UL << r->order;
			break;
		case KB_TR_ZONE_LOCKED:
			st->kernel.zone_locked++;
			st->kernel.refills += r->flag;
			break;
		case KB_TR_EXTFRAG:
			st->kernel.extfrag++;
			st->kernel.extfrag_claims += r->flag;
			break;
		default:
			break;
		}
		if (res == -2) {
			snprintf(err, errlen, "out of memory at line %u", r->line);
			goto out;
		}
		if (!res && level >= 2 && (i + 1) % every == 0 && kb_check_full(rp.kb, rp.sh, &rp.v))
			res = -1;
		if (res)
			violation_text(&rp, r->line);
	}
	if (!st->violated && level >= 2 && kb_check_full(rp.kb, rp.sh, &rp.v))
		violation_text(&rp, t->nr ? t->rec[t->nr - 1].line : 0);
	for (i = 0; i < rp.nr_held; i++)
		st->live_at_end += rp.held[i].page != NULL;
	ret = 0;
out:
	kb_set_tracepoint(rp.kb, NULL, NULL);
	kb_set_report(rp.kb, NULL, NULL);
	if (keep && !ret) {
		*keep = rp.kb;
		rp.kb = NULL;
	}
	if (rp.kb)
		kb_destroy(rp.kb);
	kb_shadow_destroy(rp.sh);
	free(rp.owner);
	free(rp.held);
	return ret;
}
