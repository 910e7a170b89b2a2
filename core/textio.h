/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the text formats (layouts, operations, GFP names) share: appending
 * to a buffer with snprintf semantics, and reading a line into fields.
 */
#ifndef KB_TEXTIO_H
#define KB_TEXTIO_H

#include <stddef.h>

/* snprintf-style appending: pos counts what was needed even past len. */
struct kb_textbuf {
	char *buf;
	size_t len;
	size_t pos;
};

void kb_textbuf_put(struct kb_textbuf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define KB_TEXT_LINE_MAX	512	/* characters before a comment */
#define KB_TEXT_MAX_FIELDS	16

/* One line split into fields separated by spaces and tabs. */
struct kb_text_line {
	char buf[KB_TEXT_LINE_MAX + 1];
	char *field[KB_TEXT_MAX_FIELDS];
	int nr_fields;
	const char *comment;	/* the text after its '#', or NULL */
};

/*
 * Reads the line at *pos (then past its '\n') into line and splits it.
 * Comments may be longer than KB_TEXT_LINE_MAX; the rest may not, nor
 * hold a NUL byte or more than max_fields fields. Returns 1 with a line,
 * 0 at the end of the text, -1 with *reason set.
 */
int kb_text_next_line(const char *text, size_t len, size_t *pos, int max_fields,
		      struct kb_text_line *line, const char **reason);

/* Decimal or 0x hex digits, at most limit: 0 with *out, or -1 on junk or overflow. */
int kb_text_parse_number(const char *s, unsigned long limit, unsigned long *out);

/*
 * A comment that declares a format version ("kbuddy ops v1" for tag
 * "kbuddy ops v"): returns 0 when the comment is not one, else 1 with the
 * digits after the tag in num (empty when there are none).
 */
int kb_text_version_header(const char *comment, const char *tag, char *num, size_t numlen);

#endif /* KB_TEXTIO_H */
