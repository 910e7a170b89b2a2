/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real kernel's allocator, as the rest of kbuddy calls it. This header
 * names no kernel type: the real code is compiled against the kernel's own
 * headers (and the shim), kbuddy against core/, and only this plain C
 * interface crosses between them.
 *
 * The real code is built once per geometry (MAX_PAGE_ORDER and
 * pageblock_order are compile-time in the kernel); each build's entry
 * points carry its geometry in their names (real_boot_o10p9, ...), so the
 * builds link side by side. REAL_FN(name) spells the name of this build.
 */
#ifndef REAL_API_H
#define REAL_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REAL_MAX_NODES 4
#define REAL_MAX_CPUS 8
#define REAL_MAX_RANGES 32
#define REAL_NR_ZONES 5		/* DMA, DMA32, Normal, Movable, Device */
#define REAL_NR_MIGRATETYPES 6
#define REAL_MAX_ORDERS 13
#define REAL_NR_PCP_LISTS 14	/* MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1) + 2 THP */

#ifdef REAL_GEOMETRY
#define REAL_PASTE2(a, b) a##_##b
#define REAL_PASTE(a, b) REAL_PASTE2(a, b)
#define REAL_FN(name) REAL_PASTE(name, REAL_GEOMETRY)
/* The entry points of one build (one geometry). */
#endif

struct real_range { unsigned long start, end; };

/* A machine: kbuddy's layout, in plain terms. */
struct real_machine {
	unsigned int max_order, pb_order;
	unsigned int nr_nodes;
	struct {
		struct real_range zone[REAL_NR_ZONES];
		unsigned int nr_cpus;
		unsigned char distance[REAL_MAX_NODES];
	} node[REAL_MAX_NODES];
	unsigned int nr_holes, nr_reserved, nr_cma;
	struct real_range hole[REAL_MAX_RANGES], reserved[REAL_MAX_RANGES], cma[REAL_MAX_RANGES];
	long min_free_kbytes;		/* < 0: the kernel's default */
	bool bootmem;			/* the pre-4.20 boot path (not in 6.12) */
};

/* What the real code said since the last call of real_take_warnings. */
struct real_warnings {
	unsigned long count;
	char first[256];
};

/* What an allocation did. */
struct real_alloc {
	bool ok;
	unsigned long pfn;
	int node, zone;
};

/*
 * The state of one zone in kbuddy's terms. Lists are read in their order;
 * a hash folds pfns in that order (real_hash_step), so two lists agree
 * when they hold the same blocks in the same order.
 */
#define REAL_LIST_SHOWN 4	/* pfns of a list a difference report shows */

struct real_pcp_state {
	int count, high, high_min, high_max, batch;
	unsigned int nr[REAL_NR_PCP_LISTS];
	uint64_t hash[REAL_NR_PCP_LISTS];
};

struct real_zone_state {
	bool spanned;			/* spanned_pages != 0 */
	unsigned long start_pfn, spanned_pages, present_pages, managed_pages;
	unsigned long area_nr_free[REAL_MAX_ORDERS];	/* free_area[o].nr_free */
	unsigned long nr_free[REAL_MAX_ORDERS][REAL_NR_MIGRATETYPES];	/* blocks on the list */
	uint64_t free_hash[REAL_MAX_ORDERS][REAL_NR_MIGRATETYPES];
	/* the first pfns of each free list, in list order, for the report of a difference */
	unsigned long free_head[REAL_MAX_ORDERS][REAL_NR_MIGRATETYPES][REAL_LIST_SHOWN];
	long nr_free_pages, nr_free_cma_pages;		/* NR_FREE_PAGES, NR_FREE_CMA_PAGES */
	unsigned long watermark[3], watermark_boost, nr_reserved_highatomic;
	long lowmem_reserve[REAL_NR_ZONES];
	unsigned long nr_isolate_pageblock;
	unsigned long pageblocks[REAL_NR_MIGRATETYPES];	/* pageblocks of each type */
	uint64_t pageblock_hash;			/* (pfn, type) of every pageblock */
	struct real_pcp_state pcp[REAL_MAX_CPUS];
};

struct real_state {
	unsigned int nr_nodes, nr_cpus;
	struct real_zone_state zone[REAL_MAX_NODES][REAL_NR_ZONES];
};

static inline uint64_t real_hash_step(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdULL;
}

/* The entry points of one build (one geometry). */
struct real_ops {
	const char *geometry;		/* "o10p9": MAX_PAGE_ORDER 10, pageblock_order 9 */
	unsigned int max_order, pb_order;
	/* Boots the machine; once per process. 0, or -EINVAL with err set. */
	int (*boot)(const struct real_machine *m, char *err, size_t errlen);
	void (*set_verbose)(bool verbose);
	void (*take_warnings)(struct real_warnings *out);
	/* /proc files, by mm/vmstat.c's own printers; return the length */
	size_t (*zoneinfo)(char *buf, size_t len);
	size_t (*buddyinfo)(char *buf, size_t len);
	/* echo VALUE > /proc/sys/vm/NAME: 0 or the handler's error */
	int (*sysctl_write)(const char *name, const char *value);
	/*
	 * echo into one entry of a vector sysctl (lowmem_reserve_ratio[index]),
	 * the others written as they are; index 0 of a scalar is the scalar.
	 * 0, -ENOENT for a sysctl this build does not register, or the
	 * handler's error.
	 */
	int (*sysctl_write_index)(const char *name, unsigned int index, long value);
	/*
	 * The allocator's entry points, each run on the simulated CPU cpu:
	 * __alloc_pages(gfp, order, nid, NULL) (nid < 0: the CPU's node, as
	 * alloc_pages() with the default policy), __free_pages,
	 * drain_local_pages(NULL), drain_all_pages(NULL), zone_pcp_disable
	 * and zone_pcp_enable (-EINVAL: no such zone).
	 */
	void (*alloc_pages)(unsigned int gfp, unsigned int order, int cpu, int nid,
			    struct real_alloc *out);
	void (*free_pages)(unsigned long pfn, unsigned int order, int cpu);
	void (*drain_local)(int cpu);
	void (*drain_all)(void);
	int (*pcp_disable)(int node, int zone);
	int (*pcp_enable)(int node, int zone);
	/* get_page / put_page on the block at pfn */
	void (*get_page)(unsigned long pfn);
	void (*put_page)(unsigned long pfn, int cpu);
	/* the current task is (on) or stops being the OOM killer's victim */
	void (*set_oom_victim)(bool on);
	/* The state of every zone, in kbuddy's terms. */
	void (*state)(struct real_state *out);
};

/* Every geometry the real build makes (real/real.mk), NULL-terminated. */
extern const struct real_ops *const real_builds[];

#endif
