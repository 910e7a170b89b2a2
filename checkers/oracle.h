/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Oracles on allocation results: the decision the allocator took, taken
 * again with the reference model's zonelists, watermarks and
 * lowmem_reserve (checkers/model.h) and the checker's own arithmetic.
 *  - "alloc-zone", "alloc-node": the block comes from a zone the model's
 *    zonelist for the request reaches, at most the zone its GFP flags
 *    allow, on the node __GFP_THISNODE names.
 *  - "alloc-watermark": a successful allocation left its zone above the
 *    model's watermark for the alloc_flags it used, with only the reserve
 *    rights its gfp can earn.
 *  - "alloc-spurious-failure": a request failed although a zone of the
 *    model's zonelist held a free block it may use and met the model's
 *    watermark with the slow path's alloc_flags.
 */
#ifndef KB_ORACLE_H
#define KB_ORACLE_H

#include "check.h"
#include "model.h"

/* A successful allocation of pfn/order for gfp, preferred node nid (-1: the CPU's). */
int kb_oracle_alloc(struct kb_instance *kb, const struct kb_model *m, gfp_t gfp,
		    unsigned int order, int nid, unsigned long pfn, struct kb_violation *v);

/*
 * Whether the slow path's OOM step reaches out_of_memory for gfp/order
 * (mainline's early exits, which hold for __GFP_NOFAIL too).
 */
bool kb_oracle_oom_eligible(gfp_t gfp, unsigned int order);

/* An allocation that returned NULL without an error code. */
int kb_oracle_failure(struct kb_instance *kb, const struct kb_model *m, gfp_t gfp,
		      unsigned int order, int nid, struct kb_violation *v);

/*
 * An alloc_pages_bulk into array[0, nr): the slots of populated_before
 * (bit i: slot i) held marker before the call and must still, the others
 * were NULL. The count returned is how far the allocator got: every slot
 * below it populated, at least the slots populated from the first one on
 * before the call, at most nr ("alloc-bulk"). Returns 0, or 1 with *v.
 */
int kb_oracle_bulk(struct page *const *array, unsigned long nr, unsigned long populated_before,
		   const struct page *marker, unsigned long count, struct kb_violation *v);

#endif /* KB_ORACLE_H */
