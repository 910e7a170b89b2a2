// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /proc/iomem, the boot log's memory lines and the sysfs node
 * files of a capture (import/memmap.h). Each line is walked by a cursor
 * that takes the kernel's literal words and strict numbers in turn; the
 * first thing that does not fit is reported at its column.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "memmap.h"
#include "number.h"

#define PAGE_SHIFT_4K	12

/* One line being read, and where the first error goes. */
struct cursor {
	const char *file;
	unsigned int lineno;
	const char *line;	/* the whole line */
	const char *p;		/* the next character to read */
	char *err;
	size_t errlen;
};

/* Addresses as iomem prints them (bare hex) and as printk's %pa and [mem %#018Lx-%#018Lx] do. */
static const struct kb_num_rule iomem_addr = { .hex = true, .bare = true, .max = LONG_MAX,
					       .ends = "-:" };
static const struct kb_num_rule mem_addr = { .hex = true, .max = LONG_MAX, .ends = "-]" };

static int fail(struct cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct cursor *c, const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: line %u, column %u: %s", c->file, c->lineno,
		 (unsigned int)(c->p - c->line) + 1, why);
	return -1;
}

/* Takes the literal WORDS at the cursor, or fails naming them and the line's SHAPE. */
static int expect(struct cursor *c, const char *words, const char *shape)
{
	size_t n = strlen(words);

	if (strncmp(c->p, words, n))
		return fail(c, "expected \"%s\" (%s)", words, shape);
	c->p += n;
	return 0;
}

static int number(struct cursor *c, const struct kb_num_rule *rule, long *out)
{
	const char *why;
	char msg[200];
	size_t n = kb_num_read(c->p, rule, out, &why);

	if (!n) {
		kb_num_error(msg, sizeof(msg), c->lineno, c->line, c->p, why);
		snprintf(c->err, c->errlen, "%s: %s", c->file, msg);
		return -1;
	}
	c->p += n;
	return 0;
}

/* Starts reading LINE; a CR in it (a file converted to CRLF line ends) is refused. */
static int start_line(struct cursor *c, const char *line)
{
	const char *cr = strchr(line, '\r');

	c->lineno++;
	c->line = c->p = line;
	if (!cr)
		return 0;
	c->p = cr;
	return fail(c, "a carriage return (the kernel ends lines with \\n alone)");
}

static void blanks(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

char *kb_next_line(char **s)
{
	char *line = *s, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = 0;
		*s = nl + 1;
	} else {
		*s = line + strlen(line);
	}
	return line;
}

/* START-END, both inclusive, with END >= START; the rule says how they are printed. */
static int range(struct cursor *c, const struct kb_num_rule *rule, const char *shape,
		 unsigned long long *start, unsigned long long *end)
{
	const char *at = c->p;
	long a, b;

	if (number(c, rule, &a) || expect(c, "-", shape) || number(c, rule, &b))
		return -1;
	if (b < a) {
		c->p = at;
		return fail(c, "range %#lx-%#lx ends before it starts", (unsigned long)a,
			    (unsigned long)b);
	}
	*start = (unsigned long long)a;
	*end = (unsigned long long)b;
	return 0;
}

/* memblock keeps whole pages: the first page starting in the range to the last ending in it */
static int add_ram(struct cursor *c, struct kb_cap_range *r, int *nr, unsigned long long start,
		   unsigned long long end_incl, int node)
{
	unsigned long s = (unsigned long)((start + 4095) >> PAGE_SHIFT_4K);
	unsigned long e = (unsigned long)((end_incl + 1) >> PAGE_SHIFT_4K);

	if (s >= e)
		return 0;
	if (*nr == KB_CAP_MAX_RANGES)
		return fail(c, "more than %d memory ranges", KB_CAP_MAX_RANGES);
	r[*nr].start = s;
	r[*nr].end = e;
	r[*nr].node = node;
	(*nr)++;
	return 0;
}

