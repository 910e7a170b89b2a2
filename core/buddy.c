// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy core: free lists, merging on free, splitting on allocation
 * (mm/page_alloc.c: __free_one_page, expand, __rmqueue_smallest and the
 * free-list helpers of the 6.10 freelist-hygiene series).
 */
#include "compaction.h"
#include "internal.h"
#include "loop_bound.h"
#include "spinlock.h"

/* --- pageblock types --- */

void set_pageblock_migratetype(struct kb_instance *kb, struct page *page, int migratetype)
{
	unsigned long pfn = page_to_pfn(kb, page);
	uint8_t *flags = pfnblock_flags(kb, pfn);

	/* The isolate state is a separate bit; it cannot be stored as a type. */
	if (KB_VM_WARN(kb, migratetype == MIGRATE_ISOLATE, "vm-bug-move-freepages",
		       pfn, -1, "set_pageblock_migratetype() called with MIGRATE_ISOLATE"))
		return;
	if (kb->page_group_by_mobility_disabled && migratetype < MIGRATE_PCPTYPES)
		migratetype = MIGRATE_UNMOVABLE;

	*flags = (uint8_t)((*flags & ~PB_MIGRATETYPE_MASK) | (unsigned int)migratetype);
	kb_touch(kb, KB_TOUCH_RETYPE, pageblock_start_pfn(kb, pfn), kb->pageblock_order,
		 migratetype);
}

void set_pageblock_isolate(struct kb_instance *kb, struct page *page)
{
	unsigned long pfn = page_to_pfn(kb, page);

	*pfnblock_flags(kb, pfn) |= PB_migrate_isolate;
	kb_touch(kb, KB_TOUCH_RETYPE, pageblock_start_pfn(kb, pfn), kb->pageblock_order,
		 MIGRATE_ISOLATE);
}

void clear_pageblock_isolate(struct kb_instance *kb, struct page *page)
{
	unsigned long pfn = page_to_pfn(kb, page);

	*pfnblock_flags(kb, pfn) &= (uint8_t)~PB_migrate_isolate;
	kb_touch(kb, KB_TOUCH_UNISOLATE, pageblock_start_pfn(kb, pfn), kb->pageblock_order,
		 get_pfnblock_migratetype(kb, pfn));
}

/* --- accounting --- */

static void mod_zone_page_state(struct kb_instance *kb, struct zone *zone,
				enum zone_stat_item item, long delta)
{
	zone->vm_stat[item] += delta;
	KB_VM_WARN(kb, zone->vm_stat[item] < 0, "vmstat-negative", zone->zone_start_pfn, -1,
		   "zone %s counter %d went negative (%ld)", zone->name, (int)item,
		   zone->vm_stat[item]);
}

/*
 * NR_FREE_PAGES, NR_FREE_CMA_PAGES and nr_free_highatomic follow the free
 * lists; isolated pages count in none of them.
 */
void account_freepages(struct kb_instance *kb, struct zone *zone, long nr_pages,
		       int migratetype)
{
	if (is_migrate_isolate(migratetype))
		return;

	mod_zone_page_state(kb, zone, NR_FREE_PAGES, nr_pages);
	if (is_migrate_cma(migratetype))
		mod_zone_page_state(kb, zone, NR_FREE_CMA_PAGES, nr_pages);
	else if (is_migrate_highatomic(migratetype))
		zone->nr_free_highatomic += (unsigned long)nr_pages;
}

/* --- free list helpers --- */

static void set_buddy_order(struct page *page, unsigned int order)
{
	set_page_private(page, order);
	SetPageBuddy(page);
}

