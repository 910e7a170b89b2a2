// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU areas the kernel's way (mm/percpu.c, setup_per_cpu_areas): a
 * unit per possible CPU holding a copy of the kshim_percpu section, then
 * the dynamic chunks alloc_percpu() hands out at the same offset in every
 * unit. kshim_percpu_offset[cpu] turns a per-CPU pointer into that CPU's
 * copy.
 */
#include <kshim/kshim.h>
#include <stdlib.h>

#define KSHIM_PERCPU_UNIT (1UL << 20)

extern char __start_kshim_percpu[], __stop_kshim_percpu[];

unsigned int nr_cpu_ids = 1;
int kshim_cpu;
uintptr_t kshim_percpu_offset[NR_CPUS];
struct cpumask kshim_cpu_online_mask, kshim_cpu_possible_mask;
struct cpumask kshim_node_cpumask[MAX_NUMNODES];
int kshim_node_distance[MAX_NUMNODES][MAX_NUMNODES];

static char *units[NR_CPUS];
static size_t dynamic_used;

DEFINE_PER_CPU(int, _numa_mem_);

/*
 * The section's variables carry ASan redzones between them; the copy reads
 * them as bytes, so it must not be checked.
 */
__attribute__((__no_sanitize_address__))
static void copy_section(char *dst, const char *src, size_t size)
{
	for (size_t i = 0; i < size; i++)
		dst[i] = src[i];
}

void kshim_percpu_init(void)
{
	size_t static_size = (size_t)(__stop_kshim_percpu - __start_kshim_percpu);

	if (static_size > KSHIM_PERCPU_UNIT / 2)
		kshim_panic("per-CPU section too large (%zu bytes)", static_size);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!units[cpu]) {
			units[cpu] = aligned_alloc(4096, KSHIM_PERCPU_UNIT);
			if (!units[cpu])
				kshim_panic("no memory for per-CPU unit %d", cpu);
		}
		memset(units[cpu], 0, KSHIM_PERCPU_UNIT);
		copy_section(units[cpu], __start_kshim_percpu, static_size);
		kshim_percpu_offset[cpu] = (uintptr_t)units[cpu] - (uintptr_t)__start_kshim_percpu;
	}
	dynamic_used = ALIGN(static_size, 64);
}

void *__alloc_percpu(size_t size, size_t align)
{
	size_t off = ALIGN(dynamic_used, align < 8 ? 8 : align);

	if (off + size > KSHIM_PERCPU_UNIT)
		return NULL;
	dynamic_used = off + size;
	/* Already zero in every unit (kshim_percpu_init cleared them). */
	return (void *)((uintptr_t)__start_kshim_percpu + off);
}

void free_percpu(void __percpu *ptr)
{
	(void)ptr;	/* units are reused whole at the next kshim_percpu_init */
}
