// SPDX-License-Identifier: GPL-2.0
/*
 * From a capture to the layout of the captured machine at boot
 * (kb_capture_derive, import/capture.h). The rules, in order:
 *
 *  zones      each populated zone of zoneinfo.before spans
 *             [start_pfn, start_pfn + spanned) on its node (nodes without
 *             memory are left out, the rest renumbered in order);
 *  holes      the pfns of a zone span that no memory range covers: the
 *             boot log's "Early memory node ranges", else iomem's System
 *             RAM (else the e820 usable ranges), whole pages only as
 *             memblock keeps them;
 *  CMA        the boot log's "cma: Reserved N MiB at ADDR" areas;
 *  late frees "Freeing initrd memory" is the RAMDISK range (free_initrd_mem
 *             at rootfs_initcall); "Freeing unused ..." (free_initmem and
 *             mark_rodata_ro after the initcalls) are the gaps of the
 *             kernel image that iomem shows (text/rodata, rodata/data) and
 *             the init and decrypted sections between its data and bss;
 *             frees before the initcalls (SMP alternatives) are ordinary
 *             boot memory;
 *  reserved   per zone, present - managed pages stay reserved: on x86-64
 *             the first MiB (the setup code reserves it whole), the kernel
 *             image less its late-freed parts, then memblock's other
 *             allocations, placed top-down from the zone's end as memblock
 *             allocates them;
 *  CPUs       each node's cpulist in sysfs (else zoneinfo's pagesets, on
 *             node 0); distances from sysfs;
 *  THP        transparent_hugepage= on the command line, else the
 *             profile's rule;
 *  Movable    kernelcore= and movablecore= on the command line: the
 *             highest zone and the Movable zone of each node are joined
 *             again and ZONE_MOVABLE placed by the kernel's rule
 *             (kb_layout_place_movable); where the rule disagrees with
 *             zoneinfo's spans, a warning, and zoneinfo's spans are kept;
 *  sysctls    each of sysctl_vm.before that differs from what the layout's
 *             boot gives is written after boot; a capture that read every
 *             vm sysctl first (sysctl_vm_all) also ran
 *             lowmem_reserve_ratio's handler, which recomputes the
 *             protection arrays from the final managed pages;
 *  profile    from the kernel version.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture.h"
#include "kbuddy.h"
#include "layout_io.h"

/* What each pfn is while the layout is worked out. */
enum {
	PFN_NONE,	/* in no zone */
	PFN_MEM,	/* present, freed at boot */
	PFN_HOLE,
	PFN_RESERVED,
	PFN_LATE,
	PFN_CMA,
};

struct derive {
	const struct kb_capture *cap;
	struct kb_layout *l;
	FILE *warn;
	char *err;
	size_t errlen;
	unsigned char *state;	/* per pfn, [0, end) */
	unsigned long end;
	/* node renumbering: capture node id -> layout node */
	int node_of[KB_CAP_MAX_NODES];
	int cap_node[KB_MAX_NODES];
	/* the zoneinfo zone of each layout zone */
	const struct kb_zi_zone *zi[KB_MAX_NODES][MAX_NR_ZONES];
	/* late frees: ranges and kinds, in the order of the boot log */
	int nr_late;
	struct kb_range late[KB_MAX_RANGES];
	unsigned char late_kind[KB_MAX_RANGES];
};

static void warnf(struct derive *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warnf(struct derive *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->warn)
		return;
	fprintf(d->warn, "kbuddy import: warning: ");
	va_start(ap, fmt);
	vfprintf(d->warn, fmt, ap);
	va_end(ap);
	fputc('\n', d->warn);
}

