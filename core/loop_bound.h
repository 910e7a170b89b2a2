/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named loop bounds. A loop whose end depends on the state it walks (a
 * count, a list, the fields of struct pages) runs forever when that state
 * is wrong; the kernel would hang there until its soft-lockup watchdog
 * printed the function. kbuddy gives each such loop a bound derived from
 * the instance (the pcp lists, the zonelist's length, the pages of the
 * range it scans) and, when the loop passes it, stops the loop and reports
 * the invariant named after the function: "loop-<function>", one name per
 * function (docs/invariants.md, "Loop bounds"). The loop's caller then
 * goes on with the state as it is, as after any other kernel-style check.
 *
 * A bound costs one increment and one well-predicted compare a round.
 */
#ifndef KB_LOOP_BOUND_H
#define KB_LOOP_BOUND_H

#include <stdbool.h>

#include "kbuddy.h"

/* Reports invariant at pfn's zone: "<detail> (round N, bound B)". */
void kb_loop_bound_report(struct kb_instance *kb, const char *invariant, unsigned long pfn,
			  unsigned long rounds, unsigned long bound, const char *fmt, ...)
	__attribute__((cold, noinline, format(printf, 6, 7)));

/*
 * Counts one round of a loop in rounds (an unsigned long the caller set
 * to 0 before the loop); once rounds passes bound, reports invariant and
 * is true, and the caller leaves the loop. The first statement of a body:
 *
 *	if (KB_LOOP_BOUND(kb, rounds, bound, "loop-drain-pages-zone", pfn,
 *			  "what the state was", ...))
 *		break;
 */
#define KB_LOOP_BOUND(kb, rounds, bound, invariant, pfn, ...)			\
	(__builtin_expect(++(rounds) > (unsigned long)(bound), 0) &&		\
	 (kb_loop_bound_report((kb), (invariant), (pfn), (rounds),		\
			       (unsigned long)(bound), __VA_ARGS__), true))

#endif /* KB_LOOP_BOUND_H */
