/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Corruption tests for the full sweep: each test builds a healthy instance,
 * breaks exactly one thing the way an allocator bug would, and expects the
 * sweep to name the invariant that covers it.
 */
#include "test_checker_fixture.h"
#include "compaction.h"
#include "incremental.h"

static int other_type(int mt)
{
	return mt == MIGRATE_RECLAIMABLE ? MIGRATE_UNMOVABLE : MIGRATE_RECLAIMABLE;
}

/*
 * A type a free block of a normal pageblock may not be listed under: any
 * other since 6.10's freelist hygiene, only a type that never mixes with
 * the normal ones before it (KB_FREELIST_HYGIENE, where the other normal
 * types are fine, and in 6.1 and 6.6 highatomic too: kb_list_type_mixes).
 */
static int wrong_list_type(int mt)
{
	return KB_FREELIST_HYGIENE ? other_type(mt) : MIGRATE_CMA;
}

static void set_stored_type(struct kb_instance *kb, unsigned long pfn, int mt)
{
	uint8_t *fl = pfnblock_flags(kb, pfn);

	*fl = (uint8_t)((*fl & ~PB_MIGRATETYPE_MASK) | (unsigned int)mt);
}

TEST(healthy_fixture_passes)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	EXPECT_HEALTHY(&f);
	/* the sweep changes nothing: a second run agrees */
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

/* ---- list-integrity ---- */

TEST(list_integrity_broken_prev)
{
	struct fx f;
	struct list_head *h, *saved;

	if (fx_setup(&f))
		return;
	h = fx_long_free_list(&f);
	ASSERT_TRUE(h);
	saved = h->next->next->prev;
	h->next->next->prev = h;
	EXPECT_VIOLATION(&f, "list-integrity");
	h->next->next->prev = saved;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(list_integrity_wild_next)
{
	struct fx f;
	struct list_head *h, *saved;

	if (fx_setup(&f))
		return;
	h = fx_long_free_list(&f);
	ASSERT_TRUE(h);
	saved = h->next->next;
	h->next->next = LIST_POISON1;
	EXPECT_VIOLATION(&f, "list-integrity");
	h->next->next = NULL;
	EXPECT_VIOLATION(&f, "list-integrity");
	h->next->next = saved;
	fx_teardown(&f);
}

/*
 * Makes the first two entries of list h a cycle (first -> second -> first,
 * prev links consistent); returns what second->next was, for uncycle().
 */
static struct list_head *cycle_first_two(struct list_head *h)
{
	struct list_head *first = h->next, *saved = first->next->next;

	first->next->next = first;
	first->prev = first->next;
	return saved;
}

static void uncycle(struct list_head *h, struct list_head *saved)
{
	struct list_head *first = h->next;

	first->prev = h;
	first->next->next = saved;
}

TEST(list_integrity_cycle)
{
	struct fx f;
	struct list_head *h, *saved;

	if (fx_setup(&f))
		return;
	h = fx_long_free_list(&f);
	ASSERT_TRUE(h);
	saved = cycle_first_two(h);
	EXPECT_VIOLATION(&f, "list-integrity");
	uncycle(h, saved);
	fx_teardown(&f);
}

/*
 * The incremental check counts the lists when it begins: a cycle must
 * not make it count forever. It leaves the lists to the sweep, which
 * names the cycle.
 */
TEST(list_integrity_cycle_incremental)
{
	struct fx f;
	struct list_head *h, *saved;
	struct kb_incremental *ic;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	ic = kb_incremental_create();
	ASSERT_TRUE(ic);
	h = fx_long_free_list(&f);
	ASSERT_TRUE(h);
	saved = cycle_first_two(h);
	kb_incremental_begin(ic, f.kb);
	EXPECT_TRUE(kb_check_touched(ic, f.kb, f.sh, &v) != 0);
	EXPECT_STREQ(v.invariant, "list-integrity");
	uncycle(h, saved);
	kb_incremental_destroy(ic);
	fx_teardown(&f);
}

TEST(list_integrity_entry_outside_mem_map)
{
	static struct page stray;
	struct fx f;
	struct list_head *h;

	if (fx_setup(&f))
		return;
	h = fx_long_free_list(&f);
	ASSERT_TRUE(h);
	list_add_tail(&stray.lru, h);
	EXPECT_VIOLATION(&f, "list-integrity");
	list_del(&stray.lru);
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(list_integrity_pcp_page_of_other_zone)
{
	struct fx f;
	struct pcpage p;
	struct zone *other;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	other = &f.kb->node_data[0].node_zones[p.zid == ZONE_DMA ? ZONE_DMA32 : ZONE_DMA];
	list_move(&p.page->lru, &other->per_cpu_pageset[0].lists[p.pindex]);
	EXPECT_VIOLATION(&f, "list-integrity");
	fx_teardown(&f);
}

/* ---- buddy-flag ---- */

TEST(buddy_flag_head_without_pg_buddy)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	ClearPageBuddy(b.page);
	EXPECT_VIOLATION(&f, "buddy-flag");
	SetPageBuddy(b.page);
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(buddy_flag_wrong_private)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	set_page_private(b.page, b.order + 1);
	EXPECT_VIOLATION(&f, "buddy-flag");
	fx_teardown(&f);
}

TEST(buddy_flag_inside_free_block)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, 12, false, &b));
	SetPageBuddy(b.page + 1);
	EXPECT_VIOLATION(&f, "buddy-flag");
	fx_teardown(&f);
}

TEST(buddy_flag_stray_on_reserved_page)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	/* pfn 0 lies outside every zone of the default layout */
	SetPageBuddy(kb_pfn_to_page(f.kb, 0));
	EXPECT_VIOLATION(&f, "buddy-flag");
	fx_teardown(&f);
}

TEST(buddy_flag_page_on_two_lists)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, 12, false, &b));
	/* also linked onto an order-0 list of its zone, which is walked first */
	list_add(&b.page->lru, &b.zone->free_area[0].free_list[MIGRATE_UNMOVABLE]);
	EXPECT_VIOLATION(&f, "buddy-flag");
	fx_teardown(&f);
}

/* ---- order-alignment ---- */

