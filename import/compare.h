/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Field-by-field comparison of two /proc/zoneinfo views (a real machine's
 * and kbuddy's boot of its layout), each difference with the reason the
 * field has its value: derived at boot (a difference is a finding: the
 * rule that computes it is named) or dynamic (it moves at run time, so a
 * fresh boot cannot be expected to show the captured value).
 */
#ifndef KB_IMPORT_COMPARE_H
#define KB_IMPORT_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "zoneinfo.h"

struct kb_zi_compare_opts {
	bool pcp_high_dynamic;	/* the real kernel auto-tunes pcp->high (6.7+) */
	bool quiet_dynamic;	/* print derived and format differences only */
};

struct kb_zi_compare_result {
	unsigned int equal;		/* fields both print with the same value */
	unsigned int derived;		/* derived at boot and different: findings */
	unsigned int dynamic;		/* run-time fields that differ */
	unsigned int format;		/* printed by one side only, or zones/CPUs missing */
};

/*
 * Prints one line per difference to out (NULL: none) and fills res;
 * returns res->derived + res->format.
 */
unsigned int kb_zoneinfo_compare(const struct kb_zoneinfo *real, const struct kb_zoneinfo *ours,
				 const struct kb_zi_compare_opts *opts, FILE *out,
				 struct kb_zi_compare_result *res);

#endif /* KB_IMPORT_COMPARE_H */
