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

#define REAL_MAX_NODES 4
#define REAL_MAX_CPUS 8
#define REAL_MAX_RANGES 32
#define REAL_NR_ZONES 5		/* DMA, DMA32, Normal, Movable, Device */
#define REAL_NR_MIGRATETYPES 6
#define REAL_MAX_ORDERS 13

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
};

/* Every geometry the real build makes (real/real.mk), NULL-terminated. */
extern const struct real_ops *const real_builds[];

#endif
