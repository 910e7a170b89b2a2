// SPDX-License-Identifier: GPL-2.0
/*
 * Level 2's per-operation checker: each corruption is reported by name at
 * the operation that made it, not at the end of the input.
 */
#include <string.h>

#include "kbtest.h"
#include "incremental.h"
#include "run.h"
#include "../core/internal.h"
#include "../machine/layout_io.h"

static struct kb_ops ops;

typedef void (*corrupt_fn)(struct kb_instance *kb);

struct corruption {
	size_t at;		/* before this operation */
	corrupt_fn fn;
};

static void before(void *ctx, struct kb_run *run, size_t index)
{
	const struct corruption *c = ctx;

	if (index == c->at)
		c->fn(kb_run_instance(run));
}

/* Runs text at level 2 with fn applied before operation at; the violation. */
static const struct kb_violation *run_corrupted(const char *text, size_t at, corrupt_fn fn)
{
	static struct kb_run_result res;
	struct corruption c = { at, fn };
	struct kb_run_options opt = { .check_level = 2, .before_op = before, .ctx = &c };
	struct kb_run *run;
	char err[128];

	if (kb_ops_parse_text(text, strlen(text), &ops, err, sizeof(err)))
		return NULL;
	run = kb_run_ops(&ops, &opt, &res);
	if (!run)
		return NULL;
	kb_run_destroy(run);
	return res.violated ? &res.violation : NULL;
}

static const char *const seq =
	"layout default\n"
	"alloc order=0 -> a1\n"
	"alloc order=3 -> a2\n"
	"alloc order=1 cpu=1 -> a3\n"
	"free a2\n"
	"free a1 cpu=1\n"
	"drain_all\n";

static struct zone *normal(struct kb_instance *kb)
{
	return kb_zone(kb, 0, ZONE_NORMAL);
}

/*
 * Puts the first free MOVABLE order-10 block of Normal on the UNMOVABLE
 * list behind the allocator's back; returns its head.
 */
/*
 * A list a movable pageblock's free block may not sit on: any other since
 * 6.10's freelist hygiene; before it (KB_FREELIST_HYGIENE 0) the other
 * normal types' lists are legitimate (and the highatomic one in 6.1 and
 * 6.6: kb_list_type_mixes), the CMA one is not.
 */
#define WRONG_TYPE	(KB_FREELIST_HYGIENE ? MIGRATE_UNMOVABLE : MIGRATE_CMA)

static struct page *misfile_movable_block(struct kb_instance *kb)
{
	struct zone *z = normal(kb);
	struct page *head = list_first_entry(&z->free_area[10].free_list[MIGRATE_MOVABLE],
					     struct page, lru);

	list_move(&head->lru, &z->free_area[10].free_list[WRONG_TYPE]);
	/* the counts follow the lists: only the block's place is wrong */
	if (is_migrate_highatomic(WRONG_TYPE))
		z->nr_free_highatomic += 1UL << 10;
	if (is_migrate_cma(WRONG_TYPE))
		z->vm_stat[NR_FREE_CMA_PAGES] += 1L << 10;
	return head;
}

static void bump_nr_free(struct kb_instance *kb) { normal(kb)->free_area[5].nr_free++; }
static void bump_free_pages(struct kb_instance *kb) { normal(kb)->vm_stat[NR_FREE_PAGES] += 3; }
static void bump_pcp_count(struct kb_instance *kb) { normal(kb)->per_cpu_pageset[1].count += 1; }
static void bump_highatomic(struct kb_instance *kb) { normal(kb)->nr_free_highatomic += 2; }
static void bump_cma(struct kb_instance *kb) { normal(kb)->vm_stat[NR_FREE_CMA_PAGES] -= 1; }

TEST(clean_sequence_passes_every_operation)
{
	struct kb_run_options opt = { .check_level = 2 };
	struct kb_run_result res;
	struct kb_run *run;
	char err[128];

	ASSERT_EQ(kb_ops_parse_text(seq, strlen(seq), &ops, err, sizeof(err)), 0);
	run = kb_run_ops(&ops, &opt, &res);
	ASSERT_TRUE(run);
	EXPECT_TRUE(!res.violated);
	kb_run_destroy(run);
}

