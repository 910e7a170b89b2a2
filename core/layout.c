/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine layouts as the allocator boots them: defaults, the memmap's
 * extent, and validation. The text and binary forms and the built-in
 * layouts are in machine/ (machine/layout_io.h).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kbuddy.h"
#include "layout.h"
#include "profile.h"

void kb_layout_init(struct kb_layout *l)
{
	unsigned int i, j;

	memset(l, 0, sizeof(*l));
	l->max_page_order = KB_DEFAULT_MAX_PAGE_ORDER;
	l->pageblock_order = KB_DEFAULT_PAGEBLOCK_ORDER;
	l->min_free_kbytes = -1;
	l->boot_path = KB_BOOT_MEMBLOCK;
	for (i = 0; i < KB_MAX_NODES; i++)
		for (j = 0; j < KB_MAX_NODES; j++)
			l->node[i].distance[j] = i == j ? KB_LOCAL_DISTANCE
							: KB_REMOTE_DISTANCE;
}

unsigned long kb_layout_max_pfn(const struct kb_layout *layout)
{
	unsigned long highest = 0, align = 1UL << layout->max_page_order;
	unsigned int nid, zid;

	for (nid = 0; nid < layout->nr_nodes && nid < KB_MAX_NODES; nid++)
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			if (layout->node[nid].zone[zid].end > highest)
				highest = layout->node[nid].zone[zid].end;
	return (highest + align - 1) / align * align;
}

unsigned int kb_layout_nr_cpus(const struct kb_layout *layout)
{
	unsigned int i, n = 0;

	for (i = 0; i < layout->nr_nodes && i < KB_MAX_NODES; i++)
		n += layout->node[i].nr_cpus;
	return n;
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */

static int fail(char *err, size_t errlen, const struct kb_layout_lines *ln,
		unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const struct kb_layout_lines *ln,
		unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!err || !errlen)
		return -1;
	if (ln)
		n = snprintf(err, errlen, "line %u: ", line ? line : ln->last);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

#define LINE(field)	(ln ? ln->field : 0)

static bool range_inside_zone(const struct kb_layout *l, const struct kb_range *r,
			      unsigned int *nid, unsigned int *zid)
{
	unsigned int n, z;

	for (n = 0; n < l->nr_nodes; n++) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct kb_range *zr = &l->node[n].zone[z];

			if (zr->start < zr->end && zr->start <= r->start &&
			    r->end <= zr->end) {
				*nid = n;
				*zid = z;
				return true;
			}
		}
	}
	return false;
}

/* Is [start, end) covered by the zones of one node, gaps between them excluded? */
static bool range_inside_node(const struct kb_layout *l, const struct kb_range *r)
{
	unsigned int n, z;

	for (n = 0; n < l->nr_nodes; n++) {
		unsigned long cur = r->start;
		bool progress = true;

		while (cur < r->end && progress) {
			progress = false;
			for (z = 0; z < MAX_NR_ZONES; z++) {
				const struct kb_range *zr = &l->node[n].zone[z];

				if (zr->start <= cur && cur < zr->end) {
					cur = zr->end;
					progress = true;
				}
			}
		}
		if (cur >= r->end)
			return true;
	}
	return false;
}

static int check_range(const struct kb_layout *l, const char *kind,
		       const struct kb_range *r, const struct kb_layout_lines *ln,
		       unsigned int line, char *err, size_t errlen)
{
	if (r->start >= r->end)
		return fail(err, errlen, ln, line, "%s [%#lx, %#lx) is empty",
			    kind, r->start, r->end);
	if (r->end > KB_MAX_PFN)
		return fail(err, errlen, ln, line,
			    "%s [%#lx, %#lx) ends past the highest pfn %#lx",
			    kind, r->start, r->end, KB_MAX_PFN);
	if (!range_inside_node(l, r))
		return fail(err, errlen, ln, line,
			    "%s [%#lx, %#lx) is not inside the zones of one node",
			    kind, r->start, r->end);
	return 0;
}

