/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Level 2's check after each operation: what the operation touched, and
 * every counter against counts kept from the touches (checkers/incremental.c).
 */
#ifndef KB_INCREMENTAL_H
#define KB_INCREMENTAL_H

#include "check.h"

struct kb_incremental;

struct kb_incremental *kb_incremental_create(void);
void kb_incremental_destroy(struct kb_incremental *ic);
/* Starts counting from the lists as they are now (after boot or a restore). */
void kb_incremental_begin(struct kb_incremental *ic, const struct kb_instance *kb);
/*
 * Starts again from the counts of the last kb_incremental_begin: for an
 * instance restored to the state that begin counted (a snapshot restore),
 * without walking its lists again.
 */
void kb_incremental_restart(struct kb_incremental *ic);
/*
 * Checks the operation whose touches are in kb->touched; 0, or 1 with *v.
 * Falls back to kb_check_full when the touch log overflowed.
 */
int kb_check_touched(struct kb_incremental *ic, struct kb_instance *kb,
		     const struct kb_shadow *sh, struct kb_violation *v);

#endif /* KB_INCREMENTAL_H */
