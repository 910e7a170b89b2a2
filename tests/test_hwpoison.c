/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Poisoned pages: take_page_off_buddy / put_page_back_buddy and soft
 * offline of free and allocated pages (mm/memory-failure.c) on the core
 * entry points; the runner's soft_offline and unpoison operations with
 * the checker following them; and the checker's hwpoison invariants, each
 * made to fire on a state broken on purpose.
 */
#include <string.h>

#include "check.h"
#include "internal.h"
#include "kbtest.h"
#include "run.h"
#include "../machine/layout_io.h"

static struct kb_ops ops;

static struct kb_instance *boot(int level)
{
	struct kb_layout layout;
	struct kb_instance *kb;
	char err[200];

	kb_layout_default(&layout);
	kb = kb_create(&layout, &(struct kb_options){ .check_level = level }, err, sizeof(err));
	if (!kb)
		KBTEST_FAIL("kb_create: %s", err);
	else
		kb_set_cpu(kb, 0);
	return kb;
}

static long normal_free(struct kb_instance *kb)
{
	return (long)zone_page_state(&kb->node_data[0].node_zones[ZONE_NORMAL], NR_FREE_PAGES);
}

/* A free page taken off the buddy: the block around it broken down, one page less free. */
TEST(soft_offline_of_a_free_page)
{
	struct kb_instance *kb = boot(1);
	unsigned long pfn = 12288 + 1000;
	struct page *page;
	long before;

	ASSERT_TRUE(kb);
	page = kb_pfn_to_page(kb, pfn);
	before = normal_free(kb);
	EXPECT_EQ(kb_soft_offline_page(kb, pfn), 0);
	EXPECT_TRUE(PageHWPoison(page));
	EXPECT_TRUE(PageHWPoisonTakenOff(page));
	EXPECT_EQ(page_ref_count(page), 1);
	EXPECT_TRUE(!is_free_buddy_page(kb, page));
	EXPECT_EQ(normal_free(kb), before - 1);
	/* the neighbours are free, in blocks of every order below 10 */
	EXPECT_TRUE(is_free_buddy_page(kb, page + 1) && is_free_buddy_page(kb, page - 1));
	for (unsigned int o = 0; o < 10; o++)
		EXPECT_EQ(kb->node_data[0].node_zones[ZONE_NORMAL].free_area[o].nr_free, 1);
	/* again: already poisoned */
	EXPECT_EQ(kb_soft_offline_page(kb, pfn), 0);
	EXPECT_EQ(normal_free(kb), before - 1);
	/* never handed out: the whole Normal zone allocated around it */
	for (int i = 0; i < 7; i++)
		EXPECT_TRUE(kb_alloc_pages(kb, GFP_KERNEL | __GFP_THISNODE, 10, 0, NULL) != NULL);
	for (unsigned int o = 0; o < 10; o++) {
		struct page *p = kb_alloc_pages(kb, GFP_KERNEL, o, 0, NULL);

		EXPECT_TRUE(p && (pfn < kb_page_to_pfn(kb, p) ||
				  pfn >= kb_page_to_pfn(kb, p) + (1UL << o)));
	}
	/* unpoison: back on the buddy, merged */
	EXPECT_EQ(kb_unpoison_pfn(kb, pfn), 0);
	EXPECT_TRUE(!PageHWPoison(page) && !PageHWPoisonTakenOff(page));
	EXPECT_TRUE(is_free_buddy_page(kb, page));
	EXPECT_EQ(kb_unpoison_pfn(kb, pfn), -EBUSY);	/* already unpoisoned */
	kb_destroy(kb);
}