static int iomem_line(struct kb_capture *cap, struct cursor *c)
{
	static const char shape[] = "an iomem line is START-END : NAME";
	unsigned long long a, b;
	bool top;
	const char *name;

	blanks(c);
	top = c->p == c->line;
	if (range(c, &iomem_addr, shape, &a, &b) || expect(c, " : ", shape))
		return -1;
	name = c->p;
	if (!*name)
		return fail(c, "a range without a name (%s)", shape);
	if (top && !strcmp(name, "System RAM"))
		return add_ram(c, cap->ram, &cap->nr_ram, a, b, -1);
	if (!strcmp(name, "Kernel code"))
		cap->code[0] = a, cap->code[1] = b + 1;
	else if (!strcmp(name, "Kernel rodata"))
		cap->rodata[0] = a, cap->rodata[1] = b + 1;
	else if (!strcmp(name, "Kernel data"))
		cap->data[0] = a, cap->data[1] = b + 1;
	else if (!strcmp(name, "Kernel bss"))
		cap->bss[0] = a, cap->bss[1] = b + 1;
	return 0;
}

int kb_memmap_read_iomem(struct kb_capture *cap, char *text, const char *file,
			 char *err, size_t errlen)
{
	struct cursor c = { .file = file, .err = err, .errlen = errlen };
	char *s = text, *line;

	while ((line = kb_next_line(&s))) {
		if (start_line(&c, line))
			return -1;
		if (!line[strspn(line, " \t")])
			continue;
		if (iomem_line(cap, &c))
			return -1;
	}
	/* Without root the kernel shows every address as 0. */
	cap->have_iomem = cap->nr_ram > 0;
	if (!cap->code[1])
		cap->code[0] = cap->rodata[0] = cap->data[0] = cap->bss[0] = 0;
	return 0;
}

/* Skips the "[    0.000000] " timestamp of a dmesg line. */
static void skip_timestamp(struct cursor *c)
{
	const char *close;

	if (*c->p != '[')
		return;
	close = strchr(c->p, ']');
	if (!close)
		return;
	c->p = close + 1;
	if (*c->p == ' ')
		c->p++;
}

static bool starts(const struct cursor *c, const char *words)
{
	return !strncmp(c->p, words, strlen(words));
}

/* After a number the kernel's words may go on ("... on node 0"), but only after a blank. */
static int line_ends_or_blank(struct cursor *c, const char *shape)
{
	if (*c->p && *c->p != ' ' && *c->p != '\t')
		return fail(c, "text after the value (%s)", shape);
	return 0;
}

/* "BIOS-e820: [mem 0x...-0x...] usable": the usable ranges. */
static int e820_line(struct cursor *c, struct kb_cap_range *e820, int *nr)
{
	static const char shape[] = "BIOS-e820: [mem START-END] TYPE";
	unsigned long long a, b;

	if (expect(c, "BIOS-e820: [mem ", shape) || range(c, &mem_addr, shape, &a, &b) ||
	    expect(c, "] ", shape))
		return -1;
	if (!*c->p)
		return fail(c, "an e820 range without a type (%s)", shape);
	return strcmp(c->p, "usable") ? 0 : add_ram(c, e820, nr, a, b, -1);
}

/* "  node   0: [mem 0x...-0x...]" of "Early memory node ranges". */
static int node_range_line(struct kb_capture *cap, struct cursor *c)
{
	static const char shape[] = "node N: [mem START-END]";
	static const struct kb_num_rule node_rule = { .max = KB_CAP_MAX_NODES - 1, .ends = ":" };
	unsigned long long a, b;
	long node;

	blanks(c);
	if (expect(c, "node", shape))
		return -1;
	blanks(c);
	if (number(c, &node_rule, &node) || expect(c, ": [mem ", shape) ||
	    range(c, &mem_addr, shape, &a, &b) || expect(c, "]", shape) ||
	    line_ends_or_blank(c, shape))
		return -1;
	return add_ram(c, cap->node_ram, &cap->nr_node_ram, a, b, (int)node);
}

