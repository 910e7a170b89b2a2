/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's kernel/bounds.c generates, for the configuration of
 * kshim/config.h; real/shim/bounds_check.c asserts every value against the
 * enums it stands for.
 */
#ifndef __LINUX_BOUNDS_H__
#define __LINUX_BOUNDS_H__
#define NR_PAGEFLAGS 20
#define MAX_NR_ZONES 5
#define NR_CPUS_BITS 3
#define SPINLOCK_SIZE 4
#define LRU_GEN_WIDTH 0
#define __LRU_REFS_WIDTH 0
#endif
