// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_boot: the machine itself comes from the input. The bytes decode to
 * a layout (nodes, zone spans, holes, reserved ranges, CMA areas, orders,
 * boot path memblock or bootmem; docs/layout-format.md), which boots, then
 * to at most 64 operations reduced against that layout (fuzz/boot_input.h).
 * Every allocation is then freed and every pcp list drained. Check level 2:
 * oracles on every operation and a full sweep at the end, plus the
 * accounting oracle: free pages equal managed pages in every zone, both
 * right after boot and at the end. A violation aborts with a report and a
 * KBUDDY-SIGNATURE line; `kbuddy triage --boot` groups such files.
 *
 * Work per input is capped by the layout decoder (at most 65520 pfns) and
 * the 64 operations. KBUDDY_CHECK_LEVEL in the environment overrides the
 * level.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "boot_input.h"
#include "run_stats.h"

#ifndef KB_CHECK_LEVEL
#define KB_CHECK_LEVEL 2
#endif

static struct kb_ops ops;	/* scratch, rewritten by every decode */
static int check_level = KB_CHECK_LEVEL;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *level = getenv("KBUDDY_CHECK_LEVEL");

	(void)argc;
	(void)argv;
	if (level && level[0] >= '0' && level[0] <= '3' && !level[1])
		check_level = level[0] - '0';
	kb_fuzz_stats_init();
	return 0;
}

static void report_layout(const struct kb_layout *layout)
{
	static char text[8192];

	kb_layout_format_text(layout, text, sizeof(text));
	fprintf(stderr, "  layout:\n%s", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_layout layout;
	struct kb_run_result res;
	struct kb_run *run;
	char sig[320], why[256];

	kb_boot_decode(data, size, &layout, &ops);
	run = kb_boot_run(&layout, &ops, check_level, &res, sig, sizeof(sig), why, sizeof(why));
	kb_fuzz_stats_add(1, res.ops_run);
	if (sig[0]) {
		if (res.violated) {
			kb_run_report(stderr, &ops, run, &res);
		} else {
			fprintf(stderr, "==== kbuddy: invariant violated ====\n%s\n", why);
			fprintf(stderr, "%s\n", sig);
		}
		report_layout(&layout);
		kb_fuzz_stats_print();
		fflush(stderr);
		abort();
	}
	kb_run_destroy(run);
	return 0;
}
