// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a capture directory (import/capture.h): each file is optional
 * but zoneinfo.before, and each is parsed by the line shapes the kernel
 * prints (/proc/iomem, the e820 and memblock lines of the boot log,
 * "Freeing ... memory" lines, sysfs node files, /proc/sys/vm).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "number.h"

#define PAGE_SHIFT_4K	12

static void warnf(FILE *warn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warnf(FILE *warn, const char *fmt, ...)
{
	va_list ap;

	if (!warn)
		return;
	fprintf(warn, "kbuddy import: warning: ");
	va_start(ap, fmt);
	vfprintf(warn, fmt, ap);
	va_end(ap);
	fputc('\n', warn);
}

/* The whole file NAME of the capture, NUL-terminated; NULL when absent. */
static char *slurp(const struct kb_capture *cap, const char *name, size_t *lenp)
{
	char path[640];
	size_t len = 0, cap_bytes = 0;
	char *buf = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cap->dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (len + 4097 > cap_bytes) {
			char *nb = realloc(buf, cap_bytes = cap_bytes * 2 + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	fclose(f);
	buf[len] = 0;
	if (lenp)
		*lenp = len;
	return buf;
}

/* The next line of *s (modified in place), or NULL at the end. */
static char *next_line(char **s)
{
	char *line = *s, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = 0;
		*s = nl + 1;
	} else {
		*s = line + strlen(line);
	}
	return line;
}

static struct kb_zoneinfo *read_zoneinfo(const struct kb_capture *cap, const char *name,
					 char *err, size_t errlen, int *missing)
{
	struct kb_zoneinfo *zi;
	char why[256];
	size_t len;
	char *text = slurp(cap, name, &len);

	*missing = !text;
	if (!text)
		return NULL;
	zi = malloc(sizeof(*zi));
	if (!zi) {
		snprintf(err, errlen, "out of memory");
	} else if (kb_zoneinfo_parse(text, len, zi, why, sizeof(why))) {
		snprintf(err, errlen, "%s/%s: %s", cap->dir, name, why);
		free(zi);
		zi = NULL;
	}
	free(text);
	return zi;
}

/* "6.12.117+deb12-amd64" -> 6, 12 */
static void parse_release(struct kb_capture *cap)
{
	if (sscanf(cap->release, "%d.%d", &cap->version_major, &cap->version_minor) != 2)
		cap->version_major = cap->version_minor = 0;
}

static void read_version(struct kb_capture *cap, FILE *warn)
{
	char *text = slurp(cap, "uname", NULL), *p;
	char sys[64], host[128], rel[64];

	if (text && sscanf(text, "%63s %127s %63s", sys, host, rel) == 3) {
		snprintf(cap->release, sizeof(cap->release), "%s", rel);
		/* uname -a ends with "... MACHINE [PROCESSOR PLATFORM] OS" */
		p = strstr(text, " x86_64 ");
		if (p)
			snprintf(cap->machine, sizeof(cap->machine), "x86_64");
		else if (strstr(text, " aarch64 "))
			snprintf(cap->machine, sizeof(cap->machine), "aarch64");
	}
	free(text);
	if (!cap->release[0]) {
		text = slurp(cap, "version", NULL);
		if (text && sscanf(text, "Linux version %63s", rel) == 1)
			snprintf(cap->release, sizeof(cap->release), "%s", rel);
		free(text);
	}
	if (!cap->release[0])
		warnf(warn, "no uname or version file: the kernel version (hence the profile) is unknown");
	parse_release(cap);
}

static void read_cmdline(struct kb_capture *cap)
{
	char *text = slurp(cap, "cmdline", NULL);
	size_t n;

	if (!text)
		return;
	snprintf(cap->cmdline, sizeof(cap->cmdline), "%s", text);
	n = strlen(cap->cmdline);
	while (n && (cap->cmdline[n - 1] == '\n' || cap->cmdline[n - 1] == ' '))
		cap->cmdline[--n] = 0;
	free(text);
}

static void add_ram(struct kb_cap_range *r, int *nr, unsigned long long start,
		    unsigned long long end_incl, int node)
{
	/* memblock keeps whole pages: the first page starting in the range to the last ending in it */
	unsigned long s = (unsigned long)((start + 4095) >> PAGE_SHIFT_4K);
	unsigned long e = (unsigned long)((end_incl + 1) >> PAGE_SHIFT_4K);

	if (s >= e || *nr == KB_CAP_MAX_RANGES)
		return;
	r[*nr].start = s;
	r[*nr].end = e;
	r[*nr].node = node;
	(*nr)++;
}

/* /proc/iomem: the top-level System RAM ranges and the kernel image under them. */
static void read_iomem(struct kb_capture *cap)
{
	char *text = slurp(cap, "iomem", NULL), *s = text, *line;

	if (!text)
		return;
	while ((line = next_line(&s))) {
		unsigned long long a, b;
		int indent = 0, n = 0;
		const char *name;

		while (line[indent] == ' ')
			indent++;
		if (sscanf(line + indent, "%llx-%llx : %n", &a, &b, &n) != 2 || !n)
			continue;
		name = line + indent + n;
		if (!indent && !strcmp(name, "System RAM"))
			add_ram(cap->ram, &cap->nr_ram, a, b, -1);
		else if (!strcmp(name, "Kernel code"))
			cap->code[0] = a, cap->code[1] = b + 1;
		else if (!strcmp(name, "Kernel rodata"))
			cap->rodata[0] = a, cap->rodata[1] = b + 1;
		else if (!strcmp(name, "Kernel data"))
			cap->data[0] = a, cap->data[1] = b + 1;
		else if (!strcmp(name, "Kernel bss"))
			cap->bss[0] = a, cap->bss[1] = b + 1;
	}
	/* Without root the kernel shows every address as 0. */
	cap->have_iomem = cap->nr_ram > 0;
	if (!cap->code[1])
		cap->code[0] = cap->rodata[0] = cap->data[0] = cap->bss[0] = 0;
	free(text);
}

/* The text after the "[    0.000000] " timestamp of a dmesg line. */
static const char *dmesg_text(const char *line)
{
	const char *p = line;

	if (*p == '[') {
		p = strchr(p, ']');
		if (!p)
			return line;
		p++;
		if (*p == ' ')
			p++;
	}
	return p;
}

static void read_dmesg(struct kb_capture *cap, bool use_e820)
{
	char *text = slurp(cap, "dmesg_mem.txt", NULL), *s = text, *line;
	int nr_e820 = 0;
	struct kb_cap_range e820[KB_CAP_MAX_RANGES];

	if (!text)
		return;
	cap->have_dmesg = true;
	while ((line = next_line(&s))) {
		const char *t = dmesg_text(line);
		unsigned long long a, b;
		unsigned long kib;
		char what[64];
		int node;

		if (sscanf(t, "BIOS-e820: [mem %llx-%llx] usable", &a, &b) == 2)
			add_ram(e820, &nr_e820, a, b, -1);
		else if (sscanf(t, " node %d: [mem %llx-%llx]", &node, &a, &b) == 3)
			add_ram(cap->node_ram, &cap->nr_node_ram, a, b, node);
		else if (sscanf(t, "cma: Reserved %llu MiB at %llx", &b, &a) == 2 && cap->nr_cma < 8)
			cap->cma[cap->nr_cma][0] = a, cap->cma[cap->nr_cma++][1] = a + (b << 20);
		else if (sscanf(t, "RAMDISK: [mem %llx-%llx]", &a, &b) == 2)
			cap->ramdisk[0] = a, cap->ramdisk[1] = b + 1;
		else if (sscanf(t, "Freeing %63[^:]: %luK", what, &kib) == 2 &&
			 cap->nr_frees < KB_CAP_MAX_FREES) {
			size_t n = strlen(what);

			/* "initrd memory", "unused kernel image (initmem) memory" */
			if (n > 7 && !strcmp(what + n - 7, " memory"))
				what[n - 7] = 0;
			snprintf(cap->frees[cap->nr_frees].what, sizeof(cap->frees[0].what), "%s", what);
			cap->frees[cap->nr_frees++].kib = kib;
		}
	}
	/* The e820 map is what iomem's System RAM says when iomem is unreadable. */
	if (use_e820 && !cap->nr_ram) {
		memcpy(cap->ram, e820, sizeof(e820[0]) * nr_e820);
		cap->nr_ram = nr_e820;
	}
	free(text);
}

/* "0-3,8,10-11": the number of CPUs */
static int count_cpulist(const char *s)
{
	int n = 0, a, b, k;

	while (*s == ' ')
		s++;
	while (*s) {
		if (sscanf(s, "%d-%d%n", &a, &b, &k) == 2 && b >= a)
			n += b - a + 1;
		else if (sscanf(s, "%d%n", &a, &k) == 1)
			n++;
		else
			break;
		s += k;
		if (*s != ',')
			break;
		s++;
	}
	return n;
}

static void read_node_info(struct kb_capture *cap)
{
	char *text = slurp(cap, "node_info", NULL), *s = text, *line;
	int node = -1;

	if (!text)
		return;
	while ((line = next_line(&s))) {
		const char *p;
		int id, n, k;

		if (sscanf(line, "== /sys/devices/system/node/node%d", &id) == 1) {
			node = id >= 0 && id < KB_CAP_MAX_NODES ? id : -1;
			if (node >= cap->nr_nodes_sysfs)
				cap->nr_nodes_sysfs = node + 1;
		} else if (node >= 0 && !strncmp(line, "cpulist:", 8)) {
			cap->node_cpus[node] = count_cpulist(line + 8);
		} else if (node >= 0 && !strncmp(line, "distance:", 9)) {
			p = line + 9;
			n = 0;
			while (n < KB_CAP_MAX_NODES && sscanf(p, "%d%n", &id, &k) == 1) {
				cap->distance[node][n++] = id;
				p += k;
			}
			cap->nr_distance[node] = n;
		}
	}
	cap->have_node_info = cap->nr_nodes_sysfs > 0;
	free(text);
}

/*
 * One sysctl_vm file: "NAME = VALUE" per line, as capture.sh writes them,
 * each value an int (lowmem_reserve_ratio: one per zone, blank-separated).
 * 0, 1 when the file is absent, -1 with "FILE: line N, column C: ..." in err.
 */
static int read_sysctl_file(const struct kb_capture *cap, const char *file,
			    struct kb_cap_sysctls *out, char *err, size_t errlen)
{
	static const struct kb_num_rule int_rule = { .negative = true, .min = INT_MIN,
						     .max = INT_MAX };
	char *text = slurp(cap, file, NULL), *s = text, *line, why[200];
	unsigned int lineno = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!text)
		return 1;
	out->present = true;
	while (!ret && (line = next_line(&s))) {
		struct kb_cap_sysctl *e;
		const char *p = line, *reason;
		size_t n;

		lineno++;
		n = strcspn(line, " \t\r");
		if (!line[strspn(line, " \t\r")])
			continue;
		if (!n || n >= sizeof(e->name) || strncmp(line + n, " = ", 3)) {
			snprintf(err, errlen, "%s/%s: line %u: not a \"NAME = VALUE\" line", cap->dir,
				 file, lineno);
			ret = -1;
			break;
		}
		if (out->nr == KB_CAP_MAX_SYSCTLS) {
			snprintf(err, errlen, "%s/%s: line %u: more than %d sysctls", cap->dir, file,
				 lineno, KB_CAP_MAX_SYSCTLS);
			ret = -1;
			break;
		}
		e = &out->s[out->nr++];
		memset(e, 0, sizeof(*e));
		memcpy(e->name, line, n);
		p = line + n + 3;
		do {
			while (*p == ' ' || *p == '\t' || *p == '\r')
				p++;
			if (e->nr == 1 && strcmp(e->name, "lowmem_reserve_ratio")) {
				snprintf(err, errlen, "%s/%s: line %u, column %u: %s takes one value",
					 cap->dir, file, lineno, (unsigned int)(p - line) + 1, e->name);
				ret = -1;
				break;
			}
			if (e->nr == 8) {
				snprintf(err, errlen, "%s/%s: line %u, column %u: more than 8 values",
					 cap->dir, file, lineno, (unsigned int)(p - line) + 1);
				ret = -1;
				break;
			}
			n = kb_num_read(p, &int_rule, &e->value[e->nr], &reason);
			if (!n) {
				kb_num_error(why, sizeof(why), lineno, line, p, reason);
				snprintf(err, errlen, "%s/%s: %s", cap->dir, file, why);
				ret = -1;
				break;
			}
			e->nr++;
			p += n;
			while (*p == ' ' || *p == '\t' || *p == '\r')
				p++;
		} while (*p);
	}
	free(text);
	return ret;
}

/* The sysctls in force at the "before" snapshot, from its file. */
static void apply_sysctls(struct kb_capture *cap)
{
	const struct kb_cap_sysctls *f = &cap->sysctl_before;
	int i, k;

	for (i = 0; i < f->nr; i++) {
		const struct kb_cap_sysctl *e = &f->s[i];
		long v = e->value[0];

		if (!strcmp(e->name, "lowmem_reserve_ratio")) {
			cap->nr_lowmem_reserve_ratio = e->nr;
			for (k = 0; k < e->nr; k++)
				cap->lowmem_reserve_ratio[k] = e->value[k];
		} else if (!strcmp(e->name, "min_free_kbytes")) {
			cap->min_free_kbytes = v, cap->have_sysctl = true;
		} else if (!strcmp(e->name, "watermark_scale_factor")) {
			cap->watermark_scale_factor = v;
		} else if (!strcmp(e->name, "watermark_boost_factor")) {
			cap->watermark_boost_factor = v;
		} else if (!strcmp(e->name, "percpu_pagelist_high_fraction")) {
			cap->percpu_pagelist_high_fraction = v;
		}
	}
}

/* sysctl_vm.before (or the single sysctl_vm) and sysctl_vm.after. */
static int read_sysctls(struct kb_capture *cap, char *err, size_t errlen)
{
	int r = read_sysctl_file(cap, "sysctl_vm.before", &cap->sysctl_before, err, errlen);

	if (r > 0)
		r = read_sysctl_file(cap, "sysctl_vm", &cap->sysctl_before, err, errlen);
	if (r < 0 || read_sysctl_file(cap, "sysctl_vm.after", &cap->sysctl_after, err, errlen) < 0)
		return -1;
	apply_sysctls(cap);
	return 0;
}

static void read_misc(struct kb_capture *cap)
{
	char *text = slurp(cap, "misc_params", NULL), *s = text, *line;

	if (!text)
		return;
	while ((line = next_line(&s))) {
		const char *p = strstr(line, "transparent_hugepage/enabled:");
		const char *l, *r;

		if (!p)
			continue;
		l = strchr(p, '[');
		r = l ? strchr(l, ']') : NULL;
		if (l && r && r - l - 1 < (long)sizeof(cap->thp_enabled))
			snprintf(cap->thp_enabled, sizeof(cap->thp_enabled), "%.*s", (int)(r - l - 1),
				 l + 1);
	}
	free(text);
}

int kb_capture_read(const char *dir, struct kb_capture *cap, FILE *warn,
		    char *err, size_t errlen)
{
	int missing;
	char *all;

	memset(cap, 0, sizeof(*cap));
	cap->watermark_scale_factor = -1;
	cap->watermark_boost_factor = -1;
	cap->percpu_pagelist_high_fraction = -1;
	snprintf(cap->dir, sizeof(cap->dir), "%s", dir);
	cap->before = read_zoneinfo(cap, "zoneinfo.before", err, errlen, &missing);
	if (missing)
		cap->before = read_zoneinfo(cap, "zoneinfo", err, errlen, &missing);
	if (!cap->before) {
		if (missing)
			snprintf(err, errlen, "%s has no zoneinfo.before (nor zoneinfo): not a capture directory (import/capture.sh writes one)",
				 dir);
		return -1;
	}
	cap->after = read_zoneinfo(cap, "zoneinfo.after", err, errlen, &missing);
	if (!cap->after && !missing)
		warnf(warn, "%s; zoneinfo.after is ignored", err);
	err[0] = 0;
	read_version(cap, warn);
	read_cmdline(cap);
	read_iomem(cap);
	read_dmesg(cap, true);
	if (!cap->have_dmesg)
		warnf(warn, "no dmesg_mem.txt: holes come from iomem alone, late frees are unknown");
	if (!cap->nr_ram && !cap->nr_node_ram)
		warnf(warn, "neither iomem nor dmesg gives the memory map: holes are placed at each zone's end");
	read_node_info(cap);
	if (!cap->have_node_info)
		warnf(warn, "no node_info: CPUs come from zoneinfo's pagesets, distances are the defaults");
	if (read_sysctls(cap, err, errlen))
		return -1;
	if (!cap->have_sysctl)
		warnf(warn, "no sysctl_vm.before: the sysctls in force are unknown (kernel defaults assumed)");
	read_misc(cap);
	all = slurp(cap, "sysctl_vm_all", NULL);
	cap->have_sysctl_vm_all = all != NULL;
	free(all);
	return 0;
}

void kb_capture_free(struct kb_capture *cap)
{
	free(cap->before);
	free(cap->after);
	cap->before = cap->after = NULL;
}

const char *kb_capture_profile(const struct kb_capture *cap)
{
	int v = cap->version_major * 100 + cap->version_minor;

	if (!cap->version_major)
		return "mainline";
	if (v >= 615)
		return "mainline";
	if (v >= 612)
		return "6.12";
	if (v >= 606)
		return "6.6";
	return "6.1";
}
