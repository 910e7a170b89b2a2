// SPDX-License-Identifier: GPL-2.0
/* Whole-file input and output for the kbuddy tool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "input.h"
#include "layout_io.h"

int kb_read_file(const char *path, uint8_t **data, size_t *size)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "kbuddy: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			uint8_t *nbuf;

			cap = cap ? cap * 2 : 65536;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				fprintf(stderr, "kbuddy: out of memory reading %s\n", path);
				goto fail;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len > KB_MAX_INPUT_BYTES) {
			fprintf(stderr, "kbuddy: %s is larger than %u bytes\n", path,
				KB_MAX_INPUT_BYTES);
			goto fail;
		}
		if (n == 0) {
			if (ferror(f)) {
				fprintf(stderr, "kbuddy: cannot read %s: %s\n", path,
					strerror(errno));
				goto fail;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (!buf)
		buf = malloc(1);
	if (!buf)
		return -1;
	buf[len] = '\0';
	*data = buf;
	*size = len;
	return 0;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return -1;
}

int kb_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;

	if (!f) {
		fprintf(stderr, "kbuddy: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, size, f) != size || (f != stdout && fclose(f))) {
		fprintf(stderr, "kbuddy: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (f == stdout)
		fflush(stdout);
	return 0;
}

/* Prints a text parser's error, and what else the file might have been. */
static void text_error(const char *path, const char *err, const uint8_t *data, size_t size)
{
	struct kb_layout layout;
	char lerr[64];

	fprintf(stderr, "kbuddy: %s: %s\n", path, err);
	if (!kb_layout_parse_text((const char *)data, size, &layout, lerr, sizeof(lerr)))
		fprintf(stderr, "kbuddy: %s is a machine layout, not an operation sequence (zoneinfo and layout read layouts; boot-input LAYOUT OPS makes a fuzz_boot input)\n",
			path);
	else if (kb_text_kind(data, size) != KB_TEXT_OPS || strstr(err, "NUL"))
		fprintf(stderr, "kbuddy: %s was read as text (its first line is printable text); --binary reads it as a binary input\n",
			path);
}

int kb_ops_from_bytes(const char *path, const uint8_t *data, size_t size, bool binary,
		      struct kb_ops *ops)
{
	char err[512];

	if (binary || !kb_ops_is_text(data, size)) {
		kb_ops_decode_binary(data, size, ops);
		return 0;
	}
	if (kb_ops_parse_text((const char *)data, size, ops, err, sizeof(err))) {
		text_error(path, err, data, size);
		return -1;
	}
	return 0;
}

int kb_load_ops(const char *path, bool binary, struct kb_ops *ops)
{
	uint8_t *data;
	size_t size;
	int ret;

	if (kb_read_file(path, &data, &size))
		return -1;
	ret = kb_ops_from_bytes(path, data, size, binary, ops);
	free(data);
	return ret;
}
