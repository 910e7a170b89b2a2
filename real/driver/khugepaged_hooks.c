// SPDX-License-Identifier: GPL-2.0
/*
 * What the allocator sees of khugepaged (mm/khugepaged.c, cut to
 * set_recommended_min_free_kbytes and its callers) and of THP's sysfs
 * defaults (mm/huge_memory.c), with Debian's CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS.
 */
#include <kshim/kshim.h>

#include "internal.h"
#include "driver.h"

/* hugepage_init(): "always", and the PMD order inherits it */
unsigned long transparent_hugepage_flags = (1UL << TRANSPARENT_HUGEPAGE_FLAG) |
	(1UL << TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG) |
	(1UL << TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG) |
	(1UL << TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG);
unsigned long huge_anon_orders_always;
unsigned long huge_anon_orders_madvise;
unsigned long huge_anon_orders_inherit = 1UL << PMD_ORDER;

#include "khugepaged.c"

/* start_stop_khugepaged(): the thread starts and sets the minimum. */
void real_khugepaged_start(void)
{
	static struct task_struct khugepaged_task = { .comm = "khugepaged" };

	mutex_lock(&khugepaged_mutex);
	khugepaged_thread = &khugepaged_task;
	set_recommended_min_free_kbytes();
	mutex_unlock(&khugepaged_mutex);
}
