/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the text formats (layouts, operations, GFP names) share: appending
 * to a buffer with snprintf semantics, reading a line into fields, telling
 * text from binary bytes, strict numbers, and error messages that never
 * echo raw bytes.
 */
#ifndef KB_TEXTIO_H
#define KB_TEXTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* A UTF-8 byte-order mark: the text formats skip one at the very start. */
#define KB_TEXT_BOM		"\xef\xbb\xbf"
#define KB_TEXT_BOM_LEN		3

/* One line split into fields separated by spaces and tabs. */
struct kb_text_line {
	char buf[KB_TEXT_LINE_MAX + 1];
	char *field[KB_TEXT_MAX_FIELDS];
	int nr_fields;
	const char *comment;	/* the text after its '#', or NULL */
};

/*
 * Reads the line at *pos (then past its line end: LF, CR LF or a lone CR)
 * into line and splits it; a UTF-8 byte-order mark at the start of the
 * text is skipped. Comments may be longer than KB_TEXT_LINE_MAX; the rest
 * may not, nor hold a NUL byte or more than max_fields fields. Returns 1
 * with a line, 0 at the end of the text, -1 with *reason set. A call that
 * returns 1 has moved *pos on by at least one byte (it fails otherwise:
 * "loop-text-next-line"), so a loop over the lines of len bytes ends.
 */
int kb_text_next_line(const char *text, size_t len, size_t *pos, int max_fields,
		      struct kb_text_line *line, const char **reason);

/*
 * The 1-based column of p, a pointer into line->buf; 0 when p is not in
 * it (a copy of a field), and a message then names the line alone.
 */
static inline unsigned int kb_text_column(const struct kb_text_line *line, const char *p)
{
	uintptr_t at = (uintptr_t)p, start = (uintptr_t)line->buf;

	if (at < start || at > start + KB_TEXT_LINE_MAX)
		return 0;
	return (unsigned int)(at - start) + 1;
}

/*
 * Decimal or 0x hex digits and nothing else (no sign, no blanks, no
 * exponent), at most limit: 0 with *out, -1 on anything that is not such a
 * number, -2 when it is one above limit.
 */
int kb_text_parse_number(const char *s, unsigned long limit, unsigned long *out);

/*
 * Whether bytes are meant as text: they start with a UTF-8 byte-order
 * mark, or their first line that is not blank (up to the first LF, CR or
 * NUL) holds only printable ASCII, tabs and well-formed UTF-8; a text of
 * blanks only is text too. Empty bytes are not text. Every text format of
 * kbuddy is read by this rule, so a typo in a text file gives a parse
 * error instead of a run of whatever its bytes mean as a binary input.
 */
bool kb_text_looks_like_text(const uint8_t *data, size_t size);

/*
 * Copies src to dst (snprintf-style, always terminated when dstlen > 0)
 * with every byte outside printable ASCII written as \xNN, so a message
 * that quotes input never puts raw bytes on a terminal.
 */
void kb_text_escape(char *dst, size_t dstlen, const char *src);

/*
 * A comment that declares a format version ("kbuddy ops v1" for tag
 * "kbuddy ops v"): returns 0 when the comment is not one, else 1 with the
 * word after the tag in num (empty when there is none; "1x" is not "1").
 */
int kb_text_version_header(const char *comment, const char *tag, char *num, size_t numlen);

#endif /* KB_TEXTIO_H */
