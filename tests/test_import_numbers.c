// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers in the files of a capture are read strictly (import/number.h):
 * a sign where none belongs, a '+', an exponent, a fraction, hex where
 * the kernel prints decimal (or decimal where it prints 0x), an overflow
 * and text after the digits are refused, in zoneinfo with the line and
 * column, in sysctl_vm with the file too, and in a trace as a malformed
 * line; never read as another value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kbtest.h"
#include "../import/capture.h"
#include "../import/number.h"
#include "../import/trace.h"
#include "../import/zoneinfo.h"

static const struct kb_num_rule dec = { .min = 0, .max = 1000 };
static const struct kb_num_rule sdec = { .negative = true, .min = -1, .max = 1000 };
static const struct kb_num_rule hex = { .hex = true, .min = 0, .max = 0xffff };

TEST(number_reads_whole_numbers_in_range)
{
	static const struct {
		const char *text;
		const struct kb_num_rule *rule;
		long value;	/* read when why is NULL */
		const char *why;
	} cases[] = {
		{ "0", &dec, 0, NULL },
		{ "1000", &dec, 1000, NULL },
		{ "007", &dec, 7, NULL },	/* decimal, not octal */
		{ "12 34", &dec, 12, NULL },	/* ends at a blank */
		{ "-1", &sdec, -1, NULL },
		{ "0x1f", &hex, 31, NULL },
		{ "0XFFFF", &hex, 0xffff, NULL },
		{ "1001", &dec, 0, "out of range" },
		{ "-2", &sdec, 0, "out of range" },
		{ "99999999999999999999999", &dec, 0, "out of range" },
		{ "0x10000", &hex, 0, "out of range" },
		{ "0xffffffffffffffffff", &hex, 0, "out of range" },
		{ "-1", &dec, 0, "a negative value" },
		{ "+1", &dec, 0, "a '+' sign" },
		{ "+1", &sdec, 0, "a '+' sign" },
		{ "1e3", &dec, 0, "an exponent" },
		{ "1.5", &dec, 0, "a fraction" },
		{ "12x", &dec, 0, "text after the number" },
		{ "0x10", &dec, 0, "hex where a decimal number belongs" },
		{ "16", &hex, 0, "not a 0x hex number" },
		{ "0xg", &hex, 0, "not a number" },
		{ "", &dec, 0, "not a number" },
		{ "-", &sdec, 0, "not a number" },
		{ " 1", &dec, 0, "not a number" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		long v = -12345;
		size_t n = kb_num_read(cases[i].text, cases[i].rule, &v, &why);

		if (!cases[i].why && (!n || v != cases[i].value))
			KBTEST_FAIL("'%s': expected %ld, got %ld (%zu characters, %s)", cases[i].text,
				    cases[i].value, v, n, why ? why : "");
		if (cases[i].why && (n || !why || strcmp(why, cases[i].why)))
			KBTEST_FAIL("'%s': expected the reason '%s', got %zu characters, '%s'",
				    cases[i].text, cases[i].why, n, n ? "" : why);
	}
}

TEST(number_error_names_line_column_and_escapes_bytes)
{
	const char *line = "  min \x01\xff" "7", *longer = "x 123456789012345678901234567890";
	char buf[128];

	kb_num_error(buf, sizeof(buf), 9, line, line + 6, "not a number");
	EXPECT_STREQ(buf, "line 9, column 7: bad number '\\x01\\xff7' (not a number)");
	kb_num_error(buf, sizeof(buf), 1, longer, longer + 2, "out of range");
	EXPECT_STREQ(buf, "line 1, column 3: bad number '123456789012345678901234'... (out of range)");
}

static int zoneinfo_error(const char *text, char *err, size_t len)
{
	struct kb_zoneinfo *zi = malloc(sizeof(*zi));
	int ret;

	if (!zi)
		return 0;
	ret = kb_zoneinfo_parse(text, strlen(text), zi, err, len);
	free(zi);
	return ret;
}

TEST(zoneinfo_numbers_are_strict_with_line_and_column)
{
	static const struct {
		const char *line2, *err;
	} cases[] = {
		{ "  pages free 12x", "line 2, column 14: bad number '12x' (text after the number)" },
		{ "  pages free +12", "line 2, column 14: bad number '+12' (a '+' sign)" },
		{ "        min      -5", "line 2, column 18: bad number '-5' (a negative value)" },
		{ "        low      1e3", "line 2, column 18: bad number '1e3' (an exponent)" },
		{ "        high     99999999999999999999", "line 2, column 18: bad number '99999999999999999999' (out of range)" },
		{ "        spanned  0x100", "line 2, column 18: bad number '0x100' (hex where a decimal" },
		{ "        managed  2.5", "line 2, column 18: bad number '2.5' (a fraction)" },
		{ "        present  4 5", "line 2, column 20: text after the number: '5'" },
		{ "        protection: (0, 1x, 2)", "line 2, column 25: bad number '1x,' (text after the number)" },
		{ "      nr_free_pages 7q", "line 2, column 21: bad number '7q' (text after the number)" },
		{ "  start_pfn:           -1", "line 2, column 24: bad number '-1' (a negative value)" },
		{ "    cpu: 1e1", "line 2, column 10: bad number '1e1' (an exponent)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256], err[256] = "";

		snprintf(text, sizeof(text), "Node 0, zone      DMA\n%s\n", cases[i].line2);
		if (!zoneinfo_error(text, err, sizeof(err)) || !strstr(err, cases[i].err))
			KBTEST_FAIL("'%s': expected '%s', got '%s'", cases[i].line2, cases[i].err, err);
	}
	{
		char err[256] = "";

		EXPECT_TRUE(zoneinfo_error("Node +0, zone DMA\n", err, sizeof(err)) != 0);
		EXPECT_TRUE(strstr(err, "line 1, column 6: bad number '+0,' (a '+' sign)") != NULL);
		EXPECT_TRUE(zoneinfo_error("Node 99999999999, zone DMA\n", err, sizeof(err)) != 0);
		EXPECT_TRUE(strstr(err, "line 1, column 6: bad number '99999999999,' (out of range)") != NULL);
		/* the same text with good numbers parses */
		EXPECT_EQ(zoneinfo_error("Node 0, zone DMA\n  pages free 12\n  protection: (0, 1, 2)\n", err,
					 sizeof(err)), 0);
	}
}

/* A capture of zoneinfo.before, sysctl_vm.before and .after under /tmp. */
static int capture_with_sysctls(const char *dir, const char *before, const char *after,
				char *err, size_t len)
{
	static const char zi[] = "Node 0, zone   Normal\n  pages free 100\n        min 1\n        low 2\n"
				 "        high 3\n        spanned 4096\n        present 4096\n"
				 "        managed 4000\n        protection: (0, 0, 0, 0, 0)\n";
	struct kb_capture *cap = malloc(sizeof(*cap));
	char path[600];
	FILE *f;
	int ret;

	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/zoneinfo.before", dir);
	f = fopen(path, "w");
	if (!f || !cap)
		return 0;
	fputs(zi, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/sysctl_vm.before", dir);
	f = fopen(path, "w");
	if (f) {
		fputs(before, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/sysctl_vm.after", dir);
	f = fopen(path, "w");
	if (f) {
		fputs(after, f);
		fclose(f);
	}
	ret = kb_capture_read(dir, cap, NULL, err, len);
	if (!ret) {
		EXPECT_EQ(cap->min_free_kbytes, 45056);
		EXPECT_EQ(cap->nr_lowmem_reserve_ratio, 3);
		EXPECT_EQ(cap->lowmem_reserve_ratio[2], 32);
	}
	kb_capture_free(cap);
	free(cap);
	return ret;
}

TEST(sysctl_numbers_are_strict_with_file_line_and_column)
{
	static const char good[] = "min_free_kbytes = 45056\nwatermark_scale_factor = 10\n"
				   "lowmem_reserve_ratio = 256\t256\t32\n";
	static const struct {
		const char *before, *after, *err;
	} cases[] = {
		{ "min_free_kbytes = 45056x\n", "", "sysctl_vm.before: line 1, column 19: bad number '45056x' (text after the number)" },
		{ "min_free_kbytes = +45056\n", "", "sysctl_vm.before: line 1, column 19: bad number '+45056' (a '+' sign)" },
		{ "min_free_kbytes = 4e4\n", "", "sysctl_vm.before: line 1, column 19: bad number '4e4' (an exponent)" },
		{ "min_free_kbytes = 2147483648\n", "", "sysctl_vm.before: line 1, column 19: bad number '2147483648' (out of range)" },
		{ "min_free_kbytes = 0x100\n", "", "sysctl_vm.before: line 1, column 19: bad number '0x100' (hex where" },
		{ "min_free_kbytes = \n", "", "sysctl_vm.before: line 1, column 19: bad number '' (not a number)" },
		{ "min_free_kbytes = 1 2\n", "", "sysctl_vm.before: line 1, column 21: min_free_kbytes takes one value" },
		{ good, "watermark_scale_factor = 10\nlowmem_reserve_ratio = 256\t2x6\t32\n",
		  "sysctl_vm.after: line 2, column 28: bad number '2x6' (text after the number)" },
		{ good, "min_free_kbytes 45056\n", "sysctl_vm.after: line 1: not a \"NAME = VALUE\" line" },
	};
	char dir[64], err[512];
	size_t i;

	snprintf(dir, sizeof(dir), "/tmp/kbuddy-test-numbers-%d", (int)getpid());
	err[0] = 0;
	EXPECT_EQ(capture_with_sysctls(dir, good, good, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = 0;
		if (!capture_with_sysctls(dir, cases[i].before, cases[i].after, err, sizeof(err)) ||
		    !strstr(err, cases[i].err))
			KBTEST_FAIL("case %zu: expected '%s', got '%s'", i, cases[i].err, err);
	}
	{
		char path[600];

		snprintf(path, sizeof(path), "%s/zoneinfo.before", dir);
		remove(path);
		snprintf(path, sizeof(path), "%s/sysctl_vm.before", dir);
		remove(path);
		snprintf(path, sizeof(path), "%s/sysctl_vm.after", dir);
		remove(path);
		rmdir(dir);
	}
}

TEST(trace_numbers_are_strict)
{
	static const char *const bad[] = {
		"pfn=0x1000 order=+1 migratetype=0 gfp_flags=GFP_KERNEL",
		"pfn=0x1000 order=1e0 migratetype=0 gfp_flags=GFP_KERNEL",
		"pfn=0x1000 order=0x1 migratetype=0 gfp_flags=GFP_KERNEL",
		"pfn=0x1000 order=1 migratetype=99999999999 gfp_flags=GFP_KERNEL",
		"pfn=4096 order=1 migratetype=0 gfp_flags=GFP_KERNEL",
		"pfn=-0x1000 order=1 migratetype=0 gfp_flags=GFP_KERNEL",
		"pfn=0x1000q order=1 migratetype=0 gfp_flags=GFP_KERNEL",
		"pfn=0xffffffffffffffffffff order=1 migratetype=0 gfp_flags=GFP_KERNEL",
	};
	char text[4096], err[256];
	struct kb_trace t;
	size_t i, n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "  init-1 [000] .....  5.0: mm_page_alloc: page=(____ptrval____) pfn=0x1000 order=1 migratetype=-1 gfp_flags=GFP_KERNEL\n"
			      "  init-1 [99999999] .....  5.0: mm_page_free: page=(____ptrval____) pfn=0x1000 order=1\n");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "  init-1 [001] .....  5.%zu: mm_page_alloc: page=(____ptrval____) %s\n",
				      i + 1, bad[i]);
	ASSERT_EQ(kb_trace_parse(text, n, NULL, &t, err, sizeof(err)), 0);
	EXPECT_EQ(t.count[KB_TR_ALLOC], 1);
	EXPECT_EQ(t.count[KB_TR_FREE], 0);
	EXPECT_EQ(t.malformed, 1 + sizeof(bad) / sizeof(bad[0]));
	EXPECT_EQ(t.first_malformed_line, 2);
	ASSERT_TRUE(t.nr >= 1);
	EXPECT_EQ(t.rec[0].pfn, 0x1000);
	EXPECT_EQ(t.rec[0].migratetype, -1);
	kb_trace_free(&t);
}

TEST_MAIN()
