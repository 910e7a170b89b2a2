// SPDX-License-Identifier: GPL-2.0
/*
 * The memory model (core/sparse.h): a layout of three sections whose
 * middle one is a hole has no struct pages and no usemap there, costs
 * two sections of memory, boots, compacts, isolates and snapshots without
 * reading the missing section, and refuses ranges across it; the
 * checker's section invariants each fire on the corruption they name.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "kbtest.h"
#include "../core/compaction.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

/* Sections 0 and 2 hold memory; section 1 (pfns 0x8000-0x10000) is a hole. */
static const char sparse_layout[] =
	"node 0 cpus 2\n"
	"zone 0 DMA32 0x1 0x4000\n"
	"zone 0 Normal 0x4000 0x18000\n"
	"hole 0x8000 0x10000\n";

static struct kb_instance *boot(void)
{
	struct kb_options opt = { .check_level = 2, .back_with_memory = true,
				  .backing_bytes = 64 };
	struct kb_layout l;
	char err[160];
	struct kb_instance *kb;

	if (kb_layout_parse_text(sparse_layout, sizeof(sparse_layout) - 1, &l, err, sizeof(err))) {
		KBTEST_FAIL("layout: %s", err);
		return NULL;
	}
	kb = kb_create(&l, &opt, err, sizeof(err));
	if (!kb)
		KBTEST_FAIL("boot: %s", err);
	return kb;
}

/* The first violation of a full sweep, or "" when it is clean. */
static const char *sweep(struct kb_instance *kb, struct kb_violation *v)
{
	struct kb_shadow *sh = kb_shadow_create(kb);
	const char *name = "";

	if (sh && kb_check_full(kb, sh, v))
		name = v->invariant;
	kb_shadow_destroy(sh);
	return name;
}

TEST(sections_of_a_sparse_layout)
{
	struct kb_instance *kb = boot();
	struct zone *normal;
	struct kb_violation v;

	ASSERT_TRUE(kb != NULL);
	EXPECT_EQ(kb->nr_mem_sections, 3);
	EXPECT_EQ(kb_nr_present_sections(kb), 2);
	EXPECT_TRUE(valid_section(&kb->mem_section[0]) && online_section(&kb->mem_section[0]));
	EXPECT_TRUE(!present_section(&kb->mem_section[1]) && !kb->mem_section[1].usage);
	EXPECT_TRUE(pfn_valid(kb, 0x7fff));
	EXPECT_TRUE(!pfn_valid(kb, 0x8000) && !pfn_valid(kb, 0xffff));
	EXPECT_TRUE(pfn_valid(kb, 0x10000) && !pfn_valid(kb, 0x18000));
	EXPECT_TRUE(pfn_to_online_page(kb, 0x9000) == NULL);
	EXPECT_EQ(kb_next_valid_pfn(kb, 0x8000), 0x10000);
	EXPECT_EQ(kb_valid_range_end(kb, 0x100, 0x18000), 0x8000);
	EXPECT_EQ(kb_pageblock_migratetype(kb, 0x8000), -1);
	/* two sections of struct pages and usemaps, and the table */
	EXPECT_EQ(kb_sparse_bytes(kb), 2 * (PAGES_PER_SECTION * sizeof(struct page) +
					    (PAGES_PER_SECTION >> kb->pageblock_order)) +
				       3 * sizeof(struct mem_section));
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	EXPECT_EQ(normal->spanned_pages, 0x14000);
	EXPECT_EQ(normal->present_pages, 0xc000);
	EXPECT_STREQ(sweep(kb, &v), "");
	kb_destroy(kb);
}

/*
 * A zone whose last page is the first of a section: memblocks_present
 * adds every section from the zone's first pfn to its last, so section 1
 * is there for that one page, which boots free.
 */
TEST(zone_ending_one_page_into_a_section)
{
	static const char text[] = "node 0 cpus 1\nzone 0 Normal 0x1 0x8001\n";
	struct kb_instance *kb;
	struct kb_layout l;
	struct zone *normal;
	char err[160];

	ASSERT_EQ(kb_layout_parse_text(text, sizeof(text) - 1, &l, err, sizeof(err)), 0);
	kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	if (!kb)
		KBTEST_FAIL("boot: %s", err);
	ASSERT_TRUE(kb != NULL);
	EXPECT_EQ(kb->nr_mem_sections, 2);
	EXPECT_EQ(kb_nr_present_sections(kb), 2);
	EXPECT_TRUE(valid_section(&kb->mem_section[1]) && online_section(&kb->mem_section[1]));
	EXPECT_TRUE(pfn_valid(kb, 0x8000));
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	EXPECT_EQ(normal->present_pages, 0x8000);
	EXPECT_TRUE(PageBuddy(pfn_to_page(kb, 0x8000)));
	kb_destroy(kb);
}

/* A read of a missing section's struct page in a child: it must die. */
static void read_missing_page(void)
{
	struct kb_instance *kb = boot();
	volatile uint32_t flags = kb ? kb->mem_map[0x9000].flags : 0;

	(void)flags;
}

