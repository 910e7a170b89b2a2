/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checker's registry, the shadow's API-misuse checks, and the full
 * sweep on healthy instances: right after boot on every built-in layout,
 * and after each step of a long seeded run of allocations, frees, drains
 * and pcp disable/enable (where a report would be an allocator bug).
 */
#include "test_checker_fixture.h"

/* ---- registry ---- */

static const char *const strict_names[] = {
	"list-integrity", "buddy-flag", "order-alignment", "nr-free", "list-type",
	"large-block-type", "fully-merged", "block-boundary", "free-overlap",
	"vmstat-free-pages", "vmstat-free-cma", "highatomic-free",
	"highatomic-reserved", "highatomic-cap", "pcp-count", "pcp-page-state",
	"pcp-disabled-empty", "conservation", "managed-pages", "counter-negative",
	"compound", "alloc-page-state", "free-page-state", "checker-setup",
	"api-order-range", "api-free-reserved", "api-free-tail", "api-double-free",
	"api-wrong-order", "api-bad-handle", "alloc-alignment", "alloc-overlap",
	"alloc-range", "alloc-zone", "alloc-node", "page-content",
};

static const char *const kernel_names[] = {
	"bad-page", "vm-bug-free-tail", "vm-bug-free-order", "vm-bug-unaligned",
	"vm-bug-zone-span", "vm-bug-buddy-refcount", "freelist-type-warning",
	"highatomic-unreserve-warning", "vm-bug-expand-zone", "vm-bug-move-freepages",
	"split-page-bad", "vmstat-negative",
};

TEST(registry_has_every_name_at_its_level)
{
	for (unsigned int i = 0; i < sizeof(strict_names) / sizeof(strict_names[0]); i++) {
		const struct kb_invariant *inv = kb_invariant_find(strict_names[i]);

		ASSERT_TRUE(inv);
		EXPECT_EQ(inv->level, KB_LEVEL_STRICT);
	}
	for (unsigned int i = 0; i < sizeof(kernel_names) / sizeof(kernel_names[0]); i++) {
		const struct kb_invariant *inv = kb_invariant_find(kernel_names[i]);

		ASSERT_TRUE(inv);
		EXPECT_EQ(inv->level, KB_LEVEL_KERNEL);
	}
	EXPECT_TRUE(kb_invariant_find("no-such-invariant") == NULL);
	EXPECT_TRUE(kb_invariant_find(NULL) == NULL);
}

TEST(registry_entries_are_well_formed_and_unique)
{
	unsigned int n = kb_invariant_count();

	EXPECT_TRUE(n >= sizeof(strict_names) / sizeof(strict_names[0]) +
			 sizeof(kernel_names) / sizeof(kernel_names[0]));
	EXPECT_TRUE(kb_invariant_at(n) == NULL);
	for (unsigned int i = 0; i < n; i++) {
		const struct kb_invariant *a = kb_invariant_at(i);

		ASSERT_TRUE(a && a->name && a->meaning && a->kernel_bug);
		EXPECT_TRUE(a->level == KB_LEVEL_KERNEL || a->level == KB_LEVEL_STRICT);
		EXPECT_TRUE(strlen(a->meaning) > 10);
		EXPECT_TRUE(strspn(a->name, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
			    strlen(a->name));
		EXPECT_TRUE(kb_invariant_find(a->name) == a);
		for (unsigned int j = i + 1; j < n; j++)
			EXPECT_TRUE(strcmp(a->name, kb_invariant_at(j)->name) != 0);
	}
}

TEST(violation_set_and_format)
{
	struct kb_violation v;
	char buf[512];

	kb_violation_set(&v, "nr-free", 0, ZONE_NORMAL, 0x1200, 3, MIGRATE_MOVABLE,
			 "free_area[%u].nr_free is %lu", 3u, 7ul);
	EXPECT_STREQ(v.invariant, "nr-free");
	EXPECT_STREQ(v.meaning, kb_invariant_find("nr-free")->meaning);
	EXPECT_EQ(v.op_index, -1);
	EXPECT_STREQ(v.detail, "free_area[3].nr_free is 7");
	v.op_index = 17;
	kb_violation_format(&v, buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "nr-free") == buf);
	EXPECT_TRUE(strstr(buf, "pfn 0x1200") != NULL);
	EXPECT_TRUE(strstr(buf, "at op 17") != NULL);
	EXPECT_TRUE(strstr(buf, "nr_free is 7") != NULL);

	kb_violation_set(&v, "made-up-name", -1, -1, 0, -1, -1, "x");
	EXPECT_STREQ(v.invariant, "made-up-name");
	EXPECT_TRUE(v.meaning && strstr(v.meaning, "registry"));
}

