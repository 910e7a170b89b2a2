// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_decode: the parsers and decoders themselves. Byte 0 picks what the
 * rest of the input is fed to (byte % 5):
 *   0  operation text      kb_ops_parse_text
 *   1  layout text         kb_layout_parse_text
 *   2  operation binary    kb_ops_decode_binary (the rest is a whole input)
 *   3  layout binary       kb_layout_decode_binary
 *   4  GFP text and bits   kb_gfp_parse, kb_gfp_format
 * Garbage must give a clear error ("line N: reason"), never a crash. What
 * parses or decodes must survive the round trips the formats promise
 * (docs/ops-format.md, docs/layout-format.md): format(parse(x)) parses to
 * the same text, encode(decode(x)) decodes to the same thing, and text and
 * binary forms agree. A broken promise aborts with a KBUDDY-SIGNATURE line
 * naming the round trip.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_stats.h"
#include "ops.h"
#include "../core/gfp.h"
#include "../machine/layout_io.h"

#define TEXT_MAX	(1u << 20)	/* 4096 operations in text form fit */

static struct kb_ops ops_a, ops_b;
static struct kb_layout layout_a, layout_b;
static char text_a[TEXT_MAX], text_b[TEXT_MAX];
static uint8_t bin[1 + KB_OPS_MAX * KB_OPS_RECORD_SIZE + 4096];
static char err[512];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	kb_fuzz_stats_init();
	return 0;
}

static void fail(const char *what, const char *detail)
{
	kb_fuzz_stats_print();
	fprintf(stderr, "==== kbuddy: round trip broken ====\n%s\n", detail);
	fprintf(stderr, "KBUDDY-SIGNATURE: decode-%s\n", what);
	fflush(stderr);
	abort();
}

/*
 * An error message must be one non-empty line of printable ASCII: input it
 * quotes is escaped, so no raw byte reaches a terminal.
 */
static void check_error(const char *what, const char *msg, bool with_line)
{
	size_t len = strnlen(msg, sizeof(err)), i;

	if (!len || len == sizeof(err) || (with_line && strncmp(msg, "line ", 5)))
		fail(what, msg);
	for (i = 0; i < len; i++)
		if ((unsigned char)msg[i] < 0x20 || (unsigned char)msg[i] > 0x7e)
			fail(what, "an error message holds a raw byte");
}

static void ops_text(const struct kb_ops *ops, char *buf, const char *what)
{
	if (kb_ops_format_text(ops, buf, TEXT_MAX) >= TEXT_MAX)
		fail(what, "formatted operations do not fit the buffer");
}

static void layout_text(const struct kb_layout *layout, char *buf, const char *what)
{
	if (kb_layout_format_text(layout, buf, TEXT_MAX) >= TEXT_MAX)
		fail(what, "formatted layout does not fit the buffer");
}

/* text_a holds format(s): it parses back to the same text. */
static void ops_reparse(const char *what)
{
	err[0] = 0;
	if (kb_ops_parse_text(text_a, strlen(text_a), &ops_b, err, sizeof(err)))
		fail(what, err);
	ops_text(&ops_b, text_b, what);
	if (strcmp(text_a, text_b))
		fail(what, "format(parse(format(s))) differs from format(s)");
}

/* text_a holds format(s) of a sequence with a binary form: it agrees. */
static void ops_rebinary(const struct kb_ops *s, const char *what)
{
	size_t n = kb_ops_encode_binary(s, bin, sizeof(bin));

	if (!n)
		return;
	if (n > sizeof(bin))
		fail(what, "encoded operations do not fit the buffer");
	kb_ops_decode_binary(bin, n, &ops_b);
	ops_text(&ops_b, text_b, what);
	if (strcmp(text_a, text_b))
		fail(what, "decode(encode(s)) differs from s");
}

static void layout_reparse(const char *what)
{
	err[0] = 0;
	if (kb_layout_parse_text(text_a, strlen(text_a), &layout_b, err, sizeof(err)))
		fail(what, err);
	layout_text(&layout_b, text_b, what);
	if (strcmp(text_a, text_b))
		fail(what, "format(parse(format(l))) differs from format(l)");
}