TEST(nr_free_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 2, bump_nr_free);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "nr-free");
	EXPECT_EQ(v->op_index, 2);
}

TEST(free_pages_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 1, bump_free_pages);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vmstat-free-pages");
	EXPECT_EQ(v->op_index, 1);
}

TEST(pcp_count_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 3, bump_pcp_count);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "pcp-count");
	EXPECT_EQ(v->op_index, 3);
}

TEST(highatomic_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 0, bump_highatomic);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "highatomic-free");
	EXPECT_EQ(v->op_index, 0);
}

TEST(cma_drift_is_named_at_its_operation)
{
	const struct kb_violation *v = run_corrupted(seq, 4, bump_cma);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vmstat-free-cma");
	EXPECT_EQ(v->op_index, 4);
}

/* A hand-made touch log: the block moved to a list of the wrong type. */
TEST(free_block_on_the_wrong_list_is_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *head;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	head = misfile_movable_block(kb);
	kb_touch_reset(kb);
	kb_touch(kb, KB_TOUCH_FREE_DEL, kb_page_to_pfn(kb, head), 10, MIGRATE_MOVABLE);
	kb_touch(kb, KB_TOUCH_FREE_ADD, kb_page_to_pfn(kb, head), 10, WRONG_TYPE);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "list-type");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/*
 * An operation that touched more than the log holds is checked by the full
 * sweep, which sees what no logged touch points at: here a free block moved
 * to the wrong list with no touch recorded.
 */
TEST(touch_log_overflow_falls_back_to_the_sweep)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	char err[128];
	unsigned int i;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	misfile_movable_block(kb);
	kb_touch_reset(kb);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 0);	/* unlogged: not seen */
	/* one touch more than the log holds, none of them of that block */
	for (i = 0; i <= KB_TOUCH_MAX; i++)
		kb_touch(kb, KB_TOUCH_RETYPE, 0, 0, -1);
	EXPECT_TRUE(kb->touch_overflow);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "list-type");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/*
 * The counts an overflowed operation's sweep recounts belong to that input:
 * an instance restored to its snapshot starts again from the counts of the
 * snapshot's state (kb_incremental_restart), and its next operation checks
 * clean against them.
 */
TEST(restart_after_an_overflowed_operation_counts_from_the_snapshot)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *page;
	char err[128];
	unsigned int i;

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	ASSERT_EQ(kb_snapshot_take(kb), 0);
	kb_incremental_begin(ic, kb);
	/* an input: a page through the pcp list (a batch moves), its check overflowed */
	kb_touch_reset(kb);
	page = kb_alloc_pages(kb, GFP_KERNEL, 0, -1, NULL);
	ASSERT_TRUE(page != NULL);
	kb_free_pages(kb, page, 0);
	for (i = 0; i <= KB_TOUCH_MAX; i++)
		kb_touch(kb, KB_TOUCH_RETYPE, 0, 0, -1);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 0);
	/* the next input, on the restored instance */
	kb_snapshot_restore(kb);
	kb_incremental_restart(ic);
	kb_touch_reset(kb);
	ASSERT_TRUE(kb_alloc_pages(kb, GFP_KERNEL, 3, -1, NULL) != NULL);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 0);
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/* A pageblock isolated inside a free order-10 block without splitting it. */
TEST(isolated_block_inside_large_free_block_is_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	unsigned long pfn;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	pfn = 0x3000 + kb->pageblock_nr_pages;	/* upper half of a free order-10 block */
	ASSERT_TRUE(PageBuddy(kb_pfn_to_page(kb, 0x3000)));
	kb_touch_reset(kb);
	set_pageblock_isolate(kb, kb_pfn_to_page(kb, pfn));
	normal(kb)->nr_isolate_pageblock++;
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "large-block-type");
	EXPECT_EQ(v.pfn, pfn);
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