TEST(order_alignment_free_block)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	/* an upper buddy moved one order up is misaligned there */
	ASSERT_TRUE(fx_free_block(&f, 0, f.kb->max_order - 1, true, &b));
	list_move(&b.page->lru, &b.zone->free_area[b.order + 1].free_list[b.mt]);
	set_page_private(b.page, b.order + 1);
	EXPECT_VIOLATION(&f, "order-alignment");
	fx_teardown(&f);
}

TEST(order_alignment_pcp_page)
{
	struct fx f;
	struct pcpage p;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, true, &p));
	list_move(&p.page->lru, &p.pcp->lists[p.pindex + MIGRATE_PCPTYPES]);
	p.pcp->count += 1;
	EXPECT_VIOLATION(&f, "order-alignment");
	fx_teardown(&f);
}

/* ---- block-boundary ---- */

TEST(block_boundary_reserved_inside_free_block)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, 12, false, &b));
	SetPageReserved(b.page + (1UL << b.order) - 1);
	EXPECT_VIOLATION(&f, "block-boundary");
	fx_teardown(&f);
}

TEST(block_boundary_reserved_pcp_page)
{
	struct fx f;
	struct pcpage p;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	SetPageReserved(p.page);
	EXPECT_VIOLATION(&f, "block-boundary");
	fx_teardown(&f);
}

TEST(block_boundary_crosses_zone_end)
{
	struct fx f;
	struct fblock b;
	unsigned long top = 0;
	struct page *top_page = NULL;
	unsigned int top_order = 0;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	/* the highest free-list head of the zone, pcp pages included */
	for (unsigned int o = 0; o <= f.kb->max_order; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *pos;

			list_for_each(pos, &b.zone->free_area[o].free_list[mt]) {
				struct page *pg = list_entry(pos, struct page, lru);

				if (kb_page_to_pfn(f.kb, pg) >= top) {
					top = kb_page_to_pfn(f.kb, pg);
					top_page = pg;
					top_order = o;
				}
			}
		}
	for (int cpu = 0; cpu < f.kb->nr_cpu_ids; cpu++)
		for (unsigned int pi = 0; pi < NR_PCP_LISTS; pi++) {
			struct list_head *pos;

			list_for_each(pos, &b.zone->per_cpu_pageset[cpu].lists[pi])
				ASSERT_TRUE(kb_page_to_pfn(f.kb, list_entry(pos, struct page, lru)) < top);
		}
	ASSERT_TRUE(top_page && top_order > 0);
	/* shrink the span so that block's head stays inside but its end does not */
	b.zone->spanned_pages = top + 1 - b.zone->zone_start_pfn;
	EXPECT_VIOLATION(&f, "block-boundary");
	fx_teardown(&f);
}

/* ---- free-page-state ---- */

TEST(free_page_state_refcount)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, 12, false, &b));
	set_page_count(b.page + 1, 1);
	EXPECT_VIOLATION(&f, "free-page-state");
	fx_teardown(&f);
}

TEST(free_page_state_head_flag)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	SetPageHead(b.page);
	EXPECT_VIOLATION(&f, "free-page-state");
	fx_teardown(&f);
}

/* ---- list-type, large-block-type ---- */

TEST(list_type_retyped_pageblock)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, f.kb->pageblock_order - 1, false, &b));
	if (!KB_FREELIST_HYGIENE) {
		/* before 6.10: another normal type's list is a legitimate state */
		set_stored_type(f.kb, b.pfn, other_type(b.mt));
		EXPECT_HEALTHY(&f);
	}
	set_stored_type(f.kb, b.pfn, wrong_list_type(b.mt));
	EXPECT_VIOLATION(&f, "list-type");
	set_stored_type(f.kb, b.pfn, b.mt);
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(list_type_isolated_pageblock)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, f.kb->pageblock_order - 1, false, &b));
	*pfnblock_flags(f.kb, b.pfn) |= PB_migrate_isolate;
	EXPECT_VIOLATION(&f, "list-type");
	fx_teardown(&f);
}

TEST(large_block_type_second_pageblock)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, f.kb->pageblock_order + 1, 12, false, &b));
	set_stored_type(f.kb, b.pfn + f.kb->pageblock_nr_pages, wrong_list_type(b.mt));
	EXPECT_VIOLATION(&f, "large-block-type");
	fx_teardown(&f);
}

/* ---- fully-merged ---- */

/*
 * Splits free block b into its two halves on the next lower order, with
 * every counter kept right: exactly what a missed merge leaves behind.
 */
static void split_free_block(struct fx *f, struct fblock *b, int upper_mt)
{
	unsigned int lo = b->order - 1;
	struct page *upper = b->page + (1UL << lo);

	list_del(&b->page->lru);
	b->zone->free_area[b->order].nr_free--;
	set_page_private(b->page, lo);
	list_add(&b->page->lru, &b->zone->free_area[lo].free_list[b->mt]);
	SetPageBuddy(upper);
	set_page_private(upper, lo);
	list_add(&upper->lru, &b->zone->free_area[lo].free_list[upper_mt]);
	b->zone->free_area[lo].nr_free += 2;
	(void)f;
}

TEST(fully_merged_below_pageblock)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, f.kb->pageblock_order - 1, false, &b));
	split_free_block(&f, &b, b.mt);
	EXPECT_VIOLATION(&f, "fully-merged");
	fx_teardown(&f);
}

TEST(fully_merged_at_pageblock_order)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, f.kb->pageblock_order + 1, f.kb->pageblock_order + 1,
				  false, &b));
	split_free_block(&f, &b, b.mt);
	EXPECT_VIOLATION(&f, "fully-merged");
	fx_teardown(&f);
}