/* A page on a pcp list: drained first, then taken off. */
TEST(soft_offline_of_a_pcp_page)
{
	struct kb_instance *kb = boot(1);
	struct page *page;
	long before;

	ASSERT_TRUE(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
	ASSERT_TRUE(page != NULL);
	kb_free_pages(kb, page, 0);		/* on CPU 0's pcp list */
	ASSERT_TRUE(!PageBuddy(page) && !page_ref_count(page));
	kb_drain_all_pages(kb);
	before = normal_free(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
	kb_free_pages(kb, page, 0);
	EXPECT_EQ(kb_soft_offline_page(kb, kb_page_to_pfn(kb, page)), 0);
	EXPECT_TRUE(PageHWPoison(page));
	EXPECT_EQ(normal_free(kb), before - 1);
	kb_destroy(kb);
}

/* Refused: outside mem_map, reserved, unmovable in use, the body of a block. */
TEST(soft_offline_refusals)
{
	struct kb_instance *kb = boot(1);
	struct page *page;

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb_soft_offline_page(kb, kb->max_pfn), -ENXIO);
	EXPECT_EQ(kb_soft_offline_page(kb, 0), -EIO);		/* pfn 0: reserved */
	page = kb_alloc_pages(kb, GFP_KERNEL, 2, -1, NULL);	/* not on the LRU */
	ASSERT_TRUE(page != NULL);
	EXPECT_EQ(kb_soft_offline_page(kb, kb_page_to_pfn(kb, page)), -EIO);
	EXPECT_EQ(kb_soft_offline_page(kb, kb_page_to_pfn(kb, page) + 1), -EBUSY);
	EXPECT_EQ(kb_unpoison_pfn(kb, kb_page_to_pfn(kb, page)), -EBUSY);
	EXPECT_EQ(kb_unpoison_pfn(kb, kb->max_pfn), -EIO);
	kb_destroy(kb);
}

static const char *run_text(const char *text, int level)
{
	static char name[64];
	struct kb_run_options opt = { .check_level = level, .back_with_memory = true };
	struct kb_run_result res;
	struct kb_run *run;
	char err[256];

	if (kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err))) {
		fprintf(stderr, "  parse: %s\n", err);
		return "parse-error";
	}
	run = kb_run_ops(&ops, &opt, &res);
	if (!run)
		return "boot-failed";
	snprintf(name, sizeof(name), "%s", res.violated ? res.violation.invariant : "clean");
	kb_run_destroy(run);
	return name;
}

/*
 * An allocated movable page: its owner migrates it, the old page stays
 * poisoned; the handle follows its block and frees it as usual.
 */
TEST(runner_soft_offline_free_and_in_use)
{
	static const char text[] =
		"layout default\n"
		"alloc order=0 gfp=GFP_HIGHUSER_MOVABLE cpu=0 -> a1\n"
		"alloc order=0 gfp=GFP_KERNEL cpu=0 -> a2\n"
		"soft_offline a1\n"
		"soft_offline a2\n"
		"soft_offline pfn=0x3100\n"
		"soft_offline pfn=0x3100\n"
		"alloc order=10 gfp=GFP_KERNEL cpu=0 -> a3\n"
		"compact node=0 zone=Normal\n"
		"isolate pfn=0x3000 nr=1024\n"
		"unisolate pfn=0x3000 nr=1024\n"
		"free a1 cpu=1\n"
		"unpoison recent=1\n"
		"unpoison pfn=0x3100\n"
		"unpoison recent=0\n"
		"free a2\n"
		"free a3\n"
		"drain_all\n";

	EXPECT_STREQ(run_text(text, 2), "clean");
	EXPECT_STREQ(run_text(text, 3), "clean");
}

/* The buddy head of the block around pfn 0x3001 loses PG_buddy before the operation. */
static void lose_buddy_flag(void *ctx, struct kb_run *run, size_t index)
{
	struct kb_instance *kb = kb_run_instance(run);

	(void)ctx;
	if (index == 0) {
		ClearPageBuddy(kb_pfn_to_page(kb, 0x3000));
		kb_dirty_range(kb, 0x3000, 1);
	}
}

/* A free page the shadow sees must come out poisoned ("hwpoison-soft-offline"). */
TEST(runner_soft_offline_oracle)
{
	struct kb_run_options opt = { .check_level = 2 };
	struct kb_run_result res;
	struct kb_run *run;
	char err[256];
	static const char text[] = "layout default\nsoft_offline pfn=0x3001\n";

	ASSERT_EQ(kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err)), 0);
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run != NULL);
	EXPECT_TRUE(!res.violated);
	kb_run_destroy(run);
	opt.before_op = lose_buddy_flag;
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run != NULL);
	EXPECT_TRUE(res.violated);
	EXPECT_STREQ(res.violation.invariant, "hwpoison-soft-offline");
	kb_run_destroy(run);
}

