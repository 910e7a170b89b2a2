/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything the real mm/ files get from their #include lines, in the
 * order a kernel build would define it. Every header they name is a stub
 * that includes this file (the list is real/stub-headers.list), except the
 * real headers taken from the kernel source: those come in here, whole
 * (real-headers.list) or cut to the definitions the allocator uses
 * (real/extract.list, by real/extract.py).
 */
#ifndef KSHIM_KSHIM_H
#define KSHIM_KSHIM_H

#include <kshim/base.h>
#include <kshim/report.h>
#include <kshim/atomic.h>
#include <kshim/locks.h>
#include <kshim/percpu.h>
#include <kshim/arch.h>
#include <kshim/trace.h>

#include <real/linux/poison.h>
#include <real/linux/container_of.h>
#include <real/linux/list.h>
#include <real/linux/minmax.h>
#include <kshim/bitmap.h>
#include <real/linux/numa.h>
#include <real/linux/nodemask_types.h>
#include <real/linux/nodemask.h>
#include <real/linux/gfp_types.h>
#include <kshim/mm_early.h>
#include <real/linux/pageblock-flags.h>
#include <real/linux/page-flags-layout.h>
#include <real/linux/mm_types.h>
#include <real/linux/mmdebug.h>
#include <real/linux/zswap.h>
#include <real/linux/page-flags.h>
#include <real/linux/page_ref.h>
#include <kshim/mmzone_early.h>
#include <real/linux/mmzone.h>
#include <kshim/topology.h>
#include <real/linux/gfp.h>
#include <real/linux/vm_event_item.h>
#include <kshim/vmstat_early.h>
#include <real/linux/vmstat.h>
#include <kshim/mm.h>
#include <real/linux/mm.h>
#include <real/linux/page-isolation.h>
#include <real/linux/memblock.h>
#include <real/linux/kmemleak.h>
#include <real/linux/migrate_mode.h>
#include <real/linux/pagevec.h>
#include <real/linux/sysctl.h>
#include <kshim/hooks.h>
#include <real/linux/huge_mm.h>
#include <kshim/sched.h>
#include <real/linux/sched/mm.h>
#include <real/linux/cpuset.h>
#include <real/linux/kasan.h>
#include <real/linux/kmsan.h>
#include <real/linux/page_owner.h>
#include <real/linux/memcontrol.h>
#include <real/linux/psi.h>
#include <real/linux/page_table_check.h>
#include <real/linux/pgalloc_tag.h>
#include <real/linux/delayacct.h>
#include <real/linux/oom.h>
#include <real/linux/compaction.h>
#include <real/linux/migrate.h>
#include <real/linux/swap.h>
#include <real/linux/khugepaged.h>
#include <real/linux/highmem.h>
#include <real/linux/cacheinfo.h>
#include <real/linux/memory_hotplug.h>
#include <real/linux/page_ext.h>

#endif
