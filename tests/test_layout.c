/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layouts: built-ins, validation (one test per rejection), the text form
 * and the binary form (docs/layout-format.md).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kbtest.h"
#include "../machine/layout_io.h"

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static bool range_eq(const struct kb_range *a, const struct kb_range *b)
{
	if (a->start >= a->end && b->start >= b->end)
		return true;
	return a->start == b->start && a->end == b->end;
}

/* Same machine; prints the first difference. */
static bool layout_eq(const struct kb_layout *a, const struct kb_layout *b)
{
	unsigned int n, z, i;

#define DIFF(cond, ...) do { if (cond) { fprintf(stderr, "    layout differs: " __VA_ARGS__); fputc('\n', stderr); return false; } } while (0)
	DIFF(a->max_page_order != b->max_page_order, "max_page_order");
	DIFF(a->pageblock_order != b->pageblock_order, "pageblock_order");
	DIFF(a->nr_nodes != b->nr_nodes, "nr_nodes");
	DIFF(a->boot_path != b->boot_path, "boot_path");
	DIFF((a->min_free_kbytes < 0 ? -1 : a->min_free_kbytes) !=
	     (b->min_free_kbytes < 0 ? -1 : b->min_free_kbytes), "min_free_kbytes");
	for (n = 0; n < a->nr_nodes; n++) {
		DIFF(a->node[n].nr_cpus != b->node[n].nr_cpus, "node %u cpus", n);
		for (z = 0; z < MAX_NR_ZONES; z++)
			DIFF(!range_eq(&a->node[n].zone[z], &b->node[n].zone[z]),
			     "node %u zone %u", n, z);
		for (i = 0; i < a->nr_nodes; i++)
			DIFF(a->node[n].distance[i] != b->node[n].distance[i],
			     "distance %u %u", n, i);
	}
	DIFF(a->nr_holes != b->nr_holes, "nr_holes");
	DIFF(a->nr_reserved != b->nr_reserved, "nr_reserved");
	DIFF(a->nr_cma != b->nr_cma, "nr_cma");
	for (i = 0; i < a->nr_holes; i++)
		DIFF(!range_eq(&a->hole[i], &b->hole[i]), "hole %u", i);
	for (i = 0; i < a->nr_reserved; i++)
		DIFF(!range_eq(&a->reserved[i], &b->reserved[i]), "reserved %u", i);
	for (i = 0; i < a->nr_cma; i++)
		DIFF(!range_eq(&a->cma[i], &b->cma[i]), "cma %u", i);
#undef DIFF
	return true;
}

static unsigned long layout_top(const struct kb_layout *l)
{
	unsigned long top = 0;
	unsigned int n, z;

	for (n = 0; n < l->nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (l->node[n].zone[z].end > top)
				top = l->node[n].zone[z].end;
	return top;
}

static int parse(const char *text, struct kb_layout *l, char *err, size_t errlen)
{
	return kb_layout_parse_text(text, strlen(text), l, err, errlen);
}

/* Parsing fails, and the message holds each of the given fragments. */
#define EXPECT_PARSE_ERROR(text, ...)					\
	do {								\
		struct kb_layout _l;					\
		char _err[256];						\
		const char *_want[] = { __VA_ARGS__ };			\
		EXPECT_EQ(parse(text, &_l, _err, sizeof(_err)), -1);	\
		EXPECT_TRUE(strchr(_err, '\n') == NULL);		\
		for (size_t _i = 0; _i < sizeof(_want) / sizeof(_want[0]); _i++) \
			if (!strstr(_err, _want[_i]))			\
				KBTEST_FAIL("error \"%s\" lacks \"%s\"", _err, _want[_i]); \
	} while (0)

/* kb_layout_validate fails, and the message holds the fragment. */
#define EXPECT_INVALID(layout, frag)					\
	do {								\
		char _err[256];						\
		EXPECT_EQ(kb_layout_validate(&(layout), _err, sizeof(_err)), -1); \
		if (!strstr(_err, frag))				\
			KBTEST_FAIL("error \"%s\" lacks \"%s\"", _err, frag); \
	} while (0)

#define HEAD "# kbuddy layout v1\n"
#define ONE_NODE HEAD "node 0 cpus 2\nzone 0 DMA 1 0x1000\nzone 0 DMA32 0x1000 0x3000\nzone 0 Normal 0x3000 0x5000\n"

/* ------------------------------------------------------------------ */
/* Built-in layouts                                                   */

TEST(builtins_all_validate)
{
	static const char *const names[] = {
		"default", "zones", "holes", "numa", "cma", "small", "small-blocks",
	};
	struct kb_layout l;
	char err[256];
	unsigned int i;

	ASSERT_EQ(kb_layout_builtin_count(), 7);
	for (i = 0; i < kb_layout_builtin_count(); i++) {
		EXPECT_STREQ(kb_layout_builtin_name(i), names[i]);
		ASSERT_EQ(kb_layout_builtin(names[i], &l), 0);
		if (kb_layout_validate(&l, err, sizeof(err)))
			KBTEST_FAIL("builtin %s: %s", names[i], err);
		/* small-blocks has small pageblocks on purpose */
		EXPECT_EQ(l.max_page_order, i == 6 ? 7 : 10);
		EXPECT_EQ(l.pageblock_order, i == 6 ? 5 : 9);
		EXPECT_TRUE(l.min_free_kbytes < 0);
		EXPECT_EQ(l.boot_path, KB_BOOT_MEMBLOCK);
	}
	EXPECT_TRUE(kb_layout_builtin_name(7) == NULL);
	EXPECT_EQ(kb_layout_builtin("nosuch", &l), -1);
	EXPECT_EQ(kb_layout_builtin(NULL, &l), -1);
}

TEST(builtin_default_is_kb_layout_default)
{
	struct kb_layout a, b;

	kb_layout_default(&a);
	ASSERT_EQ(kb_layout_builtin("default", &b), 0);
	EXPECT_TRUE(layout_eq(&a, &b));
	EXPECT_EQ(a.nr_nodes, 1);
	EXPECT_EQ(kb_layout_nr_cpus(&a), 2);
	EXPECT_EQ(a.node[0].zone[ZONE_DMA].start, 1);
	EXPECT_EQ(a.node[0].zone[ZONE_DMA].end, 4096);
	EXPECT_EQ(a.node[0].zone[ZONE_DMA32].start, 4096);
	EXPECT_EQ(a.node[0].zone[ZONE_DMA32].end, 12288);
	EXPECT_EQ(a.node[0].zone[ZONE_NORMAL].start, 12288);
	EXPECT_EQ(a.node[0].zone[ZONE_NORMAL].end, 20480);
	EXPECT_EQ(a.node[0].zone[ZONE_MOVABLE].end, 0);
	EXPECT_EQ(a.nr_holes + a.nr_reserved + a.nr_cma, 0);
}

TEST(builtin_shapes)
{
	struct kb_layout l;

	ASSERT_EQ(kb_layout_builtin("zones", &l), 0);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].start, 16384);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].end, 20480);
	EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].start, 8192);

	ASSERT_EQ(kb_layout_builtin("holes", &l), 0);
	EXPECT_TRUE(l.nr_holes >= 2 && l.nr_reserved >= 2);
	EXPECT_EQ(l.hole[0].start, 0x9f);
	EXPECT_EQ(l.hole[0].end, 0x100);
	EXPECT_EQ(l.hole[1].start, 6144);
	EXPECT_EQ(l.hole[1].end, 6656);
	EXPECT_EQ(l.reserved[0].start, 1);
	EXPECT_EQ(l.reserved[0].end, 64);

	ASSERT_EQ(kb_layout_builtin("numa", &l), 0);
	EXPECT_EQ(l.nr_nodes, 2);
	EXPECT_EQ(l.node[0].nr_cpus, 2);
	EXPECT_EQ(l.node[1].nr_cpus, 2);
	EXPECT_EQ(l.node[0].distance[1], 20);
	EXPECT_EQ(l.node[1].distance[0], 20);
	EXPECT_EQ(l.node[0].distance[0], 10);
	EXPECT_EQ(l.node[1].zone[ZONE_NORMAL].start, 12288);
	EXPECT_EQ(l.node[1].zone[ZONE_NORMAL].end, 28672);

	ASSERT_EQ(kb_layout_builtin("cma", &l), 0);
	ASSERT_EQ(l.nr_cma, 1);
	EXPECT_EQ(l.cma[0].start, 16384);
	EXPECT_EQ(l.cma[0].end, 18432);

	/* fewer pages than pageblock_nr_pages * MIGRATE_TYPES */
	ASSERT_EQ(kb_layout_builtin("small", &l), 0);
	EXPECT_EQ(kb_layout_nr_cpus(&l), 1);
	EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].start, 0);
	EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].end, 2048);
	EXPECT_TRUE(2048 < (1UL << l.pageblock_order) * MIGRATE_TYPES);
}

