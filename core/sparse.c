// SPDX-License-Identifier: GPL-2.0
/*
 * The memory model (mm/sparse.c, SPARSEMEM_VMEMMAP): which sections are
 * present, the virtual memmap with only their struct pages mapped, and
 * their usemaps (core/sparse.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

static size_t page_round(size_t bytes)
{
	return (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

void *kb_pfn_array_alloc(unsigned long max_pfn, size_t elem)
{
	size_t bytes = page_round((max_pfn ? max_pfn : 1) * elem);
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void kb_pfn_array_free(void *array, unsigned long max_pfn, size_t elem)
{
	if (array)
		munmap(array, page_round((max_pfn ? max_pfn : 1) * elem));
}

static size_t usemap_bytes(const struct kb_instance *kb)
{
	return PAGES_PER_SECTION >> kb->pageblock_order;
}

/* The bytes of the memmap that hold section sec's struct pages (clipped to max_pfn). */
static void section_memmap(const struct kb_instance *kb, unsigned long sec,
			   uintptr_t *start, size_t *len)
{
	unsigned long lo = section_nr_to_pfn(sec);
	unsigned long hi = KB_MIN(lo + PAGES_PER_SECTION, kb->max_pfn);

	*start = (uintptr_t)(kb->mem_map + lo);
	*len = page_round((hi - lo) * sizeof(struct page));
}

int sparse_add_section(struct kb_instance *kb, unsigned long sec, int nid)
{
	struct mem_section *ms;
	uintptr_t start;
	size_t len;

	if (sec >= kb->nr_mem_sections)
		return -EINVAL;
	ms = &kb->mem_section[sec];
	if (valid_section(ms))
		return -EEXIST;
	ms->usage = calloc(usemap_bytes(kb), 1);
	if (!ms->usage)
		return -ENOMEM;
	section_memmap(kb, sec, &start, &len);
	if (mprotect((void *)start, len, PROT_READ | PROT_WRITE)) {
		free(ms->usage);
		ms->usage = NULL;
		return -ENOMEM;
	}
	ms->nid = nid;
	ms->section_mem_map = SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP;
	return 0;
}

void sparse_remove_section(struct kb_instance *kb, unsigned long sec)
{
	struct mem_section *ms;
	uintptr_t start;
	size_t len;

	if (sec >= kb->nr_mem_sections)
		return;
	ms = &kb->mem_section[sec];
	if (!valid_section(ms))
		return;
	section_memmap(kb, sec, &start, &len);
	/* the struct pages go: their memory back to the system, the range unreadable */
	madvise((void *)start, len, MADV_DONTNEED);
	mprotect((void *)start, len, PROT_NONE);
	free(ms->usage);
	ms->usage = NULL;
	ms->section_mem_map = 0;
	ms->nid = 0;
}

/* [lo, hi) holds a pfn no hole covers. */
static bool range_has_memory(const struct kb_layout *l, unsigned long lo, unsigned long hi)
{
	unsigned long cur = lo;
	unsigned int i, rounds = 0;

	/* each round passes one hole at least, or finds memory */
	while (cur < hi && rounds++ <= l->nr_holes) {
		bool covered = false;

		for (i = 0; i < l->nr_holes; i++)
			if (l->hole[i].start <= cur && cur < l->hole[i].end) {
				cur = l->hole[i].end;
				covered = true;
			}
		if (!covered)
			return true;
	}
	return false;
}

