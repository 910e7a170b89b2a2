/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data and CPU masks (percpu.h, percpu-defs.h, cpumask.h,
 * smp.h), the kernel's way: every DEFINE_PER_CPU variable lives in one
 * section, kshim_percpu_init() copies that section into a unit per CPU,
 * and a per-CPU pointer plus kshim_percpu_offset[cpu] is that CPU's copy;
 * alloc_percpu() hands out offsets above the static part of every unit.
 * The driver says which simulated CPU runs (kshim_cpu): this_cpu_ptr() and
 * smp_processor_id() follow it.
 */
#ifndef KSHIM_PERCPU_H
#define KSHIM_PERCPU_H

#define NR_CPUS CONFIG_NR_CPUS
extern unsigned int nr_cpu_ids;
extern int kshim_cpu;
extern uintptr_t kshim_percpu_offset[NR_CPUS];
void kshim_percpu_init(void);
void *__alloc_percpu(size_t size, size_t align);
void free_percpu(void __percpu *ptr);
#define alloc_percpu(type) ((typeof(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))

#define PER_CPU_SECTION __attribute__((__section__("kshim_percpu"), __used__))
#define DEFINE_PER_CPU(type, name) PER_CPU_SECTION __typeof__(type) name
#define DEFINE_PER_CPU_ALIGNED(type, name) DEFINE_PER_CPU(type, name)
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name) DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define DECLARE_PER_CPU_ALIGNED(type, name) DECLARE_PER_CPU(type, name)

#define per_cpu_ptr(ptr, cpu) \
	((typeof(ptr))((uintptr_t)(ptr) + kshim_percpu_offset[(cpu)]))
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), cpu))
#define this_cpu_ptr(ptr) per_cpu_ptr(ptr, kshim_cpu)
#define raw_cpu_ptr(ptr) this_cpu_ptr(ptr)
#define this_cpu_read(pcp) (*this_cpu_ptr(&(pcp)))
#define this_cpu_write(pcp, v) (*this_cpu_ptr(&(pcp)) = (v))
#define this_cpu_add(pcp, v) (*this_cpu_ptr(&(pcp)) += (v))
#define this_cpu_sub(pcp, v) (*this_cpu_ptr(&(pcp)) -= (v))
#define this_cpu_inc(pcp) this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp) this_cpu_sub(pcp, 1)
#define this_cpu_add_return(pcp, v) (*this_cpu_ptr(&(pcp)) += (v))
#define this_cpu_xchg(pcp, n) xchg(this_cpu_ptr(&(pcp)), n)
#define this_cpu_cmpxchg(pcp, o, n) cmpxchg(this_cpu_ptr(&(pcp)), o, n)
#define __this_cpu_read this_cpu_read
#define __this_cpu_write this_cpu_write
#define __this_cpu_add this_cpu_add
#define __this_cpu_sub this_cpu_sub
#define __this_cpu_inc this_cpu_inc
#define __this_cpu_dec this_cpu_dec
#define __this_cpu_add_return this_cpu_add_return
#define raw_cpu_read this_cpu_read
#define raw_cpu_write this_cpu_write
#define raw_cpu_add this_cpu_add
#define raw_cpu_inc this_cpu_inc
#define raw_cpu_dec this_cpu_dec
#define get_cpu() (kshim_cpu)
#define put_cpu() do { } while (0)
#define smp_processor_id() (kshim_cpu)
#define raw_smp_processor_id() (kshim_cpu)

/* ---- cpumask: one word holds every CPU */
typedef struct cpumask { unsigned long bits[1]; } cpumask_t;
typedef struct cpumask cpumask_var_t[1];
extern struct cpumask kshim_cpu_online_mask, kshim_cpu_possible_mask;
#define cpu_online_mask (&kshim_cpu_online_mask)
#define cpu_possible_mask (&kshim_cpu_possible_mask)
#define cpu_present_mask (&kshim_cpu_possible_mask)
#define cpumask_bits(m) ((m)->bits)
#define nr_cpumask_bits nr_cpu_ids
static inline bool cpumask_test_cpu(int cpu, const struct cpumask *m) { return test_bit(cpu, m->bits); }
static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m) { set_bit(cpu, m->bits); }
static inline void cpumask_clear_cpu(int cpu, struct cpumask *m) { clear_bit(cpu, m->bits); }
static inline void cpumask_clear(struct cpumask *m) { m->bits[0] = 0; }
static inline bool cpumask_empty(const struct cpumask *m) { return m->bits[0] == 0; }
static inline unsigned int cpumask_weight(const struct cpumask *m) { return hweight_long(m->bits[0]); }
static inline unsigned int cpumask_first(const struct cpumask *m) { return m->bits[0] ? __ffs(m->bits[0]) : nr_cpu_ids; }
static inline unsigned int cpumask_next(int n, const struct cpumask *m)
{
	unsigned long w = (n + 1 >= BITS_PER_LONG) ? 0 : m->bits[0] & (~0UL << (n + 1));
	return w ? __ffs(w) : nr_cpu_ids;
}
#define for_each_cpu(cpu, mask) \
	for ((cpu) = cpumask_first(mask); (cpu) < nr_cpu_ids; (cpu) = cpumask_next((cpu), (mask)))
#define for_each_online_cpu(cpu) for_each_cpu((cpu), cpu_online_mask)
#define for_each_possible_cpu(cpu) for_each_cpu((cpu), cpu_possible_mask)
#define for_each_present_cpu(cpu) for_each_cpu((cpu), cpu_possible_mask)
#define num_online_cpus() cpumask_weight(cpu_online_mask)
#define num_possible_cpus() cpumask_weight(cpu_possible_mask)
#define cpu_online(cpu) cpumask_test_cpu((cpu), cpu_online_mask)
#define cpus_read_lock() do { } while (0)
#define cpus_read_unlock() do { } while (0)
#define get_online_cpus() do { } while (0)
#define put_online_cpus() do { } while (0)
#define cpu_hotplug_disable() do { } while (0)
#define cpu_hotplug_enable() do { } while (0)

#endif