/* ------------------------------------------------------------------ */
/* Text form: every directive                                          */

TEST(parse_full_example)
{
	static const char text[] =
		"# kbuddy layout v1\n"
		"max_page_order 10\n"
		"pageblock_order 9\n"
		"node 0 cpus 2\n"
		"zone 0 DMA    0x1     0x1000\n"
		"zone 0 DMA32  0x1000  0x3000\n"
		"zone 0 Normal 0x3000  0x5000\n"
		"node 1 cpus 2\n"
		"zone 1 Normal 0x5000 0x7000\n"
		"zone 1 Movable 0x7000 0x8000\n"
		"distance 0 1 20          # symmetric\n"
		"hole 0x9f 0x100          # no memory at all\n"
		"reserved 0x1 0x40        # present but memblock-reserved\n"
		"cma 0x4000 0x4800        # CMA area\n"
		"min_free_kbytes 1024\n"
		"boot memblock\n";
	struct kb_layout l;
	char err[256];

	ASSERT_EQ(parse(text, &l, err, sizeof(err)), 0);
	EXPECT_EQ(l.max_page_order, 10);
	EXPECT_EQ(l.pageblock_order, 9);
	EXPECT_EQ(l.nr_nodes, 2);
	EXPECT_EQ(kb_layout_nr_cpus(&l), 4);
	EXPECT_EQ(l.node[0].zone[ZONE_DMA].start, 1);
	EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].end, 0x5000);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].end, 0);
	EXPECT_EQ(l.node[1].zone[ZONE_DMA].end, 0);
	EXPECT_EQ(l.node[1].zone[ZONE_NORMAL].start, 0x5000);
	EXPECT_EQ(l.node[1].zone[ZONE_MOVABLE].end, 0x8000);
	EXPECT_EQ(l.node[0].distance[1], 20);
	EXPECT_EQ(l.node[1].distance[0], 20);
	EXPECT_EQ(l.node[1].distance[1], 10);
	ASSERT_EQ(l.nr_holes, 1);
	EXPECT_EQ(l.hole[0].start, 0x9f);
	ASSERT_EQ(l.nr_reserved, 1);
	EXPECT_EQ(l.reserved[0].end, 0x40);
	ASSERT_EQ(l.nr_cma, 1);
	EXPECT_EQ(l.cma[0].start, 0x4000);
	EXPECT_EQ(l.min_free_kbytes, 1024);
	EXPECT_EQ(l.boot_path, KB_BOOT_MEMBLOCK);
}

