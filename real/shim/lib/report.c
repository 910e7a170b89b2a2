// SPDX-License-Identifier: GPL-2.0
/*
 * WARN, BUG, printk and panic of the real code: recorded for the driver,
 * which reports a kernel warning as a finding of its own.
 */
#include <kshim/kshim.h>
#include <kshim/runtime.h>
#include <stdio.h>
#include <stdlib.h>

struct kshim_report_state kshim_report;

void kshim_warn(const char *kind, const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');

	kshim_report.nr_warnings++;
	if (kshim_report.nr_warnings == 1)
		snprintf(kshim_report.first, sizeof(kshim_report.first), "%s at %s:%d: %s",
			 kind, base ? base + 1 : file, line, cond);
	if (kshim_report.verbose)
		fprintf(stderr, "real kernel %s at %s:%d: %s\n", kind, base ? base + 1 : file,
			line, cond);
}

int kshim_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!kshim_report.verbose)
		return 0;
	if (fmt[0] == '\001' && fmt[1])
		fmt += 2;
	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

void kshim_panic(const char *fmt, ...)
{
	va_list ap;

	fputs("real kernel panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void kshim_add_taint(unsigned flag, int lockdep_ok)
{
	(void)lockdep_ok;
	kshim_report.taints |= 1UL << flag;
}

/* bad_page() and friends dump the page: the driver reports the warning. */
void dump_page(const struct page *page, const char *reason)
{
	kshim_printk("page pfn %lx: %s\n", page_to_pfn(page), reason ? reason : "");
}

void __show_mem(unsigned int filter, nodemask_t *nodemask, int max_zone_idx)
{
	(void)filter;
	(void)nodemask;
	(void)max_zone_idx;
}
