/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The forms a machine layout (core/layout.h) is read from and written to:
 * the text form, the binary form of fuzz inputs, and the built-in named
 * layouts. docs/layout-format.md specifies them.
 */
#ifndef KB_MACHINE_LAYOUT_IO_H
#define KB_MACHINE_LAYOUT_IO_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/* Text form: returns 0, or -1 with "line N: reason" in err. */
int kb_layout_parse_text(const char *text, size_t len, struct kb_layout *out,
			 char *err, size_t errlen);
/* Writes the text form; returns the length it needed (snprintf semantics). */
size_t kb_layout_format_text(const struct kb_layout *layout, char *buf, size_t len);

/* Binary form: any byte string decodes to a valid layout; returns bytes used. */
size_t kb_layout_decode_binary(const uint8_t *data, size_t size, struct kb_layout *out);
/* Writes a binary form that decodes back to the same layout; returns its length. */
size_t kb_layout_encode_binary(const struct kb_layout *layout, uint8_t *buf, size_t len);

/* Built-in named layouts used by scenarios and fuzz_ops. */
int kb_layout_builtin(const char *name, struct kb_layout *out);
const char *kb_layout_builtin_name(unsigned int index);	/* NULL past the end */
unsigned int kb_layout_builtin_count(void);
/* Fills a one-node layout named "default" (see kb_layout_builtin). */
void kb_layout_default(struct kb_layout *layout);

#endif /* KB_MACHINE_LAYOUT_IO_H */
