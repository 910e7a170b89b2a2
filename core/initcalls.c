// SPDX-License-Identifier: GPL-2.0
/*
 * The boot after mm_core_init, in the kernel's order: what the initcalls
 * and kernel_init do to the allocator's derived state, and when.
 *
 *   core_initcall      cma_init_reserved_areas: the CMA pageblocks are
 *                      freed (through CPU 0's pcp list) and managed
 *   postcore_initcall  init_per_zone_wmark_min: min_free_kbytes, the
 *                      watermarks and pcp sizes, vmstat thresholds and
 *                      lowmem reserves, from the managed pages of now
 *   subsys_initcall    hugepage_init: THP off below KB_THP_MIN_RAM_MB of
 *                      RAM; otherwise khugepaged starts and
 *                      set_recommended_min_free_kbytes sets the watermarks
 *                      again
 *   rootfs_initcall    the initramfs is unpacked and free_initrd_mem
 *                      frees its image
 *   late_initcall      vmstat_late_init: the vmstat thresholds again
 *   kernel_init        free_initmem frees the kernel's init sections and
 *                      the gaps of its image
 *
 * Nothing recomputes the watermarks after hugepage_init, so on a booted
 * machine they (and the pcp batch and high sizes) come from the managed
 * pages of that moment, below the final managed counts by the late-freed
 * memory. Then come the layout's after-boot sysctl writes and reads (a
 * read of lowmem_reserve_ratio recomputes the reserves from the final
 * counts).
 */
#include "internal.h"

/*
 * hugepage_init: by default THP is off on small machines, where its memory
 * would cost more than the TLB misses it saves; then khugepaged never
 * starts and min_free_kbytes keeps its default. A layout may force THP on
 * (set_recommended_min_free_kbytes raises min_free_kbytes whatever the
 * RAM) or off (transparent_hugepage=never: khugepaged still runs its
 * start-or-stop path, which recomputes the default).
 */
static void hugepage_init(struct kb_instance *kb)
{
	unsigned long small = (unsigned long)KB_THP_MIN_RAM_MB << (20 - PAGE_SHIFT);
	enum kb_thp_mode mode = kb->layout.thp;

	kb->thp_enabled = false;
	if (mode != KB_THP_ON && kb->totalram_pages < small)
		return;
	kb->thp_enabled = mode == KB_THP_ON || (mode == KB_THP_AUTO && KB_THP_DEFAULT_ENABLED);
	/* A layout that states min_free_kbytes keeps it (watermark.c). */
	if (kb->layout.min_free_kbytes >= 0)
		return;
	/* start_stop_khugepaged */
	set_recommended_min_free_kbytes(kb, kb->thp_enabled);
}

/*
 * free_reserved_area: each page of [start, end) leaves PG_reserved with one
 * reference, is freed as an order-0 page (through this CPU's pcp list, as
 * free_reserved_page's __free_page does) and then counted as managed.
 */
static void free_reserved_area(struct kb_instance *kb, const struct kb_range *r)
{
	unsigned long pfn;

	for (pfn = r->start; pfn < r->end; pfn++) {
		struct page *page = pfn_to_page(kb, pfn);

		ClearPageReserved(page);
		set_page_count(page, 1);
		__free_pages(kb, page, 0);
		page_zone(kb, page)->managed_pages++;
		kb->totalram_pages++;
	}
}

static void free_late_ranges(struct kb_instance *kb, enum kb_late_free_kind kind)
{
	unsigned int i;

	for (i = 0; i < kb->layout.nr_late_free; i++)
		if (kb->layout.late_free_kind[i] == kind)
			free_reserved_area(kb, &kb->layout.late_free[i]);
}

/*
 * The layout's sysctl lines, in order. kb_layout_validate refused every
 * value kb_sysctl_check refuses, which is all a write refuses, and every
 * read but lowmem_reserve_ratio's: none of them can fail here.
 */
static void run_boot_sysctls(struct kb_instance *kb)
{
	unsigned int i;

	for (i = 0; i < kb->layout.nr_boot_sysctls; i++) {
		const struct kb_boot_sysctl *b = &kb->layout.boot_sysctl[i];

		if (b->read)
			(void)kb_sysctl_read(kb, (enum kb_sysctl)b->sysctl);
		else
			(void)kb_sysctl_write(kb, (enum kb_sysctl)b->sysctl, b->index, b->value);
	}
}

void kb_run_initcalls(struct kb_instance *kb)
{
	cma_activate_areas(kb);			/* core_initcall */
	init_per_zone_wmark_min(kb);		/* postcore_initcall */
	hugepage_init(kb);			/* subsys_initcall */
	free_late_ranges(kb, KB_LATE_INITRD);	/* rootfs_initcall */
	refresh_zone_stat_thresholds(kb);	/* late_initcall: vmstat_late_init */
	free_late_ranges(kb, KB_LATE_INITMEM);	/* kernel_init: free_initmem */
	run_boot_sysctls(kb);
}
