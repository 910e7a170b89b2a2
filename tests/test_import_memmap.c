// SPDX-License-Identifier: GPL-2.0
/*
 * The memory-map files of a capture (import/memmap.h) are read strictly:
 * iomem, the boot log's e820, node-range, CMA, RAMDISK and "Freeing"
 * lines and the sysfs node files give their values as the kernel prints
 * them, and a malformed number, a missing word, a backwards range, a CR
 * or a NUL byte is an error with the file, line and column; the boot
 * log's other lines are passed over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kbtest.h"
#include "../import/capture.h"
#include "../import/memmap.h"

enum which { IOMEM, DMESG, NODE_INFO };

/* Parses TEXT as the file WHICH into a fresh capture; returns the reader's result. */
static int parse(enum which which, const char *text, struct kb_capture *cap, char *err,
		 size_t errlen)
{
	char *copy = strdup(text);
	int ret = -2;

	memset(cap, 0, sizeof(*cap));
	err[0] = 0;
	if (!copy)
		return ret;
	if (which == IOMEM)
		ret = kb_memmap_read_iomem(cap, copy, "iomem", err, errlen);
	else if (which == DMESG)
		ret = kb_memmap_read_dmesg(cap, copy, "dmesg_mem.txt", true, err, errlen);
	else
		ret = kb_memmap_read_node_info(cap, copy, "node_info", err, errlen);
	free(copy);
	return ret;
}

TEST(iomem_gives_system_ram_and_the_kernel_image)
{
	static const char text[] =
		"00000000-00000fff : Reserved\n"
		"00001000-0009fbff : System RAM\n"
		"000a0000-000bffff : PCI Bus 0000:00\n"
		"00100000-3ffd9fff : System RAM\n"
		"  1e000000-1f001fff : Kernel code\n"
		"  1f200000-1fd3bfff : Kernel rodata\n"
		"  1fe00000-201f0b7f : Kernel data\n"
		"  206b2000-207fffff : Kernel bss\n"
		"\n"
		"fd00000000-ffffffffff : Reserved\n";
	struct kb_capture *cap = malloc(sizeof(*cap));
	char err[512];

	ASSERT_TRUE(cap);
	EXPECT_EQ(parse(IOMEM, text, cap, err, sizeof(err)), 0);
	EXPECT_STREQ(err, "");
	EXPECT_EQ(cap->nr_ram, 2);
	EXPECT_EQ(cap->ram[0].start, 1);
	EXPECT_EQ(cap->ram[0].end, 0x9f);	/* the partial page at 0x9f000 is not RAM */
	EXPECT_EQ(cap->ram[1].end, 0x3ffda);
	EXPECT_EQ(cap->code[0], 0x1e000000);
	EXPECT_EQ(cap->code[1], 0x1f002000);
	EXPECT_EQ(cap->bss[1], 0x20800000);
	EXPECT_TRUE(cap->have_iomem);
	free(cap);
}

TEST(dmesg_gives_its_memory_lines_and_passes_over_the_others)
{
	static const char text[] =
		"[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
		"[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"
		"[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000003ffd9fff] usable\n"
		"[    0.011222] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
		"[    0.012000] cma: Reserved 16 MiB at 0x000000003e000000 on node -1\n"
		"[    0.038573] RAMDISK: [mem 0x3fdd7000-0x3ffcffff]\n"
		"[    0.048250]   node   0: [mem 0x0000000000001000-0x000000000009efff]\n"
		"[    0.048406]   node   1: [mem 0x0000000000100000-0x000000003ffd9fff]\n"
		"[    0.048552] Initmem setup node 0 [mem 0x0000000000001000-0x000000003ffd9fff]\n"
		"[    0.056507] On node 0, zone DMA: 1 pages in unavailable ranges\n"
		"[    0.906000] node 0 deferred pages initialised in 12ms\n"
		"[    1.531180] Freeing initrd memory: 2020K\n"
		"[    2.743983] Freeing unused kernel image (initmem) memory: 4264K\n"
		"[    2.800000] Freeing unused kernel memory: 1296K (ffffffff81b48000 - ffffffff81c8c000)\n"
		"Freeing SMP alternatives memory: 40K\n";
	struct kb_capture *cap = malloc(sizeof(*cap));
	char err[512];

	ASSERT_TRUE(cap);
	EXPECT_EQ(parse(DMESG, text, cap, err, sizeof(err)), 0);
	EXPECT_STREQ(err, "");
	EXPECT_EQ(cap->nr_ram, 2);		/* the usable e820 ranges, iomem being absent */
	EXPECT_EQ(cap->ram[1].start, 0x100);
	EXPECT_EQ(cap->nr_node_ram, 2);
	EXPECT_EQ(cap->node_ram[1].node, 1);
	EXPECT_EQ(cap->node_ram[1].end, 0x3ffda);
	EXPECT_EQ(cap->nr_cma, 1);
	EXPECT_EQ(cap->cma[0][1] - cap->cma[0][0], 16ULL << 20);
	EXPECT_EQ(cap->ramdisk[1], 0x3ffd0000);
	EXPECT_EQ(cap->nr_frees, 4);
	EXPECT_STREQ(cap->frees[0].what, "initrd");
	EXPECT_STREQ(cap->frees[1].what, "unused kernel image (initmem)");
	EXPECT_EQ(cap->frees[1].kib, 4264);
	EXPECT_STREQ(cap->frees[2].what, "unused kernel");
	EXPECT_STREQ(cap->frees[3].what, "SMP alternatives");
	free(cap);
}