static int validate_zones(const struct kb_layout *l, const struct kb_layout_lines *ln,
			  char *err, size_t errlen)
{
	unsigned long prev_node_end = 0;
	unsigned int n, z, cpus = 0;

	for (n = 0; n < l->nr_nodes; n++) {
		const struct kb_layout_node *node = &l->node[n];
		int prev = -1;

		if (node->nr_cpus > KB_MAX_CPUS)
			return fail(err, errlen, ln, LINE(node[n]),
				    "node %u has %u CPUs; at most %d in all",
				    n, node->nr_cpus, KB_MAX_CPUS);
		cpus += node->nr_cpus;
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct kb_range *r = &node->zone[z];
			unsigned int line = LINE(zone[n][z]);

			if (r->start > r->end)
				return fail(err, errlen, ln, line,
					    "zone %u %s: start %#lx is above end %#lx",
					    n, kb_zone_name(z), r->start, r->end);
			if (r->start == r->end)
				continue;
			if (z >= KB_NR_LAYOUT_ZONES)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) must stay empty: its memory never reaches the buddy allocator",
					    n, kb_zone_name(z), r->start, r->end);
			if (r->end > KB_MAX_PFN)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) ends past the highest pfn %#lx",
					    n, kb_zone_name(z), r->start, r->end,
					    KB_MAX_PFN);
			if (prev >= 0 && r->start < node->zone[prev].end)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) overlaps or lies below zone %u %s [%#lx, %#lx); zones must ascend by index",
					    n, kb_zone_name(z), r->start, r->end,
					    n, kb_zone_name(prev),
					    node->zone[prev].start,
					    node->zone[prev].end);
			if (prev < 0 && n > 0 && r->start < prev_node_end)
				return fail(err, errlen, ln, line,
					    "zone %u %s [%#lx, %#lx) starts below the end %#lx of node %u; nodes must ascend without overlap",
					    n, kb_zone_name(z), r->start, r->end,
					    prev_node_end, n - 1);
			prev = (int)z;
		}
		if (prev < 0)
			return fail(err, errlen, ln, LINE(node[n]),
				    "node %u has no non-empty zone", n);
		prev_node_end = node->zone[prev].end;
	}
	if (cpus < 1 || cpus > KB_MAX_CPUS)
		return fail(err, errlen, ln, LINE(node[l->nr_nodes - 1]),
			    "%u CPUs in all; a layout needs 1..%d",
			    cpus, KB_MAX_CPUS);
	return 0;
}

/* The first of arr[0..nr) that r overlaps, or -1. */
static int first_overlap(const struct kb_range *r, const struct kb_range *arr, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (kb_ranges_overlap(r, &arr[i]))
			return (int)i;
	return -1;
}

/* Late-freed memory is present memory no other range claims. */
static int validate_late_free(const struct kb_layout *l, const struct kb_layout_lines *ln,
			      char *err, size_t errlen)
{
	static const char *const what[] = { "hole", "reserved", "cma", "late_free" };
	unsigned int i, k;

	if (l->nr_late_free > KB_MAX_RANGES)
		return fail(err, errlen, ln, 0, "%u late_free ranges; at most %d",
			    l->nr_late_free, KB_MAX_RANGES);
	for (i = 0; i < l->nr_late_free; i++) {
		const struct kb_range *r = &l->late_free[i];
		const struct kb_range *arr[] = { l->hole, l->reserved, l->cma, l->late_free };
		const unsigned int nr[] = { l->nr_holes, l->nr_reserved, l->nr_cma, i };
		unsigned int line = LINE(late_free[i]);

		if (check_range(l, "late_free", r, ln, line, err, errlen))
			return -1;
		if (l->late_free_kind[i] >= KB_NR_LATE_KINDS)
			return fail(err, errlen, ln, line, "late_free [%#lx, %#lx) has kind %u",
				    r->start, r->end, l->late_free_kind[i]);
		for (k = 0; k < 4; k++) {
			int j = first_overlap(r, arr[k], nr[k]);

			if (j >= 0)
				return fail(err, errlen, ln, line,
					    "late_free [%#lx, %#lx) overlaps %s [%#lx, %#lx)",
					    r->start, r->end, what[k], arr[k][j].start,
					    arr[k][j].end);
		}
	}
	return 0;
}