static void warn_freelist_type(struct kb_instance *kb, struct page *page,
			       unsigned int order, int migratetype, const char *what)
{
	unsigned long pfn = page_to_pfn(kb, page);
	int block_mt = get_pfnblock_migratetype(kb, pfn);

	/* Before 6.10 a list's type need not be its pageblock's (profile.h). */
	if (!KB_FREELIST_HYGIENE)
		return;
	KB_VM_WARN(kb, block_mt != migratetype, "freelist-type-warning", pfn, (int)order,
		   "%s: page type is %s, passed migratetype is %s (nr=%lu)", what,
		   kb_migratetype_name(block_mt), kb_migratetype_name(migratetype),
		   1UL << order);
}

static void __add_to_free_list(struct kb_instance *kb, struct page *page,
			       struct zone *zone, unsigned int order,
			       int migratetype, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	warn_freelist_type(kb, page, order, migratetype, "add_to_free_list");
	page->freelist_type = (uint8_t)migratetype;
	if (tail)
		kb_list_add_tail(kb, &page->lru, &area->free_list[migratetype]);
	else
		kb_list_add(kb, &page->lru, &area->free_list[migratetype]);
	area->nr_free++;
	kb_touch(kb, KB_TOUCH_FREE_ADD, page_to_pfn(kb, page), order, migratetype);
}

void add_to_free_list(struct kb_instance *kb, struct page *page, struct zone *zone,
		      unsigned int order, int migratetype, bool tail)
{
	__add_to_free_list(kb, page, zone, order, migratetype, tail);
	account_freepages(kb, zone, 1L << order, migratetype);
}

/*
 * The list a free block leaves: the one it is on before the hygiene series,
 * whose helpers took no type (profile.h KB_FREELIST_HYGIENE); the caller's
 * type, which must be the block's, since.
 */
static int freelist_type_of(const struct page *page, int migratetype)
{
	return KB_FREELIST_HYGIENE ? migratetype : page->freelist_type;
}

static int __del_page_from_free_list(struct kb_instance *kb, struct page *page,
				     struct zone *zone, unsigned int order,
				     int migratetype)
{
	migratetype = freelist_type_of(page, migratetype);
	warn_freelist_type(kb, page, order, migratetype, "del_page_from_free_list");
	kb_list_del(kb, &page->lru);
	ClearPageBuddy(page);
	set_page_private(page, 0);
	zone->free_area[order].nr_free--;
	kb_touch(kb, KB_TOUCH_FREE_DEL, page_to_pfn(kb, page), order, migratetype);
	return migratetype;
}

void del_page_from_free_list(struct kb_instance *kb, struct page *page, struct zone *zone,
			     unsigned int order, int migratetype)
{
	migratetype = __del_page_from_free_list(kb, page, zone, order, migratetype);
	account_freepages(kb, zone, -(1L << order), migratetype);
}

/* Moves a free block to another type's list; the caller retypes the block. */
void move_to_free_list(struct kb_instance *kb, struct page *page, struct zone *zone,
		       unsigned int order, int old_mt, int new_mt)
{
	struct free_area *area = &zone->free_area[order];
	unsigned long pfn = page_to_pfn(kb, page);

	/* Free page moving can fail, so it happens before the type update */
	old_mt = freelist_type_of(page, old_mt);
	warn_freelist_type(kb, page, order, old_mt, "move_to_free_list");
	kb_list_move_tail(kb, &page->lru, &area->free_list[new_mt]);
	page->freelist_type = (uint8_t)new_mt;
	kb_touch(kb, KB_TOUCH_FREE_DEL, pfn, order, old_mt);
	kb_touch(kb, KB_TOUCH_FREE_MOVE, pfn, order, new_mt);

	account_freepages(kb, zone, -(1L << order), old_mt);
	account_freepages(kb, zone, 1L << order, new_mt);
}

static struct page *get_page_from_free_area(struct free_area *area, int migratetype)
{
	if (list_empty(&area->free_list[migratetype]))
		return NULL;
	return list_first_entry(&area->free_list[migratetype], struct page, lru);
}

/* --- merging --- */