TEST(parse_defaults_and_spelling)
{
	struct kb_layout l;
	char err[256];

	/* no header, decimal, case-insensitive zone names, CRLF, tabs */
	ASSERT_EQ(parse("\r\n  node 0 cpus 1\r\n\tzone 0 normal 0 2048\r\n", &l,
			err, sizeof(err)), 0);
	EXPECT_EQ(l.max_page_order, KB_DEFAULT_MAX_PAGE_ORDER);
	EXPECT_EQ(l.pageblock_order, KB_DEFAULT_PAGEBLOCK_ORDER);
	EXPECT_TRUE(l.min_free_kbytes < 0);
	EXPECT_EQ(l.boot_path, KB_BOOT_MEMBLOCK);
	EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].end, 2048);
	/* no trailing newline, hex in capitals */
	ASSERT_EQ(parse("node 0 cpus 1\nzone 0 MOVABLE 0X10 0X8A0", &l, err,
			sizeof(err)), 0);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].start, 0x10);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].end, 0x8a0);
}

TEST(parse_boot_bootmem_and_orders)
{
	struct kb_layout l;
	char err[256];

	ASSERT_EQ(parse("max_page_order 12\npageblock_order 12\nboot bootmem\n"
			"node 0 cpus 8\nzone 0 Normal 0 0x4000\n", &l, err,
			sizeof(err)), 0);
	EXPECT_EQ(l.boot_path, KB_BOOT_BOOTMEM);
	EXPECT_EQ(l.max_page_order, 12);
	EXPECT_EQ(l.pageblock_order, 12);
	EXPECT_EQ(l.node[0].nr_cpus, 8);
}

TEST(parse_node_without_cpus)
{
	struct kb_layout l;
	char err[256];

	ASSERT_EQ(parse("node 0 cpus 1\nzone 0 Normal 0 0x1000\n"
			"node 1\nzone 1 Normal 0x1000 0x2000\n", &l, err,
			sizeof(err)), 0);
	EXPECT_EQ(l.node[1].nr_cpus, 0);
}

TEST(parse_reserved_may_span_zones_of_a_node)
{
	struct kb_layout l;
	char err[256];

	ASSERT_EQ(parse(ONE_NODE "reserved 0xf00 0x1100\nhole 0x2f00 0x3100\n",
			&l, err, sizeof(err)), 0);
	EXPECT_EQ(l.nr_reserved, 1);
	EXPECT_EQ(l.nr_holes, 1);
}

/* ------------------------------------------------------------------ */
/* Text form: syntax errors                                           */

TEST(parse_error_unknown_directive)
{
	EXPECT_PARSE_ERROR(ONE_NODE "frobnicate 1\n", "line 6", "unknown directive 'frobnicate'");
}

TEST(parse_error_bad_number)
{
	EXPECT_PARSE_ERROR(HEAD "node 0 cpus 2\nzone 0 DMA 1 0x10g0\n", "line 3",
			   "bad number '0x10g0'");
	EXPECT_PARSE_ERROR("max_page_order -1\n", "line 1", "bad number '-1'");
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 DMA 0 99999999999999999999999\n",
			   "line 2, column 14:", "end 99999999999999999999999 is above");
	EXPECT_PARSE_ERROR("node 0 cpus 0x\n", "line 1", "bad number '0x'");
}

/*
 * Numbers are read whole (no sign, exponent or junk); the message names
 * the line and the column where the number starts, and input it quotes
 * is escaped.
 */
TEST(parse_error_numbers_are_strict)
{
	EXPECT_PARSE_ERROR("node 0 cpus 1e3\n", "line 1, column 13:", "bad number '1e3' for cpus");
	EXPECT_PARSE_ERROR("node +0 cpus 1\n", "line 1, column 6:", "bad number '+0' for node");
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 Normal 0x10 0x2000x\n", "line 2, column 20:",
			   "bad number '0x2000x' for end");
	EXPECT_PARSE_ERROR("node 0 cpus 1\ndistance 0 0x100000000000000000 20\n",
			   "line 2, column 12:", "node 0x100000000000000000 is above");
	EXPECT_PARSE_ERROR("min_free_kbytes 4294967296\n", "line 1, column 17:",
			   "min_free_kbytes 4294967296 is above 2147483647");
	EXPECT_PARSE_ERROR("# kbuddy layout v1.0\n", "line 1", "unsupported layout format version '1.0'");
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 Norm\x1b[31mal 0 0x10\n", "line 2, column 8:",
			   "unknown zone 'Norm\\x1b[31mal'");
}

/* CR LF, lone CR line ends and a byte-order mark read like LF text. */
TEST(parse_line_ends_and_bom)
{
	static const char *const texts[] = {
		"# kbuddy layout v1\r\nnode 0 cpus 2\r\nzone 0 Normal 0 0x1000\r\n",
		"# kbuddy layout v1\rnode 0 cpus 2\rzone 0 Normal 0 0x1000\r",
		"\xef\xbb\xbf# kbuddy layout v1\nnode 0 cpus 2\nzone 0 Normal 0 0x1000\n",
	};
	struct kb_layout l;
	char err[256];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ASSERT_EQ(parse(texts[i], &l, err, sizeof(err)), 0);
		EXPECT_EQ(l.nr_nodes, 1);
		EXPECT_EQ(l.node[0].nr_cpus, 2);
		EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].end, 0x1000);
	}
	EXPECT_PARSE_ERROR("node 0 cpus 2\rzone 0 Normal 0 0x1000\rfrob\r", "line 3, column 1:",
			   "unknown directive 'frob'");
}

TEST(parse_error_wrong_field_count)
{
	EXPECT_PARSE_ERROR("node 0 cpus\n", "line 1", "usage: node");
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 DMA 1\n", "line 2", "usage: zone");
	EXPECT_PARSE_ERROR(ONE_NODE "hole 5\n", "line 6", "usage: hole");
	EXPECT_PARSE_ERROR(ONE_NODE "max_page_order\n", "line 6", "usage: max_page_order");
	EXPECT_PARSE_ERROR(ONE_NODE "boot\n", "line 6", "usage: boot");
	EXPECT_PARSE_ERROR(ONE_NODE "distance 0 1\n", "line 6", "usage: distance");
	EXPECT_PARSE_ERROR(ONE_NODE "min_free_kbytes 1 2\n", "line 6", "usage: min_free_kbytes");
	EXPECT_PARSE_ERROR("a b c d e f g h i\n", "line 1", "too many fields");
}