/* THP mode, the after-boot sysctls and the profile name. */
static int validate_boot(const struct kb_layout *l, const struct kb_layout_lines *ln,
			 char *err, size_t errlen)
{
	static const char *const profiles[] = KB_PROFILE_NAMES;
	unsigned int i;
	bool known = !l->profile[0];

	if ((unsigned int)l->thp >= KB_NR_THP_MODES)
		return fail(err, errlen, ln, LINE(thp), "unknown thp mode %d", (int)l->thp);
	if (l->nr_boot_sysctls > KB_MAX_BOOT_SYSCTLS)
		return fail(err, errlen, ln, 0, "%u after-boot sysctls; at most %d",
			    l->nr_boot_sysctls, KB_MAX_BOOT_SYSCTLS);
	for (i = 0; i < l->nr_boot_sysctls; i++) {
		const struct kb_boot_sysctl *b = &l->boot_sysctl[i];
		unsigned int line = LINE(boot_sysctl[i]);

		if (b->sysctl >= KB_NR_SYSCTLS)
			return fail(err, errlen, ln, line, "unknown sysctl %u", b->sysctl);
		if (b->read && b->sysctl != KB_SYSCTL_LOWMEM_RESERVE_RATIO)
			return fail(err, errlen, ln, line,
				    "a read of %s changes nothing; only lowmem_reserve_ratio's handler recomputes on a read",
				    kb_sysctl_name((enum kb_sysctl)b->sysctl));
		if (!b->read && kb_sysctl_check((enum kb_sysctl)b->sysctl, b->index, b->value))
			return fail(err, errlen, ln, line,
				    "sysctl %s index %u value %ld is outside what the kernel accepts",
				    kb_sysctl_name((enum kb_sysctl)b->sysctl), b->index,
				    b->value);
	}
	if (memchr(l->profile, '\0', sizeof(l->profile)) == NULL)
		return fail(err, errlen, ln, LINE(profile), "profile name is not terminated");
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(l->profile, profiles[i]))
			known = true;
	if (!known)
		return fail(err, errlen, ln, LINE(profile),
			    "unknown profile '%s' (6.1, 6.6, 6.12, mainline)", l->profile);
	return 0;
}

static int validate_ranges(const struct kb_layout *l, const struct kb_layout_lines *ln,
			   char *err, size_t errlen)
{
	unsigned long pb = 1UL << l->pageblock_order;
	unsigned int i, j, nid, zid;

	if (l->nr_holes > KB_MAX_RANGES || l->nr_reserved > KB_MAX_RANGES ||
	    l->nr_cma > KB_MAX_RANGES)
		return fail(err, errlen, ln, 0,
			    "%u holes, %u reserved and %u cma ranges; at most %d of each",
			    l->nr_holes, l->nr_reserved, l->nr_cma, KB_MAX_RANGES);
	for (i = 0; i < l->nr_holes; i++)
		if (check_range(l, "hole", &l->hole[i], ln, LINE(hole[i]),
				err, errlen))
			return -1;
	for (i = 0; i < l->nr_reserved; i++)
		if (check_range(l, "reserved", &l->reserved[i], ln,
				LINE(reserved[i]), err, errlen))
			return -1;
	for (i = 0; i < l->nr_cma; i++) {
		const struct kb_range *r = &l->cma[i];
		unsigned int line = LINE(cma[i]);

		if (check_range(l, "cma", r, ln, line, err, errlen))
			return -1;
		if (r->start % pb || r->end % pb)
			return fail(err, errlen, ln, line,
				    "cma [%#lx, %#lx) is not aligned to the pageblock size (%lu pages)",
				    r->start, r->end, pb);
		if (!range_inside_zone(l, r, &nid, &zid))
			return fail(err, errlen, ln, line,
				    "cma [%#lx, %#lx) is not inside one zone",
				    r->start, r->end);
		for (j = 0; j < l->nr_holes; j++)
			if (kb_ranges_overlap(r, &l->hole[j]))
				return fail(err, errlen, ln, line,
					    "cma [%#lx, %#lx) overlaps hole [%#lx, %#lx)",
					    r->start, r->end, l->hole[j].start,
					    l->hole[j].end);
		for (j = 0; j < l->nr_reserved; j++)
			if (kb_ranges_overlap(r, &l->reserved[j]))
				return fail(err, errlen, ln, line,
					    "cma [%#lx, %#lx) overlaps reserved [%#lx, %#lx)",
					    r->start, r->end, l->reserved[j].start,
					    l->reserved[j].end);
		for (j = 0; j < i; j++)
			if (kb_ranges_overlap(r, &l->cma[j]))
				return fail(err, errlen, ln, line,
					    "cma [%#lx, %#lx) overlaps cma [%#lx, %#lx)",
					    r->start, r->end, l->cma[j].start,
					    l->cma[j].end);
	}
	return validate_late_free(l, ln, err, errlen);
}

