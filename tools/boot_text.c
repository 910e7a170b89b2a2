// SPDX-License-Identifier: GPL-2.0
/*
 * The text form of fuzz_boot inputs, so that a reduced input or a
 * regression test can be read and edited, and its binary encoder:
 *
 *   # kbuddy boot-input v1
 *   # kbuddy layout v1
 *   max_page_order 10          the layout in its text form
 *   ...                        (docs/layout-format.md)
 *   boot bootmem
 *   operations
 *   alloc order=0 gfp=GFP_KERNEL cpu=0 -> a1
 *   ...                        at most 64 operations in the ops text form
 *                              (docs/ops-format.md), checked against the
 *                              layout above, no "layout" line
 *
 * The operations are the input's records only: the frees and drain_all
 * the target adds after them are not written. Parsing the form and
 * encoding it gives bytes that fuzz_boot decodes to the same layout and
 * operations.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "textio.h"
#include "../fuzz/boot_input.h"

#define BOOT_OPS_NAME	"fuzz_boot"	/* ops->layout of a fuzz_boot sequence */
#define BOOT_TEXT_TAG	"kbuddy boot-input v"	/* KB_BOOT_TEXT_HEADER without "# " */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

bool kb_boot_is_text(const uint8_t *data, size_t size)
{
	size_t i = 0, n = strlen(KB_BOOT_TEXT_HEADER);

	while (i < size && isspace(data[i]))
		i++;
	return size - i >= n && !memcmp(data + i, KB_BOOT_TEXT_HEADER, n);
}

/* Why op (the k-th, 1-based) has no binary form on a layout of max_order. */
static const char *no_binary_reason(const struct kb_op *op, unsigned int max_order)
{
	switch (op->kind) {
	case KB_OP_FREE_PFN:
		return "free_pfn is text only";
	case KB_OP_FREE:
		return op->order_given ? "free with order= is text only" :
		       "the handle is not held at this point (a double free is text only)";
	case KB_OP_ALLOC:
		return op->order > max_order ? "its order is above the layout's max_page_order" :
		       "a field is out of range";
	case KB_OP_SYSCTL:
		return "the value is outside the range the binary form holds (docs/ops-format.md)";
	case KB_OP_PCP_ENABLE:
		return "no pcp_disable of that zone is pending";
	default:
		return "it has no binary form";
	}
}

size_t kb_boot_encode(const struct kb_input *in, uint8_t *buf, size_t len, char *err,
		      size_t errlen)
{
	struct kb_ops_geometry geo = kb_boot_geometry(&in->layout);
	size_t lsize, n = in->ops.nr_ops;

	if (!buf)
		len = 0;
	lsize = kb_layout_encode_binary(&in->layout, NULL, 0);
	if (!lsize) {
		fail(err, errlen, "the layout has no binary form: a zone of more than 15360 / (number of nodes) pages, a gap of more than 255 pages before a zone, more than 4 CMA areas or 8 holes or reserved ranges, or a range the decoder cannot produce (docs/layout-format.md, \"Encoding\")");
		return 0;
	}
	if (n > KB_BOOT_MAX_OPS) {
		fail(err, errlen, "%zu operations; a fuzz_boot input holds at most %d", n,
		     KB_BOOT_MAX_OPS);
		return 0;
	}
	if (kb_ops_encode_records(&in->ops, &geo, NULL, 0)) {
		/* The first operation whose prefix has no binary form. */
		struct kb_ops *pre = malloc(sizeof(*pre));
		size_t k = 0;

		if (pre) {
			memcpy(pre->layout, in->ops.layout, sizeof(pre->layout));
			pre->nr_handles = 0;
			for (k = 0; k < n; k++) {
				pre->ops[k] = in->ops.ops[k];
				pre->nr_ops = k + 1;
				pre->nr_handles += kb_op_new_handles(&pre->ops[k]);
				if (kb_ops_encode_records(pre, &geo, NULL, 0))
					break;
			}
			free(pre);
		}
		if (k < n) {
			char line[600];

			kb_op_format(&in->ops.ops[k], line, sizeof(line));
			fail(err, errlen, "operation %zu '%s' has no binary form on this layout: %s",
			     k + 1, line, no_binary_reason(&in->ops.ops[k], geo.max_order));
		} else {
			fail(err, errlen, "the operations have no binary form on this layout");
		}
		return 0;
	}
	kb_layout_encode_binary(&in->layout, buf, len);
	if (len > lsize)
		kb_ops_encode_records(&in->ops, &geo, buf + lsize, len - lsize);
	return lsize + kb_ops_records_size(&in->ops);
}

