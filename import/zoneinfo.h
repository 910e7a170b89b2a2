/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/zoneinfo read back into numbers: the fields the kernel derives at
 * boot (watermarks, spans, managed pages, protection, pcp sizes, the vm
 * stats threshold) and the ones that move at run time (free pages, boost,
 * pcp counts), zone by zone and CPU by CPU. Both a real machine's
 * zoneinfo and kbuddy's own (core/vmstat.c prints it in the kernel's
 * format) parse here, so that `kbuddy compare` and `kbuddy import` read
 * them the same way.
 */
#ifndef KB_IMPORT_ZONEINFO_H
#define KB_IMPORT_ZONEINFO_H

#include <stdbool.h>
#include <stddef.h>

#define KB_ZI_MAX_ZONES		64	/* 12 nodes of 5 zones */
#define KB_ZI_MAX_CPUS		256
#define KB_ZI_MAX_PROTECTION	8

/* The zone's fields, in the order zoneinfo_show_print() prints them. */
enum kb_zi_field {
	KB_ZI_FREE,
	KB_ZI_BOOST,
	KB_ZI_MIN,
	KB_ZI_LOW,
	KB_ZI_HIGH,
	KB_ZI_PROMO,
	KB_ZI_SPANNED,
	KB_ZI_PRESENT,
	KB_ZI_MANAGED,
	KB_ZI_CMA,
	KB_ZI_NODE_UNRECLAIMABLE,
	KB_ZI_START_PFN,
	KB_ZI_NR_FIELDS
};

/* A pcp's fields (high_min and high_max only where the kernel prints them). */
enum kb_zi_pcp_field {
	KB_ZI_PCP_COUNT,
	KB_ZI_PCP_HIGH,
	KB_ZI_PCP_BATCH,
	KB_ZI_PCP_HIGH_MIN,
	KB_ZI_PCP_HIGH_MAX,
	KB_ZI_PCP_THRESHOLD,	/* "vm stats threshold", printed after each CPU */
	KB_ZI_PCP_NR_FIELDS
};

struct kb_zi_pcp {
	int cpu;
	unsigned int has;	/* bit per enum kb_zi_pcp_field */
	long value[KB_ZI_PCP_NR_FIELDS];
};

struct kb_zi_zone {
	int node;
	char name[16];
	unsigned int line;	/* of its "Node N, zone NAME" line */
	unsigned int has;	/* bit per enum kb_zi_field */
	long value[KB_ZI_NR_FIELDS];
	int nr_protection;
	long protection[KB_ZI_MAX_PROTECTION];
	int nr_pcp;
	struct kb_zi_pcp pcp[KB_ZI_MAX_CPUS];
};

struct kb_zoneinfo {
	int nr_zones;
	struct kb_zi_zone zone[KB_ZI_MAX_ZONES];
};

/*
 * Parses zoneinfo text; returns 0, or -1 with "line N: reason" in err.
 * Statistics lines (nr_*, numa_*, the per-node stats) are skipped; any
 * other line must be one of zoneinfo's.
 */
int kb_zoneinfo_parse(const char *text, size_t len, struct kb_zoneinfo *zi,
		      char *err, size_t errlen);
/* The zone of node `node` named `name` (case-insensitive), or NULL. */
const struct kb_zi_zone *kb_zoneinfo_find(const struct kb_zoneinfo *zi, int node,
					  const char *name);
/* The pcp of `cpu` in a zone, or NULL. */
const struct kb_zi_pcp *kb_zi_zone_pcp(const struct kb_zi_zone *z, int cpu);
/* "min", "spanned", ...: the word zoneinfo prints. */
const char *kb_zi_field_name(enum kb_zi_field f);
const char *kb_zi_pcp_field_name(enum kb_zi_pcp_field f);

#endif /* KB_IMPORT_ZONEINFO_H */