/* "cma: Reserved N MiB at 0x..." */
static int cma_line(struct kb_capture *cap, struct cursor *c)
{
	static const char shape[] = "cma: Reserved N MiB at ADDR";
	static const struct kb_num_rule mib_rule = { .max = 1L << 30 };
	static const struct kb_num_rule addr_rule = { .hex = true, .max = LONG_MAX };
	long mib, addr;

	if (expect(c, "cma: Reserved ", shape) || number(c, &mib_rule, &mib) ||
	    expect(c, " MiB at ", shape) || number(c, &addr_rule, &addr) ||
	    line_ends_or_blank(c, shape))
		return -1;
	if (cap->nr_cma == 8)
		return fail(c, "more than 8 CMA areas");
	cap->cma[cap->nr_cma][0] = (unsigned long long)addr;
	cap->cma[cap->nr_cma++][1] = (unsigned long long)addr + ((unsigned long long)mib << 20);
	return 0;
}

/* "Freeing initrd memory: 2020K", "Freeing unused kernel image (initmem) memory: 4264K" */
static int freeing_line(struct kb_capture *cap, struct cursor *c)
{
	static const char shape[] = "Freeing WHAT: NK";
	static const struct kb_num_rule kib_rule = { .max = LONG_MAX, .ends = "K" };
	struct kb_cap_free *f;
	const char *what, *colon;
	size_t n;
	long kib;

	if (expect(c, "Freeing ", shape))
		return -1;
	what = c->p;
	colon = strstr(what, ": ");
	n = (size_t)(colon - what);
	/* "initrd memory" -> "initrd" */
	if (n > 7 && !strncmp(colon - 7, " memory", 7))
		n -= 7;
	if (n >= sizeof(f->what)) {
		return fail(c, "a name of %zu characters; at most %zu", n, sizeof(f->what) - 1);
	}
	c->p = colon + 2;
	if (number(c, &kib_rule, &kib) || expect(c, "K", shape) || line_ends_or_blank(c, shape))
		return -1;
	if (cap->nr_frees == KB_CAP_MAX_FREES)
		return fail(c, "more than %d \"Freeing\" lines", KB_CAP_MAX_FREES);
	f = &cap->frees[cap->nr_frees++];
	memcpy(f->what, what, n);
	f->what[n] = 0;
	f->kib = (unsigned long)kib;
	return 0;
}

/*
 * The boot log's lines kbuddy reads; the others (the capture keeps every
 * line that mentions memory) are passed over. A line is one of those by
 * its first words, or for a node range by its "[mem" after "node N:".
 */
static int dmesg_line(struct kb_capture *cap, struct cursor *c, struct kb_cap_range *e820,
		      int *nr_e820)
{
	const char *after_blanks;

	skip_timestamp(c);
	if (starts(c, "BIOS-e820: "))
		return e820_line(c, e820, nr_e820);
	if (starts(c, "cma: Reserved "))
		return cma_line(cap, c);
	if (starts(c, "RAMDISK: ")) {
		static const char shape[] = "RAMDISK: [mem START-END]";
		unsigned long long a, b;

		if (expect(c, "RAMDISK: [mem ", shape) || range(c, &mem_addr, shape, &a, &b) ||
		    expect(c, "]", shape) || line_ends_or_blank(c, shape))
			return -1;
		cap->ramdisk[0] = a, cap->ramdisk[1] = b + 1;
		return 0;
	}
	if (starts(c, "Freeing ") && strstr(c->p, ": "))
		return freeing_line(cap, c);
	after_blanks = c->p + strspn(c->p, " \t");
	if (!strncmp(after_blanks, "node", 4) && (after_blanks[4] == ' ' || after_blanks[4] == '\t') &&
	    strstr(after_blanks, ": [mem "))
		return node_range_line(cap, c);
	return 0;
}