TEST(node_info_gives_cpus_and_distances)
{
	static const char text[] =
		"== /sys/devices/system/node/node0\n"
		"Node 0 MemTotal:         990488 kB\n"
		"distance: 10 20\n"
		"cpulist: 0-3,8,10-11\n"
		"== /sys/devices/system/node/node1\n"
		"distance: 20 10\n"
		"cpulist: \n";
	struct kb_capture *cap = malloc(sizeof(*cap));
	char err[512];

	ASSERT_TRUE(cap);
	EXPECT_EQ(parse(NODE_INFO, text, cap, err, sizeof(err)), 0);
	EXPECT_STREQ(err, "");
	EXPECT_EQ(cap->nr_nodes_sysfs, 2);
	EXPECT_EQ(cap->node_cpus[0], 7);
	EXPECT_EQ(cap->node_cpus[1], 0);	/* a memory-only node */
	EXPECT_EQ(cap->nr_distance[1], 2);
	EXPECT_EQ(cap->distance[1][0], 20);
	EXPECT_TRUE(cap->have_node_info);
	free(cap);
}

TEST(a_malformed_line_is_an_error_at_its_column)
{
	static const struct {
		enum which which;
		const char *text, *err;
	} cases[] = {
		{ IOMEM, "0000100g-0009fbff : System RAM\n", "iomem: line 1, column 1: bad number '0000100g-0009fbff' (text after the number)" },
		{ IOMEM, "00001000-0009fbff: System RAM\n", "iomem: line 1, column 18: expected \" : \"" },
		{ IOMEM, "00000000-00000fff : Reserved\n0009fbff-00001000 : System RAM\n", "iomem: line 2, column 1: range 0x9fbff-0x1000 ends before it starts" },
		{ IOMEM, "00001000-0009fbff : System RAM\r\n", "iomem: line 1, column 31: a carriage return" },
		{ IOMEM, "0x1000-0x9fbff : System RAM\n", "iomem: line 1, column 1: bad number '0x1000-0x9fbff' (a 0x prefix" },
		{ IOMEM, "  1e000000-1f001fff : \n", "iomem: line 1, column 23: a range without a name" },
		{ IOMEM, "10000000000000000-1ffffffffffffffff : System RAM\n", "(out of range)" },
		{ IOMEM, "-1000-2000 : System RAM\n", "(a negative value)" },
		{ DMESG, "BIOS-e820: [mem 0x9fc00-0xfffffq] usable\n", "dmesg_mem.txt: line 1, column 25: bad number '0xfffffq]' (text after the number)" },
		{ DMESG, "BIOS-e820: [mem 0x9fc00-0x1000] usable\n", "line 1, column 17: range 0x9fc00-0x1000 ends before it starts" },
		{ DMESG, "BIOS-e820: [mem 0x9fc00-0x100000]\n", "line 1, column 33: expected \"] \"" },
		{ DMESG, "BIOS-e820: [mem 9fc00-0x100000] usable\n", "(not a 0x hex number)" },
		{ DMESG, "[    0.04]   node   0: [mem 0x1000-0x9efffz]\n", "line 1, column 36: bad number '0x9efffz]'" },
		{ DMESG, "  node  64: [mem 0x1000-0x9efff]\n", "line 1, column 9: bad number '64:' (out of range)" },
		{ DMESG, "  node  -1: [mem 0x1000-0x9efff]\n", "(a negative value)" },
		{ DMESG, "  node 0x1: [mem 0x1000-0x9efff]\n", "(hex where a decimal number belongs)" },
		{ DMESG, "cma: Reserved 1e3 MiB at 0x3f000000\n", "line 1, column 15: bad number '1e3' (an exponent)" },
		{ DMESG, "cma: Reserved 16 MiB at 0x3f000000x\n", "line 1, column 25: bad number '0x3f000000x'" },
		{ DMESG, "cma: Reserved 16 MB at 0x3f000000\n", "line 1, column 17: expected \" MiB at \"" },
		{ DMESG, "Freeing initrd memory: 20x0K\n", "line 1, column 24: bad number '20x0K' (text after the number)" },
		{ DMESG, "Freeing initrd memory: 2020\n", "line 1, column 28: expected \"K\"" },
		{ DMESG, "Freeing initrd memory: 2020KB\n", "line 1, column 29: text after the value" },
		{ DMESG, "Freeing initrd memory: -2020K\n", "(a negative value)" },
		{ DMESG, "RAMDISK: [mem 0x3fdd7000-0x3ffcffff\n", "line 1, column 36: expected \"]\"" },
		{ NODE_INFO, "== /sys/devices/system/node/node1x\n", "node_info: line 1, column 33: bad number '1x' (text after the number)" },
		{ NODE_INFO, "== /sys/devices/system/node/node64\n", "(out of range)" },
		{ NODE_INFO, "== /sys/devices/system/node/node0\ncpulist: 0-3,,5\n", "node_info: line 2, column 14: bad number ',5' (not a number)" },
		{ NODE_INFO, "== /sys/devices/system/node/node0\ncpulist: 3-1\n", "line 2, column 10: CPU range 3-1 ends before it starts" },
		{ NODE_INFO, "== /sys/devices/system/node/node0\ncpulist: 0 1\n", "line 2, column 11: expected \",\"" },
		{ NODE_INFO, "== /sys/devices/system/node/node0\ndistance: 10 2O\n", "line 2, column 14: bad number '2O' (text after the number)" },
		{ NODE_INFO, "== /sys/devices/system/node/node0\ndistance: 10 256\n", "bad number '256' (out of range)" },
		{ NODE_INFO, "distance: 10\n", "line 1, column 1: a node's distance before its" },
	};
	struct kb_capture *cap = malloc(sizeof(*cap));
	char err[512];
	size_t i;

	ASSERT_TRUE(cap);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(cases[i].which, cases[i].text, cap, err, sizeof(err)) != -1 ||
		    !strstr(err, cases[i].err))
			KBTEST_FAIL("case %zu: expected '%s', got '%s'", i, cases[i].err, err);
	}
	free(cap);
}

