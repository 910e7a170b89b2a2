/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operation sequences: what a fuzz input, a scenario or a reproducer asks the
 * allocator to do. Two equivalent forms, documented in docs/ops-format.md:
 *  - binary (fuzz inputs): any byte string decodes to a valid sequence;
 *  - text (people): "alloc order=3 gfp=GFP_KERNEL cpu=0 -> a1", "free a1".
 * Handles are syntactic: the k-th alloc creates handle a<k> whether or not
 * the allocation succeeds, so decoding never needs to run the allocator.
 */
#ifndef KB_OPS_H
#define KB_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/gfp.h"

#define KB_OPS_FORMAT_VERSION	1
#define KB_OPS_RECORD_SIZE	8
#define KB_OPS_MAX		4096	/* operations per sequence, binary or text */
#define KB_OPS_BULK_MAX		16	/* slots of an alloc_bulk array */
#define KB_OPS_SCHEDULE_MAX	12	/* stream numbers of one SCHEDULE operation */

enum kb_op_kind {
	KB_OP_ALLOC,		/* order gfp cpu nid -> a<handle> */
	KB_OP_FREE,		/* a<handle> on cpu */
	KB_OP_DRAIN_CPU,	/* drain_local_pages on cpu */
	KB_OP_DRAIN_ALL,	/* drain_all_pages */
	KB_OP_SYSCTL,		/* sysctl write: which[index] = value */
	KB_OP_PCP_DISABLE,	/* zone_pcp_disable(node, zone) */
	KB_OP_PCP_ENABLE,	/* zone_pcp_enable(node, zone) */
	KB_OP_OOM_VICTIM,	/* the current task becomes (value 1) or stops being an OOM victim */
	KB_OP_GET,		/* get_page on a<handle>: one more reference */
	KB_OP_PUT,		/* put_page on a<handle>: drops a reference taken by GET */
	KB_OP_ISOLATE,		/* start_isolate_page_range(pfn, pfn + nr), MEM_OFFLINE mode */
	KB_OP_UNISOLATE,	/* undo_isolate_page_range(pfn, pfn + nr) */
	KB_OP_ALLOC_CONTIG,	/* alloc_contig_pages(nr, gfp, nid) on cpu -> a<handle> */
	KB_OP_COMPACT,		/* compact_zone(node, zone) at order, or whole (order not given) */
	KB_OP_KCOMPACTD,	/* one pass of node's kcompactd, woken for order/zone if given */
	KB_OP_KSWAPD,		/* one pass of node's kswapd, if an allocation woke it */
	KB_OP_SPLIT,		/* split_page on a<handle>: order-0 pages, freed one by one */
	KB_OP_ALLOC_EXACT,	/* alloc_pages_exact(_nid)(nr pages, gfp) on cpu -> a<handle> */
	KB_OP_ALLOC_BULK,	/* alloc_pages_bulk of nr slots, value = slots filled before
				 * (bit i: slot i); one handle per empty slot, from a<handle> */
	KB_OP_SOFT_OFFLINE,	/* soft_offline_page(pfn), or of a<handle>'s first page (relative) */
	KB_OP_UNPOISON,		/* unpoison_memory(pfn), or of the index-th most recently
				 * poisoned page (relative) */
	KB_OP_OOM_SCORE_ADJ,	/* /proc/<pid>/oom_score_adj of the task on cpu = value */
	KB_OP_SCHEDULE,		/* nr stream numbers (4 bits each in value, the first
				 * lowest): who runs at the next yield points */
	/* Text form only: deliberate API misuse, for checker tests. */
	KB_OP_FREE_PFN,		/* free pfn=P order=O, not through a handle */
	KB_NR_OP_KINDS
};

