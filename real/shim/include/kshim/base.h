/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ground the real headers stand on: the kernel's basic types, compiler
 * attributes, BUG/WARN, printk and atomics, for a single-threaded userspace
 * process (what include/linux/types.h, compiler*.h, bug.h, printk.h and
 * atomic.h give a kernel build).
 */
#ifndef KSHIM_BASE_H
#define KSHIM_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>

/* ---- types (include/linux/types.h) */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s32 __s32;
typedef s64 __s64;
typedef long __kernel_long_t;
typedef unsigned long __kernel_ulong_t;
typedef long ssize_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef phys_addr_t resource_size_t;
typedef unsigned long pgoff_t;
typedef long loff_t;	/* glibc's; the kernel's is long long, the same size */
typedef unsigned long uintptr_t_k;
typedef int pid_t;
typedef unsigned short umode_t;
typedef u64 sector_t;
typedef unsigned int fmode_t;
typedef s64 ktime_t;
typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef atomic64_t atomic_long_t;

struct list_head { struct list_head *next, *prev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };
struct callback_head { struct callback_head *next; void (*func)(struct callback_head *head); };
#define rcu_head callback_head

#define __bitwise
#define __force
#define __user
#define __iomem
#define __rcu
#define __percpu
#define __private
#define __randomize_layout
#define __no_randomize_layout
#define ACCESS_PRIVATE(p, member) ((p)->member)

/* ---- compiler (include/linux/compiler*.h) */
#undef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define noinline_for_stack noinline
#define __noreturn __attribute__((__noreturn__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __used __attribute__((__used__))
#define __cold __attribute__((__cold__))
#define __pure __attribute__((__pure__))
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __must_check __attribute__((__warn_unused_result__))
#define __section(s) __attribute__((__section__(s)))
#define __weak __attribute__((__weak__))
#define __alloc_size(...)
#define __malloc
#define __realloc_size(...)
#define __assume_kmalloc_alignment
#define __assume_page_alignment
#define __counted_by(m)
#define __nocfi
#define __init
#define __initdata
#define __initconst
#define __meminit
#define __meminitdata
#define __refdata
#define __ref
#define __exit
#define __read_mostly
#define __ro_after_init
#define __cacheline_aligned
#define __cacheline_aligned_in_smp
#define ____cacheline_aligned
#define ____cacheline_aligned_in_smp
#define ____cacheline_internodealigned_in_smp
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __acquire(x) (void)0
#define __release(x) (void)0
#define __cond_lock(x, c) (c)
#define __latent_entropy
#define __visible
#define __no_sanitize_address
#define __no_kcsan
#define __noinstr
#define noinstr
#define notrace
#define asmlinkage
#define __flatten
#define __diag_push()
#define __diag_pop()
#define __diag_ignore_all(o, c)
#define fallthrough __attribute__((__fallthrough__))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#define _THIS_IP_ ({ __label__ __here; __here: (unsigned long)&&__here; })
#define barrier() __asm__ __volatile__("" ::: "memory")
#define is_signed_type(type) (((type)(-1)) < (__force type)1)
#define is_unsigned_type(type) (!is_signed_type(type))
#define statically_true(x) (__builtin_constant_p(x) && (x))
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define __must_be_array(a) 0
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)
#define __is_constexpr(x) \
	(sizeof(int) == sizeof(*(8 ? ((void *)((long)(x) * 0l)) : (int *)8)))
#define __scalar_type_to_expr_cases(type) \
		unsigned type:	(unsigned type)0, \
		signed type:	(signed type)0
#define __unqual_scalar_typeof(x) typeof(				\
		_Generic((x),						\
			 char:	(char)0,				\
			 __scalar_type_to_expr_cases(char),		\
			 __scalar_type_to_expr_cases(short),		\
			 __scalar_type_to_expr_cases(int),		\
			 __scalar_type_to_expr_cases(long),		\
			 __scalar_type_to_expr_cases(long long),	\
			 default: (x)))
