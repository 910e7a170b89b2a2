/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The operation format (docs/ops-format.md), binary and text, and the GFP
 * names it uses.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbtest.h"
#include "../core/gfp.h"
#include "../core/kbuddy.h"
#include "../ops/ops.h"
#include "../ops/ops_internal.h"
#include "../machine/layout_io.h"

/* Sequences are large (KB_OPS_MAX operations): keep them out of the stack. */
static struct kb_ops ops_a, ops_b, ops_c;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static bool op_eq(const struct kb_op *a, const struct kb_op *b)
{
	return a->kind == b->kind && a->order == b->order && a->gfp == b->gfp &&
	       a->cpu == b->cpu && a->nid == b->nid && a->handle == b->handle &&
	       a->order_given == b->order_given && a->sysctl == b->sysctl &&
	       a->index == b->index && a->value == b->value &&
	       a->node == b->node && a->zone == b->zone && a->pfn == b->pfn &&
	       a->nr == b->nr && a->race == b->race && a->relative == b->relative;
}

/* Same sequence; reports the first difference. */
static bool ops_eq(const struct kb_ops *a, const struct kb_ops *b)
{
	size_t i;

	if (strcmp(a->layout, b->layout)) {
		fprintf(stderr, "    layout %s != %s\n", a->layout, b->layout);
		return false;
	}
	if (a->nr_ops != b->nr_ops || a->nr_handles != b->nr_handles) {
		fprintf(stderr, "    nr_ops %zu/%zu, nr_handles %zu/%zu\n",
			a->nr_ops, b->nr_ops, a->nr_handles, b->nr_handles);
		return false;
	}
	for (i = 0; i < a->nr_ops; i++) {
		if (!op_eq(&a->ops[i], &b->ops[i])) {
			char x[640], y[640];

			kb_op_format(&a->ops[i], x, sizeof(x));
			kb_op_format(&b->ops[i], y, sizeof(y));
			fprintf(stderr, "    op %zu: '%s' != '%s'\n", i, x, y);
			return false;
		}
	}
	return true;
}

static int parse(const char *text, struct kb_ops *ops, char *err, size_t errlen)
{
	return kb_ops_parse_text(text, strlen(text), ops, err, errlen);
}

#define EXPECT_PARSE_ERROR(text, ...)					\
	do {								\
		char _err[256];						\
		const char *_want[] = { __VA_ARGS__ };			\
		EXPECT_EQ(parse(text, &ops_a, _err, sizeof(_err)), -1);	\
		EXPECT_TRUE(strchr(_err, '\n') == NULL);		\
		for (size_t _i = 0; _i < sizeof(_want) / sizeof(_want[0]); _i++) \
			if (!strstr(_err, _want[_i]))			\
				KBTEST_FAIL("error \"%s\" lacks \"%s\"", _err, _want[_i]); \
	} while (0)

/* A binary input: header byte then records. */
struct bin {
	uint8_t data[1 + 8 * 64];
	size_t size;
};

static void bin_init(struct bin *b, uint8_t header)
{
	memset(b, 0, sizeof(*b));
	b->data[0] = header;
	b->size = 1;
}

static void bin_rec(struct bin *b, uint8_t kind, uint8_t a, uint8_t bb, uint8_t c,
		    uint32_t d)
{
	uint8_t *r = b->data + b->size;

	r[0] = kind;
	r[1] = a;
	r[2] = bb;
	r[3] = c;
	r[4] = (uint8_t)d;
	r[5] = (uint8_t)(d >> 8);
	r[6] = (uint8_t)(d >> 16);
	r[7] = (uint8_t)(d >> 24);
	b->size += 8;
}

/* ------------------------------------------------------------------ */
/* GFP names                                                          */

static void expect_gfp_format(gfp_t gfp, const char *want)
{
	char buf[512];

	EXPECT_EQ(kb_gfp_format(gfp, buf, sizeof(buf)), (int)strlen(want));
	EXPECT_STREQ(buf, want);
}

