// SPDX-License-Identifier: GPL-2.0
/*
 * ZONE_MOVABLE from kernelcore= and movablecore= (core/zone_movable.c)
 * on two-node layouts, against spans worked out by hand from
 * find_zone_movable_pfns_for_nodes and adjust_zone_range_for_zone_movable
 * (mm/mm_init.c): each case's comment carries the arithmetic.
 */
#include <stdio.h>
#include <string.h>

#include "kbtest.h"
#include "../core/kbuddy.h"
#include "../machine/layout_io.h"

/*
 * Node 0: DMA [1, 4096), DMA32 [4096, 8192), Normal [8192, 16384);
 * node 1: Normal [16384, 32768). 32767 pages, movable_zone Normal,
 * usable_startpfn 8192, MAX_ORDER_NR_PAGES 1024.
 */
static const char two_nodes[] =
	"node 0 cpus 1\n"
	"zone 0 DMA 1 4096\n"
	"zone 0 DMA32 4096 8192\n"
	"zone 0 Normal 8192 16384\n"
	"node 1 cpus 1\n"
	"zone 1 Normal 16384 32768\n";

static int parse_with(const char *base, const char *extra, struct kb_layout *l, char *err,
		      size_t errlen)
{
	char text[1024];

	snprintf(text, sizeof(text), "%s%s", base, extra);
	return kb_layout_parse_text(text, strlen(text), l, err, errlen);
}

#define EXPECT_SPAN(l, nid, zid, s, e)					\
	do {								\
		EXPECT_EQ((l).node[nid].zone[zid].start, (unsigned long)(s));	\
		EXPECT_EQ((l).node[nid].zone[zid].end, (unsigned long)(e));	\
	} while (0)

static void expect_parsed(const char *base, const char *extra, struct kb_layout *l)
{
	char err[256] = "";

	if (parse_with(base, extra, l, err, sizeof(err)))
		KBTEST_FAIL("'%s': %s", extra, err);
}

/*
 * kernelcore=96M, 24576 pages, 12288 a node. Node 0: 8191 pages below
 * 8192 count, 4097 remain: zone_movable_pfn 8192 + 4097 = 12289, 12288
 * still required. Node 1: 16384 + 12288 = 28672. Rounded up to 1024:
 * 13312 and 28672.
 */
TEST(kernelcore_absolute_spreads_across_nodes)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "kernelcore 96M\n", &l);
	EXPECT_SPAN(l, 0, ZONE_DMA, 1, 4096);
	EXPECT_SPAN(l, 0, ZONE_DMA32, 4096, 8192);
	EXPECT_SPAN(l, 0, ZONE_NORMAL, 8192, 13312);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 13312, 16384);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 28672);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 28672, 32768);
}

/*
 * kernelcore=32M, 8192 pages, 4096 a node: node 0's pages below 8192 use
 * them all (zone_movable_pfn 8192, 1 page still required); node 1's share
 * becomes 1 / 2 = 0 (zone_movable_pfn 16384); 1 is not above the one node
 * left, so no second pass. Every Normal page is Movable.
 */
TEST(kernelcore_below_the_lower_zones_moves_all_of_normal)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "kernelcore 0x2000000\n", &l);
	EXPECT_SPAN(l, 0, ZONE_DMA32, 4096, 8192);
	EXPECT_EQ(l.node[0].zone[ZONE_NORMAL].start, l.node[0].zone[ZONE_NORMAL].end);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 8192, 16384);
	EXPECT_EQ(l.node[1].zone[ZONE_NORMAL].start, l.node[1].zone[ZONE_NORMAL].end);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 16384, 32768);
}

/*
 * kernelcore=50%: 32767 * 100 * 50 / 10000 = 16383 pages, 8191 a node.
 * Node 0: all below 8192 (zone_movable_pfn 8192, 8192 required). Node 1:
 * 16384 + 8191 = 24575, rounded 24576.
 */
TEST(kernelcore_percent)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "kernelcore 50%\n", &l);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 8192, 16384);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 24576);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 24576, 32768);
}