#define READ_ONCE(x) (*(const volatile __unqual_scalar_typeof(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile typeof(x) *)&(x) = (val); } while (0)
#define data_race(expr) (expr)
#define smp_mb() barrier()
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define smp_mb__before_atomic() barrier()
#define smp_mb__after_atomic() barrier()
#define smp_load_acquire(p) READ_ONCE(*(p))
#define smp_store_release(p, v) WRITE_ONCE(*(p), v)
#define smp_store_mb(var, value) WRITE_ONCE(var, value)
#define mb() barrier()
#define rmb() barrier()
#define wmb() barrier()
#define prefetch(x) __builtin_prefetch(x)
#define prefetchw(x) __builtin_prefetch(x, 1)
extern void __kshim_build_bug(void) __attribute__((__error__("BUILD_BUG_ON failed")));
#define BUILD_BUG_ON(cond) do { if (cond) __kshim_build_bug(); } while (0)
#define BUILD_BUG_ON_MSG(cond, msg) BUILD_BUG_ON(cond)
#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int : (-!!(e)); })))
#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((long)(e))))
#define BUILD_BUG() __kshim_build_bug()
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define __compiletime_assert(c, m, p, s) BUILD_BUG_ON(!(c))
#define compiletime_assert(c, m) BUILD_BUG_ON(!(c))
#define IS_ENABLED(option) __is_defined(option)
#define __is_defined(x) ___is_defined(x)
#define __ARG_PLACEHOLDER_1 0,
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define __take_second_arg(__ignored, val, ...) val
#define IS_BUILTIN(option) __is_defined(option)
#define IS_REACHABLE(option) __is_defined(option)
#define EXPORT_SYMBOL(s)
#define EXPORT_PER_CPU_SYMBOL(s)
#define EXPORT_PER_CPU_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_NS_GPL(s, ns)
#define early_param(s, f)
#define __setup(s, f)
#define core_initcall(f)
#define __initcall(f)
#define postcore_initcall(f)
#define subsys_initcall(f)
#define late_initcall(f)
#define module_init(f)
#define pure_initcall(f)
#define arch_initcall(f)
#define device_initcall(f)
#define fs_initcall(f)
#define __GFP_FLAGS_UNUSED
#define __nocast
#define __kernel
#define __safe
#define __must_not_hold(x)
#define __no_context_analysis
#define __builtin_cpu_supports_unused

/* ---- arithmetic (include/linux/kernel.h, math.h, align.h, bits.h) */
#define BITS_PER_LONG 64
#define BITS_PER_LONG_LONG 64
#define BITS_PER_BYTE 8
#define BITS_PER_TYPE(type) (sizeof(type) * BITS_PER_BYTE)
#define BITS_TO_LONGS(nr) DIV_ROUND_UP(nr, BITS_PER_TYPE(long))
#define _AC(X, Y) X##Y
#define _AT(T, X) ((T)(X))
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))
#define UL(x) (_UL(x))
#define ULL(x) (_ULL(x))
#define _BITUL(x) (_UL(1) << (x))
#define BIT(nr) (UL(1) << (nr))
#define BIT_ULL(nr) (ULL(1) << (nr))
#define BIT_MASK(nr) (UL(1) << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define GENMASK(h, l) (((~UL(0)) - (UL(1) << (l)) + 1) & (~UL(0) >> (BITS_PER_LONG - 1 - (h))))
#define __ALIGN_KERNEL(x, a) __ALIGN_KERNEL_MASK(x, (typeof(x))(a) - 1)
#define __ALIGN_KERNEL_MASK(x, mask) (((x) + (mask)) & ~(mask))
#define ALIGN(x, a) __ALIGN_KERNEL((x), (a))
#define ALIGN_DOWN(x, a) __ALIGN_KERNEL((x) - ((a) - 1), (a))
#define PTR_ALIGN(p, a) ((typeof(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(ll, d) DIV_ROUND_UP((unsigned long long)(ll), (d))
#define DIV_ROUND_CLOSEST(x, divisor) (((x) + ((divisor) / 2)) / (divisor))
#define __round_mask(x, y) ((__typeof__(x))((y) - 1))
#define round_up(x, y) ((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y) ((x) & ~__round_mask(x, y))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y) ((x) - ((x) % (y)))
#define mult_frac(x, n, d) ((x) / (d) * (n) + ((x) % (d)) * (n) / (d))
#define abs(x) __builtin_labs(x)
#define swap(a, b) do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)
#define do_div(n, base) ({ u32 __base = (base); u32 __rem = (u32)((n) % __base); (n) = (n) / __base; __rem; })
static inline u64 div_u64(u64 dividend, u32 divisor) { return dividend / divisor; }
static inline u64 div64_u64(u64 dividend, u64 divisor) { return dividend / divisor; }
static inline s64 div_s64(s64 dividend, s32 divisor) { return dividend / divisor; }
#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define S16_MAX ((s16)(U16_MAX >> 1))
#define U32_MAX ((u32)~0U)
#define S32_MAX ((s32)(U32_MAX >> 1))
#define U64_MAX ((u64)~0ULL)
#define S64_MAX ((s64)(U64_MAX >> 1))
#define PHYS_ADDR_MAX (~(phys_addr_t)0)
#define SIZE_MAX_K (~(size_t)0)
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))
#define SZ_1K 0x400
#define SZ_4K 0x1000
#define SZ_32K 0x8000
#define SZ_64K 0x10000
#define SZ_1M 0x100000
#define SZ_16M 0x1000000
#define SZ_4G 0x100000000ULL
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define __struct_group(TAG, NAME, ATTRS, MEMBERS...) \
	union { struct { MEMBERS } ATTRS; struct TAG { MEMBERS } ATTRS NAME; } ATTRS
