// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_boot inputs in the kbuddy tool:
 *   boot FILE                 print what a fuzz_boot input means (layout in
 *                             text form, operations) and run it as the
 *                             target does; exit 1 on a violation
 *   boot-input LAYOUT [OPS]   write a fuzz_boot input: the layout's binary
 *                             form, then OPS's operation records (seeds)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "workflow.h"
#include "../fuzz/boot_input.h"

static struct kb_ops ops;

static void print_text(size_t (*fmt)(const void *, char *, size_t), const void *obj)
{
	size_t need = fmt(obj, NULL, 0) + 1;
	char *text = malloc(need);

	if (!text)
		return;
	fmt(obj, text, need);
	fputs(text, stdout);
	free(text);
}

static size_t fmt_layout(const void *l, char *buf, size_t len)
{
	return kb_layout_format_text(l, buf, len);
}

static size_t fmt_ops(const void *o, char *buf, size_t len)
{
	return kb_ops_format_text(o, buf, len);
}

int kb_cmd_boot(const struct kb_wf_opts *o, const char *path)
{
	struct kb_layout layout;
	struct kb_run_result res;
	struct kb_run *run;
	char sig[320], why[256];
	uint8_t *data;
	size_t size, used;

	if (kb_read_file(path, &data, &size))
		return 2;
	used = kb_boot_decode(data, size, &layout, &ops);
	free(data);
	printf("# fuzz_boot input %s: %zu bytes, the layout takes %zu\n", path, size, used);
	print_text(fmt_layout, &layout);
	printf("# operations (reduced against this layout; the last ones free everything)\n");
	print_text(fmt_ops, &ops);
	run = kb_boot_run(&layout, &ops, o->level, &res, sig, sizeof(sig), why, sizeof(why));
	if (!run) {
		printf("result: the layout did not boot: %s\n", why);
		return 2;
	}
	if (res.violated)
		kb_run_report(stdout, &ops, run, &res);
	else if (sig[0])
		printf("==== kbuddy: invariant violated ====\n%s\n%s\n", why, sig);
	else
		printf("result: clean: %zu operations at check level %d; free pages equal managed pages in every zone\n",
		       res.ops_run, o->level);
	kb_run_destroy(run);
	return sig[0] ? 1 : 0;
}

/* A layout from a built-in name or a layout text file. */
static int load_layout(const char *arg, struct kb_layout *layout)
{
	char err[256];
	uint8_t *data;
	size_t size;
	int ret;

	if (!kb_layout_builtin(arg, layout))
		return 0;
	if (kb_read_file(arg, &data, &size))
		return -1;
	ret = kb_layout_parse_text((const char *)data, size, layout, err, sizeof(err));
	if (ret)
		fprintf(stderr, "kbuddy: %s: %s\n", arg, err);
	free(data);
	return ret;
}

int kb_cmd_boot_input(const struct kb_wf_opts *o, const char *layout_arg, const char *ops_path)
{
	struct kb_layout layout;
	size_t lsize, osize = 0;
	uint8_t *buf;
	int ret;

	if (load_layout(layout_arg, &layout))
		return 2;
	lsize = kb_layout_encode_binary(&layout, NULL, 0);
	if (!lsize) {
		fprintf(stderr, "kbuddy: %s: this layout has no binary form (docs/layout-format.md, \"Encoding\")\n",
			layout_arg);
		return 2;
	}
	if (ops_path) {
		if (kb_load_ops(ops_path, &ops))
			return 2;
		osize = kb_ops_encode_binary(&ops, NULL, 0);
		if (!osize) {
			fprintf(stderr, "kbuddy: %s holds text-only operations: it has no binary form\n",
				ops_path);
			return 2;
		}
	}
	buf = malloc(lsize + osize);
	if (!buf)
		return 2;
	kb_layout_encode_binary(&layout, buf, lsize);
	if (ops_path) {
		/* the records without the ops header byte */
		uint8_t *tmp = malloc(osize);

		if (!tmp) {
			free(buf);
			return 2;
		}
		kb_ops_encode_binary(&ops, tmp, osize);
		memcpy(buf + lsize, tmp + 1, osize - 1);
		free(tmp);
		osize--;
	}
	ret = kb_write_file(o->out ? o->out : "-", buf, lsize + osize) ? 2 : 0;
	free(buf);
	return ret;
}