TEST(missing_section_memmap_faults)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		/* ASan's report of the fault is not this test's output */
		close(2);
		read_missing_page();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	EXPECT_TRUE(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
}

TEST(ranges_across_a_missing_section)
{
	struct kb_instance *kb = boot();
	struct zone *normal;
	struct kb_violation v;
	struct page *page;
	int err = 0;

	ASSERT_TRUE(kb != NULL);
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	/* isolation and contiguous ranges refuse a range with a hole of sections */
	EXPECT_EQ(kb_alloc_contig_range(kb, 0x7e00, 0x10200, false, GFP_KERNEL), -EINVAL);
	EXPECT_EQ(kb_start_isolate_page_range(kb, 0x8000, 0x8200, KB_ISOLATE_OTHER), -EINVAL);
	EXPECT_EQ(kb_test_pages_isolated(kb, 0x7e00, 0x10200, KB_ISOLATE_MEM_OFFLINE), -EINVAL);
	EXPECT_EQ(kb_undo_isolate_page_range(kb, 0x4000, 0x18000), 0);
	/* alloc_contig_pages steps over it: a range of 0x1000 pages is found */
	page = kb_alloc_contig_pages(kb, 0x1000, GFP_KERNEL, 0, &err);
	ASSERT_TRUE(page != NULL);
	EXPECT_TRUE(pfn_valid(kb, kb_page_to_pfn(kb, page)));
	kb_free_contig_range(kb, kb_page_to_pfn(kb, page), 0x1000);
	/* a whole-zone compaction walks the zone's span, hole and all */
	kb_compact_zone(kb, normal, -1);
	EXPECT_STREQ(sweep(kb, &v), "");
	kb_destroy(kb);
}

TEST(snapshot_of_a_sparse_layout)
{
	struct kb_instance *kb = boot();
	struct page *pages[64];
	unsigned int i;

	ASSERT_TRUE(kb != NULL);
	ASSERT_EQ(kb_snapshot_take(kb), 0);
	for (i = 0; i < 64; i++)
		pages[i] = kb_alloc_pages(kb, GFP_KERNEL, i % 4, -1, NULL);
	kb_set_cpu(kb, 1);
	for (i = 0; i < 64; i += 2)
		if (pages[i])
			kb_free_pages(kb, pages[i], i % 4);
	EXPECT_TRUE(!kb_snapshot_matches(kb));
	kb_snapshot_restore(kb);
	EXPECT_TRUE(kb_snapshot_matches(kb));
	kb_destroy(kb);
}

/*
 * Hot-add's memmap step (sparse_add_section): a missing section gets
 * struct pages and a usemap, is valid but neither online nor early, and
 * cannot be added twice; sparse_remove_section takes it away again.
 */
TEST(section_added_and_removed)
{
	struct kb_instance *kb = boot();
	struct mem_section *ms;

	ASSERT_TRUE(kb != NULL);
	ms = &kb->mem_section[1];
	EXPECT_EQ(sparse_add_section(kb, 3, 0), -EINVAL);
	EXPECT_EQ(sparse_add_section(kb, 0, 0), -EEXIST);
	ASSERT_EQ(sparse_add_section(kb, 1, 0), 0);
	EXPECT_TRUE(present_section(ms) && valid_section(ms) && ms->usage != NULL);
	EXPECT_TRUE(!online_section(ms) && !early_section(ms));
	EXPECT_EQ(kb_nr_present_sections(kb), 3);
	EXPECT_TRUE(pfn_valid(kb, 0x8000) && pfn_valid(kb, 0xffff));
	/* not online: pfn walkers still skip it */
	EXPECT_TRUE(pfn_to_online_page(kb, 0x9000) == NULL);
	/* its struct pages are mapped and zeroed */
	EXPECT_EQ(kb->mem_map[0x9000].flags, 0);
	kb->mem_map[0x9000].flags = 1;
	EXPECT_EQ(sparse_add_section(kb, 1, 0), -EEXIST);

	sparse_remove_section(kb, 1);
	EXPECT_TRUE(!present_section(ms) && !valid_section(ms) && ms->usage == NULL);
	EXPECT_TRUE(!pfn_valid(kb, 0x8000));
	EXPECT_EQ(kb_nr_present_sections(kb), 2);
	/* removing a missing or out-of-range section changes nothing */
	sparse_remove_section(kb, 1);
	sparse_remove_section(kb, 3);
	EXPECT_EQ(kb_nr_present_sections(kb), 2);
	/* added again, its struct pages start zeroed: the old ones went back */
	ASSERT_EQ(sparse_add_section(kb, 1, 0), 0);
	EXPECT_EQ(kb->mem_map[0x9000].flags, 0);
	sparse_remove_section(kb, 1);
	kb_destroy(kb);
}

/* ---- the checker's section invariants ---- */