/* unreserve_highatomic_pageblock retypes without merging: the kernel's state too */
TEST(fully_merged_allows_pageblocks_apart_after_unreserve)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, f.kb->pageblock_order + 1, f.kb->pageblock_order + 1,
				  false, &b));
	split_free_block(&f, &b, b.mt);
	f.kb->vm_events[HIGHATOMIC_UNRESERVE]++;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(fully_merged_allows_cma_next_to_movable)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, f.kb->pageblock_order + 1, f.kb->pageblock_order + 1,
				  false, &b));
	ASSERT_TRUE(migratetype_is_mergeable(b.mt));
	/* the upper pageblock becomes CMA: the halves may not merge */
	split_free_block(&f, &b, MIGRATE_CMA);
	set_stored_type(f.kb, b.pfn + f.kb->pageblock_nr_pages, MIGRATE_CMA);
	b.zone->vm_stat[NR_FREE_CMA_PAGES] += (long)f.kb->pageblock_nr_pages;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(fully_merged_allows_isolated_halves)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, f.kb->pageblock_order + 1, f.kb->pageblock_order + 1,
				  false, &b));
	/* both pageblocks isolated: they stay apart until unisolation */
	split_free_block(&f, &b, MIGRATE_ISOLATE);
	list_move(&b.page->lru, &b.zone->free_area[b.order - 1].free_list[MIGRATE_ISOLATE]);
	*pfnblock_flags(f.kb, b.pfn) |= PB_migrate_isolate;
	*pfnblock_flags(f.kb, b.pfn + f.kb->pageblock_nr_pages) |= PB_migrate_isolate;
	b.zone->vm_stat[NR_FREE_PAGES] -= 2L * (long)f.kb->pageblock_nr_pages;
	b.zone->nr_isolate_pageblock += 2;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

/* ---- free-overlap ---- */

TEST(free_overlap_shadow_allocation_on_free_block)
{
	struct fx f;
	struct fblock b;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 3, false, &b));
	ASSERT_EQ(kb_shadow_alloc(f.sh, f.kb, b.pfn, b.order, GFP_KERNEL, 100, &v), 0);
	EXPECT_VIOLATION(&f, "free-overlap");
	fx_teardown(&f);
}

TEST(free_overlap_shadow_allocation_on_pcp_page)
{
	struct fx f;
	struct pcpage p;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	ASSERT_EQ(kb_shadow_alloc(f.sh, f.kb, p.pfn, 0, GFP_KERNEL, 100, &v), 0);
	EXPECT_VIOLATION(&f, "free-overlap");
	fx_teardown(&f);
}

TEST(free_overlap_pcp_page_inside_free_block)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, 12, false, &b));
	list_add(&b.page[1].lru, &b.zone->per_cpu_pageset[0].lists[MIGRATE_MOVABLE]);
	b.zone->per_cpu_pageset[0].count += 1;
	EXPECT_VIOLATION(&f, "free-overlap");
	fx_teardown(&f);
}

/* ---- pcp-page-state ---- */

TEST(pcp_page_state_refcount)
{
	struct fx f;
	struct pcpage p;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	set_page_count(p.page, 1);
	EXPECT_VIOLATION(&f, "pcp-page-state");
	fx_teardown(&f);
}

TEST(pcp_page_state_pg_buddy)
{
	struct fx f;
	struct pcpage p;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	SetPageBuddy(p.page);
	set_page_private(p.page, 0);
	EXPECT_VIOLATION(&f, "pcp-page-state");
	fx_teardown(&f);
}

/* ---- counters ---- */

TEST(counter_negative_vmstat)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_NORMAL].vm_stat[NR_FREE_PAGES] = -1;
	EXPECT_VIOLATION(&f, "counter-negative");
	fx_teardown(&f);
}

TEST(counter_negative_nr_free)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	b.zone->free_area[b.order].nr_free = (unsigned long)-3L;
	EXPECT_VIOLATION(&f, "counter-negative");
	fx_teardown(&f);
}

TEST(counter_negative_pcp_count)
{
	struct fx f;
	struct pcpage p;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	p.pcp->count = -1;
	EXPECT_VIOLATION(&f, "counter-negative");
	fx_teardown(&f);
}

TEST(counter_negative_reserved_highatomic)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_DMA32].nr_reserved_highatomic = (unsigned long)-512L;
	EXPECT_VIOLATION(&f, "counter-negative");
	fx_teardown(&f);
}

TEST(nr_free_decremented)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	b.zone->free_area[b.order].nr_free--;
	EXPECT_VIOLATION(&f, "nr-free");
	fx_teardown(&f);
}

TEST(vmstat_free_pages_bumped)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 0, 12, false, &b));
	b.zone->vm_stat[NR_FREE_PAGES] += 1;
	EXPECT_VIOLATION(&f, "vmstat-free-pages");
	fx_teardown(&f);
}

TEST(vmstat_free_pages_counts_isolated)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	/* a block moved to the ISOLATE list without leaving NR_FREE_PAGES */
	ASSERT_TRUE(fx_free_block(&f, 0, f.kb->pageblock_order - 1, false, &b));
	*pfnblock_flags(f.kb, b.pfn) |= PB_migrate_isolate;
	for (unsigned int o = 0; o < f.kb->pageblock_order; o++)
		for (int mt = 0; mt < MIGRATE_ISOLATE; mt++) {
			struct list_head *pos, *next;

			for (pos = b.zone->free_area[o].free_list[mt].next;
			     pos != &b.zone->free_area[o].free_list[mt]; pos = next) {
				struct page *pg = list_entry(pos, struct page, lru);

				next = pos->next;
				if (pageblock_start_pfn(f.kb, kb_page_to_pfn(f.kb, pg)) ==
				    pageblock_start_pfn(f.kb, b.pfn))
					list_move(pos, &b.zone->free_area[o].free_list[MIGRATE_ISOLATE]);
			}
		}
	EXPECT_VIOLATION(&f, "vmstat-free-pages");
	fx_teardown(&f);
}

TEST(vmstat_free_cma_bumped)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_NORMAL].vm_stat[NR_FREE_CMA_PAGES] += 8;
	EXPECT_VIOLATION(&f, "vmstat-free-cma");
	fx_teardown(&f);
}

TEST(highatomic_free_bumped)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_NORMAL].nr_free_highatomic += 1;
	EXPECT_VIOLATION(&f, "highatomic-free");
	fx_teardown(&f);
}

TEST(highatomic_reserved_counter_without_block)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_NORMAL].nr_reserved_highatomic +=
		f.kb->pageblock_nr_pages;
	EXPECT_VIOLATION(&f, "highatomic-reserved");
	fx_teardown(&f);
}

TEST(isolate_count_bumped)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_NORMAL].nr_isolate_pageblock++;
	EXPECT_VIOLATION(&f, "isolate-count");
	f.kb->node_data[0].node_zones[ZONE_NORMAL].nr_isolate_pageblock--;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(isolate_bit_without_count)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	/* a whole pageblock allocated: no free page in it to move */
	h = fx_alloc(&f, GFP_KERNEL, f.kb->pageblock_order, 0);
	ASSERT_TRUE(h);
	*pfnblock_flags(f.kb, f.pfn[h]) |= PB_migrate_isolate;
	EXPECT_VIOLATION(&f, "isolate-count");
	fx_teardown(&f);
}