static void layout_rebinary(const struct kb_layout *l, const char *what, bool must)
{
	size_t n = kb_layout_encode_binary(l, bin, sizeof(bin));

	if (!n) {
		if (must)
			fail(what, "a decoded layout has no binary form");
		return;
	}
	if (n > sizeof(bin))
		fail(what, "encoded layout does not fit the buffer");
	kb_layout_decode_binary(bin, n, &layout_b);
	layout_text(&layout_b, text_b, what);
	if (strcmp(text_a, text_b))
		fail(what, "decode(encode(l)) differs from l");
}

static void fuzz_ops_text(const uint8_t *p, size_t n)
{
	err[0] = 0;
	if (kb_ops_parse_text((const char *)p, n, &ops_a, err, sizeof(err))) {
		check_error("ops-text-error", err, true);
		return;
	}
	kb_fuzz_stats_add(0, ops_a.nr_ops);
	ops_text(&ops_a, text_a, "ops-text");
	ops_reparse("ops-text");
	ops_rebinary(&ops_a, "ops-text-binary");
}

static void fuzz_layout_text(const uint8_t *p, size_t n)
{
	err[0] = 0;
	if (kb_layout_parse_text((const char *)p, n, &layout_a, err, sizeof(err))) {
		check_error("layout-text-error", err, true);
		return;
	}
	if (kb_layout_validate(&layout_a, err, sizeof(err)))
		fail("layout-text-validate", err);
	layout_text(&layout_a, text_a, "layout-text");
	layout_reparse("layout-text");
	layout_rebinary(&layout_a, "layout-text-binary", false);
}

static void fuzz_ops_binary(const uint8_t *p, size_t n)
{
	kb_ops_decode_binary(p, n, &ops_a);
	kb_fuzz_stats_add(0, ops_a.nr_ops);
	ops_text(&ops_a, text_a, "ops-binary");
	if (!kb_ops_encode_binary(&ops_a, NULL, 0))
		fail("ops-binary", "a decoded sequence has no binary form");
	ops_rebinary(&ops_a, "ops-binary");
	ops_reparse("ops-binary-text");
}

static void fuzz_layout_binary(const uint8_t *p, size_t n)
{
	size_t used = kb_layout_decode_binary(p, n, &layout_a);

	if (used > n)
		fail("layout-binary", "the decoder used more bytes than it was given");
	if (kb_layout_validate(&layout_a, err, sizeof(err)))
		fail("layout-binary-validate", err);
	layout_text(&layout_a, text_a, "layout-binary");
	layout_rebinary(&layout_a, "layout-binary", true);
	layout_reparse("layout-binary-text");
}

static void fuzz_gfp(const uint8_t *p, size_t n)
{
	char in[256], out[512];
	gfp_t g, back;
	uint32_t raw = 0;
	size_t i;

	/* The bits: format, then parse, gives them back. */
	for (i = 0; i < 4 && i < n; i++)
		raw |= (uint32_t)p[i] << (8 * i);
	g = (gfp_t)(raw & KB_GFP_VALID_MASK);
	if (kb_gfp_format(g, out, sizeof(out)) >= (int)sizeof(out))
		fail("gfp", "formatted mask does not fit");
	if (kb_gfp_parse(out, &back) || back != g)
		fail("gfp-format", out);

	/* The text: whatever parses formats to a name that parses the same. */
	n = n < sizeof(in) - 1 ? n : sizeof(in) - 1;
	memcpy(in, p, n);
	in[n] = 0;
	if (kb_gfp_parse(in, &g))
		return;
	if (g & ~(gfp_t)KB_GFP_VALID_MASK)
		fail("gfp-parse", "parse accepted a bit outside KB_GFP_VALID_MASK");
	kb_gfp_format(g, out, sizeof(out));
	if (kb_gfp_parse(out, &back) || back != g)
		fail("gfp-parse", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kb_fuzz_stats_add(1, 0);
	if (!size)
		return 0;
	switch (data[0] % 5) {
	case 0:
		fuzz_ops_text(data + 1, size - 1);
		break;
	case 1:
		fuzz_layout_text(data + 1, size - 1);
		break;
	case 2:
		fuzz_ops_binary(data + 1, size - 1);
		break;
	case 3:
		fuzz_layout_binary(data + 1, size - 1);
		break;
	default:
		fuzz_gfp(data + 1, size - 1);
		break;
	}
	return 0;
}
