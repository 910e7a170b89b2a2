/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Record-level mutation of fuzz_ops inputs; see mutator.h. The record
 * layout and the kind slots are those of docs/ops-format.md, version 1:
 * [kind][a][b][c][d0][d1][d2][d3], kind % 32 picks the operation.
 */
#include <string.h>

#include "mutator.h"

#define REC		8	/* KB_OPS_RECORD_SIZE */
#define MAX_RECORDS	4096	/* KB_OPS_MAX: later records are never decoded */
/*
 * Past this many records, half of the inserts and duplicates become
 * deletes: long inputs cost run time (each operation is checked) and
 * libFuzzer does not apply its length control to custom mutators.
 */
#define SOFT_RECORDS	64

/* Kind slots (docs/ops-format.md, "Kind byte"). */
#define SLOT_ALLOC	0	/* 0-11 */
#define SLOT_FREE	12	/* 12-23 */
#define SLOT_DRAIN	24
#define SLOT_DRAIN_ALL	25
#define SLOT_SYSCTL	26
#define SLOT_PCP_OFF	27
#define SLOT_PCP_ON	28
#define SLOT_OOM	29	/* a % 64: OOM_VICTIM (0-1), COMPACT (2), KCOMPACTD (3), SYSCTL (4),
			 * KSWAPD (5), OOM_SCORE_ADJ (6), SPLIT (24), ALLOC_EXACT (25), ALLOC_BULK (26),
			 * SOFT_OFFLINE (27), UNPOISON (28) */
#define SLOT_REF	30	/* a & 1: GET or PUT */
#define SLOT_RANGE	31	/* a % 3: ISOLATE, UNISOLATE or ALLOC_CONTIG */

void kb_mut_seed(struct kb_mut_rng *rng, unsigned int seed)
{
	rng->s = seed * 2654435761u ^ 0x6b627564u;
	if (!rng->s)
		rng->s = 0x6b627564u;
}

uint32_t kb_mut_next(struct kb_mut_rng *rng)
{
	uint32_t x = rng->s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rng->s = x;
	return x;
}

static uint32_t below(struct kb_mut_rng *rng, uint32_t n)
{
	return n ? kb_mut_next(rng) % n : 0;
}

static size_t nr_records(size_t size)
{
	return size ? (size - 1) / REC : 0;
}

/* Records that fit in max_size bytes after the header. */
static size_t record_cap(size_t max_size)
{
	size_t cap = max_size ? (max_size - 1) / REC : 0;

	return cap < MAX_RECORDS ? cap : MAX_RECORDS;
}

size_t kb_mut_normalise(uint8_t *data, size_t size, size_t max_size)
{
	size_t n;

	if (!max_size)
		return 0;
	if (!size) {
		data[0] = 0;
		return 1;
	}
	if (size > max_size)
		size = max_size;
	n = nr_records(size);
	if (n > record_cap(max_size))
		n = record_cap(max_size);
	return 1 + n * REC;
}

/*
 * A kind byte, weighted towards what makes allocator state: allocs and
 * frees; references and ranges (isolation, contiguous ranges) less often,
 * since one range operation does the work of many.
 */
static uint8_t random_kind(struct kb_mut_rng *rng)
{
	uint32_t p = below(rng, 100);

	if (p < 42)
		return (uint8_t)(SLOT_ALLOC + below(rng, 12));
	if (p < 74)
		return (uint8_t)(SLOT_FREE + below(rng, 12));
	if (p < 79)
		return SLOT_DRAIN;
	if (p < 82)
		return SLOT_DRAIN_ALL;
	if (p < 87)
		return SLOT_SYSCTL;
	if (p < 90)
		return SLOT_PCP_OFF;
	if (p < 91)
		return SLOT_PCP_ON;
	if (p < 93)
		return SLOT_OOM;	/* further operations: mostly the allocation API */
	if (p < 96)
		return SLOT_REF;
	return SLOT_RANGE;
}

/*
 * The b byte of a range record: mostly 2^k - 1, so that the range is a
 * power of two (nr = 1 + b when c's low nibble is 0), as compound ranges
 * must be, and a pageblock or a fraction of one is likely.
 */
static uint8_t random_range_b(struct kb_mut_rng *rng)
{
	if (below(rng, 4))
		return (uint8_t)((1u << below(rng, 9)) - 1);
	return (uint8_t)kb_mut_next(rng);
}

/*
 * A range record's fields: a picks the operation (a % 3) and the CPU;
 * c's low nibble stays 0 (ranges of at most 256 pages), bit 4 puts an
 * isolation near a zone's start, the high nibble picks the contiguous
 * range's node. An isolation's d often has its low ten bits (the offset
 * from a zone's start) a multiple of 32; a contiguous range's gfp is
 * mostly a table entry with no flags flipped (d0 < 0x80).
 */
