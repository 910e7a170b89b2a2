/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory-map files of a capture (import/capture.h): /proc/iomem, the
 * memory lines of the boot log (dmesg_mem.txt) and the sysfs node files
 * (node_info). Every line of iomem has the kernel's "START-END : NAME"
 * shape; of the boot log and node_info only the lines kbuddy uses are
 * read, each recognised by its words, and then every number in it is read
 * strictly (import/number.h). A malformed line is an error naming the
 * file, the line and the column: never skipped, never read as another
 * value.
 */
#ifndef KB_IMPORT_MEMMAP_H
#define KB_IMPORT_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>

struct kb_capture;

/*
 * Each parses TEXT (the whole file, NUL-terminated, modified in place) into
 * cap. 0, or -1 with "FILE: line L, column C: ..." in err (FILE as named).
 */
int kb_memmap_read_iomem(struct kb_capture *cap, char *text, const char *file,
			 char *err, size_t errlen);
/* use_e820: the e820 map's usable ranges become cap->ram when iomem gave none */
int kb_memmap_read_dmesg(struct kb_capture *cap, char *text, const char *file, bool use_e820,
			 char *err, size_t errlen);
int kb_memmap_read_node_info(struct kb_capture *cap, char *text, const char *file,
			     char *err, size_t errlen);

/* The next line of *s (its '\n' overwritten), or NULL at the end. */
char *kb_next_line(char **s);

#endif /* KB_IMPORT_MEMMAP_H */
