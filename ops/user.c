// SPDX-License-Identifier: GPL-2.0
/*
 * The user of the pages the runner holds: a pattern naming the handle and
 * the page in the backing memory of every page a handle holds, written at
 * allocation and checked at free. Two owners of one page show up as a
 * pattern the freeing owner did not write; a write into a page the
 * allocator took back shows up under ASan, which poisons free pages.
 *
 * Fuzz builds compile this file without coverage (Makefile): its only
 * branches are these page loops, whose counts just repeat the size of
 * the block, and each counter update sat on every page's path. They
 * compile it without AddressSanitizer's per-access checks too, as
 * core/page_scan.c: each loop checks the block's backing memory once
 * (user_range_check), and a poisoned byte in it (a page the allocator
 * holds as free) is reported as ASan reports the access. Test builds
 * instrument this file as every other.
 */
#include "user.h"

/* AddressSanitizer's runtime interface, present when the program has one. */
void *__asan_region_is_poisoned(void *beg, size_t size) __attribute__((weak));
void __asan_report_error(void *pc, void *bp, void *sp, void *addr, int is_write,
			 size_t access_size) __attribute__((weak));

/*
 * The backing words of nr pages from mem (stride bytes apart) as one
 * access: a poisoned byte among them is reported as ASan reports a bad
 * access of that size.
 */
static __attribute__((noinline)) void user_range_check(const uint8_t *mem, size_t stride,
							unsigned long nr, int is_write)
{
	size_t size;
	void *bad;

	if (!__asan_region_is_poisoned || !__asan_report_error || !nr)
		return;
	size = (nr - 1) * stride + sizeof(uint64_t);
	bad = __asan_region_is_poisoned((void *)mem, size);
	if (bad)
		__asan_report_error(__builtin_return_address(0), __builtin_frame_address(0),
				    __builtin_frame_address(0), bad, is_write, size);
}

static uint64_t page_pattern(unsigned int handle, unsigned long i)
{
	return 0x6b62756464790000ULL ^ ((uint64_t)handle << 20) ^ i;
}

void kb_user_write(struct kb_instance *kb, struct page *page, unsigned long nr,
		   unsigned int handle)
{
	uint8_t *mem = kb_page_address(kb, page);
	size_t stride = kb->backing_bytes;
	unsigned long i;

	if (!mem)
		return;
	user_range_check(mem, stride, nr, 1);
	if (stride == sizeof(uint64_t)) {
		/* the fuzzers' backing: one array of words, written as one */
		uint64_t *word = (uint64_t *)mem;

		for (i = 0; i < nr; i++)
			word[i] = page_pattern(handle, i);
		return;
	}
	for (i = 0; i < nr; i++, mem += stride)
		*(uint64_t *)mem = page_pattern(handle, i);
}

bool kb_user_verify(const struct kb_instance *kb, const struct page *page, unsigned long nr,
		    unsigned int handle, unsigned long *bad, uint64_t *word)
{
	const uint8_t *mem = kb_page_address(kb, page);
	size_t stride = kb->backing_bytes;
	unsigned long i;

	if (!mem)
		return true;
	user_range_check(mem, stride, nr, 0);
	for (i = 0; i < nr; i++, mem += stride) {
		if (*(const uint64_t *)mem != page_pattern(handle, i)) {
			*bad = i;
			*word = *(const uint64_t *)mem;
			return false;
		}
	}
	return true;
}
