// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a vm sysctl as `echo VALUE > /proc/sys/vm/NAME` does: through
 * the handler page_alloc.c registered for it.
 */
#include <kshim/kshim.h>
#include <kshim/runtime.h>

#include "driver.h"

int real_sysctl_write(const char *name, const char *value)
{
	struct ctl_table *table = kshim_find_sysctl(name);
	char buf[256];
	size_t len;
	loff_t pos = 0;

	if (!table)
		return -ENOENT;
	len = (size_t)snprintf(buf, sizeof(buf), "%s\n", value);
	if (len >= sizeof(buf))
		return -EINVAL;
	return table->proc_handler(table, 1, buf, &len, &pos);
}

int real_sysctl_write_long(const char *name, long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", value);
	return real_sysctl_write(name, buf);
}