TEST(highatomic_reserved_block_without_counter)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	/* a whole pageblock allocated: no free page in it to move */
	h = fx_alloc(&f, GFP_KERNEL, f.kb->pageblock_order, 0);
	ASSERT_TRUE(h);
	EXPECT_HEALTHY(&f);
	set_stored_type(f.kb, f.pfn[h], MIGRATE_HIGHATOMIC);
	EXPECT_VIOLATION(&f, "highatomic-reserved");
	fx_teardown(&f);
}

TEST(highatomic_cap_zone_too_small)
{
	struct fx f;
	unsigned int h;
	struct zone *zone;

	if (fx_setup(&f))
		return;
	h = fx_alloc(&f, GFP_KERNEL, f.kb->pageblock_order, 0);
	ASSERT_TRUE(h);
	zone = kb_page_zone(f.kb, kb_pfn_to_page(f.kb, f.pfn[h]));
	ASSERT_TRUE(zone->managed_pages / 100 < f.kb->pageblock_nr_pages);
	set_stored_type(f.kb, f.pfn[h], MIGRATE_HIGHATOMIC);
	zone->nr_reserved_highatomic = f.kb->pageblock_nr_pages;
	/* before 6.7 a small zone may hold a reserve (KB_HIGHATOMIC_CAP_ALIGNED) */
	if (KB_HIGHATOMIC_CAP_ALIGNED)
		EXPECT_VIOLATION(&f, "highatomic-cap");
	else
		EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(highatomic_cap_large_zone)
{
	struct kb_layout layout;
	struct fx f;
	struct zone *zone;
	unsigned long cap, pbnr;
	unsigned int h[8];

	kb_layout_default(&layout);
	layout.node[0].zone[ZONE_NORMAL].end = 12288 + 131072;
	if (fx_create(&f, &layout))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_NORMAL];
	pbnr = f.kb->pageblock_nr_pages;
	ASSERT_TRUE(zone->managed_pages / 100 >= pbnr);
	/* the reserve's limit: 1% of the zone, before 6.7 plus a pageblock */
	cap = zone->managed_pages / 100 + (KB_HIGHATOMIC_CAP_ALIGNED ? 0 : pbnr);
	cap = ((cap + pbnr - 1) & ~(pbnr - 1)) + (1UL << f.kb->max_order) - pbnr;
	ASSERT_TRUE(cap / pbnr + 1 <= 8);
	for (unsigned int i = 0; i <= cap / pbnr; i++) {
		h[i] = fx_alloc(&f, GFP_KERNEL, f.kb->pageblock_order, 0);
		ASSERT_TRUE(h[i]);
		ASSERT_TRUE(kb_page_zone(f.kb, kb_pfn_to_page(f.kb, f.pfn[h[i]])) == zone);
	}
	/* exactly at the cap: allowed */
	for (unsigned int i = 0; i < cap / pbnr; i++)
		set_stored_type(f.kb, f.pfn[h[i]], MIGRATE_HIGHATOMIC);
	zone->nr_reserved_highatomic = cap;
	EXPECT_HEALTHY(&f);
	/* one pageblock more: over it */
	set_stored_type(f.kb, f.pfn[h[cap / pbnr]], MIGRATE_HIGHATOMIC);
	zone->nr_reserved_highatomic = cap + pbnr;
	EXPECT_VIOLATION(&f, "highatomic-cap");
	fx_teardown(&f);
}

TEST(pcp_count_bumped)
{
	struct fx f;
	struct pcpage p;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	p.pcp->count += 1;
	EXPECT_VIOLATION(&f, "pcp-count");
	fx_teardown(&f);
}

TEST(pcp_count_fake_pcp_page)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	/* a free order-0 block moved onto a pcp list without counting it */
	ASSERT_TRUE(fx_free_block(&f, 0, 0, false, &b));
	list_del(&b.page->lru);
	ClearPageBuddy(b.page);
	b.zone->free_area[0].nr_free--;
	if (b.mt != MIGRATE_ISOLATE)
		b.zone->vm_stat[NR_FREE_PAGES]--;
	list_add(&b.page->lru, &b.zone->per_cpu_pageset[0].lists[MIGRATE_UNMOVABLE]);
	EXPECT_VIOLATION(&f, "pcp-count");
	fx_teardown(&f);
}

TEST(pcp_disabled_with_pages)
{
	struct fx f;
	struct pcpage p;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_pcp_page(&f, false, &p));
	p.zone->pcp_disabled = 1;
	EXPECT_VIOLATION(&f, "pcp-disabled-empty");
	p.zone->pcp_disabled = 0;
	fx_teardown(&f);
}

TEST(managed_pages_bumped)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_DMA32].managed_pages += 1;
	EXPECT_VIOLATION(&f, "managed-pages");
	fx_teardown(&f);
}

TEST(managed_pages_present_bumped)
{
	struct fx f;

	if (fx_setup(&f))
		return;
	f.kb->node_data[0].node_zones[ZONE_NORMAL].present_pages += 1;
	EXPECT_VIOLATION(&f, "managed-pages");
	fx_teardown(&f);
}

/* ---- conservation ---- */

TEST(conservation_block_taken_off_silently)
{
	struct fx f;
	struct fblock b;

	if (fx_setup(&f))
		return;
	/* off the list with every counter fixed: only the pages are missing */
	ASSERT_TRUE(fx_free_block(&f, 0, f.kb->pageblock_order - 1, false, &b));
	ASSERT_TRUE(b.mt != MIGRATE_CMA && b.mt != MIGRATE_HIGHATOMIC);
	list_del(&b.page->lru);
	ClearPageBuddy(b.page);
	b.zone->free_area[b.order].nr_free--;
	if (b.mt != MIGRATE_ISOLATE)
		b.zone->vm_stat[NR_FREE_PAGES] -= 1L << b.order;
	EXPECT_VIOLATION(&f, "conservation");
	fx_teardown(&f);
}