static void random_range_record(uint8_t *r, struct kb_mut_rng *rng)
{
	uint32_t op = below(rng, 3), d = kb_mut_next(rng);

	r[1] = (uint8_t)(op + 3 * below(rng, 4));
	r[2] = random_range_b(rng);
	r[3] = (uint8_t)(below(rng, 16) << 4);
	if (op == 2 && below(rng, 8))
		d = (d & ~0xffu) | below(rng, 8);
	else if (op != 2 && below(rng, 2))
		d = (d & ~0x3ffu) | (below(rng, 32) << 5);
	r[4] = (uint8_t)d;
	r[5] = (uint8_t)(d >> 8);
	r[6] = (uint8_t)(d >> 16);
	r[7] = (uint8_t)(d >> 24);
}

/* Orders are mostly small, as in the kernel; sometimes any byte. */
static uint8_t random_order(struct kb_mut_rng *rng)
{
	uint32_t p = below(rng, 8);

	if (p < 5)
		return (uint8_t)below(rng, 4);
	if (p < 7)
		return (uint8_t)below(rng, 13);
	return (uint8_t)kb_mut_next(rng);
}

static void random_record(uint8_t *r, struct kb_mut_rng *rng)
{
	uint32_t d = kb_mut_next(rng);

	r[0] = random_kind(rng);
	if (r[0] == SLOT_RANGE) {
		random_range_record(r, rng);
		return;
	}
	r[1] = random_order(rng);
	/*
	 * slot 29: split, alloc_exact, alloc_bulk, soft_offline or unpoison
	 * (sub-slots 24-28) two times in three
	 */
	if (r[0] == SLOT_OOM && below(rng, 3))
		r[1] = (uint8_t)(24 + below(rng, 5) + 64 * below(rng, 4));
	r[2] = (uint8_t)kb_mut_next(rng);
	r[3] = (uint8_t)kb_mut_next(rng);
	r[4] = (uint8_t)below(rng, 32);		/* GFP table index */
	if ((r[0] % 32) == SLOT_SYSCTL) {
		r[5] = (uint8_t)(d >> 8);
		r[6] = (uint8_t)(d >> 16);
		r[7] = (uint8_t)(d >> 24);
		r[4] = (uint8_t)d;
	} else if (below(rng, 8) == 0) {
		/* one GFP flag flipped on top of the table entry */
		uint32_t bit = below(rng, 24);

		r[5] = (uint8_t)(bit < 8 ? 1u << bit : 0);
		r[6] = (uint8_t)(bit >= 8 && bit < 16 ? 1u << (bit - 8) : 0);
		r[7] = (uint8_t)(bit >= 16 ? 1u << (bit - 16) : 0);
	} else {
		r[5] = r[6] = r[7] = 0;
	}
}

/*
 * An allocation that pushes the machine away from boot: high orders of
 * both mobilities (fallbacks, claims, steals and watermark boosts), atomic
 * high orders (highatomic reserves), DMA and DMA32 requests (a small zone
 * exhausted), non-blocking requests (failures without reclaim).
 */
static void pressure_record(uint8_t *r, struct kb_mut_rng *rng)
{
	/* GFP table indexes (ops/decode.c kb_ops_gfp_table) */
	static const uint8_t gfp[] = {
		0,	/* GFP_KERNEL */
		3,	/* GFP_HIGHUSER_MOVABLE */
		7,	/* GFP_KERNEL | __GFP_RECLAIMABLE */
		11,	/* GFP_ATOMIC | __GFP_COMP */
		1,	/* GFP_ATOMIC */
		5,	/* GFP_DMA | GFP_KERNEL */
		6,	/* GFP_DMA32 | GFP_KERNEL */
		25,	/* GFP_ATOMIC | __GFP_DMA */
		23,	/* GFP_NOWAIT | __GFP_COMP */
		24,	/* GFP_HIGHUSER_MOVABLE | __GFP_COMP */
	};

	memset(r, 0, REC);
	r[0] = (uint8_t)(SLOT_ALLOC + below(rng, 12));
	/*
	 * orders 0..12 (reduced modulo MAX_PAGE_ORDER + 1 by the decoder):
	 * small ones mix pageblocks, so that later fallbacks find only
	 * fragments (claims that boost the watermark); large ones exhaust
	 */
	switch (below(rng, 4)) {
	case 0:
		r[1] = (uint8_t)below(rng, 2);
		break;
	case 1:
		/* 87 % 11 == 10, 87 % 8 == 7: MAX_PAGE_ORDER of every built-in layout */
		r[1] = 87;
		break;
	default:
		r[1] = (uint8_t)(2 + below(rng, 11));
		break;
	}
	r[2] = (uint8_t)kb_mut_next(rng);	/* cpu */
	r[3] = (uint8_t)kb_mut_next(rng);	/* node */
	r[4] = gfp[below(rng, sizeof(gfp))];
}

