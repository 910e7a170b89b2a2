/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference model: a second, deliberately simple computation of every
 * number the allocator derives from the machine's layout and the sysctls,
 * written from the kernel's rules and sharing no code with core/ (it reads
 * core/profile.h for the rules a kernel version selects, and core's headers
 * for constants and struct layouts only).
 *
 * Inputs: the layout (zones, holes, reserved, CMA and late-freed ranges,
 * CPUs per node, node distances, orders, min_free_kbytes, THP, after-boot
 * sysctls), the sysctl writes and
 * zone_pcp_disable/enable calls as the user made them, and the OOM-victim
 * state of the current task. From them it derives each zone's spanned,
 * present, managed and CMA pages, the mobility-grouping decision, each
 * node's zonelists, min_free_kbytes, the watermarks and the cap of their
 * boost, lowmem_reserve, totalreserve_pages, the pcp batch, high_min and
 * high_max, the highatomic cap, and GFP's zone and migratetype.
 *
 * kb_model_check() compares all of it with the allocator's state, each
 * comparison a named invariant ("model-*", docs/invariants.md). The runner
 * (ops/run.c) calls it at boot, after every operation that changes the
 * model's inputs, and at the end of every sequence; the allocation oracles
 * (checkers/oracle.c) judge every allocation and failure with the model's
 * zonelists, watermarks and lowmem_reserve.
 *
 * The one piece of allocator state the model reads while deriving is
 * watermark_boost (the kernel's run-time reaction to fallbacks, not a
 * derived number): totalreserve_pages and the default pcp high include
 * the boost of the moment they are recomputed outside a watermark reset
 * (a lowmem_reserve_ratio or percpu_pagelist_high_fraction write). The
 * boost itself is checked against the model's cap.
 */
#ifndef KB_MODEL_H
#define KB_MODEL_H

#include <stdbool.h>

#include "check.h"

/* Zonelist entries: nid * MAX_NR_ZONES + zone index, -1 terminated. */
#define KB_MODEL_ZONEREF(nid, zid)	((nid) * MAX_NR_ZONES + (zid))

struct kb_model_zone {
	/* from the layout */
	unsigned long start_pfn, spanned, present, managed, cma;
	/* watermarks without boost (zone->_watermark) */
	unsigned long wmark[NR_WMARK];
	/* the most watermark_boost may reach until the next watermark reset */
	unsigned long boost_cap;
	long lowmem_reserve[MAX_NR_ZONES];
	/* the pageset values (zone->pageset_*), every CPU's pcp has them */
	int batch, high_min, high_max;
	/*
	 * Since 6.7 pcp->high is clamped into the limits of the moment of its
	 * use, not when they change: it is 0 (never used) or between the
	 * lowest and the highest bound the limits have had since boot.
	 */
	int high_floor, high_ceiling;
	/* nr_reserved_highatomic never exceeds this */
	unsigned long highatomic_cap;
	bool pcp_disabled;
};

struct kb_model_node {
	struct kb_model_zone zone[MAX_NR_ZONES];
	int zonelist[MAX_ZONELISTS][MAX_ZONES_PER_ZONELIST + 1];
	unsigned long start_pfn, spanned, present;
	int nr_cpus;
	unsigned long totalreserve;
};

/* The sysctls as the user set them (the kernel's defaults at boot). */
struct kb_model_sysctl {
	int min_free_kbytes;		/* the value in effect (derived at boot) */
	int user_min_free_kbytes;	/* -1 until the user writes it */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	int oom_kill_allocating_task;	/* vm.oom_kill_allocating_task: 0 at boot */
};

struct kb_model {
	struct kb_layout layout;
	/* geometry and topology */
	unsigned int max_order, pageblock_order;
	unsigned long pageblock_nr_pages, max_pfn;
	int nr_nodes, nr_cpus;
	int cpu_to_node[KB_MAX_CPUS];
	/* derived */
	bool mobility_disabled;
	unsigned long totalram, totalcma, totalreserve;
	struct kb_model_sysctl sys;
	struct kb_model_node node[KB_MAX_NODES];
	/* inputs from the operation stream */
	bool oom_victim;
	int pcp_locked;			/* zoneref holding pcp_batch_high_lock, or -1 */
	/* changed since kb_model_boot: a restore must copy it back */
	bool dirty;
};

