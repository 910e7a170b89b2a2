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
#include "memmap.h"
#include "number.h"

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

/*
 * A memory-map file of the capture through its reader (import/memmap.h).
 * 0 when read or absent, -1 with the reason in err.
 */
static int read_memmap(struct kb_capture *cap, const char *name,
		       int (*reader)(struct kb_capture *, char *, const char *, char *, size_t),
		       char *err, size_t errlen)
{
	char path[640];
	size_t len;
	char *text = slurp(cap, name, &len);
	int ret;

	if (!text)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", cap->dir, name);
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: a NUL byte at offset %zu: not a text file", path,
			 strlen(text));
		ret = -1;
	} else {
		ret = reader(cap, text, path, err, errlen);
	}
	free(text);
	return ret;
}

static int read_dmesg_e820(struct kb_capture *cap, char *text, const char *file, char *err,
			   size_t errlen)
{
	return kb_memmap_read_dmesg(cap, text, file, true, err, errlen);
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
	while (!ret && (line = kb_next_line(&s))) {
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
	while ((line = kb_next_line(&s))) {
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
	if (read_memmap(cap, "iomem", kb_memmap_read_iomem, err, errlen) ||
	    read_memmap(cap, "dmesg_mem.txt", read_dmesg_e820, err, errlen))
		return -1;
	if (!cap->have_dmesg)
		warnf(warn, "no dmesg_mem.txt: holes come from iomem alone, late frees are unknown");
	if (!cap->nr_ram && !cap->nr_node_ram)
		warnf(warn, "neither iomem nor dmesg gives the memory map: holes are placed at each zone's end");
	if (read_memmap(cap, "node_info", kb_memmap_read_node_info, err, errlen))
		return -1;
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