static bool page_zone_id_equal(const struct page *a, const struct page *b)
{
	return a->zone == b->zone && a->node == b->node;
}

/*
 * A page can merge with its buddy when the buddy is free (or a guard page),
 * has the same order and lies in the same zone.
 */
bool page_is_buddy(struct kb_instance *kb, struct page *page, struct page *buddy,
		   unsigned int order)
{
	if (!PageGuard(buddy) && !PageBuddy(buddy))
		return false;
	if (buddy_order(buddy) != order)
		return false;
	if (!page_zone_id_equal(page, buddy))
		return false;
	KB_VM_WARN(kb, page_ref_count(buddy) != 0, "vm-bug-buddy-refcount",
		   page_to_pfn(kb, buddy), (int)order, "free buddy has refcount %d",
		   page_ref_count(buddy));
	return true;
}

static unsigned long __find_buddy_pfn(unsigned long page_pfn, unsigned int order)
{
#ifdef KB_BUG_buddy_pfn_wrong_order
	return page_pfn ^ (1UL << (order ? order - 1 : 0));
#else
	return page_pfn ^ (1UL << order);
#endif
}

struct page *find_buddy_page_pfn(struct kb_instance *kb, struct page *page,
				 unsigned long pfn, unsigned int order, unsigned long *buddy_pfn)
{
	unsigned long bpfn = __find_buddy_pfn(pfn, order);
	struct page *buddy;

	if (buddy_pfn)
		*buddy_pfn = bpfn;
	/* The memmap is MAX_PAGE_ORDER aligned, so a buddy pfn always has a page. */
	if (!pfn_valid(kb, bpfn))
		return NULL;
	buddy = pfn_to_page(kb, bpfn);
	if (page_is_buddy(kb, page, buddy, order))
		return buddy;
	return NULL;
}

/*
 * If the next-higher buddy is also free, this block will likely merge soon:
 * put it at the tail so it is not handed out first.
 */
static bool buddy_merge_likely(struct kb_instance *kb, unsigned long pfn,
			       unsigned long buddy_pfn, unsigned int order)
{
	unsigned long higher_page_pfn;
	struct page *higher_page;

	if (order >= kb->max_order - 1)
		return false;

	higher_page_pfn = buddy_pfn & pfn;
	higher_page = pfn_to_page(kb, higher_page_pfn);
	return find_buddy_page_pfn(kb, higher_page, higher_page_pfn, order + 1, NULL) != NULL;
}

static bool bad_range(struct kb_instance *kb, struct zone *zone, struct page *page)
{
	unsigned long pfn = page_to_pfn(kb, page);

	if (!zone_spans_pfn(zone, pfn))
		return true;
	return page->zone != zone->zone_idx || page->node != zone_to_nid(zone);
}

/*
 * Frees a block into the buddy lists, merging with free buddies up to
 * MAX_PAGE_ORDER. At and above pageblock_order, blocks whose types differ
 * merge only when both types are mergeable (not isolated, CMA or highatomic).
 */
/* The compaction of zone the current task runs, if it still waits for a page (task_capc). */
static struct capture_control *task_capc(struct kb_instance *kb, struct zone *zone)
{
	struct capture_control *capc = kb->capture_control;

	return capc && !capc->page && capc->cc->zone == zone ? capc : NULL;
}

void __free_one_page(struct kb_instance *kb, struct page *page, unsigned long pfn,
		     struct zone *zone, unsigned int order, int migratetype, fpi_t fpi_flags)
{
	unsigned long buddy_pfn = 0;
	unsigned long combined_pfn;
	struct page *buddy;
	bool to_tail;

