// SPDX-License-Identifier: GPL-2.0
/*
 * Real machines in: /proc/zoneinfo parsed back (a real kernel's and
 * kbuddy's own), the field-by-field comparison and its classes, and a
 * capture directory derived into a layout (tests/captures/).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbtest.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"
#include "../import/capture.h"
#include "../import/compare.h"
#include "../import/replay.h"
#include "../import/trace.h"
#include "../import/zoneinfo.h"

static struct kb_zoneinfo *parse(const char *text, char *err, size_t errlen)
{
	struct kb_zoneinfo *zi = malloc(sizeof(*zi));

	if (zi && kb_zoneinfo_parse(text, strlen(text), zi, err, errlen)) {
		free(zi);
		return NULL;
	}
	return zi;
}

/* kbuddy's own zoneinfo of a built-in layout at boot, parsed. */
static struct kb_zoneinfo *own_zoneinfo(const char *name)
{
	struct kb_zoneinfo *zi = NULL;
	struct kb_instance *kb;
	struct kb_layout l;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (kb_layout_builtin(name, &l))
		return NULL;
	kb = kb_create(&l, NULL, err, sizeof(err));
	if (!kb)
		return NULL;
	f = open_memstream(&buf, &len);
	if (f) {
		kb_show_zoneinfo(kb, f);
		fclose(f);
		zi = parse(buf, err, sizeof(err));
		if (!zi)
			fprintf(stderr, "  %s\n", err);
	}
	free(buf);
	kb_destroy(kb);
	return zi;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	if (text)
		text[n] = 0;
	fclose(f);
	return text;
}

TEST(parses_a_real_kernels_zoneinfo)
{
	char *text = slurp("tests/captures/linux-6.1-256m/zoneinfo.before"), err[256];
	struct kb_zoneinfo *zi;
	const struct kb_zi_zone *z;

	ASSERT_TRUE(text);
	zi = parse(text, err, sizeof(err));
	free(text);
	ASSERT_TRUE(zi);
	EXPECT_EQ(zi->nr_zones, 5);
	z = kb_zoneinfo_find(zi, 0, "DMA32");
	ASSERT_TRUE(z);
	EXPECT_EQ(z->value[KB_ZI_MANAGED], 48780);
	EXPECT_EQ(z->value[KB_ZI_MIN], 412);
	EXPECT_EQ(z->value[KB_ZI_START_PFN], 4096);
	EXPECT_TRUE(!(z->has & (1u << KB_ZI_PROMO)));	/* 6.1 does not print it */
	EXPECT_EQ(z->nr_protection, 5);
	EXPECT_EQ(z->nr_pcp, 2);
	EXPECT_EQ(z->pcp[1].value[KB_ZI_PCP_HIGH], 257);
	EXPECT_EQ(z->pcp[1].value[KB_ZI_PCP_THRESHOLD], 8);
	z = kb_zoneinfo_find(zi, 0, "Movable");
	ASSERT_TRUE(z);
	EXPECT_EQ(z->nr_pcp, 0);
	EXPECT_EQ(z->value[KB_ZI_SPANNED], 0);
	free(zi);
}

TEST(bad_zoneinfo_is_refused_with_its_line)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "", "no \"Node N, zone NAME\" line" },
		{ "hello\n", "line 1: 'hello' before the first" },
		{ "Node 0, zone DMA\n  pages free 12x\n", "line 2, column 14: bad number '12x'" },
		{ "Node 0, zone DMA\n  pages: 12\n", "line 2: not a zoneinfo line" },
		{ "Node 0, zone DMA\n min 1\n min 2\n", "line 3: 'min' given twice" },
		{ "Node 0, zone DMA\n count: 3\n", "line 2: 'count' outside a \"cpu: N\" block" },
		{ "Node 0, zone DMA\n protection: (1, 2\n", "line 2: protection: expected ',' or ')'" },
		{ "Node 0, zone DMA\nNode 0, zone DMA\n", "line 2: zone 0 DMA given twice" },
		{ "Node x, zone DMA\n", "line 1, column 6: bad number 'x,' (not a number)" },
		{ "Node 0 zone DMA\n", "line 1: bad zone header" },
		{ "Node 0, DMA\n", "line 1: bad zone header" },
		{ "Node 0, zone DMA\n cpu: 0\n cpu: 0\n", "line 3: cpu 0 given twice" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		struct kb_zoneinfo *zi = parse(cases[i].text, err, sizeof(err));

		EXPECT_TRUE(!zi);
		free(zi);
		if (!strstr(err, cases[i].err))
			KBTEST_FAIL("case %zu: expected '%s' in '%s'", i, cases[i].err, err);
	}
}

