/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page and its flags: the fields of the kernel's struct page that the
 * buddy allocator reads or writes (include/linux/mm_types.h, page-flags.h).
 */
#ifndef KB_MM_TYPES_H
#define KB_MM_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)

/*
 * Page flags. The kernel keeps Buddy, Guard and Offline in page_type and the
 * tail marker in bit 0 of compound_head; here they are plain bits of one word
 * so a checker can read them at a glance. Zone and node ids are separate
 * fields rather than packed into the flags.
 */
enum pageflags {
	PG_reserved,	/* memblock-reserved, hole or otherwise never freed */
	PG_buddy,	/* head of a free block on a free_list (page_type) */
	PG_guard,	/* debug_pagealloc guard page (page_type) */
	PG_offline,	/* taken out by memory offlining (page_type) */
	PG_head,	/* head of a compound page */
	PG_tail,	/* tail of a compound page */
	PG_hwpoison,	/* hardware-poisoned: never handed out again */
	PG_locked,	/* in PAGE_FLAGS_CHECK_AT_FREE: must be clear at free */
	PG_lru,		/* in PAGE_FLAGS_CHECK_AT_FREE: must be clear at free */
	PG_active,	/* on an active LRU list (PAGE_FLAGS_CHECK_AT_FREE) */
	PG_referenced,	/* accessed once since it went on the LRU (mark_page_accessed) */
	PG_swapbacked,	/* an anon LRU page: only swap could reclaim it */
	NR_PAGEFLAGS
};

struct page {
	uint32_t flags;
	int32_t _refcount;
	int32_t _mapcount;		/* -1 when unmapped, as in the kernel */
	uint8_t zone;			/* page_zonenum() */
	uint8_t node;			/* page_to_nid() */
	uint8_t compound_order;		/* head only: folio_order() */
	uint8_t lru_order;		/* head on an LRU list: the order of its block */
	/* on a pcp list: the type its drain frees it with (6.1's page->index) */
	uint8_t pcp_migratetype;
	/* free block head: the type of the free list it is on (kbuddy's own) */
	uint8_t freelist_type;
	unsigned long private;		/* buddy order while PageBuddy/Guard */
	void *mapping;			/* must be NULL at free (bad_page) */
	/* As in the kernel, a tail page's compound_head is its lru.next. */
	union {
		struct list_head lru;		/* free_list or pcp list link */
		unsigned long compound_head;	/* tail only: pfn of its head */
	};
};

#define PAGE_FLAG_FNS(name, bit)					\
static inline bool Page##name(const struct page *page)			\
{ return page->flags & (1u << PG_##bit); }				\
static inline void SetPage##name(struct page *page)			\
{ page->flags |= 1u << PG_##bit; }					\
static inline void ClearPage##name(struct page *page)			\
{ page->flags &= ~(1u << PG_##bit); }

PAGE_FLAG_FNS(Reserved, reserved)
PAGE_FLAG_FNS(Buddy, buddy)
PAGE_FLAG_FNS(Guard, guard)
PAGE_FLAG_FNS(Offline, offline)
PAGE_FLAG_FNS(Head, head)
PAGE_FLAG_FNS(Tail, tail)
PAGE_FLAG_FNS(HWPoison, hwpoison)
PAGE_FLAG_FNS(Locked, locked)
PAGE_FLAG_FNS(Lru, lru)
PAGE_FLAG_FNS(Active, active)
PAGE_FLAG_FNS(Referenced, referenced)
PAGE_FLAG_FNS(SwapBacked, swapbacked)

/* Flags that bad_page() reports when found set on a page being freed. */
#define PAGE_FLAGS_CHECK_AT_FREE \
	((1u << PG_locked) | (1u << PG_lru) | (1u << PG_active) | (1u << PG_reserved) | \
	 (1u << PG_hwpoison))
/* Flags that must be clear on a page handed out by prep_new_page(). */
#define PAGE_FLAGS_CHECK_AT_PREP \
	((1u << PG_locked) | (1u << PG_lru) | (1u << PG_active) | (1u << PG_referenced) | \
	 (1u << PG_swapbacked) | (1u << PG_reserved) | (1u << PG_buddy) | (1u << PG_guard) | (1u << PG_head) | (1u << PG_tail))

/*
 * A page soft offline took off the buddy (SetPageHWPoisonTakenOff) has
 * this private value, so unpoison_memory knows to put it back.
 */
#define MAGIC_HWPOISON	0x48575053U

static inline bool PageHWPoisonTakenOff(const struct page *page)
{
	return page->private == MAGIC_HWPOISON;
}

static inline void SetPageHWPoisonTakenOff(struct page *page)
{
	page->private = MAGIC_HWPOISON;
}

static inline void ClearPageHWPoisonTakenOff(struct page *page)
{
	page->private = 0;
}

static inline unsigned long buddy_order(const struct page *page)
{
	return page->private;
}

static inline void set_page_private(struct page *page, unsigned long v)
{
	page->private = v;
}

static inline int page_ref_count(const struct page *page)
{
	return page->_refcount;
}

static inline void set_page_count(struct page *page, int v)
{
	page->_refcount = v;
}

static inline void set_page_refcounted(struct page *page)
{
	page->_refcount = 1;
}

/*
 * page_expected_state(): nothing bad_page() would report, with check_flags
 * the flags that must be clear. Tested without a branch per field: it runs
 * for every page of every block allocated and freed.
 */
static inline bool page_expected_state(const struct page *page, uint32_t check_flags)
{
	return (page->_mapcount == -1) & !page->mapping & (page_ref_count(page) == 0) &
	       !(page->flags & check_flags);
}

static inline void page_ref_inc(struct page *page)
{
	page->_refcount++;
}

/* Drops one reference and says whether it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	return --page->_refcount == 0;
}

#endif /* KB_MM_TYPES_H */