	KB_VM_WARN(kb, !zone->initialized, "vm-bug-zone-span", pfn, (int)order,
		   "freeing into an uninitialized zone");
	KB_VM_WARN(kb, page->flags & PAGE_FLAGS_CHECK_AT_PREP, "bad-page", pfn, (int)order,
		   "page flags 0x%x set at free", page->flags & PAGE_FLAGS_CHECK_AT_PREP);
	KB_VM_WARN(kb, migratetype < 0, "vm-bug-move-freepages", pfn, (int)order,
		   "migratetype -1 at free");
	KB_VM_WARN(kb, pfn & ((1UL << order) - 1), "vm-bug-unaligned", pfn, (int)order,
		   "pfn 0x%lx not aligned to order %u", pfn, order);
	KB_VM_WARN(kb, bad_range(kb, zone, page), "vm-bug-zone-span", pfn, (int)order,
		   "page outside zone %s", zone->name);

	account_freepages(kb, zone, 1L << order, migratetype);

	while (order < kb->max_order) {
		int buddy_mt = migratetype;

		/* A direct compactor in this zone takes a block of its order at once. */
		if (compaction_capture(kb, task_capc(kb, zone), page, (int)order, migratetype)) {
#ifndef KB_BUG_capture_keeps_free_count
			account_freepages(kb, zone, -(1L << order), migratetype);
#endif
			return;
		}

		buddy = find_buddy_page_pfn(kb, page, pfn, order, &buddy_pfn);
		if (!buddy)
			goto done_merging;

		if (order >= kb->pageblock_order) {
			/*
			 * Keep pageblocks without fallbacks (isolated, CMA,
			 * highatomic) from merging with normal ones, or the
			 * per-type free counts would go wrong.
			 */
			buddy_mt = get_pfnblock_migratetype(kb, buddy_pfn);
#ifndef KB_BUG_merge_across_isolate
			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) ||
			     !migratetype_is_mergeable(buddy_mt)))
				goto done_merging;
#endif
		}

		if (PageGuard(buddy)) {
			ClearPageGuard(buddy);
			set_page_private(buddy, 0);
		} else {
			int list_mt = __del_page_from_free_list(kb, buddy, zone, order, buddy_mt);

			/*
			 * Before the hygiene series the buddy may sit on another
			 * type's list (a pcp page drained with a stale type): its
			 * pages now count as the merged block's type.
			 */
			if (!KB_FREELIST_HYGIENE && list_mt != migratetype) {
				account_freepages(kb, zone, -(1L << order), list_mt);
				account_freepages(kb, zone, 1L << order, migratetype);
			}
#ifdef KB_BUG_merge_nr_free
			/* mutant: the merge path forgets to count the buddy out */
			zone->free_area[order].nr_free++;
#endif
		}

		/*
		 * Match the buddy's type so a later expand() lists halves
		 * right: every pageblock of the buddy, which can span several
		 * once MAX_PAGE_ORDER exceeds pageblock_order + 1 ("change all
		 * pageblocks migrate type on coalescing"). Before 6.10 the
		 * buddy keeps its type (KB_FREELIST_HYGIENE).
		 */
		if (KB_FREELIST_HYGIENE && buddy_mt != migratetype) {
#ifdef KB_BUG_merge_retype_first_block_only
			set_pageblock_migratetype(kb, buddy, migratetype);
#else
			change_pageblock_range(kb, buddy, (int)order, migratetype);
#endif
		}

		combined_pfn = buddy_pfn & pfn;
		page = pfn_to_page(kb, combined_pfn);
		pfn = combined_pfn;
		order++;
	}

done_merging:
	set_buddy_order(page, order);

	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(kb, pfn, buddy_pfn, order);

	__add_to_free_list(kb, page, zone, order, migratetype, to_tail);
}

/*
 * Frees a block of any order: blocks above pageblock_order are freed one
 * pageblock at a time, each with its own block's type.
 */
