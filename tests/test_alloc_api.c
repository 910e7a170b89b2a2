/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocation API beyond alloc_pages/free_pages: split_page,
 * alloc_pages_exact / free_pages_exact and alloc_pages_bulk's array
 * semantics, on the core entry points, through the runner's operations
 * (with the checker following each) and in the operation formats.
 */
#include <string.h>

#include "check.h"
#include "internal.h"
#include "kbtest.h"
#include "oracle.h"
#include "run.h"
#include "../machine/layout_io.h"
#include "../ops/ops_internal.h"

static struct kb_ops ops_a, ops_b;

struct api {
	struct kb_instance *kb;
	unsigned int nr_reports;
	char invariant[64];
	char message[200];
};

static void api_report(void *ctx, const struct kb_report *r)
{
	struct api *c = ctx;

	if (!c->nr_reports++) {
		snprintf(c->invariant, sizeof(c->invariant), "%s", r->invariant);
		snprintf(c->message, sizeof(c->message), "%s", r->message);
	}
}

static int api_boot(struct api *c)
{
	struct kb_layout layout;
	char err[200];

	memset(c, 0, sizeof(*c));
	kb_layout_default(&layout);
	c->kb = kb_create(&layout, &(struct kb_options){ .check_level = 1 }, err, sizeof(err));
	if (!c->kb) {
		KBTEST_FAIL("kb_create: %s", err);
		return -1;
	}
	kb_set_report(c->kb, api_report, c);
	kb_set_cpu(c->kb, 0);
	return 0;
}

