// SPDX-License-Identifier: GPL-2.0
/*
 * Strict numbers for the capture readers (import/number.h): the digits are
 * accumulated here, not by strtol, so that a sign, a base prefix or an
 * overflow is a reason of its own and never a silently different value.
 */
#include <stdio.h>
#include <string.h>

#include "number.h"

static int digit_value(char c, bool hex)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (hex && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (hex && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool ends_number(char c, const char *ends)
{
	return !c || c == ' ' || c == '\t' || c == '\n' || c == '\r' || (ends && strchr(ends, c));
}

size_t kb_num_read(const char *s, const struct kb_num_rule *rule, long *out, const char **why)
{
	unsigned long long v = 0, limit;
	const char *p = s;
	bool neg = false;
	int d;

	if (*p == '+') {
		*why = "a '+' sign";
		return 0;
	}
	if (*p == '-') {
		if (!rule->negative) {
			*why = "a negative value";
			return 0;
		}
		neg = true;
		p++;
	}
	if (rule->hex && rule->bare) {
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			*why = "a 0x prefix where the digits stand alone";
			return 0;
		}
	} else if (rule->hex) {
		if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X')) {
			*why = "not a 0x hex number";
			return 0;
		}
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		*why = "hex where a decimal number belongs";
		return 0;
	}
	if (digit_value(*p, rule->hex) < 0) {
		*why = "not a number";
		return 0;
	}
	/* the magnitude the range allows on this side of zero */
	limit = neg ? (rule->min < 0 ? 0ULL - (unsigned long long)rule->min : 0) :
		      (rule->max < 0 ? 0 : (unsigned long long)rule->max);
	for (; (d = digit_value(*p, rule->hex)) >= 0; p++) {
		unsigned int base = rule->hex ? 16 : 10;

		/* v * base + d <= limit, checked without overflowing */
		if (v > limit / base || (unsigned long long)d > limit - v * base) {
			*why = "out of range";
			return 0;
		}
		v = v * base + (unsigned long long)d;
	}
	if (!ends_number(*p, rule->ends)) {
		*why = *p == 'e' || *p == 'E' ? "an exponent" :
		       *p == '.' ? "a fraction" : "text after the number";
		return 0;
	}
	if (neg)
		*out = v ? -(long)(v - 1) - 1 : 0;
	else
		*out = (long)v;
	if (*out < rule->min || *out > rule->max) {
		*why = "out of range";
		return 0;
	}
	return (size_t)(p - s);
}

void kb_num_error(char *buf, size_t len, unsigned int line, const char *line_start,
		  const char *s, const char *why)
{
	char token[24 * 4 + 1];
	size_t n = 0, i;

	for (i = 0; i < 24 && s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\n'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\'')
			token[n++] = (char)c;
		else
			n += (size_t)snprintf(token + n, sizeof(token) - n, "\\x%02x", c);
	}
	token[n] = 0;
	snprintf(buf, len, "line %u, column %u: bad number '%s'%s (%s)", line,
		 (unsigned int)(s - line_start) + 1, token,
		 s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' ? "..." : "", why);
}