void split_large_buddy(struct kb_instance *kb, struct zone *zone, struct page *page,
		       unsigned long pfn, unsigned int order, fpi_t fpi)
{
	unsigned long end = pfn + (1UL << order), chunks = 0, nr_chunks = 1;

	KB_VM_WARN(kb, pfn & ((1UL << order) - 1), "vm-bug-unaligned", pfn, (int)order,
		   "split_large_buddy: pfn not aligned");
	KB_VM_WARN(kb, PageBuddy(page), "bad-page", pfn, (int)order,
		   "split_large_buddy: page still marked Buddy");

	if (order > kb->pageblock_order) {
		nr_chunks = 1UL << (order - kb->pageblock_order);
		order = kb->pageblock_order;
	}

	for (;;) {
		int mt;

		if (KB_LOOP_BOUND(kb, chunks, nr_chunks, "loop-split-large-buddy", pfn,
				  "chunk at 0x%lx past the block's end 0x%lx", pfn, end))
			break;
		mt = get_pfnblock_migratetype(kb, pfn);

		__free_one_page(kb, page, pfn, zone, order, mt, fpi);
		pfn += 1UL << order;
		if (pfn == end)
			break;
#ifndef KB_BUG_split_large_buddy_wrong_part
		page = pfn_to_page(kb, pfn);
#endif
	}
}

void free_one_page(struct kb_instance *kb, struct zone *zone, struct page *page,
		   unsigned long pfn, unsigned int order, fpi_t fpi_flags)
{
#ifdef KB_BUG_free_one_page_stale_migratetype
	/*
	 * before ad53f92eb416: the type is read before zone->lock and not read
	 * again under it, so a pageblock isolated meanwhile gets a normal list
	 */
	if (order <= kb->pageblock_order) {
		int mt = get_pfnblock_migratetype(kb, pfn);

		spin_lock_irqsave(kb, &zone->lock);
		__free_one_page(kb, page, pfn, zone, order, mt, fpi_flags);
		spin_unlock_irqrestore(kb, &zone->lock);
		kb->vm_events[PGFREE] += 1UL << order;
		return;
	}
#endif
	spin_lock_irqsave(kb, &zone->lock);
	split_large_buddy(kb, zone, page, pfn, order, fpi_flags);
	spin_unlock_irqrestore(kb, &zone->lock);
	kb->vm_events[PGFREE] += 1UL << order;
}

/* --- splitting --- */

/*
 * Splits a block of order high down to order low: the upper halves go back
 * on the lists (the lower half is kept). Returns the pages put back.
 */
unsigned int expand(struct kb_instance *kb, struct zone *zone, struct page *page,
		    int low, int high, int migratetype)
{
	unsigned int size = 1u << high;
	unsigned int nr_added = 0;

	while (high > low) {
		struct page *half;

		high--;
		size >>= 1;
#ifdef KB_BUG_expand_wrong_half
		half = &page[size - 1];
#else
		half = &page[size];
#endif
		KB_VM_WARN(kb, bad_range(kb, zone, half), "vm-bug-expand-zone",
			   page_to_pfn(kb, half), high, "expand: split-off half outside zone %s",
			   zone->name);
		__add_to_free_list(kb, half, zone, (unsigned int)high, migratetype, false);
		set_buddy_order(half, (unsigned int)high);
		nr_added += size;
	}
	return nr_added;
}

void page_del_and_expand(struct kb_instance *kb, struct zone *zone, struct page *page,
			 int low, int high, int migratetype)
{
	long nr_pages = 1L << high;

	__del_page_from_free_list(kb, page, zone, (unsigned int)high, migratetype);
	nr_pages -= expand(kb, zone, page, low, high, migratetype);
	account_freepages(kb, zone, -nr_pages, migratetype);
}

