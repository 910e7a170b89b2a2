/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rest of what page_alloc.c, mm_init.c and page_isolation.c call
 * outside the allocator, each with what it does here and why. Hooks whose
 * kernel config is off come from the kernel's own headers (kshim.h lists
 * them); these are the ones that needed a word of their own.
 */
#ifndef KSHIM_HOOKS_H
#define KSHIM_HOOKS_H

/* THP: a PMD-sized page is a pageblock (kshim/arch.h). */
enum mthp_stat_item { MTHP_STAT_NR_ANON = 12, __MTHP_STAT_COUNT = 16 };
static inline void mod_mthp_stat(int order, enum mthp_stat_item item, int delta)
{ (void)order; (void)item; (void)delta; }

/* The direct map: page_address() of a page (no HIGHMEM). */
#define virt_addr_valid(kaddr) true
static inline void *lowmem_page_address(const struct page *page)
{ return __va(PFN_PHYS(page_to_pfn(page))); }
void kshim_clear_page(void *addr);
#define clear_page(addr) kshim_clear_page(addr)
#define kunmap_local(addr) do { (void)(addr); } while (0)
static inline void *page_address(const struct page *page);
static inline void *kmap_local_page(struct page *page) { return page_address(page); }
static inline void *kmap(struct page *page) { return page_address(page); }
static inline unsigned long totalhigh_pages(void) { return 0; }
static inline int get_order(unsigned long size)
{
	if (__builtin_constant_p(size) && size == 0)
		return BITS_PER_LONG - PAGE_SHIFT;
	size--;
	size >>= PAGE_SHIFT;
	return fls64(size);
}

/* KASAN is off: the tag of every page is the kernel's. */
#define KASAN_TAG_KERNEL 0xFF
static inline bool kasan_hw_tags_enabled(void) { return false; }
#define __no_sanitize_memory

/* Fault injection (CONFIG_FAIL_PAGE_ALLOC) is off. */
static inline bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{ (void)gfp_mask; (void)order; return false; }

/* Taints, modules, kdump, suspend: nothing to record. */
#define TAINT_BAD_PAGE 5
#define LOCKDEP_NOW_UNRELIABLE 1
void kshim_add_taint(unsigned flag, int lockdep_ok);
#define add_taint(flag, lockdep_ok) kshim_add_taint(flag, lockdep_ok)
#define print_modules() do { } while (0)
#define debug_check_no_locks_freed(a, s) do { } while (0)
#define debug_check_no_obj_freed(a, s) do { } while (0)
static inline bool is_kdump_kernel(void) { return false; }
static inline bool pm_suspended_storage(void) { return false; }
#define printk_deferred_enter() do { } while (0)
#define printk_deferred_exit() do { } while (0)
struct va_format { const char *fmt; va_list *va; };
#define DEFINE_DYNAMIC_DEBUG_METADATA(name, fmt) int name __maybe_unused = 0
#define DYNAMIC_DEBUG_BRANCH(descriptor) false

/* Node reclaim is off (node_reclaim_mode 0); its mode bits still exist. */
#define RECLAIM_ZONE (1 << 0)
#define RECLAIM_WRITE (1 << 1)
#define RECLAIM_UNMAP (1 << 2)
/* Dirty limits are not modelled: every node may take dirty pages. */
static inline bool node_dirty_ok(struct pglist_data *pgdat) { (void)pgdat; return true; }

/* The highest zone of memory policies (mm/mempolicy.c). */
extern enum zone_type policy_zone;
static inline void check_highest_zone(enum zone_type k)
{
	if (k > policy_zone && k != ZONE_MOVABLE)
		policy_zone = k;
}

/* CPU hotplug callbacks: the CPUs are online from boot and stay. */
enum cpuhp_state { CPUHP_PAGE_ALLOC = 50 };
static inline int cpuhp_setup_state_nocalls(enum cpuhp_state s, const char *name,
					    int (*startup)(unsigned int cpu),
					    int (*teardown)(unsigned int cpu))
{ (void)s; (void)name; (void)startup; (void)teardown; return 0; }

/* Memory allocation profiling is off. */
#define alloc_hooks(_do_alloc) _do_alloc

/* build_zonelists' node order penalty for nodes with CPUs */
#define PENALTY_FOR_NODE_WITH_CPUS 1

/*
 * hugetlb (CONFIG_HUGETLB_PAGE sets pageblock_order): no hugetlb pool is
 * configured, so no folio is ever a hugetlb folio and these are never
 * reached with one.
 */
struct hstate;
static inline struct hstate *folio_hstate(struct folio *folio) { (void)folio; return NULL; }
static inline bool hugepage_migration_supported(struct hstate *h) { (void)h; return false; }
static inline void wait_for_freed_hugetlb_folios(void) { }
static inline int replace_free_hugepage_folios(unsigned long start_pfn, unsigned long end_pfn)
{ (void)start_pfn; (void)end_pfn; return 0; }

/* The slab allocator is not up during boot, and nothing here needs it. */
static inline bool slab_is_available(void) { return false; }
void *kmalloc(size_t size, gfp_t flags);
void kfree(const void *p);

unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base);
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base);
unsigned long long memparse(const char *ptr, char **retptr);
bool parse_option_str(const char *str, const char *option);
int kstrtobool(const char *s, bool *res);
unsigned long int_sqrt(unsigned long x);
static inline u64 div64_ul(u64 dividend, unsigned long divisor) { return dividend / divisor; }


#endif
