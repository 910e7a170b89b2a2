// SPDX-License-Identifier: GPL-2.0
/*
 * The numbers a real machine shows in /proc/zoneinfo, from its layout
 * (tests/layouts/x86-64-4g.layout: a 4 GiB x86-64 machine on Linux 6.18),
 * and the exact text of the /proc views.
 */
#include <stdlib.h>
#include <string.h>

#include "kbtest.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_instance *boot_file(const char *path)
{
	char err[256], *text;
	struct kb_layout l;
	struct kb_instance *kb;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f) {
		fprintf(stderr, "  cannot open %s (run from the repository root)\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	text[n] = '\0';
	if (kb_layout_parse_text(text, (size_t)n, &l, err, sizeof(err))) {
		fprintf(stderr, "  %s: %s\n", path, err);
		free(text);
		return NULL;
	}
	free(text);
	kb = kb_create(&l, NULL, err, sizeof(err));
	if (!kb)
		fprintf(stderr, "  %s: %s\n", path, err);
	return kb;
}

struct zone_numbers {
	enum zone_type idx;
	unsigned long spanned, present, managed, min, low, high;
	long protection[MAX_NR_ZONES];
};

/*
 * Expect the kernel's own figures: min_free_kbytes 67584 (khugepaged's
 * recommendation for three zones of 512-page pageblocks), and per zone the
 * watermarks the machine reported.
 */
TEST(zoneinfo_matches_a_real_4g_machine)
{
	static const struct zone_numbers want[] = {
		{ ZONE_DMA, 4095, 3998, 3840, 68, 85, 102, { 0, 3019, 3659, 3659, 3659 } },
		{ ZONE_DMA32, 1044480, 782304, 772917, 13883, 17353, 20823, { 0, 0, 640, 640, 640 } },
		{ ZONE_NORMAL, 165888, 165888, 163840, 2943, 3678, 4413, { 0 } },
	};
	struct kb_instance *kb = boot_file("tests/layouts/x86-64-4g.layout");
	unsigned int i, j;

	ASSERT_TRUE(kb);
	EXPECT_EQ(kb->min_free_kbytes, 67584);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct zone *z = kb_zone(kb, 0, want[i].idx);

		EXPECT_EQ(z->spanned_pages, want[i].spanned);
		EXPECT_EQ(z->present_pages, want[i].present);
		EXPECT_EQ(z->managed_pages, want[i].managed);
		EXPECT_EQ(min_wmark_pages(z), want[i].min);
		EXPECT_EQ(low_wmark_pages(z), want[i].low);
		EXPECT_EQ(high_wmark_pages(z), want[i].high);
		for (j = 0; j < MAX_NR_ZONES; j++)
			EXPECT_EQ(z->lowmem_reserve[j], want[i].protection[j]);
	}
	/*
	 * The empty Movable zone still gets the clamped minimum of 32 pages,
	 * since 6.2; before, it was lowmem and its share of nothing is 0.
	 */
	EXPECT_EQ(min_wmark_pages(kb_zone(kb, 0, ZONE_MOVABLE)),
		  KB_WMARK_MOVABLE_IS_LOWMEM ? 0 : 32);
	kb_destroy(kb);
}

static char *capture(void (*show)(const struct kb_instance *, FILE *),
		     const struct kb_instance *kb)
{
	static char buf[1 << 16];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (!f)
		return NULL;
	show(kb, f);
	fclose(f);
	return buf;
}

/* /proc/buddyinfo: "Node %d, zone %8s " then "%6lu " per order. */
TEST(buddyinfo_has_the_kernel_format)
{
	struct kb_layout l;
	struct kb_instance *kb;
	char err[128], *out;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb);
	out = capture(kb_show_buddyinfo, kb);
	ASSERT_TRUE(out);
	EXPECT_STREQ(out,
		     "Node 0, zone      DMA      1      1      1      1      1      1      1      1      1      1      3 \n"
		     "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0      8 \n"
		     "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      8 \n");
	kb_destroy(kb);
}

/* /proc/pagetypeinfo: header lines, one row per zone and type, block counts. */
TEST(pagetypeinfo_has_the_kernel_format)
{
	struct kb_layout l;
	struct kb_instance *kb;
	char err[128], *out;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb);
	out = capture(kb_show_pagetypeinfo, kb);
	ASSERT_TRUE(out);
	EXPECT_TRUE(!strncmp(out, "Page block order: 9\nPages per block:  512\n\n"
				  "Free pages count per migrate type at order       0      1 ", 99));
	EXPECT_TRUE(strstr(out, "Node    0, zone   Normal, type      Movable "
				"     0      0      0      0      0      0      0      0      0      0      8 \n") != NULL);
	EXPECT_TRUE(strstr(out, "\nNumber of blocks type     Unmovable      Movable  Reclaimable "
				"  HighAtomic          CMA      Isolate \n") != NULL);
	EXPECT_TRUE(strstr(out, "Node 0, zone   Normal            0           16            0"
				"            0            0            0 \n") != NULL);
	kb_destroy(kb);
}

/* /proc/zoneinfo: the per-zone block with watermarks and protection. */
TEST(zoneinfo_has_the_kernel_format)
{
	struct kb_layout l;
	struct kb_instance *kb;
	char err[128], *out;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb);
	out = capture(kb_show_zoneinfo, kb);
	ASSERT_TRUE(out);
	EXPECT_TRUE(!strncmp(out, "Node 0, zone      DMA\n  per-node stats\n", 39));
	/* counters kbuddy does not keep print 0, as on a machine that never used them */
	EXPECT_TRUE(strstr(out, "\n      nr_mlock     0\n      nr_bounce    0\n      nr_zspages   0\n") != NULL);
	EXPECT_TRUE(strstr(out, "Node 0, zone   Normal\n  pages free     8192\n        boost    0\n"
				"        min      ") != NULL);
	EXPECT_TRUE(strstr(out, "\n        spanned  8192\n        present  8192\n        managed  8192\n"
				"        cma      0\n        protection: (0, 0, 0, 0, 0)\n") != NULL);
#if KB_ZONEINFO_PCP_LIMITS
	EXPECT_TRUE(strstr(out, "\n  pagesets\n    cpu: 0\n              count:    0\n") != NULL);
	EXPECT_TRUE(strstr(out, "\n  start_pfn:           12288\n  reserved_highatomic: 0\n"
				"  free_highatomic:     0\n") != NULL);
#else
	EXPECT_TRUE(strstr(out, "\n  pagesets\n    cpu: 0\n              count: 0\n"
				"              high:  ") != NULL);
	EXPECT_TRUE(strstr(out, "\n  start_pfn:           12288\n") != NULL);
	EXPECT_TRUE(strstr(out, "high_min") == NULL);
#endif
	EXPECT_EQ(strstr(out, "        promo    ") != NULL, KB_ZONEINFO_PROMO);
	kb_destroy(kb);
}

/* Every vm event counter has a name (scenarios' event[NAME]), each its own. */
TEST(every_vm_event_has_a_name)
{
	int i, j;

	for (i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		EXPECT_TRUE(strcmp(kb_vm_event_name((enum vm_event_item)i), "?") != 0);
		for (j = 0; j < i; j++)
			EXPECT_TRUE(strcmp(kb_vm_event_name((enum vm_event_item)i),
					   kb_vm_event_name((enum vm_event_item)j)) != 0);
	}
	EXPECT_STREQ(kb_vm_event_name(NR_VM_EVENT_ITEMS), "?");
}

TEST_MAIN()