static void fake_straddling_buddy(struct kb_instance *kb)
{
	struct page *page = kb_pfn_to_page(kb, 0x31ff);

	/* a page below the pageblock at 0x3200 wrongly marked a free order-1 block */
	SetPageBuddy(page);
	set_page_private(page, 1);
}

/* Isolation finds a free block across the boundary it isolates (VM_WARN). */
TEST(free_block_across_isolation_boundary_is_named)
{
	static const char text[] =
		"layout default\n"
		"alloc order=9 gfp=GFP_KERNEL -> a1\n"
		"isolate pfn=0x3200 nr=512\n";
	const struct kb_violation *v = run_corrupted(text, 1, fake_straddling_buddy);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vm-bug-isolate-state");
	EXPECT_EQ(v->op_index, 1);
}

static void take_reference_on_free_page(struct kb_instance *kb)
{
	kb_get_page(kb, kb_pfn_to_page(kb, 0x3800));	/* a free order-10 head */
}

TEST(get_page_on_free_page_is_named)
{
	const struct kb_violation *v = run_corrupted(seq, 1, take_reference_on_free_page);

	ASSERT_TRUE(v);
	EXPECT_STREQ(v->invariant, "vm-bug-page-ref");
}

/* A freed page listed without merging with its free buddy. */
TEST(unmerged_buddies_are_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *page;
	struct zone *z;
	unsigned long pfn;
	int mt;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	page = kb_alloc_pages(kb, GFP_KERNEL, 3, -1, NULL);	/* not a pcp order: from the buddy */
	ASSERT_TRUE(page);
	kb_incremental_begin(ic, kb);
	pfn = kb_page_to_pfn(kb, page);
	z = page_zone(kb, page);
	mt = get_pfnblock_migratetype(kb, pfn);
	/* list it as free at order 3 next to its free order-3 buddy, counters kept right */
	set_page_count(page, 0);
	SetPageBuddy(page);
	set_page_private(page, 3);
	list_add(&page->lru, &z->free_area[3].free_list[mt]);
	z->free_area[3].nr_free++;
	z->vm_stat[NR_FREE_PAGES] += 8;
	kb_touch_reset(kb);
	kb_touch(kb, KB_TOUCH_FREE_ADD, pfn, 3, mt);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "fully-merged");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/*
 * The allocator's own retype of a pageblock (set_pageblock_migratetype)
 * logs a touch, so the per-operation check looks at the larger free block
 * around it: here the first pageblock of a free order-10 block retyped
 * alone.
 */
TEST(retype_of_a_pageblock_inside_a_free_block_is_named)
{
	struct kb_layout l;
	struct kb_instance *kb;
	struct kb_incremental *ic = kb_incremental_create();
	struct kb_violation v;
	struct page *head;
	char err[128];

	kb_layout_default(&l);
	kb = kb_create(&l, NULL, err, sizeof(err));
	ASSERT_TRUE(kb && ic);
	kb_incremental_begin(ic, kb);
	head = list_first_entry(&normal(kb)->free_area[10].free_list[MIGRATE_MOVABLE],
				struct page, lru);
	kb_touch_reset(kb);
	set_pageblock_migratetype(kb, head, WRONG_TYPE);
	EXPECT_EQ(kb_check_touched(ic, kb, NULL, &v), 1);
	EXPECT_STREQ(v.invariant, "large-block-type");
	kb_incremental_destroy(ic);
	kb_destroy(kb);
}

/*
 * ---- one operation's touches, checked directly ----
 *
 * An instance at level 2 without a shadow: each test makes one operation
 * through the API (its touches in kb->touched), breaks what the operation
 * touched as a bug in it would, and expects kb_check_touched to name it.
 * The control runs the same operation unbroken and expects nothing.
 */
struct direct {
	struct kb_instance *kb;
	struct kb_incremental *ic;
	struct kb_violation v;
};

