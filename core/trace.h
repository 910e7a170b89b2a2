/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page allocator's tracepoints (include/trace/events/kmem.h): the
 * events a kernel's ftrace shows as mm_page_alloc, mm_page_free,
 * mm_page_pcpu_drain, mm_page_alloc_zone_locked and mm_page_alloc_extfrag,
 * raised at the points of the allocator where the kernel raises them and
 * given to the instance's tracepoint function (kb_set_tracepoint), or to
 * nobody. mm_page_free_batched is never raised: kbuddy has no
 * free_unref_folios batch.
 */
#ifndef KB_TRACE_H
#define KB_TRACE_H

#include "gfp.h"

enum kb_tracepoint {
	KB_TP_MM_PAGE_ALLOC,
	KB_TP_MM_PAGE_FREE,
	KB_TP_MM_PAGE_FREE_BATCHED,
	KB_TP_MM_PAGE_PCPU_DRAIN,
	KB_TP_MM_PAGE_ALLOC_ZONE_LOCKED,
	KB_TP_MM_PAGE_ALLOC_EXTFRAG,
	KB_NR_TRACEPOINTS
};

/* The fields of the kernel's format files, by event. */
struct kb_trace_event {
	enum kb_tracepoint event;
	int cpu;
	unsigned long pfn;		/* -1UL: a failed mm_page_alloc */
	unsigned int order;		/* extfrag: alloc_order */
	int migratetype;		/* extfrag: alloc_migratetype */
	gfp_t gfp;			/* mm_page_alloc */
	int percpu_refill;		/* zone_locked */
	unsigned int fallback_order;	/* extfrag */
	int fallback_migratetype;	/* extfrag */
	int change_ownership;		/* extfrag */
};

typedef void (*kb_tracepoint_fn)(void *ctx, const struct kb_trace_event *ev);

#endif /* KB_TRACE_H */
