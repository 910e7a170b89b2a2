// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy-real: the real kernel's allocator on a kbuddy layout.
 *
 *   kbuddy-real zoneinfo LAYOUT     /proc/zoneinfo after boot
 *   kbuddy-real buddyinfo LAYOUT    /proc/buddyinfo after boot
 *
 * LAYOUT is a built-in layout name or a layout file. -v shows the real
 * code's printk and warnings. Exit 1 when the real code warned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_io.h"
#include "machine.h"

static int usage(void)
{
	fprintf(stderr, "usage: kbuddy-real [-v] zoneinfo|buddyinfo LAYOUT\n");
	return 2;
}

static int load_layout(const char *arg, struct kb_layout *layout)
{
	char err[256];
	FILE *f;
	char *text;
	long len;
	int rc;

	if (!kb_layout_builtin(arg, layout))
		return 0;
	f = fopen(arg, "rb");
	if (!f) {
		fprintf(stderr, "kbuddy-real: %s: not a built-in layout and not a readable file\n", arg);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc((size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(text);
		fprintf(stderr, "kbuddy-real: %s: cannot read\n", arg);
		return -1;
	}
	fclose(f);
	rc = kb_layout_parse_text(text, (size_t)len, layout, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "kbuddy-real: %s: %s\n", arg, err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char out[1 << 20];
	struct kb_layout layout;
	struct real_machine m;
	struct real_warnings w;
	const struct real_ops *ops;
	bool verbose = false;
	char err[256];
	size_t n;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = true;
		argv++;
		argc--;
	}
	if (argc != 3)
		return usage();
	if (strcmp(argv[1], "zoneinfo") && strcmp(argv[1], "buddyinfo"))
		return usage();
	if (load_layout(argv[2], &layout))
		return 2;
	ops = real_build_for(&layout, err, sizeof(err));
	if (!ops) {
		fprintf(stderr, "kbuddy-real: %s\n", err);
		return 2;
	}
	ops->set_verbose(verbose);
	real_machine_from_layout(&layout, &m);
	if (ops->boot(&m, err, sizeof(err))) {
		fprintf(stderr, "kbuddy-real: boot: %s\n", err);
		return 2;
	}
	n = !strcmp(argv[1], "zoneinfo") ? ops->zoneinfo(out, sizeof(out)) :
		ops->buddyinfo(out, sizeof(out));
	fwrite(out, 1, n < sizeof(out) ? n : sizeof(out) - 1, stdout);
	ops->take_warnings(&w);
	if (w.count) {
		fprintf(stderr, "kbuddy-real: the real code warned %lu times; first: %s\n",
			w.count, w.first);
		return 1;
	}
	return 0;
}
