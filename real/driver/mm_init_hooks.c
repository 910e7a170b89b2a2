// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mm_init.c, compiled here so that its static early_param handlers can
 * be called the way the kernel command line calls them.
 */
#include "mm_init.c"

#include "driver.h"

int real_parse_early_param(const char *name, const char *value)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s", value);
	if (!strcmp(name, "movablecore"))
		return cmdline_parse_movablecore(buf);
	if (!strcmp(name, "kernelcore"))
		return cmdline_parse_kernelcore(buf);
	return -EINVAL;
}