static int validate(const struct kb_layout *l, const struct kb_layout_lines *ln,
		    char *err, size_t errlen)
{
	unsigned int i, j;

	if (err && errlen)
		err[0] = '\0';
	if (l->max_page_order < 1 || l->max_page_order > KB_MAX_ORDER_LIMIT)
		return fail(err, errlen, ln, LINE(max_order),
			    "max_page_order %u out of range 1..%d",
			    l->max_page_order, KB_MAX_ORDER_LIMIT);
	if (l->pageblock_order < 1 || l->pageblock_order > l->max_page_order)
		return fail(err, errlen, ln, LINE(pb_order),
			    "pageblock_order %u out of range 1..max_page_order (%u)",
			    l->pageblock_order, l->max_page_order);
	if (l->nr_nodes < 1 || l->nr_nodes > KB_MAX_NODES)
		return fail(err, errlen, ln, 0,
			    "%u nodes; a layout needs 1..%d",
			    l->nr_nodes, KB_MAX_NODES);
	if (validate_zones(l, ln, err, errlen))
		return -1;
	for (i = 0; i < l->nr_nodes; i++) {
		for (j = 0; j < l->nr_nodes; j++) {
			unsigned int d = l->node[i].distance[j];
			unsigned int line = LINE(distance[i][j]);

			if (i == j && d != KB_LOCAL_DISTANCE)
				return fail(err, errlen, ln, line,
					    "distance %u %u is %u; a node's distance to itself is %d",
					    i, j, d, KB_LOCAL_DISTANCE);
			if (i != j && (d < KB_LOCAL_DISTANCE || d > KB_MAX_DISTANCE))
				return fail(err, errlen, ln, line,
					    "distance %u %u is %u; out of range %d..%d",
					    i, j, d, KB_LOCAL_DISTANCE,
					    KB_MAX_DISTANCE);
			if (d != l->node[j].distance[i])
				return fail(err, errlen, ln, line,
					    "distance %u %u is %u but distance %u %u is %u; distances must be symmetric",
					    i, j, d, j, i, l->node[j].distance[i]);
		}
	}
	if (validate_ranges(l, ln, err, errlen))
		return -1;
	if (l->min_free_kbytes > INT_MAX)
		return fail(err, errlen, ln, LINE(min_free),
			    "min_free_kbytes %ld is above %d",
			    l->min_free_kbytes, INT_MAX);
	if (l->boot_path != KB_BOOT_MEMBLOCK && l->boot_path != KB_BOOT_BOOTMEM)
		return fail(err, errlen, ln, LINE(boot),
			    "unknown boot path %d", (int)l->boot_path);
	return validate_boot(l, ln, err, errlen);
}

int kb_layout_validate(const struct kb_layout *layout, char *err, size_t errlen)
{
	return validate(layout, NULL, err, errlen);
}

int kb_layout_validate_lines(const struct kb_layout *layout,
			     const struct kb_layout_lines *lines,
			     char *err, size_t errlen)
{
	return validate(layout, lines, err, errlen);
}
