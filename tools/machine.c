// SPDX-License-Identifier: GPL-2.0
/*
 * Real machines in the kbuddy tool:
 *   import DIR [-o OUT]              the layout of a captured machine
 *                                    (import/capture.sh writes DIR)
 *   compare zoneinfo REAL OURS       each zoneinfo field that differs, with
 *                                    its reason; REAL is a zoneinfo file or
 *                                    a capture directory, OURS a zoneinfo
 *                                    file or a layout (booted here)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture.h"
#include "cli.h"
#include "compare.h"
#include "fileio.h"
#include "kbuddy.h"
#include "layout_io.h"
#include "profile.h"
#include "workflow.h"

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int kb_cmd_import(const struct kb_cmd_opts *o, int argc, char **argv)
{
	struct kb_capture *cap = malloc(sizeof(*cap));
	struct kb_layout layout;
	char err[512], *text = NULL, *all = NULL;
	size_t need, len;
	int ret = 2;

	(void)argc;
	if (!cap)
		return 2;
	if (kb_capture_read(argv[0], cap, stderr, err, sizeof(err))) {
		fprintf(stderr, "kbuddy: import: %s\n", err);
		goto out;
	}
	if (kb_capture_derive(cap, &layout, stderr, err, sizeof(err))) {
		fprintf(stderr, "kbuddy: import %s: %s\n", argv[0], err);
		goto out;
	}
	if (strcmp(layout.profile, KB_PROFILE_NAME))
		fprintf(stderr, "kbuddy import: note: the capture is Linux %s (profile %s); this kbuddy models %s: boot it with a PROFILE=%s build\n",
			cap->release, layout.profile, KB_PROFILE_NAME, layout.profile);
	need = kb_layout_format_text(&layout, NULL, 0) + 1;
	text = malloc(need);
	all = malloc(need + 1024);
	if (!text || !all)
		goto out;
	kb_layout_format_text(&layout, text, need);
	/* The version line first, then where the layout came from. */
	len = strcspn(text, "\n") + 1;
	snprintf(all, need + 1024, "%.*s# imported from %s: Linux %s%s%s, %u nodes, %u CPUs\n%s",
		 (int)len, text, argv[0], cap->release[0] ? cap->release : "(version unknown)",
		 cap->machine[0] ? " " : "", cap->machine, layout.nr_nodes,
		 kb_layout_nr_cpus(&layout), text + len);
	ret = kb_write_file(o->out ? o->out : "-", (const uint8_t *)all, strlen(all)) ? 2 : 0;
out:
	free(text);
	free(all);
	kb_capture_free(cap);
	free(cap);
	return ret;
}

/* A zoneinfo file parsed; NULL with the message printed. */
static struct kb_zoneinfo *load_zoneinfo_text(const char *name, const char *text, size_t len)
{
	struct kb_zoneinfo *zi = malloc(sizeof(*zi));
	char err[256];

	if (!zi)
		return NULL;
	if (kb_zoneinfo_parse(text, len, zi, err, sizeof(err))) {
		fprintf(stderr, "kbuddy: %s: %s\n", name, err);
		free(zi);
		return NULL;
	}
	return zi;
}

static struct kb_zoneinfo *load_zoneinfo_file(const char *path)
{
	struct kb_zoneinfo *zi;
	uint8_t *data;
	size_t size;

	if (kb_read_file(path, &data, &size))
		return NULL;
	zi = load_zoneinfo_text(path, (const char *)data, size);
	free(data);
	return zi;
}

/*
 * Whether path holds /proc/zoneinfo text: its first line that is not
 * blank starts with "Node " (a layout's first directive is never "Node").
 */
static bool is_zoneinfo_file(const char *path)
{
	char line[256];
	bool ret = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line + strspn(line, " \t\r\n");

		if (!*p)
			continue;
		ret = !strncmp(p, "Node ", 5);
		break;
	}
	fclose(f);
	return ret;
}

/* The zoneinfo of a layout at boot, then after the given sysctl writes. */
static struct kb_zoneinfo *boot_zoneinfo(const char *name, const struct kb_layout *layout,
					 const struct kb_boot_sysctl *extra, unsigned int nr_extra)
{
	struct kb_zoneinfo *zi = NULL;
	struct kb_instance *kb;
	char err[256], *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f;

	kb = kb_create(layout, NULL, err, sizeof(err));
	if (!kb) {
		fprintf(stderr, "kbuddy: %s: %s\n", name, err);
		return NULL;
	}
	for (i = 0; i < nr_extra; i++)
		if (kb_sysctl_write(kb, extra[i].sysctl, extra[i].index, extra[i].value))
			fprintf(stderr, "kbuddy: %s: the sysctl write %s = %ld was refused\n", name,
				kb_sysctl_name(extra[i].sysctl), extra[i].value);
	f = open_memstream(&buf, &len);
	if (f) {
		kb_show_zoneinfo(kb, f);
		fclose(f);
		zi = load_zoneinfo_text(name, buf, len);
	}
	free(buf);
	kb_destroy(kb);
	return zi;
}