int sparse_init(struct kb_instance *kb)
{
	const struct kb_layout *l = &kb->layout;
	size_t bytes;
	unsigned int nid, zid;

	kb->nr_mem_sections = (kb->max_pfn + PAGES_PER_SECTION - 1) >> PFN_SECTION_SHIFT;
	kb->mem_section = calloc(kb->nr_mem_sections ? kb->nr_mem_sections : 1,
				 sizeof(*kb->mem_section));
	if (!kb->mem_section)
		return -1;
	bytes = page_round((kb->max_pfn ? kb->max_pfn : 1) * sizeof(struct page));
	kb->mem_map = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			   -1, 0);
	if (kb->mem_map == MAP_FAILED) {
		kb->mem_map = NULL;
		return -1;
	}
	kb->mem_map_bytes = bytes;
	/* memblocks_present: every section with memory of a zone, in the zone's node */
	for (nid = 0; nid < l->nr_nodes; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			const struct kb_range *r = &l->node[nid].zone[zid];
			unsigned long sec;

			if (r->start >= r->end)
				continue;
			for (sec = pfn_to_section_nr(r->start);
			     sec <= pfn_to_section_nr(r->end - 1); sec++) {
				unsigned long lo = KB_MAX(r->start, section_nr_to_pfn(sec));
				unsigned long hi = KB_MIN(r->end, section_nr_to_pfn(sec + 1));

				if (valid_section(&kb->mem_section[sec]) ||
				    !range_has_memory(l, lo, hi))
					continue;
				if (sparse_add_section(kb, sec, (int)nid))
					return -1;
				/* boot memory: early and, once memmap_init ran, online */
				kb->mem_section[sec].section_mem_map |= SECTION_IS_EARLY |
									SECTION_IS_ONLINE;
			}
		}
	return 0;
}

void sparse_free(struct kb_instance *kb)
{
	unsigned long sec;

	if (kb->mem_section)
		for (sec = 0; sec < kb->nr_mem_sections; sec++)
			free(kb->mem_section[sec].usage);
	free(kb->mem_section);
	kb->mem_section = NULL;
	if (kb->mem_map)
		munmap(kb->mem_map, kb->mem_map_bytes);
	kb->mem_map = NULL;
}

unsigned long kb_next_valid_pfn(const struct kb_instance *kb, unsigned long pfn)
{
	unsigned long sec;

	if (pfn >= kb->max_pfn)
		return kb->max_pfn;
	for (sec = pfn_to_section_nr(pfn); sec < kb->nr_mem_sections; sec++)
		if (valid_section(&kb->mem_section[sec]))
			return KB_MAX(pfn, section_nr_to_pfn(sec));
	return kb->max_pfn;
}

unsigned long kb_valid_range_end(const struct kb_instance *kb, unsigned long s,
				 unsigned long hi)
{
	unsigned long sec = pfn_to_section_nr(s) + 1;

	while (sec < kb->nr_mem_sections && valid_section(&kb->mem_section[sec]) &&
	       section_nr_to_pfn(sec) < hi)
		sec++;
	return KB_MIN(KB_MIN(section_nr_to_pfn(sec), hi), kb->max_pfn);
}

static bool range_sections(const struct kb_instance *kb, unsigned long start,
			   unsigned long end, unsigned long flag)
{
	unsigned long sec;

	if (start >= end || end > kb->max_pfn)
		return false;
	for (sec = pfn_to_section_nr(start); sec <= pfn_to_section_nr(end - 1); sec++)
		if (!(kb->mem_section[sec].section_mem_map & flag))
			return false;
	return true;
}

bool kb_pfn_range_valid(const struct kb_instance *kb, unsigned long start, unsigned long end)
{
	return range_sections(kb, start, end, SECTION_HAS_MEM_MAP);
}

bool kb_pfn_range_online(const struct kb_instance *kb, unsigned long start, unsigned long end)
{
	return range_sections(kb, start, end, SECTION_IS_ONLINE) &&
	       range_sections(kb, start, end, SECTION_HAS_MEM_MAP);
}

unsigned long kb_nr_present_sections(const struct kb_instance *kb)
{
	unsigned long sec, n = 0;

	for (sec = 0; sec < kb->nr_mem_sections; sec++)
		n += present_section(&kb->mem_section[sec]);
	return n;
}

size_t kb_sparse_bytes(const struct kb_instance *kb)
{
	size_t bytes = kb->nr_mem_sections * sizeof(struct mem_section);
	unsigned long sec;

	for (sec = 0; sec < kb->nr_mem_sections; sec++)
		if (valid_section(&kb->mem_section[sec])) {
			uintptr_t start;
			size_t len;

			section_memmap(kb, sec, &start, &len);
			bytes += len + usemap_bytes(kb);
		}
	return bytes;
}
