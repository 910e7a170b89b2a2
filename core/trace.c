// SPDX-License-Identifier: GPL-2.0
/*
 * The kmem tracepoints (core/trace.h): each builds the event the kernel's
 * TRACE_EVENT would record and hands it to the instance's tracepoint
 * function. With none set they cost one test.
 */
#include "internal.h"

void kb_set_tracepoint(struct kb_instance *kb, kb_tracepoint_fn fn, void *ctx)
{
	kb->tracepoint = fn;
	kb->tracepoint_ctx = ctx;
}

static void emit(struct kb_instance *kb, struct kb_trace_event *ev)
{
	ev->cpu = kb->cpu;
	kb->tracepoint(kb->tracepoint_ctx, ev);
}

void trace_mm_page_alloc(struct kb_instance *kb, struct page *page, unsigned int order,
			 gfp_t gfp, int migratetype)
{
	struct kb_trace_event ev = { .event = KB_TP_MM_PAGE_ALLOC, .order = order,
				     .gfp = gfp, .migratetype = migratetype };

	if (!kb->tracepoint)
		return;
	ev.pfn = page ? page_to_pfn(kb, page) : -1UL;
	emit(kb, &ev);
}

void trace_mm_page_free(struct kb_instance *kb, struct page *page, unsigned int order)
{
	struct kb_trace_event ev = { .event = KB_TP_MM_PAGE_FREE, .order = order };

	if (!kb->tracepoint)
		return;
	ev.pfn = page_to_pfn(kb, page);
	emit(kb, &ev);
}

void trace_mm_page_pcpu_drain(struct kb_instance *kb, struct page *page, unsigned int order,
			      int migratetype)
{
	struct kb_trace_event ev = { .event = KB_TP_MM_PAGE_PCPU_DRAIN, .order = order,
				     .migratetype = migratetype };

	if (!kb->tracepoint)
		return;
	ev.pfn = page_to_pfn(kb, page);
	emit(kb, &ev);
}

void trace_mm_page_alloc_zone_locked(struct kb_instance *kb, struct page *page,
				     unsigned int order, int migratetype, int percpu_refill)
{
	struct kb_trace_event ev = { .event = KB_TP_MM_PAGE_ALLOC_ZONE_LOCKED, .order = order,
				     .migratetype = migratetype, .percpu_refill = percpu_refill };

	if (!kb->tracepoint)
		return;
	ev.pfn = page_to_pfn(kb, page);
	emit(kb, &ev);
}

void trace_mm_page_alloc_extfrag(struct kb_instance *kb, struct page *page,
				 unsigned int alloc_order, unsigned int fallback_order,
				 int alloc_migratetype, int fallback_migratetype)
{
	struct kb_trace_event ev = { .event = KB_TP_MM_PAGE_ALLOC_EXTFRAG, .order = alloc_order,
				     .migratetype = alloc_migratetype,
				     .fallback_order = fallback_order,
				     .fallback_migratetype = fallback_migratetype };

	if (!kb->tracepoint)
		return;
	ev.pfn = page_to_pfn(kb, page);
	/* the block is the requester's now: its type changed hands */
	ev.change_ownership = get_pfnblock_migratetype(kb, ev.pfn) == alloc_migratetype;
	emit(kb, &ev);
}

/*
 * One event as the kernel's trace file shows it (TP_printk of
 * include/trace/events/kmem.h), after the "TASK-PID [CPU] FLAGS STAMP: "
 * columns the caller writes.
 */
int kb_trace_event_format(const struct kb_instance *kb, const struct kb_trace_event *ev,
			  char *buf, size_t len)
{
	char gfp[256];
	unsigned long pfn = ev->pfn == -1UL ? 0 : ev->pfn;

	switch (ev->event) {
	case KB_TP_MM_PAGE_ALLOC:
		if (ev->gfp)
			kb_gfp_format(ev->gfp, gfp, sizeof(gfp));
		return snprintf(buf, len,
				"mm_page_alloc: page=%s pfn=0x%lx order=%u migratetype=%d gfp_flags=%s",
				ev->pfn == -1UL ? "0000000000000000" : "(____ptrval____)", pfn,
				ev->order, ev->migratetype, ev->gfp ? gfp : "none");
	case KB_TP_MM_PAGE_FREE:
		return snprintf(buf, len, "mm_page_free: page=(____ptrval____) pfn=0x%lx order=%u",
				pfn, ev->order);
	case KB_TP_MM_PAGE_FREE_BATCHED:
		return snprintf(buf, len, "mm_page_free_batched: page=(____ptrval____) pfn=0x%lx order=0",
				pfn);
	case KB_TP_MM_PAGE_PCPU_DRAIN:
		return snprintf(buf, len,
				"mm_page_pcpu_drain: page=(____ptrval____) pfn=0x%lx order=%u migratetype=%d",
				pfn, ev->order, ev->migratetype);
	case KB_TP_MM_PAGE_ALLOC_ZONE_LOCKED:
		return snprintf(buf, len,
				"mm_page_alloc_zone_locked: page=(____ptrval____) pfn=0x%lx order=%u migratetype=%d percpu_refill=%d",
				pfn, ev->order, ev->migratetype, ev->percpu_refill);
	case KB_TP_MM_PAGE_ALLOC_EXTFRAG:
		return snprintf(buf, len,
				"mm_page_alloc_extfrag: page=(____ptrval____) pfn=0x%lx alloc_order=%u fallback_order=%u pageblock_order=%u alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
				pfn, ev->order, ev->fallback_order, kb->pageblock_order,
				ev->migratetype, ev->fallback_migratetype,
				ev->fallback_order < kb->pageblock_order, ev->change_ownership);
	default:
		return snprintf(buf, len, "?");
	}
}