static int failf(struct derive *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int failf(struct derive *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, d->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int zone_index(const char *name)
{
	int z;

	for (z = 0; z < KB_NR_LAYOUT_ZONES; z++)
		if (!strcasecmp(name, kb_zone_name(z)))
			return z;
	return -1;
}

static long zi_val(const struct kb_zi_zone *z, enum kb_zi_field f)
{
	return z->has & (1u << f) ? z->value[f] : 0;
}

/* Zones and nodes from zoneinfo. */
static int derive_zones(struct derive *d)
{
	const struct kb_zoneinfo *zi = d->cap->before;
	int i, n, nr = 0;
	bool has_mem[KB_CAP_MAX_NODES] = { false };

	for (i = 0; i < KB_CAP_MAX_NODES; i++)
		d->node_of[i] = -1;
	for (i = 0; i < zi->nr_zones; i++) {
		const struct kb_zi_zone *z = &zi->zone[i];

		if (z->node >= KB_CAP_MAX_NODES)
			return failf(d, "zoneinfo names node %d; at most %d nodes are read", z->node,
				     KB_CAP_MAX_NODES);
		if (zi_val(z, KB_ZI_SPANNED) > 0 && zi_val(z, KB_ZI_PRESENT) > 0)
			has_mem[z->node] = true;
	}
	for (n = 0; n < KB_CAP_MAX_NODES; n++) {
		if (!has_mem[n])
			continue;
		if (nr == KB_MAX_NODES)
			return failf(d, "the machine has more than %d nodes with memory; a layout holds %d",
				     KB_MAX_NODES, KB_MAX_NODES);
		if (n != nr)
			warnf(d, "node %d is layout node %d (nodes without memory are left out)", n, nr);
		d->node_of[n] = nr;
		d->cap_node[nr++] = n;
	}
	if (!nr)
		return failf(d, "zoneinfo.before has no populated zone");
	d->l->nr_nodes = nr;
	for (i = 0; i < zi->nr_zones; i++) {
		const struct kb_zi_zone *z = &zi->zone[i];
		unsigned long start = zi_val(z, KB_ZI_START_PFN);
		unsigned long span = zi_val(z, KB_ZI_SPANNED);
		int zid = zone_index(z->name), node;

		if (!span || !zi_val(z, KB_ZI_PRESENT))
			continue;
		if (!(z->has & (1u << KB_ZI_START_PFN)))
			return failf(d, "zone %d %s is populated but zoneinfo gives no start_pfn",
				     z->node, z->name);
		if (zid < 0)
			return failf(d, "zone %d %s is populated; kbuddy models DMA, DMA32, Normal and Movable",
				     z->node, z->name);
		if (start + span > KB_MAX_PFN)
			return failf(d, "zone %d %s ends at pfn %#lx, past the layout limit %#lx (%lu GiB)",
				     z->node, z->name, start + span, (unsigned long)KB_MAX_PFN,
				     (unsigned long)KB_MAX_PFN >> 18);
		node = d->node_of[z->node];
		d->l->node[node].zone[zid].start = start;
		d->l->node[node].zone[zid].end = start + span;
		d->zi[node][zid] = z;
		if (start + span > d->end)
			d->end = start + span;
	}
	return 0;
}

/* Marks every pfn of the zones as memory, then the gaps of the memory map as holes. */
static void derive_holes(struct derive *d)
{
	const struct kb_capture *cap = d->cap;
	const struct kb_cap_range *ram = cap->nr_node_ram ? cap->node_ram : cap->ram;
	int nr_ram = cap->nr_node_ram ? cap->nr_node_ram : cap->nr_ram;
	unsigned int n, z;
	unsigned long pfn;
	int i;

	for (n = 0; n < d->l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &d->l->node[n].zone[z];

			memset(d->state + r->start, nr_ram ? PFN_HOLE : PFN_MEM, r->end - r->start);
		}
	if (nr_ram) {
		for (i = 0; i < nr_ram; i++)
			for (pfn = ram[i].start; pfn < ram[i].end && pfn < d->end; pfn++)
				if (d->state[pfn] == PFN_HOLE)
					d->state[pfn] = PFN_MEM;
	}
	/* Each zone's present count is zoneinfo's: a map that disagrees is said. */
	for (n = 0; n < d->l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &d->l->node[n].zone[z];
			unsigned long present = 0, want;

			if (!d->zi[n][z])
				continue;
			want = zi_val(d->zi[n][z], KB_ZI_PRESENT);
			for (pfn = r->start; pfn < r->end; pfn++)
				present += d->state[pfn] == PFN_MEM;
			if (!nr_ram) {
				/* No map: the missing pages are a hole at the zone's end. */
				for (pfn = r->end; pfn > r->start && present > want; pfn--, present--)
					d->state[pfn - 1] = PFN_HOLE;
			}
			if (present != want)
				warnf(d, "zone %d %s: the memory map gives %lu present pages, zoneinfo %lu",
				      d->cap_node[n], kb_zone_name(z), present, want);
		}
}

/* The zone (node, zid) holding pfn, or -1. */
static int zone_of(const struct derive *d, unsigned long pfn, unsigned int *node)
{
	unsigned int n, z;

	for (n = 0; n < d->l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &d->l->node[n].zone[z];

			if (pfn >= r->start && pfn < r->end) {
				*node = n;
				return (int)z;
			}
		}
	return -1;
}

/* Claims [start, end) as a late free if all of it is memory; 0 or -1. */
static int add_late(struct derive *d, unsigned long start, unsigned long end, int kind,
		    const char *what)
{
	unsigned long pfn;

	if (start >= end)
		return 0;
	if (d->nr_late == KB_MAX_RANGES) {
		warnf(d, "more than %d late frees; '%s' is left reserved", KB_MAX_RANGES, what);
		return -1;
	}
	for (pfn = start; pfn < end; pfn++)
		if (pfn >= d->end || d->state[pfn] != PFN_MEM) {
			warnf(d, "'%s' [%#lx, %#lx) is not all free memory of one zone: left out", what,
			      start, end);
			return -1;
		}
	memset(d->state + start, PFN_LATE, end - start);
	d->late[d->nr_late].start = start;
	d->late[d->nr_late].end = end;
	d->late_kind[d->nr_late++] = (unsigned char)kind;
	return 0;
}

static unsigned long pfn_up(unsigned long long a)
{
	return (unsigned long)((a + 4095) >> 12);
}

static unsigned long pfn_down(unsigned long long a)
{
	return (unsigned long)(a >> 12);
}

/* The late frees of the boot log, placed where the kernel frees them. */
static void derive_late(struct derive *d)
{
	const struct kb_capture *cap = d->cap;
	/* the next free pfn in the image's gap between data and bss */
	unsigned long gap = cap->data[1] ? pfn_up(cap->data[1]) : 0;
	unsigned long gap_end = cap->bss[0] ? pfn_down(cap->bss[0]) : 0;
	int i;

	for (i = 0; i < cap->nr_frees; i++) {
		const struct kb_cap_free *f = &cap->frees[i];
		unsigned long pages = f->kib / 4;

		if (!strcmp(f->what, "initrd")) {
			unsigned long s = pfn_down(cap->ramdisk[0]), e = pfn_up(cap->ramdisk[1]);

			if (!cap->ramdisk[1]) {
				warnf(d, "'Freeing initrd memory' without a RAMDISK line: its %lu pages stay free at boot",
				      pages);
				continue;
			}
			if (e - s != pages)
				warnf(d, "RAMDISK spans %lu pages, 'Freeing initrd memory' says %lu", e - s,
				      pages);
			add_late(d, s, e, KB_LATE_INITRD, f->what);
		} else if (!strncmp(f->what, "unused ", 7)) {
			unsigned long s = 0;

			if (strstr(f->what, "text/rodata gap") && cap->rodata[0])
				s = pfn_down(cap->rodata[0]) - pages;
			else if (strstr(f->what, "rodata/data gap") && cap->data[0])
				s = pfn_down(cap->data[0]) - pages;
			else if (gap && gap + pages <= gap_end)
				s = gap, gap += pages;
			if (!s) {
				warnf(d, "'Freeing %s' (%lu pages): no kernel image in iomem to place it; it stays free at boot",
				      f->what, pages);
				continue;
			}
			add_late(d, s, s + pages, KB_LATE_INITMEM, f->what);
		}
		/* other frees (SMP alternatives) happen before the initcalls */
	}
}

/*
 * The CMA areas of the boot log ("cma: Reserved N MiB at ADDR"): each must
 * be free memory, pageblock aligned, in one zone, as cma_activate_area
 * requires. Each zone's CMA pages are then checked against zoneinfo's.
 */
static void derive_cma(struct derive *d)
{
	unsigned long pb = 1UL << d->l->pageblock_order;
	unsigned int n, z;
	int i;

	for (i = 0; i < d->cap->nr_cma; i++) {
		unsigned long s = pfn_down(d->cap->cma[i][0]), e = pfn_down(d->cap->cma[i][1]), pfn;
		unsigned int n1 = 0, n2 = 0;
		int z1 = zone_of(d, s, &n1), z2 = e > s ? zone_of(d, e - 1, &n2) : -1;

		if (s % pb || e % pb || z1 < 0 || z1 != z2 || n1 != n2 ||
		    d->l->nr_cma == KB_MAX_RANGES) {
			warnf(d, "CMA area [%#lx, %#lx) is not pageblock aligned inside one zone: left out",
			      s, e);
			continue;
		}
		for (pfn = s; pfn < e && d->state[pfn] == PFN_MEM; pfn++)
			;
		if (pfn < e) {
			warnf(d, "CMA area [%#lx, %#lx) is not all memory: left out", s, e);
			continue;
		}
		memset(d->state + s, PFN_CMA, e - s);
		d->l->cma[d->l->nr_cma].start = s;
		d->l->cma[d->l->nr_cma++].end = e;
	}
	for (n = 0; n < d->l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &d->l->node[n].zone[z];
			unsigned long cma = 0, pfn;

			if (!d->zi[n][z])
				continue;
			for (pfn = r->start; pfn < r->end; pfn++)
				cma += d->state[pfn] == PFN_CMA;
			if ((long)cma != zi_val(d->zi[n][z], KB_ZI_CMA))
				warnf(d, "zone %d %s: zoneinfo has %ld CMA pages, the boot log's CMA areas %lu",
				      d->cap_node[n], kb_zone_name(z), zi_val(d->zi[n][z], KB_ZI_CMA), cma);
		}
}

/* Reserves pfns of zone (n, z) in [start, end) that are memory, up to *need. */
static void reserve_up(struct derive *d, unsigned long start, unsigned long end,
		       unsigned long *need)
{
	unsigned long pfn;

	for (pfn = start; pfn < end && pfn < d->end && *need; pfn++)
		if (d->state[pfn] == PFN_MEM) {
			d->state[pfn] = PFN_RESERVED;
			(*need)--;
		}
}

static void derive_reserved(struct derive *d)
{
	const struct kb_capture *cap = d->cap;
	unsigned int n, z;

	for (n = 0; n < d->l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *r = &d->l->node[n].zone[z];
			const struct kb_zi_zone *zz = d->zi[n][z];
			unsigned long present = 0, late = 0, need, pfn;
			long managed;

			if (!zz)
				continue;
			for (pfn = r->start; pfn < r->end; pfn++) {
				present += d->state[pfn] == PFN_MEM || d->state[pfn] == PFN_LATE ||
					   d->state[pfn] == PFN_CMA;
				late += d->state[pfn] == PFN_LATE;
			}
			managed = zi_val(zz, KB_ZI_MANAGED);
			if ((long)present < managed) {
				warnf(d, "zone %d %s: %ld managed pages but only %lu present",
				      zz->node, zz->name, managed, present);
				continue;
			}
			/*
			 * present = reserved for good + managed at the end;
			 * the late frees are part of the managed pages then
			 */
			need = present - managed;
			if (need < late)
				warnf(d, "zone %d %s: %lu pages freed late, more than the %lu present pages that are not managed",
				      zz->node, zz->name, late, need);
			if (!strcmp(cap->machine, "x86_64"))
				reserve_up(d, r->start, r->end < 0x100 ? r->end : 0x100, &need);
			if (cap->code[0])
				reserve_up(d, pfn_down(cap->code[0]) > r->start ? pfn_down(cap->code[0]) : r->start,
					   pfn_up(cap->bss[1]) < r->end ? pfn_up(cap->bss[1]) : r->end, &need);
			for (pfn = r->end; pfn > r->start && need; pfn--)
				if (d->state[pfn - 1] == PFN_MEM) {
					d->state[pfn - 1] = PFN_RESERVED;
					need--;
				}
		}
}

/* Runs of `what` inside the zones, into ranges; -1 when there are too many. */
static int emit_runs(struct derive *d, int what, struct kb_range *out, unsigned int *nr,
		     const char *name)
{
	unsigned long pfn = 0;

	*nr = 0;
	while (pfn < d->end) {
		unsigned long s;
		unsigned int n1 = 0, n2 = 0;

		if (d->state[pfn] != what) {
			pfn++;
			continue;
		}
		s = pfn;
		zone_of(d, s, &n1);
		while (pfn < d->end && d->state[pfn] == what && zone_of(d, pfn, &n2) >= 0 && n2 == n1)
			pfn++;
		if (*nr == KB_MAX_RANGES)
			return failf(d, "more than %d %s ranges", KB_MAX_RANGES, name);
		out[*nr].start = s;
		out[(*nr)++].end = pfn;
	}
	return 0;
}

static void derive_cpus(struct derive *d)
{
	const struct kb_capture *cap = d->cap;
	unsigned int n, total = 0, m;
	int i, online = 0;

	for (i = 0; i < cap->before->nr_zones; i++)
		if (cap->before->zone[i].nr_pcp > online)
			online = cap->before->zone[i].nr_pcp;
	for (n = 0; n < d->l->nr_nodes; n++) {
		unsigned int cpus = cap->have_node_info ? (unsigned int)cap->node_cpus[d->cap_node[n]] :
				    n == 0 ? (unsigned int)online : 0;

		if (total + cpus > KB_MAX_CPUS) {
			warnf(d, "node %d has %u CPUs; kbuddy models %d in all, so it gets %u (pcp and vm stats figures then differ)",
			      d->cap_node[n], cpus, KB_MAX_CPUS, KB_MAX_CPUS - total);
			cpus = KB_MAX_CPUS - total;
		}
		d->l->node[n].nr_cpus = cpus;
		total += cpus;
	}
	if (!total) {
		warnf(d, "no CPU found on a node with memory: node 0 gets one");
		d->l->node[0].nr_cpus = 1;
	}
	if (!cap->have_node_info)
		return;
	for (n = 0; n < d->l->nr_nodes; n++)
		for (m = 0; m < d->l->nr_nodes; m++) {
			int a = d->cap_node[n], b = d->cap_node[m], v;

			if (n == m || b >= cap->nr_distance[a])
				continue;
			v = cap->distance[a][b];
			if (v < 10 || v > KB_MAX_DISTANCE || (b < cap->nr_distance[a] && a < cap->nr_distance[b] &&
							      cap->distance[b][a] != v)) {
				warnf(d, "distance %d %d is %d: not a valid symmetric distance, the default is kept",
				      a, b, v);
				continue;
			}
			d->l->node[n].distance[m] = (unsigned char)v;
		}
}

static void derive_thp(struct derive *d)
{
	const char *p = strstr(d->cap->cmdline, "transparent_hugepage=");

	if (p) {
		p += strlen("transparent_hugepage=");
		d->l->thp = !strncmp(p, "never", 5) ? KB_THP_OFF : KB_THP_ON;
	}
}

/* The value of NAME= on the command line (the last one, as early_param sees it), or NULL. */
static const char *cmdline_value(const char *cmdline, const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	const char *p, *found = NULL;

	for (p = cmdline; (p = strstr(p, name)); p += n)
		if ((p == cmdline || p[-1] == ' ') && p[n] == '=')
			found = p + n + 1;
	if (!found)
		return NULL;
	n = strcspn(found, " \t\n");
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), found);
	return buf;
}

