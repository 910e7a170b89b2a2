/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What x86-64's asm/ headers give the allocator: the page size, the
 * memory model (SPARSEMEM_VMEMMAP: pfn_to_page is vmemmap + pfn, with
 * vmemmap a block the driver allocates), the section and PMD sizes, and
 * the DMA zone limit.
 */
#ifndef KSHIM_ARCH_H
#define KSHIM_ARCH_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PFN_ALIGN(x) (((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define __ALIGN_MASK(x, mask) __ALIGN_KERNEL_MASK((x), (mask))
#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr) IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define L1_CACHE_BYTES 64
#define SMP_CACHE_BYTES 64
#define L1_CACHE_ALIGN(x) ALIGN(x, L1_CACHE_BYTES)
#define cache_line_size() L1_CACHE_BYTES
#define CACHELINE_PADDING(name) struct { char x; } name

/* The PMD: a huge page's order. kbuddy makes it the layout's pageblock
 * order, which is 9 (2 MiB) on x86-64. */
#define PMD_SHIFT (PAGE_SHIFT + KSHIM_PAGEBLOCK_ORDER)
#define PMD_SIZE (_AC(1, UL) << PMD_SHIFT)
#define PMD_MASK (~(PMD_SIZE - 1))
#define PMD_ORDER (PMD_SHIFT - PAGE_SHIFT)
#define PUD_SHIFT 30
#define PUD_SIZE (_AC(1, UL) << PUD_SHIFT)
#define HPAGE_SHIFT PMD_SHIFT
#define HPAGE_SIZE (_AC(1, UL) << HPAGE_SHIFT)
#define HPAGE_MASK (~(HPAGE_SIZE - 1))
#define HUGETLB_PAGE_ORDER (HPAGE_SHIFT - PAGE_SHIFT)

/* asm/sparsemem.h */
#define SECTION_SIZE_BITS 27
#define MAX_PHYSMEM_BITS 46

/* asm/dma.h */
#define MAX_DMA_PFN ((16UL * 1024 * 1024) >> PAGE_SHIFT)
#define MAX_DMA32_PFN (1UL << (32 - PAGE_SHIFT))
#define MAX_DMA_ADDRESS (PAGE_OFFSET + (MAX_DMA_PFN << PAGE_SHIFT))

/*
 * The direct map. page_address() is the page's bytes in the driver's
 * backing block: __va(phys) = kshim_direct_map + phys.
 */
extern char *kshim_direct_map;
#define PAGE_OFFSET ((unsigned long)kshim_direct_map)
#define __va(x) ((void *)(kshim_direct_map + (unsigned long)(x)))
#define __pa(x) ((unsigned long)((char *)(x) - kshim_direct_map))

/* asm-generic/memory_model.h, CONFIG_SPARSEMEM_VMEMMAP */
struct page;
extern struct page *kshim_vmemmap;
#define vmemmap kshim_vmemmap
#define __pfn_to_page(pfn) (vmemmap + (pfn))
#define __page_to_pfn(page) (unsigned long)((page) - vmemmap)
#define pfn_to_page __pfn_to_page
#define page_to_pfn __page_to_pfn
#define page_to_phys(page) PFN_PHYS(page_to_pfn(page))
#define phys_to_page(phys) pfn_to_page(PHYS_PFN(phys))
#define virt_to_page(kaddr) pfn_to_page(__pa(kaddr) >> PAGE_SHIFT)
#define nth_page(page, n) ((page) + (n))
#define folio_page_idx(folio, p) ((p) - &(folio)->page)

#define ARCH_PFN_OFFSET 0UL

#endif