/*
 * movablecore=25%: 32767 * 2500 / 10000 = 8191, rounded up to 8192;
 * kernelcore = 32767 - 8192 = 24575, 12287 a node. Node 0: 4096 remain
 * after the 8191 below, zone_movable_pfn 12288; node 1: 16384 + 12287 =
 * 28671, rounded 28672.
 */
TEST(movablecore_percent_becomes_kernelcore)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "movablecore 25%\n", &l);
	EXPECT_SPAN(l, 0, ZONE_NORMAL, 8192, 12288);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 12288, 16384);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 28672);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 28672, 32768);
}

/*
 * movablecore=50%: 32767 * 100 * 50 / 10000 = 16383 pages, rounded up to
 * 16384; kernelcore = 32767 - 16384 = 16383, the spans of kernelcore=50%.
 * The percentage is of 10000ths: a divisor one off gives 16385, rounded
 * up a whole MAX_ORDER_NR_PAGES more.
 */
TEST(movablecore_percent_rounded_up_a_max_order_block)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "movablecore 50%\n", &l);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 8192, 16384);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 24576);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 24576, 32768);
}

/*
 * movablecore=16M: 4096 pages, kernelcore 32767 - 4096 = 28671, 14335 a
 * node. Node 0: 6144 after the 8191 below, 14336; node 1: 16384 + 14335 =
 * 30719, 1 required, rounded 30720. With kernelcore=112M as well (28672
 * pages, more than the 28671 movablecore leaves) kernelcore counts: 14336
 * a node, node 0 8192 + 6145 = 14337, rounded 15360; node 1 30720.
 */
TEST(movablecore_and_the_larger_kernelcore)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "movablecore 16M\n", &l);
	EXPECT_SPAN(l, 0, ZONE_NORMAL, 8192, 14336);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 14336, 16384);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 30720);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 30720, 32768);
	expect_parsed(two_nodes, "kernelcore 112M\nmovablecore 16M\n", &l);
	EXPECT_SPAN(l, 0, ZONE_NORMAL, 8192, 15360);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 15360, 16384);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 30720, 32768);
}

/*
 * movablecore=4M: 1024 pages leave 31743 for the kernel, 15871 a node:
 * node 0 reaches 15872 and node 1 32255, both rounded up to their node's
 * end: no Movable zone at all.
 */
TEST(movablecore_rounded_away)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "movablecore 4M\n", &l);
	EXPECT_SPAN(l, 0, ZONE_NORMAL, 8192, 16384);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 32768);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].end, 0);
	EXPECT_EQ(l.node[1].zone[ZONE_MOVABLE].end, 0);
}

/*
 * A node too small for its share: node 0's Normal is [8192, 10240), node
 * 1's [16384, 32768), 26623 pages. kernelcore=98304000 bytes = 24000
 * pages, 12000 a node. Node 0: 8191 below, then all 2048 of Normal
 * (zone_movable_pfn 10240), 13761 required; node 1: 16384 + 12000 = 28384,
 * 1761 required. Second pass with one node: 1761 more on node 1, 30145.
 * Rounded: node 0's 10240 is its end (no Movable), node 1's 30720.
 */
TEST(kernelcore_second_pass_on_the_larger_node)
{
	static const char small_node0[] =
		"node 0 cpus 1\n"
		"zone 0 DMA 1 4096\n"
		"zone 0 DMA32 4096 8192\n"
		"zone 0 Normal 8192 10240\n"
		"node 1 cpus 1\n"
		"zone 1 Normal 16384 32768\n";
	struct kb_layout l;

	expect_parsed(small_node0, "kernelcore 98304000\n", &l);
	EXPECT_SPAN(l, 0, ZONE_NORMAL, 8192, 10240);
	EXPECT_EQ(l.node[0].zone[ZONE_MOVABLE].start, l.node[0].zone[ZONE_MOVABLE].end);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 30720);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 30720, 32768);
}

/*
 * Holes are not memory: with [20000, 21000) a hole, kernelcore=96M on
 * node 1 takes 3616 pages of [16384, 20000) and 8672 of [21000, 32768):
 * 29672, rounded 29696. Node 0 as without the hole.
 */