/*
 * kernelcore= / movablecore=: the layout before the cut (each node's
 * Movable zone joined to the highest zone below it) placed by the rule,
 * then held against zoneinfo's spans.
 */
static void derive_movable(struct derive *d)
{
	struct kb_core_size size[2];
	const char *names[2] = { "kernelcore", "movablecore" };
	struct kb_layout *l = d->l, *before;
	char buf[64], why[200];
	unsigned int n;
	int k, any = 0, top = -1, z;

	for (k = 0; k < 2; k++) {
		const char *v = cmdline_value(d->cap->cmdline, names[k], buf, sizeof(buf));

		memset(&size[k], 0, sizeof(size[k]));
		if (!v)
			continue;
		if (!strcmp(v, "mirror")) {
			warnf(d, "kernelcore=mirror: mirrored memory is not modelled, the Movable zone is taken from zoneinfo's spans");
			return;
		}
		if (kb_core_size_parse(v, &size[k], why, sizeof(why))) {
			warnf(d, "%s=%s: %s; the Movable zone is taken from zoneinfo's spans", names[k], v, why);
			return;
		}
		any = 1;
	}
	if (!any)
		return;
	before = malloc(sizeof(*before));
	if (!before) {
		warnf(d, "out of memory: the Movable zone is taken from zoneinfo's spans");
		return;
	}
	*before = *l;
	for (z = ZONE_MOVABLE - 1; z >= 0 && top < 0; z--)
		for (n = 0; n < l->nr_nodes; n++)
			if (l->node[n].zone[z].start < l->node[n].zone[z].end)
				top = z;
	for (n = 0; n < l->nr_nodes && top >= 0; n++) {
		struct kb_range *mv = &before->node[n].zone[ZONE_MOVABLE];
		struct kb_range *hi = &before->node[n].zone[top];

		if (mv->start >= mv->end)
			continue;
		if (hi->start >= hi->end)
			hi->start = mv->start;
		hi->end = mv->end;
		*mv = (struct kb_range){ 0, 0 };
	}
	if (kb_layout_place_movable(before, &size[0], &size[1], why, sizeof(why))) {
		warnf(d, "kernelcore/movablecore: %s; the Movable zone is taken from zoneinfo's spans", why);
		free(before);
		return;
	}
	for (n = 0; n < l->nr_nodes; n++)
		for (z = 0; z < KB_NR_LAYOUT_ZONES; z++) {
			const struct kb_range *a = &before->node[n].zone[z], *b = &l->node[n].zone[z];
			int ea = a->start >= a->end, eb = b->start >= b->end;

			if (ea && eb)
				continue;
			if (ea != eb || a->start != b->start || a->end != b->end)
				warnf(d, "the kernel's rule for kernelcore=/movablecore= gives node %u %s [%#lx, %#lx), zoneinfo shows [%#lx, %#lx): zoneinfo's spans are kept",
				      n, kb_zone_name((enum zone_type)z),
				      ea ? 0 : a->start, ea ? 0 : a->end, eb ? 0 : b->start, eb ? 0 : b->end);
		}
	free(before);
}

