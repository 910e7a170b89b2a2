/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The built-in named layouts. Their order is part of the binary ops format
 * (an input's first byte picks one): new layouts go at the end.
 */
#include <string.h>

#include "layout_io.h"

#define BUILTIN_RANGES	8

struct builtin_layout {
	const char *name;
	unsigned int max_page_order;	/* 0: KB_DEFAULT_MAX_PAGE_ORDER */
	unsigned int pageblock_order;	/* 0: KB_DEFAULT_PAGEBLOCK_ORDER */
	unsigned int nr_nodes;
	unsigned int cpus[KB_MAX_NODES];
	struct kb_range zone[KB_MAX_NODES][MAX_NR_ZONES];
	unsigned char distance;			/* between any two nodes */
	struct kb_range hole[BUILTIN_RANGES];	/* end == 0 terminates */
	struct kb_range reserved[BUILTIN_RANGES];
	struct kb_range cma[BUILTIN_RANGES];
};

static const struct builtin_layout builtins[] = {
	{
		.name = "default",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 12288 },
			[ZONE_NORMAL]	= { 12288, 20480 },
		} },
	},
	{
		.name = "zones",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 8192 },
			[ZONE_NORMAL]	= { 8192, 16384 },
			[ZONE_MOVABLE]	= { 16384, 20480 },
		} },
	},
	{
		/*
		 * The default zones with the holes and reservations a real
		 * x86-64 machine has: the legacy VGA/BIOS hole below 1 MiB,
		 * a pageblock-sized hole, an unaligned hole and a hole at the
		 * top of Normal; reserved memory at pfn 1 (real mode
		 * trampoline), across the DMA/DMA32 boundary and at the
		 * start of Normal (kernel image).
		 */
		.name = "holes",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 12288 },
			[ZONE_NORMAL]	= { 12288, 20480 },
		} },
		.hole = {
			{ 0x9f, 0x100 },
			{ 6144, 6656 },
			{ 15000, 15037 },
			{ 20400, 20480 },
		},
		.reserved = {
			{ 1, 64 },
			{ 4000, 4200 },
			{ 12288, 12300 },
			{ 9000, 9001 },
		},
	},
	{
		.name = "numa",
		.nr_nodes = 2,
		.cpus = { 2, 2 },
		.zone = {
			{
				[ZONE_DMA]	= { 1, 4096 },
				[ZONE_DMA32]	= { 4096, 12288 },
			},
			{
				[ZONE_NORMAL]	= { 12288, 28672 },
			},
		},
		.distance = 20,
	},
	{
		.name = "cma",
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 12288 },
			[ZONE_NORMAL]	= { 12288, 20480 },
		} },
		.cma = { { 16384, 18432 } },
	},
	{
		/*
		 * 2048 pages: fewer than pageblock_nr_pages * MIGRATE_TYPES,
		 * so build_all_zonelists disables grouping by mobility.
		 */
		.name = "small",
		.nr_nodes = 1,
		.cpus = { 1 },
		.zone = { { [ZONE_NORMAL] = { 0, 2048 } } },
	},
	{
		/*
		 * Small pageblocks (32 pages) and MAX_PAGE_ORDER 7: about 1% of
		 * Normal is several pageblocks, so the highatomic reserve and
		 * watermark boosting are reachable, and claims are frequent.
		 */
		.name = "small-blocks",
		.max_page_order = 7,
		.pageblock_order = 5,
		.nr_nodes = 1,
		.cpus = { 2 },
		.zone = { {
			[ZONE_DMA]	= { 1, 4096 },
			[ZONE_DMA32]	= { 4096, 8192 },
			[ZONE_NORMAL]	= { 8192, 24576 },
		} },
	},
};

#define NR_BUILTINS	(sizeof(builtins) / sizeof(builtins[0]))

static unsigned int copy_ranges(struct kb_range *dst, const struct kb_range *src)
{
	unsigned int n = 0;

	while (n < BUILTIN_RANGES && src[n].end) {
		dst[n] = src[n];
		n++;
	}
	return n;
}

unsigned int kb_layout_builtin_count(void)
{
	return NR_BUILTINS;
}

const char *kb_layout_builtin_name(unsigned int index)
{
	return index < NR_BUILTINS ? builtins[index].name : NULL;
}

int kb_layout_builtin(const char *name, struct kb_layout *out)
{
	const struct builtin_layout *b = NULL;
	unsigned int i, j;

	for (i = 0; name && i < NR_BUILTINS; i++)
		if (!strcmp(builtins[i].name, name))
			b = &builtins[i];
	if (!b)
		return -1;
	kb_layout_init(out);
	if (b->max_page_order)
		out->max_page_order = b->max_page_order;
	if (b->pageblock_order)
		out->pageblock_order = b->pageblock_order;
	out->nr_nodes = b->nr_nodes;
	for (i = 0; i < b->nr_nodes; i++) {
		out->node[i].nr_cpus = b->cpus[i];
		memcpy(out->node[i].zone, b->zone[i], sizeof(b->zone[i]));
		for (j = 0; j < b->nr_nodes; j++)
			if (i != j && b->distance)
				out->node[i].distance[j] = b->distance;
	}
	/*
	 * The built-in machines are far below hugepage_init's 512 MiB: they
	 * boot with THP on, so khugepaged's raise of min_free_kbytes gives
	 * them watermarks (and reserves) large enough to reach.
	 */
	out->thp = KB_THP_ON;
	out->nr_holes = copy_ranges(out->hole, b->hole);
	out->nr_reserved = copy_ranges(out->reserved, b->reserved);
	out->nr_cma = copy_ranges(out->cma, b->cma);
	return 0;
}

void kb_layout_default(struct kb_layout *layout)
{
	kb_layout_builtin("default", layout);
}