TEST(compare_finds_each_kind_of_difference)
{
	struct kb_zoneinfo *a = own_zoneinfo("default"), *b = own_zoneinfo("default");
	struct kb_zi_compare_opts opts = { .pcp_high_dynamic = false };
	struct kb_zi_compare_result res;
	struct kb_zi_zone *z;

	ASSERT_TRUE(a && b);
	EXPECT_EQ(kb_zoneinfo_compare(a, b, &opts, NULL, &res), 0);
	EXPECT_TRUE(res.equal > 50);
	EXPECT_EQ(res.dynamic, 0);

	z = (struct kb_zi_zone *)kb_zoneinfo_find(b, 0, "Normal");
	ASSERT_TRUE(z && z->nr_pcp > 0);
	z->value[KB_ZI_MIN]++;				/* derived: a finding */
	z->pcp[0].value[KB_ZI_PCP_COUNT]++;		/* dynamic */
	z->pcp[0].value[KB_ZI_PCP_HIGH]++;		/* derived while high is static */
	EXPECT_EQ(kb_zoneinfo_compare(a, b, &opts, NULL, &res), 2);
	EXPECT_EQ(res.derived, 2);
	EXPECT_EQ(res.dynamic, 1);
	opts.pcp_high_dynamic = true;			/* 6.7+: high moves at run time */
	EXPECT_EQ(kb_zoneinfo_compare(a, b, &opts, NULL, &res), 1);
	EXPECT_EQ(res.dynamic, 2);

	z->has &= ~(1u << KB_ZI_CMA);			/* a line one side does not print */
	z->protection[1] += 5;
	EXPECT_EQ(kb_zoneinfo_compare(a, b, &opts, NULL, &res), 3);
	EXPECT_EQ(res.format, 1);
	EXPECT_EQ(res.derived, 2);
	b->nr_zones--;					/* a zone missing */
	kb_zoneinfo_compare(a, b, &opts, NULL, &res);
	EXPECT_EQ(res.format, 2);
	free(a);
	free(b);
}

TEST(derives_the_layout_of_a_capture)
{
	struct kb_capture *cap = malloc(sizeof(*cap));
	struct kb_layout l;
	char err[512];
	unsigned long late = 0;
	unsigned int i, initrd = 0;

	ASSERT_TRUE(cap);
	ASSERT_EQ(kb_capture_read("tests/captures/linux-6.12-1g", cap, NULL, err, sizeof(err)), 0);
	EXPECT_EQ(cap->version_major, 6);
	EXPECT_EQ(cap->version_minor, 12);
	EXPECT_STREQ(kb_capture_profile(cap), "6.12");
	EXPECT_EQ(cap->min_free_kbytes, 45056);
	ASSERT_EQ(kb_capture_derive(cap, &l, NULL, err, sizeof(err)), 0);
	EXPECT_EQ(l.nr_nodes, 1);
	EXPECT_EQ(l.node[0].nr_cpus, 2);
	EXPECT_EQ(l.node[0].zone[ZONE_DMA].start, 1);
	EXPECT_EQ(l.node[0].zone[ZONE_DMA32].end, 0x3ffda);
	EXPECT_EQ(l.nr_holes, 1);		/* the BIOS area [0x9f, 0x100) */
	EXPECT_EQ(l.hole[0].start, 0x9f);
	for (i = 0; i < l.nr_late_free; i++) {
		late += l.late_free[i].end - l.late_free[i].start;
		initrd += l.late_free_kind[i] == KB_LATE_INITRD;
	}
	/* initrd 2020K, decrypted 2028K, initmem 4264K, rodata/data gap 572K */
	EXPECT_EQ(late, (2020 + 2028 + 4264 + 572) / 4);
	EXPECT_EQ(initrd, 1);
	ASSERT_TRUE(l.nr_boot_sysctls >= 1);
	EXPECT_EQ(l.boot_sysctl[l.nr_boot_sysctls - 1].read, 1);
	EXPECT_STREQ(l.profile, "6.12");
	kb_capture_free(cap);
	free(cap);
}

