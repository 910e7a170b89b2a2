/* SPDX-License-Identifier: GPL-2.0 */
/* Scenario files: operations with "expect" lines (docs/scenarios.md). */
#ifndef KB_SCENARIO_H
#define KB_SCENARIO_H

#include <stddef.h>
#include <stdio.h>

/* Runs one scenario; prints one line (and any failures) to out. 0 = met. */
int kb_scenario_run(const char *path, const char *text, size_t len, int check_level,
		    FILE *out);

#endif /* KB_SCENARIO_H */