/*
 * An operation whose effect is to change what the allocator derives: a
 * sysctl write of a value that moves the watermarks, reserves or pcp
 * sizes far (or back to the default), a pcp disable or enable, or an
 * isolation of a range near a zone's start.
 */
static void input_record(uint8_t *r, struct kb_mut_rng *rng)
{
	/*
	 * Raw values (the decoder reduces them into each sysctl's range,
	 * ops/decode.c sysctl_range): [which, index, raw].
	 */
	static const struct { uint8_t which, index; uint32_t raw; } sysctl[] = {
		{ 0, 0, 65536 - 128 },	/* min_free_kbytes 65536 */
		{ 0, 0, 0 },		/* min_free_kbytes 128 */
		{ 0, 0, 4096 - 128 },	/* min_free_kbytes 4096 */
		{ 1, 0, 2999 },		/* watermark_scale_factor 3000 */
		{ 1, 0, 0 },		/* watermark_scale_factor 1 */
		{ 2, 0, 0 },		/* watermark_boost_factor 0 */
		{ 2, 0, 30000 },	/* watermark_boost_factor 30000 */
		{ 3, 0, 1 },		/* lowmem_reserve_ratio[DMA] 1 */
		{ 3, 1, 1 },		/* lowmem_reserve_ratio[DMA32] 1 */
		{ 3, 2, 0 },		/* lowmem_reserve_ratio[Normal] 0 */
		{ 3, 0, 256 },		/* lowmem_reserve_ratio[DMA] 256 */
		{ 4, 0, 1 },		/* percpu_pagelist_high_fraction 8 */
		{ 4, 0, 0 },		/* percpu_pagelist_high_fraction 0 */
	};
	uint32_t p = below(rng, 12), raw;

	memset(r, 0, REC);
	if (p >= 10) {
		/*
		 * compaction, reclaim and the OOM killer (slot 29, sub-slots
		 * 2-6): a zone compacted at the THP order or whole, a kcompactd
		 * pass woken for it or not, a compaction sysctl, a kswapd pass,
		 * or a task's oom_score_adj (-1000 unkillable, 0, 1000 first to go)
		 */
		static const uint8_t order[] = { 9, 5, 7, 12, 0 };
		static const uint16_t adj_raw[] = { 0, 1000, 2000 };

		r[0] = SLOT_OOM;
		r[1] = (uint8_t)(2 + below(rng, 5));
		r[2] = (uint8_t)kb_mut_next(rng);		/* node, or which sysctl */
		r[3] = (uint8_t)below(rng, 4);			/* zone */
		r[4] = order[below(rng, sizeof(order))];	/* 12 % 12: whole, not woken */
		if (r[1] == 4 && below(rng, 2))
			r[4] = (uint8_t)kb_mut_next(rng);	/* a sysctl value */
		if (r[1] == 6) {
			uint32_t raw = adj_raw[below(rng, 3)];	/* value = raw - 1000 */

			r[4] = (uint8_t)raw;
			r[5] = (uint8_t)(raw >> 8);
		}
	} else if (p < 7) {
		unsigned int i = below(rng, sizeof(sysctl) / sizeof(sysctl[0]));

		r[0] = SLOT_SYSCTL;
		r[1] = sysctl[i].which;
		r[2] = sysctl[i].index;
		/* sometimes a nearby value rather than the landmark */
		raw = sysctl[i].raw + (below(rng, 4) ? 0 : below(rng, 64));
		r[4] = (uint8_t)raw;
		r[5] = (uint8_t)(raw >> 8);
		r[6] = (uint8_t)(raw >> 16);
		r[7] = (uint8_t)(raw >> 24);
	} else if (p < 9) {
		r[0] = below(rng, 2) ? SLOT_PCP_OFF : SLOT_PCP_ON;
		r[1] = (uint8_t)kb_mut_next(rng);	/* node */
		r[2] = (uint8_t)below(rng, 4);		/* zone */
	} else {
		r[0] = SLOT_RANGE;
		random_range_record(r, rng);
		r[1] = (uint8_t)(3 * below(rng, 4));	/* ISOLATE */
		r[3] |= 0x10;				/* near a zone's start */
	}
}