struct kb_op {
	enum kb_op_kind kind;
	/*
	 * 0: runs alone, as a step of the sequence. Else the operation belongs
	 * to stream - 1 (2 * cpu in task context, + 1 in interrupt context),
	 * and consecutive such operations, with the SCHEDULE operations among
	 * them, run interleaved (ops/streams.c).
	 */
	unsigned char stream;
	unsigned int order;	/* ALLOC, FREE_PFN, FREE/COMPACT/KCOMPACTD with order_given */
	gfp_t gfp;		/* ALLOC */
	unsigned int cpu;	/* ALLOC, FREE, DRAIN_CPU, OOM_SCORE_ADJ */
	int nid;		/* ALLOC: preferred node, -1 = the CPU's node */
	unsigned int handle;	/* ALLOC*: handle created; FREE, GET, PUT: handle used (1-based) */
	bool order_given;	/* FREE: "order=" was written (may be wrong on purpose);
				 * COMPACT: for an order (else the whole zone);
				 * KCOMPACTD: woken for order up to zone (else not woken) */
	bool race;		/* FREE: the GET reference is put inside __free_pages' window */
	bool relative;		/* SOFT_OFFLINE: of handle's first page; UNPOISON: of a page
				 * poisoned earlier (index: 0 the latest) */
	unsigned int sysctl;	/* SYSCTL: enum kb_sysctl */
	unsigned int index;	/* SYSCTL: array index (lowmem_reserve_ratio zone) */
	long value;		/* SYSCTL: value; OOM_VICTIM: 1 on, 0 off;
				 * OOM_SCORE_ADJ: -1000..1000;
				 * ALLOC_BULK: the slots populated before the call */
	unsigned int node;	/* PCP_*, COMPACT, KCOMPACTD, KSWAPD: node id */
	unsigned int zone;	/* PCP_*, COMPACT, KCOMPACTD: zone index */
	unsigned long pfn;	/* FREE_PFN, ISOLATE, UNISOLATE, SOFT_OFFLINE, UNPOISON */
	unsigned long nr;	/* ISOLATE, UNISOLATE, ALLOC_CONTIG, ALLOC_EXACT: pages;
				 * ALLOC_BULK: array slots */
};

struct kb_ops {
	char layout[32];	/* built-in layout name */
	size_t nr_ops;
	size_t nr_handles;	/* handles the sequence's allocations create */
	struct kb_op ops[KB_OPS_MAX];
};

/*
 * Binary: byte 0 selects the built-in layout; then 8-byte records, fields
 * reduced into range against that layout; a trailing partial record is
 * ignored; records that cannot apply (free with nothing live) are dropped.
 */
void kb_ops_decode_binary(const uint8_t *data, size_t size, struct kb_ops *out);
/* Writes a binary form that decodes to the same sequence; returns its size
 * (snprintf semantics) or 0 if the sequence holds text-only operations. */
size_t kb_ops_encode_binary(const struct kb_ops *ops, uint8_t *buf, size_t len);

/*
 * Text: returns 0, or -1 with "line N: reason" in err ("line N, column C:
 * reason" when one field is at fault; quoted input escaped).
 */
int kb_ops_parse_text(const char *text, size_t len, struct kb_ops *out,
		      char *err, size_t errlen);
/* One operation in text form, e.g. "alloc order=3 gfp=GFP_KERNEL cpu=0 -> a1". */
int kb_op_format(const struct kb_op *op, char *buf, size_t len);
/* A whole sequence with its "# kbuddy ops v1" and "layout" header lines. */
size_t kb_ops_format_text(const struct kb_ops *ops, char *buf, size_t len);

/*
 * True when the bytes are meant as text (kb_text_looks_like_text: a
 * printable first line, or a UTF-8 byte-order mark), so tools read them
 * with the text parser and report its errors, and never as a binary input.
 */
bool kb_ops_is_text(const uint8_t *data, size_t size);

const char *kb_op_kind_name(enum kb_op_kind kind);

/*
 * Streams (ops/streams.c). An operation may run in a stream when it is one
 * a CPU runs on its own behalf: in task context alloc, free, get, put,
 * drain, drain_all, pcp_disable, pcp_enable, isolate, unisolate; in
 * interrupt context alloc without __GFP_DIRECT_RECLAIM, free and put.
 */
bool kb_op_stream_allows(const struct kb_op *op, unsigned int stream);
/* The i-th stream number of a SCHEDULE operation. */
static inline unsigned int kb_op_schedule_at(const struct kb_op *op, unsigned int i)
{
	return (unsigned int)((unsigned long)op->value >> (4 * i)) & 15;
}
/* The bytes of the records ops encodes to (stream changes take a record each). */
size_t kb_ops_records_size(const struct kb_ops *ops);

/*
 * The handles op creates: 1 for ALLOC, ALLOC_CONTIG and ALLOC_EXACT, one
 * per empty slot for ALLOC_BULK (handle, handle + 1, ...), else 0.
 */
unsigned int kb_op_new_handles(const struct kb_op *op);

/*
 * Appends what gives everything back: free every handle still held, put
 * every GET reference, undo isolation on [0, max_pfn), drain every pcp
 * list. Afterwards free pages equal managed pages. Returns -1 (nothing
 * appended) when the operations would not fit in KB_OPS_MAX.
 */
int kb_ops_append_release(struct kb_ops *ops, unsigned long max_pfn);

#endif /* KB_OPS_H */
