// SPDX-License-Identifier: GPL-2.0
/*
 * The report of a loop that passed its bound (core/loop_bound.h): a
 * kernel-style report through kb->report, delivered from check level 1
 * like the DEBUG_VM checks, while the loop stops at every level.
 */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"
#include "loop_bound.h"

void kb_loop_bound_report(struct kb_instance *kb, const char *invariant, unsigned long pfn,
			  unsigned long rounds, unsigned long bound, const char *fmt, ...)
{
	char detail[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	kb_vm_report(kb, invariant, pfn, -1, "%s (round %lu, bound %lu)", detail, rounds, bound);
}