/*
 * A sysctl write that raises every zone's watermarks: min_free_kbytes near
 * its top (which), or watermark_scale_factor near 3000.
 */
static void raise_watermarks(uint8_t *r, unsigned int which, struct kb_mut_rng *rng)
{
	uint32_t raw = which ? 2999 - below(rng, 500) : 65536 - 128 - below(rng, 8192);

	memset(r, 0, REC);
	r[0] = SLOT_SYSCTL;
	r[1] = (uint8_t)which;
	r[4] = (uint8_t)raw;
	r[5] = (uint8_t)(raw >> 8);
}

/* KB_MUT_DEEP: see mutator.h. Returns the new size. */
static size_t deep(uint8_t *data, size_t size, size_t cap, struct kb_mut_rng *rng)
{
	size_t n = nr_records(size), room = cap - n, burst, at, i;

	if (!room)
		return size;
	/* a burst and then the input, or (one time in four) the input alone */
	burst = below(rng, 4) ? 2 + below(rng, 7) : 0;
	if (burst + 1 > room)
		burst = room - 1;
	/* after the midpoint: the state the earlier records built */
	at = n / 2 + below(rng, (uint32_t)(n - n / 2) + 1);
	memmove(data + 1 + (at + burst + 1) * REC, data + 1 + at * REC, (n - at) * REC);
	for (i = 0; i < burst; i++)
		pressure_record(data + 1 + (at + i) * REC, rng);
	/*
	 * One burst in three starts by raising the watermarks (one or both
	 * sysctls): allocations then take the slow path, where high-order
	 * atomic requests reserve highatomic pageblocks, before the input
	 * changes again.
	 */
	if (burst >= 2 && !below(rng, 3)) {
		raise_watermarks(data + 1 + at * REC, 0, rng);
		if (below(rng, 2))
			raise_watermarks(data + 1 + (at + 1) * REC, 1, rng);
	}
	input_record(data + 1 + (at + burst) * REC, rng);
	return size + (burst + 1) * REC;
}

static void change_field(uint8_t *r, struct kb_mut_rng *rng)
{
	unsigned int f = below(rng, 8);

	switch (f) {
	case 0:
		r[0] = random_kind(rng);
		break;
	case 1:
		if (below(rng, 2))
			r[1] = random_order(rng);
		else
			r[1] = (uint8_t)(r[1] + (below(rng, 2) ? 1 : -1));
		break;
	case 2:
		if ((r[0] % 32) == SLOT_RANGE && below(rng, 2)) {
			r[2] = random_range_b(rng);
			break;
		}
		/* fall through */
	case 3:
		if (below(rng, 2))
			r[f] = (uint8_t)kb_mut_next(rng);
		else
			r[f] = (uint8_t)(r[f] + (below(rng, 2) ? 1 : -1));
		break;
	case 4:
		r[4] = (uint8_t)below(rng, 32);
		break;
	default:
		if (below(rng, 3) == 0)
			r[f] = 0;
		else
			r[f] ^= (uint8_t)(1u << below(rng, 8));
		break;
	}
}

size_t kb_mut_apply(enum kb_mut_kind kind, uint8_t *data, size_t size, size_t max_size,
		    struct kb_mut_rng *rng)
{
	size_t n, cap, i, j;
	uint8_t tmp[REC];

	size = kb_mut_normalise(data, size, max_size);
	if (!size)
		return 0;
	n = nr_records(size);
	cap = record_cap(max_size);

	if ((kind == KB_MUT_INSERT || kind == KB_MUT_DUPLICATE) && n > SOFT_RECORDS &&
	    below(rng, 2))
		kind = KB_MUT_DELETE;
	/* Fall back to something that can apply. */
	if (kind == KB_MUT_DEEP && n >= cap)
		kind = n ? KB_MUT_FIELD : KB_MUT_HEADER;
	if ((kind == KB_MUT_INSERT || kind == KB_MUT_DUPLICATE) && n >= cap)
		kind = n ? KB_MUT_FIELD : KB_MUT_HEADER;
	if ((kind == KB_MUT_DELETE || kind == KB_MUT_FIELD || kind == KB_MUT_DUPLICATE) && !n)
		kind = cap ? KB_MUT_INSERT : KB_MUT_HEADER;
	if (kind == KB_MUT_SWAP && n < 2)
		kind = n ? KB_MUT_FIELD : (cap ? KB_MUT_INSERT : KB_MUT_HEADER);