TEST(violation_from_report)
{
	struct kb_report r = { .invariant = "bad-page", .pfn = 42, .order = 1,
			       .zone = ZONE_DMA32, .node = 0 };
	struct kb_violation v;

	snprintf(r.message, sizeof(r.message), "refcount 2 at free");
	kb_violation_from_report(&v, &r);
	EXPECT_STREQ(v.invariant, "bad-page");
	EXPECT_EQ(v.pfn, 42);
	EXPECT_EQ(v.order, 1);
	EXPECT_EQ(v.zone, ZONE_DMA32);
	EXPECT_STREQ(v.detail, "refcount 2 at free");
	EXPECT_EQ(v.migratetype, -1);
}

/* ---- shadow and API misuse ---- */

TEST(shadow_records_and_forgets)
{
	struct fx f;
	struct kb_violation v;
	unsigned long pfn;
	unsigned int order, h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 3, true);
	ASSERT_TRUE(h);
	EXPECT_EQ(kb_shadow_owner(f.sh, f.pfn[h]), h);
	EXPECT_EQ(kb_shadow_owner(f.sh, f.pfn[h] + 7), h);
	EXPECT_EQ(kb_shadow_owner(f.sh, f.kb->max_pfn + 5), 0);
	ASSERT_EQ(kb_shadow_lookup(f.sh, h, &pfn, &order), 1);
	EXPECT_EQ(pfn, f.pfn[h]);
	EXPECT_EQ(order, 3);

	unsigned long before = kb_shadow_total_pages(f.sh);
	struct page *page = kb_pfn_to_page(f.kb, f.pfn[h]);
	unsigned long zone_before = kb_shadow_allocated_pages(f.sh, page->node, page->zone);

	fx_free(&f, h, 0);
	EXPECT_EQ(kb_shadow_total_pages(f.sh), before - 8);
	EXPECT_EQ(kb_shadow_allocated_pages(f.sh, page->node, page->zone), zone_before - 8);
	EXPECT_EQ(kb_shadow_owner(f.sh, pfn), 0);
	EXPECT_EQ(kb_shadow_lookup(f.sh, h, &pfn, &order), 0);
	EXPECT_EQ(kb_shadow_allocated_pages(f.sh, -1, 0), 0);
	EXPECT_HEALTHY(&f);

	/* a second free of the same block */
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, f.pfn[h], 3, &v), 1);
	EXPECT_STREQ(v.invariant, "api-double-free");

	kb_shadow_reset(f.sh);
	EXPECT_EQ(kb_shadow_total_pages(f.sh), 0);
	EXPECT_EQ(kb_shadow_owner(f.sh, f.pfn[1]), 0);
	fx_teardown(&f);
}

TEST(api_order_range)
{
	struct fx f;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, f.pfn[1], f.kb->max_order + 1, &v), 1);
	EXPECT_STREQ(v.invariant, "api-order-range");
	fx_teardown(&f);
}

TEST(api_free_reserved)
{
	struct fx f;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	/* pfn 0 is outside every zone, hence PG_reserved */
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, 0, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "api-free-reserved");
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, f.kb->max_pfn, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "api-free-reserved");
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, ~0UL, 2, &v), 1);
	EXPECT_STREQ(v.invariant, "api-free-reserved");
	fx_teardown(&f);
}

