/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GFP flag names, for printing masks the way kernel developers write them
 * ("GFP_KERNEL|__GFP_COMP") and for parsing such strings in scenarios and
 * reproducers. See kb_gfp_format and kb_gfp_parse in gfp.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gfp.h"
#include "textio.h"

struct gfp_name {
	const char *name;
	gfp_t value;
};

/*
 * Composite masks. kb_gfp_format picks the one with the most bits contained
 * in the value; on a tie the earlier entry wins, so the order is part of the
 * output format.
 */
static const struct gfp_name gfp_composites[] = {
	{ "GFP_KERNEL",			GFP_KERNEL },
	{ "GFP_ATOMIC",			GFP_ATOMIC },
	{ "GFP_NOWAIT",			GFP_NOWAIT },
	{ "GFP_NOIO",			GFP_NOIO },
	{ "GFP_NOFS",			GFP_NOFS },
	{ "GFP_USER",			GFP_USER },
	{ "GFP_DMA",			GFP_DMA },
	{ "GFP_DMA32",			GFP_DMA32 },
	{ "GFP_HIGHUSER",		GFP_HIGHUSER },
	{ "GFP_HIGHUSER_MOVABLE",	GFP_HIGHUSER_MOVABLE },
	{ "GFP_TRANSHUGE",		GFP_TRANSHUGE },
	{ "GFP_TRANSHUGE_LIGHT",	GFP_TRANSHUGE_LIGHT },
	{ "GFP_KERNEL_ACCOUNT",		GFP_KERNEL_ACCOUNT },
};

/* Single flags, in bit order (this is the order they are printed in). */
static const struct gfp_name gfp_flags[] = {
	{ "__GFP_DMA",			__GFP_DMA },
	{ "__GFP_HIGHMEM",		__GFP_HIGHMEM },
	{ "__GFP_DMA32",		__GFP_DMA32 },
	{ "__GFP_MOVABLE",		__GFP_MOVABLE },
	{ "__GFP_RECLAIMABLE",		__GFP_RECLAIMABLE },
	{ "__GFP_HIGH",			__GFP_HIGH },
	{ "__GFP_IO",			__GFP_IO },
	{ "__GFP_FS",			__GFP_FS },
	{ "__GFP_ZERO",			__GFP_ZERO },
	{ "__GFP_DIRECT_RECLAIM",	__GFP_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM",	__GFP_KSWAPD_RECLAIM },
	{ "__GFP_WRITE",		__GFP_WRITE },
	{ "__GFP_NOWARN",		__GFP_NOWARN },
	{ "__GFP_RETRY_MAYFAIL",	__GFP_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL",		__GFP_NOFAIL },
	{ "__GFP_NORETRY",		__GFP_NORETRY },
	{ "__GFP_MEMALLOC",		__GFP_MEMALLOC },
	{ "__GFP_COMP",			__GFP_COMP },
	{ "__GFP_NOMEMALLOC",		__GFP_NOMEMALLOC },
	{ "__GFP_HARDWALL",		__GFP_HARDWALL },
	{ "__GFP_THISNODE",		__GFP_THISNODE },
	{ "__GFP_ACCOUNT",		__GFP_ACCOUNT },
	{ "__GFP_ZEROTAGS",		__GFP_ZEROTAGS },
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int popcount(gfp_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

int kb_gfp_format(gfp_t gfp, char *buf, size_t len)
{
	struct kb_textbuf o = { buf, len, 0 };
	const struct gfp_name *best = NULL;
	const char *sep = "";
	gfp_t rest = gfp;
	size_t i;

	if (buf && len)
		buf[0] = '\0';
	if (!buf)
		o.len = 0;
	if (gfp == 0) {
		kb_textbuf_put(&o, "0");
		return (int)o.pos;
	}
	for (i = 0; i < ARRAY_LEN(gfp_composites); i++) {
		const struct gfp_name *c = &gfp_composites[i];

		if ((gfp & c->value) != c->value)
			continue;
		if (!best || popcount(c->value) > popcount(best->value))
			best = c;
	}
	if (best) {
		kb_textbuf_put(&o, "%s", best->name);
		rest &= ~best->value;
		sep = "|";
	}
	for (i = 0; i < ARRAY_LEN(gfp_flags); i++) {
		if (rest & gfp_flags[i].value) {
			kb_textbuf_put(&o, "%s%s", sep, gfp_flags[i].name);
			rest &= ~gfp_flags[i].value;
			sep = "|";
		}
	}
	/* Bits the kernel does not name (0x200, bits 24 and up) stay numeric. */
	if (rest)
		kb_textbuf_put(&o, "%s%#x", sep, rest);
	return (int)o.pos;
}

static const struct gfp_name *gfp_lookup(const char *s, size_t n)
{
	static const struct gfp_name reclaim = { "__GFP_RECLAIM", __GFP_RECLAIM };
	size_t i;

	for (i = 0; i < ARRAY_LEN(gfp_composites); i++)
		if (strlen(gfp_composites[i].name) == n &&
		    !memcmp(gfp_composites[i].name, s, n))
			return &gfp_composites[i];
	for (i = 0; i < ARRAY_LEN(gfp_flags); i++)
		if (strlen(gfp_flags[i].name) == n &&
		    !memcmp(gfp_flags[i].name, s, n))
			return &gfp_flags[i];
	/* The kernel's own shorthand for both reclaim bits. */
	if (strlen(reclaim.name) == n && !memcmp(reclaim.name, s, n))
		return &reclaim;
	return NULL;
}

/* "0x1f" or "123"; returns -1 on anything else or on overflow past 32 bits. */
static int gfp_number(const char *s, size_t n, gfp_t *out)
{
	unsigned long long v = 0;
	unsigned int base = 10;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return -1;
	for (; i < n; i++) {
		unsigned int d;
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -1;
		v = v * base + d;
		if (v > 0xffffffffull)
			return -1;
	}
	*out = (gfp_t)v;
	return 0;
}

int kb_gfp_parse(const char *text, gfp_t *out)
{
	gfp_t v = 0;
	const char *p = text;

	if (!text)
		return -1;
	for (;;) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const struct gfp_name *name;
		gfp_t num;

		/* trim blanks around each part */
		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!n)
			return -1;
		name = gfp_lookup(p, n);
		if (name)
			v |= name->value;
		else if (gfp_number(p, n, &num) == 0)
			v |= num;
		else
			return -1;
		if (!end)
			break;
		p = end + 1;
	}
	if (v & ~KB_GFP_VALID_MASK)
		return -1;
	*out = v;
	return 0;
}