TEST(kernelcore_skips_holes)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "hole 20000 21000\nkernelcore 96M\n", &l);
	EXPECT_SPAN(l, 0, ZONE_MOVABLE, 13312, 16384);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 29696);
	EXPECT_SPAN(l, 1, ZONE_MOVABLE, 29696, 32768);
}

/* The placed layout boots: the Movable zones are populated. */
TEST(placed_movable_boots)
{
	struct kb_instance *kb;
	struct kb_layout l;
	char err[256] = "";

	expect_parsed(two_nodes, "kernelcore 96M\n", &l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	if (!kb)
		KBTEST_FAIL("boot: %s", err);
	kb_destroy(kb);
}

/* Neither size, or sizes of all memory: no Movable zone. */
TEST(no_movable_without_a_core_below_all_memory)
{
	struct kb_layout l;

	expect_parsed(two_nodes, "kernelcore 100%\n", &l);
	EXPECT_SPAN(l, 1, ZONE_NORMAL, 16384, 32768);
	EXPECT_EQ(l.node[1].zone[ZONE_MOVABLE].end, 0);
	expect_parsed(two_nodes, "kernelcore 0\n", &l);
	EXPECT_SPAN(l, 0, ZONE_NORMAL, 8192, 16384);
}

/*
 * memparse's suffixes, each a factor of 1024 above the one before, either
 * case; sizes are bytes, counted in 4 KiB pages (rounded down).
 */
TEST(core_sizes_take_every_suffix)
{
	static const struct {
		const char *text;
		unsigned long pages;
	} sizes[] = {
		{ "4096", 1 }, { "8191", 1 }, { "0x2000", 2 }, { "020000", 2 },
		{ "4k", 1 }, { "1K", 0 }, { "1m", 256 }, { "3M", 768 },
		{ "1g", 1UL << 18 }, { "2G", 2UL << 18 }, { "1t", 1UL << 28 }, { "3T", 3UL << 28 },
		{ "1p", 1UL << 38 }, { "5P", 5UL << 38 }, { "1e", 1UL << 48 }, { "15E", 15UL << 48 },
	};
	struct kb_core_size size;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		err[0] = '\0';
		if (kb_core_size_parse(sizes[i].text, &size, err, sizeof(err)))
			KBTEST_FAIL("'%s' refused: %s", sizes[i].text, err);
		else if (size.pages != sizes[i].pages || size.percent)
			KBTEST_FAIL("'%s': %lu pages, %u%%, expected %lu pages", sizes[i].text,
				    size.pages, size.percent, sizes[i].pages);
	}
	/* 16 EiB is one more than 64 bits hold */
	EXPECT_TRUE(kb_core_size_parse("16E", &size, err, sizeof(err)) != 0);
	EXPECT_TRUE(strstr(err, "too large") != NULL);
	EXPECT_EQ(kb_core_size_parse("7%", &size, err, sizeof(err)), 0);
	EXPECT_EQ(size.percent, 7);
	EXPECT_EQ(size.pages, 0);
}

TEST(bad_core_sizes_are_refused)
{
	static const char *const bad[] = {
		"kernelcore 101%\n", "kernelcore -1\n", "kernelcore 12Q\n", "kernelcore mirror\n",
		"movablecore\n", "kernelcore 1G\nkernelcore 2G\n", "kernelcore 0x\n",
		"kernelcore 99999999999999999999\n", "kernelcore 0xffffffffffffffffG\n",
	};
	struct kb_layout l;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (!parse_with(two_nodes, bad[i], &l, err, sizeof(err)))
			KBTEST_FAIL("'%s' was accepted", bad[i]);
		else if (!strstr(err, "line "))
			KBTEST_FAIL("'%s': no line in '%s'", bad[i], err);
	}
	/* a Movable zone declared and placed at once */
	err[0] = '\0';
	EXPECT_TRUE(parse_with(two_nodes, "node 2 cpus 1\nzone 2 Movable 40960 49152\nkernelcore 1G\n",
			       &l, err, sizeof(err)) != 0);
	EXPECT_TRUE(strstr(err, "declares one") != NULL);
}

TEST_MAIN()