TEST(api_free_tail)
{
	struct fx f;
	struct kb_violation v;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 2, false);
	ASSERT_TRUE(h);
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, f.pfn[h] + 1, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "api-free-tail");
	EXPECT_EQ(v.pfn, f.pfn[h] + 1);
	/* nothing was forgotten */
	EXPECT_EQ(kb_shadow_owner(f.sh, f.pfn[h] + 1), h);
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(api_double_free)
{
	struct fx f;
	struct kb_violation v;
	struct fblock b;

	if (fx_setup(&f))
		return;
	/* a pfn that is free in the buddy: never allocated by the caller */
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, b.pfn, b.order, &v), 1);
	EXPECT_STREQ(v.invariant, "api-double-free");
	fx_teardown(&f);
}

TEST(api_wrong_order)
{
	struct fx f;
	struct kb_violation v;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 3, false);
	ASSERT_TRUE(h);
	EXPECT_EQ(kb_shadow_free(f.sh, f.kb, f.pfn[h], 2, &v), 1);
	EXPECT_STREQ(v.invariant, "api-wrong-order");
	EXPECT_EQ(kb_shadow_owner(f.sh, f.pfn[h]), h);
	fx_teardown(&f);
}

TEST(api_bad_handle)
{
	struct fx f;
	struct kb_violation v;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, b.pfn, 0, GFP_KERNEL, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "api-bad-handle");
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, b.pfn, 0, GFP_KERNEL, 1, &v), 1);
	EXPECT_STREQ(v.invariant, "api-bad-handle");
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, b.pfn, 0, GFP_KERNEL,
				  KB_SHADOW_MAX_HANDLE + 1, &v), 1);
	EXPECT_STREQ(v.invariant, "api-bad-handle");
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(alloc_alignment)
{
	struct fx f;
	struct kb_violation v;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, 12, false, &b));
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, b.pfn + 1, 1, GFP_KERNEL, 100, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-alignment");
	EXPECT_EQ(kb_shadow_owner(f.sh, b.pfn + 1), 0);
	fx_teardown(&f);
}

TEST(alloc_overlap)
{
	struct fx f;
	struct kb_violation v;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 3, true);
	ASSERT_TRUE(h);
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, f.pfn[h] + 4, 2, GFP_KERNEL, 100, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-overlap");
	/* a larger block around a live one */
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, f.pfn[h] & ~15UL, 4, GFP_KERNEL, 101, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-overlap");
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(alloc_range)
{
	struct fx f;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, f.kb->max_pfn - 1, 1, GFP_KERNEL, 100, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-range");
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, 0, f.kb->max_order + 1, GFP_KERNEL, 100, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-range");
	EXPECT_EQ(kb_shadow_alloc(f.sh, f.kb, ~0UL, 0, GFP_KERNEL, 100, &v), 1);
	EXPECT_STREQ(v.invariant, "alloc-range");
	fx_teardown(&f);
}

