/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel configuration the real allocator is compiled with: x86-64 as
 * Debian's 6.12 amd64 kernel has it where the allocator's behaviour
 * depends on it, less what kbuddy does not model (memcg, cpusets, PSI,
 * KASAN, page_owner, page reporting, shuffling, memory hotplug, deferred
 * struct page init, MGLRU). CMA is on (kbuddy's cma layout needs it; Debian
 * leaves it off). Included before everything (-include).
 *
 * The geometry comes from the build: KSHIM_MAX_PAGE_ORDER and
 * KSHIM_PAGEBLOCK_ORDER (one build per geometry of kbuddy's layouts).
 */
#ifndef KSHIM_CONFIG_H
#define KSHIM_CONFIG_H

#ifndef KSHIM_MAX_PAGE_ORDER
#error "build with -DKSHIM_MAX_PAGE_ORDER=N -DKSHIM_PAGEBLOCK_ORDER=M"
#endif

#define __KERNEL__ 1
#define CONFIG_X86 1
#define CONFIG_X86_64 1
#define CONFIG_64BIT 1
#define CONFIG_MMU 1
#define CONFIG_SMP 1
#define CONFIG_NR_CPUS 8
#define CONFIG_NUMA 1
#define CONFIG_NODES_SHIFT 2
#define CONFIG_USE_PERCPU_NUMA_NODE_ID 1
#define CONFIG_ARCH_FORCE_MAX_ORDER KSHIM_MAX_PAGE_ORDER
#define CONFIG_ZONE_DMA 1
#define CONFIG_ZONE_DMA32 1
#define CONFIG_ZONE_DEVICE 1
#define CONFIG_SPARSEMEM 1
#define CONFIG_SPARSEMEM_EXTREME 1
#define CONFIG_SPARSEMEM_VMEMMAP 1
#define CONFIG_MEMORY_ISOLATION 1
#define CONFIG_COMPACTION 1
#define CONFIG_MIGRATION 1
#define CONFIG_CONTIG_ALLOC 1
#define CONFIG_CMA 1
#define CONFIG_CMA_AREAS 8
#define CONFIG_TRANSPARENT_HUGEPAGE 1
#define CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS 1
#define CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE 1
#define CONFIG_PGTABLE_HAS_HUGE_LEAVES 1
#define CONFIG_HUGETLB_PAGE 1
#define CONFIG_PCP_BATCH_SCALE_MAX 5
#define CONFIG_PHYS_ADDR_T_64BIT 1
#define CONFIG_HAVE_MEMBLOCK_PHYS_MAP 1
#define CONFIG_ARCH_KEEP_MEMBLOCK 1
#define CONFIG_PAGE_SIZE_4KB 1
#define CONFIG_PAGE_SHIFT 12
#define CONFIG_SYSCTL 1
#define CONFIG_PROC_FS 1
#define CONFIG_SWAP 1
#define CONFIG_ZSMALLOC 1
#define CONFIG_NUMA_BALANCING 1
#define CONFIG_IOMMU_SUPPORT 1
#define CONFIG_UNACCEPTED_MEMORY 1

#define KSHIM_NR_NODES (1 << CONFIG_NODES_SHIFT)

#endif