TEST(parse_error_node_out_of_order)
{
	EXPECT_PARSE_ERROR("node 1 cpus 2\n", "line 1", "out of order", "expected node 0");
	EXPECT_PARSE_ERROR(ONE_NODE "node 0 cpus 1\n", "line 6", "out of order");
}

TEST(parse_error_too_many_nodes)
{
	EXPECT_PARSE_ERROR("node 0 cpus 1\nnode 1\nnode 2\nnode 3\nnode 4\n",
			   "line 5", "too many nodes");
}

TEST(parse_error_cpus_above_limit)
{
	EXPECT_PARSE_ERROR("node 0 cpus 9\n", "line 1", "cpus 9 is above 8");
}

TEST(parse_error_zone_on_undeclared_node)
{
	EXPECT_PARSE_ERROR(ONE_NODE "zone 1 Normal 0x5000 0x6000\n", "line 6",
			   "node 1 is not declared");
}

TEST(parse_error_unknown_zone)
{
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 HighMem 0 10\n", "line 2",
			   "unknown zone 'HighMem'");
}

TEST(parse_error_device_zone)
{
	/* ZONE_DEVICE memory never reaches the buddy: no layout declares it */
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 Device 0 10\n", "line 2",
			   "unknown zone 'Device'");
}

TEST(parse_error_zone_twice)
{
	EXPECT_PARSE_ERROR(ONE_NODE "zone 0 dma 0x5000 0x6000\n", "line 6",
			   "zone 0 DMA given twice", "line 3");
}

TEST(parse_error_empty_range)
{
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 DMA 10 10\n", "line 2", "empty");
	EXPECT_PARSE_ERROR(ONE_NODE "hole 0x20 0x10\n", "line 6", "hole range", "empty");
}

TEST(parse_error_too_many_ranges)
{
	char text[8192] = ONE_NODE, line[32];
	int i;

	for (i = 0; i < KB_MAX_RANGES + 1; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "reserved %d %d\n", 100 + i, 101 + i);
	/* ONE_NODE is 5 lines; the range after the last allowed one fails */
	snprintf(line, sizeof(line), "line %d", 5 + KB_MAX_RANGES + 1);
	EXPECT_PARSE_ERROR(text, line, "too many reserved ranges");
}

TEST(parse_error_distance_to_self)
{
	EXPECT_PARSE_ERROR(ONE_NODE "distance 0 0 10\n", "line 6", "itself");
}

TEST(parse_error_distance_twice)
{
	EXPECT_PARSE_ERROR(ONE_NODE "node 1 cpus 1\nzone 1 Normal 0x5000 0x6000\n"
			   "distance 0 1 20\ndistance 1 0 30\n", "line 9",
			   "distance 1 0 given twice");
}

TEST(parse_error_repeated_scalar)
{
	EXPECT_PARSE_ERROR("max_page_order 10\nmax_page_order 11\n", "line 2",
			   "max_page_order given twice");
	EXPECT_PARSE_ERROR("pageblock_order 9\npageblock_order 9\n", "line 2",
			   "pageblock_order given twice");
	EXPECT_PARSE_ERROR("min_free_kbytes 9\nmin_free_kbytes 9\n", "line 2",
			   "min_free_kbytes given twice");
	EXPECT_PARSE_ERROR("boot memblock\nboot bootmem\n", "line 2", "boot given twice");
}

TEST(parse_error_boot_path)
{
	EXPECT_PARSE_ERROR(ONE_NODE "boot uefi\n", "line 6", "unknown boot path 'uefi'");
}

TEST(parse_error_min_free_kbytes_too_big)
{
	EXPECT_PARSE_ERROR(ONE_NODE "min_free_kbytes 0x80000000\n", "line 6",
			   "min_free_kbytes");
}

TEST(parse_error_version)
{
	EXPECT_PARSE_ERROR("# kbuddy layout v3\nnode 0 cpus 1\n", "line 1",
			   "unsupported layout format version '3'");
	EXPECT_PARSE_ERROR("# kbuddy layout v0\nnode 0 cpus 1\n", "line 1",
			   "unsupported layout format version '0'");
	EXPECT_PARSE_ERROR("# kbuddy layout vX\n", "line 1", "version");
}

TEST(parse_error_no_node)
{
	EXPECT_PARSE_ERROR("", "line 1", "no node declared");
	EXPECT_PARSE_ERROR("# nothing\n\nmax_page_order 10\n", "line 3", "no node declared");
}

TEST(parse_error_nul_and_long_line)
{
	struct kb_layout l;
	char err[256], big[2048];
	static const char nul[] = "node 0 cpus 1\nzone 0 DMA 1\0 2\n";

	EXPECT_EQ(kb_layout_parse_text(nul, sizeof(nul) - 1, &l, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "line 2") && strstr(err, "NUL"));
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_PARSE_ERROR(big, "line 1", "longer than");
	/* a long comment is not a long line */
	memcpy(big, "node 0 cpus 1 #", 15);
	memcpy(big + sizeof(big) - 23, "\nzone 0 Normal 0 4096\n", 22);
	EXPECT_EQ(parse(big, &l, err, sizeof(err)), 0);
	EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].end, 4096);
}

TEST(parse_error_message_truncates_safely)
{
	struct kb_layout l;
	char err[8];

	EXPECT_EQ(parse("bogus\n", &l, err, sizeof(err)), -1);
	EXPECT_EQ(strlen(err), 7);
	EXPECT_EQ(parse("bogus\n", &l, NULL, 0), -1);
}

/* ------------------------------------------------------------------ */
/* Validation: one test per rejection, through text (naming the line)  */
/* and through the struct API.                                          */

TEST(invalid_max_page_order)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR("max_page_order 13\n" "node 0 cpus 1\nzone 0 Normal 0 4096\n",
			   "line 1", "max_page_order 13 out of range 1..12");
	EXPECT_PARSE_ERROR("max_page_order 0\nnode 0 cpus 1\nzone 0 Normal 0 4096\n",
			   "line 1", "max_page_order 0 out of range");
	kb_layout_default(&l);
	l.max_page_order = 0;
	EXPECT_INVALID(l, "max_page_order 0 out of range 1..12");
}