TEST(gfp_format_examples)
{
	expect_gfp_format(0, "0");
	expect_gfp_format(GFP_KERNEL, "GFP_KERNEL");
	expect_gfp_format(GFP_KERNEL | __GFP_COMP, "GFP_KERNEL|__GFP_COMP");
	expect_gfp_format(GFP_HIGHUSER_MOVABLE | __GFP_COMP,
			  "GFP_HIGHUSER_MOVABLE|__GFP_COMP");
	expect_gfp_format(GFP_TRANSHUGE, "GFP_TRANSHUGE");
	expect_gfp_format(GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT");
	expect_gfp_format(GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT");
	expect_gfp_format(GFP_ATOMIC, "GFP_ATOMIC");
	expect_gfp_format(GFP_NOWAIT, "GFP_NOWAIT");
	expect_gfp_format(GFP_NOIO, "GFP_NOIO");
	expect_gfp_format(GFP_NOFS, "GFP_NOFS");
	expect_gfp_format(GFP_USER, "GFP_USER");
	expect_gfp_format(GFP_HIGHUSER, "GFP_HIGHUSER");
	expect_gfp_format(GFP_DMA, "GFP_DMA");
	expect_gfp_format(GFP_DMA32, "GFP_DMA32");
	expect_gfp_format(GFP_KERNEL | __GFP_DMA, "GFP_KERNEL|__GFP_DMA");
	expect_gfp_format(__GFP_HIGH | __GFP_NOWARN, "__GFP_HIGH|__GFP_NOWARN");
	expect_gfp_format(__GFP_ZEROTAGS, "__GFP_ZEROTAGS");
	/* bits the kernel does not name stay numeric */
	expect_gfp_format(0x200, "0x200");
	expect_gfp_format(GFP_KERNEL | 0x200 | 0x1000000u, "GFP_KERNEL|0x1000200");
}

TEST(gfp_format_truncates_like_snprintf)
{
	char buf[8];

	EXPECT_EQ(kb_gfp_format(GFP_KERNEL | __GFP_COMP, buf, sizeof(buf)), 21);
	EXPECT_STREQ(buf, "GFP_KER");
	EXPECT_EQ(kb_gfp_format(GFP_KERNEL | __GFP_COMP, NULL, 0), 21);
}

TEST(gfp_parse_names_and_numbers)
{
	static const struct {
		const char *text;
		gfp_t want;
	} cases[] = {
		{ "0", 0 },
		{ "GFP_KERNEL", GFP_KERNEL },
		{ "GFP_ATOMIC", GFP_ATOMIC },
		{ "GFP_NOWAIT", GFP_NOWAIT },
		{ "GFP_NOIO", GFP_NOIO },
		{ "GFP_NOFS", GFP_NOFS },
		{ "GFP_USER", GFP_USER },
		{ "GFP_DMA", GFP_DMA },
		{ "GFP_DMA32", GFP_DMA32 },
		{ "GFP_HIGHUSER", GFP_HIGHUSER },
		{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE },
		{ "GFP_TRANSHUGE", GFP_TRANSHUGE },
		{ "GFP_TRANSHUGE_LIGHT", GFP_TRANSHUGE_LIGHT },
		{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT },
		{ "__GFP_RECLAIM", __GFP_RECLAIM },
		{ "GFP_KERNEL|__GFP_COMP", GFP_KERNEL | __GFP_COMP },
		{ " GFP_ATOMIC | __GFP_NOWARN ", GFP_ATOMIC | __GFP_NOWARN },
		{ "0x40000|GFP_KERNEL", GFP_KERNEL | __GFP_COMP },
		{ "0X10|16", __GFP_RECLAIMABLE },
		{ "262144", __GFP_COMP },
		{ "__GFP_DMA|__GFP_DMA32", __GFP_DMA | __GFP_DMA32 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gfp_t g = 0xdeadbeef;

		if (kb_gfp_parse(cases[i].text, &g))
			KBTEST_FAIL("'%s' did not parse", cases[i].text);
		else if (g != cases[i].want)
			KBTEST_FAIL("'%s' parsed as %#x, want %#x", cases[i].text,
				    g, cases[i].want);
	}
}

TEST(gfp_parse_every_single_flag)
{
	unsigned int bit;

	for (bit = 0; bit < __GFP_BITS_SHIFT; bit++) {
		gfp_t g = 1u << bit, back;
		char buf[64];

		if (!(g & KB_GFP_VALID_MASK))
			continue;
		kb_gfp_format(g, buf, sizeof(buf));
		ASSERT_EQ(kb_gfp_parse(buf, &back), 0);
		EXPECT_EQ(back, g);
	}
}

TEST(gfp_parse_rejections)
{
	static const char *const bad[] = {
		"", "|", "GFP_KERNEL|", "|GFP_KERNEL", "GFP_KERNEL||__GFP_COMP",
		"GFP_KERNAL", "gfp_kernel", "__GFP_BOGUS", "0x", "0xz1", "12a",
		"-1", "0x200", "0x1000000", "GFP_KERNEL|0x200", "4294967296",
		"0x100000000", "GFP_KERNEL __GFP_COMP",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gfp_t g = 77;

		if (kb_gfp_parse(bad[i], &g) != -1)
			KBTEST_FAIL("'%s' was accepted", bad[i]);
		EXPECT_EQ(g, 77);
	}
	EXPECT_EQ(kb_gfp_parse(NULL, &(gfp_t){ 0 }), -1);
}

TEST(gfp_round_trip_random)
{
	uint64_t seed = 0xfeedfacecafef00dull;
	int i;

	for (i = 0; i < 100000; i++) {
		gfp_t g = (gfp_t)xorshift(&seed) & KB_GFP_VALID_MASK, back;
		char buf[512];

		if (i & 1)	/* sparse masks too */
			g &= (gfp_t)xorshift(&seed);
		kb_gfp_format(g, buf, sizeof(buf));
		if (kb_gfp_parse(buf, &back) || back != g) {
			KBTEST_FAIL("%#x -> '%s' does not parse back", g, buf);
			return;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Binary decoding                                                     */

TEST(binary_empty_input)
{
	kb_ops_decode_binary(NULL, 0, &ops_a);
	EXPECT_STREQ(ops_a.layout, "default");
	EXPECT_EQ(ops_a.nr_ops, 0);
	EXPECT_EQ(ops_a.nr_handles, 0);
	kb_ops_decode_binary((const uint8_t *)"", 0, &ops_a);
	EXPECT_STREQ(ops_a.layout, "default");
	EXPECT_EQ(ops_a.nr_ops, 0);
}

TEST(binary_one_byte_selects_layout)
{
	static const char *const names[] = {
		"default", "zones", "holes", "numa", "cma", "small", "small-blocks",
	};
	unsigned int h;

	for (h = 0; h < 256; h++) {
		uint8_t byte = (uint8_t)h;

		kb_ops_decode_binary(&byte, 1, &ops_a);
		EXPECT_STREQ(ops_a.layout, names[h % 7]);
		EXPECT_EQ(ops_a.nr_ops, 0);
	}
}

TEST(binary_truncated_record_ignored)
{
	struct bin b;

	bin_init(&b, 0);
	bin_rec(&b, 0, 3, 1, 0, 0);
	bin_rec(&b, 24, 1, 0, 0, 0);
	kb_ops_decode_binary(b.data, b.size - 1, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 1);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_ALLOC);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	EXPECT_EQ(ops_a.nr_ops, 2);
	kb_ops_decode_binary(b.data, 8, &ops_a);
	EXPECT_EQ(ops_a.nr_ops, 0);
}

TEST(binary_huge_input_capped)
{
	size_t n = 1 + 8 * (KB_OPS_MAX + 1000), i;
	uint8_t *data = calloc(1, n);

	ASSERT_TRUE(data != NULL);
	for (i = 1; i + 8 <= n; i += 8)
		data[i] = 1;	/* ALLOC */
	kb_ops_decode_binary(data, n, &ops_a);
	EXPECT_EQ(ops_a.nr_ops, KB_OPS_MAX);
	EXPECT_EQ(ops_a.nr_handles, KB_OPS_MAX);
	EXPECT_EQ(ops_a.ops[KB_OPS_MAX - 1].handle, KB_OPS_MAX);
	free(data);
}

TEST(binary_kind_slots)
{
	static const enum kb_op_kind want[32] = {
		[0 ... 11] = KB_OP_ALLOC,
		[12 ... 23] = KB_OP_FREE,
		[24] = KB_OP_DRAIN_CPU,
		[25] = KB_OP_DRAIN_ALL,
		[26] = KB_OP_SYSCTL,
		[27] = KB_OP_PCP_DISABLE,
		[28] = KB_OP_PCP_ENABLE,
		[29] = KB_OP_OOM_VICTIM,
		[30] = KB_OP_GET,	/* a = 0: GET (a1 is live) */
		[31] = KB_OP_ISOLATE,	/* a = 0: ISOLATE */
	};
	unsigned int k;

	for (k = 0; k < 256; k++) {
		struct bin b;

		bin_init(&b, 0);
		bin_rec(&b, 0, 0, 0, 0, 0);		/* something to free */
		bin_rec(&b, 27, 0, 0, 0, 0);		/* something to enable */
		bin_rec(&b, (uint8_t)k, 0, 0, 0, 0);
		kb_ops_decode_binary(b.data, b.size, &ops_a);
		ASSERT_EQ(ops_a.nr_ops, 3);
		EXPECT_EQ(ops_a.ops[2].kind, want[k % 32]);
	}
}

/* Slot 29: a % 64 picks a further operation; an unassigned sub-slot drops its record. */
TEST(binary_more_slots)
{
	unsigned int a;

	for (a = 0; a < 256; a++) {
		unsigned int kind = kb_ops_more_slot[a % KB_OPS_MORE_SLOTS];
		struct bin b;

		bin_init(&b, 0);
		bin_rec(&b, KB_OPS_MORE_KIND_SLOT, (uint8_t)a, 0, 0, 0);
		kb_ops_decode_binary(b.data, b.size, &ops_a);
		/* a split needs a live handle: alone it is dropped */
		if (kind == KB_OP_NONE || kind == KB_OP_SPLIT) {
			EXPECT_EQ(ops_a.nr_ops, 0);
			continue;
		}
		ASSERT_EQ(ops_a.nr_ops, 1);
		EXPECT_EQ(ops_a.ops[0].kind, kind);
		if (kind == KB_OP_OOM_VICTIM)
			EXPECT_EQ(ops_a.ops[0].value, (long)(a & 1));
	}
	EXPECT_EQ(kb_ops_more_sub(KB_OP_OOM_VICTIM), 0);
	EXPECT_EQ(kb_ops_more_slot[1], KB_OP_OOM_VICTIM);
}

TEST(binary_alloc_fields)
{
	struct bin b;

	bin_init(&b, 3);	/* numa: 2 nodes, 4 CPUs */
	bin_rec(&b, 0, 11, 5, 0, 0);
	bin_rec(&b, 32, 12, 3, 2, 3);			/* nid 2 == nr_nodes: -1 */
	bin_rec(&b, 10, 0, 0, 4, 1 | __GFP_COMP << 8);
	bin_rec(&b, 0, 0, 0, 1, 0xffffff00u);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	EXPECT_STREQ(ops_a.layout, "numa");
	ASSERT_EQ(ops_a.nr_ops, 4);
	EXPECT_EQ(ops_a.nr_handles, 4);
	EXPECT_EQ(ops_a.ops[0].order, 0);		/* 11 % 11 */
	EXPECT_EQ(ops_a.ops[0].cpu, 1);			/* 5 % 4 */
	EXPECT_EQ(ops_a.ops[0].nid, 0);
	EXPECT_EQ(ops_a.ops[0].gfp, GFP_KERNEL);
	EXPECT_EQ(ops_a.ops[0].handle, 1);
	EXPECT_EQ(ops_a.ops[1].order, 1);
	EXPECT_EQ(ops_a.ops[1].cpu, 3);
	EXPECT_EQ(ops_a.ops[1].nid, -1);
	EXPECT_EQ(ops_a.ops[1].gfp, GFP_HIGHUSER_MOVABLE);
	EXPECT_EQ(ops_a.ops[1].handle, 2);
	EXPECT_EQ(ops_a.ops[2].nid, 1);			/* 4 % 3 */
	EXPECT_EQ(ops_a.ops[2].gfp, GFP_ATOMIC ^ __GFP_COMP);
	EXPECT_EQ(ops_a.ops[3].gfp, GFP_KERNEL ^ KB_GFP_VALID_MASK);
	EXPECT_EQ(ops_a.ops[3].handle, 4);
}

/* GET picks a live handle, PUT one with references; race needs exactly one. */
TEST(binary_reference_fields)
{
	struct bin b;

	bin_init(&b, 0);
	bin_rec(&b, 30, 1, 0, 0, 0);		/* PUT with nothing referenced: dropped */
	bin_rec(&b, 30, 0, 0, 0, 0);		/* GET with nothing live: dropped */
	bin_rec(&b, 0, 0, 0, 0, 0);		/* a1 */
	bin_rec(&b, 0, 0, 0, 0, 0);		/* a2 */
	bin_rec(&b, 30, 0, 1, 0, 0);		/* get a2 */
	bin_rec(&b, 12, 1, 0, 0, 1);		/* free a2 race */
	bin_rec(&b, 30, 2, 0, 0, 0);		/* get a1 (even a: GET) */
	bin_rec(&b, 30, 0, 0, 0, 0);		/* get a1 */
	bin_rec(&b, 12, 0, 0, 0, 1);		/* free a1: two references, no race */
	bin_rec(&b, 30, 0, 0, 0, 0);		/* GET: nothing live any more: dropped */
	bin_rec(&b, 30, 3, 0, 0, 0);		/* put a1 */
	bin_rec(&b, 30, 1, 0, 0, 0);		/* put a1 */
	bin_rec(&b, 30, 1, 0, 0, 0);		/* PUT: no references left: dropped */
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 9);
	EXPECT_EQ(ops_a.ops[2].kind, KB_OP_GET);
	EXPECT_EQ(ops_a.ops[2].handle, 2);
	EXPECT_EQ(ops_a.ops[3].kind, KB_OP_FREE);
	EXPECT_EQ(ops_a.ops[3].handle, 2);
	EXPECT_TRUE(ops_a.ops[3].race);
	EXPECT_EQ(ops_a.ops[4].kind, KB_OP_GET);
	EXPECT_EQ(ops_a.ops[5].kind, KB_OP_GET);
	EXPECT_EQ(ops_a.ops[6].kind, KB_OP_FREE);
	EXPECT_TRUE(!ops_a.ops[6].race);
	EXPECT_EQ(ops_a.ops[7].kind, KB_OP_PUT);
	EXPECT_EQ(ops_a.ops[7].handle, 1);
	EXPECT_EQ(ops_a.ops[8].kind, KB_OP_PUT);
}

TEST(binary_range_fields)
{
	struct bin b;

	bin_init(&b, 0);	/* default: MAX_PAGE_ORDER 10 */
	bin_rec(&b, 31, 0, 0xff, 0x01, 0x1234);		/* isolate */
	bin_rec(&b, 31, 1, 0x00, 0xff, 0xffffffffu);	/* unisolate */
	bin_rec(&b, 31, 2 + 3 * 1, 63, 0x10, 0x01);	/* alloc_contig, cpu 1 */
	bin_rec(&b, 31, 2, 0, 0, 0x80 | __GFP_HIGH << 8);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 4);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_ISOLATE);
	EXPECT_EQ(ops_a.ops[0].pfn, 0x1234);
	EXPECT_EQ(ops_a.ops[0].nr, 1 + 0x1ff % 256);
	EXPECT_EQ(ops_a.ops[1].kind, KB_OP_UNISOLATE);
	EXPECT_TRUE(ops_a.ops[1].pfn < (1UL << 22));
	EXPECT_EQ(ops_a.ops[1].nr, 1 + 0xf00 % 256);
	EXPECT_EQ(ops_a.ops[2].kind, KB_OP_ALLOC_CONTIG);
	EXPECT_EQ(ops_a.ops[2].cpu, 1);
	EXPECT_EQ(ops_a.ops[2].nr, 64);
	EXPECT_EQ(ops_a.ops[2].nid, -1);	/* 1 == nr_nodes */
	EXPECT_EQ(ops_a.ops[2].gfp, GFP_KERNEL | __GFP_COMP);
	EXPECT_EQ(ops_a.ops[2].handle, 1);
	EXPECT_EQ(ops_a.ops[3].gfp, GFP_KERNEL ^ __GFP_HIGH);
	EXPECT_EQ(ops_a.ops[3].handle, 2);
	EXPECT_EQ(ops_a.nr_handles, 2);
}

TEST(text_reference_and_range_ops)
{
	static const char text[] =
		"layout default\n"
		"alloc order=2 gfp=GFP_KERNEL|__GFP_COMP cpu=0 -> a1\n"
		"get a1\n"
		"free a1 cpu=1 race\n"
		"isolate pfn=0x200 nr=256\n"
		"unisolate pfn=512 nr=256\n"
		"alloc_contig nr=64 gfp=GFP_KERNEL cpu=1 nid=0 -> a2\n"
		"put a1\n";
	static char out[4096];
	static uint8_t enc[256];
	char err[256];
	size_t n;

	ASSERT_EQ(kb_ops_parse_text(text, sizeof(text) - 1, &ops_a, err, sizeof(err)), 0);
	ASSERT_EQ(ops_a.nr_ops, 7);
	EXPECT_TRUE(ops_a.ops[2].race);
	EXPECT_EQ(ops_a.ops[3].pfn, 0x200);
	EXPECT_EQ(ops_a.ops[4].nr, 256);
	EXPECT_EQ(ops_a.ops[5].nr, 64);
	EXPECT_EQ(ops_a.ops[5].handle, 2);
	EXPECT_EQ(ops_a.nr_handles, 2);
	n = kb_ops_format_text(&ops_a, out, sizeof(out));
	EXPECT_TRUE(strstr(out, "free a1 cpu=1 race\n") != NULL);
	EXPECT_TRUE(strstr(out, "isolate pfn=0x200 nr=256\n") != NULL);
	EXPECT_TRUE(strstr(out, "alloc_contig nr=64 gfp=GFP_KERNEL cpu=1 nid=0 -> a2\n") != NULL);
	ASSERT_EQ(kb_ops_parse_text(out, n, &ops_b, err, sizeof(err)), 0);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
	/* the put after the raced free names a handle with no reference left */
	EXPECT_EQ(kb_ops_encode_binary(&ops_a, enc, sizeof(enc)), 0);
	ops_a.nr_ops--;
	n = kb_ops_encode_binary(&ops_a, enc, sizeof(enc));
	ASSERT_EQ(n, 1 + 6 * 8);
	kb_ops_decode_binary(enc, n, &ops_c);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_c));
}

