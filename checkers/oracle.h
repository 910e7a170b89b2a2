/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Oracles on allocation results: the decision the allocator took, taken
 * again with the checker's own arithmetic.
 *  - "alloc-zone", "alloc-node": the block comes from a zone and node the
 *    request allows.
 *  - "alloc-watermark": a successful allocation left its zone above the
 *    watermark its alloc_flags require (lowmem_reserve recomputed from the
 *    managed pages and lowmem_reserve_ratio, not read from the zone).
 *  - "alloc-spurious-failure": a request failed although an allowed zone
 *    held a free block it may use and its watermark was met.
 */
#ifndef KB_ORACLE_H
#define KB_ORACLE_H

#include "check.h"

/* A successful allocation of pfn/order for gfp, preferred node nid (-1: the CPU's). */
int kb_oracle_alloc(struct kb_instance *kb, gfp_t gfp, unsigned int order, int nid,
		    unsigned long pfn, struct kb_violation *v);

/* An allocation that returned NULL without an error code. */
int kb_oracle_failure(struct kb_instance *kb, gfp_t gfp, unsigned int order, int nid,
		      struct kb_violation *v);

#endif /* KB_ORACLE_H */
