/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real kernel's trace replayed on kbuddy: each traced allocation is
 * requested again (its gfp, order and CPU) and each traced free frees
 * what kbuddy handed out for that kernel page, under the checker. The
 * statistics set kbuddy's choices (zone, pageblock type, fallbacks, pcp
 * drains, buddy refills) beside the kernel's.
 */
#ifndef KB_IMPORT_REPLAY_H
#define KB_IMPORT_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include "kbuddy.h"
#include "trace.h"

#define KB_REPLAY_ORDERS	16

struct kb_replay_side {
	unsigned long allocs, failed;
	unsigned long zone[MAX_NR_ZONES];
	unsigned long order[KB_REPLAY_ORDERS];
	unsigned long drain_pages;	/* mm_page_pcpu_drain */
	unsigned long zone_locked;	/* mm_page_alloc_zone_locked */
	unsigned long refills;		/* ... with percpu_refill */
	unsigned long extfrag;		/* mm_page_alloc_extfrag */
	unsigned long extfrag_claims;	/* ... with change_ownership */
};

struct kb_replay_stats {
	struct kb_replay_side kernel, kbuddy;
	unsigned long replayed;		/* allocations both sides ran */
	unsigned long same_zone;	/* kbuddy's page in the kernel's zone */
	unsigned long requested_block;	/* kbuddy's page from a block of the requested type */
	unsigned long frees;		/* traced frees of traced allocations */
	unsigned long frees_untraced;	/* of pages allocated before the trace started */
	unsigned long frees_split;	/* part of a traced allocation (split pages) */
	unsigned long realloc_untraced;	/* allocated again without a traced free */
	unsigned long kernel_failed_kbuddy_ok;
	unsigned long cpus_folded;	/* events on CPUs the layout does not have */
	unsigned long live_at_end;	/* traced allocations still held */
	bool violated;
	unsigned int violation_line;	/* trace line of the event after which it was found */
	char violation[512];
};

/*
 * Replays t on layout l at check level (0..3). Returns 0 with stats, or
 * -1 with the reason in err (the layout does not boot, or the trace names
 * pages outside the layout's zones: a trace of another machine). A
 * violation is reported in stats (and is a finding: a real kernel's trace
 * is the kernel's own behaviour). With keep, the instance is left for the
 * caller (kb_destroy).
 */
int kb_trace_replay(const struct kb_layout *l, const struct kb_trace *t, int level,
		    struct kb_replay_stats *st, struct kb_instance **keep, char *err, size_t errlen);

#endif /* KB_IMPORT_REPLAY_H */