TEST(text_error_reference_and_range_ops)
{
	char err[256];

	EXPECT_EQ(parse("get a1\n", &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "never created") != NULL);
	EXPECT_EQ(parse("put\n", &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "usage: put a<handle>") != NULL);
	EXPECT_EQ(parse("isolate pfn=1\n", &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "pfn= and nr= are required") != NULL);
	EXPECT_EQ(parse("isolate pfn=1 nr=0\n", &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "out of range") != NULL);
	EXPECT_EQ(parse("alloc_contig gfp=GFP_KERNEL\n", &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "nr= is required") != NULL);
	EXPECT_EQ(parse("alloc order=0 -> a1\nfree a1 race race\n", &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "'race' given twice") != NULL);
}

TEST(binary_free_drops_when_nothing_outstanding)
{
	struct bin b;

	bin_init(&b, 0);
	bin_rec(&b, 12, 0, 0, 0, 0);	/* dropped */
	bin_rec(&b, 0, 0, 0, 0, 0);	/* a1 */
	bin_rec(&b, 0, 0, 0, 0, 0);	/* a2 */
	bin_rec(&b, 0, 0, 0, 0, 0);	/* a3 */
	bin_rec(&b, 13, 1, 0, 3, 0);	/* index 1 of [1 2 3]: a2 on cpu 1 */
	bin_rec(&b, 14, 0, 1, 0, 0);	/* index 256 % 2 = 0 of [1 3]: a1 */
	bin_rec(&b, 15, 7, 0, 0, 0);	/* index 0 of [3] */
	bin_rec(&b, 16, 0, 0, 0, 0);	/* dropped */
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 6);
	EXPECT_EQ(ops_a.ops[3].kind, KB_OP_FREE);
	EXPECT_EQ(ops_a.ops[3].handle, 2);
	EXPECT_EQ(ops_a.ops[3].cpu, 1);
	EXPECT_TRUE(!ops_a.ops[3].order_given);
	EXPECT_EQ(ops_a.ops[4].handle, 1);
	EXPECT_EQ(ops_a.ops[5].handle, 3);
}

TEST(binary_pcp_enable_dropped_without_disable)
{
	struct bin b;

	bin_init(&b, 3);			/* numa: 2 nodes */
	bin_rec(&b, 28, 0, 2, 0, 0);		/* dropped */
	bin_rec(&b, 27, 2, 6, 0, 0);		/* disable node 0 zone 2 */
	bin_rec(&b, 27, 0, 2, 0, 0);		/* again: nested */
	bin_rec(&b, 28, 1, 2, 0, 0);		/* node 1: dropped */
	bin_rec(&b, 28, 0, 2, 0, 0);
	bin_rec(&b, 28, 0, 2, 0, 0);
	bin_rec(&b, 28, 0, 2, 0, 0);		/* dropped */
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 4);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_PCP_DISABLE);
	EXPECT_EQ(ops_a.ops[0].node, 0);
	EXPECT_EQ(ops_a.ops[0].zone, ZONE_NORMAL);
	EXPECT_EQ(ops_a.ops[1].kind, KB_OP_PCP_DISABLE);
	EXPECT_EQ(ops_a.ops[2].kind, KB_OP_PCP_ENABLE);
	EXPECT_EQ(ops_a.ops[3].kind, KB_OP_PCP_ENABLE);
}

TEST(binary_drain_fields)
{
	struct bin b;

	bin_init(&b, 5);			/* small: 1 CPU */
	bin_rec(&b, 24, 7, 0, 0, 0);
	bin_rec(&b, 25, 7, 7, 7, 7);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 2);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_DRAIN_CPU);
	EXPECT_EQ(ops_a.ops[0].cpu, 0);
	EXPECT_EQ(ops_a.ops[1].kind, KB_OP_DRAIN_ALL);
}

