/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPARSEMEM_VMEMMAP as x86-64 has it (include/linux/mmzone.h, mm/sparse.c):
 * physical memory in sections of 2^SECTION_SIZE_BITS bytes, a mem_section
 * table with one entry per section, and the struct pages of a section
 * mapped in the virtual memmap only while the section is present. The
 * memmap is one virtual array (pfn_to_page stays vmemmap + pfn): its
 * address space is reserved for every pfn below max_pfn with no access,
 * and a present section's part is made readable and writable. Reading the
 * struct page of a missing section faults (an ASan SEGV report), as
 * touching an unpopulated vmemmap page does in the kernel. The pageblock
 * flags (the usemap) of a section are allocated with it and reached
 * through its mem_section entry, as section_to_usemap() reaches them.
 */
#ifndef KB_SPARSE_H
#define KB_SPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SECTION_SIZE_BITS	27	/* arch/x86/include/asm/sparsemem.h (64-bit) */
#define PFN_SECTION_SHIFT	(SECTION_SIZE_BITS - 12)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)
#define PAGE_SECTION_MASK	(~(PAGES_PER_SECTION - 1))

/* section_mem_map's flag bits (include/linux/mmzone.h) */
#define SECTION_MARKED_PRESENT	(1UL << 0)
#define SECTION_HAS_MEM_MAP	(1UL << 1)
#define SECTION_IS_ONLINE	(1UL << 2)
#define SECTION_IS_EARLY	(1UL << 3)

/*
 * One section. usage holds its pageblock flags, one byte per pageblock
 * (the kernel packs 4 bits; kbuddy keeps the byte it always had);
 * NULL while the section is not present. nid is the node whose memory it
 * holds (the kernel encodes it in section_mem_map before the memmap is
 * set up, sparse_encode_early_nid).
 */
struct mem_section {
	unsigned long section_mem_map;	/* SECTION_* flags */
	uint8_t *usage;
	int nid;
};

static inline unsigned long pfn_to_section_nr(unsigned long pfn)
{
	return pfn >> PFN_SECTION_SHIFT;
}

static inline unsigned long section_nr_to_pfn(unsigned long sec)
{
	return sec << PFN_SECTION_SHIFT;
}

static inline bool present_section(const struct mem_section *ms)
{
	return ms && (ms->section_mem_map & SECTION_MARKED_PRESENT);
}

static inline bool valid_section(const struct mem_section *ms)
{
	return ms && (ms->section_mem_map & SECTION_HAS_MEM_MAP);
}

static inline bool online_section(const struct mem_section *ms)
{
	return ms && (ms->section_mem_map & SECTION_IS_ONLINE);
}

static inline bool early_section(const struct mem_section *ms)
{
	return ms && (ms->section_mem_map & SECTION_IS_EARLY);
}

struct kb_instance;
struct kb_layout;

/*
 * sparse_init for a layout: marks present every section holding memory
 * of some zone (memory_present / memblocks_present), reserves the memmap
 * for [0, max_pfn), maps the present sections' struct pages and
 * allocates their usemaps. 0, or -1 when memory runs out.
 */
int sparse_init(struct kb_instance *kb);
void sparse_free(struct kb_instance *kb);

/*
 * A section whose memmap (and usemap) is mapped: sparse_add_section for
 * hot-added memory, present and valid, not yet online. 0, -EINVAL past
 * the section table, -EEXIST when it is valid already, or -ENOMEM.
 * Unmapping it again is sparse_remove_section (nothing for a section
 * that is not valid).
 */
int sparse_add_section(struct kb_instance *kb, unsigned long sec, int nid);
void sparse_remove_section(struct kb_instance *kb, unsigned long sec);

/* The first valid pfn at or above pfn, or max_pfn when there is none. */
unsigned long kb_next_valid_pfn(const struct kb_instance *kb, unsigned long pfn);

/*
 * Each run [s, e) of valid pfns (present sections, clipped to max_pfn)
 * inside [lo, hi): the loop reads only what is mapped and costs what the
 * present memory costs, not the span.
 */
#define for_each_valid_range(kb, lo, hi, s, e)					\
	for ((s) = kb_next_valid_pfn((kb), (lo));				\
	     (s) < (hi) &&							\
	     ((e) = kb_valid_range_end((kb), (s), (hi)), 1);			\
	     (s) = kb_next_valid_pfn((kb), (e)))

/* The end of the run of valid pfns starting at the valid pfn s, at most hi. */
unsigned long kb_valid_range_end(const struct kb_instance *kb, unsigned long s,
				 unsigned long hi);

/*
 * Every pfn of [start, end) is valid (online too, for the second): no
 * missing section inside, end at most max_pfn. False for an empty range.
 */
bool kb_pfn_range_valid(const struct kb_instance *kb, unsigned long start, unsigned long end);
bool kb_pfn_range_online(const struct kb_instance *kb, unsigned long start, unsigned long end);

/* Present sections of the instance, and the bytes their memmap and usemaps take. */
unsigned long kb_nr_present_sections(const struct kb_instance *kb);
size_t kb_sparse_bytes(const struct kb_instance *kb);

/*
 * An array of elem bytes per pfn below max_pfn in address space that is
 * reserved and zero until written: only the pages a caller writes (those
 * of present sections, when it loops with for_each_valid_range) take
 * memory. kb_pfn_array_free takes what kb_pfn_array_alloc returned.
 */
void *kb_pfn_array_alloc(unsigned long max_pfn, size_t elem);
void kb_pfn_array_free(void *array, unsigned long max_pfn, size_t elem);

#endif /* KB_SPARSE_H */