TEST(shadow_handles_grow)
{
	struct fx f;
	struct kb_violation v;
	struct fblock b;
	unsigned long pfn;
	unsigned int order;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	/* far past the initial handle table; the sweep then flags the overlap */
	ASSERT_EQ(kb_shadow_alloc(f.sh, f.kb, b.pfn, 0, GFP_KERNEL, 100000, &v), 0);
	ASSERT_EQ(kb_shadow_lookup(f.sh, 100000, &pfn, &order), 1);
	EXPECT_EQ(pfn, b.pfn);
	EXPECT_VIOLATION(&f, "free-overlap");
	ASSERT_EQ(kb_shadow_free(f.sh, f.kb, b.pfn, 0, &v), 0);
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(checker_setup_foreign_shadow)
{
	struct fx f;
	struct kb_layout layout;
	struct kb_instance *other;
	struct kb_shadow *sh;
	struct kb_violation v;
	char err[200];

	if (fx_setup(&f))
		return;
	ASSERT_EQ(kb_layout_builtin("small", &layout), 0);
	other = kb_create(&layout, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	ASSERT_TRUE(other);
	ASSERT_TRUE(other->max_pfn != f.kb->max_pfn);
	sh = kb_shadow_create(other);
	ASSERT_TRUE(sh);
	EXPECT_EQ(kb_check_full(f.kb, sh, &v), 1);
	EXPECT_STREQ(v.invariant, "checker-setup");
	EXPECT_EQ(kb_shadow_alloc(sh, f.kb, f.pfn[1], 0, GFP_KERNEL, 7, &v), 1);
	EXPECT_STREQ(v.invariant, "checker-setup");
	kb_shadow_destroy(sh);
	kb_destroy(other);
	fx_teardown(&f);
}

TEST(sweep_without_shadow_sees_allocations_as_lost)
{
	struct fx f;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	/* no shadow: nothing is known to be allocated */
	ASSERT_EQ(kb_check_full(f.kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "conservation");
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

/* ---- healthy instances ---- */

TEST(every_builtin_layout_is_healthy_after_boot)
{
	for (unsigned int i = 0; i < kb_layout_builtin_count(); i++) {
		const char *name = kb_layout_builtin_name(i);
		struct kb_layout layout;
		struct fx f;
		struct kb_violation v;

		ASSERT_EQ(kb_layout_builtin(name, &layout), 0);
		if (fx_create(&f, &layout))
			return;
		if (kb_check_full(f.kb, f.sh, &v))
			KBTEST_FAIL("layout %s after boot: %s: %s", name, v.invariant, v.detail);
		/* without a shadow too */
		if (kb_check_full(f.kb, NULL, &v))
			KBTEST_FAIL("layout %s after boot, no shadow: %s: %s", name,
				    v.invariant, v.detail);
		if (f.nr_reports)
			KBTEST_FAIL("layout %s boot reported: %s", name, f.first_report);
		fx_teardown(&f);
	}
}

/* A small deterministic generator: no clocks, no global state. */
static unsigned int lcg(unsigned long *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned int)(*state >> 33);
}

static const gfp_t run_gfps[] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_COMP, GFP_HIGHUSER_MOVABLE,
	GFP_HIGHUSER_MOVABLE | __GFP_COMP, GFP_ATOMIC, GFP_KERNEL | __GFP_RECLAIMABLE,
	GFP_DMA32 | GFP_KERNEL, GFP_NOWAIT, GFP_ATOMIC | __GFP_COMP,
};

/*
 * Runs a seeded mix of operations on a layout, sweeping after every one.
 * Any violation or core report is an allocator bug (or a checker bug).
 */
static void healthy_run(const char *layout_name, unsigned long seed, int steps)
{
	struct kb_layout layout;
	struct fx f;
	struct kb_violation v;
	unsigned long st = seed;
	unsigned int live[FX_MAX_HANDLES], nr_live = 0;

	ASSERT_EQ(kb_layout_builtin(layout_name, &layout), 0);
	if (fx_create(&f, &layout))
		return;
	for (int step = 0; step < steps; step++) {
		unsigned int r = lcg(&st) % 100;
		int cpu = (int)(lcg(&st) % (unsigned int)f.kb->nr_cpu_ids);
		const char *what;

		if (r < 50 && f.nr_handles + 2 < FX_MAX_HANDLES) {
			unsigned int order = lcg(&st) % 11;
			gfp_t gfp = run_gfps[lcg(&st) % (sizeof(run_gfps) / sizeof(run_gfps[0]))];
			unsigned int h;

			if (order > 3 && lcg(&st) % 4)
				order = lcg(&st) % 4;
			if (order > f.kb->max_order)
				order = f.kb->max_order;
			h = fx_alloc(&f, gfp, order, cpu);
			if (h)
				live[nr_live++] = h;
			what = "alloc";
		} else if (r < 85 && nr_live) {
			unsigned int i = lcg(&st) % nr_live;

			fx_free(&f, live[i], cpu);
			live[i] = live[--nr_live];
			what = "free";
		} else if (r < 90) {
			kb_set_cpu(f.kb, cpu);
			kb_drain_local_pages(f.kb);
			what = "drain_local";
		} else if (r < 93) {
			kb_drain_all_pages(f.kb);
			what = "drain_all";
		} else {
			int nid = (int)(lcg(&st) % (unsigned int)f.kb->nr_node_ids);
			int zid = (int)(lcg(&st) % MAX_NR_ZONES);
			struct zone *zone = kb_zone(f.kb, nid, (enum zone_type)zid);

			if (!zone || !populated_zone(zone)) {
				what = "none";
			} else if (zone->pcp_disabled) {
				kb_zone_pcp_enable(f.kb, zone);
				what = "pcp_enable";
			} else {
				kb_zone_pcp_disable(f.kb, zone);
				what = "pcp_disable";
			}
		}
		if (kb_check_full(f.kb, f.sh, &v)) {
			KBTEST_FAIL("layout %s seed %lu step %d (%s): %s: %s", layout_name,
				    seed, step, what, v.invariant, v.detail);
			goto out;
		}
		if (f.nr_reports) {
			KBTEST_FAIL("layout %s seed %lu step %d (%s): core reported %s",
				    layout_name, seed, step, what, f.first_report);
			goto out;
		}
	}
	/* everything back: only boot's state remains */
	while (nr_live)
		fx_free(&f, live[--nr_live], 0);
	kb_drain_all_pages(f.kb);
	if (kb_check_full(f.kb, f.sh, &v))
		KBTEST_FAIL("layout %s seed %lu after freeing all: %s: %s", layout_name, seed,
			    v.invariant, v.detail);
	EXPECT_EQ(kb_shadow_total_pages(f.sh), 0);
out:
	/* after a violation the allocator may not survive more operations */
	fx_teardown(&f);
}

TEST(healthy_run_default)
{
	healthy_run("default", 1, 400);
	healthy_run("default", 2, 400);
}

TEST(healthy_run_every_layout)
{
	for (unsigned int i = 0; i < kb_layout_builtin_count(); i++)
		healthy_run(kb_layout_builtin_name(i), 100 + i, 250);
}

/*
 * Odd geometries and the bootmem boot path: pageblock_order equal to
 * MAX_PAGE_ORDER, at or below PAGE_ALLOC_COSTLY_ORDER (no THP pcp lists),
 * order 1. (MAX_PAGE_ORDER >= pageblock_order + 2 is left out: merging
 * there retypes only the buddy's first pageblock, as the kernel did until
 * "mm/page_alloc: change all pageblocks migrate type on coalescing".)
 */
TEST(healthy_run_geometry_variants)
{
	static const unsigned int orders[][2] = {
		{ 10, 9 }, { 10, 10 }, { 5, 3 }, { 3, 2 }, { 4, 4 }, { 1, 1 },
	};

	for (unsigned int li = 0; li < kb_layout_builtin_count(); li++) {
		for (int boot = 0; boot < 2; boot++) {
			for (unsigned int oi = 0; oi < sizeof(orders) / sizeof(orders[0]); oi++) {
				struct kb_layout l;
				struct fx f;
				struct kb_violation v;
				unsigned long st = li * 100 + oi * 10 + (unsigned long)boot;
				unsigned int live[FX_MAX_HANDLES], nr_live = 0;
				char err[200];

				ASSERT_EQ(kb_layout_builtin(kb_layout_builtin_name(li), &l), 0);
				l.boot_path = boot ? KB_BOOT_BOOTMEM : KB_BOOT_MEMBLOCK;
				l.max_page_order = orders[oi][0];
				l.pageblock_order = orders[oi][1];
				if (kb_layout_validate(&l, err, sizeof(err)))
					continue;
				if (fx_create(&f, &l))
					return;
				for (int step = 0; step < 150; step++) {
					unsigned int r = lcg(&st) % 100;
					int cpu = (int)(lcg(&st) % (unsigned int)f.kb->nr_cpu_ids);

					if (r < 55) {
						gfp_t gfp = run_gfps[lcg(&st) % (sizeof(run_gfps) /
										 sizeof(run_gfps[0]))];
						unsigned int h = fx_alloc(&f, gfp,
									  lcg(&st) % (orders[oi][0] + 1), cpu);

						if (h)
							live[nr_live++] = h;
					} else if (nr_live) {
						unsigned int i = lcg(&st) % nr_live;

						fx_free(&f, live[i], cpu);
						live[i] = live[--nr_live];
					}
					if (kb_check_full(f.kb, f.sh, &v) || f.nr_reports) {
						KBTEST_FAIL("%s %s %u/%u step %d: %s: %s",
							    kb_layout_builtin_name(li),
							    boot ? "bootmem" : "memblock", orders[oi][0],
							    orders[oi][1], step,
							    f.nr_reports ? "core report" : v.invariant,
							    f.nr_reports ? f.first_report : v.detail);
						break;
					}
				}
				fx_teardown(&f);
			}
		}
	}
}

/*
 * Memory pressure on a zone large enough to reserve highatomic pageblocks:
 * fill it, then mix high-order atomic allocations (which reserve blocks in
 * the slow path) with frees and ordinary allocations (whose failures give
 * reserved blocks back), sweeping each step.
 */
TEST(healthy_run_highatomic_pressure)
{
	struct kb_layout layout;
	struct fx f;
	struct kb_violation v;
	unsigned long st = 17;	/* a run that both reserves and unreserves */
	unsigned int live[FX_MAX_HANDLES], nr_live = 0, h;

	kb_layout_default(&layout);
	layout.node[0].zone[ZONE_NORMAL].end = 12288 + 65536;
	if (fx_create(&f, &layout))
		return;
	while (nr_live < 400 && (h = fx_alloc(&f, GFP_KERNEL, f.kb->pageblock_order, 0)))
		live[nr_live++] = h;
	while (nr_live < 600 && (h = fx_alloc(&f, GFP_KERNEL, 3, 0)))
		live[nr_live++] = h;
	EXPECT_HEALTHY(&f);
	for (int step = 0; step < 300 && f.nr_handles + 2 < FX_MAX_HANDLES; step++) {
		unsigned int r = lcg(&st) % 100;
		int cpu = (int)(lcg(&st) % (unsigned int)f.kb->nr_cpu_ids);

		if (r < 50) {
			h = fx_alloc(&f, GFP_ATOMIC, 1 + lcg(&st) % 3, cpu);
			if (h)
				live[nr_live++] = h;
		} else if (r < 85 && nr_live) {
			unsigned int i = lcg(&st) % nr_live;

			fx_free(&f, live[i], cpu);
			live[i] = live[--nr_live];
		} else {
			h = fx_alloc(&f, GFP_KERNEL, lcg(&st) % 4, cpu);
			if (h)
				live[nr_live++] = h;
		}
		if (kb_check_full(f.kb, f.sh, &v)) {
			KBTEST_FAIL("step %d: %s: %s", step, v.invariant, v.detail);
			goto out;
		}
		if (f.nr_reports) {
			KBTEST_FAIL("step %d: core reported %s", step, f.first_report);
			goto out;
		}
	}
	/* the run did reserve blocks and give one back */
	EXPECT_TRUE(f.kb->vm_events[HIGHATOMIC_RESERVE] > 0);
	EXPECT_TRUE(f.kb->vm_events[HIGHATOMIC_UNRESERVE] > 0);
	while (nr_live)
		fx_free(&f, live[--nr_live], 0);
	kb_drain_all_pages(f.kb);
	EXPECT_HEALTHY(&f);
out:
	/* after a violation the allocator may not survive more operations */
	fx_teardown(&f);
}

TEST_MAIN()