/* zone NAME of node 0 in a capture's zoneinfo.before */
static struct kb_zi_zone *cap_zone(struct kb_capture *cap, const char *name)
{
	for (int i = 0; i < cap->before->nr_zones; i++)
		if (cap->before->zone[i].node == 0 && !strcmp(cap->before->zone[i].name, name))
			return &cap->before->zone[i];
	return NULL;
}

static void set_zi(struct kb_zi_zone *z, enum kb_zi_field f, long v)
{
	z->value[f] = v;
	z->has |= 1u << f;
}

/*
 * movablecore=25% on the 1 GiB machine: memory [1, 0x9f) and
 * [0x100, 0x3ffda), 262008 pages; 65502 rounded up to 65536 Movable,
 * kernelcore 196472: 158 + 3840 pages below DMA32's 4096, then 192474 of
 * DMA32, zone_movable_pfn 196570, rounded to 1024: 0x30000. Import places
 * it so; held against a zoneinfo without that Movable zone it warns with
 * the rule's span, against one with it (DMA32 cut there, Movable present
 * and managed whole) it is silent.
 */
TEST(import_places_movable_by_the_kernels_rule)
{
	struct kb_capture *cap = malloc(sizeof(*cap));
	struct kb_zi_zone *dma32, *movable;
	struct kb_layout l;
	char err[512], *warn = NULL;
	size_t len = 0;
	long moved = 0x3ffda - 0x30000;
	FILE *f;

	ASSERT_TRUE(cap);
	ASSERT_EQ(kb_capture_read("tests/captures/linux-6.12-1g", cap, NULL, err, sizeof(err)), 0);
	snprintf(cap->cmdline, sizeof(cap->cmdline), "console=ttyS0 movablecore=25%%");
	f = open_memstream(&warn, &len);
	ASSERT_TRUE(f);
	ASSERT_EQ(kb_capture_derive(cap, &l, f, err, sizeof(err)), 0);
	fclose(f);
	EXPECT_TRUE(warn && strstr(warn, "node 0 Movable [0x30000, 0x3ffda), zoneinfo shows [0, 0)"));
	free(warn);

	dma32 = cap_zone(cap, "DMA32");
	movable = cap_zone(cap, "Movable");
	ASSERT_TRUE(dma32 && movable);
	set_zi(dma32, KB_ZI_SPANNED, 0x30000 - 4096);
	set_zi(dma32, KB_ZI_PRESENT, dma32->value[KB_ZI_PRESENT] - moved);
	set_zi(dma32, KB_ZI_MANAGED, dma32->value[KB_ZI_MANAGED] - moved);
	set_zi(movable, KB_ZI_START_PFN, 0x30000);
	set_zi(movable, KB_ZI_SPANNED, moved);
	set_zi(movable, KB_ZI_PRESENT, moved);
	set_zi(movable, KB_ZI_MANAGED, moved);
	warn = NULL;
	f = open_memstream(&warn, &len);
	ASSERT_TRUE(f);
	if (kb_capture_derive(cap, &l, f, err, sizeof(err)))
		KBTEST_FAIL("derive: %s", err);
	fclose(f);
	EXPECT_TRUE(!warn || !strstr(warn, "kernelcore"));
	if (warn && strstr(warn, "kernelcore"))
		fprintf(stderr, "  %s", warn);
	EXPECT_EQ(l.node[0].zone[ZONE_DMA32].end, 0x30000);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].start, 0x30000);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].end, 0x3ffda);
	free(warn);
	kb_capture_free(cap);
	free(cap);
}

static int load_map(const char *path, struct kb_gfp_map *map)
{
	char *text = slurp(path), err[256];
	int ret;

	if (!text)
		return -1;
	ret = kb_gfp_map_parse(text, strlen(text), map, err, sizeof(err));
	if (ret)
		fprintf(stderr, "  %s: %s\n", path, err);
	free(text);
	return ret;
}

