// SPDX-License-Identifier: GPL-2.0
/*
 * The entry points of this build, as one table named after its geometry.
 */
#include <kshim/kshim.h>
#include <kshim/runtime.h>

#include "driver.h"

static void set_verbose(bool verbose)
{
	kshim_report.verbose = verbose;
}

static void take_warnings(struct real_warnings *out)
{
	out->count = kshim_report.nr_warnings;
	memcpy(out->first, kshim_report.first, sizeof(out->first));
	kshim_report.nr_warnings = 0;
	kshim_report.first[0] = 0;
}

#define REAL_STR2(x) #x
#define REAL_STR(x) REAL_STR2(x)

__attribute__((__visibility__("default")))
const struct real_ops REAL_FN(real_ops) = {
	.geometry = REAL_STR(REAL_GEOMETRY),
	.max_order = MAX_PAGE_ORDER,
	.pb_order = KSHIM_PAGEBLOCK_ORDER,
	.boot = real_boot,
	.set_verbose = set_verbose,
	.take_warnings = take_warnings,
	.zoneinfo = real_zoneinfo,
	.buddyinfo = real_buddyinfo,
	.sysctl_write = real_sysctl_write,
	.sysctl_write_index = real_sysctl_write_index,
	.alloc_pages = real_alloc_pages,
	.free_pages = real_free_pages,
	.drain_local = real_drain_local,
	.drain_all = real_drain_all,
	.pcp_disable = real_pcp_disable,
	.pcp_enable = real_pcp_enable,
	.get_page = real_get_page,
	.put_page = real_put_page,
	.set_oom_victim = real_set_oom_victim,
	.state = real_state,
};
