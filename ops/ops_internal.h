/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables and reductions shared by the binary decoder and encoder of the
 * operation format (docs/ops-format.md). Changing any of them changes what
 * existing fuzz corpora mean: bump KB_OPS_FORMAT_VERSION when you do.
 */
#ifndef KB_OPS_INTERNAL_H
#define KB_OPS_INTERNAL_H

#include <stdint.h>

#include "ops.h"

/* record kind byte % KB_OPS_KIND_SLOTS -> enum kb_op_kind */
#define KB_OPS_KIND_SLOTS	32
extern const unsigned char kb_ops_kind_slot[KB_OPS_KIND_SLOTS];

/* ALLOC: gfp = kb_ops_gfp_table[d0 % KB_OPS_GFP_TABLE_SIZE] ^ (d1..d3 bits) */
#define KB_OPS_GFP_TABLE_SIZE	32
extern const gfp_t kb_ops_gfp_table[KB_OPS_GFP_TABLE_SIZE];

/* What the binary form reduces fields against: taken from the layout. */
struct kb_ops_geometry {
	unsigned int index;		/* built-in layout index */
	unsigned int max_order;		/* its max_page_order */
	unsigned int nr_cpus;
	unsigned int nr_nodes;
};

/*
 * Decodes 8-byte records (no header byte) against geo, appending to out
 * (which names its layout) up to max_ops operations in all. Handles
 * continue from out->nr_handles; a FREE picks among the handles this call
 * allocated.
 */
void kb_ops_decode_records(const uint8_t *data, size_t size,
			   const struct kb_ops_geometry *geo, size_t max_ops, struct kb_ops *out);

/* 0, or -1 when name is not a built-in layout. */
int kb_ops_geometry(const char *name, struct kb_ops_geometry *geo);

/* SYSCTL values: a raw le32 reduced into the range the binary form uses. */
long kb_ops_sysctl_from_raw(unsigned int sysctl, uint32_t raw);
/* The inverse: 0 and *raw, or -1 when value is outside that range. */
int kb_ops_sysctl_to_raw(unsigned int sysctl, long value, uint32_t *raw);

#endif /* KB_OPS_INTERNAL_H */