TEST(section_present_missing_section_marked_present)
{
	struct kb_instance *kb = boot();
	struct kb_violation v;

	ASSERT_TRUE(kb != NULL);
	kb->mem_section[1].section_mem_map = SECTION_MARKED_PRESENT;
	EXPECT_STREQ(sweep(kb, &v), "section-present");
	kb->mem_section[1].section_mem_map = 0;
	kb->mem_section[2].nid = 1;
	EXPECT_STREQ(sweep(kb, &v), "section-present");
	kb->mem_section[2].nid = 0;
	kb->mem_section[2].section_mem_map &= ~SECTION_IS_ONLINE;
	EXPECT_STREQ(sweep(kb, &v), "section-present");
	kb->mem_section[2].section_mem_map |= SECTION_IS_ONLINE;
	EXPECT_STREQ(sweep(kb, &v), "");
	kb_destroy(kb);
}

TEST(section_usemap_flags_and_bits)
{
	struct kb_instance *kb = boot();
	struct kb_violation v;

	ASSERT_TRUE(kb != NULL);
	/* online without a memmap */
	kb->mem_section[1].section_mem_map = SECTION_IS_ONLINE;
	EXPECT_STREQ(sweep(kb, &v), "section-usemap");
	kb->mem_section[1].section_mem_map = 0;
	/* a pageblock flag bit nothing defines */
	kb->mem_section[2].usage[3] |= 0x80;
	EXPECT_STREQ(sweep(kb, &v), "section-usemap");
	kb->mem_section[2].usage[3] &= 0x7f;
	EXPECT_STREQ(sweep(kb, &v), "");
	kb_destroy(kb);
}

TEST(section_page_list_entry_in_missing_section)
{
	struct kb_instance *kb = boot();
	struct zone *normal;
	struct list_head *head = NULL, *saved;
	struct kb_violation v;

	ASSERT_TRUE(kb != NULL);
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	for (int mt = 0; mt < MIGRATE_TYPES && !head; mt++)
		if (!list_empty(&normal->free_area[kb->max_order].free_list[mt]))
			head = &normal->free_area[kb->max_order].free_list[mt];
	ASSERT_TRUE(head != NULL);
	/* the walk computes the pfn from the pointer: it must not read the page */
	saved = head->next;
	head->next = &kb->mem_map[0x9000].lru;
	EXPECT_STREQ(sweep(kb, &v), "section-page");
	head->next = saved;
	EXPECT_STREQ(sweep(kb, &v), "");
	kb_destroy(kb);
}

TEST(section_page_lru_entry_in_missing_section)
{
	struct kb_instance *kb = boot();
	struct list_head *head;
	struct kb_violation v;

	ASSERT_TRUE(kb != NULL);
	head = &kb->node_data[0].__lruvec.lists[LRU_INACTIVE_FILE];
	ASSERT_TRUE(list_empty(head));
	/* as for free lists: the pfn comes from the pointer, the page is not read */
	head->next = &kb->mem_map[0x9000].lru;
	EXPECT_STREQ(sweep(kb, &v), "section-page");
	head->next = head;
	EXPECT_STREQ(sweep(kb, &v), "");
	kb_destroy(kb);
}

TEST(section_page_allocation_in_missing_section)
{
	struct kb_instance *kb = boot();
	struct kb_shadow *sh;
	struct kb_violation v;

	ASSERT_TRUE(kb != NULL);
	sh = kb_shadow_create(kb);
	ASSERT_TRUE(sh != NULL);
	/* the allocator "returned" a block of the hole */
	EXPECT_EQ(kb_shadow_alloc(sh, kb, 0x9000, 3, GFP_KERNEL, 1, &v), 1);
	EXPECT_STREQ(v.invariant, "section-page");
	/* a caller freeing such a pfn is stopped before the allocator sees it */
	EXPECT_EQ(kb_shadow_free(sh, kb, 0x9000, 0, &v), 1);
	EXPECT_STREQ(v.invariant, "api-free-reserved");
	kb_shadow_destroy(sh);
	kb_destroy(kb);
}

TEST(section_free_block_reaches_missing_section)
{
	struct kb_instance *kb = boot();
	struct zone *normal;
	struct page *old, *moved;
	struct kb_violation v;
	int mt;

	ASSERT_TRUE(kb != NULL);
	normal = kb_zone(kb, 0, ZONE_NORMAL);
	/* section 0 ends with a free MAX_PAGE_ORDER block at 0x7c00 */
	old = pfn_to_page(kb, 0x8000 - (1UL << kb->max_order));
	ASSERT_TRUE(PageBuddy(old) && buddy_order(old) == kb->max_order);
	mt = get_pfnblock_migratetype(kb, 0x7c00);
	/* its head moved half a block up: the block now ends in the hole */
	moved = pfn_to_page(kb, 0x7e00);
	list_del(&old->lru);
	ClearPageBuddy(old);
	SetPageBuddy(moved);
	set_page_private(moved, kb->max_order);
	list_add(&moved->lru, &normal->free_area[kb->max_order].free_list[mt]);
	EXPECT_STREQ(sweep(kb, &v), "section-free-block");
	kb_destroy(kb);
}

TEST_MAIN()