static void add_sysctl(struct derive *d, enum kb_sysctl which, int index, long value)
{
	struct kb_boot_sysctl *s;

	if (d->l->nr_boot_sysctls == KB_MAX_BOOT_SYSCTLS) {
		warnf(d, "more than %d sysctls to write after boot: %s is left out", KB_MAX_BOOT_SYSCTLS,
		      kb_sysctl_name(which));
		return;
	}
	if (kb_sysctl_check(which, index, value)) {
		warnf(d, "%s = %ld is a value kbuddy's sysctl refuses: left out", kb_sysctl_name(which),
		      value);
		return;
	}
	s = &d->l->boot_sysctl[d->l->nr_boot_sysctls++];
	memset(s, 0, sizeof(*s));
	s->sysctl = (unsigned char)which;
	s->index = (unsigned char)index;
	s->value = value;
}

/*
 * The sysctls in force that the layout's own boot does not give were
 * written after boot: boot it, compare, add the writes.
 */
static int derive_sysctls(struct derive *d)
{
	const struct kb_capture *cap = d->cap;
	struct kb_options opt = { .check_level = 0 };
	struct kb_instance *kb;
	char why[256];
	int z;

	if (!cap->have_sysctl)
		return 0;
	kb = kb_create(d->l, &opt, why, sizeof(why));
	if (!kb)
		return failf(d, "the derived layout does not boot: %s", why);
	if (cap->watermark_scale_factor >= 0 && cap->watermark_scale_factor != kb->watermark_scale_factor)
		add_sysctl(d, KB_SYSCTL_WATERMARK_SCALE_FACTOR, 0, cap->watermark_scale_factor);
	if (cap->watermark_boost_factor >= 0 && cap->watermark_boost_factor != kb->watermark_boost_factor)
		add_sysctl(d, KB_SYSCTL_WATERMARK_BOOST_FACTOR, 0, cap->watermark_boost_factor);
	for (z = 0; z < cap->nr_lowmem_reserve_ratio && z < MAX_NR_ZONES; z++)
		if (cap->lowmem_reserve_ratio[z] != kb->sysctl_lowmem_reserve_ratio[z])
			add_sysctl(d, KB_SYSCTL_LOWMEM_RESERVE_RATIO, z, cap->lowmem_reserve_ratio[z]);
	if (cap->percpu_pagelist_high_fraction >= 0 &&
	    cap->percpu_pagelist_high_fraction != kb->percpu_pagelist_high_fraction)
		add_sysctl(d, KB_SYSCTL_PERCPU_PAGELIST_HIGH_FRACTION, 0,
			   cap->percpu_pagelist_high_fraction);
	if (cap->min_free_kbytes != kb->min_free_kbytes) {
		warnf(d, "min_free_kbytes is %ld, the boot gives %d: taken as written after boot",
		      cap->min_free_kbytes, kb->min_free_kbytes);
		add_sysctl(d, KB_SYSCTL_MIN_FREE_KBYTES, 0, cap->min_free_kbytes);
	}
	kb_destroy(kb);
	return 0;
}