TEST(conservation_allocation_forgotten)
{
	struct fx f;
	struct kb_violation v;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 3, false);
	ASSERT_TRUE(h);
	/* the shadow forgets it, the allocator never hears of it: leaked */
	ASSERT_EQ(kb_shadow_free(f.sh, f.kb, f.pfn[h], f.order[h], &v), 0);
	EXPECT_VIOLATION(&f, "conservation");
	fx_teardown(&f);
}

/* ---- compound, alloc-page-state ---- */

TEST(compound_tail_with_wrong_head)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 3, true);
	ASSERT_TRUE(h);
	kb_pfn_to_page(f.kb, f.pfn[h] + 2)->compound_head = f.pfn[h] + 1;
	EXPECT_VIOLATION(&f, "compound");
	fx_teardown(&f);
}

TEST(compound_head_without_pg_head)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 2, true);
	ASSERT_TRUE(h);
	ClearPageHead(kb_pfn_to_page(f.kb, f.pfn[h]));
	EXPECT_VIOLATION(&f, "compound");
	fx_teardown(&f);
}

TEST(compound_wrong_order)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 3, true);
	ASSERT_TRUE(h);
	kb_pfn_to_page(f.kb, f.pfn[h])->compound_order = 2;
	EXPECT_VIOLATION(&f, "compound");
	fx_teardown(&f);
}

TEST(compound_flags_on_plain_allocation)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 2, false);
	ASSERT_TRUE(h);
	SetPageTail(kb_pfn_to_page(f.kb, f.pfn[h] + 1));
	EXPECT_VIOLATION(&f, "compound");
	fx_teardown(&f);
}

TEST(alloc_page_state_head_unreferenced)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 1, false);
	ASSERT_TRUE(h);
	set_page_count(kb_pfn_to_page(f.kb, f.pfn[h]), 0);
	EXPECT_VIOLATION(&f, "alloc-page-state");
	fx_teardown(&f);
}

TEST(alloc_page_state_reserved_page)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 3, true);
	ASSERT_TRUE(h);
	SetPageReserved(kb_pfn_to_page(f.kb, f.pfn[h] + 5));
	EXPECT_VIOLATION(&f, "alloc-page-state");
	fx_teardown(&f);
}

TEST(alloc_page_state_buddy_flag)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 0, false);
	ASSERT_TRUE(h);
	SetPageBuddy(kb_pfn_to_page(f.kb, f.pfn[h]));
	EXPECT_VIOLATION(&f, "alloc-page-state");
	fx_teardown(&f);
}

TEST(alloc_page_state_plain_tail_referenced)
{
	struct fx f;
	unsigned int h;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 2, false);
	ASSERT_TRUE(h);
	set_page_count(kb_pfn_to_page(f.kb, f.pfn[h] + 3), 1);
	EXPECT_VIOLATION(&f, "alloc-page-state");
	fx_teardown(&f);
}

static unsigned int lcg(unsigned long *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned int)(*state >> 33);
}

/*
 * Random byte flips in struct pages, zones and the pageblock bitmap: the
 * sweep must never follow a wild pointer or index out of range, and what
 * it reports must be a registered name. (Runs under ASan in the suite.)
 */
TEST(random_corruption_never_crashes)
{
	unsigned long st = 42;
	unsigned int found = 0;

	for (int iter = 0; iter < 300; iter++) {
		struct fx f;
		struct kb_violation v;
		unsigned int flips = 1 + lcg(&st) % 3;

		if (fx_setup(&f))
			return;
		for (unsigned int i = 0; i < flips; i++) {
			unsigned int where = lcg(&st) % 3;
			uint8_t x = (uint8_t)(1 + lcg(&st) % 255);
			uint8_t *base;
			size_t size;

			if (where == 0) {
				base = (uint8_t *)f.kb->mem_map;
				size = f.kb->max_pfn * sizeof(struct page);
			} else if (where == 1) {
				base = (uint8_t *)f.kb->node_data[0].node_zones;
				size = sizeof(f.kb->node_data[0].node_zones);
			} else {
				/* the fixture's layout is one section */
				base = f.kb->mem_section[0].usage;
				size = f.kb->nr_pageblocks;
			}
			base[((size_t)lcg(&st) << 16 ^ lcg(&st)) % size] ^= x;
		}
		if (kb_check_full(f.kb, f.sh, &v)) {
			found++;
			if (!kb_invariant_find(v.invariant))
				KBTEST_FAIL("iteration %d: unregistered \"%s\"", iter, v.invariant);
		}
		fx_teardown(&f);
	}
	/* most flips land on state the sweep checks */
	EXPECT_TRUE(found > 100);
}

TEST(compaction_defer_shift_past_max)
{
	struct fx f;
	struct zone *zone;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_NORMAL];
	/* the kernel's largest backoff: allowed */
	zone->compact_defer_shift = 6;
	zone->compact_considered = 1U << 6;
	EXPECT_HEALTHY(&f);
	zone->compact_defer_shift = 7;
	EXPECT_VIOLATION(&f, "compaction-defer");
	fx_teardown(&f);
}

TEST(compaction_considered_past_limit)
{
	struct fx f;
	struct zone *zone;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_DMA32];
	zone->compact_defer_shift = 2;
	zone->compact_considered = 4;
	EXPECT_HEALTHY(&f);
	zone->compact_considered = 5;
	EXPECT_VIOLATION(&f, "compaction-defer");
	fx_teardown(&f);
}

TEST(compaction_order_failed_out_of_range)
{
	struct fx f;
	struct zone *zone;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_DMA];
	zone->compact_order_failed = (int)f.kb->max_order + 1;
	EXPECT_HEALTHY(&f);
	zone->compact_order_failed = (int)f.kb->max_order + 2;
	EXPECT_VIOLATION(&f, "compaction-defer");
	zone->compact_order_failed = -1;
	EXPECT_VIOLATION(&f, "compaction-defer");
	fx_teardown(&f);
}

/*
 * The fixture set up with its first movable live block put on its node's
 * LRU: the block's first page, or NULL when the fixture cannot be set up
 * or has no such block (a failure; the fixture is torn down).
 */
static struct page *fx_setup_lru_page(struct fx *f)
{
	if (fx_setup(f))
		return NULL;
	for (unsigned int h = 1; h <= f->nr_handles; h++)
		if (f->live[h] && (f->gfp[h] & __GFP_MOVABLE)) {
			struct page *page = kb_pfn_to_page(f->kb, f->pfn[h]);

			kb_lru_add(f->kb, page, f->order[h], false);
			return page;
		}
	KBTEST_FAIL("the fixture has no movable live block");
	fx_teardown(f);
	return NULL;
}