int kb_memmap_read_dmesg(struct kb_capture *cap, char *text, const char *file, bool use_e820,
			 char *err, size_t errlen)
{
	struct cursor c = { .file = file, .err = err, .errlen = errlen };
	struct kb_cap_range e820[KB_CAP_MAX_RANGES];
	char *s = text, *line;
	int nr_e820 = 0;

	cap->have_dmesg = true;
	while ((line = kb_next_line(&s))) {
		if (start_line(&c, line))
			return -1;
		if (dmesg_line(cap, &c, e820, &nr_e820))
			return -1;
	}
	/* The e820 map is what iomem's System RAM says when iomem is unreadable. */
	if (use_e820 && !cap->nr_ram) {
		memcpy(cap->ram, e820, sizeof(e820[0]) * (size_t)nr_e820);
		cap->nr_ram = nr_e820;
	}
	return 0;
}

/* "0-3,8,10-11" (sysfs cpulist, empty for a node without CPUs): the number of CPUs */
static int cpulist(struct cursor *c, int *nr)
{
	static const char shape[] = "a cpulist is N or N-M, separated by commas";
	static const struct kb_num_rule cpu_rule = { .max = 65535, .ends = ",-" };
	long a, b;

	*nr = 0;
	blanks(c);
	while (*c->p) {
		const char *at = c->p;

		if (number(c, &cpu_rule, &a))
			return -1;
		b = a;
		if (*c->p == '-') {
			c->p++;
			if (number(c, &cpu_rule, &b))
				return -1;
			if (b < a) {
				c->p = at;
				return fail(c, "CPU range %ld-%ld ends before it starts", a, b);
			}
		}
		*nr += (int)(b - a + 1);
		if (!*c->p)
			break;
		if (expect(c, ",", shape))
			return -1;
	}
	return 0;
}

/* "distance: 10 20 ...": node_distance() of the node to each node */
static int distances(struct cursor *c, int *row, int *nr)
{
	static const struct kb_num_rule distance_rule = { .max = 255 };
	long d;

	*nr = 0;
	for (blanks(c); *c->p; blanks(c)) {
		if (*nr == KB_CAP_MAX_NODES)
			return fail(c, "more than %d distances", KB_CAP_MAX_NODES);
		if (number(c, &distance_rule, &d))
			return -1;
		row[(*nr)++] = (int)d;
	}
	return 0;
}

int kb_memmap_read_node_info(struct kb_capture *cap, char *text, const char *file,
			     char *err, size_t errlen)
{
	static const struct kb_num_rule node_rule = { .max = KB_CAP_MAX_NODES - 1 };
	struct cursor c = { .file = file, .err = err, .errlen = errlen };
	char *s = text, *line;
	long node = -1;

	while ((line = kb_next_line(&s))) {
		if (start_line(&c, line))
			return -1;
		if (starts(&c, "== /sys/devices/system/node/node")) {
			c.p += strlen("== /sys/devices/system/node/node");
			if (number(&c, &node_rule, &node) ||
			    line_ends_or_blank(&c, "== /sys/devices/system/node/nodeN"))
				return -1;
			if (node >= cap->nr_nodes_sysfs)
				cap->nr_nodes_sysfs = (int)node + 1;
		} else if (starts(&c, "cpulist:") || starts(&c, "distance:")) {
			bool cpus = starts(&c, "cpulist:");

			if (node < 0)
				return fail(&c, "a node's %s before its \"== /sys/devices/system/node/nodeN\" line",
					    cpus ? "cpulist" : "distance");
			c.p = strchr(c.p, ':') + 1;
			if (cpus ? cpulist(&c, &cap->node_cpus[node]) :
				   distances(&c, cap->distance[node], &cap->nr_distance[node]))
				return -1;
		}
	}
	cap->have_node_info = cap->nr_nodes_sysfs > 0;
	return 0;
}
