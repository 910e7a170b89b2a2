/* SPDX-License-Identifier: GPL-2.0 */
/* Reading and writing whole files for the kbuddy tool, with clear errors. */
#ifndef KB_FILEIO_H
#define KB_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops.h"

#define KB_MAX_INPUT_BYTES	(16u << 20)

/* Reads path ("-" = stdin); 0, or -1 with a message printed to stderr. */
int kb_read_file(const char *path, uint8_t **data, size_t *size);
int kb_write_file(const char *path, const void *data, size_t size);

/*
 * Loads an operation file: the text form when kb_ops_is_text says so
 * (errors are the parser's, with a hint when the file is a layout or
 * line 1 is at fault), else the binary form; with binary, always the
 * binary form. 0, or -1 with the reason printed to stderr.
 */
int kb_load_ops(const char *path, bool binary, struct kb_ops *ops);
/* The same for bytes already read from path (named in messages). */
int kb_ops_from_bytes(const char *path, const uint8_t *data, size_t size, bool binary,
		      struct kb_ops *ops);

#endif /* KB_FILEIO_H */
