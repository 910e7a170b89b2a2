// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU page lists (mm/page_alloc.c): batch and high sizing, refilling
 * from the buddy in batches, freeing back in bulk once count reaches high,
 * draining, and disabling the lists of a zone.
 *
 * Not modelled: decay_pcp_high (periodic vmstat work) and the remote-node
 * expiry; ZONE_RECLAIM_ACTIVE is never set because there is no kswapd.
 */
#include "internal.h"
#include "loop_bound.h"
#include "sched.h"
#include "spinlock.h"

/* The largest power of two not above n (1 for n < 2). */
static int rounddown_pow_of_two(int n)
{
	return n < 2 ? 1 : 1 << ilog2((unsigned long)n);
}

/* Pages moved between the buddy and a pcp list at a time. */
int zone_batchsize(struct kb_instance *kb, struct zone *zone)
{
	int batch;

	(void)kb;
#if KB_BATCH_FROM_1M
	/*
	 * ~0.1% of the zone or 1 MiB, divided by 4 because it is *4 later.
	 * A zone below 4096 pages gets 0 here; the caller makes that 1.
	 */
	batch = (int)KB_MIN(zone_managed_pages(zone) >> 10, (1UL << 20) / PAGE_SIZE);
	batch /= 4;
	if (batch < 1)
		batch = 1;
#else
	/* ~0.025% of the zone or 256 KiB, whichever is smaller */
	batch = (int)KB_MIN(zone_managed_pages(zone) >> 12, (256UL << 10) / PAGE_SIZE);
	if (batch <= 1)
		return 1;
#endif
	/* Clamp to 2^n - 1 for better cache colouring. */
	return rounddown_pow_of_two(batch + batch / 2) - 1;
}

/*
 * pcp->high: the zone's low watermark (or managed / high_fraction) split
 * over the CPUs of the zone's node, at least batch * 4.
 */
static int zone_highsize(struct kb_instance *kb, struct zone *zone, int batch,
			 int cpu_online, int high_fraction)
{
	unsigned long total_pages;
	int nr_split_cpus;
	int high;

	if (!high_fraction)
		total_pages = low_wmark_pages(zone);
	else
		total_pages = zone_managed_pages(zone) / (unsigned long)high_fraction;

	/* Nodes without CPUs split over every online CPU. */
	nr_split_cpus = zone->zone_pgdat->nr_cpus + cpu_online;
	if (!nr_split_cpus)
		nr_split_cpus = kb->nr_cpu_ids;
	high = (int)(total_pages / (unsigned long)nr_split_cpus);

	return KB_MAX(high, batch << 2);
}

static void pageset_update(struct per_cpu_pages *pcp, int high_min, int high_max, int batch)
{
	pcp->batch = batch;
	pcp->high_min = high_min;
	pcp->high_max = high_max;
#if KB_PCP_HIGH_AUTOTUNE
	/*
	 * pcp->high keeps its value and is clamped into the new limits on
	 * its next use, so a CPU that never freed to this zone shows 0.
	 */
#else
	/* one static limit: high_min == high_max == high */
	pcp->high = high_min;
#endif
}

static void __zone_set_pageset_high_and_batch(struct kb_instance *kb, struct zone *zone,
					      int high_min, int high_max, int batch)
{
	int cpu;

	for (cpu = 0; cpu < kb->nr_cpu_ids; cpu++)
		pageset_update(&zone->per_cpu_pageset[cpu], high_min, high_max, batch);
}

