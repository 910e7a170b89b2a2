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
		{ "Node 0, zone DMA\n  pages free 12x\n", "line 2: not a zoneinfo line" },
		{ "Node 0, zone DMA\n min 1\n min 2\n", "line 3: 'min' given twice" },
		{ "Node 0, zone DMA\n count: 3\n", "line 2: 'count' outside a \"cpu: N\" block" },
		{ "Node 0, zone DMA\n protection: (1, 2\n", "line 2: protection: expected ',' or ')'" },
		{ "Node 0, zone DMA\nNode 0, zone DMA\n", "line 2: zone 0 DMA given twice" },
		{ "Node x, zone DMA\n", "line 1: bad zone header" },
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

	z->has &= ~(1u << KB_ZI_PROMO);			/* a line one side does not print */
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

TEST_MAIN()