static long sysctl_value(unsigned int which, uint32_t raw, unsigned int *index)
{
	struct bin b;

	bin_init(&b, 0);
	bin_rec(&b, 26, (uint8_t)which, 6, 0, raw);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	if (ops_a.nr_ops != 1 || ops_a.ops[0].kind != KB_OP_SYSCTL ||
	    ops_a.ops[0].sysctl != which % KB_OPS_SYSCTL_SLOTS)
		return -999;
	*index = ops_a.ops[0].index;
	return ops_a.ops[0].value;
}

TEST(binary_sysctl_ranges)
{
	unsigned int idx;

	EXPECT_EQ(sysctl_value(KB_SYSCTL_MIN_FREE_KBYTES, 0, &idx), 128);
	EXPECT_EQ(idx, 0);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_MIN_FREE_KBYTES, 65536 - 128, &idx), 65536);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_MIN_FREE_KBYTES, 65536 - 127, &idx), 128);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_WATERMARK_SCALE_FACTOR, 0, &idx), 1);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_WATERMARK_SCALE_FACTOR, 2999, &idx), 3000);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_WATERMARK_BOOST_FACTOR, 0, &idx), 0);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_WATERMARK_BOOST_FACTOR, 30000, &idx), 30000);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_WATERMARK_BOOST_FACTOR, 30001, &idx), 0);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_LOWMEM_RESERVE_RATIO, 1024, &idx), 1024);
	EXPECT_EQ(idx, 6 % MAX_NR_ZONES);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_LOWMEM_RESERVE_RATIO, 1025, &idx), 0);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 0, &idx), 0);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 1, &idx), 8);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 57, &idx), 64);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 58, &idx), 0);
	EXPECT_EQ(sysctl_value(KB_SYSCTL_WATERMARK_SCALE_FACTOR + KB_OPS_SYSCTL_SLOTS,
			       0xffffffffu, &idx), 1 + 0xffffffffu % 3000);
}

/* The compaction sysctls come through sub-slot 4 of slot 29: b picks one. */
TEST(binary_compaction_sysctls)
{
	static const struct {
		uint8_t b;
		uint32_t raw;
		unsigned int sysctl;
		long value;
	} cases[] = {
		{ 0, 12345, KB_SYSCTL_COMPACT_MEMORY, 1 },
		{ 1, 1000, KB_SYSCTL_EXTFRAG_THRESHOLD, 1000 },
		{ 1, 1001, KB_SYSCTL_EXTFRAG_THRESHOLD, 0 },
		{ 2, 100, KB_SYSCTL_COMPACTION_PROACTIVENESS, 100 },
		{ 5, 101, KB_SYSCTL_COMPACTION_PROACTIVENESS, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bin b;
		uint8_t enc[16];

		bin_init(&b, 0);
		bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_COMPACT_SYSCTL, cases[i].b, 0,
			cases[i].raw);
		kb_ops_decode_binary(b.data, b.size, &ops_a);
		ASSERT_EQ(ops_a.nr_ops, 1);
		EXPECT_EQ(ops_a.ops[0].kind, KB_OP_SYSCTL);
		EXPECT_EQ(ops_a.ops[0].sysctl, cases[i].sysctl);
		EXPECT_EQ(ops_a.ops[0].value, cases[i].value);
		EXPECT_EQ(kb_ops_encode_binary(&ops_a, enc, sizeof(enc)), 9);
		kb_ops_decode_binary(enc, 9, &ops_b);
		EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
	}
}

/* COMPACT and KCOMPACTD: node b, zone c, order d0 % (max_order + 2). */
TEST(binary_compact_fields)
{
	struct bin b;

	bin_init(&b, 0);	/* default: max_order 10, one node */
	bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_COMPACT, 3, 6, 9);
	bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_COMPACT, 0, 2, 11);
	bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_KCOMPACTD, 0, 1, 9);
	bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_KCOMPACTD, 0, 1, 12);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 4);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_COMPACT);
	EXPECT_EQ(ops_a.ops[0].node, 0);
	EXPECT_EQ(ops_a.ops[0].zone, 6 % KB_NR_LAYOUT_ZONES);
	EXPECT_TRUE(ops_a.ops[0].order_given);
	EXPECT_EQ(ops_a.ops[0].order, 9);
	EXPECT_TRUE(!ops_a.ops[1].order_given);	/* 11: the whole zone */
	EXPECT_EQ(ops_a.ops[2].kind, KB_OP_KCOMPACTD);
	EXPECT_TRUE(ops_a.ops[2].order_given);
	EXPECT_EQ(ops_a.ops[2].zone, 1);
	EXPECT_TRUE(!ops_a.ops[3].order_given);	/* 12 % 12 = 0: not woken */
	EXPECT_EQ(ops_a.ops[3].zone, KB_NR_LAYOUT_ZONES - 1);
}

TEST(text_compact_ops)
{
	static char text[1024];
	char err[256];
	size_t n;

	ASSERT_EQ(parse("compact node=0 zone=DMA32 order=4\ncompact node=0 zone=Normal\n"
			"kcompactd node=0\nkcompactd node=0 order=9 zone=DMA32\n"
			"sysctl extfrag_threshold=300\nsysctl compact_memory=1\n",
			&ops_a, err, sizeof(err)), 0);
	ASSERT_EQ(ops_a.nr_ops, 6);
	EXPECT_EQ(ops_a.ops[0].zone, ZONE_DMA32);
	EXPECT_EQ(ops_a.ops[0].order, 4);
	EXPECT_TRUE(!ops_a.ops[1].order_given);
	EXPECT_TRUE(!ops_a.ops[2].order_given);
	EXPECT_EQ(ops_a.ops[3].order, 9);
	EXPECT_EQ(ops_a.ops[4].sysctl, KB_SYSCTL_EXTFRAG_THRESHOLD);
	n = kb_ops_format_text(&ops_a, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	ASSERT_EQ(kb_ops_parse_text(text, n, &ops_b, err, sizeof(err)), 0);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
	EXPECT_TRUE(parse("compact node=0\n", &ops_a, err, sizeof(err)) != 0);
	EXPECT_TRUE(strstr(err, "zone= is required") != NULL);
	EXPECT_TRUE(parse("compact node=0 zone=Normal order=11\n", &ops_a, err, sizeof(err)) != 0);
	EXPECT_TRUE(parse("kcompactd node=0 order=0\n", &ops_a, err, sizeof(err)) != 0);
	EXPECT_TRUE(parse("kcompactd node=0 zone=Normal\n", &ops_a, err, sizeof(err)) != 0);
	EXPECT_TRUE(strstr(err, "goes with order=") != NULL);
}

/* KSWAPD: sub-slot 5 of slot 29, node b % N; text "kswapd node=N" round trips. */
TEST(kswapd_op_forms)
{
	static char text[256];
	static uint8_t enc[64];
	struct bin b;
	char err[256];
	size_t n;

	bin_init(&b, 0);	/* default: one node */
	bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_KSWAPD, 7, 0, 0);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 1);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_KSWAPD);
	EXPECT_EQ(ops_a.ops[0].node, 0);
	n = kb_ops_encode_binary(&ops_a, enc, sizeof(enc));
	ASSERT_TRUE(n > 0 && n <= sizeof(enc));
	kb_ops_decode_binary(enc, n, &ops_b);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));

	ASSERT_EQ(parse("kswapd node=0\nkswapd\n", &ops_a, err, sizeof(err)), 0);
	ASSERT_EQ(ops_a.nr_ops, 2);
	EXPECT_EQ(ops_a.ops[1].kind, KB_OP_KSWAPD);
	n = kb_ops_format_text(&ops_a, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	EXPECT_TRUE(strstr(text, "kswapd node=0") != NULL);
	ASSERT_EQ(kb_ops_parse_text(text, n, &ops_b, err, sizeof(err)), 0);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
	EXPECT_TRUE(parse("kswapd node=1\n", &ops_a, err, sizeof(err)) != 0);
	EXPECT_TRUE(parse("kswapd order=3\n", &ops_a, err, sizeof(err)) != 0);
}

/*
 * OOM_SCORE_ADJ: sub-slot 6 of slot 29, cpu b % C, value -1000 + d % 2001;
 * text "oom_score_adj cpu=C value=V" round trips, both keys required.
 */
