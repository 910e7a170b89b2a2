// SPDX-License-Identifier: GPL-2.0
/*
 * Loading, running and writing the inputs of the crash workflow, for both
 * targets (tools/input.h): which target a file belongs to, its signature
 * the way its target runs it, and its reduced form on disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "input.h"
#include "workflow.h"
#include "../fuzz/boot_input.h"

struct kb_input *kb_input_new(void)
{
	struct kb_input *in = calloc(1, sizeof(*in));

	if (!in) {
		fprintf(stderr, "kbuddy: out of memory\n");
		exit(2);
	}
	return in;
}

int kb_load_input(const char *path, enum kb_target target, struct kb_input *in)
{
	char err[512];
	uint8_t *data;
	size_t size;
	int ret = 0;

	if (kb_read_file(path, &data, &size))
		return -1;
	in->boot = false;
	in->text = false;
	in->bytes = size;
	if (kb_boot_is_text(data, size)) {
		if (target == KB_TARGET_OPS) {
			fprintf(stderr, "kbuddy: %s is a fuzz_boot input in text form (it starts with '%s%d'), not a fuzz_ops input: leave out --target fuzz_ops\n",
				path, KB_BOOT_TEXT_HEADER, KB_BOOT_TEXT_VERSION);
			ret = -1;
		} else if (kb_boot_parse_text((const char *)data, size, in, err, sizeof(err))) {
			fprintf(stderr, "kbuddy: %s: %s\n", path, err);
			ret = -1;
		}
	} else if (target == KB_TARGET_BOOT) {
		/* Every byte string is a fuzz_boot input: run what the target saw. */
		if (kb_ops_is_text(data, size))
			fprintf(stderr, "kbuddy: note: %s reads like text but not like a fuzz_boot text form (which starts with '%s%d'): it runs as the binary fuzz_boot input its bytes make (to make one from text: kbuddy boot-input LAYOUT OPS)\n",
				path, KB_BOOT_TEXT_HEADER, KB_BOOT_TEXT_VERSION);
		else if (!size)
			fprintf(stderr, "kbuddy: note: %s is empty: as a fuzz_boot input that is a one-node layout and no operations\n",
				path);
		kb_boot_decode_input(data, size, &in->layout, &in->ops);
		in->boot = true;
	} else {
		in->text = kb_ops_is_text(data, size);
		ret = kb_ops_from_bytes(path, data, size, &in->ops);
	}
	free(data);
	return ret;
}

/* Copies the used part of src (the whole struct is large). */
static void ops_copy(struct kb_ops *dst, const struct kb_ops *src)
{
	memcpy(dst->layout, src->layout, sizeof(dst->layout));
	dst->nr_ops = src->nr_ops;
	dst->nr_handles = src->nr_handles;
	memcpy(dst->ops, src->ops, src->nr_ops * sizeof(src->ops[0]));
}

void kb_boot_signature(const struct kb_layout *layout, const struct kb_ops *ops, int level,
		       struct kb_ops *scratch, char *sig, size_t len)
{
	struct kb_run_result res;
	char why[256];

	ops_copy(scratch, ops);
	kb_boot_finish(scratch, layout);
	kb_run_destroy(kb_boot_run(layout, scratch, level, &res, sig, len, why, sizeof(why)));
}

void kb_input_signature(const struct kb_input *in, int level, struct kb_ops *scratch,
			char *sig, size_t len)
{
	if (in->boot)
		kb_boot_signature(&in->layout, &in->ops, level, scratch, sig, len);
	else
		kb_wf_signature(NULL, &in->ops, level, sig, len);
}

int kb_boot_write_pair(const char *base, const struct kb_input *in, const char *comment)
{
	size_t blen = strlen(base) + 8, need;
	char *path = malloc(blen), *text = NULL, err[512];
	uint8_t *bin = NULL;
	int ret = -1;

	if (!path)
		return -1;
	need = kb_boot_encode(in, NULL, 0, err, sizeof(err));
	if (!need) {
		fprintf(stderr, "kbuddy: the reduced fuzz_boot input has no binary form: %s\n", err);
		goto out;
	}
	bin = malloc(need);
	if (!bin)
		goto out;
	kb_boot_encode(in, bin, need, NULL, 0);
	snprintf(path, blen, "%s.bin", base);
	if (kb_write_file(path, bin, need))
		goto out;
	need = kb_boot_format_text(in, comment, NULL, 0) + 1;
	text = malloc(need);
	if (!text)
		goto out;
	kb_boot_format_text(in, comment, text, need);
	snprintf(path, blen, "%s.txt", base);
	if (kb_write_file(path, text, strlen(text)))
		goto out;
	ret = 0;
out:
	free(path);
	free(text);
	free(bin);
	return ret;
}

void kb_boot_describe(const struct kb_input *in, char *buf, size_t len)
{
	const struct kb_layout *l = &in->layout;
	unsigned long pages = 0;
	unsigned int n, z, zones = 0;

	for (n = 0; n < l->nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (l->node[n].zone[z].start < l->node[n].zone[z].end) {
				zones++;
				pages += l->node[n].zone[z].end - l->node[n].zone[z].start;
			}
	snprintf(buf, len,
		 "%zu bytes, %zu operation%s; layout: %u node%s, %u CPU%s, %u zone%s, %lu pages, %u hole%s, %u reserved, %u CMA, boot %s",
		 kb_boot_encode(in, NULL, 0, NULL, 0), in->ops.nr_ops,
		 in->ops.nr_ops == 1 ? "" : "s", l->nr_nodes,
		 l->nr_nodes == 1 ? "" : "s", kb_layout_nr_cpus(l),
		 kb_layout_nr_cpus(l) == 1 ? "" : "s", zones, zones == 1 ? "" : "s", pages,
		 l->nr_holes, l->nr_holes == 1 ? "" : "s", l->nr_reserved, l->nr_cma,
		 l->boot_path == KB_BOOT_BOOTMEM ? "bootmem" : "memblock");
}