TEST(lru_counts_differ_from_lists)
{
	struct fx f;
	struct page *page;

	page = fx_setup_lru_page(&f);
	if (!page)
		return;
	EXPECT_HEALTHY(&f);
	f.kb->node_data[0].__lruvec.lru_zone_size[page->zone][LRU_INACTIVE_FILE]++;
	EXPECT_VIOLATION(&f, "lru-counts");
	f.kb->node_data[0].__lruvec.lru_zone_size[page->zone][LRU_INACTIVE_FILE]--;
	f.kb->node_data[0].__lruvec.nr_isolated[1] = 1;
	EXPECT_VIOLATION(&f, "lru-counts");
	f.kb->node_data[0].__lruvec.nr_isolated[1] = 0;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(lru_entry_on_the_wrong_list)
{
	struct fx f;
	struct page *page;

	page = fx_setup_lru_page(&f);
	if (!page)
		return;
	SetPageActive(page);
	EXPECT_VIOLATION(&f, "lru-lists");
	ClearPageActive(page);
	ClearPageLru(page);
	EXPECT_VIOLATION(&f, "lru-lists");
	SetPageLru(page);
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(lru_page_also_free)
{
	struct fx f;
	struct page *page;

	page = fx_setup_lru_page(&f);
	if (!page)
		return;
	EXPECT_HEALTHY(&f);
	/* its last reference gone while the LRU still holds it */
	set_page_count(page, 0);
	EXPECT_VIOLATION(&f, "lru-free");
	set_page_count(page, 1);
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

/* An LRU list that leads off the memmap, or round in a loop, is named before it is followed. */
TEST(lru_list_links_outside_the_memmap_or_loops)
{
	struct fx f;
	struct list_head *head, *saved, stray;
	struct page *page;

	page = fx_setup_lru_page(&f);
	if (!page)
		return;
	head = &f.kb->node_data[0].__lruvec.lists[LRU_INACTIVE_FILE];
	ASSERT_TRUE(head->next == &page->lru);
	/* a link to memory that is no struct page */
	stray.next = stray.prev = head;
	saved = head->next;
	head->next = &stray;
	EXPECT_VIOLATION(&f, "lru-lists");
	/* a link into a struct page that is not its lru member */
	head->next = (struct list_head *)&page->flags;
	EXPECT_VIOLATION(&f, "lru-lists");
	head->next = saved;
	EXPECT_HEALTHY(&f);
	/* the block's entry pointing at itself: the walk would never end */
	saved = page->lru.next;
	page->lru.next = &page->lru;
	EXPECT_VIOLATION(&f, "lru-lists");
	page->lru.next = saved;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

/* A live allocation's head page naming no zone, or a zone that does not span it. */
TEST(alloc_page_state_head_outside_its_zone)
{
	struct fx f;
	struct page *head;
	unsigned int h;
	uint8_t zone, node;

	if (fx_setup(&f))
		return;
	h = fx_live(&f, 1, false);
	ASSERT_TRUE(h);
	head = kb_pfn_to_page(f.kb, f.pfn[h]);
	zone = head->zone;
	node = head->node;
	head->node = KB_MAX_NODES;
	EXPECT_VIOLATION(&f, "alloc-page-state");
	head->node = node;
	head->zone = zone == ZONE_DMA ? ZONE_NORMAL : ZONE_DMA;
	EXPECT_VIOLATION(&f, "alloc-page-state");
	head->zone = zone;
	EXPECT_HEALTHY(&f);
	fx_teardown(&f);
}

TEST(kswapd_pass_left_boost_or_slept_unbalanced)
{
	struct fx f;
	struct kb_violation v;
	struct zone *zone;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_DMA32];
	memset(&f.kb->kswapd_pass, 0, sizeof(f.kb->kswapd_pass));
	f.kb->kswapd_pass.ran = true;
	f.kb->kswapd_pass.slept = true;
	f.kb->kswapd_pass.highest_zoneidx = ZONE_DMA32;
	f.kb->kswapd_pass.boost_before[ZONE_DMA32] = 64;
	zone->watermark_boost = 0;
	EXPECT_EQ(kb_check_kswapd(f.kb, &v), 0);
	zone->watermark_boost = 1;
	EXPECT_EQ(kb_check_kswapd(f.kb, &v), 1);
	EXPECT_STREQ(v.invariant, "kswapd-boost");
	zone->watermark_boost = 0;
	/* every eligible zone's high mark out of reach: sleeping is wrong */
	for (int zid = 0; zid <= ZONE_DMA32; zid++)
		f.kb->node_data[0].node_zones[zid]._watermark[WMARK_HIGH] += 1UL << 30;
	EXPECT_EQ(kb_check_kswapd(f.kb, &v), 1);
	EXPECT_STREQ(v.invariant, "kswapd-balanced");
	f.kb->kswapd_pass.hopeless = true;
	EXPECT_EQ(kb_check_kswapd(f.kb, &v), 0);
	for (int zid = 0; zid <= ZONE_DMA32; zid++)
		f.kb->node_data[0].node_zones[zid]._watermark[WMARK_HIGH] -= 1UL << 30;
	fx_teardown(&f);
}

TEST(compaction_skip_bit_outside_zones)
{
	struct kb_layout layout;
	struct fx f;
	unsigned long gap;

	/* two pageblocks between DMA32 and Normal that no zone spans */
	kb_layout_default(&layout);
	gap = layout.node[0].zone[ZONE_DMA32].end;
	layout.node[0].zone[ZONE_NORMAL].start = gap + 1024;
	if (fx_create(&f, &layout))
		return;
	/* a skip bit on a pageblock of a zone: allowed */
	*pfnblock_flags(f.kb, gap + 1024) |= PB_compact_skip;
	*pfnblock_flags(f.kb, 1) |= PB_compact_skip;
	EXPECT_HEALTHY(&f);
	*pfnblock_flags(f.kb, gap) |= PB_compact_skip;
	EXPECT_VIOLATION(&f, "compaction-skip");
	fx_teardown(&f);
}

/* A migrate restart point: the end of the zone's last pageblock at most, or 0. */
TEST(compaction_cached_migrate_outside_zone)
{
	struct fx f;
	struct zone *zone;
	unsigned long last_end;

	if (fx_setup(&f))
		return;
	zone = &f.kb->node_data[0].node_zones[ZONE_DMA32];
	last_end = pageblock_end_pfn(f.kb, zone_end_pfn(zone) - 1);
	zone->compact_cached_migrate_pfn[0] = 0;
	zone->compact_cached_migrate_pfn[1] = last_end;
	EXPECT_HEALTHY(&f);
	zone->compact_cached_migrate_pfn[1] = last_end + 1;
	EXPECT_VIOLATION(&f, "compaction-scanners");
	zone->compact_cached_migrate_pfn[1] = zone->zone_start_pfn;
	zone->compact_cached_migrate_pfn[0] = zone->zone_start_pfn - 1;
	EXPECT_VIOLATION(&f, "compaction-scanners");
	fx_teardown(&f);
}

/* A compaction of zone between rounds: the scanners at the zone's two ends. */
static void cc_running(struct compact_control *cc, struct kb_instance *kb, struct zone *zone)
{
	memset(cc, 0, sizeof(*cc));
	for (unsigned int o = 0; o < KB_NR_ORDERS_MAX; o++)
		INIT_LIST_HEAD(&cc->freepages[o]);
	cc->zone = zone;
	cc->order = 9;
	cc->gfp_mask = GFP_HIGHUSER_MOVABLE;
	cc->mode = MIGRATE_SYNC_LIGHT;
	cc->migrate_pfn = zone->zone_start_pfn;
	cc->free_pfn = pageblock_start_pfn(kb, zone_end_pfn(zone) - 1);
	zone->compact_cached_migrate_pfn[0] = zone->zone_start_pfn;
	zone->compact_cached_migrate_pfn[1] = zone->zone_start_pfn;
}

#define EXPECT_ROUND(kb, cc, name)						\
	do {									\
		struct kb_violation _v;						\
		int _r = kb_check_compaction_round((kb), (cc), &_v);		\
		if (!(name))							\
			EXPECT_EQ(_r, 0);					\
		else if (!_r)							\
			KBTEST_FAIL("expected %s, the round check passed", (const char *)(name)); \
		else								\
			EXPECT_STREQ(_v.invariant, (const char *)(name));	\
		if (_r && !(name))						\
			KBTEST_FAIL("unexpected %s: %s", _v.invariant, _v.detail); \
	} while (0)

TEST(compaction_scanners_outside_or_crossed)
{
	struct fx f;
	struct compact_control cc;
	struct zone *zone;
	unsigned long start, end, pb;

	if (fx_setup(&f))
		return;
	pb = f.kb->pageblock_nr_pages;
	zone = &f.kb->node_data[0].node_zones[ZONE_DMA32];
	start = zone->zone_start_pfn;
	end = zone_end_pfn(zone);
	cc_running(&cc, f.kb, zone);
	EXPECT_ROUND(f.kb, &cc, NULL);
	/* met inside one pageblock: the free scanner may stop there */
	cc.migrate_pfn = start + 3 * pb + 7;
	cc.free_pfn = start + 3 * pb;
	EXPECT_ROUND(f.kb, &cc, NULL);
	/* under the migrate scanner's pageblock: crossed */
	cc.free_pfn = start + 3 * pb - 1;
	EXPECT_ROUND(f.kb, &cc, "compaction-scanners");
	cc_running(&cc, f.kb, zone);
	cc.free_pfn = end + 1;
	EXPECT_ROUND(f.kb, &cc, "compaction-scanners");
	cc_running(&cc, f.kb, zone);
	cc.migrate_pfn = start - 1;
	EXPECT_ROUND(f.kb, &cc, "compaction-scanners");
	cc_running(&cc, f.kb, zone);
	zone->compact_cached_migrate_pfn[0] = end + pb;
	EXPECT_ROUND(f.kb, &cc, "compaction-scanners");
	fx_teardown(&f);
}

TEST(compaction_isolated_blocks_and_counts)
{
	struct fx f;
	struct compact_control cc;
	struct fblock b;
	unsigned long got;

	if (fx_setup(&f))
		return;
	/* a free block of the highest zone, isolated as the free scanner does */
	ASSERT_TRUE(fx_free_block(&f, 3, 6, false, &b));
	cc_running(&cc, f.kb, b.zone);
	got = __isolate_free_page(f.kb, b.page, b.order);
	ASSERT_EQ(got, 1UL << b.order);
	set_page_private(b.page, b.order);
	list_add_tail(&b.page->lru, &cc.freepages[b.order]);
	cc.nr_freepages = got;
	EXPECT_ROUND(f.kb, &cc, NULL);
	/* counted once more than held */
	cc.nr_freepages = got + 1;
	EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
	cc.nr_freepages = got;
	/* page_private says another order */
	set_page_private(b.page, b.order + 1);
	EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
	set_page_private(b.page, b.order);
	/* handed out while still isolated */
	set_page_count(b.page, 1);
	EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
	set_page_count(b.page, 0);
	/* still marked free */
	SetPageBuddy(b.page);
	EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
	ClearPageBuddy(b.page);
	EXPECT_ROUND(f.kb, &cc, NULL);
	/* the same list as if another zone were compacted */
	ASSERT_TRUE(b.zid != ZONE_DMA);
	cc.zone = &f.kb->node_data[0].node_zones[ZONE_DMA];
	cc.migrate_pfn = cc.zone->zone_start_pfn;
	cc.free_pfn = pageblock_start_pfn(f.kb, zone_end_pfn(cc.zone) - 1);
	cc.zone->compact_cached_migrate_pfn[0] = cc.zone->compact_cached_migrate_pfn[1] = 0;
	EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
	cc.zone = b.zone;
	cc_running(&cc, f.kb, b.zone);

	/* a live movable allocation on the LRU, isolated for migration */
	for (unsigned int h = 1; h <= f.nr_handles; h++) {
		struct page *page = kb_pfn_to_page(f.kb, f.pfn[h]);

		if (!f.live[h] || kb_page_zone(f.kb, page) != b.zone || PageTail(page))
			continue;
		SetPageLru(page);
		cc.migratepages[0] = f.pfn[h];
		cc.nr_migrate_blocks = 1;
		cc.nr_migratepages = PageHead(page) ? 1UL << page->compound_order : 1;
		EXPECT_ROUND(f.kb, &cc, NULL);
		cc.nr_migratepages++;
		EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
		cc.nr_migratepages--;
		ClearPageLru(page);
		EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
		SetPageLru(page);
		cc.migratepages[0] = b.zone->zone_start_pfn - 1;
		EXPECT_ROUND(f.kb, &cc, "compaction-isolated");
		ClearPageLru(page);
		break;
	}
	EXPECT_TRUE(cc.nr_migrate_blocks == 1);
	fx_teardown(&f);
}

/*
 * A capture: the block compaction_capture took, off the lists with the
 * counters right (as __isolate_free_page leaves it), then the states
 * capture_keeps_free_count and a page left on its list leave.
 */
TEST(compaction_capture_counters_and_lists)
{
	struct fx f;
	struct compact_control cc;
	struct fblock b;
	struct kb_violation v;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 3, 6, false, &b));
	cc_running(&cc, f.kb, b.zone);
	cc.order = (int)b.order;
	ASSERT_EQ(__isolate_free_page(f.kb, b.page, b.order), 1UL << b.order);
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 0);
	/* counted free although taken */
	b.zone->vm_stat[NR_FREE_PAGES] += 1L << b.order;
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 1);
	EXPECT_STREQ(v.invariant, "compaction-capture");
	EXPECT_TRUE(strstr(v.detail, "NR_FREE_PAGES") != NULL);
	b.zone->vm_stat[NR_FREE_PAGES] -= 1L << b.order;
	/* captured for a request of another order */
	cc.order = (int)b.order + 1;
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 1);
	EXPECT_STREQ(v.invariant, "compaction-capture");
	cc.order = (int)b.order;
	/* still PG_buddy */
	SetPageBuddy(b.page);
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 1);
	EXPECT_STREQ(v.invariant, "compaction-capture");
	ClearPageBuddy(b.page);
	/* still on its list, with nr_free counting it */
	list_add(&b.page->lru, &b.zone->free_area[b.order].free_list[b.mt]);
	b.zone->free_area[b.order].nr_free++;
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 1);
	EXPECT_STREQ(v.invariant, "compaction-capture");
	EXPECT_TRUE(strstr(v.detail, "overlaps") != NULL);
	list_del(&b.page->lru);
	b.zone->free_area[b.order].nr_free--;
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 0);
	/* from an isolated pageblock */
	*pfnblock_flags(f.kb, b.pfn) |= PB_migrate_isolate;
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 1);
	EXPECT_STREQ(v.invariant, "compaction-capture");
	*pfnblock_flags(f.kb, b.pfn) &= (uint8_t)~PB_migrate_isolate;
	/* an unmovable request below pageblock_order, from a MOVABLE pageblock */
	set_stored_type(f.kb, b.pfn, MIGRATE_MOVABLE);
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 0);
	cc.gfp_mask = GFP_KERNEL;
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 1);
	EXPECT_STREQ(v.invariant, "compaction-capture");
	EXPECT_TRUE(strstr(v.detail, "Movable pageblock") != NULL);
	/* from its own type's pageblock */
	set_stored_type(f.kb, b.pfn, MIGRATE_UNMOVABLE);
	EXPECT_EQ(kb_check_compaction_capture(f.kb, &cc, b.page, &v), 0);
	fx_teardown(&f);
}

