// SPDX-License-Identifier: GPL-2.0
/* Shared helpers of the text formats (core/textio.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "textio.h"

void kb_textbuf_put(struct kb_textbuf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->pos < o->len ? o->buf + o->pos : NULL,
		      o->pos < o->len ? o->len - o->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

int kb_text_parse_number(const char *s, unsigned long limit, unsigned long *out)
{
	unsigned long v = 0;
	unsigned int base = 10;
	bool overflow = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -1;
		/* keep reading after an overflow: junk later is still junk */
		if (overflow || v > (limit - d) / base)
			overflow = true;
		else
			v = v * base + d;
	}
	if (overflow)
		return -2;
	*out = v;
	return 0;
}

int kb_text_version_header(const char *c, const char *tag, char *num, size_t numlen)
{
	size_t taglen = strlen(tag), n = 0;

	while (*c == ' ' || *c == '\t')
		c++;
	if (strncmp(c, tag, taglen))
		return 0;
	c += taglen;
	/* the whole word: "v1x" is no version 1 */
	while (n + 1 < numlen && c[n] && !isspace((unsigned char)c[n])) {
		num[n] = c[n];
		n++;
	}
	num[n] = '\0';
	return 1;
}

int kb_text_next_line(const char *text, size_t len, size_t *pos, int max_fields,
		      struct kb_text_line *line, const char **reason)
{
	bool comment = false;
	size_t n = 0;
	size_t start;
	char *s, *hash;

	if (!text || *pos >= len)
		return 0;
	start = *pos;
	if (*pos == 0 && len >= KB_TEXT_BOM_LEN && !memcmp(text, KB_TEXT_BOM, KB_TEXT_BOM_LEN)) {
		*pos = KB_TEXT_BOM_LEN;
		if (*pos == len)
			return 0;
	}
	while (*pos < len && text[*pos] != '\n' && text[*pos] != '\r') {
		char c = text[(*pos)++];

		if (c == '\0') {
			*reason = "NUL byte in text";
			return -1;
		}
		comment |= c == '#';
		if (n == KB_TEXT_LINE_MAX) {
			if (comment)
				continue;	/* long comments are fine */
			*reason = "line longer than 512 characters";
			return -1;
		}
		line->buf[n++] = c;
	}
	/* the line end: LF, CR LF or a lone CR (none at the end of the text) */
	if (*pos < len && text[(*pos)++] == '\r' && *pos < len && text[*pos] == '\n')
		(*pos)++;
	/*
	 * Every line takes at least one byte, so a parser's loop over the lines
	 * ends: a reader that stopped advancing (a line end not consumed) fails
	 * the text here instead of returning the same empty line forever.
	 */
	if (*pos == start) {
		*reason = "the line reader did not advance (loop-text-next-line)";
		return -1;
	}
	line->buf[n] = '\0';

	/* the fields end at a comment; the comment's text starts past its '#' */
	line->comment = NULL;
	hash = strchr(line->buf, '#');
	if (hash) {
		*hash = '\0';
		line->comment = hash + 1;
	}
	line->nr_fields = 0;
	for (s = line->buf; *s; ) {
		while (*s && isspace((unsigned char)*s))
			*s++ = '\0';
		if (!*s)
			break;
		if (line->nr_fields == max_fields) {
			*reason = "too many fields";
			return -1;
		}
		line->field[line->nr_fields++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	return 1;
}

/* The length of the well-formed UTF-8 sequence of two or more bytes at p, or 0. */
static size_t utf8_sequence(const uint8_t *p, size_t left)
{
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

bool kb_text_looks_like_text(const uint8_t *data, size_t size)
{
	size_t i = 0;

	if (!data || !size)
		return false;
	if (size >= KB_TEXT_BOM_LEN && !memcmp(data, KB_TEXT_BOM, KB_TEXT_BOM_LEN))
		return true;
	while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
			    data[i] == '\r'))
		i++;
	if (i < size && data[i] == '\0')
		return false;
	while (i < size && data[i] != '\n' && data[i] != '\r' && data[i] != '\0') {
		size_t n = 1;

		if (data[i] >= 0x80)
			n = utf8_sequence(data + i, size - i);
		else if (data[i] != '\t' && (data[i] < 0x20 || data[i] > 0x7e))
			n = 0;
		if (!n)
			return false;
		i += n;
	}
	return true;
}

void kb_text_escape(char *dst, size_t dstlen, const char *src)
{
	struct kb_textbuf o = { dst, dst ? dstlen : 0, 0 };
	const unsigned char *s;

	if (!dst || !dstlen)
		return;
	dst[0] = '\0';
	for (s = (const unsigned char *)src; *s; s++) {
		if (*s >= 0x20 && *s <= 0x7e && *s != '\\')
			kb_textbuf_put(&o, "%c", *s);
		else if (*s == '\\')
			kb_textbuf_put(&o, "\\\\");
		else
			kb_textbuf_put(&o, "\\x%02x", *s);
	}
}
