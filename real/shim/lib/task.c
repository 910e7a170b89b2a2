// SPDX-License-Identifier: GPL-2.0
/*
 * The task, the clock and the globals other mm/ files define: one task
 * (whose flags the allocator reads), a clock that stands still, and the
 * counters of mm/show_mem.c, mm/memory.c, mm/mempolicy.c, mm/swap.c.
 */
#include <kshim/kshim.h>

static struct signal_struct kshim_signal;
static struct task_struct kshim_task = { .signal = &kshim_signal, .comm = "kbuddy" };
struct task_struct *kshim_current = &kshim_task;
unsigned long volatile jiffies;
enum system_states system_state = SYSTEM_BOOTING;

atomic_long_t _totalram_pages;		/* mm/show_mem.c */
unsigned long totalreserve_pages;	/* mm/show_mem.c */
unsigned long totalcma_pages;		/* mm/show_mem.c */
unsigned long highest_memmap_pfn;	/* mm/memory.c */
enum zone_type policy_zone;		/* mm/mempolicy.c */
atomic_t lru_disable_count;		/* mm/swap.c */
struct pglist_data *node_data[MAX_NUMNODES];	/* mm/numa.c */
DEFINE_MUTEX(oom_lock);			/* mm/oom_kill.c */

/* mm/swap.c: the per-CPU LRU caches hold nothing (kbuddy has no LRU). */
void lru_cache_disable(void)
{
	atomic_inc(&lru_disable_count);
}

/* mm/mempolicy.c, alloc_pages() under the default policy: the local node. */
struct page *alloc_pages_noprof(gfp_t gfp, unsigned int order)
{
	return __alloc_pages_noprof(gfp, order, numa_node_id(), NULL);
}

/* arch/x86/mm/numa.c: every node of the layout is online with memory. */
void alloc_offline_node_data(int nid)
{
	kshim_panic("node %d has no pg_data_t: the driver allocates every node", nid);
}