static void zone_set_pageset_high_and_batch(struct kb_instance *kb, struct zone *zone,
					    int cpu_online)
{
	int new_high_min, new_high_max, new_batch;

	/* 6.1-6.14 wrap zone_batchsize in max(1, ...): its 1 MiB form gives 0 below 4096 pages */
	new_batch = KB_MAX(1, zone_batchsize(kb, zone));
#if !KB_PCP_HIGH_AUTOTUNE
	/* One static high from the low watermark or the sysctl's fraction. */
	new_high_min = zone_highsize(kb, zone, new_batch, cpu_online,
				     kb->percpu_pagelist_high_fraction);
	new_high_max = new_high_min;
#else
	if (kb->percpu_pagelist_high_fraction) {
		new_high_min = zone_highsize(kb, zone, new_batch, cpu_online,
					     kb->percpu_pagelist_high_fraction);
		/* A manual fraction disables auto-tuning. */
		new_high_max = new_high_min;
	} else {
		new_high_min = zone_highsize(kb, zone, new_batch, cpu_online, 0);
		new_high_max = zone_highsize(kb, zone, new_batch, cpu_online,
					     MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}
#endif

	if (zone->pageset_high_min == new_high_min &&
	    zone->pageset_high_max == new_high_max &&
	    zone->pageset_batch == new_batch)
		return;

	zone->pageset_high_min = new_high_min;
	zone->pageset_high_max = new_high_max;
	zone->pageset_batch = new_batch;

	/* While the zone's lists are disabled they keep high 0 and batch 1. */
	if (zone->pcp_disabled)
		return;
	__zone_set_pageset_high_and_batch(kb, zone, new_high_min, new_high_max, new_batch);
}

/* The boot pageset: high 0 and batch 1, so every free goes straight back. */
void zone_pcp_init(struct kb_instance *kb, struct zone *zone)
{
	int cpu, i;

	for (cpu = 0; cpu < KB_MAX_CPUS; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		*pcp = (struct per_cpu_pages){ .batch = 1 };
		for (i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&pcp->lists[i]);
	}
	(void)kb;
}

void zone_pcp_update(struct kb_instance *kb, struct zone *zone, bool cpu_online)
{
	zone_set_pageset_high_and_batch(kb, zone, cpu_online);
}

/* --- allocation side --- */

#if !KB_PCP_HIGH_AUTOTUNE
/*
 * How many blocks to pull from the buddy into an empty pcp list, as
 * __rmqueue_pcplist computes it before 6.7: the batch, scaled to the order
 * when the list may keep pages (batch > 1).
 */
static int nr_pcp_alloc(struct per_cpu_pages *pcp, struct zone *zone, unsigned int order)
{
	int batch = pcp->batch;

	(void)zone;
	if (batch > 1)
		batch = KB_MAX(batch >> order, 2);
	return batch;
}
#else
/* How many blocks to pull from the buddy into an empty pcp list. */
static int nr_pcp_alloc(struct per_cpu_pages *pcp, struct zone *zone, unsigned int order)
{
	int high, base_batch, batch, max_nr_alloc;
	int high_max, high_min;

	base_batch = pcp->batch;
	high_min = pcp->high_min;
	high_max = pcp->high_max;
	high = pcp->high = KB_CLAMP(pcp->high, high_min, high_max);

	/* Check for PCP disabled or boot pageset */
	if (high < base_batch)
		return 1;

	if (order)
		batch = base_batch;
	else
		batch = base_batch << pcp->alloc_factor;

	/* A larger pcp->high could have avoided going to the zone. */
	if (high_min != high_max && !(zone->flags & (1UL << ZONE_BELOW_HIGH)))
		high = pcp->high = KB_MIN(high + batch, high_max);

	if (!order) {
		max_nr_alloc = KB_MAX(high - pcp->count - base_batch, base_batch);
		/* Double the batch on each refill without frees in between. */
		if (batch <= max_nr_alloc && pcp->alloc_factor < CONFIG_PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = KB_MIN(batch, max_nr_alloc);
	}

	/* Scale to the order when the list may keep pages (batch > 1). */
	if (batch > 1)
		batch = KB_MAX(batch >> order, 2);
	return batch;
}
#endif

/* Takes count blocks of one order off the buddy onto a pcp list, in pfn order. */
static int rmqueue_bulk(struct kb_instance *kb, struct zone *zone, unsigned int order,
			int count, struct list_head *list, int migratetype,
			unsigned int alloc_flags, unsigned int pindex)
{
	int mode = RMQUEUE_NORMAL;
	int i;

	spin_lock_irqsave(kb, &zone->lock);
	for (i = 0; i < count; ++i) {
		struct page *page = __rmqueue(kb, zone, order, migratetype, alloc_flags, &mode);

		if (!page)
			break;
		kb_list_add_tail(kb, &page->lru, list);
		kb_touch(kb, KB_TOUCH_PCP_ADD, page_to_pfn(kb, page), order, (int)pindex);
	}
	if (i)
		kb->vm_events[PCP_REFILL]++;
	/* the pages are on the list; pcp->count follows after the unlock */
	spin_unlock_irqrestore(kb, &zone->lock);
	return i;
}

/*
 * Takes a page off list, refilling it from the buddy when empty, and
 * skips pages that fail check_new_pages (__rmqueue_pcplist). The caller
 * holds the pcp list: rmqueue_pcplist for one page, alloc_pages_bulk
 * for a batch.
 */
struct page *__rmqueue_pcplist(struct kb_instance *kb, struct zone *zone, unsigned int order,
			       int migratetype, unsigned int alloc_flags,
			       struct per_cpu_pages *pcp, struct list_head *list)
{
	unsigned int pindex = (unsigned int)(list - pcp->lists);
	struct page *page;

	do {
		if (list_empty(list)) {
			int batch = nr_pcp_alloc(pcp, zone, order);
			int alloced = rmqueue_bulk(kb, zone, order, batch, list, migratetype,
						   alloc_flags, pindex);

			pcp->count += alloced << order;
			if (list_empty(list))
				return NULL;
		}

		page = list_first_entry(list, struct page, lru);
		kb_list_del(kb, &page->lru);
		pcp->count -= 1 << order;
		kb_touch(kb, KB_TOUCH_PCP_DEL, page_to_pfn(kb, page), order, (int)pindex);
	} while (check_new_pages(kb, page, order));
	return page;
}

struct page *rmqueue_pcplist(struct kb_instance *kb, struct zone *preferred_zone,
			     struct zone *zone, unsigned int order, int migratetype,
			     unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[kb->cpu];
	struct list_head *list = &pcp->lists[order_to_pindex(kb, migratetype, order)];
	struct page *page;

	(void)preferred_zone;
	/* A remote drain or an interrupted free on this CPU may hold it: go to the buddy. */
	if (!pcp_spin_trylock(kb, pcp))
		return NULL;
	kb_yield(kb, KB_YIELD_PCP_LOCKED);
	/* Allocating shrinks the batch the next frees will use. */
#if KB_PCP_HIGH_AUTOTUNE
	pcp->free_count >>= 1;
#else
	pcp->free_factor >>= 1;
#endif
	page = __rmqueue_pcplist(kb, zone, order, migratetype, alloc_flags, pcp, list);
	pcp_spin_unlock(kb, pcp);
	return page;
}

/* --- free side --- */

/*
 * Frees count pages from the pcp lists to the buddy, round-robin over the
 * lists starting with pindex. Each page's type is read again from its
 * pageblock now: the block may have changed type (or been isolated) while
 * the page sat on the list. Before 6.10 (KB_PCP_CACHED_MIGRATETYPE) the
 * page keeps the type cached when it went on the list, and the pageblock
 * is read only while the zone has isolated pageblocks.
 */
static void free_pcppages_bulk(struct kb_instance *kb, struct zone *zone, int count,
			       struct per_cpu_pages *pcp, int pindex)
{
	count = KB_MIN(pcp->count, count);

	/* Ensure the requested pindex is drained first. */
	pindex = pindex - 1;

	spin_lock_irqsave(kb, &zone->lock);
	while (count > 0) {
		struct list_head *list;
		unsigned long probes = 0;
		unsigned int order;
		int nr_pages;

		/*
		 * Remove pages from lists in a round-robin fashion. A pcp->count
		 * above the pages on the lists finds them all empty: the kernel
		 * spins here; one round over the lists is the bound.
		 */
		do {
			if (KB_LOOP_BOUND(kb, probes, NR_PCP_LISTS, "loop-free-pcppages-bulk",
					  zone->zone_start_pfn,
					  "cpu %d: %d pages left to free of pcp->count %d, every pcp list empty",
					  (int)(pcp - zone->per_cpu_pageset), count, pcp->count))
				goto out;
			if (++pindex > NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));

		order = pindex_to_order(kb, (unsigned int)pindex);
		nr_pages = 1 << order;
		do {
			struct page *page = list_last_entry(list, struct page, lru);
			unsigned long pfn = page_to_pfn(kb, page);
#ifdef KB_BUG_stale_migratetype_at_drain
			int mt = pindex < NR_LOWORDER_PCP_LISTS ?
				 pindex % MIGRATE_PCPTYPES : MIGRATE_MOVABLE;
#elif KB_PCP_CACHED_MIGRATETYPE
			int mt = zone->nr_isolate_pageblock ? get_pfnblock_migratetype(kb, pfn) :
							      page->pcp_migratetype;
#else
			int mt = get_pfnblock_migratetype(kb, pfn);
#endif

			kb_list_del(kb, &page->lru);
			kb_touch_cpu(kb, KB_TOUCH_PCP_DEL, pfn, order, pindex,
				     (int)(pcp - zone->per_cpu_pageset));
			count -= nr_pages;
#ifndef KB_BUG_pcp_count_drift
			pcp->count -= nr_pages;
#else
			pcp->count -= order ? nr_pages - 1 : nr_pages;
#endif
			trace_mm_page_pcpu_drain(kb, page, order, mt);
			__free_one_page(kb, page, pfn, zone, order, mt, FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
out:
	spin_unlock_irqrestore(kb, &zone->lock);
}

#if !KB_PCP_HIGH_AUTOTUNE
/*
 * The pcp high limit for this free before 6.7: the static high, none when a
 * CPU frees high-order pages after freeing (free_high), and at most four
 * batches while reclaim runs.
 */
static int nr_pcp_high(struct per_cpu_pages *pcp, struct zone *zone, bool free_high)
{
	int high = pcp->high;

	if (!high || free_high)
		return 0;
	if (!(zone->flags & (1UL << ZONE_RECLAIM_ACTIVE)))
		return high;
	/* If reclaim is active, limit what the pcp lists may hold. */
	return KB_MIN(pcp->batch << 2, high);
}

/* How many pages to free once count reached high, before 6.7. */
static int nr_pcp_free(struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	int min_nr_free, max_nr_free;

	/* Free everything if batch freeing high-order pages. */
	if (free_high)
		return pcp->count;

	/* Check for PCP disabled or boot pageset */
	if (high < batch)
		return 1;

	/* Leave at least pcp->batch pages on the list */
	min_nr_free = batch;
	max_nr_free = high - batch;

	/* Double what is freed on each further free without an allocation. */
	batch <<= pcp->free_factor;
	if (batch < max_nr_free && pcp->free_factor < CONFIG_PCP_BATCH_SCALE_MAX)
		pcp->free_factor++;
	return KB_CLAMP(batch, min_nr_free, max_nr_free);
}

/* Puts a freed page on this CPU's list and drains when count reaches high. */
void free_unref_page_commit(struct kb_instance *kb, struct zone *zone,
			    struct per_cpu_pages *pcp, struct page *page,
			    int migratetype, unsigned int order)
{
	unsigned int pindex = order_to_pindex(kb, migratetype, order);
	bool free_high;
	int high;

	kb->vm_events[PGFREE] += 1UL << order;
	kb_list_add(kb, &page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	kb_touch(kb, KB_TOUCH_PCP_ADD, page_to_pfn(kb, page), order, (int)pindex);

	/*
	 * High-order pages other than THP on the lists fragment memory:
	 * a CPU that frees them without allocating drains its lists.
	 */
	free_high = pcp->free_factor && order && order <= PAGE_ALLOC_COSTLY_ORDER;

	high = nr_pcp_high(pcp, zone, free_high);
	if (pcp->count >= high) {
		kb->vm_events[PCP_DRAIN_HIGH]++;
		free_pcppages_bulk(kb, zone, nr_pcp_free(pcp, pcp->batch, high, free_high),
				   pcp, (int)pindex);
	}
}

#else
/* The pcp high limit for this free, with the auto-tuning of 6.7+. */
static int nr_pcp_high(struct per_cpu_pages *pcp, struct zone *zone, int batch,
		       bool free_high)
{
	int high, high_min, high_max;

	high_min = pcp->high_min;
	high_max = pcp->high_max;
	high = pcp->high = KB_CLAMP(pcp->high, high_min, high_max);

	if (!high)
		return 0;

	if (free_high) {
		pcp->high = KB_MAX(high - (batch << CONFIG_PCP_BATCH_SCALE_MAX), high_min);
		return 0;
	}

	/* If reclaim is active, limit what the pcp lists may hold. */
	if (zone->flags & (1UL << ZONE_RECLAIM_ACTIVE)) {
		int free_count = KB_MAX(pcp->free_count, batch);

		pcp->high = KB_MAX(high - free_count, high_min);
		return KB_MIN(batch << 2, pcp->high);
	}

	if (high_min == high_max)
		return high;

	if (zone->flags & (1UL << ZONE_BELOW_HIGH)) {
		int free_count = KB_MAX(pcp->free_count, batch);

		pcp->high = KB_MAX(high - free_count, high_min);
		high = KB_MAX(pcp->count, high_min);
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;

		/* pcp->high should be large enough to hold batch freed pages */
		if (pcp->high < need_high)
			pcp->high = KB_CLAMP(need_high, high_min, high_max);
	}
	return high;
}

/* How many pages to free once count reached high. */
static int nr_pcp_free(struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	int min_nr_free, max_nr_free;

	/* Free as much as possible if batch freeing high-order pages. */
	if (free_high)
		return KB_MIN(pcp->count, batch << CONFIG_PCP_BATCH_SCALE_MAX);

	/* Check for PCP disabled or boot pageset */
	if (high < batch)
		return 1;

	/* Leave at least pcp->batch pages on the list */
	min_nr_free = batch;
	max_nr_free = high - batch;

	/* Grow the batch with the run of consecutive frees. */
	return KB_CLAMP(pcp->free_count, min_nr_free, max_nr_free);
}

/* Puts a freed page on this CPU's list and drains when count reaches high. */
void free_unref_page_commit(struct kb_instance *kb, struct zone *zone,
			    struct per_cpu_pages *pcp, struct page *page,
			    int migratetype, unsigned int order)
{
	unsigned int pindex = order_to_pindex(kb, migratetype, order);
	bool free_high = false;
	int high, batch;

	/* Freeing shrinks the batch the next refills will use. */
	pcp->alloc_factor >>= 1;
	kb->vm_events[PGFREE] += 1UL << order;
	kb_list_add(kb, &page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	kb_touch(kb, KB_TOUCH_PCP_ADD, page_to_pfn(kb, page), order, (int)pindex);

	batch = pcp->batch;
	/*
	 * High-order pages other than THP on the lists fragment memory:
	 * limit them when the CPU frees heavily without allocating.
	 */
	if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
#if KB_FREE_HIGH_NEEDS_HALF_HIGH_MIN
		int threshold = batch + pcp->high_min / 2;
#else
		int threshold = batch;
#endif
		free_high = (pcp->free_count >= threshold &&
			     (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) &&
			     (!(pcp->flags & PCPF_FREE_HIGH_BATCH) || pcp->count >= batch));
		pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	} else if (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) {
		pcp->flags &= (unsigned char)~PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < (batch << CONFIG_PCP_BATCH_SCALE_MAX))
		pcp->free_count = (short)(pcp->free_count + (1 << order));

	high = nr_pcp_high(pcp, zone, batch, free_high);
	if (pcp->count >= high) {
		kb->vm_events[PCP_DRAIN_HIGH]++;
		free_pcppages_bulk(kb, zone, nr_pcp_free(pcp, batch, high, free_high), pcp,
				   (int)pindex);
		if ((zone->flags & (1UL << ZONE_BELOW_HIGH)) &&
		    zone_watermark_ok(kb, zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0))
			zone->flags &= ~(1UL << ZONE_BELOW_HIGH);
	}
}

#endif /* KB_PCP_HIGH_AUTOTUNE */

/* --- draining --- */

void drain_pages_zone(struct kb_instance *kb, int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	unsigned long stalled = 0;
	int count;

#ifdef KB_BUG_drain_count_outside_lock
	/* before 66eca1021a42: the count read before taking the lock */
	count = pcp->count;
	if (!count)
		return;
#endif
	do {
		int before;

		pcp_spin_lock(kb, pcp);
		before = pcp->count;
#ifndef KB_BUG_drain_count_outside_lock
		count = before;
#endif
		if (count) {
			int to_drain = KB_MIN(count, pcp->batch << CONFIG_PCP_BATCH_SCALE_MAX);

			free_pcppages_bulk(kb, zone, to_drain, pcp, 0);
			count -= to_drain;
		}
		pcp_spin_unlock(kb, pcp);
		/*
		 * Every round frees at least one page, or the kernel spins
		 * here (a pcp->batch of 0, a count the lists do not hold): a
		 * round that leaves pcp->count where it was is past the bound.
		 */
		if (count > 0 && pcp->count >= before &&
		    KB_LOOP_BOUND(kb, stalled, 0, "loop-drain-pages-zone", zone->zone_start_pfn,
				  "cpu %d: a drain round left pcp->count at %d (batch %d)",
				  cpu, pcp->count, pcp->batch))
			break;
	} while (count > 0);
}

static void drain_pages(struct kb_instance *kb, int cpu)
{
	int nid, zid;

	for (nid = 0; nid < kb->nr_node_ids; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &kb->node_data[nid].node_zones[zid];

			if (populated_zone(zone))
				drain_pages_zone(kb, cpu, zone);
		}
}

void kb_drain_local_pages(struct kb_instance *kb)
{
	drain_pages(kb, kb->cpu);
}

/* Drains every CPU's lists of one zone, or of all zones when zone is NULL. */
void drain_all_pages(struct kb_instance *kb, struct zone *zone)
{
	int cpu;

	for (cpu = 0; cpu < kb->nr_cpu_ids; cpu++) {
		/* remotely: this CPU takes each CPU's pcp->lock in turn */
		kb_yield(kb, KB_YIELD_DRAIN_CPU);
		if (zone)
			drain_pages_zone(kb, cpu, zone);
		else
			drain_pages(kb, cpu);
	}
}

void kb_drain_all_pages(struct kb_instance *kb)
{
	drain_all_pages(kb, NULL);
}

/*
 * Disables the pcp lists of a zone (memory offlining, contiguous
 * allocation): high 0 and batch 1 so frees go straight through, then drain.
 * The kernel serialises this with the global pcp_batch_high_lock, so only
 * one zone can be disabled at a time: a second disable returns -EDEADLK
 * (the kernel would deadlock) and an unbalanced enable -EINVAL.
 */
int kb_zone_pcp_disable(struct kb_instance *kb, struct zone *zone)
{
	if (kb->pcp_batch_high_lock_held)
		return -EDEADLK;
	kb->pcp_batch_high_lock_held = true;
	zone->pcp_disabled = 1;
#ifdef KB_BUG_pcp_disable_drain_before_high
	/*
	 * before ec6e8c7e0314: offlining drained the lists while they were
	 * still in use, so a free after a CPU's drain stays on its list
	 */
	drain_all_pages(kb, zone);
	kb_yield(kb, KB_YIELD_PCP_DISABLE);
	__zone_set_pageset_high_and_batch(kb, zone, 0, 0, 1);
	return 0;
#endif
	__zone_set_pageset_high_and_batch(kb, zone, 0, 0, 1);
	kb_yield(kb, KB_YIELD_PCP_DISABLE);
#ifndef KB_BUG_pcp_disable_no_drain
	drain_all_pages(kb, zone);
#endif
	return 0;
}

int kb_zone_pcp_enable(struct kb_instance *kb, struct zone *zone)
{
	if (!zone->pcp_disabled)
		return -EINVAL;
	__zone_set_pageset_high_and_batch(kb, zone, zone->pageset_high_min,
					  zone->pageset_high_max, zone->pageset_batch);
	zone->pcp_disabled = 0;
	kb->pcp_batch_high_lock_held = false;
	return 0;
}