	switch (kind) {
	case KB_MUT_INSERT:
		i = below(rng, (uint32_t)n + 1);
		memmove(data + 1 + (i + 1) * REC, data + 1 + i * REC, (n - i) * REC);
		random_record(data + 1 + i * REC, rng);
		return size + REC;
	case KB_MUT_DELETE:
		i = below(rng, (uint32_t)n);
		memmove(data + 1 + i * REC, data + 1 + (i + 1) * REC, (n - i - 1) * REC);
		return size - REC;
	case KB_MUT_DUPLICATE:
		i = below(rng, (uint32_t)n);
		j = below(rng, (uint32_t)n + 1);
		memcpy(tmp, data + 1 + i * REC, REC);
		memmove(data + 1 + (j + 1) * REC, data + 1 + j * REC, (n - j) * REC);
		memcpy(data + 1 + j * REC, tmp, REC);
		return size + REC;
	case KB_MUT_SWAP:
		i = below(rng, (uint32_t)n);
		j = (i + 1 + below(rng, (uint32_t)n - 1)) % n;
		memcpy(tmp, data + 1 + i * REC, REC);
		memcpy(data + 1 + i * REC, data + 1 + j * REC, REC);
		memcpy(data + 1 + j * REC, tmp, REC);
		return size;
	case KB_MUT_FIELD:
		change_field(data + 1 + below(rng, (uint32_t)n) * REC, rng);
		return size;
	case KB_MUT_DEEP:
		return deep(data, size, cap, rng);
	case KB_MUT_HEADER:
	default:
		/*
		 * header % (number of built-in layouts) picks the layout; that
		 * number grows as layouts are added, so any other byte value.
		 */
		data[0] = (uint8_t)(data[0] + 1 + below(rng, 255));
		return size;
	}
}

size_t kb_mut_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return kb_mut_mutate_mix(data, size, max_size, seed, true);
}

size_t kb_mut_mutate_mix(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
			 bool deep_state)
{
	struct kb_mut_rng rng;
	unsigned int i, count;

	kb_mut_seed(&rng, seed);
	size = kb_mut_normalise(data, size, max_size);
	count = 1 + below(&rng, 4);
	for (i = 0; i < count && size; i++) {
		/*
		 * weights: field 35%, insert 20%, delete 15%, duplicate 12%,
		 * swap 12%, header 6%; with deep state, one mutation in ten
		 * is KB_MUT_DEEP instead (taken from all of them alike)
		 */
		uint32_t p = below(&rng, 100);
		enum kb_mut_kind kind;

		if (deep_state && below(&rng, 10) == 0)
			kind = KB_MUT_DEEP;
		else if (p < 35)
			kind = KB_MUT_FIELD;
		else if (p < 55)
			kind = KB_MUT_INSERT;
		else if (p < 70)
			kind = KB_MUT_DELETE;
		else if (p < 82)
			kind = KB_MUT_DUPLICATE;
		else if (p < 94)
			kind = KB_MUT_SWAP;
		else
			kind = KB_MUT_HEADER;
		size = kb_mut_apply(kind, data, size, max_size, &rng);
	}
	return size;
}

size_t kb_mut_crossover(const uint8_t *a, size_t a_size, const uint8_t *b, size_t b_size,
			uint8_t *out, size_t max_out, unsigned int seed)
{
	struct kb_mut_rng rng;
	size_t na = nr_records(a_size), nb = nr_records(b_size);
	size_t cap = record_cap(max_out), n = 0, i, j, len;

	if (!max_out)
		return 0;
	kb_mut_seed(&rng, seed);
	out[0] = a_size ? a[0] : (b_size ? b[0] : 0);
	if (below(&rng, 2)) {
		/* a's first i records, then b's records from j on */
		i = below(&rng, (uint32_t)na + 1);
		j = below(&rng, (uint32_t)nb + 1);
		for (; n < i && n < cap; n++)
			memcpy(out + 1 + n * REC, a + 1 + n * REC, REC);
		for (; j < nb && n < cap; j++, n++)
			memcpy(out + 1 + n * REC, b + 1 + j * REC, REC);
	} else {
		/* a run of b's records spliced into a at record i */
		i = below(&rng, (uint32_t)na + 1);
		j = below(&rng, (uint32_t)nb + 1);
		len = nb - j ? 1 + below(&rng, (uint32_t)(nb - j)) : 0;
		for (; n < i && n < cap; n++)
			memcpy(out + 1 + n * REC, a + 1 + n * REC, REC);
		for (; len && j < nb && n < cap; j++, len--, n++)
			memcpy(out + 1 + n * REC, b + 1 + j * REC, REC);
		for (; i < na && n < cap; i++, n++)
			memcpy(out + 1 + n * REC, a + 1 + i * REC, REC);
	}
	return 1 + n * REC;
}