/* Takes the smallest block of this type that fits, from order upward. */
struct page *__rmqueue_smallest(struct kb_instance *kb, struct zone *zone,
				unsigned int order, int migratetype)
{
	unsigned int current_order;

	for (current_order = order; current_order <= kb->max_order; current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page = get_page_from_free_area(area, migratetype);

		if (!page)
			continue;
		page_del_and_expand(kb, zone, page, (int)order, (int)current_order,
				    migratetype);
#if KB_PCP_CACHED_MIGRATETYPE
		/* what a pcp refill's drain frees it with (set_pcppage_migratetype) */
		page->pcp_migratetype = (uint8_t)migratetype;
#endif
		trace_mm_page_alloc_zone_locked(kb, page, order, migratetype,
						pcp_allowed_order(kb, order) &&
						migratetype < MIGRATE_PCPTYPES);
		return page;
	}
	return NULL;
}

/* --- hwpoison: a page taken off the buddy (mm/page_alloc.c) --- */

/* The page is inside a free block: a buddy head at or below it covers it. */
bool is_free_buddy_page(const struct kb_instance *kb, const struct page *page)
{
	unsigned long pfn = page_to_pfn(kb, page);

	for (unsigned int order = 0; order <= kb->max_order; order++) {
		const struct page *head = page - (pfn & ((1UL << order) - 1));

		if (PageBuddy(head) && buddy_order(head) >= order)
			return true;
	}
	return false;
}

/*
 * Breaks the free block of order high at page down to order low, keeping
 * target (a page inside it) out: each half without target goes back on
 * the free list (no guard pages: debug_pagealloc is off).
 */
static void break_down_buddy_pages(struct kb_instance *kb, struct zone *zone,
				   struct page *page, struct page *target, int low, int high,
				   int migratetype)
{
	unsigned long size = 1UL << high;
	struct page *current_buddy;

	while (high > low) {
		high--;
		size >>= 1;
		if (target >= &page[size]) {
			current_buddy = page;
			page = page + size;
		} else {
			current_buddy = page + size;
		}
		add_to_free_list(kb, current_buddy, zone, (unsigned int)high, migratetype, false);
		set_buddy_order(current_buddy, (unsigned int)high);
	}
}

/* Takes a page that will be marked poisoned off the buddy allocator. */
bool take_page_off_buddy(struct kb_instance *kb, struct page *page)
{
	struct zone *zone = page_zone(kb, page);
	unsigned long pfn = page_to_pfn(kb, page);

	for (unsigned int order = 0; order <= kb->max_order; order++) {
		struct page *page_head = page - (pfn & ((1UL << order) - 1));
		unsigned int page_order = (unsigned int)buddy_order(page_head);

		if (PageBuddy(page_head) && page_order >= order) {
			unsigned long pfn_head = page_to_pfn(kb, page_head);
			int migratetype = get_pfnblock_migratetype(kb, pfn_head);

#ifndef KB_BUG_take_off_keeps_free_count
			del_page_from_free_list(kb, page_head, zone, page_order, migratetype);
#else
			/* before the fix: the target page stays counted as free */
			__del_page_from_free_list(kb, page_head, zone, page_order, migratetype);
			account_freepages(kb, zone, 1 - (1L << page_order), migratetype);
#endif
			break_down_buddy_pages(kb, zone, page_head, page, 0, (int)page_order,
					       migratetype);
			kb_dirty_range(kb, pfn, 1);
			SetPageHWPoisonTakenOff(page);
			return true;
		}
		if (page_ref_count(page_head) > 0)
			break;
	}
	return false;
}

/* Cancels take_page_off_buddy: the page's last reference frees it. */
bool put_page_back_buddy(struct kb_instance *kb, struct page *page)
{
	unsigned long pfn = page_to_pfn(kb, page);
	bool ret = false;

	kb_dirty_range(kb, pfn, 1);
	if (put_page_testzero(page)) {
		int migratetype = get_pfnblock_migratetype(kb, pfn);

		ClearPageHWPoisonTakenOff(page);
		__free_one_page(kb, page, pfn, page_zone(kb, page), 0, migratetype, FPI_NONE);
		if (PageHWPoison(page)) {
			ClearPageHWPoison(page);
			ret = true;
		}
	}
	return ret;
}
