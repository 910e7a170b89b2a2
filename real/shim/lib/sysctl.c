// SPDX-License-Identifier: GPL-2.0
/*
 * Sysctls (kernel/sysctl.c, fs/proc/proc_sysctl.c): register_sysctl_init()
 * records each table so the driver can write a value the way
 * `echo V > /proc/sys/vm/NAME` does, through the table's own handler;
 * proc_dointvec_minmax() parses and range-checks as the kernel's does
 * (whitespace-separated integers, one per array element, -EINVAL for a
 * value outside [extra1, extra2], the elements before it kept).
 */
#include <kshim/kshim.h>
#include <kshim/runtime.h>
#include <stdlib.h>

const int sysctl_vals[] = { 0, 1, 2, 3, 4, 100, 200, 1000, 3000, INT_MAX, 65535, -1 };

#define KSHIM_MAX_SYSCTL_TABLES 8
static struct { struct ctl_table *table; size_t n; } tables[KSHIM_MAX_SYSCTL_TABLES];
static int nr_tables;

void __register_sysctl_init(const char *path, struct ctl_table *table,
			    const char *table_name, size_t table_size)
{
	(void)path;
	(void)table_name;
	for (int i = 0; i < nr_tables; i++)
		if (tables[i].table == table)
			return;
	if (nr_tables == KSHIM_MAX_SYSCTL_TABLES)
		kshim_panic("too many sysctl tables");
	tables[nr_tables].table = table;
	tables[nr_tables].n = table_size;
	nr_tables++;
}

struct ctl_table *kshim_find_sysctl(const char *procname)
{
	for (int i = 0; i < nr_tables; i++)
		for (size_t j = 0; j < tables[i].n; j++)
			if (tables[i].table[j].procname &&
			    !strcmp(tables[i].table[j].procname, procname))
				return &tables[i].table[j];
	return NULL;
}

static int do_write_ints(const struct ctl_table *table, const char *buf, size_t len,
			 const int *min, const int *max)
{
	int *vals = table->data;
	size_t n = (size_t)table->maxlen / sizeof(int);
	char text[256];
	char *p, *end;

	if (len >= sizeof(text))
		return -EINVAL;
	memcpy(text, buf, len);
	text[len] = 0;
	p = text;
	for (size_t i = 0; i < n; i++) {
		long v;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		v = strtol(p, &end, 0);
		if (end == p || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
			return -EINVAL;
		if (v > INT_MAX || v < INT_MIN)
			return -EINVAL;
		if ((min && *min > v) || (max && *max < v))
			return -EINVAL;
		WRITE_ONCE(vals[i], (int)v);
		p = end;
	}
	return 0;
}

int proc_dointvec_minmax(const struct ctl_table *table, int write, void *buffer,
			 size_t *lenp, loff_t *ppos)
{
	if (!write) {
		*lenp = 0;
		return 0;
	}
	*ppos += *lenp;
	return do_write_ints(table, buffer, *lenp, table->extra1, table->extra2);
}

int proc_dointvec(const struct ctl_table *table, int write, void *buffer,
		  size_t *lenp, loff_t *ppos)
{
	if (!write) {
		*lenp = 0;
		return 0;
	}
	*ppos += *lenp;
	return do_write_ints(table, buffer, *lenp, NULL, NULL);
}

/* numa_zonelist_order: accepted and ignored since 4.14, as in the kernel. */
int proc_dostring(const struct ctl_table *table, int write, void *buffer,
		  size_t *lenp, loff_t *ppos)
{
	(void)table;
	(void)write;
	(void)buffer;
	*ppos += *lenp;
	return 0;
}