TEST(oom_score_adj_op_forms)
{
	static char text[256];
	static uint8_t enc[64];
	struct bin b;
	char err[256];
	size_t n;

	bin_init(&b, 3);	/* numa: 4 CPUs */
	bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_OOM_SCORE_ADJ, 5, 0, 2001 + 1500);
	bin_rec(&b, KB_OPS_MORE_KIND_SLOT, KB_OPS_MORE_OOM_SCORE_ADJ, 2, 0, 0);
	kb_ops_decode_binary(b.data, b.size, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 2);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_OOM_SCORE_ADJ);
	EXPECT_EQ(ops_a.ops[0].cpu, 1);
	EXPECT_EQ(ops_a.ops[0].value, 500);
	EXPECT_EQ(ops_a.ops[1].cpu, 2);
	EXPECT_EQ(ops_a.ops[1].value, -1000);
	n = kb_ops_encode_binary(&ops_a, enc, sizeof(enc));
	ASSERT_TRUE(n > 0 && n <= sizeof(enc));
	kb_ops_decode_binary(enc, n, &ops_b);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));

	ASSERT_EQ(parse("oom_score_adj cpu=0 value=-1000\noom_score_adj value=1000 cpu=0\n",
			&ops_a, err, sizeof(err)), 0);
	ASSERT_EQ(ops_a.nr_ops, 2);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_OOM_SCORE_ADJ);
	EXPECT_EQ(ops_a.ops[0].value, -1000);
	EXPECT_EQ(ops_a.ops[1].value, 1000);
	n = kb_ops_format_text(&ops_a, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	EXPECT_TRUE(strstr(text, "oom_score_adj cpu=0 value=-1000") != NULL);
	ASSERT_EQ(kb_ops_parse_text(text, n, &ops_b, err, sizeof(err)), 0);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
	EXPECT_TRUE(parse("oom_score_adj cpu=0 value=1001\n", &ops_a, err, sizeof(err)) != 0);
	EXPECT_TRUE(strstr(err, "out of range") != NULL);
	EXPECT_TRUE(parse("oom_score_adj cpu=0\n", &ops_a, err, sizeof(err)) != 0);
	EXPECT_TRUE(strstr(err, "usage") != NULL);
	EXPECT_TRUE(parse("oom_score_adj cpu=99 value=0\n", &ops_a, err, sizeof(err)) != 0);
}

