// SPDX-License-Identifier: GPL-2.0
/*
 * The memory model and boot-time allocations (mm/sparse.c,
 * mm/sparse-vmemmap.c, arch/x86/mm/init_64.c): SPARSEMEM_VMEMMAP, with
 * vmemmap one block of struct pages for every section that has memory and
 * the direct map one block of backing bytes (PAGE_SIZE a page, mapped
 * lazily). Boot allocations of memblock (the memmap, section usage maps)
 * come from the host rather than the machine's memory: kbuddy's layouts
 * describe the memory that is left once the kernel has its own.
 */
#include <kshim/kshim.h>
#include <kshim/runtime.h>
#include <stdlib.h>
#include <sys/mman.h>

struct page *kshim_vmemmap;
char *kshim_direct_map;
unsigned long kshim_nr_pfns;
static size_t direct_map_bytes;
struct mem_section **mem_section;
unsigned long __highest_present_section_nr;

int kshim_memory_init(unsigned long nr_pfns, unsigned int unused)
{
	(void)unused;
	kshim_memory_exit();
	nr_pfns = round_up(nr_pfns, PAGES_PER_SECTION);
	/* the low bits of a section's encoded memmap hold its flags */
	if (posix_memalign((void **)&kshim_vmemmap, 4096, nr_pfns * sizeof(struct page)))
		kshim_vmemmap = NULL;
	direct_map_bytes = nr_pfns * PAGE_SIZE;
	kshim_direct_map = mmap(NULL, direct_map_bytes, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!kshim_vmemmap || kshim_direct_map == MAP_FAILED) {
		kshim_direct_map = NULL;
		return -ENOMEM;
	}
	/* Struct pages that boot leaves alone read as uninitialised poison. */
	memset(kshim_vmemmap, 0xff, nr_pfns * sizeof(struct page));
	mem_section = calloc(NR_SECTION_ROOTS, sizeof(*mem_section));
	if (!mem_section)
		return -ENOMEM;
	kshim_nr_pfns = nr_pfns;
	return 0;
}

void kshim_memory_exit(void)
{
	if (mem_section) {
		for (unsigned long r = 0; r < NR_SECTION_ROOTS; r++) {
			if (!mem_section[r])
				continue;
			for (unsigned long i = 0; i < SECTIONS_PER_ROOT; i++)
				free(mem_section[r][i].usage);
			free(mem_section[r]);
		}
		free(mem_section);
		mem_section = NULL;
	}
	free(kshim_vmemmap);
	kshim_vmemmap = NULL;
	if (kshim_direct_map)
		munmap(kshim_direct_map, direct_map_bytes);
	kshim_direct_map = NULL;
	kshim_nr_pfns = 0;
}

static void *boot_alloc(size_t size, size_t align)
{
	void *p;

	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size ? size : 1))
		return NULL;
	memset(p, 0, size);
	return p;
}

void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid)
{
	(void)min_addr;
	(void)max_addr;
	(void)nid;
	return boot_alloc(size, align);
}

void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				   phys_addr_t max_addr, int nid)
{
	return memblock_alloc_try_nid_raw(size, align, min_addr, max_addr, nid);
}

void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid)
{
	return memblock_alloc_try_nid_raw(size, align, min_addr, max_addr, nid);
}

/* mm/sparse.c: memblocks_present() and sparse_init_nid(), for vmemmap. */
static size_t usage_size(void)
{
	return sizeof(struct mem_section_usage) +
		BITS_TO_LONGS(SECTION_BLOCKFLAGS_BITS) * sizeof(unsigned long);
}

void sparse_init(void)
{
	unsigned long start, end;
	int i, nid;

	for_each_mem_pfn_range(i, MAX_NUMNODES, &start, &end, &nid) {
		for (unsigned long pfn = start & PAGE_SECTION_MASK; pfn < end;
		     pfn += PAGES_PER_SECTION) {
			unsigned long nr = pfn_to_section_nr(pfn);
			unsigned long root = SECTION_NR_TO_ROOT(nr);
			struct mem_section *ms;

			if (pfn >= kshim_nr_pfns)
				kshim_panic("memory at pfn %lx past the memmap", pfn);
			if (!mem_section[root]) {
				mem_section[root] = calloc(SECTIONS_PER_ROOT, sizeof(struct mem_section));
				if (!mem_section[root])
					kshim_panic("no memory for mem_section");
			}
			ms = __nr_to_section(nr);
			if (ms->section_mem_map & SECTION_MARKED_PRESENT)
				continue;
			ms->section_mem_map = ((unsigned long)nid << SECTION_NID_SHIFT) | SECTION_MARKED_PRESENT;
			__highest_present_section_nr = max(__highest_present_section_nr, nr);
			ms->usage = boot_alloc(usage_size(), sizeof(long));
			if (!ms->usage)
				kshim_panic("no memory for a section's usage map");
			/* sparse_init_one_section(), with the vmemmap of the section */
			ms->section_mem_map &= ~SECTION_MAP_MASK;
			ms->section_mem_map |= (unsigned long)(pfn_to_page(pfn) - pfn) |
					       SECTION_HAS_MEM_MAP | SECTION_IS_EARLY;
		}
	}
}

/* mm/sparse-vmemmap.c */
void sparse_init_subsection_map(unsigned long pfn, unsigned long nr_pages)
{
	int end_sec_nr = pfn_to_section_nr(pfn + nr_pages - 1);
	unsigned long nr, start_sec_nr = pfn_to_section_nr(pfn);

	for (nr = start_sec_nr; nr <= (unsigned long)end_sec_nr; nr++) {
		struct mem_section *ms = __nr_to_section(nr);
		unsigned long pfns = min(nr_pages, PAGES_PER_SECTION - (pfn & ~PAGE_SECTION_MASK));
		int idx = subsection_map_index(pfn);
		int end = subsection_map_index(pfn + pfns - 1);

		for (int b = idx; b <= end; b++)
			set_bit(b, ms->usage->subsection_map);
		pfn += pfns;
		nr_pages -= pfns;
	}
}

/* drivers/firmware/efi/unaccepted_memory.c: the machine has no memory
 * left unaccepted by its firmware (a plain, non-TDX/SEV guest). */
bool range_contains_unaccepted_memory(phys_addr_t start, unsigned long size)
{
	(void)start;
	(void)size;
	return false;
}

void accept_memory(phys_addr_t start, unsigned long size)
{
	(void)start;
	(void)size;
}
