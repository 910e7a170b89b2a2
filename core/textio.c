// SPDX-License-Identifier: GPL-2.0
/* Shared helpers of the text formats (core/textio.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdarg.h>
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
		if (v > (limit - d) / base)
			return -1;
		v = v * base + d;
	}
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
	while (n + 1 < numlen && isdigit((unsigned char)c[n])) {
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
	char *s, *hash;

	if (!text || *pos >= len)
		return 0;
	while (*pos < len && text[*pos] != '\n') {
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
	(*pos)++;	/* the '\n' */
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