TEST(invalid_pageblock_order)
{
	struct kb_layout l;

	/* the default pageblock_order 9 clashes with max_page_order 5 */
	EXPECT_PARSE_ERROR("node 0 cpus 1\nmax_page_order 5\nzone 0 Normal 0 4096\n",
			   "line 2", "pageblock_order 9 out of range 1..max_page_order (5)");
	EXPECT_PARSE_ERROR("node 0 cpus 1\npageblock_order 0\nzone 0 Normal 0 4096\n",
			   "line 2", "pageblock_order 0 out of range");
	kb_layout_default(&l);
	l.pageblock_order = 11;
	EXPECT_INVALID(l, "pageblock_order 11 out of range");
}

TEST(invalid_node_count)
{
	struct kb_layout l;

	kb_layout_default(&l);
	l.nr_nodes = 0;
	EXPECT_INVALID(l, "0 nodes; a layout needs 1..4");
	l.nr_nodes = KB_MAX_NODES + 1;
	EXPECT_INVALID(l, "5 nodes");
}

TEST(invalid_zone_start_above_end)
{
	struct kb_layout l;

	kb_layout_default(&l);
	l.node[0].zone[ZONE_MOVABLE].start = 30000;
	l.node[0].zone[ZONE_MOVABLE].end = 25000;
	EXPECT_INVALID(l, "zone 0 Movable: start 0x7530 is above end 0x61a8");
}

TEST(invalid_device_zone_api)
{
	struct kb_layout l;

	kb_layout_default(&l);
	l.node[0].zone[ZONE_DEVICE] = (struct kb_range){ 30000, 30010 };
	EXPECT_INVALID(l, "zone 0 Device [0x7530, 0x753a) must stay empty");
	l.node[0].zone[ZONE_DEVICE] = (struct kb_range){ 30000, 30000 };
	EXPECT_EQ(kb_layout_validate(&l, NULL, 0), 0);
}

TEST(invalid_zones_overlap)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR(HEAD "node 0 cpus 1\nzone 0 DMA 1 0x2000\nzone 0 DMA32 0x1000 0x3000\n",
			   "line 4", "zone 0 DMA32 [0x1000, 0x3000) overlaps", "zone 0 DMA [0x1, 0x2000)");
	kb_layout_default(&l);
	l.node[0].zone[ZONE_NORMAL].start = 12000;
	EXPECT_INVALID(l, "zone 0 Normal [0x2ee0, 0x5000) overlaps");
}

TEST(invalid_zones_descend)
{
	/* DMA32 listed first in the text but lying above DMA is fine ... */
	EXPECT_EQ(parse("node 0 cpus 1\nzone 0 DMA32 0x1000 0x2000\nzone 0 DMA 0 0x1000\n",
			&(struct kb_layout){ 0 }, NULL, 0), 0);
	/* ... a DMA32 zone below the DMA zone is not */
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 DMA32 0 0x1000\nzone 0 DMA 0x1000 0x2000\n",
			   "line 2", "zones must ascend by index");
}

TEST(invalid_nodes_overlap)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR(ONE_NODE "node 1 cpus 1\nzone 1 Normal 0x4000 0x6000\n",
			   "line 7", "starts below the end 0x5000 of node 0");
	ASSERT_EQ(kb_layout_builtin("numa", &l), 0);
	l.node[1].zone[ZONE_NORMAL].start = 100;
	EXPECT_INVALID(l, "nodes must ascend without overlap");
}

TEST(invalid_nodes_descend)
{
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 Normal 0x4000 0x5000\n"
			   "node 1 cpus 1\nzone 1 Normal 0 0x1000\n",
			   "line 4", "nodes must ascend");
}

TEST(invalid_pfn_past_limit)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 Normal 0 0x10000001\n", "line 2",
			   "ends past the highest pfn 0x10000000");
	EXPECT_EQ(parse("node 0 cpus 1\nzone 0 Normal 0xffff000 0x10000000\n", &l, NULL, 0), 0);
	l.hole[0] = (struct kb_range){ 0xfffffff, 0x10000001 };
	l.nr_holes = 1;
	EXPECT_INVALID(l, "hole [0xfffffff, 0x10000001) ends past the highest pfn");
}

TEST(invalid_node_without_zone)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR(ONE_NODE "node 1 cpus 1\n", "line 6", "node 1 has no non-empty zone");
	ASSERT_EQ(kb_layout_builtin("numa", &l), 0);
	l.node[1].zone[ZONE_NORMAL] = (struct kb_range){ 0, 0 };
	EXPECT_INVALID(l, "node 1 has no non-empty zone");
}

TEST(invalid_no_cpus)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR("node 0 cpus 0\nzone 0 Normal 0 0x1000\n", "line 1",
			   "0 CPUs in all; a layout needs 1..8");
	EXPECT_PARSE_ERROR("node 0\nzone 0 Normal 0 0x1000\n", "line 1", "0 CPUs");
	kb_layout_default(&l);
	l.node[0].nr_cpus = 0;
	EXPECT_INVALID(l, "0 CPUs in all");
}

TEST(invalid_too_many_cpus)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR("node 0 cpus 5\nzone 0 Normal 0 0x1000\n"
			   "node 1 cpus 5\nzone 1 Normal 0x1000 0x2000\n",
			   "line 3", "10 CPUs in all");
	kb_layout_default(&l);
	l.node[0].nr_cpus = 9;
	EXPECT_INVALID(l, "node 0 has 9 CPUs");
}

TEST(invalid_hole_outside_zones)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR(ONE_NODE "hole 0x4f00 0x5100\n", "line 6",
			   "hole [0x4f00, 0x5100) is not inside the zones of one node");
	EXPECT_PARSE_ERROR(ONE_NODE "hole 0 1\n", "line 6", "hole [0, 0x1)");
	kb_layout_default(&l);
	l.hole[0] = (struct kb_range){ 20000, 20481 };
	l.nr_holes = 1;
	EXPECT_INVALID(l, "not inside the zones of one node");
}