static int direct_setup(struct direct *d)
{
	struct kb_layout l;
	char err[200];

	memset(d, 0, sizeof(*d));
	kb_layout_default(&l);
	d->kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	d->ic = kb_incremental_create();
	if (!d->kb || !d->ic) {
		KBTEST_FAIL("setup: %s", d->kb ? "kb_incremental_create failed" : err);
		return -1;
	}
	kb_set_cpu(d->kb, 0);
	kb_incremental_begin(d->ic, d->kb);
	kb_touch_reset(d->kb);
	return 0;
}

static void direct_teardown(struct direct *d)
{
	kb_incremental_destroy(d->ic);
	kb_destroy(d->kb);
}

/* The operation's check: the name it reports, or NULL. */
static const char *direct_check(struct direct *d)
{
	const char *name = kb_check_touched(d->ic, d->kb, NULL, &d->v) ? d->v.invariant : NULL;

	kb_touch_reset(d->kb);
	return name;
}

/* An allocation past the pcp orders: its pfn; expand() put its buddy back free. */
static unsigned long direct_alloc(struct direct *d, unsigned int order)
{
	int err = 0;
	struct page *page = kb_alloc_pages(d->kb, GFP_KERNEL, order, -1, &err);

	if (!page) {
		KBTEST_FAIL("order-%u allocation failed (%d)", order, err);
		return 0;
	}
	return kb_page_to_pfn(d->kb, page);
}

#define DIRECT_ORDER	(PAGE_ALLOC_COSTLY_ORDER + 1)

TEST(direct_clean_operations_pass)
{
	struct direct d;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, DIRECT_ORDER);
	ASSERT_TRUE(pfn);
	EXPECT_TRUE(direct_check(&d) == NULL);
	kb_free_pages(d.kb, kb_pfn_to_page(d.kb, pfn), DIRECT_ORDER);
	EXPECT_TRUE(direct_check(&d) == NULL);
	kb_free_pages(d.kb, kb_pfn_to_page(d.kb, direct_alloc(&d, 0)), 0);
	EXPECT_TRUE(direct_check(&d) == NULL);
	direct_teardown(&d);
}

/* The half expand() put back has a list link that does not point back at it. */
TEST(direct_free_block_with_broken_links_is_list_integrity)
{
	struct direct d;
	struct page *half;
	struct list_head *saved;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, DIRECT_ORDER);
	ASSERT_TRUE(pfn);
	half = kb_pfn_to_page(d.kb, pfn ^ (1UL << DIRECT_ORDER));
	ASSERT_TRUE(PageBuddy(half));
	saved = half->lru.prev;
	half->lru.prev = &half->lru;
	EXPECT_STREQ(direct_check(&d), "list-integrity");
	half->lru.prev = saved;
	direct_teardown(&d);
}

/* Pages inside the free half: one marked Buddy, one reserved. */
TEST(direct_free_block_with_a_buddy_page_inside_is_buddy_flag)
{
	struct direct d;
	struct page *half;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, DIRECT_ORDER);
	ASSERT_TRUE(pfn);
	half = kb_pfn_to_page(d.kb, pfn ^ (1UL << DIRECT_ORDER));
	SetPageBuddy(half + 3);
	kb_dirty_range(d.kb, kb_page_to_pfn(d.kb, half + 3), 1);
	EXPECT_STREQ(direct_check(&d), "buddy-flag");
	EXPECT_TRUE(strstr(d.v.detail, "marked Buddy") != NULL);
	ClearPageBuddy(half + 3);
	direct_teardown(&d);
}

TEST(direct_free_block_with_a_reserved_page_inside_is_block_boundary)
{
	struct direct d;
	struct page *half;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, DIRECT_ORDER);
	ASSERT_TRUE(pfn);
	half = kb_pfn_to_page(d.kb, pfn ^ (1UL << DIRECT_ORDER));
	SetPageReserved(half + 5);
	kb_dirty_range(d.kb, kb_page_to_pfn(d.kb, half + 5), 1);
	EXPECT_STREQ(direct_check(&d), "block-boundary");
	EXPECT_TRUE(strstr(d.v.detail, "reserved") != NULL);
	ClearPageReserved(half + 5);
	direct_teardown(&d);
}

