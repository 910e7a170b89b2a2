/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU and node topology (include/linux/topology.h with
 * CONFIG_USE_PERCPU_NUMA_NODE_ID, asm/topology.h): the node of each CPU is
 * the per-CPU numa_node that page_alloc.c defines; node distances come
 * from the layout (kshim_node_distance, set by the driver).
 */
#ifndef KSHIM_TOPOLOGY_H
#define KSHIM_TOPOLOGY_H

DECLARE_PER_CPU(int, numa_node);
DECLARE_PER_CPU(int, _numa_mem_);
extern int kshim_node_distance[MAX_NUMNODES][MAX_NUMNODES];
extern struct cpumask kshim_node_cpumask[MAX_NUMNODES];

#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20
#define DISTANCE_BITS 8
#define RECLAIM_DISTANCE 30
#define node_distance(a, b) (kshim_node_distance[(a)][(b)])
static inline int numa_node_id(void) { return raw_cpu_read(numa_node); }
static inline int cpu_to_node(int cpu) { return per_cpu(numa_node, cpu); }
static inline void set_numa_node(int node) { this_cpu_write(numa_node, node); }
static inline void set_cpu_numa_node(int cpu, int node) { per_cpu(numa_node, cpu) = node; }
static inline int numa_mem_id(void) { return raw_cpu_read(_numa_mem_); }
static inline int cpu_to_mem(int cpu) { return per_cpu(_numa_mem_, cpu); }
static inline void set_numa_mem(int node) { this_cpu_write(_numa_mem_, node); }
static inline void set_cpu_numa_mem(int cpu, int node) { per_cpu(_numa_mem_, cpu) = node; }
static inline int early_cpu_to_node(int cpu) { return cpu_to_node(cpu); }
static inline int numa_node_id_unused(void) { return 0; }
#define cpumask_of_node(node) (&kshim_node_cpumask[(node)])
#define node_cpumask(node) (&kshim_node_cpumask[(node)])
#define nr_cpus_node(node) cpumask_weight(cpumask_of_node(node))

#endif