size_t kb_boot_format_text(const struct kb_input *in, const char *comment, char *buf,
			   size_t len)
{
	struct kb_textbuf o = { buf, buf ? len : 0, 0 };
	size_t need = kb_layout_format_text(&in->layout, NULL, 0) + 1, i;
	char *layout = malloc(need), line[600];

	if (buf && len)
		buf[0] = '\0';
	kb_textbuf_put(&o, "%s%d\n", KB_BOOT_TEXT_HEADER, KB_BOOT_TEXT_VERSION);
	if (comment)
		kb_textbuf_put(&o, "%s", comment);
	if (layout) {
		kb_layout_format_text(&in->layout, layout, need);
		kb_textbuf_put(&o, "%s", layout);
		free(layout);
	} else {
		kb_textbuf_put(&o, "# (out of memory formatting the layout)\n");
	}
	kb_textbuf_put(&o, "operations\n");
	for (i = 0; i < in->ops.nr_ops; i++) {
		kb_op_format(&in->ops.ops[i], line, sizeof(line));
		kb_textbuf_put(&o, "%s\n", line);
	}
	kb_textbuf_put(&o, "# then, as fuzz_boot does: every allocation still held is freed, drain_all\n");
	return o.pos;
}

/*
 * Finds the "operations" line: *at is where it starts, *after where the
 * next line starts, *lineno its number. 0, or -1 with a reason in err.
 */
static int find_operations(const char *text, size_t len, size_t *at, size_t *after,
			   unsigned int *lineno, char *err, size_t errlen)
{
	struct kb_text_line line;
	bool version = false;
	size_t pos = 0;
	unsigned int n = 0;

	for (;;) {
		const char *reason;
		size_t start = pos;
		char num[16];
		int r;

		n++;
		r = kb_text_next_line(text, len, &pos, KB_TEXT_MAX_FIELDS, &line, &reason);
		if (r < 0)
			return fail(err, errlen, "line %u: %s", n, reason);
		if (!r)
			break;
		if (line.comment &&
		    kb_text_version_header(line.comment, BOOT_TEXT_TAG, num, sizeof(num))) {
			if (strcmp(num, "1"))
				return fail(err, errlen,
					    "line %u: unsupported boot-input format version '%s' (this build reads v%d)",
					    n, num[0] ? num : "?", KB_BOOT_TEXT_VERSION);
			version = true;
		}
		if (line.nr_fields && !strcmp(line.field[0], "operations")) {
			if (line.nr_fields > 1)
				return fail(err, errlen, "line %u: 'operations' takes no arguments, got '%s'",
					    n, line.field[1]);
			if (!version)
				break;
			*at = start;
			*after = pos;
			*lineno = n;
			return 0;
		}
	}
	if (!version)
		return fail(err, errlen, "line 1: a fuzz_boot text form starts with '%s%d'",
			    KB_BOOT_TEXT_HEADER, KB_BOOT_TEXT_VERSION);
	return fail(err, errlen,
		    "line %u: no 'operations' line (a fuzz_boot text form is a layout, a line 'operations', then at most %d operations)",
		    n - 1, KB_BOOT_MAX_OPS);
}

int kb_boot_parse_text(const char *text, size_t len, struct kb_input *in, char *err,
		       size_t errlen)
{
	struct kb_ops_geometry geo;
	size_t at = 0, after = 0;
	unsigned int lineno = 0;
	char *opstext;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (memchr(text, 0, len))
		return fail(err, errlen, "a NUL byte: a text form holds none (is this a binary file?)");
	if (find_operations(text, len, &at, &after, &lineno, err, errlen))
		return -1;
	if (kb_layout_parse_text(text, at, &in->layout, err, errlen))
		return -1;
	/* The operations, behind as many empty lines as came before: line numbers stay. */
	opstext = malloc(lineno + (len - after) + 1);
	if (!opstext)
		return fail(err, errlen, "out of memory");
	memset(opstext, '\n', lineno);
	memcpy(opstext + lineno, text + after, len - after);
	geo = kb_boot_geometry(&in->layout);
	ret = kb_ops_parse_text_geo(opstext, lineno + (len - after), &geo, BOOT_OPS_NAME,
				    &in->ops, err, errlen);
	free(opstext);
	if (ret)
		return -1;
	if (in->ops.nr_ops > KB_BOOT_MAX_OPS)
		return fail(err, errlen, "%zu operations; a fuzz_boot input holds at most %d",
			    in->ops.nr_ops, KB_BOOT_MAX_OPS);
	if (!kb_boot_encode(in, NULL, 0, err, errlen))
		return -1;
	in->boot = true;
	in->text = true;
	return 0;
}