TEST(invalid_range_across_gap_or_nodes)
{
	/* a gap between two zones of one node is not covered */
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 DMA 0 0x1000\nzone 0 Normal 0x2000 0x3000\n"
			   "reserved 0xf00 0x2100\n", "line 4", "reserved [0xf00, 0x2100)",
			   "not inside the zones of one node");
	/* nor are two adjacent nodes one node */
	EXPECT_PARSE_ERROR("node 0 cpus 1\nzone 0 Normal 0 0x1000\n"
			   "node 1 cpus 1\nzone 1 Normal 0x1000 0x2000\n"
			   "reserved 0xf00 0x1100\n", "line 5", "not inside the zones of one node");
}

TEST(invalid_empty_range_api)
{
	struct kb_layout l;

	kb_layout_default(&l);
	l.reserved[0] = (struct kb_range){ 100, 100 };
	l.nr_reserved = 1;
	EXPECT_INVALID(l, "reserved [0x64, 0x64) is empty");
}

TEST(invalid_cma_unaligned)
{
	struct kb_layout l;

	EXPECT_PARSE_ERROR(ONE_NODE "cma 0x4000 0x4801\n", "line 6",
			   "cma [0x4000, 0x4801) is not aligned to the pageblock size (512 pages)");
	ASSERT_EQ(kb_layout_builtin("cma", &l), 0);
	l.cma[0].start += 1;
	EXPECT_INVALID(l, "not aligned");
}

TEST(invalid_cma_across_zones)
{
	EXPECT_PARSE_ERROR(ONE_NODE "cma 0x2e00 0x3200\n", "line 6",
			   "cma [0x2e00, 0x3200) is not inside one zone");
}

TEST(invalid_cma_overlaps)
{
	EXPECT_PARSE_ERROR(ONE_NODE "hole 0x4100 0x4101\ncma 0x4000 0x4800\n", "line 7",
			   "cma [0x4000, 0x4800) overlaps hole [0x4100, 0x4101)");
	EXPECT_PARSE_ERROR(ONE_NODE "cma 0x4000 0x4800\nreserved 0x47ff 0x4800\n", "line 6",
			   "overlaps reserved");
	EXPECT_PARSE_ERROR(ONE_NODE "cma 0x4000 0x4800\ncma 0x4600 0x4a00\n", "line 7",
			   "cma [0x4600, 0x4a00) overlaps cma [0x4000, 0x4800)");
}

TEST(invalid_too_many_ranges_api)
{
	struct kb_layout l;

	kb_layout_default(&l);
	l.nr_holes = KB_MAX_RANGES + 1;
	EXPECT_INVALID(l, "at most 64 of each");
}

TEST(invalid_distance)
{
	struct kb_layout l;
	static const char two[] = "node 0 cpus 1\nzone 0 Normal 0 0x1000\n"
				  "node 1 cpus 1\nzone 1 Normal 0x1000 0x2000\n";
	char text[256];

	snprintf(text, sizeof(text), "%sdistance 0 1 9\n", two);
	EXPECT_PARSE_ERROR(text, "line 5", "distance 0 1 is 9; out of range 10..254");
	snprintf(text, sizeof(text), "%sdistance 1 0 255\n", two);
	EXPECT_PARSE_ERROR(text, "line 5", "is 255; out of range");
	snprintf(text, sizeof(text), "%sdistance 1 0 256\n", two);
	EXPECT_PARSE_ERROR(text, "line 5", "distance 256 is above 255");
	ASSERT_EQ(kb_layout_builtin("numa", &l), 0);
	l.node[0].distance[1] = 30;
	EXPECT_INVALID(l, "distances must be symmetric");
	l.node[0].distance[1] = 20;
	l.node[1].distance[1] = 0;
	EXPECT_INVALID(l, "distance 1 1 is 0; a node's distance to itself is 10");
}

TEST(invalid_min_free_kbytes_api)
{
	struct kb_layout l;

	kb_layout_default(&l);
	l.min_free_kbytes = (long)INT_MAX + 1;
	EXPECT_INVALID(l, "min_free_kbytes 2147483648 is above");
	l.min_free_kbytes = -5;	/* any negative value means the kernel default */
	EXPECT_EQ(kb_layout_validate(&l, NULL, 0), 0);
}

TEST(invalid_boot_path_api)
{
	struct kb_layout l;

	kb_layout_default(&l);
	l.boot_path = (enum kb_boot_path)7;
	EXPECT_INVALID(l, "unknown boot path 7");
}

/* ------------------------------------------------------------------ */
/* Text round trips                                                    */

static void text_round_trip(const struct kb_layout *l)
{
	char text[8192], err[256];
	struct kb_layout back;
	size_t n;

	n = kb_layout_format_text(l, text, sizeof(text));
	ASSERT_TRUE(n < sizeof(text));
	EXPECT_EQ(strlen(text), n);
	if (kb_layout_parse_text(text, n, &back, err, sizeof(err))) {
		KBTEST_FAIL("reparse failed: %s\n%s", err, text);
		return;
	}
	if (!layout_eq(l, &back))
		KBTEST_FAIL("text round trip changed the layout:\n%s", text);
}

TEST(text_round_trip_builtins)
{
	struct kb_layout l;
	unsigned int i;

	for (i = 0; i < kb_layout_builtin_count(); i++) {
		ASSERT_EQ(kb_layout_builtin(kb_layout_builtin_name(i), &l), 0);
		text_round_trip(&l);
	}
}