/* The values of sysctl s in a sysctl_vm file (lowmem_reserve_ratio: per zone); NULL if absent. */
static const struct kb_cap_sysctl *find_sysctl(const struct kb_cap_sysctls *f, enum kb_sysctl s)
{
	int i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->s[i].name, kb_sysctl_name(s)))
			return &f->s[i];
	return NULL;
}

/* sysctl_vm.before -> sysctl_vm.after (read by kb_capture_read): the writes that changed a value. */
static unsigned int sysctl_changes(const struct kb_capture *cap, struct kb_boot_sysctl *out,
				   unsigned int max)
{
	unsigned int nr = 0, s;
	int z;

	/* min_free_kbytes last: the kernel's handlers apply in the order written */
	for (s = KB_NR_SYSCTLS; s-- > 0;) {
		const struct kb_cap_sysctl *a = find_sysctl(&cap->sysctl_before, (enum kb_sysctl)s);
		const struct kb_cap_sysctl *b = find_sysctl(&cap->sysctl_after, (enum kb_sysctl)s);

		if (!a || !b)
			continue;
		for (z = (s == KB_SYSCTL_LOWMEM_RESERVE_RATIO ? MAX_NR_ZONES : 1); z-- > 0;) {
			if (z >= a->nr || z >= b->nr || a->value[z] == b->value[z] || nr == max)
				continue;
			memset(&out[nr], 0, sizeof(out[nr]));
			out[nr].sysctl = (unsigned char)s;
			out[nr].index = (unsigned char)z;
			out[nr++].value = b->value[z];
		}
	}
	return nr;
}

static int compare_one(const char *title, const struct kb_zoneinfo *real,
		       const struct kb_zoneinfo *ours, bool pcp_high_dynamic)
{
	struct kb_zi_compare_opts opts = { .pcp_high_dynamic = pcp_high_dynamic };
	struct kb_zi_compare_result res;

	printf("== %s\n", title);
	kb_zoneinfo_compare(real, ours, &opts, stdout, &res);
	printf("%u fields equal, %u derived fields differ, %u printed by one side only, %u dynamic fields differ\n",
	       res.equal, res.derived, res.format, res.dynamic);
	return res.derived + res.format ? 1 : 0;
}

int kb_cmd_compare(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *kind = argv[0], *real_arg = argv[1], *ours_arg = argv[2];
	struct kb_zoneinfo *real = NULL, *ours = NULL, *real_after = NULL, *ours_after = NULL;
	struct kb_capture *cap = NULL;
	struct kb_layout layout;
	bool have_layout = false, dynamic_high = KB_PCP_HIGH_AUTOTUNE;
	int ret = 2, r;

	(void)argc;
	if (strcmp(kind, "zoneinfo")) {
		fprintf(stderr, "kbuddy: compare: unknown view '%s' (compare zoneinfo REAL OURS)\n", kind);
		return 2;
	}
	if (is_dir(real_arg)) {
		char err[512];

		cap = malloc(sizeof(*cap));
		if (!cap || kb_capture_read(real_arg, cap, NULL, err, sizeof(err))) {
			fprintf(stderr, "kbuddy: compare: %s\n", cap ? err : "out of memory");
			goto out;
		}
		real = cap->before;
		real_after = cap->after;
		if (cap->version_major)
			dynamic_high = cap->version_major * 100 + cap->version_minor >= 607;
	} else {
		real = load_zoneinfo_file(real_arg);
		if (!real)
			goto out;
	}
	if (!kb_layout_builtin(ours_arg, &layout) ||
	    (!is_zoneinfo_file(ours_arg) && kb_cmd_names_layout(o, ours_arg))) {
		if (kb_load_layout(ours_arg, &layout))
			goto out;
		have_layout = true;
		ours = boot_zoneinfo(ours_arg, &layout, NULL, 0);
	} else {
		ours = load_zoneinfo_file(ours_arg);
	}
	if (!ours)
		goto out;
	ret = compare_one(cap ? "zoneinfo.before against the layout's boot" : "zoneinfo", real, ours,
			  dynamic_high);
	if (cap && real_after && have_layout) {
		struct kb_boot_sysctl writes[KB_NR_SYSCTLS + MAX_NR_ZONES];
		unsigned int nr = sysctl_changes(cap, writes, KB_NR_SYSCTLS + MAX_NR_ZONES), i;

		printf("\nsysctl writes from sysctl_vm.before to sysctl_vm.after: %u\n", nr);
		for (i = 0; i < nr; i++)
			printf("  %s%s = %ld\n", kb_sysctl_name(writes[i].sysctl),
			       writes[i].sysctl == KB_SYSCTL_LOWMEM_RESERVE_RATIO ? "[i]" : "",
			       writes[i].value);
		ours_after = boot_zoneinfo(ours_arg, &layout, writes, nr);
		if (!ours_after) {
			ret = 2;
			goto out;
		}
		r = compare_one("zoneinfo.after against the boot and those writes", real_after,
				ours_after, dynamic_high);
		if (r > ret)
			ret = r;
	}
out:
	if (cap)
		kb_capture_free(cap);
	else
		free(real);
	free(cap);
	free(ours);
	free(ours_after);
	return ret;
}
