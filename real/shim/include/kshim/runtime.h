/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shim's own state, for the driver: what the real code reported, the
 * machine it runs on (memory, CPUs, nodes), and the reclaim and migration
 * hooks kbuddy's runner plays.
 */
#ifndef KSHIM_RUNTIME_H
#define KSHIM_RUNTIME_H

struct kshim_report_state {
	unsigned long nr_warnings;
	char first[256];	/* the first warning since the last reset */
	unsigned long taints;
	bool verbose;		/* printk and warnings to stderr */
};
extern struct kshim_report_state kshim_report;

/* The sysctl tables page_alloc.c registered (register_sysctl_init). */
struct ctl_table *kshim_find_sysctl(const char *procname);

/* The memory model: vmemmap and the direct map cover [0, nr_pfns). */
int kshim_memory_init(unsigned long nr_pfns, unsigned int backing_bytes_unused);
void kshim_memory_exit(void);
extern unsigned long kshim_nr_pfns;

#endif
