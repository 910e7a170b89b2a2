/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Atomics and bit operations (include/linux/atomic.h, bitops.h): plain
 * operations, as on one CPU with interrupts off, which is how the driver
 * runs the real code (one simulated CPU at a time).
 */
#ifndef KSHIM_ATOMIC_H
#define KSHIM_ATOMIC_H

#define ATOMIC_INIT(i) { (i) }
#define ATOMIC_LONG_INIT(i) { (i) }
#define __kshim_atomic_ops(pfx, atype, ctype)					\
static inline ctype pfx##_read(const atype *v) { return READ_ONCE(v->counter); } \
static inline void pfx##_set(atype *v, ctype i) { WRITE_ONCE(v->counter, i); }	\
static inline void pfx##_add(ctype i, atype *v) { v->counter += i; }		\
static inline void pfx##_sub(ctype i, atype *v) { v->counter -= i; }		\
static inline void pfx##_inc(atype *v) { v->counter++; }			\
static inline void pfx##_dec(atype *v) { v->counter--; }			\
static inline ctype pfx##_add_return(ctype i, atype *v) { return v->counter += i; } \
static inline ctype pfx##_sub_return(ctype i, atype *v) { return v->counter -= i; } \
static inline ctype pfx##_inc_return(atype *v) { return ++v->counter; }	\
static inline ctype pfx##_dec_return(atype *v) { return --v->counter; }	\
static inline ctype pfx##_fetch_add(ctype i, atype *v) { ctype o = v->counter; v->counter += i; return o; } \
static inline ctype pfx##_fetch_sub(ctype i, atype *v) { ctype o = v->counter; v->counter -= i; return o; } \
static inline ctype pfx##_fetch_inc(atype *v) { return v->counter++; }	\
static inline ctype pfx##_fetch_dec(atype *v) { return v->counter--; }	\
static inline bool pfx##_dec_and_test(atype *v) { return --v->counter == 0; } \
static inline bool pfx##_inc_and_test(atype *v) { return ++v->counter == 0; } \
static inline bool pfx##_sub_and_test(ctype i, atype *v) { return (v->counter -= i) == 0; } \
static inline bool pfx##_add_negative(ctype i, atype *v) { return (v->counter += i) < 0; } \
static inline ctype pfx##_xchg(atype *v, ctype n) { ctype o = v->counter; v->counter = n; return o; } \
static inline ctype pfx##_cmpxchg(atype *v, ctype o, ctype n) { ctype r = v->counter; if (r == o) v->counter = n; return r; } \
static inline bool pfx##_try_cmpxchg(atype *v, ctype *o, ctype n) { if (v->counter == *o) { v->counter = n; return true; } *o = v->counter; return false; } \
static inline bool pfx##_add_unless(atype *v, ctype a, ctype u) { if (v->counter == u) return false; v->counter += a; return true; } \
static inline ctype pfx##_fetch_add_unless(atype *v, ctype a, ctype u) { ctype o = v->counter; if (o != u) v->counter += a; return o; } \
static inline bool pfx##_inc_not_zero(atype *v) { return pfx##_add_unless(v, 1, 0); }
__kshim_atomic_ops(atomic, atomic_t, int)
__kshim_atomic_ops(atomic64, atomic64_t, s64)
__kshim_atomic_ops(atomic_long, atomic_long_t, long)
#define atomic_read_acquire(v) atomic_read(v)
#define atomic_set_release(v, i) atomic_set(v, i)

#define xchg(ptr, v) ({ typeof(*(ptr)) __o = *(ptr); *(ptr) = (v); __o; })
#define cmpxchg(ptr, o, n) ({ typeof(*(ptr)) __r = *(ptr); if (__r == (o)) *(ptr) = (n); __r; })
#define try_cmpxchg(ptr, po, n) ({ bool __ok = *(ptr) == *(po); if (__ok) *(ptr) = (n); else *(po) = *(ptr); __ok; })

/* ---- bit operations on unsigned long words */
#define __kshim_word(nr, addr) (((unsigned long *)(addr))[BIT_WORD(nr)])
static inline void set_bit(long nr, volatile unsigned long *addr) { __kshim_word(nr, addr) |= BIT_MASK(nr); }
static inline void clear_bit(long nr, volatile unsigned long *addr) { __kshim_word(nr, addr) &= ~BIT_MASK(nr); }
static inline void change_bit(long nr, volatile unsigned long *addr) { __kshim_word(nr, addr) ^= BIT_MASK(nr); }
static inline bool test_bit(long nr, const volatile unsigned long *addr) { return (addr[BIT_WORD(nr)] >> (nr % BITS_PER_LONG)) & 1; }
static inline bool test_and_set_bit(long nr, volatile unsigned long *addr) { bool o = test_bit(nr, addr); set_bit(nr, addr); return o; }
static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr) { bool o = test_bit(nr, addr); clear_bit(nr, addr); return o; }
#define __set_bit set_bit
#define __clear_bit clear_bit
#define __change_bit change_bit
#define __test_and_set_bit test_and_set_bit
#define __test_and_clear_bit test_and_clear_bit
#define clear_bit_unlock clear_bit
#define __clear_bit_unlock clear_bit
#define test_and_set_bit_lock test_and_set_bit
#define test_bit_acquire test_bit
#define arch_test_bit test_bit
static inline unsigned long __ffs(unsigned long w) { return __builtin_ctzl(w); }
static inline unsigned long __fls(unsigned long w) { return BITS_PER_LONG - 1 - __builtin_clzl(w); }
#define ffs(x) __builtin_ffs(x)
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int fls_long(unsigned long l) { return fls64(l); }
static inline unsigned long ffz(unsigned long w) { return __ffs(~w); }
static inline unsigned int hweight32(unsigned int w) { return __builtin_popcount(w); }
static inline unsigned long hweight64(u64 w) { return __builtin_popcountll(w); }
static inline unsigned long hweight_long(unsigned long w) { return __builtin_popcountl(w); }
static inline unsigned long __ffs64(u64 w) { return __builtin_ctzll(w); }
#define ilog2(n) ((n) ? (int)__fls((unsigned long)(n)) : -1)
#define order_base_2(n) ((n) > 1 ? ilog2((n) - 1) + 1 : 0)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
static inline unsigned long roundup_pow_of_two(unsigned long n) { return 1UL << fls_long(n - 1); }
static inline unsigned long rounddown_pow_of_two(unsigned long n) { return 1UL << (fls_long(n) - 1); }
#define for_each_set_bit(bit, addr, size) \
	for ((bit) = 0; (bit) < (size); (bit)++) if (test_bit((bit), (addr)))
#define GOLDEN_RATIO_64 0x61C8864680B583EBull
static inline u32 hash_32(u32 val, unsigned int bits) { return (val * 0x61C88647) >> (32 - bits); }

#endif