#define struct_group(NAME, MEMBERS...) __struct_group(/* no tag */, NAME, /* no attrs */, MEMBERS)
#define array_size(a, b) ((size_t)(a) * (size_t)(b))
#define struct_size(p, member, count) (sizeof(*(p)) + sizeof(*(p)->member) * (count))
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

/* ---- errno */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define E2BIG 7
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define EDEADLK 35
#define ENOSYS 38
#define ENOTSUPP 524
#define EOPNOTSUPP 95
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR_VALUE((unsigned long)ptr); }

#endif /* KSHIM_BASE_H */

/* ---- static keys (include/linux/jump_label.h): plain flags */
#ifndef KSHIM_STATIC_KEYS
#define KSHIM_STATIC_KEYS
struct static_key { int enabled; };
struct static_key_true { struct static_key key; };
struct static_key_false { struct static_key key; };
#define DEFINE_STATIC_KEY_TRUE(name) struct static_key_true name = { { 1 } }
#define DEFINE_STATIC_KEY_FALSE(name) struct static_key_false name = { { 0 } }
#define DEFINE_STATIC_KEY_TRUE_RO(name) DEFINE_STATIC_KEY_TRUE(name)
#define DEFINE_STATIC_KEY_FALSE_RO(name) DEFINE_STATIC_KEY_FALSE(name)
#define DECLARE_STATIC_KEY_TRUE(name) extern struct static_key_true name
#define DECLARE_STATIC_KEY_FALSE(name) extern struct static_key_false name
#define DEFINE_STATIC_KEY_MAYBE(cfg, name) __PASTE(_DEFINE_STATIC_KEY_, IS_ENABLED(cfg))(name)
#define _DEFINE_STATIC_KEY_1(name) DEFINE_STATIC_KEY_TRUE(name)
#define _DEFINE_STATIC_KEY_0(name) DEFINE_STATIC_KEY_FALSE(name)
#define DECLARE_STATIC_KEY_MAYBE(cfg, name) __PASTE(_DECLARE_STATIC_KEY_, IS_ENABLED(cfg))(name)
#define _DECLARE_STATIC_KEY_1(name) DECLARE_STATIC_KEY_TRUE(name)
#define _DECLARE_STATIC_KEY_0(name) DECLARE_STATIC_KEY_FALSE(name)
#define static_branch_likely(x) likely((x)->key.enabled)
#define static_branch_unlikely(x) unlikely((x)->key.enabled)
#define static_branch_maybe(cfg, x) static_branch_likely(x)
#define static_branch_enable(x) ((x)->key.enabled = 1)
#define static_branch_disable(x) ((x)->key.enabled = 0)
#define static_branch_inc(x) ((x)->key.enabled++)
#define static_branch_dec(x) ((x)->key.enabled--)
#define static_key_enabled(x) ((x)->key.enabled)
#define static_key_false(x) ((x)->enabled)
#define static_key_true(x) ((x)->enabled)
#endif

/* Types the real headers name only through pointers. */
struct mem_cgroup;
struct ctl_table;
struct seq_file;
struct task_struct;
struct mm_struct;
struct vm_area_struct;
struct address_space;
struct file;
struct inode;
struct kmem_cache;
struct shrinker;
struct obj_cgroup;
struct dev_pagemap;
struct page_pool;
struct lruvec;
struct vm_struct;
struct alloc_context;
struct capture_control;
struct compact_control;
#define ASSERT_EXCLUSIVE_BITS(var, mask) do { } while (0)
#define ASSERT_EXCLUSIVE_WRITER(var) do { } while (0)