/* A capture directory whose iomem holds a NUL byte is refused, naming the file. */
TEST(a_nul_byte_in_a_memory_map_file_fails_the_import)
{
	static const char zi[] = "Node 0, zone   Normal\n  pages free 100\n        min 1\n        low 2\n"
				 "        high 3\n        spanned 4096\n        present 4096\n"
				 "        managed 4000\n        protection: (0, 0, 0, 0, 0)\n";
	static const char iomem[] = "00001000-0009fbff : System RAM\n\0" "00100000-3ffd9fff : System RAM\n";
	struct kb_capture *cap = malloc(sizeof(*cap));
	char dir[64], path[600], err[512] = "";
	FILE *f;

	ASSERT_TRUE(cap);
	snprintf(dir, sizeof(dir), "/tmp/kbuddy-test-memmap-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/zoneinfo.before", dir);
	f = fopen(path, "w");
	ASSERT_TRUE(f);
	fputs(zi, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/iomem", dir);
	f = fopen(path, "w");
	ASSERT_TRUE(f);
	fwrite(iomem, 1, sizeof(iomem) - 1, f);
	fclose(f);
	EXPECT_EQ(kb_capture_read(dir, cap, NULL, err, sizeof(err)), -1);
	EXPECT_TRUE(strstr(err, "/iomem: a NUL byte at offset 31: not a text file") != NULL);
	kb_capture_free(cap);
	remove(path);
	snprintf(path, sizeof(path), "%s/zoneinfo.before", dir);
	remove(path);
	rmdir(dir);
	free(cap);
}

TEST_MAIN()
