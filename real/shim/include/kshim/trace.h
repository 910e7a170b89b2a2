/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints (tracepoint-defs.h, trace/events/kmem.h, oom.h, compaction.h):
 * compiled out. The allocator only reports through them; nothing it
 * decides depends on them.
 */
#ifndef KSHIM_TRACE_H
#define KSHIM_TRACE_H

#define DECLARE_TRACEPOINT(tp) extern int __kshim_tracepoint_##tp
#define tracepoint_enabled(tp) false
/* A disabled tracepoint names its arguments but does not evaluate them,
 * as the kernel's static-key-guarded call does. */
static inline void kshim_trace_args(int unused, ...) { (void)unused; }
#define kshim_trace_off(...) do { if (0) kshim_trace_args(0, __VA_ARGS__); } while (0)
#define trace_mm_page_alloc(...) kshim_trace_off(__VA_ARGS__)
#define trace_mm_page_alloc_extfrag(...) kshim_trace_off(__VA_ARGS__)
#define trace_mm_page_alloc_zone_locked(...) kshim_trace_off(__VA_ARGS__)
#define trace_mm_page_free(...) kshim_trace_off(__VA_ARGS__)
#define trace_mm_page_free_batched(...) kshim_trace_off(__VA_ARGS__)
#define trace_mm_page_pcpu_drain(...) kshim_trace_off(__VA_ARGS__)
#define trace_reclaim_retry_zone(...) kshim_trace_off(__VA_ARGS__)
#define trace_compact_retry(...) kshim_trace_off(__VA_ARGS__)
#define trace_mm_alloc_contig_migrate_range_info(...) kshim_trace_off(__VA_ARGS__)
#define trace_mm_alloc_contig_migrate_range_info_enabled() false
#define trace_test_pages_isolated(...) kshim_trace_off(__VA_ARGS__)

#endif