TEST(text_format_exact)
{
	struct kb_layout l;
	char text[1024];

	ASSERT_EQ(kb_layout_builtin("numa", &l), 0);
	l.min_free_kbytes = 512;
	kb_layout_format_text(&l, text, sizeof(text));
	EXPECT_STREQ(text,
		     "# kbuddy layout v2\n"
		     "max_page_order 10\n"
		     "pageblock_order 9\n"
		     "node 0 cpus 2\n"
		     "zone 0 DMA 0x1 0x1000\n"
		     "zone 0 DMA32 0x1000 0x3000\n"
		     "node 1 cpus 2\n"
		     "zone 1 Normal 0x3000 0x7000\n"
		     "distance 0 1 20\n"
		     "min_free_kbytes 512\n"
		     "boot memblock\n"
		     "thp on\n");
}

/* v2: late frees, THP, after-boot sysctls and the profile, and their round trip. */
TEST(text_v2_boot_directives)
{
	static const char text[] =
		"# kbuddy layout v2\n"
		"max_page_order 10\n"
		"pageblock_order 9\n"
		"node 0 cpus 2\n"
		"zone 0 DMA 0x1 0x1000\n"
		"zone 0 DMA32 0x1000 0x3000\n"
		"zone 0 Normal 0x3000 0x5000\n"
		"boot memblock\n"
		"late_free 0x2000 0x2010 initrd\n"
		"late_free 0x4000 0x4100 initmem\n"
		"thp off\n"
		"sysctl min_free_kbytes=2048\n"
		"sysctl lowmem_reserve_ratio[DMA32]=128\n"
		"sysctl_read lowmem_reserve_ratio\n"
		"profile 6.12\n";
	struct kb_layout l;
	char err[256], out[2048];
	uint8_t bin[512];

	ASSERT_EQ(parse(text, &l, err, sizeof(err)), 0);
	EXPECT_EQ(l.nr_late_free, 2);
	EXPECT_EQ(l.late_free_kind[1], KB_LATE_INITMEM);
	EXPECT_EQ(l.thp, KB_THP_OFF);
	EXPECT_EQ(l.nr_boot_sysctls, 3);
	EXPECT_EQ(l.boot_sysctl[1].index, ZONE_DMA32);
	EXPECT_EQ(l.boot_sysctl[1].value, 128);
	EXPECT_EQ(l.boot_sysctl[2].read, 1);
	EXPECT_STREQ(l.profile, "6.12");
	kb_layout_format_text(&l, out, sizeof(out));
	EXPECT_STREQ(out, text);
	/* the binary form cannot say these */
	EXPECT_EQ(kb_layout_encode_binary(&l, bin, sizeof(bin)), 0);
	/* a v1 text still reads */
	EXPECT_EQ(parse("# kbuddy layout v1\n" "node 0 cpus 1\nzone 0 Normal 0 0x1000\n",
			&l, err, sizeof(err)), 0);
}

TEST(parse_error_v2_boot_directives)
{
	EXPECT_PARSE_ERROR(ONE_NODE "late_free 0x100 0x200\n", "line 6", "usage: late_free");
	EXPECT_PARSE_ERROR(ONE_NODE "late_free 0x100 0x200 bios\n", "line 6",
			   "unknown late_free kind 'bios'");
	EXPECT_PARSE_ERROR(ONE_NODE "reserved 0x100 0x200\nlate_free 0x180 0x300 initrd\n",
			   "line 7", "late_free [0x180, 0x300) overlaps reserved [0x100, 0x200)");
	EXPECT_PARSE_ERROR(ONE_NODE "late_free 0x100 0x200 initrd\nlate_free 0x1f0 0x300 initmem\n",
			   "line 7", "overlaps late_free [0x100, 0x200)");
	EXPECT_PARSE_ERROR(ONE_NODE "late_free 0x4f00 0x5100 initrd\n", "line 6",
			   "not inside the zones of one node");
	EXPECT_PARSE_ERROR(ONE_NODE "thp maybe\n", "line 6", "unknown thp mode 'maybe'");
	EXPECT_PARSE_ERROR(ONE_NODE "thp on\nthp off\n", "line 7", "thp given twice");
	EXPECT_PARSE_ERROR(ONE_NODE "sysctl swappiness=60\n", "line 6", "unknown sysctl 'swappiness'");
	EXPECT_PARSE_ERROR(ONE_NODE "sysctl min_free_kbytes\n", "line 6", "usage: sysctl NAME=VALUE");
	EXPECT_PARSE_ERROR(ONE_NODE "sysctl_read min_free_kbytes=3\n", "line 6",
			   "usage: sysctl_read NAME");
	EXPECT_PARSE_ERROR(ONE_NODE "sysctl lowmem_reserve_ratio=3\n", "line 6", "needs a zone");
	EXPECT_PARSE_ERROR(ONE_NODE "sysctl watermark_scale_factor=0\n", "line 6",
			   "outside what the kernel accepts");
	EXPECT_PARSE_ERROR(ONE_NODE "sysctl_read min_free_kbytes\n", "line 6",
			   "only lowmem_reserve_ratio's handler recomputes");
	EXPECT_PARSE_ERROR(ONE_NODE "profile 5.4\n", "line 6", "unknown profile '5.4'");
}

TEST(text_format_truncates_like_snprintf)
{
	struct kb_layout l;
	char full[1024], small[20];
	size_t n;

	kb_layout_default(&l);
	n = kb_layout_format_text(&l, full, sizeof(full));
	EXPECT_EQ(kb_layout_format_text(&l, small, sizeof(small)), n);
	EXPECT_EQ(strlen(small), sizeof(small) - 1);
	EXPECT_TRUE(!strncmp(small, full, sizeof(small) - 1));
	EXPECT_EQ(kb_layout_format_text(&l, NULL, 0), n);
}

TEST(text_round_trip_random_binary_layouts)
{
	uint64_t seed = 0x1234567887654321ull;
	uint8_t bytes[256];
	struct kb_layout l;
	int iter;

	for (iter = 0; iter < 2000; iter++) {
		size_t size = xorshift(&seed) % sizeof(bytes), i;

		for (i = 0; i < size; i++)
			bytes[i] = (uint8_t)xorshift(&seed);
		kb_layout_decode_binary(bytes, size, &l);
		text_round_trip(&l);
		if (kbtest_current_failed)
			return;
	}
}