/* The checker's hwpoison invariants on states broken by hand. */
TEST(hwpoison_corruptions)
{
	struct kb_instance *kb = boot(0);
	struct kb_shadow *sh;
	struct kb_violation v;
	unsigned long pfn = 12288 + 77;

	ASSERT_TRUE(kb);
	sh = kb_shadow_create(kb);
	ASSERT_TRUE(sh != NULL);
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);
	/* a free page with PG_hwpoison */
	SetPageHWPoison(kb_pfn_to_page(kb, pfn));
	kb_dirty_range(kb, pfn, 1);
	EXPECT_EQ(kb_check_full(kb, sh, &v), 1);
	EXPECT_STREQ(v.invariant, "hwpoison-free");
	ClearPageHWPoison(kb_pfn_to_page(kb, pfn));
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);

	/* poisoned properly, then the flag lost */
	ASSERT_EQ(kb_soft_offline_page(kb, pfn), 0);
	ASSERT_EQ(kb_shadow_poison(sh, kb, pfn, 1, &v), 0);
	EXPECT_EQ(kb_check_full(kb, sh, &v), 0);
	ClearPageHWPoison(kb_pfn_to_page(kb, pfn));
	EXPECT_EQ(kb_check_full(kb, sh, &v), 1);
	EXPECT_STREQ(v.invariant, "hwpoison-state");
	SetPageHWPoison(kb_pfn_to_page(kb, pfn));

	/* an allocation over the poisoned page */
	EXPECT_EQ(kb_shadow_alloc(sh, kb, pfn & ~7UL, 3, GFP_KERNEL, 2, &v), 1);
	EXPECT_STREQ(v.invariant, "hwpoison-allocated");
	/* and a free of it */
	EXPECT_EQ(kb_shadow_free(sh, kb, pfn, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "api-double-free");
	EXPECT_EQ(kb_shadow_poisoned(sh, pfn), 1);

	/* the head of a live allocation with PG_hwpoison */
	{
		struct page *page = kb_alloc_pages(kb, GFP_KERNEL, 2, -1, NULL);

		ASSERT_TRUE(page != NULL);
		ASSERT_EQ(kb_shadow_alloc(sh, kb, kb_page_to_pfn(kb, page), 2, GFP_KERNEL, 3, &v), 0);
		EXPECT_EQ(kb_check_full(kb, sh, &v), 0);
		SetPageHWPoison(page);
		EXPECT_EQ(kb_check_full(kb, sh, &v), 1);
		EXPECT_STREQ(v.invariant, "hwpoison-state");
		ClearPageHWPoison(page);
	}
	/* the taken-off page counted as free: NR_FREE_PAGES one too high */
	page_zone(kb, kb_pfn_to_page(kb, pfn))->vm_stat[NR_FREE_PAGES]++;
	EXPECT_EQ(kb_check_full(kb, sh, &v), 1);
	EXPECT_STREQ(v.invariant, "vmstat-free-pages");
	kb_shadow_destroy(sh);
	kb_destroy(kb);
}

TEST(soft_offline_op_forms)
{
	static char text[512];
	static uint8_t enc[128];
	char err[256];
	static const char src[] =
		"layout default\n"
		"alloc order=0 gfp=GFP_HIGHUSER_MOVABLE cpu=0 -> a1\n"
		"soft_offline a1\n"
		"soft_offline pfn=0x3100\n"
		"unpoison recent=1\n"
		"unpoison pfn=0x3100\n";
	size_t n;

	ASSERT_EQ(kb_ops_parse_text(src, strlen(src), &ops, err, sizeof(err)), 0);
	ASSERT_EQ(ops.nr_ops, 5);
	EXPECT_TRUE(ops.ops[1].relative && ops.ops[1].handle == 1);
	EXPECT_TRUE(!ops.ops[2].relative && ops.ops[2].pfn == 0x3100);
	EXPECT_TRUE(ops.ops[3].relative && ops.ops[3].index == 1);
	n = kb_ops_format_text(&ops, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	EXPECT_TRUE(strstr(text, "soft_offline a1\nsoft_offline pfn=0x3100\nunpoison recent=1\nunpoison pfn=0x3100\n") != NULL);
	n = kb_ops_encode_binary(&ops, enc, sizeof(enc));
	ASSERT_EQ(n, 1 + 5 * 8);
	{
		static struct kb_ops back;

		kb_ops_decode_binary(enc, n, &back);
		ASSERT_EQ(back.nr_ops, 5);
		for (int i = 1; i < 5; i++) {
			EXPECT_EQ(back.ops[i].kind, ops.ops[i].kind);
			EXPECT_EQ(back.ops[i].relative, ops.ops[i].relative);
			EXPECT_EQ(back.ops[i].pfn, ops.ops[i].pfn);
			EXPECT_EQ(back.ops[i].index, ops.ops[i].index);
			EXPECT_EQ(back.ops[i].handle, ops.ops[i].handle);
		}
	}
	EXPECT_EQ(kb_ops_parse_text("soft_offline a1\n", 16, &ops, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "never created") != NULL);
	EXPECT_EQ(kb_ops_parse_text("unpoison recent=8\n", 18, &ops, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "out of range") != NULL);
	EXPECT_EQ(kb_ops_parse_text("soft_offline recent=0\n", 22, &ops, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "unknown key") != NULL);
	EXPECT_EQ(kb_ops_parse_text("unpoison\n", 9, &ops, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "usage") != NULL);
}

TEST_MAIN()
