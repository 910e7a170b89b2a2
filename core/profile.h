/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version profiles: every formula that differs between the kernel
 * versions kbuddy models is chosen here and nowhere else. Select one with
 * `make PROFILE=...` (-DKB_PROFILE_<name>); mainline is the default.
 *
 *   mainline  current mainline (6.15+): free_high needs free_count >=
 *             batch + high_min / 2
 *   6.12      free_high fires once free_count >= batch
 *   6.1       as 6.12, with zone_batchsize from managed >> 10 and 1 MiB / 4
 *
 * A profile changes only the formulas listed here; paths that were
 * restructured between versions (the __rmqueue modes of 6.15, the pcp
 * free_factor of 6.1, free_contig_range freeing aligned blocks rather
 * than page by page) follow mainline in every profile.
 */
#ifndef KB_PROFILE_H
#define KB_PROFILE_H

#if defined(KB_PROFILE_6_1)
#define KB_PROFILE_NAME			"6.1"
#define KB_BATCH_FROM_1M		1	/* batch = min(managed >> 10, 256) / 4 */
#define KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN 0
#elif defined(KB_PROFILE_6_12)
#define KB_PROFILE_NAME			"6.12"
#define KB_BATCH_FROM_1M		0	/* batch = min(managed >> 12, 64) */
#define KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN 0	/* free_high: free_count >= batch */
#else
#define KB_PROFILE_MAINLINE		1
#define KB_PROFILE_NAME			"mainline"
#define KB_BATCH_FROM_1M		0
#define KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN 1	/* free_high: free_count >= batch + high_min / 2 */
#endif

/* CONFIG_PCP_BATCH_SCALE_MAX default */
#define CONFIG_PCP_BATCH_SCALE_MAX	5
/* Fraction floor of percpu_pagelist_high_fraction (MIN_PERCPU_PAGELIST_HIGH_FRACTION) */
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION	8
/* khugepaged raises min_free_kbytes (set_recommended_min_free_kbytes) with THP on */
#define KB_THP_RECOMMENDED_MIN_FREE	1
/* should_reclaim_retry gives up after this many rounds without progress */
#define MAX_RECLAIM_RETRIES		16
#define SWAP_CLUSTER_MAX		32UL

#endif /* KB_PROFILE_H */