/*
 * A free block filed where its order does not fit, counted in full (list,
 * nr_free, NR_FREE_PAGES) so that only its place is wrong: at a pfn the
 * order does not divide, and one reaching past its zone's end.
 */
static void file_fake_block(struct direct *d, unsigned long pfn, unsigned int order)
{
	struct page *page = kb_pfn_to_page(d->kb, pfn);
	struct zone *zone = kb_page_zone(d->kb, page);
	int mt = get_pfnblock_migratetype(d->kb, pfn);

	SetPageBuddy(page);
	set_page_private(page, order);
	list_add(&page->lru, &zone->free_area[order].free_list[mt]);
	zone->free_area[order].nr_free++;
	zone->vm_stat[NR_FREE_PAGES] += 1L << order;
	kb_dirty_range(d->kb, pfn, 1);
	kb_touch(d->kb, KB_TOUCH_FREE_ADD, pfn, order, mt);
}

TEST(direct_unaligned_free_block_is_order_alignment)
{
	struct direct d;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, DIRECT_ORDER);
	ASSERT_TRUE(pfn);
	direct_check(&d);
	file_fake_block(&d, pfn + (1UL << (DIRECT_ORDER - 1)), DIRECT_ORDER);
	EXPECT_STREQ(direct_check(&d), "order-alignment");
	direct_teardown(&d);
}

/* A zone that ends 16 pages past an aligned pfn: an order-5 block there leaves it. */
TEST(direct_free_block_past_its_zone_is_block_boundary)
{
	static const char text[] =
		"node 0 cpus 1\nzone 0 DMA 0x1 0x1000\nzone 0 DMA32 0x1000 0x8010\n";
	struct kb_layout l;
	struct direct d;
	char err[200];
	unsigned long pfn = 0x8000;
	struct page *page;
	struct zone *zone;

	memset(&d, 0, sizeof(d));
	ASSERT_EQ(kb_layout_parse_text(text, sizeof(text) - 1, &l, err, sizeof(err)), 0);
	d.kb = kb_create(&l, &(struct kb_options){ .check_level = 2 }, err, sizeof(err));
	ASSERT_TRUE(d.kb);
	d.ic = kb_incremental_create();
	ASSERT_TRUE(d.ic);
	kb_set_cpu(d.kb, 0);
	ASSERT_EQ(zone_end_pfn(kb_page_zone(d.kb, kb_pfn_to_page(d.kb, pfn))), 0x8010);
	/* the zone's last 16 pages are a free order-4 block: filed as order 5 instead */
	page = kb_pfn_to_page(d.kb, pfn);
	ASSERT_TRUE(PageBuddy(page));
	ASSERT_EQ(buddy_order(page), 4);
	zone = kb_page_zone(d.kb, page);
	list_del(&page->lru);
	zone->free_area[4].nr_free--;
	zone->vm_stat[NR_FREE_PAGES] -= 16;
	kb_incremental_begin(d.ic, d.kb);
	kb_touch_reset(d.kb);
	file_fake_block(&d, pfn, 5);
	EXPECT_STREQ(direct_check(&d), "block-boundary");
	EXPECT_TRUE(strstr(d.v.detail, "leaves zone") != NULL);
	direct_teardown(&d);
}

/* A freed block of pageblock order or more with a pageblock of another type. */
TEST(direct_large_free_block_of_two_types_is_large_block_type)
{
	struct direct d;
	unsigned long pfn;
	uint8_t *fl;
	unsigned int order;

	if (direct_setup(&d))
		return;
	order = d.kb->pageblock_order + 1;
	ASSERT_TRUE(order <= d.kb->max_order);
	pfn = direct_alloc(&d, order);
	ASSERT_TRUE(pfn);
	direct_check(&d);
	kb_free_pages(d.kb, kb_pfn_to_page(d.kb, pfn), order);
	fl = pfnblock_flags(d.kb, pfn + d.kb->pageblock_nr_pages);
	*fl = (uint8_t)((*fl & ~PB_MIGRATETYPE_MASK) |
			(!KB_FREELIST_HYGIENE ? WRONG_TYPE :
			 get_pfnblock_migratetype(d.kb, pfn) == MIGRATE_MOVABLE ?
			 MIGRATE_UNMOVABLE : MIGRATE_MOVABLE));
	EXPECT_STREQ(direct_check(&d), "large-block-type");
	direct_teardown(&d);
}