/* Free pages of the zone, on the buddy and on every CPU's pcp lists. */
static long zone_free_total(struct kb_instance *kb, enum zone_type zid)
{
	struct zone *z = &kb->node_data[0].node_zones[zid];
	long n = (long)zone_page_state(z, NR_FREE_PAGES);

	for (int cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
		n += z->per_cpu_pageset[cpu].count;
	return n;
}

TEST(split_page_gives_every_page_a_reference)
{
	struct api c;
	struct page *page;
	long before;

	ASSERT_EQ(api_boot(&c), 0);
	before = zone_free_total(c.kb, ZONE_NORMAL);
	page = kb_alloc_pages(c.kb, GFP_KERNEL, 3, -1, NULL);
	ASSERT_TRUE(page != NULL);
	EXPECT_EQ(page_ref_count(page + 5), 0);
	kb_split_page(c.kb, page, 3);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(page_ref_count(page + i), 1);
	/* each page goes back on its own, in any order */
	for (int i = 7; i >= 0; i--)
		kb_free_pages(c.kb, page + i, 0);
	EXPECT_EQ(zone_free_total(c.kb, ZONE_NORMAL), before);
	EXPECT_EQ(c.nr_reports, 0);
	kb_destroy(c.kb);
}

TEST(split_page_of_a_compound_page_is_a_bug)
{
	struct api c;
	struct page *page;

	ASSERT_EQ(api_boot(&c), 0);
	page = kb_alloc_pages(c.kb, GFP_KERNEL | __GFP_COMP, 2, -1, NULL);
	ASSERT_TRUE(page != NULL);
	kb_split_page(c.kb, page, 2);
	EXPECT_STREQ(c.invariant, "split-page-bad");
	EXPECT_TRUE(strstr(c.message, "compound") != NULL);
	kb_destroy(c.kb);
}

TEST(split_page_without_a_reference_is_a_bug)
{
	struct api c;
	struct page *page;

	ASSERT_EQ(api_boot(&c), 0);
	page = kb_alloc_pages(c.kb, GFP_KERNEL, 1, -1, NULL);
	ASSERT_TRUE(page != NULL);
	set_page_count(page, 0);	/* a caller that dropped its reference */
	kb_split_page(c.kb, page, 1);
	EXPECT_STREQ(c.invariant, "split-page-bad");
	EXPECT_TRUE(strstr(c.message, "without a reference") != NULL);
	kb_destroy(c.kb);
}

TEST(alloc_pages_exact_frees_the_surplus)
{
	struct api c;
	struct page *page;
	long before;
	int err = 1;

	ASSERT_EQ(api_boot(&c), 0);
	before = zone_free_total(c.kb, ZONE_NORMAL);
	/* five pages: an order-3 block, its last three pages given back */
	page = kb_alloc_pages_exact(c.kb, 5, GFP_KERNEL | __GFP_COMP, -1, &err);
	ASSERT_TRUE(page != NULL);
	EXPECT_EQ(err, 0);
	EXPECT_EQ(kb_page_to_pfn(c.kb, page) % 8, 0);
	EXPECT_EQ(zone_free_total(c.kb, ZONE_NORMAL), before - 5);
	for (int i = 0; i < 5; i++) {
		EXPECT_EQ(page_ref_count(page + i), 1);
		EXPECT_TRUE(!PageHead(page + i) && !PageTail(page + i));	/* __GFP_COMP dropped */
	}
	for (int i = 5; i < 8; i++)
		EXPECT_EQ(page_ref_count(page + i), 0);
	kb_free_pages_exact(c.kb, page, 5);
	EXPECT_EQ(zone_free_total(c.kb, ZONE_NORMAL), before);

	/* sizes out of range: a clear -EINVAL */
	EXPECT_TRUE(kb_alloc_pages_exact(c.kb, 0, GFP_KERNEL, -1, &err) == NULL);
	EXPECT_EQ(err, -EINVAL);
	EXPECT_TRUE(kb_alloc_pages_exact(c.kb, (1UL << c.kb->max_order) + 1, GFP_KERNEL, -1,
					 &err) == NULL);
	EXPECT_EQ(err, -EINVAL);
	/* a whole MAX_PAGE_ORDER block has no surplus */
	page = kb_alloc_pages_exact(c.kb, 1UL << c.kb->max_order, GFP_KERNEL, -1, &err);
	ASSERT_TRUE(page != NULL);
	kb_free_pages_exact(c.kb, page, 1UL << c.kb->max_order);
	EXPECT_EQ(zone_free_total(c.kb, ZONE_NORMAL), before);
	EXPECT_EQ(c.nr_reports, 0);
	kb_destroy(c.kb);
}

TEST(alloc_pages_bulk_fills_only_empty_slots)
{
	static struct page held;	/* stands for pages the caller holds */
	struct page *array[6] = { &held, NULL, &held, NULL, NULL, NULL };
	struct api c;
	unsigned long pgalloc, n;
	long before;
	int err = 1;

	ASSERT_EQ(api_boot(&c), 0);
	before = zone_free_total(c.kb, ZONE_NORMAL);
	pgalloc = c.kb->vm_events[PGALLOC];
	n = kb_alloc_pages_bulk(c.kb, GFP_KERNEL, -1, 6, array, &err);
	EXPECT_EQ(n, 6);
	EXPECT_EQ(err, 0);
	EXPECT_TRUE(array[0] == &held && array[2] == &held);
	for (int i = 1; i < 6; i++) {
		if (i == 2)
			continue;
		ASSERT_TRUE(array[i] != NULL && array[i] != &held);
		EXPECT_EQ(page_ref_count(array[i]), 1);
		EXPECT_EQ(array[i]->zone, ZONE_NORMAL);
		for (int j = 1; j < i; j++)
			EXPECT_TRUE(array[i] != array[j]);
	}
	/* four pages from the pcp list in one go, counted once */
	EXPECT_EQ(c.kb->vm_events[PGALLOC], pgalloc + 4);
	EXPECT_EQ(zone_free_total(c.kb, ZONE_NORMAL), before - 4);

	/* populated already: the count, nothing allocated */
	EXPECT_EQ(kb_alloc_pages_bulk(c.kb, GFP_KERNEL, -1, 6, array, &err), 6);
	EXPECT_EQ(c.kb->vm_events[PGALLOC], pgalloc + 4);
	EXPECT_EQ(kb_alloc_pages_bulk(c.kb, GFP_KERNEL, -1, 0, array, &err), 0);

	/* one empty slot: the single-page allocator */
	kb_free_pages(c.kb, array[4], 0);
	array[4] = NULL;
	EXPECT_EQ(kb_alloc_pages_bulk(c.kb, GFP_KERNEL, -1, 6, array, &err), 6);
	EXPECT_TRUE(array[4] != NULL);
	EXPECT_EQ(c.kb->vm_events[PGALLOC], pgalloc + 5);
	/* a bad request: -EINVAL, nothing filled, the populated count returned */
	array[5] = NULL;
	array[3] = NULL;
	EXPECT_EQ(kb_alloc_pages_bulk(c.kb, GFP_DMA | GFP_DMA32, -1, 6, array, &err), 3);
	EXPECT_EQ(err, -EINVAL);
	EXPECT_EQ(c.nr_reports, 0);
	kb_destroy(c.kb);
}

TEST(bulk_oracle_catches_a_wrong_count_or_slot)
{
	static struct page marker, other;
	struct page *array[4] = { &marker, &other, NULL, &other };
	struct kb_violation v;

	EXPECT_EQ(kb_oracle_bulk(array, 4, 0x1, &marker, 2, &v), 0);
	EXPECT_EQ(kb_oracle_bulk(array, 4, 0x1, &marker, 1, &v), 0);
	/* below the populated start: the count of an array populated already reported as 0 */
	EXPECT_EQ(kb_oracle_bulk(array, 4, 0x1, &marker, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-bulk");
	/* a count reaching an empty slot */
	EXPECT_EQ(kb_oracle_bulk(array, 4, 0x1, &marker, 3, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-bulk");
	EXPECT_TRUE(strstr(v.detail, "slot 2 is empty") != NULL);
	/* a populated slot overwritten */
	array[0] = &other;
	EXPECT_EQ(kb_oracle_bulk(array, 4, 0x1, &marker, 2, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-bulk");
	EXPECT_TRUE(strstr(v.detail, "slot 0") != NULL);
}

static const char *run_text(const char *text, int level)
{
	static char name[64];
	struct kb_run_options opt = { .check_level = level, .back_with_memory = true };
	struct kb_run_result res;
	struct kb_run *run;
	char err[256];

	if (kb_ops_parse_text(text, strlen(text), &ops_a, err, sizeof(err))) {
		fprintf(stderr, "  parse: %s\n", err);
		return "parse-error";
	}
	run = kb_run_ops(&ops_a, &opt, &res);
	if (!run)
		return "boot-failed";
	snprintf(name, sizeof(name), "%s", res.violated ? res.violation.invariant : "clean");
	kb_run_destroy(run);
	return name;
}

TEST(runner_follows_split_exact_and_bulk)
{
	static const char text[] =
		"layout default\n"
		"alloc order=3 gfp=GFP_KERNEL cpu=0 -> a1\n"
		"split a1\n"
		"alloc order=2 gfp=GFP_HIGHUSER_MOVABLE cpu=1 -> a2\n"
		"split a2\n"
		"alloc_exact nr=3 gfp=GFP_KERNEL cpu=0 -> a3\n"
		"alloc_bulk nr=5 gfp=GFP_KERNEL cpu=1 filled=0x2 -> a4..a7\n"
		"alloc_bulk nr=2 gfp=GFP_KERNEL cpu=0 filled=0x3\n"
		"compact node=0 zone=Normal\n"
		"free a1 cpu=1\n"
		"free a3 cpu=0\n"
		"free a5 cpu=0\n"
		"free a2 cpu=0\n"
		"drain_all\n";

	EXPECT_STREQ(run_text(text, 2), "clean");
	EXPECT_STREQ(run_text(text, 3), "clean");
}

TEST(runner_split_of_a_compound_handle)
{
	EXPECT_STREQ(run_text("layout default\n"
			      "alloc order=2 gfp=GFP_KERNEL|__GFP_COMP cpu=0 -> a1\n"
			      "split a1\n", 1), "split-page-bad");
	/* a split handle is order-0 pages: a free with the old order is misuse */
	EXPECT_STREQ(run_text("layout default\nalloc order=2 cpu=0 -> a1\nsplit a1\n"
			      "free a1 order=2\n", 2), "api-wrong-order");
	/* nothing to split, or referenced by another holder: no violation */
	EXPECT_STREQ(run_text("layout default\nalloc order=2 cpu=0 -> a1\nfree a1\nsplit a1\n"
			      "alloc order=1 cpu=0 -> a2\nget a2\nsplit a2\nput a2\n", 2), "clean");
}

TEST(api_op_forms_round_trip)
{
	static char text[2048];
	static uint8_t enc[256];
	char err[256];
	size_t n;

	{
		static const char src[] =
			"layout numa\n"
			"alloc order=2 gfp=GFP_KERNEL cpu=0 -> a1\n"
			"split a1\n"
			"alloc_exact nr=7 gfp=GFP_KERNEL cpu=1 nid=1 -> a2\n"
			"alloc_bulk nr=4 gfp=GFP_ATOMIC|__GFP_DMA32 cpu=1 filled=0x9 -> a3..a4\n"
			"alloc_bulk nr=3 gfp=GFP_KERNEL cpu=0 filled=0x7\n"
			"alloc_bulk nr=1 gfp=GFP_KERNEL cpu=0 -> a5\n"
			"free a2 cpu=0\n"
			"free a4 cpu=0\n";

		if (kb_ops_parse_text(src, strlen(src), &ops_a, err, sizeof(err)))
			KBTEST_FAIL("parse: %s", err);
	}
	ASSERT_EQ(ops_a.nr_ops, 8);
	EXPECT_EQ(ops_a.nr_handles, 5);
	EXPECT_EQ(ops_a.ops[1].kind, KB_OP_SPLIT);
	EXPECT_EQ(ops_a.ops[3].handle, 3);
	EXPECT_EQ(kb_op_new_handles(&ops_a.ops[3]), 2);
	EXPECT_EQ(kb_op_new_handles(&ops_a.ops[4]), 0);
	n = kb_ops_format_text(&ops_a, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	EXPECT_TRUE(strstr(text, "alloc_bulk nr=4 gfp=GFP_ATOMIC|__GFP_DMA32 cpu=1 filled=0x9 -> a3..a4") != NULL);
	ASSERT_EQ(kb_ops_parse_text(text, n, &ops_b, err, sizeof(err)), 0);
	EXPECT_EQ(ops_b.nr_ops, ops_a.nr_ops);
	n = kb_ops_encode_binary(&ops_a, enc, sizeof(enc));
	ASSERT_EQ(n, 1 + 8 * 8);
	kb_ops_decode_binary(enc, n, &ops_b);
	ASSERT_EQ(ops_b.nr_ops, 8);
	EXPECT_EQ(ops_b.nr_handles, 5);
	for (size_t i = 0; i < ops_a.nr_ops; i++) {
		EXPECT_EQ(ops_b.ops[i].kind, ops_a.ops[i].kind);
		EXPECT_EQ(ops_b.ops[i].handle, ops_a.ops[i].handle);
		EXPECT_EQ(ops_b.ops[i].nr, ops_a.ops[i].nr);
		EXPECT_EQ(ops_b.ops[i].value, ops_a.ops[i].value);
		EXPECT_EQ(ops_b.ops[i].gfp, ops_a.ops[i].gfp);
		EXPECT_EQ(ops_b.ops[i].nid, ops_a.ops[i].nid);
		EXPECT_EQ(ops_b.ops[i].cpu, ops_a.ops[i].cpu);
	}
}

TEST(api_op_binary_drops_what_cannot_apply)
{
	uint8_t rec[1 + 3 * 8] = { 0 };

	/* a split with nothing live is dropped */
	rec[1] = KB_OPS_MORE_KIND_SLOT;
	rec[2] = KB_OPS_MORE_SPLIT;
	kb_ops_decode_binary(rec, 9, &ops_a);
	EXPECT_EQ(ops_a.nr_ops, 0);
	/* a compound allocation cannot be split: alloc kept, split dropped */
	rec[9] = 0;
	rec[10] = 2;			/* order 2 */
	rec[13] = 10;			/* GFP_KERNEL|__GFP_COMP */
	memcpy(rec + 1, rec + 9, 8);
	rec[9] = KB_OPS_MORE_KIND_SLOT;
	rec[10] = KB_OPS_MORE_SPLIT;
	rec[13] = 0;
	kb_ops_decode_binary(rec, 17, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 1);
	EXPECT_EQ(ops_a.ops[0].kind, KB_OP_ALLOC);
	/* bulk: nr 1..16, filled within nr, one handle per empty slot */
	memset(rec, 0, sizeof(rec));
	rec[1] = KB_OPS_MORE_KIND_SLOT;
	rec[2] = KB_OPS_MORE_ALLOC_BULK;
	rec[3] = 0xff;			/* nr = 1 + 255 % 16 = 16 */
	rec[7] = 0xff;			/* filled bits 0-7 */
	rec[8] = 0x0f;			/* filled bits 8-11 */
	kb_ops_decode_binary(rec, 9, &ops_a);
	ASSERT_EQ(ops_a.nr_ops, 1);
	EXPECT_EQ(ops_a.ops[0].nr, 16);
	EXPECT_EQ(ops_a.ops[0].value, 0xfff);
	EXPECT_EQ(ops_a.nr_handles, 4);
}

TEST(api_op_text_errors)
{
	char err[256];

#define EXPECT_ERR(src, what)								\
	do {										\
		EXPECT_EQ(kb_ops_parse_text(src, strlen(src), &ops_a, err, sizeof(err)), -1); \
		if (!strstr(err, what))							\
			KBTEST_FAIL("error '%s' lacks '%s'", err, what);			\
	} while (0)
	EXPECT_ERR("split a1\n", "never created");
	EXPECT_ERR("split\n", "usage: split a<handle>");
	EXPECT_ERR("alloc_exact nr=0 -> a1\n", "out of range");
	EXPECT_ERR("alloc_exact nr=1025 -> a1\n", "out of range");
	EXPECT_ERR("alloc_exact gfp=GFP_KERNEL\n", "nr= is required");
	EXPECT_ERR("alloc_bulk nr=17\n", "out of range");
	EXPECT_ERR("alloc_bulk nr=3 filled=0x8\n", "beyond nr=3");
	EXPECT_ERR("alloc_bulk nr=3 filled=0x7 -> a1\n", "creates no handle");
	EXPECT_ERR("alloc_bulk nr=3 filled=0x1 -> a1\n", "creates 2 handles (a1..a2)");
	EXPECT_ERR("alloc_bulk nr=3 -> a1..a2\n", "creates 3 handles");
	EXPECT_ERR("alloc_exact nr=3 -> a1..a3\n", "expected a handle like a1 after");
#undef EXPECT_ERR
}

TEST_MAIN()
