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
#include "layout_io.h"
#include "textio.h"
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

/* The first operation keyword of kb_op_kind_name's table, "layout" or "expect". */
static bool ops_keyword(const char *w)
{
	unsigned int k;

	for (k = 0; k < KB_NR_OP_KINDS; k++)
		if (!strcmp(w, kb_op_kind_name((enum kb_op_kind)k)))
			return true;
	return !strcmp(w, "layout") || !strcmp(w, "expect");
}

enum kb_text_kind kb_text_kind(const uint8_t *data, size_t size)
{
	static const struct {
		const char *tag;
		enum kb_text_kind kind;
	} headers[] = {
		{ "kbuddy layout v", KB_TEXT_LAYOUT },
		{ "kbuddy ops v", KB_TEXT_OPS },
		{ "kbuddy boot-input v", KB_TEXT_BOOT },
	};
	struct kb_text_line line;
	size_t pos = 0, i;

	if (!kb_text_looks_like_text(data, size))
		return KB_TEXT_NONE;
	for (;;) {
		const char *reason;
		char num[16];
		int r = kb_text_next_line((const char *)data, size, &pos, KB_TEXT_MAX_FIELDS,
					  &line, &reason);

		if (r < 0)
			return KB_TEXT_UNKNOWN;
		if (!r)
			return KB_TEXT_UNKNOWN;
		for (i = 0; line.comment && i < sizeof(headers) / sizeof(headers[0]); i++)
			if (kb_text_version_header(line.comment, headers[i].tag, num, sizeof(num)))
				return headers[i].kind;
		if (line.nr_fields)
			return ops_keyword(line.field[0]) ? KB_TEXT_OPS : KB_TEXT_UNKNOWN;
	}
}

int kb_load_input_bytes(const char *path, const uint8_t *data, size_t size,
			enum kb_target target, bool binary, struct kb_input *in)
{
	char err[512];

	in->boot = false;
	in->text = false;
	in->bytes = size;
	if (binary || !kb_ops_is_text(data, size)) {
		if (target == KB_TARGET_BOOT) {
			/* Every byte string is a fuzz_boot input: run what the target saw. */
			if (!size)
				fprintf(stderr, "kbuddy: note: %s is empty: as a fuzz_boot input that is a one-node layout and no operations\n",
					path);
			kb_boot_decode_input(data, size, &in->layout, &in->ops);
			in->boot = true;
		} else {
			kb_ops_decode_binary(data, size, &in->ops);
		}
		return 0;
	}
	in->text = true;
	if (kb_boot_is_text(data, size)) {
		if (target == KB_TARGET_OPS) {
			fprintf(stderr, "kbuddy: %s is a fuzz_boot input in text form (it starts with '%s%d'), not a fuzz_ops input: leave out --target fuzz_ops\n",
				path, KB_BOOT_TEXT_HEADER, KB_BOOT_TEXT_VERSION);
			return -1;
		}
		if (kb_boot_parse_text((const char *)data, size, in, err, sizeof(err))) {
			fprintf(stderr, "kbuddy: %s: %s\n", path, err);
			return -1;
		}
		return 0;
	}
	if (target == KB_TARGET_BOOT) {
		fprintf(stderr, "kbuddy: %s is text but not a fuzz_boot text form (which starts with '%s%d'): to run its bytes as a binary fuzz_boot input add --binary; to make a fuzz_boot input from operations: kbuddy boot-input LAYOUT OPS\n",
			path, KB_BOOT_TEXT_HEADER, KB_BOOT_TEXT_VERSION);
		return -1;
	}
	return kb_ops_from_bytes(path, data, size, false, &in->ops);
}

int kb_load_input(const char *path, enum kb_target target, bool binary, struct kb_input *in)
{
	uint8_t *data;
	size_t size;
	int ret;

	if (kb_read_file(path, &data, &size))
		return -1;
	ret = kb_load_input_bytes(path, data, size, target, binary, in);
	free(data);
	return ret;
}

int kb_load_layout(const char *arg, struct kb_layout *layout)
{
	struct kb_input *in;
	char err[512];
	uint8_t *data;
	size_t size;
	int ret = -1;

	if (!kb_layout_builtin(arg, layout))
		return 0;
	if (kb_read_file(arg, &data, &size))
		return -1;
	switch (kb_text_kind(data, size)) {
	case KB_TEXT_NONE:
		fprintf(stderr, "kbuddy: %s is not text: a layout is a built-in name (kbuddy layouts lists them) or a layout text file (docs/layout-format.md)\n",
			arg);
		break;
	case KB_TEXT_OPS:
		fprintf(stderr, "kbuddy: %s is an operation sequence, not a layout: a layout is a built-in name (kbuddy layouts lists them) or a layout text file\n",
			arg);
		break;
	case KB_TEXT_BOOT:
		/* a fuzz_boot input's layout */
		in = kb_input_new();
		if (kb_boot_parse_text((const char *)data, size, in, err, sizeof(err)))
			fprintf(stderr, "kbuddy: %s: %s\n", arg, err);
		else
			*layout = in->layout, ret = 0;
		free(in);
		break;
	default:
		if (kb_layout_parse_text((const char *)data, size, layout, err, sizeof(err)))
			fprintf(stderr, "kbuddy: %s: %s\n", arg, err);
		else
			ret = 0;
		break;
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