/* A page of the block just handed out still marked Buddy. */
TEST(direct_allocated_page_marked_buddy_is_alloc_page_state)
{
	struct direct d;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, DIRECT_ORDER);
	ASSERT_TRUE(pfn);
	SetPageBuddy(kb_pfn_to_page(d.kb, pfn + 2));
	kb_dirty_range(d.kb, pfn + 2, 1);
	EXPECT_STREQ(direct_check(&d), "alloc-page-state");
	direct_teardown(&d);
}

/* A page just put on a pcp list still referenced. */
TEST(direct_referenced_pcp_page_is_pcp_page_state)
{
	struct direct d;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, 0);
	ASSERT_TRUE(pfn);
	direct_check(&d);
	kb_free_pages(d.kb, kb_pfn_to_page(d.kb, pfn), 0);
	set_page_count(kb_pfn_to_page(d.kb, pfn), 1);
	EXPECT_STREQ(direct_check(&d), "pcp-page-state");
	EXPECT_TRUE(strstr(d.v.detail, "referenced") != NULL);
	set_page_count(kb_pfn_to_page(d.kb, pfn), 0);
	direct_teardown(&d);
}

/* Part of a plain block freed at an odd pfn as order 1: it sits on the order-1 pcp list. */
TEST(direct_unaligned_pcp_page_is_order_alignment)
{
	struct direct d;
	unsigned long pfn;

	if (direct_setup(&d))
		return;
	pfn = direct_alloc(&d, 2);
	ASSERT_TRUE(pfn);
	direct_check(&d);
	set_page_count(kb_pfn_to_page(d.kb, pfn + 1), 1);
	kb_free_pages(d.kb, kb_pfn_to_page(d.kb, pfn + 1), 1);
	EXPECT_STREQ(direct_check(&d), "order-alignment");
	EXPECT_TRUE(strstr(d.v.detail, "pcp page") != NULL);
	direct_teardown(&d);
}

/*
 * Unisolation that left a free block of pageblock order beside its free,
 * mergeable buddy: the two halves of a split block, reported unisolated.
 */
TEST(direct_unisolated_block_beside_its_free_buddy_is_fully_merged)
{
	struct direct d;
	struct zone *zone;
	struct page *big, *upper;
	unsigned int o;
	int mt;

	if (direct_setup(&d))
		return;
	o = d.kb->pageblock_order + 1;
	zone = kb_zone(d.kb, 0, ZONE_NORMAL);
	ASSERT_TRUE(!list_empty(&zone->free_area[o].free_list[MIGRATE_MOVABLE]));
	big = list_first_entry(&zone->free_area[o].free_list[MIGRATE_MOVABLE], struct page, lru);
	mt = MIGRATE_MOVABLE;
	upper = big + (1UL << (o - 1));
	/* split by hand, the counts kept: two free halves of order o - 1 */
	list_del(&big->lru);
	zone->free_area[o].nr_free--;
	set_page_private(big, o - 1);
	SetPageBuddy(upper);
	set_page_private(upper, o - 1);
	list_add(&big->lru, &zone->free_area[o - 1].free_list[mt]);
	list_add(&upper->lru, &zone->free_area[o - 1].free_list[mt]);
	zone->free_area[o - 1].nr_free += 2;
	kb_dirty_range(d.kb, kb_page_to_pfn(d.kb, upper), 1);
	kb_incremental_begin(d.ic, d.kb);
	kb_touch(d.kb, KB_TOUCH_UNISOLATE, kb_page_to_pfn(d.kb, upper), d.kb->pageblock_order, mt);
	EXPECT_STREQ(direct_check(&d), "fully-merged");
	EXPECT_TRUE(strstr(d.v.detail, "unisolated") != NULL);
	direct_teardown(&d);
}

TEST_MAIN()