static unsigned long map_value(const struct kb_gfp_map *map, const char *name)
{
	int i;

	for (i = 0; i < map->nr; i++)
		if (!strcmp(map->e[i].name, name))
			return map->e[i].value;
	return ~0UL;
}

TEST(gfp_tables_come_from_the_format_files)
{
	struct kb_gfp_map m61, m612;

	ASSERT_EQ(load_map("tests/captures/linux-6.1-256m/format.mm_page_alloc", &m61), 0);
	ASSERT_EQ(load_map("tests/captures/linux-6.12-1g/format.mm_page_alloc", &m612), 0);
	EXPECT_EQ(map_value(&m61, "GFP_KERNEL"), 0xcc0);
	EXPECT_EQ(map_value(&m612, "GFP_KERNEL"), 0xcc0);
	/* 6.1 still has __GFP_ATOMIC (0x200) in GFP_ATOMIC; 6.3 removed it */
	EXPECT_EQ(map_value(&m61, "__GFP_ATOMIC"), 0x200);
	EXPECT_EQ(map_value(&m61, "GFP_ATOMIC"), 0xa20);
	EXPECT_EQ(map_value(&m612, "GFP_ATOMIC"), 0x820);
	EXPECT_EQ(map_value(&m612, "__GFP_ATOMIC"), ~0UL);
	EXPECT_EQ(map_value(&m612, "GFP_TRANSHUGE"), GFP_TRANSHUGE);
}

static const char trace_lines[] =
	"# entries-in-buffer/entries-written: 9/12   #P:2\n"
	"  init-1 [000] .....  5.1: tracing_mark_write: PHASE start\n"
	"  init-1 [000] .....  5.2: mm_page_alloc: page=(____ptrval____) pfn=0x2000 order=1 migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_COMP\n"
	"  a b-c-7 [001] d..2.  5.3: mm_page_alloc: page=(____ptrval____) pfn=0x30\n"
	"CPU:1 [LOST 12 EVENTS]\n"
	"  init-1 [000] .....  5.4: sched_switch: prev_comm=init\n"
	"  init-1 [000] .....  5.5: mm_page_free: page=(____ptrval____) pfn=0x2000 order=1mm_page_free: page=x\n"
	"  init-1 [001] .....  5.6: mm_page_free: page=(____ptrval____) pfn=0x2000 order=1\n"
	"  init-1 [001] .....  5.7: mm_page_free: page=(____ptrval____) pfn=0x1234 order=0\n"
	"  init-1 [001] .....  5.8: mm_page_pcpu_drain: page=(____ptrval____) pfn=0x2000 order=1 migratetype=0\n";

TEST(trace_lines_good_and_bad)
{
	struct kb_gfp_map map;
	struct kb_trace t;
	char err[256];

	ASSERT_EQ(load_map("tests/captures/linux-6.1-256m/format.mm_page_alloc", &map), 0);
	ASSERT_EQ(kb_trace_parse(trace_lines, strlen(trace_lines), &map, &t, err, sizeof(err)), 0);
	EXPECT_EQ(t.count[KB_TR_ALLOC], 1);
	EXPECT_EQ(t.count[KB_TR_FREE], 2);
	EXPECT_EQ(t.count[KB_TR_PCPU_DRAIN], 1);
	EXPECT_EQ(t.nr_phases, 1);
	EXPECT_EQ(t.malformed, 2);		/* the truncated line and the interleaved one */
	EXPECT_EQ(t.first_malformed_line, 4);
	EXPECT_EQ(t.unknown, 1);
	EXPECT_STREQ(t.unknown_names, "sched_switch");
	EXPECT_EQ(t.lost, 12);
	EXPECT_EQ(t.entries_written, 12);
	/* GFP_ATOMIC of 6.1 is kbuddy's GFP_ATOMIC less __GFP_ATOMIC, which kbuddy has not */
	ASSERT_TRUE(t.nr >= 2);
	EXPECT_EQ(t.rec[1].gfp, GFP_ATOMIC | __GFP_COMP);
	EXPECT_EQ(t.gfp_dropped, 1);
	EXPECT_STREQ(t.gfp_dropped_names, "__GFP_ATOMIC");
	EXPECT_EQ(t.rec[1].cpu, 0);
	kb_trace_free(&t);
	EXPECT_EQ(kb_trace_parse("hello\n", 6, NULL, &t, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "not an ftrace text") != NULL);
}