/* Derives everything from the layout with the kernel's default sysctls. */
void kb_model_boot(struct kb_model *m, const struct kb_layout *layout);

/*
 * A sysctl write the user makes: the model applies the kernel's range and
 * recomputes what the write recomputes. Call it before the allocator sees
 * the write (it reads the zones' watermark_boost of that moment). Returns
 * the error the kernel gives (0 or -EINVAL); sysctls the model does not
 * know return 1 (no opinion, nothing changed).
 */
int kb_model_sysctl(struct kb_model *m, const struct kb_instance *kb, unsigned int which,
		    int index, long value);

/* zone_pcp_disable / zone_pcp_enable: the error the kernel's lock gives. */
int kb_model_pcp_disable(struct kb_model *m, int nid, int zid);
int kb_model_pcp_enable(struct kb_model *m, int nid, int zid);

static inline void kb_model_set_oom_victim(struct kb_model *m, bool on)
{
	m->oom_victim = on;
}

/* --- what the oracles ask --- */

/* The highest zone a gfp allows (GFP_ZONE_TABLE's rules), -1 for GFP_ZONE_BAD. */
int kb_model_gfp_zone(gfp_t gfp);
/* The migratetype of a request; -1 when both mobility bits are set. */
int kb_model_gfp_migratetype(const struct kb_model *m, gfp_t gfp);
/* The zonelist a request walks: -1-terminated zonerefs. */
const int *kb_model_zonelist(const struct kb_model *m, int nid, bool thisnode);
/* Pfns of [start, end) the layout hands to the buddy (not a hole, not reserved). */
unsigned long kb_model_managed_in(const struct kb_model *m, unsigned long start,
				  unsigned long end);
/* The zoneref of a pfn's zone from the layout, -1 outside every zone. */
int kb_model_pfn_zone(const struct kb_model *m, unsigned long pfn);

static inline const struct kb_model_zone *kb_model_zone(const struct kb_model *m, int zref)
{
	return &m->node[zref / MAX_NR_ZONES].zone[zref % MAX_NR_ZONES];
}

/*
 * Every comparison of the model with the allocator, in a fixed order:
 * topology, managed pages, mobility, zonelists, GFP, sysctls,
 * min_free_kbytes, watermarks, boost, lowmem_reserve, totalreserve, pcp
 * (disable state, batch, high), highatomic cap. 0, or 1 with the first
 * disagreement in *v.
 */
int kb_model_check(const struct kb_model *m, struct kb_instance *kb, struct kb_violation *v);

/*
 * The GFP comparison alone, on tables of the allocator's answers:
 * zone_of[zone bits] (-1 for a refused combination) and mt_of[mobility
 * bits >> GFP_MOVABLE_SHIFT] (-1 refused). kb_model_check fills them from
 * gfp_zone() and gfp_migratetype(); tests pass tables of their own.
 */
int kb_model_check_gfp(const struct kb_model *m, const int zone_of[16], const int mt_of[4],
		       struct kb_violation *v);

/* --- internal: the model's files share these --- */
void kb_model_build_zonelists(struct kb_model *m);
void kb_model_setup_wmarks(struct kb_model *m);
void kb_model_setup_lowmem_reserve(struct kb_model *m, const struct kb_instance *kb);
void kb_model_totalreserve(struct kb_model *m, const unsigned long boost[KB_MAX_NODES][MAX_NR_ZONES]);
void kb_model_init_min_free_kbytes(struct kb_model *m);
void kb_model_hugepage_init(struct kb_model *m);
void kb_model_boost_caps(struct kb_model *m, bool reset);
void kb_model_pcp_update(struct kb_model *m, bool populated_only,
			 const unsigned long boost[KB_MAX_NODES][MAX_NR_ZONES]);
void kb_model_high_bounds(struct kb_model_zone *z, int lo, int hi);
unsigned long kb_model_highatomic_cap(const struct kb_model *m, const struct kb_model_zone *z);

#endif /* KB_MODEL_H */
