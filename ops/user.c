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
 * the block, and each counter update sat on every page's path.
 */
#include "user.h"

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
	for (i = 0; i < nr; i++, mem += stride) {
		if (*(const uint64_t *)mem != page_pattern(handle, i)) {
			*bad = i;
			*word = *(const uint64_t *)mem;
			return false;
		}
	}
	return true;
}
