/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An ftrace text of the page allocator's events (the kmem tracepoints of
 * include/trace/events/kmem.h) read into records: mm_page_alloc,
 * mm_page_free, mm_page_free_batched, mm_page_pcpu_drain,
 * mm_page_alloc_zone_locked, mm_page_alloc_extfrag, and the trace_marker
 * lines that name a workload's phases. GFP strings are read with the
 * kernel's own flag table, taken from the mm_page_alloc format file when
 * the capture has it (the bit values differ between versions), and turned
 * into kbuddy's flags by name.
 */
#ifndef KB_IMPORT_TRACE_H
#define KB_IMPORT_TRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "gfp.h"

enum kb_tr_event {
	KB_TR_ALLOC,		/* mm_page_alloc */
	KB_TR_FREE,		/* mm_page_free */
	KB_TR_FREE_BATCHED,	/* mm_page_free_batched (follows the page's mm_page_free) */
	KB_TR_PCPU_DRAIN,	/* mm_page_pcpu_drain */
	KB_TR_ZONE_LOCKED,	/* mm_page_alloc_zone_locked */
	KB_TR_EXTFRAG,		/* mm_page_alloc_extfrag */
	KB_TR_MARK,		/* tracing_mark_write: "PHASE name" */
	KB_TR_NR_EVENTS
};

struct kb_tr_record {
	unsigned char event;	/* enum kb_tr_event */
	unsigned char order;
	signed char migratetype;	/* alloc, drain, zone_locked; extfrag: alloc_migratetype */
	signed char fallback_mt;	/* extfrag */
	unsigned char fallback_order;	/* extfrag */
	unsigned char flag;		/* zone_locked: percpu_refill; extfrag: change_ownership */
	unsigned short cpu;
	gfp_t gfp;			/* alloc: kbuddy's flags */
	unsigned long pfn;		/* alloc: 0 when the allocation failed */
	unsigned int line;
	unsigned int phase;		/* index of the phase it belongs to */
};

/* The kernel's GFP names and values, from the format file's __print_flags table. */
#define KB_GFP_MAP_MAX	64
struct kb_gfp_map {
	int nr;
	struct {
		char name[32];
		unsigned long value;
	} e[KB_GFP_MAP_MAX];
};

#define KB_TR_MAX_PHASES	32

struct kb_trace {
	size_t nr, alloc;
	struct kb_tr_record *rec;
	unsigned long count[KB_TR_NR_EVENTS];
	unsigned int nr_phases;
	char phase[KB_TR_MAX_PHASES][32];
	/* what the header and the lost-event markers say */
	unsigned long entries_in_buffer, entries_written;
	unsigned long lost;		/* events in "[LOST N EVENTS]" markers */
	unsigned int lost_markers;
	/* lines that are not events of the trace */
	unsigned long malformed, unknown;
	unsigned int first_malformed_line;
	char first_malformed[96];
	char unknown_names[128];	/* the first unknown event names */
	/* kernel GFP flags kbuddy does not have */
	unsigned long gfp_dropped;
	char gfp_dropped_names[128];
	unsigned int max_cpu;
	unsigned long max_pfn;		/* highest pfn named, + 1 */
};

/*
 * The flag table of a format file (format.mm_page_alloc): 0, or -1 with
 * the reason in err.
 */
int kb_gfp_map_parse(const char *format, size_t len, struct kb_gfp_map *map,
		     char *err, size_t errlen);
/*
 * Reads an ftrace text. map NULL: GFP names are read as kbuddy's. Returns
 * 0 (malformed and unknown lines are counted, not fatal), -1 with the
 * reason in err when nothing of it is a trace or memory runs out.
 */
int kb_trace_parse(const char *text, size_t len, const struct kb_gfp_map *map,
		   struct kb_trace *t, char *err, size_t errlen);
void kb_trace_free(struct kb_trace *t);

/*
 * The operation sequence `kbuddy trace import` writes: this first line,
 * then one line per record, "alloc pfn=0x4c9c order=1 migratetype=0
 * gfp_flags=GFP_KERNEL|__GFP_ZERO cpu=0" (kbuddy's GFP names), "free pfn=
 * order= cpu=", "pcpu_drain", "zone_locked", "extfrag" with the trace's
 * fields, "phase NAME". kb_trace_parse reads it as it reads a trace.
 */
#define KB_TRACE_OPS_HEADER	"# kbuddy trace-ops v1"
/* The first word of a record's line in that sequence. */
const char *kb_tr_ops_word(enum kb_tr_event e);
const char *kb_tr_event_name(enum kb_tr_event e);

#endif /* KB_IMPORT_TRACE_H */
