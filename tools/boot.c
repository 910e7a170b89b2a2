// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_boot inputs in the kbuddy tool:
 *   boot FILE                 print what a fuzz_boot input means (its text
 *                             form: layout and operations) and run it as
 *                             the target does; exit 1 on a violation
 *   boot-input LAYOUT [OPS]   write a fuzz_boot input: the layout's binary
 *                             form, then OPS's operation records (seeds)
 * and the run that run, repro and the views use for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "workflow.h"
#include "../fuzz/boot_input.h"

static void print_text(const struct kb_input *in)
{
	size_t need = kb_boot_format_text(in, NULL, NULL, 0) + 1;
	char *text = malloc(need);

	if (!text)
		return;
	kb_boot_format_text(in, NULL, text, need);
	fputs(text, stdout);
	free(text);
}

static void print_layout(const struct kb_layout *layout)
{
	size_t need = kb_layout_format_text(layout, NULL, 0) + 1;
	char *text = malloc(need);

	if (!text)
		return;
	kb_layout_format_text(layout, text, need);
	printf("  layout:\n%s", text);
	free(text);
}

int kb_boot_run_report(const struct kb_input *in, const char *path, int level, bool verbose,
		       struct kb_ops *scratch, struct kb_run **keep)
{
	struct kb_run_result res;
	struct kb_run *run;
	char sig[320], why[256];

	if (verbose) {
		printf("# fuzz_boot input %s (%zu bytes)\n", path, in->bytes);
		print_text(in);
	}
	memcpy(scratch->layout, in->ops.layout, sizeof(scratch->layout));
	scratch->nr_ops = in->ops.nr_ops;
	scratch->nr_handles = in->ops.nr_handles;
	memcpy(scratch->ops, in->ops.ops, in->ops.nr_ops * sizeof(in->ops.ops[0]));
	kb_boot_finish(scratch, &in->layout);
	run = kb_boot_run(&in->layout, scratch, level, &res, sig, sizeof(sig), why, sizeof(why));
	if (!run) {
		fprintf(stderr, "kbuddy: %s: the layout did not boot: %s\n", path, why);
		return 2;
	}
	if (res.violated) {
		if (!verbose)
			print_layout(&in->layout);
		kb_run_report(stdout, scratch, run, &res);
	} else if (sig[0]) {
		if (!verbose)
			print_layout(&in->layout);
		printf("==== kbuddy: invariant violated ====\n%s\n%s\n", why, sig);
	} else if (verbose) {
		printf("result: clean: %zu operations (the input's %zu, then the closing frees and drain_all) at check level %d; free pages equal managed pages in every zone\n",
		       res.ops_run, in->ops.nr_ops, level);
	}
	if (keep)
		*keep = run;
	else
		kb_run_destroy(run);
	return sig[0] ? 1 : 0;
}

int kb_cmd_boot(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *path = argv[0];
	struct kb_input *in = kb_input_new();
	struct kb_ops *scratch = malloc(sizeof(*scratch));
	int ret = 2;

	(void)argc;
	if (scratch && !kb_load_input(path, KB_TARGET_BOOT, o->binary, in))
		ret = kb_boot_run_report(in, path, o->level, true, scratch, NULL);
	free(scratch);
	free(in);
	return ret;
}

/*
 * The operations of OPS (checked against the layout they name) encoded
 * against LAYOUT's own geometry, so that fuzz_boot decodes the same
 * operations: an allocation on the CPU's own node stays one.
 */
int kb_cmd_boot_input(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *layout_arg = argv[0], *ops_path = argc > 1 ? argv[1] : NULL;
	struct kb_input *in = kb_input_new();
	char err[512];
	uint8_t *buf = NULL;
	size_t size;
	int ret = 2;

	if (kb_load_layout(layout_arg, &in->layout))
		goto out;
	if (ops_path && kb_load_ops(ops_path, o->binary, &in->ops))
		goto out;
	snprintf(in->ops.layout, sizeof(in->ops.layout), "fuzz_boot");
	size = kb_boot_encode(in, NULL, 0, err, sizeof(err));
	if (!size) {
		fprintf(stderr, "kbuddy: boot-input %s%s%s: %s\n", layout_arg, ops_path ? " " : "",
			ops_path ? ops_path : "", err);
		goto out;
	}
	buf = malloc(size);
	if (!buf)
		goto out;
	kb_boot_encode(in, buf, size, NULL, 0);
	ret = kb_write_file(o->out ? o->out : "-", buf, size) ? 2 : 0;
out:
	free(buf);
	free(in);
	return ret;
}
