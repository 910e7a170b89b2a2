/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a fuzz_boot input means, shared by fuzz/fuzz_boot.c and the kbuddy
 * tool (repro, reduce, promote, triage, boot): a binary layout
 * (docs/layout-format.md) followed by operation records in the binary ops
 * format (docs/ops-format.md) without its header byte. The records are
 * reduced against the decoded layout's own geometry (its max_page_order,
 * CPU and node counts), so no operation is out of range for the machine it
 * runs on. At most KB_BOOT_MAX_OPS records are read; then every allocation
 * still outstanding is freed and all pcp lists are drained, so at the end
 * every managed page must be free again: kb_boot_accounting() checks that
 * per zone, at boot and at the end.
 *
 * Static inline so that both users compile it without a shared object.
 */
#ifndef KB_FUZZ_BOOT_INPUT_H
#define KB_FUZZ_BOOT_INPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "ops_internal.h"
#include "../core/kbuddy.h"
#include "../machine/layout_io.h"

#define KB_BOOT_MAX_OPS		64	/* records read after the layout */

/* What the records are reduced against: the layout's own geometry. */
static inline struct kb_ops_geometry kb_boot_geometry(const struct kb_layout *layout)
{
	struct kb_ops_geometry geo;

	kb_ops_geometry_of(layout, 0, &geo);
	return geo;
}

/*
 * Decodes data into layout and the operations of its records, without the
 * closing frees (kb_boot_finish adds them); returns the bytes the layout
 * used. The kbuddy tool reduces and re-encodes inputs in this form.
 */
static inline size_t kb_boot_decode_input(const uint8_t *data, size_t size,
					  struct kb_layout *layout, struct kb_ops *ops)
{
	struct kb_ops_geometry geo;
	size_t used;

	used = kb_layout_decode_binary(data, size, layout);
	geo = kb_boot_geometry(layout);
	memset(ops->layout, 0, sizeof(ops->layout));
	snprintf(ops->layout, sizeof(ops->layout), "fuzz_boot");
	ops->nr_ops = 0;
	ops->nr_handles = 0;
	kb_ops_decode_records(data + used, size - used, &geo, KB_BOOT_MAX_OPS, ops);
	return used;
}

/*
 * Gives everything back, as the target does after the records: frees every
 * handle still held, puts every GET reference, undoes every isolation and
 * drains every pcp list (kb_ops_append_release).
 */
static inline void kb_boot_finish(struct kb_ops *ops, const struct kb_layout *layout)
{
	kb_ops_append_release(ops, kb_layout_max_pfn(layout));
}

/*
 * Decodes data into layout and ops as the target runs them; returns the
 * bytes the layout used.
 */
static inline size_t kb_boot_decode(const uint8_t *data, size_t size,
				    struct kb_layout *layout, struct kb_ops *ops)
{
	size_t used = kb_boot_decode_input(data, size, layout, ops);

	kb_boot_finish(ops, layout);
	return used;
}

/*
 * Free pages against managed pages, zone by zone. With nothing allocated
 * and every pcp list drained, NR_FREE_PAGES of a zone equals its managed
 * pages: a page the boot path freed twice, or never, or a free that was
 * lost on the way, shows here. Returns 0, or -1 with a sentence in why.
 */
static inline int kb_boot_accounting(const struct kb_instance *kb, const char *when,
				     char *why, size_t len)
{
	int nid, zid;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct zone *z = &kb->node_data[nid].node_zones[zid];
			unsigned long free_pages = zone_page_state(z, NR_FREE_PAGES);

			if (free_pages == z->managed_pages)
				continue;
			snprintf(why, len,
				 "node %d zone %s %s: %lu free pages, %lu managed pages",
				 nid, kb_zone_name((enum zone_type)zid), when, free_pages,
				 z->managed_pages);
			return -1;
		}
	return 0;
}

/* What the accounting oracle reports, in the form of kb_run_signature. */
#define KB_BOOT_ACCOUNTING_SIGNATURE	"KBUDDY-SIGNATURE: boot-free-accounting end"
#define KB_BOOT_AT_BOOT_SIGNATURE	"KBUDDY-SIGNATURE: boot-free-accounting boot"

/* State for the before_op hook that checks the instance as booted. */
struct kb_boot_check {
	bool checked;
	bool failed;
	char why[256];
};

static inline void kb_boot_before_op(void *ctx, struct kb_run *run, size_t index)
{
	struct kb_boot_check *bc = ctx;

	if (index || bc->checked)
		return;
	bc->checked = true;
	if (kb_boot_accounting(kb_run_instance(run), "right after boot", bc->why,
			       sizeof(bc->why)))
		bc->failed = true;
}

/*
 * Runs a decoded boot input; returns the run (NULL if the layout did not
 * boot, which the decoder rules out) and writes its signature, or "" when
 * it ran clean, to sig. why gets the accounting sentence, if any.
 */
static inline struct kb_run *kb_boot_run(const struct kb_layout *layout,
					 const struct kb_ops *ops, int level,
					 struct kb_run_result *res, char *sig,
					 size_t siglen, char *why, size_t whylen)
{
	struct kb_boot_check bc = { 0 };
	struct kb_run_options opt = { .check_level = level, .back_with_memory = true,
				      .backing_bytes = 64, .no_hash = true,
				      .before_op = kb_boot_before_op, .ctx = &bc };
	struct kb_run *run = kb_run_ops_on(layout, ops, &opt, res);

	sig[0] = why[0] = 0;
	if (!run) {
		snprintf(sig, siglen, "KBUDDY-SIGNATURE: boot-failed setup");
		snprintf(why, whylen, "%s", res->setup_error);
		return NULL;
	}
	if (res->violated) {
		kb_run_signature(ops, res, sig, siglen);
	} else if (bc.failed) {
		snprintf(sig, siglen, "%s", KB_BOOT_AT_BOOT_SIGNATURE);
		snprintf(why, whylen, "%s", bc.why);
	} else if (kb_boot_accounting(kb_run_instance(run), "after freeing everything",
				      why, whylen)) {
		snprintf(sig, siglen, "%s", KB_BOOT_ACCOUNTING_SIGNATURE);
	}
	return run;
}

#endif /* KB_FUZZ_BOOT_INPUT_H */