TEST(replay_maps_the_kernels_pages_to_kbuddys)
{
	struct kb_replay_stats st;
	struct kb_layout l;
	struct kb_trace t;
	char err[256];

	ASSERT_EQ(kb_layout_builtin("default", &l), 0);
	ASSERT_EQ(kb_trace_parse(trace_lines, strlen(trace_lines), NULL, &t, err, sizeof(err)), 0);
	ASSERT_EQ(kb_trace_replay(&l, &t, 2, &st, NULL, err, sizeof(err)), 0);
	EXPECT_TRUE(!st.violated);
	EXPECT_EQ(st.kernel.allocs, 1);
	EXPECT_EQ(st.kbuddy.allocs, 1);
	EXPECT_EQ(st.frees, 1);			/* the traced allocation */
	EXPECT_EQ(st.frees_untraced, 1);	/* 0x1234: allocated before the trace */
	EXPECT_EQ(st.kernel.drain_pages, 2);
	EXPECT_EQ(st.live_at_end, 0);
	kb_trace_free(&t);

	/* a page past the layout's zones: a trace of another machine */
	{
		static const char other[] =
			"  x-1 [000] ..... 1.0: mm_page_free: page=(____ptrval____) pfn=0x900000 order=0\n";

		ASSERT_EQ(kb_trace_parse(other, strlen(other), NULL, &t, err, sizeof(err)), 0);
	}
	EXPECT_EQ(kb_trace_replay(&l, &t, 2, &st, NULL, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "outside the layout's zones") != NULL);
	kb_trace_free(&t);
}

struct tp_count {
	unsigned int n[KB_NR_TRACEPOINTS];
};

static void count_tp(void *ctx, const struct kb_trace_event *ev)
{
	struct tp_count *c = ctx;

	c->n[ev->event]++;
}

TEST(tracepoints_fire_where_the_kernel_raises_them)
{
	struct tp_count c;
	struct kb_trace_event ev = { .event = KB_TP_MM_PAGE_ALLOC, .pfn = 0x3000, .order = 3,
				     .migratetype = 0, .gfp = GFP_KERNEL | __GFP_COMP };
	struct kb_instance *kb;
	struct kb_layout l;
	struct page *p;
	char err[256], text[512];

	memset(&c, 0, sizeof(c));
	ASSERT_EQ(kb_layout_builtin("default", &l), 0);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb);
	kb_set_tracepoint(kb, count_tp, &c);
	p = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
	ASSERT_TRUE(p);
	EXPECT_EQ(c.n[KB_TP_MM_PAGE_ALLOC], 1);
	EXPECT_EQ(c.n[KB_TP_MM_PAGE_ALLOC_EXTFRAG], 1);		/* boot left only movable blocks */
	kb_free_pages(kb, p, 0);
	EXPECT_EQ(c.n[KB_TP_MM_PAGE_FREE], 1);
	kb_drain_all_pages(kb);
	EXPECT_TRUE(c.n[KB_TP_MM_PAGE_PCPU_DRAIN] >= 1);
	/* from the claimed block's lists now: a buddy allocation under the zone lock */
	p = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
	ASSERT_TRUE(p);
	EXPECT_TRUE(c.n[KB_TP_MM_PAGE_ALLOC_ZONE_LOCKED] >= 1);
	EXPECT_EQ(c.n[KB_TP_MM_PAGE_ALLOC_EXTFRAG], 1);
	kb_free_pages(kb, p, 0);
	EXPECT_TRUE(kb_alloc_pages(kb, GFP_DMA | __GFP_DMA32, 0, -1, NULL) == NULL);
	EXPECT_EQ(c.n[KB_TP_MM_PAGE_ALLOC], 2);		/* a bad request is refused before the trace */
	kb_trace_event_format(kb, &ev, text, sizeof(text));
	EXPECT_STREQ(text, "mm_page_alloc: page=(____ptrval____) pfn=0x3000 order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP");
	kb_destroy(kb);
}

TEST_MAIN()
