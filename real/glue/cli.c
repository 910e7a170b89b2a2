// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy-real: the real kernel's allocator on a kbuddy layout.
 *
 *   kbuddy-real zoneinfo LAYOUT     /proc/zoneinfo after boot
 *   kbuddy-real buddyinfo LAYOUT    /proc/buddyinfo after boot
 *   kbuddy-real diff [--check N] [--outcomes] [--table TSV] FILE
 *                                   an ops input (text, binary, or a
 *                                   scenario, its expect lines left out) on
 *                                   kbuddy and on the real code, compared
 *                                   after every operation (real/glue/diff.c)
 *
 * LAYOUT is a built-in layout name or a layout file. -v shows the real
 * code's printk and warnings. Exit 1 when the real code warned, or diff
 * found a difference; 2 for bad usage or input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "layout_io.h"
#include "machine.h"

static int usage(void)
{
	fprintf(stderr, "usage: kbuddy-real [-v] zoneinfo|buddyinfo LAYOUT\n"
			"       kbuddy-real [-v] diff [--check N] [--outcomes] [--table TSV] FILE\n");
	return 2;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(text = malloc((size_t)n + 1)) || fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		fclose(f);
		return NULL;
	}
	fclose(f);
	text[n] = 0;
	*len = (size_t)n;
	return text;
}

/* A scenario's "expect" lines are kbuddy's assertions: blanked, so the
 * parser's line numbers stay those of the file. */
static void blank_expects(char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (len - j >= 7 && !strncmp(text + j, "expect", 6) &&
		    (text[j + 6] == ' ' || text[j + 6] == '\t'))
			text[j] = '#';
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
}

static int diff_main(int argc, char **argv, bool verbose)
{
	static struct kb_ops ops;
	struct real_diff_options opt = { .check_level = 1, .compare_state = true, .verbose = verbose };
	struct real_diff_result res;
	const char *table = "real/differences.tsv", *path = NULL;
	char err[512];
	size_t len;
	char *text;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--check") && i + 1 < argc) {
			char *end;

			opt.check_level = (int)strtol(argv[++i], &end, 10);
			if (*end || opt.check_level < 0 || opt.check_level > 3) {
				fprintf(stderr, "kbuddy-real diff: --check takes 0..3, not '%s'\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--outcomes")) {
			opt.compare_state = false;
		} else if (!strcmp(argv[i], "--table") && i + 1 < argc) {
			table = argv[++i];
		} else if (argv[i][0] == '-' || path) {
			return usage();
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return usage();
	if (real_diff_load_table(table, &opt, err, sizeof(err))) {
		fprintf(stderr, "kbuddy-real diff: %s\n", err);
		return 2;
	}
	text = read_file(path, &len);
	if (!text) {
		fprintf(stderr, "kbuddy-real diff: %s: cannot read\n", path);
		return 2;
	}
	if (kb_ops_is_text((const uint8_t *)text, len)) {
		blank_expects(text, len);
		if (kb_ops_parse_text(text, len, &ops, err, sizeof(err))) {
			fprintf(stderr, "kbuddy-real diff: %s: %s\n", path, err);
			free(text);
			return 2;
		}
	} else {
		kb_ops_decode_binary((const uint8_t *)text, len, &ops);
	}
	free(text);
	if (real_diff_run(&ops, &opt, &res)) {
		fprintf(stderr, "kbuddy-real diff: %s: %s\n", path, res.error);
		return 2;
	}
	if (res.differs) {
		printf("%s: kbuddy and the real code differ after operation %zu of %zu (layout %s)\n",
		       path, res.at, ops.nr_ops, ops.layout);
		if (res.at)
			printf("  operation: %s\n", res.op_text);
		printf("  %s: %s\n", res.what, res.detail);
		printf("REAL-DIFF-SIGNATURE: %s\n", res.signature);
		return 1;
	}
	printf("%s: %zu operations agree (layout %s)", path, res.ops_compared, ops.layout);
	if (res.stopped_at)
		printf("; stopped before operation %zu: %s", res.stopped_at,
		       res.stopped_why);
	if (res.kb_violated)
		printf("; kbuddy's checker ended the run: %s", res.kb_violation);
	printf("\n");
	return 0;
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
	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff_main(argc - 2, argv + 2, verbose);
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
