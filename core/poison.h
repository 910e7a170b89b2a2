/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Poisoning the backing memory of free pages, as KASAN does in the kernel
 * (kasan_poison_pages in free_pages_prepare, kasan_unpoison_pages in
 * post_alloc_hook): under AddressSanitizer, code that keeps using a page
 * after freeing it gets a use-after-poison report. Without ASan these are
 * no-ops.
 */
#ifndef KB_POISON_H
#define KB_POISON_H

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define KB_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KB_HAVE_ASAN 1
#endif
#endif

#ifdef KB_HAVE_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define kb_poison_memory(addr, size)	__asan_poison_memory_region((addr), (size))
#define kb_unpoison_memory(addr, size)	__asan_unpoison_memory_region((addr), (size))
#else
#define kb_poison_memory(addr, size)	((void)(addr), (void)(size))
#define kb_unpoison_memory(addr, size)	((void)(addr), (void)(size))
#endif

#endif /* KB_POISON_H */
