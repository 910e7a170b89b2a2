/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runner's user of the pages it holds (ops/user.c): a pattern written
 * into the backing memory of every page of a block, checked on free.
 */
#ifndef KB_USER_H
#define KB_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "kbuddy.h"

/* Writes handle's pattern into every page of the block. */
void kb_user_write(struct kb_instance *kb, struct page *page, unsigned long nr,
		   unsigned int handle);

/*
 * True when every page of the block still holds handle's pattern; else
 * false with the first page that does not in *bad and its word in *word.
 */
bool kb_user_verify(const struct kb_instance *kb, const struct page *page, unsigned long nr,
		    unsigned int handle, unsigned long *bad, uint64_t *word);

#endif /* KB_USER_H */