/*
 * compaction-decision: a direct compaction without __GFP_IO, and a costly
 * compaction whose first round finds a fragmentation index a failure for
 * lack of memory would have (DMA's blocks of order 9 and 10 taken).
 */
TEST(compaction_decision_gate_and_fragindex)
{
	struct fx f;
	struct compact_control cc;
	struct zone *dma;

	if (fx_setup(&f))
		return;
	dma = &f.kb->node_data[0].node_zones[ZONE_DMA];
	cc_running(&cc, f.kb, dma);
	cc.direct_compaction = true;
	cc.gfp_mask = GFP_KERNEL;
	EXPECT_ROUND(f.kb, &cc, NULL);
	cc.gfp_mask = GFP_NOIO;
	EXPECT_ROUND(f.kb, &cc, "compaction-decision");
	cc.gfp_mask = GFP_KERNEL;
	/* no free block of order 9 or more left in DMA */
	kb_set_cpu(f.kb, 0);
	for (unsigned int o = f.kb->max_order; o >= 9; o--)
		while (kb_alloc_pages(f.kb, GFP_NOWAIT | __GFP_DMA | __GFP_HIGH, o, 0, NULL))
			;
	ASSERT_TRUE(dma->free_area[9].nr_free == 0 && dma->free_area[10].nr_free == 0);
	f.kb->sysctl_extfrag_threshold = 0;
	EXPECT_ROUND(f.kb, &cc, NULL);
	f.kb->sysctl_extfrag_threshold = 1000;
	EXPECT_ROUND(f.kb, &cc, "compaction-decision");
	/* compact_memory, or a round after the first: no decision to judge */
	cc.order = -1;
	EXPECT_ROUND(f.kb, &cc, NULL);
	cc.order = 9;
	cc.total_migrate_scanned = 1;
	EXPECT_ROUND(f.kb, &cc, NULL);
	fx_teardown(&f);
}

/* The same broken state always reports the same violation. */
TEST(sweep_is_deterministic)
{
	struct fx f;
	struct fblock b;
	struct kb_violation v1, v2;

	if (fx_setup(&f))
		return;
	ASSERT_TRUE(fx_free_block(&f, 1, 12, false, &b));
	b.zone->free_area[b.order].nr_free++;
	set_page_count(b.page + 1, 3);
	f.kb->node_data[0].node_zones[ZONE_DMA].vm_stat[NR_FREE_PAGES] += 5;
	ASSERT_EQ(kb_check_full(f.kb, f.sh, &v1), 1);
	ASSERT_EQ(kb_check_full(f.kb, f.sh, &v2), 1);
	EXPECT_STREQ(v1.invariant, "free-page-state");
	EXPECT_STREQ(v2.invariant, v1.invariant);
	EXPECT_EQ(v2.pfn, v1.pfn);
	EXPECT_TRUE(!strcmp(v1.detail, v2.detail));
	fx_teardown(&f);
}

TEST_MAIN()