int kb_capture_derive(const struct kb_capture *cap, struct kb_layout *out, FILE *warn,
		      char *err, size_t errlen)
{
	struct derive d = { .cap = cap, .l = out, .warn = warn, .err = err, .errlen = errlen };
	unsigned int i;
	int ret = -1;

	kb_layout_init(out);
	snprintf(out->profile, sizeof(out->profile), "%s", kb_capture_profile(cap));
	if (derive_zones(&d))
		return -1;
	d.state = calloc(d.end, 1);
	if (!d.state)
		return failf(&d, "out of memory for %lu pfns", d.end);
	derive_holes(&d);
	derive_cma(&d);
	derive_late(&d);
	derive_reserved(&d);
	if (emit_runs(&d, PFN_HOLE, out->hole, &out->nr_holes, "hole") ||
	    emit_runs(&d, PFN_RESERVED, out->reserved, &out->nr_reserved, "reserved"))
		goto out;
	out->nr_late_free = (unsigned int)d.nr_late;
	for (i = 0; i < out->nr_late_free; i++) {
		out->late_free[i] = d.late[i];
		out->late_free_kind[i] = d.late_kind[i];
	}
	derive_cpus(&d);
	derive_thp(&d);
	derive_movable(&d);
	if (kb_layout_validate(out, err, errlen))
		goto out;
	if (derive_sysctls(&d))
		goto out;
	if (cap->have_sysctl_vm_all && out->nr_boot_sysctls < KB_MAX_BOOT_SYSCTLS) {
		struct kb_boot_sysctl *s = &out->boot_sysctl[out->nr_boot_sysctls++];

		memset(s, 0, sizeof(*s));
		s->sysctl = KB_SYSCTL_LOWMEM_RESERVE_RATIO;
		s->read = 1;
	}
	ret = kb_layout_validate(out, err, errlen);
out:
	free(d.state);
	return ret;
}
