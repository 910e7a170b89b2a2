/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types the real mm headers use from headers kbuddy does not take:
 * page tables (only named), the ZONE_DEVICE altmap (memremap.h).
 */
#ifndef KSHIM_MM_EARLY_H
#define KSHIM_MM_EARLY_H

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct page *pgtable_t;

/* The kernel's bit lock helper (arch-specific); page locks are unused. */
bool xor_unlock_is_negative_byte(unsigned long mask, volatile unsigned long *addr);

struct vmem_altmap {
	unsigned long base_pfn;
	const unsigned long end_pfn;
	const unsigned long reserve;
	unsigned long free;
	unsigned long align;
	unsigned long alloc;
	bool inaccessible;
};

#endif
