/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the driver's files (compiled against the kernel headers).
 */
#ifndef REAL_DRIVER_H
#define REAL_DRIVER_H

#include "real_api.h"

struct real_driver {
	bool booted;
	struct real_machine machine;
};
extern struct real_driver real;

int real_boot(const struct real_machine *m, char *err, size_t errlen);
/* kernelcore= / movablecore= (mm/mm_init.c's early_param handlers) */
int real_parse_early_param(const char *name, const char *value);
/* hugepage_init() -> start_stop_khugepaged(): khugepaged starts */
void real_khugepaged_start(void);
/* echo VALUE > /proc/sys/vm/NAME: 0, or the handler's error */
int real_sysctl_write(const char *name, const char *value);
int real_sysctl_write_long(const char *name, long value);
/* /proc/zoneinfo, by mm/vmstat.c's own zoneinfo_show_print() */
size_t real_zoneinfo(char *buf, size_t len);
size_t real_buddyinfo(char *buf, size_t len);
/* The allocator's entry points and the state export (ops.c) */
int real_sysctl_write_index(const char *name, unsigned int index, long value);
void real_alloc_pages(unsigned int gfp, unsigned int order, int cpu, int nid,
		      struct real_alloc *out);
void real_free_pages(unsigned long pfn, unsigned int order, int cpu);
void real_get_page(unsigned long pfn);
void real_put_page(unsigned long pfn, int cpu);
void real_set_oom_victim(bool on);
void real_drain_local(int cpu);
void real_drain_all(void);
int real_pcp_disable(int node, int zone);
int real_pcp_enable(int node, int zone);
void real_state(struct real_state *out);

#endif
