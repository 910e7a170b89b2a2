// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/zoneinfo by the kernel's own printer: mm/vmstat.c cut to
 * zoneinfo_show_print() and what it reads, writing into a seq_file that
 * is a plain buffer.
 */
#include <kshim/kshim.h>

struct seq_file {
	char *buf;
	size_t size, count;
};

static void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	size_t room = m->count < m->size ? m->size - m->count : 0;
	int n = vsnprintf(m->buf + (room ? m->count : 0), room, fmt, ap);

	if (n > 0)
		m->count += (size_t)n;
}

static __printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

static void seq_putc(struct seq_file *m, char c)
{
	seq_printf(m, "%c", c);
}

#include "internal.h"
#include "vmstat.c"

#include "driver.h"

/* The seq_file walk of /proc/zoneinfo (and /proc/buddyinfo): every online node. */
static size_t show_all(char *buf, size_t len, int (*show)(struct seq_file *, void *))
{
	struct seq_file m = { .buf = buf, .size = len };
	pg_data_t *pgdat;

	if (len)
		buf[0] = 0;
	for_each_online_pgdat(pgdat)
		show(&m, pgdat);
	return m.count;
}

size_t real_zoneinfo(char *buf, size_t len)
{
	return show_all(buf, len, zoneinfo_show);
}

size_t real_buddyinfo(char *buf, size_t len)
{
	return show_all(buf, len, frag_show);
}