/* ------------------------------------------------------------------ */
/* Binary form                                                         */

TEST(binary_empty_input_is_a_valid_default_shape)
{
	struct kb_layout l;
	char err[256];

	EXPECT_EQ(kb_layout_decode_binary(NULL, 0, &l), 0);
	ASSERT_EQ(kb_layout_validate(&l, err, sizeof(err)), 0);
	EXPECT_EQ(l.max_page_order, 10);
	EXPECT_EQ(l.pageblock_order, 9);
	EXPECT_EQ(l.nr_nodes, 1);
	EXPECT_EQ(kb_layout_nr_cpus(&l), 1);
	EXPECT_TRUE(l.node[0].zone[ZONE_NORMAL].end > 0);
	EXPECT_EQ(l.boot_path, KB_BOOT_MEMBLOCK);
	EXPECT_TRUE(l.min_free_kbytes < 0);
}

TEST(binary_random_bytes_always_validate)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	uint8_t bytes[300];
	unsigned int seen_nodes = 0, seen_cma = 0, seen_holes = 0, seen_res = 0;
	unsigned int seen_bootmem = 0, seen_mfk = 0;
	struct kb_layout l;
	char err[256];
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		size_t size = xorshift(&seed) % sizeof(bytes), used, i;

		for (i = 0; i < size; i++)
			bytes[i] = (uint8_t)xorshift(&seed);
		/* short inputs and zero-heavy inputs too */
		if (iter % 3 == 0)
			for (i = 0; i < size; i++)
				bytes[i] &= (uint8_t)xorshift(&seed);
		used = kb_layout_decode_binary(bytes, size, &l);
		EXPECT_TRUE(used <= size);
		if (kb_layout_validate(&l, err, sizeof(err))) {
			KBTEST_FAIL("iteration %d: %s", iter, err);
			return;
		}
		EXPECT_TRUE(layout_top(&l) <= 65536);
		seen_nodes |= 1u << l.nr_nodes;
		seen_cma += l.nr_cma > 0;
		seen_holes += l.nr_holes > 0;
		seen_res += l.nr_reserved > 0;
		seen_bootmem += l.boot_path == KB_BOOT_BOOTMEM;
		seen_mfk += l.min_free_kbytes >= 0;
	}
	/* the decoder reaches every shape */
	EXPECT_EQ(seen_nodes, 0x1e);
	EXPECT_TRUE(seen_cma > 100);
	EXPECT_TRUE(seen_holes > 100);
	EXPECT_TRUE(seen_res > 100);
	EXPECT_TRUE(seen_bootmem > 100);
	EXPECT_TRUE(seen_mfk > 100);
}

TEST(binary_round_trip_random)
{
	uint64_t seed = 42;
	uint8_t bytes[300], enc[300];
	struct kb_layout l, back;
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		size_t size = xorshift(&seed) % sizeof(bytes), n, i;

		for (i = 0; i < size; i++)
			bytes[i] = (uint8_t)xorshift(&seed);
		kb_layout_decode_binary(bytes, size, &l);
		n = kb_layout_encode_binary(&l, enc, sizeof(enc));
		if (!n || n > sizeof(enc)) {
			KBTEST_FAIL("iteration %d: encode returned %zu", iter, n);
			return;
		}
		EXPECT_EQ(kb_layout_decode_binary(enc, n, &back), n);
		if (!layout_eq(&l, &back)) {
			KBTEST_FAIL("iteration %d: binary round trip differs", iter);
			return;
		}
	}
}

TEST(binary_round_trip_builtins_that_fit)
{
	uint8_t enc[300];
	struct kb_layout l, back;
	static const char *const fit[] = { "default", "zones", "holes", "cma", "small" };
	unsigned int i;
	size_t n;

	for (i = 0; i < sizeof(fit) / sizeof(fit[0]); i++) {
		ASSERT_EQ(kb_layout_builtin(fit[i], &l), 0);
		n = kb_layout_encode_binary(&l, enc, sizeof(enc));
		ASSERT_TRUE(n > 0);
		kb_layout_decode_binary(enc, n, &back);
		if (!layout_eq(&l, &back))
			KBTEST_FAIL("builtin %s does not round trip", fit[i]);
	}
	/* a 16384-page zone on a two-node layout exceeds the binary budget */
	ASSERT_EQ(kb_layout_builtin("numa", &l), 0);
	EXPECT_EQ(kb_layout_encode_binary(&l, enc, sizeof(enc)), 0);
}

TEST(binary_encode_rejects_invalid_and_truncates)
{
	uint8_t enc[300], small[4];
	struct kb_layout l;
	size_t n;

	kb_layout_default(&l);
	l.nr_nodes = 0;
	EXPECT_EQ(kb_layout_encode_binary(&l, enc, sizeof(enc)), 0);

	ASSERT_EQ(kb_layout_builtin("holes", &l), 0);
	n = kb_layout_encode_binary(&l, enc, sizeof(enc));
	ASSERT_TRUE(n > sizeof(small));
	memset(small, 0xee, sizeof(small));
	EXPECT_EQ(kb_layout_encode_binary(&l, small, sizeof(small)), n);
	EXPECT_TRUE(!memcmp(small, enc, sizeof(small)));
	EXPECT_EQ(kb_layout_encode_binary(&l, NULL, 0), n);
}

TEST(binary_decode_returns_bytes_used)
{
	uint8_t bytes[400];
	struct kb_layout l;
	size_t used;

	memset(bytes, 0, sizeof(bytes));
	/* one node, no cma/holes/reserved: 6 + 13 + 3 count bytes */
	used = kb_layout_decode_binary(bytes, sizeof(bytes), &l);
	EXPECT_EQ(used, 22);
	EXPECT_EQ(kb_layout_decode_binary(bytes, 5, &l), 5);
}

TEST_MAIN()