TEST(binary_random_values_in_range)
{
	uint64_t seed = 7;
	uint8_t data[1 + 8 * 200];
	int iter;

	for (iter = 0; iter < 500; iter++) {
		struct kb_layout l;
		size_t i;

		for (i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)xorshift(&seed);
		kb_ops_decode_binary(data, sizeof(data), &ops_a);
		ASSERT_EQ(kb_layout_builtin(ops_a.layout, &l), 0);
		for (i = 0; i < ops_a.nr_ops; i++) {
			const struct kb_op *op = &ops_a.ops[i];

			EXPECT_TRUE(op->kind < KB_OP_FREE_PFN);
			EXPECT_TRUE(op->cpu < kb_layout_nr_cpus(&l));
			EXPECT_TRUE(op->order <= l.max_page_order);
			EXPECT_TRUE(op->nid >= -1 && op->nid < (int)l.nr_nodes);
			EXPECT_TRUE(!(op->gfp & ~KB_GFP_VALID_MASK));
			EXPECT_TRUE(op->node < l.nr_nodes && op->zone < KB_NR_LAYOUT_ZONES);
			EXPECT_TRUE(op->index < (op->kind == KB_OP_UNPOISON ? KB_OPS_UNPOISON_RECENT : MAX_NR_ZONES));
			EXPECT_TRUE(op->handle <= ops_a.nr_handles);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Binary encoding                                                     */

TEST(binary_encode_simple)
{
	uint8_t buf[64];
	size_t n;

	ASSERT_EQ(parse("layout cma\nalloc order=2 gfp=GFP_ATOMIC cpu=1\nfree a1\n"
			"sysctl min_free_kbytes=128\ndrain_all\n", &ops_a, NULL, 0), 0);
	n = kb_ops_encode_binary(&ops_a, buf, sizeof(buf));
	ASSERT_EQ(n, 1 + 4 * 8);
	EXPECT_EQ(buf[0], 4);
	EXPECT_EQ(buf[1], 0);		/* ALLOC */
	EXPECT_EQ(buf[2], 2);
	EXPECT_EQ(buf[3], 1);
	EXPECT_EQ(buf[4], 1);		/* nid -1 -> nr_nodes */
	EXPECT_EQ(buf[5], 1);		/* table entry GFP_ATOMIC */
	EXPECT_EQ(buf[6] | buf[7] | buf[8], 0);
	EXPECT_EQ(buf[9], 12);		/* FREE */
	EXPECT_EQ(buf[17], 26);		/* SYSCTL */
	EXPECT_EQ(buf[25], 25);		/* DRAIN_ALL */
	kb_ops_decode_binary(buf, n, &ops_b);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
}

TEST(binary_encode_truncates_like_snprintf)
{
	uint8_t full[64], small[5];
	size_t n;

	ASSERT_EQ(parse("alloc order=1\nalloc order=2\n", &ops_a, NULL, 0), 0);
	n = kb_ops_encode_binary(&ops_a, full, sizeof(full));
	EXPECT_EQ(n, 17);
	memset(small, 0xaa, sizeof(small));
	EXPECT_EQ(kb_ops_encode_binary(&ops_a, small, sizeof(small)), n);
	EXPECT_TRUE(!memcmp(small, full, sizeof(small)));
	EXPECT_EQ(kb_ops_encode_binary(&ops_a, NULL, 0), n);
}

TEST(binary_encode_rejects_text_only)
{
	static const char *const text_only[] = {
		"alloc\nfree a1 order=0\n",			/* explicit order */
		"free_pfn pfn=0x1234 order=2\n",
		"alloc\nfree a1\nfree a1\n",			/* double free */
		"alloc order=11\n",				/* above MAX_PAGE_ORDER */
		"sysctl min_free_kbytes=100\n",			/* outside 128..65536 */
		"sysctl watermark_scale_factor=0\n",
		"sysctl watermark_boost_factor=-1\n",
		"sysctl lowmem_reserve_ratio[DMA]=1025\n",
		"sysctl percpu_pagelist_high_fraction=7\n",
		"sysctl percpu_pagelist_high_fraction=65\n",
	};
	uint8_t buf[64];
	unsigned int i;

	for (i = 0; i < sizeof(text_only) / sizeof(text_only[0]); i++) {
		char err[256];

		if (parse(text_only[i], &ops_a, err, sizeof(err))) {
			KBTEST_FAIL("'%s': %s", text_only[i], err);
			continue;
		}
		if (kb_ops_encode_binary(&ops_a, buf, sizeof(buf)) != 0)
			KBTEST_FAIL("'%s' encoded", text_only[i]);
	}
	/* a programmatic sequence with an unknown layout */
	ASSERT_EQ(parse("alloc\n", &ops_a, NULL, 0), 0);
	snprintf(ops_a.layout, sizeof(ops_a.layout), "nosuch");
	EXPECT_EQ(kb_ops_encode_binary(&ops_a, buf, sizeof(buf)), 0);
}

TEST(binary_encode_sysctl_edges)
{
	uint8_t buf[128];
	size_t n;

	ASSERT_EQ(parse("sysctl min_free_kbytes=65536\n"
			"sysctl watermark_scale_factor=3000\n"
			"sysctl watermark_boost_factor=0\n"
			"sysctl lowmem_reserve_ratio[Movable]=0\n"
			"sysctl percpu_pagelist_high_fraction=0\n"
			"sysctl percpu_pagelist_high_fraction=8\n"
			"sysctl percpu_pagelist_high_fraction=64\n", &ops_a, NULL, 0), 0);
	n = kb_ops_encode_binary(&ops_a, buf, sizeof(buf));
	ASSERT_EQ(n, 1 + 7 * 8);
	kb_ops_decode_binary(buf, n, &ops_b);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

static const char example[] =
	"# kbuddy ops v1\n"
	"layout numa\n"
	"alloc order=3 gfp=GFP_KERNEL cpu=0 -> a1\n"
	"alloc order=0 gfp=GFP_HIGHUSER_MOVABLE|__GFP_COMP cpu=1 nid=0 -> a2\n"
	"expect no-reports      # scenario expectations are skipped\n"
	"free a1 cpu=0\n"
	"free a2 cpu=1 order=1          # text only: wrong order on purpose\n"
	"\n"
	"drain cpu=1\n"
	"drain_all\n"
	"sysctl min_free_kbytes=2048\n"
	"sysctl watermark_scale_factor=100\n"
	"sysctl lowmem_reserve_ratio[DMA32]=128\n"
	"sysctl percpu_pagelist_high_fraction=8\n"
	"pcp_disable node=0 zone=Normal\n"
	"pcp_enable node=0 zone=Normal\n"
	"free_pfn pfn=0x1234 order=2    # text only: raw free\n";

TEST(text_parse_example)
{
	char err[256];
	const struct kb_op *op = ops_a.ops;

	ASSERT_EQ(parse(example, &ops_a, err, sizeof(err)), 0);
	EXPECT_STREQ(ops_a.layout, "numa");
	ASSERT_EQ(ops_a.nr_ops, 13);
	EXPECT_EQ(ops_a.nr_handles, 2);
	EXPECT_EQ(op[0].kind, KB_OP_ALLOC);
	EXPECT_EQ(op[0].order, 3);
	EXPECT_EQ(op[0].gfp, GFP_KERNEL);
	EXPECT_EQ(op[0].nid, -1);
	EXPECT_EQ(op[0].handle, 1);
	EXPECT_EQ(op[1].gfp, GFP_HIGHUSER_MOVABLE | __GFP_COMP);
	EXPECT_EQ(op[1].cpu, 1);
	EXPECT_EQ(op[1].nid, 0);
	EXPECT_EQ(op[1].handle, 2);
	EXPECT_EQ(op[2].kind, KB_OP_FREE);
	EXPECT_EQ(op[2].handle, 1);
	EXPECT_TRUE(!op[2].order_given);
	EXPECT_EQ(op[3].handle, 2);
	EXPECT_TRUE(op[3].order_given);
	EXPECT_EQ(op[3].order, 1);
	EXPECT_EQ(op[4].kind, KB_OP_DRAIN_CPU);
	EXPECT_EQ(op[4].cpu, 1);
	EXPECT_EQ(op[5].kind, KB_OP_DRAIN_ALL);
	EXPECT_EQ(op[6].kind, KB_OP_SYSCTL);
	EXPECT_EQ(op[6].sysctl, KB_SYSCTL_MIN_FREE_KBYTES);
	EXPECT_EQ(op[6].value, 2048);
	EXPECT_EQ(op[7].sysctl, KB_SYSCTL_WATERMARK_SCALE_FACTOR);
	EXPECT_EQ(op[8].sysctl, KB_SYSCTL_LOWMEM_RESERVE_RATIO);
	EXPECT_EQ(op[8].index, ZONE_DMA32);
	EXPECT_EQ(op[8].value, 128);
	EXPECT_EQ(op[9].sysctl, KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION);
	EXPECT_EQ(op[10].kind, KB_OP_PCP_DISABLE);
	EXPECT_EQ(op[10].zone, ZONE_NORMAL);
	EXPECT_EQ(op[11].kind, KB_OP_PCP_ENABLE);
	EXPECT_EQ(op[12].kind, KB_OP_FREE_PFN);
	EXPECT_EQ(op[12].pfn, 0x1234);
	EXPECT_EQ(op[12].order, 2);
}

TEST(text_defaults)
{
	ASSERT_EQ(parse("alloc\nalloc ->a2\ndrain\npcp_disable zone=1\n", &ops_a, NULL, 0), 0);
	EXPECT_STREQ(ops_a.layout, "default");
	ASSERT_EQ(ops_a.nr_ops, 4);
	EXPECT_EQ(ops_a.ops[0].order, 0);
	EXPECT_EQ(ops_a.ops[0].gfp, GFP_KERNEL);
	EXPECT_EQ(ops_a.ops[0].cpu, 0);
	EXPECT_EQ(ops_a.ops[0].nid, -1);
	EXPECT_EQ(ops_a.ops[1].handle, 2);
	EXPECT_EQ(ops_a.ops[2].cpu, 0);
	EXPECT_EQ(ops_a.ops[3].node, 0);
	EXPECT_EQ(ops_a.ops[3].zone, ZONE_DMA32);
}

TEST(text_empty_and_comments_only)
{
	ASSERT_EQ(parse("", &ops_a, NULL, 0), 0);
	EXPECT_EQ(ops_a.nr_ops, 0);
	EXPECT_STREQ(ops_a.layout, "default");
	ASSERT_EQ(parse("# just a note\n\n   \n\t# another\nexpect anything at all\n",
			&ops_a, NULL, 0), 0);
	EXPECT_EQ(ops_a.nr_ops, 0);
}

TEST(text_misuse_allowed)
{
	char err[256];

	/* double free, order above MAX_PAGE_ORDER, wrong free order */
	ASSERT_EQ(parse("alloc order=63\nfree a1\nfree a1 order=5\n", &ops_a, err,
			sizeof(err)), 0);
	EXPECT_EQ(ops_a.ops[0].order, 63);
	EXPECT_EQ(ops_a.ops[2].handle, 1);
	/* sysctl values the kernel would refuse are the runner's business */
	ASSERT_EQ(parse("sysctl watermark_scale_factor=-5\n", &ops_a, err, sizeof(err)), 0);
	EXPECT_EQ(ops_a.ops[0].value, -5);
}

TEST(text_format_exact)
{
	char line[256];
	struct kb_op op;

	memset(&op, 0, sizeof(op));
	op.kind = KB_OP_ALLOC;
	op.order = 3;
	op.gfp = GFP_KERNEL | __GFP_COMP;
	op.cpu = 1;
	op.nid = -1;
	op.handle = 7;
	EXPECT_EQ(kb_op_format(&op, line, sizeof(line)), (int)strlen(line));
	EXPECT_STREQ(line, "alloc order=3 gfp=GFP_KERNEL|__GFP_COMP cpu=1 -> a7");
	op.nid = 1;
	kb_op_format(&op, line, sizeof(line));
	EXPECT_STREQ(line, "alloc order=3 gfp=GFP_KERNEL|__GFP_COMP cpu=1 nid=1 -> a7");

	memset(&op, 0, sizeof(op));
	op.kind = KB_OP_FREE;
	op.handle = 2;
	kb_op_format(&op, line, sizeof(line));
	EXPECT_STREQ(line, "free a2 cpu=0");
	op.order_given = true;
	op.order = 4;
	kb_op_format(&op, line, sizeof(line));
	EXPECT_STREQ(line, "free a2 cpu=0 order=4");

	memset(&op, 0, sizeof(op));
	op.kind = KB_OP_SYSCTL;
	op.sysctl = KB_SYSCTL_LOWMEM_RESERVE_RATIO;
	op.index = ZONE_MOVABLE;
	op.value = 32;
	kb_op_format(&op, line, sizeof(line));
	EXPECT_STREQ(line, "sysctl lowmem_reserve_ratio[Movable]=32");

	memset(&op, 0, sizeof(op));
	op.kind = KB_OP_PCP_ENABLE;
	op.node = 1;
	op.zone = ZONE_DMA;
	kb_op_format(&op, line, sizeof(line));
	EXPECT_STREQ(line, "pcp_enable node=1 zone=DMA");

	memset(&op, 0, sizeof(op));
	op.kind = KB_OP_FREE_PFN;
	op.pfn = 0x1234;
	op.order = 2;
	kb_op_format(&op, line, sizeof(line));
	EXPECT_STREQ(line, "free_pfn pfn=0x1234 order=2");

	op.kind = KB_OP_DRAIN_CPU;
	op.cpu = 1;
	EXPECT_EQ(kb_op_format(&op, line, 4), 11);
	EXPECT_STREQ(line, "dra");
}

TEST(text_round_trip_example)
{
	char text[8192], err[256];
	size_t n;

	ASSERT_EQ(parse(example, &ops_a, err, sizeof(err)), 0);
	n = kb_ops_format_text(&ops_a, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	EXPECT_EQ(strlen(text), n);
	EXPECT_TRUE(!strncmp(text, "# kbuddy ops v1\nlayout numa\n", 28));
	if (kb_ops_parse_text(text, n, &ops_b, err, sizeof(err)))
		KBTEST_FAIL("%s\n%s", err, text);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
	EXPECT_EQ(kb_ops_format_text(&ops_a, NULL, 0), n);
}

/* decode(bytes) -> text -> parse -> encode -> decode is the identity. */
TEST(round_trip_random_binary_through_text)
{
	static char text[KB_OPS_MAX * 160];
	static uint8_t enc[1 + KB_OPS_MAX * 8];
	uint64_t seed = 0x0123456789abcdefull;
	uint8_t data[1 + 8 * 300];
	int iter;

	for (iter = 0; iter < 1500; iter++) {
		size_t size = xorshift(&seed) % sizeof(data), i, n, m;
		char err[256];

		for (i = 0; i < size; i++)
			data[i] = (uint8_t)xorshift(&seed);
		/* every third input: mostly small table-driven records */
		if (iter % 3 == 0)
			for (i = 1; i + 8 <= size; i += 8) {
				data[i + 5] = data[i + 6] = data[i + 7] = 0;
				data[i + 1] &= 3;
			}
		kb_ops_decode_binary(data, size, &ops_a);
		n = kb_ops_format_text(&ops_a, text, sizeof(text));
		ASSERT_TRUE(n < sizeof(text));
		if (kb_ops_parse_text(text, n, &ops_b, err, sizeof(err))) {
			KBTEST_FAIL("iteration %d: %s", iter, err);
			return;
		}
		if (!ops_eq(&ops_a, &ops_b)) {
			KBTEST_FAIL("iteration %d: text round trip differs", iter);
			return;
		}
		m = kb_ops_encode_binary(&ops_b, enc, sizeof(enc));
		if (m != 1 + kb_ops_records_size(&ops_b)) {
			KBTEST_FAIL("iteration %d: encode returned %zu", iter, m);
			return;
		}
		kb_ops_decode_binary(enc, m, &ops_c);
		if (!ops_eq(&ops_a, &ops_c)) {
			KBTEST_FAIL("iteration %d: binary round trip differs", iter);
			return;
		}
	}
}

TEST(round_trip_full_length)
{
	static char text[KB_OPS_MAX * 160];
	static uint8_t data[1 + 8 * KB_OPS_MAX], enc[1 + 8 * KB_OPS_MAX];
	uint64_t seed = 99;
	size_t i, n;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)xorshift(&seed);
	kb_ops_decode_binary(data, sizeof(data), &ops_a);
	n = kb_ops_format_text(&ops_a, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	ASSERT_EQ(kb_ops_parse_text(text, n, &ops_b, NULL, 0), 0);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_b));
	n = kb_ops_encode_binary(&ops_b, enc, sizeof(enc));
	ASSERT_TRUE(n > 0);
	kb_ops_decode_binary(enc, n, &ops_c);
	EXPECT_TRUE(ops_eq(&ops_a, &ops_c));
}

/* ------------------------------------------------------------------ */
/* Text: malformed lines                                               */

TEST(text_error_unknown_op)
{
	EXPECT_PARSE_ERROR("alloc\nallocate order=1\n", "line 2", "unknown operation 'allocate'");
}

TEST(text_error_unknown_key)
{
	EXPECT_PARSE_ERROR("alloc orders=1\n", "line 1", "alloc: unknown key 'orders'",
			   "order, gfp, cpu, nid");
	EXPECT_PARSE_ERROR("alloc\nfree a1 nid=0\n", "line 2", "free: unknown key 'nid'");
	EXPECT_PARSE_ERROR("drain node=0\n", "line 1", "drain: unknown key 'node'");
	EXPECT_PARSE_ERROR("pcp_disable zone=DMA cpu=0\n", "line 1", "unknown key 'cpu'");
	EXPECT_PARSE_ERROR("free_pfn pfn=1 gfp=0\n", "line 1", "unknown key 'gfp'");
}

TEST(text_error_not_key_value)
{
	EXPECT_PARSE_ERROR("alloc 3\n", "line 1", "expected key=value, got '3'");
	EXPECT_PARSE_ERROR("alloc =3\n", "line 1", "expected key=value");
}

TEST(text_error_duplicate_key)
{
	EXPECT_PARSE_ERROR("alloc order=1 order=2\n", "line 1", "key 'order' given twice");
}

TEST(text_error_bad_number)
{
	EXPECT_PARSE_ERROR("alloc order=x\n", "line 1", "bad number 'x' for order");
	EXPECT_PARSE_ERROR("alloc cpu=1z\n", "line 1", "bad number '1z' for cpu");
	EXPECT_PARSE_ERROR("alloc nid=\n", "line 1", "bad number '' for nid");
	EXPECT_PARSE_ERROR("sysctl min_free_kbytes=lots\n", "line 1",
			   "bad number 'lots' for min_free_kbytes");
	EXPECT_PARSE_ERROR("free_pfn pfn=0x\n", "line 1", "bad number '0x' for pfn");
	EXPECT_PARSE_ERROR("alloc order=99999999999999999999999\n", "line 1",
			   "order 99999999999999999999999 out of range 0..63");
}

/*
 * Every number is read whole: no exponent, no '+', no blanks, no junk
 * after the digits, nothing that wraps; the message names the line and
 * the column where the number starts.
 */
TEST(text_error_numbers_are_strict)
{
	EXPECT_PARSE_ERROR("alloc cpu=1e3\n", "line 1, column 11:", "bad number '1e3' for cpu");
	EXPECT_PARSE_ERROR("drain cpu=+1\n", "line 1, column 11:", "bad number '+1' for cpu");
	EXPECT_PARSE_ERROR("alloc order=1.0\n", "column 13:", "bad number '1.0' for order");
	EXPECT_PARSE_ERROR("alloc\n  alloc order=0x1g\n", "line 2, column 15:",
			   "bad number '0x1g'");
	EXPECT_PARSE_ERROR("alloc order=-\n", "bad number '-' for order");
	EXPECT_PARSE_ERROR("alloc order=--1\n", "bad number '--1' for order");
	EXPECT_PARSE_ERROR("isolate pfn=18446744073709551617 nr=1\n", "column 13:",
			   "pfn 18446744073709551617 out of range");
	EXPECT_PARSE_ERROR("alloc nid=-99999999999999999999\n", "column 11:",
			   "nid -99999999999999999999 out of range");
	EXPECT_PARSE_ERROR("sysctl min_free_kbytes=4294967297\n", "column 24:",
			   "does not fit an int");
	EXPECT_PARSE_ERROR("free_pfn pfn=1 order=2x\n", "column 22:", "bad number '2x' for order");
	EXPECT_PARSE_ERROR("# kbuddy ops v1x\n", "line 1", "unsupported ops format version '1x'");
}

/* Input quoted in a message is escaped: no raw bytes reach a terminal. */
TEST(text_error_escapes_raw_bytes)
{
	char err[256];

	EXPECT_EQ(parse("alloc\nall\x01oc\xff order=1\n", &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "line 2, column 1: unknown operation 'all\\x01oc\\xff'") != NULL);
	for (const char *c = err; *c; c++)
		EXPECT_TRUE(*c >= 0x20 && *c < 0x7f);
}

/* A byte-order mark, CR LF and lone CR line ends all read as text. */
TEST(text_line_ends_and_bom)
{
	static const char *const texts[] = {
		"layout zones\nalloc order=2\nfree a1\n",
		"layout zones\r\nalloc order=2\r\nfree a1\r\n",
		"layout zones\ralloc order=2\rfree a1\r",
		"\xef\xbb\xbflayout zones\nalloc order=2\nfree a1",
		"\xef\xbb\xbflayout zones\r\nalloc order=2\rfree a1\n",
	};
	char err[256];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ASSERT_EQ(parse(texts[i], &ops_a, err, sizeof(err)), 0);
		EXPECT_STREQ(ops_a.layout, "zones");
		EXPECT_EQ(ops_a.nr_ops, 2);
		EXPECT_EQ(ops_a.ops[0].order, 2);
		EXPECT_EQ(ops_a.ops[1].kind, KB_OP_FREE);
	}
	/* line numbers count lone CRs too */
	EXPECT_PARSE_ERROR("alloc\ralloc\rallox\r", "line 3, column 1:", "unknown operation 'allox'");
	/* a BOM only at the very start */
	EXPECT_PARSE_ERROR("alloc\n\xef\xbb\xbf drain\n", "line 2", "unknown operation");
}

TEST(text_error_out_of_range)
{
	EXPECT_PARSE_ERROR("alloc order=64\n", "line 1", "order 64 out of range 0..63");
	EXPECT_PARSE_ERROR("alloc order=-1\n", "line 1", "out of range");
	EXPECT_PARSE_ERROR("layout numa\nalloc nid=2\n", "line 2",
			   "nid 2 out of range (-1, or 0..1 for layout numa)");
	EXPECT_PARSE_ERROR("alloc nid=-2\n", "line 1", "nid -2 out of range");
	EXPECT_PARSE_ERROR("pcp_disable node=1 zone=DMA\n", "line 1", "node 1 out of range 0..0");
	EXPECT_PARSE_ERROR("free_pfn pfn=0x10000000\n", "line 1", "pfn 0x10000000 out of range");
	EXPECT_PARSE_ERROR("sysctl watermark_scale_factor=0x80000000\n", "line 1",
			   "does not fit an int");
}

TEST(text_error_cpu_out_of_range)
{
	EXPECT_PARSE_ERROR("alloc cpu=2\n", "line 1",
			   "alloc: cpu 2 out of range (layout default has 2 CPUs)");
	EXPECT_PARSE_ERROR("layout small\nalloc\nfree a1 cpu=1\n", "line 3",
			   "free: cpu 1 out of range (layout small has 1 CPUs)");
	EXPECT_PARSE_ERROR("drain cpu=-1\n", "line 1", "cpu -1 out of range");
}

TEST(text_error_handle_never_created)
{
	EXPECT_PARSE_ERROR("alloc\nfree a2\n", "line 2",
			   "handle a2 was never created (1 allocs so far)");
	EXPECT_PARSE_ERROR("free a1\nalloc\n", "line 1", "never created");
	EXPECT_PARSE_ERROR("alloc\nfree a0\n", "line 2", "expected a handle like a1, got 'a0'");
	EXPECT_PARSE_ERROR("alloc\nfree 1\n", "line 2", "expected a handle");
	EXPECT_PARSE_ERROR("alloc\nfree\n", "line 2", "expected a handle");
}

TEST(text_error_alloc_handle)
{
	EXPECT_PARSE_ERROR("alloc -> a2\n", "line 1", "creates handle a1, not a2");
	EXPECT_PARSE_ERROR("alloc ->\n", "line 1", "expected a handle like a1 after '->'");
	EXPECT_PARSE_ERROR("alloc -> b1\n", "line 1", "got 'b1'");
	EXPECT_PARSE_ERROR("alloc -> a1 cpu=0\n", "line 1", "unexpected 'cpu=0' after the handle");
}

TEST(text_error_gfp)
{
	EXPECT_PARSE_ERROR("alloc gfp=GFP_KERNAL\n", "line 1", "bad gfp 'GFP_KERNAL'");
	EXPECT_PARSE_ERROR("alloc gfp=0x200\n", "line 1", "bad gfp '0x200'");
}

TEST(text_error_layout)
{
	EXPECT_PARSE_ERROR("layout huge\n", "line 1", "unknown layout 'huge'",
			   "default, zones, holes, numa, cma, small");
	EXPECT_PARSE_ERROR("alloc\nlayout numa\n", "line 2", "before the first operation");
	EXPECT_PARSE_ERROR("layout numa\nlayout numa\n", "line 2", "layout given twice");
	EXPECT_PARSE_ERROR("layout\n", "line 1", "usage: layout NAME");
}

TEST(text_error_sysctl)
{
	EXPECT_PARSE_ERROR("sysctl swappiness=60\n", "line 1", "unknown sysctl 'swappiness'");
	EXPECT_PARSE_ERROR("sysctl lowmem_reserve_ratio=32\n", "line 1", "needs a zone index");
	EXPECT_PARSE_ERROR("sysctl lowmem_reserve_ratio[DMA32=32\n", "line 1", "needs a zone index");
	EXPECT_PARSE_ERROR("sysctl lowmem_reserve_ratio[High]=32\n", "line 1", "unknown zone 'High'");
	EXPECT_PARSE_ERROR("sysctl lowmem_reserve_ratio[5]=32\n", "line 1", "unknown zone '5'");
	EXPECT_PARSE_ERROR("sysctl min_free_kbytes[0]=32\n", "line 1", "takes no index");
	EXPECT_PARSE_ERROR("sysctl min_free_kbytes\n", "line 1", "usage");
	EXPECT_PARSE_ERROR("sysctl min_free_kbytes = 5\n", "line 1", "usage");
}

TEST(text_sysctl_zone_numbers)
{
	char text[256];

	ASSERT_EQ(parse("sysctl lowmem_reserve_ratio[2]=32\nsysctl lowmem_reserve_ratio[dma]=0\n"
			"sysctl lowmem_reserve_ratio[Device]=7\n", &ops_a, NULL, 0), 0);
	EXPECT_EQ(ops_a.ops[0].index, ZONE_NORMAL);
	EXPECT_EQ(ops_a.ops[1].index, ZONE_DMA);
	EXPECT_EQ(ops_a.ops[1].value, 0);
	/* the kernel's array has a ZONE_DEVICE slot too */
	EXPECT_EQ(ops_a.ops[2].index, ZONE_DEVICE);
	kb_op_format(&ops_a.ops[2], text, sizeof(text));
	EXPECT_STREQ(text, "sysctl lowmem_reserve_ratio[Device]=7");
}

TEST(text_error_pcp)
{
	EXPECT_PARSE_ERROR("pcp_enable node=0 zone=Normal\n", "line 1",
			   "was not disabled by an earlier pcp_disable");
	EXPECT_PARSE_ERROR("pcp_disable zone=DMA\npcp_enable zone=DMA\npcp_enable zone=DMA\n",
			   "line 3", "not disabled");
	EXPECT_PARSE_ERROR("pcp_disable node=0\n", "line 1", "zone= is required");
	EXPECT_PARSE_ERROR("pcp_disable zone=Highmem\n", "line 1", "unknown zone 'Highmem'");
	/* ZONE_DEVICE never has per-CPU lists */
	EXPECT_PARSE_ERROR("pcp_disable zone=Device\n", "line 1", "unknown zone 'Device'");
	EXPECT_PARSE_ERROR("pcp_disable zone=4\n", "line 1", "unknown zone '4'");
}

TEST(text_error_misc)
{
	EXPECT_PARSE_ERROR("drain_all now\n", "line 1", "drain_all: takes no arguments");
	EXPECT_PARSE_ERROR("free_pfn order=1\n", "line 1", "pfn= is required");
	EXPECT_PARSE_ERROR("# kbuddy ops v2\nalloc\n", "line 1",
			   "unsupported ops format version '2'");
	EXPECT_PARSE_ERROR("alloc a b c d e f g h i j k l m n o p q\n", "line 1", "too many fields");
}

TEST(text_error_nul_and_long_line)
{
	static const char nul[] = "alloc\nfree a1\0\n";
	char err[256], big[1024];

	EXPECT_EQ(kb_ops_parse_text(nul, sizeof(nul) - 1, &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "line 2") && strstr(err, "NUL"));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_PARSE_ERROR(big, "line 1", "longer than");
	/* a long comment is not a long line */
	memcpy(big, "alloc order=2 #", 15);
	memcpy(big + sizeof(big) - 8, "\ndrain\n", 7);
	ASSERT_EQ(parse(big, &ops_a, err, sizeof(err)), 0);
	EXPECT_EQ(ops_a.nr_ops, 2);
	EXPECT_EQ(ops_a.ops[0].order, 2);
}

TEST(text_error_too_many_ops)
{
	size_t len = 0, cap = (KB_OPS_MAX + 1) * 6 + 1;
	char *text = malloc(cap), err[256];
	int i;

	ASSERT_TRUE(text != NULL);
	for (i = 0; i < KB_OPS_MAX; i++)
		len += (size_t)snprintf(text + len, cap - len, "drain\n");
	ASSERT_EQ(kb_ops_parse_text(text, len, &ops_a, err, sizeof(err)), 0);
	EXPECT_EQ(ops_a.nr_ops, KB_OPS_MAX);
	len += (size_t)snprintf(text + len, cap - len, "drain\n");
	EXPECT_EQ(kb_ops_parse_text(text, len, &ops_a, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "line 4097") && strstr(err, "more than 4096 operations"));
	free(text);
}

/* ------------------------------------------------------------------ */
/* Sniffing and names                                                  */

static bool is_text(const char *s)
{
	return kb_ops_is_text((const uint8_t *)s, strlen(s));
}

/*
 * Text is what a person wrote: a printable first line (the first that is
 * not blank), or a byte-order mark. A typo, a NUL later on or CR line ends
 * do not make it binary; the parser then reports them.
 */
TEST(is_text)
{
	EXPECT_TRUE(is_text("# kbuddy ops v1\n"));
	EXPECT_TRUE(is_text("  \n\talloc order=1\n"));
	EXPECT_TRUE(is_text("layout numa\n"));
	EXPECT_TRUE(is_text("drain_all"));
	EXPECT_TRUE(is_text("free a1#x"));
	EXPECT_TRUE(is_text("expect no-reports\n"));
	EXPECT_TRUE(is_text("pcp_disable zone=DMA"));
	EXPECT_TRUE(is_text("   \n"));
	EXPECT_TRUE(is_text("allocate"));
	EXPECT_TRUE(is_text("allco order=1\nfree a1\n"));
	EXPECT_TRUE(is_text("alloc=3"));
	EXPECT_TRUE(is_text("ALLOC"));
	EXPECT_TRUE(is_text("# kbuddy ops v1\ralloc\r"));
	EXPECT_TRUE(is_text("# kbuddy ops v1\r\nalloc\r\n"));
	EXPECT_TRUE(is_text("\xef\xbb\xbf# kbuddy ops v1\n"));
	EXPECT_TRUE(is_text("\xef\xbb\xbf\x01\x02"));
	EXPECT_TRUE(is_text("# caf\xc3\xa9 \xe6\xb5\x8b\xe8\xaf\x95\n\x01\x02"));
	EXPECT_TRUE(kb_ops_is_text((const uint8_t *)"alloc\0", 6));
	EXPECT_TRUE(kb_ops_is_text((const uint8_t *)"alloc\ndrain\0\n", 13));
	EXPECT_TRUE(!is_text(""));
	EXPECT_TRUE(!is_text("\x01\x02\x03"));
	EXPECT_TRUE(!is_text("\x03" "alloc\n"));
	EXPECT_TRUE(!kb_ops_is_text((const uint8_t *)" \n\0alloc", 8));
	EXPECT_TRUE(!is_text("alloc\x7f\n"));
	EXPECT_TRUE(!is_text("# \xc3\n"));		/* a cut UTF-8 sequence */
	EXPECT_TRUE(!is_text("# \xc0\x80\n"));	/* no such UTF-8 lead byte */
	EXPECT_TRUE(!kb_ops_is_text((const uint8_t *)"\0alloc", 6));
	EXPECT_TRUE(!kb_ops_is_text(NULL, 0));
}

TEST(kind_names)
{
	EXPECT_STREQ(kb_op_kind_name(KB_OP_ALLOC), "alloc");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_FREE), "free");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_DRAIN_CPU), "drain");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_DRAIN_ALL), "drain_all");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_SYSCTL), "sysctl");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_PCP_DISABLE), "pcp_disable");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_PCP_ENABLE), "pcp_enable");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_GET), "get");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_PUT), "put");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_ISOLATE), "isolate");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_UNISOLATE), "unisolate");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_ALLOC_CONTIG), "alloc_contig");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_FREE_PFN), "free_pfn");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_COMPACT), "compact");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_KCOMPACTD), "kcompactd");
	EXPECT_STREQ(kb_op_kind_name(KB_OP_KSWAPD), "kswapd");
	EXPECT_STREQ(kb_op_kind_name(KB_NR_OP_KINDS), "unknown");
}

TEST_MAIN()
