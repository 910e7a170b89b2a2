/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers in the files of a capture (zoneinfo, sysctl_vm, the ftrace
 * text, iomem, the boot log, sysfs), read strictly: digits only (hex
 * after "0x" where the kernel prints hex, bare where it prints it bare), a '-' only where the value may be negative, never a '+',
 * an exponent, a fraction or a value that does not fit, and nothing but a
 * separator after the last digit. A refused number is reported at its
 * line and column, and shown with its unprintable bytes escaped.
 */
#ifndef KB_IMPORT_NUMBER_H
#define KB_IMPORT_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

struct kb_num_rule {
	bool hex;		/* "0x" then hex digits; else decimal (0x refused) */
	bool bare;		/* with hex: the digits alone, as /proc/iomem prints them */
	bool negative;		/* a leading '-' allowed */
	long min, max;		/* the range of the value */
	const char *ends;	/* characters that may follow it besides blanks and the end */
};

/*
 * Reads the number at s (s[0] must be its first character). Returns the
 * number of characters it takes, or 0 with the reason in *why ("not a
 * number", "a '+' sign", "out of range", ...).
 */
size_t kb_num_read(const char *s, const struct kb_num_rule *rule, long *out, const char **why);

/*
 * "line L, column C: bad number 'TOKEN' (WHY)" for the number at s in
 * the line that starts at line_start; TOKEN is the text up to the next
 * blank, at most 24 characters, unprintable bytes as \xNN.
 */
void kb_num_error(char *buf, size_t len, unsigned int line, const char *line_start,
		  const char *s, const char *why);

#endif /* KB_IMPORT_NUMBER_H */
